"""Logins: throttling (django-axes) and two-factor authentication for editors (django-otp)."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.helpers import PASSWORD

LOGIN = "/admin/login/?next=/admin/"


@pytest.fixture(autouse=True)
def _throttling(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = 0.5  # hours


def log_in(client, username, password, address="10.0.0.1", language="en"):
    return client.post(
        LOGIN,
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
        HTTP_ACCEPT_LANGUAGE=language,
    )


def test_the_admin_login_form_still_logs_in(client, reporter):
    response = log_in(client, "alice", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_an_account_is_locked_after_repeated_wrong_passwords_even_with_the_right_one(
    client, reporter
):
    for _ in range(2):
        assert log_in(client, "alice", "wrong").status_code == 200  # the form, with its error
    assert log_in(client, "alice", "wrong").status_code == 429  # the third: locked
    response = log_in(client, "alice", PASSWORD, address="10.0.0.99")  # from elsewhere too
    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_address_is_locked_whatever_account_it_tries(client, reporter, other_reporter):
    for name in ("nobody", "someone", "anyone"):
        log_in(client, name, "guess", address="10.0.0.7")
    assert log_in(client, "bob", PASSWORD, address="10.0.0.7").status_code == 429
    assert log_in(client, "bob", PASSWORD, address="10.0.0.8").status_code == 302


def test_the_lockout_message_is_in_chinese_for_chinese_readers(client, reporter):
    for _ in range(3):
        log_in(client, "alice", "wrong", language="zh-hans")
    response = log_in(client, "alice", PASSWORD, language="zh-hans")
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()


def test_an_administrator_lifts_the_lock_in_the_admin(client, reporter):
    for _ in range(3):
        log_in(client, "alice", "wrong")
    attempt = AccessAttempt.objects.get(username="alice")
    admin = User.objects.create_superuser("root", password=PASSWORD)
    staff = client.__class__()
    staff.force_login(admin)
    changelist = staff.get("/admin/axes/accessattempt/")
    assert changelist.status_code == 200
    assert "alice" in changelist.content.decode()
    response = staff.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert log_in(client, "alice", PASSWORD).status_code == 302


def test_a_reporter_cannot_see_or_lift_locks(client, reporter):
    client.force_login(reporter)
    assert client.get("/admin/axes/accessattempt/").status_code == 403


# --- Two-factor authentication ------------------------------------------------------------


@pytest.fixture
def required(settings):
    settings.NEWSROOM_REQUIRE_2FA = True
    # django-otp makes a code wait 1 s, 2 s, 4 s… after a wrong one; the tests don't wait.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def code_for(device: TOTPDevice) -> str:
    device.refresh_from_db()
    number = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{number:0{device.digits}d}"


@pytest.mark.parametrize("url", ["/admin/", "/admin/articles/article/", "/admin/auth/user/"])
def test_with_2fa_required_an_editor_without_a_verified_device_cannot_reach_admin_pages(
    client, editor, required, url
):
    client.force_login(editor)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor:verify"))


def test_an_editor_enrols_with_the_qr_code_and_a_first_code(client, editor, required):
    client.force_login(editor)
    response = client.get(reverse("two_factor:verify") + "?next=/admin/articles/article/")
    assert response.status_code == 302  # no device yet: set one up
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert "Set up two-factor authentication" in page.content.decode()
    qr = client.get(reverse("two_factor:qrcode"))
    assert qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content
    device = TOTPDevice.objects.get(user=editor, confirmed=False)

    wrong = client.post(
        reverse("two_factor:enrol"),
        {"token": "000000", "next": "/admin/"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert wrong.status_code == 200 and "not right" in wrong.content.decode()
    assert client.get("/admin/").status_code == 302

    response = client.post(
        reverse("two_factor:enrol"),
        {"token": code_for(device), "next": "/admin/articles/article/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/articles/article/"
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert client.get("/admin/articles/article/").status_code == 200


def test_an_enrolled_editor_verifies_with_a_code_from_the_app(client, editor, required):
    device = TOTPDevice.objects.create(user=editor, name="phone", confirmed=True)
    client.force_login(editor)
    page = client.get(reverse("two_factor:verify"))  # zh-hans, the site's language
    assert page.status_code == 200
    assert "双重验证" in page.content.decode()
    assert client.get(reverse("two_factor:qrcode")).content  # a new, unconfirmed device's
    assert not TOTPDevice.objects.filter(pk=device.pk, confirmed=False).exists()

    wrong = client.post(reverse("two_factor:verify"), {"token": "123456"})
    assert wrong.status_code == 200 and "不正确" in wrong.content.decode()
    code = code_for(device)
    response = client.post(reverse("two_factor:verify"), {"token": code})
    assert response.status_code == 302
    assert client.get("/admin/articles/article/").status_code == 200
    # The same code a second time (a replay) does not verify another session.
    other = client.__class__()
    other.force_login(editor)
    assert other.post(reverse("two_factor:verify"), {"token": code}).status_code == 200
    assert other.get("/admin/").status_code == 302


def test_with_2fa_required_an_administrator_is_asked_too(client, db, required):
    admin = User.objects.create_superuser("root", password=PASSWORD)
    client.force_login(admin)
    assert client.get("/admin/auth/user/")["Location"].startswith(reverse("two_factor:verify"))


def test_a_reporter_is_not_asked_for_a_code(client, reporter, required):
    client.force_login(reporter)
    assert client.get("/admin/").status_code == 200


def test_without_the_setting_editors_use_the_admin_as_before(client, editor):
    client.force_login(editor)
    assert client.get("/admin/").status_code == 200


def test_the_verify_page_never_redirects_off_the_site(client, editor, required):
    device = TOTPDevice.objects.create(user=editor, name="phone", confirmed=True)
    client.force_login(editor)
    response = client.post(
        reverse("two_factor:verify"),
        {"token": code_for(device), "next": "https://evil.example/"},
    )
    assert response["Location"] == "/admin/"


@pytest.mark.parametrize("view", ["config", "qrcode"])
def test_no_administrator_sees_another_persons_totp_secret(client, editor, view):
    """The admin's device pages would show the secret an attacker needs; a device id that does
    not exist answered 500 there before."""
    device = TOTPDevice.objects.create(user=editor, name="phone", confirmed=True)
    User.objects.create_superuser("boss", "boss@example.com", PASSWORD)
    client.force_login(User.objects.get(username="boss"))
    for pk in (device.pk, device.pk + 1000):
        response = client.get(f"/admin/otp_totp/totpdevice/{pk}/{view}/")
        assert response.status_code == 403
        assert device.key not in response.content.decode(errors="replace")
