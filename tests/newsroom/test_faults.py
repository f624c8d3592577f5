"""A hung cache and an unreachable database, met by a real server (newsroom/faults.py,
newsroom/cache_backend.py).

The site runs as `make serve` runs it: gunicorn, DEBUG off, collected static files, on a
demo database of its own, with a Redis of its own on a free port (Debian's redis-server),
which the tests stop with SIGSTOP (a hung server: connections are accepted by the kernel,
nothing answers) and resume with SIGCONT. Marked `fault`: `-m fault` runs them alone.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.fault

BASE_DIR = Path(settings.BASE_DIR)
PYTHON = sys.executable
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
# What a reader may wait for a page while the cache hangs (issue 9: "say ≤ 0.5 s").
BOUND = 0.5

needs_redis_server = pytest.mark.skipif(
    not Path(REDIS_SERVER).exists() and not os.environ.get("CI"),
    reason="redis-server is missing; `make test-deps` installs it",
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode}")
        with contextlib.suppress(OSError):
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on port {port} after {seconds} s")


class RedisServer:
    def __init__(self, directory: Path):
        self.port = free_port()
        self.process = subprocess.Popen(
            [
                REDIS_SERVER,
                "--port", str(self.port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", str(directory),
            ],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for_port(self.port, self.process)
        self.url = f"redis://127.0.0.1:{self.port}/0"

    @contextlib.contextmanager
    def hung(self):
        """Redis stopped, not dead: the kernel still accepts connections, nothing answers."""
        os.kill(self.process.pid, signal.SIGSTOP)
        try:
            yield
        finally:
            os.kill(self.process.pid, signal.SIGCONT)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGCONT)
            self.process.terminate()
            self.process.wait(10)


@pytest.fixture
def redis_server(tmp_path):
    if not Path(REDIS_SERVER).exists():
        pytest.fail(f"{REDIS_SERVER} is missing: run `make test-deps`", pytrace=False)
    server = RedisServer(tmp_path)
    yield server
    server.stop()


# --- The cache backend on its own -------------------------------------------------------


@needs_redis_server
def test_a_hung_redis_costs_one_short_wait_then_is_skipped_and_logged_once(
    redis_server, settings, caplog
):
    from newsroom.cache_backend import ResilientRedisCache

    settings.CACHE_BREAKER_SECONDS = 1
    cache = ResilientRedisCache(redis_server.url, {})
    cache.set("story", "中原区", 60)
    assert cache.get("story") == "中原区"

    with redis_server.hung(), caplog.at_level(logging.WARNING, logger="newsroom.faults"):
        started = time.monotonic()
        assert cache.get("story") is None  # a miss, after one time-out
        first = time.monotonic() - started
        started = time.monotonic()
        for _ in range(100):  # the breaker is open: no waiting at all
            assert cache.get("story", "fallback") == "fallback"
            assert cache.get_many(["story"]) == {}
            assert cache.add("other", 1) is False
            cache.set("story", "changed")
        rest = time.monotonic() - started
        time.sleep(1.1)  # the breaker lets one probe through, which waits again
        assert cache.get("story") is None
    assert settings.CACHE_SOCKET_TIMEOUT * 0.8 <= first < BOUND
    assert rest < 0.1
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1, [r.getMessage() for r in errors]  # once per interval
    assert "Redis cache at 127.0.0.1" in errors[0].getMessage()

    time.sleep(1.1)
    with caplog.at_level(logging.WARNING, logger="newsroom.faults"):
        assert cache.get("story") == "中原区"  # resumed: the value is still there
    assert any("answering again" in r.getMessage() for r in caplog.records)


@needs_redis_server
def test_a_dead_redis_is_a_cache_that_keeps_nothing(redis_server, settings):
    from newsroom.cache_backend import ResilientRedisCache

    url = redis_server.url
    redis_server.stop()
    cache = ResilientRedisCache(url, {})
    started = time.monotonic()
    assert cache.get_or_set("key", lambda: "computed") == "computed"
    assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
    assert cache.delete("key") is False
    with pytest.raises(ValueError):
        cache.incr("counter")
    assert time.monotonic() - started < BOUND


# --- The site under gunicorn --------------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A migrated demo database and collected static files, as `make serve` has them."""
    root = tmp_path_factory.mktemp("site")
    env = {
        # The browser tests' fixture may have set DJANGO_ALLOW_ASYNC_UNSAFE in this process.
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DATABASE_URL": f"sqlite:///{root / 'newsroom.sqlite3'}",
        "NEWSROOM_VAR_DIR": str(root),
        "MEDIA_ROOT": str(root / "media"),
        "STATIC_ROOT": str(root / "static"),
        "SECRET_KEY": "fault-test-secret-key-" + "x" * 40,
        "DEBUG": "false",
        "CACHE_URL": "dummy://",
        "LOG_LEVEL": "WARNING",
    }
    for command in (["migrate", "-v0"], ["collectstatic", "--noinput", "-v0"], ["load_demo"]):
        subprocess.run(
            [PYTHON, "manage.py", *command], cwd=BASE_DIR, env=env, check=True,
            stdout=subprocess.DEVNULL, timeout=300,
        )  # fmt: skip
    return env


