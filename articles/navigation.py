"""The parts of every public page around its content: the masthead's navigation, and the
date, language buttons and footer (`include_static`).

The sections are asked for on every request (one small query: a renamed section shows at
once, with nothing to invalidate), and the HTML is rendered once for each list of sections,
language and current link, then reused.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from newsroom.context_processors import site_name
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


def site_navigation(path: str) -> SafeString:
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
        html = _HTML[key, current] = mark_safe(
            render_to_string("includes/site_nav.html", {"links": marked})
        )
    return html


# (template, language, day, script prefix) -> its HTML
_STATIC_PARTS: dict[tuple, SafeString] = {}


def include_static(template_name: str) -> SafeString:
    """`{{ include_static("includes/site_footer.html") }}`: a part of every page that depends
    on nothing but the language and the day, rendered once a day per language and process
    (every time under DEBUG, where templates are being edited)."""
    key = (template_name, get_language(), timezone.localdate(), get_script_prefix())
    html = None if settings.DEBUG else _STATIC_PARTS.get(key)
    if html is None:
        if len(_STATIC_PARTS) > 64:
            _STATIC_PARTS.clear()  # yesterday's parts
        html = _STATIC_PARTS[key] = mark_safe(
            render_to_string(template_name, {"SITE_NAME": site_name()})
        )
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
