"""Who reads what through the API: the one place that says it.

Anonymous clients (and tokens without the `read_unpublished` scope) see what the public site
shows: `published()`. A token that may read unpublished work sees what its user may see in the
admin, never more: an editor everything, a reporter the public items and their own
(`contributed_by`, the rule of the admin's lists).
"""

from __future__ import annotations

from newsroom.roles import is_editor, is_reporter


def may_read_unpublished(request) -> bool:
    token = getattr(request, "auth", None)
    return bool(token is not None and token.allows("read_unpublished"))


def seen_by(model, user):
    """What `user` may see in the admin's lists: an editor everything, a reporter the
    public items and their own; anyone else the public ones."""
    if is_editor(user):
        return model.objects.all()
    if is_reporter(user):
        return model.objects.published() | model.objects.contributed_by(user)
    return model.objects.published()


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
