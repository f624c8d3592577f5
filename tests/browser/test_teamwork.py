"""Working together in Chromium: a send-back with a note reaches the reporter's bell and inbox,
the reporter answers in a comment that mentions the editor, the editor's bell shows it; and
two people on one story see each other."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from teamwork.models import Comment, Notification
from tests.browser.conftest import login, screenshot
from tests.helpers import make_article

NOTE = "请补充区长出席的情况。"
ANSWER = "已补充，请再看。"
PRESENCE_TIMEOUT_MS = 25_000  # a heartbeat every 10 s


def test_send_back_bell_inbox_comment_mention_and_presence(
    new_context, reporter, editor, js_errors
):
    story = make_article(by=reporter, headline="中原区召开推进会")
    story.submit_for_review(by=reporter)
    Notification.objects.all().delete()  # the editor's "reached the queue": not this test's
    change_url = f"/admin/articles/article/{story.pk}/change/"

    # The editor sends the story back with a note.
    desk = new_context().new_page()
    login(desk, editor)
    desk.goto(change_url)
    desk.fill("#workflow-panel .workflow-send_back textarea[name=note]", NOTE)
    with desk.expect_navigation():
        desk.click("#workflow-panel .workflow-send_back button")
    expect(desk.locator(".messagelist .success")).to_be_visible()
    expect(desk.locator("#teamwork-unread")).to_have_text("0")

    # The reporter's bell says so; the inbox shows the note and leads to the story.
    field = new_context().new_page()
    login(field, reporter)
    expect(field.locator("#teamwork-unread")).to_have_text("1")
    field.click("#teamwork-bell")
    expect(field.locator("#teamwork-notifications")).to_contain_text(NOTE)
    expect(field.locator(".teamwork-notification.is-unread")).to_have_count(1)
    screenshot(field, "teamwork-1-inbox")
    with field.expect_navigation():
        field.click("#teamwork-notifications .teamwork-open")
    assert field.url.endswith(change_url)
    expect(field.locator("#teamwork-unread")).to_have_text("0")

    # Both have the story open: each sees the other.
    expect(field.locator("#teamwork-others")).to_contain_text("erin", timeout=PRESENCE_TIMEOUT_MS)
    expect(desk.locator("#teamwork-others")).to_contain_text("alice", timeout=PRESENCE_TIMEOUT_MS)

    # The reporter answers, mentioning the editor through the autocomplete.
    body = field.locator("#teamwork-comment-body")
    body.click()
    body.press_sequentially("@er")
    option = field.locator("#teamwork-new-comment .teamwork-mention-list li", has_text="@erin")
    option.click()
    expect(body).to_have_value(re.compile(r"^@erin "))
    body.press("End")
    body.press_sequentially(ANSWER)
    screenshot(field, "teamwork-2-comment")
    with field.expect_navigation():
        field.click("#teamwork-new-comment button[type=submit]")
    expect(field.locator(".teamwork-thread")).to_contain_text(ANSWER)
    comment = Comment.objects.get()
    assert list(comment.mentions.all()) == [editor]

    # The editor's bell shows it on the next page, and the inbox leads to the comment.
    desk.goto("/admin/")
    expect(desk.locator("#teamwork-unread")).to_have_text("1")
    desk.click("#teamwork-bell")
    expect(desk.locator("#teamwork-notifications")).to_contain_text(ANSWER)
    with desk.expect_navigation():
        desk.click("#teamwork-notifications .teamwork-open")
    assert desk.url.endswith(f"{change_url}#comment-{comment.pk}")
    screenshot(desk, "teamwork-3-editor-reads")
    assert js_errors == []
