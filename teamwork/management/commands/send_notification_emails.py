from django.core.management.base import BaseCommand

from teamwork.tasks import queue_digests, queue_stragglers


class Command(BaseCommand):
    help = (
        "Queues the emails still waiting: immediate ones whose task was lost (every 10 minutes "
        "from cron), and with --digest the daily digests (once a day)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--digest", action="store_true", help="Also send the daily digests.")

    def handle(self, *args, digest=False, **options):
        stragglers = queue_stragglers()
        digests = queue_digests() if digest else 0
        self.stdout.write(f"Queued {stragglers} pending email task(s) and {digests} digest(s).")
