"""Responsive renditions of photos: made once, when the image is saved, and kept on the row.

A big photo (more than RENDITIONS_AT_SAVE_MAX_PIXELS) gets them from a task instead
(articles/tasks.py), after the commit; meanwhile pages show a placeholder of its size.

Each photo gets a WebP and a JPEG file at a few widths (never wider than the original),
written to the media storage when its image is saved. Their URLs and sizes are stored in
`Photo.renditions`, so a page renders a photo from the row it already fetched: it never asks
the storage or the cache whether a file exists. Photos stored before renditions were kept
on the row (or whose files were lost) get theirs from `manage.py make_renditions`; until
then a page shows the original.
"""

from __future__ import annotations

import hashlib
import io
import logging
from html import escape as esc

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.safestring import mark_safe
from PIL import Image

logger = logging.getLogger(__name__)

# CSS pixels of the layouts times screen density: a card thumbnail, the article
# column on a 2x phone, a full-screen photo in the gallery viewer.
WIDTHS = (480, 960, 1600)
FORMATS = {
    "webp": ("WEBP", {"quality": 80, "method": 4}),
    "jpeg": ("JPEG", {"quality": 82, "optimize": True, "progressive": True}),
}


def scaled_size(width: int, height: int, max_width: int) -> tuple[int, int]:
    """The size of an image of this size made at most `max_width` wide (never enlarged)."""
    if width <= max_width:
        return width, height
    ratio = max_width / width
    return int(round(width * ratio)), max(1, int(round(height * ratio)))


def widths_for(width: int) -> list[int]:
    """The rendition widths worth offering for an original `width` pixels wide."""
    chosen = []
    for candidate in WIDTHS:
        chosen.append(candidate)
        if candidate >= width:
            break
    return chosen


def made_at_save(photo) -> bool:
    """Are `photo`'s renditions made in the save itself? Yes up to RENDITIONS_AT_SAVE_MAX_PIXELS;
    a bigger photo's are made by a task."""
    return photo.width * photo.height <= settings.RENDITIONS_AT_SAVE_MAX_PIXELS


def make(photo) -> list[dict]:
    """Write the renditions of `photo`'s image to its storage and return what the row keeps:
    [{"width", "height", "webp", "jpeg", "files"}], smallest first; [] when the image cannot
    be read (the page then shows the original)."""
    field = photo.image
    if not field or not field.name:
        return []
    storage = field.storage
    try:
        with field.open("rb") as source:
            image = Image.open(source)
            image.load()
    except (OSError, ValueError, SyntaxError):
        logger.warning("Could not read photo %s (%s) to make its renditions", photo.pk, field.name)
        return []
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    stem = field.name.rsplit("/", 1)[-1].rsplit(".", 1)[0][:60]
    # A new name per source file: a replaced image never shows its predecessor's renditions
    # from a browser's or a proxy's cache.
    digest = hashlib.md5(field.name.encode(), usedforsecurity=False).hexdigest()[:10]
    made = []
    for max_width in widths_for(image.width):
        size = scaled_size(image.width, image.height, max_width)
        resized = image if size == image.size else image.resize(size, Image.Resampling.LANCZOS)
        entry = {"width": size[0], "height": size[1], "files": []}
        for kind, (fmt, options) in FORMATS.items():
            out = io.BytesIO()
            (resized.convert("RGB") if fmt == "JPEG" else resized).save(out, fmt, **options)
            name = storage.save(
                f"renditions/{digest}/{stem}-{max_width}.{kind}", ContentFile(out.getvalue())
            )
            entry[kind] = storage.url(name)
            entry["files"].append(name)
        made.append(entry)
    return made


def delete_files(renditions: list[dict], storage) -> None:
    """Remove the files of renditions no row points at any more (best effort)."""
    for entry in renditions or ():
        for name in entry.get("files", ()):
            try:
                storage.delete(name)
            except OSError:
                logger.warning("Could not delete the rendition file %s", name)


def placeholder_html(photo, alt: str, lazy: str, css_class: str) -> str:
    """A photo whose renditions are not made yet (a task is making them, or `make_renditions`
    will): a plain box of the photo's size, so that the layout does not move and no reader
    sees a broken image (the original is for staff only, articles/media.py)."""
    width, height = photo.width or 4, photo.height or 3
    box = (
        "data:image/svg+xml,"
        f"%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} {height}'%3E"
        "%3Crect width='100%25' height='100%25' fill='%23e8e6e1'/%3E%3C/svg%3E"
    )
    classes = " ".join(c for c in (css_class, "photo-pending") if c)
    return mark_safe(
        f'<img class="{esc(classes)}" src="{box}" width="{width}" height="{height}" '
        f'alt="{alt}"{lazy}>'
    )


def picture_html(photo, sizes: str, loading: str = "lazy", css_class: str = "", alt=None) -> str:
    """A responsive <picture> from the renditions stored on the row (no storage look-up), or
    the original image when it has none yet."""
    if not photo:
        return ""
    alt = esc(photo.alt_text if alt is None else str(alt))
    lazy = ' loading="lazy"' if loading != "eager" else ""
    class_attr = f' class="{esc(css_class)}"' if css_class else ""
    renditions = photo.renditions
    if not renditions:
        if not photo.image:
            return ""
        return placeholder_html(photo, alt, lazy, css_class)
    largest = renditions[-1]
    webp = ", ".join(f"{esc(r['webp'])} {r['width']}w" for r in renditions)
    jpeg = ", ".join(f"{esc(r['jpeg'])} {r['width']}w" for r in renditions)
    sizes = esc(sizes)
    return mark_safe(
        f'<picture{class_attr}>\n<source type="image/webp" srcset="{webp}" sizes="{sizes}">\n'
        f'<img src="{esc(largest["jpeg"])}" srcset="{jpeg}" sizes="{sizes}" '
        f'width="{largest["width"]}" height="{largest["height"]}" alt="{alt}"{lazy} '
        'decoding="async">\n</picture>'
    )
