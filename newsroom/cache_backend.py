"""A Redis cache that a hung or dead Redis cannot take the site down with.

Every operation has a connect and a read time-out (CACHE_CONNECT_TIMEOUT and
CACHE_SOCKET_TIMEOUT, set in settings), redis-py is told not to retry, and a circuit
breaker (newsroom.faults.CircuitBreaker) skips Redis for CACHE_BREAKER_SECONDS after a
failure: the request that meets the fault pays one time-out, and the requests after it
none, until a probe finds Redis answering again. While Redis is away the cache behaves
like an empty one that keeps nothing (reads miss, writes are dropped), so every caller
(the page cache, fragments, anything else on caches["default"]) renders uncached pages;
the fault is logged once per NEWSROOM_FAULT_LOG_INTERVAL.

Only errors of the connection are absorbed (redis-py's ConnectionError and TimeoutError,
and OSError); a bug such as an unpicklable value still raises.
"""

from __future__ import annotations

import functools
from urllib.parse import urlsplit

from django.conf import settings
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry

from newsroom import caching
from newsroom.faults import CircuitBreaker

CONNECTION_ERRORS = (RedisConnectionError, RedisTimeoutError, OSError)
_MISSING = object()


def _guarded(on_failure):
    """Run the method through the breaker; `on_failure(*args, **kwargs)` answers when Redis
    is skipped or fails (a miss, a dropped write)."""

    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            if not self.breaker.allow():
                return on_failure(*args, **kwargs)
            try:
                result = method(self, *args, **kwargs)
            except CONNECTION_ERRORS as error:
                self.breaker.failed(error)
                return on_failure(*args, **kwargs)
            self.breaker.succeeded()
            return result

        return wrapper

    return decorate


def _default(key, default=None, version=None):
    return default


def _false(*args, **kwargs):
    return False


def _none(*args, **kwargs):
    return None


def _empty_dict(*args, **kwargs):
    return {}


def _failed_keys(data, *args, **kwargs):
    return list(data)


def _missing_key(key, delta=1, version=None):
    # incr's contract for a key that is not there; callers already handle it.
    raise ValueError(f"Key {key!r} not found (the cache is unavailable)")


class ResilientRedisCache(caching.RedisCache):
    """The project's Redis cache with time-outs and a circuit breaker (module docstring).

    CACHE_URL=redis://... selects it in settings. One breaker per cache alias and process.
    """

    def __init__(self, server, params):
        options = params.setdefault("OPTIONS", {})
        options.setdefault("socket_timeout", settings.CACHE_SOCKET_TIMEOUT)
        options.setdefault("socket_connect_timeout", settings.CACHE_CONNECT_TIMEOUT)
        # redis-py may retry a failed command; a retry doubles the wait on a hung server.
        options.setdefault("retry", Retry(NoBackoff(), 0))
        super().__init__(server, params)
        self.breaker = CircuitBreaker(
            f"The Redis cache at {caching_location(server)}", settings.CACHE_BREAKER_SECONDS
        )

    # The async variants of BaseCache run these through sync_to_async.
    get = _guarded(_default)(caching.RedisCache.get)
    get_many = _guarded(_empty_dict)(caching.RedisCache.get_many)
    has_key = _guarded(_false)(caching.RedisCache.has_key)
    add = _guarded(_false)(caching.RedisCache.add)
    set = _guarded(_none)(caching.RedisCache.set)
    set_many = _guarded(_failed_keys)(caching.RedisCache.set_many)
    touch = _guarded(_false)(caching.RedisCache.touch)
    delete = _guarded(_false)(caching.RedisCache.delete)
    delete_many = _guarded(_none)(caching.RedisCache.delete_many)
    incr = _guarded(_missing_key)(caching.RedisCache.incr)
    clear = _guarded(_false)(caching.RedisCache.clear)


def caching_location(server) -> str:
    """The servers of a LOCATION, without any password in them (for log lines)."""
    servers = server if isinstance(server, list | tuple) else str(server).split(",")
    return ",".join(urlsplit(s).netloc.rpartition("@")[2] + urlsplit(s).path for s in servers)
