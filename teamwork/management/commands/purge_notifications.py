from django.conf import settings
from django.core.management.base import BaseCommand

from teamwork.tasks import purge


class Command(BaseCommand):
    help = "Deletes notifications older than NOTIFICATIONS_KEEP_DAYS (daily, from cron)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=settings.NOTIFICATIONS_KEEP_DAYS)

    def handle(self, *args, days, **options):
        self.stdout.write(f"Deleted {purge(days)} notification(s) older than {days} days.")
