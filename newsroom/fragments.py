"""The fragment cache: the parts of public pages that change only when what they show does.

The page cache (newsroom.caching) starts over whenever anything public changes, which on a
news day is every few minutes; after each publish every page is rendered again. Most of a
page changes far less often: an article's story and metadata, a gallery's photos, each card
in a list change only with their own object or what it shows. `{% fragment %}` keeps such
parts (articles/templatetags/newsroom.py), and a view asks for the rows behind them only
when a part has to be rendered (`are_current`, or lazy querysets evaluated in the part).

A fragment of an object is stored with the object's `updated_at`, which the object's own
saves and workflow transitions change, and the *shared* generation, which `bump()` replaces
when something many objects show changes: a person, a photo, a section, a tag, a byline, a
correction, an event or gallery, links between them (articles/signals.py). A fragment may
also belong to a *group* (`group=`): "section:12" for the lists of a section ("more from the
section"), "stories" for lists of stories (the front page, an event's coverage); a story's
transitions and public saves retire its groups (`bump_group`) and nothing else. A part of a
page that is no object's is stored under the page (`{% fragment "front-page" None ... %}`).

Nothing kept outlives the next scheduled `publish_at` (a scheduled story becomes public by
the clock, without a save), nor an `expires=` time the part names (the first upcoming event
ending); expiry is checked against the site's clock. Keys carry the language and a
fingerprint of the deployed code, templates, translations and site settings, so a deploy
never serves the previous release's fragments. Previews never read or keep fragments.

Like the page cache, the shared generation lives in the cache when it is shared (Redis),
and in a stamp file under NEWSROOM_VAR_DIR when each worker has a cache of its own
(locmem://), where groups fall back to the shared generation. FRAGMENT_CACHE_SECONDS=0 or
CACHE_URL=dummy:// turns fragments off; a cache outage renders everything.
"""

from __future__ import annotations

import hashlib
import logging
import math
import secrets
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.db import transaction
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from newsroom import caching

logger = logging.getLogger(__name__)

SHARED_KEY = "fragments:shared"
STAMP_NAME = "fragment-generation"
# What a deploy changes: the project's code, templates and compiled translations.
FINGERPRINTED = ("articles", "people", "newsroom", "templates", "locale")
FINGERPRINTED_SUFFIXES = {".py", ".html", ".mo", ".txt"}

_fingerprint: str | None = None


def _cache():
    return caches["default"]


def is_enabled() -> bool:
    return settings.FRAGMENT_CACHE_SECONDS > 0 and not isinstance(_cache(), DummyCache)


def fingerprint() -> str:
    """A short hash of the deployed release: the files that shape a fragment and the site's
    name and address (worked out once per process)."""
    global _fingerprint
    if _fingerprint is None:
        digest = hashlib.md5(usedforsecurity=False)
        digest.update(f"{settings.SITE_NAME}\0{settings.SITE_URL}\0".encode())
        base = Path(settings.BASE_DIR)
        for folder in FINGERPRINTED:
            for path in sorted((base / folder).rglob("*")):
                if path.suffix in FINGERPRINTED_SUFFIXES and path.is_file():
                    stat = path.stat()
                    digest.update(
                        f"{path.relative_to(base)}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode()
                    )
        _fingerprint = digest.hexdigest()[:12]
    return _fingerprint


def bump() -> None:
    """Start a new shared generation: every stored fragment is stale."""
    if not is_enabled():
        return
    try:
        if caching.is_per_process(_cache()):
            caching.write_stamp(STAMP_NAME)
        else:
            _cache().set(SHARED_KEY, secrets.token_hex(8), timeout=None)
    except Exception:  # noqa: BLE001 - the change is committed; fragments expire on their own
        logger.exception("Could not retire the stored fragments: some may lag until they expire")


def bump_on_commit() -> None:
    transaction.on_commit(bump, robust=True)


class _Memo:
    """What one request has looked up: the shared generation and prefetched fragments."""

    def __init__(self):
        self.shared: str | None = None
        self.found: dict[str, tuple] = {}
        self.expires_at: float | None = None


def _memo(request) -> _Memo:
    if request is None:
        return _Memo()
    memo = getattr(request, "_fragments", None)
    if memo is None:
        memo = request._fragments = _Memo()
    return memo


def key_for(name: str, obj) -> str:
    """The cache key of fragment `name` of `obj`: a model instance, a string naming a part
    of a page that is no object's ("section:3:2", a section's second page), or None (the
    one such part of its page)."""
    if obj is None:
        label = "page"
    elif isinstance(obj, str):
        label = obj
    else:
        label = f"{obj._meta.label_lower}:{obj.pk}"
    return f"fragments:{fingerprint()}:{get_language()}:{name}:{label}"


def variant_of(values) -> str:
    """What a fragment varies with besides its object (a card's size, say), as one string."""
    return "\0".join(str(value) for value in values)


def version_of(obj) -> str:
    """The object's own version: its `updated_at` ("-" for what has none, a tag or a string)."""
    updated_at = getattr(obj, "updated_at", None)
    return updated_at.isoformat() if updated_at is not None else "-"


def _look_up(request, keys: list[str]) -> _Memo:
    """Fetch the shared generation (once a request) and `keys` in one cache round trip."""
    memo = _memo(request)
    _look_up_into(memo, keys)
    return memo


