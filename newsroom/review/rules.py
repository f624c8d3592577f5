"""Every "who may" of the newsroom, written once (issue 12). newsroom.workflow asks here.

Roles: newsroom.roles. Desk roles come from DeskMembership (one query, cached on the user);
chief editors (the "Editors" group, superusers) may do everything everywhere, within what the
chain allows (a distinct-signer stage still needs a distinct person).

Reading rights of unpublished work (documented in the README):
- chief editors: everything (site administrators pass this rule too, but their group carries
  no content permissions, so the admin shows them none: desks, chains and logins are theirs);
- editors, desk chiefs and proofreaders: every item of their desks;
- reporters and photographers: their own work, and their desks' items once submitted (in review
  or later) — never another person's draft;
- correspondents (outside contributors): their own work only;
- everyone on the staff sees what is published.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from newsroom.review import chains
from newsroom.review.models import SIGNING_ROLES, Desk, DeskMembership, Signoff, Stage
from newsroom.roles import (
    CONTRIBUTOR_ROLES,
    ROLE_GROUPS,
    Role,
    has_role_group,
    is_active_user,
    is_chief_editor,
    is_newsroom_member,
    is_reporter,
    is_site_admin,
)
from newsroom.workflow import Status

__all__ = [
    "awaiting_signature",
    "desk_roles",
    "has_desk_role",
    "is_chief_editor",
    "may_edit",
    "may_sign",
    "may_transition",
    "may_view",
    "signers_of",
    "visible_q",
]

DESK_READERS = frozenset({Role.EDITOR, Role.CHIEF, Role.PROOFREADER})
STAFF_READERS = frozenset({Role.REPORTER, Role.PHOTOGRAPHER})
DESK_MANAGERS = frozenset({Role.EDITOR, Role.CHIEF})


def desk_roles(user) -> dict[int, frozenset[str]]:
    """desk id → the user's roles on it. One query, cached on the user object. A user in
    "Reporters" without any membership (data from before desks) is a reporter on the default desk."""
    if not is_active_user(user):
        return {}
    cached = user.__dict__.get("_newsroom_desk_roles")
    if cached is not None:
        return cached
    roles: dict[int, set[str]] = {}
    for desk_id, role in DeskMembership.objects.filter(user=user).values_list("desk_id", "role"):
        roles.setdefault(desk_id, set()).add(role)
    if not roles and is_reporter(user):
        default_id = Desk.objects.default_id()
        if default_id is not None:
            roles[default_id] = {Role.REPORTER}
    result = {desk_id: frozenset(names) for desk_id, names in roles.items()}
    user.__dict__["_newsroom_desk_roles"] = result
    return result


def _desk_id(obj) -> int | None:
    if obj.desk_id is None and getattr(obj, "pk", None) is None:
        return obj.desk_from_content() if hasattr(obj, "desk_from_content") else None
    return obj.desk_id


def has_desk_role(user, desk_id, *roles) -> bool:
    return bool(desk_roles(user).get(desk_id, frozenset()) & set(roles))


def roles_anywhere(user) -> frozenset[str]:
    held: set[str] = set()
    for names in desk_roles(user).values():
        held |= names
    return frozenset(held)


def is_contributor_role(user) -> bool:
    """Someone who files work: a reporter, correspondent or photographer on some desk."""
    return bool(roles_anywhere(user) & CONTRIBUTOR_ROLES) or has_role_group(
        user, *CONTRIBUTOR_ROLES
    )


def is_desk_signer(user) -> bool:
    """May this user sign some stage somewhere (an editor, chief, proofreader or chief editor)?"""
    return is_chief_editor(user) or bool(roles_anywhere(user) & DESK_READERS)


# --- signing ----------------------------------------------------------------


def _blocked_by_distinct(user, obj, stage) -> bool:
    if not stage.distinct_signer:
        return False
    distinct_ids = {s.pk for s in chains.stages_of(obj) if s.distinct_signer}
    return any(
        signoff.by_id == user.pk
        and signoff.stage_id != stage.pk
        and signoff.stage_id in distinct_ids
        for signoff in chains.current_round(obj)
    )


def may_sign(user, obj, stage) -> bool:
    """May `user` sign `stage` of `obj`? A chief editor any stage; otherwise the stage's role on
    the item's desk (an editor's stage also by the desk chief). A distinct-signer stage refuses
    whoever signed another such stage of the item in this round."""
    if stage is None or not is_active_user(user):
        return False
    if not is_chief_editor(user):
        allowed_roles = SIGNING_ROLES.get(stage.signer, frozenset())
        if not has_desk_role(user, _desk_id(obj), *allowed_roles):
            return False
    return not _blocked_by_distinct(user, obj, stage)


def distinct_refusal(user, obj, stage) -> bool:
    """True when the only reason `user` may not sign is that they signed another stage."""
    return _blocked_by_distinct(user, obj, stage)


def ready_to_publish(obj) -> bool:
    """No stage but the last is waiting for a signature."""
    stages = chains.stages_of(obj)
    if obj.status == Status.REVIEW:
        last = stages[-1] if stages else None
        return obj.review_stage_id is None or (last is not None and obj.review_stage_id == last.pk)
    if obj.status == Status.DRAFT:
        if len(stages) <= 1:
            return True
        signed = chains.signed_stage_ids(obj)
        return all(stage.pk in signed for stage in stages[:-1])
    # Scheduled or retracted: it was through the chain (or from before chains).
    return True


def may_publish(user, obj) -> bool:
    """The final stage's signer or a chief editor, once the earlier stages are signed."""
    if not ready_to_publish(obj):
        return False
    last = chains.last_stage(obj)
    if last is None:
        return is_chief_editor(user) or has_desk_role(user, _desk_id(obj), *DESK_MANAGERS)
    if last.pk in chains.signed_stage_ids(obj) and obj.status != Status.DRAFT:
        # Signed already: its signers and chief editors publish.
        return is_chief_editor(user) or has_desk_role(
            user, _desk_id(obj), *SIGNING_ROLES.get(last.signer, ())
        )
    return may_sign(user, obj, last)


