"""Two signers approving the same stage at the same moment: exactly one signature is kept, the
other signer is told why, and the log has one row (PostgreSQL's row lock in perform())."""

import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from articles.models import Article
from newsroom import workflow
from newsroom.models import Chain, ChainChoice, Desk, DeskMembership, Signoff, Transition
from newsroom.review.presets import SANSHEN
from newsroom.roles import Role
from tests.helpers import make_article, make_section, make_user

TOLD = "Someone else signed or moved this item after you opened it"


@pytest.fixture(autouse=True)
def in_english(settings):
    settings.LANGUAGE_CODE = "en"


def sanshen_story(reporter):
    desk = Desk.objects.create(name="要闻部", slug="yaowen")
    ChainChoice.objects.create(desk=desk, chain=Chain.objects.get(slug=SANSHEN))
    editors = []
    for name in ("ed1", "ed2"):
        user = make_user(name, None)
        DeskMembership.objects.create(desk=desk, user=user, role=Role.EDITOR)
        editors.append(user)
    article = make_article(by=reporter, section=make_section("要闻", desk=desk))
    article.submit_for_review(by=reporter)
    return article, editors


def approve_url(article):
    return reverse("admin:articles_article_transition", args=[article.pk, "approve"])


def test_a_signer_whose_page_is_out_of_date_is_told_and_signs_nothing(db, reporter):
    article, (first, second) = sanshen_story(reporter)
    seen = Article.objects.get(pk=article.pk)
    workflow.perform(Article.objects.get(pk=article.pk), "approve", by=first)
    with pytest.raises(workflow.TransitionConflict) as refused:
        workflow.perform(seen, "approve", by=second)
    assert TOLD in str(refused.value.messages[0])
    assert Signoff.objects.filter(object_id=article.pk).count() == 1


def test_the_second_approval_posted_from_a_stale_page_gets_a_message_not_a_403(
    client, db, reporter
):
    article, (first, second) = sanshen_story(reporter)
    shown_at = Article.objects.get(pk=article.pk).edit_version
    client.force_login(first)
    client.post(approve_url(article), {"edit_version": shown_at})
    other = Client()
    other.force_login(second)
    response = other.post(approve_url(article), {"edit_version": shown_at}, follow=True)
    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]][0].startswith(TOLD)
    assert Transition.objects.filter(object_id=article.pk, name="approve").count() == 1


@pytest.mark.skipif(
    "postgresql" not in connection.vendor, reason="two writers at once need PostgreSQL's row locks"
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_signers_approving_the_same_stage_at_once_one_succeeds_the_other_is_told(reporter):
    article, editors = sanshen_story(reporter)
    shown_at = Article.objects.get(pk=article.pk).edit_version
    start = threading.Barrier(2)
    results = {}

    def approve(user):
        client = Client()
        client.force_login(user)
        start.wait()
        try:
            response = client.post(approve_url(article), {"edit_version": shown_at})
            results[user.username] = (client, response.status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(user,)) for user in editors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(code for _client, code in results.values()) == [302, 302]
    assert Transition.objects.filter(object_id=article.pk, name="approve").count() == 1
    assert Signoff.objects.filter(object_id=article.pk).count() == 1
    assert Article.objects.get(pk=article.pk).review_stage.name == "一校"
    change_url = reverse("admin:articles_article_change", args=[article.pk])
    told = sorted(
        [str(m) for m in client.get(change_url).context["messages"]][0].startswith(TOLD)
        for client, _code in results.values()
    )
    assert told == [False, True]
