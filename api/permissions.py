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
