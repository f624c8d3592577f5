"""Integration tokens: hashed and shown once, scopes, expiry, revocation, last use; writing
drafts through the workflow rules, with bylines by id or by name and idempotency keys."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from api.models import Token
from articles.models import Article
from people.models import Person
from tests.helpers import STATES, make_article, put_in_state

pytestmark = pytest.mark.django_db

ALL_SCOPES = ["read_unpublished", "write_drafts", "publish"]


def issue(user, scopes=ALL_SCOPES, **fields) -> str:
    token = Token(user=user, name="稿件导入", scopes=list(scopes), **fields)
    key = token.issue()
    token.save()
    return key


def client_for(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def test_a_token_is_stored_hashed_and_shown_once_in_the_admin(client, admin_user, reporter):
    client.force_login(admin_user)
    response = client.post(
        "/admin/api/token/add/",
        {"user": reporter.pk, "name": "微信公众号", "scopes": ["read_unpublished"]},
    )
    assert response.status_code == 200
    key = response.context["key"]
    assert key.startswith("nr_") and key.encode() in response.content
    assert "no-store" in response["Cache-Control"]
    token = Token.objects.get()
    assert key not in (token.key_digest, token.prefix) and key.startswith(token.prefix)
    page = client.get(f"/admin/api/token/{token.pk}/change/")
    assert key.encode() not in page.content
    # It works, and its use is recorded.
    assert client_for(key).get("/api/v1/articles/").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


# Who makes a token with which scope, for themselves, in the admin: 'made' or 'refused'.
OWN_TOKENS = {
    "reporter": {"read_unpublished": "made", "write_drafts": "made", "publish": "refused"},
    "editor": {"read_unpublished": "made", "write_drafts": "made", "publish": "made"},
    "outsider": {"read_unpublished": "made", "write_drafts": "refused", "publish": "refused"},
}


@pytest.mark.parametrize("who", sorted(OWN_TOKENS))
@pytest.mark.parametrize("scope", ALL_SCOPES)
def test_staff_make_their_own_tokens_with_only_the_scopes_they_may_use(client, request, who, scope):
    user = request.getfixturevalue(who)
    client.force_login(user)
    page = client.get("/admin/api/token/add/")
    assert page.status_code == 200
    assert b'name="user"' not in page.content  # always their own
    response = client.post("/admin/api/token/add/", {"name": "我的导入", "scopes": [scope]})
    if OWN_TOKENS[who][scope] == "made":
        assert response.status_code == 200 and "key" in response.context
        token = Token.objects.get()
        assert token.user == user and token.scopes == [scope]
        assert response.context["key"].encode() in response.content
    else:
        assert response.status_code == 200 and "key" not in response.context
        assert response.context["adminform"].form.errors["scopes"]
        assert not Token.objects.exists()


def test_a_superuser_cannot_give_a_reporters_token_publish(client, admin_user, reporter):
    client.force_login(admin_user)
    response = client.post(
        "/admin/api/token/add/",
        {"user": reporter.pk, "name": "越权", "scopes": ["write_drafts", "publish"]},
    )
    assert (
        "publish" in str(response.context["adminform"].form.errors["scopes"]).lower()
        or (response.context["adminform"].form.errors["scopes"])
    )
    assert not Token.objects.exists()


def test_staff_see_and_revoke_only_their_own_tokens(client, reporter, other_reporter, admin_user):
    issue(reporter, ["read_unpublished"])
    theirs = Token.objects.get()
    own_key = issue(other_reporter, ["read_unpublished"])
    own = Token.objects.get(user=other_reporter)
    client.force_login(other_reporter)
    listing = client.get("/admin/api/token/")
    assert listing.status_code == 200
    shown = [t.pk for t in listing.context["cl"].result_list]
    assert shown == [own.pk]
    page = client.get(f"/admin/api/token/{theirs.pk}/change/")
    assert page.status_code == 403
    # Revoking another's token by posting its id does nothing to it.
    client.post(
        "/admin/api/token/",
        {"action": "revoke", "_selected_action": [theirs.pk, own.pk], "index": 0},
    )
    theirs.refresh_from_db()
    own.refresh_from_db()
    assert theirs.revoked_at is None and own.revoked_at is not None
    assert client_for(own_key).get("/api/v1/articles/").status_code == 401
    # A superuser sees and revokes everyone's.
    client.force_login(admin_user)
    listing = client.get("/admin/api/token/")
    assert {t.pk for t in listing.context["cl"].result_list} == {theirs.pk, own.pk}
    client.post("/admin/api/token/", {"action": "revoke", "_selected_action": [theirs.pk]})
    theirs.refresh_from_db()
    assert theirs.revoked_at is not None


@pytest.mark.parametrize("state", STATES)
def test_only_a_token_that_may_read_unpublished_sees_what_is_not_public(editor, reporter, state):
    story = put_in_state(make_article(by=reporter, headline="内部稿件"), state, editor)
    public = state in ("published", "scheduled_live")
    reader = client_for(issue(editor, ["read_unpublished"]))
    plain = client_for(issue(editor, []))
    url = f"/api/v1/articles/{story.pk}/"
    assert reader.get(url).status_code == 200
    assert plain.get(url).status_code == (200 if public else 404)
    assert (
        reader.get(url)["Cache-Control"].startswith("max-age=0")
        or "private" in reader.get(url)["Cache-Control"]
    )


def test_a_reporters_token_reads_their_own_drafts_not_anothers(reporter, other_reporter):
    own = make_article(by=reporter, headline="我的草稿")
    theirs = make_article(by=other_reporter, headline="别人的草稿")
    api = client_for(issue(reporter, ["read_unpublished"]))
    listed = [a["id"] for a in api.get("/api/v1/articles/").json()["results"]]
    assert own.pk in listed and theirs.pk not in listed
    assert api.get(f"/api/v1/articles/{theirs.pk}/").status_code == 404


@pytest.mark.parametrize(
    "change",
    [
        {"revoked_at": timezone.now()},
        {"expires_at": timezone.now() - datetime.timedelta(minutes=1)},
    ],
)
def test_a_revoked_or_expired_token_is_refused(editor, change):
    key = issue(editor)
    Token.objects.update(**change)
    response = client_for(key).get("/api/v1/articles/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert client_for("nr_made-up").get("/api/v1/articles/").status_code == 401


def test_a_token_of_a_deactivated_user_is_refused(editor):
    key = issue(editor)
    editor.is_active = False
    editor.save()
    assert client_for(key).get("/api/v1/articles/").status_code == 401


def test_revoking_in_the_admin_stops_the_token_at_once(client, admin_user, editor):
    key = issue(editor)
    token = Token.objects.get()
    client.force_login(admin_user)
    client.post(
        "/admin/api/token/", {"action": "revoke", "_selected_action": [token.pk]}, follow=True
    )
    assert client_for(key).get("/api/v1/articles/").status_code == 401


# --- writing -----------------------------------------------------------------------------

DRAFT = {
    "kicker": "优化营商环境",
    "headline": "中原区召开推进会",
    "body": '<p onclick="steal()">会议要求<script>alert(1)</script>压实责任。</p>',
    "section": "yaowen",
    "tags": ["政务服务", "营商环境"],
}


@pytest.fixture
def yaowen(db):
    from tests.helpers import make_section

    return make_section("要闻", slug="yaowen")


def test_a_reporters_token_creates_a_sanitised_draft_with_bylines(reporter, yaowen):
    known = Person.objects.create(display_name="吕杨子", kind="contributor")
    api = client_for(issue(reporter))
    bylines = [
        {"person": reporter.person.pk, "role": "reporter"},
        {"name": "吕杨子", "role": "correspondent"},
        {"name": "新通讯员", "role": "correspondent"},
    ]
    response = api.post("/api/v1/articles/", {**DRAFT, "bylines": bylines}, format="json")
    assert response.status_code == 201, response.json()
    article = Article.objects.get(pk=response.json()["id"])
    assert article.status == "draft" and article.created_by == reporter
    assert "<script>" not in article.body and "onclick" not in article.body
    assert "压实责任" in article.body
    assert sorted(article.tags.names()) == ["政务服务", "营商环境"]
    assert article.section == yaowen
    credited = [(b.person.display_name, b.role) for b in article.bylines.order_by("order")]
    assert credited == [
        ("张改华", "reporter"),
        ("吕杨子", "correspondent"),
        ("新通讯员", "correspondent"),
    ]
    assert article.bylines.get(role="correspondent", person__display_name="吕杨子").person == known
    newcomer = Person.objects.get(display_name="新通讯员")
    assert (newcomer.kind, newcomer.is_confirmed) == ("contributor", False)
    # Submitted for review through the workflow.
    submitted = api.post(f"/api/v1/articles/{article.pk}/transition/", {"action": "submit"})
    assert submitted.status_code == 200
    article.refresh_from_db()
    assert article.status == "review"
    assert article.transitions.get().by == reporter


def test_a_reporters_token_cannot_publish(reporter, editor):
    draft = make_article(by=reporter)
    api = client_for(issue(reporter))
    response = api.post(f"/api/v1/articles/{draft.pk}/transition/", {"action": "publish"})
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.status == "draft"
    # An editor's token with the publish scope can; without it, it cannot.
    no_publish = client_for(issue(editor, ["write_drafts"]))
    assert (
        no_publish.post(
            f"/api/v1/articles/{draft.pk}/transition/", {"action": "publish"}
        ).status_code
        == 403
    )
    boss = client_for(issue(editor))
    assert (
        boss.post(f"/api/v1/articles/{draft.pk}/transition/", {"action": "publish"}).status_code
        == 200
    )
    draft.refresh_from_db()
    assert draft.status == "published"


def test_a_correspondents_token_cannot_touch_anothers_draft(correspondent, other_reporter):
    draft = make_article(by=other_reporter, headline="李明的草稿")
    api = client_for(issue(correspondent))
    url = f"/api/v1/articles/{draft.pk}/"
    assert api.patch(url, {"headline": "改掉"}, format="json").status_code == 404
    assert api.post(url + "transition/", {"action": "submit"}).status_code == 404
    draft.refresh_from_db()
    assert (draft.headline, draft.status) == ("李明的草稿", "draft")


def test_a_draft_is_edited_until_submitted_then_refused(reporter):
    api = client_for(issue(reporter))
    draft = make_article(by=reporter)
    url = f"/api/v1/articles/{draft.pk}/"
    edited = api.patch(
        url, {"headline": "新标题", "edit_version": draft.edit_version}, format="json"
    )
    assert edited.status_code == 200 and edited.json()["headline"] == "新标题"
    stale = api.patch(
        url, {"headline": "旧版本", "edit_version": draft.edit_version}, format="json"
    )
    assert stale.status_code == 409
    draft.submit_for_review(by=reporter)
    refused = api.patch(url, {"headline": "送审后再改"}, format="json")
    assert refused.status_code == 403
    draft.refresh_from_db()
    assert draft.headline == "新标题"


def test_a_token_without_write_scope_or_no_token_cannot_write(reporter):
    reader = client_for(issue(reporter, ["read_unpublished"]))
    assert reader.post("/api/v1/articles/", DRAFT, format="json").status_code == 403
    assert APIClient().post("/api/v1/articles/", DRAFT, format="json").status_code == 401
    assert not Article.objects.exists()


def test_an_outsiders_token_writes_nothing(outsider):
    api = client_for(issue(outsider))
    assert api.post("/api/v1/articles/", DRAFT, format="json").status_code == 403


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"headline": ""}, "headline"),
        ({"headline": "标" * 201}, "headline"),
        ({"headline": "好", "section": "nowhere"}, "section"),
        ({"headline": "好", "bylines": [{"person": 999999}]}, "bylines"),
        ({"headline": "好", "bylines": [{"name": "甲", "person": 1}]}, "bylines"),
        ({"headline": "好", "bylines": [{"name": "甲", "role": "boss"}]}, "bylines"),
        ({"headline": "好", "tags": "not a list"}, "tags"),
    ],
)
def test_bad_input_is_a_400_with_field_errors_and_saves_nothing(reporter, payload, field):
    api = client_for(issue(reporter))
    response = api.post("/api/v1/articles/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Article.objects.exists()
    assert not Person.objects.filter(display_name="甲").exists()


def test_a_retried_post_with_the_same_idempotency_key_makes_one_story(reporter, yaowen):
    api = client_for(issue(reporter))
    first = api.post("/api/v1/articles/", DRAFT, format="json", HTTP_IDEMPOTENCY_KEY="wire-123")
    again = api.post("/api/v1/articles/", DRAFT, format="json", HTTP_IDEMPOTENCY_KEY="wire-123")
    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert again["Idempotent-Replayed"] == "true"
    assert Article.objects.count() == 1
    other = api.post(
        "/api/v1/articles/",
        {**DRAFT, "headline": "别的"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="wire-123",
    )
    assert other.status_code == 422
    # A failed request keeps no key: its corrected retry goes through.
    bad = api.post("/api/v1/articles/", {"headline": ""}, format="json", HTTP_IDEMPOTENCY_KEY="k2")
    assert bad.status_code == 400
    good = api.post(
        "/api/v1/articles/", {"headline": "好"}, format="json", HTTP_IDEMPOTENCY_KEY="k2"
    )
    assert good.status_code == 201
    assert Article.objects.count() == 2


def test_idempotency_keys_are_forgotten_after_the_time_kept(reporter, yaowen, settings):
    from api.models import IdempotencyKey

    settings.API_IDEMPOTENCY_KEEP_HOURS = 24
    api = client_for(issue(reporter))
    first = api.post("/api/v1/articles/", DRAFT, format="json", HTTP_IDEMPOTENCY_KEY="wire-1")
    api.post("/api/v1/articles/", DRAFT, format="json", HTTP_IDEMPOTENCY_KEY="old-other")
    assert IdempotencyKey.objects.count() == 2
    a_day_ago = timezone.now() - datetime.timedelta(hours=24, minutes=1)
    IdempotencyKey.objects.update(created_at=a_day_ago)
    # A day on, the same key is a new request: a second story, and the old keys are gone.
    again = api.post("/api/v1/articles/", DRAFT, format="json", HTTP_IDEMPOTENCY_KEY="wire-1")
    assert again.status_code == 201 and "Idempotent-Replayed" not in again
    assert again.json()["id"] != first.json()["id"]
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["wire-1"]
    # Within the day it replays.
    replay = api.post("/api/v1/articles/", DRAFT, format="json", HTTP_IDEMPOTENCY_KEY="wire-1")
    assert replay["Idempotent-Replayed"] == "true"


def test_a_token_has_its_own_rate_limit(reporter, settings):
    settings.API_THROTTLE_TOKEN = "2/minute"
    api = client_for(issue(reporter))
    assert [api.get("/api/v1/sections/").status_code for _ in range(3)] == [200, 200, 429]


def test_reading_with_a_token_costs_one_query_more(editor, paper, django_assert_num_queries):
    api = client_for(issue(editor, ["read_unpublished"]))
    api.get("/api/v1/articles/")  # the first use writes last_used_at
    # The token with its user, the user's groups, then the page, bylines, tags.
    with django_assert_num_queries(5):
        api.get("/api/v1/articles/")


def test_text_with_nul_characters_is_a_400(reporter):
    api = client_for(issue(reporter))
    response = api.post("/api/v1/articles/", {"headline": "好\x00"}, format="json")
    assert response.status_code == 400
    assert not Article.objects.exists()
