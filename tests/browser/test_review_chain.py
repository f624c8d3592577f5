"""三审三校 end to end in Chromium: the reporter files; the desk editor edits and signs 初审;
the proofreader signs 一校; the desk chief sends it back to 初审 with a note; it comes back up;
the chief editor signs 终审 and schedules it; it goes public on time (publish_scheduled); the
printed 签发单 shows every signature in order."""

from __future__ import annotations

import datetime
from unittest import mock

from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article
from tests.browser.conftest import login, screenshot
from tests.review.world import SANSHEN, build_world

HEADLINE = "郑州地铁10号线一期工程进入全面调试阶段"
FIRST_DRAFT = "本报讯 记者从郑州地铁集团获悉，10号线一期工程已进入全面调试阶段。"
EDITED = "（责任编辑核实：调试周期约三个月。）"
NOTE = "导语太长，请责任编辑重新压缩后再送复审。"
BODY_EDITOR = ".field-body .ProseMirror[contenteditable=true]"


def pick_section(page, name: str) -> None:
    """Choose the section in its select2 autocomplete."""
    page.click(".field-section .select2-selection")
    page.fill(".select2-container--open .select2-search__field", name)
    page.click(f".select2-container--open .select2-results__option:text-is('{name}')")
    expect(page.locator(".field-section .select2-selection__rendered")).to_contain_text(name)


def click_transition(page, name: str) -> None:
    with page.expect_navigation():
        page.click(f"#workflow-panel .workflow-{name} button")
    expect(page.locator(".messagelist .success")).to_be_visible()


def open_from_queue(page, headline: str, stage: str) -> None:
    """From the start page's "waiting for my signature" queue, at `stage`."""
    page.goto("/admin/")
    row = page.locator("#queue-awaiting .queue-row", has_text=headline)
    expect(row.locator(".queue-stage")).to_have_text(stage)
    with page.expect_navigation():
        row.get_by_role("link", name=headline).click()


def signs(page, headline: str, stage: str, shot: str | None = None) -> None:
    open_from_queue(page, headline, stage)
    if shot:
        screenshot(page, shot)
    click_transition(page, "approve")


def test_sanshen_sanjiao_from_filing_to_the_printed_signoff_sheet(new_context, js_errors, site):
    world = build_world()
    people = {}
    for name in ["reporter", "desk_editor", "proofreader", "desk_chief", "chief_editor"]:
        people[name] = new_context().new_page()
        login(people[name], world[name])

    # The reporter files the story in 要闻 (要闻部, 三审三校) and submits it.
    desk = people["reporter"]
    desk.goto("/admin/articles/article/add/")
    desk.fill("#id_headline", HEADLINE)
    pick_section(desk, "要闻")
    desk.locator(BODY_EDITOR).click()
    desk.keyboard.type(FIRST_DRAFT)
    with desk.expect_navigation():
        desk.click("input[name=_continue]")
    click_transition(desk, "submit")
    article = Article.objects.get(headline=HEADLINE)
    assert article.review_stage.name == "初审"
    screenshot(desk, "chain-1-filed")

    # The desk editor finds it waiting, edits it and signs 初审.
    editor = people["desk_editor"]
    open_from_queue(editor, HEADLINE, "初审")
    editor.locator(BODY_EDITOR).click()
    editor.keyboard.press("End")
    editor.keyboard.type(EDITED)
    with editor.expect_navigation():
        editor.click("input[name=_continue]")
    expect(editor.locator(".messagelist .success")).to_be_visible()
    click_transition(editor, "approve")
    screenshot(editor, "chain-2-first-review-signed")
    signs(people["proofreader"], HEADLINE, "一校")

    # The desk chief sends it back to 初审 with a note.
    chief = people["desk_chief"]
    open_from_queue(chief, HEADLINE, "复审")
    form = chief.locator("#workflow-panel .workflow-send_back")
    form.locator("select[name=to_stage]").select_option(label="初审")
    form.locator("textarea[name=note]").fill(NOTE)
    screenshot(chief, "chain-3-send-back")
    click_transition(chief, "send_back")
    article.refresh_from_db()
    assert (article.status, article.review_stage.name) == ("review", "初审")

    # It comes back up: 初审, 一校, 复审, 二校, 三校.
    open_from_queue(editor, HEADLINE, "初审")
    expect(editor.locator("#workflow-panel")).to_contain_text(NOTE)
    click_transition(editor, "approve")
    signs(people["proofreader"], HEADLINE, "一校")
    signs(chief, HEADLINE, "复审")
    signs(people["proofreader"], HEADLINE, "二校")
    signs(people["proofreader"], HEADLINE, "三校")

    # The chief editor signs 终审 and schedules it.
    top = people["chief_editor"]
    open_from_queue(top, HEADLINE, "终审")
    click_transition(top, "approve")
    publish_at = timezone.localtime() + datetime.timedelta(minutes=5)
    top.fill(
        "#workflow-panel .workflow-schedule input[name=at]", publish_at.strftime("%Y-%m-%dT%H:%M")
    )
    click_transition(top, "schedule")
    expect(top.locator("#workflow-status")).to_have_text("Scheduled")
    screenshot(top, "chain-4-scheduled")
    article.refresh_from_db()
    reader = new_context(locale="zh-CN").new_page()
    assert reader.goto(article.get_absolute_url()).status == 404

    # It goes public on time: publish_scheduled, run as cron would just after publish_at.
    with mock.patch(
        "django.utils.timezone.now",
        return_value=article.publish_at + datetime.timedelta(seconds=30),
    ):
        call_command("publish_scheduled")
        assert reader.goto(article.get_absolute_url()).status == 200
        expect(reader.locator("h1")).to_have_text(HEADLINE)
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.transitions.filter(name="go_live").count() == 1

    # The printed 签发单: the paper's name, the headline, every signature in order.
    with top.expect_popup() as popup:
        top.goto(f"/admin/articles/article/{article.pk}/change/")
        top.click("#signoff-print-link")
    sheet = popup.value
    sheet.wait_for_load_state()
    expect(sheet.locator("#sheet-paper")).to_have_text("中原日报")
    expect(sheet.locator("#sheet-headline")).to_have_text(HEADLINE)
    stages = sheet.locator("#sheet-signatures .sheet-signature .signoff-stage").all_inner_texts()
    # The first round's 初审 and 一校 (cleared by the send-back), then every stage again.
    assert stages == ["初审", "一校", *SANSHEN]
    signers = sheet.locator("#sheet-signatures .sheet-signature .signer").all_inner_texts()
    assert signers == ["dora", "pete", "dora", "pete", "chen", "pete", "pete", "总编辑"]
    expect(sheet.locator("#sheet-signatures .cleared")).to_have_count(2)
    expect(sheet.locator("#sheet-returns .return-note")).to_have_text(NOTE)
    sheet.emulate_media(media="print")
    screenshot(sheet, "chain-5-signoff-sheet")
    assert js_errors == []
