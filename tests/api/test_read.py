"""The read API: what anonymous clients see, what each item carries, lists that stay put
(cursor), filters, conditional GET, and query counts that do not grow with the page."""

import datetime

import pytest
from django.utils import timezone

from people.models import Role
from tests.helpers import (
    STATES,
    add_bylines,
    make_article,
    make_event,
    make_gallery,
    make_photo,
    more_stories,
    put_in_state,
)

pytestmark = pytest.mark.django_db

KINDS = {
    "articles": lambda by: make_article(by=by, headline="未公开的调查"),
    "events": lambda by: make_event(by=by, title="未公开的活动"),
    "galleries": lambda by: make_gallery(by=by, title="未公开的图集"),
}


def ids(response) -> list[int]:
    return [item["id"] for item in response.json()["results"]]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("state", STATES)
def test_anonymous_clients_read_only_what_is_public_in_every_state(api, editor, kind, state):
    item = put_in_state(KINDS[kind](editor), state, editor)
    public = state in ("published", "scheduled_live")
    listed = api.get(f"/api/v1/{kind}/")
    assert listed.status_code == 200
    assert (item.pk in ids(listed)) is public
    detail = api.get(f"/api/v1/{kind}/{item.pk}/")
    assert detail.status_code == (200 if public else 404)
    ninjs = api.get(f"/api/v1/{kind}/{item.pk}/", {"format": "ninjs"})
    assert ninjs.status_code == (200 if public else 404)
    if not public:
        assert "未公开" not in listed.content.decode() + detail.content.decode()


def test_an_article_carries_what_its_page_shows(api, paper, site):
    article = paper["articles"][1]
    data = api.get(f"/api/v1/articles/{article.pk}/").json()
    assert data["kicker"] == "生态中原"
    assert data["headline"] == "喜迎国庆 “生态中原”摄影作品展开展"
    assert data["subheadline"] == "展出绿化建设成果图片28张"
    assert data["dateline"] == "本报讯"
    assert "<p>9月1日下午" in data["body"]
    # Bylines in their order, each with its role: not just the first author.
    assert [(b["person"]["name"], b["role"]) for b in data["bylines"]] == [
        ("张改华", "reporter"),
        ("吕杨子", "correspondent"),
    ]
    assert data["section"]["slug"] == "quyu"
    assert [t["name"] for t in data["tags"]] == ["理论学习"]
    assert data["lead_photo"]["caption"] == "摄影作品展开幕现场"
    assert data["lead_photo"]["credit"]["name"] == "张亮"
    rendition = data["lead_photo"]["renditions"][0]
    assert rendition["jpeg"].startswith("https://news.example.cn/photo-files/")
    assert [e["title"] for e in data["events"]] == ["“生态中原”摄影作品展"]
    assert [g["title"] for g in data["galleries"]] == ["“生态中原”摄影展掠影"]
    assert data["canonical_url"] == f"https://news.example.cn{article.get_absolute_url()}"
    assert data["status"] == "published"
    corrected = api.get(f"/api/v1/articles/{paper['articles'][0].pk}/").json()
    assert [c["text"] for c in corrected["corrections"]] == ["原文中“三十项”应为“三十一项”。"]


def test_a_gallery_lists_its_photos_in_order_with_credits(api, paper):
    gallery = paper["gallery"]
    data = api.get(f"/api/v1/galleries/{gallery.pk}/").json()
    assert [p["caption"] for p in data["photos"]] == [
        "摄影作品展开幕现场",
        "展出的绿化建设成果图片",
        "市民驻足观看生态廊道作品",
    ]
    assert data["photo_count"] == 3
    assert data["cover"]["caption"] == "摄影作品展开幕现场"
    assert [(b["person"]["name"], b["role"]) for b in data["bylines"]] == [("张亮", "photographer")]


def test_people_are_only_those_public_pages_may_show(api, paper, editor):
    from tests.helpers import make_person

    hidden = make_person("未署名者")
    make_article(by=editor, bylines=[(hidden, Role.CORRESPONDENT)])  # a draft
    names = [p["name"] for p in api.get("/api/v1/people/").json()["results"]]
    assert "张改华" in names and "张亮" in names
    assert "未署名者" not in names
    assert api.get(f"/api/v1/people/{hidden.pk}/").status_code == 404


