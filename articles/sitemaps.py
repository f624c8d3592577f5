"""Sitemaps: an index at /sitemap.xml, one sitemap per kind of page, and a Google News
sitemap of the articles published in the last two days.

Items come from `published()`; URLs are absolute, made from SITE_URL.
"""

from __future__ import annotations

import datetime
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem, x_robots_tag
from django.contrib.sitemaps.views import sitemap as django_sitemap
from django.db.models import Max, Q
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Event, Gallery, Section
from articles.structured_data import CONTENT_LANGUAGE, absolute_url, iso, site_name
from newsroom.text import clean_text
from people.models import Person

NEWS_SITEMAP_DAYS = 2
NEWS_SITEMAP_LIMIT = 1000  # Google News reads at most this many URLs per sitemap


class SiteSitemap(Sitemap):
    """Absolute URLs from SITE_URL, whatever host the sitemap was asked for on."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None):
        parts = urlsplit(settings.SITE_URL)
        return parts.netloc + parts.path

    def lastmod(self, item):
        return item.updated_at

    def get_latest_lastmod(self):
        return self.items().aggregate(latest=Max("updated_at"))["latest"]


class ArticleSitemap(SiteSitemap):
    changefreq = "weekly"

    def items(self):
        # Rows, not instances: thousands of articles without loading their bodies.
        return Article.objects.published().values("slug", "updated_at").order_by("pk")

    def location(self, item):
        return reverse("articles:detail", kwargs={"slug": item["slug"]})

    def lastmod(self, item):
        return item["updated_at"]


class EventSitemap(SiteSitemap):
    def items(self):
        return Event.objects.published().only("slug", "updated_at").order_by("pk")


class GallerySitemap(SiteSitemap):
    def items(self):
        return Gallery.objects.published().only("slug", "updated_at").order_by("pk")


class SectionSitemap(SiteSitemap):
    changefreq = "hourly"

    def items(self):
        # A section changes when its newest article does.
        return Section.objects.annotate(
            updated_at=Max(
                "articles__updated_at", filter=Q(articles__in=Article.objects.published())
            )
        ).order_by("order", "pk")

    def lastmod(self, item):
        return item.updated_at

    def get_latest_lastmod(self):
        return None


class PersonSitemap(SiteSitemap):
    changefreq = "daily"

    def items(self):
        """The people with a public page (Person.objects.public())."""
        return Person.objects.public().only("slug").order_by("pk")

    def lastmod(self, item):
        return None

    def get_latest_lastmod(self):
        return None


SITEMAPS = {
    "articles": ArticleSitemap,
    "events": EventSitemap,
    "galleries": GallerySitemap,
    "sections": SectionSitemap,
    "people": PersonSitemap,
}


@x_robots_tag
def index(request):
    """The sitemap index: each sitemap (and each of its pages), and the news sitemap."""
    items = []
    for section, cls in SITEMAPS.items():
        sitemap = cls()
        url = absolute_url(reverse("articles:sitemap_section", kwargs={"section": section}))
        lastmod = sitemap.get_latest_lastmod()
        items.append(SitemapIndexItem(url, lastmod))
        items += [
            SitemapIndexItem(f"{url}?p={page}", lastmod)
            for page in range(2, sitemap.paginator.num_pages + 1)
        ]
    items.append(SitemapIndexItem(absolute_url(reverse("articles:sitemap_news")), None))
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": items}, content_type="application/xml"
    )


def section(request, section):
    return django_sitemap(request, SITEMAPS, section=section)


def news_articles(now=None):
    """Articles first published in the last two days, newest first."""
    now = now or timezone.now()
    # headline and slug must be loaded: Article.from_db reads them.
    return (
        Article.objects.published(now)
        .annotate(went_public_at=Coalesce("first_published_at", "publish_at"))
        .filter(went_public_at__gte=now - datetime.timedelta(days=NEWS_SITEMAP_DAYS))
        .only("slug", "headline", "first_published_at", "publish_at")
        .order_by("-went_public_at", "-pk")[:NEWS_SITEMAP_LIMIT]
    )


@x_robots_tag
def news(request):
    """The Google News sitemap (one query)."""
    # Cleaned here too: a headline stored before the forms cleaned text must not break the XML.
    name = escape(clean_text(site_name(), multiline=False))
    entries = [
        "<url>"
        f"<loc>{escape(absolute_url(article.get_absolute_url()))}</loc>"
        "<news:news><news:publication>"
        f"<news:name>{name}</news:name><news:language>{CONTENT_LANGUAGE}</news:language>"
        "</news:publication>"
        f"<news:publication_date>{iso(article.published_at)}</news:publication_date>"
        f"<news:title>{escape(clean_text(article.headline, multiline=False))}</news:title>"
        "</news:news></url>"
        for article in news_articles()
    ]
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n'
        + "\n".join(entries)
        + "\n</urlset>\n"
    )
    return HttpResponse(xml, content_type="application/xml; charset=utf-8")


def robots_txt(request):
    """robots.txt: keeps crawlers out of the admin and previews, and names the sitemaps."""
    return TemplateResponse(
        request,
        "robots.txt",
        {
            "sitemap_url": absolute_url(reverse("articles:sitemap")),
            "news_sitemap_url": absolute_url(reverse("articles:sitemap_news")),
        },
        content_type="text/plain; charset=utf-8",
    )
