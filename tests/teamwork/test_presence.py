"""Presence on the change form: who else has the item open, a save meanwhile, a take-over."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client

from teamwork import presence


def urls(obj):
    base = f"/admin/teamwork/comment/{ContentType.objects.get_for_model(obj).pk}/{obj.pk}"
    return f"{base}/presence/", f"{base}/takeover/"


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_two_people_on_one_story_see_each_other_and_a_save_meanwhile(story, reporter, editor):
    beat, _ = urls(story)
    alice, erin = logged_in(reporter), logged_in(editor)
    assert alice.post(beat).json()["others"] == []
    seen_by_erin = erin.post(beat).json()
    assert [o["name"] for o in seen_by_erin["others"]] == ["alice"]
    assert [o["name"] for o in alice.post(beat).json()["others"]] == ["erin"]
    loaded = seen_by_erin["edit_version"]
    story.submit_for_review(by=reporter)
    assert alice.post(beat).json()["edit_version"] == loaded + 1


@pytest.mark.django_db
def test_people_who_left_are_forgotten_after_the_ttl(story, reporter, editor):
    beat, _ = urls(story)
    presence.here(story, reporter, now=1000.0)
    assert presence.here(story, editor, now=1000.0 + presence.TTL + 1) == []


@pytest.mark.django_db
def test_an_editor_takes_over_with_a_note_the_other_sees(story, reporter, editor):
    beat, takeover = urls(story)
    alice, erin = logged_in(reporter), logged_in(editor)
    opened = alice.post(beat, {"since": "0"}).json()
    assert opened["taken_over"] is None
    assert alice.post(takeover, {"note": "我来改"}).status_code == 403  # reporters may not
    erin.post(takeover, {"note": "截稿了，我来改"})
    seen = alice.post(beat, {"since": "0"}).json()["taken_over"]
    assert seen["by"] == "erin" and seen["note"] == "截稿了，我来改"
    assert erin.post(beat, {"since": "0"}).json()["taken_over"] is None  # not to oneself


@pytest.mark.django_db
def test_presence_follows_the_reading_rule(client, correspondent, other_reporter):
    from tests.helpers import make_article

    theirs = make_article(by=other_reporter)
    beat, _ = urls(theirs)
    client.force_login(correspondent)
    assert client.post(beat).status_code == 403
    assert client.get(beat).status_code == 405


@pytest.mark.django_db
def test_the_change_form_carries_the_presence_script_and_version(client, story, reporter):
    client.force_login(reporter)
    page = client.get(f"/admin/articles/article/{story.pk}/change/").text
    assert 'id="teamwork"' in page and "teamwork/teamwork.js" in page
    assert f'data-edit-version="{story.edit_version}"' in page
