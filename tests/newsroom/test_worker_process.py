"""The real worker: `manage.py worker` processes against PostgreSQL, killed mid-task.

PostgreSQL only: the claim relies on SELECT ... FOR UPDATE SKIP LOCKED between processes,
and SQLite's in-memory test database cannot be shared with another process.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django_tasks_db.models import DBTaskResult

from tests.newsroom import queue_tasks

ROOT = Path(__file__).resolve().parents[2]
LEASE_SECONDS = 2

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def _postgresql_only(settings):
    if connection.vendor != "postgresql":
        pytest.skip(
            "worker processes need PostgreSQL (set DATABASE_URL); SQLite's test database is in memory"
        )
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }


@pytest.fixture
def workers(tmp_path):
    """Start `manage.py worker` processes on the test database; all are killed afterwards."""
    started = []
    db = connection.settings_dict
    url = f"postgresql://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"

    def start(worker_id: str) -> subprocess.Popen:
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "TASKS_BACKEND": "database",
            "TASKS_LEASE_SECONDS": str(LEASE_SECONDS),
            "NEWSROOM_VAR_DIR": str(tmp_path / "var"),
        }
        log = open(tmp_path / f"{worker_id}.log", "w")
        process = subprocess.Popen(
            [sys.executable, "manage.py", "worker", "--interval", "0.2", "--worker-id", worker_id],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)
    connection.close()


def wait_for(condition, timeout=30.0, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def status(result_id) -> str:
    return DBTaskResult.objects.get(pk=result_id).status


def test_worker_runs_a_queued_task_and_waits_for_tasks_while_down(workers, tmp_path):
    trace = tmp_path / "trace"
    # Queued while no worker runs: it waits.
    result = queue_tasks.note_done.enqueue(str(trace), "first")
    time.sleep(1)
    assert status(result.id) == "READY"
    workers("w1")
    wait_for(lambda: status(result.id) == "SUCCESSFUL", what="the task to run")
    assert queue_tasks.lines(trace) == ["done first"]


def test_killed_worker_task_is_run_again_by_another_worker_once(workers, tmp_path):
    trace = tmp_path / "trace"
    first = workers("w1")
    result = queue_tasks.slow_then_done.enqueue(str(trace), "story", 4)
    wait_for(lambda: "started story" in queue_tasks.lines(trace), what="the task to start")
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    assert status(result.id) == "RUNNING"  # claimed by a worker that is gone
    assert queue_tasks.lines(trace) == ["started story"]

    workers("w2")
    wait_for(lambda: status(result.id) == "SUCCESSFUL", timeout=40, what="the task to be run again")
    assert queue_tasks.lines(trace) == ["started story", "started story", "done story"]
    assert DBTaskResult.objects.get(pk=result.id).worker_ids == ["w1", "w2"]


def test_several_workers_never_run_one_task_twice(workers, tmp_path):
    trace = tmp_path / "trace"
    ids = [queue_tasks.note_done.enqueue(str(trace), f"t{n}").id for n in range(30)]
    for name in ("w1", "w2", "w3"):
        workers(name)
    wait_for(
        lambda: DBTaskResult.objects.filter(pk__in=ids, status="SUCCESSFUL").count() == 30,
        timeout=60,
        what="all thirty tasks",
    )
    done = queue_tasks.lines(trace)
    assert sorted(done) == sorted(f"done t{n}" for n in range(30))
    assert all(len(r.worker_ids) == 1 for r in DBTaskResult.objects.filter(pk__in=ids))


def test_notification_emails_are_sent_by_the_worker(workers, tmp_path, reporter, editor):
    """The real task of this queue: the email of a sent-back story, through the worker."""
    from teamwork.models import Notification
    from tests.helpers import make_article

    reporter.email = "alice@newsroom.invalid"
    reporter.save()
    story = make_article(by=reporter)
    story.submit_for_review(by=reporter)
    story.send_back(by=editor, note="请核实数字")  # queued on commit: this test commits
    row = Notification.objects.get(recipient=reporter)
    assert row.email == "pending"
    workers("w1")
    wait_for(lambda: Notification.objects.get(pk=row.pk).email == "sent", what="the email")
    assert django_settings.TASKS["default"]["BACKEND"].endswith("DatabaseBackend")
