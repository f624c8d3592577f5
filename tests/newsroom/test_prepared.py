"""newsroom.prepared: a @prepared query gives what the ORM gives for the same arguments, runs
the same queries, reuses its compiled plan for other values of the same shape, and runs
through the ORM (still correctly) whatever it cannot compile once.

Every prepared function here is the test's own, built on the project's models; each test
compares its answers with the plain queryset the function returns (`f(*args)`).
"""

from __future__ import annotations

import datetime
import decimal
import pickle
import zoneinfo
from collections import Counter

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Prefetch
from django.db.models.signals import post_migrate
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from articles.models import Article, ArticleByline, Event, Gallery, GalleryByline, Section
from articles.models.article import _card_bylines
from newsroom import prepared as prepared_module
from newsroom.prepared import Pages, PreparedQuery, forget_plans, prepared
from people.models import Role
from tests.helpers import (
    EDITION,
    make_event,
    make_gallery,
    make_person,
    make_photo,
    sections,
    story,
)

ON_SQLITE = connection.vendor == "sqlite"
ON_POSTGRESQL = connection.vendor == "postgresql"

# How many times each function below was built (called to make a queryset).
BUILDS: Counter = Counter()


# --- the test's prepared functions ------------------------------------------------------------
@prepared
def _cards_in_section(section_id):
    """A model query with select_related, only() and a `_fetch_all` hook (card bylines)."""
    BUILDS["cards"] += 1
    return Article.objects.filter(section_id=section_id).for_listing().order_by("print_page", "pk")


@prepared
def _rows_in_section(section_id):
    """values_list across a join."""
    BUILDS["rows"] += 1
    return (
        Article.objects.filter(section_id=section_id)
        .order_by("pk")
        .values_list("pk", "headline", "section__name")
    )


@prepared
def _sections_with(status):
    """values().distinct(): one row per section, whatever the number of stories."""
    return (
        Article.objects.filter(status=status, section__isnull=False)
        .values("section__slug")
        .distinct()
        .order_by("section__slug")
    )


@prepared
def _section_ids_with(status):
    """values().distinct() left in the model's own ordering (Meta.ordering)."""
    return Article.objects.filter(status=status).values("section_id").distinct()


@prepared
def _published_in(section_id, now):
    """The public stories (published(now): published, or scheduled and due by `now`)."""
    return Article.objects.published(now).in_section(section_id).for_listing().latest_first()


@prepared
def _out_by(section_id, now):
    BUILDS["out_by"] += 1
    return (
        Article.objects.filter(section_id=section_id, publish_at__lte=now)
        .for_listing()
        .latest_first()
    )


@prepared
def _newest_three(section_id):
    """A query sliced by the function itself."""
    return Article.objects.filter(section_id=section_id).order_by("-pk")[:3]


@prepared
def _by_ids(ids):
    BUILDS["by_ids"] += 1
    return Article.objects.filter(pk__in=ids).order_by("pk")


@prepared
def _sections_by_slugs(slugs):
    return Section.objects.filter(slug__in=slugs).order_by("slug")


@prepared
def _on_page(page):
    """An int compared with a PositiveSmallIntegerField (Article.print_page)."""
    return Article.objects.filter(print_page=page).order_by("pk")


@prepared
def _in_edition(day, page):
    return Article.objects.in_print_edition(day).filter(print_page=page)


@prepared
def _flagged(section_id, with_section, kicker):
    """Booleans and None are part of the shape (they may change the SQL), not swapped."""
    qs = Article.objects.filter(kicker=kicker) if kicker is not None else Article.objects.all()
    if with_section:
        qs = qs.filter(section_id=section_id)
    return qs.order_by("pk")


@prepared
def _detail(slug):
    """for_detail(): annotations, and a `_fetch_all` that attaches what the page shows."""
    return Article.objects.for_detail().filter(slug=slug)


@prepared
def _galleries_in(section_id):
    """prefetch_related (the bylines with their people) and select_related."""
    return (
        Gallery.objects.filter(section_id=section_id)
        .select_related("cover_photo", "section")
        .prefetch_related(
            Prefetch("bylines", queryset=GalleryByline.objects.select_related("person"))
        )
        .order_by("pk")
    )


@prepared
def _gallery_cards(now):
    """An annotation (the count of photos) and the cards' `_fetch_all` (first photos)."""
    return Gallery.objects.published(now).for_cards().latest_first()


@prepared
def _tagged_sections(section_ids):
    """A content type's id, read from the database, is compiled in."""
    return TaggedItem.objects.filter(
        content_type=ContentType.objects.get_for_model(Section), object_id__in=section_ids
    ).order_by("pk")


# Functions it must not compile once: each runs through the ORM, every time.
@prepared
def _published_by_the_clock(section_id):
    """published() without `now` reads the clock itself."""
    return Article.objects.published().filter(section_id=section_id).order_by("pk")


@prepared
def _headlines_starting(prefix):
    return Article.objects.filter(headline__startswith=prefix).order_by("pk")


@prepared
def _headlines_containing(text):
    return Article.objects.filter(headline__icontains=text).order_by("pk")


@prepared
def _first(n):
    """The argument changes the SQL itself (LIMIT)."""
    return Article.objects.order_by("pk")[:n]


@prepared
def _longer_than(words):
    return Article.objects.filter(word_count__gt=words).order_by("pk")


