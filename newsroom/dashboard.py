"""The admin start page: what each person has to do next."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse

LIMIT = 15


def _content_models():
    from articles.models import Article, Event, Gallery

    return [Article, Gallery, Event]


def _rows(queryset, limit=LIMIT):
    model = queryset.model
    url_name = f"admin:{model._meta.app_label}_{model._meta.model_name}_change"
    return [
        {"object": obj, "kind": model._meta.verbose_name, "url": reverse(url_name, args=[obj.pk])}
        for obj in queryset.select_related("created_by")[:limit]
    ]


def _merge(querysets_by_model, key, reverse_order=False):
    rows = [row for qs in querysets_by_model for row in _rows(qs)]
    rows.sort(key=lambda row: key(row["object"]), reverse=reverse_order)
    return rows[:LIMIT]


def reporter_desk(user) -> dict:
    """My drafts, drafts sent back to me with a note, and my submissions."""
    mine = Q(created_by=user)
    desk = {"drafts": [], "sent_back": [], "submitted": []}
    for model in _content_models():
        own = mine | Q(bylines__person__user=user) if hasattr(model, "bylines") else mine
        base = model.objects.filter(own).distinct()
        desk["drafts"] += _rows(base.drafts().filter(status_note="").order_by("-updated_at"))
        desk["sent_back"] += _rows(base.sent_back().order_by("-updated_at"))
        desk["submitted"] += _rows(base.in_review().order_by("updated_at"))
    return desk


def editor_desk() -> dict:
    """The review queue (oldest first), what is scheduled, and what went out lately."""
    models = _content_models()
    return {
        "review": _merge(
            [m.objects.in_review().order_by("updated_at") for m in models],
            key=lambda o: o.updated_at,
        ),
        "scheduled": _merge(
            [m.objects.scheduled().order_by("publish_at") for m in models],
            key=lambda o: o.publish_at,
        ),
        "published": _merge(
            [m.objects.published().order_by("-publish_at") for m in models],
            key=lambda o: o.publish_at,
            reverse_order=True,
        ),
    }
