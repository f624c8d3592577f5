"""The Jinja2 environment of the public site's templates (templates/jinja2/).

The public pages render through Django's Jinja2 backend (settings.TEMPLATES lists it first);
the admin, e-mails and everything else keep the Django template language. Jinja2 compiles a
template to Python once, where the Django language walks its nodes and resolves every
variable through the context stack on each render: a cold article page spent about half of
its render there (bench/README.md, "Is the Django template language the limit?").

The helpers are the site's own Python functions (articles/cards.py, articles/page_meta.py,
articles/renditions.py, articles/navigation.py), called as functions: `{{ article_card(a) }}`.
Translations go through Django's gettext (i18n extension, new style): `{% trans %}` blocks
and `_()`/`pgettext()`/`ngettext()` use the msgids the Django templates had, so the shipped
zh_Hans catalogue translates them unchanged.
"""

from __future__ import annotations

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone, translation
from jinja2 import ChainableUndefined, Environment, pass_context

from articles import cards, navigation, page_meta, structured_data
from articles.renditions import picture_html


def url(name: str, *args, **kwargs) -> str:
    """`{{ url("articles:detail", slug) }}`: reverse() with positional or keyword arguments."""
    return reverse(name, args=args or None, kwargs=kwargs or None)


def now(format_string: str) -> str:
    """`{{ now("Y") }}`: the current time in the site's time zone, as `{% now %}` formats it."""
    return cards.local_format(timezone.now(), format_string)


def yesno(value, choices: str) -> str:
    """Django's |yesno:"yes,no"."""
    yes, no = choices.split(",")[:2]
    return yes if value else no


def other_languages() -> list[tuple[str, str]]:
    """(code, name in that language) of each language but the current one: the switch's buttons."""
    current = translation.get_language() or settings.LANGUAGE_CODE
    return [
        (code, translation.get_language_info(code)["name_local"])
        for code, _name in settings.LANGUAGES
        if code != current
    ]


def environment(**options) -> Environment:
    # As in the Django language, a missing value, or an attribute of one, renders as nothing
    # (Django's backend would show "{{ name }}" under DEBUG, so the tests would differ).
    options["undefined"] = ChainableUndefined
    options.setdefault("extensions", []).append("jinja2.ext.i18n")
    env = Environment(**options)
    env.install_gettext_callables(
        translation.gettext,
        translation.ngettext,
        newstyle=True,
        pgettext=translation.pgettext,
        npgettext=translation.npgettext,
    )
    env.globals.update(
        url=url,
        static=static,
        now=now,
        other_languages=other_languages,
        # The page's parts (articles/navigation.py, articles/cards.py, articles/page_meta.py)
        include_static=navigation.include_static,
        site_navigation=navigation.site_navigation,
        article_card=cards.article_card,
        gallery_card=cards.gallery_card,
        event_item=cards.event_item,
        event_when=cards.event_when,
        search_result=cards.search_result,
        byline=cards.byline_html,
        headline_items=cards.headline_items,
        picture=picture_html,
        social_meta=page_meta.social_meta,
        describe=structured_data.describe,
        lead_image=page_meta.lead_image,
        json_ld=page_meta.json_ld,
        calendar_link=page_meta.calendar_link,
        organization_json_ld=page_meta.organization_json_ld,
        feed_links=pass_context(page_meta.feed_links),
        list_page_url=pass_context(page_meta.list_page_url),
        page_description=pass_context(page_meta.page_description),
        page_url=pass_context(page_meta.page_url),
    )
    env.filters.update(
        date=cards.local_format,
        isotime=cards.isotime,
        absolute=page_meta.absolute,
        was_updated=page_meta.was_updated,
        with_dateline=page_meta.with_dateline,
        yesno=yesno,
    )
    return env
