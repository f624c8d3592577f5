"""Putting content into each workflow state, the way the newsroom would get it there."""

import datetime

from django.utils import timezone

from newsroom.workflow import Status

STATES = [
    "draft",
    "review",
    "scheduled_future",
    "scheduled_live",
    "published",
    "unpublished",
    "spiked",
]


def put_in_state(obj, state: str, editor):
    """Move `obj` (a fresh draft) into `state` through real transitions."""
    if state == "draft":
        return obj
    if state == "review":
        obj.submit_for_review(by=editor)
    elif state == "scheduled_future":
        obj.schedule(at=timezone.now() + datetime.timedelta(hours=2), by=editor)
    elif state == "scheduled_live":
        obj.schedule(at=timezone.now() + datetime.timedelta(hours=2), by=editor)
        # Time passes: publish_at is now behind us, and no job has run.
        type(obj).objects.filter(pk=obj.pk).update(
            publish_at=timezone.now() - datetime.timedelta(minutes=5)
        )
    elif state == "published":
        obj.publish(by=editor)
    elif state == "unpublished":
        obj.publish(by=editor)
        obj.unpublish(by=editor, reason="事实有误")
    elif state == "spiked":
        obj.spike(by=editor)
    obj.refresh_from_db()
    assert obj.status == {
        "scheduled_future": Status.SCHEDULED,
        "scheduled_live": Status.SCHEDULED,
    }.get(state, state)
    return obj
