"""TASKS_BACKEND=rq against the machine's real Redis: a task queued there is run by rq's
worker; a failing one is kept in rq's failed-job registry."""

import uuid

import pytest

from tests.helpers import make_superuser, redis_reachable
from tests.newsroom import queue_tasks

pytestmark = pytest.mark.skipif(
    not redis_reachable(), reason="Redis at 127.0.0.1:6379 is not running"
)


@pytest.fixture
def rq_queue(settings):
    """A queue of its own on Redis database 7, emptied afterwards (its retries wait on it too)."""
    from newsroom.rq_backend import connection

    name = f"test-{uuid.uuid4().hex[:8]}"
    settings.TASKS_REDIS_URL = "redis://127.0.0.1:6379/7"
    settings.TASKS = {
        "default": {"BACKEND": "newsroom.rq_backend.RQBackend", "QUEUES": [name, "default"]}
    }
    redis = connection()
    before = set(redis.scan_iter("rq:scheduled:*"))
    yield name
    for key in redis.scan_iter(f"rq:*{name}*"):
        redis.delete(key)
    # Nothing of this test waits on any other queue (a retry sent to "default" once did).
    assert set(redis.scan_iter("rq:scheduled:*")) == before


def test_a_task_queued_on_rq_is_run_by_the_rq_worker(rq_queue, tmp_path):
    from newsroom.rq_backend import work

    trace = tmp_path / "trace"
    result = queue_tasks.note_done.using(queue_name=rq_queue).enqueue(str(trace), "via redis")
    assert result.status == "READY" and queue_tasks.lines(trace) == []
    work([rq_queue], burst=True, fork=False)
    assert queue_tasks.lines(trace) == ["done via redis"]


def test_a_failing_task_is_kept_in_the_failed_registry_and_retried_on_its_own_queue(
    rq_queue, tmp_path, db, mailoutbox
):
    make_superuser()
    from rq import Queue
    from rq.registry import FailedJobRegistry, ScheduledJobRegistry

    from newsroom.rq_backend import connection, work

    trace = tmp_path / "trace"
    queue_tasks.always_fails.using(queue_name=rq_queue).enqueue(str(trace))
    work([rq_queue], burst=True, fork=False)
    assert queue_tasks.lines(trace) == ["attempt"]
    queue = Queue(rq_queue, connection=connection())
    failed = FailedJobRegistry(queue=queue)
    assert failed.count == 1
    job = queue.fetch_job(failed.get_job_ids()[0])
    assert "the mail server said no" in job.latest_result().exc_string
    # The retry waits for its backoff in rq's scheduler, on the queue the task was sent to.
    retries = [queue.fetch_job(i) for i in ScheduledJobRegistry(queue=queue).get_job_ids()]
    assert [(job.args[1], job.args[2]) for job in retries] == [([str(trace)], {"_attempt": 2})]
    assert ScheduledJobRegistry(queue=Queue("default", connection=connection())).count == 0

    # Run the retries at once rather than after their backoff: the third attempt is the last.
    for expected in (2, 3):
        for job in retries:
            ScheduledJobRegistry(queue=queue).remove(job)
            queue.enqueue_job(job)
        work([rq_queue], burst=True, fork=False)
        retries = [queue.fetch_job(i) for i in ScheduledJobRegistry(queue=queue).get_job_ids()]
        assert len(queue_tasks.lines(trace)) == expected
    assert retries == [] and failed.count == 3
    # The administrators are told once, when it failed for good, and where to look.
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["boss@example.com"]
    assert "always_fails" in mailoutbox[0].subject and "rq" in mailoutbox[0].body


def test_failed_rq_jobs_are_shown_to_administrators_in_the_admin(rq_queue, tmp_path, client, db):
    from newsroom.rq_backend import work
    from tests.helpers import make_user

    queue_tasks.always_fails.using(queue_name=rq_queue).enqueue(str(tmp_path / "t"), _attempt=3)
    work([rq_queue], burst=True, fork=False)
    client.force_login(make_user("erin", "Editors"))
    assert client.get("/admin/failed-tasks/").status_code == 403
    client.force_login(make_superuser())
    page = client.get("/admin/failed-tasks/")
    assert page.status_code == 200
    assert "tests.newsroom.queue_tasks.always_fails" in page.text
    assert "the mail server said no" in page.text and rq_queue in page.text
