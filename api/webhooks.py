"""Webhooks: signed notices to subscribers when public content changes.

When a story, event or gallery is published, updated while public, retracted, corrected,
scheduled or deleted while public, one WebhookDelivery per interested subscription is written
in the same transaction (its payload is the API's representation at that moment), and queued
on the task queue after the commit: a publish never waits for a receiver.

Each attempt POSTs the JSON with
  Newsroom-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the secret>
  Newsroom-Event: published        Newsroom-Delivery: <the delivery's id, the same on retries>
A receiver checks the signature and that t is recent (replays of old notices fail), and may
drop a delivery id it has seen. A 2xx answer delivers; anything else (a redirect included:
none is followed) is retried with the queue's backoff; after API_WEBHOOK_PAUSE_AFTER failures
in a row the subscription is paused and the administrators are emailed.

Server-side request forgery: the target's name is resolved once per attempt, every address
must be public (not private, loopback, link-local, reserved or multicast) unless
API_WEBHOOK_ALLOW_PRIVATE, and the connection goes to the address that was checked.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import ipaddress
import json
import logging
import socket
import ssl
import threading
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import connections as db_connections
from django.db import transaction
from django.db.models import F
from django.db.models.signals import post_save, pre_delete
from django.utils import timezone
from django.utils.translation import gettext as _

from api.models import WebhookDelivery, WebhookEvent, WebhookSubscription
from newsroom import registry, workflow
from newsroom.tasks import enqueue_on_commit, retrying_task

logger = logging.getLogger("api.webhooks")

SIGNATURE_HEADER = "Newsroom-Signature"
EXCERPT_LENGTH = 1000
# The transitions that make a notice, by the event they are.
TRANSITION_EVENTS = {
    "publish": WebhookEvent.PUBLISHED,
    "go_live": WebhookEvent.PUBLISHED,
    "unpublish": WebhookEvent.UNPUBLISHED,
    "correct": WebhookEvent.CORRECTED,
    "schedule": WebhookEvent.SCHEDULED,
}


class TargetRefused(Exception):
    """The URL may not be called (scheme, name, or a private address)."""


class DeliveryFailed(Exception):
    """The receiver did not take the notice; the queue tries again later."""


# --- signing ---------------------------------------------------------------------------------


def sign(secret: str, timestamp: int, body: bytes) -> str:
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def signature_header(secret: str, body: bytes, timestamp: int | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    return f"t={timestamp},v1={sign(secret, timestamp, body)}"


def verify(secret: str, header: str, body: bytes, tolerance: int = 300, now=None) -> bool:
    """What a receiver does (README has the same in a few lines): the signature matches and
    the time is within `tolerance` seconds."""
    try:
        fields = dict(part.split("=", 1) for part in header.split(","))
        timestamp = int(fields["t"])
    except (KeyError, ValueError):
        return False
    now = time.time() if now is None else now
    if abs(now - timestamp) > tolerance:
        return False
    return hmac.compare_digest(fields.get("v1", ""), sign(secret, timestamp, body))


# --- where a notice may go -------------------------------------------------------------------


def _is_public(address) -> bool:
    if getattr(address, "ipv4_mapped", None) is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def check_target(url: str) -> tuple[str, str, int, str, str]:
    """(scheme, host, port, path with query, address to connect to) or TargetRefused."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise TargetRefused(_("The address must be an http:// or https:// URL."))
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise TargetRefused(_("The port of the address is not a number.")) from None
    try:
        found = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise TargetRefused(
            _("The name %(host)s cannot be resolved.") % {"host": parts.hostname}
        ) from None
    addresses = [ipaddress.ip_address(info[4][0].split("%", 1)[0]) for info in found]
    if not settings.API_WEBHOOK_ALLOW_PRIVATE and not all(_is_public(a) for a in addresses):
        raise TargetRefused(
            _(
                "%(host)s is a private, loopback or link-local address; such targets are "
                "refused unless API_WEBHOOK_ALLOW_PRIVATE is on."
            )
            % {"host": parts.hostname}
        )
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return parts.scheme, parts.hostname, port, path, str(addresses[0])


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the address that was checked, not to whatever the name resolves to now."""

    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self):
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.address = address

    def connect(self):
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post(url: str, body: bytes, headers: dict) -> tuple[int, bytes]:
    """POST `body` to `url` with no redirects, the whole exchange bounded by
    API_WEBHOOK_TIMEOUT (to connect, and again to send and read the answer): a receiver that
    trickles its answer a byte at a time is cut off as a silent one is. Raises TargetRefused
    or OSError (connection refused, time-out, TLS)."""
    scheme, host, port, path, address = check_target(url)
    kind = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
    limit = settings.API_WEBHOOK_TIMEOUT
    connection = kind(host, port, address, timeout=limit)
    expired = threading.Event()

    def cut_off():
        expired.set()
        sock = connection.sock
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)  # wakes a blocked read at once
            except OSError:
                pass

    try:
        connection.connect()
        watchdog = threading.Timer(limit, cut_off)
        watchdog.daemon = True
        watchdog.start()
        try:
            connection.request("POST", path, body=body, headers=headers)
            response = connection.getresponse()
            answer = response.read(EXCERPT_LENGTH * 4)
        finally:
            watchdog.cancel()
        if expired.is_set():
            raise TimeoutError(f"timed out after {limit:g} s")
        return response.status, answer
    except (http.client.HTTPException, OSError) as error:
        if expired.is_set():
            raise TimeoutError(f"timed out after {limit:g} s") from error
        if isinstance(error, OSError):
            raise
        raise OSError(str(error) or type(error).__name__) from error
    finally:
        connection.close()


# --- what is sent ----------------------------------------------------------------------------


def represent(obj) -> dict:
    """The API's JSON of `obj` as the detail endpoint gives it."""
    from api import views

    viewset = views.VIEWSETS[obj._meta.model_name]
    return viewset.detail_data(obj)


