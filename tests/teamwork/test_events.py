"""Every workflow event reaches exactly the right people, by the right channels, once."""

import datetime

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from teamwork.models import Notification, Preference, Profile
from tests.helpers import make_user


def told(event=None):
    rows = Notification.objects.all()
    if event:
        rows = rows.filter(event=event)
    return sorted(rows.values_list("recipient__username", flat=True))


def outbox_to():
    return sorted(address for message in mail.outbox for address in message.to)


@pytest.fixture
def second_editor(db):
    user = make_user("ed2", "Editors", person_name="编辑乙")
    user.email = "ed2@newsroom.invalid"
    user.save()
    return user


@pytest.mark.django_db
def test_submission_reaches_every_editor_but_not_the_reporter(
    story, reporter, editor, second_editor, with_emails, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        story.submit_for_review(by=reporter)
    assert told("review_queue") == ["ed2", "erin"]
    # Editors get the review queue in their daily digest by default, not one email each.
    assert mail.outbox == []
    assert set(Notification.objects.values_list("email", flat=True)) == {"digest"}


@pytest.mark.django_db
def test_send_back_tells_author_and_bylined_correspondent_with_the_note_never_the_editor(
    story,
    reporter,
    correspondent,
    editor,
    other_reporter,
    with_emails,
    django_capture_on_commit_callbacks,
):
    story.submit_for_review(by=reporter)
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        story.send_back(by=editor, note="第二段数字需要核实")
    assert told() == ["alice", "carol"]
    assert outbox_to() == ["alice@newsroom.invalid", "carol@newsroom.invalid"]
    for message in mail.outbox:
        assert "第二段数字需要核实" in message.body
        assert f"/admin/articles/article/{story.pk}/change/" in message.body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("action", "event"),
    [
        (lambda s, e: s.publish(by=e), "published"),
        (
            lambda s, e: s.schedule(at=timezone.now() + datetime.timedelta(hours=2), by=e),
            "scheduled",
        ),
        (lambda s, e: s.spike(by=e), "spiked"),
    ],
)
def test_each_editor_decision_reaches_the_contributors(
    story, reporter, correspondent, editor, action, event, django_capture_on_commit_callbacks
):
    story.submit_for_review(by=reporter)
    with django_capture_on_commit_callbacks(execute=True):
        action(story, editor)
    assert told(event) == ["alice", "carol"]


@pytest.mark.django_db
def test_retraction_and_correction_reach_the_contributors_with_the_text(
    story, reporter, editor, with_emails, django_capture_on_commit_callbacks
):
    story.publish(by=editor)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        story.correct(by=editor, text="更正：会议时间为9月1日")
        story.unpublish(by=editor, reason="当事人撤回授权")
    assert told("corrected") == ["alice", "carol"]
    assert told("retracted") == ["alice", "carol"]
    bodies = "\n".join(m.body for m in mail.outbox)
    assert "更正：会议时间为9月1日" in bodies and "当事人撤回授权" in bodies
    assert len(mail.outbox) == 4


@pytest.mark.django_db
def test_a_reporter_publishing_nothing_of_their_own_hears_nothing(story, reporter, editor):
    story.publish(by=editor)
    assert "erin" not in told()


@pytest.mark.django_db
def test_an_editor_who_wrote_the_story_hears_nothing_of_their_own_publish(editor):
    from tests.helpers import make_article

    own = make_article(by=editor)
    own.publish(by=editor)
    assert told() == []


