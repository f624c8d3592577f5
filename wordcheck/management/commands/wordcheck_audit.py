"""Run today's lists over every published item (or those of a date range) and list the hits."""

from __future__ import annotations

import datetime
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date

from wordcheck import audit
from wordcheck.models import Entry


def day_start(value: str) -> datetime.datetime:
    day = parse_date(value or "")
    if day is None:
        raise CommandError(f"“{value}” is not a date (YYYY-MM-DD).")
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


class Command(BaseCommand):
    help = (
        "Checks every published article, event and gallery against the current word lists "
        "and writes the hits as CSV (to standard output, or --output)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--since", help="published on or after this day (YYYY-MM-DD)")
        parser.add_argument("--until", help="published before this day (YYYY-MM-DD)")
        parser.add_argument(
            "--entry", type=int, action="append", help="only this entry (by id); repeatable"
        )
        parser.add_argument("--output", "-o", help="write the CSV to this file")

    def handle(self, *args, since=None, until=None, entry=None, output=None, **options):
        since_at = day_start(since) if since else None
        until_at = day_start(until) if until else None
        entries = None
        if entry:
            entries = Entry.objects.filter(pk__in=entry)
            missing = set(entry) - set(entries.values_list("pk", flat=True))
            if missing:
                raise CommandError(f"No entry with id {', '.join(map(str, sorted(missing)))}.")
        compiled = audit.compiled_for(entries)
        out = open(output, "w", encoding="utf-8", newline="") if output else sys.stdout  # noqa: SIM115
        count = 0
        try:
            rows = audit.rows(compiled, audit.published_items(since_at, until_at))
            for line in audit.csv_lines(rows):
                out.write(line)
                count += 1
        finally:
            if output:
                out.close()
        self.stderr.write(f"{count - 1} hits.")
