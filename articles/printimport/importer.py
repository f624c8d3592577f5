"""Turning the stories of a parsed print page into articles in the editors' review queue.

Shared by `manage.py import_print`, the admin's "Import print page" and the demo loader:
`plan_stories()` says what an import would do (for the preview and --dry-run),
`import_stories()` does it.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path

import reversion
from django.db import connection, transaction
from django.db.models import Q
from django.utils.html import escape
from django.utils.translation import gettext as _

from articles.models import Article, ArticleByline, Section
from articles.printimport.parser import Credit, PageError, Story, decode_page
from newsroom import workflow
from newsroom.review import rules
from newsroom.text import clean_text
from people.models import Person, Role

# Bigger than any real page (the Zhongyuan sample is 12 KB), small enough to parse at once.
MAX_PAGE_BYTES = 2 * 1024 * 1024
# A broadsheet page holds a few dozen stories: beyond this a file is not one page, and
# importing it (an article, a revision, a transition and a search entry each) would outlast
# a request. Refused at the preview, before anything is written.
MAX_STORIES_PER_IMPORT = 200
# A story printed without any heading gets its first clause (or words) as a provisional headline.
PROVISIONAL_HEADLINE_CHARS = 30
FIRST_CLAUSE = re.compile(rf"[^。！？，；]{{4,{PROVISIONAL_HEADLINE_CHARS}}}(?=[。！？，；])")
# pg_advisory_xact_lock key: one import at a time, so a double-clicked confirm or two
# editors importing the same page cannot both find the stories missing and create them.
IMPORT_LOCK_KEY = 7_240_001


# The desk roles that may import a page onto their desk (chief editors: onto any desk).
IMPORTING_ROLES = ("editor", "chief")


def may_import_pages(user) -> bool:
    """Imports are for editors (of some desk, or chief editors): the stories go straight to
    their desk's review queue. Which desk: `may_import_onto`."""
    if not (user.is_authenticated and user.is_active):
        return False
    is_importer = rules.is_chief_editor(user) or any(
        set(roles) & set(IMPORTING_ROLES) for roles in rules.desk_roles(user).values()
    )
    return is_importer and user.has_perms(
        ["articles.add_article", "articles.add_articlebyline", "people.add_person"]
    )


def desk_of_import(section: Section | None) -> int | None:
    """The desk the stories of an import into `section` belong to (the articles' own rule)."""
    desk = Article(section=section).desk_from_content()
    return getattr(desk, "pk", desk)


def may_import_onto(user, section: Section | None) -> bool:
    """May `user` import a page into `section` (None: no section, the default desk)? A chief
    editor anywhere; a desk's editors and chief onto their own desk only."""
    if not may_import_pages(user):
        return False
    return rules.is_chief_editor(user) or rules.has_desk_role(
        user, desk_of_import(section), *IMPORTING_ROLES
    )


def importable_sections(user):
    """The sections `user` may import into (the choices of the import form)."""
    if rules.is_chief_editor(user):
        return Section.objects.all()
    return Section.objects.filter(
        pk__in=[s.pk for s in Section.objects.select_related(None) if may_import_onto(user, s)]
    )


