"""A django-tasks backend on RQ (Redis Queue), for sites that outgrow one database.

Small on purpose, on `rq` alone: django-tasks-rq needs django-rq, whose presence makes
django-imagekit register an RQ job at import (and demand RQ_QUEUES) even where RQ is unused.
Jobs name the task by its import path; `manage.py worker` runs rq's worker with its
scheduler (for `run_after`). Failed jobs are kept in rq's failed-job registry.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks.backends.base import BaseTaskBackend
from django_tasks.base import TaskContext, TaskResult, TaskResultStatus
from django_tasks.utils import normalize_json

# Failed jobs stay this long in rq's registry, for administrators to look at.
FAILURE_TTL = 30 * 24 * 3600


def connection():
    from redis import Redis

    # Time-outs: a hung Redis must not hang the request that enqueues.
    return Redis.from_url(settings.TASKS_REDIS_URL, socket_connect_timeout=2, socket_timeout=5)


def run(task_path: str, args: list, kwargs: dict):
    """What an rq job runs: the task, called as the database backend's worker calls it, on the
    queue the job came from (so that a retry, `newsroom.tasks.retrying_task`, goes back there)."""
    from rq import get_current_job

    queued = import_string(task_path)
    job = get_current_job()
    if job is not None:
        queued = queued.using(queue_name=job.origin)
    if not queued.takes_context:
        return queued.call(*args, **kwargs)
    now = timezone.now()
    result = TaskResult(
        task=queued,
        id=job.id if job else "",
        status=TaskResultStatus.RUNNING,
        enqueued_at=job.enqueued_at if job else None,
        started_at=now,
        last_attempted_at=now,
        finished_at=None,
        args=list(args),
        kwargs=dict(kwargs),
        backend=queued.backend,
        errors=[],
        worker_ids=[job.worker_name] if job and job.worker_name else [],
    )
    return queued.call(TaskContext(task_result=result), *args, **kwargs)


class RQBackend(BaseTaskBackend):
    supports_defer = True
    supports_async_task = False
    supports_get_result = False

    def enqueue(self, task, args, kwargs):
        from rq import Queue

        self.validate_task(task)
        queue = Queue(task.queue_name, connection=connection())
        job_args = (task.module_path, normalize_json(list(args)), normalize_json(dict(kwargs)))
        options = {"failure_ttl": FAILURE_TTL, "result_ttl": 24 * 3600}
        if task.run_after is not None:
            job = queue.enqueue_at(task.run_after, run, *job_args, **options)
        else:
            job = queue.enqueue(run, *job_args, **options)
        return TaskResult(
            task=task,
            id=job.id,
            status=TaskResultStatus.READY,
            enqueued_at=timezone.now(),
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=list(args),
            kwargs=dict(kwargs),
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )


def failed_jobs(queue_names: list[str], limit: int = 200) -> list[dict]:
    """The jobs kept in rq's failed-job registry of each queue, newest first, with their
    task, arguments and error: what the admin's failed-tasks page shows."""
    from rq import Queue
    from rq.registry import FailedJobRegistry

    redis = connection()
    found = []
    for name in queue_names:
        queue = Queue(name, connection=redis)
        registry = FailedJobRegistry(queue=queue)
        for job in queue.job_class.fetch_many(registry.get_job_ids(0, limit - 1), redis):
            if job is None:
                continue
            result = job.latest_result()
            task_path, args, kwargs = (list(job.args) + ["", [], {}])[:3]
            found.append(
                {
                    "id": job.id,
                    "queue": name,
                    "task": task_path,
                    "arguments": [*args, *(f"{k}={v!r}" for k, v in kwargs.items())],
                    "failed_at": job.ended_at,
                    "error": result.exc_string if result else (job.exc_info or ""),
                }
            )
    found.sort(key=lambda job: job["failed_at"] or timezone.now(), reverse=True)
    return found[:limit]


def work(queue_names: list[str], burst: bool = False, fork: bool = True) -> None:
    """Run an rq worker (with its scheduler, for deferred tasks) on the given queues.

    rq runs each job in a forked child by default; `fork=False` runs them in this process
    (tests that look at what a task did through Django's locmem outbox or the test database).
    """
    from rq import Queue, SimpleWorker, Worker

    redis = connection()
    kind = Worker if fork else SimpleWorker
    worker = kind([Queue(name, connection=redis) for name in queue_names], connection=redis)
    worker.work(with_scheduler=True, burst=burst)
