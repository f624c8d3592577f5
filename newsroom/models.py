from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from newsroom import workflow
from newsroom.review import chains
from newsroom.review.models import Chain, ChainChoice, Desk, DeskMembership, Signoff, Stage
from newsroom.search.engine import SearchableQuerySet
from newsroom.search.models import SearchDocument
from newsroom.workflow import Status

# The core app's models: the two below, the workflow's log and corrections, and the search
# engine's table, defined with the engine (Django looks for an app's models here).
# The review chain's models (desks, stages, sign-offs) live in newsroom/review/models.py.
__all__ = [
    "Chain",
    "ChainChoice",
    "Correction",
    "Desk",
    "DeskMembership",
    "Publishable",
    "PublishableQuerySet",
    "SearchDocument",
    "Signoff",
    "Stage",
    "Transition",
]


# The public lists' order. Undated items last; the lists' indexes (article_latest_idx) follow it.
NEWEST_FIRST = (models.F("publish_at").desc(nulls_last=True), models.F("pk").desc())


def published_condition(now=None, through: str = "") -> Q:
    """What is public at `now`, as a condition on the item or, `through` a relation
    ("article__"), on the item a row points to: a join the database can stop at the first
    public item of, where `__in=published()` gathers every public item first."""
    now = now or timezone.now()
    return Q(**{f"{through}status": Status.PUBLISHED}) | Q(
        **{f"{through}status": Status.SCHEDULED, f"{through}publish_at__lte": now}
    )


class PublishableQuerySet(SearchableQuerySet):
    """The one definition of what is public, shared by views, feeds and sitemaps."""

    def published(self, now=None):
        return self.filter(published_condition(now))

    def scheduled(self, now=None):
        """Scheduled and not yet public."""
        return self.filter(status=Status.SCHEDULED, publish_at__gt=now or timezone.now())

    def due(self, now=None):
        """Scheduled items that are public already but not yet recorded as published."""
        return self.filter(status=Status.SCHEDULED, publish_at__lte=now or timezone.now())

    def in_review(self):
        return self.filter(status=Status.REVIEW)

    def contributed_by(self, user):
        """Items `user` contributes to: the author (and, for content with bylines, a person on
        them: people.bylines.BylinedQuerySet). The same rule as `Publishable.is_contributor()`."""
        return self.filter(self.contributor_condition(user))

    def contributor_condition(self, user) -> Q:
        return Q(created_by=user)

    def drafts(self):
        return self.filter(status=Status.DRAFT)

    def visible_to(self, user):
        """What `user` may see in the newsroom (newsroom.review.rules.visible_q)."""
        from newsroom.review.rules import visible_q

        return self.filter(visible_q(user, self.model))

    def awaiting_signature(self, user):
        """Items in review whose current stage `user` may sign."""
        from newsroom.review.rules import awaiting_signature

        return awaiting_signature(user, self)

    def sent_back(self):
        """Drafts an editor returned with a note (the note stays until the next transition)."""
        return self.drafts().exclude(status_note="")

    def retracted(self):
        return self.filter(status=Status.UNPUBLISHED)

    def latest_first(self):
        return self.order_by(*NEWEST_FIRST)


