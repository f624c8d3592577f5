"""The 数字报's admin: editors only, bad input answered with a message, never a 500."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import PrintUpload, PrintZone
from tests.helpers import make_article, make_print_page

UPLOAD = "admin:articles_printupload_add"


@pytest.fixture(autouse=True)
def in_english(settings):
    """The messages are compared in English; the zh_Hans catalogue translates them all."""
    settings.LANGUAGE_CODE = "en"


@pytest.mark.django_db
def test_a_reporter_cannot_open_the_upload_page(client, reporter):
    client.force_login(reporter)
    assert client.get(reverse(UPLOAD)).status_code == 403


@pytest.mark.django_db
def test_an_upload_that_is_not_a_pdf_is_refused_in_the_form(client, editor):
    client.force_login(editor)
    response = client.post(
        reverse(UPLOAD),
        {
            "edition_date": "2026-03-02",
            "first_page": "1",
            "page_names": "要闻",
            "pdf": SimpleUploadedFile("page.txt", "本报讯 这是文本".encode()),
        },
    )
    assert response.status_code == 400
    assert "This file is not a PDF" in response.content.decode()
    assert not PrintUpload.objects.exists()


def _zone_form(page, zone, points, article):
    return {
        "name": page.name,
        "zones-TOTAL_FORMS": "1",
        "zones-INITIAL_FORMS": "1",
        "zones-MIN_NUM_FORMS": "0",
        "zones-MAX_NUM_FORMS": "1000",
        "zones-0-id": str(zone.pk),
        "zones-0-page": str(page.pk),
        "zones-0-article": str(article.pk),
        "zones-0-points": points,
        "zones-0-order": "0",
    }


@pytest.mark.django_db
def test_an_editor_moves_a_zone_and_it_stays_when_zoning_runs_again(client, editor):
    story = make_article(by=editor, headline="版面稿件")
    page = make_print_page(zones=[story])
    zone = page.zones.get()
    url = reverse("admin:articles_printpage_change", args=[page.pk])
    client.force_login(editor)
    moved = [[0.2, 0.2], [0.5, 0.2], [0.5, 0.4], [0.2, 0.4]]
    response = client.post(url, _zone_form(page, zone, json.dumps(moved), story))
    assert response.status_code == 302
    zone.refresh_from_db()
    assert (zone.points, zone.is_automatic) == (moved, False)
    client.post(reverse("admin:articles_printpage_rezone", args=[page.pk]))
    assert PrintZone.objects.get().points == moved


@pytest.mark.django_db
@pytest.mark.parametrize(
    "points",
    [
        "not json",
        "[[0.1, 0.2]]",
        "[[0.1, 2], [0.2, 0.3], [0.3, 0.4]]",
        '{"a": 1}',
        "[[true, 0], [0, 0], [1, 1]]",
    ],
)
def test_bad_zone_points_are_refused_with_a_message(client, editor, points):
    story = make_article(by=editor, headline="版面稿件")
    page = make_print_page(zones=[story])
    zone = page.zones.get()
    client.force_login(editor)
    response = client.post(
        reverse("admin:articles_printpage_change", args=[page.pk]),
        _zone_form(page, zone, points, story),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "A zone needs 3 to 200 points" in html or "The points are not a list" in html
    assert PrintZone.objects.get().is_automatic is True
