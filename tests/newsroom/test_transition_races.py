"""Two editors acting on one story at once, and shared preview links across a withdrawal.

Decision: a transition button's form carries the edit version its page showed; `perform()`
compares it under the row lock and refuses if the story moved since, with a message to
reload. So of two editors scheduling the same story at once, the first wins and the second
learns of it instead of silently replacing the time. A schedule (the action whose result
depends on what each editor chose) is refused without the version.

A preview link signs how many times the story had been spiked or retracted: one shared
before a withdrawal stays dead after the story is restored; a new link works.
"""

import datetime
import threading
from urllib.parse import urlsplit

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from newsroom import preview, workflow
from newsroom.models import Transition
from tests.helpers import make_article, make_user

CONFLICT = "Someone else changed this item (or its status) after you opened it"


@pytest.fixture(autouse=True)
def in_english(settings):
    settings.LANGUAGE_CODE = "en"


def schedule_url(article):
    return reverse("admin:articles_article_transition", args=[article.pk, "schedule"])


def local_input(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def schedules_of(article):
    return Transition.objects.filter(object_id=article.pk, name="schedule").count()


@pytest.fixture
def second_editor(db):
    return make_user("frank", "Editors", person_name="冯编辑")


def test_the_second_of_two_editors_scheduling_from_the_same_page_is_told_and_changes_nothing(
    client, reporter, editor, second_editor
):
    article = make_article(by=reporter)
    article.submit_for_review(by=reporter)
    shown_at = Article.objects.get(pk=article.pk).edit_version
    first_time = timezone.now() + datetime.timedelta(days=1)
    second_time = timezone.now() + datetime.timedelta(days=2)

    client.force_login(editor)
    client.post(schedule_url(article), {"at": local_input(first_time), "edit_version": shown_at})
    other = Client()
    other.force_login(second_editor)
    response = other.post(
        schedule_url(article),
        {"at": local_input(second_time), "edit_version": shown_at},
        follow=True,
    )

    messages = [str(m) for m in response.context["messages"]]
    assert len(messages) == 1 and messages[0].startswith(CONFLICT), messages
    article.refresh_from_db()
    assert article.status == "scheduled"
    assert local_input(article.publish_at) == local_input(first_time)
    assert schedules_of(article) == 1


def test_a_schedule_posted_without_the_version_its_page_showed_is_refused(client, reporter, editor):
    article = make_article(by=reporter)
    client.force_login(editor)
    at = timezone.now() + datetime.timedelta(days=1)
    response = client.post(schedule_url(article), {"at": local_input(at)}, follow=True)
    assert [str(m) for m in response.context["messages"]][0].startswith(CONFLICT)
    article.refresh_from_db()
    assert (article.status, article.publish_at) == ("draft", None)


def test_the_change_form_buttons_carry_the_version_they_were_shown_at(client, reporter, editor):
    article = make_article(by=reporter)
    client.force_login(editor)
    page = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    form = page.split('class="workflow-action workflow-schedule"')[1].split("</form>")[0]
    assert f'name="edit_version" value="{article.edit_version}"' in form


def test_perform_refuses_a_stale_version_under_the_lock(reporter, editor, second_editor):
    stale = make_article(by=reporter)
    fresh = Article.objects.get(pk=stale.pk)
    at = timezone.now() + datetime.timedelta(days=1)
    fresh.schedule(at=at, by=editor)

    with pytest.raises(workflow.TransitionConflict):
        workflow.perform(
            stale,
            "schedule",
            by=second_editor,
            at=at + datetime.timedelta(hours=1),
            seen_version=stale.edit_version,
        )
    assert Article.objects.get(pk=stale.pk).publish_at == at


@pytest.mark.skipif(
    "postgresql" not in connection.vendor, reason="two writers at once need PostgreSQL's row locks"
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_schedule_requests_one_succeeds_and_the_other_is_told(
    reporter, editor, second_editor
):
    article = make_article(by=reporter)
    shown_at = article.edit_version
    start = threading.Barrier(2)
    results = {}

    def schedule(user, days):
        client = Client()
        client.force_login(user)
        start.wait()
        try:
            client.post(
                schedule_url(article),
                {
                    "at": local_input(timezone.now() + datetime.timedelta(days=days)),
                    "edit_version": shown_at,
                },
            )
            results[user.username] = client
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=schedule, args=(user, days))
        for user, days in [(editor, 1), (second_editor, 2)]
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert schedules_of(article) == 1
    # Each editor's message, read afterwards in this thread (the test client's record of
    # rendered pages is shared between threads).
    change_url = reverse("admin:articles_article_change", args=[article.pk])
    told = sorted(
        [str(m) for m in client.get(change_url).context["messages"]][0].startswith(CONFLICT)
        for client in results.values()
    )
    assert told == [False, True]


def shared_path(obj):
    return urlsplit(preview.preview_url(obj)).path


@pytest.mark.parametrize("withdrawal", ["spike", "unpublish"])
def test_a_link_shared_before_a_withdrawal_stays_dead_after_the_story_is_restored(
    client, reporter, editor, withdrawal
):
    article = make_article(by=reporter, headline="尚未发表的稿件")
    old_link = shared_path(article)
    if withdrawal == "spike":
        article.spike(by=editor)
    else:
        article.publish(by=editor)
        article.unpublish(by=editor, reason="事实有误")
    article.restore(by=editor)
    article.refresh_from_db()
    assert article.status == "draft"

    response = client.get(old_link)
    assert response.status_code == 404
    assert "尚未发表的稿件" not in response.content.decode()
    # A link made now, after the restore, works.
    assert client.get(shared_path(article)).status_code == 200


def test_a_link_survives_edits_and_the_review(client, reporter, editor):
    article = make_article(by=reporter, headline="尚未发表的稿件")
    link = shared_path(article)
    article.headline = "改过的标题"
    article.save()
    article.submit_for_review(by=reporter)
    article.send_back(by=editor, note="请补充。")
    assert client.get(link).status_code == 200
