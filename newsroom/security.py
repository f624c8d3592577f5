"""The deployment's defences that are code rather than settings: the Content Security
Policy's one exception (the admin's inline styles) and the reader's address for login
throttling behind a proxy."""

from __future__ import annotations

import base64
import hashlib
import re

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.urls import reverse

# Django's admin, select2 and the prose editor write style attributes into their markup.
# An inline style cannot run code; scripts stay limited to the site's own files there too.
ADMIN_POLICY_UPDATE = {"style-src": ["'unsafe-inline'"]}


# A widget's import map (django-prose-editor's, through django-js-asset) is an inline
# script that the browser only reads, but CSP treats like any other: its hash allows it.
IMPORT_MAP = re.compile(rb"<script\b[^>]*\btype=[\"']?importmap[\"']?[^>]*>(.*?)</script>", re.S)


def import_map_hashes(response: HttpResponseBase) -> list[str]:
    """CSP source expressions for the import maps in an HTML response (none if streamed)."""
    if response.streaming or not response.get("Content-Type", "").startswith("text/html"):
        return []
    digests = {
        base64.b64encode(hashlib.sha256(match.group(1)).digest()).decode()
        for match in IMPORT_MAP.finditer(response.content)
    }
    return [f"'sha256-{digest}'" for digest in sorted(digests)]


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware with CONTENT_SECURITY_POLICY everywhere, plus the hashes of
    the import maps a page carries, and inline styles allowed under the admin only.

    What it adds depends only on the page's content, never on the request (no nonces),
    so a page from the page cache carries the policy it was rendered with."""

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if parts.update is not None or parts.replace is not None:
            return parts  # a view chose its own policy (csp_update / csp_replace)
        update = {}
        if request.path_info.startswith(reverse("admin:index")):
            update.update(ADMIN_POLICY_UPDATE)
        if hashes := import_map_hashes(response):
            update["script-src"] = hashes
        parts.update = update or None
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