@prepared
def _in_section_object(section):
    return Article.objects.filter(section=section).order_by("pk")


@prepared
def _sections_from(order):
    return Section.objects.filter(order__gte=order).order_by("order")


@prepared
def _with_kicker(kicker):
    return Article.objects.filter(kicker=kicker).order_by("pk")


@prepared
def _by_pk_text(pk):
    """A str argument where an int goes: the stand-in is refused by the field."""
    return Article.objects.filter(pk=pk)


# Functions the first stand-ins got wrong (the tests at the end of this file).
@prepared
def _section_iexact(slug):
    return Section.objects.filter(slug__iexact=slug).order_by("pk")


@prepared
def _section_normalised(slug):
    return Section.objects.filter(slug=slug.strip().lower()).order_by("pk")


@prepared
def _sections_listed(text):
    return Section.objects.filter(slug__in=text.split(",")).order_by("pk")


@prepared
def _pages_from(page):
    return Article.objects.filter(print_page__gte=page).order_by("pk")


@prepared
def _pages_up_to(page):
    return Article.objects.filter(print_page__lte=page).order_by("pk")


@prepared
def _from_lower_page(a, b):
    return Article.objects.filter(print_page__gte=min(a, b)).order_by("pk")


@prepared
def _in_section_at(slug):
    section = Section.objects.filter(slug=slug).first()
    return Article.objects.filter(section=section).order_by("pk")


@prepared
def _events_in_year(year):
    return Event.objects.filter(starts_at__year=year).order_by("pk")


@prepared
def _sections_sorted_by(field):
    return Section.objects.order_by(field, "pk")


@prepared
def _on_page_among(ids, page):
    return Article.objects.filter(pk__in=ids, print_page=page).order_by("pk")


# --- fixtures ---------------------------------------------------------------------------------
@pytest.fixture(autouse=True)
def _no_plans():
    """Each test starts and ends with no compiled plan, and with no cached content type that
    it may have replaced."""
    forget_plans()
    BUILDS.clear()
    yield
    forget_plans()
    ContentType.objects.clear_cache()


@pytest.fixture
def world(editor):
    """Three sections; stories with bylines (two people each in 区域), on print pages, one
    draft, one without a section, one with a kicker."""
    secs = sections()
    reporter = make_person("张改华")
    correspondent = make_person("吕杨子", kind="contributor")
    bylines = [(reporter, Role.REPORTER), (correspondent, Role.CORRESPONDENT)]
    quyu = [
        story(
            editor,
            section=secs["quyu"],
            bylines=bylines,
            headline=f"区域新闻第{i + 1}条",
            print_edition_date=EDITION,
            print_page=2 + i % 2,
        )
        for i in range(7)
    ]
    yaowen = [
        story(
            editor,
            section=secs["yaowen"],
            bylines=[(reporter, Role.REPORTER)],
            headline=f"要闻第{i + 1}条",
            print_edition_date=EDITION,
            print_page=1,
        )
        for i in range(3)
    ]
    draft = story(editor, section=secs["quyu"], headline="区域草稿", publish=False)
    loose = story(editor, headline="无栏目的稿件", kicker="优化营商环境")
    return {
        "sections": secs,
        "quyu": quyu,
        "yaowen": yaowen,
        "draft": draft,
        "loose": loose,
        "reporter": reporter,
    }


def pks(rows) -> list:
    return [row.pk for row in rows]


def queries_of(call) -> tuple[list, int]:
    """What `call()` returns and how many queries it ran."""
    with CaptureQueriesContext(connection) as captured:
        result = call()
    return result, len(captured)


# --- the same answers as the ORM --------------------------------------------------------------
def test_rows_are_the_orms_for_a_model_query_with_select_related(world):
    section = world["sections"]["quyu"]
    rows = _cards_in_section.rows(section.pk)
    expected = list(_cards_in_section(section.pk))
    in_section = world["quyu"] + [world["draft"]]
    assert pks(rows) == pks(expected)
    assert sorted(pks(rows)) == sorted(pks(in_section))
    assert all(isinstance(row, Article) for row in rows)
    assert [row.section.name for row in rows] == [row.section.name for row in expected]
    assert [row.headline for row in rows] == [row.headline for row in expected]
    assert _cards_in_section.is_prepared(section.pk)


def test_rows_are_the_orms_for_values_list(world):
    section = world["sections"]["quyu"]
    rows = _rows_in_section.rows(section.pk)
    assert rows == list(_rows_in_section(section.pk))
    assert rows[0] == (world["quyu"][0].pk, world["quyu"][0].headline, section.name)
    assert _rows_in_section.is_prepared(section.pk)


def test_the_function_itself_returns_the_queryset(world):
    section = world["sections"]["yaowen"]
    queryset = _rows_in_section(section.pk)
    assert queryset.model is Article
    assert list(queryset) == _rows_in_section.rows(section.pk)
    assert isinstance(_rows_in_section, PreparedQuery)
    assert _rows_in_section.__name__ == "_rows_in_section"
    assert "values_list across a join" in _rows_in_section.__doc__


