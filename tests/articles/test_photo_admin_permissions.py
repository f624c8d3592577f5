"""Photos edited on their own, in the photo admin: the workflow rules of the gallery a photo is
in (and of the stories leading with it) apply there as in the gallery's form, over HTTP, for
every persona and every state of the gallery; the public pages follow an allowed change.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Photo
from tests.articles.admin_children import (
    ROLES,
    alices_article,
    alices_gallery,
    assert_refused,
    form_data,
    login_as,
    may_edit,
    may_view,
    messages_of,
)
from tests.helpers import STATES, image_upload, make_gallery, make_photo

CHANGELIST = reverse("admin:articles_photo_changelist")
ADD = reverse("admin:articles_photo_add")


@pytest.fixture(autouse=True)
def in_english(settings):
    settings.LANGUAGE_CODE = "en"


def change_url(photo):
    return reverse("admin:articles_photo_change", args=[photo.pk])


def photo_data(photo, **changes):
    """The photo form as loaded now (its image untouched), with `changes`."""
    data = {
        "caption": photo.caption,
        "alt_text": photo.alt_text,
        "credit": photo.credit_id or "",
        "taken_at_0": "",
        "taken_at_1": "",
        "gallery": photo.gallery_id or "",
        "order": photo.order,
        "loaded_edit_version": photo.edit_version,
    }
    data.update(changes)
    return data


def stored(photo):
    photo = Photo.objects.get(pk=photo.pk)
    return (photo.caption, photo.gallery_id, photo.image.name, photo.edit_version)


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", ROLES)
def test_photo_change_page_is_editable_read_only_or_refused(client, people, role, state):
    photo = make_photo(gallery=alices_gallery(people, state), caption="开幕式现场")
    response = login_as(client, people[role]).get(change_url(photo))

    if not may_view(role, state):
        assert_refused(response, role, state)
    elif may_edit(role, state):
        assert response.status_code == 200
        assert b'name="caption"' in response.content and b'name="_save"' in response.content
    else:
        assert response.status_code == 200
        assert "开幕式现场" in response.content.decode()
        assert b'name="caption"' not in response.content
        assert b'name="_save"' not in response.content


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", ROLES)
def test_a_caption_or_image_changes_only_for_who_may_edit_the_gallery(client, people, role, state):
    photo = make_photo(gallery=alices_gallery(people, state), caption="开幕式现场")
    before = stored(photo)

    response = login_as(client, people[role]).post(
        change_url(photo),
        photo_data(photo, caption="改过的图说", image=image_upload("new.jpg", colour=(0, 0, 200))),
    )

    if may_edit(role, state):
        assert response.status_code == 302
        caption, gallery, image, version = stored(photo)
        assert caption == "改过的图说" and image != before[2] and version == before[3] + 1
    else:
        assert_refused(response, role, state)
        assert stored(photo) == before


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", ROLES)
def test_adding_a_photo_to_a_gallery_needs_the_right_to_edit_it(client, people, role, state):
    gallery = alices_gallery(people, state)
    data = photo_data(Photo(gallery=gallery), caption="新照片", image=image_upload())
    del data["loaded_edit_version"]

    response = login_as(client, people[role]).post(ADD, data)

    if not may_view(role):
        assert_refused(response, role)
        assert not gallery.photos.exists()
    elif may_edit(role, state):
        assert response.status_code == 302
        assert gallery.photos.get().caption == "新照片"
    elif not may_view(role, state):
        # Bob cannot even choose Alice's draft gallery: it is not among the choices.
        assert response.status_code == 200
        assert "Select a valid choice." in response.content.decode()
        assert not gallery.photos.exists()
    else:
        assert response.status_code == 200
        assert "You may not change “摄影展掠影” in its current state." in response.content.decode()
        assert not gallery.photos.exists()


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", ROLES)
def test_moving_a_photo_needs_the_right_to_edit_both_galleries(client, people, role, state):
    source = alices_gallery(people, "draft", title="原图集")
    target = alices_gallery(people, state, title="目标图集")
    photo = make_photo(gallery=source, caption="开幕式现场")
    before = stored(photo)

    response = login_as(client, people[role]).post(
        change_url(photo), photo_data(photo, gallery=target.pk)
    )

    if not may_edit(role, "draft"):
        # Bob may not read Alice's draft (nor its photos): refused before the target is even
        # looked at.
        assert_refused(response, role, "draft")
        assert stored(photo) == before
    elif may_edit(role, state):
        assert response.status_code == 302
        assert Photo.objects.get(pk=photo.pk).gallery == target
    else:
        assert response.status_code == 200
        assert "You may not change “目标图集” in its current state." in response.content.decode()
        assert stored(photo) == before


@pytest.mark.parametrize("role", ["author", "other_reporter"])
def test_moving_a_photo_out_of_a_published_gallery_is_an_editors_decision(client, people, role):
    published = alices_gallery(people, "published", title="已发表的图集")
    own_draft = alices_gallery(people, "draft", title="草稿图集")
    photo = make_photo(gallery=published)
    before = stored(photo)

    response = login_as(client, people[role]).post(
        change_url(photo), photo_data(photo, gallery=own_draft.pk)
    )

    assert response.status_code == 403
    assert stored(photo) == before


@pytest.mark.parametrize("role", ROLES)
def test_a_photo_leading_a_published_story_is_changed_only_by_an_editor(client, people, role):
    photo = make_photo(caption="会议现场")  # in no gallery
    alices_article(people, "published", lead_photo=photo)
    before = stored(photo)

    response = login_as(client, people[role]).post(
        change_url(photo), photo_data(photo, caption="改过的图说")
    )

    if role == "editor":
        assert response.status_code == 302
        assert Photo.objects.get(pk=photo.pk).caption == "改过的图说"
    else:
        assert_refused(response, role)
        assert stored(photo) == before


def test_a_photo_shown_nowhere_yet_is_any_reporters_to_caption(client, people):
    photo = make_photo(caption="")
    response = login_as(client, people["other_reporter"]).post(
        change_url(photo), photo_data(photo, caption="新图说")
    )
    assert response.status_code == 302
    assert Photo.objects.get(pk=photo.pk).caption == "新图说"


def test_the_gallery_form_cannot_change_a_photo_that_also_leads_a_published_story(client, people):
    """Alice's draft gallery is hers to edit, but one of its photos is the lead photo of a
    published story: its caption is that story's too."""
    gallery = alices_gallery(people, "draft")
    photo = make_photo(gallery=gallery, caption="会议现场")
    alices_article(people, "published", lead_photo=photo, headline="已发表的稿件")
    client = login_as(client, people["author"])
    data = form_data(client.get(reverse("admin:articles_gallery_change", args=[gallery.pk])))
    data["photos-0-caption"] = "改过的图说"

    response = client.post(reverse("admin:articles_gallery_change", args=[gallery.pk]), data)

    assert response.status_code == 200
    assert "This photo is shown by “已发表的稿件”" in response.content.decode()
    assert Photo.objects.get(pk=photo.pk).caption == "会议现场"


