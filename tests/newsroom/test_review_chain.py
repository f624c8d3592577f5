"""Review chains (issue 12): stages signed in order, sent back to an earlier stage, three
different people for 三审, the last signer publishes; the single-editor preset is today's workflow."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils import timezone

from articles.models import Article
from newsroom import workflow
from newsroom.models import Chain, ChainChoice, Desk, DeskMembership, Signoff
from newsroom.review import chains, rules
from newsroom.review.presets import SANSHEN
from newsroom.roles import Role
from tests.helpers import make_article, make_section, make_user


@pytest.fixture
def sanshen_desk(db):
    desk = Desk.objects.create(name="要闻部", slug="yaowen")
    ChainChoice.objects.create(desk=desk, chain=Chain.objects.get(slug=SANSHEN))
    return desk


def member(username, desk, *roles):
    user = make_user(username, None)
    for role in roles:
        DeskMembership.objects.create(desk=desk, user=user, role=role)
    return user


@pytest.fixture
def staff(sanshen_desk):
    desk = sanshen_desk
    return {
        "reporter": member("rep", desk, Role.REPORTER),
        "editor": member("ed", desk, Role.EDITOR),
        "chief": member("chief", desk, Role.CHIEF),
        "proof": member("proof", desk, Role.PROOFREADER),
        "chief_editor": make_user("boss", "Editors"),
        "other_editor": member("other", Desk.objects.default(), Role.EDITOR),
    }


@pytest.fixture
def filed(staff, sanshen_desk):
    section = make_section("要闻", desk=sanshen_desk)
    article = make_article(by=staff["reporter"], section=section)
    article.submit_for_review(by=staff["reporter"])
    return article


def stage_name(article):
    article = Article.objects.get(pk=article.pk)
    return article.review_stage.name if article.review_stage_id else None


def sign(article, user, note=""):
    return workflow.perform(Article.objects.get(pk=article.pk), "approve", by=user, note=note)


def test_an_item_belongs_to_its_sections_desk_and_enters_the_first_stage(filed, sanshen_desk):
    assert filed.desk_id == sanshen_desk.pk
    assert stage_name(filed) == "初审"
    log = filed.transitions.get(name="submit")
    assert log.to_stage.name == "初审" and log.from_stage is None


def test_sanshen_end_to_end_each_stage_signed_in_order_the_last_signer_publishes(staff, filed):
    sign(filed, staff["editor"], "初审同意")
    assert stage_name(filed) == "一校"
    sign(filed, staff["proof"])
    assert stage_name(filed) == "复审"
    sign(filed, staff["chief"])
    sign(filed, staff["proof"])
    sign(filed, staff["proof"])
    assert stage_name(filed) == "终审"
    article = Article.objects.get(pk=filed.pk)
    assert not workflow.allowed(article, "publish", staff["chief"])
    article.publish(by=staff["chief_editor"])
    signed = [
        (s.stage.name, s.by.username)
        for s in Signoff.objects.filter(object_id=filed.pk).select_related("stage", "by")
    ]
    assert signed == [
        ("初审", "ed"),
        ("一校", "proof"),
        ("复审", "chief"),
        ("二校", "proof"),
        ("三校", "proof"),
        ("终审", "boss"),
    ]
    assert Article.objects.get(pk=filed.pk).status == "published"


def test_a_desk_editor_cannot_skip_a_stage_nor_sign_another_desks_story(staff, filed):
    article = Article.objects.get(pk=filed.pk)
    assert not workflow.allowed(article, "publish", staff["editor"])
    assert not workflow.allowed(article, "approve", staff["other_editor"])
    assert not workflow.allowed(article, "approve", staff["proof"])  # 初审 is an editor's
    with pytest.raises(workflow.TransitionNotAllowed):
        workflow.perform(article, "approve", by=staff["other_editor"])
    assert stage_name(filed) == "初审"


def test_one_person_cannot_sign_two_sanshen_stages(staff, filed):
    boss = staff["chief_editor"]
    sign(filed, boss)  # 初审, as chief editor
    sign(filed, staff["proof"])
    article = Article.objects.get(pk=filed.pk)
    assert not workflow.allowed(article, "approve", boss)  # 复审 too: refused
    sign(filed, staff["chief"])
    sign(filed, staff["proof"])
    sign(filed, staff["proof"])
    article = Article.objects.get(pk=filed.pk)
    assert not workflow.allowed(article, "publish", boss)  # 终审 by the 初审 signer: refused
    assert rules.distinct_refusal(boss, article, chains.current_stage(article))


def test_sent_back_to_an_earlier_stage_it_stays_in_review_there_and_loses_later_signoffs(
    staff, filed
):
    sign(filed, staff["editor"])
    sign(filed, staff["proof"])
    article = Article.objects.get(pk=filed.pk)
    first = chains.first_stage(article)
    workflow.perform(article, "send_back", by=staff["chief"], note="导语重写", to_stage=first)
    article = Article.objects.get(pk=filed.pk)
    assert (article.status, stage_name(article)) == ("review", "初审")
    standing = Signoff.objects.filter(object_id=filed.pk, cleared_at__isnull=True)
    assert not standing.exists()
    log = article.transitions.get(name="send_back")
    assert (log.from_stage.name, log.to_stage.name, log.note) == ("复审", "初审", "导语重写")
    # The same editor signs 初审 again: the cleared signature does not count.
    sign(article, staff["editor"])
    assert stage_name(article) == "一校"


def test_a_send_back_to_a_later_or_foreign_stage_is_refused(staff, filed):
    article = Article.objects.get(pk=filed.pk)
    later = chains.stages_of(article)[3]
    with pytest.raises(ValidationError):
        workflow.perform(article, "send_back", by=staff["editor"], note="x", to_stage=later.pk)
    with pytest.raises(ValidationError):
        workflow.perform(article, "send_back", by=staff["editor"], note="x", to_stage="999999")
    assert stage_name(filed) == "初审"


def test_sent_back_to_the_author_it_is_a_draft_again_and_the_round_is_cleared(staff, filed):
    sign(filed, staff["editor"])
    article = Article.objects.get(pk=filed.pk)
    article.send_back(by=staff["chief"], note="请补充采访")
    article = Article.objects.get(pk=filed.pk)
    assert (article.status, article.review_stage_id) == ("draft", None)
    assert not Signoff.objects.filter(object_id=filed.pk, cleared_at__isnull=True).exists()
    assert Signoff.objects.filter(object_id=filed.pk).count() == 1  # kept for the record


def test_single_editor_preset_publishes_from_review_and_signs_its_stage(reporter, editor):
    article = make_article(by=reporter)
    article.submit_for_review(by=reporter)
    assert stage_name(article) == "编辑审核"
    assert "approve" not in {r.name for r in workflow.available(article, editor)}
    article.schedule(at=timezone.now() + datetime.timedelta(hours=1), by=editor)
    signoff = Signoff.objects.get(object_id=article.pk)
    assert (signoff.stage.name, signoff.by) == ("编辑审核", editor)


def test_a_chain_choice_for_a_desk_and_type_beats_the_desk_and_the_site_default(sanshen_desk):
    event_type = ContentType.objects.get(app_label="articles", model="event")
    copydesk = Chain.objects.get(slug="copydesk")
    ChainChoice.objects.create(desk=sanshen_desk, content_type=event_type, chain=copydesk)
    article = make_article(section=make_section("要闻", desk=sanshen_desk))
    assert chains.chain_for(article).slug == SANSHEN
    from tests.helpers import make_event

    event = make_event(section=article.section)
    assert chains.chain_for(event).slug == "copydesk"
    elsewhere = make_article()
    assert chains.chain_for(elsewhere).slug == "single"
    assert elsewhere.desk_id == Desk.objects.default().pk


def test_moving_a_section_to_another_desk_moves_its_items(sanshen_desk):
    section = make_section("社区")
    article = make_article(section=section)
    assert article.desk_id == Desk.objects.default().pk
    section.desk = sanshen_desk
    section.save()
    assert Article.objects.get(pk=article.pk).desk_id == sanshen_desk.pk


def test_a_membership_puts_the_user_in_the_roles_group_and_its_removal_takes_it_out(sanshen_desk):
    user = make_user("new", None)
    membership = DeskMembership.objects.create(desk=sanshen_desk, user=user, role=Role.EDITOR)
    assert user.groups.filter(name="Desk editors").exists()
    membership.delete()
    assert not user.groups.filter(name="Desk editors").exists()


def change_url(article):
    from django.urls import reverse

    return reverse("admin:articles_article_change", args=[article.pk])


def test_an_edit_after_fushen_returns_the_story_to_fushen_and_keeps_the_record(
    client, staff, filed
):
    from tests.helpers import article_form_data

    sign(filed, staff["editor"])
    sign(filed, staff["proof"])
    sign(filed, staff["chief"])  # 复审: re-approval after edits
    article = Article.objects.get(pk=filed.pk)
    assert stage_name(article) == "二校"
    client.force_login(staff["proof"])  # the proofreader may edit at a proof stage
    response = client.post(
        change_url(article), article_form_data(article, headline="改过的标题"), follow=True
    )
    assert response.status_code == 200
    article = Article.objects.get(pk=filed.pk)
    assert (article.headline, article.status, stage_name(article)) == (
        "改过的标题",
        "review",
        "复审",
    )
    kept = {
        s.stage.name: (s.cleared_at is not None, s.edited_after)
        for s in Signoff.objects.filter(object_id=filed.pk).select_related("stage")
    }
    assert kept == {"初审": (False, True), "一校": (False, True), "复审": (True, True)}
    log = article.transitions.get(name="reapprove")
    assert (log.by, log.from_stage.name, log.to_stage.name) == (staff["proof"], "二校", "复审")
    messages = [str(m) for m in response.context["messages"]]
    assert any("复审" in m for m in messages), messages


def test_an_edit_where_the_chain_asks_no_reapproval_is_only_recorded(client, reporter, editor):
    from tests.helpers import article_form_data

    article = make_article(by=reporter)
    article.submit_for_review(by=reporter)
    article.schedule(at=timezone.now() + datetime.timedelta(days=1), by=editor)
    article = Article.objects.get(pk=article.pk)
    client.force_login(editor)
    client.post(change_url(article), article_form_data(article, headline="新标题"))
    article = Article.objects.get(pk=article.pk)
    assert (article.headline, article.status) == ("新标题", "scheduled")
    signoff = Signoff.objects.get(object_id=article.pk)
    assert (signoff.edited_after, signoff.cleared_at) == (True, None)
    assert not article.transitions.filter(name="reapprove").exists()


def test_a_scheduled_sanshen_story_edited_goes_back_to_review(client, staff, filed):
    from tests.helpers import article_form_data

    for who in ("editor", "proof", "chief", "proof", "proof"):
        sign(filed, staff[who])
    article = Article.objects.get(pk=filed.pk)
    article.schedule(at=timezone.now() + datetime.timedelta(days=1), by=staff["chief_editor"])
    article = Article.objects.get(pk=filed.pk)
    client.force_login(staff["chief_editor"])
    client.post(change_url(article), article_form_data(article, headline="终审后改动"))
    article = Article.objects.get(pk=filed.pk)
    assert (article.status, stage_name(article)) == ("review", "复审")
    assert not Article.objects.scheduled().filter(pk=article.pk).exists()
