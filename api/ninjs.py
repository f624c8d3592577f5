"""IPTC ninjs 2.2 (News in JSON) for articles, events and galleries.

The shape follows the IPTC schema (../shared/schemas/ninjs-schema_2.2.json; the tests validate
every item against it): headlines by role (kicker, main, subheadline), the summary and each
correction as descriptions, the body as an HTML body, bylines as `by` (as printed) and as
`people` with their role in `rel`, tags and the section as `subjects`, covered events as
`events`, and the lead photo, a gallery's photos and linked galleries as `associations` with
their renditions. Reads only what the API's querysets fetched.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import to_locale

from api.renderers import NINJS_22_SCHEMA
from api.serializers import absolute, tags_of
from newsroom.workflow import Status
from people.bylines import byline_text

STANDARD = {"name": "ninjs", "version": "2.2", "schema": NINJS_22_SCHEMA}


def when(value: datetime.datetime | None) -> str | None:
    return value.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z") if value else None


def language() -> str:
    # zh-hans -> zh-Hans (BCP 47)
    return to_locale(settings.LANGUAGE_CODE).replace("_", "-")


def api_uri(obj) -> str:
    """The item's address in the API: stable for its life (slugs may change)."""
    name = {
        "article": "api:article-detail",
        "event": "api:event-detail",
        "gallery": "api:gallery-detail",
    }
    return absolute(reverse(name[obj._meta.model_name], args=[obj.pk]))


def pubstatus(obj) -> str:
    status = obj.effective_status()
    if status == Status.PUBLISHED:
        return "usable"
    if status in (Status.UNPUBLISHED, Status.SPIKED):
        return "canceled"
    return "withheld"


def _drop_empty(item: dict) -> dict:
    return {key: value for key, value in item.items() if value not in (None, "", [], {})}


def _common(obj, kind: str, headline: str) -> dict:
    item = {
        "uri": api_uri(obj),
        "standard": STANDARD,
        "type": kind,
        "representationtype": "full",
        "profile": f"newsroom-{obj._meta.model_name}",
        "version": str(obj.edit_version),
        "firstcreated": when(obj.created_at),
        "versioncreated": when(obj.updated_at),
        "pubstatus": pubstatus(obj),
        "language": language(),
        "slugline": obj.slug,
        "altids": [
            {"role": "canonical-url", "value": absolute(obj.get_absolute_url())},
            {"role": "newsroom-id", "value": f"{obj._meta.model_name}-{obj.pk}"},
        ],
        "title": headline,
    }
    if obj.status == Status.SCHEDULED and obj.publish_at and obj.publish_at > timezone.now():
        item["embargoed"] = when(obj.publish_at)
    if obj.published_at:
        item["contentcreated"] = when(obj.published_at)
    return item


def _people(bylines) -> list[dict]:
    return [
        _drop_empty(
            {
                "name": byline.person.display_name,
                "rel": f"byline:{byline.role}",
                "uri": absolute(byline.person.get_absolute_url()),
                "literal": byline.person.slug,
            }
        )
        for byline in bylines
    ]


def _photo(photo, name: str) -> dict:
    renditions = []
    for entry in photo.renditions or ():
        for kind in ("webp", "jpeg"):
            if entry.get(kind):
                renditions.append(
                    {
                        "name": f"{entry['width']}w-{kind}",
                        "href": absolute(entry[kind]),
                        "contenttype": f"image/{kind}",
                        "width": entry["width"],
                        "height": entry["height"],
                    }
                )
    return _drop_empty(
        {
            "name": name,
            "uri": f"urn:newsroom:photo:{photo.pk}",
            "type": "picture",
            "representationtype": "full",
            "by": photo.credit.display_name if photo.credit_id else "",
            "descriptions": _drop_empty_list(
                [
                    {"role": "caption", "contenttype": "text/plain", "value": photo.caption},
                    {
                        "role": "alternative-text",
                        "contenttype": "text/plain",
                        "value": photo.alt_text,
                    },
                ]
            ),
            "renditions": renditions,
        }
    )


