"""The deployment's defences that are code rather than settings: the Content Security
Policy's one exception (the admin's inline styles) and the reader's address for login
throttling behind a proxy."""

from __future__ import annotations

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.urls import reverse

# Django's admin, select2 and the prose editor write style attributes into their markup.
# An inline style cannot run code; scripts stay limited to the site's own files there too.
ADMIN_POLICY_UPDATE = {"style-src": ["'unsafe-inline'"]}


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware with CONTENT_SECURITY_POLICY everywhere, and inline styles
    allowed under the admin only."""

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if parts.update is None and request.path_info.startswith(reverse("admin:index")):
            parts.update = ADMIN_POLICY_UPDATE
        return parts


def client_ip(request: HttpRequest) -> str | None:
    """The reader's address (AXES_CLIENT_IP_CALLABLE): REMOTE_ADDR, or with
    NEWSROOM_PROXY_COUNT proxies in front, the address the outermost of them saw, which is
    the last one a client cannot forge in X-Forwarded-For."""
    count = settings.NEWSROOM_PROXY_COUNT
    if count > 0:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [hop for hop in hops if hop]
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR")
