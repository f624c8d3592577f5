"""The masthead's navigation, shown on every public page.

Its addresses never change while the process runs, and the sections change rarely, so
neither is worked out per request: the sections are kept per shared fragment generation
(a section edit starts a new one, see newsroom/fragments.py), and each page only marks
the link it is on.
"""

from __future__ import annotations

from dataclasses import dataclass

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


def site_navigation(request, path: str) -> list[Link]:
    """The masthead's links for a page at `path`: the front page and the sections are
    current on their own address, events, galleries and the print edition anywhere below it."""
    generation = fragments.shared_generation(request)
    if generation is None:  # fragments off: ask the database every time
        links = _all_links()
    else:
        key = (get_script_prefix(), get_language(), generation)
        links = _LINKS.get(key)
        if links is None:
            if len(_LINKS) > 16:
                _LINKS.clear()  # older generations' links are never asked for again
            links = _LINKS[key] = _all_links()
    last_sections = len(links) - 3
    return [
        Link(
            link.url,
            link.name,
            path == link.url if index < last_sections else path.startswith(link.url),
        )
        for index, link in enumerate(links)
    ]
