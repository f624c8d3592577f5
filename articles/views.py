"""The public site: thin views over the querysets' published().

Anything not public is a 404 that looks like any other missing page; retracted
content is a 410 with a short notice; a changed article slug is a 301. Each view
prefetches what its template shows (tests/articles/test_public_queries.py pins the
query counts).
"""

from __future__ import annotations

import calendar
import datetime
from itertools import groupby

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import (
    DayArchiveView,
    ListView,
    MonthArchiveView,
    TemplateView,
    YearArchiveView,
)
from django.views.i18n import set_language

from articles.content_types import event_context, gallery_context
from articles.digital import views as digital_views
from articles.models import Article, Event, FrontPage, Gallery, OldSlug, Section
from newsroom.caching import add_surrogate_keys


class PaginatedMixin:
    """Page numbers for includes/pagination.html; a page that is not a number or past
    the end is a 404 (Django's ListView), never an error."""

    paginate_by = 20

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context.get("page_obj")
        if page is not None and context.get("is_paginated"):
            context["page_range"] = page.paginator.get_elided_page_range(
                page.number, on_each_side=2, on_ends=1
            )
        return context


# Django's set_language without the CSRF check: the switch sits on every public page, and
# a token in it would make pages personal (a cached page would carry one reader's token
# to everyone). The worst a forged request can do is change a reader's language.
switch_language = csrf_exempt(set_language)


def render_gone(request, obj):
    return render(request, "410.html", {"object": obj}, status=410)


# --- the front page ----------------------------------------------------------
class HomeView(TemplateView):
    """Lead stories (the editor's front page), the latest headlines, the newest stories of
    every section, upcoming events and new galleries (articles.models.FrontPage)."""

    template_name = "articles/home.html"

    def get_context_data(self, **kwargs):
        add_surrogate_keys(self.request, "front", "articles", "events", "galleries")
        return super().get_context_data(front=FrontPage(), **kwargs)


# --- lists of articles -------------------------------------------------------
class ArticleListView(PaginatedMixin, ListView):
    context_object_name = "articles"


class OwnedListMixin:
    """A list page of one owner's stories: a section's, a tag's or a person's."""

    owner_context_name = "owner"

    def get_owner(self):
        """The section, tag or person whose list this is; Http404 if there is none."""
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        self.owner = self.get_owner()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**{self.owner_context_name: self.owner, **kwargs})


class SectionView(OwnedListMixin, ArticleListView):
    template_name = "articles/section.html"
    owner_context_name = "section"

    def get_owner(self):
        section = Section.by_slug(self.kwargs["slug"])
        if section is None:
            raise Http404(_("No such section."))
        add_surrogate_keys(self.request, f"section-{section.pk}")
        return section

    def get_queryset(self):
        return Article.public_in_section(self.owner.pk)


class TagView(OwnedListMixin, ArticleListView):
    template_name = "articles/tag.html"
    owner_context_name = "tag"

    def get_owner(self):
        # A tag used only on unpublished stories does not exist for readers.
        tag = Article.objects.published().tags().filter(slug=self.kwargs["slug"]).first()
        if tag is None:
            raise Http404(_("No such tag."))
        add_surrogate_keys(self.request, "articles")
        return tag

    def get_queryset(self):
        return Article.objects.published().filter(tags=self.owner).cards().latest_first()


def archive_index(request):
    """Every month with published stories, newest first, grouped by year."""
    months = Article.objects.published().dates("publish_at", "month", order="DESC")
    years = [(year, list(group)) for year, group in groupby(months, key=lambda d: d.year)]
    return render(request, "articles/archive_index.html", {"years": years})


class ArchiveMixin(PaginatedMixin):
    """Django's date archives over published articles, by publish_at in the reader's time zone."""

    date_field = "publish_at"
    make_object_list = True
    allow_empty = False
    month_format = "%m"
    day_format = "%d"
    context_object_name = "articles"
    template_name = "articles/archive.html"

    def get_queryset(self):
        return Article.objects.published().cards().latest_first()

    def get_dated_items(self):
        try:
            return super().get_dated_items()
        except ValueError:  # year 0 or 10000: not a date, so not a page
            raise Http404(_("No such date.")) from None


class YearArchive(ArchiveMixin, YearArchiveView):
    archive_level = "year"


class MonthArchive(ArchiveMixin, MonthArchiveView):
    archive_level = "month"


class DayArchive(ArchiveMixin, DayArchiveView):
    archive_level = "day"


# --- an article --------------------------------------------------------------
def article_detail(request, slug):
    article = Article.public_page(slug)
    if article is None:
        return article_not_public(request, slug)
    # "More from the section" follows the section's stories.
    add_surrogate_keys(request, f"article-{article.pk}", f"section-{article.section_id}")
    return render(request, "articles/article_detail.html", {"article": article})


def article_not_public(request, slug):
    """410 for a retracted story, 301 from an old address, 404 for anything else."""
    if retracted := Article.objects.retracted().filter(slug=slug).first():
        return render_gone(request, retracted)
    old = OldSlug.objects.select_related("article").filter(slug=slug).first()
    if old and old.article.is_published():
        return redirect(old.article, permanent=True)
    if old and old.article.status == Article.Status.UNPUBLISHED:
        return render_gone(request, old.article)
    raise Http404(_("No article here."))


# --- events ------------------------------------------------------------------
class EventListView(PaginatedMixin, ListView):
    template_name = "articles/event_list.html"
    context_object_name = "events"
    past = False

    def get_queryset(self):
        events = Event.objects.published()
        return events.past() if self.past else events.upcoming()

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        return super().get_context_data(past=self.past, this_month=today, **kwargs)


