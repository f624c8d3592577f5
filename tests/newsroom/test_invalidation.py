"""Nothing a reader is served is stale: every public change reaches the cached pages at once.

The page cache is on here (newsroom/caching.py; tests/settings.py turns it off elsewhere),
so a second request is answered from it; what these tests check is that every change a
reader can see (articles/signals.py) empties it, on a cache per worker and on Redis. They
were the fragment cache's tests, which the page cache replaced: each of their cases is kept.
"""

import datetime
from unittest import mock

import pytest
from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from newsroom import caching
from people.models import Role
from tests.helpers import (
    article_form_data,
    make_article,
    make_event,
    make_gallery,
    make_person,
    make_photo,
    make_section,
    publish,
    redis_reachable,
)


@pytest.fixture(autouse=True)
def _page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 300


@pytest.fixture
def story(editor, committed):
    with committed():
        article = make_article(
            headline="中原区召开推进会",
            section=make_section("区域"),
            bylines=[(make_person("张改华"), Role.REPORTER)],
            lead_photo=make_photo(caption="会议现场"),
        )
        article.tags.add("营商环境")
        return publish(article, editor)


def page(client, article) -> str:
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_the_second_view_is_served_from_the_page_cache(client, story, django_assert_num_queries):
    first = page(client, story)
    with django_assert_num_queries(0):
        assert page(client, story) == first


def test_an_edit_in_the_admin_shows_at_once(client, story, editor, committed):
    page(client, story)
    client.force_login(editor)
    with committed():
        response = client.post(
            f"/admin/articles/article/{story.pk}/change/",
            article_form_data(story, headline="中原区召开推进会（更新）"),
        )
    assert response.status_code == 302
    client.logout()
    assert "中原区召开推进会（更新）" in page(client, story)


def test_what_the_story_shows_from_elsewhere_shows_at_once(client, story, committed):
    page(client, story)
    with committed():
        person = story.bylines.get().person
        person.display_name = "张改华（实习）"
        person.save()
        story.lead_photo.caption = "推进会现场"
        story.lead_photo.save()
        Tag.objects.filter(name="营商环境").update(name="营商")  # no signal: covered below
        tag = Tag.objects.get(name="营商")
        tag.name = "优化营商环境"
        tag.save()
        story.section.name = "区域新闻"
        story.section.save()
    html = page(client, story)
    for shown in ("张改华（实习）", "推进会现场", "优化营商环境", "区域新闻"):
        assert shown in html, shown


def test_a_correction_and_a_new_tag_show_at_once(client, story, editor, committed):
    page(client, story)
    with committed():
        story.correct(by=editor, text="更正：会议时间为9月1日下午。")
    assert "更正：会议时间为9月1日下午。" in page(client, story)
    with committed():
        story.tags.add("核心片区")
    assert "核心片区" in page(client, story)


def test_a_covered_event_that_is_retracted_leaves_the_story(client, story, editor, committed):
    with committed():
        event = publish(make_event(by=editor, title="摄影作品展"), editor)
        story.events.add(event)
    assert "摄影作品展" in page(client, story)
    with committed():
        event.unpublish(by=editor, reason="活动取消")
    assert "摄影作品展" not in page(client, story)


