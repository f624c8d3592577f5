"""The `type` filter (printed stories or web-only ones) and sparse fieldsets (`?fields=`),
both in the OpenAPI schema so that schemathesis sends them."""

import datetime

import pytest

from tests.helpers import make_article, publish

pytestmark = pytest.mark.django_db


def ids(response) -> list[int]:
    return [item["id"] for item in response.json()["results"]]


@pytest.fixture
def two_stories(editor):
    printed = make_article(
        by=editor, headline="见报稿", print_edition_date=datetime.date(2020, 9, 9)
    )
    web = make_article(by=editor, headline="网络稿")
    for story in (printed, web):
        publish(story, editor)
    return printed, web


def test_type_print_lists_the_printed_stories_and_web_the_others(api, two_stories):
    printed, web = two_stories
    assert ids(api.get("/api/v1/articles/", {"type": "print"})) == [printed.pk]
    assert ids(api.get("/api/v1/articles/", {"type": "web"})) == [web.pk]
    assert sorted(ids(api.get("/api/v1/articles/"))) == sorted([printed.pk, web.pk])
    refused = api.get("/api/v1/articles/", {"type": "video"})
    assert refused.status_code == 400 and "type" in refused.json()


def test_fields_gives_only_the_fields_asked_for_on_list_and_detail(api, two_stories):
    printed, _web = two_stories
    listed = api.get("/api/v1/articles/", {"fields": "headline,canonical_url"})
    assert listed.status_code == 200
    for item in listed.json()["results"]:
        assert sorted(item) == ["canonical_url", "headline"]
    detail = api.get(f"/api/v1/articles/{printed.pk}/", {"fields": "id,body"})
    assert detail.json() == {"id": printed.pk, "body": printed.body}
    galleries = api.get("/api/v1/galleries/", {"fields": "title"})
    assert galleries.status_code == 200


@pytest.mark.parametrize("value", ["headline,nonsense", ",", "password"])
def test_an_unknown_field_is_a_400_that_names_the_known_ones(api, two_stories, value):
    response = api.get("/api/v1/articles/", {"fields": value})
    assert response.status_code == 400
    message = response.json()["fields"][0]
    assert "headline" in message


def test_fields_is_for_json_not_ninjs(api, two_stories):
    response = api.get("/api/v1/articles/", {"fields": "headline", "format": "ninjs"})
    assert response.status_code == 400
    assert "fields" in response.json()


def test_the_schema_documents_fields_and_type(api):
    schema = api.get("/api/v1/schema/", {"format": "json"}).json()
    articles = schema["paths"]["/api/v1/articles/"]["get"]["parameters"]
    by_name = {p["name"]: p for p in articles}
    assert by_name["type"]["schema"]["enum"] == ["print", "web"]
    assert "fields" in by_name
    detail = schema["paths"]["/api/v1/articles/{id}/"]["get"]["parameters"]
    assert "fields" in {p["name"] for p in detail}
    assert "required" not in schema["components"]["schemas"]["ArticleList"]
