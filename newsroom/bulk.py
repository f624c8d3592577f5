"""Workflow transitions over many items at once (the change lists' bulk actions), made by a
task when there are more than BULK_AT_ONCE_MAX_ITEMS: each item is a locked transition with
its log row, search document and notifications, about 20–50 ms, so a few thousand would
outlast the request."""

from __future__ import annotations

import logging

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from newsroom import workflow
from newsroom.tasks import retrying_task

logger = logging.getLogger("newsroom.tasks")


def transition_each(objs, name: str, by) -> tuple[int, list[str]]:
    """Make transition `name` on each of `objs` as `by`; returns (done, titles refused).
    The workflow checks each item's rule for `by`, as for a single item."""
    done, refused = 0, []
    for obj in objs:
        try:
            workflow.perform(obj, name, by=by)
            done += 1
        except (workflow.TransitionNotAllowed, ValidationError):
            refused.append(str(obj))
    return done, refused


@retrying_task
def bulk_transition(label: str, pks: list[int], name: str, user_id: int) -> dict:
    """The background half of a bulk action. Run again, it does what is left: the items
    already moved are refused by the workflow (the transition is no longer possible)."""
    by = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if by is None:
        return {"done": 0, "refused": len(pks)}
    objs = apps.get_model(label)._base_manager.filter(pk__in=pks).order_by("pk").iterator()
    done, refused = transition_each(objs, name, by)
    logger.info(
        "Bulk %s of %d %s by %s: %d done, %d refused", name, len(pks), label, by, done, len(refused)
    )
    return {"done": done, "refused": len(refused)}