def notice(obj, event: str) -> dict:
    label = obj._meta.model_name
    data = represent(obj) if event != WebhookEvent.DELETED else {"id": obj.pk, "slug": obj.slug}
    return {
        "event": event,
        "occurred_at": timezone.now().isoformat(),
        "item": {"type": label, "id": obj.pk},
        "data": data,
    }


def announce(obj, event: str) -> list[WebhookDelivery]:
    """Write a delivery for every subscription that wants `event`, queued after the commit."""
    subscriptions = [
        s
        for s in WebhookSubscription.objects.filter(is_active=True, paused_at__isnull=True)
        if s.wants(event)
    ]
    if not subscriptions:
        return []
    payload = json.loads(json.dumps(notice(obj, event), default=str))
    deliveries = WebhookDelivery.objects.bulk_create(
        [
            WebhookDelivery(
                subscription=s,
                event=event,
                item=f"{obj._meta.model_name}-{obj.pk}",
                payload={**payload, "id": None},
            )
            for s in subscriptions
        ]
    )
    for delivery in deliveries:
        send_on_commit(str(delivery.pk))
    return deliveries


def redeliver(delivery: WebhookDelivery) -> None:
    """Send a notice again (the admin's action): a new round of attempts, the same id."""
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=WebhookDelivery.Status.PENDING, attempts=0
    )
    send_on_commit(str(delivery.pk))


def _immediate() -> bool:
    from django_tasks.backends.immediate import ImmediateBackend

    return isinstance(deliver.get_backend(), ImmediateBackend)


def _deliver_in_thread(delivery_id: str) -> threading.Thread:
    def run():
        try:
            deliver.enqueue(delivery_id)
        except Exception:
            logger.exception("Webhook delivery %s failed in its thread", delivery_id)
        finally:
            db_connections.close_all()  # this thread's own connections

    thread = threading.Thread(target=run, name=f"webhook-{delivery_id}", daemon=True)
    thread.start()
    return thread


def send_on_commit(delivery_id: str) -> None:
    """Queue the delivery after the commit. With the immediate backend (no worker) and
    API_WEBHOOK_THREAD, it is sent from a thread of its own, so the request that published
    answers without waiting for the receiver; a process that stops first leaves the
    delivery pending in the log, to be sent again from there."""
    if settings.API_WEBHOOK_THREAD and _immediate():
        transaction.on_commit(lambda: _deliver_in_thread(delivery_id))
    else:
        enqueue_on_commit(deliver, delivery_id)


