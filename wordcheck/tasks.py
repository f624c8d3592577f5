"""The word check's work that is too slow for a request (newsroom/tasks.py)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from newsroom.tasks import retrying_task
from wordcheck import audit
from wordcheck.models import AuditReport, Entry


@retrying_task
def make_audit_report(report_id: int) -> int:
    """Run the archive audit of `report_id` and keep its CSV on the row; returns the hits.

    Run again (a retry, a killed worker), it does nothing for a report already made."""
    report = AuditReport.objects.filter(pk=report_id, status=AuditReport.Status.QUEUED).first()
    if report is None:
        return 0
    compiled = audit.compiled_for(Entry.objects.filter(pk__in=report.entry_ids))
    since = None
    if report.since:
        since = timezone.make_aware(datetime.datetime.combine(report.since, datetime.time()))
    rows = list(audit.rows(compiled, audit.published_items(since=since)))
    report.csv = "".join(audit.csv_lines(rows))
    report.hits = len(rows)
    report.status = AuditReport.Status.DONE
    report.finished_at = timezone.now()
    report.save(update_fields=["csv", "hits", "status", "finished_at"])
    return report.hits
