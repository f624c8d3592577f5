"""Integration tokens, idempotency records, and webhook subscriptions with their deliveries."""

from __future__ import annotations

import datetime
import hashlib
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TOKEN_PREFIX = "nr_"
# last_used_at is written at most this often per token: a busy integration costs no write
# per request.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


def digest(key: str) -> str:
    """What is stored of a token: its SHA-256. A token is 256 random bits, so a fast hash is
    enough (nobody can try them all), and the look-up is one indexed query."""
    return hashlib.sha256(key.encode()).hexdigest()


class Scope(models.TextChoices):
    READ_UNPUBLISHED = "read_unpublished", _("Read unpublished work the user may see")
    WRITE_DRAFTS = "write_drafts", _("Create and edit drafts, submit and withdraw them")
    PUBLISH = "publish", _("Make the editors' transitions the user may make (publish, schedule…)")


class TokenQuerySet(models.QuerySet):
    def usable(self, now=None):
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )


class Token(models.Model):
    """An integration's key to the API, acting as its user: it can do no more than the user
    can (the workflow rules apply), and only what its scopes allow. The key itself is shown
    once, when the token is made; only its digest is kept."""

    Scope = Scope

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
        help_text=_("The token acts as this user, with no more rights than theirs."),
    )
    name = models.CharField(
        _("name"), max_length=100, help_text=_("What uses it, e.g. “新华社稿件导入”.")
    )
    scopes = models.JSONField(_("scopes"), default=list, blank=True)
    # The first characters of the key, to tell tokens apart in lists and logs.
    prefix = models.CharField(_("starts with"), max_length=16, editable=False)
    key_digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(
        _("expires at"), null=True, blank=True, help_text=_("Left empty, it does not expire.")
    )
    last_used_at = models.DateTimeField(_("last used at"), null=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, editable=False)

    objects = TokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("integration token")
        verbose_name_plural = _("integration tokens")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def issue(self) -> str:
        """Give the token a new key and return it: the only time it can be read."""
        key = TOKEN_PREFIX + secrets.token_urlsafe(32)
        self.prefix = key[: len(TOKEN_PREFIX) + 6]
        self.key_digest = digest(key)
        return key

    def allows(self, scope: str) -> bool:
        return scope in (self.scopes or ())

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])

    def touch(self, now=None) -> None:
        """Record a use, at most once per LAST_USED_RESOLUTION (one UPDATE, no read)."""
        now = now or timezone.now()
        if self.last_used_at is None or now - self.last_used_at >= LAST_USED_RESOLUTION:
            Token.objects.filter(pk=self.pk).update(last_used_at=now)
            self.last_used_at = now


class IdempotencyKey(models.Model):
    """The answer to a POST sent with an `Idempotency-Key` header, kept so that a retried
    request gets the same answer instead of making a second story."""

    token = models.ForeignKey(Token, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    request_digest = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(default=0)
    response = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            # A retry finds the first answer; two at once wait on this index for each other.
            models.UniqueConstraint(fields=["token", "key"], name="api_idempotency_token_key"),
        ]
        # The sweep of old keys (api/idempotency.py) finds them by this.
        indexes = [models.Index(fields=["created_at"], name="api_idempotency_created_idx")]

    def __str__(self):
        return self.key


class WebhookEvent(models.TextChoices):
    PUBLISHED = "published", _("Published")
    UPDATED = "updated", _("Updated while public")
    UNPUBLISHED = "unpublished", _("Unpublished (retracted)")
    CORRECTED = "corrected", _("Corrected")
    SCHEDULED = "scheduled", _("Scheduled")
    DELETED = "deleted", _("Deleted while public")


def new_secret() -> str:
    return secrets.token_urlsafe(32)


class WebhookSubscription(models.Model):
    """A receiver of signed notices about public content (README: "Webhooks")."""

    Event = WebhookEvent

    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(
        _("URL"),
        max_length=500,
        help_text=_(
            "Where the notices are POSTed. Private, loopback and link-local addresses are "
            "refused unless API_WEBHOOK_ALLOW_PRIVATE is on; redirects are not followed."
        ),
    )
    events = models.JSONField(_("events"), default=list)
    secret = models.CharField(
        _("secret"),
        max_length=100,
        default=new_secret,
        help_text=_("The key of each notice's HMAC-SHA256 signature; give it to the receiver."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    paused_at = models.DateTimeField(
        _("paused at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Set after repeated failed deliveries; tick “active” again to resume."),
    )
    consecutive_failures = models.PositiveIntegerField(_("failures in a row"), default=0)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name

    def wants(self, event: str) -> bool:
        return self.is_active and self.paused_at is None and event in (self.events or ())


class WebhookDelivery(models.Model):
    """One notice to one subscription, and what became of it: attempts, the receiver's
    answer. Its `id` goes with every attempt, so a receiver can drop a repeat."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    subscription = models.ForeignKey(
        WebhookSubscription,
        verbose_name=_("subscription"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    event = models.CharField(_("event"), max_length=20, choices=WebhookEvent.choices)
    item = models.CharField(_("item"), max_length=100, help_text=_("Such as article-12."))
    payload = models.JSONField(_("payload"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    response_status = models.PositiveSmallIntegerField(_("response status"), null=True)
    response_excerpt = models.TextField(_("response excerpt"), blank=True)
    error = models.TextField(_("error"), blank=True)
    duration_ms = models.PositiveIntegerField(_("time taken (ms)"), null=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    last_attempt_at = models.DateTimeField(_("last attempt at"), null=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at"]
        indexes = [
            # The delivery log of one subscription, newest first.
            models.Index(fields=["subscription", "-created_at"], name="api_delivery_sub_idx"),
        ]

    def __str__(self):
        return f"{self.get_event_display()} {self.item}"
