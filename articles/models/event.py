from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorField

from articles.models.section import SectionDeskMixin
from articles.richtext import BODY_EXTENSIONS, sanitise_body
from newsroom.links import slug_url
from newsroom.models import Publishable, PublishableQuerySet
from newsroom.prepared import prepared
from newsroom.slugs import unique_slug


class EventQuerySet(PublishableQuerySet):
    def for_listing(self):
        """The columns an event in a list shows (articles/cards.py event_item)."""
        return self.only(
            "title", "slug", "status", "publish_at", "starts_at", "ends_at", "is_all_day", "venue"
        )

    def upcoming(self, now=None):
        """Events that have not ended yet, soonest first."""
        now = now or timezone.now()
        return self.filter(
            models.Q(ends_at__gte=now) | models.Q(ends_at__isnull=True, starts_at__gte=now)
        ).order_by("starts_at", "pk")

    def past(self, now=None):
        now = now or timezone.now()
        return self.exclude(
            models.Q(ends_at__gte=now) | models.Q(ends_at__isnull=True, starts_at__gte=now)
        ).order_by("-starts_at", "-pk")

    def in_month(self, year: int, month: int):
        return self.filter(starts_at__year=year, starts_at__month=month).order_by("starts_at", "pk")

    def overlapping(self, start, end):
        """Events on at any time in [start, end): the month view shows a long exhibition every day."""
        return (
            self.filter(starts_at__lt=end)
            .filter(
                models.Q(ends_at__gte=start) | models.Q(ends_at__isnull=True, starts_at__gte=start)
            )
            .order_by("starts_at", "pk")
        )


class Event(SectionDeskMixin, Publishable):
    """Something the paper covers: a meeting, an exhibition, a match."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    is_all_day = models.BooleanField(
        _("all day"), default=False, help_text=_("Only the dates matter, not the times.")
    )
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    organiser = models.CharField(_("organiser"), max_length=200, blank=True)
    section = models.ForeignKey(
        "articles.Section",
        verbose_name=_("section"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
        help_text=_("The event belongs to the section's desk."),
    )
    description = ProseEditorField(
        _("description"),
        extensions=BODY_EXTENSIONS,
        sanitize=sanitise_body,
        blank=True,
        max_length=50_000,
    )

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-starts_at", "-pk"]
        indexes = [
            # upcoming(), past() and the month view.
            models.Index(fields=["status", "starts_at"], name="event_status_starts_idx"),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if self.ends_at and self.starts_at and self.ends_at < self.starts_at:
            raise ValidationError({"ends_at": _("An event cannot end before it starts.")})

    def save(self, *args, **kwargs):
        self.description = sanitise_body(self.description or "")
        if not self.slug:
            self.slug = unique_slug(Event.objects.all(), self.title, self.pk)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return slug_url("articles:event", self.slug)

    @classmethod
    def public_page(cls, slug: str) -> Event | None:
        """The published event at `slug`."""
        return _public_page.one_or_none(slug, timezone.now())

    @classmethod
    def changes_by_clock(cls, now) -> list:
        """An event leaves the lists of upcoming events when it ends (or starts, if it has no
        end): the pages that list it change then."""
        upcoming = cls.objects.published(now).order_by()
        return [
            upcoming.filter(ends_at__gt=now).values_list("ends_at", flat=True),
            upcoming.filter(ends_at__isnull=True, starts_at__gt=now).values_list(
                "starts_at", flat=True
            ),
        ]

    @property
    def headline(self) -> str:
        return self.title


# Compiled once (newsroom/prepared.py): the public event page and the front page's list.
@prepared
def _public_page(slug, now):
    return Event.objects.published(now).filter(slug=slug)


@prepared
def upcoming_cards(now):
    return Event.objects.published(now).upcoming(now).for_listing()
