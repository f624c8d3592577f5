"""A few comments and unread notifications for the demo newsroom (`load_demo`), so that a
newcomer's bell is not empty. Running it twice adds nothing."""

from __future__ import annotations

from django.contrib.auth.models import User

from teamwork.admin import set_mentions
from teamwork.events import on_comment
from teamwork.models import Comment


def load(editor: User, reporter: User, articles: list) -> None:
    if Comment.objects.exists() or len(articles) < 6:
        return
    for user, address in (
        (editor, "editor@newsroom.invalid"),
        (reporter, "reporter@newsroom.invalid"),
    ):
        if not user.email:
            user.email = address
            user.save(update_fields=["email"])
    lead, in_review = articles[0], articles[4]
    opening = Comment.objects.create(
        item=lead,
        author=editor,
        body="@reporter 标题里的“扩大”要保留吗？请和区委宣传部确认。",
        quote="集中收听收看全国抗击新冠肺炎疫情表彰大会",
    )
    set_mentions(opening, lead)
    on_comment(opening)
    reply = Comment.objects.create(
        item=lead, author=reporter, parent=opening, body="已确认，保留。@editor 请再看一下导语。"
    )
    set_mentions(reply, lead)
    on_comment(reply)
    question = Comment.objects.create(
        item=in_review, author=editor, body="@reporter 第二段的数字来源是哪里？"
    )
    set_mentions(question, in_review)
    on_comment(question)
    # The scheduled story's preview link, shared with its reporter (nothing public changes).
    from newsroom.preview import preview_url
    from teamwork.events import notify
    from teamwork.models import Event

    scheduled = articles[5]
    notify(
        Event.SHARE_LINK,
        scheduled,
        editor,
        key=f"share:{scheduled._meta.label_lower}:{scheduled.pk}:{scheduled.edit_version}",
        url=preview_url(scheduled),
    )
