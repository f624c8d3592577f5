"""Workflow transitions over many items at once (the change lists' bulk actions), made by a
task when there are more than BULK_AT_ONCE_MAX_ITEMS: each item is a locked transition with
its log row, search document and notifications, about 20–50 ms, so a few thousand would
outlast the request."""

from __future__ import annotations

import hashlib
import logging

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.dispatch import Signal
from django.utils import translation

from newsroom import workflow
from newsroom.tasks import retrying_task

logger = logging.getLogger("newsroom.tasks")

# Sent when a bulk action done in the background is over (after its last item), so that its
# actor can be told the result (teamwork connects to it; the core knows no feature app).
# Arguments: sender (the model), name (the transition), by (the user), run (a key naming this
# bulk action: the same for a rerun of its task), total, done (a count), refused (a list of
# (title, reason) pairs), language (the one the actor asked in: the reasons are in it).
bulk_done = Signal()


def refusal_reason(exc: Exception) -> str:
    messages = getattr(exc, "messages", None) or [str(exc)]
    return " ".join(str(message) for message in messages)


def transition_each_with_reasons(objs, name: str, by) -> tuple[int, list[tuple[str, str]]]:
    """Make transition `name` on each of `objs` as `by`; returns (done, [(title, reason)] of
    the items refused). The workflow checks each item's rule for `by`, as for a single item."""
    done, refused = 0, []
    for obj in objs:
        try:
            workflow.perform(obj, name, by=by)
            done += 1
        except (workflow.TransitionNotAllowed, ValidationError) as exc:
            refused.append((str(obj), refusal_reason(exc)))
    return done, refused


def transition_each(objs, name: str, by) -> tuple[int, list[str]]:
    """As transition_each_with_reasons(), with the titles refused only."""
    done, refused = transition_each_with_reasons(objs, name, by)
    return done, [title for title, _reason in refused]


def run_key(label: str, pks: list[int], name: str, user_id: int) -> str:
    digest = hashlib.sha256(repr((label, sorted(pks), name, user_id)).encode()).hexdigest()
    return digest[:24]


@retrying_task
def bulk_transition(
    label: str, pks: list[int], name: str, user_id: int, run: str = "", language: str = ""
) -> dict:
    """The background half of a bulk action. Run again, it does what is left: the items
    already moved are refused by the workflow (the transition is no longer possible).
    When it is over, `bulk_done` tells whoever listens (the actor hears of the result). The
    refusals are worded in `language` (the actor's, as they asked), else the site's."""
    with translation.override(language or None):
        return _bulk_transition(label, pks, name, user_id, run, language)


def _bulk_transition(label, pks, name, user_id, run, language) -> dict:
    by = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if by is None:
        return {"done": 0, "refused": len(pks)}
    model = apps.get_model(label)
    objs = model._base_manager.filter(pk__in=pks).order_by("pk").iterator()
    done, refused = transition_each_with_reasons(objs, name, by)
    logger.info(
        "Bulk %s of %d %s by %s: %d done, %d refused", name, len(pks), label, by, done, len(refused)
    )
    bulk_done.send(
        sender=model,
        name=name,
        by=by,
        run=run or run_key(label, pks, name, user_id),
        total=len(pks),
        done=done,
        refused=refused,
        language=translation.get_language(),
    )
    return {"done": done, "refused": len(refused)}
