"""An editor imports the Zhongyuan print page through the real admin in Chromium: start
page, upload, preview, confirm, and the six stories wait in the review queue."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from articles.models import Article
from newsroom.workflow import Status
from tests.browser.conftest import login, screenshot
from tests.helpers import SAMPLE_HEADLINES as HEADLINES
from tests.helpers import SAMPLE_PAGE as SAMPLE

CORRESPONDENTS = ["吕杨子", "张亮", "木坤坤", "吴赛", "张黎", None]


def test_editor_uploads_a_print_page_previews_it_and_finds_six_stories_in_review(
    page, editor, js_errors
):
    login(page, editor)

    # From the start page's editor desk to the import page.
    page.click("#desk-import-print")
    expect(page.locator("#import-print-form")).to_be_visible()
    page.set_input_files("#id_file", str(SAMPLE))
    page.fill("#id_edition_date", "2020-09-09")
    page.fill("#id_page", "2")
    screenshot(page, "import-1-upload")
    with page.expect_navigation():
        page.click("#import-print-form [name=_preview]")

    # The preview: six stories with their headings, bylines and paragraphs; nothing saved yet.
    stories = page.locator(".import-story")
    expect(stories).to_have_count(6)
    for number, headline in enumerate(HEADLINES, 1):
        expect(page.locator(f"#import-story-{number} h2.headline")).to_have_text(headline)
    expect(page.locator("#import-story-2 .bylines")).to_contain_text("张改华")
    expect(page.locator("#import-story-2 .bylines")).to_contain_text("张亮")
    expect(page.locator("#import-story-2 .text-and-photo")).to_be_visible()
    expect(page.locator("#import-story-3 .paragraphs p")).to_have_count(6)
    expect(page.locator("#import-story-5 .subheadline")).to_have_text(
        "中原区政协组织核心片区建设专题视察"
    )
    expect(page.locator("#import-unplaced")).to_have_count(0)
    assert Article.objects.count() == 0
    screenshot(page, "import-2-preview")

    with page.expect_navigation():
        page.click("#import-print-confirm [name=_confirm]")

    # The review queue: the article change list filtered by status.
    assert re.search(r"/admin/articles/article/\?status__exact=review$", page.url)
    expect(page.locator(".messagelist .success")).to_contain_text("6")
    expect(page.locator(".messagelist .warning")).to_contain_text("张亮")
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(6)
    for headline, correspondent in zip(HEADLINES, CORRESPONDENTS, strict=True):
        row = rows.filter(has_text=headline)
        expect(row).to_have_count(1)
        expect(row.locator(".field-byline_names")).to_have_text(
            "张改华、" + correspondent if correspondent else "张改华"
        )
    screenshot(page, "import-3-review-queue")

    # And on the editor's desk on the start page.
    page.goto("/admin/")
    desk = page.locator("#desk-review li")
    expect(desk).to_have_count(6)
    for headline in HEADLINES:
        expect(page.locator("#desk-review")).to_contain_text(headline)
    screenshot(page, "import-4-desk")

    articles = Article.objects.all()
    assert {a.status for a in articles} == {Status.REVIEW}
    assert {a.created_by for a in articles} == {editor}
    assert js_errors == []


def test_editor_corrects_a_misread_page_in_the_preview_and_imports_the_corrections(
    page, editor, js_errors
):
    """Paste a page, open “Correct this story”, split a story and fix a byline, apply,
    merge the last story into the one above, then confirm what the preview shows."""
    login(page, editor)
    page.goto("/admin/articles/article/import-print/")
    page.fill(
        "#id_text",
        "让城市更有温度\n本报讯（记者 李明）城市的温度，藏在细节里。\n服务好不好，群众最有发言权。\n"
        "第二篇的标题\n第二篇的副题\n第二篇的正文。\n",
    )
    with page.expect_navigation():
        page.click("#import-print-form [name=_preview]")
    expect(page.locator(".import-story")).to_have_count(2)

    page.click("#import-edit-1 summary")
    page.fill("#id_story-0-bylines", "Reporter 李明\nCorrespondent 王芳")
    page.fill(
        "#id_story-0-body",
        "城市的温度，藏在细节里。\n---\n拆出来的标题\n服务好不好，群众最有发言权。",
    )
    with page.expect_navigation():
        page.click("#import-edit-1 [name=_update]")
    expect(page.locator(".import-story")).to_have_count(3)
    expect(page.locator("#import-story-1 .bylines")).to_contain_text("王芳")
    expect(page.locator("#import-story-2 h2.headline")).to_have_text("拆出来的标题")
    screenshot(page, "import-5-corrected")

    page.click("#import-edit-2 summary")
    with page.expect_navigation():
        page.click("#import-edit-2 [name=action][value='merge:1']")
    expect(page.locator(".import-story")).to_have_count(2)
    expect(page.locator("#import-story-2 .subhead")).to_have_count(2)
    assert Article.objects.count() == 0

    with page.expect_navigation():
        page.click("#import-print-confirm [name=_confirm]")
    expect(page.locator(".messagelist .success")).to_contain_text("2")
    first, second = Article.objects.order_by("pk")
    assert (first.headline, second.headline) == ("让城市更有温度", "拆出来的标题")
    assert [b.person.display_name for b in first.bylines.all()] == ["李明", "王芳"]
    assert second.body.count("<h3>") == 2
    assert js_errors == []