def _body(delivery: WebhookDelivery) -> bytes:
    payload = {**delivery.payload, "id": str(delivery.pk)}
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def _pause(subscription: WebhookSubscription) -> None:
    WebhookSubscription.objects.filter(pk=subscription.pk).update(paused_at=timezone.now())
    logger.error("Webhook subscription %s paused after repeated failures", subscription.pk)
    addresses = list(
        get_user_model()
        .objects.filter(is_superuser=True, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if addresses:
        send_mail(
            _("Webhook paused: %(name)s") % {"name": subscription.name},
            _(
                "Deliveries to %(url)s failed %(count)d times in a row, so the subscription "
                "“%(name)s” is paused. Its delivery log in the admin says what the receiver "
                "answered; tick “active” again to resume."
            )
            % {
                "url": subscription.url,
                "count": settings.API_WEBHOOK_PAUSE_AFTER,
                "name": subscription.name,
            },
            None,
            addresses,
            fail_silently=True,
        )


@retrying_task
def deliver(delivery_id: str) -> str:
    """One attempt at one delivery (a task: retried by the queue while it raises).

    The delivery's row stays locked while it is sent, so two workers never send it at once,
    and a delivered one is never sent again."""
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update()
            .select_related("subscription")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.status != WebhookDelivery.Status.PENDING:
            return "nothing to do"
        subscription = delivery.subscription
        if not subscription.is_active or subscription.paused_at is not None:
            delivery.status = WebhookDelivery.Status.FAILED
            delivery.error = _("Not sent: the subscription is paused or inactive.")
            delivery.save(update_fields=["status", "error"])
            return "paused"
        body = _body(delivery)
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "Newsroom-Webhooks/1",
            "Newsroom-Event": delivery.event,
            "Newsroom-Delivery": str(delivery.pk),
            SIGNATURE_HEADER: signature_header(subscription.secret, body),
        }
        started = time.monotonic()
        status_code, answer, error = None, b"", ""
        try:
            status_code, answer = post(subscription.url, body, headers)
        except TargetRefused as refused:
            error = str(refused)
        except OSError as failure:
            error = f"{type(failure).__name__}: {failure}"
        delivery.attempts += 1
        delivery.last_attempt_at = timezone.now()
        delivery.duration_ms = int((time.monotonic() - started) * 1000)
        delivery.response_status = status_code
        delivery.response_excerpt = answer.decode("utf-8", errors="replace")[:EXCERPT_LENGTH]
        ok = status_code is not None and 200 <= status_code < 300
        if status_code is not None and 300 <= status_code < 400:
            error = _("The receiver answered with a redirect, which is not followed.")
        delivery.error = error
        if ok:
            delivery.status = WebhookDelivery.Status.DELIVERED
            delivery.delivered_at = delivery.last_attempt_at
            WebhookSubscription.objects.filter(pk=subscription.pk).update(consecutive_failures=0)
        elif delivery.attempts >= settings.TASKS_MAX_ATTEMPTS:
            delivery.status = WebhookDelivery.Status.FAILED
        delivery.save()
        if not ok:
            WebhookSubscription.objects.filter(pk=subscription.pk).update(
                consecutive_failures=F("consecutive_failures") + 1
            )
            subscription.refresh_from_db(fields=["consecutive_failures"])
            if subscription.consecutive_failures >= settings.API_WEBHOOK_PAUSE_AFTER:
                _pause(subscription)
                delivery.status = WebhookDelivery.Status.FAILED  # kept for a redelivery
                delivery.save(update_fields=["status"])
    if ok:
        return "delivered"
    if delivery.status == WebhookDelivery.Status.FAILED:
        return "gave up"
    raise DeliveryFailed(error or f"HTTP {status_code}")


# --- when -------------------------------------------------------------------------------------


def announce_on_commit(obj, event: str) -> None:
    """After the commit, with the item as committed (an admin save writes its bylines and
    tags after the item itself)."""
    model, pk = type(obj), obj.pk

    def later():
        found = model._base_manager.filter(pk=pk).first()
        if found is not None:
            announce(found, event)

    transaction.on_commit(later, robust=True)


def on_transition(sender, instance, name, **kwargs):
    event = TRANSITION_EVENTS.get(name)
    if event is not None and registry.is_registered(sender):
        announce_on_commit(instance, event)


def on_save(sender, instance, created, update_fields=None, **kwargs):
    """An edit of something public (a workflow save changes `status`: its transition speaks)."""
    if created or not registry.is_registered(sender):
        return
    if update_fields is not None and "status" in update_fields:
        return
    if instance.is_published():
        announce_on_commit(instance, WebhookEvent.UPDATED)


def on_delete(sender, instance, **kwargs):
    if registry.is_registered(sender) and instance.is_published():
        announce(instance, WebhookEvent.DELETED)


def connect() -> None:
    workflow.transitioned.connect(on_transition, dispatch_uid="api-webhooks-transition")
    post_save.connect(on_save, dispatch_uid="api-webhooks-save")
    pre_delete.connect(on_delete, dispatch_uid="api-webhooks-delete")