@pytest.mark.parametrize(
    ("low", "high"),
    [
        (0, 3),
        (2, 5),
        (0, None),
        (3, None),
        (5, 100),  # past the end
        (100, None),  # starting past the end
        (100, 200),
        (4, 4),  # high == low
        (5, 2),  # high < low
        (0, 0),
    ],
)
def test_slice_is_the_orms(world, low, high):
    section = world["sections"]["quyu"]
    expected_models = list(_cards_in_section(section.pk)[low:high])
    assert pks(_cards_in_section.slice(low, high, section.pk)) == pks(expected_models)
    assert _rows_in_section.slice(low, high, section.pk) == list(
        _rows_in_section(section.pk)[low:high]
    )


def test_slice_takes_numbers_as_strings_like_int_does(world):
    section = world["sections"]["quyu"]
    assert _rows_in_section.slice("1", "3", section.pk) == list(_rows_in_section(section.pk)[1:3])


def test_slice_of_a_query_the_function_sliced_is_a_slice_of_that(world):
    section = world["sections"]["quyu"]
    for low, high in [(0, 2), (1, None), (2, 10), (5, None)]:
        assert pks(_newest_three.slice(low, high, section.pk)) == pks(
            list(_newest_three(section.pk))[low:high]
        )
    assert _newest_three.count(section.pk) == 3 == _newest_three(section.pk).count()


def test_count_is_the_orms(world):
    for section in world["sections"].values():
        for query in (_cards_in_section, _rows_in_section):
            assert query.count(section.pk) == query(section.pk).count()
    assert _cards_in_section.count(world["sections"]["quyu"].pk) == 8
    assert _cards_in_section.count(world["sections"]["minsheng"].pk) == 0
    assert _rows_in_section.count(world["sections"]["yaowen"].pk) == 3


def test_count_of_values_distinct_counts_the_distinct_rows(world):
    rows = _sections_with.rows("published")
    assert rows == list(_sections_with("published"))
    assert rows == [{"section__slug": "quyu"}, {"section__slug": "yaowen"}]
    assert _sections_with.count("published") == 2 == _sections_with("published").count()
    assert _sections_with.count("draft") == 1 == len(_sections_with.rows("draft"))
    assert _sections_with.is_prepared("published")


def test_count_of_values_distinct_in_the_models_ordering_is_the_orms(world):
    # Meta.ordering puts the ordering's columns in the DISTINCT of the rows, not of the count.
    assert _section_ids_with.count("published") == _section_ids_with("published").count() == 3
    assert _section_ids_with.rows("published") == list(_section_ids_with("published"))


@pytest.mark.parametrize("per_page, orphans", [(3, 0), (4, 0), (3, 1), (20, 0), (1, 0)])
def test_pages_go_through_a_paginator_as_the_queryset_does(world, per_page, orphans):
    section = world["sections"]["quyu"]
    pages = Paginator(_cards_in_section.pages(section.pk), per_page, orphans=orphans)
    plain = Paginator(_cards_in_section(section.pk), per_page, orphans=orphans)
    assert pages.count == plain.count == 8
    assert pages.num_pages == plain.num_pages
    for number in pages.page_range:
        page, expected = pages.page(number), plain.page(number)
        assert pks(page.object_list) == pks(expected.object_list)
        assert (page.start_index(), page.end_index()) == (
            expected.start_index(),
            expected.end_index(),
        )
        assert page.has_next() == expected.has_next()
    values = Paginator(_rows_in_section.pages(section.pk), per_page, orphans=orphans)
    values_plain = Paginator(_rows_in_section(section.pk), per_page, orphans=orphans)
    assert [values.page(n).object_list for n in values.page_range] == [
        list(values_plain.page(n).object_list) for n in values_plain.page_range
    ]


def test_pages_of_nothing_are_one_empty_page(world):
    pages = Paginator(_cards_in_section.pages(world["sections"]["minsheng"].pk), 5)
    assert pages.count == 0
    assert pages.num_pages == 1
    assert list(pages.page(1).object_list) == []


def test_pages_take_slices_without_a_step_only(world):
    pages = _rows_in_section.pages(world["sections"]["quyu"].pk)
    assert isinstance(pages, Pages)
    assert len(pages) == 8
    assert pages[:2] == list(_rows_in_section(world["sections"]["quyu"].pk)[:2])
    with pytest.raises(TypeError):
        pages[1]
    with pytest.raises(TypeError):
        pages[0:4:2]


def test_rows_are_new_objects_on_every_call(world):
    section = world["sections"]["quyu"]
    first = _cards_in_section.rows(section.pk)
    first[0].headline = "改过的标题"
    again = _cards_in_section.rows(section.pk)
    assert again[0] is not first[0]
    assert again[0].headline == Article.objects.get(pk=first[0].pk).headline


# --- the plan is reused --------------------------------------------------------------------------
def test_a_second_call_with_other_values_gives_their_rows_from_the_same_plan(world):
    quyu, yaowen = world["sections"]["quyu"], world["sections"]["yaowen"]
    first, first_queries = queries_of(lambda: _cards_in_section.rows(quyu.pk))
    builds = BUILDS["cards"]
    assert builds >= 2  # the stand-in compilations, once for the shape
    plain = Article.objects.filter(section_id=yaowen.pk).for_listing().order_by("print_page", "pk")
    _expected, orm_queries = queries_of(lambda: list(plain))
    assert first_queries == orm_queries == 2  # the stories, then their bylines
    with CaptureQueriesContext(connection) as captured:
        second = _cards_in_section.rows(yaowen.pk)
    assert len(captured) == first_queries
    assert pks(second) == pks(world["yaowen"])
    assert pks(first) != pks(second)
    assert BUILDS["cards"] == builds  # not built again: the plan ran with the real value
    assert len(_cards_in_section.plans) == 1
    assert _cards_in_section.is_prepared(yaowen.pk)


