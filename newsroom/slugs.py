"""Readable ASCII slugs: Chinese becomes pinyin, everything else is slugified."""

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


def unique_slug(queryset, text: str, current_pk=None, max_length: int = MAX_SLUG_LENGTH) -> str:
    """`pinyin_slug(text)`, made unique within `queryset` with -2, -3, … suffixes."""
    base = pinyin_slug(text, max_length - 6) or "item"
    taken = set(
        queryset.exclude(pk=current_pk).filter(slug__startswith=base).values_list("slug", flat=True)
    )
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate
