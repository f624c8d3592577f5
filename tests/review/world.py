"""A small paper on the review chain for the sign-off record and queue tests: 要闻部 on
三审三校, 区域新闻部 on the single-editor chain, one person for each role."""

from __future__ import annotations

import reversion

from newsroom import workflow
from tests.helpers import make_article, make_desk, make_member, make_section

SANSHEN = ["初审", "一校", "复审", "二校", "三校", "终审"]


def build_world() -> dict:
    """The two desks (with sections 要闻 and 区域) and a login for each role that signs."""
    yaowen = make_desk("要闻部", "yaowen", chain="sanshen")
    quyu = make_desk("区域新闻部", "quyu", chain="single")
    world = {
        "yaowen": yaowen,
        "quyu": quyu,
        "yaowen_section": make_section("要闻", desk=yaowen),
        "quyu_section": make_section("区域", desk=quyu),
        "reporter": make_member("alice", yaowen, "reporter", person_name="张改华"),
        "desk_editor": make_member("dora", yaowen, "editor"),
        "desk_chief": make_member("chen", yaowen, "chief"),
        "proofreader": make_member("pete", yaowen, "proofreader"),
        "quyu_editor": make_member("quinn", quyu, "editor"),
        "quyu_reporter": make_member("rita", quyu, "reporter"),
        "chief_editor": make_member("zoe", role="chief_editor"),
    }
    world["chief_editor"].first_name = "总编辑"
    world["chief_editor"].save()
    return world


def saved(obj, by, **changes):
    """Save `obj` with `changes` as the admin does: a new edit version in a new revision."""
    for name, value in changes.items():
        setattr(obj, name, value)
    if obj.pk:
        obj.edit_version += 1
    with reversion.create_revision():
        reversion.set_user(by)
        obj.save()
    return obj


def story(world, desk="yaowen", headline="中原区召开网上政务服务能力提升工作推进会", **fields):
    """A story filed and submitted by the desk's reporter, saved in one revision."""
    reporter = world["reporter"] if desk == "yaowen" else world["quyu_reporter"]
    article = make_article(
        by=reporter, section=world[f"{desk}_section"], headline=headline, **fields
    )
    saved(article, reporter)
    article.submit_for_review(by=reporter)
    return article


def approve(obj, by, note=""):
    return workflow.perform(obj, "approve", by=by, note=note)


def sign_through(obj, world, stages: int):
    """Sign the first `stages` stages of 三审三校 with the right person each."""
    signers = [
        "desk_editor",
        "proofreader",
        "desk_chief",
        "proofreader",
        "proofreader",
        "chief_editor",
    ]
    for name in signers[:stages]:
        approve(obj, world[name], note=f"{name} 同意")
    return obj