def test_values_list_and_count_reuse_their_plans(world, django_assert_num_queries):
    quyu, yaowen = world["sections"]["quyu"], world["sections"]["yaowen"]
    _rows_in_section.rows(quyu.pk)
    _rows_in_section.count(quyu.pk)
    builds = BUILDS["rows"]
    expected = [(a.pk, a.headline, yaowen.name) for a in world["yaowen"]]
    with django_assert_num_queries(1):
        assert _rows_in_section.rows(yaowen.pk) == expected
    with django_assert_num_queries(1):
        assert _rows_in_section.count(yaowen.pk) == 3
    with django_assert_num_queries(1):
        assert len(_rows_in_section.slice(1, None, yaowen.pk)) == 2
    assert BUILDS["rows"] == builds
    assert len(_rows_in_section.plans) == 2  # rows and count: one plan each


def test_a_datetime_argument_is_swapped_in(world, django_assert_num_queries):
    quyu = world["sections"]["quyu"]
    now = timezone.now()
    before_any = min(a.publish_at for a in world["quyu"]) - datetime.timedelta(seconds=1)
    middle = world["quyu"][3].publish_at
    first, queries = queries_of(lambda: _out_by.rows(quyu.pk, now))
    assert pks(first) == pks(_out_by(quyu.pk, now)) == pks(world["quyu"][::-1])
    builds = BUILDS["out_by"]
    with django_assert_num_queries(queries):
        assert pks(_out_by.rows(quyu.pk, middle)) == pks(world["quyu"][3::-1])
    with django_assert_num_queries(1):  # nothing found: no bylines to fetch
        assert _out_by.rows(quyu.pk, before_any) == []
    if ON_POSTGRESQL:
        assert BUILDS["out_by"] == builds  # the plan ran with the other times
        assert _out_by.is_prepared(quyu.pk, now)
    assert _out_by.count(quyu.pk, middle) == 4
    assert pks(_out_by.slice(1, 3, quyu.pk, middle)) == pks(world["quyu"][2:0:-1])


def test_published_now_is_the_orms(world, editor):
    quyu = world["sections"]["quyu"]
    draft = world["draft"]
    draft.schedule(at=timezone.now() + datetime.timedelta(hours=1), by=editor)
    now = timezone.now()
    assert pks(_published_in.rows(quyu.pk, now)) == pks(_published_in(quyu.pk, now))
    assert draft.pk not in pks(_published_in.rows(quyu.pk, now))
    later = now + datetime.timedelta(hours=2)
    assert pks(_published_in.rows(quyu.pk, later)) == pks(_published_in(quyu.pk, later))
    assert pks(_published_in.rows(quyu.pk, later))[0] == draft.pk
    assert _published_in.count(quyu.pk, later) == 8
    if ON_POSTGRESQL:
        assert _published_in.is_prepared(quyu.pk, now)


def test_an_aware_datetime_in_another_time_zone_is_the_same_instant(world):
    quyu = world["sections"]["quyu"]
    middle = world["quyu"][3].publish_at
    shanghai = middle.astimezone(zoneinfo.ZoneInfo("Asia/Shanghai"))
    _out_by.rows(quyu.pk, timezone.now())
    assert pks(_out_by.rows(quyu.pk, shanghai)) == pks(world["quyu"][3::-1])
    assert pks(_out_by.rows(quyu.pk, shanghai)) == pks(_out_by(quyu.pk, shanghai))


def test_a_date_argument_is_swapped_in(world):
    assert pks(_in_edition.rows(EDITION, 1)) == pks(world["yaowen"])
    assert pks(_in_edition.rows(EDITION, 3)) == pks(_in_edition(EDITION, 3))
    assert _in_edition.rows(EDITION + datetime.timedelta(days=1), 1) == []
    if ON_POSTGRESQL:
        assert _in_edition.is_prepared(EDITION, 1)


def test_int_and_str_arguments_are_prepared_on_every_backend(world):
    assert _cards_in_section.is_prepared(world["sections"]["quyu"].pk)
    assert _on_page.is_prepared(2)
    assert _with_kicker.is_prepared("优化营商环境")
    assert _sections_by_slugs.is_prepared(["quyu", "yaowen"])
    assert _sections_with.is_prepared("published")


def test_an_int_compared_with_a_positive_small_integer_field(world):
    on_two = [a for a in world["quyu"] if a.print_page == 2]
    assert len(on_two) == 4
    assert pks(_on_page.rows(2)) == pks(on_two) == pks(_on_page(2))
    assert pks(_on_page.rows(1)) == pks(world["yaowen"])
    assert _on_page.rows(9) == []
    assert _on_page.count(3) == 3
    assert _on_page.is_prepared(2)
    # Beyond the column's range: the ORM finds nothing, so must the plan.
    assert _on_page.rows(40000) == list(_on_page(40000)) == []


