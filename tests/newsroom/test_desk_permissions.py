"""The permission matrix of issue 12 over HTTP: role × desk (own / other) × stage × action, for
articles, events and galleries — the change form (read, edit, its buttons), every transition
endpoint, crafted posts included.

The expected answers are written out below from the rules as the README states them, not asked
of newsroom.review.rules: a change there that moves a right fails here. Alice's items are on
desk A (三审三校); "other desk" people are editors and the chief of desk B.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from newsroom import workflow
from newsroom.models import Transition
from tests.helpers import article_form_data
from tests.newsroom.desk_world import (
    KIND_STATES,
    ROLES,
    STAGE_NAMES,
    admin_url,
    build_world,
    buttons,
    login_as,
    module_transaction,
)

SIGNER_OF = dict(
    [("初审", "editor"), ("一校", "proofreader"), ("复审", "chief"), ("二校", "proofreader"),
     ("三校", "proofreader"), ("终审", "chief_editor")]
)  # fmt: skip
DESK_A_READERS = {"desk_editor", "desk_chief", "proofreader"}
DESK_A_STAFF = {"same_desk_reporter", "photographer"}
# Site administrators keep desks, chains and logins; the content admin is not theirs.
NO_ADMIN = {"outsider", "site_admin", "anonymous"}
MANAGERS = {"desk_editor", "desk_chief", "chief_editor"}  # of desk A, or chief editor


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with module_transaction(django_db_blocker):
        yield build_world()


@pytest.fixture(autouse=True)
def in_english(settings, db):
    settings.LANGUAGE_CODE = "en"


def item(world, kind: str, state: str):
    """A fresh copy of the item (a test before may have changed the shared one in memory; its
    changes to the database were rolled back)."""
    obj = world["items"][kind][state]
    return type(obj)._base_manager.get(pk=obj.pk)


def status_of(state: str) -> str:
    if state in STAGE_NAMES:
        return workflow.Status.REVIEW
    return state


# --- the expected rights -------------------------------------------------------------------
def may_view(role: str, state: str) -> bool:
    """Reading rights of unpublished work (README: "Who reads what")."""
    if role in NO_ADMIN:
        return False
    if role == "chief_editor" or role == "author" or role in DESK_A_READERS:
        return True
    if state == "published":
        return True  # everyone on the staff reads what is public
    if role in DESK_A_STAFF:
        return state not in ("draft", "spiked")
    return False  # the correspondent (not on it) and the other desk: not before it is public


def may_sign(role: str, stage: str) -> bool:
    signer = SIGNER_OF[stage]
    if role == "chief_editor":
        return True
    if signer == "editor":
        return role in ("desk_editor", "desk_chief")
    if signer == "chief":
        return role == "desk_chief"
    if signer == "proofreader":
        return role == "proofreader"
    return False  # 终审: chief editors only


def may_edit(role: str, state: str) -> bool:
    if role == "chief_editor" or role == "desk_chief":
        return True
    if role == "author":
        return state == "draft"
    if role == "desk_editor":
        return state not in STAGE_NAMES or state == "初审"
    if role == "proofreader":
        return state in STAGE_NAMES and SIGNER_OF[state] == "proofreader"
    return False


def expected_allowed(role: str, name: str, state: str) -> bool:
    """May `role` make transition `name` on Alice's item in `state`?"""
    if role in NO_ADMIN:
        return False
    in_review = state in STAGE_NAMES
    if name == "submit":
        return state == "draft" and (role == "author" or role in MANAGERS)
    if name == "withdraw":
        return in_review and (role == "author" or role in MANAGERS)
    if name == "approve":
        return in_review and may_sign(role, state)
    if name == "send_back":
        return in_review and (role in ("chief_editor", "desk_chief") or may_sign(role, state))
    if name in ("publish", "schedule"):
        # Only the last stage's signer (a chief editor) publishes 三审三校 work, once it is at
        # 终审; scheduled or retracted work was through the chain already.
        return role == "chief_editor" and state in ("终审", "scheduled", "unpublished")
    if name == "unschedule":
        return role == "chief_editor" and state == "scheduled"
    sources = {
        "unpublish": {"published"},
        "spike": {"draft", *STAGE_NAMES, "scheduled"},
        "restore": {"spiked", "unpublished"},
        "correct": {"published"},
    }
    return state in sources[name] and role in MANAGERS


TRANSITION_NAMES = [
    "submit", "withdraw", "approve", "send_back", "publish", "schedule", "unschedule",
    "unpublish", "spike", "restore", "correct",
]  # fmt: skip


# Those refused at the door (no rights on content, not logged in) are in the change-form test;
# the photographer and the other desk's chief have the rights of a reporter and of the other
# desk's editor here; 二校 and 三校 those of 一校.
TRANSITION_ROLES = [
    "author", "same_desk_reporter", "correspondent", "desk_editor", "desk_chief", "proofreader",
    "other_desk_editor", "chief_editor",
]  # fmt: skip


