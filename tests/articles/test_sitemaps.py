"""sitemap.xml, the Google News sitemap and robots.txt."""

import datetime
import xml.etree.ElementTree as ET
from types import SimpleNamespace

import pytest
from django.utils import timezone

from articles.models import Article
from people.models import Role
from tests.helpers import (
    SITE_URL,
    make_article,
    make_event,
    make_gallery,
    make_person,
    make_section,
    publish,
)

NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


pytestmark = pytest.mark.usefixtures("site")  # tests/conftest.py


@pytest.fixture
def sitemap_paper(editor, reporter):
    alice = reporter.person
    carol = make_person("吕杨子", kind="contributor")
    nobody = make_person("只写草稿的人")
    photographer = make_person("张亮")
    local = make_section("区域")
    today = publish(
        make_article(headline="今天的新闻 & 更多", section=local, bylines=[(alice, Role.REPORTER)]),
        editor,
    )
    old = publish(
        make_article(headline="三天前的新闻", bylines=[(carol, Role.CORRESPONDENT)]), editor
    )
    # An older story: first published three days ago (republishing keeps that date).
    Article.objects.filter(pk=old.pk).update(
        first_published_at=timezone.now() - datetime.timedelta(days=3)
    )
    draft = make_article(headline="草稿", bylines=[(nobody, Role.REPORTER)])
    event = publish(make_event(title="摄影展"), editor)
    hidden_event = make_event(title="未发布的活动")
    gallery = make_gallery(title="图集", section=local)
    gallery.bylines.create(person=photographer, role=Role.PHOTOGRAPHER)
    publish(gallery, editor)
    return SimpleNamespace(
        alice=alice,
        carol=carol,
        nobody=nobody,
        photographer=photographer,
        local=local,
        today=today,
        old=old,
        draft=draft,
        event=event,
        hidden_event=hidden_event,
        gallery=gallery,
    )


def locations(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    return [loc.text for loc in root.iterfind(".//sm:loc", NS)]


def test_sitemap_index_names_each_sitemap_with_absolute_urls(client, sitemap_paper):
    assert locations(client, "/sitemap.xml") == [
        f"{SITE_URL}/sitemap-{name}.xml"
        for name in ("articles", "events", "galleries", "sections", "people", "news")
    ]


def test_content_sitemaps_list_only_public_pages(client, sitemap_paper):
    assert locations(client, "/sitemap-articles.xml") == [
        SITE_URL + sitemap_paper.today.get_absolute_url(),
        SITE_URL + sitemap_paper.old.get_absolute_url(),
    ]
    assert locations(client, "/sitemap-events.xml") == [
        SITE_URL + sitemap_paper.event.get_absolute_url()
    ]
    assert locations(client, "/sitemap-galleries.xml") == [
        SITE_URL + sitemap_paper.gallery.get_absolute_url()
    ]
    assert SITE_URL + sitemap_paper.local.get_absolute_url() in locations(
        client, "/sitemap-sections.xml"
    )


def test_people_sitemap_lists_only_people_with_published_work(client, sitemap_paper):
    assert set(locations(client, "/sitemap-people.xml")) == {
        SITE_URL + person.get_absolute_url()
        for person in (sitemap_paper.alice, sitemap_paper.carol, sitemap_paper.photographer)
    }


def test_article_sitemap_gives_last_modification_times(client, sitemap_paper):
    root = ET.fromstring(client.get("/sitemap-articles.xml").content)
    lastmods = [el.text for el in root.iterfind(".//sm:lastmod", NS)]
    assert lastmods[0].startswith(
        timezone.localtime(sitemap_paper.today.updated_at).date().isoformat()
    )


def test_article_sitemap_costs_one_query_however_many_articles(
    client, sitemap_paper, editor, django_assert_num_queries
):
    for n in range(5):
        publish(make_article(headline=f"追加{n}"), editor)
    # The rows (slug, updated_at) of public articles; paging counts them first.
    with django_assert_num_queries(2):
        assert len(locations(client, "/sitemap-articles.xml")) == 7


def test_news_sitemap_has_stories_of_the_last_two_days_with_publication_details(
    client, sitemap_paper
):
    response = client.get("/sitemap-news.xml")
    root = ET.fromstring(response.content)
    urls = root.findall("sm:url", NS)
    assert [u.findtext("sm:loc", namespaces=NS) for u in urls] == [
        SITE_URL + sitemap_paper.today.get_absolute_url()
    ]
    news = urls[0].find("news:news", NS)
    assert news.findtext("news:publication/news:name", namespaces=NS) == "中原日报"
    assert news.findtext("news:publication/news:language", namespaces=NS) == "zh-cn"
    assert news.findtext("news:title", namespaces=NS) == "今天的新闻 & 更多"
    published = datetime.datetime.fromisoformat(
        news.findtext("news:publication_date", namespaces=NS)
    )
    assert published == sitemap_paper.today.first_published_at.replace(microsecond=0)


def test_news_sitemap_leaves_out_drafts_and_scheduled_stories(client, sitemap_paper, editor):
    sitemap_paper.draft.schedule(at=timezone.now() + datetime.timedelta(hours=1), by=editor)
    assert "草稿" not in client.get("/sitemap-news.xml").content.decode()


def test_robots_txt_points_to_the_sitemaps_and_keeps_crawlers_out_of_the_admin(client, db):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert f"Sitemap: {SITE_URL}/sitemap.xml" in lines
    assert f"Sitemap: {SITE_URL}/sitemap-news.xml" in lines
    assert "Disallow: /admin/" in lines
    assert "Disallow: /preview/" in lines