def test_booleans_and_none_make_their_own_plans(world):
    quyu = world["sections"]["quyu"].pk
    kicker = "优化营商环境"
    cases = [
        (quyu, True, None),
        (quyu, False, None),
        (quyu, True, kicker),
        (quyu, False, kicker),
        (world["sections"]["yaowen"].pk, True, None),
    ]
    for args in cases:
        assert pks(_flagged.rows(*args)) == pks(_flagged(*args)), args
        # Without the section filter the section's id is in no parameter: the ORM runs it.
        assert _flagged.is_prepared(*args) == args[1]
    assert pks(_flagged.rows(quyu, False, kicker)) == [world["loose"].pk]
    assert len(_flagged.plans) == 4


# --- lists of ids ---------------------------------------------------------------------------------
def test_lists_of_different_lengths_give_their_rows(world):
    stories = world["quyu"] + world["yaowen"]
    for n in (1, 2, 3, 5, 10):
        ids = pks(stories[:n])
        assert pks(_by_ids.rows(ids)) == sorted(ids) == pks(_by_ids(ids))
        assert _by_ids.count(ids) == n
        assert _by_ids.is_prepared(ids)
    assert len([key for key in _by_ids.plans if not key[0]]) == 5  # one per length


def test_every_item_of_a_list_is_swapped(world):
    a = pks(world["quyu"])
    _by_ids.rows([a[0], a[1], a[2]])
    builds = BUILDS["by_ids"]
    assert pks(_by_ids.rows([a[0], a[4], a[5]])) == [a[0], a[4], a[5]]
    assert pks(_by_ids.rows([a[6], a[1], a[3]])) == sorted([a[6], a[1], a[3]])
    assert pks(_by_ids.rows((a[2], a[5], a[6]))) == [a[2], a[5], a[6]]  # a tuple: a list
    assert BUILDS["by_ids"] == builds
    slugs = ["quyu", "minsheng"]
    assert [s.slug for s in _sections_by_slugs.rows(slugs)] == ["minsheng", "quyu"]
    assert [s.slug for s in _sections_by_slugs.rows(["yaowen", "nowhere"])] == ["yaowen"]


def test_a_list_with_repeated_or_unknown_ids(world):
    a = pks(world["quyu"])
    assert pks(_by_ids.rows([a[1], a[1], a[0]])) == [a[0], a[1]] == pks(_by_ids([a[1], a[1], a[0]]))
    assert _by_ids.rows([-5, 10**6]) == []
    assert _by_ids.count([a[1], a[1], a[0]]) == 2


def test_an_empty_list_gives_the_orms_answer(world):
    assert _by_ids.rows([]) == list(_by_ids([])) == []
    assert _by_ids.count([]) == 0
    assert _by_ids.slice(0, 10, []) == []
    assert Paginator(_by_ids.pages([]), 5).count == 0
    assert not _by_ids.is_prepared([])
    # The length-1 plan is not taken for it.
    assert pks(_by_ids.rows([world["quyu"][0].pk])) == [world["quyu"][0].pk]
    assert _by_ids.rows([]) == []


def test_a_long_list(world):
    ids = pks(world["quyu"]) + list(range(10**6, 10**6 + 300))
    assert pks(_by_ids.rows(ids)) == pks(world["quyu"])
    assert _by_ids.count(ids) == 7


# --- what runs through the ORM ------------------------------------------------------------------
def test_a_function_that_reads_the_clock_runs_through_the_orm(world, editor):
    quyu = world["sections"]["quyu"]
    expected = pks(world["quyu"])
    assert pks(_published_by_the_clock.rows(quyu.pk)) == expected
    assert not _published_by_the_clock.is_prepared(quyu.pk)
    later = story(editor, section=quyu, headline="区域新闻又一条")
    assert pks(_published_by_the_clock.rows(quyu.pk)) == expected + [later.pk]
    assert _published_by_the_clock.count(quyu.pk) == 8
    assert pks(_published_by_the_clock.slice(6, None, quyu.pk)) == [expected[-1], later.pk]


@pytest.mark.parametrize(
    "query, value, expected",
    [
        (_headlines_starting, "区域新闻", 7),
        (_headlines_starting, "要闻", 3),
        (_headlines_containing, "第1条", 2),
        (_headlines_containing, "稿", 2),
    ],
)
def test_an_argument_the_lookup_rewrites_runs_through_the_orm(world, query, value, expected):
    rows = query.rows(value)
    assert len(rows) == expected
    assert pks(rows) == pks(query(value))
    assert query.count(value) == expected
    assert not query.is_prepared(value)
    # Another value: the ORM's answer again, not the first value's.
    assert pks(query.rows("无")) == pks(query("无"))


def test_an_argument_that_changes_the_sql_runs_through_the_orm(world):
    everything = pks(Article.objects.order_by("pk"))
    assert pks(_first.rows(2)) == everything[:2]
    assert pks(_first.rows(5)) == everything[:5]
    assert _first.count(4) == 4
    assert pks(_first.slice(1, 3, 5)) == everything[1:3]
    assert not _first.is_prepared(2)


@pytest.mark.parametrize(
    "value",
    [decimal.Decimal("10"), 10.5, 2**40, -(2**40)],
    ids=["decimal", "float", "big-int", "big-negative-int"],
)
def test_an_argument_of_a_type_it_does_not_swap_runs_through_the_orm(world, value):
    assert pks(_longer_than.rows(value)) == pks(_longer_than(value))
    assert _longer_than.count(value) == _longer_than(value).count()
    assert not _longer_than.is_prepared(value)