def _month_bounds(year: int, month: int) -> tuple[datetime.datetime, datetime.datetime]:
    if not (1 <= month <= 12 and 1 <= year <= 9998):
        raise Http404(_("No such month."))
    tz = timezone.get_current_timezone()
    start = datetime.datetime(year, month, 1, tzinfo=tz)
    end = datetime.datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=tz)
    return start, end


def event_month(request, year: int, month: int):
    """A month's calendar: weeks of days, each day listing the events on it (one query)."""
    start, end = _month_bounds(year, month)
    events = list(Event.objects.published().overlapping(start, end))
    # Each event's first and last local day, worked out once rather than once a day.
    spans = [
        (
            event,
            timezone.localdate(event.starts_at),
            timezone.localdate(event.ends_at or event.starts_at),
        )
        for event in events
    ]
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        days = []
        for day in week:
            on_day = (
                [event for event, first, last in spans if first <= day <= last]
                if day.month == month
                else []
            )
            days.append({"date": day, "in_month": day.month == month, "events": on_day})
        weeks.append(days)
    first = start.date()
    previous_month = (first - datetime.timedelta(days=1)).replace(day=1)
    next_month = end.date()
    return render(
        request,
        "articles/event_month.html",
        {
            "month": first,
            "weeks": weeks,
            "events": events,
            "weekdays": [week_day for week_day in weeks[0]],
            "previous_month": previous_month,
            "next_month": next_month if next_month.year <= 9998 else None,
            "today": timezone.localdate(),
        },
    )


def event_detail(request, slug):
    event = Event.public_page(slug)
    if event is None:
        if retracted := Event.objects.retracted().filter(slug=slug).first():
            return render_gone(request, retracted)
        raise Http404(_("No event here."))
    add_surrogate_keys(request, f"event-{event.pk}")
    # The same context as the preview's (articles/content_types.py).
    return render(request, "articles/event_detail.html", event_context(event))


# --- galleries ---------------------------------------------------------------
class GalleryListView(PaginatedMixin, ListView):
    template_name = "articles/gallery_list.html"
    context_object_name = "galleries"
    paginate_by = 12

    def get_queryset(self):
        return Gallery.objects.published().for_cards().latest_first()


def _public_gallery(request, slug):
    """The published gallery at `slug` with what its pages show, or a 410 response if it was
    retracted; Http404 otherwise."""
    gallery = Gallery.public_page(slug)
    if gallery is None:
        if retracted := Gallery.objects.retracted().filter(slug=slug).first():
            return None, render_gone(request, retracted)
        raise Http404(_("No gallery here."))
    add_surrogate_keys(request, f"gallery-{gallery.pk}")
    return gallery, None


def gallery_detail(request, slug):
    gallery, gone = _public_gallery(request, slug)
    if gone:
        return gone
    # The same context as the preview's (articles/content_types.py).
    return render(request, "articles/gallery_detail.html", gallery_context(gallery))


def gallery_photo(request, slug, number: int):
    """One photo of a gallery at its own address, with links to the previous and next:
    the viewer as it works without JavaScript."""
    gallery, gone = _public_gallery(request, slug)
    if gone:
        return gone
    photos = list(gallery.photos.all())
    if not 1 <= number <= len(photos):
        raise Http404(_("No such photo."))
    return render(
        request,
        "articles/gallery_photo.html",
        {
            "gallery": gallery,
            "photo": photos[number - 1],
            "number": number,
            "total": len(photos),
            "previous_number": number - 1 if number > 1 else None,
            "next_number": number + 1 if number < len(photos) else None,
        },
    )


# --- the print edition -------------------------------------------------------
class PrintEditionListView(PaginatedMixin, ListView):
    """/print/: the 数字报 (the newest published edition's first page) when there is one;
    the list of editions by their stories otherwise, and at /print/archive/."""

    template_name = "articles/print_index.html"
    context_object_name = "editions"
    paginate_by = 30
    archive = False

    def get(self, request, *args, **kwargs):
        if not self.archive:
            edition = digital_views.newest_edition()
            if edition is not None:
                return digital_views.page_view(request, edition)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return Article.objects.published().print_editions()


def _edition_date(year: int, month: int, day: int) -> datetime.date:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise Http404(_("No such date.")) from None


def print_page(request, year: int, month: int, day: int, page: int):
    """One page of a day's 数字报."""
    edition = digital_views.edition_on(_edition_date(year, month, day))
    if edition is None:
        raise Http404(_("No edition on this day."))
    return digital_views.page_view(request, edition, page)


def print_edition(request, year: int, month: int, day: int):
    """A day's paper: its 数字报 (first page) when the edition's PDF was published, otherwise
    page by page (第N版) with the stories of each page."""
    date = _edition_date(year, month, day)
    edition = digital_views.edition_on(date)
    if edition is not None:
        return digital_views.page_view(request, edition)
    published = Article.objects.published()
    articles = list(published.in_print_edition(date).for_listing())
    if not articles:
        raise Http404(_("No edition on this day."))
    pages = [
        (page, list(stories)) for page, stories in groupby(articles, key=lambda a: a.print_page)
    ]
    editions = (
        published.filter(print_page__isnull=False)
        .order_by()
        .values_list("print_edition_date", flat=True)
    )
    previous_date = (
        editions.filter(print_edition_date__lt=date).order_by("-print_edition_date").first()
    )
    next_date = editions.filter(print_edition_date__gt=date).order_by("print_edition_date").first()
    return render(
        request,
        "articles/print_edition.html",
        {"date": date, "pages": pages, "previous_date": previous_date, "next_date": next_date},
    )
