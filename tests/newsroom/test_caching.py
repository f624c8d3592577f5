"""The page cache for anonymous readers (newsroom/caching.py, articles/signals.py)."""

import datetime
from unittest import mock

import pytest
from django.utils import timezone

from newsroom.preview import preview_url
from people.models import Role
from tests.helpers import (
    article_form_data,
    make_article,
    make_section,
    publish,
    redis_reachable,
)


@pytest.fixture(autouse=True)
def _page_cache(settings, tmp_path):
    settings.PAGE_CACHE_SECONDS = 300  # tests/settings.py turns it off for the other tests
    settings.VAR_DIR = tmp_path  # the generation stamp of per-process caches, per test


@pytest.fixture
def story(editor, reporter, committed):
    with committed():
        return publish(
            make_article(
                headline="中原区召开推进会",
                section=make_section("区域"),
                bylines=[(reporter.person, Role.REPORTER)],
            ),
            editor,
        )


def get(client, url="/", **extra):
    response = client.get(url, **extra)
    assert response.status_code in (200, 304), response.status_code
    return response


def test_second_anonymous_visit_is_served_from_the_cache_without_queries(
    client, story, django_assert_num_queries
):
    first = get(client)
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = get(client)
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert "中原区召开推进会" in second.content.decode()
    assert second["Content-Type"] == first["Content-Type"]


def test_article_pages_feeds_and_head_requests_are_cached_too(
    client, story, django_assert_num_queries
):
    for url in (story.get_absolute_url(), "/feed/", "/sitemap-articles.xml"):
        get(client, url)
        with django_assert_num_queries(0):
            assert get(client, url)["X-Page-Cache"] == "hit"
            assert client.head(url)["X-Page-Cache"] == "hit"