def assert_refused(response, role: str, visible: bool) -> None:
    """Anonymous: the login page. No rights on content: 403. An item the user may not read: 404, as
    for an id that never existed; one they may read but not change: 403."""
    if role == "anonymous":
        assert response.status_code == 302
        assert "/login/" in response["Location"]
    elif role in NO_ADMIN:
        assert response.status_code == 403
    else:
        assert response.status_code == (403 if visible else 404), response.status_code


# Events and galleries: the roles whose answers differ (the rest are as for articles).
SHORT_ROLES = [
    "author", "same_desk_reporter", "correspondent", "desk_editor", "desk_chief", "proofreader",
    "other_desk_editor", "chief_editor", "site_admin",
]  # fmt: skip


# The photographer and the other desk's chief read as a reporter and the other desk's editor.
ARTICLE_ROLES = [r for r in ROLES if r not in ("photographer", "other_desk_chief")]


def cases(*, roles=ARTICLE_ROLES, kinds=("article", "event", "gallery")):
    return [
        pytest.param(kind, state, role, id=f"{kind}-{state}-{role}")
        for kind in kinds
        for state in KIND_STATES[kind]
        for role in (roles if kind == "article" else [r for r in roles if r in SHORT_ROLES])
    ]


# --- the change form: read, edit, buttons --------------------------------------------------
@pytest.mark.parametrize(("kind", "state", "role"), cases())
def test_change_form_shows_what_the_role_may_read_edit_and_do(client, world, kind, state, role):
    obj = item(world, kind, state)
    response = login_as(client, world["people"][role]).get(admin_url(obj))

    if not may_view(role, state):
        assert_refused(response, role, visible=False)
        assert getattr(obj, headline_field(obj)) not in response.content.decode()
        return
    assert response.status_code == 200
    content = response.content.decode()
    assert (b'name="_save"' in response.content) is may_edit(role, state), content[:200]
    expected = {name for name in TRANSITION_NAMES if expected_allowed(role, name, state)}
    assert buttons(response) == expected


def headline_field(obj) -> str:
    return "headline" if obj._meta.model_name == "article" else "title"


# --- saving the change form ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("kind", "state", "role"),
    [
        pytest.param("article", state, role, id=f"{state}-{role}")
        for state in ["draft", "初审", "一校", "复审", "终审", "published", "spiked"]
        for role in TRANSITION_ROLES
    ],
)
def test_change_form_saves_only_for_who_may_edit(client, world, kind, state, role):
    obj = item(world, kind, state)
    before = (obj.headline, obj.status, obj.review_stage_id, obj.edit_version)
    data = article_form_data(obj, headline="改过的标题")

    response = login_as(client, world["people"][role]).post(admin_url(obj), data)

    obj.refresh_from_db()
    if may_edit(role, state):
        assert response.status_code == 302, response.context["adminform"].form.errors
        assert obj.headline == "改过的标题"
        assert obj.status == before[1]
    else:
        assert_refused(response, role, visible=may_view(role, state))
        assert (obj.headline, obj.status, obj.review_stage_id, obj.edit_version) == before


# --- every transition endpoint, crafted posts included -------------------------------------
def transition_data(name: str, obj) -> dict:
    data = {"edit_version": obj.edit_version}
    if name == "schedule":
        at = timezone.localtime() + datetime.timedelta(days=1)
        data["at"] = at.strftime("%Y-%m-%dT%H:%M")
    if workflow.TRANSITIONS[name].needs_note:
        data["note"] = "请补充采访对象的姓名。"
    return data


TRANSITION_STATES = {
    "article": [s for s in KIND_STATES["article"] if s not in ("二校", "三校")],
    "event": ["复审"],
    "gallery": ["初审", "终审"],
}


def transition_cases():
    return [
        pytest.param(kind, state, role, id=f"{kind}-{state}-{role}")
        for kind, states in TRANSITION_STATES.items()
        for state in states
        for role in TRANSITION_ROLES
    ]


@pytest.mark.parametrize(("kind", "state", "role"), transition_cases())
def test_transition_endpoints_follow_the_desk_rules(client, world, kind, state, role):
    """Every transition the table allows from the item's state, posted by `role` (the others
    are refused by the table alone: tests/newsroom/test_workflow.py); each post is undone
    before the next."""
    login_as(client, world["people"][role])
    names = [n for n in TRANSITION_NAMES if status_of(state) in workflow.TRANSITIONS[n].sources]
    wrong = []
    for name in names:
        with transaction.atomic():
            obj = item(world, kind, state)
            logged = Transition.objects.count()
            before = (obj.status, obj.review_stage_id, obj.edit_version)
            response = client.post(admin_url(obj, "transition", name), transition_data(name, obj))
            obj.refresh_from_db()
            made = (
                response.status_code == 302
                and response["Location"] == admin_url(obj)
                and Transition.objects.count() == logged + 1
                and obj.transitions.order_by("pk").last().by == world["people"][role]
            )
            refused = (
                response.status_code == (403 if may_view(role, state) else 404)
                and (obj.status, obj.review_stage_id, obj.edit_version) == before
                and Transition.objects.count() == logged
            )
            if not (made if expected_allowed(role, name, state) else refused):
                wrong.append((name, response.status_code))
            transaction.set_rollback(True)
    assert wrong == []
