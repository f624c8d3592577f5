"""The public search page, /search/: states, highlights, filters, pagination, hostile input,
visibility, a search box on every public page, and a fixed number of queries."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from people.models import Role
from tests.helpers import (
    STATES,
    build_paper,
    make_article,
    make_event,
    make_gallery,
    make_person,
    make_section,
    put_in_state,
)

SEARCH = "/search/"


@pytest.fixture(autouse=True)
def in_english(settings):
    settings.LANGUAGE_CODE = "en"


def get(client, **params):
    response = client.get(SEARCH, params)
    assert response.status_code == 200
    return response


def titles(response) -> list[str]:
    return [re.sub(r"</?mark>", "", hit.title_html) for hit in response.context["hits"]]


def story(editor, at=None, bylines=(), **fields) -> Article:
    article = make_article(by=editor, bylines=bylines, **fields)
    article.publish(by=editor)
    if at is not None:
        Article.objects.filter(pk=article.pk).update(publish_at=at, first_published_at=at)
    return article


def test_without_a_query_the_page_explains_what_to_type(client, db):
    response = get(client)
    page = response.content.decode()
    assert "hits" not in response.context
    assert 'name="q"' in page and "a single character" in page


def test_a_query_with_nothing_to_search_for_says_so(client, db):
    page = get(client, q="!!! <-> &&").content.decode()
    assert "has no characters or words to search for" in page


def test_no_match_gives_a_helpful_empty_state(client, editor):
    story(editor, headline="贾鲁河片区")
    page = get(client, q="没有这条", section="abc").content.decode()
    assert "Nothing published matches “没有这条”" in page
    assert "try leaving one out" in page


def test_results_are_ranked_and_highlighted(client, editor):
    now = timezone.now()
    body_hit = story(
        editor, at=now, headline="中原区召开推进会", body="<p>会上，乔耸对贾鲁河治理提出要求。</p>"
    )
    headline_hit = story(
        editor,
        at=now - datetime.timedelta(days=5),
        headline="乔耸调研贾鲁河片区",
        body="<p>调研。</p>",
    )
    response = get(client, q="乔耸")
    assert titles(response) == [headline_hit.headline, body_hit.headline]
    page = response.content.decode()
    assert "<mark>乔耸</mark>调研贾鲁河片区" in page
    assert "会上，<mark>乔耸</mark>对贾鲁河治理提出要求。" in page
    assert "1 result" not in page and "2 results" in page
    assert f'href="{headline_hit.get_absolute_url()}"' in page


def test_a_story_hit_shows_its_type_section_byline_and_date(client, editor):
    at = datetime.datetime(2026, 3, 8, 1, 30, tzinfo=datetime.UTC)  # 09:30 in Shanghai
    reporter, correspondent = make_person("张改华"), make_person("吕杨子")
    article = story(
        editor,
        at=at,
        headline="中原区召开推进会",
        body="<p>会上，乔耸对贾鲁河治理提出要求。</p>",
        section=make_section("要闻"),
        bylines=[(reporter, Role.REPORTER), (correspondent, Role.CORRESPONDENT)],
    )
    page = get(client, q="贾鲁河").content.decode()
    start = page.index('<li class="search-result')
    hit = page[start : page.index("</li>", start)]
    assert '<p class="search-result-kind">Article · 要闻</p>' in hit
    assert f'href="{article.get_absolute_url()}"' in hit
    assert "对<mark>贾鲁河</mark>治理" in hit
    for person in (reporter, correspondent):
        assert f'<a href="{person.get_absolute_url()}">{person.display_name}</a>' in hit
    assert hit.index("张改华") < hit.index("吕杨子")
    assert '<time datetime="2026-03-08T09:30:00+08:00">' in hit


def test_what_readers_typed_is_shown_back_escaped(client, editor):
    story(editor, headline="AI 赋能")
    page = get(client, q='<script>alert("AI")</script>').content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;" in page


def test_articles_events_and_galleries_are_all_found_and_filtered_by_type(client, editor):
    paper = build_paper(editor)
    response = get(client, q="生态中原")
    kinds = {hit.kind for hit in response.context["hits"]}
    assert kinds == {"article", "event", "gallery"}
    for kind, expected in [
        ("article", paper["articles"][1].headline),
        ("event", paper["event"].title),
        ("gallery", paper["gallery"].title),
    ]:
        assert titles(get(client, q="生态中原", type=kind)) == [expected]


def test_the_section_filter(client, editor):
    news, sport = make_section("要闻"), make_section("体育")
    story(editor, headline="马拉松开跑 要闻版", section=news)
    story(editor, headline="马拉松开跑 体育版", section=sport)
    assert titles(get(client, q="马拉松", section=sport.slug)) == ["马拉松开跑 体育版"]
    assert len(get(client, q="马拉松").context["hits"]) == 2


def test_the_person_filter(client, editor):
    alice, bob = make_person("张改华"), make_person("李明")
    story(editor, headline="社区食堂开业 甲", bylines=[(alice, Role.REPORTER)])
    story(editor, headline="社区食堂开业 乙", bylines=[(bob, Role.REPORTER)])
    assert titles(get(client, q="食堂", person=bob.slug)) == ["社区食堂开业 乙"]
    # A reader types the name as the byline prints it; the box shows what was typed.
    response = get(client, q="食堂", person=" 李明 ")
    assert titles(response) == ["社区食堂开业 乙"]
    assert 'name="person" value=" 李明 "' in response.content.decode()


def test_the_person_filter_takes_a_name_in_any_case_and_everyone_who_has_it(client, editor):
    first, second, other = make_person("Anna Li"), make_person("Anna Li"), make_person("张改华")
    assert first.slug != second.slug
    story(editor, headline="Marathon route 1", bylines=[(first, Role.REPORTER)])
    story(editor, headline="Marathon route 2", bylines=[(second, Role.PHOTOGRAPHER)])
    story(editor, headline="Marathon route 3", bylines=[(other, Role.REPORTER)])
    found = titles(get(client, q="marathon", person="anna  LI"))
    assert sorted(found) == ["Marathon route 1", "Marathon route 2"]


def test_the_person_filter_ignores_someone_with_no_published_work(client, editor):
    drafter = make_person("吕杨子")
    make_article(by=editor, headline="贾鲁河片区 草稿", bylines=[(drafter, Role.CORRESPONDENT)])
    story(editor, headline="贾鲁河片区")
    response = get(client, q="贾鲁河", person="吕杨子")
    assert titles(response) == ["贾鲁河片区"]
    assert "nobody of that name has published work" in response.content.decode()


def test_the_form_lists_no_people(client, editor):
    """The person filter is typed: a page does not carry (nor query) everyone credited."""
    people = [make_person(f"通讯员{i}") for i in range(3)]
    for i, person in enumerate(people):
        story(editor, headline=f"贾鲁河 第{i}篇", bylines=[(person, Role.REPORTER)])
    response = get(client, q="贾鲁河")
    assert len(response.context["hits"]) == 3
    form = re.search(r'<form class="search-form".*?</form>', response.content.decode(), re.S)
    assert not any(person.display_name in form.group(0) for person in people)


def test_the_date_range_filter_and_reversed_dates(client, editor):
    now = timezone.now()
    story(editor, headline="防汛简报 去年", at=now - datetime.timedelta(days=400))
    story(editor, headline="防汛简报 上月", at=now - datetime.timedelta(days=30))
    story(editor, headline="防汛简报 今天", at=now)
    start = (now - datetime.timedelta(days=60)).date().isoformat()
    end = (now - datetime.timedelta(days=10)).date().isoformat()
    assert titles(get(client, q="防汛", **{"from": start, "to": end})) == ["防汛简报 上月"]
    response = get(client, q="防汛", **{"from": end, "to": start})
    assert titles(response) == ["防汛简报 上月"]
    assert "wrong way round" in response.content.decode()
    assert titles(get(client, q="防汛", **{"from": start})) == ["防汛简报 今天", "防汛简报 上月"]


@pytest.mark.parametrize(
    "params",
    [
        {"section": "abc"},
        {"person": "nobody"},
        {"type": "podcast"},
        {"from": "2020-13-45"},
        {"to": "yesterday"},
        {"from": "9" * 40},
        {"page": "-1"},
        {"page": "abc"},
        {"page": "99999999999999999999999999"},
        {"page": "0"},
    ],
)
def test_hostile_filter_values_are_ignored_with_a_notice(client, editor, params):
    story(editor, headline="贾鲁河片区")
    response = get(client, q="贾鲁河", **params)
    assert titles(response) == ["贾鲁河片区"]
    if set(params) - {"page"}:
        assert "filter was ignored" in response.content.decode()
        # A field that says it is described by its error names the notice that is shown.
        html = response.content.decode()
        for described in re.findall(r'aria-describedby="([^"]+)"', html):
            assert f'id="{described}"' in html


HOSTILE = [
    "' OR 1=1 --",
    '"',
    "\\",
    "| & ! ( ) : * < > <-> <2>",
    "乔耸:*",
    "区" * 3000,
    "a" * 3000,
    "\x01\x1b[31m\x7f",
    "%s %(x)s",
    "\ufeff\u200b",
]


@pytest.mark.parametrize("query", ["\x00", "乔耸\x00"])
def test_a_query_with_a_nul_is_a_bad_request(client, editor, query):
    # newsroom/request_guard.py: no text with a NUL reaches a view (PostgreSQL refuses it).
    assert client.get(SEARCH, {"q": query}).status_code == 400


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_answer_200(client, editor, query):
    story(editor, headline="乔耸调研")
    response = get(client, q=query)
    assert "\x00" not in response.content.decode()


def test_pagination_keeps_the_query_and_filters(client, editor):
    section = make_section("要闻")
    for i in range(25):
        story(editor, headline=f"第{i}期防汛简报", section=section)
    first = get(client, q="防汛", section=section.slug)
    assert len(first.context["hits"]) == 20 and first.context["total"] == 25
    page = first.content.decode()
    link = re.search(r'<a rel="next" href="([^"]+)"', page).group(1)
    assert "q=" in link and "section=" in link and "page=2" in link
    second = client.get(link.replace("&amp;", "&"))
    assert len(second.context["hits"]) == 5
    assert not {h.pk for h in first.context["hits"]} & {h.pk for h in second.context["hits"]}
    # Past the end: the last page.
    assert get(client, q="防汛", page="9").context["page_obj"].number == 2


@pytest.mark.parametrize("model", ["article", "event", "gallery"])
def test_unpublished_items_are_never_in_public_results(client, editor, model):
    make = {"article": make_article, "event": make_event, "gallery": make_gallery}[model]
    title = "headline" if model == "article" else "title"
    for state in STATES:
        put_in_state(make(by=editor, **{title: f"汛情通报 {state}"}), state, editor)
    found = titles(get(client, q="汛情通报"))
    assert sorted(found) == ["汛情通报 published", "汛情通报 scheduled_live"]


def test_every_public_page_has_a_search_box(client, editor):
    paper = build_paper(editor)
    article = paper["articles"][0]
    pages = [
        "/",
        article.get_absolute_url(),
        article.section.get_absolute_url(),
        paper["event"].get_absolute_url(),
        paper["gallery"].get_absolute_url(),
        reverse("articles:events"),
        reverse("articles:galleries"),
        reverse("articles:archive"),
        SEARCH,
        SEARCH + "?q=中原",
        "/no-such-page/",
    ]
    for url in pages:
        page = client.get(url).content.decode()
        form = re.search(r'<form[^>]*action="/search/"[^>]*>.*?</form>', page, re.S)
        assert form and 'name="q"' in form.group(0), url


def test_the_results_page_runs_a_fixed_number_of_queries(client, editor, django_assert_num_queries):
    paper = build_paper(editor)
    for i in range(5):
        story(editor, headline=f"生态中原建设第{i}期", section=paper["articles"][0].section)
    client.get(SEARCH, {"q": "生态中原"})  # warm the content-type and translation caches
    # 1. the sections (filter), 2. the search statement (on PostgreSQL with its planner
    # settings, in the same round trip), then the page's objects: 3. articles with their
    # section, 4. their bylines with people, 5. events, 6. galleries with section and cover,
    # 7. their bylines, 8. their photos (captions are in the snippet), 9. the masthead's
    # sections. A person typed in the filter adds the look-up of that name.
    with django_assert_num_queries(9):
        response = client.get(SEARCH, {"q": "生态中原"})
    assert {hit.kind for hit in response.context["hits"]} == {"article", "event", "gallery"}
    # A person typed adds that name's look-up (and events drop out: they have no bylines):
    # 1. sections, 2. the people of that name, 3. the statement, 4. articles, 5. bylines,
    # 6. the masthead, however many people the paper credits.
    typed = make_person("生态记者")
    story(editor, headline="生态中原建设特稿", bylines=[(typed, Role.REPORTER)])
    for extra in range(2):
        with django_assert_num_queries(6):
            response = client.get(SEARCH, {"q": "生态中原", "person": typed.display_name})
        assert [hit.object.headline for hit in response.context["hits"]] == ["生态中原建设特稿"]
        for i in range(5):
            other = make_person(f"记者{extra}{i}")
            story(editor, headline=f"生态中原建设第{extra}{i}篇", bylines=[(other, Role.REPORTER)])


def test_renaming_a_section_a_person_or_a_tag_rewrites_no_document_and_search_follows(
    client, editor
):
    """Documents hold an item's own text only; sections, bylines and tags are joined when a
    search runs. So a rename touching thousands of stories has nothing to re-index (and no
    task to wait for): search is right at once."""
    from newsroom.search.documents import SearchDocument

    news, alice = make_section("要闻"), make_person("张改华")
    stories = [
        story(editor, headline=f"河道治理 第{i}篇", section=news, bylines=[(alice, Role.REPORTER)])
        for i in range(3)
    ]
    stories[0].tags.add("水利")
    written = dict(SearchDocument.objects.values_list("pk", "updated_at"))
    news.name = "时政要闻"
    news.save()
    alice.display_name = "张改华（特约）"
    alice.save()
    from taggit.models import Tag

    Tag.objects.filter(name="水利").update(name="水利建设")
    unchanged = {pk: at for pk, at in SearchDocument.objects.values_list("pk", "updated_at")}
    # Only the person's own document (people are searchable in the admin) was rewritten.
    rewritten = set(
        SearchDocument.objects.filter(
            pk__in=[pk for pk in written if unchanged[pk] != written[pk]]
        ).values_list("model_label", "object_id")
    )
    assert rewritten == {("people.person", alice.pk)}
    assert len(titles(get(client, q="河道治理", section=news.slug))) == 3
    assert len(titles(get(client, q="河道治理", person=alice.slug))) == 3
