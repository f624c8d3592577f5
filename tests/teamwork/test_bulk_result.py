"""A bulk action done in the background tells its actor the result when it is over (through
newsroom.bulk's `bulk_done` signal: the core imports nothing of teamwork)."""

import pytest
from django.urls import reverse

from articles.models import Article
from newsroom.workflow import Status
from teamwork.messages import headline
from teamwork.models import Notification, Profile
from tests.helpers import make_article, make_superuser


def bulk_publish(client, user, stories, django_capture_on_commit_callbacks, language="zh-hans"):
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):  # the immediate backend runs it
        return client.post(
            reverse("admin:articles_article_changelist"),
            {"action": "bulk_publish", "_selected_action": [s.pk for s in stories], "index": 0},
            HTTP_ACCEPT_LANGUAGE=language,
        )


@pytest.fixture
def stories(reporter):
    ready = [make_article(by=reporter, headline=f"待审稿件{i}") for i in range(2)]
    for story in ready:
        story.submit_for_review(by=reporter)
    spiked = make_article(by=reporter, headline="已弃用的稿件")
    Article.objects.filter(pk=spiked.pk).update(status=Status.SPIKED)
    return [*ready, spiked]


@pytest.mark.django_db
def test_the_actor_hears_how_many_were_done_and_why_the_others_were_refused(
    client, editor, stories, settings, django_capture_on_commit_callbacks
):
    settings.BULK_AT_ONCE_MAX_ITEMS = 2
    # Asked in English: the result and the workflow's reasons are in English.
    response = bulk_publish(client, editor, stories, django_capture_on_commit_callbacks, "en")
    assert response.status_code == 302
    assert Article.objects.filter(status=Status.PUBLISHED).count() == 2
    result = Notification.objects.get(event="bulk_done")
    assert result.recipient == editor and result.in_inbox
    assert result.title == "Publish now: 3 articles"
    assert result.note.startswith("2 done, 1 refused: 已弃用的稿件 — ")
    assert "Spiked" in result.note  # the workflow's reason
    assert headline(result) == "Done in the background: Publish now: 3 articles"
    # Its link opens the change list; the bell counts it.
    client.force_login(editor)
    opened = client.get(result.open_url)
    assert opened.status_code == 302
    assert opened["Location"] == reverse("admin:articles_article_changelist")
    # Nobody else hears of the bulk action itself.
    assert Notification.objects.filter(event="bulk_done").count() == 1


@pytest.mark.django_db
def test_the_result_is_in_the_language_the_actor_asked_in(
    client, editor, stories, settings, django_capture_on_commit_callbacks
):
    settings.BULK_AT_ONCE_MAX_ITEMS = 2
    Profile.objects.create(user=editor, language="en")  # emails in English; the admin in Chinese
    bulk_publish(client, editor, stories, django_capture_on_commit_callbacks)
    result = Notification.objects.get(event="bulk_done")
    assert result.note.startswith("完成 2 项，未能完成 1 项：") or result.note.startswith(
        "完成 2 项，未能完成 1 项: "
    )
    assert "已弃用的稿件" in result.note and "done" not in result.note


@pytest.mark.django_db
def test_a_small_bulk_action_says_it_in_the_request_and_notifies_nothing(
    client, editor, stories, django_capture_on_commit_callbacks
):
    bulk_publish(client, editor, stories, django_capture_on_commit_callbacks)
    assert Article.objects.filter(status=Status.PUBLISHED).count() == 2
    assert not Notification.objects.filter(event="bulk_done").exists()


@pytest.mark.django_db
def test_a_superuser_hears_of_their_own_bulk_action_and_a_rerun_tells_nothing_new(
    client, stories, settings, django_capture_on_commit_callbacks
):
    from newsroom.bulk import bulk_transition

    settings.BULK_AT_ONCE_MAX_ITEMS = 1
    boss = make_superuser()
    bulk_publish(client, boss, stories, django_capture_on_commit_callbacks)
    row = Notification.objects.get(event="bulk_done", recipient=boss)
    assert "2" in row.note and "1" in row.note
    # The same task run again (a retry) with the same run key: told once only.
    pks = [s.pk for s in stories]
    bulk_transition.enqueue("articles.article", pks, "publish", boss.pk, run="again")
    bulk_transition.enqueue("articles.article", pks, "publish", boss.pk, run="again")
    assert Notification.objects.filter(event="bulk_done", recipient=boss).count() == 2
