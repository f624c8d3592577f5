"""The public search page: /search/?q=…&type=…&section=…&person=…&from=…&to=…&page=…

A thin view over newsroom.search.engine: the filters narrow each model's published()
queryset, the engine matches, ranks and pages, the template shows highlighted hits. A filter
value that makes no sense (?section=abc, ?from=2020-13-45) is ignored with a notice, never an
error; so is a page number that is not one.
"""

from __future__ import annotations

from django import forms
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.models import Article, Event, Gallery, Section
from newsroom.search.engine import Query, Search, clean_query_text
from people.models import Person

PER_PAGE = 20
TYPES = {
    "article": ("articles.article", gettext_lazy("Articles")),
    "event": ("articles.event", gettext_lazy("Events")),
    "gallery": ("articles.gallery", gettext_lazy("Galleries")),
}
# What the results template shows of each type, fetched for one page at a time.
PREPARE = {
    "articles.article": lambda qs: qs.for_listing(),
    # The photos' captions are part of a gallery's text, so of its snippet.
    "articles.gallery": lambda qs: qs.for_listing().prefetch_related("photos"),
}


class SearchForm(forms.Form):
    """The filters; choices are passed in (fetched by the view, so the template runs no query)."""

    q = forms.CharField(label=gettext_lazy("Search for"), required=False, strip=True)
    type = forms.ChoiceField(label=gettext_lazy("Type"), required=False)
    section = forms.ChoiceField(label=gettext_lazy("Section"), required=False)
    person = forms.ChoiceField(label=gettext_lazy("Person"), required=False)

    def __init__(self, data, sections, people):
        super().__init__(data)
        self.notes: list[str] = []
        self.fields["type"].choices = [("", _("Everything"))] + [
            (key, label) for key, (_label, label) in TYPES.items()
        ]
        self.fields["section"].choices = [("", _("All sections"))] + [
            (section.slug, section.name) for section in sections
        ]
        self.fields["person"].choices = [("", _("Anyone"))] + [
            (person.slug, person.display_name) for person in people
        ]
        # "from" is a Python keyword, hence not a class attribute.
        date_widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        self.fields["from"] = forms.DateField(
            label=_("Published from"), required=False, widget=date_widget
        )
        self.fields["to"] = forms.DateField(
            label=_("Published until"), required=False, widget=date_widget
        )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("from"), cleaned.get("to")
        if start and end and start > end:
            cleaned["from"], cleaned["to"] = end, start
            self.notes.append(_("The dates were the wrong way round: they have been swapped."))
        return cleaned

    def notices(self) -> list[str]:
        """A notice for each filter whose value was not understood (and is not applied)."""
        return self.notes + [
            _("The “%(filter)s” filter was ignored: %(reason)s")
            % {"filter": self.fields[name].label, "reason": " ".join(errors)}
            for name, errors in self.errors.items()
            if name in self.fields and name != "q"
        ]


def page_number(raw: str | None) -> int:
    try:
        return max(1, int(raw or 1))
    except (TypeError, ValueError):
        return 1


def visible_querysets(filters: dict, sections: dict, people: dict) -> list:
    """The published items each filter allows, one queryset per type."""
    now = timezone.now()
    querysets = {
        "article": Article.objects.published(now),
        "event": Event.objects.published(now),
        "gallery": Gallery.objects.published(now),
    }
    if filters.get("type"):
        querysets = {filters["type"]: querysets[filters["type"]]}
    section = sections.get(filters.get("section"))
    if section is not None:
        querysets.pop("event", None)  # events belong to no section
        for key in querysets:
            querysets[key] = querysets[key].filter(section=section)
    person = people.get(filters.get("person"))
    if person is not None:
        querysets.pop("event", None)  # events have no bylines
        for key in querysets:
            querysets[key] = querysets[key].by_person(person)
    if filters.get("from"):
        for key in querysets:
            querysets[key] = querysets[key].filter(publish_at__date__gte=filters["from"])
    if filters.get("to"):
        for key in querysets:
            querysets[key] = querysets[key].filter(publish_at__date__lte=filters["to"])
    return list(querysets.values())


def search(request):
    """Ranked, highlighted, filtered results of published content.

    Queries: the sections and the people (for the filters), then on a search the search
    statement (and, on PostgreSQL, its SET LOCAL) and per type on the page its objects and
    their prefetches.
    """
    sections = {section.slug: section for section in Section.objects.all()}
    people = {
        person.slug: person for person in Person.objects.public().order_by("display_name", "pk")
    }
    form = SearchForm(request.GET, sections.values(), people.values())
    form.is_valid()
    filters = {name: value for name, value in form.cleaned_data.items() if value}
    query_text = clean_query_text(request.GET.get("q"))
    query = Query.parse(query_text)
    context = {
        "form": form,
        "query_text": query_text,
        "query": query,
        "notices": form.notices(),
        "has_filters": any(name in filters for name in ("type", "section", "person", "from", "to")),
        "active_section": sections.get(filters.get("section")),
        "active_person": people.get(filters.get("person")),
    }
    if query is not None:
        engine = Search(query, visible_querysets(filters, sections, people), prepare=PREPARE)
        page = engine.page(page_number(request.GET.get("page")), PER_PAGE)
        context.update(
            page_obj=page,
            hits=list(page),
            total=page.paginator.count,
            is_paginated=page.paginator.num_pages > 1,
            page_range=page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        )
    return render(request, "search/results.html", context)
