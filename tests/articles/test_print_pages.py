"""The 数字报 for readers: only published editions and stories, zones as links, pinned queries."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from articles.models import PrintEdition
from newsroom.workflow import Status
from tests.helpers import make_article, make_print_page, publish

DATE = datetime.date(2026, 3, 2)


def _page_url(date=DATE, number=1):
    return reverse(
        "articles:print_page",
        kwargs={"year": date.year, "month": date.month, "day": date.day, "page": number},
    )


def _with_image(page):
    page.renditions = [{"width": 480, "height": 679, "jpeg": "/x.jpg", "webp": "/x.webp"}]
    page.save(update_fields=["renditions"])
    return page


@pytest.mark.django_db
def test_a_draft_edition_is_not_shown_and_print_falls_back_to_the_list(client, editor):
    story = make_article(by=editor, headline="草稿版面的稿件")
    publish(story, editor)
    _with_image(make_print_page(DATE, zones=[story]))
    assert client.get(_page_url()).status_code == 404
    response = client.get(reverse("articles:print_index"))
    assert response.status_code == 200
    assert "草稿版面的稿件" not in response.content.decode()


@pytest.mark.django_db
def test_print_shows_the_newest_published_edition_with_zones_of_public_stories_only(client, editor):
    public = make_article(by=editor, headline="已发布的稿件")
    publish(public, editor)
    hidden = make_article(by=editor, headline="还在审核的稿件")
    _with_image(make_print_page(DATE, zones=[public, hidden], status="published", editor=editor))
    _with_image(make_print_page(DATE, number=2))
    older = datetime.date(2026, 3, 1)
    _with_image(make_print_page(older, status="published", editor=editor))
    html = client.get(reverse("articles:print_index")).content.decode()
    # The newest edition's first page, its zones real links named by their headline.
    assert 'aria-current="page"' in html and "2026" in html
    assert (
        f'<a href="{public.get_absolute_url()}" class="print-zone" aria-label="已发布的稿件">'
        in html
    )
    assert "还在审核的稿件" not in html
    assert _page_url(number=2) in html  # the page navigation
    assert reverse("articles:print_edition", args=[2026, 3, 1]) in html  # previous edition
    assert client.get(_page_url(number=3)).status_code == 404


@pytest.mark.django_db
def test_the_page_view_makes_the_same_queries_for_two_zones_or_twenty(
    client, editor, django_assert_num_queries
):
    stories = []
    for number in range(20):
        story = make_article(by=editor, headline=f"稿件{number}")
        publish(story, editor)
        stories.append(story)
    _with_image(make_print_page(DATE, zones=stories[:2], status="published", editor=editor))
    _with_image(make_print_page(DATE, number=2, zones=stories))
    # edition, its pages, the page's public zones with their stories, the previous and the
    # next edition, the calendar of editions; the sections of the masthead's menu.
    with django_assert_num_queries(7):
        assert "稿件1" in client.get(_page_url(number=1)).content.decode()
    with django_assert_num_queries(7):
        assert "稿件19" in client.get(_page_url(number=2)).content.decode()
    assert PrintEdition.objects.get().status == Status.PUBLISHED


@pytest.mark.django_db
def test_a_pages_pdf_is_for_staff_until_its_edition_is_published(client, editor):
    from django.core.files.base import ContentFile

    from articles.media import photo_storage

    page = make_print_page(DATE)
    page.pdf = photo_storage().save(page.files_dir + "page-1.pdf", ContentFile(b"%PDF-1.4 x"))
    page.save(update_fields=["pdf"])
    url = photo_storage().url(page.pdf)
    assert client.get(url).status_code == 404
    client.force_login(editor)
    assert client.get(url).status_code == 200
    client.logout()
    page.edition.publish(by=editor)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 x"
    # An upload waiting to be processed is nobody's to fetch.
    waiting = photo_storage().save("print/uploads/waiting.pdf", ContentFile(b"%PDF-1.4 y"))
    client.force_login(editor)
    assert client.get(photo_storage().url(waiting)).status_code == 404


@pytest.mark.django_db
def test_publishing_an_edition_reaches_readers_through_the_page_cache(client, editor, committed):
    story = make_article(by=editor, headline="缓存中的稿件")
    publish(story, editor)
    page = _with_image(make_print_page(DATE, zones=[story]))
    assert "缓存中的稿件" not in client.get(reverse("articles:print_index")).content.decode()
    with committed():
        page.edition.publish(by=editor)
    assert "缓存中的稿件" in client.get(reverse("articles:print_index")).content.decode()