def test_tags_are_only_those_of_published_stories(api, paper, editor):
    make_article(by=editor).tags.add("内部选题")
    names = [t["name"] for t in api.get("/api/v1/tags/").json()["results"]]
    assert "政协" in names
    assert "内部选题" not in names


def test_print_editions_count_their_pages_and_stories(api, paper):
    data = api.get("/api/v1/print-editions/").json()
    assert data["results"] == [{"date": "2020-09-09", "pages": 3, "stories": 4}]
    edition = api.get("/api/v1/articles/", {"print_edition": "2020-09-09"}).json()
    assert len(edition["results"]) == 4


def test_the_cursor_walks_every_story_once_while_one_is_published_in_between(api, editor):
    stories = more_stories(editor, 5)
    seen, url = [], "/api/v1/articles/?page_size=2&ordering=updated_at"
    while url:
        page = api.get(url).json()
        seen += [item["id"] for item in page["results"]]
        if len(seen) == 2:
            more_stories(editor, 1)  # changed after the sync began: comes last
        url = page["next"]
    assert seen[:5] == [s.pk for s in stories]
    assert len(seen) == len(set(seen)) == 6


def test_filters_by_section_tag_person_and_time(api, paper, editor):
    articles = paper["articles"]
    by_section = api.get("/api/v1/articles/", {"section": "quyu"})
    assert sorted(ids(by_section)) == sorted(a.pk for a in articles[1:])
    assert ids(api.get("/api/v1/articles/", {"tag": "政协"})) == [articles[3].pk]
    person = paper["correspondent"].slug
    assert len(ids(api.get("/api/v1/articles/", {"person": person}))) == 4
    assert ids(api.get("/api/v1/articles/", {"person": "nobody"})) == []
    later = timezone.now() + datetime.timedelta(seconds=1)
    assert ids(api.get("/api/v1/articles/", {"updated_since": later.isoformat()})) == []
    earlier = timezone.now() - datetime.timedelta(hours=1)
    assert len(ids(api.get("/api/v1/articles/", {"updated_since": earlier.isoformat()}))) == 4
    gallery = api.get("/api/v1/galleries/", {"person": paper["photographer"].slug})
    assert ids(gallery) == [paper["gallery"].pk]


def test_search_goes_through_the_sites_engine(api, paper):
    found = api.get("/api/v1/articles/", {"q": "政协"})
    assert ids(found) == [paper["articles"][3].pk]


@pytest.mark.parametrize(
    "params, field",
    [
        ({"updated_since": "yesterday"}, "updated_since"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "1000"}, "page_size"),
        ({"ordering": "headline"}, "ordering"),
        ({"print_edition": "2020-13-40"}, "print_edition"),
    ],
)
def test_a_bad_parameter_is_a_400_that_names_it(api, params, field):
    response = api.get("/api/v1/articles/", params)
    assert response.status_code == 400
    assert field in response.json()


def test_a_bad_cursor_or_id_is_not_found(api):
    assert api.get("/api/v1/articles/", {"cursor": "garbage"}).status_code == 404
    assert api.get("/api/v1/articles/999999999/").status_code == 404


def test_a_client_that_has_the_current_version_gets_304(api, paper, editor):
    article = paper["articles"][0]
    url = f"/api/v1/articles/{article.pk}/"
    first = api.get(url)
    assert first["ETag"] and first["Last-Modified"]
    assert api.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    listed = api.get("/api/v1/articles/")
    assert api.get("/api/v1/articles/", HTTP_IF_NONE_MATCH=listed["ETag"]).status_code == 304
    article.correct(by=editor, text="更正：日期应为9月2日。")
    assert api.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_the_page_cache_leaves_the_api_alone(api, settings, editor):
    settings.PAGE_CACHE_SECONDS = 300
    stories = more_stories(editor, 3)
    first = api.get("/api/v1/articles/", {"page_size": 1})
    assert "X-Page-Cache" not in first
    # The cursor reaches the view (the page cache drops parameters it does not know).
    second = api.get(first.json()["next"])
    assert ids(second) != ids(first)
    stories[0].unpublish(by=editor, reason="撤稿")
    assert stories[0].pk not in ids(api.get("/api/v1/articles/", {"page_size": 10}))