@pytest.mark.django_db
def test_a_rolled_back_transition_tells_nobody(
    story, reporter, with_emails, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                story.submit_for_review(by=reporter)
                raise RuntimeError("the save failed after the transition")
    assert Notification.objects.count() == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_one_event_is_never_told_twice(story, reporter, editor):
    from teamwork import events

    story.submit_for_review(by=reporter)
    transition = story.transitions.get()
    events.notify("review_queue", story, reporter, key=f"transition:{transition.pk}")
    assert told() == ["erin"]


@pytest.mark.django_db
def test_superusers_hear_nothing_unless_they_opt_in(story, reporter, editor):
    boss = make_user("boss", None)
    boss.is_superuser = True
    boss.save()
    story.submit_for_review(by=reporter)
    assert "boss" not in told()
    Profile.objects.create(user=boss, notify_as_superuser=True)
    story.withdraw(by=reporter)
    story.submit_for_review(by=reporter)
    assert told().count("boss") == 1


@pytest.mark.django_db
def test_inactive_people_hear_nothing(story, reporter, correspondent, editor):
    correspondent.is_active = False
    correspondent.save()
    story.publish(by=editor)
    assert told() == ["alice"]


@pytest.mark.django_db
def test_preferences_choose_channels(
    story, reporter, correspondent, editor, with_emails, django_capture_on_commit_callbacks
):
    # Alice wants sent-backs only in her daily digest; Carol wants nothing of them at all.
    Preference.objects.create(user=reporter, event="sent_back", in_app=False, email="digest")
    Preference.objects.create(user=correspondent, event="sent_back", in_app=False, email="off")
    story.submit_for_review(by=reporter)
    with django_capture_on_commit_callbacks(execute=True):
        story.send_back(by=editor, note="请补充采访对象")
    assert told("sent_back") == ["alice"]
    row = Notification.objects.get(event="sent_back")
    assert not row.in_inbox and row.email == "digest"
    assert mail.outbox == []


@pytest.mark.django_db
def test_the_daily_digest_is_one_email_with_everything_then_nothing(
    story, reporter, editor, second_editor, with_emails, django_capture_on_commit_callbacks
):
    from tests.helpers import make_article

    other = make_article(by=reporter, headline="第二篇稿件")
    story.submit_for_review(by=reporter)
    other.submit_for_review(by=reporter)
    from teamwork.tasks import queue_digests

    assert queue_digests() == 2  # immediate backend: sent as they are queued
    to_erin = [m for m in mail.outbox if m.to == ["erin@newsroom.invalid"]]
    assert len(to_erin) == 1
    assert story.headline in to_erin[0].body and "第二篇稿件" in to_erin[0].body
    mail.outbox.clear()
    assert queue_digests() == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_each_digest_is_in_its_recipients_language(
    story, reporter, editor, second_editor, with_emails, django_capture_on_commit_callbacks
):
    from teamwork.tasks import queue_digests

    Profile.objects.create(user=second_editor, language="en")
    story.submit_for_review(by=reporter)
    queue_digests()
    by_address = {m.to[0]: m for m in mail.outbox}
    english, chinese = by_address["ed2@newsroom.invalid"], by_address["erin@newsroom.invalid"]
    assert english.subject == "Newsroom: 1 things happened today"
    assert "submitted “" in english.body and story.headline in english.body
    assert "今天" in chinese.subject and "things happened" not in chinese.subject
    assert story.headline in chinese.body and "submitted" not in chinese.body


@pytest.mark.django_db
def test_emails_are_in_the_recipients_language(
    story, reporter, correspondent, editor, with_emails, django_capture_on_commit_callbacks
):
    Profile.objects.create(user=correspondent, language="en")
    story.submit_for_review(by=reporter)
    with django_capture_on_commit_callbacks(execute=True):
        story.send_back(by=editor, note="note")
    by_address = {m.to[0]: m for m in mail.outbox}
    assert by_address["carol@newsroom.invalid"].subject.startswith("erin sent back")
    assert "退回" in by_address["alice@newsroom.invalid"].subject


@pytest.mark.django_db
def test_scheduled_publication_going_live_tells_the_contributors(story, reporter, editor):
    from django.core.management import call_command

    story.schedule(at=timezone.now() + datetime.timedelta(minutes=1), by=editor)
    type(story).objects.filter(pk=story.pk).update(
        publish_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    Notification.objects.all().delete()
    call_command("publish_scheduled")
    assert told("published") == ["alice", "carol"]
    assert Notification.objects.filter(actor__isnull=True).count() == 2


@pytest.mark.django_db
def test_stragglers_are_sent_later_and_only_once(story, reporter, editor, with_emails):
    # Outside on_commit capture the email task never ran: as if the queue had been down.
    story.publish(by=editor)
    assert mail.outbox == []
    Notification.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=10))
    from teamwork.tasks import queue_stragglers

    assert queue_stragglers() == 1
    assert outbox_to() == ["alice@newsroom.invalid", "carol@newsroom.invalid"]
    assert queue_stragglers() == 0
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_purge_keeps_recent_notifications(story, reporter, editor):
    from teamwork.tasks import purge

    story.publish(by=editor)
    Notification.objects.filter(recipient=reporter).update(
        created_at=timezone.now() - datetime.timedelta(days=91)
    )
    assert purge(90) == 1
    assert told() == ["carol"]