def _manages_desk(user, obj) -> bool:
    return is_chief_editor(user) or has_desk_role(user, _desk_id(obj), *DESK_MANAGERS)


def may_transition(obj, name: str, user, to_stage=None) -> bool:
    """The who-part of `workflow.allowed()` (the table there says from which states)."""
    if not is_active_user(user):
        return False
    if name in ("submit", "withdraw"):
        if _manages_desk(user, obj):
            return True
        return obj.is_contributor(user) and is_newsroom_member(user)
    if name == "approve":
        if obj.review_stage_id is None or len(chains.stages_of(obj)) < 2:
            # A one-stage chain (single editor) is signed by publishing or scheduling, as ever.
            return False
        return may_sign(user, obj, chains.current_stage(obj))
    if name == "send_back":
        stage = chains.current_stage(obj) or chains.last_stage(obj)
        if is_chief_editor(user) or has_desk_role(user, _desk_id(obj), Role.CHIEF):
            return True
        return stage is not None and may_sign(user, obj, stage)
    if name in ("publish", "schedule"):
        return may_publish(user, obj)
    if name == "unschedule":
        last = chains.last_stage(obj)
        if last is None:
            return _manages_desk(user, obj)
        return is_chief_editor(user) or has_desk_role(
            user, _desk_id(obj), *SIGNING_ROLES.get(last.signer, ())
        )
    if name in ("unpublish", "spike", "restore", "correct"):
        return _manages_desk(user, obj)
    if name == "reapprove":
        return True  # made by content_edited() for the person whose edit was saved
    return False


# --- editing and reading ---------------------------------------------------------


def may_edit(obj, user) -> bool:
    """May `user` change the content's fields (= workflow.can_edit)?"""
    if not is_active_user(user):
        return False
    if is_chief_editor(user):
        return True
    desk_id = _desk_id(obj)
    roles = desk_roles(user).get(desk_id, frozenset())
    if obj.status == Status.DRAFT and obj.is_contributor(user) and is_contributor_role(user):
        return True
    if Role.CHIEF in roles:
        return True
    if obj.status != Status.REVIEW:
        return Role.EDITOR in roles
    stage = chains.current_stage(obj) or chains.last_stage(obj)
    if stage is None:
        return Role.EDITOR in roles
    if not stage.may_edit or not may_sign(user, obj, stage):
        return False
    if Role.EDITOR in roles:
        return True
    return Role.PROOFREADER in roles and stage.is_proof


