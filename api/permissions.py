"""What a token's scopes allow; what its user may do is the workflow's to say."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

# Transitions a `write_drafts` token may ask for; the rest need `publish`.
DRAFT_TRANSITIONS = {"submit", "withdraw"}


def scope_for(request, view) -> str | None:
    if request.method in SAFE_METHODS:
        return None
    if getattr(view, "action", None) == "transition":
        action = request.data.get("action") if hasattr(request.data, "get") else None
        return "write_drafts" if action in DRAFT_TRANSITIONS else "publish"
    return "write_drafts"


class TokenScopes(BasePermission):
    """Reading needs nothing (a token without `read_unpublished` reads what the public
    does); writing needs a token with the scope for it."""

    message = _("This token's scopes do not allow that.")

    def has_permission(self, request, view):
        scope = scope_for(request, view)
        if scope is None:
            return True
        token = request.auth
        if token is None:
            self.message = _("Writing needs an integration token (Authorization: Bearer …).")
            return False
        self.message = _("This token lacks the “%(scope)s” scope.") % {"scope": scope}
        return token.allows(scope)


def scopes_for(user) -> set[str]:
    """The scopes a token of `user` may be given: no more than the user may do. Anyone reads
    (what they may see); writing drafts is for those who may write stories or edit at a
    stage; the editors' transitions for those who sign or manage somewhere (a reporter's
    token never publishes)."""
    from api.models import Scope
    from newsroom.review import rules

    if not (user is not None and user.is_active):
        return set()
    allowed = {Scope.READ_UNPUBLISHED.value}
    signer = rules.is_desk_signer(user)
    if signer or user.has_perm("articles.add_article"):
        allowed.add(Scope.WRITE_DRAFTS.value)
    if signer:
        allowed.add(Scope.PUBLISH.value)
    return allowed
