"""A big photo's renditions are made by a task, after the save, not while the editor waits:
the admin says they are being made, and pages show a box of the photo's size meanwhile,
never the original (readers may not fetch it) or a broken image."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from articles.models import Photo
from articles.tasks import make_photo_renditions
from tests.articles.test_bounded_work import gallery_form
from tests.helpers import image_upload, make_gallery, make_photo


@pytest.fixture
def big(settings):
    """Photos above 10,000 pixels count as big here (the test images are 64×48 and 320×240)."""
    settings.RENDITIONS_AT_SAVE_MAX_PIXELS = 10_000


def test_a_small_photo_gets_its_renditions_in_the_save(big, editor):
    photo = make_photo(make_gallery(by=editor))  # 64×48
    assert photo.renditions and not photo.renditions_pending


def test_a_big_photo_shows_a_box_of_its_size_until_the_task_has_made_its_renditions(
    big, editor, client, committed
):
    gallery = make_gallery(by=editor)
    with committed():
        photo = make_photo(gallery, image=image_upload(size=(320, 240)))
        assert photo.renditions == [] and photo.renditions_pending
        gallery.publish(by=editor)
        html = client.get(gallery.get_absolute_url()).content.decode()
        assert 'class="photo-pending"' in html and 'width="320" height="240"' in html
        assert photo.image.url not in html  # the original: for staff only, broken for readers
    # After the commit the task ran (TASKS_BACKEND=immediate in the tests).
    photo.refresh_from_db()
    assert [r["width"] for r in photo.renditions] == [320]
    html = client.get(gallery.get_absolute_url()).content.decode()
    assert photo.renditions[0]["webp"] in html and "photo-pending" not in html


def test_the_admin_says_the_renditions_are_being_made(big, client, editor, committed):
    client.force_login(editor)
    with committed():
        response = client.post(reverse("admin:articles_gallery_add"), gallery_form(photos=2))
    assert response.status_code == 302
    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("renditions of 2 big photos are being made" in m or "2 张大图" in m for m in said)
    assert all(photo.renditions for photo in Photo.objects.all())


def test_the_task_does_nothing_for_a_replaced_image_and_is_safe_to_run_twice(big, editor):
    photo = make_photo(make_gallery(by=editor), image=image_upload(size=(320, 240)))
    first_image = photo.image.name
    photo.image = image_upload(name="second.jpg", size=(300, 200))
    photo.save()
    assert make_photo_renditions.call(None, photo.pk, first_image) == 0  # stale: replaced
    assert Photo.objects.get(pk=photo.pk).renditions == []
    version = Photo.objects.get(pk=photo.pk).edit_version
    assert make_photo_renditions.call(None, photo.pk, photo.image.name) == 1
    assert make_photo_renditions.call(None, photo.pk, photo.image.name) == 0  # made already
    stored = Photo.objects.get(pk=photo.pk)
    assert stored.renditions[0]["width"] == 300
    # No save(): an editor who has the photo open is not told someone else changed it.
    assert stored.edit_version == version
