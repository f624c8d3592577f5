"""Crafted paths and parameters get a 400 or a 404, never a database error: the classes
the fuzz test (test_url_fuzz.py) sweeps, each pinned to the answer it must get."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.helpers import make_article, publish


@pytest.mark.parametrize(
    "path",
    [
        "/archive/99999999999999999999/",
        "/archive/2026/99999999999999999999/",
        "/archive/2026/1/99999999999999999999/",
        "/print/2020/9/99999999999999999999/",
        "/events/99999999999999999999/1/",
        "/galleries/x/99999999999999999999/",
        "/archive/0000/",
    ],
)
def test_huge_numbers_in_date_paths_are_not_found(client, db, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/articles/a%00b/", {}),
        ("/tags/%00/", {}),
        ("/search/", {"q": "区\x00"}),
        ("/sections/x/", {"page": "\x00"}),
        ("/admin/login/", {"next": "/\x00"}),
    ],
)
def test_a_nul_in_a_path_or_a_query_is_a_bad_request(client, db, path, query):
    assert client.get(path, query).status_code == 400


def test_a_nul_in_a_posted_form_or_a_cookie_is_a_bad_request(client, db):
    assert (
        client.post(reverse("admin:login"), {"username": "a\x00", "password": "x"}).status_code
        == 400
    )
    client.cookies["sessionid"] = "abcdefgh\x00ijklmnop"
    assert client.get("/").status_code == 400


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


# (A well-formed id of nothing, such as 12345, gets Django's redirect with a message.)
@pytest.mark.parametrize("object_id", ["abc", "99999999999999999999999", "1e5", "%00"])
@pytest.mark.parametrize("view", ["change", "history", "delete", "preview", "transition/publish"])
def test_non_numeric_or_huge_ids_in_admin_urls_are_not_found(editor_client, object_id, view):
    url = f"/admin/articles/article/{object_id}/{view}/"
    ask = editor_client.post if view.startswith("transition") else editor_client.get
    expected = 400 if object_id == "%00" else 404
    assert ask(url).status_code == expected


def test_a_bulk_selection_of_ids_that_cannot_exist_is_a_bad_request(editor_client, editor):
    article = make_article(by=editor)
    url = reverse("admin:articles_article_changelist")
    for selection in (["abc"], [str(article.pk), "9" * 30], ["1.5"]):
        response = editor_client.post(
            url, {"action": "bulk_publish", "_selected_action": selection, "index": 0}
        )
        assert response.status_code == 400, selection
    article.refresh_from_db()
    assert article.status == article.Status.DRAFT
    # A real selection still works.
    response = editor_client.post(
        url, {"action": "bulk_publish", "_selected_action": [article.pk], "index": 0}
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.is_published()


def test_a_taggit_merge_with_a_crafted_selection_is_a_bad_request(editor_client):
    response = editor_client.post(
        reverse("admin:taggit_tag_changelist"),
        {"action": "render_tag_form", "_selected_action": ["abc"], "index": 0},
    )
    assert response.status_code == 400


def test_a_published_story_still_answers_after_all_this(client, editor):
    article = publish(make_article(by=editor), editor)
    assert client.get(article.get_absolute_url()).status_code == 200
