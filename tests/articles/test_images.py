"""Uploading photos through the admin: real images pass, upright and without location data;
anything else is refused with a message saying why, and nothing is stored."""

import io
import struct
import zlib

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import ExifTags, Image

from articles.models import Gallery, Photo
from tests.helpers import image_bytes

ADD_PHOTO = reverse("admin:articles_photo_add")


@pytest.fixture(autouse=True)
def in_english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def photo_client(client, reporter):
    client.force_login(reporter)
    return client


def upload(client, name, content, content_type="image/jpeg"):
    return client.post(
        ADD_PHOTO,
        {
            "image": SimpleUploadedFile(name, content, content_type=content_type),
            "caption": "“生态中原”摄影作品展开幕",
            "alt_text": "观众在展厅里看照片",
            "credit": "",
            "taken_at_0": "",
            "taken_at_1": "",
            "gallery": "",
            "order": 0,
        },
    )


def stored_files():
    return (
        [p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()]
        if settings.MEDIA_ROOT.exists()
        else []
    )


def assert_refused(response, message):
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors.get("image", [])
    assert any(message in error for error in errors), errors
    assert message in response.content.decode()
    assert not Photo.objects.exists()
    assert stored_files() == []


def photo_with_exif(orientation=6, size=(64, 48)) -> bytes:
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "NIKON"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (34.0, 45.0, 0.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (113.0, 39.0, 0.0)
    return image_bytes(size=size, exif=exif)


def png_bomb(width=20_000, height=20_000) -> bytes:
    """A valid 1-bit PNG of width × height pixels, some 50 KB on disk and 400 million pixels
    (hundreds of megabytes) once decoded."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte, then the row's bits
    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def test_a_real_jpeg_is_stored(photo_client):
    response = upload(photo_client, "zhanlan.jpg", image_bytes(size=(120, 80)))
    assert response.status_code == 302, (
        response.context and response.context["adminform"].form.errors
    )
    photo = Photo.objects.get()
    assert (photo.width, photo.height) == (120, 80)
    assert photo.image.name.startswith("photos/") and photo.image.name.endswith(".jpg")
    with Image.open(photo.image.path) as stored:
        assert stored.format == "JPEG"


def test_a_png_and_a_webp_are_stored_in_their_own_format(photo_client):
    assert upload(photo_client, "chart.png", image_bytes(fmt="PNG"), "image/png").status_code == 302
    assert (
        upload(photo_client, "scene.webp", image_bytes(fmt="WEBP"), "image/webp").status_code == 302
    )
    assert sorted(p.image.name.rsplit(".", 1)[1] for p in Photo.objects.all()) == ["png", "webp"]


def test_the_photo_is_turned_upright_and_its_location_removed(photo_client):
    original = Image.open(io.BytesIO(photo_with_exif()))
    assert original.getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the upload does carry a location

    assert (
        upload(
            photo_client, "dsc_0001.jpg", photo_with_exif(orientation=6, size=(64, 48))
        ).status_code
        == 302
    )

    photo = Photo.objects.get()
    assert (photo.width, photo.height) == (48, 64)
    with Image.open(photo.image.path) as stored:
        assert stored.size == (48, 64)
        exif = stored.getexif()
        assert not exif.get_ifd(ExifTags.IFD.GPSInfo)
        assert ExifTags.Base.Orientation not in exif
    assert b"NIKON" not in photo.image.read()


def test_a_text_file_named_jpg_is_refused(photo_client):
    assert_refused(
        upload(photo_client, "photo.jpg", "这不是照片，是一份文字稿。".encode()),
        "This file is not an image that can be read, or it is damaged.",
    )


def test_a_truncated_jpeg_is_refused(photo_client):
    data = image_bytes(size=(400, 300))
    assert_refused(
        upload(photo_client, "cut.jpg", data[: len(data) // 2]),
        "This file is not an image that can be read, or it is damaged.",
    )


def test_an_svg_is_refused(photo_client):
    svg = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>'
    assert_refused(
        upload(photo_client, "logo.svg", svg, "image/svg+xml"), "SVG drawings are not accepted"
    )


def test_an_svg_named_jpg_is_refused(photo_client):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>'
    assert_refused(upload(photo_client, "logo.jpg", svg), "SVG drawings are not accepted")


def test_a_decompression_bomb_is_refused_before_it_is_decoded(photo_client):
    bomb = png_bomb()
    assert len(bomb) < 1_000_000
    assert settings.PHOTO_MAX_PIXELS == 50_000_000
    assert_refused(
        upload(photo_client, "bomb.png", bomb, "image/png"),
        "The image is too large in pixels (at most 50 million pixels are accepted).",
    )


def test_an_image_over_the_pixel_limit_is_refused(photo_client, settings):
    settings.PHOTO_MAX_PIXELS = 100 * 100
    assert_refused(
        upload(photo_client, "big.jpg", image_bytes(size=(101, 100))),
        "The image is too large in pixels",
    )


def test_a_file_over_the_byte_limit_is_refused(photo_client, settings):
    data = image_bytes(size=(300, 300))
    settings.PHOTO_MAX_BYTES = len(data) - 1
    assert_refused(upload(photo_client, "heavy.jpg", data), "photos may be at most")


def test_a_gif_or_bmp_in_disguise_is_judged_by_its_content(photo_client):
    out = io.BytesIO()
    Image.new("RGB", (20, 20)).save(out, "BMP")
    assert_refused(
        upload(photo_client, "scan.jpg", out.getvalue()),
        "images are not accepted; please upload a JPEG, PNG, WebP or GIF.",
    )


def test_a_bad_photo_in_a_new_gallery_stops_the_whole_gallery(photo_client):
    response = photo_client.post(
        reverse("admin:articles_gallery_add"),
        {
            "title": "摄影展掠影",
            "description": "",
            "section": "",
            "cover_photo": "",
            "slug": "",
            "loaded_edit_version": "",
            "bylines-TOTAL_FORMS": 0,
            "bylines-INITIAL_FORMS": 0,
            "photos-TOTAL_FORMS": 1,
            "photos-INITIAL_FORMS": 0,
            "photos-0-order": 0,
            "photos-0-image": SimpleUploadedFile("bomb.png", png_bomb(), content_type="image/png"),
            "photos-0-caption": "",
            "photos-0-alt_text": "",
            "photos-0-credit": "",
            "photos-0-taken_at_0": "",
            "photos-0-taken_at_1": "",
        },
    )
    assert response.status_code == 200
    assert "The image is too large in pixels" in response.content.decode()
    assert not Gallery.objects.exists() and not Photo.objects.exists()
    assert stored_files() == []
