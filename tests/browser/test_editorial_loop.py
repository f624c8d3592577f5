"""The whole editorial loop through the real admin in Chromium: write, submit, send back,
fix, resubmit, schedule, and the story goes public when its time comes."""

from __future__ import annotations

import datetime
import re
from unittest import mock

from django.utils import timezone, translation
from playwright.sync_api import expect

from articles.models import Article
from people.models import Role
from tests.browser.conftest import login, screenshot

KICKER = "优化营商环境"
HEADLINE = "中原区召开网上政务服务能力提升工作推进会"
SUBHEADLINE = "三十项事项实现“一网通办”"
DATELINE = "本报讯"
FIRST_DRAFT = "9月1日下午，中原区召开网上政务服务能力提升工作推进会。"
FIXED_TEXT = "9月1日下午，中原区召开网上政务服务能力提升工作推进会，区长出席并讲话。"
NOTE = "请补充区长出席的情况。"
# The body's ProseMirror editing surface (its toolbar's menus use the class too).
BODY_EDITOR = ".field-body .ProseMirror[contenteditable=true]"


def add_byline(page, row: int, name: str, role: str) -> None:
    """Add an inline byline row and pick the person in its select2 autocomplete."""
    page.click("#bylines-group .add-row a")
    page.fill(f"#id_bylines-{row}-order", str(row))
    page.select_option(f"#id_bylines-{row}-role", role)
    page.click(f"#bylines-{row} .select2-selection")
    page.fill(".select2-container--open .select2-search__field", name)
    page.click(f".select2-container--open .select2-results__option:text-is('{name}')")
    expect(page.locator(f"#bylines-{row} .select2-selection__rendered")).to_have_text(
        re.compile(name)
    )


def click_transition(page, name: str) -> None:
    """Press a workflow button (found by its form's class, whatever the label's language)."""
    with page.expect_navigation():
        page.click(f"#workflow-panel .workflow-{name} button")
    expect(page.locator(".messagelist .success")).to_be_visible()


