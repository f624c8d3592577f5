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
import hashlib
import logging
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task
from django_tasks.base import Task

logger = logging.getLogger("newsroom.tasks")

ATTEMPT = "_attempt"
# Administrators hear of one task failing for good once in this time, however often it is
# queued again meanwhile (e.g. the email catch-up queues a failing email every few minutes).
FAILURE_NOTICE_SECONDS = 24 * 3600


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


def failed_for_good(running: Task, args, kwargs) -> bool:
    """Email the administrators (active superusers with an address) that a task failed its last
    attempt, once per task and arguments a day; returns whether they were told.

    The error itself is kept where the backend keeps failures: the admin's task results on the
    database backend, rq's failed-job registry on rq.
    """
    try:
        return _tell_administrators(running, args, kwargs)
    except Exception:  # the failure is logged and kept; its notice is not worth a second one
        logger.exception("Could not tell the administrators that %s failed", running.module_path)
        return False


def _tell_administrators(running: Task, args, kwargs) -> bool:
    what = f"{running.module_path}{list(args)!r}{sorted(kwargs.items())!r}"
    key = f"task-failed:{hashlib.sha256(what.encode()).hexdigest()}"
    addresses = list(
        get_user_model()
        .objects.filter(is_superuser=True, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if not addresses or not cache.add(key, 1, FAILURE_NOTICE_SECONDS):
        return False
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Newsroom: a task failed for good: %(task)s") % {"task": running.name}
        body = _(
            "The task %(task)s failed its last attempt (queue %(queue)s).\n\n"
            "Its error is kept in %(where)s\n"
        ) % {
            "task": running.module_path,
            "queue": running.queue_name,
            "where": where_failures_are(running),
        }
    try:
        send_mail(subject, body, None, addresses)
    except Exception:
        cache.delete(key)  # told nobody: the next failure tries again
        raise
    return True


def where_failures_are(running: Task) -> str:
    backend = type(running.get_backend()).__module__
    if backend.startswith("django_tasks_db"):
        url = reverse("admin:django_tasks_database_dbtaskresult_changelist")
        return _("the admin's task results: %(url)s") % {
            "url": f"{settings.SITE_URL}{url}?status__exact=FAILED"
        }
    if backend == "newsroom.rq_backend":
        url = reverse("admin:failed_tasks")
        return _("rq's failed-job registry, shown in the admin: %(url)s") % {
            "url": f"{settings.SITE_URL}{url}"
        }
    return _("the log of the process that ran it.")


def retrying_task(function: Callable | None = None, *, max_attempts: int | None = None, **options):
    """Like django-tasks' `@task`, with retries: an attempt that raises queues the next one,
    `backoff(attempt)` later, then raises (so the failure is recorded with its traceback).

    The last attempt's failure is final: it stays in the task results for administrators.
    Backends that cannot run a task later (immediate) do not retry.
    """

    def decorate(function: Callable) -> Task:
        # The task takes django-tasks' context (the running task, as it was queued: its queue,
        # priority and backend), so that the retry goes where the first attempt went.
        def attempt(context, *args, **kwargs):
            number = int(kwargs.pop(ATTEMPT, 1))
            limit = max_attempts or settings.TASKS_MAX_ATTEMPTS
            try:
                return function(*args, **kwargs)
            except Exception:
                running = context.task_result.task
                if number < limit and running.get_backend().supports_defer:
                    later = timezone.now() + backoff(number)
                    running.using(run_after=later).enqueue(*args, **kwargs, **{ATTEMPT: number + 1})
                    logger.warning(
                        "%s failed (attempt %d of %d); retrying at %s on queue %s",
                        running.module_path,
                        number,
                        limit,
                        later.isoformat(),
                        running.queue_name,
                    )
                else:
                    logger.error(
                        "%s failed for good (attempt %d of %d)", running.module_path, number, limit
                    )
                    failed_for_good(running, args, kwargs)
                raise

        functools.update_wrapper(attempt, function)
        # django-tasks checks that the first parameter is `context`: not the wrapped signature.
        del attempt.__wrapped__
        return task(takes_context=True, **options)(attempt)

    return decorate(function) if function is not None else decorate
