"""Which chain an item follows, its stages, its current round of sign-offs, and what an edit does.

Everything is cached on the item object, so that the buttons of one change form (which ask
`allowed()` once per transition) cost the same few queries as one check.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from newsroom.review.models import ChainChoice, Signoff, Stage


def _content_type(obj):
    return ContentType.objects.get_for_model(type(obj))


def chain_choice_for(desk_id, content_type) -> ChainChoice | None:
    choices = ChainChoice.objects.filter(
        Q(desk_id=desk_id) | Q(desk__isnull=True),
        Q(content_type=content_type) | Q(content_type__isnull=True),
    ).select_related("chain")

    def rank(choice):
        return (choice.desk_id is not None, choice.content_type_id is not None)

    return max(choices, key=rank, default=None)


def _load_chain(obj) -> None:
    """The chain and its stages in one query: each stage of a chain chosen for the item's desk
    or any desk, and its type or any type, with the choice it came by; the most specific wins."""
    F = models.F
    rows = (
        Stage.objects.filter(
            # Chosen at all (the join is an outer one), for the desk or any, the type or any.
            Q(chain__chainchoice__pk__isnull=False),
            Q(chain__chainchoice__desk_id=obj.desk_id) | Q(chain__chainchoice__desk__isnull=True),
            Q(chain__chainchoice__content_type=_content_type(obj))
            | Q(chain__chainchoice__content_type__isnull=True),
        )
        .annotate(
            choice_desk=F("chain__chainchoice__desk_id"),
            choice_type=F("chain__chainchoice__content_type_id"),
        )
        .select_related("chain")
        .order_by("order", "pk")
    )
    by_choice: dict[tuple, list[Stage]] = {}
    for stage in rows:
        rank = (stage.choice_desk is not None, stage.choice_type is not None)
        by_choice.setdefault(rank, []).append(stage)
    stages = by_choice[max(by_choice)] if by_choice else []
    obj.__dict__["_review_stages"] = stages
    obj.__dict__["_review_chain"] = stages[0].chain if stages else None


def chain_for(obj):
    """The chain `obj` follows: (desk, type) > (desk, any) > (any desk, type) > the site default."""
    if "_review_chain" not in obj.__dict__:
        _load_chain(obj)
    return obj.__dict__["_review_chain"]


def stages_of(obj) -> list[Stage]:
    """The stages of `obj`'s chain, in order (empty without a chain: nothing to sign)."""
    if "_review_stages" not in obj.__dict__:
        _load_chain(obj)
    return obj.__dict__["_review_stages"]


def forget(obj) -> None:
    for key in ("_review_chain", "_review_stages", "_review_round"):
        obj.__dict__.pop(key, None)


def first_stage(obj) -> Stage | None:
    stages = stages_of(obj)
    return stages[0] if stages else None


def last_stage(obj) -> Stage | None:
    stages = stages_of(obj)
    return stages[-1] if stages else None


def stage_after(obj, stage) -> Stage | None:
    stages = stages_of(obj)
    ids = [s.pk for s in stages]
    if stage is None or stage.pk not in ids:
        return None
    index = ids.index(stage.pk)
    return stages[index + 1] if index + 1 < len(stages) else None


def current_stage(obj) -> Stage | None:
    """The stage awaiting a signature (obj.review_stage), from the chain's cached stages."""
    if obj.review_stage_id is None:
        return None
    for stage in stages_of(obj):
        if stage.pk == obj.review_stage_id:
            return stage
    return obj.review_stage  # a stage of another chain (the chain choice changed since)


def earlier_stages(obj) -> list[Stage]:
    """The stages a signer may send the item back to: before the current one (all, once every
    stage is signed)."""
    stages = stages_of(obj)
    if obj.review_stage_id is None:
        return stages
    ids = [s.pk for s in stages]
    if obj.review_stage_id not in ids:
        return []
    return stages[: ids.index(obj.review_stage_id)]


def current_round(obj) -> list[Signoff]:
    """The item's sign-offs that still stand (not cleared), oldest first."""
    if obj.pk is None:
        return []
    if "_review_round" not in obj.__dict__:
        obj.__dict__["_review_round"] = list(
            Signoff.objects.filter(
                content_type=_content_type(obj), object_id=obj.pk, cleared_at__isnull=True
            ).order_by("at", "pk")
        )
    return obj.__dict__["_review_round"]


def signed_stage_ids(obj) -> set[int]:
    return {s.stage_id for s in current_round(obj)}


def record_signoff(obj, stage, by, note: str, at) -> Signoff:
    """Sign `stage` of `obj` (called by the workflow under the row lock)."""
    import reversion
    from reversion.models import Version

    revision_id = None
    if reversion.is_registered(type(obj)):  # the revision signed, where revisions are kept
        revision_id = (
            Version.objects.get_for_object(obj).values_list("revision_id", flat=True).first()
        )
    signoff = Signoff.objects.create(
        content_type=_content_type(obj),
        object_id=obj.pk,
        stage=stage,
        by=by,
        at=at,
        note=note,
        revision_id=revision_id,
        edit_version=obj.edit_version,
    )
    obj.__dict__.pop("_review_round", None)
    return signoff


def clear_signoffs(obj, reason: str, from_stage=None, at=None) -> int:
    """Clear the current round's sign-offs (from `from_stage` on, in chain order), keeping them
    in the record. Returns how many were cleared."""
    at = at or timezone.now()
    query = Signoff.objects.filter(
        content_type=_content_type(obj), object_id=obj.pk, cleared_at__isnull=True
    )
    if from_stage is not None:
        stages = stages_of(obj)
        ids = [s.pk for s in stages]
        if from_stage.pk in ids:
            query = query.filter(stage_id__in=ids[ids.index(from_stage.pk) :])
        else:
            query = query.filter(stage=from_stage)
    count = query.update(cleared_at=at, cleared_reason=str(reason)[:200])
    obj.__dict__.pop("_review_round", None)
    return count


def content_edited(obj, by) -> Stage | None:
    """An edit of `obj`'s content was saved (the admin and the API call this).

    The current round's sign-offs are marked `edited_after`; where a signed stage asks
    re-approval after edits, its sign-off and every later one are cleared and the item returns
    to that stage (a `reapprove` row in the log, made by the workflow's perform()). A scheduled
    item whose chain asks re-approval goes back to review. Returns the stage it went back to."""
    from newsroom import workflow

    if obj.pk is None:
        return None
    obj.__dict__.pop("_review_round", None)
    standing = current_round(obj)
    if not standing:
        return None
    Signoff.objects.filter(pk__in=[s.pk for s in standing], edited_after=False).update(
        edited_after=True
    )
    signed = {s.stage_id for s in standing}
    stage = next(
        (s for s in stages_of(obj) if s.pk in signed and s.reapprove_on_edit),
        None,
    )
    if stage is None or not workflow.allowed(obj, "reapprove", by):
        return None
    with transaction.atomic():
        workflow.perform(obj, "reapprove", by=by, to_stage=stage)
    return stage


def reapproval_message(stage) -> str:
    return _("The edit cleared the sign-offs from “%(stage)s” on: it must be signed again.") % {
        "stage": stage.name
    }
