"""The demo newsroom shows the review chain at once: two desks on two chains, a login for
each role, and 要闻部 stories waiting at every stage of 三审三校."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.urls import reverse

from articles.management.commands.load_demo import DEMO_PASSWORD
from articles.models import Article
from newsroom.review.chains import chain_for
from tests.review.world import SANSHEN

LOGINS = ["reporter", "editor", "desk-editor", "desk-chief", "proofreader", "chief-editor",
          "photographer", "correspondent", "siteadmin"]  # fmt: skip


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=io.StringIO())


def test_two_desks_a_login_for_each_role_and_stories_waiting_at_every_stage(demo, client):
    # Two desks on two chains.
    yaowen = Article.objects.filter(desk__name="要闻部").first()
    quyu = Article.objects.filter(desk__name="区域新闻部").first()
    assert chain_for(yaowen).slug == "sanshen"
    assert chain_for(quyu).slug == "single"
    # A login for each role, with the demo password.
    for username in LOGINS:
        assert authenticate(username=username, password=DEMO_PASSWORD) is not None, username
    # 要闻部's stories wait at every stage; its lead story went through all of them.
    waiting = set(
        Article.objects.in_review()
        .filter(desk__name="要闻部", review_stage__isnull=False)
        .values_list("review_stage__name", flat=True)
    )
    assert waiting == set(SANSHEN)
    lead = Article.objects.published().get(desk__name="要闻部")
    assert [s.stage.name for s in lead.signoffs.select_related("stage")] == SANSHEN
    # The desk chief's start page: 复审, and the desk editor's 初审 a chief may sign too.
    client.login(username="desk-chief", password=DEMO_PASSWORD)
    page = client.get(reverse("admin:index"))
    assert {row["stage"].name for row in page.context["awaiting_signature"]} == {"初审", "复审"}
    assert page.context["desk_pipeline"][0]["total"] >= 7


def test_loading_the_demo_twice_changes_nothing(demo):
    before = (Article.objects.count(), sum(a.signoffs.count() for a in Article.objects.all()))
    call_command("load_demo", stdout=io.StringIO())
    after = (Article.objects.count(), sum(a.signoffs.count() for a in Article.objects.all()))
    assert after == before
