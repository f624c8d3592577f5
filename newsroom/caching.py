"""The page cache: whole public responses kept for anonymous readers.

An anonymous GET or HEAD of a public page (no session or message cookie, not under
/admin/, /preview/, /i18n/ or /media/) is answered from the cache when it can be. The key
is the language and the full URL. A response is kept only if it is a 200 that sets no
cookie and does not forbid caching (previews send never-cache headers).

Invalidation is by generation: every stored page carries the generation token current
when its request began, and `bump()` (on publish, retraction, correction and edits of
public content, see articles/signals.py) replaces the token, which makes every stored
page stale at once. A page is also kept no longer than the next scheduled `publish_at`,
so a scheduled story appears on time on pages cached before.

The generation token lives in the cache itself when the cache is shared (Redis). With
locmem:// each gunicorn worker has a cache of its own, so the token is a stamp file in
NEWSROOM_VAR_DIR instead (one small file read a request), which every worker on the host sees:
a publish in one worker empties the others' caches too. Several hosts need Redis.

Responses answer conditional GETs: each carries an ETag (a hash of the content) and an
If-None-Match that matches it gets a 304.
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control

from newsroom import registry

logger = logging.getLogger(__name__)

GENERATION_KEY = "pagecache:generation"
KEY_PREFIX = "pagecache:page:"
SKIPPED_PREFIXES = ("/admin/", "/preview/", "/i18n/", "/media/", "/static/")
CACHEABLE_TYPES = (
    "text/html",
    "application/rss+xml",
    "application/atom+xml",
    "application/xml",
    "text/calendar",
    "text/plain",
)
# Headers that belong to one response, not to the page.
UNSTORED_HEADERS = {"set-cookie", "date", "x-page-cache"}


@dataclass(frozen=True)
class CachedPage:
    generation: str
    expires_at: float
    status: int
    headers: tuple[tuple[str, str], ...]
    content: bytes


def _cache():
    return caches["default"]


def is_enabled() -> bool:
    return settings.PAGE_CACHE_SECONDS > 0 and not isinstance(_cache(), DummyCache)


def _stamp_path(name: str) -> Path:
    return Path(settings.VAR_DIR) / name


def write_stamp(name: str = "page-cache-generation") -> None:
    """A new random token in the stamp file `name` under NEWSROOM_VAR_DIR."""
    path = _stamp_path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f"{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    temporary.write_text(secrets.token_hex(8))
    os.replace(temporary, path)  # atomic: a reader sees the old stamp or the new one


def read_stamp(name: str = "page-cache-generation") -> str:
    """The token of a per-process cache's generation: a stamp file shared by the host's workers."""
    try:
        return _stamp_path(name).read_text()
    except FileNotFoundError:
        write_stamp(name)
        return _stamp_path(name).read_text()


def is_per_process(cache) -> bool:
    return isinstance(cache, LocMemCache)


def bump() -> None:
    """Start a new generation: every page cached so far is stale."""
    if not is_enabled():
        return
    try:
        if is_per_process(_cache()):
            write_stamp()
        else:
            _cache().set(GENERATION_KEY, secrets.token_hex(8), timeout=None)
    except Exception:  # noqa: BLE001 - the change is committed; pages expire on their own
        logger.exception(
            "Could not invalidate the page cache: pages may lag for up to PAGE_CACHE_SECONDS"
        )


def next_publication(now=None):
    """The earliest pending `publish_at` of any registered content, or None (one query)."""
    pending = [
        model.objects.scheduled(now).order_by().values_list("publish_at", flat=True)
        for model in registry.publishable_models()
    ]
    return pending[0].union(*pending[1:]).order_by("publish_at").first()


def page_key(request: HttpRequest) -> str:
    """The language LocaleMiddleware will choose (this middleware runs before it) and the
    address as asked for: scheme, validated host, path and query as sent."""
    language = translation.get_language_from_request(request)
    meta = request.META
    url = f"{request.scheme}://{request.get_host()}{meta.get('PATH_INFO', '')}?{meta.get('QUERY_STRING', '')}"
    digest = hashlib.md5(url.encode(errors="surrogateescape"), usedforsecurity=False).hexdigest()
    return f"{KEY_PREFIX}{language}:{digest}"


def is_cacheable_request(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD") or request.path.startswith(SKIPPED_PREFIXES):
        return False
    # A session means a logged-in user (or one in the middle of logging in); a message
    # cookie means a message waiting to be shown: both make the page personal.
    cookies = request.COOKIES
    if (
        settings.SESSION_COOKIE_NAME in cookies
        or getattr(settings, "MESSAGE_COOKIE_NAME", "messages") in cookies
    ):
        return False
    return "HTTP_AUTHORIZATION" not in request.META


def is_cacheable_response(response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    cache_control = response.get("Cache-Control", "")
    if any(word in cache_control for word in ("private", "no-cache", "no-store", "max-age=0")):
        return False
    content_type = response.get("Content-Type", "").split(";")[0].strip()
    return content_type in CACHEABLE_TYPES


def etag_for(content: bytes) -> str:
    return f'"{hashlib.md5(content, usedforsecurity=False).hexdigest()}"'


class PageCacheMiddleware:
    """Answers anonymous readers from the page cache; see the module docstring.

    It comes first in MIDDLEWARE: a hit skips every other middleware, and a page is stored
    with the headers they added. The key has the language LocaleMiddleware would choose.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_enabled():
            return self.get_response(request)
        if not is_cacheable_request(request):
            response = self.get_response(request)
            if settings.SESSION_COOKIE_NAME in request.COOKIES:
                # A logged-in editor's page must not land in a shared cache either.
                patch_cache_control(response, private=True)
            return response

        cache = _cache()
        key = page_key(request)
        try:
            if is_per_process(cache):
                generation, found = read_stamp(), {key: cache.get(key)}
            else:
                found = cache.get_many([GENERATION_KEY, key])
                generation = found.get(GENERATION_KEY)
                if generation is None:
                    cache.add(GENERATION_KEY, secrets.token_hex(8), timeout=None)
                    generation = cache.get(GENERATION_KEY)
        except Exception:  # noqa: BLE001 - a cache outage slows the site down, never takes it down
            logger.warning(
                "Page cache unavailable; serving %s uncached", request.path, exc_info=True
            )
            return self.get_response(request)
        if generation is None:
            return self.get_response(request)
        page = found.get(key)
        now = timezone.now().timestamp()
        if page is not None and page.generation == generation and now < page.expires_at:
            response = HttpResponse(page.content, status=page.status)
            for name, value in page.headers:
                response[name] = value
            response["X-Page-Cache"] = "hit"
            return get_conditional_response(request, etag=response["ETag"], response=response)

        # Asked before rendering: a story scheduled meanwhile also bumps the generation.
        pending = next_publication()
        response = self.get_response(request)
        if not is_cacheable_response(response):
            return response
        expires_at = now + settings.PAGE_CACHE_SECONDS
        if pending is not None:
            expires_at = min(expires_at, pending.timestamp())
        response["ETag"] = etag_for(response.content)
        patch_cache_control(response, max_age=0, must_revalidate=True)
        response["X-Page-Cache"] = "miss"
        if expires_at > now:
            headers = tuple(
                (k, v) for k, v in response.items() if k.lower() not in UNSTORED_HEADERS
            )
            page = CachedPage(
                generation, expires_at, response.status_code, headers, response.content
            )
            try:
                cache.set(key, page, timeout=max(1, math.ceil(expires_at - now)))
            except Exception:  # noqa: BLE001
                logger.warning("Could not store %s in the page cache", request.path, exc_info=True)
        return get_conditional_response(request, etag=response["ETag"], response=response)


class _ReusingRedisCacheClient(RedisCacheClient):
    """Django's client builds a new redis.Redis object for every operation; redis-py 8's
    constructor sets up ~170 response callbacks, a quarter of a cached page's CPU time.
    One Redis object per connection pool does the same work (redis-py clients are
    thread-safe, and their pools reconnect after a fork)."""

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        clients = self.__dict__.setdefault("_clients", {})
        if index not in clients:
            clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return clients[index]


class RedisCache(DjangoRedisCache):
    """django.core.cache.backends.redis.RedisCache with one client per pool
    (CACHE_URL=redis://... selects it in settings)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _ReusingRedisCacheClient
