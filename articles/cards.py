"""The repeated items of public lists, rendered in Python: article cards, gallery cards, event
items, bylines and the times they show.

A list page shows twenty of them; as templates included once per item, they cost about a
millisecond each (a context push, then some sixty variable look-ups through the context
stack), most of a list page's time. As functions of the object they cost a few dozen
microseconds, and each item's URL and dates are worked out once. The markup is the one the
templates had (templates/includes/ keeps the rest of the page's partials); the template tags
are in articles/templatetags/cards.py.
"""

from __future__ import annotations

import datetime

from django.utils import dateformat, timezone
from django.utils.formats import get_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from articles.renditions import picture_html
from people.bylines import group_bylines

CARD_PHOTO_SIZES = {
    "lead": "(min-width: 64em) 40rem, 100vw",
    "": "(min-width: 40em) 12rem, 33vw",
}
GALLERY_CARD_SIZES = "(min-width: 64em) 18rem, (min-width: 40em) 45vw, 100vw"


def local_format(value, format_name: str) -> str:
    """`{{ value|date:format_name }}`: an aware datetime in the site's time zone, a named
    format (DATETIME_FORMAT) in the current language or a format string ("Y-m-d")."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return dateformat.format(value, get_format(format_name))


def isotime(value) -> str:
    """A <time datetime> value in the site's time zone, to the second (the HTML spec
    allows at most three decimals, and readers need none)."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(microsecond=0).isoformat()
    return value.isoformat()


def time_html(value, format_name: str) -> SafeString:
    return format_html(
        '<time datetime="{}">{}</time>', isotime(value), local_format(value, format_name)
    )


def byline_html(bylines, inline: bool = False) -> SafeString:
    """`记者 张改华 通讯员 吕杨子`, each name linked to its person's page, grouped by role."""
    bylines = list(bylines)
    if not bylines:
        return mark_safe("")
    groups = []
    for group in group_bylines(bylines):
        people = format_html_join(
            " ",
            '<a href="{}">{}</a>',
            ((person.get_absolute_url(), person.display_name) for person in group.people),
        )
        credit = format_html(' <span class="byline-credit">{}</span>', group.credit)
        groups.append(
            format_html(
                '<span class="byline-group"><span class="byline-role">{}</span> {}{}</span>',
                group.label,
                people,
                credit if group.credit else "",
            )
        )
    inner = mark_safe(" ".join(groups))
    if inline:
        return format_html('<span class="card-byline">{}</span>', inner)
    return format_html('<p class="byline">{}</p>', inner)


def article_card(article, variant: str = "", heading: str = "h2", loading: str = "lazy"):
    """An article in a list. variant: "lead" (big photo), "" (thumbnail), "compact" (headline
    only); heading: h2/h3; loading: "eager" for the first photo of a page."""
    heading = heading or "h2"
    url = article.get_absolute_url()
    full = variant != "compact"
    photo = article.lead_photo if full else None
    parts = [
        format_html(
            '<article class="card{}{}">\n',
            f" card-{variant}" if variant else "",
            " has-photo" if photo else "",
        )
    ]
    if photo:
        parts.append(
            format_html(
                '  <a class="card-photo" href="{}" tabindex="-1" aria-hidden="true">{}</a>\n',
                url,
                picture_html(
                    photo,
                    CARD_PHOTO_SIZES["lead" if variant == "lead" else ""],
                    loading=(loading or "lazy") if variant == "lead" else "lazy",
                    alt="",
                ),
            )
        )
    parts.append('  <div class="card-text">\n')
    if article.kicker and full:
        parts.append(format_html('    <p class="card-kicker">{}</p>\n', article.kicker))
    parts.append(
        format_html(
            '    <{} class="card-title"><a href="{}">{}</a></{}>\n',
            heading,
            url,
            article.headline,
            heading,
        )
    )
    if article.subheadline and variant == "lead":
        parts.append(format_html('    <p class="card-subheadline">{}</p>\n', article.subheadline))
    if article.summary and full:
        summary = Truncator(article.summary).chars(140)
        parts.append(format_html('    <p class="card-summary">{}</p>\n', summary))
    published = article.published_at
    parts.append(
        format_html(
            '    <p class="card-meta">{}{}</p>\n  </div>\n</article>',
            format_html("{}\n", byline_html(article.bylines.all(), inline=True)) if full else "",
            time_html(published, "DATETIME_FORMAT") if published else "",
        )
    )
    return mark_safe("".join(parts))


def gallery_card(gallery, heading: str = "h2") -> SafeString:
    """A gallery in a list: its cover, title, number of photos and date."""
    heading = heading or "h2"
    cover = gallery.cover
    count = getattr(gallery, "photo_count", None)
    published = gallery.published_at
    meta = []
    if count is not None:
        meta.append(ngettext("%(counter)s photo", "%(counter)s photos", count) % {"counter": count})
    if published:
        meta.append(time_html(published, "DATE_FORMAT"))
    return format_html(
        '<article class="gallery-card">\n  <a class="gallery-card-link" href="{}">\n    {}\n'
        '    <{} class="gallery-card-title">{}</{}>\n  </a>\n'
        '  <p class="gallery-card-meta">{}</p>\n</article>',
        gallery.get_absolute_url(),
        picture_html(cover, GALLERY_CARD_SIZES, alt="")
        if cover
        else mark_safe('<span class="gallery-card-empty"></span>'),
        heading,
        gallery.title,
        heading,
        format_html_join(" · ", "{}", ((part,) for part in meta)),
    )


def event_when(event) -> SafeString:
    """When an event is on: dates only for an all-day event, date and time otherwise."""
    if event.is_all_day:

        def when(value):
            return format_html(
                '<time datetime="{}">{}</time>',
                local_format(value, "Y-m-d"),
                local_format(value, "DATE_FORMAT"),
            )
    else:

        def when(value):
            return time_html(value, "DATETIME_FORMAT")

    ends = format_html(" – {}", when(event.ends_at)) if event.ends_at else ""
    return format_html('<p class="event-when">{}{}</p>', when(event.starts_at), ends)


def event_item(event, heading: str = "h2") -> SafeString:
    """An event in a list: its date as a calendar leaf, title, time and venue."""
    heading = heading or "h2"
    venue = format_html('<p class="event-venue">{}</p>', event.venue) if event.venue else ""
    return format_html(
        '<article class="event-item">\n'
        '  <p class="event-date" aria-hidden="true"><span class="event-month">{}</span>'
        ' <span class="event-day">{}</span></p>\n'
        '  <div class="event-text">\n'
        '    <{} class="event-title"><a href="{}">{}</a></{}>\n'
        "    {}\n    {}\n  </div>\n</article>",
        local_format(event.starts_at, "M"),
        local_format(event.starts_at, "j"),
        heading,
        event.get_absolute_url(),
        event.title,
        heading,
        event_when(event),
        venue,
    )


def photo_credit(photo) -> SafeString:
    """`Photo: 张改华` for a photo's caption line."""
    if not photo.credit_id:
        return mark_safe("")
    return format_html(
        ' <span class="credit">{}</span>',
        _("Photo: %(name)s") % {"name": photo.credit.display_name},
    )
