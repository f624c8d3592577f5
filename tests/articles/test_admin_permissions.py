"""Who may do what to an article through the admin, over HTTP, in every workflow state.

The model-level matrix is in tests/newsroom/test_workflow.py; this one checks that the
admin enforces the same answers however the request is made: the change form, the
transition endpoint, bulk actions from the change list and crafted POSTs.
Reporters may *view* their desk's content in the admin (read-only) once it is submitted, never
another's draft (newsroom.review.rules.may_view: such an item is not found, 404); only the
workflow decides who may change it. The desks' own matrix: tests/newsroom/test_desk_permissions.py.
"""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from newsroom import workflow
from newsroom.models import Transition
from people.models import Role
from tests.helpers import STATES, article_form_data, make_article, put_in_state
from tests.newsroom.test_workflow import CONTRIBUTOR_TRANSITIONS, SOURCES, expected_allowed

ROLES = ["author", "bylined_correspondent", "other_reporter", "editor", "outsider", "anonymous"]
BULK_ACTIONS = ["submit", "withdraw", "publish", "unschedule", "spike", "restore"]


@pytest.fixture(autouse=True)
def in_english(settings):
    """Messages are asserted in their English source text (the newsroom defaults to zh-hans)."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def story(people):
    """An article by Alice with Carol on the byline, put into a workflow state."""

    def make(state, **fields):
        author = people["author"]
        article = make_article(
            by=author,
            bylines=[
                (author.person, Role.REPORTER),
                (people["bylined_correspondent"].person, Role.CORRESPONDENT),
            ],
            **fields,
        )
        return put_in_state(article, state, people["editor"])

    return make


def login_as(client, user):
    if user is not None:
        client.force_login(user)
    return client


def may_edit(role, state):
    return role == "editor" or (state == "draft" and role in ("author", "bylined_correspondent"))


def may_view(role, state="published"):
    """Bob, another reporter of the (default) desk, never sees Alice's draft or spiked story."""
    if role == "other_reporter" and state in ("draft", "spiked"):
        return False
    return role not in ("outsider", "anonymous")


def assert_refused(response, role, state="published"):
    """Anonymous users are sent to the login page; an item the user may not read is not
    found (404); everyone else gets 403."""
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
    elif role == "other_reporter" and not may_view(role, state):
        assert response.status_code == 404
    else:
        assert response.status_code == 403


def transition_data(name, article):
    """What the button's form posts: its fields and the edit version the page showed."""
    data = {"edit_version": article.edit_version}
    if name == "schedule":
        at = timezone.localtime() + datetime.timedelta(days=1)
        data["at"] = at.strftime("%Y-%m-%dT%H:%M")
    if workflow.TRANSITIONS[name].needs_note:
        data["note"] = "请补充采访对象的姓名。"
    return data


def snapshot(article):
    article = Article.objects.get(pk=article.pk)
    return (
        article.headline,
        article.status,
        article.publish_at,
        article.edit_version,
        Transition.objects.count(),
    )


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", ROLES)
def test_change_page_is_editable_read_only_or_refused(client, people, story, role, state):
    article = story(state)
    response = login_as(client, people[role]).get(
        reverse("admin:articles_article_change", args=[article.pk])
    )

    if not may_view(role, state):
        assert_refused(response, role, state)
    elif may_edit(role, state):
        assert response.status_code == 200
        assert b'name="headline"' in response.content
        assert b'name="_save"' in response.content
    else:
        assert response.status_code == 200
        # Read-only: the headline is shown as text, with no input and no save button.
        assert article.headline in response.content.decode()
        assert b'name="headline"' not in response.content
        assert b'name="_save"' not in response.content


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", ROLES)
def test_change_form_saves_only_for_who_may_edit(client, people, story, role, state):
    article = story(state)
    before = snapshot(article)
    data = article_form_data(article, headline="改过的标题")

    response = login_as(client, people[role]).post(
        reverse("admin:articles_article_change", args=[article.pk]), data
    )

    article.refresh_from_db()
    if may_edit(role, state):
        assert response.status_code == 302, (
            response.context and response.context["adminform"].form.errors
        )
        assert article.headline == "改过的标题"
        assert article.status == before[1]
    else:
        assert_refused(response, role, state)
        assert snapshot(article) == before


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", ROLES)
def test_status_never_changes_through_the_change_form(client, people, story, role, state):
    article = story(state)
    before = snapshot(article)
    note_before = article.status_note
    data = article_form_data(
        article,
        status="published",
        publish_at="2020-01-01 08:00:00",
        first_published_at="2020-01-01 08:00:00",
        status_note="crafted",
        created_by=people["outsider"].pk,
    )

    login_as(client, people[role]).post(
        reverse("admin:articles_article_change", args=[article.pk]), data
    )

    article.refresh_from_db()
    assert (article.status, article.publish_at, article.status_note) == (
        before[1],
        before[2],
        note_before,
    )
    assert article.created_by == people["author"]
    assert Transition.objects.count() == before[4]


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("name", list(SOURCES))
@pytest.mark.parametrize("role", ROLES)
def test_transition_endpoint_matches_the_workflow(client, people, story, role, name, state):
    article = story(state)
    before = snapshot(article)
    url = reverse("admin:articles_article_transition", args=[article.pk, name])

    response = login_as(client, people[role]).post(url, transition_data(name, article))

    article.refresh_from_db()
    if expected_allowed(role, name, state):
        assert response.status_code == 302
        assert response["Location"] == reverse("admin:articles_article_change", args=[article.pk])
        assert article.status == workflow.TRANSITIONS[name].target
        assert article.transitions.order_by("pk").last().by == people[role]
    else:
        assert_refused(response, role, state)
        assert snapshot(article) == before


