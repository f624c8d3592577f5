"""Requests that can name nothing: NUL bytes in the path, the query, the posted form or the
cookies. PostgreSQL refuses a NUL in any text, so such a request would end as a 500 in
whichever query first used the value; it is answered 400 before any view (or the page
cache) sees it. No browser sends one: only a crafted request does.
"""

from __future__ import annotations

from django.core.exceptions import BadRequest
from django.utils.translation import gettext as _

NUL = "\x00"


def _has_nul(pairs) -> bool:
    return any(NUL in key or any(NUL in value for value in values) for key, values in pairs)


def is_malformed(request) -> bool:
    """Does the request carry a NUL anywhere the application reads text from?"""
    if NUL in request.path_info or "%00" in request.META.get("QUERY_STRING", ""):
        return True
    if _has_nul(request.GET.lists()) or _has_nul((k, [v]) for k, v in request.COOKIES.items()):
        return True
    content_type = request.META.get("CONTENT_TYPE", "")
    if request.method == "POST" and content_type.startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        return _has_nul(request.POST.lists())
    return False


class RejectMalformedRequestMiddleware:
    """First in MIDDLEWARE: a crafted request is a 400 and is never cached."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_malformed(request):
            raise BadRequest(_("The request contains characters that cannot be read."))
        return self.get_response(request)
