"""The bell's unread count, kept in the cache so that an admin page costs no query for it.

Dropped whenever the count changes (notifications written, read or purged), and never kept
longer than UNREAD_TTL: with a per-process cache (locmem) and several web processes, another
process's count may lag by that much; CACHE_URL=redis:// shares one.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction

from teamwork.models import Notification

BELL_CAP = 99
UNREAD_TTL = 30


def _key(user_id: int) -> str:
    return f"teamwork:unread:{user_id}"


def unread_count_for(user) -> int:
    count = cache.get(_key(user.pk))
    if count is None:
        # Bounded: past the cap the bell says "99+", so there is no need to count further.
        count = Notification.objects.filter(recipient=user).unread()[: BELL_CAP + 1].count()
        cache.set(_key(user.pk), count, UNREAD_TTL)
    return count


def forget(user_ids) -> None:
    """The counts of these people changed: drop them now and again after the commit (a page
    served meanwhile may have counted before the change was visible)."""
    keys = [_key(pk) for pk in set(user_ids)]
    if keys:
        cache.delete_many(keys)
        transaction.on_commit(lambda: cache.delete_many(keys))