def test_an_object_argument_runs_through_the_orm(world):
    for section in world["sections"].values():
        assert pks(_in_section_object.rows(section)) == pks(_in_section_object(section))
        assert not _in_section_object.is_prepared(section)
    assert len(_in_section_object.rows(world["sections"]["yaowen"])) == 3


def test_an_int_zero_runs_through_the_orm(world):
    assert [s.slug for s in _sections_from.rows(0)] == ["yaowen", "quyu", "minsheng"]
    assert not _sections_from.is_prepared(0)
    assert [s.slug for s in _sections_from.rows(2)] == ["quyu", "minsheng"]
    assert _sections_from.is_prepared(2)
    assert [s.slug for s in _sections_from.rows(0)] == ["yaowen", "quyu", "minsheng"]
    assert _sections_from.count(0) == 3


def test_an_empty_string_runs_through_the_orm(world):
    no_kicker = pks(Article.objects.filter(kicker="").order_by("pk"))
    assert len(no_kicker) == 11
    assert pks(_with_kicker.rows("")) == no_kicker
    assert not _with_kicker.is_prepared("")
    assert pks(_with_kicker.rows("优化营商环境")) == [world["loose"].pk]
    assert pks(_with_kicker.rows("")) == no_kicker
    assert _with_kicker.count("") == 11


def test_a_string_holding_the_stand_ins_marker_runs_through_the_orm(world):
    marked = "\ue000prepared-a0\ue001"
    assert _with_kicker.rows(marked) == []
    assert not _with_kicker.is_prepared(marked)


def test_a_stand_in_the_field_refuses_runs_through_the_orm(world):
    article = world["quyu"][0]
    assert pks(_by_pk_text.rows(str(article.pk))) == [article.pk]
    assert not _by_pk_text.is_prepared(str(article.pk))


def test_a_list_it_cannot_swap_runs_through_the_orm(world):
    a = pks(world["quyu"])
    for ids in ([a[0], 0], [a[0], None], [a[0], [a[1]]], [a[0], decimal.Decimal(a[1])]):
        assert not _by_ids.is_prepared(ids)
    assert pks(_by_ids.rows([a[0], 0])) == [a[0]]
    assert pks(_by_ids.rows([a[0], decimal.Decimal(a[1])])) == [a[0], a[1]]


@pytest.mark.parametrize(
    "call",
    [
        lambda now: _published_in.rows(1, now),
        lambda now: _published_in.slice(0, 5, 1, now),
        lambda now: _published_in.count(1, now),
        lambda now: _published_in.is_prepared(1, now),
        lambda now: Paginator(_published_in.pages(1, now), 5).count,
        lambda now: _by_ids.rows([now]),
    ],
    ids=["rows", "slice", "count", "is_prepared", "pages", "in-a-list"],
)
def test_a_naive_datetime_is_refused(db, call):
    with pytest.raises(TypeError, match="aware"):
        call(datetime.datetime(2020, 9, 9, 8, 0))


def test_the_plans_are_bounded(world, monkeypatch):
    monkeypatch.setattr(prepared_module, "MAX_PLANS", 2)
    stories = pks(world["quyu"])
    for n in range(1, 6):
        assert pks(_by_ids.rows(stories[:n])) == stories[:n]
    assert len(_by_ids.plans) == 2
    assert pks(_by_ids.rows(stories[:5])) == stories[:5]  # still right, built each time


# --- what a queryset's own methods do still happens -------------------------------------------
def test_a_querysets_fetch_all_still_attaches_the_card_bylines(world, django_assert_num_queries):
    quyu, yaowen = world["sections"]["quyu"], world["sections"]["yaowen"]
    for section in (quyu, yaowen, quyu):  # the plan's second and third use too
        rows = _cards_in_section.rows(section.pk)
        with django_assert_num_queries(0):
            names = [[b.person.display_name for b in article.bylines.all()] for article in rows]
            headlines = [article.headline for article in rows]
        expected = [
            [b.person.display_name for b in ArticleByline.objects.filter(article=article)]
            for article in rows
        ]
        assert names == expected
        assert headlines == [a.headline for a in _cards_in_section(section.pk)]
    assert ["张改华", "吕杨子"] in names
    assert _card_bylines.plans  # the bylines came through their own prepared query


def test_slices_and_pages_attach_the_card_bylines_too(world, django_assert_num_queries):
    quyu = world["sections"]["quyu"]
    with django_assert_num_queries(2):
        rows = _cards_in_section.slice(2, 5, quyu.pk)
    with django_assert_num_queries(0):
        assert all(len(article.bylines.all()) == 2 for article in rows)
    page = Paginator(_cards_in_section.pages(quyu.pk), 3).page(2)
    with django_assert_num_queries(0):
        assert all(len(article.bylines.all()) == 2 for article in page.object_list)