def test_cached_page_answers_a_matching_if_none_match_with_304(client, story):
    etag = get(client)["ETag"]
    assert etag.startswith('"')
    response = get(client, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""
    assert get(client, HTTP_IF_NONE_MATCH='"stale"').status_code == 200


def test_responses_tell_browsers_to_revalidate(client, story):
    assert "must-revalidate" in get(client)["Cache-Control"]
    assert "max-age=0" in get(client)["Cache-Control"]


def test_publishing_a_story_shows_it_at_once(client, story, editor, committed):
    get(client)
    with committed():
        publish(make_article(headline="新发布的稿件"), editor)
    response = get(client)
    assert response["X-Page-Cache"] == "miss"
    assert "新发布的稿件" in response.content.decode()


def test_retracting_a_story_removes_it_at_once(client, story, editor, committed):
    get(client)
    get(client, story.get_absolute_url())
    with committed():
        story.unpublish(by=editor, reason="事实有误")
    assert "中原区召开推进会" not in get(client).content.decode()
    assert client.get(story.get_absolute_url()).status_code == 410


def test_a_correction_appears_at_once(client, story, editor, committed):
    get(client, story.get_absolute_url())
    with committed():
        story.correct(by=editor, text="更正：会议于9月1日召开。")
    assert "更正：会议于9月1日召开。" in get(client, story.get_absolute_url()).content.decode()


def test_an_editors_change_to_a_published_story_appears_at_once(client, story, editor, committed):
    anonymous = client.__class__()
    get(anonymous, story.get_absolute_url())
    client.force_login(editor)
    with committed():
        response = client.post(
            f"/admin/articles/article/{story.pk}/change/",
            article_form_data(story, headline="中原区召开推进会（更新）"),
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = get(anonymous, story.get_absolute_url())
    assert page["X-Page-Cache"] == "miss"
    assert "中原区召开推进会（更新）" in page.content.decode()


def test_a_byline_change_on_a_published_story_appears_at_once(client, story, committed):
    get(client, story.get_absolute_url())
    with committed():
        byline = story.bylines.get()
        byline.person.display_name = "张改华（实习）"
        byline.person.save()
    assert "张改华（实习）" in get(client, story.get_absolute_url()).content.decode()


def test_editing_a_draft_keeps_the_cache(client, story, committed):
    get(client)
    with committed():
        draft = make_article(headline="草稿")
        draft.summary = "还在写"
        draft.save()
        draft.tags.add("草稿标签")
    assert get(client)["X-Page-Cache"] == "hit"


def test_scheduled_story_appears_at_its_time_though_the_front_page_was_cached_before(
    client, story, editor, committed
):
    go_live = timezone.now() + datetime.timedelta(minutes=2)
    with committed():
        make_article(headline="定时发布的稿件").schedule(at=go_live, by=editor)
    assert "定时发布的稿件" not in get(client).content.decode()
    with mock.patch(
        "django.utils.timezone.now", return_value=go_live - datetime.timedelta(seconds=1)
    ):
        assert get(client)["X-Page-Cache"] == "hit"
    # No job runs and nothing is saved: the cached front page simply ends at publish_at.
    with mock.patch("django.utils.timezone.now", return_value=go_live):
        response = get(client)
    assert response["X-Page-Cache"] == "miss"
    assert "定时发布的稿件" in response.content.decode()


def test_scheduled_story_bounds_the_cache_lifetime_by_its_publish_at(
    client, story, editor, committed
):
    with committed():
        make_article(headline="定时").schedule(
            at=timezone.now() + datetime.timedelta(seconds=30), by=editor
        )
    with mock.patch("django.core.cache.backends.locmem.LocMemCache.set") as cache_set:
        get(client)
    [(key, page), kwargs] = cache_set.call_args
    assert 1 <= kwargs["timeout"] <= 30


def test_logged_in_editors_never_get_or_fill_cached_pages(client, story, editor):
    anonymous = client.__class__()
    get(anonymous)
    client.force_login(editor)
    response = get(client)
    assert "X-Page-Cache" not in response
    assert "private" in response["Cache-Control"]
    assert get(anonymous)["X-Page-Cache"] == "hit"
    # Rendered for the editor again (from kept fragments, which are the same for everyone).
    again = get(client)
    assert "X-Page-Cache" not in again and "private" in again["Cache-Control"]


def test_admin_previews_errors_and_posts_are_not_cached(client, story, editor):
    draft = make_article(headline="预览中的草稿")
    for url in (preview_url(draft), "/admin/login/", "/articles/no-such-story/"):
        client.get(url)
        assert "X-Page-Cache" not in client.get(url)
    assert "X-Page-Cache" not in client.post("/")


def test_each_language_has_its_own_cached_page(client, story, settings):
    chinese = get(client, HTTP_ACCEPT_LANGUAGE="zh-hans")
    english = get(client, HTTP_ACCEPT_LANGUAGE="en")
    assert english["X-Page-Cache"] == "miss"
    assert (chinese["Content-Language"], english["Content-Language"]) == ("zh-hans", "en")
    assert get(client, HTTP_ACCEPT_LANGUAGE="en")["Content-Language"] == "en"
    assert get(client, HTTP_ACCEPT_LANGUAGE="zh-hans")["Content-Language"] == "zh-hans"


def test_query_string_is_part_of_the_key(client, editor, committed):
    with committed():
        for n in range(21):
            publish(make_article(headline=f"新闻{n:02d}"), editor)
    first, second = get(client, "/"), get(client, "/?page=2")
    assert second["X-Page-Cache"] == "miss"
    assert first.content != second.content


@pytest.mark.skipif(not redis_reachable(), reason="no Redis at 127.0.0.1:6379")
def test_the_page_cache_works_on_redis_shared_by_all_workers(
    client, story, editor, settings, committed, django_assert_num_queries
):
    settings.CACHES = {
        "default": {
            "BACKEND": "newsroom.caching.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
            "KEY_PREFIX": "newsroom-tests",
        }
    }
    from django.core.cache import caches

    caches["default"].clear()
    assert get(client)["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        assert get(client)["X-Page-Cache"] == "hit"
    with committed():
        story.unpublish(by=editor, reason="事实有误")
    assert "中原区召开推进会" not in get(client).content.decode()
    caches["default"].clear()


def test_a_cache_outage_slows_the_site_down_but_does_not_take_it_down(client, story):
    with mock.patch(
        "django.core.cache.backends.locmem.LocMemCache.get_many", side_effect=ConnectionError
    ):
        response = client.get("/")
    assert response.status_code == 200
    assert "中原区召开推进会" in response.content.decode()


def test_workers_with_caches_of_their_own_share_the_generation(client, story, editor, committed):
    """Two gunicorn workers with locmem:// caches: a publish in one empties the other's."""
    from django.core.cache.backends.locmem import LocMemCache

    other_worker = LocMemCache("other-worker", {})
    with mock.patch("newsroom.caching._cache", return_value=other_worker):
        get(client)
        assert get(client)["X-Page-Cache"] == "hit"
    with committed():  # in this worker
        publish(make_article(headline="另一个进程发布的稿件"), editor)
    with mock.patch("newsroom.caching._cache", return_value=other_worker):
        response = get(client)
    assert response["X-Page-Cache"] == "miss"
    assert "另一个进程发布的稿件" in response.content.decode()


def test_query_parameters_no_view_reads_neither_miss_nor_store_a_copy(client, story):
    from django.core.cache import caches

    get(client, "/")
    stored = len(caches["default"]._cache)
    for url in ("/?utm_source=weixin", "/?x=8f3a9c", "/?x=1&y=2&utm_medium=share"):
        response = get(client, url)
        assert response["X-Page-Cache"] == "hit", url
        assert "utm_source" not in response.content.decode()  # no copy carries the extra query
    assert len(caches["default"]._cache) == stored


def test_the_parameters_a_view_reads_stay_in_the_key(client, editor, committed):
    with committed():
        for n in range(21):
            publish(make_article(headline=f"新闻{n:02d}"), editor)
    get(client, "/archive/")
    assert get(client, "/search/?q=%E6%96%B0%E9%97%BB&utm_source=x")["X-Page-Cache"] == "miss"
    assert get(client, "/search/?utm_source=y&q=%E6%96%B0%E9%97%BB")["X-Page-Cache"] == "hit"
    assert get(client, "/search/?q=%E6%8E%A8%E8%BF%9B%E4%BC%9A")["X-Page-Cache"] == "miss"


def test_public_pages_tell_a_cache_in_front_what_they_show(client, story, settings):
    settings.HTTP_CACHE_SECONDS = 120
    article = get(client, story.get_absolute_url())
    assert "s-maxage=120" in article["Cache-Control"]
    assert "stale-while-revalidate=" in article["Cache-Control"]
    keys = set(article["xkey"].split())
    assert {f"article-{story.pk}", f"section-{story.section_id}", "site"} <= keys
    hit = get(client, story.get_absolute_url())
    assert hit["X-Page-Cache"] == "hit" and hit["xkey"] == article["xkey"]
    assert "s-maxage=" in hit["Cache-Control"]
    assert set(get(client, "/feed/")["xkey"].split()) == {"site", "all"}


def test_a_publish_purges_the_cache_in_front_after_the_commit(
    client, story, editor, committed, purges
):
    with committed():
        new = publish(make_article(headline="新发布的稿件", section=story.section), editor)
        assert purges == []  # nothing before the commit
    purged = set().union(*purges)
    assert {f"article-{new.pk}", f"section-{story.section_id}", "articles", "all"} <= purged


def test_a_hung_cache_in_front_delays_a_publish_by_its_time_out_only(
    story, editor, committed, settings
):
    import socket
    import time

    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen()  # accepts, never answers
    settings.HTTP_CACHE_PURGE_URLS = [f"http://127.0.0.1:{silent.getsockname()[1]}/"]
    settings.HTTP_CACHE_PURGE_TIMEOUT = 0.3
    started = time.monotonic()
    with committed():
        story.correct(by=editor, text="更正")
    assert time.monotonic() - started < 2
    silent.close()


def test_a_query_sent_unescaped_reaches_the_view_as_the_same_characters(client, settings, db):
    # A client that sends UTF-8 unescaped (WSGI passes its bytes on as latin-1 text) searches
    # for what it typed, not for mojibake.
    settings.PAGE_CACHE_SECONDS = 300
    response = client.get("/search/?q=公开报道&utm_source=x")
    assert response.status_code == 200
    assert response.context["query_text"] == "公开报道"
