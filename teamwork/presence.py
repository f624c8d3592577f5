"""Who has an item open, kept in the cache (use a shared cache, CACHE_URL=redis://, with
several web processes). Each open change form says so every HEARTBEAT seconds; a person not
heard of for TTL seconds has left."""

from __future__ import annotations

import time

from django.core.cache import cache

HEARTBEAT = 10
TTL = 30
TAKEOVER_TTL = 15 * 60


def _key(label: str, pk) -> str:
    return f"teamwork:presence:{label}:{pk}"


def here(obj, user, now: float | None = None) -> list[dict]:
    """Record that `user` has `obj` open; returns the others who have it open now."""
    now = now or time.time()
    key = _key(obj._meta.label_lower, obj.pk)
    present = {
        uid: entry for uid, entry in (cache.get(key) or {}).items() if entry["seen"] > now - TTL
    }
    present[user.pk] = {"name": user.get_full_name() or user.get_username(), "seen": now}
    cache.set(key, present, TTL)
    return [
        {"id": uid, "name": entry["name"]}
        for uid, entry in sorted(present.items())
        if uid != user.pk
    ]


def take_over(obj, user, note: str) -> dict:
    entry = {
        "by_id": user.pk,
        "by": user.get_full_name() or user.get_username(),
        "note": note,
        "at": time.time(),
    }
    cache.set(_key(obj._meta.label_lower, obj.pk) + ":takeover", entry, TAKEOVER_TTL)
    return entry


def takeover_for(obj, user, since: float) -> dict | None:
    """Someone else's take-over of `obj` since `since` (when `user` opened it), if any."""
    entry = cache.get(_key(obj._meta.label_lower, obj.pk) + ":takeover")
    if entry and entry["by_id"] != user.pk and entry["at"] >= since:
        return entry
    return None
