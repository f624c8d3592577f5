"""The public search page: /search/?q=…&type=…&section=…&person=…&from=…&to=…&page=…

A thin view over newsroom.search.engine: the filters narrow each model's published()
queryset, the engine matches, ranks and pages, the template shows highlighted hits. A filter
value that makes no sense (?section=abc, ?from=2020-13-45) is ignored with a notice, never an
error; so is a page number that is not one.
"""

from __future__ import annotations

import html
from functools import partial

from django import forms
from django.db.models import Q
from django.forms.utils import flatatt
from django.shortcuts import render
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.models import Article, Event, Gallery, Section
from newsroom.prepared import prepared
from newsroom.search.engine import Query, Search, candidates, clean_query_text, loading
from people.models import Person

PER_PAGE = 20
MODELS = {"article": Article, "event": Event, "gallery": Gallery}
TYPES = {
    "article": ("articles.article", gettext_lazy("Articles")),
    "event": ("articles.event", gettext_lazy("Events")),
    "gallery": ("articles.gallery", gettext_lazy("Galleries")),
}


class PlainSelect(forms.Select):
    """A select of plain (value, label) choices rendered in Python: Django renders each option
    through a template, which for the list of people costs more than the search itself."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = {str(item) for item in self.format_value(value)}
        # html.escape is what django.utils.html.escape calls, without its wrapping per value.
        options = "".join(
            f'<option value="{html.escape(str(key))}"{" selected" if str(key) in chosen else ""}>'
            f"{html.escape(str(label))}</option>"
            for key, label in self.choices
        )
        attrs = flatatt(self.build_attrs(self.attrs, attrs))
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            attrs,
            mark_safe(options),  # noqa: S308
        )


class PlainInputMixin:
    """An <input> rendered in Python, as PlainSelect is, not through Django's widget template."""

    def render(self, name, value, attrs=None, renderer=None):
        value = self.format_value(value)
        shown = format_html(' value="{}"', value) if value is not None else ""
        attrs = flatatt(self.build_attrs(self.attrs, attrs))
        return format_html('<input type="{}" name="{}"{}{}>', self.input_type, name, shown, attrs)


class PlainTextInput(PlainInputMixin, forms.TextInput):
    pass


class PlainDateInput(PlainInputMixin, forms.DateInput):
    input_type = "date"


class SearchForm(forms.Form):
    """The filters; the sections are passed in (fetched by the view, so the template runs no
    query). A person is typed, not chosen from a list: a paper credits hundreds of people, and
    a list of them all would cost every search page a query and tens of kilobytes."""

    q = forms.CharField(label=gettext_lazy("Search for"), required=False, strip=True)
    type = forms.ChoiceField(label=gettext_lazy("Type"), required=False, widget=PlainSelect)
    section = forms.ChoiceField(label=gettext_lazy("Section"), required=False, widget=PlainSelect)
    person = forms.CharField(
        label=gettext_lazy("Person"),
        required=False,
        strip=True,
        max_length=Person._meta.get_field("display_name").max_length,
        widget=PlainTextInput(attrs={"placeholder": gettext_lazy("A name, such as 张改华")}),
    )

    def __init__(self, data, sections, now):
        super().__init__(data)
        self.now = now
        self.notes: list[str] = []
        self.fields["type"].choices = [("", _("Everything"))] + [
            (key, label) for key, (_label, label) in TYPES.items()
        ]
        self.fields["section"].choices = [("", _("All sections"))] + [
            (section.slug, section.name) for section in sections
        ]
        # "from" is a Python keyword, hence not a class attribute.
        date_widget = PlainDateInput(format="%Y-%m-%d")
        self.fields["from"] = forms.DateField(
            label=_("Published from"), required=False, widget=date_widget
        )
        self.fields["to"] = forms.DateField(
            label=_("Published until"), required=False, widget=date_widget
        )

    def clean_person(self) -> list[int]:
        """The ids of the public people of that name (two may share one), or of that slug."""
        name = " ".join(self.cleaned_data["person"].split())
        if not name:
            return []
        ids = list(_people_called.rows(name, self.now))
        if not ids:
            raise forms.ValidationError(_("nobody of that name has published work here."))
        return ids

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("from"), cleaned.get("to")
        if start and end and start > end:
            cleaned["from"], cleaned["to"] = end, start
            self.notes.append(_("The dates were the wrong way round: they have been swapped."))
        return cleaned

    def notices(self) -> list[tuple[str, str]]:
        """(element id, text): a notice for each filter whose value was not understood (and
        is not applied), with the id its field's aria-describedby names; the form's own
        notes have no id."""
        return [("", note) for note in self.notes] + [
            (
                f"{self[name].auto_id}_error",
                _("The “%(filter)s” filter was ignored: %(reason)s")
                % {"filter": self.fields[name].label, "reason": " ".join(errors)},
            )
            for name, errors in self.errors.items()
            if name in self.fields and name != "q"
        ]


