"""Turning parsed print-page stories into draft articles in the editors' review queue."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.html import escape

from articles.models import Article, ArticleByline, Section
from people.models import Person


@dataclass
class ImportReport:
    created: list[Article] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # headlines already imported
    new_people: list[Person] = field(default_factory=list)


def story_body_html(paragraphs: list[str]) -> str:
    return "".join(f"<p>{escape(p)}</p>" for p in paragraphs)


def find_or_create_person(name: str, report: ImportReport) -> Person:
    """The existing person of that name, or a new outside contributor for an editor to confirm."""
    person = Person.objects.filter(display_name=name).order_by("-is_confirmed", "pk").first()
    if person is None:
        person = Person.objects.create(display_name=name, kind=Person.Kind.CONTRIBUTOR, is_confirmed=False)
        report.new_people.append(person)
    return person


def already_imported(story, edition_date: datetime.date | None) -> bool:
    return Article.objects.filter(headline=story.headline, print_edition_date=edition_date).exists()


@transaction.atomic
def import_stories(
    stories,
    *,
    by,
    edition_date: datetime.date | None = None,
    page: int | None = None,
    section: Section | None = None,
    submit: bool = True,
) -> ImportReport:
    """Create one article per parsed story, with ordered bylines; submit each for review.

    A story whose headline was already imported for the same edition date is skipped,
    so importing a page twice creates nothing new. All or nothing: one transaction.
    """
    report = ImportReport()
    for story in stories:
        if already_imported(story, edition_date):
            report.skipped.append(story.headline)
            continue
        article = Article.objects.create(
            kicker=story.kicker,
            headline=story.headline,
            subheadline=story.subheadline,
            dateline=story.dateline,
            body=story_body_html(story.paragraphs),
            section=section,
            print_edition_date=edition_date,
            print_page=page,
            created_by=by,
        )
        seen = set()
        for order, byline in enumerate(story.bylines):
            person = find_or_create_person(byline.name, report)
            if (person.pk, byline.role) in seen:
                continue
            seen.add((person.pk, byline.role))
            ArticleByline.objects.create(
                article=article, person=person, role=byline.role, order=order, is_text_and_photo=story.text_and_photo
            )
        if submit:
            article.submit_for_review(by=by)
        report.created.append(article)
    return report