def _look_up_into(memo: _Memo, keys: list[str]) -> None:
    cache = _cache()
    wanted = [key for key in dict.fromkeys(keys) if key not in memo.found]
    if caching.is_per_process(cache):
        if memo.shared is None:
            memo.shared = caching.read_stamp(STAMP_NAME)
        found = cache.get_many(wanted) if wanted else {}
    else:
        asked = wanted if memo.shared is not None else [SHARED_KEY, *wanted]
        found = cache.get_many(asked) if asked else {}
        if memo.shared is None:
            memo.shared = found.pop(SHARED_KEY, None)
            if memo.shared is None:
                cache.add(SHARED_KEY, secrets.token_hex(8), timeout=None)
                memo.shared = cache.get(SHARED_KEY)
    for key in wanted:
        memo.found[key] = found.get(key)


def shared_generation(request) -> str | None:
    """The current shared generation (looked up once a request), or None when fragments are
    off or the cache cannot be reached."""
    if not is_enabled():
        return None
    try:
        return _look_up(request, []).shared
    except Exception:  # noqa: BLE001
        logger.warning("Fragment cache unavailable", exc_info=True)
        return None


def _current(stored, version) -> tuple[dict, float] | None:
    """(variants, expiry) of a stored fragment if it is of `version` and not expired. The
    expiry is checked against the site's clock, as the page cache does."""
    if stored is None or stored[0] != version or version[0] is None:
        return None
    _, variants, expires_at = stored
    if timezone.now().timestamp() >= expires_at:
        return None
    return variants, expires_at


def look_up(request, names, objects, groups=()) -> None:
    """Fetch the fragments `names` of all `objects`, and the tokens of `groups`, in one
    cache round trip, before a page renders them one by one."""
    if not is_enabled() or request is None:
        return
    keys = [key_for(name, obj) for obj in objects for name in names]
    if not caching.is_per_process(_cache()):
        keys += [group_key(group) for group in groups]
    try:
        _look_up(request, keys)
    except Exception:  # noqa: BLE001 - rendering in full is slower, not wrong
        logger.warning("Fragment cache unavailable", exc_info=True)


def are_current(request, names, obj, group=None) -> bool:
    """Whether the fragments `names` of `obj` (their plain variant, in `group` if any) are
    all stored and current: if so, the page need not fetch what they show."""
    if not is_enabled() or request is None:
        return False
    look_up(request, names, [obj], [group] if group else [])
    memo = _memo(request)
    try:
        version = (memo.shared, version_of(obj), _group_token(memo, group))
    except Exception:  # noqa: BLE001
        logger.warning("Fragment cache unavailable", exc_info=True)
        return False
    for name in names:
        current = _current(memo.found.get(key_for(name, obj)), version)
        if current is None or "" not in current[0]:
            return False
    return True


def group_key(group: str) -> str:
    return f"fragments:group:{group}"


def bump_group(group: str) -> None:
    """Retire the values kept for `group` ("section:12", say) and only those. With a cache
    per process there is no shared place for a group's token: the shared generation moves."""
    if not is_enabled():
        return
    if caching.is_per_process(_cache()):
        bump()
        return
    try:
        _cache().set(group_key(group), secrets.token_hex(8), timeout=None)
    except Exception:  # noqa: BLE001
        logger.exception("Could not retire the values kept for %s", group)


def _latest_expiry(memo: _Memo) -> float:
    """When a fragment stored now must go at the latest: FRAGMENT_CACHE_SECONDS from now, or
    the next scheduled publication if sooner (one query a request)."""
    if memo.expires_at is None:
        expires_at = timezone.now().timestamp() + settings.FRAGMENT_CACHE_SECONDS
        pending = caching.next_publication()
        if pending is not None:
            expires_at = min(expires_at, pending.timestamp())
        memo.expires_at = expires_at
    return memo.expires_at


def _group_token(memo: _Memo, group: str | None) -> str | None:
    """The token of `group` (made if missing); "-" when there is no group or no shared place
    for one (a cache per process, where `bump_group` moves the shared generation)."""
    if group is None or caching.is_per_process(_cache()):
        return "-"
    key = group_key(group)
    if key not in memo.found:
        _look_up_into(memo, [key])
    if memo.found.get(key) is None:
        _cache().add(key, secrets.token_hex(8), timeout=None)
        memo.found[key] = _cache().get(key)
    return memo.found[key]


def get_or_render(
    request, name: str, obj, variant: str, render, group=None, expires=None
) -> SafeString:
    """The stored fragment `name` of `obj` in `variant` if it is current, else `render()`,
    stored beside the object's other current variants. A fragment with a `group` also goes
    when the group does (`bump_group`); `expires()`, asked after rendering, may name a time
    by which what it shows changes by itself (the first upcoming event ending)."""
    if not is_enabled() or obj == "" or (hasattr(obj, "_meta") and obj.pk is None):
        return render()  # off, or nothing to keep it under (an unsaved object, no name)
    key = key_for(name, obj)
    try:
        memo = _look_up(request, [key])
        token = _group_token(memo, group)
    except Exception:  # noqa: BLE001
        logger.warning("Fragment cache unavailable", exc_info=True)
        return render()
    version = (memo.shared, version_of(obj), token)
    stored = _current(memo.found.get(key), version)
    variants, expires_at = stored if stored is not None else ({}, math.inf)
    if variant in variants:
        return mark_safe(variants[variant])
    html = render()
    try:
        now = timezone.now().timestamp()
        expires_at = min(expires_at, _latest_expiry(memo))
        if expires is not None and (when := expires()) is not None:
            expires_at = min(expires_at, when.timestamp())
        if expires_at > now and memo.shared is not None and token is not None:
            stored = (version, {**variants, variant: str(html)}, expires_at)
            _cache().set(key, stored, timeout=math.ceil(expires_at - now))
            memo.found[key] = stored
    except Exception:  # noqa: BLE001
        logger.warning("Could not store a fragment", exc_info=True)
    return html
