"""`manage.py import_print FILE`: the stories of a print page become articles in review."""

from __future__ import annotations

import datetime
import json
from argparse import ArgumentTypeError
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from articles.models import Section
from articles.printimport.importer import (
    PlannedStory,
    import_stories,
    may_import_onto,
    may_import_pages,
    plan_stories,
    read_page_file,
)
from articles.printimport.parser import PageError, ParsedPage, parse_page
from newsroom.roles import EDITORS

# The summary shows this much of each story's text.
EXCERPT_CHARS = 40


def edition_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ArgumentTypeError(
            _("a date such as 2020-09-09, not “%(value)s”") % {"value": value}
        ) from None


def page_number(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= 999:
        raise ArgumentTypeError(
            _("a page number from 1 to 999, not “%(value)s”") % {"value": value}
        )
    return int(value)


class Command(BaseCommand):
    help = (
        "Imports the plain text of a newspaper print page: one article per story, in review, "
        "with its bylines. Names not yet known become outside contributors for an editor to "
        "confirm. Stories imported before are skipped."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file", help="The page as a text file: UTF-8 (with or without BOM) or GB18030/GBK."
        )
        parser.add_argument(
            "--edition-date", type=edition_date, help="The print edition's date, YYYY-MM-DD."
        )
        parser.add_argument(
            "--page", type=page_number, help="The page number in the print edition."
        )
        parser.add_argument("--section", metavar="SLUG", help="The section the stories belong to.")
        parser.add_argument(
            "--user",
            metavar="USERNAME",
            help="The editor the import is made by (the status log records them). "
            "Default: the first active superuser, else the first editor.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what the page holds; change nothing."
        )
        parser.add_argument(
            "--json",
            action="store_true",
            help="With --dry-run: print the stories as JSON (what fitted no story goes to stderr).",
        )

    def handle(self, *args, **options) -> None:
        if options["json"] and not options["dry_run"]:
            raise CommandError(_("--json goes with --dry-run."))
        # call_command(edition_date="…") passes options without parsing them.
        for name, parse in [("edition_date", edition_date), ("page", page_number)]:
            if isinstance(options[name], str):
                try:
                    options[name] = parse(options[name])
                except ArgumentTypeError as exc:
                    raise CommandError(f"--{name.replace('_', '-')}: {exc}") from None
        result = parse_page(self.read(Path(options["file"])))
        section = self.section(options["section"])
        user = None if options["dry_run"] else self.acting_user(options["user"])
        if user is not None and not may_import_onto(user, section):
            raise CommandError(
                _("%(username)s may not import into this section: it belongs to another desk.")
                % {"username": user.get_username()}
            )

        if options["json"]:
            stories = [story.as_dict() for story in result.stories]
            self.stdout.write(json.dumps(stories, ensure_ascii=False, indent=2))
            self.write_unplaced(result, self.stderr)
            return
        try:
            plan = plan_stories(
                result.stories, edition_date=options["edition_date"], page=options["page"]
            )
            if options["dry_run"]:
                self.write_summary(plan)
                self.write_unplaced(result, self.stdout)
                return
            if not result.stories:
                self.write_unplaced(result, self.stdout)
                raise CommandError(_("No story was found on the page; nothing was imported."))
            report = import_stories(
                result.stories,
                by=user,
                edition_date=options["edition_date"],
                page=options["page"],
                section=section,
            )
        except PageError as exc:
            raise CommandError(str(exc)) from None
        self.write_report(report)
        self.write_unplaced(result, self.stdout)

    # --- arguments -----------------------------------------------------------

    def read(self, path: Path) -> str:
        try:
            return read_page_file(path)
        except OSError as exc:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": path, "error": exc.strerror}
            ) from None
        except PageError as exc:
            raise CommandError(f"{path}: {exc}") from None

    def section(self, slug: str | None) -> Section | None:
        if slug is None:
            return None
        try:
            return Section.objects.get(slug=slug)
        except Section.DoesNotExist:
            known = ", ".join(Section.objects.values_list("slug", flat=True)) or "—"
            raise CommandError(
                _("There is no section “%(slug)s”. Sections: %(known)s.")
                % {"slug": slug, "known": known}
            ) from None

    def acting_user(self, username: str | None):
        User = get_user_model()
        if username is None:
            user = (
                User.objects.filter(is_active=True)
                .filter(Q(is_superuser=True) | Q(groups__name=EDITORS))
                .order_by("-is_superuser", "pk")
                .first()
            )
            if user is None:
                raise CommandError(
                    _("There is no editor to make the import; name one with --user.")
                )
        else:
            user = User.objects.filter(**{User.USERNAME_FIELD: username}).first()
            if user is None:
                raise CommandError(_("There is no user “%(username)s”.") % {"username": username})
        if not may_import_pages(user):
            raise CommandError(
                _("%(username)s may not import print pages: imports are made by active editors.")
                % {"username": user.get_username()}
            )
        return user

    # --- output ---------------------------------------------------------------

    def write_summary(self, plan: list[PlannedStory]) -> None:
        self.stdout.write(
            ngettext(
                "%(count)d story on the page (dry run: nothing was changed).",
                "%(count)d stories on the page (dry run: nothing was changed).",
                len(plan),
            )
            % {"count": len(plan)}
        )
        for number, planned in enumerate(plan, 1):
            story = planned.story
            self.stdout.write("")
            heading = " / ".join(filter(None, [story.kicker, planned.headline, story.subheadline]))
            self.stdout.write(f"{number}. {heading}")
            if planned.is_already_imported:
                self.stdout.write("   " + _("Already imported: it will be skipped."))
            if planned.is_provisional_headline:
                self.stdout.write(
                    "   " + _("No headline on the page: the first words stand in for one.")
                )
            if story.dateline:
                self.stdout.write(
                    "   " + _("Dateline: %(dateline)s") % {"dateline": story.dateline}
                )
            names = [
                f"{byline.role_label} {byline.name}"
                + ("" if byline.person else " (" + _("new") + ")")
                for byline in planned.bylines
            ]
            if story.text_and_photo:
                names.append(_("text and photos (文/图)"))
            self.stdout.write("   " + _("Bylines: %(names)s") % {"names": "、".join(names) or "—"})
            text = "".join(story.paragraphs)
            excerpt = text[:EXCERPT_CHARS] + ("…" if len(text) > EXCERPT_CHARS else "")
            self.stdout.write(
                "   "
                + ngettext(
                    "%(count)d paragraph, %(chars)d characters: %(excerpt)s",
                    "%(count)d paragraphs, %(chars)d characters: %(excerpt)s",
                    len(story.paragraphs),
                )
                % {"count": len(story.paragraphs), "chars": len(text), "excerpt": excerpt}
            )

    def write_report(self, report) -> None:
        if not report.created:
            self.stdout.write(_("Nothing new was created."))
        else:
            self.stdout.write(
                ngettext(
                    "Created %(count)d article in the review queue:",
                    "Created %(count)d articles in the review queue:",
                    len(report.created),
                )
                % {"count": len(report.created)}
            )
        for article in report.created:
            self.stdout.write(f"  #{article.pk} {article.headline}")
        if report.skipped:
            self.stdout.write(_("Skipped, already imported:"))
            for headline in report.skipped:
                self.stdout.write(f"  {headline}")
        if report.new_people:
            self.stdout.write(_("New people for an editor to confirm:"))
            for person in report.new_people:
                self.stdout.write(f"  {person.display_name}")

    def write_unplaced(self, result: ParsedPage, stream) -> None:
        if result.unplaced:
            stream.write(_("Text that fits no story (not imported):"))
            for line in result.unplaced:
                stream.write(f"  {line}")
