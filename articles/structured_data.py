"""What search engines and social networks read: absolute URLs, descriptions, JSON-LD.

Everything here works on objects the views already fetched (`for_detail()`), so the
meta partials in `templates/includes/meta/` trigger no queries.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.templatetags.static import static
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

import newsroom.text
from articles.cards import shorten
from newsroom.context_processors import site_name
from newsroom.text import clean_data

# The language of the paper's content (not of the interface), as feeds and sitemaps write it.
CONTENT_LANGUAGE = "zh-cn"
PUBLISHER_LOGO = "img/publisher-logo.png"
DESCRIPTION_LENGTH = 160

# The same escapes as django.utils.html.json_script: no "</script>" can end the element early.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def absolute_url(url: str) -> str:
    """`url` made absolute against SITE_URL (already absolute URLs, e.g. a CDN's, are kept)."""
    if not url or urlsplit(url).scheme:
        return url
    return settings.SITE_URL + url


def site_host() -> str:
    return urlsplit(settings.SITE_URL).netloc


def plain_text(html: str, length: int = DESCRIPTION_LENGTH) -> str:
    """Rich text as one line of plain text (entities decoded: the template or the encoder
    escapes it once), cut at `length` characters."""
    text = " ".join(newsroom.text.plain_text(html or "").split())
    return shorten(text, length) if length else text


def describe(obj) -> str:
    """The meta description of an article, event or gallery."""
    for field in ("summary", "description", "body"):
        text = plain_text(getattr(obj, field, "") or "")
        if text:
            return text
    return ""


def photo_url(photo) -> str:
    """The largest JPEG rendition: originals are for staff only (articles/media.py)."""
    largest = photo.largest_rendition if photo else None
    return absolute_url(largest["jpeg"]) if largest else ""


def lead_photo(obj):
    """An article's lead photo, a gallery's cover (or first photo); None for events."""
    if hasattr(obj, "lead_photo"):
        return obj.lead_photo
    if hasattr(obj, "cover_photo"):
        if obj.cover_photo_id:
            return obj.cover_photo
        photos = list(obj.photos.all())  # prefetched by for_detail()
        return photos[0] if photos else None
    return None


def publisher_logo_url() -> str:
    return absolute_url(static(PUBLISHER_LOGO))


def iso(value) -> str | None:
    """A datetime in Asia/Shanghai ISO 8601 form (with its +08:00 offset), or a date."""
    if value is None:
        return None
    if hasattr(value, "tzinfo") and timezone.is_aware(value):
        return timezone.localtime(value).isoformat(timespec="seconds")
    return value.isoformat()


def organization() -> dict:
    return {
        "@type": "NewsMediaOrganization",
        "name": site_name(),
        "url": settings.SITE_URL + "/",
        "logo": {"@type": "ImageObject", "url": publisher_logo_url()},
    }


def person_data(person) -> dict:
    data = {
        "@type": "Person",
        "name": person.display_name,
        "url": absolute_url(person.get_absolute_url()),
    }
    if person.title:
        data["jobTitle"] = person.title
    if person.affiliation:
        data["affiliation"] = {"@type": "Organization", "name": person.affiliation}
    return data


def article_data(article) -> dict:
    """schema.org NewsArticle, from an article fetched with `for_detail()`."""
    url = absolute_url(article.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "headline": shorten(article.headline, 110),
        "datePublished": iso(article.published_at),
        "dateModified": iso(article.modified_at),
        "inLanguage": "zh-CN",
        "author": [person_data(byline.person) for byline in article.bylines.all()],
        "publisher": organization(),
    }
    if article.subheadline:
        data["alternativeHeadline"] = article.subheadline
    if description := describe(article):
        data["description"] = description
    if photo := lead_photo(article):
        data["image"] = [photo_url(photo)]
    if article.section_id:
        data["articleSection"] = article.section.name
    if keywords := [tag.name for tag in article.tags.all()]:
        data["keywords"] = keywords
    if corrections := list(article.corrections.all()):
        data["correction"] = [
            {"@type": "CorrectionComment", "text": c.text, "datePublished": iso(c.created_at)}
            for c in corrections
        ]
    return data


def event_data(event) -> dict:
    """schema.org Event. All-day events carry dates, others Asia/Shanghai times."""

    def when(value):
        if value is None:
            return None
        return timezone.localtime(value).date().isoformat() if event.is_all_day else iso(value)

    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "url": absolute_url(event.get_absolute_url()),
        "startDate": when(event.starts_at),
        # Only published events are shown; postponed or cancelled ones are retracted.
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
    }
    if event.ends_at:
        data["endDate"] = when(event.ends_at)
    if description := describe(event):
        data["description"] = description
    if event.venue:
        data["location"] = {"@type": "Place", "name": event.venue, "address": event.venue}
    if event.organiser:
        data["organizer"] = {"@type": "Organization", "name": event.organiser}
    return data


def gallery_data(gallery) -> dict:
    """schema.org ImageGallery with its photos, from a gallery fetched with `for_detail()`."""
    data = {
        "@context": "https://schema.org",
        "@type": "ImageGallery",
        "name": gallery.title,
        "url": absolute_url(gallery.get_absolute_url()),
        "datePublished": iso(gallery.published_at),
        "dateModified": iso(gallery.modified_at),
        "author": [person_data(byline.person) for byline in gallery.bylines.all()],
        "publisher": organization(),
        "associatedMedia": [
            {
                "@type": "ImageObject",
                "contentUrl": photo_url(photo),
                "caption": photo.caption,
                "width": photo.width,
                "height": photo.height,
                **({"creditText": photo.credit.display_name} if photo.credit_id else {}),
            }
            for photo in gallery.photos.all()
        ],
    }
    if gallery.description:
        data["description"] = plain_text(gallery.description)
    return data


def json_ld_script(data: dict) -> SafeString:
    """`<script type="application/ld+json">`, escaped like json_script so the text cannot end it."""
    # Stored text may predate the forms' cleaning: no control character reaches a crawler.
    text = json.dumps(
        clean_data(data, multiline=False), cls=DjangoJSONEncoder, ensure_ascii=False
    ).translate(_JSON_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')
