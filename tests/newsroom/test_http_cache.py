"""A real Varnish (Debian's varnish and varnish-modules, deploy/varnish/newsroom.vcl) in front
of the live server: readers served by the proxy see every public change within a second,
editors are never served a proxied page, and each language keeps its own copies."""

from __future__ import annotations

import datetime
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from tests.helpers import make_article, make_section, publish

VCL = Path(__file__).resolve().parents[2] / "deploy" / "varnish" / "newsroom.vcl"
VARNISHD = shutil.which("varnishd") or "/usr/sbin/varnishd"

pytestmark = [
    pytest.mark.skipif(
        not Path(VARNISHD).exists() and not os.environ.get("CI"),
        reason="varnishd is missing: `make browser-deps` installs varnish and varnish-modules",
    ),
    # transactional_db empties every table afterwards, the groups a data migration made
    # included: a serialized rollback reloads them.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def proxy(live_server, settings, tmp_path):
    """Varnish on a free port in front of the live server; the app purges it and lets it keep
    pages for a minute. Yields its base URL."""
    backend_port = live_server.url.rsplit(":", 1)[1]
    vcl = tmp_path / "newsroom.vcl"
    vcl.write_text(VCL.read_text().replace('.port = "8000"', f'.port = "{backend_port}"'))
    port = free_port()
    command = [
        VARNISHD,
        "-F",
        "-f",
        str(vcl),
        "-a",
        f"127.0.0.1:{port}",
        "-T",
        "none",
        "-n",
        str(tmp_path / "varnish"),
        "-s",
        "malloc,32m",
    ]
    if os.geteuid() == 0:
        command += ["-j", "none"]  # no unprivileged user to switch to in a test's tmp dir
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(process.stdout.read().decode()) from None
            time.sleep(0.1)
    settings.PAGE_CACHE_SECONDS = 300
    settings.HTTP_CACHE_SECONDS = 60
    settings.HTTP_CACHE_STALE_SECONDS = 30
    settings.HTTP_CACHE_PURGE_URLS = [base + "/"]
    yield base
    process.terminate()
    process.wait(timeout=10)


def fetch(url: str, **headers) -> tuple[int, dict, str]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def cached(url: str, **headers) -> str:
    """The page at `url` once it is kept by the proxy (the second fetch is a hit)."""
    fetch(url, **headers)
    status, response_headers, body = fetch(url, **headers)
    assert response_headers["X-Cache"] == "HIT", (url, response_headers)
    return body


def within_a_second(url: str, predicate, **headers) -> str:
    """Fetch `url` until `predicate(status, body)` holds; fail after one second."""
    deadline = time.monotonic() + 1.0
    while True:
        status, _, body = fetch(url, **headers)
        if predicate(status, body):
            return body
        assert time.monotonic() < deadline, f"{url} still stale after a second"
        time.sleep(0.05)


@pytest.fixture
def story(editor):
    return publish(make_article(headline="中原区召开推进会", section=make_section("区域")), editor)


def test_a_publish_reaches_readers_through_the_proxy_within_a_second(proxy, story, editor):
    assert "中原区召开推进会" in cached(proxy + "/")
    publish(make_article(headline="新发布的稿件"), editor)
    within_a_second(proxy + "/", lambda status, body: "新发布的稿件" in body)


def test_a_correction_reaches_readers_within_a_second(proxy, story, editor):
    cached(proxy + story.get_absolute_url())
    story.correct(by=editor, text="更正：会议于9月1日召开。")
    within_a_second(
        proxy + story.get_absolute_url(), lambda s, body: "更正：会议于9月1日召开" in body
    )


def test_a_retraction_reaches_readers_within_a_second(proxy, story, editor):
    cached(proxy + story.get_absolute_url())
    cached(proxy + "/")
    story.unpublish(by=editor, reason="事实有误")
    within_a_second(proxy + story.get_absolute_url(), lambda status, body: status == 410)
    within_a_second(proxy + "/", lambda status, body: "中原区召开推进会" not in body)


def test_a_scheduled_story_goes_live_through_the_proxy_on_time(proxy, story, editor):
    """Nothing is saved at publish_at: the proxy may keep the page only until then, and may
    not serve it stale after."""
    go_live = timezone.now() + datetime.timedelta(seconds=3)
    make_article(headline="定时发布的稿件").schedule(at=go_live, by=editor)
    body = cached(proxy + "/")
    assert "定时发布的稿件" not in body
    _, headers, _ = fetch(proxy + "/")
    max_age = int(headers["Cache-Control"].split("s-maxage=")[1].split(",")[0])
    assert 0 < max_age <= 3
    assert "stale-while-revalidate" not in headers["Cache-Control"]
    time.sleep(max(0.0, (go_live - timezone.now()).total_seconds()))
    within_a_second(proxy + "/", lambda status, body: "定时发布的稿件" in body)


def test_a_logged_in_editor_is_never_served_a_proxied_page(proxy, story, editor):
    anonymous = cached(proxy + story.get_absolute_url())
    client = Client()
    client.force_login(editor)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    for _ in range(2):
        status, headers, body = fetch(proxy + story.get_absolute_url(), Cookie=cookie)
        assert status == 200
        assert headers["X-Cache"] == "MISS"
        assert "private" in headers["Cache-Control"]
    # And what the editor was shown did not replace the readers' copy.
    _, headers, body = fetch(proxy + story.get_absolute_url())
    assert headers["X-Cache"] == "HIT" and body == anonymous


def test_each_language_keeps_its_own_proxied_pages(proxy, story):
    url = proxy + story.get_absolute_url()
    english = cached(url, **{"Accept-Language": "en"})
    chinese = cached(url, **{"Accept-Language": "zh-hans"})
    assert 'lang="en"' in english and 'lang="zh-hans"' in chinese
    # The language cookie (the switch on every page) wins over the browser's preference.
    chosen = cached(url, **{"Accept-Language": "zh-hans", "Cookie": "django_language=en"})
    assert 'lang="en"' in chosen
    _, headers, _ = fetch(url, **{"Accept-Language": "en"})
    assert headers["Content-Language"] == "en"
