"""The bell and the inbox: counts, newest first, marking read, links, constant query counts."""

import pytest
from django.contrib.contenttypes.models import ContentType

from teamwork.models import Notification
from tests.helpers import make_article


def notify_many(user, count, actor=None):
    story = make_article(by=user)
    ct = ContentType.objects.get_for_model(story)
    Notification.objects.bulk_create(
        Notification(
            recipient=user,
            event="sent_back",
            key=f"test:{n}",
            actor=actor,
            content_type=ct,
            object_id=story.pk,
            title=f"稿件{n}",
            note=f"备注{n}",
        )
        for n in range(count)
    )
    return story


@pytest.mark.django_db
def test_the_bell_shows_the_unread_count_on_every_admin_page(client, reporter, editor):
    notify_many(reporter, 3, actor=editor)
    Notification.objects.filter(key="test:0").update(read_at="2026-01-01T00:00:00Z")
    client.force_login(reporter)
    for url in (
        "/admin/",
        "/admin/articles/article/",
        "/admin/password_change/",
        "/admin/teamwork/notification/",
    ):
        page = client.get(url)
        assert 'id="teamwork-unread" class="teamwork-count"' in page.text, url
        assert ">2</span></a>" in page.text, url


@pytest.mark.django_db
def test_nobody_sees_anyone_elses_notifications(client, reporter, other_reporter, editor):
    notify_many(reporter, 1, actor=editor)
    theirs = Notification.objects.get()
    client.force_login(other_reporter)
    assert "稿件0" not in client.get("/admin/teamwork/notification/").text
    assert client.get(f"/admin/teamwork/notification/{theirs.pk}/open/").status_code == 404
    client.post("/admin/teamwork/notification/read/", {"id": theirs.pk})
    client.post("/admin/teamwork/notification/read/", {"all": "1"})
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.django_db
def test_inbox_newest_first_open_marks_read_and_goes_to_the_item(client, reporter, editor):
    story = notify_many(reporter, 3, actor=editor)
    client.force_login(reporter)
    page = client.get("/admin/teamwork/notification/").text
    assert page.index("稿件2") < page.index("稿件1") < page.index("稿件0")
    first = Notification.objects.get(key="test:1")
    response = client.get(first.open_url)
    assert response["Location"] == f"/admin/articles/article/{story.pk}/change/"
    first.refresh_from_db()
    assert first.read_at is not None
    assert "?show=unread" in page
    unread = client.get("/admin/teamwork/notification/?show=unread").text
    assert "稿件1" not in unread and "稿件2" in unread


@pytest.mark.django_db
def test_mark_selected_and_mark_all_read(client, reporter, editor):
    notify_many(reporter, 3, actor=editor)
    client.force_login(reporter)
    one = Notification.objects.get(key="test:0")
    client.post("/admin/teamwork/notification/read/", {"id": [one.pk, "junk"]})
    assert Notification.objects.unread().count() == 2
    client.post("/admin/teamwork/notification/read/", {"all": "1"})
    assert Notification.objects.unread().count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 60])
def test_inbox_and_bell_queries_do_not_grow_with_notifications(
    client, reporter, editor, count, django_assert_num_queries
):
    notify_many(reporter, count, actor=editor)
    client.force_login(reporter)
    client.get("/admin/teamwork/notification/")  # warm the content-type cache
    # session, user, the paginator's COUNT, the page's rows (actor and content type joined),
    # the user's and the groups' permissions (the nav sidebar), the groups (roles), the desk
    # memberships and the default desk (is this reader a signer, for the header's "To sign"
    # count: newsroom.review.rules.desk_roles); the bell's count is in the cache since the first
    # visit.
    with django_assert_num_queries(9):
        assert client.get("/admin/teamwork/notification/").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 150])
def test_the_bell_costs_at_most_one_bounded_query_then_none(client, reporter, editor, count):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    notify_many(reporter, count, actor=editor)
    client.force_login(reporter)
    with CaptureQueriesContext(connection) as first:
        page = client.get("/admin/")
    bell = [q["sql"] for q in first.captured_queries if "teamwork_notification" in q["sql"]]
    assert len(bell) == 1 and "LIMIT 100" in bell[0]
    assert (">99+</span>" if count > 99 else f">{count}</span>") in page.text
    with CaptureQueriesContext(connection) as again:
        client.get("/admin/")
    assert not [q for q in again.captured_queries if "teamwork_notification" in q["sql"]]


@pytest.mark.django_db
def test_the_bell_follows_reading_and_new_notifications_at_once(client, reporter, editor, story):
    client.force_login(reporter)
    assert ">0</span></a>" in client.get("/admin/").text
    story.submit_for_review(by=reporter)
    story.send_back(by=editor, note="再改改")
    assert ">1</span></a>" in client.get("/admin/").text
    client.post("/admin/teamwork/notification/read/", {"all": "1"})
    assert ">0</span></a>" in client.get("/admin/").text


@pytest.mark.django_db
def test_preferences_page_saves_choices_and_language(client, reporter):
    from teamwork.models import Preference, Profile

    client.force_login(reporter)
    page = client.get("/admin/teamwork/notification/preferences/")
    assert page.status_code == 200
    data = {"language": "en"}
    for field in page.context["form"].fields:
        if field.endswith("-email"):
            data[field] = "digest"
        elif field.endswith("-in_app"):
            data[field] = "on"
    data["mention-email"] = "off"
    data.pop("sent_back-in_app")
    client.post("/admin/teamwork/notification/preferences/", data)
    assert Profile.objects.get(user=reporter).language == "en"
    assert Preference.objects.get(user=reporter, event="mention").email == "off"
    sent_back = Preference.objects.get(user=reporter, event="sent_back")
    assert (sent_back.in_app, sent_back.email) == (False, "digest")
    bad = client.post(
        "/admin/teamwork/notification/preferences/", {**data, "mention-email": "pigeon"}
    )
    assert (
        bad.status_code == 200
        and Preference.objects.get(user=reporter, event="mention").email == "off"
    )
