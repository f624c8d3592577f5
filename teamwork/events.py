"""Who hears of what: the events of the workflow and of comments, and their recipients.

`recipients()` is the one answer to "who should hear of this?". Issue 12 (desks and a review
chain of stages) extends `reviewers_of()`: the people who sign the stage an item reached.
`notify()` writes one Notification per recipient inside the caller's transaction and queues
their emails after the commit.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from newsroom.roles import EDITORS
from newsroom.tasks import enqueue_on_commit
from teamwork import unread
from teamwork.access import may_discuss
from teamwork.models import Comment, EmailChoice, Event, Notification
from teamwork.preferences import choices_for

# The workflow's transitions and the event each one is to the people concerned.
TRANSITION_EVENTS = {
    "submit": Event.REVIEW_QUEUE,
    "send_back": Event.SENT_BACK,
    "schedule": Event.SCHEDULED,
    "publish": Event.PUBLISHED,
    "go_live": Event.PUBLISHED,
    "unpublish": Event.RETRACTED,
    "correct": Event.CORRECTED,
    "spike": Event.SPIKED,
}
# Events about an item of mine: told to its author and the people on its byline.
CONTRIBUTOR_EVENTS = {
    Event.SENT_BACK,
    Event.SCHEDULED,
    Event.PUBLISHED,
    Event.RETRACTED,
    Event.CORRECTED,
    Event.SPIKED,
    Event.SHARE_LINK,
}


def reviewers_of(obj):
    """The people who review `obj` where it is now: today, every editor (superusers are
    editors too; `recipients()` keeps only those who opted in)."""
    return get_user_model().objects.filter(Q(groups__name=EDITORS) | Q(is_superuser=True))


def contributors_of(obj):
    """The author and everyone on the byline who has a login."""
    users = Q(pk=obj.created_by_id) if obj.created_by_id else Q(pk__in=[])
    if hasattr(obj, "bylines"):
        users |= Q(pk__in=obj.bylines.filter(person__user__isnull=False).values("person__user"))
    return get_user_model().objects.filter(users)


def recipients(event: str, obj, actor, comment: Comment | None = None) -> list:
    """Who should hear of `event` on `obj`, made by `actor` (None: the system).

    Never the actor; only active staff; superusers only if they opted in; for comments,
    only people who may read the item's discussion.
    """
    if event == Event.REVIEW_QUEUE:
        people = reviewers_of(obj)
    elif event in CONTRIBUTOR_EVENTS:
        people = contributors_of(obj)
    elif event == Event.MENTION:
        people = comment.mentions.all()
    elif event == Event.REPLY:
        people = get_user_model().objects.filter(pk=comment.parent.author_id)
    else:
        raise ValueError(f"Unknown event {event!r}")
    people = (
        people.filter(is_active=True, is_staff=True)
        .exclude(pk=getattr(actor, "pk", None))
        .filter(Q(is_superuser=False) | Q(teamwork_profile__notify_as_superuser=True))
        .distinct()
        .order_by("pk")
    )
    people = list(people)
    if event in (Event.MENTION, Event.REPLY):
        people = [user for user in people if may_discuss(user, obj)]
    return people


def notify(event: str, obj, actor, key: str, note: str = "", comment=None, url: str = "") -> list:
    """Tell everyone concerned of `event` on `obj`; returns the people told.

    `key` names the event itself: a person already told of it is not told again (the
    unique constraint on (recipient, key) makes it so, even for two writers at once).
    """
    people = recipients(event, obj, actor, comment=comment)
    choices = choices_for(people, event)
    content_type = ContentType.objects.get_for_model(obj)
    rows = []
    for user in people:
        choice = choices[user.pk]
        if not choice.wants_anything:
            continue
        email = {
            EmailChoice.IMMEDIATE: Notification.Email.PENDING,
            EmailChoice.DIGEST: Notification.Email.DIGEST,
        }.get(choice.email, Notification.Email.NONE)
        if email != Notification.Email.NONE and not user.email:
            email = Notification.Email.NONE
        rows.append(
            Notification(
                recipient=user,
                event=event,
                key=key,
                actor=actor,
                content_type=content_type,
                object_id=obj.pk,
                title=str(obj)[:300],
                note=note,
                url=url,
                comment=comment,
                in_inbox=choice.in_app,
                email=email,
            )
        )
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    unread.forget(row.recipient_id for row in rows if row.in_inbox)
    if any(row.email == Notification.Email.PENDING for row in rows):
        from teamwork.tasks import send_notification_emails

        enqueue_on_commit(send_notification_emails, key)
    return [row.recipient for row in rows]


def on_transition(sender, instance, name, by=None, note="", transition=None, **kwargs):
    """The workflow's `transitioned` signal (inside its transaction)."""
    event = TRANSITION_EVENTS.get(name)
    if event is None or transition is None:
        return
    notify(event, instance, by, key=f"transition:{transition.pk}", note=note)


def on_comment(comment: Comment) -> None:
    """A new comment: its mentions, and the author of the comment it answers."""
    item = comment.item
    told = set()
    if comment.mentions.exists():
        told = {
            u.pk
            for u in notify(
                Event.MENTION, item, comment.author, f"comment:{comment.pk}", comment.body, comment
            )
        }
    if comment.parent_id and comment.parent.author_id not in told:
        notify(Event.REPLY, item, comment.author, f"comment:{comment.pk}", comment.body, comment)
