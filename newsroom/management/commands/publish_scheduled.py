from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from newsroom import workflow


class Command(BaseCommand):
    help = (
        "Records scheduled items whose publish_at has passed as published. They are public "
        "from publish_at on anyway; this writes the transition log and the publication times."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List what is due without changing anything."
        )

    def handle(self, *args, dry_run=False, **options):
        from articles.models import Article, Event, Gallery

        now = timezone.now()
        count = 0
        for model in (Article, Event, Gallery):
            for obj in model.objects.due(now).order_by("publish_at"):
                if dry_run:
                    self.stdout.write(
                        _("Due: %(kind)s “%(item)s” (%(at)s)")
                        % {"kind": model._meta.verbose_name, "item": obj, "at": obj.publish_at}
                    )
                else:
                    try:
                        workflow.perform(obj, "go_live", by=None)
                    except workflow.TransitionNotAllowed:
                        continue  # changed by someone else meanwhile
                count += 1
        verb = _("due") if dry_run else _("recorded as published")
        self.stdout.write(_("%(count)d item(s) %(verb)s.") % {"count": count, "verb": verb})