def test_story_goes_from_reporter_through_editor_to_readers(
    new_context, reporter, correspondent, editor, js_errors
):
    # The reporter writes the story with two bylines.
    desk = new_context().new_page()
    login(desk, reporter)
    desk.goto("/admin/articles/article/add/")
    desk.fill("#id_kicker", KICKER)
    desk.fill("#id_headline", HEADLINE)
    desk.fill("#id_subheadline", SUBHEADLINE)
    desk.fill("#id_dateline", DATELINE)
    desk.locator(BODY_EDITOR).click()
    desk.keyboard.type(FIRST_DRAFT)
    add_byline(desk, 0, "张改华", Role.REPORTER)
    add_byline(desk, 1, "吕杨子", Role.CORRESPONDENT)
    screenshot(desk, "loop-1-reporter-writes")
    with desk.expect_navigation():
        desk.click("input[name=_continue]")
    expect(desk.locator(".messagelist .success")).to_be_visible()
    article = Article.objects.get(headline=HEADLINE)
    assert desk.url.endswith(f"/admin/articles/article/{article.pk}/change/")
    assert FIRST_DRAFT in article.body
    assert (article.kicker, article.subheadline, article.dateline) == (
        KICKER,
        SUBHEADLINE,
        DATELINE,
    )
    assert [(b.person.display_name, b.role) for b in article.bylines.select_related("person")] == [
        ("张改华", Role.REPORTER),
        ("吕杨子", Role.CORRESPONDENT),
    ]
    expect(desk.locator(BODY_EDITOR)).to_contain_text(FIRST_DRAFT)

    click_transition(desk, "submit")
    expect(desk.locator("#workflow-status")).to_have_text("In review")
    screenshot(desk, "loop-2-submitted")

    # The editor finds it in the review queue and sends it back with a note.
    chief = new_context().new_page()
    login(chief, editor)
    queue = chief.locator("#desk-review")
    expect(queue).to_contain_text(HEADLINE)
    screenshot(chief, "loop-3-editor-desk")
    with chief.expect_navigation():
        queue.get_by_role("link", name=HEADLINE).click()
    chief.fill("#workflow-panel .workflow-send_back textarea[name=note]", NOTE)
    click_transition(chief, "send_back")
    expect(chief.locator("#workflow-status")).to_have_text("Draft")

    # The reporter sees the note on the start page and in the form, fixes the text, resubmits.
    desk.goto("/admin/")
    sent_back = desk.locator("#desk-sent-back")
    expect(sent_back).to_contain_text(HEADLINE)
    expect(sent_back.locator(".desk-note")).to_have_text(NOTE)
    screenshot(desk, "loop-4-sent-back")
    with desk.expect_navigation():
        sent_back.get_by_role("link", name=HEADLINE).click()
    expect(desk.locator("#workflow-note")).to_contain_text(NOTE)
    desk.locator(BODY_EDITOR).click()
    desk.keyboard.press("ControlOrMeta+a")
    desk.keyboard.type(FIXED_TEXT)
    with desk.expect_navigation():
        desk.click("input[name=_continue]")
    expect(desk.locator(".messagelist .success")).to_be_visible()
    article.refresh_from_db()
    assert FIXED_TEXT in article.body and FIRST_DRAFT not in article.body
    click_transition(desk, "submit")
    expect(desk.locator("#workflow-status")).to_have_text("In review")

    # The editor schedules it a few minutes ahead, in the newsroom's local time (Asia/Shanghai).
    chief.goto("/admin/")
    with chief.expect_navigation():
        chief.locator("#desk-review").get_by_role("link", name=HEADLINE).click()
    publish_at = timezone.localtime() + datetime.timedelta(minutes=3)
    chief.fill(
        "#workflow-panel .workflow-schedule input[name=at]", publish_at.strftime("%Y-%m-%dT%H:%M")
    )
    screenshot(chief, "loop-5-schedule")
    click_transition(chief, "schedule")
    expect(chief.locator("#workflow-status")).to_have_text("Scheduled")
    article.refresh_from_db()
    assert article.status == Article.Status.SCHEDULED
    assert timezone.localtime(article.publish_at).strftime("%H:%M") == publish_at.strftime("%H:%M")
    expect(chief.locator(".object-tools .viewsitelink")).to_have_count(0)  # not public yet
    chief.goto("/admin/")
    expect(chief.locator("#desk-scheduled")).to_contain_text(HEADLINE)

    # Readers (in Chinese) get a 404 until publish_at.
    reader = new_context(locale="zh-CN").new_page()
    assert reader.goto(article.get_absolute_url()).status == 404
    assert HEADLINE not in reader.goto("/").text()

    # Time passes. Rather than wait minutes: the reader's requests run with the site's clock
    # at publish_at (the live server runs in this process), when whatever the site kept
    # (fragments) has expired; the row's publish_at moves into the real past, so that the
    # story stays public for the rest of the test. Nothing runs and nothing is saved at
    # publish_at: being public is a query.
    article.refresh_from_db()
    go_live = article.publish_at
    Article.objects.filter(pk=article.pk).update(
        publish_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    with mock.patch("django.utils.timezone.now", return_value=go_live):
        response = reader.goto(article.get_absolute_url())
        assert response.status == 200
        expect(reader.locator("h1")).to_have_text(HEADLINE)
        expect(reader.locator(".kicker")).to_have_text(KICKER)
        expect(reader.locator(".body")).to_contain_text(FIXED_TEXT)
        # One role label per group, the names after it: 记者 张改华 通讯员 吕杨子.
        with translation.override("zh-hans"):
            expected = f"{Role.REPORTER.label} 张改华 {Role.CORRESPONDENT.label} 吕杨子"
        expect(reader.locator(".byline")).to_have_text(expected)
        assert HEADLINE in reader.goto("/").text()
        reader.goto(article.get_absolute_url())
        screenshot(reader, "loop-6-public")

    # The admin agrees that the story is out.
    chief.goto(f"/admin/articles/article/{article.pk}/change/")
    expect(chief.locator("#workflow-status")).to_have_text("Published (scheduled)")
    expect(chief.locator(".object-tools .viewsitelink")).to_have_attribute(
        "href", article.get_absolute_url()
    )

    # The admin as the newsroom sees it by default (zh-hans), for the record.
    chief_zh = new_context(locale="zh-CN").new_page()
    login(chief_zh, editor)
    screenshot(chief_zh, "loop-7-editor-desk-zh")
    chief_zh.goto(f"/admin/articles/article/{article.pk}/change/")
    chief_zh.locator("#transition-history summary").click()
    screenshot(chief_zh, "loop-8-change-form-zh")

    assert js_errors == []
