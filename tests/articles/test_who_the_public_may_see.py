"""A name or a tag that appears only on unpublished work is revealed nowhere: not by the person
or tag page, their RSS and Atom feeds, the sitemaps, nor the search page. Each rule is written
once (Person.objects.public(), Article.objects.published().tags()) and every path uses it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from people.models import Person, Role
from tests.helpers import (
    SITE_URL,
    make_article,
    make_due,
    make_gallery,
    make_person,
    publish,
)

pytestmark = pytest.mark.usefixtures("site")

HIDDEN_NAME = "只在草稿上的通讯员"
HIDDEN_TAG = "尚未公开的选题"


@pytest.fixture
def newsroom(editor, reporter):
    """Alice's published story (tagged 贾鲁河); a correspondent credited only on a draft story
    and a draft gallery, and a tag used only on that draft."""
    alice = reporter.person
    hidden = make_person(HIDDEN_NAME, kind=Person.Kind.CONTRIBUTOR, affiliation="中原区纪委监委")
    story = publish(
        make_article(by=reporter, headline="贾鲁河治理进展", bylines=[(alice, Role.REPORTER)]),
        editor,
    )
    story.tags.add("贾鲁河")
    draft = make_article(
        by=reporter,
        headline="尚未发表的调查",
        bylines=[(alice, Role.REPORTER), (hidden, Role.CORRESPONDENT)],
    )
    draft.tags.add(HIDDEN_TAG, "贾鲁河")
    gallery = make_gallery(by=editor, title="未发布的图集")
    gallery.bylines.create(person=hidden, role=Role.PHOTOGRAPHER)
    return {"alice": alice, "hidden": hidden, "story": story, "draft": draft, "gallery": gallery}


def person_urls(person) -> list[str]:
    slug = {"slug": person.slug}
    return [
        person.get_absolute_url(),
        reverse("articles:person_feed", kwargs=slug),
        reverse("articles:person_feed_atom", kwargs=slug),
    ]


def tag_urls(slug: str) -> list[str]:
    return [
        reverse("articles:tag", kwargs={"slug": slug}),
        reverse("articles:tag_feed", kwargs={"slug": slug}),
        reverse("articles:tag_feed_atom", kwargs={"slug": slug}),
    ]


def people_in_sitemap(client) -> str:
    response = client.get(reverse("articles:sitemap_section", kwargs={"section": "people"}))
    assert response.status_code == 200
    return response.content.decode()


def search_page(client, **params) -> str:
    response = client.get(reverse("articles:search"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_a_person_credited_only_on_drafts_has_no_page_feed_or_sitemap_entry(client, newsroom):
    hidden, alice = newsroom["hidden"], newsroom["alice"]
    for url in person_urls(hidden):
        response = client.get(url)
        assert response.status_code == 404, url
        assert HIDDEN_NAME not in response.content.decode()
    for url in person_urls(alice):
        response = client.get(url)
        assert response.status_code == 200, url
        assert alice.display_name in response.content.decode()
    sitemap = people_in_sitemap(client)
    assert SITE_URL + alice.get_absolute_url() in sitemap
    assert hidden.slug not in sitemap


def test_the_search_page_neither_offers_nor_applies_a_hidden_person(client, newsroom):
    hidden, alice = newsroom["hidden"], newsroom["alice"]
    for typed in (hidden.slug, HIDDEN_NAME, "从未署名的人"):
        page = search_page(client, q="贾鲁河", person=typed)
        assert "治理进展" in page  # the filter was ignored, not the search (贾鲁河 is in <mark>)
        assert "尚未发表的调查" not in page
        # The same notice as for a name nobody has: a hidden person is not told apart.
        assert "已忽略“人员”筛选条件：没有这个名字的人在本报发表过作品。" in page
    assert HIDDEN_NAME not in search_page(client, q="贾鲁河", person=hidden.slug)
    # Searching for the name finds nothing (the query itself is shown back, as typed).
    response = client.get(reverse("articles:search"), {"q": HIDDEN_NAME})
    assert response.context["hits"] == [] and "尚未发表的调查" not in response.content.decode()
    # A published person's name is applied.
    page = search_page(client, q="贾鲁河", person=alice.display_name)
    assert "治理进展" in page and "已忽略" not in page


def test_a_tag_used_only_on_drafts_has_no_page_and_no_feed(client, newsroom):
    hidden_slug = newsroom["draft"].tags.get(name=HIDDEN_TAG).slug
    for url in tag_urls(hidden_slug):
        response = client.get(url)
        assert response.status_code == 404, url
        assert HIDDEN_TAG not in response.content.decode()
    public_slug = newsroom["story"].tags.get().slug
    for url in tag_urls(public_slug):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "贾鲁河治理进展" in response.content.decode()
    # The public tag's page and feeds list only the published story, not the draft sharing it.
    assert "尚未发表的调查" not in client.get(tag_urls(public_slug)[1]).content.decode()


def test_publishing_reveals_the_person_and_the_tag_everywhere_at_once(client, editor, newsroom):
    hidden, draft = newsroom["hidden"], newsroom["draft"]
    publish(draft, editor)
    for url in person_urls(hidden) + tag_urls(draft.tags.get(name=HIDDEN_TAG).slug):
        assert client.get(url).status_code == 200, url
    assert hidden.slug in people_in_sitemap(client)
    page = search_page(client, q="调查", person=HIDDEN_NAME)
    assert "尚未发表的<mark>调查</mark>" in page and "已忽略" not in page


def test_a_story_due_by_the_clock_reveals_its_people_before_any_job_runs(client, editor, newsroom):
    hidden = newsroom["hidden"]
    draft = newsroom["draft"]
    draft.submit_for_review(by=newsroom["alice"].user)
    make_due(draft, editor)
    draft.refresh_from_db()
    assert draft.status == draft.Status.SCHEDULED  # no job has recorded it
    assert set(Person.objects.public()) == {newsroom["alice"], hidden}
    for url in person_urls(hidden):
        assert client.get(url).status_code == 200, url


def test_retracting_the_only_story_hides_the_person_again(client, editor, newsroom):
    hidden, draft = newsroom["hidden"], newsroom["draft"]
    publish(draft, editor)
    draft.unpublish(by=editor, reason="事实有误")
    for url in person_urls(hidden):
        assert client.get(url).status_code == 404, url
    assert hidden.slug not in people_in_sitemap(client)


def test_a_photographer_of_a_published_gallery_is_public(client, editor, newsroom):
    hidden, gallery = newsroom["hidden"], newsroom["gallery"]
    publish(gallery, editor)
    assert list(Person.objects.public().filter(pk=hidden.pk)) == [hidden]
    assert client.get(hidden.get_absolute_url()).status_code == 200
    assert hidden.slug in people_in_sitemap(client)
