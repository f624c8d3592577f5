"""A reader in Chromium: from the front page to a story, to its reporter, to the event it
covers and its gallery; the photo viewer driven by the keyboard; the feed announced in
<head>. On a desktop and on a phone; and the gallery without JavaScript."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import TIMEOUT_MS, screenshot


def tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until the element matching `selector` has the focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(
            "(s) => document.activeElement && document.activeElement.matches(s)", selector
        ):
            return
    raise AssertionError(f"Tab never reached {selector}")


def read_the_paper(page, paper, label: str) -> None:
    story = paper["articles"][1]
    gallery, event = paper["gallery"], paper["event"]

    page.goto("/")
    expect(page.locator(".masthead-title")).to_be_visible()
    # The feeds are announced to feed readers in <head>.
    assert page.locator('head link[rel="alternate"][type="application/rss+xml"]').count() >= 1
    screenshot(page, f"reader-{label}-1-front-page")

    page.get_by_role("link", name=story.headline).first.click()
    expect(page.locator("h1")).to_have_text(story.headline)
    expect(page.locator(".byline")).to_contain_text("张改华")
    expect(page.locator(".lead-photo img")).to_be_visible()
    screenshot(page, f"reader-{label}-2-article")

    page.locator(".byline").get_by_role("link", name="张改华").click()
    expect(page.locator("h1")).to_have_text("张改华")
    expect(page.get_by_role("link", name=story.headline)).to_be_visible()
    screenshot(page, f"reader-{label}-3-reporter")

    page.go_back()
    page.locator(".coverage").get_by_role("link", name=event.title).click()
    expect(page.locator("h1")).to_have_text(event.title)
    screenshot(page, f"reader-{label}-4-event")

    page.locator(".coverage").get_by_role("link", name=re.compile(re.escape(gallery.title))).click()
    expect(page.locator("h1")).to_have_text(gallery.title)
    screenshot(page, f"reader-{label}-5-gallery")

    # The viewer, by keyboard: Tab to the first photo, Enter opens it, → goes on, Esc closes.
    page.locator(".gallery-count").click()  # start from the text just before the photos
    tab_to(page, 'a.photo-link[data-number="1"]')
    page.keyboard.press("Enter")
    viewer = page.locator("dialog.viewer")
    expect(viewer).to_be_visible()
    expect(viewer.locator(".viewer-count")).to_have_text("1 / 3")
    expect(viewer.locator(".viewer-caption")).to_contain_text(paper["photos"][0].caption)
    assert page.evaluate(
        "() => document.querySelector('dialog.viewer').contains(document.activeElement)"
    )
    page.keyboard.press("ArrowRight")
    expect(viewer.locator(".viewer-count")).to_have_text("2 / 3")
    expect(viewer.locator(".viewer-caption")).to_contain_text(paper["photos"][1].caption)
    expect(viewer.locator(".viewer-image img")).to_be_visible()
    screenshot(page, f"reader-{label}-6-viewer")
    page.keyboard.press("Escape")
    expect(viewer).to_be_hidden()
    # Focus comes back to the photo the reader was looking at. The browser first gives it
    # back to the photo that opened the viewer; the viewer's "close" event (a task queued
    # after the dialog is hidden) then moves it on, so wait for it rather than read it once.
    expect(page.locator('a.photo-link[data-number="2"]')).to_be_focused()


def test_reader_on_a_desktop(page, paper, js_errors):
    read_the_paper(page, paper, "desktop")
    assert js_errors == []


def test_reader_on_a_phone(mobile_page, paper, js_errors):
    read_the_paper(mobile_page, paper, "phone")
    # Nothing is wider than the screen.
    assert mobile_page.evaluate("() => document.documentElement.scrollWidth") <= 390
    assert js_errors == []


def test_gallery_works_without_javascript(browser, live_server, paper):
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, locale="en-US"
    )
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        gallery = paper["gallery"]
        page.goto(gallery.get_absolute_url())
        page.locator('a.photo-link[data-number="1"]').click()
        page.wait_for_url(f"**{gallery.get_absolute_url()}1/")
        expect(page.locator(".photo-page-count")).to_have_text("Photo 1 of 3")
        page.get_by_role("link", name="Next photo").click()
        page.wait_for_url(f"**{gallery.get_absolute_url()}2/")
        expect(page.locator("figcaption")).to_contain_text(paper["photos"][1].caption)
        screenshot(page, "reader-no-js-photo-page")
    finally:
        context.close()


def test_photo_page_follows_the_arrow_keys(page, paper):
    gallery = paper["gallery"]
    page.goto(f"{gallery.get_absolute_url()}2/")
    with page.expect_navigation():
        page.keyboard.press("ArrowRight")
    assert page.url.endswith(f"{gallery.get_absolute_url()}3/")
    with page.expect_navigation():
        page.keyboard.press("ArrowLeft")
    assert page.url.endswith(f"{gallery.get_absolute_url()}2/")


def test_reader_switches_the_site_to_english_and_back(new_context, paper):
    page = new_context(locale="zh-CN").new_page()
    page.goto(paper["articles"][0].get_absolute_url())
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text(paper["articles"][0].headline)  # the same page
    expect(page.locator(".section-nav")).to_contain_text("Front page")
    page.get_by_role("button", name="简体中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
