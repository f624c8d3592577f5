"""Checks and clean-up for uploaded images, done with Pillow before anything is stored.

Only real raster images pass; byte and pixel limits are enforced before decoding
(a decompression bomb is refused with a message, not a crash); EXIF orientation
is applied to the pixels and all metadata, GPS location included, is dropped.
"""

from __future__ import annotations

import io
import warnings

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}


def open_checked(uploaded) -> Image.Image:
    """Open an upload as an image or raise ValidationError saying why not."""
    size = getattr(uploaded, "size", None)
    if size is not None and size > settings.PHOTO_MAX_BYTES:
        raise ValidationError(
            _("The file is %(size)s; photos may be at most %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(settings.PHOTO_MAX_BYTES)},
            code="too_big",
        )
    uploaded.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow warns between the limit and twice it, and raises above: treat both as refusals.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(uploaded)
            if image.width * image.height > settings.PHOTO_MAX_PIXELS:
                raise Image.DecompressionBombError("too many pixels")
            if image.format not in ALLOWED_FORMATS:
                raise ValidationError(
                    _("%(format)s images are not accepted; please upload a JPEG, PNG, WebP or GIF.")
                    % {"format": image.format or _("This kind of")},
                    code="format",
                )
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            _("The image is too large in pixels (at most %(limit)s million pixels are accepted).")
            % {"limit": settings.PHOTO_MAX_PIXELS // 1_000_000},
            code="too_many_pixels",
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        if _looks_like_svg(uploaded):
            raise ValidationError(
                _(
                    "SVG drawings are not accepted (they can carry scripts); please upload a JPEG, PNG, WebP or GIF."
                ),
                code="format",
            ) from None
        raise ValidationError(
            _("This file is not an image that can be read, or it is damaged."), code="not_an_image"
        ) from None
    # Checked once per upload: the form and the model's validator both ask.
    uploaded._newsroom_checked = True
    uploaded.seek(0)  # for the next reader (Django's own check, the storage)
    return image


def _looks_like_svg(uploaded) -> bool:
    uploaded.seek(0)
    head = uploaded.read(1024).lstrip().lower()
    uploaded.seek(0)
    return head.startswith((b"<?xml", b"<svg", b"<!doctype svg")) and b"<svg" in head


def validate_image_upload(uploaded) -> None:
    if not uploaded or getattr(uploaded, "_committed", False):
        return
    # A model FieldFile wraps the form's upload in _file: either may carry the mark.
    if getattr(uploaded, "_newsroom_checked", False) or getattr(
        getattr(uploaded, "_file", None), "_newsroom_checked", False
    ):
        return
    open_checked(uploaded)


class PhotoFormField(forms.ImageField):
    """The admin's image field: our checks (size, pixels, format) run before Django's, so that
    a decompression bomb or an SVG gets its own message instead of "not a valid image".

    The uploaded file's name is not checked against the column's length: it is replaced by a
    short generated one before it is stored (articles/media.py), and that one fits."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_length = None

    def to_python(self, data):
        if data not in self.empty_values and hasattr(data, "read"):
            open_checked(data)
        return super().to_python(data)


def normalised_image(uploaded, name: str) -> tuple[ContentFile, tuple[int, int]]:
    """The upload re-encoded upright and without metadata (no GPS location survives),
    and its size in pixels."""
    image = open_checked(uploaded)
    original_format = image.format
    image = ImageOps.exif_transpose(image)
    out = io.BytesIO()
    if original_format == "JPEG":
        image = image.convert("RGB")
        image.save(out, "JPEG", quality=90, optimize=True, progressive=True)
    elif original_format == "GIF":
        image.save(out, "GIF")
    elif original_format == "WEBP":
        image.save(out, "WEBP", quality=90)
    else:
        image.save(out, "PNG", optimize=True)
    stem = name.rsplit("/", 1)[-1].rsplit(".", 1)[0][:80] or "photo"
    return ContentFile(
        out.getvalue(), name=f"{stem}.{ALLOWED_FORMATS[original_format]}"
    ), image.size