def test_for_detail_annotations_and_what_the_page_shows(paper, django_assert_num_queries):
    article = paper["articles"][1]  # with a photo, an event, a gallery and a tag
    plain = list(_detail(article.slug))[0]
    _detail.rows(paper["articles"][0].slug)  # the plan, made with another story
    found = _detail.rows(article.slug)
    assert pks(found) == [article.pk]
    found = found[0]
    for flag in ("has_tags", "has_events", "has_galleries", "has_corrections"):
        assert getattr(found, flag) == getattr(plain, flag), flag
    assert (found.has_tags, found.has_events, found.has_galleries) == (True, True, True)
    with django_assert_num_queries(0):
        assert [b.person.display_name for b in found.bylines.all()] == [
            b.person.display_name for b in plain.bylines.all()
        ]
        assert [t.name for t in found.tags.all()] == [t.name for t in plain.tags.all()]
        assert pks(found.events.all()) == pks(plain.events.all()) == [paper["event"].pk]
        assert pks(found.galleries.all()) == [paper["gallery"].pk]
        assert list(found.corrections.all()) == []
        assert found.section.slug == "quyu"
        assert found.lead_photo.credit.display_name == "张亮"
    assert _detail.is_prepared(article.slug)
    assert _detail.rows("no-such-story") == []


def test_the_same_queries_as_the_orm_for_detail(paper):
    article = paper["articles"][1]
    list(_detail(article.slug))  # content types cached
    _plain, orm_queries = queries_of(lambda: list(_detail(article.slug)))
    _first_rows, first_queries = queries_of(lambda: _detail.rows(article.slug))
    _again, again_queries = queries_of(lambda: _detail.rows(article.slug))
    assert first_queries == again_queries == orm_queries


def test_prefetch_related_still_runs(paper, django_assert_num_queries):
    gallery = paper["gallery"]
    second = make_gallery(title="第二个图集", section=paper["sections"]["quyu"])
    GalleryByline.objects.create(
        gallery=second, person=make_person("摄影师乙"), role=Role.PHOTOGRAPHER
    )
    section_id = gallery.section_id
    _plain, orm_queries = queries_of(lambda: list(_galleries_in(section_id)))
    _galleries_in.rows(paper["sections"]["yaowen"].pk)
    rows, queries = queries_of(lambda: _galleries_in.rows(section_id))
    assert queries == orm_queries == 2  # the galleries, their bylines with their people
    assert pks(rows) == [gallery.pk, second.pk]
    with django_assert_num_queries(0):
        assert [[b.person.display_name for b in g.bylines.all()] for g in rows] == [
            ["张亮"],
            ["摄影师乙"],
        ]
        assert rows[0].section.slug == "quyu"
    assert _galleries_in.is_prepared(section_id)


def test_annotations_and_the_cards_first_photos(paper, editor, django_assert_num_queries):
    uncovered = paper["gallery"]
    covered = make_gallery(by=editor, title="有封面的图集")
    cover = make_photo(covered, order=0, caption="封面")
    make_photo(covered, order=1, caption="第二张")
    covered.cover_photo = cover
    covered.save()
    covered.publish(by=editor)
    empty = make_gallery(by=editor, title="空图集")
    empty.publish(by=editor)
    now = timezone.now()
    plain = list(_gallery_cards(now))
    rows = _gallery_cards.rows(now)
    assert pks(rows) == pks(plain) == [empty.pk, covered.pk, uncovered.pk]
    assert [g.photo_count for g in rows] == [g.photo_count for g in plain] == [0, 2, 3]
    with django_assert_num_queries(0):
        covers = [g.cover for g in rows]
    assert covers[0] is None
    assert covers[1].pk == cover.pk
    assert covers[2].pk == paper["photos"][0].pk
    assert _gallery_cards.count(now) == 3
    assert [g.photo_count for g in _gallery_cards.slice(1, None, now)] == [2, 3]


# --- plans are dropped when what they hold may change ------------------------------------------
def test_a_settings_change_drops_the_plans(world, settings):
    quyu = world["sections"]["quyu"].pk
    _cards_in_section.rows(quyu)  # also _card_bylines' plan
    _rows_in_section.count(quyu)
    assert len(_cards_in_section.plans) == 1
    assert len(_rows_in_section.plans) == 1
    assert _card_bylines.plans
    settings.SITE_NAME = "另一家报纸"
    assert len(_cards_in_section.plans) == 0
    assert len(_rows_in_section.plans) == 0
    assert not _card_bylines.plans
    assert pks(_cards_in_section.rows(quyu)) == pks(_cards_in_section(quyu))
    assert len(_cards_in_section.plans) == 1


def test_override_settings_drops_the_plans_on_entry_and_exit(world):
    quyu = world["sections"]["quyu"].pk
    _rows_in_section.rows(quyu)
    with override_settings(SITE_NAME="另一家报纸"):
        assert len(_rows_in_section.plans) == 0
        _rows_in_section.rows(quyu)
        assert len(_rows_in_section.plans) == 1
    assert len(_rows_in_section.plans) == 0


def test_post_migrate_drops_the_plans(world):
    quyu = world["sections"]["quyu"].pk
    _rows_in_section.rows(quyu)
    _by_ids.rows([quyu])
    app = apps.get_app_config("staticfiles")  # no models: the other receivers do nothing
    post_migrate.send(
        sender=app,
        app_config=app,
        verbosity=0,
        interactive=False,
        using=connection.alias,
        apps=apps,
        plan=[],
    )
    assert len(_rows_in_section.plans) == 0
    assert len(_by_ids.plans) == 0


