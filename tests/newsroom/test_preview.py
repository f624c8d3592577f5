"""Previews of unpublished content: in the admin for the newsroom, and by a signed link for
anyone the link is shared with (a source checking a quote, a page designer).

Who may preview follows the reading rights of newsroom.review.rules (README, "Reading
unpublished work"): a reporter previews their own drafts and their desk's stories once they are
submitted, never another's draft. Staff without a newsroom group may not; nor may anonymous
visitors without a link.
"""

import time
from unittest import mock
from urllib.parse import urlsplit

import pytest
from django.core import signing
from django.urls import reverse

from newsroom import preview
from people.models import Role
from tests.helpers import make_article, make_event, make_gallery, make_photo, put_in_state


@pytest.fixture(autouse=True)
def in_english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def draft(reporter):
    return make_article(
        by=reporter, headline="尚未发表的稿件", bylines=[(reporter.person, Role.REPORTER)]
    )


def shared_path(obj):
    return urlsplit(preview.preview_url(obj)).path


def assert_private_preview(response, headline):
    assert response.status_code == 200
    page = response.content.decode()
    assert headline in page
    assert "Preview: this is not public yet." in page
    cache_control = response["Cache-Control"]
    for directive in ("no-cache", "no-store", "must-revalidate", "private", "max-age=0"):
        assert directive in cache_control
    assert "noindex" in response["X-Robots-Tag"]


def test_the_author_previews_her_draft_in_the_admin(client, reporter, draft):
    client.force_login(reporter)
    response = client.get(reverse("admin:articles_article_preview", args=[draft.pk]))
    assert_private_preview(response, "尚未发表的稿件")
    assert "张改华" in response.content.decode()


def test_another_reporter_previews_a_story_of_the_desk_once_submitted_never_as_a_draft(
    client, reporter, other_reporter, draft
):
    client.force_login(other_reporter)
    url = reverse("admin:articles_article_preview", args=[draft.pk])
    assert client.get(url).status_code == 404
    draft.submit_for_review(by=reporter)
    assert_private_preview(client.get(url), "尚未发表的稿件")


def test_staff_outside_the_newsroom_and_anonymous_visitors_cannot_preview_in_the_admin(
    client, outsider, draft
):
    url = reverse("admin:articles_article_preview", args=[draft.pk])
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    client.force_login(outsider)
    assert client.get(url).status_code == 403


def test_a_shared_link_shows_the_draft_to_someone_without_an_account(client, draft):
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert_private_preview(client.get(shared_path(draft)), "尚未发表的稿件")


def test_the_change_form_offers_the_shared_link_until_publication(client, editor, draft):
    client.force_login(editor)
    page = client.get(reverse("admin:articles_article_change", args=[draft.pk])).content.decode()
    assert 'id="shared-preview-url"' in page
    link = page.split('id="shared-preview-url"')[0].rsplit('value="', 1)[1].split('"')[0]
    client.logout()
    assert client.get(urlsplit(link).path).status_code == 200

    draft.publish(by=editor)
    client.force_login(editor)
    assert (
        'id="shared-preview-url"'
        not in client.get(
            reverse("admin:articles_article_change", args=[draft.pk])
        ).content.decode()
    )


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),
        lambda token: token[: len(token) // 2],
        lambda token: "x" + token,
        lambda token: "not-a-token",
    ],
    ids=["last-character", "truncated", "prefixed", "made-up"],
)
def test_a_tampered_link_is_not_found(client, draft, tamper):
    token = preview.preview_token(draft)
    response = client.get(reverse("shared_preview", kwargs={"token": tamper(token)}))
    assert response.status_code == 404
    assert "尚未发表的稿件" not in response.content.decode()


def test_a_link_signed_for_something_else_is_not_found(client, draft, reporter):
    for payload in [
        {"m": "auth.user", "pk": reporter.pk},
        {"m": "articles.article"},
        {"m": "articles.article", "pk": "x"},
    ]:
        token = signing.dumps(payload, salt=preview.SALT, compress=True)
        assert client.get(reverse("shared_preview", kwargs={"token": token})).status_code == 404
    # Signed with another salt (another feature's token) does not open a preview either.
    token = signing.dumps({"m": "articles.article", "pk": draft.pk}, compress=True)
    assert client.get(reverse("shared_preview", kwargs={"token": token})).status_code == 404


def test_an_expired_link_is_not_found(client, settings, draft):
    settings.PREVIEW_LINK_MAX_AGE = 3600
    with mock.patch.object(signing.time, "time", return_value=time.time() - 3601):
        old_path = shared_path(draft)
    with mock.patch.object(signing.time, "time", return_value=time.time() - 3500):
        recent_path = shared_path(draft)
    assert client.get(old_path).status_code == 404
    assert client.get(recent_path).status_code == 200


@pytest.mark.parametrize("state", ["unpublished", "spiked"])
def test_a_link_stops_working_once_the_story_is_retracted_or_spiked(client, editor, draft, state):
    path = shared_path(draft)
    put_in_state(draft, state, editor)
    response = client.get(path)
    assert response.status_code == 404
    assert "尚未发表的稿件" not in response.content.decode()


def test_a_link_to_a_story_that_is_gone_is_not_found(client, draft):
    path = shared_path(draft)
    type(draft).objects.filter(pk=draft.pk).delete()
    assert client.get(path).status_code == 404


def test_events_and_galleries_preview_too(client, reporter, editor):
    event = make_event(by=reporter, title="摄影作品展")
    gallery = make_gallery(by=reporter, title="展览掠影")
    make_photo(gallery=gallery, caption="开幕式")
    client.force_login(editor)
    assert_private_preview(
        client.get(reverse("admin:articles_event_preview", args=[event.pk])), "摄影作品展"
    )
    assert_private_preview(
        client.get(reverse("admin:articles_gallery_preview", args=[gallery.pk])), "展览掠影"
    )
    client.logout()
    assert_private_preview(client.get(shared_path(event)), "摄影作品展")
    assert_private_preview(client.get(shared_path(gallery)), "开幕式")