def test_a_covered_event_scheduled_for_later_appears_on_time(client, story, editor, committed):
    """Nothing is saved when a scheduled event becomes public: the page, stored
    before, must not outlive the event's publish_at."""
    at = timezone.now() + datetime.timedelta(minutes=30)
    with committed():
        event = make_event(by=editor, title="摄影作品展")
        event.schedule(at=at, by=editor)
        story.events.add(event)
    assert "摄影作品展" not in page(client, story)
    later = at + datetime.timedelta(seconds=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert "摄影作品展" in page(client, story)


def test_each_language_has_its_own_pages(client, story):
    chinese = page(client, story)
    english = client.get(story.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Published <time" not in chinese
    assert "Published <time" in english


def test_the_release_is_part_of_the_key(client, story, settings):
    """A deploy (NEWSROOM_RELEASE) never meets the pages its predecessor rendered."""
    settings.RELEASE = "2026.12.1"
    response = client.get(story.get_absolute_url())
    assert client.get(story.get_absolute_url())["X-Page-Cache"] == "hit"
    settings.RELEASE = "2026.12.2"
    assert client.get(story.get_absolute_url())["X-Page-Cache"] == "miss"
    assert response.status_code == 200


def test_a_cache_outage_renders_the_whole_page(client, story):
    page(client, story)
    backend = type(caches["default"])
    with (
        mock.patch.object(backend, "get", side_effect=ConnectionError("down")),
        mock.patch.object(backend, "get_many", side_effect=ConnectionError("down")),
        mock.patch.object(backend, "set", side_effect=ConnectionError("down")),
    ):
        html = page(client, story)
    for shown in ("中原区召开推进会", "张改华", "会议现场", "营商环境", "本报讯"):
        assert shown in html, shown


def test_with_the_page_cache_off_every_view_renders_afresh(
    client, story, settings, django_assert_num_queries
):
    settings.PAGE_CACHE_SECONDS = 0
    page(client, story)
    # Every time: the article with its section and photo (and whether it has tags, events,
    # galleries, corrections: only tags here); bylines; tags; more from the section; the menu.
    with django_assert_num_queries(5):
        page(client, story)


def test_a_gallery_page_shows_new_captions_and_only_public_events(client, editor, committed):
    with committed():
        gallery = make_gallery(by=editor, title="摄影展掠影")
        photo = make_photo(gallery, caption="开幕式")
        public = publish(make_event(by=editor, title="摄影作品展"), editor)
        draft = make_event(by=editor, title="尚未公开的活动")
        gallery.events.add(public, draft)
        publish(gallery, editor)
    html = client.get(gallery.get_absolute_url()).content.decode()
    assert "开幕式" in html and "摄影作品展" in html
    assert "尚未公开的活动" not in html  # its page is a 404: no link to it
    with committed():
        photo.caption = "开幕式现场"
        photo.save()
    assert "开幕式现场" in client.get(gallery.get_absolute_url()).content.decode()


# --- more from the section: kept per section ---------------------------------
@pytest.fixture(params=["locmem", "redis"])
def shared_cache(request, settings):
    """Each test twice: with a cache per worker (the generation is a stamp file all workers
    read) and on Redis (the generation is a key beside the pages)."""
    if request.param == "redis":
        if not redis_reachable():
            pytest.skip("no Redis at 127.0.0.1:6379")
        import uuid

        prefix = f"newsroom-invalidation-tests-{uuid.uuid4().hex}"
        settings.CACHES = {
            "default": {
                "BACKEND": "newsroom.caching.RedisCache",
                "LOCATION": "redis://127.0.0.1:6379/14",
                "KEY_PREFIX": prefix,
            }
        }
        yield request.param
        client = caches["default"]._cache.get_client(write=True)
        for key in client.scan_iter(f":1:{prefix}*"):
            client.delete(key)
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)
    else:
        yield request.param


@pytest.fixture
def neighbours(editor, committed):
    section = make_section("区域", slug="quyu")
    with committed():
        first = publish(make_article(headline="贾鲁河综合治理工程调研", section=section), editor)
        second = publish(make_article(headline="区政协召开专题协商会", section=section), editor)
    return first, second


def test_a_new_story_in_the_section_joins_the_list_at_once(
    client, shared_cache, neighbours, editor, committed
):
    first, second = neighbours
    assert "区政协召开专题协商会" in page(client, first)
    with committed():
        publish(make_article(headline="核心片区建设推进会", section=first.section), editor)
    assert "核心片区建设推进会" in page(client, first)


def test_a_story_that_moves_or_is_retracted_leaves_the_list(
    client, shared_cache, neighbours, editor, committed
):
    first, second = neighbours
    with committed():
        elsewhere = make_section("民生", slug="minsheng")
    assert "区政协召开专题协商会" in page(client, first)
    with committed():
        second.section = elsewhere
        second.save()
    assert "区政协召开专题协商会" not in page(client, first)
    with committed():
        second.section = first.section
        second.save()
    assert "区政协召开专题协商会" in page(client, first)
    with committed():
        second.unpublish(by=editor, reason="事实有误")
    assert "区政协召开专题协商会" not in page(client, first)


def test_a_publish_elsewhere_purges_other_pages_from_the_proxy(
    neighbours, editor, committed, purges
):
    """The page cache starts over on any publish; the HTTP cache in front drops only the
    pages that show what changed (a purge by surrogate key, see test_http_cache.py)."""
    first, _ = neighbours
    with committed():
        elsewhere = make_section("民生", slug="minsheng")
    purges.clear()
    with committed():
        other = publish(make_article(headline="别的栏目", section=elsewhere), editor)
    purged = set().union(*purges)
    assert {f"article-{other.pk}", f"section-{elsewhere.pk}", "articles"} <= purged
    assert f"article-{first.pk}" not in purged
    assert f"section-{first.section_id}" not in purged
    assert caching.SITE_KEY not in purged


# --- the front page: new until a story, the editor's choice or the clock changes it ---
def home(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_front_page_follows_publishing_and_the_editors_choice(
    client, shared_cache, neighbours, editor, committed
):
    from articles.models import FrontPageSlot

    first, second = neighbours
    assert "区政协召开专题协商会" in home(client)
    with committed():
        new = publish(make_article(headline="核心片区建设推进会", section=first.section), editor)
    assert "核心片区建设推进会" in home(client)
    with committed():
        FrontPageSlot.objects.create(article=second, order=1)
    assert 'class="card card-lead' in home(client).split("区政协召开专题协商会")[0]
    with committed():
        new.unpublish(by=editor, reason="事实有误")
        second.headline = "区政协召开核心片区专题协商会"
        second.save()
    html = home(client)
    assert "核心片区建设推进会" not in html
    assert "区政协召开核心片区专题协商会" in html


def test_an_event_leaves_coming_up_when_it_is_over(client, shared_cache, editor, committed):
    ends = timezone.now() + datetime.timedelta(hours=2)
    with committed():
        publish(
            make_event(
                by=editor,
                title="摄影作品展",
                starts_at=timezone.now() + datetime.timedelta(hours=1),
                ends_at=ends,
            ),
            editor,
        )
    assert "摄影作品展" in home(client)
    with mock.patch("django.utils.timezone.now", return_value=ends + datetime.timedelta(seconds=1)):
        assert "摄影作品展" not in home(client)


def test_a_new_gallery_reaches_the_front_page(client, shared_cache, neighbours, editor, committed):
    home(client)
    with committed():
        gallery = make_gallery(by=editor, title="摄影展掠影")
        make_photo(gallery, caption="开幕式")
        publish(gallery, editor)
    assert "摄影展掠影" in home(client)


def test_an_event_and_a_gallery_list_the_stories_covering_them_as_they_change(
    client, shared_cache, editor, committed
):
    with committed():
        event = publish(make_event(by=editor, title="摄影作品展"), editor)
        gallery = make_gallery(by=editor, title="摄影展掠影")
        make_photo(gallery)
        publish(gallery, editor)
    client.get(event.get_absolute_url()), client.get(gallery.get_absolute_url())
    with committed():
        story = make_article(headline="“生态中原”摄影作品展开展", section=make_section())
        story.events.add(event)
        story.galleries.add(gallery)
        publish(story, editor)
    for url in (event.get_absolute_url(), gallery.get_absolute_url()):
        assert "“生态中原”摄影作品展开展" in client.get(url).content.decode(), url
    with committed():
        story.unpublish(by=editor, reason="事实有误")
    for url in (event.get_absolute_url(), gallery.get_absolute_url()):
        assert "“生态中原”摄影作品展开展" not in client.get(url).content.decode(), url


def test_a_preview_never_lends_its_page_to_readers(client, story, editor, committed):
    """An editor's preview shows what is not public (here, an event still in draft)."""
    with committed():
        story.events.add(make_event(by=editor, title="尚未公开的活动"))
    client.force_login(editor)
    preview = client.get(reverse("admin:articles_article_preview", args=[story.pk]))
    assert "尚未公开的活动" in preview.content.decode()
    client.logout()
    assert "尚未公开的活动" not in page(client, story)


# --- list pages: kept page by page -------------------------------------------------
def test_section_tag_and_person_pages_follow_their_stories(
    client, shared_cache, neighbours, editor, committed
):
    first, second = neighbours
    reporter = make_person("张改华")
    with committed():
        story = make_article(
            headline="核心片区建设推进会",
            section=first.section,
            bylines=[(reporter, Role.REPORTER)],
        )
        story.tags.add("核心片区")
        publish(story, editor)
    tag_page = reverse("articles:tag", args=[story.tags.get().slug])
    pages = [first.section.get_absolute_url(), tag_page, reporter.get_absolute_url()]
    for url in pages:
        assert "核心片区建设推进会" in client.get(url).content.decode(), url
    with committed():
        later = make_article(
            headline="贾鲁河治理新进展", section=first.section, bylines=[(reporter, Role.REPORTER)]
        )
        later.tags.add("核心片区")
        publish(later, editor)
    for url in pages:
        assert "贾鲁河治理新进展" in client.get(url).content.decode(), url
    with committed():
        later.unpublish(by=editor, reason="事实有误")
    for url in pages:
        assert "贾鲁河治理新进展" not in client.get(url).content.decode(), url


def test_each_page_of_a_list_is_kept_apart(client, shared_cache, editor, committed):
    section = make_section("社区", slug="shequ")
    with committed():
        for n in range(21):
            publish(make_article(headline=f"社区新闻{n:02d}", section=section), editor)
    url = section.get_absolute_url()
    first, second = (client.get(url, {"page": n}).content.decode() for n in (1, 2))
    assert "社区新闻20" in first and "社区新闻00" not in first
    assert "社区新闻00" in second and "社区新闻20" not in second
    bare = client.get(url).content.decode()  # page 1 is the bare address
    assert "社区新闻20" in bare and "社区新闻00" not in bare
    assert client.get(url, {"page": 3}).status_code == 404
    last = client.get(url, {"page": "last"}).content.decode()
    assert "社区新闻00" in last and "社区新闻20" not in last
