"""The word check in the change form: the stored report, the check without saving (JSON,
permission-checked, CSRF-protected), and results kept on every save."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from tests.helpers import article_form_data, make_article
from wordcheck.models import CheckResult

CHECK_URL = "admin:wordcheck_check"


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def test_the_change_form_lists_each_hit_with_its_context_and_place(client, lists, reporter, editor):
    body = "<p>本报讯 大家要再接再励，<strong>禁</strong>用词甲不能用。</p>"
    article = make_article(by=reporter, headline="大师来了", body=body)
    client.force_login(editor)
    response = client.get(change_url(article))
    page = response.content.decode()
    assert 'id="wordcheck-panel"' in page
    (panel,) = [
        p for p in response.context["change_form_panels"] if p["template"] == "wordcheck/panel.html"
    ]
    hits = {hit.matched: hit for hit in panel["hits"]}
    assert set(hits) == {"大师", "再接再励", "禁用词甲"}
    stored = article.__class__.objects.get(pk=article.pk).body
    assert stored[hits["禁用词甲"].start : hits["禁用词甲"].end] == "禁</strong>用词甲"
    assert hits["再接再励"].before.endswith("大家要")
    assert "Replace with “再接再厉”" in page or "替换为“再接再厉”" in page
    assert 'data-field="headline"' in page and 'data-matched="大师"' in page
    # What each stage will make of it, for the editor who may take it there.
    assert "wordcheck-blocked" in page


def test_the_add_form_has_the_check_button_and_no_hits(client, lists, editor):
    client.force_login(editor)
    page = client.get(reverse("admin:articles_article_add")).content.decode()
    assert 'id="wordcheck-run"' in page
    assert '<li class="wordcheck-hit' not in page


def test_the_check_runs_on_posted_text_without_saving(client, lists, reporter, editor):
    article = make_article(by=reporter, headline="平常标题")
    before = CheckResult.objects.get(object_id=article.pk).hits
    client.force_login(reporter)
    response = client.post(
        reverse(CHECK_URL, args=["articles", "article"]),
        {
            "headline": "禁 用 词 甲",
            "body": "<p>再接再励</p>",
            "photos-0-caption": "大师",  # not a field of an article: ignored
            "slug": "禁用词甲",  # not checked
        },
    )
    assert response.status_code == 200
    data = json.loads(response.content)
    assert [(h["field"], h["start"], h["end"], h["matched"]) for h in data["hits"]] == [
        ("headline", 0, 7, "禁 用 词 甲"),
        ("body", 3, 7, "再接再励"),
    ]
    assert data["hits"][1]["suggestion"] == "再接再厉"
    article.refresh_from_db()
    assert article.headline == "平常标题"
    assert CheckResult.objects.get(object_id=article.pk).hits == before


def test_the_check_reads_photo_captions_of_a_gallery_form(client, lists, editor):
    client.force_login(editor)
    response = client.post(
        reverse(CHECK_URL, args=["articles", "gallery"]),
        {"title": "图集", "photos-0-caption": "图为大师", "photos-0-alt_text": "再接再励"},
    )
    fields = [(h["field"], h["matched"]) for h in json.loads(response.content)["hits"]]
    assert fields == [("photos-0-caption", "大师"), ("photos-0-alt_text", "再接再励")]


@pytest.mark.parametrize("who", ["outsider", "anonymous"])
def test_the_check_needs_a_newsroom_login(client, lists, people, who):
    if people[who]:
        client.force_login(people[who])
    response = client.post(
        reverse(CHECK_URL, args=["articles", "article"]), {"headline": "禁用词甲"}
    )
    assert response.status_code in (302, 403)
    assert b"hits" not in response.content


def test_the_check_is_csrf_protected_and_post_only(lists, editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    url = reverse(CHECK_URL, args=["articles", "article"])
    assert client.post(url, {"headline": "禁用词甲"}).status_code == 403
    assert client.get(url).status_code == 405


def test_the_check_refuses_unknown_types_and_too_much_text(client, lists, editor):
    client.force_login(editor)
    assert client.post(reverse(CHECK_URL, args=["auth", "user"]), {}).status_code == 404
    response = client.post(
        reverse(CHECK_URL, args=["articles", "article"]), {"body": "字" * 500_001}
    )
    assert response.status_code == 400
    assert "500000" in json.loads(response.content)["error"]


def test_saving_in_the_admin_keeps_the_result(client, lists, reporter):
    article = make_article(by=reporter, headline="平常标题")
    client.force_login(reporter)
    response = client.post(change_url(article), article_form_data(article, headline="大师来了"))
    assert response.status_code == 302
    result = CheckResult.objects.get(object_id=article.pk, content_type__model="article")
    assert [(h["field"], h["matched"]) for h in result.hits] == [("headline", "大师")]
    assert result.categories == "sensitive"


def test_the_queue_lists_items_with_hits_for_editors(client, lists, reporter, editor):
    flagged = make_article(by=reporter, headline="大师来了")
    make_article(by=reporter, headline="平常标题")
    client.force_login(editor)
    response = client.get(reverse("admin:wordcheck_checkresult_changelist"))
    assert response.status_code == 200
    rows = list(response.context["cl"].result_list)
    assert [row.object_id for row in rows] == [flagged.pk]
    assert change_url(flagged) in response.content.decode()


def test_reporters_cannot_see_the_queue_or_the_lists(client, lists, reporter):
    client.force_login(reporter)
    assert client.get(reverse("admin:wordcheck_checkresult_changelist")).status_code == 403
    assert client.get(reverse("admin:wordcheck_entry_changelist")).status_code == 403
    assert client.get(reverse("admin:wordcheck_entrychange_changelist")).status_code == 403
