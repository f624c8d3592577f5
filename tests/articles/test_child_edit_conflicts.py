"""Two people editing the same photo at once, one in the gallery's form and one in the photo
admin: the second save is refused with a clear message, keeps what its user typed, and never
overwrites the first. Photos added elsewhere meanwhile neither block the gallery's save nor
get lost."""

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Gallery, Photo
from tests.articles.admin_children import alices_gallery, form_data
from tests.helpers import make_photo, make_user

CONFLICT = "Someone else changed this photo after you opened the page."


@pytest.fixture(autouse=True)
def in_english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def two_editors(editor):
    first, second = Client(), Client()
    first.force_login(editor)
    second.force_login(make_user("frank", "Editors", person_name="冯编辑"))
    return first, second


@pytest.fixture
def gallery(people):
    gallery = alices_gallery(people, "published", title="摄影展")
    make_photo(gallery=gallery, caption="原来的图说")
    return gallery


def gallery_url(gallery):
    return reverse("admin:articles_gallery_change", args=[gallery.pk])


def photo_url(photo):
    return reverse("admin:articles_photo_change", args=[photo.pk])


def test_a_gallery_form_opened_before_a_photo_was_changed_elsewhere_cannot_overwrite_it(
    two_editors, gallery
):
    first, second = two_editors
    photo = gallery.photos.get()
    gallery_form = form_data(first.get(gallery_url(gallery)))
    photo_form = form_data(second.get(photo_url(photo)))

    photo_form["caption"] = "第二位编辑的图说"
    assert second.post(photo_url(photo), photo_form).status_code == 302

    gallery_form["photos-0-caption"] = "第一位编辑的图说"
    gallery_form["title"] = "摄影展（更新）"
    response = first.post(gallery_url(gallery), gallery_form)

    assert response.status_code == 200
    page = response.content.decode()
    assert CONFLICT in page
    assert "第一位编辑的图说" in page  # what they typed is still in the form
    assert Photo.objects.get(pk=photo.pk).caption == "第二位编辑的图说"
    assert Gallery.objects.get(pk=gallery.pk).title == "摄影展"  # nothing half-saved


def test_a_photo_form_opened_before_the_gallery_form_changed_the_photo_is_refused(
    two_editors, gallery
):
    first, second = two_editors
    photo = gallery.photos.get()
    photo_form = form_data(second.get(photo_url(photo)))
    gallery_form = form_data(first.get(gallery_url(gallery)))

    gallery_form["photos-0-caption"] = "第一位编辑的图说"
    assert first.post(gallery_url(gallery), gallery_form).status_code == 302

    photo_form["caption"] = "第二位编辑的图说"
    response = second.post(photo_url(photo), photo_form)

    assert response.status_code == 200
    assert CONFLICT in response.content.decode()
    assert Photo.objects.get(pk=photo.pk).caption == "第一位编辑的图说"


def test_a_photo_added_elsewhere_does_not_block_the_gallery_form_nor_get_lost(two_editors, gallery):
    first, second = two_editors
    gallery_form = form_data(first.get(gallery_url(gallery)))
    make_photo(gallery=gallery, caption="另一位编辑加的照片", order=5)

    gallery_form["title"] = "摄影展（更新）"
    assert first.post(gallery_url(gallery), gallery_form).status_code == 302

    assert Gallery.objects.get(pk=gallery.pk).title == "摄影展（更新）"
    assert set(gallery.photos.values_list("caption", flat=True)) == {
        "原来的图说",
        "另一位编辑加的照片",
    }


def test_a_row_changed_elsewhere_blocks_the_gallery_save_rather_than_writing_it_back(
    two_editors, gallery
):
    """The stale row still holds the old caption: saving it would undo the other change."""
    first, second = two_editors
    photo = gallery.photos.get()
    gallery_form = form_data(first.get(gallery_url(gallery)))
    photo_form = form_data(second.get(photo_url(photo)))
    photo_form["caption"] = "第二位编辑的图说"
    assert second.post(photo_url(photo), photo_form).status_code == 302

    gallery_form["title"] = "摄影展（更新）"
    response = first.post(gallery_url(gallery), gallery_form)

    assert CONFLICT in response.content.decode()
    assert Photo.objects.get(pk=photo.pk).caption == "第二位编辑的图说"
    assert Gallery.objects.get(pk=gallery.pk).title == "摄影展"


def test_every_save_of_a_photo_moves_its_version_on(gallery):
    photo = gallery.photos.get()
    version = photo.edit_version
    photo.caption = "新图说"
    photo.save(update_fields=["caption"])
    assert Photo.objects.get(pk=photo.pk).edit_version == version + 1


def test_a_photo_form_posted_without_its_version_is_refused(two_editors, gallery):
    first, _second = two_editors
    photo = gallery.photos.get()
    data = form_data(first.get(photo_url(photo)))
    del data["loaded_edit_version"]
    data["caption"] = "改过的图说"
    response = first.post(photo_url(photo), data)
    assert CONFLICT in response.content.decode()
    assert Photo.objects.get(pk=photo.pk).caption == "原来的图说"