@pytest.mark.parametrize("role", ROLES)
def test_the_photo_list_and_its_bulk_delete(client, people, role):
    photos = [make_photo(gallery=alices_gallery(people, state)) for state in ("draft", "published")]
    client = login_as(client, people[role])

    response = client.get(CHANGELIST)
    if not may_view(role):
        assert_refused(response, role)
        return
    assert response.status_code == 200
    offered = 'value="delete_selected"' in response.content.decode()
    assert offered is (role == "editor")

    response = client.post(
        CHANGELIST,
        {
            "action": "delete_selected",
            "_selected_action": [p.pk for p in photos],
            "index": 0,
            "post": "yes",
        },
        follow=True,
    )
    remaining = Photo.objects.filter(pk__in=[p.pk for p in photos]).count()
    if role == "editor":
        assert remaining == 0
    else:
        # No action is offered to them: the crafted post only shows the list again.
        assert response.status_code == 200
        assert "deleted" not in messages_of(response).lower()
        assert remaining == 2


def test_the_photo_list_takes_a_fixed_number_of_queries(client, people):
    """For an editor, whatever the number of photos on the page:
    1. the session  2. the user  3. the user's groups (newsroom.roles)
    4. the user's permissions  5. their groups' permissions
    6. the capped count of photos (SELECT COUNT(*) FROM (… LIMIT 10001)), among those the user
       may see (newsroom.review.rules: a subquery, no query of its own)
    7. the user's desk roles (newsroom.review.rules.desk_roles, once per request)
    8. the page of photos, with gallery and credit joined
    9. the header's "To sign" count (newsroom.dashboard: an editor signs; one capped query)
    (plus the savepoint pair Django opens around the change list's actions; the bell's unread
    count is counted on the first admin page and then read from the cache)."""
    client = login_as(client, people["editor"])
    assert client.get(CHANGELIST).status_code == 200  # the bell's count, once

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(CHANGELIST).status_code == 200
        return [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]

    make_photo(gallery=make_gallery())
    few = count_queries()
    for _ in range(6):
        make_photo(gallery=make_gallery())
    assert len(count_queries()) == len(few) == 9, few


def test_an_editors_caption_change_reaches_the_public_gallery_page(
    client, people, django_capture_on_commit_callbacks
):
    gallery = alices_gallery(people, "published", title="摄影展")
    photo = make_photo(gallery=gallery, caption="旧的图说")
    assert "旧的图说" in client.get(gallery.get_absolute_url()).content.decode()

    editor = login_as(client.__class__(), people["editor"])
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(change_url(photo), photo_data(photo, caption="新的图说"))
    assert response.status_code == 302

    page = client.get(gallery.get_absolute_url()).content.decode()
    assert "新的图说" in page and "旧的图说" not in page


def test_a_photo_moved_out_of_a_public_gallery_leaves_its_page_and_search(
    client, people, django_capture_on_commit_callbacks
):
    gallery = alices_gallery(people, "published", title="摄影展")
    photo = make_photo(gallery=gallery, caption="独一无二的图说")
    assert "独一无二的图说" in client.get(gallery.get_absolute_url()).content.decode()
    other = make_gallery(title="另一个图集")

    editor = login_as(client.__class__(), people["editor"])
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(change_url(photo), photo_data(photo, gallery=other.pk))
    assert response.status_code == 302

    assert "独一无二的图说" not in client.get(gallery.get_absolute_url()).content.decode()
    assert list(type(gallery).objects.all().matching("独一无二的图说")) == [other]
