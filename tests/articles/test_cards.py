"""The cards of list pages are made from a few columns (ArticleQuerySet.cards()), not from
model instances: each must render exactly as the story it stands for would."""

import pytest
from django.utils.text import Truncator

from articles.cards import article_card, headline_items, shorten
from articles.models import Article, ArticleByline
from people.models import Role
from tests.helpers import make_person, story

VARIANTS = [("", "h2", "lazy"), ("lead", "h3", "eager"), ("compact", "h3", "lazy")]


@pytest.fixture
def odd_stories(paper, editor):
    """Beside the paper's: no section, a 文/图 credit, a long summary not in NFC, markup in a
    headline, no bylines at all."""
    photographer = make_person("王摄影")
    credited = story(
        editor,
        headline="<b>“双节”</b> & 市场",
        summary="e\u0301" * 80 + "长" * 100,
        bylines=[(paper["reporter"], Role.REPORTER)],
        photo=paper["photos"][1],
    )
    ArticleByline.objects.create(
        article=credited,
        person=photographer,
        role=Role.PHOTOGRAPHER,
        is_text_and_photo=True,
        order=5,
    )
    story(editor, headline="没有署名的简讯", summary="")
    return paper


def test_every_card_renders_as_its_story(odd_stories, django_assert_num_queries):
    stories = {a.pk: a for a in Article.objects.published().for_listing()}
    with django_assert_num_queries(2):  # the cards, their bylines
        cards = list(Article.objects.published().cards().latest_first())
    assert sorted(card.pk for card in cards) == sorted(stories) and len(cards) == 6
    with django_assert_num_queries(0):
        for card in cards:
            for variant in VARIANTS:
                assert article_card(card, *variant) == article_card(stories[card.pk], *variant)
            assert card.get_absolute_url() == stories[card.pk].get_absolute_url()
            assert card.published_at == stories[card.pk].published_at
        assert headline_items(cards, "DATE_FORMAT") == headline_items(
            [stories[card.pk] for card in cards], "DATE_FORMAT"
        )


def test_a_card_shows_its_photo_bylines_and_section(odd_stories):
    cards = {card.headline: card for card in Article.objects.published().cards()}
    credited = cards["<b>“双节”</b> & 市场"]
    html = article_card(credited, "lead")
    assert "&lt;b&gt;“双节”&lt;/b&gt; &amp; 市场" in html
    assert "<picture" in html and "has-photo" in html
    assert [(c.role, c.person.display_name) for c in credited.bylines.all()] == [
        ("reporter", "张改华"),
        ("photographer", "王摄影"),
    ]
    assert credited.section is None
    unsigned = cards["没有署名的简讯"]
    assert not unsigned.bylines and 'class="card-byline"' not in article_card(unsigned)
    sectioned = [card for card in cards.values() if card.section]
    assert {card.section.get_absolute_url() for card in sectioned} >= {"/sections/yaowen/"}


@pytest.mark.parametrize(
    "text",
    ["短", "长" * 140, "长" * 141, "e\u0301" * 139, "e\u0301" * 141, "ｅ\u0301x", "", "a" * 500],
)
def test_shorten_cuts_as_truncator_does(text):
    assert shorten(text, 140) == Truncator(text).chars(140)