def _published_q(now=None) -> Q:
    now = now or timezone.now()
    return Q(status=Status.PUBLISHED) | Q(status=Status.SCHEDULED, publish_at__lte=now)


def visible_q(user, model) -> Q:
    """The items of `model` that `user` may see in the admin (the reading rights above)."""
    if not is_active_user(user):
        return Q(pk__in=[])
    if is_chief_editor(user) or is_site_admin(user):
        return Q()
    condition = _published_q() | model.objects.contributor_condition(user)
    readers, staff = [], []
    for desk_id, roles in desk_roles(user).items():
        if roles & DESK_READERS:
            readers.append(desk_id)
        elif roles & STAFF_READERS:
            staff.append(desk_id)
    if readers:
        condition |= Q(desk_id__in=readers)
    if staff:
        condition |= Q(desk_id__in=staff) & ~Q(status__in=[Status.DRAFT, Status.SPIKED])
    return condition


def may_view(obj, user) -> bool:
    if not is_active_user(user):
        return False
    if is_chief_editor(user) or is_site_admin(user) or obj.is_published():
        return True
    if obj.is_contributor(user):
        return True
    roles = desk_roles(user).get(_desk_id(obj), frozenset())
    if roles & DESK_READERS:
        return True
    return bool(roles & STAFF_READERS) and obj.status not in (Status.DRAFT, Status.SPIKED)


# --- queues and notifications ---------------------------------------------------------


def signable_stage_roles(roles) -> set[str]:
    """The Stage.signer values a holder of `roles` on a desk may sign."""
    return {signer for signer, holders in SIGNING_ROLES.items() if holders & set(roles)}


def awaiting_signature(user, queryset):
    """The items of `queryset` in review whose current stage `user` may sign, by desk and the
    stage's signer role (chief editors: every chief-editor stage on every desk)."""
    if not is_active_user(user):
        return queryset.none()
    condition = Q(pk__in=[])
    if is_chief_editor(user):
        condition |= Q(review_stage__signer=Role.CHIEF_EDITOR)
    for desk_id, roles in desk_roles(user).items():
        signers = signable_stage_roles(roles)
        if signers:
            condition |= Q(desk_id=desk_id, review_stage__signer__in=signers)
    # Not what a distinct-signer stage refuses them: they signed another such stage of it.
    signed_another = Signoff.objects.filter(
        content_type=ContentType.objects.get_for_model(queryset.model),
        object_id=OuterRef("pk"),
        by=user,
        cleared_at__isnull=True,
        stage__distinct_signer=True,
    ).exclude(stage_id=OuterRef("review_stage_id"))
    return queryset.filter(condition, status=Status.REVIEW, review_stage__isnull=False).exclude(
        Q(review_stage__distinct_signer=True) & Exists(signed_another)
    )


def signers_of(obj):
    """The users who may sign `obj`'s current stage (teamwork notifies them)."""
    User = get_user_model()
    stage = chains.current_stage(obj)
    if obj.status != Status.REVIEW or stage is None:
        return User.objects.none()
    chief_editors = Q(is_superuser=True) | Q(groups__name=ROLE_GROUPS[Role.CHIEF_EDITOR])
    condition = chief_editors
    desk_roles_for_stage = SIGNING_ROLES.get(stage.signer, frozenset())
    if desk_roles_for_stage:
        condition |= Q(
            desk_memberships__desk_id=_desk_id(obj), desk_memberships__role__in=desk_roles_for_stage
        )
    users = User.objects.filter(condition, is_active=True).distinct()
    if stage.distinct_signer:
        distinct_ids = {s.pk for s in chains.stages_of(obj) if s.distinct_signer}
        blocked = {
            signoff.by_id
            for signoff in chains.current_round(obj)
            if signoff.stage_id != stage.pk and signoff.stage_id in distinct_ids
        }
        users = users.exclude(pk__in=blocked)
    return users


def stage_label(stage: Stage | None) -> str:
    return stage.name if stage is not None else ""