class Publishable(models.Model):
    """What articles, events and galleries share: status, publishing times, the log.

    Status changes only through `newsroom.workflow.perform()`, reached by the
    intention-named methods below.
    """

    Status = Status

    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    status_note = models.TextField(
        _("note"),
        max_length=workflow.NOTE_MAX_LENGTH,
        blank=True,
        editable=False,
        help_text=_(
            "The note of the last status change: an editor's send-back note or a retraction reason."
        ),
    )
    publish_at = models.DateTimeField(
        _("publish at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When the item becomes (or became) public."),
    )
    first_published_at = models.DateTimeField(_("first published at"), null=True, editable=False)
    last_published_at = models.DateTimeField(_("last published at"), null=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("last modified at"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Optimistic locking: a form carries the version it was loaded at, and a
    # save against a newer version is refused instead of overwriting.
    edit_version = models.PositiveIntegerField(default=1, editable=False)
    # The desk the item belongs to (its section's, else the default desk), kept by save() so that
    # queues and reading rights are plain filters; the stage awaiting a signature while in review
    # (NULL in review: every stage signed, ready to schedule or publish). The workflow sets it.
    desk = models.ForeignKey(
        Desk,
        verbose_name=_("desk"),
        null=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    review_stage = models.ForeignKey(
        Stage,
        verbose_name=_("review stage"),
        null=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    transitions = GenericRelation("newsroom.Transition")
    corrections = GenericRelation("newsroom.Correction")
    signoffs = GenericRelation("newsroom.Signoff")

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "updated_at" in update_fields:
            self.updated_at = timezone.now()
        if update_fields is None and (
            self.desk_id is None
            or self.desk_source() != getattr(self, "_loaded_desk_source", self.desk_source())
        ):
            desk_id = self.desk_from_content()
            if desk_id != self.desk_id:
                self.desk_id = desk_id
                chains.forget(self)  # another desk may follow another chain
        super().save(*args, **kwargs)
        self._loaded_desk_source = self.desk_source()

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_desk_source = instance.desk_source()
        return instance

    # --- the desk -----------------------------------------------------------
    def desk_source(self):
        """What the desk follows (content with sections: the section's id); None: nothing."""
        return None

    def desk_from_content(self) -> int | None:
        """The id of the desk the item belongs to: the default desk here; content with sections
        takes its section's desk (articles.models.section.SectionDeskMixin)."""
        return Desk.objects.default_id()

    @classmethod
    def changes_by_clock(cls, now) -> list:
        """Querysets of the times after `now` at which public pages of this model change with
        nothing saved, as `values_list(..., flat=True)` of datetimes (see
        newsroom.caching.next_publication; scheduled publications are counted already)."""
        return []

    # --- what readers see -------------------------------------------------
    def effective_status(self, now=None) -> str:
        return workflow.effective_status(self, now)

    def is_published(self, now=None) -> bool:
        return self.effective_status(now) == Status.PUBLISHED

    @property
    def published_at(self):
        """The time shown to readers as the publication time."""
        return self.first_published_at or self.publish_at

    @property
    def modified_at(self):
        return self.updated_at

    def has_been_public(self, now=None) -> bool:
        """Public now or at some time before: its address is frozen (a change redirects)."""
        return self.first_published_at is not None or self.is_published(now)

    def is_contributor(self, user) -> bool:
        """The author, or (content with bylines: people.bylines.BylinedMixin) a person on them.
        The same rule as `PublishableQuerySet.contributed_by()`."""
        return bool(user.is_authenticated and self.created_by_id == user.pk)

    # --- the workflow, by intention ---------------------------------------
    def submit_for_review(self, by):
        return workflow.perform(self, "submit", by=by)

    def withdraw(self, by):
        return workflow.perform(self, "withdraw", by=by)

    def send_back(self, by, note: str):
        return workflow.perform(self, "send_back", by=by, note=note)

    def publish(self, by):
        return workflow.perform(self, "publish", by=by)

    def schedule(self, at, by):
        return workflow.perform(self, "schedule", by=by, at=at)

    def unschedule(self, by):
        return workflow.perform(self, "unschedule", by=by)

    def unpublish(self, by, reason: str):
        return workflow.perform(self, "unpublish", by=by, note=reason)

    def spike(self, by, note: str = ""):
        return workflow.perform(self, "spike", by=by, note=note)

    def restore(self, by):
        return workflow.perform(self, "restore", by=by)

    def correct(self, by, text: str):
        return workflow.perform(self, "correct", by=by, note=text)

    def go_live(self):
        return workflow.perform(self, "go_live", by=None)


class Transition(models.Model):
    """One status change: who, when, from, to, and the note. Never edited."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    name = models.CharField(_("action"), max_length=32)
    from_status = models.CharField(_("from"), max_length=16, choices=Status.choices)
    to_status = models.CharField(_("to"), max_length=16, choices=Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    note = models.TextField(_("note"), max_length=workflow.NOTE_MAX_LENGTH, blank=True)
    publish_at = models.DateTimeField(_("scheduled for"), null=True, blank=True)
    # The review stage before and after (the stage is part of the state the log records).
    from_stage = models.ForeignKey(
        Stage,
        verbose_name=_("from stage"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    to_stage = models.ForeignKey(
        Stage,
        verbose_name=_("to stage"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["at", "pk"]
        indexes = [
            # The history panel of a change form and the "sent back to me" list.
            models.Index(fields=["content_type", "object_id", "at"], name="transition_object_idx"),
        ]

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"

    @property
    def label(self):
        rule = workflow.TRANSITIONS.get(self.name)
        return rule.label if rule else self.name


class Correction(models.Model):
    """A dated correction note on published content, shown to readers."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    text = models.TextField(_("correction"), max_length=workflow.NOTE_MAX_LENGTH)
    created_at = models.DateTimeField(_("corrected at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="correction_object_idx")]

    def __str__(self):
        return self.text[:80]


class WorkerHeartbeat(models.Model):
    """A task worker saying it is alive (`manage.py worker`, every few seconds).

    A task claimed by a worker that has gone quiet for TASKS_LEASE_SECONDS (killed, machine
    lost) is handed back to the queue; a live worker's task never is, so none runs twice.
    """

    worker_id = models.CharField(max_length=64, primary_key=True)
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("task worker")
        verbose_name_plural = _("task workers")

    def __str__(self):
        return self.worker_id
