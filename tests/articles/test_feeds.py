"""RSS and Atom feeds: the site's, and each section's, person's and tag's."""

import datetime
from types import SimpleNamespace

import feedparser
import pytest
from django.utils import timezone

from people.bylines import byline_text
from people.models import Role
from tests.helpers import SITE_URL, make_article, make_due, make_person, make_section, publish

pytestmark = pytest.mark.usefixtures("site")  # tests/conftest.py


@pytest.fixture
def feed_paper(editor, reporter):
    """Three published stories in two sections, a draft, a future and a due scheduled story."""
    alice = reporter.person
    carol = make_person("吕杨子", kind="contributor", affiliation="中原区委宣传部")
    news, local = make_section("要闻"), make_section("区域")
    # The oldest of the public stories: due by the clock before the others went out (no job
    # has recorded it).
    due = make_article(headline="定时已到", section=local, bylines=[(carol, Role.CORRESPONDENT)])
    make_due(due, editor)
    first = publish(
        make_article(
            headline="第一篇",
            summary="第一篇的摘要。",
            section=news,
            bylines=[(alice, Role.REPORTER)],
        ),
        editor,
    )
    second = publish(
        make_article(
            headline="第二篇 <b>&</b>",
            section=local,
            bylines=[(alice, Role.REPORTER), (carol, Role.CORRESPONDENT)],
        ),
        editor,
    )
    second.tags.add("贾鲁河")
    third = publish(
        make_article(headline="第三篇", section=local, bylines=[(carol, Role.CORRESPONDENT)]),
        editor,
    )
    third.tags.add("贾鲁河", "调研")
    draft = make_article(headline="还是草稿", section=news, bylines=[(alice, Role.REPORTER)])
    draft.tags.add("贾鲁河")
    future = make_article(headline="明天见报", section=news, bylines=[(alice, Role.REPORTER)])
    future.schedule(at=timezone.now() + datetime.timedelta(hours=3), by=editor)
    return SimpleNamespace(
        alice=alice,
        carol=carol,
        news=news,
        local=local,
        first=first,
        second=second,
        third=third,
        due=due,
    )


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    return response, feed


def titles(feed):
    return [entry.title for entry in feed.entries]


@pytest.mark.parametrize("url, version", [("/feed/", "rss20"), ("/feed/atom/", "atom10")])
def test_site_feed_lists_public_stories_newest_first_without_drafts_or_future_ones(
    client, feed_paper, url, version
):
    response, feed = parse(client, url)
    assert feed.version == version
    assert titles(feed) == ["第三篇", "第二篇 <b>&</b>", "第一篇", "定时已到"]
    assert "application/" in response["Content-Type"]


def test_feed_entries_carry_absolute_links_bylines_dates_and_categories(client, feed_paper):
    _, feed = parse(client, "/feed/")
    assert feed.feed.link == f"{SITE_URL}/"
    assert feed.feed.language == "zh-cn"
    second = feed.entries[1]
    assert second.link == f"{SITE_URL}{feed_paper.second.get_absolute_url()}"
    assert second.author == byline_text(
        feed_paper.second.bylines.all()
    )  # 记者 张改华 通讯员 吕杨子
    assert "张改华" in second.author and "吕杨子" in second.author
    assert {tag.term for tag in second.tags} == {"区域", "贾鲁河"}
    published = datetime.datetime(*second.published_parsed[:6], tzinfo=datetime.UTC)
    assert published == feed_paper.second.published_at.replace(microsecond=0)
    assert feed.entries[2].summary == "第一篇的摘要。"


def test_atom_feed_links_to_itself_and_has_updated_dates(client, feed_paper):
    _, feed = parse(client, "/feed/atom/")
    assert {link.rel: link.href for link in feed.feed.links}["self"] == f"{SITE_URL}/feed/atom/"
    assert all(entry.updated_parsed for entry in feed.entries)


def test_entry_ids_survive_a_slug_change(client, feed_paper, editor):
    _, before = parse(client, "/feed/")
    feed_paper.first.slug = "di-yi-pian-xin"
    feed_paper.first.save()
    _, after = parse(client, "/feed/")
    assert [e.id for e in before.entries] == [e.id for e in after.entries]
    assert after.entries[2].link.endswith("/articles/di-yi-pian-xin/")


@pytest.mark.parametrize("atom", ["", "atom/"])
def test_section_feed_has_only_that_sections_stories(client, feed_paper, atom):
    _, feed = parse(client, f"/sections/{feed_paper.local.slug}/feed/{atom}")
    assert titles(feed) == ["第三篇", "第二篇 <b>&</b>", "定时已到"]
    assert feed.feed.title.startswith("区域")


@pytest.mark.parametrize("atom", ["", "atom/"])
def test_person_feed_has_only_their_stories(client, feed_paper, atom):
    _, feed = parse(client, f"/people/{feed_paper.alice.slug}/feed/{atom}")
    assert titles(feed) == ["第二篇 <b>&</b>", "第一篇"]


@pytest.mark.parametrize("atom", ["", "atom/"])
def test_tag_feed_has_only_tagged_public_stories(client, feed_paper, atom):
    tag = feed_paper.third.tags.get(name="贾鲁河")
    _, feed = parse(client, f"/tags/{tag.slug}/feed/{atom}")
    assert titles(feed) == ["第三篇", "第二篇 <b>&</b>"]


def test_feeds_of_unknown_sections_people_and_tags_are_404(client, db):
    for url in ("/sections/nope/feed/", "/people/nope/feed/atom/", "/tags/nope/feed/"):
        assert client.get(url).status_code == 404


def test_site_feed_queries_do_not_grow_with_the_number_of_stories(
    client, feed_paper, editor, django_assert_num_queries
):
    for n in range(5):
        article = make_article(
            headline=f"追加{n}",
            section=feed_paper.news,
            bylines=[(feed_paper.alice, Role.REPORTER), (feed_paper.carol, Role.CORRESPONDENT)],
        )
        article.tags.add("追加")
        publish(article, editor)
    # 1 the articles with their section and lead photo, 2 their bylines with people, 3 their tags.
    with django_assert_num_queries(3):
        response = client.get("/feed/")
    assert len(feedparser.parse(response.content).entries) == 9


def test_section_feed_costs_one_more_query_for_the_section(
    client, feed_paper, django_assert_num_queries
):
    # 1 the section, then articles, bylines, tags.
    with django_assert_num_queries(4):
        client.get(f"/sections/{feed_paper.local.slug}/feed/")


def test_list_pages_announce_their_own_and_the_sites_feeds(client, feed_paper):
    html = client.get(feed_paper.local.get_absolute_url()).content.decode()
    assert (
        f'<link rel="alternate" type="application/rss+xml" title="区域 (RSS)" href="{SITE_URL}/sections/{feed_paper.local.slug}/feed/">'
        in html
    )
    assert (
        f'type="application/atom+xml" title="区域 (Atom)" href="{SITE_URL}/sections/{feed_paper.local.slug}/feed/atom/"'
        in html
    )
    assert f'href="{SITE_URL}/feed/"' in html
    person_html = client.get(feed_paper.alice.get_absolute_url()).content.decode()
    assert f'href="{SITE_URL}/people/{feed_paper.alice.slug}/feed/"' in person_html
