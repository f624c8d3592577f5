"""The masthead's navigation, shown on every public page.

The sections are asked for on every request (one small query: a renamed section shows at
once, with nothing to invalidate), and the HTML is rendered once for each list of sections,
language and current link, then reused.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from newsroom.prepared import prepared


@dataclass(frozen=True)
class Link:
    url: str
    name: str
    current: bool = False


# (script prefix, language, the sections, the current link's index) -> the HTML.
_HTML: dict[tuple, str] = {}
_HTML_LIMIT = 256


def _links(sections) -> list[Link]:
    return [
        Link(reverse("articles:home"), _("Front page")),
        *(Link(reverse("articles:section", args=[slug]), name) for slug, name in sections),
        Link(reverse("articles:events"), _("Events")),
        Link(reverse("articles:galleries"), _("Galleries")),
        Link(reverse("articles:print_index"), _("Print edition")),
    ]


def site_navigation(path: str) -> str:
    """The masthead's links as HTML (includes/site_nav.html) for a page at `path`: the
    front page and the sections are current on their own address, events, galleries and
    the print edition anywhere below it."""
    sections = tuple(_sections.rows())
    links = None
    current = None
    key = (get_script_prefix(), get_language(), sections)
    prefixes = _PREFIXES.get(key)
    if prefixes is None:
        links = _links(sections)
        prefixes = [link.url for link in links]
        if len(_PREFIXES) > _HTML_LIMIT:
            _PREFIXES.clear()
        _PREFIXES[key] = prefixes
    current = _current(prefixes, path)
    html = None if settings.DEBUG else _HTML.get((key, current))
    if html is None:
        links = links or _links(sections)
        marked = [Link(link.url, link.name, index == current) for index, link in enumerate(links)]
        if len(_HTML) > _HTML_LIMIT:
            _HTML.clear()  # old lists of sections are never asked for again
        html = _HTML[key, current] = render_to_string("includes/site_nav.html", {"links": marked})
    return html


# (script prefix, language, the sections) -> the links' addresses.
_PREFIXES: dict[tuple, list[str]] = {}


def _current(urls: list[str], path: str) -> int | None:
    """The index of the link the page at `path` is on, if any."""
    last_sections = len(urls) - 3
    for index, url in enumerate(urls):
        if path == url if index < last_sections else path.startswith(url):
            return index
    return None


@prepared
def _sections():
    from articles.models import Section

    return Section.objects.order_by("order", "name").values_list("slug", "name")
