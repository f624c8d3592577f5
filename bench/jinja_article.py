"""Experiment (issue 11): is the Django template language the limit of a cold article page?

    .venv/bin/python bench/jinja_article.py

The article page ported to Jinja2 (bench/jinja2/: base.html and article_detail.html, the
same markup and the same Python helpers: cards, pictures, structured data, navigation),
rendered through Django's Jinja2 backend with the same context processors, beside the site's
own DTL templates, for the same article fetched once with for_detail() (no query in either
render: "more from the section" is fetched before). Against site.py's database, CPU time of
this process (time.process_time), median of --runs. Not used by the site.
"""

from __future__ import annotations

import argparse
import difflib
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.inprocess import setup  # noqa: E402
from bench.site import DEFAULT_DSN  # noqa: E402

CONTEXT_PROCESSORS = [
    "django.template.context_processors.request",
    "django.contrib.auth.context_processors.auth",
    "django.contrib.messages.context_processors.messages",
    "django.template.context_processors.i18n",
    "newsroom.context_processors.site",
]


def environment(**options):
    """The Jinja2 environment of the port: the site's template helpers as globals/filters."""
    from django.templatetags.static import static
    from django.urls import reverse
    from django.utils.translation import gettext
    from jinja2 import Environment

    from articles import cards, navigation
    from articles.templatetags import dates, masthead, pictures, site_meta, story_text

    env = Environment(**options)
    env.globals.update(
        static=static,
        url=lambda name, *args: reverse(name, args=args),
        _=gettext,
        include_static=masthead.include_static,
        site_navigation=navigation.site_navigation,
        describe=site_meta.describe,
        lead_image=site_meta.lead_image,
        social_meta=site_meta.social_meta,
        absolute=site_meta.absolute,
        json_ld=site_meta.json_ld,
        feed_links=lambda: site_meta.feed_links({}),
        byline=cards.byline_html,
        picture=pictures.picture,
        event_item=cards.event_item,
        gallery_card=cards.gallery_card,
        headline_items=cards.headline_items,
    )
    env.filters.update(
        date=cards.local_format,
        isotime=dates.isotime,
        was_updated=dates.was_updated,
        with_dateline=story_text.with_dateline,
    )
    return env


def cpu_ms(render, runs: int) -> float:
    for _ in range(3):
        render()
    times = []
    for _ in range(runs):
        start = time.process_time()
        render()
        times.append((time.process_time() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dsn", default=DEFAULT_DSN)
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    setup(args.dsn)
    from django.contrib.auth.models import AnonymousUser
    from django.template import engines
    from django.template.backends.jinja2 import Jinja2
    from django.template.loader import get_template
    from django.test import RequestFactory
    from django.utils import translation

    from articles.models import Article
    from bench.site import pages

    url = pages("")["article"]
    slug = url.strip("/").rsplit("/", 1)[-1]
    translation.activate("zh-hans")
    request = RequestFactory().get(url)
    request.user = AnonymousUser()
    request.LANGUAGE_CODE = "zh-hans"
    article = Article.objects.published().for_detail().filter(slug=slug).first()
    more = article.more_from_section()
    article.more_from_section = lambda: more
    jinja = Jinja2(
        {
            "NAME": "jinja2",
            "DIRS": [str(ROOT / "bench" / "jinja2")],
            "APP_DIRS": False,
            "OPTIONS": {
                "environment": "bench.jinja_article.environment",
                "context_processors": CONTEXT_PROCESSORS,
            },
        }
    )
    dtl = get_template("articles/article_detail.html")
    ported = jinja.get_template("article_detail.html")
    assert engines["django"]

    def dtl_render():
        return dtl.render({"article": article}, request)

    def jinja_render():
        return ported.render({"article": article}, request)

    def words(html):
        return re.sub(r"\s+", " ", html).replace("> <", "><").strip()

    same = words(dtl_render()) == words(jinja_render())
    if not same:
        diff = difflib.unified_diff(
            words(dtl_render()).split("><"), words(jinja_render()).split("><"), lineterm="", n=0
        )
        print("\n".join(list(diff)[:20]))
    dtl_ms = cpu_ms(dtl_render, args.runs)
    jinja_ms = cpu_ms(jinja_render, args.runs)
    print(
        f"article render, no query: DTL {dtl_ms:.2f} ms, Jinja2 {jinja_ms:.2f} ms CPU "
        f"(Jinja2 saves {dtl_ms - jinja_ms:.2f} ms, {1 - jinja_ms / dtl_ms:.0%}); "
        f"same HTML but for whitespace: {same}"
    )


if __name__ == "__main__":
    main()
