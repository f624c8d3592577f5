"""`manage.py rebuild_search_index`: the command line of newsroom/search/rebuild.py (see there)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from newsroom.search.documents import SPECS
from newsroom.search.rebuild import rebuild


class Command(BaseCommand):
    help = "Rebuilds the search documents of every searchable model (articles, people...)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--model",
            action="append",
            dest="models",
            metavar="LABEL",
            help=f"Only this model (repeatable): {', '.join(SPECS)}.",
        )
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument(
            "--fresh",
            action="store_true",
            help="Drop the GIN index and empty the table, refill it, then build the index: "
            "faster, but searches find only what is refilled until it is done.",
        )
        parser.add_argument(
            "--jobs", type=int, default=1, help="Processes to tokenise in (default 1)."
        )
        parser.add_argument("--database", default="default")

    def handle(
        self, *args, models=None, batch_size=500, fresh=False, jobs=1, database="default", **options
    ):
        unknown = set(models or ()) - set(SPECS)
        if unknown:
            raise CommandError(
                f"Not searchable: {', '.join(sorted(unknown))}. Choose from {', '.join(SPECS)}."
            )
        if batch_size < 1 or jobs < 1:
            raise CommandError("--batch-size and --jobs must be at least 1.")
        report = rebuild(
            models, batch_size, fresh, jobs, using=database, progress=options["verbosity"] > 0
        )
        total = sum(report.documents.values())
        message = f"Rebuilt {total} search documents in {report.documents_s:.1f} s"
        if report.index_s is not None:
            message += f", GIN index in {report.index_s:.1f} s"
        if report.removed:
            message += f"; removed {report.removed} of deleted items"
        self.stdout.write(self.style.SUCCESS(message + "."))