def test_a_content_type_id_is_not_stale_after_the_plans_are_dropped(world, settings):
    section = world["sections"]["quyu"]
    tag = Tag.objects.create(name="核心片区", slug="hexin")
    old_type = ContentType.objects.get_for_model(Section)
    TaggedItem.objects.create(tag=tag, content_type=old_type, object_id=section.pk)
    assert [item.tag.name for item in _tagged_sections.rows([section.pk])] == ["核心片区"]
    assert _tagged_sections.is_prepared([section.pk])

    # The content type is made again, under a new id (as a flush and migrate would).
    old_type.delete()
    ContentType.objects.clear_cache()
    new_type = ContentType.objects.get_for_model(Section)
    assert new_type.pk != old_type.pk
    item = TaggedItem.objects.create(tag=tag, content_type=new_type, object_id=section.pk)
    assert _tagged_sections.rows([section.pk]) == []  # the old id is compiled in (documented)

    app = apps.get_app_config("staticfiles")
    post_migrate.send(
        sender=app,
        app_config=app,
        verbosity=0,
        interactive=False,
        using=connection.alias,
        apps=apps,
        plan=[],
    )
    assert pks(_tagged_sections.rows([section.pk])) == [item.pk]
    assert _tagged_sections.count([section.pk]) == 1

    # And through a settings change likewise.
    new_type.delete()
    ContentType.objects.clear_cache()
    newer_type = ContentType.objects.get_for_model(Section)
    item = TaggedItem.objects.create(tag=tag, content_type=newer_type, object_id=section.pk)
    settings.SITE_NAME = "另一家报纸"
    assert pks(_tagged_sections.rows([section.pk])) == [item.pk]


# --- what the stand-ins once let through, now refused or handled -----------------------------
def test_iexact_with_a_like_wildcard_in_the_value(db):
    wanted = Section.objects.create(name="甲", slug="a_b")
    Section.objects.create(name="乙", slug="axb")
    assert pks(_section_iexact("A_B")) == [wanted.pk]
    assert pks(_section_iexact.rows("A_B")) == [wanted.pk]


@pytest.mark.parametrize(
    "query, value",
    [(_section_normalised, " QuYu "), (_sections_listed, "quyu,yaowen")],
    ids=["strip-lower", "split"],
)
def test_an_argument_the_function_rewrites(world, query, value):
    expected = pks(query(value))
    assert expected
    assert pks(query.rows(value)) == expected


def test_a_comparison_between_arguments(world):
    expected = pks(_from_lower_page(7, 2))
    assert len(expected) == 7  # the stories on pages 2 and 3
    assert pks(_from_lower_page.rows(7, 2)) == expected


def test_an_argument_read_through_the_database(world):
    assert pks(_in_section_at("yaowen")) == pks(world["yaowen"])
    assert pks(_in_section_at.rows("yaowen")) == pks(world["yaowen"])


def test_an_int_below_the_columns_range(world):
    expected = pks(_pages_from(-1))
    assert len(expected) == 12  # every story, with a page or not
    assert pks(_pages_from.rows(-1)) == expected


def test_an_int_above_the_columns_range(world):
    expected = pks(_pages_up_to(40000))
    assert len(expected) == (12 if ON_POSTGRESQL else 10)
    assert pks(_pages_up_to.rows(40000)) == expected


def test_an_int_after_a_long_list(world):
    ids = list(range(10**6, 10**6 + 345)) + pks(world["quyu"])
    expected = [a.pk for a in world["quyu"] if a.print_page == 2]
    assert pks(_on_page_among(ids, 2)) == expected
    assert pks(_on_page_among.rows(ids, 2)) == expected


def test_a_year_lookup(db, editor):
    event = make_event(by=editor, starts_at=timezone.now())
    year = timezone.now().year
    assert pks(_events_in_year(year)) == [event.pk]
    assert pks(_events_in_year.rows(year)) == [event.pk]


def test_an_argument_naming_a_field(world):
    expected = [s.slug for s in _sections_sorted_by("-slug")]
    assert expected == ["yaowen", "quyu", "minsheng"]
    assert [s.slug for s in _sections_sorted_by.rows("-slug")] == expected


def test_a_negative_slice_is_refused_as_the_orm_refuses_it(world):
    with pytest.raises(ValueError):
        _first.slice(-1, None, 3)  # the ORM path
    with pytest.raises(ValueError):
        _on_page.slice(-1, None, 2)


def test_an_attached_relation_refined_is_still_the_instances(world):
    quyu = world["sections"]["quyu"]
    article = next(a for a in _cards_in_section.rows(quyu.pk) if a.pk == world["quyu"][0].pk)
    own = list(ArticleByline.objects.filter(article=article).order_by("order", "pk"))
    assert len(own) == 2
    assert pks(article.bylines.all()) == pks(own)
    assert pks(article.bylines.order_by("order", "pk")) == pks(own)
    assert pks(article.bylines.filter(role=Role.REPORTER)) == [own[0].pk]


def test_an_article_with_attached_relations_pickles_and_keeps_them(
    world, django_assert_num_queries
):
    quyu = world["sections"]["quyu"]
    article = next(a for a in _cards_in_section.rows(quyu.pk) if a.pk == world["quyu"][0].pk)
    own = list(ArticleByline.objects.filter(article=article).order_by("order", "pk"))
    copy = pickle.loads(pickle.dumps(article))
    with django_assert_num_queries(0):
        assert pks(copy.bylines.all()) == pks(own)
    assert pks(copy.bylines.filter(role=Role.REPORTER)) == [own[0].pk]