@pytest.mark.parametrize("role", ROLES)
def test_getting_a_transition_url_does_nothing(client, people, story, role):
    article = story("review")
    response = login_as(client, people[role]).get(
        reverse("admin:articles_article_transition", args=[article.pk, "publish"])
    )
    if role == "anonymous":
        assert_refused(response, role)
    else:
        assert response.status_code == 405
    article.refresh_from_db()
    assert article.status == "review"


@pytest.mark.parametrize("name", ["no_such_thing", "go_live", "delete", "status"])
def test_unknown_or_system_transition_is_refused_not_a_crash(client, people, story, name):
    article = story("scheduled_live")
    before = snapshot(article)
    response = login_as(client, people["editor"]).post(
        reverse("admin:articles_article_transition", args=[article.pk, name])
    )
    assert response.status_code == 403
    assert snapshot(article) == before


def test_transition_on_a_missing_article_is_not_found(client, people):
    response = login_as(client, people["editor"]).post(
        reverse("admin:articles_article_transition", args=[987654, "publish"])
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("tomorrow", "“tomorrow” is not a date and time."),
        ("2026-13-45T09:30", "“2026-13-45T09:30” is not a date and time."),
        ("2026-02-30T10:00", "“2026-02-30T10:00” is not a date and time."),
        ("   ", "Please choose when it should be published."),
        ("", "Please choose when it should be published."),
        ("1999-01-01T00:00", "The publication time must be in the future."),
    ],
)
def test_schedule_with_a_bad_time_says_why_and_changes_nothing(client, people, story, raw, message):
    article = story("review")
    before = snapshot(article)
    response = login_as(client, people["editor"]).post(
        reverse("admin:articles_article_transition", args=[article.pk, "schedule"]),
        {"at": raw},
        follow=True,
    )
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert len(messages) == 1 and messages[0].startswith(message), messages
    assert snapshot(article) == before


@pytest.mark.parametrize("action", BULK_ACTIONS)
@pytest.mark.parametrize("role", ROLES)
def test_bulk_actions_change_only_what_the_user_may_and_name_the_rest(
    client, people, story, role, action
):
    articles = {state: story(state, headline=f"稿件 {state}") for state in STATES}
    before = {state: snapshot(a) for state, a in articles.items()}

    response = login_as(client, people[role]).post(
        reverse("admin:articles_article_changelist"),
        {
            "action": f"bulk_{action}",
            "_selected_action": [a.pk for a in articles.values()],
            "index": 0,
        },
        follow=role != "anonymous",
    )

    if not may_view(role):
        assert_refused(response, role)
        for state, article in articles.items():
            assert snapshot(article) == before[state]
        return
    assert response.status_code == 200
    text = " ".join(str(m) for m in response.context["messages"])
    offered = role == "editor" or action in CONTRIBUTOR_TRANSITIONS
    # The action menu offers a reporter only what a reporter may ever do.
    assert (f'value="bulk_{action}"' in response.content.decode()) is offered
    if not offered:
        # A crafted POST of an editor's action is refused as a whole.
        assert text == "No action selected."
        for state, article in articles.items():
            assert snapshot(article) == before[state]
        return
    refused = []
    for state, article in articles.items():
        article.refresh_from_db()
        if not may_view(role, state):
            # Not in the user's list at all: a crafted selection of it reaches nothing,
            # and the message does not name it.
            assert snapshot(article) == before[state]
            assert article.headline not in text
        elif expected_allowed(role, action, state):
            assert article.status == workflow.TRANSITIONS[action].target
        else:
            assert (article.status, article.publish_at) == before[state][1:3]
            refused.append(article.headline)
    assert refused, "every role is refused at least some states"
    assert "is not possible for" in text
    for headline in refused:
        assert headline in text


@pytest.mark.parametrize("role", ROLES)
def test_nobody_can_delete_an_article(client, people, story, role):
    article = story("draft")
    user = people[role]
    client = login_as(client, user)
    url = reverse("admin:articles_article_delete", args=[article.pk])
    assert_refused(client.get(url), role, "draft")
    assert_refused(client.post(url, {"post": "yes"}), role, "draft")
    assert Article.objects.filter(pk=article.pk).exists()


def test_not_even_a_superuser_can_delete_an_article(client, story, admin_user):
    article = story("spiked")
    client.force_login(admin_user)
    url = reverse("admin:articles_article_delete", args=[article.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    response = client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "delete_selected", "_selected_action": [article.pk], "index": 0, "post": "yes"},
        follow=True,
    )
    assert Article.objects.filter(pk=article.pk).exists()
    assert "delete_selected" not in response.content.decode()


def test_buttons_are_exactly_the_transitions_the_user_may_make_now(client, people, story):
    article = story("review")
    url = reverse("admin:articles_article_change", args=[article.pk])

    def buttons(user):
        page = login_as(client, user).get(url).content.decode()
        return set(re.findall(r'<button[^>]*name="transition"[^>]*value="(\w+)"', page))

    assert buttons(people["editor"]) == {"send_back", "publish", "schedule", "spike", "withdraw"}
    assert buttons(people["author"]) == {"withdraw"}
    assert buttons(people["bylined_correspondent"]) == {"withdraw"}
    assert buttons(people["other_reporter"]) == set()
