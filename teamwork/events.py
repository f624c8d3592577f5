"""Who hears of what: the events of the workflow and of comments, and their recipients.

`recipients()` is the one answer to "who should hear of this?". On a review chain (issue 12)
an item reaching a stage (submitted, signed at the stage before, sent back to it, returned to
it by an edit) is told to the people who sign that stage on the item's desk
(`reviewers_of()`, from `newsroom.review.rules.signers_of`), not to every editor of the site;
the contributors hear of each sign-off and of every send-back, with the note. One transition
is one event: nobody hears of it twice, the actor never.
`notify()` writes one Notification per recipient inside the caller's transaction and queues
their emails after the commit.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from newsroom.review import chains, rules
from newsroom.review.models import SIGNING_ROLES, Stage
from newsroom.roles import EDITORS
from newsroom.tasks import enqueue_on_commit
from newsroom.workflow import Status
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
# Events about a stage of the review chain: told to the people who sign it.
SIGNER_EVENTS = {
    Event.REVIEW_QUEUE,
    Event.STAGE_REACHED,
    Event.RETURNED_TO_STAGE,
    Event.REAPPROVE,
}
# The result of what I did, told to me (superuser or not): a bulk action done in the background.
SELF_EVENTS = {Event.BULK_DONE}
# Events about an item of mine: told to its author and the people on its byline.
CONTRIBUTOR_EVENTS = {
    Event.SENT_BACK,
    Event.APPROVED,
    Event.SCHEDULED,
    Event.PUBLISHED,
    Event.RETRACTED,
    Event.CORRECTED,
    Event.SPIKED,
    Event.SHARE_LINK,
}


def reviewers_of(obj):
    """The people who sign the stage `obj` waits at (`recipients()` keeps only the active
    staff, and superusers only if they opted in).

    Of `rules.signers_of(obj)` (the stage's role on the item's desk, and every chief editor,
    who may sign anything), a stage of a desk role is told to the desk's holders of that role
    only; the chief editors hear of it when nobody on the desk may sign it (a desk without its
    editors, or a site from before desks, where the editors are the chief editors), and of
    their own stages. An item without a chain (no stage at all) goes to every chief editor.
    """
    User = get_user_model()
    if obj.status != Status.REVIEW:
        return User.objects.none()
    stage = chains.current_stage(obj)
    if stage is None:
        if chains.stages_of(obj):
            return User.objects.none()  # every stage signed: the last signer publishes
        return User.objects.filter(Q(groups__name=EDITORS) | Q(is_superuser=True))
    signers = rules.signers_of(obj)
    desk_roles = SIGNING_ROLES.get(stage.signer, frozenset())
    if desk_roles:
        on_desk = signers.filter(
            desk_memberships__desk_id=obj.desk_id, desk_memberships__role__in=desk_roles
        )
        if on_desk.exists():
            return on_desk
    return signers


def contributors_of(obj):
    """The author and everyone on the byline who has a login."""
    users = Q(pk=obj.created_by_id) if obj.created_by_id else Q(pk__in=[])
    if hasattr(obj, "bylines"):
        users |= Q(pk__in=obj.bylines.filter(person__user__isnull=False).values("person__user"))
    return get_user_model().objects.filter(users)


def recipients(event: str, obj, actor, comment: Comment | None = None, exclude=()) -> list:
    """Who should hear of `event` on `obj`, made by `actor` (None: the system).

    Never the actor (but for SELF_EVENTS, which tell the actor what came of their action), nor
    anyone in `exclude` (told of the same event otherwise); only active
    staff; superusers only if they opted in; for comments, only people who may read the item's
    discussion.
    """
    if event in SIGNER_EVENTS:
        people = reviewers_of(obj)
    elif event in CONTRIBUTOR_EVENTS:
        people = contributors_of(obj)
    elif event in SELF_EVENTS:
        people = get_user_model().objects.filter(pk=getattr(actor, "pk", None))
    elif event == Event.MENTION:
        people = comment.mentions.all()
    elif event == Event.REPLY:
        people = get_user_model().objects.filter(pk=comment.parent.author_id)
    else:
        raise ValueError(f"Unknown event {event!r}")
    people = people.filter(is_active=True, is_staff=True).exclude(
        pk__in=[getattr(person, "pk", person) for person in exclude]
    )
    if event not in SELF_EVENTS:
        people = people.exclude(pk=getattr(actor, "pk", None)).filter(
            Q(is_superuser=False) | Q(teamwork_profile__notify_as_superuser=True)
        )
    people = people.distinct().order_by("pk")
    people = list(people)
    if event in (Event.MENTION, Event.REPLY):
        people = [user for user in people if may_discuss(user, obj)]
    return people


def notify(
    event: str,
    obj,
    actor,
    key: str,
    note: str = "",
    comment=None,
    url: str = "",
    stage: str = "",
    exclude=(),
    about: tuple | None = None,
    title: str | None = None,
) -> list:
    """Tell everyone concerned of `event` on `obj`; returns the people told.

    `key` names the event itself: a person already told of it is not told again (the
    unique constraint on (recipient, key) makes it so, even for two writers at once).
    `stage` is the name of the review stage the event is about; `exclude`, people already
    told of this event otherwise; `about` (content type, object id) and `title` stand for `obj`
    when the event is about many items (obj None).
    """
    people = recipients(event, obj, actor, comment=comment, exclude=exclude)
    choices = choices_for(people, event)
    if about is not None:
        content_type, object_id = about
    else:
        content_type, object_id = ContentType.objects.get_for_model(obj), obj.pk
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
                object_id=object_id,
                title=(title if title is not None else str(obj))[:300],
                note=note,
                url=url,
                stage=str(stage)[:100],
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


def _stage_name(obj, stage_id) -> str:
    if stage_id is None:
        return ""
    for stage in chains.stages_of(obj):
        if stage.pk == stage_id:
            return stage.name
    return Stage.objects.filter(pk=stage_id).values_list("name", flat=True).first() or ""


def on_transition(sender, instance, name, by=None, note="", transition=None, **kwargs):
    """The workflow's `transitioned` signal (inside its transaction).

    One transition is one event (`key`): the signers of the stage it reached hear of it first,
    then the contributors, except those already told.
    """
    if transition is None:
        return
    key = f"transition:{transition.pk}"
    reached = _stage_name(instance, transition.to_stage_id)
    told = []
    if name == "approve":
        if instance.review_stage_id is not None:
            told = notify(Event.STAGE_REACHED, instance, by, key, note, stage=reached)
        signed = _stage_name(instance, transition.from_stage_id)
        notify(Event.APPROVED, instance, by, key, note, stage=signed, exclude=told)
    elif name == "send_back" and transition.to_stage_id is not None:
        told = notify(Event.RETURNED_TO_STAGE, instance, by, key, note, stage=reached)
        notify(Event.SENT_BACK, instance, by, key, note, stage=reached, exclude=told)
    elif name == "reapprove":
        notify(Event.REAPPROVE, instance, by, key, note, stage=reached)
    else:
        event = TRANSITION_EVENTS.get(name)
        if event is not None:
            notify(event, instance, by, key, note=note, stage=reached)


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


# The most refusals a bulk result lists one by one.
BULK_REFUSALS_LISTED = 20


def on_bulk_done(sender, name, by, run, total, done, refused, language=None, **kwargs):
    """newsroom.bulk's `bulk_done`: tell the actor what came of their bulk action, in the
    language they asked in (the refusals' reasons are in it), else their emails' language:
    “N done, M refused: reasons”, with a link to the change list."""
    from django.utils import translation
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    from newsroom.workflow import TRANSITIONS
    from teamwork.tasks import language_of

    if by is None:
        return
    rule = TRANSITIONS.get(name)
    with translation.override(language or language_of(by)):
        title = _("%(action)s: %(count)d %(items)s") % {
            "action": rule.label if rule else name,
            "count": total,
            "items": sender._meta.verbose_name_plural,
        }
        note = ngettext(
            "%(done)d done, %(refused)d refused", "%(done)d done, %(refused)d refused", done
        ) % {"done": done, "refused": len(refused)}
        if refused:
            reasons = [f"{item} — {reason}" for item, reason in refused[:BULK_REFUSALS_LISTED]]
            if len(refused) > BULK_REFUSALS_LISTED:
                reasons.append(
                    _("and %(count)d more") % {"count": len(refused) - BULK_REFUSALS_LISTED}
                )
            note += ": " + "; ".join(reasons)
    notify(
        Event.BULK_DONE,
        None,
        by,
        key=f"bulk:{run}"[:100],
        note=note,
        about=(ContentType.objects.get_for_model(sender), 0),
        title=title,
    )
