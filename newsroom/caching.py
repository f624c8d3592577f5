"""Caching of public pages: the page cache in the app, and the headers and purges of an HTTP
cache in front of it (Varnish, nginx, a CDN).

The page cache. An anonymous GET or HEAD of a public page (no session or message cookie, not
under /admin/, /preview/, /i18n/, /media/ or /static/) is answered from the cache when it can
be. The key is the language and the address, with only the query parameters that some public
view reads (`register_query_params`, from the apps' ready()): the view is handed that same
query, so `?utm_source=…` or `?x=<random>` neither misses nor stores a new copy. A response is
kept only if it is a 200 that sets no cookie and does not forbid caching (previews send
never-cache headers).

Invalidation is by generation: a stored page carries the generation token current when its
request began, and `bump()` (on commit of every public change, see articles/signals.py)
replaces the token, which makes every stored page stale at once. The token lives in the cache
when it is shared (Redis); with locmem:// each gunicorn worker has a cache of its own, so the
token is a stamp file in NEWSROOM_VAR_DIR that every worker on the host reads. A page is kept
no longer than the next scheduled `publish_at`: nothing is saved when a scheduled story goes
live. Responses carry an ETag and answer a matching If-None-Match with a 304.

The HTTP cache in front. With HTTP_CACHE_SECONDS > 0, a public page also tells shared caches
how long they may keep it (`s-maxage`, never past the next `publish_at`, and then with no
`stale-while-revalidate` either), and lists in an `xkey` header the surrogate keys of what it
shows (`add_surrogate_keys`; every page also has `site`, and a page that names none has
`all`). `purge()` asks each of HTTP_CACHE_PURGE_URLS to drop the pages with given keys, with
connect and read time-outs; browsers always revalidate (`max-age=0`). Logged-in users' pages
are `private`.
"""

from __future__ import annotations

import hashlib
import http.client
import logging
import math
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

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
# Prefixes feature apps add (register_uncached_prefix): an API keeps its own validators.
_UNCACHED_PREFIXES: set[str] = set()
CACHEABLE_TYPES = (
    "text/html",
    "application/rss+xml",
    "application/atom+xml",
    "application/xml",
    "text/calendar",
    "text/plain",
)
# Headers that belong to one response, not to the page.
UNSTORED_HEADERS = {"set-cookie", "date", "x-page-cache", "cache-control"}
# Every page's surrogate key, and the key of pages that named none of their own.
SITE_KEY = "site"
ALL_KEY = "all"
SURROGATE_HEADER = "xkey"

_QUERY_PARAMS: set[str] = set()


def register_query_params(*names: str) -> None:
    """Declare query parameters a public view reads (`page`, `q`): only these are part of a
    cached page's key, and only these reach the views of anonymous readers."""
    _QUERY_PARAMS.update(names)


def register_uncached_prefix(*prefixes: str) -> None:
    """Declare path prefixes (`/api/`) whose responses the page cache never stores nor answers,
    and whose query strings reach the views untouched (an API reads parameters of its own)."""
    _UNCACHED_PREFIXES.update(prefixes)


def skipped_prefixes() -> tuple[str, ...]:
    return (*SKIPPED_PREFIXES, *sorted(_UNCACHED_PREFIXES))


@dataclass(frozen=True)
class CachedPage:
    generation: str
    expires_at: float
    status: int
    headers: tuple[tuple[str, str], ...]
    content: bytes
    # The next publication bounded expires_at: a shared cache may not serve it stale.
    bounded: bool = False


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
    """The next time a public page changes by the clock alone, with nothing saved: the
    earliest pending `publish_at` of any registered content (newsroom.registry), or a time a
    model names in `changes_by_clock()` (the first upcoming event ending), or None. One query."""
    now = now or timezone.now()
    pending = [
        times
        for model in registry.publishable_models()
        for times in (
            model.objects.scheduled(now).order_by().values_list("publish_at", flat=True),
            *model.changes_by_clock(now),
        )
    ]
    if not pending:
        return None
    return pending[0].union(*pending[1:]).order_by("publish_at").first()


def kept_query(query_string: str) -> str:
    """The query string with only the registered parameters, in a fixed order."""
    if not query_string:
        return ""
    # WSGI hands the raw bytes over as latin-1 text (PEP 3333): a client that sends UTF-8
    # unescaped (?q=公开) must come out as the same characters, escaped once.
    text = query_string.encode("iso-8859-1", errors="replace").decode("utf-8", errors="replace")
    pairs = [(k, v) for k, v in parse_qsl(text, keep_blank_values=True) if k in _QUERY_PARAMS]
    return urlencode(sorted(pairs))


def page_key(request: HttpRequest) -> str:
    """The language LocaleMiddleware will choose (this middleware runs before it), the
    scheme, the validated host, the path and the kept query."""
    language = translation.get_language_from_request(request)
    meta = request.META
    url = f"{request.scheme}://{request.get_host()}{meta.get('PATH_INFO', '')}?{meta.get('QUERY_STRING', '')}"
    digest = hashlib.md5(url.encode(errors="surrogateescape"), usedforsecurity=False).hexdigest()
    # The release: a deploy never serves the pages its predecessor rendered.
    return f"{KEY_PREFIX}{settings.RELEASE}:{language}:{digest}"


