"""The word-check panel in a real browser: find a hit in the ProseMirror editor and in a plain
field, replace it with the suggestion in one click, and check typed text without saving."""

from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.helpers import make_article
from tests.wordcheck.conftest import add
from wordcheck.models import Category

BODY_EDITOR = ".field-body .ProseMirror[contenteditable]"


def selected_text(page) -> str:
    return page.evaluate(
        """() => { const e = document.querySelector('.field-body .ProseMirror[contenteditable]').editor;
                   const {from, to} = e.state.selection; return e.state.doc.textBetween(from, to); }"""
    )


def test_find_replace_and_check_without_saving(new_context, reporter, editor, js_errors):
    add("再接再励", Category.MISTAKE, replacement="再接再厉")
    add("大师", Category.SENSITIVE)
    article = make_article(
        by=reporter,
        headline="大师来了",
        body="<p>本报讯 开头。</p><p>大家要<strong>再接</strong>再励，继续努力。</p>",
    )
    page = new_context().new_page()
    login(page, editor)
    page.goto(f"/admin/articles/article/{article.pk}/change/")
    body_hit = page.locator('#wordcheck-hits li[data-field="body"]')
    expect(body_hit).to_have_count(1)
    page.wait_for_function(
        "() => document.querySelector('.field-body .ProseMirror[contenteditable]')?.editor"
    )

    body_hit.locator(".wordcheck-find").click()
    assert selected_text(page) == "再接再励"

    body_hit.locator(".wordcheck-replace").click()
    expect(page.locator(BODY_EDITOR)).to_contain_text("大家要再接再厉，继续努力")
    # The replacement re-runs the check: the body's hit is gone, the headline's remains.
    expect(page.locator('#wordcheck-hits li[data-field="body"]')).to_have_count(0)
    expect(page.locator('#wordcheck-hits li[data-field="headline"]')).to_have_count(1)

    page.locator('#wordcheck-hits li[data-field="headline"] .wordcheck-find').click()
    selection = page.evaluate(
        "() => { const e = document.getElementById('id_headline');"
        " return e.value.slice(e.selectionStart, e.selectionEnd); }"
    )
    assert selection == "大师"

    # Typed text is checked without saving.
    page.fill("#id_subheadline", "各单位再 接 再 励")
    page.click("#wordcheck-run")
    expect(page.locator('#wordcheck-hits li[data-field="subheadline"]')).to_have_count(1)
    article.refresh_from_db()
    # Nothing was saved: replacing and checking only change the form.
    assert "<strong>再接</strong>再励" in article.body and article.subheadline == ""
    assert js_errors == []
