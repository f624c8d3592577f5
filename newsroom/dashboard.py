"""The admin start page: what each person has to do next."""

from __future__ import annotations

from django.urls import reverse
from django.utils.functional import cached_property

from newsroom import registry

LIMIT = 15


def _rows(queryset, limit=LIMIT):
    model = queryset.model
    url_name = registry.get(model).admin_change_url_name
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
    desk = {"drafts": [], "sent_back": [], "submitted": []}
    for model in registry.publishable_models():
        base = model.objects.contributed_by(user)
        desk["drafts"] += _rows(base.drafts().filter(status_note="").order_by("-updated_at"))
        desk["sent_back"] += _rows(base.sent_back().order_by("-updated_at"))
        desk["submitted"] += _rows(base.in_review().order_by("updated_at"))
    return desk


def editor_desk() -> dict:
    """The review queue (oldest first), what is scheduled, and what went out lately."""
    models = registry.publishable_models()
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


# --- the review chain: what waits for my signature, and each desk's pipeline -------------------
def may_sign_anything(user) -> bool:
    """Does `user` sign any stage anywhere (a desk editor, chief or proofreader, or a chief
    editor)? Asked of the groups (cached on the user, read on every admin page anyway): a
    membership with a signing role puts its holder in the role's group."""
    from newsroom.roles import Role, has_role_group, is_chief_editor

    return is_chief_editor(user) or has_role_group(user, Role.EDITOR, Role.CHIEF, Role.PROOFREADER)


def _entered_stage(model):
    """When the item last moved (its last transition: submitted, approved, sent back,
    returned for re-approval): how long it has waited where it is. Edits do not count."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import OuterRef, Subquery
    from django.db.models.functions import Coalesce

    from newsroom.models import Transition

    content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    last_move = (
        Transition.objects.filter(content_type=content_type, object_id=OuterRef("pk"))
        .order_by("-at", "-pk")
        .values("at")[:1]
    )
    return Coalesce(Subquery(last_move), "updated_at")


def awaiting_signature(user, limit: int = LIMIT) -> list[dict]:
    """The items waiting for `user`'s signature on their desks, oldest first, each with its
    stage, desk and age. One query per content type, however many items and stages."""
    from django.utils import timezone

    from newsroom.review import rules

    if not may_sign_anything(user):
        return []
    now = timezone.now()
    rows = []
    for entry in registry.publishable_types():
        queryset = (
            rules.awaiting_signature(user, entry.model.objects.all())
            .select_related("review_stage", "desk", "created_by")
            .annotate(waiting_since=_entered_stage(entry.model))
            .order_by("waiting_since", "pk")
        )
        for obj in queryset[:limit]:
            rows.append(
                {
                    "object": obj,
                    "kind": entry.model._meta.verbose_name,
                    "url": reverse(entry.admin_change_url_name, args=[obj.pk]),
                    "stage": obj.review_stage,
                    "desk": obj.desk,
                    "waiting_since": obj.waiting_since,
                    "age": now - obj.waiting_since,
                }
            )
    rows.sort(key=lambda row: row["waiting_since"])
    return rows[:limit]


# The header shows "99+" beyond this: the count stops there (no COUNT over a whole table).
COUNT_CAP = 100


def awaiting_count(user) -> int:
    """How many items wait for `user`'s signature, up to COUNT_CAP (the admin's header shows
    it): one query."""
    from newsroom.review import rules

    if not may_sign_anything(user):
        return 0
    querysets = [
        rules.awaiting_signature(user, model.objects.all()).order_by().values_list("pk")
        for model in registry.publishable_models()
    ]
    if not querysets:
        return 0
    first, *rest = querysets
    everything = first.union(*rest, all=True) if rest else first
    return everything[:COUNT_CAP].count()


class SigningNav:
    """The header's "to sign" link: asked only when a page shows it."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def may_sign(self) -> bool:
        return may_sign_anything(self.user)

    @cached_property
    def count(self) -> int:
        return awaiting_count(self.user) if self.may_sign else 0

    @property
    def label(self) -> str:
        return f"{COUNT_CAP - 1}+" if self.count >= COUNT_CAP else str(self.count)


def pipeline_desks(user):
    """The desks whose pipeline `user` sees: every desk for a chief editor, their own for a
    desk chief, none for anyone else. None means every desk."""
    from newsroom.review import rules

    if rules.is_chief_editor(user):
        return None
    return sorted(desk for desk, roles in rules.desk_roles(user).items() if "chief" in roles)


def desk_pipeline(user) -> list[dict]:
    """Each desk's items in review by stage: [{"desk", "stages": [{"stage", "count", "oldest"}],
    "total"}], stages in chain order with "every stage signed" (stage None) last. Queries: one
    per content type (grouped counts), one for the desks, one for the stages."""
    from django.db.models import Count, Min

    from newsroom.review.models import Desk, Stage

    desk_ids = pipeline_desks(user)
    if desk_ids == []:
        return []
    counts: dict[tuple, dict] = {}
    for model in registry.publishable_models():
        queryset = model.objects.in_review()
        if desk_ids is not None:
            queryset = queryset.filter(desk_id__in=desk_ids)
        grouped = (
            queryset.order_by()
            .values("desk_id", "review_stage_id")
            .annotate(n=Count("pk"), oldest=Min("updated_at"))
        )
        for row in grouped:
            key = (row["desk_id"], row["review_stage_id"])
            cell = counts.setdefault(key, {"count": 0, "oldest": row["oldest"]})
            cell["count"] += row["n"]
            cell["oldest"] = min(cell["oldest"], row["oldest"])
    desks = Desk.objects.order_by("name")
    if desk_ids is not None:
        desks = desks.filter(pk__in=desk_ids)
    stage_ids = {stage_id for _desk, stage_id in counts if stage_id is not None}
    stages = {s.pk: s for s in Stage.objects.filter(pk__in=stage_ids).select_related("chain")}
    result = []
    for desk in desks:
        rows = [
            {"stage": stages.get(stage_id), **cell}
            for (desk_id, stage_id), cell in counts.items()
            if desk_id == desk.pk
        ]
        rows.sort(
            key=lambda r: (r["stage"] is None, r["stage"].chain_id if r["stage"] else 0,
                           r["stage"].order if r["stage"] else 0)
        )  # fmt: skip
        result.append({"desk": desk, "stages": rows, "total": sum(r["count"] for r in rows)})
    return result
