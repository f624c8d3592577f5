"""`manage.py worker` (`make worker`): runs queued tasks for the configured TASKS_BACKEND.

On the database backend it is django-tasks-db's worker (claims with SELECT ... FOR UPDATE
SKIP LOCKED, so several workers never take one task), plus a lease: each worker records a
heartbeat, and a task left RUNNING by a worker that has gone quiet for TASKS_LEASE_SECONDS
(killed, its machine lost) goes back to the queue to be run again. On rq it is rq's worker,
with its scheduler. The immediate backend needs no worker.
"""

from __future__ import annotations

import datetime
import logging
import threading

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.crypto import get_random_string

logger = logging.getLogger("newsroom.tasks")


def requeue_abandoned(
    lease_seconds: int | None = None, now: datetime.datetime | None = None
) -> int:
    """Hand back to the queue the tasks claimed by workers not heard of within the lease.

    Returns how many were handed back. Safe to run in several workers at once: rows are
    locked (skipping those another worker is handling) and re-checked under the lock.
    """
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from newsroom.models import WorkerHeartbeat

    now = now or timezone.now()
    lease = datetime.timedelta(seconds=lease_seconds or settings.TASKS_LEASE_SECONDS)
    alive = set(
        WorkerHeartbeat.objects.filter(seen_at__gte=now - lease).values_list("worker_id", flat=True)
    )
    handed_back = 0
    with transaction.atomic():
        running = DBTaskResult.objects.running().filter(started_at__lt=now - lease)
        if connection.features.has_select_for_update_skip_locked:
            running = running.select_for_update(skip_locked=True)
        for result in running:
            if result.worker_ids and result.worker_ids[-1] in alive:
                continue  # a long task on a live worker
            result.status = TaskResultStatus.READY
            result.save(update_fields=["status"])
            logger.warning(
                "Task %s (%s) was abandoned by worker %s; queued again",
                result.id,
                result.task_path,
                (result.worker_ids or ["?"])[-1],
            )
            handed_back += 1
    return handed_back


class Heartbeat(threading.Thread):
    """Says every lease/4 seconds that this worker is alive, and hands back abandoned tasks."""

    def __init__(self, worker_id: str, lease_seconds: int):
        super().__init__(name="task-worker-heartbeat", daemon=True)
        self.worker_id, self.lease_seconds = worker_id, lease_seconds
        self.stopping = threading.Event()

    def beat(self) -> None:
        from newsroom.models import WorkerHeartbeat

        WorkerHeartbeat.objects.update_or_create(
            worker_id=self.worker_id, defaults={"seen_at": timezone.now()}
        )

    def run(self) -> None:
        try:
            while not self.stopping.is_set():
                try:
                    self.beat()
                    requeue_abandoned(self.lease_seconds)
                except Exception:  # the database may be away for a moment; the loop goes on
                    logger.exception("Task worker heartbeat failed")
                self.stopping.wait(max(self.lease_seconds / 4, 0.5))
        finally:
            connection.close()


class Command(BaseCommand):
    help = "Runs queued tasks (TASKS_BACKEND=database or rq). Run as many as you like at once."

    def add_arguments(self, parser):
        parser.add_argument(
            "--queue-name", default="default", help="Queues to run, comma-separated."
        )
        parser.add_argument(
            "--interval", type=float, default=1.0, help="Seconds between polls when idle."
        )
        parser.add_argument("--batch", action="store_true", help="Run what is due, then exit.")
        parser.add_argument("--worker-id", default="", help="Unique per worker (default: random).")

    def handle(self, *args, queue_name, interval, batch, worker_id, **options):
        backend = settings.TASKS_BACKEND
        if backend == "rq":
            from newsroom.rq_backend import work

            work(queue_name.split(","), burst=batch)
            return
        if backend != "database":
            raise CommandError(
                f"TASKS_BACKEND is {backend!r}: tasks run in the web process, no worker is needed. "
                "Set TASKS_BACKEND=database (or rq) to run them here."
            )
        from django_tasks_db.management.commands.db_worker import Worker

        from newsroom.models import WorkerHeartbeat

        worker_id = worker_id or get_random_string(32)
        heartbeat = Heartbeat(worker_id, settings.TASKS_LEASE_SECONDS)
        heartbeat.beat()
        requeue_abandoned()
        heartbeat.start()
        worker = Worker(
            queue_names=queue_name.split(","),
            interval=interval,
            batch=batch,
            backend_name="default",
            startup_delay=not batch,
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        worker.configure_signals()
        self.stdout.write(
            f"Task worker {worker_id} started (lease {settings.TASKS_LEASE_SECONDS} s)."
        )
        try:
            worker.run()
        finally:
            heartbeat.stopping.set()
            heartbeat.join(timeout=5)
            WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()
