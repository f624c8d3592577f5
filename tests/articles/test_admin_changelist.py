"""The article change list: a fixed number of queries however many articles, working filters
and search, and no COUNT over the whole table (an archive has hundreds of thousands)."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from people.models import Role
from tests.helpers import make_article, make_person, make_section

CHANGELIST = reverse("admin:articles_article_changelist")

# The change list for an editor, whatever the number of rows on the page:
#  1. the session
#  2. the user
#  3. the user's groups (newsroom.roles, once per request)
#  4. the user's own permissions
#  5. the permissions of the user's groups
#  6. the sections, for the section filter
#  7. the staff people, for the person filter
#  8. the capped count: SELECT COUNT(*) FROM (SELECT … LIMIT 10001)
#  9. the page of articles, with their section joined
# 10. the bylines of those articles, with their people joined (one prefetch)
# 11. the user's desk roles (newsroom.review.rules, once per request)
# 12. the header's "To sign" count: one capped COUNT over a UNION of the content types
# plus the savepoint pair reversion opens around the view on databases that support them.
CHANGELIST_QUERIES = 12


@pytest.fixture(autouse=True)
def in_english(settings):
    settings.LANGUAGE_CODE = "en"


def fill(count, reporter):
    section = make_section("要闻")
    people = [make_person(f"记者{i}") for i in range(3)]
    for i in range(count):
        make_article(
            by=reporter,
            headline=f"第{i}条新闻",
            section=section,
            bylines=[
                (person, Role.REPORTER if n else Role.CORRESPONDENT)
                for n, person in enumerate(people)
            ],
        )


def real_queries(context):
    return [
        q["sql"]
        for q in context.captured_queries
        if not q["sql"].upper().startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
    ]


def assert_no_unbounded_count(queries):
    for sql in queries:
        if "COUNT(" in sql.upper():
            assert re.search(r"LIMIT \d+\)", sql), f"an unbounded count: {sql}"


@pytest.mark.parametrize("count", [5, 50])
def test_the_change_list_runs_the_same_queries_for_5_and_50_articles(
    client, reporter, editor, count
):
    fill(count, reporter)
    client.force_login(editor)
    client.get(CHANGELIST)  # the session's first use is not what we measure

    with CaptureQueriesContext(connection) as context:
        response = client.get(CHANGELIST)

    assert response.status_code == 200
    assert response.context["cl"].result_count == count
    queries = real_queries(context)
    assert len(queries) == CHANGELIST_QUERIES, "\n".join(queries)
    assert_no_unbounded_count(queries)
    page = response.content.decode()
    assert "第0条新闻" in page and f"第{count - 1}条新闻" in page
    # Bylines are listed in their order, from the prefetch.
    assert "记者0、记者1、记者2" in page


def test_the_count_is_capped_and_facets_are_never_counted(client, reporter, editor):
    fill(3, reporter)
    client.force_login(editor)
    for query in ["", "?_facets=True", "?q=新闻", "?status__exact=draft&_facets=True"]:
        with CaptureQueriesContext(connection) as context:
            response = client.get(CHANGELIST + query)
        assert response.status_code == 200
        assert_no_unbounded_count(real_queries(context))
        assert response.context["cl"].result_count == 3


def listed(response):
    return {str(a) for a in response.context["cl"].result_list}


@pytest.fixture
def newsroom_articles(reporter, other_reporter, editor):
    sport = make_section("体育")
    news = make_section("要闻")
    alice, bob = reporter.person, other_reporter.person
    articles = {
        "draft": make_article(
            by=reporter, headline="社区食堂开业", section=news, bylines=[(alice, Role.REPORTER)]
        ),
        "review": make_article(
            by=other_reporter,
            headline="马拉松开跑",
            section=sport,
            bylines=[(bob, Role.REPORTER)],
            kicker="全民健身",
        ),
        "week_old": make_article(
            by=reporter,
            headline="地铁新线通车",
            section=news,
            bylines=[(alice, Role.REPORTER), (bob, Role.REPORTER)],
        ),
        "old": make_article(
            by=other_reporter, headline="秋粮收购启动", section=news, bylines=[(bob, Role.REPORTER)]
        ),
    }
    articles["review"].submit_for_review(by=other_reporter)
    for key, days in [("week_old", 3), ("old", 400)]:
        articles[key].publish(by=editor)
        Article.objects.filter(pk=articles[key].pk).update(
            publish_at=timezone.now() - datetime.timedelta(days=days)
        )
    return articles


def choice_link(response, filter_title, display):
    """The query string of a filter choice, as the sidebar links to it."""
    cl = response.context["cl"]
    for spec in cl.filter_specs:
        if str(spec.title) == filter_title:
            for choice in spec.choices(cl):
                if str(choice["display"]) == display:
                    return choice["query_string"]
    raise AssertionError(f"no choice {display!r} in filter {filter_title!r}")


def test_filters_by_status_section_person_and_publication_date(
    client, editor, other_reporter, newsroom_articles
):
    client.force_login(editor)
    start = client.get(CHANGELIST)
    assert listed(start) == {"社区食堂开业", "马拉松开跑", "地铁新线通车", "秋粮收购启动"}

    assert listed(client.get(CHANGELIST + choice_link(start, "status", "In review"))) == {
        "马拉松开跑"
    }
    assert listed(client.get(CHANGELIST + choice_link(start, "section", "体育"))) == {"马拉松开跑"}
    assert listed(client.get(CHANGELIST + choice_link(start, "person", "李明"))) == {
        "马拉松开跑",
        "地铁新线通车",
        "秋粮收购启动",
    }
    assert listed(client.get(CHANGELIST + choice_link(start, "publish at", "Past 7 days"))) == {
        "地铁新线通车"
    }
    assert listed(client.get(CHANGELIST + choice_link(start, "publish at", "No date"))) == {
        "社区食堂开业",
        "马拉松开跑",
    }

    # Filters combine.
    combined = client.get(
        CHANGELIST, {"status__exact": "published", "person": other_reporter.person.pk}
    )
    assert listed(combined) == {"地铁新线通车", "秋粮收购启动"}


def test_a_nonsense_filter_value_does_not_break_the_list(client, editor, newsroom_articles):
    client.force_login(editor)
    response = client.get(CHANGELIST, {"person": "abc"})
    assert response.status_code == 200
    assert len(listed(response)) == 4


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("马拉松", {"马拉松开跑"}),
        ("全民健身", {"马拉松开跑"}),
        ("地铁", {"地铁新线通车"}),
        ("没有这条", set()),
    ],
)
def test_search_finds_headlines_and_kickers(client, editor, newsroom_articles, query, expected):
    client.force_login(editor)
    with CaptureQueriesContext(connection) as context:
        response = client.get(CHANGELIST, {"q": query})
    assert listed(response) == expected
    assert_no_unbounded_count(real_queries(context))


def test_a_reporter_sees_the_list_without_delete_or_recover(client, reporter, newsroom_articles):
    client.force_login(reporter)
    response = client.get(CHANGELIST)
    assert response.status_code == 200
    page = response.content.decode()
    assert "社区食堂开业" in page
    assert "delete_selected" not in page
    assert "/recover/" not in page
