"""Every public page in a fixed number of queries, whatever the size of what it shows.

Each test builds a small and a big version of the same page (1 vs 10 bylines, tags
and photos; 2 vs 20 list items) and pins both to the same count, with the queries
named. Nothing is kept between requests but the rendered masthead (the page cache is off
here, and there is no other cache of pages or their parts), so each page is counted twice
and must give the same count and the same HTML. The <head> partials of the
machine-readable side (includes/meta/*) work on what the views fetched and add none.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import ArticleByline, FrontPageSlot, GalleryByline
from people.models import Role
from tests.helpers import (
    EDITION,
    make_event,
    make_gallery,
    make_person,
    make_photo,
    make_section,
    story,
)


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    # The page cache would answer repeated GETs without any query; these tests measure views.
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "PageCacheMiddleware" not in m]


def get(client, url, django_assert_num_queries, count):
    """`count` queries, on the first request and on the next."""
    cache.clear()
    client.get(url)  # warm up: content types cached
    with django_assert_num_queries(count):
        response = client.get(url)
    assert response.status_code == 200, url
    with django_assert_num_queries(count):
        again = client.get(url)
    assert again.content == response.content, url
    return response


def gallery_with(editor, n_photos: int, n_bylines: int = 1, **fields):
    gallery = make_gallery(by=editor, **fields)
    for i in range(n_bylines):
        GalleryByline.objects.create(
            gallery=gallery, person=make_person(f"摄影{i}"), role=Role.PHOTOGRAPHER, order=i
        )
    for i in range(n_photos):
        make_photo(gallery, order=i, caption=f"图{i}", credit=make_person(f"图片作者{i}"))
    gallery.publish(by=editor)
    return gallery


def article_with(editor, n: int, section=None):
    """A published story with n bylines, n tags, and n events and n galleries covered."""
    people = [make_person(f"记者{i}") for i in range(n)]
    photo = make_photo(caption="主图", credit=people[0])
    article = story(
        editor,
        section=section or make_section(),
        bylines=[
            (p, Role.REPORTER if i == 0 else Role.CORRESPONDENT) for i, p in enumerate(people)
        ],
        photo=photo,
        tags=[f"标签{i}" for i in range(n)],
        print_edition_date=EDITION,
        print_page=1,
    )
    for i in range(n):
        event = make_event(by=editor, title=f"活动{i}")
        event.publish(by=editor)
        article.events.add(event)
        article.galleries.add(gallery_with(editor, 2, title=f"图集{i}"))
        article.correct(by=editor, text=f"更正{i}")
    return article


@pytest.mark.parametrize("n", [1, 10])
def test_article_page(client, editor, django_assert_num_queries, n):
    article = article_with(editor, n)
    story(editor, section=article.section, headline="同栏目的另一篇")
    # The article with section, lead photo and its credit; bylines with people; tags; public
    # events; public galleries; their first photos; corrections; more from the section; the
    # menu.
    get(client, article.get_absolute_url(), django_assert_num_queries, 9)


@pytest.mark.parametrize("n", [2, 20])
def test_front_page(client, editor, django_assert_num_queries, n):
    sections = [make_section(f"栏目{i}", slug=f"lanmu-{i}") for i in range(n)]
    person = make_person("记者甲")
    for i, section in enumerate(sections):
        article = story(
            editor, section=section, bylines=[(person, Role.REPORTER)], headline=f"稿件{i}"
        )
        if i < n // 2:
            FrontPageSlot.objects.create(article=article, order=i)
        event = make_event(by=editor, title=f"活动{i}")
        event.publish(by=editor)
    for i in range(min(n, 4)):
        gallery_with(editor, n, title=f"图集{i}")
    # The menu; lead stories; the sections' ids, then the newest stories of every section
    # (one query, a LIMIT subquery a section); the bylines of both (one query); the latest
    # headlines; upcoming events; new galleries (cards show no bylines), their first photos.
    get(client, "/", django_assert_num_queries, 9)


@pytest.mark.parametrize("n", [2, 20])
def test_section_page(client, editor, django_assert_num_queries, n):
    section = make_section()
    for i in range(n):
        story(
            editor,
            section=section,
            bylines=[(make_person(f"记者{i}"), Role.REPORTER)],
            photo=make_photo(),
        )
    # The section; the count for the paginator; the page of articles with lead photos;
    # their bylines with people; the menu.
    get(client, section.get_absolute_url(), django_assert_num_queries, 5)


def test_a_sections_count_reads_the_articles_alone(client, editor):
    """The paginator's count leaves out the joins of what a card shows, so that
    article_section_count_idx can answer it without reading the table."""
    section = make_section()
    for i in range(23):
        story(editor, section=section, photo=make_photo() if i % 2 else None)
    story(editor, section=section, publish=False)  # a draft is not counted
    with CaptureQueriesContext(connection) as queries:
        response = client.get(section.get_absolute_url())
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"]]
    assert len(counts) == 1 and "JOIN" not in counts[0]
    assert response.context["paginator"].count == 23
    assert response.context["page_obj"].has_next()


@pytest.mark.parametrize("n", [2, 20])
def test_person_page(client, editor, django_assert_num_queries, n):
    person = make_person("张改华")
    for i in range(n):
        story(
            editor,
            bylines=[(person, Role.REPORTER), (make_person(f"通讯员{i}"), Role.CORRESPONDENT)],
        )
        if i < 6:
            gallery = gallery_with(editor, 2, title=f"图集{i}")
            GalleryByline.objects.create(
                gallery=gallery, person=person, role=Role.PHOTOGRAPHER, order=9
            )
    # The person (with the check that they have public work); the count; the page of
    # articles; their bylines; the person's galleries; their first photos; the menu.
    get(client, person.get_absolute_url(), django_assert_num_queries, 7)


@pytest.mark.parametrize("n", [2, 20])
def test_tag_page(client, editor, django_assert_num_queries, n):
    for i in range(n):
        story(
            editor,
            tags=["核心片区", f"其他{i}"],
            bylines=[(make_person(f"记者{i}"), Role.REPORTER)],
        )
    # The tag (only if a public story has it); the count; the page; bylines; the menu.
    get(client, reverse("articles:tag", args=["核心片区"]), django_assert_num_queries, 5)


@pytest.mark.parametrize("n", [2, 20])
def test_date_archive_pages(client, editor, django_assert_num_queries, n):
    for i in range(n):
        story(editor, bylines=[(make_person(f"记者{i}"), Role.REPORTER)])
    today = timezone.localdate()
    # The archive index: the months with stories; the menu.
    get(client, reverse("articles:archive"), django_assert_num_queries, 2)
    # Year: does it have stories (an empty period is a 404); the months list; the nearest
    # earlier and later years with stories; the count; the page; bylines; the menu.
    get(
        client,
        reverse("articles:archive_year", args=[today.year]),
        django_assert_num_queries,
        8,
    )
    # Month: the same, with the days list for the months list.
    get(
        client,
        reverse("articles:archive_month", args=[today.year, today.month]),
        django_assert_num_queries,
        8,
    )
    # Day: no list of periods, but Django's DayArchiveView looks for the nearest earlier
    # and later days and months with stories (four queries).
    get(
        client,
        reverse("articles:archive_day", args=[today.year, today.month, today.day]),
        django_assert_num_queries,
        9,
    )


@pytest.mark.parametrize("n", [2, 20])
def test_event_pages(client, editor, django_assert_num_queries, n):
    events = []
    for i in range(n):
        event = make_event(
            by=editor, title=f"活动{i}", starts_at=timezone.now() + datetime.timedelta(hours=i + 1)
        )
        event.publish(by=editor)
        events.append(event)
        article = story(editor, bylines=[(make_person(f"记者{i}"), Role.REPORTER)])
        article.events.add(events[0])
        gallery_with(editor, 2, title=f"图集{i}").events.add(events[0])
    # Upcoming: the count; the page of events; the menu.
    get(client, reverse("articles:events"), django_assert_num_queries, 3)
    get(
        client, reverse("articles:events_past"), django_assert_num_queries, 2
    )  # empty: no page query
    # The month: its events (one query for the whole grid); the menu.
    start = timezone.localtime(events[0].starts_at)
    get(
        client,
        reverse("articles:events_month", args=[start.year, start.month]),
        django_assert_num_queries,
        2,
    )
    # The event; its coverage, their bylines; its galleries, their first photos (gallery
    # cards show no bylines); the menu.
    get(client, events[0].get_absolute_url(), django_assert_num_queries, 6)


@pytest.mark.parametrize("n", [1, 10])
def test_gallery_and_photo_pages(client, editor, django_assert_num_queries, n):
    gallery = gallery_with(editor, n, n_bylines=n)
    event = make_event(by=editor)
    event.publish(by=editor)
    gallery.events.add(event)
    story(editor).galleries.add(gallery)
    # The gallery with section and cover; bylines; photos with credits; its public events;
    # the stories it illustrates; the menu.
    get(client, gallery.get_absolute_url(), django_assert_num_queries, 6)
    # A photo's own page: the gallery; bylines; photos with credits; the menu.
    get(
        client,
        reverse("articles:gallery_photo", args=[gallery.slug, n]),
        django_assert_num_queries,
        4,
    )


@pytest.mark.parametrize("n", [2, 20])
def test_gallery_index(client, editor, django_assert_num_queries, n):
    for i in range(n):
        gallery_with(editor, 3, n_bylines=2, title=f"图集{i}")
    # The count; the page of galleries with photo counts; first photos; the menu (gallery
    # cards show no bylines).
    get(client, reverse("articles:galleries"), django_assert_num_queries, 4)


def test_gallery_index_with_covers_asks_for_no_first_photos(
    client, editor, django_assert_num_queries
):
    for i in range(3):
        gallery = gallery_with(editor, 2, title=f"封面图集{i}")
        gallery.cover_photo = gallery.photos.last()
        gallery.save()
    # The count; the page of galleries with their covers and photo counts; the menu.
    response = get(client, reverse("articles:galleries"), django_assert_num_queries, 3)
    assert response.content.decode().count('class="gallery-card"') == 3


@pytest.mark.parametrize("n", [2, 20])
def test_print_edition_pages(client, editor, django_assert_num_queries, n):
    for i in range(n):
        for day in (
            EDITION - datetime.timedelta(days=i + 1),
            EDITION,
            EDITION + datetime.timedelta(days=1),
        ):
            story(
                editor,
                bylines=[(make_person(f"记者{i}"), Role.REPORTER)],
                print_edition_date=day,
                print_page=i % 8 + 1,
                photo=make_photo() if i == 0 else None,
            )
    # The index: the newest 数字报 edition (none here); the count of editions; the page of
    # editions; the menu.
    get(client, reverse("articles:print_index"), django_assert_num_queries, 4)
    # An edition: its 数字报 (none here); its stories; their bylines; the previous and next
    # editions; the menu.
    url = reverse("articles:print_edition", args=[EDITION.year, EDITION.month, EDITION.day])
    get(client, url, django_assert_num_queries, 6)


def test_byline_count_does_not_change_the_article_query_count(
    client, editor, django_assert_num_queries
):
    article = article_with(editor, 1)
    for i in range(15):
        ArticleByline.objects.create(
            article=article, person=make_person(f"多{i}"), role=Role.CORRESPONDENT, order=20 + i
        )
    # As in test_article_page (the "more from the section" query finds nothing here).
    get(client, article.get_absolute_url(), django_assert_num_queries, 9)
