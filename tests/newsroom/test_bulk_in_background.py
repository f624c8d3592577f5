"""A bulk workflow action over more items than BULK_AT_ONCE_MAX_ITEMS is done by a task: the
request only says that it is under way; each item is still checked against the person's
rights when the task makes its transition."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from articles.models import Article
from newsroom.workflow import Status
from tests.helpers import make_article
from tests.newsroom.test_task_queue import DATABASE_BACKEND, run_worker_once

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def in_review(reporter, count):
    stories = [make_article(by=reporter, headline=f"待审稿件{i}") for i in range(count)]
    for story in stories:
        story.submit_for_review(by=reporter)
    return stories


def bulk(client, action, stories):
    return client.post(
        reverse("admin:articles_article_changelist"),
        {"action": action, "_selected_action": [s.pk for s in stories], "index": 0},
    )


def test_a_big_bulk_publish_is_queued_and_the_admin_says_so(client, reporter, editor, settings):
    settings.BULK_AT_ONCE_MAX_ITEMS = 2
    settings.TASKS = DATABASE_BACKEND
    stories = in_review(reporter, 3)
    client.force_login(editor)
    response = bulk(client, "bulk_publish", stories)
    assert response.status_code == 302
    said = " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert "3 items are being done in the background" in said or "后台" in said
    # Nothing moved in the request: one task waits for the worker.
    assert set(Article.objects.values_list("status", flat=True)) == {Status.REVIEW}
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    run_worker_once()
    assert set(Article.objects.values_list("status", flat=True)) == {Status.PUBLISHED}


def test_the_task_checks_each_item_against_the_persons_rights(
    client, reporter, other_reporter, settings
):
    settings.BULK_AT_ONCE_MAX_ITEMS = 1
    settings.TASKS = DATABASE_BACKEND
    mine = make_article(by=reporter, headline="我的稿件")
    theirs = make_article(by=other_reporter, headline="别人的稿件")
    from newsroom.bulk import bulk_transition

    # As if a crafted selection had reached the task: a reporter may submit only their own.
    bulk_transition.enqueue("articles.article", [mine.pk, theirs.pk], "submit", reporter.pk)
    run_worker_once()
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.status, theirs.status) == (Status.REVIEW, Status.DRAFT)
    assert DBTaskResult.objects.get().return_value == {"done": 1, "refused": 1}


def test_a_small_bulk_action_is_done_at_once(client, reporter, editor, settings):
    settings.TASKS = DATABASE_BACKEND
    stories = in_review(reporter, 2)
    client.force_login(editor)
    response = bulk(client, "bulk_publish", stories)
    assert response.status_code == 302
    assert set(Article.objects.values_list("status", flat=True)) == {Status.PUBLISHED}
    assert not DBTaskResult.objects.exists()
