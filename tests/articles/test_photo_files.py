"""Who may fetch a photo's files: renditions of public photos are public; originals, and
every file of a photo that is not public, are for staff who may view photos; the rest get
a 404 whether or not the file exists. Names are not guessable, and no file carries EXIF."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from PIL import Image

from articles.media import photo_storage
from articles.models import Photo
from tests.helpers import image_bytes, make_article, make_gallery, publish


@pytest.fixture
def draft_gallery(editor):
    gallery = make_gallery(by=editor)
    photo = Photo(gallery=gallery, caption="未发布")
    from django.core.files.uploadedfile import SimpleUploadedFile

    # A camera's file: GPS position in its EXIF.
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (34.0, 45.0, 0.0)}
    photo.image = SimpleUploadedFile(
        "DSC_0001.jpg", image_bytes(size=(1200, 800), exif=exif), content_type="image/jpeg"
    )
    photo.save()
    return gallery, photo


def fetch(client, url):
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response.status_code, body


def urls_of(photo):
    made = photo.renditions
    assert made, "the photo has renditions"
    return photo.image.url, made[0]["webp"], made[-1]["jpeg"]


def test_files_live_outside_media_root_at_unguessable_names(draft_gallery):
    _gallery, photo = draft_gallery
    path = Path(photo_storage().path(photo.image.name))
    assert path.is_file()
    assert Path(settings.MEDIA_ROOT) not in path.parents
    stem = path.stem
    assert stem.startswith("dsc_0001-") and len(stem.split("-", 1)[1]) >= 16
    other = Photo(gallery=photo.gallery)
    other.image = photo.image.file  # same upload name, another token
    from tests.helpers import image_upload

    other.image = image_upload(name="DSC_0001.jpg")
    other.save()
    assert other.image.name != photo.image.name


@pytest.mark.parametrize("who", ["anonymous", "outsider", "reporter", "editor"])
def test_a_draft_gallerys_files_are_for_staff_only(client, draft_gallery, who, request):
    _gallery, photo = draft_gallery
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    may_see = who in ("reporter", "editor")
    for url in urls_of(photo):
        status, body = fetch(client, url)
        assert status == (200 if may_see else 404), (who, url)
        if may_see:
            assert Image.open(io.BytesIO(body)).getexif().get(0x8825) is None


def test_publishing_makes_only_the_renditions_public_and_retracting_hides_them(
    client, draft_gallery, editor
):
    gallery, photo = draft_gallery
    original, webp, jpeg = urls_of(photo)
    publish(gallery, editor)
    assert fetch(client, webp)[0] == 200
    assert fetch(client, jpeg)[0] == 200
    response = client.get(jpeg)
    assert "public" in response["Cache-Control"]
    assert fetch(client, original)[0] == 404  # originals are never public
    gallery.unpublish(by=editor, reason="撤稿")
    assert fetch(client, webp)[0] == 404
    assert fetch(client, jpeg)[0] == 404


def test_the_lead_photo_of_a_published_article_is_public(client, editor):
    from tests.helpers import make_photo

    photo = make_photo()
    article = make_article(by=editor, lead_photo=photo)
    _original, webp, _jpeg = urls_of(photo)
    assert fetch(client, webp)[0] == 404
    publish(article, editor)
    assert fetch(client, webp)[0] == 200


def test_staff_answers_are_never_kept_by_shared_caches(client, draft_gallery, editor):
    _gallery, photo = draft_gallery
    client.force_login(editor)
    response = client.get(photo.image.url)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_files_of_no_photo_and_paths_out_of_the_storage_are_not_found(
    client, editor, draft_gallery
):
    client.force_login(editor)
    prefix = settings.PHOTO_MEDIA_URL
    for path in (
        "photos/2026/01/nothing.jpg",
        "../media/x.jpg",
        "CACHE/images/x/y.jpg",
        "%2e%2e/x",
    ):
        assert client.get(prefix + path).status_code == 404, path


def test_the_web_server_sends_the_bytes_when_configured(client, draft_gallery, editor, settings):
    _gallery, photo = draft_gallery
    settings.PHOTO_MEDIA_ACCEL_REDIRECT = "/protected-photos/"
    client.force_login(editor)
    response = client.get(photo.image.url)
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == "/protected-photos/" + photo.image.name
    settings.PHOTO_MEDIA_ACCEL_REDIRECT = ""
    settings.PHOTO_MEDIA_SENDFILE = True
    response = client.get(photo.image.url)
    assert response["X-Sendfile"] == photo_storage().path(photo.image.name)


def test_public_pages_point_at_renditions_never_at_originals(client, draft_gallery, editor):
    gallery, photo = draft_gallery
    publish(gallery, editor)
    html = client.get(gallery.get_absolute_url()).content.decode()
    assert photo.image.url not in html
    assert reverse("articles:photo_file", args=["x"]).rsplit("x", 1)[0] in html


def test_photos_stored_before_are_moved_out_of_media_root(client, editor):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.core.management import call_command

    gallery = make_gallery(by=editor)
    old = default_storage.save("photos/2020/01/guessable.jpg", ContentFile(image_bytes()))
    photo = Photo.objects.create(gallery=gallery, width=64, height=48)
    Photo.objects.filter(pk=photo.pk).update(image=old)  # as the row was before
    call_command("protect_photo_files", verbosity=0)
    photo.refresh_from_db()
    assert not default_storage.exists(old)
    assert photo.image.name != old and photo_storage().exists(photo.image.name)
    assert photo.image.name.startswith("photos/2020/01/guessable-")
    publish(gallery, editor)
    assert fetch(client, photo.renditions[0]["webp"])[0] == 200


def portrait_of(person):
    from tests.helpers import image_upload

    person.photo = image_upload(name="张改华.jpg")
    person.save()
    return person.photo


def test_a_portrait_is_kept_outside_media_root_and_public_only_with_its_person(
    client, editor, reporter
):
    from people.models import Person
    from tests.helpers import make_person

    person = make_person("张改华")
    portrait = portrait_of(person)
    path = Path(photo_storage().path(portrait.name))
    assert path.is_file() and Path(settings.MEDIA_ROOT) not in path.parents
    assert portrait.name.startswith("people/") and len(path.stem.split("-", 1)[1]) >= 16
    article = make_article(by=editor, bylines=[(person, "reporter")])
    assert not Person.objects.public().filter(pk=person.pk).exists()

    # Nobody outside the newsroom knows of the person yet, so nor of the portrait.
    assert fetch(client, portrait.url)[0] == 404
    client.force_login(reporter)
    assert fetch(client, portrait.url)[0] == 200  # staff who may view people
    client.logout()

    publish(article, editor)
    status, body = fetch(client, portrait.url)
    assert status == 200 and body == path.read_bytes()
    assert fetch(client, portrait.url.replace("people/", "people/../photos/"))[0] == 404


def test_portraits_stored_before_are_moved_out_of_media_root(editor):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.core.management import call_command

    from people.models import Person
    from tests.helpers import make_person

    person = make_person("吕杨子")
    old = default_storage.save("people/2020/lvyangzi.jpg", ContentFile(image_bytes()))
    Person.objects.filter(pk=person.pk).update(photo=old)  # as the row was before
    call_command("protect_photo_files", verbosity=0)
    person.refresh_from_db()
    assert not default_storage.exists(old)
    assert person.photo.name.startswith("people/2020/lvyangzi-")
    assert photo_storage().exists(person.photo.name)
