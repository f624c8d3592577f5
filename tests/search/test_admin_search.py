"""The admin's search box runs the site's engine over every state: articles, events, galleries
and people, in change lists and autocompletes."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from articles.models import Article
from tests.helpers import STATES, make_article, make_event, make_gallery, make_person, put_in_state


@pytest.fixture(autouse=True)
def in_english(settings):
    settings.LANGUAGE_CODE = "en"


def listed(client, model: str, q: str) -> set[str]:
    response = client.get(reverse(f"admin:{model}_changelist"), {"q": q})
    assert response.status_code == 200
    return {str(obj) for obj in response.context["cl"].result_list}


def test_the_demo_story_in_review_is_found_by_the_newsroom_but_not_by_readers(client, editor):
    call_command("load_demo", stdout=io.StringIO())
    client.force_login(editor)
    # The print page's story (feature apps may add demo stories of their own).
    in_review = Article.objects.in_review().get(print_page__isnull=False)
    assert listed(client, "articles_article", "二砂") == {in_review.headline}
    assert client.get("/search/", {"q": "二砂"}).context["hits"] == []
    # One character, through the body: every story mentions 区, whatever its state.
    assert len(listed(client, "articles_article", "区")) == Article.objects.count() >= 6


@pytest.mark.parametrize(
    ("model", "make", "title"),
    [
        ("articles_article", make_article, "headline"),
        ("articles_event", make_event, "title"),
        ("articles_gallery", make_gallery, "title"),
    ],
)
def test_admin_search_finds_items_in_every_state(client, editor, model, make, title):
    for state in STATES:
        put_in_state(make(by=editor, **{title: f"汛情通报 {state}"}), state, editor)
    make(by=editor, **{title: "别的稿件"})
    client.force_login(editor)
    assert listed(client, model, "汛情") == {f"汛情通报 {state}" for state in STATES}


def test_a_reporter_finds_her_draft_by_a_word_in_its_body(client, reporter):
    draft = make_article(by=reporter, headline="工作简报", body="<p>区长张改华到高新区调研。</p>")
    client.force_login(reporter)
    assert listed(client, "articles_article", "张改华") == {draft.headline}
    assert listed(client, "articles_article", "ＧＡＩ") == set()


def test_the_slug_is_still_searchable(client, editor):
    article = make_article(by=editor, headline="贾鲁河综合治理")
    client.force_login(editor)
    assert listed(client, "articles_article", article.slug[:8]) == {article.headline}


def test_people_are_found_by_name_fragment_and_affiliation(client, editor):
    make_person("木坤坤", affiliation="中原区贾鲁河片区指挥部")
    make_person("吴赛", affiliation="中原区纪委监委")
    client.force_login(editor)
    assert listed(client, "people_person", "坤") == {"木坤坤（中原区贾鲁河片区指挥部）"}
    assert listed(client, "people_person", "纪委") == {"吴赛（中原区纪委监委）"}


def test_the_byline_autocomplete_uses_the_engine(client, editor):
    make_person("木坤坤", affiliation="中原区贾鲁河片区指挥部")
    client.force_login(editor)
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "term": "坤坤",
            "app_label": "articles",
            "model_name": "articlebyline",
            "field_name": "person",
        },
    )
    assert response.status_code == 200
    assert [r["text"] for r in json.loads(response.content)["results"]] == [
        "木坤坤（中原区贾鲁河片区指挥部）"
    ]


@pytest.mark.parametrize("q", ["'", '"', "\\", "&|!<->", "区" * 3000, "乔耸:*"])
def test_hostile_admin_searches_answer_200(client, editor, q):
    make_article(by=editor, headline="乔耸调研")
    client.force_login(editor)
    response = client.get(reverse("admin:articles_article_changelist"), {"q": q})
    assert response.status_code == 200
