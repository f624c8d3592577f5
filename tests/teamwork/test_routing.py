"""Notifications routed by desk and stage (issues 12 + 13): an item reaching a stage is told to
the people who sign that stage on the item's desk, not to every editor of the site; each
sign-off and every send-back to the contributors, with the note; never the actor, never twice;
every notification names the stage, in the recipient's language."""

import pytest
from django.core import mail

from articles.models import Article
from newsroom import workflow
from newsroom.review import chains
from people.models import Person
from teamwork.messages import headline
from teamwork.models import Notification, Profile
from tests.review.world import approve, build_world, saved, sign_through, story


@pytest.fixture
def world(db):
    world = build_world()
    for user in world.values():
        if hasattr(user, "email"):
            user.email = f"{user.username}@newsroom.invalid"
            user.save(update_fields=["email"])
    return world


def told(event=None, key=None):
    rows = Notification.objects.all()
    if event:
        rows = rows.filter(event=event)
    if key:
        rows = rows.filter(key=key)
    return sorted(rows.values_list("recipient__username", flat=True))


def fresh(obj):
    return Article.objects.get(pk=obj.pk)


def last_key(obj):
    return f"transition:{obj.transitions.order_by('-pk').first().pk}"


def test_a_filed_story_reaches_the_signers_of_the_first_stage_on_its_desk_only(world):
    filed = story(world)
    # 初审 is an editor's stage: the desk's editor and its chief (who may sign it too) hear
    # of it; not the other desk's editor, not the chief editor, not the reporter who filed it.
    assert told("review_queue") == ["chen", "dora"]
    row = Notification.objects.filter(recipient=world["desk_editor"]).get()
    assert row.stage == "初审"
    assert "“初审”" in headline(row) and filed.headline in headline(row)
    # Signers get it in their daily digest by default, as editors always did.
    assert row.email == "digest" and row.in_inbox


def test_each_sign_off_tells_the_next_stages_signers_and_the_contributors(
    world, django_capture_on_commit_callbacks
):
    filed = story(world)
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        approve(fresh(filed), world["desk_editor"], note="初审同意")
    key = last_key(filed)
    assert told("stage_reached", key) == ["pete"]  # 一校: the proofreader
    assert told("approved", key) == ["alice"]
    assert "dora" not in told(key=key)  # never the actor
    approved = Notification.objects.get(event="approved")
    assert approved.stage == "初审" and approved.note == "初审同意"
    assert headline(approved) == f"《{filed.headline}》已由 dora 在“初审”审核通过"
    reached = Notification.objects.get(event="stage_reached")
    assert reached.stage == "一校"
    # A sign-off on the way up is in the inbox only; the next signer gets the digest.
    assert mail.outbox == []

    Notification.objects.all().delete()
    approve(fresh(filed), world["proofreader"])
    # 复审 is the desk chief's: the desk editor (who cannot sign it) is not told.
    assert told("stage_reached") == ["chen"]
    approve(fresh(filed), world["desk_chief"])
    approve(fresh(filed), world["proofreader"])
    Notification.objects.all().delete()
    approve(fresh(filed), world["proofreader"])  # 三校 signed: 终审 is the chief editor's
    assert told("stage_reached") == ["zoe"]
    assert Notification.objects.get(recipient__username="zoe").stage == "终审"


def test_the_last_sign_off_tells_only_the_contributors(world):
    filed = sign_through(story(world), world, 5)
    Notification.objects.all().delete()
    approve(fresh(filed), world["chief_editor"])
    assert told() == ["alice"]
    assert Notification.objects.get().stage == "终审"


def test_sent_back_to_an_earlier_stage_tells_its_signers_and_the_contributors_with_the_note(
    world, django_capture_on_commit_callbacks
):
    filed = sign_through(story(world), world, 2)  # at 复审
    Profile.objects.create(user=world["desk_editor"], language="en")
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.perform(
            fresh(filed),
            "send_back",
            by=world["desk_chief"],
            note="导语太长，请压缩",
            to_stage=chains.first_stage(fresh(filed)),
        )
    assert told("returned_to_stage") == ["dora"]  # 初审's signer; the chief acted
    assert told("sent_back") == ["alice"]
    assert all(row.stage == "初审" for row in Notification.objects.all())
    # Both are emailed at once, each in the recipient's language, with the note.
    by_address = {m.to[0]: m for m in mail.outbox}
    assert sorted(by_address) == ["alice@newsroom.invalid", "dora@newsroom.invalid"]
    english, chinese = by_address["dora@newsroom.invalid"], by_address["alice@newsroom.invalid"]
    assert english.subject == f"chen sent “{filed.headline}” back to “初审”"
    assert chinese.subject == f"chen 将《{filed.headline}》退回到“初审”"
    for message in (english, chinese):
        assert "导语太长，请压缩" in message.body
        assert f"/admin/articles/article/{filed.pk}/change/" in message.body


def test_a_signer_on_the_byline_is_told_once(world):
    chen = world["desk_chief"]
    filed = story(world)
    person = Person.objects.create(display_name="陈主任", user=chen)
    filed.bylines.create(person=person, role="reporter", order=1)
    approve(fresh(filed), world["desk_editor"])
    Notification.objects.all().delete()
    # Sent back from 一校 to 初审: chen signs 初审 (a chief may) and is on the byline.
    workflow.perform(
        fresh(filed),
        "send_back",
        by=world["proofreader"],
        note="错字较多",
        to_stage=chains.first_stage(fresh(filed)),
    )
    assert told() == ["alice", "chen", "dora"]
    assert Notification.objects.get(recipient=chen).event == "returned_to_stage"


def test_an_edit_that_clears_a_sign_off_tells_that_stages_signers(world):
    filed = sign_through(story(world), world, 3)  # 复审 signed, at 二校
    Notification.objects.all().delete()
    article = fresh(filed)
    saved(article, world["chief_editor"], headline="改过的标题")
    assert chains.content_edited(article, world["chief_editor"]).name == "复审"
    assert told("reapprove") == ["chen"]
    row = Notification.objects.get(event="reapprove")
    assert row.stage == "复审"
    assert "复审" in headline(row) and "重新签字" in headline(row)


def test_single_editor_desk_tells_its_own_editor_not_the_whole_site(world):
    story(world, desk="quyu", headline="区域新闻一则")
    assert told("review_queue") == ["quinn"]
    assert Notification.objects.get().stage == "编辑审核"


def test_the_new_events_have_defaults_per_role_and_are_on_the_preferences_page(world, client):
    from django.urls import reverse

    from teamwork.preferences import all_choices

    editor, reporter = world["desk_editor"], world["reporter"]
    signer = all_choices(editor)
    assert (signer["stage_reached"].in_app, signer["stage_reached"].email) == (True, "digest")
    assert signer["returned_to_stage"].email == "immediate"
    assert signer["reapprove"].email == "immediate"
    contributor = all_choices(reporter)
    assert (contributor["approved"].in_app, contributor["approved"].email) == (True, "off")
    assert contributor["stage_reached"].email == "off"
    client.force_login(editor)
    page = client.get(reverse("admin:teamwork_notification_preferences"), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert "An item is sent back to a stage I sign" in page.content.decode()
