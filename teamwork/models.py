"""Working together: notifications, everyone's preferences for them, and editorial comments."""

from __future__ import annotations

import datetime
import html
import re

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

# A comment can be changed or deleted by its author for this long after writing it.
EDIT_WINDOW = datetime.timedelta(minutes=15)
MENTION = re.compile(r"(?<![\w@])@([\w.+-]+)")


class Event(models.TextChoices):
    """What a person can be told of. The workflow's transitions map onto these in events.py."""

    REVIEW_QUEUE = "review_queue", _("An item reaches a queue I review")
    SENT_BACK = "sent_back", _("An item of mine is sent back")
    SCHEDULED = "scheduled", _("An item of mine is approved and scheduled")
    PUBLISHED = "published", _("An item of mine is published")
    RETRACTED = "retracted", _("An item of mine is retracted")
    CORRECTED = "corrected", _("An item of mine is corrected")
    SPIKED = "spiked", _("An item of mine is spiked")
    MENTION = "mention", _("A comment mentions me")
    REPLY = "reply", _("A comment answers mine")
    SHARE_LINK = "share_link", _("A preview link to my item is shared")
    # The review chain (issue 12): stages signed one after another.
    STAGE_REACHED = (
        "stage_reached",
        _("An item signed at one stage awaits my signature at the next"),
    )
    RETURNED_TO_STAGE = "returned_to_stage", _("An item is sent back to a stage I sign")
    REAPPROVE = "reapprove", _("An item edited after signing must be signed again at my stage")
    APPROVED = "approved", _("An item of mine is approved at a stage")
    BULK_DONE = "bulk_done", _("A bulk action of mine, done in the background, is over")


class EmailChoice(models.TextChoices):
    OFF = "off", _("No email")
    IMMEDIATE = "immediate", _("One email per event")
    DIGEST = "digest", _("In the daily digest")


class Profile(models.Model):
    """A person's own settings for being told things."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="teamwork_profile"
    )
    language = models.CharField(
        _("language of emails"),
        max_length=16,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Empty: the newsroom's language."),
    )
    notify_as_superuser = models.BooleanField(
        _("notify me although I am a superuser"),
        default=False,
        help_text=_("Superusers are told nothing unless they tick this."),
    )

    class Meta:
        verbose_name = _("notification profile")
        verbose_name_plural = _("notification profiles")

    def __str__(self):
        return str(self.user)

    @property
    def email_language(self) -> str:
        return self.language or settings.LANGUAGE_CODE


class Preference(models.Model):
    """One person's choice for one event; without a row, the defaults of their role apply
    (teamwork.preferences.default_choice)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="teamwork_preferences"
    )
    event = models.CharField(_("event"), max_length=32, choices=Event.choices)
    in_app = models.BooleanField(_("in the admin"), default=True)
    email = models.CharField(
        _("by email"), max_length=16, choices=EmailChoice.choices, default=EmailChoice.IMMEDIATE
    )

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "event"], name="teamwork_preference_once"),
        ]

    def __str__(self):
        return f"{self.user} {self.event}"


class NotificationQuerySet(models.QuerySet):
    def in_inbox(self):
        return self.filter(in_inbox=True)

    def unread(self):
        return self.in_inbox().filter(read_at__isnull=True)

    def for_inbox(self):
        """What the inbox shows of each row, in a fixed number of queries."""
        return (
            self.in_inbox().select_related("actor", "content_type").order_by("-created_at", "-pk")
        )

    def mark_read(self, now=None) -> int:
        return self.filter(read_at__isnull=True).update(read_at=now or timezone.now())


