"""The repeated items of public lists, rendered in Python: article cards, gallery cards, event
items, bylines and the times they show.

A list page shows twenty of them; as Django templates included once per item, they cost
about a millisecond each (a context push, then some sixty variable look-ups through the
context stack), most of a list page's time. As functions of the object they cost a few dozen
microseconds, and each item's URL and dates are worked out once. Every value from the
database goes through `esc()` (the standard library's html.escape, as Django's escape
filter does); the markup is the one the templates had. The Jinja2 templates call them as
globals (articles/jinja2.py): `{{ article_card(article, "lead") }}`. They take a model
instance or what stands for one in a list (ArticleQuerySet.cards()).
"""

from __future__ import annotations

import datetime
import unicodedata
from functools import lru_cache
from html import escape as esc

from django.utils import dateformat, timezone
from django.utils.formats import get_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import ngettext

from articles.renditions import picture_html
from people.bylines import group_bylines

CARD_PHOTO_SIZES = {
    "lead": "(min-width: 64em) 40rem, 100vw",
    "": "(min-width: 40em) 12rem, 33vw",
}
GALLERY_CARD_SIZES = "(min-width: 64em) 18rem, (min-width: 40em) 45vw, 100vw"
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


def local_format(value, format_name: str) -> str:
    """`{{ value|date:format_name }}`: an aware datetime in the site's time zone, a named
    format (DATETIME_FORMAT) in the current language or a format string ("Y-m-d")."""
    return _format(_local(value), get_format(format_name))


def isotime(value) -> str:
    """A <time datetime> value in the site's time zone, to the second (the HTML spec
    allows at most three decimals, and readers need none)."""
    return _iso(_local(value)) if value else ""


def time_html(value, format_name: str) -> str:
    local = _local(value)
    shown = _format(local, get_format(format_name))
    return f'<time datetime="{_iso(local)}">{esc(shown)}</time>'


def _local(value):
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def _iso(value) -> str:
    if isinstance(value, datetime.datetime):
        return value.replace(microsecond=0).isoformat()
    return value.isoformat()


@lru_cache(maxsize=64)
def _pieces(format_string: str) -> tuple[tuple[str, bool], ...]:
    """A date format as (format character, True) and (literal text, False) pieces: split
    once, where dateformat.format() splits it again for every date."""
    pieces = []
    for i, piece in enumerate(dateformat.re_formatchars.split(format_string)):
        if i % 2:
            pieces.append((piece, True))
        elif piece:
            pieces.append((dateformat.re_escaped.sub(r"\1", piece), False))
    return tuple(pieces)


def _format(value, format_string: str) -> str:
    """dateformat.format(value, format_string)."""
    formatter = dateformat.DateFormat(value)
    return "".join(
        str(getattr(formatter, piece)()) if is_code else piece
        for piece, is_code in _pieces(format_string)
    )


def shorten(text: str, length: int) -> str:
    """Truncator(text).chars(length): most summaries are short and already NFC, and then
    it would return them unchanged after a walk over every character."""
    if len(text) <= length and unicodedata.is_normalized("NFC", text):
        return text
    return Truncator(text).chars(length)


def _heading(heading: str) -> str:
    return heading if heading in HEADINGS else "h2"


def byline_html(bylines, inline: bool = False) -> SafeString:
    """`记者 张改华 通讯员 吕杨子`, each name linked to its person's page, grouped by role."""
    bylines = list(bylines)
    if not bylines:
        return mark_safe("")
    groups = []
    for group in group_bylines(bylines):
        people = " ".join(
            f'<a href="{esc(person.get_absolute_url())}">{esc(person.display_name)}</a>'
            for person in group.people
        )
        credit = f' <span class="byline-credit">{esc(group.credit)}</span>' if group.credit else ""
        groups.append(
            f'<span class="byline-group"><span class="byline-role">{esc(group.label)}</span> '
            f"{people}{credit}</span>"
        )
    inner = " ".join(groups)
    if inline:
        return mark_safe(f'<span class="card-byline">{inner}</span>')
    return mark_safe(f'<p class="byline">{inner}</p>')


def article_card(article, variant: str = "", heading: str = "h2", loading: str = "lazy"):
    """An article in a list. variant: "lead" (big photo), "" (thumbnail), "compact" (headline
    only); heading: h2/h3; loading: "eager" for the first photo of a page."""
    heading = _heading(heading)
    url = esc(article.get_absolute_url())
    full = variant != "compact"
    photo = article.lead_photo if full else None
    parts = [
        f'<article class="card{" card-" + esc(variant) if variant else ""}'
        f'{" has-photo" if photo else ""}">\n'
    ]
    if photo:
        picture = picture_html(
            photo,
            CARD_PHOTO_SIZES["lead" if variant == "lead" else ""],
            loading=(loading or "lazy") if variant == "lead" else "lazy",
            alt="",
        )
        parts.append(
            f'  <a class="card-photo" href="{url}" tabindex="-1" aria-hidden="true">{picture}</a>\n'
        )
    parts.append('  <div class="card-text">\n')
    if article.kicker and full:
        parts.append(f'    <p class="card-kicker">{esc(article.kicker)}</p>\n')
    parts.append(
        f'    <{heading} class="card-title"><a href="{url}">{esc(article.headline)}</a></{heading}>\n'
    )
    if article.subheadline and variant == "lead":
        parts.append(f'    <p class="card-subheadline">{esc(article.subheadline)}</p>\n')
    if article.summary and full:
        summary = shorten(article.summary, 140)
        parts.append(f'    <p class="card-summary">{esc(summary)}</p>\n')
    byline = f"{byline_html(article.bylines.all(), inline=True)}\n" if full else ""
    published = article.published_at
    when = time_html(published, "DATETIME_FORMAT") if published else ""
    parts.append(f'    <p class="card-meta">{byline}{when}</p>\n  </div>\n</article>')
    return mark_safe("".join(parts))


