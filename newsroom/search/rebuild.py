"""Rebuilding the search documents (newsroom/search/documents.py) from the content.

    python manage.py rebuild_search_index                  # everything, online, batch by batch
    python manage.py rebuild_search_index --model articles.article
    python manage.py rebuild_search_index --fresh          # empty the table, refill, re-index

Saves and workflow transitions keep documents current; this is for after `bulk_create()`,
`update()`, a restore from backup, or a change to the tokeniser. The default rewrites each
document in place, committing batch by batch, so search keeps working meanwhile. `--fresh`
is the fast way for a first fill or a large change: it drops the GIN index, empties the
table, refills it and builds the index again (searches find only what is refilled until it is
done). `--jobs 4` tokenises in four processes: the tokeniser's CPU time is most of the work,
about 4 ms a 1,200-character article.
"""

from __future__ import annotations

import multiprocessing
import time
from dataclasses import dataclass, field

from django.apps import apps
from django.db import connections, transaction
from django.db.models import Count, Max, Min
from tqdm import tqdm

from newsroom.search.documents import SPECS, SearchDocument, save_documents

GIN_INDEX = "searchdoc_document_gin"  # made by newsroom/migrations/0003_search_document.py


@dataclass
class RebuildReport:
    documents: dict[str, int] = field(default_factory=dict)
    removed: int = 0
    documents_s: float = 0.0
    index_s: float | None = None  # --fresh on PostgreSQL: the GIN build


def rebuild(
    labels=None,
    batch_size: int = 500,
    fresh: bool = False,
    jobs: int = 1,
    using: str = "default",
    progress: bool = True,
) -> RebuildReport:
    """Rewrite the documents of every item of the models `labels` (default: all of SPECS),
    in `jobs` processes (the tokeniser's CPU time is most of the work)."""
    labels = list(labels or SPECS)
    report = RebuildReport()
    postgresql = connections[using].vendor == "postgresql"
    table = SearchDocument._meta.db_table
    if fresh:
        with transaction.atomic(using=using):
            if postgresql:
                with connections[using].cursor() as cursor:
                    cursor.execute(f"DROP INDEX IF EXISTS {GIN_INDEX}")
                    if set(labels) == set(SPECS):
                        # TRUNCATE gives the space back at once; DELETE would double the table.
                        cursor.execute(f"TRUNCATE {table}")
            SearchDocument.objects.using(using).filter(model_label__in=labels).delete()

    chunks, total = [], 0
    for label in labels:
        rows = apps.get_model(label)._base_manager.using(using)
        bounds = rows.aggregate(low=Min("pk"), high=Max("pk"), count=Count("pk"))
        total += bounds["count"]
        report.documents[label] = 0
        if bounds["count"]:
            step = batch_size * 4
            for low in range(bounds["low"], bounds["high"] + 1, step):
                chunks.append((label, low, min(low + step - 1, bounds["high"]), batch_size, using))
    start = time.perf_counter()
    with tqdm(total=total, unit=" items", disable=not progress) as bar:
        if jobs > 1:
            # Each process opens its own connection: none may be inherited across fork.
            connections.close_all()
            with multiprocessing.get_context("fork").Pool(jobs) as pool:
                for label, done in pool.imap_unordered(_rebuild_range, chunks):
                    report.documents[label] += done
                    bar.update(done)
        else:
            for chunk in chunks:
                label, done = _rebuild_range(chunk)
                report.documents[label] += done
                bar.update(done)
    report.documents_s = time.perf_counter() - start

    if fresh and postgresql:
        start = time.perf_counter()
        with connections[using].cursor() as cursor:
            cursor.execute(f"CREATE INDEX {GIN_INDEX} ON {table} USING gin (document)")
            cursor.execute(f"ANALYZE {table}")
        report.index_s = time.perf_counter() - start
    if not fresh:
        # Documents of rows that are gone (deleted with update() or raw SQL).
        for label in labels:
            model = apps.get_model(label)
            report.removed += (
                SearchDocument.objects.using(using)
                .filter(model_label=label)
                .exclude(object_id__in=model._base_manager.using(using).values("pk"))
                .delete()[0]
            )
    return report


def _rebuild_range(chunk) -> tuple[str, int]:
    """The documents of one model's rows with low <= pk <= high, batch by batch."""
    label, low, high, batch_size, using = chunk
    rows = apps.get_model(label)._base_manager.using(using).filter(pk__lte=high).order_by("pk")
    if SPECS[label].prefetch:
        rows = rows.prefetch_related(*SPECS[label].prefetch)
    done, last_pk = 0, low - 1
    while batch := list(rows.filter(pk__gt=last_pk)[:batch_size]):
        with transaction.atomic(using=using):
            save_documents(batch, using=using)
        done += len(batch)
        last_pk = batch[-1].pk
    return label, done
