import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article
from newsroom import workflow
from newsroom.models import Transition
from newsroom.workflow import Status
from people.models import Role
from tests.helpers import STATES, make_article, make_event, make_gallery, put_in_state

# Where each transition may start from (the reader's view of the state).
SOURCES = {
    "submit": {"draft"},
    "withdraw": {"review"},
    "send_back": {"review"},
    "publish": {"draft", "review", "scheduled_future", "unpublished"},
    "schedule": {"draft", "review", "scheduled_future", "unpublished"},
    "unschedule": {"scheduled_future"},
    "unpublish": {"published", "scheduled_live"},
    "spike": {"draft", "review", "scheduled_future"},
    "restore": {"spiked", "unpublished"},
    "correct": {"published", "scheduled_live"},
}
# What a contributor (the author, or a person on the byline) may do, besides editors.
CONTRIBUTOR_TRANSITIONS = {"submit", "withdraw"}
ROLES = ["author", "bylined_correspondent", "other_reporter", "editor", "outsider"]


def arguments_for(name):
    if name == "schedule":
        return {"at": timezone.now() + datetime.timedelta(days=1)}
    if workflow.TRANSITIONS[name].needs_note:
        return {"note": "请补充采访对象的姓名。"}
    return {}


def expected_allowed(role, name, state):
    if state not in SOURCES[name]:
        return False
    if role == "editor":
        return True
    return role in ("author", "bylined_correspondent") and name in CONTRIBUTOR_TRANSITIONS


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("name", list(SOURCES))
@pytest.mark.parametrize("role", ROLES)
def test_transition_matrix(people, role, name, state):
    article = make_article(
        by=people["author"],
        bylines=[
            (people["author"].person, Role.REPORTER),
            (people["bylined_correspondent"].person, Role.CORRESPONDENT),
        ],
    )
    put_in_state(article, state, people["editor"])
    before = (article.status, Transition.objects.count())
    user = people[role]

    assert workflow.allowed(article, name, user) is expected_allowed(role, name, state)
    if expected_allowed(role, name, state):
        workflow.perform(article, name, by=user, **arguments_for(name))
        article.refresh_from_db()
        assert article.status == workflow.TRANSITIONS[name].target
        last = Transition.objects.order_by("pk").last()
        assert (last.name, last.by, last.to_status) == (name, user, article.status)
    else:
        with pytest.raises(workflow.TransitionNotAllowed):
            workflow.perform(article, name, by=user, **arguments_for(name))
        article.refresh_from_db()
        assert (article.status, Transition.objects.count()) == before


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", ROLES)
def test_edit_matrix(people, role, state):
    article = make_article(
        by=people["author"], bylines=[(people["bylined_correspondent"].person, Role.CORRESPONDENT)]
    )
    put_in_state(article, state, people["editor"])
    expected = role == "editor" or (
        state == "draft" and role in ("author", "bylined_correspondent")
    )
    assert workflow.can_edit(article, people[role]) is expected


def test_send_back_requires_a_note_and_keeps_it_for_the_reporter(reporter, editor):
    article = make_article(by=reporter)
    article.submit_for_review(by=reporter)
    with pytest.raises(ValidationError):
        article.send_back(by=editor, note="  ")
    article.refresh_from_db()
    assert article.status == Status.REVIEW

    article.send_back(by=editor, note="导语太长，请压缩到两句。")
    article.refresh_from_db()
    assert article.status == Status.DRAFT
    assert article.status_note == "导语太长，请压缩到两句。"
    assert list(Article.objects.sent_back()) == [article]
    log = article.transitions.get(name="send_back")
    assert (log.by, log.from_status, log.to_status, log.note) == (
        editor,
        "review",
        "draft",
        "导语太长，请压缩到两句。",
    )

    article.submit_for_review(by=reporter)
    article.refresh_from_db()
    assert article.status_note == ""
    assert not Article.objects.sent_back().exists()


def test_scheduled_story_is_public_at_publish_at_without_any_job(reporter, editor):
    article = make_article(by=reporter)
    at = timezone.now() + datetime.timedelta(hours=1)
    article.schedule(at=at, by=editor)
    assert not Article.objects.published().filter(pk=article.pk).exists()
    assert (
        Article.objects.published(now=at + datetime.timedelta(seconds=1))
        .filter(pk=article.pk)
        .exists()
    )
    assert article.is_published(now=at) and not article.is_published(
        now=at - datetime.timedelta(seconds=1)
    )


def test_schedule_refuses_a_time_in_the_past(reporter, editor):
    article = make_article(by=reporter)
    with pytest.raises(ValidationError):
        article.schedule(at=timezone.now() - datetime.timedelta(minutes=1), by=editor)
    article.refresh_from_db()
    assert article.status == Status.DRAFT and article.publish_at is None


def test_publish_scheduled_records_due_items_once(reporter, editor, capsys):
    due = make_article(by=reporter, headline="到点的稿件")
    later = make_article(by=reporter, headline="明天的稿件")
    put_in_state(due, "scheduled_live", editor)
    put_in_state(later, "scheduled_future", editor)

    call_command("publish_scheduled", "--dry-run")
    due.refresh_from_db()
    assert due.status == Status.SCHEDULED

    call_command("publish_scheduled")
    call_command("publish_scheduled")
    due.refresh_from_db()
    later.refresh_from_db()
    assert due.status == Status.PUBLISHED and later.status == Status.SCHEDULED
    assert due.first_published_at == due.publish_at
    assert due.transitions.filter(name="go_live", by=None).count() == 1


def test_unpublish_keeps_the_reason_and_first_publication_time(reporter, editor):
    article = make_article(by=reporter)
    article.publish(by=editor)
    first = Article.objects.get(pk=article.pk).first_published_at
    article.unpublish(by=editor, reason="当事人身份有误")
    article.refresh_from_db()
    assert article.status == Status.UNPUBLISHED and article.status_note == "当事人身份有误"
    assert article.first_published_at == first
    assert not Article.objects.published().filter(pk=article.pk).exists()


def test_correction_is_dated_and_logged_and_keeps_the_story_published(reporter, editor):
    article = make_article(by=reporter)
    article.publish(by=editor)
    article.correct(by=editor, text="原文中“9月7日”应为“9月8日”。")
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED
    assert [c.text for c in article.corrections.all()] == ["原文中“9月7日”应为“9月8日”。"]
    assert article.transitions.filter(name="correct").exists()


@pytest.mark.parametrize("factory", [make_event, make_gallery])
def test_events_and_galleries_share_the_workflow(factory, reporter, other_reporter, editor):
    item = factory(by=reporter)
    item.submit_for_review(by=reporter)
    with pytest.raises(workflow.TransitionNotAllowed):
        item.publish(by=reporter)
    with pytest.raises(workflow.TransitionNotAllowed):
        item.withdraw(by=other_reporter)
    item.publish(by=editor)
    assert type(item).objects.published().filter(pk=item.pk).exists()
    assert [t.name for t in item.transitions.all()] == ["submit", "publish"]


def test_a_stale_copy_cannot_repeat_a_transition(reporter, editor):
    """Two editors click at once: the row lock and the re-read make the second one fail cleanly."""
    article = make_article(by=reporter)
    article.submit_for_review(by=reporter)
    first, second = Article.objects.get(pk=article.pk), Article.objects.get(pk=article.pk)
    first.publish(by=editor)
    with pytest.raises(workflow.TransitionNotAllowed):
        second.send_back(by=editor, note="再改改")
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED
    assert article.transitions.count() == 2
