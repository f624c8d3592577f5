"""The masthead's navigation, shown on every public page.

Its addresses never change while the process runs, and the sections change rarely, so
neither is worked out per request: the sections are kept per shared fragment generation
(a section edit starts a new one, see newsroom/fragments.py), and the list is rendered
once for each link a page can be on.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from newsroom import fragments


@dataclass(frozen=True)
class Link:
    url: str
    name: str
    current: bool = False


# (script prefix, language, shared generation) -> the links, none marked current.
_LINKS: dict[tuple, list[Link]] = {}
# ((script prefix, language, shared generation), the current link's index) -> the HTML.
_HTML: dict[tuple, str] = {}


def _all_links() -> list[Link]:
    from articles.models import Section

    return [
        Link(reverse("articles:home"), _("Front page")),
        *(
            Link(reverse("articles:section", args=[section.slug]), section.name)
            for section in Section.objects.only("name", "slug", "order")
        ),
        Link(reverse("articles:events"), _("Events")),
        Link(reverse("articles:galleries"), _("Galleries")),
        Link(reverse("articles:print_index"), _("Print edition")),
    ]


def site_navigation(request, path: str) -> str:
    """The masthead's links as HTML (includes/site_nav.html) for a page at `path`: the
    front page and the sections are current on their own address, events, galleries and
    the print edition anywhere below it."""
    generation = fragments.shared_generation(request)
    if generation is None or settings.DEBUG:  # fragments off: ask the database every time
        return _render(_all_links(), path)
    key = (get_script_prefix(), get_language(), generation)
    links = _LINKS.get(key)
    if links is None:
        if len(_LINKS) > 16:
            _LINKS.clear()  # older generations' links are never asked for again
            _HTML.clear()
        links = _LINKS[key] = _all_links()
    current = _current(links, path)
    html = _HTML.get((key, current))
    if html is None:
        html = _HTML[key, current] = _render(links, path)
    return html


def _current(links: list[Link], path: str) -> int | None:
    """The index of the link the page at `path` is on, if any."""
    last_sections = len(links) - 3
    for index, link in enumerate(links):
        if path == link.url if index < last_sections else path.startswith(link.url):
            return index
    return None


def _render(links: list[Link], path: str) -> str:
    current = _current(links, path)
    marked = [Link(link.url, link.name, index == current) for index, link in enumerate(links)]
    return render_to_string("includes/site_nav.html", {"links": marked})
