"""Editorial comments over HTTP: who may read and write them, mentions, replies, threads,
resolving, editing within the time allowed, quoted passages."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from teamwork.models import Comment, Notification
from tests.helpers import make_article, make_event, make_gallery


def change_url(obj):
    return f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/change/"


def post_url(obj):
    return f"/admin/teamwork/comment/{ContentType.objects.get_for_model(obj).pk}/{obj.pk}/post/"


def submitted(story, reporter):
    """Alice's draft, submitted: reporters of her desk may read and discuss it from now on."""
    story.submit_for_review(by=reporter)
    Notification.objects.all().delete()
    return story


def comment(client, user, obj, body, **extra):
    client.force_login(user)
    return client.post(post_url(obj), {"comment": body, **extra}, HTTP_ACCEPT_LANGUAGE="en")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "may"),
    [
        ("author", True),
        ("bylined_correspondent", True),
        # Bob, another reporter of the desk, may not read Alice's draft (nor discuss it).
        ("other_reporter", False),
        ("editor", True),
        ("outsider", False),
    ],
)
def test_who_may_read_and_write_comments_on_a_story(client, people, story, persona, may):
    user = people[persona]
    Comment.objects.create(item=story, author=people["editor"], body="第三段请再核实")
    client.force_login(user)
    page = client.get(change_url(story))
    assert ("第三段请再核实" in page.text) is may
    response = client.post(post_url(story), {"comment": f"{persona} 的意见"})
    assert response.status_code == (302 if may else 403)
    assert Comment.objects.filter(body=f"{persona} 的意见").exists() is may


