"""The 数字报 end to end: an editor uploads an edition's PDF, fixes a zone, publishes; a
reader opens /print/, moves between pages with the keyboard and opens a story from its
zone. axe-core finds no serious or critical violation; screenshots under var/screenshots/."""

from __future__ import annotations

import datetime
import json

from articles.digital import sample
from articles.models import Article, PrintEdition, PrintZone
from newsroom.workflow import Status
from tests.articles.print_pdfs import STORIES, sample_page
from tests.browser.conftest import login, screenshot
from tests.browser.test_accessibility import serious_violations

DATE = datetime.date(2026, 3, 2)


def _patient(context):
    # Pages that render PDFs or run axe take longer than the default on a busy machine.
    context.set_default_timeout(60_000)
    return context


def _edition_pdf(tmp_path):
    first, _stories = sample_page()
    second = sample.flowing_page(
        [
            sample.SampleStory(
                headline="图书馆延长开放时间",
                paragraphs=["本报讯（记者 张改华）区图书馆自本月起延长开放时间，每晚开放至九点。"],
            )
        ],
        width=595.0,
        height=842.0,
        cols=4,
    )
    path = tmp_path / "edition.pdf"
    path.write_bytes(sample.pdf_bytes([first, second]))
    return path


def test_editor_uploads_fixes_a_zone_and_publishes_then_a_reader_browses_with_the_keyboard(
    new_context, editor, tmp_path, js_errors, settings
):
    # Smaller renditions keep the upload (processed in the request: immediate backend) quick.
    settings.PRINT_PAGE_RENDER_WIDTH = 960
    page = _patient(new_context()).new_page()
    login(page, editor)
    page.goto("/admin/articles/printupload/add/")
    page.fill("#id_edition_date", DATE.isoformat())
    page.fill("#id_first_page", "1")
    page.fill("#id_page_names", "要闻\n文化")
    page.set_input_files("#id_pdf", str(_edition_pdf(tmp_path)))
    page.click("#print-pdf-form [type=submit]")
    # Two pages rendered and read in the child process: allow for a busy machine.
    page.wait_for_url("**/admin/articles/printupload/", timeout=120_000)
    assert "2 / 2" in page.content()
    edition = PrintEdition.objects.get(date=DATE)
    assert edition.status == Status.DRAFT
    screenshot(page, "digital-upload-done")

    # The zone editor of page 1: drag the first zone a little to the right.
    first_page = edition.pages.get(number=1)
    zone = PrintZone.objects.filter(page=first_page).order_by("order", "pk").first()
    page.goto(f"/admin/articles/printpage/{first_page.pk}/change/")
    polygon = page.locator(".zone-editor-svg polygon").first
    box = polygon.bounding_box()
    page.mouse.move(box["x"] + 10, box["y"] + 10)
    page.mouse.down()
    page.mouse.move(box["x"] + 30, box["y"] + 10, steps=4)
    page.mouse.up()
    screenshot(page, "digital-zone-editor")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    zone.refresh_from_db()
    assert zone.is_automatic is False
    moved = json.loads(json.dumps(zone.points))
    assert moved[0][0] > 0  # the points were written back by the editor and saved

    # The stories were imported into review; an editor publishes them and the edition.
    for article in Article.objects.filter(print_edition_date=DATE):
        article.publish(by=editor)
    page.goto(f"/admin/articles/printedition/{edition.pk}/change/")
    page.click("#edition-workflow button:has-text('Publish now')")
    page.wait_for_selector("#edition-workflow button:has-text('Unpublish')")
    assert "is now Published" in page.locator(".messagelist").inner_text()
    edition.refresh_from_db()
    assert edition.status == Status.PUBLISHED

    # A reader: the newest edition's first page, then page 2 by the keyboard.
    reader = _patient(new_context(locale="zh-CN")).new_page()
    reader.goto("/print/")
    assert reader.locator(".print-zone").count() >= len(STORIES)
    assert serious_violations(reader) == []
    screenshot(reader, "digital-reader-page-1")
    page_two = reader.locator(".print-pages a").nth(1)
    page_two.focus()
    reader.keyboard.press("Enter")
    reader.wait_for_url("**/print/2026/3/2/2/")
    assert "图书馆延长开放时间" in reader.content()
    assert serious_violations(reader) == []
    # Back to page 1 by its link, then Tab onto a zone (a real link named by its
    # headline) and open the story with Enter.
    reader.locator("a[rel=prev]").focus()
    reader.keyboard.press("Enter")
    reader.wait_for_url("**/print/2026/3/2/1/")
    zone_link = reader.locator(".print-zone").first
    zone_link.focus()
    headline = zone_link.get_attribute("aria-label")
    reader.keyboard.press("Enter")
    reader.wait_for_selector("h1")
    assert headline in reader.locator("h1").inner_text()

    phone = _patient(new_context(mobile=True)).new_page()
    phone.goto("/print/")
    assert serious_violations(phone) == []
    screenshot(phone, "digital-reader-phone")
    assert js_errors == []
