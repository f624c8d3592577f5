"""TASKS_BACKEND=rq against the machine's real Redis: a task queued there is run by rq's
worker; a failing one is kept in rq's failed-job registry."""

import uuid

import pytest

from tests.helpers import redis_reachable
from tests.newsroom import queue_tasks

pytestmark = pytest.mark.skipif(
    not redis_reachable(), reason="Redis at 127.0.0.1:6379 is not running"
)


@pytest.fixture
def rq_queue(settings):
    """A queue of its own on Redis database 15, emptied afterwards (retries are queued on the
    task's own queue, "default": its jobs there are removed too)."""
    from newsroom.rq_backend import connection

    name = f"test-{uuid.uuid4().hex[:8]}"
    settings.TASKS_REDIS_URL = "redis://127.0.0.1:6379/15"
    settings.TASKS = {
        "default": {"BACKEND": "newsroom.rq_backend.RQBackend", "QUEUES": [name, "default"]}
    }
    yield name
    from rq import Queue

    redis = connection()
    for key in redis.scan_iter(f"rq:*{name}*"):
        redis.delete(key)
    Queue("default", connection=redis).empty()
    redis.delete("rq:scheduled:default")


def test_a_task_queued_on_rq_is_run_by_the_rq_worker(rq_queue, tmp_path):
    from newsroom.rq_backend import work

    trace = tmp_path / "trace"
    result = queue_tasks.note_done.using(queue_name=rq_queue).enqueue(str(trace), "via redis")
    assert result.status == "READY" and queue_tasks.lines(trace) == []
    work([rq_queue], burst=True)
    assert queue_tasks.lines(trace) == ["done via redis"]


def test_a_failing_task_is_kept_in_the_failed_registry_with_a_retry_queued(rq_queue, tmp_path):
    from rq import Queue
    from rq.registry import FailedJobRegistry, ScheduledJobRegistry

    from newsroom.rq_backend import connection, work

    trace = tmp_path / "trace"
    queue_tasks.always_fails.using(queue_name=rq_queue).enqueue(str(trace))
    work([rq_queue], burst=True)
    assert queue_tasks.lines(trace) == ["attempt"]
    queue = Queue(rq_queue, connection=connection())
    failed = FailedJobRegistry(queue=queue)
    assert failed.count == 1
    job = queue.fetch_job(failed.get_job_ids()[0])
    assert "the mail server said no" in job.latest_result().exc_string
    # The retry waits for its backoff in rq's scheduler.
    default = Queue("default", connection=connection())
    retries = [default.fetch_job(i) for i in ScheduledJobRegistry(queue=default).get_job_ids()]
    mine = [j for j in retries if j and j.args[1] == [str(trace)]]
    assert len(mine) == 1 and mine[0].args[2] == {"_attempt": 2}