class Gunicorn:
    """One sync gunicorn worker serving the demo site; its log is kept for the tests."""

    def __init__(self, env: dict, port: int, log: Path, **overrides: str):
        self.port = port
        self.log = log
        self.base = f"http://127.0.0.1:{port}"
        with open(log, "ab") as out:
            self.process = subprocess.Popen(
                [
                    PYTHON, "-m", "gunicorn", "newsroom.wsgi",
                    "--bind", f"127.0.0.1:{port}", "--workers", "1", "--timeout", "60",
                    "--no-control-socket",
                ],
                cwd=BASE_DIR, env={**env, **overrides}, stdout=out, stderr=out,
            )  # fmt: skip
        wait_for_port(port, self.process)

    def get(self, path: str, headers: dict | None = None):
        """(status, headers, body, seconds) of a GET, whatever the status."""
        request = urllib.request.Request(self.base + path, headers=headers or {})
        started = time.monotonic()
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                body, status, got = response.read(), response.status, response.headers
        except urllib.error.HTTPError as error:
            body, status, got = error.read(), error.code, error.headers
        return status, got, body.decode(), time.monotonic() - started

    def stop(self) -> str:
        self.process.terminate()
        self.process.wait(30)
        return self.log.read_text(errors="replace")


@pytest.fixture
def serve(site, tmp_path):
    servers = []
    port = free_port()

    def start(**overrides: str) -> Gunicorn:
        server = Gunicorn(site, port, tmp_path / f"gunicorn-{len(servers)}.log", **overrides)
        servers.append(server)
        return server

    yield start
    for server in servers:
        if server.process.poll() is None:
            server.stop()


PAGES = ("/", "/feed/", "/events/", "/galleries/", "/sitemap.xml", "/static/css/site.css")


def story_path(env) -> str:
    out = subprocess.run(
        [
            PYTHON, "manage.py", "shell", "--no-imports", "-c",
            "from articles.models import Article;"
            "print(Article.objects.published().first().get_absolute_url())",
        ],
        cwd=BASE_DIR, env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    return out.stdout.strip()


@needs_redis_server
def test_pages_are_answered_within_the_bound_while_redis_hangs(site, serve, redis_server):
    story = story_path(site)
    paths = (story, *PAGES, story, "/?page=2")
    # What rendering each page costs on this machine with no cache at all, which is what a
    # hung cache must degrade to: the bound measures what the hang adds, not a slow CPU.
    uncached = serve(CACHE_URL="dummy://")
    rendering = {path: max(uncached.get(path)[3] for _ in range(2)) for path in paths}
    uncached.stop()

    server = serve(CACHE_URL=redis_server.url, CACHE_BREAKER_SECONDS="2")
    for path in (*PAGES, story):  # warm: the pages are in Redis now
        assert server.get(path)[0] == 200
    assert server.get(story)[1]["X-Page-Cache"] == "hit"

    with redis_server.hung():
        answers = [(path, *server.get(path)) for path in paths * 3 for _ in range(2)]
    waits = [round(seconds - rendering[path], 3) for path, *_, seconds in answers]
    print("seconds each request waited beyond its rendering, Redis hung:", waits)
    for path, status, _, body, seconds in answers:
        assert status in (200, 404), body[:500]
        assert seconds < 2, (path, seconds)  # never the socket's 30 s, nor several time-outs
    # Each page is asked for twice in a row; on a machine this busy (the tests share it) one
    # answer may be slow for reasons of its own, so the faster of the two is held to the bound.
    for number in range(0, len(waits), 2):
        assert min(waits[number : number + 2]) <= BOUND, (answers[number][0], waits)
    assert "中原区" in answers[0][3]
    assert answers[0][2].get("X-Page-Cache") is None  # rendered, not from the cache

    time.sleep(2.2)  # the breaker's interval: the next request probes Redis, which answers
    server.get(story)
    assert server.get(story)[1]["X-Page-Cache"] == "hit"
    log = server.stop()
    assert log.count("failed (TimeoutError") == 1, log  # once, not once a request
    assert "answering again" in log
    assert "Traceback" in log  # the first report says where


@needs_redis_server
def test_a_database_outage_answers_503_with_retry_after_and_serves_cached_pages(
    site, serve, redis_server
):
    story = story_path(site)
    server = serve(CACHE_URL=redis_server.url)
    assert server.get(story)[0] == 200
    assert server.get(story)[1]["X-Page-Cache"] == "hit"
    server.stop()

    # Nothing listens on this port: every connection attempt is refused.
    unreachable = f"postgresql://postgres@127.0.0.1:{free_port()}/newsroom"
    server = serve(CACHE_URL=redis_server.url, DATABASE_URL=unreachable, NEWSROOM_RETRY_AFTER="45")
    status, headers, body, _ = server.get(story)
    assert status == 200, body[:500]  # what the page cache holds is still served
    assert headers["X-Page-Cache"] == "hit"
    assert "中原区" in body

    for path in ("/", "/?uncached", story + "?q=1", "/events/"):
        status, headers, body, _ = server.get(path)
        assert status == 503, (path, status, body[:500])
        assert headers["Retry-After"] == "45"
        assert "no-store" in headers["Cache-Control"]
        assert "网站暂时无法访问" in body and "We will be back shortly" in body
    # An editor's request (a session) and the admin meet the same page.
    status, headers, body, _ = server.get("/admin/", {"Cookie": "sessionid=" + "x" * 32})
    assert (status, headers["Retry-After"]) == (503, "45")
    assert server.get("/static/css/errors.css")[0] == 200  # the page's own style sheet

    log = server.stop()
    assert log.count("Database unavailable") == 1, log  # once per interval, not per request
    assert "Service Unavailable:" not in log  # Django's own per-request line is silenced
