"""The newsroom the permission matrix runs in, built once per test module: two desks on
三审三校, a person for every role on the first desk (the items' desk), editors of the second,
a chief editor, a site administrator, and items by Alice waiting at every stage.

Built inside a transaction held open for the module (each test runs in a savepoint of it and is
rolled back), so that the dozens of items are made once, not once per case.
"""

from __future__ import annotations

import datetime
import re
from contextlib import contextmanager

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from articles.models import ArticleByline, Event, Gallery, GalleryByline
from people.models import Role as BylineRole
from tests.helpers import make_article, make_desk, make_member, make_section, sign_up_to

# Everyone, by their relation to an item Alice (a reporter of desk A) filed on desk A.
ROLES = [
    "author",
    "same_desk_reporter",
    "correspondent",
    "photographer",
    "desk_editor",
    "desk_chief",
    "proofreader",
    "other_desk_editor",
    "other_desk_chief",
    "chief_editor",
    "site_admin",
    "outsider",
    "anonymous",
]
# 三审三校 as shipped (newsroom.review.presets): stage → the role that signs it.
SANSHEN = [
    ("初审", "editor"),
    ("一校", "proofreader"),
    ("复审", "chief"),
    ("二校", "proofreader"),
    ("三校", "proofreader"),
    ("终审", "chief_editor"),
]
STAGE_NAMES = [name for name, _signer in SANSHEN]
STATES = ["draft", *STAGE_NAMES, "scheduled", "published", "unpublished", "spiked"]

MEMBERS = {
    # persona: (username, desk, role, person name, person kind)
    "author": ("alice", "A", "reporter", "张改华", "staff"),
    "same_desk_reporter": ("bob", "A", "reporter", "李明", "staff"),
    "correspondent": ("carol", "A", "correspondent", "吕杨子", "contributor"),
    "photographer": ("pete", "A", "photographer", "张亮", "staff"),
    "desk_editor": ("erin", "A", "editor", "王编辑", "staff"),
    "desk_chief": ("chen", "A", "chief", "陈主任", "staff"),
    "proofreader": ("paula", "A", "proofreader", "刘校对", "staff"),
    "other_desk_editor": ("ed", "B", "editor", "赵编辑", "staff"),
    "other_desk_chief": ("bella", "B", "chief", "钱主任", "staff"),
    "chief_editor": ("zed", None, "chief_editor", "周总编", "staff"),
    "site_admin": ("sam", None, "admin", None, "staff"),
}


@contextmanager
def module_transaction(django_db_blocker):
    """Data made in the block lives until the block ends, for every test between."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


def build_world() -> dict:
    from tests.helpers import make_user

    yaowen, quyu = make_section("要闻", slug="yaowen"), make_section("区域", slug="quyu")
    desks = {
        "A": make_desk("要闻部", "yaowen-desk", chain="sanshen", sections=[yaowen]),
        "B": make_desk("区域新闻部", "quyu-desk", chain="sanshen", sections=[quyu]),
    }
    people = {"outsider": make_user("olivia", None), "anonymous": None}
    for persona, (username, desk, role, name, kind) in MEMBERS.items():
        people[persona] = make_member(username, desks.get(desk), role, person_name=name, kind=kind)
    signers = {
        "author": people["author"],
        "editor": people["desk_editor"],
        "proofreader": people["proofreader"],
        "chief": people["desk_chief"],
        "chief_editor": people["chief_editor"],
    }
    items = {
        kind: {state: make_item(kind, state, people, signers, yaowen) for state in states}
        for kind, states in KIND_STATES.items()
    }
    return {
        "desks": desks,
        "people": people,
        "signers": signers,
        "items": items,
        "sections": {"A": yaowen, "B": quyu},
    }


# Events and galleries go through the same code: a few states each say so.
KIND_STATES = {
    "article": STATES,
    "event": ["draft", "复审", "published"],
    "gallery": ["draft", "初审", "一校", "终审"],
}


def new_item(kind: str, people: dict, section, title: str = ""):
    author = people["author"]
    if kind == "article":
        return make_article(
            by=author,
            bylines=[(author.person, BylineRole.REPORTER)],
            section=section,
            headline=title or "中原区召开网上政务服务能力提升工作推进会",
        )
    if kind == "event":
        return Event.objects.create(
            created_by=author,
            title=title or "“生态中原”摄影作品展",
            starts_at=timezone.now() + datetime.timedelta(days=3),
            section=section,
        )
    gallery = Gallery.objects.create(
        created_by=author, title=title or "摄影展掠影", section=section
    )
    GalleryByline.objects.create(
        gallery=gallery, person=author.person, role=BylineRole.PHOTOGRAPHER
    )
    return gallery


def make_item(kind: str, state: str, people: dict, signers: dict, section, title: str = ""):
    """Alice's `kind` on `section`'s desk, brought to `state` (a stage name: waiting there)."""
    obj = new_item(kind, people, section, title or f"{state}的稿件")
    chief_editor = people["chief_editor"]
    if state == "draft":
        pass
    elif state in STAGE_NAMES:
        sign_up_to(obj, state, signers)
    elif state == "spiked":
        obj.spike(by=people["desk_editor"])
    else:
        sign_up_to(obj, "终审", signers)
        if state == "scheduled":
            obj.schedule(at=timezone.now() + datetime.timedelta(hours=6), by=chief_editor)
        else:
            obj.publish(by=chief_editor)
            if state == "unpublished":
                obj.unpublish(by=chief_editor, reason="事实有误")
    obj.refresh_from_db()
    return obj


def admin_url(obj, view: str = "change", *args) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[obj.pk, *args])


def login_as(client, user):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client


def buttons(response) -> set[str]:
    """The transitions the change form offers (the workflow panel's forms)."""
    return set(re.findall(r'class="workflow-action workflow-(\w+)"', response.content.decode()))


def bylines_of(obj):
    return ArticleByline.objects.filter(article=obj) if obj._meta.model_name == "article" else []
