"""The production set-up: `check --deploy`, HTTPS settings from the environment, and the
Content Security Policy on public pages and the admin."""

from __future__ import annotations

import base64
import hashlib
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.helpers import build_paper

BASE_DIR = Path(settings.BASE_DIR)
# The production variables the README documents (section "Production").
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "q8Zr3mV0-kP2xN7wT5yB1cH9jL4dF6gS0aE3uR8iO2pW5nM7vQ1z",
    "ALLOWED_HOSTS": "news.example.com",
    "CSRF_TRUSTED_ORIGINS": "https://news.example.com",
    "SITE_URL": "https://news.example.com",
    "SECURE_SSL_REDIRECT": "true",
    "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto: https",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
    "SECURE_HSTS_PRELOAD": "true",
    "SESSION_COOKIE_SECURE": "true",
    "CSRF_COOKIE_SECURE": "true",
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # Not the test run's own settings, nor DJANGO_ALLOW_ASYNC_UNSAFE, which the browser tests'
    # fixture sets in this process (check --deploy rightly refuses it).
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in PRODUCTION and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={**clean, "DJANGO_SETTINGS_MODULE": "newsroom.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_the_documented_production_variables():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr


def test_check_deploy_names_each_missing_production_setting():
    result = manage("check", "--deploy", DEBUG="false", SECRET_KEY=PRODUCTION["SECRET_KEY"])
    for warning in ("W004", "W008", "W012", "W016"):
        assert f"security.{warning}" in result.stderr, result.stderr


@pytest.mark.parametrize(
    "name, value, complaint",
    [
        ("SECURE_HSTS_SECONDS", "a year", "must be a whole number"),
        ("SECURE_HSTS_SECONDS", "-1", "must be 0 or more"),
        ("SECURE_SSL_REDIRECT", "maybe", "must be a boolean"),
        ("SECURE_HSTS_PRELOAD", "yes please", "must be a boolean"),
        ("CSRF_COOKIE_SECURE", "2", "must be a boolean"),
        ("SECURE_PROXY_SSL_HEADER", "https", "must look like 'X-Forwarded-Proto: https'"),
        ("SECURE_PROXY_SSL_HEADER", "X Forwarded: https", "must look like"),
        ("CACHE_SOCKET_TIMEOUT", "0", "must be more than 0"),
        ("AXES_FAILURE_LIMIT", "0", "must be 1 or more"),
        ("NEWSROOM_REQUIRE_2FA", "sometimes", "must be a boolean"),
    ],
)
def test_a_bad_production_value_is_refused_loudly(name, value, complaint):
    result = manage("check", **{name: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert complaint in result.stderr, result.stderr[-2000:]
    assert name in result.stderr


def test_behind_the_proxy_plain_http_is_redirected_and_https_gets_hsts(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    response = client.get("/robots.txt", HTTP_X_FORWARDED_PROTO="http")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/robots.txt"
    response = client.get("/robots.txt", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


# --- Content Security Policy ---------------------------------------------------------------


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


class InlineCode(HTMLParser):
    """Collects what a strict CSP would block: inline scripts, <style>, style="" and on*=."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self._script: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self._script = attrs
        if tag == "style":
            self.found.append("<style>")
        if "style" in attrs:
            self.found.append(f'<{tag} style="{attrs["style"]}">')
        self.found += [f"<{tag} {name}=…>" for name in attrs if name.startswith("on")]
        for name in ("href", "src", "action"):
            if (attrs.get(name) or "").strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}=javascript:…>")

    def handle_data(self, data):
        script = self._script
        if script is not None and "src" not in script and data.strip():
            if script.get("type") != "application/ld+json":  # data, which CSP does not run
                self.found.append(f"<script>{data.strip()[:60]}")

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    return parser.found


@pytest.fixture
def paper(editor):
    return build_paper(editor)


def test_public_pages_have_a_strict_policy_and_nothing_inline_it_would_block(client, paper):
    article = paper["articles"][1]
    urls = [
        "/",
        article.get_absolute_url(),
        paper["gallery"].get_absolute_url(),
        reverse("articles:gallery_photo", args=[paper["gallery"].slug, 2]),
        paper["event"].get_absolute_url(),
        reverse("articles:events"),
        paper["reporter"].get_absolute_url(),
        "/search/?q=中原区",
        "/no/such/page/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        policy = directives(response)
        assert policy["script-src"] == ["'self'"], url
        assert policy["style-src"] == ["'self'"], url
        assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
        assert inline_code(response.content.decode()) == [], url
    assert 'type="application/ld+json"' in client.get(article.get_absolute_url()).content.decode()


def test_the_error_pages_need_nothing_inline_either(client):
    from django.template.loader import get_template

    for name in ("500.html", "503.html"):
        assert inline_code(get_template(name).render()) == [], name


def test_a_cached_page_carries_the_policy_too(client, paper, settings, tmp_path):
    settings.PAGE_CACHE_SECONDS = 300
    first = client.get("/")
    second = client.get("/")
    assert second["X-Page-Cache"] == "hit"
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert "nonce-" not in second["Content-Security-Policy"]  # never a per-request secret


def test_the_admin_runs_only_its_own_scripts_and_allows_inline_styles(client, editor, paper):
    client.force_login(editor)
    article = paper["articles"][1]
    response = client.get(f"/admin/articles/article/{article.pk}/change/")
    assert response.status_code == 200
    policy = directives(response)
    html = response.content.decode()
    # The prose editor's import map is the one inline script, allowed by its hash alone.
    import_map = re.search(r'<script type="importmap">(.*?)</script>', html, re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(import_map.encode()).digest()).decode()
    assert policy["script-src"] == ["'self'", f"'sha256-{digest}'"]
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    scripts = re.findall(r"<script\b[^>]*>", html)
    others = [tag for tag in scripts if "src=" not in tag and "importmap" not in tag]
    assert all("json" in tag for tag in others), others  # data, which CSP does not run
    assert not re.search(r"\son[a-z]+=", html)  # no inline event handlers


def test_without_an_smtp_host_emails_are_printed_on_the_console_as_under_make_run():
    result = manage("sendtestemail", "reporter@newsroom.invalid", DEBUG="true", EMAIL_HOST="")
    assert result.returncode == 0, result.stderr
    assert "To: reporter@newsroom.invalid" in result.stdout and "Subject:" in result.stdout
    shown = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.EMAIL_BACKEND)",
        DEBUG="true",
        EMAIL_HOST="smtp.example.com",
    )
    assert shown.stdout.strip().endswith("django.core.mail.backends.smtp.EmailBackend"), (
        shown.stderr
    )
