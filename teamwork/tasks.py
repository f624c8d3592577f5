"""Emails of notifications, run by the task queue (newsroom/tasks.py).

Each email is sent under a lock on its notification row and marked sent in the same
transaction, so that a task run again (a retry, a killed worker's task picked up by another)
does not send what was already sent.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from newsroom.tasks import retrying_task
from teamwork import unread
from teamwork.messages import headline
from teamwork.models import Notification, Profile

logger = logging.getLogger("teamwork")


def language_of(user) -> str:
    profile = Profile.objects.filter(user=user).first()
    return profile.email_language if profile else settings.LANGUAGE_CODE


def _email(user, subject: str, template: str, context: dict) -> None:
    body = render_to_string(template, {"user": user, "site_url": settings.SITE_URL, **context})
    send_mail(subject, body, None, [user.email])


def email_one(notification: Notification) -> None:
    """Send one notification's email, in the recipient's language."""
    with translation.override(language_of(notification.recipient)):
        subject = headline(notification)
        _email(
            notification.recipient,
            subject,
            "teamwork/email/notification.txt",
            {"notification": notification, "headline": subject},
        )


@retrying_task
def send_notification_emails(key: str) -> int:
    """Email every pending notification of event `key`; returns how many were sent."""
    sent = 0
    for pk in Notification.objects.filter(key=key, email=Notification.Email.PENDING).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            notification = (
                Notification.objects.select_for_update(of=("self",))
                .select_related("recipient", "actor", "content_type")
                .filter(pk=pk, email=Notification.Email.PENDING)
                .first()
            )
            if notification is None:
                continue  # sent meanwhile by another run
            email_one(notification)
            notification.email = Notification.Email.SENT
            notification.emailed_at = timezone.now()
            notification.save(update_fields=["email", "emailed_at"])
            sent += 1
    return sent


@retrying_task
def send_digest(user_id: int) -> int:
    """One email with everything waiting for this person's digest; returns how many items."""
    with transaction.atomic():
        rows = list(
            Notification.objects.select_for_update(of=("self",))
            .filter(recipient_id=user_id, email=Notification.Email.DIGEST)
            .select_related("recipient", "actor", "content_type")
            .order_by("created_at", "pk")
        )
        if not rows:
            return 0
        user = rows[0].recipient
        with translation.override(language_of(user)):
            items = [(row, headline(row)) for row in rows]
            subject = _("Newsroom: %(count)d things happened today") % {"count": len(rows)}
            _email(user, subject, "teamwork/email/digest.txt", {"items": items})
        Notification.objects.filter(pk__in=[row.pk for row in rows]).update(
            email=Notification.Email.SENT, emailed_at=timezone.now()
        )
    return len(rows)


def queue_digests() -> int:
    """Queue one digest task per person with something waiting (the daily cron line)."""
    users = (
        Notification.objects.filter(email=Notification.Email.DIGEST)
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    count = 0
    for user_id in users:
        send_digest.enqueue(user_id)
        count += 1
    return count


def queue_stragglers(older_than: datetime.timedelta = datetime.timedelta(minutes=5)) -> int:
    """Queue again the immediate emails still pending after `older_than`: their task was lost
    (the queue was unreachable when the event happened) or failed for good."""
    keys = (
        Notification.objects.filter(
            email=Notification.Email.PENDING, created_at__lt=timezone.now() - older_than
        )
        .values_list("key", flat=True)
        .distinct()
    )
    count = 0
    for key in keys:
        send_notification_emails.enqueue(key)
        count += 1
    return count


def purge(days: int | None = None) -> int:
    """Delete notifications older than NOTIFICATIONS_KEEP_DAYS; returns how many."""
    days = days if days is not None else settings.NOTIFICATIONS_KEEP_DAYS
    old = Notification.objects.filter(created_at__lt=timezone.now() - datetime.timedelta(days=days))
    unread.forget(old.values_list("recipient_id", flat=True).distinct())
    deleted, _by_model = old.delete()
    return deleted
