"""`Idempotency-Key` on POST: a retried request gets the first answer, and makes nothing new.

The key is recorded in the same transaction as what the request makes: a request that fails
leaves no record (the retry is tried afresh), and two sent at once wait for each other on
the record's unique index, the second then answering as the first did.

Records are kept API_IDEMPOTENCY_KEEP_HOURS (24 by default): each keyed POST deletes the
older ones (one indexed DELETE), and an older record of the same key counts as none.
"""

from __future__ import annotations

import datetime
import hashlib
import json

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from api.models import IdempotencyKey

HEADER = "Idempotency-Key"
MAX_LENGTH = 100


def request_digest(request) -> str:
    body = json.dumps(request.data, sort_keys=True, default=str)
    return hashlib.sha256(f"{request.method} {request.path}\n{body}".encode()).hexdigest()


def once(request, make_response):
    """Answer `request` with `make_response()`, or with the answer kept under its key."""
    key = request.headers.get(HEADER, "").strip()
    if not key or request.auth is None:
        return make_response()
    if len(key) > MAX_LENGTH or not key.isprintable():
        raise ValidationError(
            {HEADER: _("At most %(max)d printable characters.") % {"max": MAX_LENGTH}}
        )
    fingerprint = request_digest(request)
    now = timezone.now()
    expired = now - datetime.timedelta(hours=settings.API_IDEMPOTENCY_KEEP_HOURS)
    IdempotencyKey.objects.filter(created_at__lt=expired).delete()
    with transaction.atomic():
        record, created = IdempotencyKey.objects.get_or_create(
            token=request.auth, key=key, defaults={"request_digest": fingerprint}
        )
        if not created and record.created_at < expired:
            # Kept longer than promised (a sweep that raced this request): a new request.
            record.request_digest, record.created_at, created = fingerprint, now, True
            record.save(update_fields=["request_digest", "created_at"])
        if not created:
            if record.request_digest != fingerprint:
                return Response(
                    {"detail": _("This Idempotency-Key was used for a different request.")},
                    status=status.HTTP_422_UNPROCESSABLE_ENTITY,
                )
            replay = Response(record.response, status=record.status_code)
            replay["Idempotent-Replayed"] = "true"
            return replay
        response = make_response()
        if response.status_code >= 400:
            transaction.set_rollback(True)  # nothing was made: the retry starts afresh
            return response
        record.status_code = response.status_code
        record.response = json.loads(json.dumps(response.data, default=str))
        record.save(update_fields=["status_code", "response"])
    return response
