"""The discussion and presence panel of a change form (registered with the admin site)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from newsroom.roles import is_editor
from teamwork.access import may_discuss
from teamwork.models import Comment


def threads(obj, user) -> list[dict]:
    """The item's comments as threads (opening comment, replies), oldest first; two queries."""
    comments = list(Comment.objects.on(obj).for_thread())
    now = timezone.now()
    by_parent: dict[int | None, list] = {}
    for comment in comments:
        comment.editable = comment.is_editable_by(user, now)
        comment.outdated = comment.is_outdated(obj)
        by_parent.setdefault(comment.parent_id, []).append(comment)
    return [{"comment": c, "replies": by_parent.get(c.pk, [])} for c in by_parent.get(None, [])]


def change_form_panel(request, obj, model_admin) -> dict | None:
    """The discussion and presence panel (newsroom.admin.register_change_form_panel)."""
    if obj is None or not obj.pk or not may_discuss(request.user, obj):
        return None
    content_type = ContentType.objects.get_for_model(obj)
    args = [content_type.pk, obj.pk]
    get_token(request)  # the panel's forms post with the CSRF token
    from teamwork.admin import draft_key

    draft = request.session.pop(draft_key(obj), "") if hasattr(request, "session") else ""
    html = render_to_string(
        "teamwork/panel.html",
        {
            "item": obj,
            "threads": threads(obj, request.user),
            "post_url": reverse("admin:teamwork_comment_post", args=args),
            "mentions_url": reverse("admin:teamwork_comment_mentions", args=args),
            "presence_url": reverse("admin:teamwork_comment_presence", args=args),
            "takeover_url": reverse("admin:teamwork_comment_takeover", args=args),
            "share_url": reverse("admin:teamwork_comment_share", args=args),
            "may_take_over": is_editor(request.user),
            "edit_version": obj.edit_version,
            "draft": draft,
        },
        request=request,
    )
    # Rendered here, with its own context; the change form shows it in its panels' place.
    return {"template": "teamwork/panel_frame.html", "html": html}
