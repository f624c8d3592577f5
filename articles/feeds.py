"""RSS 2.0 and Atom feeds: the whole site, and each section, person and tag.

Every feed lists `Article.objects.published()` (the one definition of public), newest
first, in a fixed number of queries whatever its length. Links are absolute, made from
SITE_URL rather than from the request's host.
"""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext as _

from articles.models import Article, Section
from articles.structured_data import (
    CONTENT_LANGUAGE,
    absolute_url,
    describe,
    site_host,
    site_name,
)
from newsroom.text import clean_data
from people.bylines import byline_text
from people.models import Person

FEED_LENGTH = 30


def _xml_safe(values: dict) -> dict:
    # Only a description may keep its lines; titles, names and categories are one line.
    return {
        key: clean_data(value, multiline=key in ("description", "content"))
        for key, value in values.items()
    }


class XMLSafeFeedMixin:
    """Every text of the feed and its items cleaned of what XML 1.0 cannot hold: text stored
    before the forms cleaned it (or written by something else) must not make the feed a 500.
    Django's Feed passes everything by keyword."""

    def __init__(self, **kwargs):
        super().__init__(**_xml_safe(kwargs))

    def add_item(self, **kwargs):
        super().add_item(**_xml_safe(kwargs))


class XMLSafeRssFeed(XMLSafeFeedMixin, Rss201rev2Feed):
    pass


class XMLSafeAtomFeed(XMLSafeFeedMixin, Atom1Feed):
    pass


class ArticleFeed(Feed):
    """The site's latest articles, in RSS 2.0. Subclasses narrow `articles()`."""

    feed_type = XMLSafeRssFeed
    language = CONTENT_LANGUAGE
    url_name = "feed"
    url_suffix = ""

    def articles(self, obj):
        return Article.objects.published()

    def items(self, obj):
        # Three queries: the articles with section and lead photo, their bylines, their tags.
        return self.articles(obj).for_feed().latest_first()[:FEED_LENGTH]

    def title(self, obj):
        return site_name()

    def description(self, obj):
        return _("The latest stories from %(site)s.") % {"site": site_name()}

    subtitle = description

    def link(self, obj):
        return absolute_url(reverse("articles:home"))

    def feed_url(self, obj):
        kwargs = {"slug": obj.slug} if obj is not None else {}
        return absolute_url(reverse(f"articles:{self.url_name}{self.url_suffix}", kwargs=kwargs))

    def item_title(self, item):
        return item.headline

    def item_description(self, item):
        return describe(item)

    def item_link(self, item):
        return absolute_url(item.get_absolute_url())

    def item_guid(self, item):
        # A tag URI on the article's id: stays the same if an editor changes the slug.
        published = item.published_at
        date = published.date().isoformat() if published else "2000-01-01"
        return f"tag:{site_host()},{date}:article:{item.pk}"

    item_guid_is_permalink = False

    def item_author_name(self, item):
        return byline_text(item.bylines.all()) or None

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.modified_at

    def item_categories(self, item):
        section = [item.section.name] if item.section_id else []
        return section + [tag.name for tag in item.tags.all()]

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex"
        return response


class AtomMixin:
    feed_type = XMLSafeAtomFeed
    url_suffix = "_atom"


class SectionFeed(ArticleFeed):
    url_name = "section_feed"

    def get_object(self, request, slug):
        return get_object_or_404(Section, slug=slug)

    def articles(self, obj):
        return Article.objects.published().in_section(obj)

    def title(self, obj):
        return f"{obj.name} · {site_name()}"

    def description(self, obj):
        return obj.description or _("The latest stories in %(section)s.") % {"section": obj.name}

    subtitle = description

    def link(self, obj):
        return absolute_url(obj.get_absolute_url())


class PersonFeed(ArticleFeed):
    url_name = "person_feed"

    def get_object(self, request, slug):
        # Only a person the public may know of: the same rule as their page.
        return get_object_or_404(Person.objects.public(), slug=slug)

    def articles(self, obj):
        return Article.objects.published().by_person(obj)

    def title(self, obj):
        return f"{obj.display_name} · {site_name()}"

    def description(self, obj):
        return _("Stories by %(person)s.") % {"person": obj.display_name}

    subtitle = description

    def link(self, obj):
        return absolute_url(obj.get_absolute_url())


class TagFeed(ArticleFeed):
    url_name = "tag_feed"

    def get_object(self, request, slug):
        # Only a tag on published work: the same rule as the tag page.
        return get_object_or_404(Article.objects.published().tags(), slug=slug)

    def articles(self, obj):
        return Article.objects.published().filter(tags=obj)

    def title(self, obj):
        return f"{obj.name} · {site_name()}"

    def description(self, obj):
        return _("Stories tagged “%(tag)s”.") % {"tag": obj.name}

    subtitle = description

    def link(self, obj):
        return absolute_url(tag_page_url(obj))


def tag_page_url(tag) -> str:
    """The tag's page if the site has tag pages, else the front page."""
    try:
        return reverse("articles:tag", kwargs={"slug": tag.slug})
    except NoReverseMatch:
        return reverse("articles:home")


class ArticleAtomFeed(AtomMixin, ArticleFeed):
    pass


class SectionAtomFeed(AtomMixin, SectionFeed):
    pass


class PersonAtomFeed(AtomMixin, PersonFeed):
    pass


class TagAtomFeed(AtomMixin, TagFeed):
    pass


def feed_links(section=None, person=None, tag=None) -> list[tuple[str, str, str]]:
    """(MIME type, title, absolute URL) of the feeds a page announces: its own, then the site's."""
    links = []
    for obj, name, label in (
        (section, "section", section and section.name),
        (person, "person", person and person.display_name),
        (tag, "tag", tag and tag.name),
    ):
        if obj is not None:
            kwargs = {"slug": obj.slug}
            links += [
                (
                    "application/rss+xml",
                    f"{label} (RSS)",
                    absolute_url(reverse(f"articles:{name}_feed", kwargs=kwargs)),
                ),
                (
                    "application/atom+xml",
                    f"{label} (Atom)",
                    absolute_url(reverse(f"articles:{name}_feed_atom", kwargs=kwargs)),
                ),
            ]
    return links + [
        ("application/rss+xml", f"{site_name()} (RSS)", absolute_url(reverse("articles:feed"))),
        (
            "application/atom+xml",
            f"{site_name()} (Atom)",
            absolute_url(reverse("articles:feed_atom")),
        ),
    ]
