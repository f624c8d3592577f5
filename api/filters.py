"""The list filters (django-filter): a bad value is a 400 naming the parameter."""

from __future__ import annotations

import datetime

import django_filters
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField

from articles.models import Article, Event, Gallery


class UTCDateTimeField(IsoDateTimeField):
    """An ISO 8601 time in UTC: any offset a client sends (+17:28 is valid ISO, not to
    PostgreSQL) is worked out here, and a time outside the calendar is a 400."""

    def to_python(self, value):
        parsed = super().to_python(value)
        try:
            return parsed.astimezone(datetime.UTC) if parsed and parsed.tzinfo else parsed
        except (OverflowError, ValueError):
            raise ValidationError(_("The time is outside the calendar."), code="invalid") from None


class TimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UTCDateTimeField


class PublishableFilter(django_filters.FilterSet):
    updated_since = TimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        label=_("Changed at or after this time (ISO 8601): the incremental sync."),
    )
    published_after = TimeFilter(
        field_name="publish_at", lookup_expr="gte", label=_("Published at or after this time.")
    )
    published_before = TimeFilter(
        field_name="publish_at", lookup_expr="lt", label=_("Published before this time.")
    )
    slug = django_filters.CharFilter(field_name="slug", label=_("The item's slug."))


class BylinedFilter(PublishableFilter):
    section = django_filters.CharFilter(field_name="section__slug", label=_("A section's slug."))
    person = django_filters.CharFilter(
        method="filter_person", label=_("A person's slug: what they are credited on.")
    )

    def filter_person(self, queryset, name, value):
        byline, column = queryset._bylines()
        return queryset.filter(pk__in=byline.objects.filter(person__slug=value).values(column))


class ArticleFilter(BylinedFilter):
    tag = django_filters.CharFilter(field_name="tags__slug", label=_("A tag's slug."))
    print_edition = django_filters.DateFilter(
        field_name="print_edition_date", label=_("The print edition's date (YYYY-MM-DD).")
    )
    type = django_filters.ChoiceFilter(
        method="filter_type",
        choices=[
            ("print", _("Printed: in a print edition (见报稿)")),
            ("web", _("Web only: in no print edition")),
        ],
        label=_("The kind of story: printed, or web only."),
    )
    q = django_filters.CharFilter(
        method="filter_search", label=_("Words to search for, as the site's search does.")
    )

    class Meta:
        model = Article
        fields = []

    def filter_type(self, queryset, name, value):
        return queryset.filter(print_edition_date__isnull=(value == "web"))

    def filter_search(self, queryset, name, value):
        return queryset.matching(value)


class EventFilter(PublishableFilter):
    starts_after = TimeFilter(
        field_name="starts_at", lookup_expr="gte", label=_("Starting at or after this time.")
    )
    starts_before = TimeFilter(
        field_name="starts_at", lookup_expr="lt", label=_("Starting before this time.")
    )

    class Meta:
        model = Event
        fields = []


class GalleryFilter(BylinedFilter):
    class Meta:
        model = Gallery
        fields = []
