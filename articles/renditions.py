"""Responsive renditions of photos, made with django-imagekit.

Each photo gets a WebP and a JPEG file at a few widths (never wider than the
original). They are made once and kept in the media storage: when a new image
is saved, or the first time a page needs one (photos stored before a width was
added, the demo's, an import's), and never again after that. Whether a file
exists is remembered in the cache, so a page view costs no storage look-up.

The models declare the renditions as ImageSpecFields (not database columns):
`Photo.webp_960`, `Photo.jpeg_960` and so on; templates use `{% picture %}`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from imagekit.cachefiles.namers import source_name_as_path
from imagekit.cachefiles.state import prefetch_cachefile_states, use_cachefile_state_cache
from imagekit.models import ImageSpecField
from pilkit.processors import ResizeToFit

logger = logging.getLogger(__name__)

# CSS pixels of the layouts times screen density: a card thumbnail, the article
# column on a 2x phone, a full-screen photo in the gallery viewer.
WIDTHS = (480, 960, 1600)
FORMATS = {
    "webp": ("WEBP", {"quality": 80, "method": 4}),
    "jpeg": ("JPEG", {"quality": 82, "optimize": True, "progressive": True}),
}


class GenerateOnSaveOrFirstUse:
    """imagekit's JustInTime (make the file when a page needs it and it is missing)
    plus Optimistic's generation as soon as the source image is saved."""

    def on_source_saved(self, file):
        file.generate()

    def on_existence_required(self, file):
        file.generate()

    def on_content_required(self, file):
        file.generate()


def spec_field(kind: str, width: int) -> ImageSpecField:
    """An ImageSpecField for `kind` ("webp" or "jpeg") at most `width` pixels wide."""
    fmt, options = FORMATS[kind]
    return ImageSpecField(
        source="image",
        processors=[ResizeToFit(width=width, upscale=False)],
        format=fmt,
        options=options,
        # Where files live and who fetches them: articles/media.py.
        cachefile_strategy="articles.media.GenerateSmallOnSaveBigOnFetch",
    )


# (spec class, source file name) -> cache file name. A name is a hash of the source's name
# and the spec's processors and options, both fixed for the life of the process, so it never
# goes stale; imagekit computes it by pickling the processors, a third of a page's picture cost.
_NAMES: dict[tuple[type, str], str] = {}
_NAMES_LIMIT = 50_000


def memoized_cachefile_name(generator) -> str:
    """imagekit's default namer (IMAGEKIT_SPEC_CACHEFILE_NAMER), computed once per name."""
    key = (type(generator), generator.source.name)
    name = _NAMES.get(key)
    if name is None:
        if len(_NAMES) >= _NAMES_LIMIT:
            _NAMES.clear()
        name = _NAMES[key] = source_name_as_path(generator)
    return name


@dataclass(frozen=True)
class Rendition:
    width: int
    height: int
    webp: str
    jpeg: str


def scaled_size(width: int, height: int, max_width: int) -> tuple[int, int]:
    """The size ResizeToFit(width=max_width, upscale=False) gives an image of this size."""
    if width <= max_width:
        return width, height
    ratio = max_width / width
    return int(round(width * ratio)), int(round(height * ratio))


def widths_for(photo) -> list[int]:
    """The rendition widths worth offering for `photo`: none wider than the original."""
    chosen = []
    for width in WIDTHS:
        chosen.append(width)
        if width >= photo.width:
            break
    return chosen


def renditions(photo) -> list[Rendition]:
    """The photo's renditions, smallest first, making any that are missing.

    Returns [] when the original cannot be read (a missing file, say): the page
    then falls back to the original rather than failing.
    """
    if not photo or not photo.image or not photo.width or not photo.height:
        return []
    widths = widths_for(photo)
    files = {(kind, w): getattr(photo, f"{kind}_{w}") for w in widths for kind in FORMATS}
    try:
        with use_cachefile_state_cache() as state_cache:
            # One cache round trip for the existence of all of this photo's files.
            prefetch_cachefile_states(files.values(), state_cache=state_cache)
            result = []
            for w in widths:
                size = scaled_size(photo.width, photo.height, w)
                result.append(
                    Rendition(*size, webp=files["webp", w].url, jpeg=files["jpeg", w].url)
                )
            return result
    except Exception:  # noqa: BLE001 - a broken image must not take the page down
        logger.exception(
            "Could not make the renditions of photo %s (%s)", photo.pk, photo.image.name
        )
        return []