def _check_size(size: int) -> None:
    if size > MAX_PAGE_BYTES:
        raise PageError(
            _("The file is too big (%(size)s MB); a print page is at most %(max)s MB.")
            % {"size": f"{size / 1024 / 1024:.1f}", "max": MAX_PAGE_BYTES // 1024 // 1024}
        )


def read_page(data: bytes) -> str:
    """The text of an uploaded print page; PageError (with a message for the user)
    when it is too big, empty, binary or in an unknown encoding."""
    _check_size(len(data))
    # Cleaned at the input: form feeds, escapes and soft line breaks out of the layout program.
    return clean_text(decode_page(data))


def read_page_file(path: Path) -> str:
    """The text of a print page on disk, its size checked before it is read (so a wrong
    path to a huge file costs nothing); OSError when it cannot be read."""
    _check_size(path.stat().st_size)
    return read_page(path.read_bytes())


@dataclass
class PlannedByline:
    role: str
    name: str
    person: Person | None  # None: a new outside contributor will be created

    @property
    def role_label(self) -> str:
        return Role(self.role).label if self.role in Role.values else self.role


@dataclass
class PlannedStory:
    story: Story
    headline: str
    is_provisional_headline: bool
    is_already_imported: bool
    bylines: list[PlannedByline]


@dataclass
class ImportReport:
    created: list[Article] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # headlines already imported
    new_people: list[Person] = field(default_factory=list)


def story_body_html(story: Story) -> str:
    """The body as the editor widget writes it: paragraphs, subheads as <h3>, and the
    organisations credited (新华社供图) in a last paragraph."""
    subheads = set(story.subheads)
    html = "".join(
        f"<h3>{escape(p)}</h3>" if number in subheads else f"<p>{escape(p)}</p>"
        for number, p in enumerate(story.paragraphs)
    )
    if story.credits:
        html += "<p>{}</p>".format(escape(" ".join(_credit_text(c) for c in story.credits)))
    return html


def _credit_text(credit: Credit) -> str:
    return f"——{credit.name}" if credit.role == "editor" else f"{credit.name}供图"


def story_headline(story: Story) -> tuple[str, bool]:
    """The printed headline, or (for a story printed without headings) its first words,
    and whether it is such a provisional one."""
    if story.headline:
        return story.headline, False
    text = "".join(story.paragraphs) or story.dateline
    clause = FIRST_CLAUSE.match(text)
    if clause:
        text = clause.group(0) + "…"
    elif len(text) > PROVISIONAL_HEADLINE_CHARS:
        text = text[:PROVISIONAL_HEADLINE_CHARS] + "…"
    return text or _("Untitled story"), True


def _check_lengths(story: Story, headline: str) -> None:
    # The parser keeps headings short; this guards the columns rather than letting
    # PostgreSQL refuse the insert halfway through a page.
    fields = Article._meta
    for name, value in [
        ("kicker", story.kicker),
        ("headline", headline),
        ("subheadline", story.subheadline),
        ("dateline", story.dateline),
    ]:
        if len(value) > fields.get_field(name).max_length:
            raise PageError(
                _("“%(text)s…” is too long for a %(field)s; please check the page.")
                % {"text": value[:20], "field": fields.get_field(name).verbose_name}
            )
    name_length = Person._meta.get_field("display_name").max_length
    for byline in story.bylines:
        if len(byline.name) > name_length:
            raise PageError(
                _("“%(text)s…” is too long for a name in a byline; please check the page.")
                % {"text": byline.name[:20]}
            )


def _already_imported(
    headlines: list[str], edition_date: datetime.date | None, page: int | None
) -> set[str]:
    """Headlines of articles that already hold these stories: same headline, same print
    edition date and page, where an unknown date or page matches any."""
    found = Article.objects.filter(headline__in=headlines)
    if edition_date is not None:
        found = found.filter(Q(print_edition_date=edition_date) | Q(print_edition_date=None))
    if page is not None:
        found = found.filter(Q(print_page=page) | Q(print_page=None))
    return set(found.values_list("headline", flat=True))


def _people_by_name(names: set[str]) -> dict[str, Person]:
    # Several people may share a printed name: prefer a confirmed one, then the oldest.
    people: dict[str, Person] = {}
    for person in Person.objects.filter(display_name__in=names).order_by("-is_confirmed", "pk"):
        people.setdefault(person.display_name, person)
    return people


def plan_stories(
    stories: list[Story],
    *,
    edition_date: datetime.date | None = None,
    page: int | None = None,
) -> list[PlannedStory]:
    """What importing `stories` would do, reading but never writing (two queries).

    PageError when there are more stories than one request may import."""
    if len(stories) > MAX_STORIES_PER_IMPORT:
        raise PageError(
            _(
                "The page holds %(count)d stories; at most %(max)d can be imported at once. "
                "Please split the file into pages and import them one by one."
            )
            % {"count": len(stories), "max": MAX_STORIES_PER_IMPORT}
        )
    headlines = [story_headline(story) for story in stories]
    for story, (headline, _provisional) in zip(stories, headlines, strict=True):
        _check_lengths(story, headline)
    existing = _already_imported([h for h, _p in headlines], edition_date, page)
    people = _people_by_name({b.name for story in stories for b in story.bylines})
    return [
        PlannedStory(
            story=story,
            headline=headline,
            is_provisional_headline=provisional,
            is_already_imported=headline in existing,
            bylines=[PlannedByline(b.role, b.name, people.get(b.name)) for b in story.bylines],
        )
        for story, (headline, provisional) in zip(stories, headlines, strict=True)
    ]


def _serialise_imports() -> None:
    # SQLite needs nothing: its IMMEDIATE transactions already run one writer at a time.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK_KEY])


def import_stories(
    stories: list[Story],
    *,
    by,
    edition_date: datetime.date | None = None,
    page: int | None = None,
    section: Section | None = None,
    submit: bool = True,
) -> ImportReport:
    """Create one article per parsed story, with ordered bylines, and submit each for review
    as `by` (the transition log records them).

    Bylines name existing people where the name matches; other names become new outside
    contributors with is_confirmed=False, for an editor to check. A story already imported
    (see `_already_imported`) is skipped, so importing a page twice creates nothing new.
    All or nothing: one transaction; PageError before anything is written when a
    story does not fit the columns.
    """
    report = ImportReport()
    with transaction.atomic():
        _serialise_imports()
        plan = plan_stories(stories, edition_date=edition_date, page=page)
        for planned in plan:
            if planned.is_already_imported:
                report.skipped.append(planned.headline)
                continue
            report.created.append(
                _create_article(planned, by, edition_date, page, section, submit, report)
            )
    return report


def _create_article(
    planned: PlannedStory, by, edition_date, page, section, submit, report
) -> Article:
    # A first revision, so that the history can compare an editor's changes with the page.
    with reversion.create_revision():
        article = _create_article_and_bylines(planned, by, edition_date, page, section, report)
        if reversion.is_registered(Article):
            reversion.add_to_revision(article)  # again, now that its bylines exist
        reversion.set_user(by)
        reversion.set_comment(_("Imported from a print page."))
    if submit:
        note = _("Imported from a print page.")
        if planned.is_provisional_headline:
            note += " " + _(
                "The page printed no headline: the first words of the story stand in for one."
            )
        workflow.perform(article, "submit", by=by, note=note)
    return article


def _create_article_and_bylines(
    planned: PlannedStory, by, edition_date, page, section, report
) -> Article:
    story = planned.story
    article = Article.objects.create(
        kicker=story.kicker,
        headline=planned.headline,
        subheadline=story.subheadline,
        dateline=story.dateline,
        body=story_body_html(story),
        section=section,
        print_edition_date=edition_date,
        print_page=page,
        created_by=by,
    )
    credited: set[tuple[int, str]] = set()
    bylines = []
    for planned_byline in planned.bylines:
        person = planned_byline.person or _new_contributor(planned_byline.name, report)
        # The same name twice in one role is one credit (the unique constraint agrees).
        if (person.pk, planned_byline.role) in credited:
            continue
        credited.add((person.pk, planned_byline.role))
        bylines.append(
            ArticleByline(
                article=article,
                person=person,
                role=planned_byline.role,
                order=len(bylines),
                is_text_and_photo=story.text_and_photo,
            )
        )
    ArticleByline.objects.bulk_create(bylines)
    return article


def _new_contributor(name: str, report: ImportReport) -> Person:
    # Later bylines of the same import find this person through the report.
    for person in report.new_people:
        if person.display_name == name:
            return person
    person = Person.objects.create(
        display_name=name, kind=Person.Kind.CONTRIBUTOR, is_confirmed=False
    )
    report.new_people.append(person)
    return person