def gallery_card(gallery, heading: str = "h2") -> SafeString:
    """A gallery in a list: its cover, title, number of photos and date."""
    heading = _heading(heading)
    cover = gallery.cover
    count = getattr(gallery, "photo_count", None)
    published = gallery.published_at
    meta = []
    if count is not None:
        meta.append(
            esc(ngettext("%(counter)s photo", "%(counter)s photos", count) % {"counter": count})
        )
    if published:
        meta.append(time_html(published, "DATE_FORMAT"))
    image = (
        picture_html(cover, GALLERY_CARD_SIZES, alt="")
        if cover
        else '<span class="gallery-card-empty"></span>'
    )
    return mark_safe(
        f'<article class="gallery-card">\n'
        f'  <a class="gallery-card-link" href="{esc(gallery.get_absolute_url())}">\n'
        f"    {image}\n"
        f'    <{heading} class="gallery-card-title">{esc(gallery.title)}</{heading}>\n  </a>\n'
        f'  <p class="gallery-card-meta">{" · ".join(meta)}</p>\n</article>'
    )


def event_when(event) -> SafeString:
    """When an event is on: dates only for an all-day event, date and time otherwise."""

    def when(value):
        if event.is_all_day:
            return (
                f'<time datetime="{local_format(value, "Y-m-d")}">'
                f"{esc(local_format(value, 'DATE_FORMAT'))}</time>"
            )
        return time_html(value, "DATETIME_FORMAT")

    ends = f" – {when(event.ends_at)}" if event.ends_at else ""
    return mark_safe(f'<p class="event-when">{when(event.starts_at)}{ends}</p>')


def event_item(event, heading: str = "h2") -> SafeString:
    """An event in a list: its date as a calendar leaf, title, time and venue."""
    heading = _heading(heading)
    venue = f'<p class="event-venue">{esc(event.venue)}</p>' if event.venue else ""
    return mark_safe(
        '<article class="event-item">\n'
        '  <p class="event-date" aria-hidden="true">'
        f'<span class="event-month">{esc(local_format(event.starts_at, "M"))}</span>'
        f' <span class="event-day">{local_format(event.starts_at, "j")}</span></p>\n'
        '  <div class="event-text">\n'
        f'    <{heading} class="event-title"><a href="{esc(event.get_absolute_url())}">'
        f"{esc(event.title)}</a></{heading}>\n"
        f"    {event_when(event)}\n    {venue}\n  </div>\n</article>"
    )


def search_result(hit, type_name: str) -> SafeString:
    """A search hit (newsroom.search.engine.Hit, its object loaded): its type and section,
    highlighted title and snippet, and its byline and date, or an event's time."""
    item = hit.object
    section = getattr(item, "section", None)
    kind = f"{esc(type_name)} · {esc(section.name)}" if section else esc(type_name)
    snippet = hit.snippet_html
    snippet = f'\n    <p class="search-result-snippet">{snippet}</p>' if snippet else ""
    if hit.kind == "event":
        meta = event_when(item)
    else:
        published = item.published_at
        meta = byline_html(item.bylines.all(), inline=True)
        meta += time_html(published, "DATE_FORMAT") if published else ""
    return mark_safe(
        f'<li class="search-result search-result-{esc(hit.kind)}">\n'
        f'    <p class="search-result-kind">{kind}</p>\n'
        f'    <h2 class="card-title"><a href="{esc(item.get_absolute_url())}">'
        f"{hit.title_html}</a></h2>{snippet}\n"
        f'    <div class="card-meta">{meta}</div>\n  </li>'
    )


def headline_items(articles, *formats: str) -> SafeString:
    """`<li>` of headline lists: each story's linked headline and its publication time in
    `formats` (named date formats, joined by a space), for the front page's latest and an
    article's more from the section."""
    items = []
    for article in articles:
        published = article.published_at
        when = ""
        if published:
            shown = " ".join(esc(local_format(published, name)) for name in formats)
            when = f'<time datetime="{isotime(published)}">{shown}</time>'
        items.append(
            f'<li><a href="{esc(article.get_absolute_url())}">{esc(article.headline)}</a> '
            f"{when}</li>"
        )
    return mark_safe("".join(items))
