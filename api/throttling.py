"""Rate limits: per address without a token, per token with one (README: API_THROTTLE_*).
Counted in the default cache (Redis in production: shared by every worker)."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from newsroom.security import client_ip


class AnonymousThrottle(SimpleRateThrottle):
    scope = "api-anon"

    def get_rate(self):
        return settings.API_THROTTLE_ANON

    def get_cache_key(self, request, view):
        if request.auth is not None:
            return None
        # The reader's address as the login throttling sees it (NEWSROOM_PROXY_COUNT).
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request) or "-"}


class TokenThrottle(SimpleRateThrottle):
    scope = "api-token"

    def get_rate(self):
        return settings.API_THROTTLE_TOKEN

    def get_cache_key(self, request, view):
        if request.auth is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}
