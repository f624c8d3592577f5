"""`reverse()` for the addresses public lists print by the dozen (`/articles/<slug>/`).

Django's reverse() costs tens of microseconds a call (candidate patterns, converters,
quoting); a list page asks for a hundred addresses. An address made of one slug is the same
every time but for the slug: it is worked out once per URL name and script prefix, and the
slug put in its place.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

_MARK = "slug-placeholder-0"
_SLUG = re.compile(r"[-a-zA-Z0-9_]+")  # what the <slug:> converter matches
_SPLIT: dict[tuple, tuple[str, str]] = {}


def slug_url(name: str, slug: str) -> str:
    """`reverse(name, kwargs={"slug": slug})`, for a URL whose only argument is a <slug:>."""
    if not _SLUG.fullmatch(slug or ""):
        return reverse(name, kwargs={"slug": slug})  # NoReverseMatch, as before
    key = (name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    parts = _SPLIT.get(key)
    if parts is None:
        before, _, after = reverse(name, kwargs={"slug": _MARK}).partition(_MARK)
        parts = _SPLIT[key] = (before, after)
    return f"{parts[0]}{slug}{parts[1]}"  # such a slug needs no quoting
