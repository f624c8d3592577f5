"""Two-factor authentication for the staff: a TOTP code (django-otp) after the password.

With NEWSROOM_REQUIRE_2FA on, an editor or administrator (newsroom.roles.is_editor) who has
logged in but not yet entered a code this session is sent from every admin page to enrol
(a QR code for an authenticator app, then a first code) or to verify (a code). Staff powers
live only under the admin (public pages treat everyone as a reader), so none is reachable
with the password alone.
Anyone on the staff may enrol when it is off; a lost phone is handled by an administrator
deleting the device in the admin ("TOTP devices"), after which its owner enrols again.
"""

from __future__ import annotations

import io
from base64 import b32encode

import django_otp
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.qr import write_qrcode_image

from newsroom.roles import is_editor

app_name = "two_factor"


def is_required_for(user) -> bool:
    """Whether `user` must enter a code before using the admin (the setting, and who)."""
    return settings.NEWSROOM_REQUIRE_2FA and is_editor(user)


def _exempt_paths() -> tuple[str, ...]:
    return (
        reverse("admin:login"),
        reverse("admin:logout"),
        reverse("admin:jsi18n"),
        reverse("two_factor:verify"),
        reverse("two_factor:enrol"),
        reverse("two_factor:qrcode"),
    )


class TwoFactorMiddleware:
    """Holds back an editor without a verified code (after django_otp's OTPMiddleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Without a session cookie nobody is logged in: readers' requests never look further.
        if settings.NEWSROOM_REQUIRE_2FA and settings.SESSION_COOKIE_NAME in request.COOKIES:
            user = request.user
            if user.is_authenticated and not user.is_verified() and is_required_for(user):
                path = request.path_info
                if path.startswith(reverse("admin:index")) and not path.startswith(_exempt_paths()):
                    return redirect_to_verify(request)
        return self.get_response(request)


def redirect_to_verify(request: HttpRequest) -> HttpResponse:
    target = reverse("two_factor:verify")
    return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")


def _next_url(request: HttpRequest) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse("admin:index")


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_token(self) -> str:
        token = "".join(self.cleaned_data["token"].split())
        if not token.isdigit():
            raise forms.ValidationError(_("Enter the six digits your app shows."))
        return token


def _wrong_code_message(devices) -> str:
    # django-otp doubles the wait after each wrong code; say so rather than "wrong" again.
    if any(not device.verify_is_allowed()[0] for device in devices):
        return _("Too many wrong codes: wait a few seconds, then enter the newest code.")
    return _(
        "That code is not right, or has been used already. Check the time on your phone and enter the newest code."
    )


def _wrong_code_message(devices) -> str:
    # django-otp doubles the wait after each wrong code; say so rather than "wrong" again.
    if any(not device.verify_is_allowed()[0] for device in devices):
        return _("Too many wrong codes: wait a few seconds, then enter the newest code.")
    return _(
        "That code is not right, or has been used already. Check the time on your phone "
        "and enter the newest code."
    )


def _render(request, template: str, context: dict) -> TemplateResponse:
    return TemplateResponse(
        request,
        template,
        {**admin.site.each_context(request), **context, "next": _next_url(request)},
    )


def _unconfirmed_device(user) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=user, name=str(_("Authenticator app")), confirmed=False
        )
    return device


@never_cache
@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """Ask for a code from one of the user's devices; on success the session is verified."""
    if not request.user.is_staff:
        return redirect("admin:login")
    if not django_otp.user_has_device(request.user):
        return redirect(f"{reverse('two_factor:enrol')}?{urlencode({'next': _next_url(request)})}")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = django_otp.match_token(request.user, form.cleaned_data["token"])
        if device is not None:
            django_otp.login(request, device)
            return redirect(_next_url(request))
        form.add_error("token", _wrong_code_message(django_otp.devices_for_user(request.user)))
    return _render(
        request,
        "admin/two_factor/verify.html",
        {"form": form, "title": _("Two-factor authentication")},
    )


@never_cache
@login_required
def enrol(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: a QR code (and the key, to type in), then a first code."""
    if not request.user.is_staff:
        return redirect("admin:login")
    device = _unconfirmed_device(request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            django_otp.login(request, device)
            messages.success(request, _("Two-factor authentication is set up for your account."))
            return redirect(_next_url(request))
        form.add_error("token", _wrong_code_message([device]))
    return _render(
        request,
        "admin/two_factor/enrol.html",
        {"form": form, "secret": _base32(device), "title": _("Set up two-factor authentication")},
    )


@never_cache
@login_required
def qrcode(request: HttpRequest) -> HttpResponse:
    """The QR code of the device being set up (never of a confirmed one: its key stays secret)."""
    if not request.user.is_staff:
        return redirect("admin:login")
    out = io.BytesIO()
    write_qrcode_image(_unconfirmed_device(request.user).config_url, out)
    return HttpResponse(out.getvalue(), content_type="image/svg+xml")


def _base32(device: TOTPDevice) -> str:
    key = b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


urlpatterns = [
    path("verify/", verify, name="verify"),
    path("enrol/", enrol, name="enrol"),
    path("enrol/qrcode.svg", qrcode, name="qrcode"),
]
