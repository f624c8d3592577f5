"""The compiled lists of the current version: built once, shared through the cache.

`current()` reads the version token (one query), then looks in this process's memo, then in
the cache (`wordcheck:lists:<token>`: the Matcher pickled, automaton included), and only
then builds from the database. Key-based: a new version is a new key, nothing is deleted.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field

from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from newsroom.roles import is_editor
from wordcheck.matcher import EntrySpec, Matcher
from wordcheck.models import Action, Category, Entry, ListsVersion, Policy

logger = logging.getLogger(__name__)

# The stages a policy is set for: workflow transitions that move an item towards readers.
# "approve" is every sign-off of a review chain (issue 12); one stage of a chain has its own
# policy under stage_key(stage) ("stage:<id>"), which falls back to "approve" where unset.
STAGES: dict[str, str] = {
    "submit": _("Submit for review"),
    "approve": _("Approve at any review stage"),
    "schedule": _("Schedule"),
    "publish": _("Publish"),
}
APPROVE = "approve"
STAGE_PREFIX = "stage:"


def stage_key(stage) -> str:
    """The policy's name for approving at one stage of a review chain."""
    return f"{STAGE_PREFIX}{stage.pk}"


def is_stage_key(name: str) -> bool:
    return name.startswith(STAGE_PREFIX) and name[len(STAGE_PREFIX) :].isdigit()


def stage_label(name: str) -> str:
    """What a policy stage is called: a transition, or a chain's stage by its name."""
    if is_stage_key(name):
        from newsroom.review.models import Stage

        stage = Stage.objects.filter(pk=int(name[len(STAGE_PREFIX) :])).first()
        return stage.name if stage is not None else name
    return str(STAGES.get(name, name))


def chain_stage_choices() -> list[tuple[str, str]]:
    """A policy choice per stage of every chain: “Approve at 三审三校 · 初审”."""
    from newsroom.review.models import Stage

    return [
        (
            stage_key(stage),
            _("Approve at %(chain)s · %(stage)s")
            % {"chain": stage.chain.name, "stage": stage.name},
        )
        for stage in Stage.objects.select_related("chain").order_by("chain__name", "order")
    ]


# What a hit means when the policy table has no row for it.
DEFAULT_POLICY: dict[str, dict[str, str]] = {
    Category.BANNED: {"submit": Action.BLOCK, "schedule": Action.BLOCK, "publish": Action.BLOCK},
    Category.SENSITIVE: {
        "submit": Action.WARN,
        "schedule": Action.SIGNOFF,
        "publish": Action.SIGNOFF,
    },
    Category.FIXED: {"submit": Action.WARN, "schedule": Action.BLOCK, "publish": Action.BLOCK},
    Category.MISTAKE: {"submit": Action.WARN, "schedule": Action.WARN, "publish": Action.WARN},
}
# A sign-off on the way up: a banned word stops it there; the rest is weighed at publication.
for _category, _action in {
    Category.BANNED: Action.BLOCK,
    Category.SENSITIVE: Action.WARN,
    Category.FIXED: Action.WARN,
    Category.MISTAKE: Action.WARN,
}.items():
    DEFAULT_POLICY[_category][APPROVE] = _action
# Seven days: a version lives until the next change; a stale key costs only memory.
CACHE_SECONDS = 7 * 24 * 3600


def register_stage(name: str, label) -> None:
    """Let a policy be set for another stage (a transition name), e.g. issue 12's approve."""
    STAGES[name] = label


def is_senior(user, obj=None) -> bool:
    """Who may let sensitive words through with a note: a chief editor, or the chief of the
    item's desk (部门主任)."""
    if user is None:
        return False
    if is_editor(user):
        return True
    if obj is None or getattr(obj, "desk_id", None) is None:
        return False
    from newsroom.review import rules
    from newsroom.roles import Role

    return rules.has_desk_role(user, obj.desk_id, Role.CHIEF)


@dataclass
class Compiled:
    """Everything the check needs of one version of the lists."""

    token: str
    number: int
    matcher: Matcher
    policy: dict[tuple[str, str], str] = field(default_factory=dict)

    def action(self, category: str, stage: str) -> str | None:
        """warn, signoff or block for a hit of `category` at `stage`; None: not a stage.
        A chain's stage (stage_key) has its own rule, or else approve's."""
        if category == Category.EXCEPTION:
            return None
        if is_stage_key(stage):
            return self.policy.get((category, stage)) or self.action(category, APPROVE)
        if stage not in STAGES:
            return None
        found = self.policy.get((category, stage))
        return found or DEFAULT_POLICY.get(category, {}).get(stage, Action.WARN)


def entry_specs(queryset=None) -> list[EntrySpec]:
    rows = (queryset if queryset is not None else Entry.objects.all()).filter(
        is_active=True, word_list__is_active=True
    )
    return [
        EntrySpec(
            id=pk,
            category=category,
            term=term,
            replacement=replacement,
            note=note,
            variants=tuple(v.strip() for v in variants.splitlines() if v.strip()),
            list_name=list_name,
            is_exception=category == Category.EXCEPTION,
            is_fixed=category == Category.FIXED,
            desk_id=desk_id,
        )
        for pk, category, term, replacement, note, variants, list_name, desk_id in rows.values_list(
            "pk",
            "category",
            "term",
            "replacement",
            "note",
            "variants",
            "word_list__name",
            "desk_id",
        ).order_by("pk")
    ]


def build() -> Compiled:
    """Compile the lists from the database, consistently: the version read before and
    after the entries must agree (every change bumps it in its own transaction)."""
    for _attempt in range(5):
        number, token = ListsVersion.current()
        specs = entry_specs()
        policy = {
            (c, s): a for c, s, a in Policy.objects.values_list("category", "stage", "action")
        }
        if ListsVersion.current() == (number, token):
            break
    return Compiled(
        token=token, number=number, matcher=Matcher(specs, version=number), policy=policy
    )


_memo: dict[str, Compiled] = {}
_lock = threading.Lock()


def current() -> Compiled:
    """The compiled lists of the current version (see the module docstring)."""
    number, token = ListsVersion.current()
    compiled = _memo.get(token)
    if compiled is not None:
        return compiled
    with _lock:
        compiled = _memo.get(token)
        if compiled is None:
            key = f"wordcheck:lists:{token}"
            try:
                compiled = cache.get(key)
            except Exception:  # a cache that is down must not stop the newsroom
                logger.warning(
                    "wordcheck: cache unavailable, building the lists here", exc_info=True
                )
                compiled = None
            if not isinstance(compiled, Compiled) or compiled.token != token:
                compiled = build()
                try:
                    cache.set(f"wordcheck:lists:{compiled.token}", compiled, CACHE_SECONDS)
                except Exception:
                    logger.warning("wordcheck: could not share the lists", exc_info=True)
            # One version at a time in memory: the old automaton is garbage now.
            _memo.clear()
            _memo[compiled.token] = compiled
    return compiled
