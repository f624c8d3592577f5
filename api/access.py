"""Who reads what through the API: the one place that says it.

Anonymous clients (and tokens without the `read_unpublished` scope) see what the public site
shows: `published()`. A token that may read unpublished work sees what its user may see in the
admin, never more: the newsroom's reading rights (`visible_to`, newsroom.review.rules.visible_q:
chief editors everything, a desk's people their desk's work as their roles there allow,
contributors the public items and their own).
"""

from __future__ import annotations


def may_read_unpublished(request) -> bool:
    token = getattr(request, "auth", None)
    return bool(token is not None and token.allows("read_unpublished"))


def seen_by(model, user):
    """What `user` may see in the admin's lists, and nothing unpublished beyond it."""
    return model.objects.visible_to(user)


def readable(model, request):
    """The items of `model` (a newsroom.models.Publishable) that `request` may read."""
    if may_read_unpublished(request):
        return seen_by(model, request.user)
    return model.objects.published()


def writable(model, request):
    """The items a writing request may name (the workflow then says what it may do)."""
    if request.auth is None:
        return model.objects.none()
    return seen_by(model, request.user)
