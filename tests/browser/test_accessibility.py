"""axe-core in Chromium on every kind of public page: no serious or critical violation.

axe.min.js comes from the axe-playwright-python package (pinned in requirements.lock),
so nothing is downloaded at test time.
"""

from __future__ import annotations

from pathlib import Path

import axe_playwright_python
import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.helpers import (
    EDITION,
    build_paper,
    make_article,
    make_section,
    more_stories,
    put_in_state,
)

AXE = Path(axe_playwright_python.__file__).with_name("axe.min.js")
SERIOUS = {"serious", "critical"}


@pytest.fixture
def urls(editor, reporter) -> dict[str, str]:
    paper = build_paper(editor, reporter.person)
    section = make_section("社区", slug="shequ")
    more_stories(editor, 21, section=section)
    retracted = put_in_state(make_article(by=editor, headline="撤回的稿件"), "unpublished", editor)
    today = timezone.localdate()
    starts = timezone.localtime(paper["event"].starts_at)
    gallery = paper["gallery"]
    return {
        "home": "/",
        "article": paper["articles"][1].get_absolute_url(),
        "article-corrected": paper["articles"][0].get_absolute_url(),
        "section": section.get_absolute_url() + "?page=2",
        "person": paper["reporter"].get_absolute_url(),
        "tag": reverse("articles:tag", args=["政协"]),
        "archive": reverse("articles:archive"),
        "archive-month": reverse("articles:archive_month", args=[today.year, today.month]),
        "events": reverse("articles:events"),
        "events-month": reverse("articles:events_month", args=[starts.year, starts.month]),
        "event": paper["event"].get_absolute_url(),
        "galleries": reverse("articles:galleries"),
        "gallery": gallery.get_absolute_url(),
        "photo": reverse("articles:gallery_photo", args=[gallery.slug, 2]),
        "print-index": reverse("articles:print_index"),
        "print-edition": reverse(
            "articles:print_edition", args=[EDITION.year, EDITION.month, EDITION.day]
        ),
        "not-found": "/no/such/page/",
        "retracted": retracted.get_absolute_url(),
    }


def serious_violations(page) -> list[str]:
    # Evaluated through the DevTools protocol: a <script> tag of it would be an inline script,
    # which the site's Content Security Policy refuses.
    page.evaluate(AXE.read_text())
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(n["target"][0] for n in v["nodes"][:3])
        for v in result["violations"]
        if v["impact"] in SERIOUS
    ]


def check_all(page, urls: dict[str, str], label: str) -> list[str]:
    problems = []
    for name, url in urls.items():
        page.goto(url)
        problems += [f"{label} {name} {url}: {v}" for v in serious_violations(page)]
    return problems


def test_every_page_passes_axe_on_a_desktop(new_context, urls):
    page = new_context(locale="zh-CN").new_page()
    assert check_all(page, urls, "desktop") == []


def test_every_page_passes_axe_on_a_phone_in_english(new_context, urls):
    page = new_context(mobile=True, locale="en-US").new_page()
    assert check_all(page, urls, "phone") == []


def test_the_open_photo_viewer_passes_axe(page, urls):
    page.goto(urls["gallery"])
    page.locator('a.photo-link[data-number="1"]').click()
    page.locator("dialog.viewer").wait_for(state="visible")
    screenshot(page, "a11y-viewer-open")
    assert serious_violations(page) == []


def test_keyboard_users_can_skip_to_the_content_and_see_the_focus(page, urls):
    page.goto(urls["article"])
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box is not None and box["y"] >= 0  # visible when focused
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()
