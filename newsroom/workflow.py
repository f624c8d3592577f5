"""The editorial workflow: the one place where content changes status.

Articles, events and galleries share it through `newsroom.models.Publishable`.
The table below says which transitions exist and from which states; `allowed()`
says who may make them; `perform()` makes one: it locks the row, checks, sets
the fields, saves them, writes the log row and schedules side effects after the
commit. Nothing else assigns `status`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from newsroom.text import clean_text

# The longest note a transition or correction keeps (the models' fields say the same).
NOTE_MAX_LENGTH = 2000

# Sent under the row lock before a transition changes anything, with its name, user and note.
# A receiver refuses the transition by raising ValidationError or TransitionNotAllowed: the
# transaction is rolled back and the message reaches the user. Feature apps connect to it in
# AppConfig.ready() (the core knows none of them).
before_transition = Signal()
# Sent inside the transaction, after the row and the log are written
# (search documents are rebuilt here, so they commit with the change).
transitioned = Signal()
# Sent after the commit (caches are purged here).
content_changed = Signal()


class Status:
    DRAFT = "draft"
    REVIEW = "review"
    SCHEDULED = "scheduled"
    PUBLISHED = "published"
    UNPUBLISHED = "unpublished"
    SPIKED = "spiked"

    choices = [
        (DRAFT, _("Draft")),
        (REVIEW, _("In review")),
        (SCHEDULED, _("Scheduled")),
        (PUBLISHED, _("Published")),
        (UNPUBLISHED, _("Unpublished")),
        (SPIKED, _("Spiked")),
    ]


EDITOR = "editor"
CONTRIBUTOR = "contributor"  # the author or a person in the byline, or an editor
SYSTEM = "system"  # publish_scheduled; no user
INTERNAL = "internal"  # made by the system for a user (re-approval after an edit); no button
SIGNER = "signer"  # whoever may sign the item's current stage (newsroom.review.rules)


@dataclass(frozen=True)
class TransitionRule:
    name: str
    label: str
    sources: frozenset[str]
    target: str
    who: str
    needs_note: bool = False
    needs_time: bool = False
    # The button's look in the admin: the main action of a state, or a dangerous one.
    style: str = ""

    @property
    def manual(self) -> bool:
        """A person chooses it (a button, a bulk action)."""
        return self.who not in (SYSTEM, INTERNAL)


S = Status
# A table: one rule a line reads better than ruff's wrapping.
# fmt: off
TRANSITIONS: dict[str, TransitionRule] = {
    rule.name: rule
    for rule in [
        TransitionRule(
            "submit",
            _("Submit for review"),
            frozenset({S.DRAFT}),
            S.REVIEW,
            CONTRIBUTOR,
            style="default",
        ),
        TransitionRule(
            "withdraw", _("Withdraw submission"), frozenset({S.REVIEW}), S.DRAFT, CONTRIBUTOR
        ),
        # A signature: the current stage is signed, the item moves to the next one (or, after the
        # last, waits to be scheduled or published). newsroom.review keeps the sign-off.
        TransitionRule(
            "approve", _("Approve"), frozenset({S.REVIEW}), S.REVIEW, SIGNER, style="default"
        ),
        # To the author (draft) or, with `to_stage`, to an earlier stage (stays in review).
        TransitionRule(
            "send_back",
            _("Send back to reporter"),
            frozenset({S.REVIEW}),
            S.DRAFT,
            SIGNER,
            needs_note=True,
        ),
        TransitionRule(
            "publish",
            _("Publish now"),
            frozenset({S.DRAFT, S.REVIEW, S.SCHEDULED, S.UNPUBLISHED}),
            S.PUBLISHED,
            EDITOR,
            style="default",
        ),
        TransitionRule(
            "schedule",
            _("Schedule"),
            frozenset({S.DRAFT, S.REVIEW, S.SCHEDULED, S.UNPUBLISHED}),
            S.SCHEDULED,
            EDITOR,
            needs_time=True,
        ),
        TransitionRule(
            "unschedule", _("Cancel schedule"), frozenset({S.SCHEDULED}), S.REVIEW, EDITOR
        ),
        TransitionRule(
            "unpublish",
            _("Unpublish (retract)"),
            frozenset({S.PUBLISHED}),
            S.UNPUBLISHED,
            EDITOR,
            needs_note=True,
            style="danger",
        ),
        TransitionRule(
            "spike",
            _("Spike"),
            frozenset({S.DRAFT, S.REVIEW, S.SCHEDULED}),
            S.SPIKED,
            EDITOR,
            style="danger",
        ),
        TransitionRule(
            "restore", _("Restore to draft"), frozenset({S.SPIKED, S.UNPUBLISHED}), S.DRAFT, EDITOR
        ),
        TransitionRule(
            "correct",
            _("Add a correction"),
            frozenset({S.PUBLISHED}),
            S.PUBLISHED,
            EDITOR,
            needs_note=True,
        ),
        # Recorded by `publish_scheduled` once publish_at has passed; the content
        # was already public from publish_at on, since "public" is a query.
        TransitionRule(
            "go_live", _("Went live as scheduled"), frozenset({S.SCHEDULED}), S.PUBLISHED, SYSTEM
        ),
        # An edit cleared sign-offs the chain asks again (newsroom.review.chains.content_edited).
        TransitionRule(
            "reapprove",
            _("Returned for re-approval after an edit"),
            frozenset({S.REVIEW, S.SCHEDULED}),
            S.REVIEW,
            INTERNAL,
        ),
    ]
}
# fmt: on


class TransitionNotAllowed(PermissionDenied):
    pass


def effective_status(obj, now: datetime.datetime | None = None) -> str:
    """The status a reader sees: a scheduled item whose time has come is published."""
    now = now or timezone.now()
    if obj.status == S.SCHEDULED and obj.publish_at and obj.publish_at <= now:
        return S.PUBLISHED
    return obj.status


def _source_ok(rule: TransitionRule, obj, now) -> bool:
    if rule.name == "go_live":
        return obj.status == S.SCHEDULED and effective_status(obj, now) == S.PUBLISHED
    if rule.name == "schedule" and obj.status == S.SCHEDULED:
        # Rescheduling is fine until the item has gone live.
        return effective_status(obj, now) == S.SCHEDULED
    return effective_status(obj, now) in rule.sources


def allowed(obj, name: str, user, now=None) -> bool:
    """May `user` (None: the system) make transition `name` on `obj` now?

    The table says from which states; who may is newsroom.review.rules (roles, desks, the
    item's review chain)."""
    from newsroom.review import rules

    rule = TRANSITIONS.get(name)
    if rule is None or not _source_ok(rule, obj, now or timezone.now()):
        return False
    if rule.who == SYSTEM:
        return user is None
    if user is None:
        return False
    return rules.may_transition(obj, name, user)


def available(obj, user, now=None) -> list[TransitionRule]:
    """The transitions `user` may make on `obj` now, in table order (for buttons)."""
    now = now or timezone.now()
    return [r for r in TRANSITIONS.values() if r.manual and allowed(obj, r.name, user, now)]


def can_edit(obj, user) -> bool:
    """May `user` change the content's fields? (newsroom.review.rules.may_edit: chief editors
    always, contributors their own drafts, a desk's editors by the stage of its chain.)"""
    from newsroom.review import rules

    return rules.may_edit(obj, user)


def moved_message(rule: TransitionRule, obj) -> str:
    """Why an action chosen on a page that is out of date was not made."""
    if rule.name == "approve":
        return _(
            "Someone else signed or moved this item after you opened it, so your approval was "
            "not recorded. Reload the page to see where it stands now."
        )
    return _(
        "Someone else changed this item (or its status) after you opened it, so "
        "“%(action)s” was not done. Reload the page to see it as it is now."
    ) % {"action": rule.label}


class TransitionConflict(ValidationError):
    """The item changed after the user saw it: the action was not made."""


def perform(
    obj,
    name: str,
    by,
    note: str = "",
    at: datetime.datetime | None = None,
    seen_version: int | None = None,
    to_stage=None,
):
    """Make transition `name` on `obj` as user `by` (None for the system).

    `approve` signs the item's current stage (a Signoff row) and moves it to the next stage;
    `send_back` with `to_stage` (a Stage or its id, earlier than the current one) keeps it in
    review at that stage, without one returns it to the author; a publish or schedule signs the
    last stage if it is unsigned. The stage before and after is part of the log row.

    Locks the row so that two concurrent transitions cannot both pass their
    checks, records a Transition row, and refreshes `obj` in memory. With
    `seen_version` (the edit version the user's page showed), refuses if the
    item moved since, so that of two editors scheduling at once the second
    learns of the first instead of replacing it unseen.
    Raises TransitionNotAllowed or ValidationError; on error nothing is saved.
    The log rows are written through the content's own relations (`transitions`,
    `corrections`: newsroom.models.Publishable), so this module imports no model.
    """
    rule = TRANSITIONS.get(name)
    if rule is None:
        raise TransitionNotAllowed(_("There is no such action."))
    # The note comes straight from a request: cleaned like every form's text.
    note = clean_text(note or "", multiline=True).strip()
    now = timezone.now()
    if rule.needs_note and not note:
        raise ValidationError({"note": _("Please write a note: it is kept with the story.")})
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError(
            {
                "note": _(
                    "The note is %(length)d characters long; at most %(limit)d are kept. "
                    "Please shorten it."
                )
                % {"length": len(note), "limit": NOTE_MAX_LENGTH}
            }
        )
    if rule.needs_time:
        if at is None:
            raise ValidationError({"at": _("Please choose when it should be published.")})
        if at <= now:
            raise ValidationError({"at": _("The publication time must be in the future.")})

    from newsroom.review import chains

    with transaction.atomic():
        locked = type(obj)._base_manager.select_for_update().get(pk=obj.pk)
        # Two signers approving one stage at once: the second finds it signed and is told so.
        moved = (seen_version is not None and seen_version != locked.edit_version) or (
            name == "approve" and obj.review_stage_id != locked.review_stage_id
        )
        if not allowed(locked, name, by, now):
            if moved:
                raise TransitionConflict(moved_message(rule, locked), code="transition_conflict")
            raise TransitionNotAllowed(
                _("You cannot “%(action)s” this item while it is %(status)s.")
                % {"action": rule.label, "status": locked.get_status_display()}
            )
        if moved:
            raise TransitionConflict(moved_message(rule, locked), code="transition_conflict")
        target_stage = _stage_argument(locked, name, to_stage)
        before_transition.send(
            sender=type(locked), instance=locked, name=name, by=by, note=note, at=at
        )
        from_status = locked.status
        from_stage_id = locked.review_stage_id
        fields = ["status", "status_note", "edit_version", "updated_at", "review_stage"]
        target = rule.target
        if name == "send_back" and target_stage is not None:
            target = S.REVIEW
        _move_stage(locked, name, by, note, now, target_stage)
        locked.status = target
        locked.edit_version += 1
        locked.updated_at = now
        if name == "schedule":
            locked.publish_at = at
            fields.append("publish_at")
        elif name == "publish":
            locked.publish_at = now
            fields.append("publish_at")
        if rule.target == S.PUBLISHED:
            went_live_at = locked.publish_at if name == "go_live" else now
            if locked.first_published_at is None:
                locked.first_published_at = went_live_at
            locked.last_published_at = went_live_at
            fields += ["first_published_at", "last_published_at"]
        if name == "correct":
            locked.corrections.create(text=note, created_by=by)
        else:
            locked.status_note = note
        locked.save(update_fields=fields)
        logged = locked.transitions.create(
            name=name,
            from_status=from_status,
            to_status=target,
            from_stage_id=from_stage_id,
            to_stage_id=locked.review_stage_id,
            by=by,
            note=note,
            at=now,
            publish_at=locked.publish_at if name == "schedule" else None,
        )
        transitioned.send(
            sender=type(locked), instance=locked, name=name, by=by, note=note, transition=logged
        )
        transaction.on_commit(
            lambda: content_changed.send(sender=type(locked), instance=locked, by=by, note=note)
        )

    for field in [*fields, "publish_at"]:
        setattr(obj, field, getattr(locked, field))
    chains.forget(obj)
    return obj


def _stage_argument(locked, name, to_stage):
    """The stage a send-back or a re-approval returns the item to (checked against its chain)."""
    from newsroom.review import chains

    if to_stage in (None, ""):
        if name == "reapprove":
            raise ValidationError(_("There is no stage to return to."))
        return None
    if name not in ("send_back", "reapprove"):
        return None
    stage_id = getattr(to_stage, "pk", to_stage)
    candidates = chains.earlier_stages(locked) if name == "send_back" else chains.stages_of(locked)
    for stage in candidates:
        if str(stage.pk) == str(stage_id):
            return stage
    raise ValidationError(
        {"to_stage": _("It can only be sent back to a stage before the one it is at.")}
    )


def _move_stage(locked, name, by, note, now, target_stage) -> None:
    """The review-chain part of a transition: sign-offs recorded or cleared, the stage moved."""
    from newsroom.review import chains

    if name == "submit":
        chains.clear_signoffs(locked, _("a new round of review"), at=now)
        locked.review_stage = chains.first_stage(locked)
    elif name == "approve":
        stage = chains.current_stage(locked)
        chains.record_signoff(locked, stage, by, note, now)
        locked.review_stage = chains.stage_after(locked, stage)
    elif name == "send_back":
        if target_stage is None:
            chains.clear_signoffs(locked, _("sent back to the author"), at=now)
            locked.review_stage = None
        else:
            chains.clear_signoffs(
                locked,
                _("sent back to “%(stage)s”") % {"stage": target_stage.name},
                from_stage=target_stage,
                at=now,
            )
            locked.review_stage = target_stage
    elif name == "reapprove":
        chains.clear_signoffs(locked, _("edited after signing"), from_stage=target_stage, at=now)
        locked.review_stage = target_stage
    elif name in ("publish", "schedule"):
        last = chains.last_stage(locked)
        if (
            last is not None
            and locked.status in (S.DRAFT, S.REVIEW)
            and last.pk not in chains.signed_stage_ids(locked)
        ):
            chains.record_signoff(locked, last, by, note, now)
        locked.review_stage = None
    elif name in ("withdraw", "restore"):
        chains.clear_signoffs(locked, TRANSITIONS[name].label, at=now)
        locked.review_stage = None
    elif name in ("unschedule", "spike"):
        locked.review_stage = None
