"""The archive audit: today's lists (or some of their entries) over every published item,
so that a new entry can be checked against what the paper has already printed."""

from __future__ import annotations

import csv
import datetime
from collections.abc import Iterable, Iterator

from django.apps import apps
from django.db.models import Prefetch

from wordcheck import checks
from wordcheck.lists import Compiled, current, entry_specs
from wordcheck.matcher import Matcher
from wordcheck.models import Category, Entry

COLUMNS = [
    "type",
    "id",
    "title",
    "url",
    "published_at",
    "field",
    "start",
    "end",
    "category",
    "term",
    "matched",
    "context",
    "suggestion",
    "list",
]
CHUNK = 500


def compiled_for(entries=None) -> Compiled:
    """The current lists, or only `entries` (with every exception, which still applies)."""
    compiled = current()
    if entries is None:
        return compiled
    ids = list(entries.values_list("pk", flat=True))
    specs = entry_specs(
        Entry.objects.filter(pk__in=ids) | Entry.objects.filter(category=Category.EXCEPTION)
    )
    return Compiled(compiled.token, compiled.number, Matcher(specs), compiled.policy)


def published_count(since: datetime.datetime | None = None) -> int:
    """How many items published_items() goes through (one COUNT per content type)."""
    total = 0
    for label in checks.SPECS:
        queryset = apps.get_model(label).objects.published()
        if since is not None:
            queryset = queryset.filter(publish_at__gte=since)
        total += queryset.count()
    return total


def published_items(
    since: datetime.datetime | None = None, until: datetime.datetime | None = None
) -> Iterator:
    for label in checks.SPECS:
        model = apps.get_model(label)
        queryset = model.objects.published()
        if since is not None:
            queryset = queryset.filter(publish_at__gte=since)
        if until is not None:
            queryset = queryset.filter(publish_at__lt=until)
        names = {f.name for f in model._meta.get_fields()}
        if "lead_photo" in names:
            queryset = queryset.select_related("lead_photo")
        if "photos" in names:
            queryset = queryset.prefetch_related(Prefetch("photos"))
        yield from queryset.order_by("pk").iterator(chunk_size=CHUNK)


def rows(compiled: Compiled, items: Iterable) -> Iterator[dict]:
    for item in items:
        for hit in checks.check_item(item, compiled):
            yield {
                "type": item._meta.label_lower,
                "id": item.pk,
                "title": str(item),
                "url": item.get_absolute_url(),
                "published_at": (item.published_at or "") and item.published_at.isoformat(),
                "field": hit.field,
                "start": hit.start,
                "end": hit.end,
                "category": hit.category,
                "term": hit.term,
                "matched": hit.matched,
                "context": f"{hit.before}[{hit.matched}]{hit.after}".replace("\n", " "),
                "suggestion": hit.suggestion,
                "list": hit.list_name,
            }


class _Echo:
    def write(self, value):
        return value


def csv_lines(audit_rows: Iterable[dict]) -> Iterator[str]:
    """The rows as CSV, line by line (for a streaming response)."""
    writer = csv.DictWriter(_Echo(), fieldnames=COLUMNS, lineterminator="\n")
    yield "\ufeff" + writer.writeheader()
    for row in audit_rows:
        yield writer.writerow(row)
