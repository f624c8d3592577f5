"""`Authorization: Bearer nr_…`: an integration token (api/models.py Token)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from api.models import Token, digest


class TokenAuthentication(BaseAuthentication):
    keywords = (b"bearer", b"token")

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in self.keywords:
            return None
        if len(parts) != 2:
            raise AuthenticationFailed(_("Send the token as “Authorization: Bearer <token>”."))
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise AuthenticationFailed(_("The token is unknown, expired or revoked.")) from None
        # One query: the token and its user.
        token = Token.objects.select_related("user").filter(key_digest=digest(key)).first()
        if token is None or not token.is_usable() or not token.user.is_active:
            raise AuthenticationFailed(_("The token is unknown, expired or revoked."))
        token.touch()
        return token.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = TokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer"}
