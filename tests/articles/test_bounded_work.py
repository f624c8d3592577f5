"""Work too big for one request is refused before it starts, with a message saying what
fits (big photos get their renditions from a task: test_big_photo_renditions.py); a save
that fails leaves no file behind; free-text fields have limits a form explains."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db.models.signals import post_save
from django.urls import reverse

from articles.media import photo_media_root, photo_storage
from articles.models import Article, Gallery, Photo
from tests.helpers import SAMPLE_PAGE, image_upload, make_article, make_gallery, publish


def stored_photo_files() -> list[Path]:
    root = photo_media_root()
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def gallery_form(gallery=None, photos=0, **fields) -> dict:
    data = {
        "title": "摄影展掠影",
        "description": "",
        "section": "",
        "cover_photo": "",
        "slug": "",
        "loaded_edit_version": gallery.edit_version if gallery else "",
        "bylines-TOTAL_FORMS": 0,
        "bylines-INITIAL_FORMS": 0,
        "bylines-MIN_NUM_FORMS": 0,
        "bylines-MAX_NUM_FORMS": 1000,
        "photos-TOTAL_FORMS": photos,
        "photos-INITIAL_FORMS": 0,
        "photos-MIN_NUM_FORMS": 0,
        "photos-MAX_NUM_FORMS": 1000,
    }
    for i in range(photos):
        data.update(
            {
                f"photos-{i}-order": i,
                f"photos-{i}-image": image_upload(name=f"p{i}.jpg", size=(320, 240)),
                f"photos-{i}-caption": f"第{i + 1}张",
                f"photos-{i}-alt_text": "",
                f"photos-{i}-credit": "",
                f"photos-{i}-taken_at_0": "",
                f"photos-{i}-taken_at_1": "",
            }
        )
    data.update(fields)
    return data


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def test_a_gallery_save_with_more_photos_than_one_request_takes_is_refused(editor_client, settings):
    settings.GALLERY_SAVE_MAX_NEW_PHOTOS = 3
    response = editor_client.post(reverse("admin:articles_gallery_add"), gallery_form(photos=4))
    assert response.status_code == 200
    html = response.content.decode()
    assert "one save takes at most 3 photos" in html or "一次最多保存 3 张" in html
    assert not Gallery.objects.exists() and not Photo.objects.exists()
    assert stored_photo_files() == []
    response = editor_client.post(reverse("admin:articles_gallery_add"), gallery_form(photos=3))
    assert response.status_code == 302
    assert Photo.objects.count() == 3


def test_a_gallery_save_over_the_byte_limit_is_refused(editor_client, settings):
    settings.GALLERY_SAVE_MAX_BYTES = 1000  # smaller than two small JPEGs
    response = editor_client.post(reverse("admin:articles_gallery_add"), gallery_form(photos=2))
    assert response.status_code == 200
    assert response.context["inline_admin_formsets"][1].formset.non_form_errors()
    assert not Photo.objects.exists() and stored_photo_files() == []


def test_a_save_that_fails_halfway_leaves_no_file_on_disk(editor_client):
    saved = []

    def fail_on_the_third_photo(sender, instance, **kwargs):
        saved.append(instance.pk)
        if len(saved) == 3:
            raise OSError("disk full")

    post_save.connect(fail_on_the_third_photo, sender=Photo, dispatch_uid="fail-third")
    editor_client.raise_request_exception = False
    try:
        response = editor_client.post(reverse("admin:articles_gallery_add"), gallery_form(photos=4))
    finally:
        post_save.disconnect(dispatch_uid="fail-third", sender=Photo)
    assert response.status_code == 500
    assert len(saved) == 3  # two photos and their renditions had been written
    assert not Gallery.objects.exists() and not Photo.objects.exists()
    assert stored_photo_files() == []


def test_an_import_of_more_stories_than_a_request_takes_is_refused_before_anything(
    editor_client, monkeypatch
):
    from articles.printimport import importer as printimport

    monkeypatch.setattr(printimport, "MAX_STORIES_PER_IMPORT", 3)  # the sample page has 6
    url = reverse("admin:articles_article_import_print")
    response = editor_client.post(url, {"text": SAMPLE_PAGE.read_text(encoding="utf-8")})
    assert response.status_code == 400
    assert "at most 3 can be imported at once" in response.content.decode() or (
        "一次最多导入 3 篇" in response.content.decode()
    )
    assert not Article.objects.exists()


# --- free-text limits ---------------------------------------------------------------------
def test_a_correction_note_too_long_gets_a_message_not_a_database_error(editor_client, editor):
    article = publish(make_article(by=editor), editor)
    url = reverse("admin:articles_article_transition", args=[article.pk, "correct"])
    response = editor_client.post(url, {"note": "更" * 2001}, follow=True)
    assert response.status_code == 200
    assert "at most 2000 are kept" in response.content.decode() or "最多保留 2000" in (
        response.content.decode()
    )
    assert not article.corrections.exists()


@pytest.mark.parametrize(
    ("url_name", "field", "limit"),
    [
        ("admin:articles_section_add", "description", 1000),
        ("admin:people_person_add", "bio", 5000),
        ("admin:articles_gallery_add", "description", 5000),
        ("admin:articles_article_add", "summary", 1000),
    ],
)
def test_free_text_fields_have_limits_the_form_explains(editor_client, url_name, field, limit):
    data = {
        "name": "社区",
        "display_name": "李明",
        "kind": "staff",
        "order": 0,
        "headline": "标题",
        "body": "<p>正文</p>",
        **(gallery_form() if "gallery" in url_name else {}),
        "bylines-TOTAL_FORMS": 0,
        "bylines-INITIAL_FORMS": 0,
        field: "长" * (limit + 1),
    }
    response = editor_client.post(reverse(url_name), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert field in errors, errors
    assert str(limit) in errors[field][0]


def test_a_long_upload_name_is_shortened_then_stored(editor_client, editor):
    gallery = make_gallery(by=editor)
    name = "新闻发布会现场" * 30 + ".jpg"  # 214 characters, 630 bytes
    data = {
        "image": image_upload(name=name),
        "caption": "",
        "alt_text": "",
        "credit": "",
        "taken_at_0": "",
        "taken_at_1": "",
        "gallery": gallery.pk,
        "order": 0,
    }
    response = editor_client.post(reverse("admin:articles_photo_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    photo = Photo.objects.get()
    assert len(photo.image.name) <= Photo._meta.get_field("image").max_length
    assert len(Path(photo.image.name).name.encode()) < 255
    assert photo_storage().exists(photo.image.name)