def _drop_empty_list(entries: list[dict]) -> list[dict]:
    return [entry for entry in entries if entry.get("value")]


def _ref(obj, name: str, kind: str) -> dict:
    return {"name": name, "uri": api_uri(obj), "type": kind, "title": obj.title}


def article(obj) -> dict:
    bylines = list(obj.bylines.all())
    item = _common(obj, "text", obj.headline)
    item.update(
        {
            "headlines": _drop_empty_list(
                [
                    {"role": "kicker", "value": obj.kicker},
                    {"role": "main", "value": obj.headline},
                    {"role": "subheadline", "value": obj.subheadline},
                ]
            ),
            "descriptions": _drop_empty_list(
                [{"role": "summary", "contenttype": "text/plain", "value": obj.summary}]
                + [
                    {"role": "correction", "contenttype": "text/plain", "value": c.text}
                    for c in _prefetched(obj, "corrections")
                ]
            ),
            "by": byline_text(bylines),
            "people": _people(bylines),
            "located": obj.dateline,
            "subjects": (
                [{"name": obj.section.name, "rel": "section", "literal": obj.section.slug}]
                if obj.section_id
                else []
            )
            + [{"name": tag.name, "rel": "tag", "literal": tag.slug} for tag in tags_of(obj)],
            "events": [
                {"name": event.title, "rel": "covers", "uri": api_uri(event)}
                for event in _prefetched(obj, "events")
            ],
        }
    )
    if "body" in obj.__dict__:
        item["bodies"] = [
            {
                "role": "main",
                "contenttype": "text/html",
                "charcount": obj.word_count,
                "value": obj.body,
            }
        ]
    associations = []
    if obj.lead_photo_id:
        associations.append(_photo(obj.lead_photo, "leadphoto"))
    associations += [
        _ref(gallery, f"gallery-{i + 1}", "composite")
        for i, gallery in enumerate(_prefetched(obj, "galleries"))
    ]
    item["associations"] = associations
    return _drop_empty(item)


def _prefetched(obj, relation: str) -> list:
    """A relation the detail prefetched; a list item has none of it (no query either)."""
    cache = getattr(obj, "_prefetched_objects_cache", {})
    return list(cache[relation]) if relation in cache else []


def event(obj) -> dict:
    item = _common(obj, "text", obj.title)
    times = when(obj.starts_at) + (f"/{when(obj.ends_at)}" if obj.ends_at else "")
    item.update(
        {
            "headlines": [{"role": "main", "value": obj.title}],
            "descriptions": _drop_empty_list(
                [
                    {"role": "time", "contenttype": "text/plain", "value": times},
                    {"role": "organiser", "contenttype": "text/plain", "value": obj.organiser},
                ]
            ),
            "bodies": _drop_empty_list(
                [{"role": "main", "contenttype": "text/html", "value": obj.description}]
            ),
            "located": obj.venue,
            "events": [{"name": obj.title, "rel": "is", "uri": api_uri(obj)}],
        }
    )
    return _drop_empty(item)


def gallery(obj) -> dict:
    bylines = list(obj.bylines.all())
    item = _common(obj, "composite", obj.title)
    photos = _prefetched(obj, "photos")  # the detail only: a list shows the cover
    cover = obj.cover
    associations = [_photo(cover, "cover")] if cover is not None else []
    associations += [_photo(photo, f"photo-{i + 1}") for i, photo in enumerate(photos)]
    item.update(
        {
            "headlines": [{"role": "main", "value": obj.title}],
            "descriptions": _drop_empty_list(
                [{"role": "summary", "contenttype": "text/plain", "value": obj.description}]
            ),
            "by": byline_text(bylines),
            "people": _people(bylines),
            "subjects": (
                [{"name": obj.section.name, "rel": "section", "literal": obj.section.slug}]
                if obj.section_id
                else []
            ),
            "associations": associations,
        }
    )
    return _drop_empty(item)


KINDS = {"article": article, "event": event, "gallery": gallery}


def item(obj) -> dict:
    return KINDS[obj._meta.model_name](obj)
