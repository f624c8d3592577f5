"""Slugs made from names with nothing to spell (punctuation, emoji, spaces) or far too long:
never empty, always unique, and the pages that link to them work."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps as django_apps
from taggit.models import Tag

from articles.models import Article, Event, Gallery, Section
from people.models import Person
from tests.helpers import make_article, make_event, make_gallery, make_person, publish

NAMES = {
    "punctuation": "！？……——《》",
    "ascii punctuation": "!!! ???",
    "emoji": "🎉🎉🔥",
    "whitespace": "\u3000 \u00a0",
    "very long": "中" * 300,
    "very long latin": "a" * 300,
    "very long words": "word " * 60,
}


def makers():
    return {
        "article": lambda name: make_article(headline=name),
        "event": lambda name: make_event(title=name),
        "gallery": lambda name: make_gallery(title=name),
        "section": lambda name: Section.objects.create(name=name),
        "person": lambda name: make_person(name),
    }


@pytest.mark.parametrize("kind", ["article", "event", "gallery", "section", "person"])
@pytest.mark.parametrize("label", NAMES)
def test_every_derived_slug_is_non_empty_unique_and_short_enough(db, kind, label):
    make = makers()[kind]
    # As long as the name's column takes (PostgreSQL refuses longer; forms say so first).
    name_field = {"article": "headline", "event": "title", "gallery": "title"}.get(
        kind, "display_name" if kind == "person" else "name"
    )
    model = {"article": Article, "event": Event, "gallery": Gallery, "section": Section}.get(
        kind, Person
    )
    limit = model._meta.get_field(name_field).max_length
    name = NAMES[label][:limit]
    first = make(name)
    # Sections' names are unique; the others may repeat.
    second = make(name[: limit - 1] + "·") if kind == "section" else make(name)
    for obj in (first, second):
        assert obj.slug and obj.slug.strip("-")
        assert len(obj.slug) <= obj._meta.get_field("slug").max_length
        assert obj.get_absolute_url()
    assert first.slug != second.slug


@pytest.mark.parametrize("label", ["punctuation", "ascii punctuation", "emoji"])
def test_a_tag_with_nothing_to_spell_gets_a_slug_and_the_article_page_works(client, editor, label):
    article = make_article(by=editor)
    article.tags.add(NAMES[label], NAMES[label] + "!", "政协")
    publish(article, editor)
    slugs = list(Tag.objects.values_list("slug", flat=True))
    assert all(slug.strip("-_") for slug in slugs) and len(set(slugs)) == 3
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    tag = Tag.objects.get(name=NAMES[label])
    assert f'href="/tags/{tag.slug}/"' in response.content.decode()
    assert client.get(f"/tags/{tag.slug}/").status_code == 200


def test_tags_stored_with_an_empty_slug_get_one_from_the_migration(editor, client):
    article = make_article(by=editor)
    article.tags.add("！！", "？？")
    # As taggit stored them before (the slug is unique: one took "", the next "_1" or "-").
    Tag.objects.filter(name="！！").update(slug="")
    Tag.objects.filter(name="？？").update(slug="-")
    migration = importlib.import_module("articles.migrations.0005_tag_slugs_never_empty")
    migration.give_slugs(django_apps, None)
    slugs = sorted(Tag.objects.values_list("slug", flat=True))
    assert all(s.startswith("tag-") for s in slugs) and len(set(slugs)) == 2
    publish(article, editor)
    assert client.get(article.get_absolute_url()).status_code == 200


def test_the_same_name_twice_gets_two_slugs(db):
    names = [make_person("🙂").slug for _ in range(3)]
    assert len(set(names)) == 3
    assert Person.objects.filter(slug__startswith="person-").count() == 3
    assert Article.objects.count() == Event.objects.count() == Gallery.objects.count() == 0
