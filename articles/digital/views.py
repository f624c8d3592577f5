"""The 数字报 for readers, under /print/: a page image with its story zones, the pages of the
edition (版面导航), previous/next page and edition, past editions, the page's PDF.

Only published editions, and only zones of published stories, are shown. A page renders in a
fixed number of queries whatever its number of zones (tests/articles/test_print_pages.py):
the edition, its pages, the page's public zones with their stories, the neighbouring
editions and the list of past editions.
"""

from __future__ import annotations

import datetime
from itertools import groupby

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from articles.models import Article, PrintEdition, PrintZone

# How many past editions the calendar lists (newest first).
CALENDAR_EDITIONS = 62


def newest_edition() -> PrintEdition | None:
    return PrintEdition.objects.published().newest_first().only("pk", "date").first()


def edition_on(date: datetime.date) -> PrintEdition | None:
    return PrintEdition.objects.published().filter(date=date).only("pk", "date").first()


def page_view(request, edition: PrintEdition, number: int | None = None):
    pages = list(
        edition.pages.order_by("number").only(
            "pk",
            "edition_id",
            "number",
            "name",
            "renditions",
            "pdf",
            "width_pt",
            "height_pt",
            "has_text_layer",
        )
    )
    if not pages:
        raise Http404(_("This edition has no pages."))
    page = pages[0] if number is None else next((p for p in pages if p.number == number), None)
    if page is None:
        raise Http404(_("No such page in this edition."))
    page.edition = edition
    zones = list(
        PrintZone.objects.filter(page=page, article__in=Article.objects.published())
        .select_related("article")
        .only("page_id", "points", "order", "article__slug", "article__headline")
        .order_by("order", "pk")
    )
    stories = _stories(zones, page)
    index = pages.index(page)
    published = PrintEdition.objects.published()
    previous_date = (
        published.filter(date__lt=edition.date).order_by("-date").values_list("date", flat=True)
    ).first()
    next_date = (
        published.filter(date__gt=edition.date).order_by("date").values_list("date", flat=True)
    ).first()
    calendar = list(published.newest_first().values_list("date", flat=True)[:CALENDAR_EDITIONS])
    months = [
        (month, list(dates)) for month, dates in groupby(calendar, key=lambda d: (d.year, d.month))
    ]
    return render(
        request,
        "articles/print_page.html",
        {
            "edition": edition,
            "date": edition.date,
            "page": page,
            "pages": pages,
            "stories": stories,
            "previous_page": pages[index - 1] if index > 0 else None,
            "next_page": pages[index + 1] if index + 1 < len(pages) else None,
            "previous_date": previous_date,
            "next_date": next_date,
            "months": [(datetime.date(y, m, 1), dates) for (y, m), dates in months],
        },
    )


class StoryOnPage:
    """A public story of the page with the polygons of its zones, in the image's pixels."""

    def __init__(self, article: Article, polygons: list[str]):
        self.article = article
        self.polygons = polygons


def _stories(zones: list[PrintZone], page) -> list[StoryOnPage]:
    image = page.largest
    width, height = (image["width"], image["height"]) if image else (1000, 1000 * page.aspect)
    found: dict[int, StoryOnPage] = {}
    for zone in zones:
        entry = found.setdefault(zone.article_id, StoryOnPage(zone.article, []))
        entry.polygons.append(zone.svg_points(width, height))
    return list(found.values())