def is_cacheable_request(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD") or request.path.startswith(skipped_prefixes()):
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


def add_surrogate_keys(request: HttpRequest, *keys: str) -> None:
    """Name what a page shows (`article-12`, `section-3`): a purge of any of these keys drops
    the page from the HTTP cache in front (see articles/signals.py for who purges what)."""
    request.__dict__.setdefault("surrogate_keys", set()).update(keys)


def surrogate_keys(request: HttpRequest) -> str:
    keys = request.__dict__.get("surrogate_keys") or {ALL_KEY}
    return " ".join(sorted({SITE_KEY, *keys}))


def shared_cache_control(expires_at: float, bounded: bool, now: float) -> str:
    """Cache-Control of a public page: browsers revalidate every time; a shared cache keeps it
    HTTP_CACHE_SECONDS, never past `expires_at`, and serves it stale while it revalidates
    only if no publication is due before then."""
    value = "max-age=0, must-revalidate"
    seconds = min(settings.HTTP_CACHE_SECONDS, math.floor(expires_at - now))
    if settings.HTTP_CACHE_SECONDS > 0 and seconds > 0:
        value += f", s-maxage={seconds}"
        if not bounded and settings.HTTP_CACHE_STALE_SECONDS > 0:
            value += f", stale-while-revalidate={settings.HTTP_CACHE_STALE_SECONDS}"
    return value


class PageCacheMiddleware:
    """Answers anonymous readers from the page cache and sets the headers of the HTTP cache
    in front; see the module docstring.

    It comes first in MIDDLEWARE: a hit skips every other middleware, and a page is stored
    with the headers they added. The key has the language LocaleMiddleware would choose.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_cacheable_request(request):
            response = self.get_response(request)
            if settings.SESSION_COOKIE_NAME in request.COOKIES:
                # A logged-in editor's page must not land in a shared cache either.
                patch_cache_control(response, private=True)
            return response
        # The view sees the query its key has: what it does not read cannot split the cache.
        query = request.META.get("QUERY_STRING", "")
        if query:
            request.META["QUERY_STRING"] = kept_query(query)
            request.__dict__.pop("GET", None)
        if not is_enabled():
            return self.without_page_cache(request)

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
            response["Cache-Control"] = shared_cache_control(page.expires_at, page.bounded, now)
            response["X-Page-Cache"] = "hit"
            return get_conditional_response(request, etag=response["ETag"], response=response)

        # Asked before rendering: a story scheduled meanwhile also bumps the generation.
        pending = next_publication()
        response = self.get_response(request)
        if not is_cacheable_response(response):
            return response
        expires_at = now + settings.PAGE_CACHE_SECONDS
        bounded = pending is not None and pending.timestamp() < expires_at
        if bounded:
            expires_at = pending.timestamp()
        response["ETag"] = etag_for(response.content)
        response[SURROGATE_HEADER] = surrogate_keys(request)
        response["X-Page-Cache"] = "miss"
        if expires_at > now:
            headers = tuple(
                (k, v) for k, v in response.items() if k.lower() not in UNSTORED_HEADERS
            )
            page = CachedPage(
                generation, expires_at, response.status_code, headers, response.content, bounded
            )
            try:
                cache.set(key, page, timeout=max(1, math.ceil(expires_at - now)))
            except Exception:  # noqa: BLE001
                logger.warning("Could not store %s in the page cache", request.path, exc_info=True)
        response["Cache-Control"] = shared_cache_control(expires_at, bounded, now)
        return get_conditional_response(request, etag=response["ETag"], response=response)

    def without_page_cache(self, request: HttpRequest) -> HttpResponse:
        """No page cache: the headers for a cache in front only (one query for how long)."""
        response = self.get_response(request)
        if settings.HTTP_CACHE_SECONDS <= 0 or not is_cacheable_response(response):
            return response
        now = timezone.now().timestamp()
        expires_at = now + settings.HTTP_CACHE_SECONDS
        pending = next_publication()
        bounded = pending is not None and pending.timestamp() < expires_at
        if bounded:
            expires_at = pending.timestamp()
        response[SURROGATE_HEADER] = surrogate_keys(request)
        response["Cache-Control"] = shared_cache_control(expires_at, bounded, now)
        return response


def purge(keys) -> None:
    """Ask every HTTP cache in HTTP_CACHE_PURGE_URLS to drop the pages with any of `keys`
    (Varnish's xkey: a PURGE request with an `xkey-purge` header). A cache that cannot be
    reached within the time-outs is logged and skipped: its pages expire by themselves."""
    keys = sorted(set(keys))
    if not keys:
        return
    for url in settings.HTTP_CACHE_PURGE_URLS:
        parts = urlsplit(url)
        connection_class = (
            http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        )
        connection = connection_class(
            parts.hostname, parts.port, timeout=settings.HTTP_CACHE_PURGE_TIMEOUT
        )
        try:
            connection.request("PURGE", parts.path or "/", headers={"xkey-purge": " ".join(keys)})
            response = connection.getresponse()
            response.read()
            if response.status >= 400:
                logger.warning("Purging %s at %s answered %s", keys, url, response.status)
        except OSError:
            logger.warning("Could not purge %s at %s", keys, url, exc_info=True)
        finally:
            connection.close()


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
