"""Previews of unpublished content: for staff in the admin, and by signed, expiring link."""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

from newsroom import registry
from newsroom.workflow import Status

SALT = "newsroom.preview"
# A link shared before a story was retracted or spiked must not keep showing it.
WITHDRAWN = {Status.UNPUBLISHED, Status.SPIKED}


def withdrawals(obj) -> int:
    """How many times the item was spiked or retracted: a link signs the count it was made at,
    so one shared before a withdrawal stays dead after the item is restored."""
    from newsroom.models import Transition

    return Transition.objects.filter(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        to_status__in=WITHDRAWN,
    ).count()


def preview_token(obj) -> str:
    return signing.dumps(
        {"m": obj._meta.label_lower, "pk": obj.pk, "v": obj.edit_version, "w": withdrawals(obj)},
        salt=SALT,
        compress=True,
    )


def preview_url(obj) -> str:
    return settings.SITE_URL + reverse("shared_preview", kwargs={"token": preview_token(obj)})


def object_from_token(token: str):
    """The object a token names, or Http404 if it is forged, expired, gone or withdrawn."""
    try:
        data = signing.loads(token, salt=SALT, max_age=settings.PREVIEW_LINK_MAX_AGE)
        if not registry.is_registered(data["m"]):
            raise LookupError(data["m"])
        obj = apps.get_model(data["m"])._default_manager.filter(pk=int(data["pk"])).first()
        # Links made before withdrawals were counted count none.
        withdrawn_before = int(data.get("w", 0))
    except (signing.BadSignature, LookupError, KeyError, TypeError, ValueError, AttributeError):
        raise Http404 from None
    if obj is None or obj.status in WITHDRAWN or withdrawals(obj) != withdrawn_before:
        raise Http404
    return obj


def render_preview(request, obj, *, shared: bool):
    """The object's public page as it would look (its content type's template and context,
    newsroom.registry), marked as a preview and kept out of every cache and index."""
    content_type = registry.get(obj)
    context = {**content_type.detail_context(obj), "is_preview": True, "is_shared_preview": shared}
    response = render(request, content_type.template, context)
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
