"""Surviving the failure of a service the site depends on: the cache, the database.

A reader should see a slower site, or a clear "back soon" page, never a hung worker or a
stack trace; and an operator should see one log line a minute about an outage, not one per
request. Three small parts do that:

- `IntervalLog` logs an ongoing fault at most once per interval, with how many times it
  was seen meanwhile (NEWSROOM_FAULT_LOG_INTERVAL seconds).
- `CircuitBreaker` lets a client skip a service for a few seconds after it failed, so
  that only the first request after a fault pays the time-out (newsroom/cache_backend.py).
- `server_error` is the site's handler500: a database that cannot be reached answers 503
  with Retry-After and the styled outage page (templates/503.html) instead of a 500.
"""

from __future__ import annotations

import logging
import sys
import threading
import time

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

logger = logging.getLogger(__name__)


class IntervalLog:
    """Logs a recurring fault at most once per `interval` seconds (the setting when None).

    The first occurrence is logged at once, with its traceback; later ones within the
    interval are only counted, and the count goes into the next line logged.
    """

    def __init__(self, logger: logging.Logger, interval: float | None = None):
        self.logger = logger
        self._interval = interval
        self._lock = threading.Lock()
        self._next_at = 0.0
        self._suppressed = 0

    @property
    def interval(self) -> float:
        if self._interval is not None:
            return self._interval
        return settings.NEWSROOM_FAULT_LOG_INTERVAL

    def log(self, level: int, message: str, *args, exc_info=None) -> bool:
        """Log `message` unless one was logged less than an interval ago; True if logged."""
        now = time.monotonic()
        with self._lock:
            if now < self._next_at:
                self._suppressed += 1
                return False
            suppressed, self._suppressed = self._suppressed, 0
            self._next_at = now + self.interval
        if suppressed:
            message += " (%d more since the last report)"
            args = (*args, suppressed)
        self.logger.log(level, message, *args, exc_info=exc_info)
        return True

    def reset(self) -> None:
        with self._lock:
            self._next_at = 0.0
            self._suppressed = 0


class CircuitBreaker:
    """Skip a failing service for `seconds` after a failure instead of waiting on it again.

    Closed, every call goes through. After a failure it is open: calls are refused until
    `seconds` have passed; then one call (the first to ask) is let through as a probe and
    the breaker stays open for the others until the probe succeeds or fails again.
    """

    def __init__(self, name: str, seconds: float):
        self.name = name
        self.seconds = seconds
        self._lock = threading.Lock()
        self._open_until = 0.0  # 0: closed
        self._log = IntervalLog(logger)

    @property
    def is_open(self) -> bool:
        return self._open_until != 0.0

    def allow(self) -> bool:
        """Whether a call may go to the service now."""
        if self._open_until == 0.0:
            return True
        now = time.monotonic()
        with self._lock:
            if self._open_until == 0.0:
                return True
            if now < self._open_until:
                return False
            self._open_until = now + self.seconds  # this caller probes; the others skip
            return True

    def succeeded(self) -> None:
        """A call went through: close the breaker (and say so if it was open)."""
        if self._open_until == 0.0:
            return
        with self._lock:
            was_open, self._open_until = self._open_until != 0.0, 0.0
        if was_open:
            self._log.reset()
            logger.warning("%s is answering again", self.name)

    def failed(self, error: BaseException) -> None:
        """A call failed: open the breaker for `seconds` and log (once per interval)."""
        with self._lock:
            self._open_until = time.monotonic() + self.seconds
        self._log.log(
            logging.ERROR,
            "%s failed (%s: %s); skipping it for %.1f s",
            self.name,
            type(error).__name__,
            error,
            self.seconds,
            exc_info=(type(error), error, error.__traceback__),
        )


DATABASE_ERRORS = (OperationalError, InterfaceError)
_database_log = IntervalLog(logging.getLogger("newsroom.faults.database"))


def database_outage(error: BaseException | None) -> BaseException | None:
    """The database error behind `error` (itself, or what caused it), if there is one."""
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, DATABASE_ERRORS):
            return error
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return None


@requires_csrf_token
def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    """handler500: 503 + Retry-After when the database cannot be reached, else the 500 page.

    Django calls it while handling the exception, so sys.exc_info() names it. Neither page
    touches the database (no context processors). An outage is logged here once per
    NEWSROOM_FAULT_LOG_INTERVAL, and the response is marked as logged so that Django's
    request logger does not write a traceback per request.
    """
    error = database_outage(sys.exc_info()[1])
    if error is None:
        return HttpResponseServerError(loader.get_template(template_name).render())
    response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(settings.NEWSROOM_RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    response._has_been_logged = True  # see django.utils.log.log_response
    _database_log.log(
        logging.ERROR,
        "Database unavailable (%s: %s); answering 503 (%s %s)",
        type(error).__name__,
        error,
        request.method,
        request.path,
        exc_info=(type(error), error, error.__traceback__),
    )
    return response