class Notification(models.Model):
    """One person told of one event. Written in the transaction of the event, so that a
    rolled-back change tells nobody; emailed after the commit by a task."""

    class Email(models.TextChoices):
        NONE = "none", _("not emailed")
        PENDING = "pending", _("to be emailed")
        DIGEST = "digest", _("for the digest")
        SENT = "sent", _("emailed")
        FAILED = "failed", _("email failed")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    event = models.CharField(_("event"), max_length=32, choices=Event.choices)
    # Names the event itself ("transition:12", "comment:7"): one person hears of it once.
    key = models.CharField(max_length=100)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    # The item's title and the note or comment as they were: the message reads the same later.
    title = models.CharField(_("title"), max_length=300)
    note = models.TextField(_("note"), blank=True)
    url = models.CharField(max_length=500, blank=True)  # a shared preview link
    # The review stage the event is about (a name as it was: stages are data, renamed at will).
    stage = models.CharField(_("stage"), max_length=100, blank=True)
    comment = models.ForeignKey(
        "teamwork.Comment", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    in_inbox = models.BooleanField(default=True)
    email = models.CharField(max_length=16, choices=Email.choices, default=Email.NONE)
    emailed_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            # Never twice for one event: bulk_create(ignore_conflicts=True) relies on it.
            models.UniqueConstraint(
                fields=["recipient", "key"], name="notification_once_per_event"
            ),
        ]
        indexes = [
            # The bell's unread count and the inbox, newest first.
            models.Index(
                fields=["recipient", "in_inbox", "read_at"], name="notification_unread_idx"
            ),
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox_idx"),
            # The digest and the email catch-up: rows waiting to be emailed.
            models.Index(fields=["email", "created_at"], name="notification_email_idx"),
            # purge_notifications.
            models.Index(fields=["created_at"], name="notification_created_idx"),
        ]

    def __str__(self):
        return f"{self.recipient}: {self.event} {self.title}"

    @property
    def item_admin_url(self) -> str:
        ct = self.content_type
        if self.event == Event.BULK_DONE:  # about many items: their change list
            return reverse(f"admin:{ct.app_label}_{ct.model}_changelist")
        url = reverse(f"admin:{ct.app_label}_{ct.model}_change", args=[self.object_id])
        return f"{url}#comment-{self.comment_id}" if self.comment_id else url

    @property
    def open_url(self) -> str:
        """The inbox link: marks the notification read, then goes to the item."""
        return reverse("admin:teamwork_notification_open", args=[self.pk])


class CommentQuerySet(models.QuerySet):
    def on(self, obj):
        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)

    def for_thread(self):
        return self.select_related("author", "resolved_by").order_by("created_at", "pk")


class Comment(models.Model):
    """A staff-only remark on an article, event or gallery: never shown on the public site.

    Threads are one level deep: a reply's parent is the comment that opened the thread."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    body = models.TextField(_("comment"), max_length=5000)
    quote = models.CharField(
        _("quoted passage"),
        max_length=500,
        blank=True,
        help_text=_("The passage of the text the comment is about."),
    )
    mentions = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    created_at = models.DateTimeField(_("written at"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)
    is_resolved = models.BooleanField(_("resolved"), default=False)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    # A deleted comment keeps its place in the thread ("deleted"), so replies still make sense.
    is_deleted = models.BooleanField(default=False)

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [
            # The discussion panel of a change form.
            models.Index(
                fields=["content_type", "object_id", "created_at"], name="comment_item_idx"
            ),
        ]

    def __str__(self):
        return self.body[:80]

    def is_editable_by(self, user, now=None) -> bool:
        """Its author may change or delete it for EDIT_WINDOW after writing it."""
        now = now or timezone.now()
        return (
            not self.is_deleted
            and self.author_id == user.pk
            and now - self.created_at <= EDIT_WINDOW
        )

    def mentioned_usernames(self) -> set[str]:
        return set(MENTION.findall(self.body))

    def is_outdated(self, item) -> bool:
        """Is the quoted passage gone from the item's text?"""
        return bool(self.quote) and " ".join(self.quote.split()) not in item_text(item)


def item_text(item) -> str:
    """The plain text of an item's text fields (headline, body...), spaces folded."""
    parts = []
    for field in item._meta.concrete_fields:
        if isinstance(field, (models.CharField, models.TextField)) and not field.choices:
            parts.append(html.unescape(strip_tags(str(getattr(item, field.attname) or ""))))
    return " ".join(" ".join(parts).split())