@pytest.mark.django_db
def test_a_correspondent_cannot_read_the_comments_on_anothers_draft(
    client, correspondent, other_reporter, editor
):
    theirs = make_article(by=other_reporter, headline="别人的稿件")
    Comment.objects.create(item=theirs, author=editor, body="内部讨论：消息来源待确认")
    client.force_login(correspondent)
    page = client.get(change_url(theirs))
    assert "内部讨论" not in page.text
    assert client.post(post_url(theirs), {"comment": "我也想说"}).status_code == 403
    mentions = f"/admin/teamwork/comment/{ContentType.objects.get_for_model(theirs).pk}/{theirs.pk}/mentions/?q="
    assert client.get(mentions).status_code == 403


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_the_login(client, story):
    response = client.post(post_url(story), {"comment": "spam"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_comments_work_on_events_and_galleries_too(client, editor, reporter):
    for item in (make_event(by=reporter), make_gallery(by=reporter)):
        assert comment(client, editor, item, "图片说明需要补充").status_code == 302
        assert "图片说明需要补充" in client.get(change_url(item)).text


@pytest.mark.django_db
def test_a_mention_tells_the_colleague_once_and_a_reply_tells_the_commenter(
    client, story, reporter, editor, other_reporter, with_emails, django_capture_on_commit_callbacks
):
    from django.core import mail

    submitted(story, reporter)  # so that Bob, of the same desk, may read it
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        comment(client, editor, story, "@alice 请补充采访对象 @bob 也看看 @erin")
    opening = Comment.objects.get()
    assert sorted(Notification.objects.values_list("recipient__username", flat=True)) == [
        "alice",
        "bob",
    ]
    assert {m.to[0] for m in mail.outbox} == {"alice@newsroom.invalid", "bob@newsroom.invalid"}
    assert all("请补充采访对象" in m.body for m in mail.outbox)

    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        comment(client, reporter, story, "已补充，@erin 请再看", parent=opening.pk)
    (told,) = Notification.objects.all()
    assert (told.recipient, told.event) == (editor, "mention")  # mentioned and answered: once
    reply = Comment.objects.get(parent=opening)
    assert told.item_admin_url.endswith(f"#comment-{reply.pk}")


@pytest.mark.django_db
def test_a_reply_to_a_reply_joins_the_thread_and_tells_its_opener(
    client, story, reporter, editor, other_reporter
):
    submitted(story, reporter)  # so that Bob, of the same desk, may read it
    comment(client, editor, story, "标题太长")
    opening = Comment.objects.get()
    comment(client, other_reporter, story, "同意", parent=opening.pk)
    Notification.objects.all().delete()
    second = Comment.objects.get(body="同意")
    comment(client, reporter, story, "已改短", parent=second.pk)
    assert Comment.objects.get(body="已改短").parent == opening
    assert list(Notification.objects.values_list("recipient__username", "event")) == [
        ("erin", "reply")
    ]


@pytest.mark.django_db
def test_a_correspondent_mentioned_on_a_story_they_cannot_read_is_not_told(
    client, other_reporter, correspondent, editor
):
    theirs = make_article(by=other_reporter)
    comment(client, editor, theirs, "@carol 你看看")
    assert not Notification.objects.filter(recipient=correspondent).exists()
    assert not Comment.objects.get().mentions.exists()


@pytest.mark.django_db
def test_resolve_and_reopen(client, story, editor, reporter):
    comment(client, editor, story, "导语要改")
    opening = Comment.objects.get()
    client.force_login(reporter)
    client.post(f"/admin/teamwork/comment/{opening.pk}/resolve/")
    opening.refresh_from_db()
    assert opening.is_resolved and opening.resolved_by == reporter
    assert "resolved by alice" in client.get(change_url(story), HTTP_ACCEPT_LANGUAGE="en").text
    client.post(f"/admin/teamwork/comment/{opening.pk}/reopen/")
    opening.refresh_from_db()
    assert not opening.is_resolved


@pytest.mark.django_db
def test_only_the_author_edits_or_deletes_and_only_for_a_while(client, story, editor, reporter):
    comment(client, editor, story, "初稿意见")
    mine = Comment.objects.get()
    client.force_login(reporter)
    client.post(f"/admin/teamwork/comment/{mine.pk}/edit/", {"comment": "被别人改了"})
    mine.refresh_from_db()
    assert mine.body == "初稿意见"

    client.force_login(editor)
    client.post(f"/admin/teamwork/comment/{mine.pk}/edit/", {"comment": "修改后的意见"})
    mine.refresh_from_db()
    assert mine.body == "修改后的意见" and mine.edited_at is not None

    Comment.objects.filter(pk=mine.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=16)
    )
    response = client.post(f"/admin/teamwork/comment/{mine.pk}/delete/", follow=True)
    mine.refresh_from_db()
    assert not mine.is_deleted
    assert "15" in response.text  # says why

    Comment.objects.filter(pk=mine.pk).update(created_at=timezone.now())
    client.post(f"/admin/teamwork/comment/{mine.pk}/delete/")
    mine.refresh_from_db()
    assert mine.is_deleted and mine.body == ""


@pytest.mark.django_db
def test_a_quoted_passage_is_shown_and_marked_outdated_when_the_text_changes(
    client, editor, reporter
):
    story = make_article(by=reporter, body="<p>本报讯 9月1日下午，中原区召开推进会。</p>")
    comment(client, editor, story, "日期对吗？", quote="9月1日下午")
    page = client.get(change_url(story), HTTP_ACCEPT_LANGUAGE="en")
    assert "9月1日下午" in page.text and "outdated" not in page.text
    story.body = "<p>本报讯 9月2日上午，中原区召开推进会。</p>"
    story.save()
    assert (
        "outdated: the passage has changed"
        in client.get(change_url(story), HTTP_ACCEPT_LANGUAGE="en").text
    )


@pytest.mark.django_db
@pytest.mark.parametrize("body", ["", "   ", "x" * 5001])
def test_bad_comments_are_refused_with_a_message_and_nothing_saved(client, story, editor, body):
    response = comment(client, editor, story, body)
    assert response.status_code == 302
    assert not Comment.objects.exists()
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en")
    assert "Please write something." in page.text or "at most 5000" in page.text
    if body.strip():
        assert body in page.text  # offered again, not lost


@pytest.mark.django_db
def test_mention_autocomplete_finds_colleagues_by_name_or_pinyin_initials(
    client, story, editor, reporter, correspondent
):
    client.force_login(editor)
    url = f"/admin/teamwork/comment/{ContentType.objects.get_for_model(story).pk}/{story.pk}/mentions/"
    by_initials = client.get(url, {"q": "zgh"}).json()["results"]  # 张改华
    assert [r["username"] for r in by_initials] == ["alice"]
    by_name = client.get(url, {"q": "吕杨"}).json()["results"]
    assert [r["username"] for r in by_name] == ["carol"]
    other = make_article(by=reporter)
    other_url = f"/admin/teamwork/comment/{ContentType.objects.get_for_model(other).pk}/{other.pk}/mentions/"
    # Carol may not discuss a story she is not on: she is not offered there.
    assert client.get(other_url, {"q": "吕杨"}).json()["results"] == []


@pytest.mark.django_db
def test_sharing_a_preview_link_tells_the_contributors(
    client, story, editor, reporter, correspondent
):
    client.force_login(editor)
    ct = ContentType.objects.get_for_model(story).pk
    client.post(f"/admin/teamwork/comment/{ct}/{story.pk}/share/")
    client.post(f"/admin/teamwork/comment/{ct}/{story.pk}/share/")  # twice: told once
    rows = Notification.objects.filter(event="share_link")
    assert sorted(rows.values_list("recipient__username", flat=True)) == ["alice", "carol"]
    assert all("/preview/" in row.url for row in rows)
