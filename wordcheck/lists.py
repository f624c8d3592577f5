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
# Review stages (issue 12) register theirs with register_stage().
STAGES: dict[str, str] = {
    "submit": _("Submit for review"),
    "schedule": _("Schedule"),
    "publish": _("Publish"),
}

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
# Seven days: a version lives until the next change; a stale key costs only memory.
CACHE_SECONDS = 7 * 24 * 3600


def register_stage(name: str, label) -> None:
    """Let a policy be set for another stage (a transition name), e.g. issue 12's approve."""
    STAGES[name] = label


def is_senior(user) -> bool:
    """Who may let sensitive words through with a note. Issue 12 may widen it to desk chiefs."""
    return user is not None and is_editor(user)


@dataclass
class Compiled:
    """Everything the check needs of one version of the lists."""

    token: str
    number: int
    matcher: Matcher
    policy: dict[tuple[str, str], str] = field(default_factory=dict)

    def action(self, category: str, stage: str) -> str | None:
        """warn, signoff or block for a hit of `category` at `stage`; None: not a stage."""
        if stage not in STAGES or category == Category.EXCEPTION:
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
        )
        for pk, category, term, replacement, note, variants, list_name in rows.values_list(
            "pk", "category", "term", "replacement", "note", "variants", "word_list__name"
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