def page_number(raw: str | None) -> int:
    try:
        return max(1, int(raw or 1))
    except (TypeError, ValueError):
        return 1


def visible(model, section_id=None, person_ids=None, start=None, end=None, now=None):
    """The published items of `model` that the filters allow (None: not filtered)."""
    queryset = model.objects.published(now)
    if section_id is not None:
        queryset = queryset.filter(section_id=section_id)
    if person_ids is not None:
        queryset = queryset.by_person(person_ids)
    if start is not None:
        queryset = queryset.filter(publish_at__date__gte=start)
    if end is not None:
        queryset = queryset.filter(publish_at__date__lte=end)
    return queryset


def visible_filters(filters: dict, sections: dict, now=None) -> dict:
    """{type key: the arguments of visible()} for each type the filters allow."""
    section = sections.get(filters.get("section"))
    person = filters.get("person")  # ids, never empty: SearchForm.clean_person()
    args = (
        section.pk if section else None,
        person,
        filters.get("from"),
        filters.get("to"),
        now or timezone.now(),
    )
    keys = [filters["type"]] if filters.get("type") else list(TYPES)
    if section or person:  # events belong to no section and have no bylines
        keys = [key for key in keys if key != "event"]
    return {key: args for key in keys}


def visible_querysets(filters: dict, sections: dict, now=None) -> list:
    """The published items each filter allows, one queryset per type."""
    chosen = visible_filters(filters, sections, now)
    return [visible(MODELS[key], *args) for key, args in chosen.items()]


def public_search(query: Query, chosen: dict) -> Search:
    """The search of what `chosen` (visible_filters()) lets readers see, with the SQL of
    what it narrows and of what a page shows compiled once (newsroom/prepared.py)."""
    return Search(
        query,
        {MODELS[key]: partial(visible, MODELS[key], *args) for key, args in chosen.items()},
        load=LOAD,
        candidates={TYPES[key][0]: CANDIDATES[key].sql(*args) for key, args in chosen.items()},
    )


def search(request):
    """Ranked, highlighted, filtered results of published content.

    Queries: the sections (for the filter), the people of the name typed (if one was), then
    on a search the search statement and per type on the page its objects and their
    prefetches.
    """
    now = timezone.now()
    sections = {section.slug: section for section in _sections.rows()}
    form = SearchForm(request.GET, sections.values(), now)
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
    }
    if query is not None:
        engine = public_search(query, visible_filters(filters, sections, now))
        page = engine.page(page_number(request.GET.get("page")), PER_PAGE)
        context.update(
            # "Article", "Event"…: translated once a page, not once a hit.
            type_names={
                key: capfirst(str(model._meta.verbose_name)) for key, model in MODELS.items()
            },
            page_obj=page,
            hits=list(page),
            total=page.paginator.count,
            is_paginated=page.paginator.num_pages > 1,
            page_range=page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        )
    return render(request, "search/results.html", context)


# The filters' queries, compiled once (newsroom/prepared.py).
@prepared
def _sections():
    return Section.objects.all()


@prepared
def _people_called(name, now):
    # A name as bylines print it, in any case, or a person's slug (an address's ?person=).
    return (
        Person.objects.public(now)
        .filter(Q(display_name__iexact=name) | Q(slug=name))
        .values_list("pk", flat=True)
    )


# A page of hits: what the results template shows of each type.
@prepared
def _articles(pks, now):
    # Cards, not models: what the results show of a story, and the body its snippet is cut from.
    return Article.objects.published(now).filter(pk__in=pks).cards(with_body=True)


@prepared
def _events(pks, now):
    return loading(Event.objects.published(now).filter(pk__in=pks))


@prepared
def _galleries(pks, now):
    # for_detail: the photos' captions are part of a gallery's text, so of its snippet.
    return loading(Gallery.objects.published(now).filter(pk__in=pks).for_detail())


def _load(prepared_query):
    return lambda pks: prepared_query.rows(pks, timezone.now())


LOAD = {
    "articles.article": _load(_articles),
    "articles.event": _load(_events),
    "articles.gallery": _load(_galleries),
}


def _candidates_of(model):
    @prepared
    def candidates_of_model(section_id, person_ids, start, end, now):
        return candidates(visible(model, section_id, person_ids, start, end, now))

    return candidates_of_model


# What a search narrows, compiled once per combination of filters.
CANDIDATES = {key: _candidates_of(model) for key, model in MODELS.items()}
