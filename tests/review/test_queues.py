"""The start page's queues: what waits for my signature on my desks (oldest first, with its
stage and age), each desk's pipeline for its chief, every desk for a chief editor, and the
header's count — in a number of queries that does not grow with items or stages."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from newsroom import dashboard
from tests.helpers import move_clock_to, put_clock_back
from tests.review.world import build_world, sign_through, story


@pytest.fixture
def world(db):
    return build_world()


def start_page(client, user):
    client.force_login(user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return response


def queue(response):
    return [
        (row["object"].headline, row["stage"].name)
        for row in response.context["awaiting_signature"]
    ]


def test_a_desk_editor_sees_the_stories_at_their_stage_on_their_desk_oldest_first(client, world):
    import datetime

    from django.utils import timezone

    start = timezone.now() - datetime.timedelta(hours=5)
    move_clock_to(start)
    older = story(world, headline="早一点的稿件")
    move_clock_to(start + datetime.timedelta(hours=2))
    newer = story(world, headline="晚一点的稿件")
    story(world, desk="quyu", headline="区域新闻部的稿件")
    past_first = story(world, headline="已过初审")
    sign_through(past_first, world, 1)
    put_clock_back()
    response = start_page(client, world["desk_editor"])
    assert queue(response) == [("早一点的稿件", "初审"), ("晚一点的稿件", "初审")]
    ages = [row["age"] for row in response.context["awaiting_signature"]]
    assert ages[0] > ages[1] >= datetime.timedelta(hours=2)
    html = response.content.decode()
    assert html.index("早一点的稿件") < html.index("晚一点的稿件")
    assert 'id="nav-to-sign-count">2<' in html
    assert older.pk and newer.pk


def test_the_proofreader_and_the_chief_editor_see_their_own_stages(client, world):
    at_first_proof = story(world, headline="一校稿")
    sign_through(at_first_proof, world, 1)
    at_final = story(world, headline="终审稿")
    sign_through(at_final, world, 5)
    story(world, desk="quyu", headline="区域稿")
    assert queue(start_page(client, world["proofreader"])) == [("一校稿", "一校")]
    chief_editor_queue = queue(start_page(client, world["chief_editor"]))
    assert ("终审稿", "终审") in chief_editor_queue
    assert ("一校稿", "一校") not in chief_editor_queue
    assert queue(start_page(client, world["quyu_editor"]))[0][0] == "区域稿"


def test_reporters_have_no_signature_queue_and_no_count(client, world):
    story(world)
    response = start_page(client, world["reporter"])
    assert response.context["awaiting_signature"] == []
    assert 'id="nav-to-sign"' not in response.content.decode()


def pipeline(response):
    return {
        p["desk"].name: [(r["stage"].name if r["stage"] else None, r["count"]) for r in p["stages"]]
        for p in response.context["desk_pipeline"]
    }


def test_a_desk_chief_sees_their_desks_pipeline_by_stage_and_a_chief_editor_every_desk(
    client, world
):
    story(world, headline="甲")
    story(world, headline="乙")
    sign_through(story(world, headline="丙"), world, 2)
    sign_through(story(world, headline="丁"), world, 6)
    story(world, desk="quyu", headline="区域")
    assert pipeline(start_page(client, world["desk_chief"])) == {
        "要闻部": [("初审", 2), ("复审", 1), (None, 1)]
    }
    every = pipeline(start_page(client, world["chief_editor"]))
    assert every["要闻部"] == [("初审", 2), ("复审", 1), (None, 1)]
    assert [count for _stage, count in every["区域新闻部"]] == [1]
    assert pipeline(start_page(client, world["desk_editor"])) == {}


def queries_of_start_page(client, user) -> list[str]:
    client.force_login(user)
    client.get(reverse("admin:index"))  # sessions, content types, compiled templates
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("admin:index")).status_code == 200
    return [q["sql"] for q in captured.captured_queries]


def test_the_queues_cost_the_same_queries_for_few_and_many_items_and_stages(client, world):
    sign_through(story(world, headline="一"), world, 0)
    few = {
        name: len(queries_of_start_page(client, world[name]))
        for name in ["desk_editor", "desk_chief", "chief_editor", "proofreader"]
    }
    for stages in range(7):
        for n in range(2):
            sign_through(story(world, headline=f"稿件{stages}-{n}"), world, min(stages, 6))
        story(world, desk="quyu", headline=f"区域{stages}")
    many = {
        name: len(queries_of_start_page(client, world[name]))
        for name in ["desk_editor", "desk_chief", "chief_editor", "proofreader"]
    }
    assert many == few
    # Everyone: session, user, groups, desk roles; the queue (one per content type: 3); the
    # app list's two permission queries; the header's count (one UNION); the recent-actions log.
    # A desk chief also: the pipeline (3 grouped counts, the stages, the desks). A chief editor
    # also the editor's desk lists of before (in review, scheduled, published: 3 × 3).
    assert few == {"desk_editor": 11, "proofreader": 11, "desk_chief": 16, "chief_editor": 25}


def test_the_header_count_matches_the_queue(world):
    sign_through(story(world, headline="甲"), world, 1)
    sign_through(story(world, headline="乙"), world, 1)
    assert dashboard.awaiting_count(world["proofreader"]) == 2
    assert dashboard.awaiting_count(world["desk_editor"]) == 0
    assert dashboard.awaiting_count(world["reporter"]) == 0
