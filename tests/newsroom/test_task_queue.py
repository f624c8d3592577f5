"""The task queue: retries with backoff, failures kept for administrators, the queue on commit."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from newsroom.tasks import backoff, enqueue_on_commit
from tests.helpers import make_superuser, make_user
from tests.newsroom import queue_tasks

DATABASE_BACKEND = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "slow"]}
}


@pytest.fixture
def database_queue(settings):
    settings.TASKS = DATABASE_BACKEND


def run_worker_once(queues=("default",)):
    """What `manage.py worker --batch` does, in this process: run every task that is due."""
    from django_tasks_db.management.commands.db_worker import Worker

    Worker(
        queue_names=list(queues),
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()


def test_backoff_grows_and_has_a_ceiling():
    assert [backoff(n).total_seconds() for n in (1, 2, 3)] == [30, 120, 480]
    assert backoff(50) == datetime.timedelta(hours=6)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_failing_task_is_retried_later_then_kept_as_failed(database_queue, tmp_path):
    trace = tmp_path / "trace"
    queue_tasks.always_fails.enqueue(str(trace))
    run_worker_once()
    assert queue_tasks.lines(trace) == ["attempt"]
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.args_kwargs["kwargs"]["_attempt"] == 2
    # Not at once: after the backoff (30 s for the second attempt).
    assert retry.run_after > timezone.now() + datetime.timedelta(seconds=25)
    run_worker_once()
    assert queue_tasks.lines(trace) == ["attempt"]

    for expected in (2, 3):
        DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
        run_worker_once()
        assert len(queue_tasks.lines(trace)) == expected
    assert not DBTaskResult.objects.filter(status="READY").exists()  # three attempts, then no more
    failed = DBTaskResult.objects.filter(status="FAILED")
    assert failed.count() == 3
    assert all("the mail server said no" in result.traceback for result in failed)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_failed_tasks_are_shown_to_superusers_only(database_queue, tmp_path, client):
    queue_tasks.always_fails.using(run_after=None).enqueue(str(tmp_path / "t"), _attempt=3)
    run_worker_once()
    result = DBTaskResult.objects.get(status="FAILED")
    url = f"/admin/django_tasks_database/dbtaskresult/{result.pk}/change/"
    editor = make_user("erin", "Editors")
    client.force_login(editor)
    assert client.get("/admin/django_tasks_database/dbtaskresult/").status_code == 403
    assert client.get(url).status_code == 403
    boss = make_user("boss", None)
    boss.is_superuser = True
    boss.save()
    client.force_login(boss)
    listing = client.get("/admin/django_tasks_database/dbtaskresult/?status__exact=FAILED")
    assert listing.status_code == 200 and "always_fails" in listing.text
    page = client.get(url)
    assert page.status_code == 200 and "the mail server said no" in page.text
    # The admin's one address for failed tasks, whatever the backend, leads there.
    failed = client.get("/admin/failed-tasks/")
    assert failed.status_code == 302 and failed.url.endswith("?status__exact=FAILED")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_retry_goes_back_to_the_queue_the_task_was_sent_to(database_queue, tmp_path):
    queue_tasks.always_fails.using(queue_name="slow").enqueue(str(tmp_path / "t"))
    run_worker_once(queues=["slow"])
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.queue_name == "slow" and retry.args_kwargs["kwargs"] == {"_attempt": 2}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_administrators_are_told_once_of_a_task_that_keeps_failing(
    database_queue, tmp_path, mailoutbox
):
    make_superuser("boss", "boss@example.com")
    make_superuser("nomail", "")
    queue_tasks.always_fails.enqueue(str(tmp_path / "t"))
    run_worker_once()
    assert mailoutbox == []  # a first failure is retried, nobody is bothered
    # Its last attempt fails; then the same task is queued again (a sweep) and fails again.
    for _ in range(2):
        queue_tasks.always_fails.enqueue(str(tmp_path / "t"), _attempt=3)
        run_worker_once()
    assert DBTaskResult.objects.filter(status="FAILED").count() == 3
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["boss@example.com"] and "always_fails" in message.subject
    assert "/admin/django_tasks_database/dbtaskresult/?status__exact=FAILED" in message.body


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_rolled_back_transaction_queues_nothing(database_queue, tmp_path):
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue_on_commit(queue_tasks.note_done, str(tmp_path / "t"), "never")
        raise RuntimeError
    assert DBTaskResult.objects.count() == 0
    with transaction.atomic():
        enqueue_on_commit(queue_tasks.note_done, str(tmp_path / "t"), "once")
        assert DBTaskResult.objects.count() == 0  # not before the commit
    assert DBTaskResult.objects.count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_abandoned_tasks_go_back_to_the_queue_but_a_live_workers_do_not(database_queue, tmp_path):
    from newsroom.management.commands.worker import requeue_abandoned
    from newsroom.models import WorkerHeartbeat

    long_ago = timezone.now() - datetime.timedelta(minutes=10)
    for worker, label in (("dead", "a"), ("alive", "b")):
        result = queue_tasks.note_done.enqueue(str(tmp_path / "t"), label)
        DBTaskResult.objects.filter(pk=result.id).update(
            status="RUNNING", started_at=long_ago, worker_ids=[worker]
        )
    WorkerHeartbeat.objects.create(worker_id="dead", seen_at=long_ago)
    WorkerHeartbeat.objects.create(worker_id="alive", seen_at=timezone.now())
    assert requeue_abandoned(lease_seconds=60) == 1
    statuses = {r.args_kwargs["args"][1]: r.status for r in DBTaskResult.objects.all()}
    assert statuses == {"a": "READY", "b": "RUNNING"}
