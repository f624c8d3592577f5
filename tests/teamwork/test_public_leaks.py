"""Nothing staff-only reaches the public: pages, feeds, sitemaps, search and shared previews
of a site full of comments and notifications."""

import pytest
from django.contrib.contenttypes.models import ContentType

from newsroom.preview import preview_url
from teamwork.models import Comment, Notification
from tests.helpers import make_article, make_event, make_gallery

SECRET = "内部意见机密"


@pytest.mark.django_db
def test_no_comment_reaches_any_public_response(
    client, reporter, editor, correspondent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        story, event, gallery, draft = full_of_comments(reporter, editor)
    check_public(client, reporter, story, event, gallery, draft)


def full_of_comments(reporter, editor):
    # With a byline: a published story without one breaks the feed today (people/bylines.py).
    story = make_article(
        by=reporter,
        headline="公开报道标题",
        body="<p>公开的正文。</p>",
        bylines=[(reporter.person, "reporter")],
    )
    story.tags.add("公开标签")
    event = make_event(by=editor)
    gallery = make_gallery(by=editor)
    draft = make_article(by=reporter, headline="未发表的稿件")
    for item in (story, event, gallery, draft):
        if item is not draft:
            item.publish(by=editor)
        c = Comment.objects.create(
            item=item, author=editor, body=f"{SECRET} @alice", quote="公开的正文"
        )
        Comment.objects.create(item=item, author=reporter, parent=c, body=f"{SECRET}回复")
        Notification.objects.create(
            recipient=reporter,
            event="mention",
            key=f"c:{c.pk}",
            actor=editor,
            content_type=ContentType.objects.get_for_model(item),
            object_id=item.pk,
            title=str(item),
            note=SECRET,
            comment=c,
        )
    return story, event, gallery, draft


def check_public(client, reporter, story, event, gallery, draft):
    person = reporter.person
    urls = [
        "/",
        story.get_absolute_url(),
        event.get_absolute_url(),
        gallery.get_absolute_url(),
        "/feed/",
        "/feed/atom/",
        "/sitemap.xml",
        "/search/?q=公开",
        person.get_absolute_url(),
        "/events/",
        "/galleries/",
        preview_url(draft).split("8000", 1)[-1],
    ]
    client.logout()
    checked = 0
    for url in urls:
        response = client.get(url, follow=True)
        if response.status_code == 404:
            continue
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert SECRET.encode() not in body, url
        checked += 1
    assert checked >= 10
    # Searching for a comment's words finds nothing (the page only repeats the query).
    search = client.get("/search/?q=" + SECRET)
    assert search.status_code == 200
    assert search.context["hits"] == [] and (SECRET + "回复") not in search.text
    assert len(client.get("/search/?q=公开报道").context["hits"]) == 1
