"""The task queue: django-tasks (the backport of Django 6's `django.tasks`), as the project uses it.

- `enqueue_on_commit()` is how everything is queued: a rolled-back transaction queues nothing.
- `@retrying_task` makes a task that retries with exponential backoff. django-tasks has no
  retries of its own: a failed attempt is recorded as failed (with its traceback, kept in the
  admin's task results on the database backend) and a new attempt is queued to run later, with
  the attempt number in its keyword arguments, until `TASKS_MAX_ATTEMPTS`.
- Which backend runs them is the TASKS_BACKEND setting (immediate, database or rq).

Tasks must be idempotent: a worker killed mid-task has its task run again (see
`newsroom/management/commands/worker.py`).
"""

from __future__ import annotations

import datetime
import functools
import logging
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task
from django_tasks.base import Task

logger = logging.getLogger("newsroom.tasks")

ATTEMPT = "_attempt"


def backoff(attempt: int) -> datetime.timedelta:
    """How long to wait before attempt `attempt + 1`: 30 s, 2 min, 8 min, 32 min... (max 6 h)."""
    return datetime.timedelta(seconds=min(30 * 4 ** (attempt - 1), 6 * 3600))


def enqueue_on_commit(queued: Task, *args, **kwargs) -> None:
    """Queue `queued(*args, **kwargs)` once the current transaction commits (at once outside one).

    If the queue cannot be reached, the error is logged and the request goes on: callers keep
    what the task would act on in the database (e.g. a notification's email is pending), so
    a sweep can send it later.
    """

    def send():
        try:
            queued.enqueue(*args, **kwargs)
        except Exception:
            logger.exception("Could not queue %s", queued.module_path)

    transaction.on_commit(send)


def retrying_task(function: Callable | None = None, *, max_attempts: int | None = None, **options):
    """Like django-tasks' `@task`, with retries: an attempt that raises queues the next one,
    `backoff(attempt)` later, then raises (so the failure is recorded with its traceback).

    The last attempt's failure is final: it stays in the task results for administrators.
    Backends that cannot run a task later (immediate) do not retry.
    """

    def decorate(function: Callable) -> Task:
        @functools.wraps(function)
        def attempt(*args, **kwargs):
            number = int(kwargs.pop(ATTEMPT, 1))
            limit = max_attempts or settings.TASKS_MAX_ATTEMPTS
            try:
                return function(*args, **kwargs)
            except Exception:
                backend = queued.get_backend()
                if number < limit and backend.supports_defer:
                    later = timezone.now() + backoff(number)
                    queued.using(run_after=later).enqueue(*args, **kwargs, **{ATTEMPT: number + 1})
                    logger.warning(
                        "%s failed (attempt %d of %d); retrying at %s",
                        queued.module_path,
                        number,
                        limit,
                        later.isoformat(),
                    )
                else:
                    logger.error(
                        "%s failed for good (attempt %d of %d)", queued.module_path, number, limit
                    )
                raise

        queued = task(**options)(attempt)
        return queued

    return decorate(function) if function is not None else decorate
