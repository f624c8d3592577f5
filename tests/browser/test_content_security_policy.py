"""The Content Security Policy in Chromium: the reader's pages and the editor's article form
work under it, and the browser reports no violation (a blocked script or style would show
as a `securitypolicyviolation` event and a console error)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.helpers import build_paper

# Playwright's init scripts run before the page's own and are not subject to its CSP.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`
    + ` at ${e.sourceFile}:${e.lineNumber}`);
});
"""


@pytest.fixture
def paper(editor, reporter):
    return build_paper(editor, reporter.person)


@pytest.fixture
def watched(new_context):
    """A page whose CSP violations and console errors are collected."""
    console: list[str] = []
    context = new_context()
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    # Chromium's own /favicon.ico request (no page asks for it) fails as a console error
    # that names no URL; the page's own requests are checked one by one instead.
    page.on(
        "console",
        lambda m: (
            m.type == "error"
            and not m.text.startswith("Failed to load resource")
            and console.append(f"{page.url}: {m.text}")
        ),
    )
    page.on(
        "response",
        lambda r: r.status >= 400 and console.append(f"{r.status} {r.url}"),
    )
    page.console_errors = console
    return page


def violations(page) -> list[str]:
    return page.evaluate("window.__cspViolations") + page.console_errors


def test_the_article_page_and_gallery_viewer_run_under_the_policy(watched, paper, js_errors):
    page = watched
    story = paper["articles"][1]
    response = page.goto(story.get_absolute_url())
    assert "script-src 'self'" in response.headers["content-security-policy"]
    expect(page.locator("h1")).to_have_text(story.headline)
    expect(page.locator(".lead-photo img")).to_be_visible()
    assert violations(page) == []  # (each page's own: the list starts again on navigation)

    page.goto(paper["gallery"].get_absolute_url())
    page.locator('a.photo-link[data-number="1"]').click()  # site.js opens the viewer
    viewer = page.locator("dialog.viewer")
    expect(viewer).to_be_visible()
    expect(viewer.locator(".viewer-count")).to_have_text("1 / 3")
    page.keyboard.press("ArrowRight")
    expect(viewer.locator(".viewer-count")).to_have_text("2 / 3")
    expect(viewer.locator(".viewer-image img")).to_be_visible()
    page.keyboard.press("Escape")
    expect(viewer).to_be_hidden()
    assert violations(page) == []
    assert js_errors == []


def test_the_admin_article_form_runs_under_the_policy(watched, paper, editor, js_errors):
    page = watched
    login(page, editor)
    story = paper["articles"][1]
    response = page.goto(f"/admin/articles/article/{story.pk}/change/")
    assert "'sha256-" in response.headers["content-security-policy"]  # the import map's

    # The prose editor (an ES module found through the import map) has loaded and edits.
    body = page.locator(".field-body .ProseMirror[contenteditable=true]")
    expect(body).to_be_visible()
    body.click()
    page.keyboard.press("End")
    page.keyboard.type("补充一句。")
    expect(body).to_contain_text("补充一句。")

    # select2's autocomplete asks the admin for people and shows them.
    page.click("#bylines-group .add-row a")
    row = page.locator("#bylines-group .dynamic-bylines").last
    row.locator(".select2-selection").click()
    page.fill(".select2-container--open .select2-search__field", "吕")
    option = page.locator(".select2-container--open .select2-results__option", has_text="吕杨子")
    expect(option).to_be_visible()
    option.click()
    expect(row.locator(".select2-selection__rendered")).to_have_text(re.compile("吕杨子"))
    assert violations(page) == []

    # The revision history with its comparison (django-reversion-compare).
    page.goto(f"/admin/articles/article/{story.pk}/history/")
    expect(page.locator("#content")).to_be_visible()
    assert violations(page) == []
    assert js_errors == []