def test_the_schema_and_its_documentation_page_are_served(api):
    schema = api.get("/api/v1/schema/", {"format": "json"})
    assert schema.status_code == 200
    assert "/api/v1/articles/{id}/" in schema.json()["paths"]
    docs = api.get("/api/v1/docs/")
    assert docs.status_code == 200
    assert b"swagger-ui" in docs.content


# --- query counts: constant in page size and content size ---------------------------------


def test_article_list_queries_do_not_grow_with_the_page(api, editor, django_assert_num_queries):
    from tests.helpers import make_person

    person = make_person("张改华")
    more_stories(editor, 2, person=person, tag="社区")
    # The page (section, lead photo, credit), bylines with people, tags.
    with django_assert_num_queries(3):
        assert len(api.get("/api/v1/articles/").json()["results"]) == 2
    for article in more_stories(editor, 8, person=person, tag="社区"):
        add_bylines(article, 3)
        article.tags.add("民生", "教育")
    with django_assert_num_queries(3):
        assert len(api.get("/api/v1/articles/").json()["results"]) == 10
    with django_assert_num_queries(3):
        assert len(api.get("/api/v1/articles/", {"format": "ninjs"}).json()["results"]) == 10


def test_article_detail_queries_are_fixed(api, paper, editor, django_assert_num_queries):
    plain = more_stories(editor, 1)[0]
    # The article with what it has (EXISTS), and its bylines.
    with django_assert_num_queries(2):
        api.get(f"/api/v1/articles/{plain.pk}/")
    full = paper["articles"][1]
    add_bylines(full, 5)
    # ... and its tags, public events, public galleries with photo counts and first photos.
    with django_assert_num_queries(6):
        api.get(f"/api/v1/articles/{full.pk}/")
    with django_assert_num_queries(6):
        api.get(f"/api/v1/articles/{full.pk}/", {"format": "ninjs"})


def test_gallery_and_event_lists_have_fixed_queries(api, paper, editor, django_assert_num_queries):
    # The page (section, cover, credit, photo count), bylines, first photos.
    with django_assert_num_queries(3):
        api.get("/api/v1/galleries/")
    for _ in range(3):
        gallery = make_gallery(by=editor, title="更多图集")
        for i in range(3):
            make_photo(gallery, order=i, caption=f"照片{i}")
        gallery.publish(by=editor)
    with django_assert_num_queries(3):
        assert len(api.get("/api/v1/galleries/").json()["results"]) == 4
    with django_assert_num_queries(3):
        api.get(f"/api/v1/galleries/{gallery.pk}/")
    with django_assert_num_queries(1):
        api.get("/api/v1/events/")
    with django_assert_num_queries(1):
        api.get("/api/v1/people/")
    with django_assert_num_queries(1):
        api.get("/api/v1/tags/")


def test_an_address_that_asks_too_often_is_told_when_to_come_back(api, settings):
    settings.API_THROTTLE_ANON = "3/minute"
    assert [api.get("/api/v1/sections/").status_code for _ in range(3)] == [200, 200, 200]
    refused = api.get("/api/v1/sections/")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    # Another address has its own allowance.
    assert api.get("/api/v1/sections/", REMOTE_ADDR="10.1.2.3").status_code == 200


@pytest.mark.parametrize(
    "value", ["0575-11-19T23:11:04+17:28", "0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-05:00"]
)
def test_times_at_the_edges_of_the_calendar_are_answered_not_500(api, value):
    """Schemathesis found the first on PostgreSQL (an offset it refuses)."""
    response = api.get("/api/v1/articles/", {"published_before": value})
    assert response.status_code in (200, 400)
