"""Readable ASCII slugs: Chinese becomes pinyin, everything else is slugified.

A slug is never empty: a name made only of punctuation, emoji or spaces has no letters to
spell, and gets a short hash of itself instead (an empty slug cannot be linked to, so the
page showing it would fail).
"""

import hashlib

from django.utils.text import slugify

MAX_SLUG_LENGTH = 80


def pinyin_slug(text: str, max_length: int = MAX_SLUG_LENGTH) -> str:
    # Imported when first needed: its dictionaries take ~55 MiB, which a worker that only
    # serves readers never needs.
    from pypinyin import Style, lazy_pinyin

    # lazy_pinyin keeps non-Chinese runs as they are, so "CCD建设" → ["CCD", "jian", "she"].
    words = lazy_pinyin(text or "", style=Style.NORMAL, errors="default")
    slug = slugify(" ".join(words))
    if len(slug) > max_length:
        # Cut at a syllable boundary rather than mid-word.
        cut = slug[: max_length + 1]
        slug = cut[: cut.rfind("-")] if "-" in cut else cut[:max_length]
    return slug.strip("-")


def hashed_slug(text: str, prefix: str) -> str:
    """`prefix` and 8 hex digits of a hash of `text`: the same name gives the same slug."""
    digest = hashlib.blake2b((text or "").encode("utf-8", "surrogatepass"), digest_size=4)
    return f"{prefix}-{digest.hexdigest()}"


def unique_slug(queryset, text: str, current_pk=None, max_length: int = MAX_SLUG_LENGTH) -> str:
    """`pinyin_slug(text)` (or, with nothing to spell, a hashed one named after the model),
    made unique within `queryset` with -2, -3, … suffixes."""
    base = pinyin_slug(text, max_length - 6) or hashed_slug(text, queryset.model._meta.model_name)
    taken = set(
        queryset.exclude(pk=current_pk).filter(slug__startswith=base).values_list("slug", flat=True)
    )
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def tag_slug(tag) -> str:
    """A slug for a taggit Tag whose own slugify() found nothing to keep ("!!!", "🎉")."""
    from taggit.models import Tag

    return unique_slug(Tag.objects.all(), tag.name, tag.pk, max_length=100)


def give_tag_a_slug(sender, instance, **kwargs):
    """pre_save of taggit's Tag: never store an empty slug."""
    if not (instance.slug or "").strip("-_"):
        instance.slug = tag_slug(instance)
