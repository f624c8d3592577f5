"""The article model's own rules: its address (a pinyin slug, frozen once public), a body
that is always safe to print, and its length."""

import pytest
from django.urls import reverse

from articles.models import Article, OldSlug
from tests.helpers import article_form_data, make_article, put_in_state


@pytest.fixture(autouse=True)
def in_english(settings):
    settings.LANGUAGE_CODE = "en"


def test_slug_is_the_headline_in_pinyin(db):
    assert make_article(headline="中原区召开推进会").slug == "zhong-yuan-qu-zhao-kai-tui-jin-hui"


def test_slug_keeps_latin_words_and_numbers(db):
    assert (
        make_article(headline="郑州CBD建设2026年提速").slug
        == "zheng-zhou-cbd-jian-she-2026-nian-ti-su"
    )


def test_same_headline_gets_numbered_slugs(db):
    slugs = [make_article(headline="中原区召开推进会").slug for _ in range(3)]
    assert slugs == [
        "zhong-yuan-qu-zhao-kai-tui-jin-hui",
        "zhong-yuan-qu-zhao-kai-tui-jin-hui-2",
        "zhong-yuan-qu-zhao-kai-tui-jin-hui-3",
    ]


def test_a_headline_without_letters_still_gets_an_address(db):
    article = make_article(headline="！！！")
    assert article.slug
    assert Article.objects.get(slug=article.slug) == article


def test_slug_follows_the_headline_until_first_publication(reporter, editor):
    article = make_article(by=reporter, headline="中原区召开推进会")
    article.headline = "二七区召开推进会"
    article.save()
    assert article.slug == "er-qi-qu-zhao-kai-tui-jin-hui"

    put_in_state(article, "review", editor)
    article = Article.objects.get(pk=article.pk)
    article.headline = "金水区召开推进会"
    article.save()
    assert Article.objects.get(pk=article.pk).slug == "jin-shui-qu-zhao-kai-tui-jin-hui"


def test_a_typed_slug_is_kept_when_the_headline_changes_with_it(reporter):
    article = make_article(by=reporter, headline="中原区召开推进会")
    article.headline, article.slug = "二七区召开推进会", "erqi-meeting"
    article.save()
    assert Article.objects.get(pk=article.pk).slug == "erqi-meeting"


@pytest.mark.parametrize("state", ["published", "scheduled_live", "unpublished"])
def test_slug_is_frozen_once_the_article_has_been_public(reporter, editor, state):
    article = put_in_state(make_article(by=reporter, headline="中原区召开推进会"), state, editor)
    article = Article.objects.get(pk=article.pk)
    article.headline = "标题改了"
    article.save()
    assert Article.objects.get(pk=article.pk).slug == "zhong-yuan-qu-zhao-kai-tui-jin-hui"
    assert not OldSlug.objects.exists()


def test_an_editor_changing_a_published_address_keeps_the_old_one_redirecting(
    client, reporter, editor
):
    article = put_in_state(
        make_article(by=reporter, headline="中原区召开推进会"), "published", editor
    )
    old_url = article.get_absolute_url()
    client.force_login(editor)

    response = client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        article_form_data(article, slug="zhongyuan-meeting"),
    )

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.slug == "zhongyuan-meeting"
    assert list(OldSlug.objects.values_list("slug", flat=True)) == [
        "zhong-yuan-qu-zhao-kai-tui-jin-hui"
    ]
    client.logout()
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == "/articles/zhongyuan-meeting/"
    assert client.get("/articles/zhongyuan-meeting/").status_code == 200


def test_changing_the_address_back_removes_the_redirect_loop(reporter, editor):
    article = put_in_state(
        make_article(by=reporter, headline="中原区召开推进会"), "published", editor
    )
    article = Article.objects.get(pk=article.pk)
    article.slug = "zhongyuan-meeting"
    article.save()
    article.slug = "zhong-yuan-qu-zhao-kai-tui-jin-hui"
    article.save()
    assert list(OldSlug.objects.values_list("slug", flat=True)) == ["zhongyuan-meeting"]


def test_a_reporter_cannot_change_the_address_of_a_published_article(client, reporter, editor):
    article = put_in_state(
        make_article(by=reporter, headline="中原区召开推进会"), "published", editor
    )
    client.force_login(reporter)
    response = client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        article_form_data(article, slug="my-own-address"),
    )
    assert response.status_code == 403
    assert Article.objects.get(pk=article.pk).slug == "zhong-yuan-qu-zhao-kai-tui-jin-hui"


def test_the_body_is_sanitised_on_save(db):
    article = make_article(
        body=(
            '<p onclick="steal()">本报讯 <strong>重要</strong> <a href="https://www.zhongyuan.gov.cn/">区政府网站</a>'
            ' <a href="javascript:alert(1)">点我</a></p><script>alert("x")</script>'
            '<img src="x" onerror="alert(1)"><iframe src="https://evil.example/"></iframe>'
        )
    )
    body = Article.objects.get(pk=article.pk).body
    for bad in ("<script", "onclick", "javascript:", "onerror", "<iframe", "steal()"):
        assert bad not in body
    assert "<p>" in body and "<strong>重要</strong>" in body
    assert 'href="https://www.zhongyuan.gov.cn/"' in body
    assert "区政府网站" in body and "点我" in body


def test_word_count_counts_characters_of_the_text_only(db):
    article = make_article(body="<p>中原区 召开</p>\n<p><strong>推进会</strong></p>")
    assert article.word_count == 8
    assert make_article(body="<p>A &amp; B &lt; C</p>").word_count == 5
    assert make_article(body="").word_count == 0
