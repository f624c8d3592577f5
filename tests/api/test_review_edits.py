"""Edits through the API answer to the review chain exactly as the admin's do (issue 12): an
edit after a sign-off is recorded against it, and on 三审三校 an edit after 复审 sends the
story back to 复审 with a `reapprove` row in the log; the desk rules decide who may edit."""

import pytest

from articles.models import Article
from newsroom.review import chains
from newsroom.review.models import Signoff
from tests.api.test_tokens import client_for, issue
from tests.review.world import build_world, sign_through, story

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return build_world()


def fresh(obj):
    return Article.objects.get(pk=obj.pk)


def test_an_api_edit_after_fushen_sends_the_story_back_to_fushen(world):
    filed = sign_through(story(world), world, 3)  # 复审 signed, at 二校
    assert chains.current_stage(fresh(filed)).name == "二校"
    api = client_for(issue(world["chief_editor"], ["read_unpublished", "write_drafts"]))
    response = api.patch(f"/api/v1/articles/{filed.pk}/", {"headline": "改过的标题"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["headline"] == "改过的标题"
    article = fresh(filed)
    assert chains.current_stage(article).name == "复审"
    assert article.transitions.order_by("-pk").first().name == "reapprove"
    # 初审 and 一校 stand, marked as edited after; 复审's sign-off is cleared.
    standing = {s.stage.name: s for s in chains.current_round(article)}
    assert sorted(standing) == ["一校", "初审"]
    assert all(s.edited_after for s in standing.values())
    assert Signoff.objects.filter(stage__name="复审", cleared_at__isnull=False).count() == 1


def test_an_api_edit_before_a_reapproving_stage_is_only_recorded(world):
    filed = sign_through(story(world), world, 1)  # 初审 signed, at 一校
    api = client_for(issue(world["proofreader"], ["read_unpublished", "write_drafts"]))
    response = api.patch(f"/api/v1/articles/{filed.pk}/", {"summary": "校对改"}, format="json")
    assert response.status_code == 200, response.content
    article = fresh(filed)
    assert chains.current_stage(article).name == "一校"
    assert [s.edited_after for s in chains.current_round(article)] == [True]
    assert not article.transitions.filter(name="reapprove").exists()


def test_an_api_patch_that_changes_nothing_leaves_the_sign_offs_alone(world):
    filed = sign_through(story(world), world, 3)
    api = client_for(issue(world["chief_editor"], ["read_unpublished", "write_drafts"]))
    response = api.patch(
        f"/api/v1/articles/{filed.pk}/", {"headline": filed.headline}, format="json"
    )
    assert response.status_code == 200
    article = fresh(filed)
    assert chains.current_stage(article).name == "二校"
    assert not any(s.edited_after for s in chains.current_round(article))


# Another desk's people do not see the story at all (404, as in the admin); the desk's own
# reporter and editor see it but may not change it at 复审 (403).
@pytest.mark.parametrize(
    "who, status",
    [("quyu_editor", 404), ("quyu_reporter", 404), ("reporter", 403), ("desk_editor", 403)],
)
def test_who_may_not_edit_at_fushen_cannot_through_the_api(world, who, status):
    # At 复审 (the desk chief's stage) neither another desk's editor, nor a reporter, nor
    # the desk's own editor (who cannot sign 复审) may change the story.
    filed = sign_through(story(world), world, 2)
    assert chains.current_stage(fresh(filed)).name == "复审"
    api = client_for(issue(world[who], ["read_unpublished", "write_drafts"]))
    response = api.patch(f"/api/v1/articles/{filed.pk}/", {"headline": "越权修改"}, format="json")
    assert response.status_code == status
    assert "detail" in response.json()
    assert fresh(filed).headline == filed.headline


def test_the_desk_chief_may_edit_at_fushen_through_the_api(world):
    filed = sign_through(story(world), world, 2)
    api = client_for(issue(world["desk_chief"], ["read_unpublished", "write_drafts"]))
    response = api.patch(f"/api/v1/articles/{filed.pk}/", {"headline": "主任改"}, format="json")
    assert response.status_code == 200, response.content
    assert fresh(filed).headline == "主任改"
