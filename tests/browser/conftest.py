"""Shared set-up for the browser tests: Debian's Chromium driven by Playwright against
pytest-django's live server.

Every test in this folder is marked `browser` (run them alone with `-m browser`, or
leave them out with `-m "not browser"`). Without /usr/bin/chromium they are skipped,
except under CI, where a missing browser is a broken build and fails.

Fixtures:
- `browser`: one headless Chromium for the session.
- `new_context(mobile=False, locale="en-US")`: a fresh browser context (own cookies,
  so one per persona) pointed at the live server; closed after the test.
- `page` / `mobile_page`: a page in a fresh desktop (1280x900) or phone (390x844) context.
- `js_errors`: uncaught JavaScript errors seen on any page of the test.
Helpers: `login(page, user)` and `screenshot(page, name)` (PNG under var/screenshots/).
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings

from tests.helpers import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
MOBILE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 3,
    "is_mobile": True,
    "has_touch": True,
}
# Long enough for a cold live server on PostgreSQL, short enough to fail fast.
TIMEOUT_MS = 15_000
SCREENSHOTS = Path(settings.VAR_DIR) / "screenshots"
HERE = Path(__file__).parent


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # tryfirst: the marker must be on the items before `-m browser` selects on it.
    missing = None
    if not CHROMIUM.exists() and not os.environ.get("CI"):
        missing = pytest.mark.skip(
            reason=f"{CHROMIUM} is missing; install it with `make browser-deps`"
        )
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.browser)
            if missing:
                item.add_marker(missing)


@pytest.fixture(scope="session", autouse=True)
def _one_request_at_a_time_on_sqlite() -> Iterator[None]:
    """On SQLite the live server's request threads share the test's in-memory connection,
    and two requests at once (select2's autocomplete while the admin form posts) can hang
    it, as Django's LiveServerTestCase documentation warns. There, requests are served one
    at a time; connections stay threaded, for Chromium's parallel fetches."""
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.db import connection

    if connection.vendor != "sqlite":
        yield
        return
    lock = threading.Lock()
    original = StaticFilesHandler.__call__

    def one_at_a_time(self, environ, start_response):
        with lock:
            return original(self, environ, start_response)

    StaticFilesHandler.__call__ = one_at_a_time
    yield
    StaticFilesHandler.__call__ = original


@pytest.fixture(scope="session")
def browser() -> Iterator:
    if not CHROMIUM.exists():
        # Only reached under CI (elsewhere the tests are skipped at collection).
        pytest.fail(
            f"{CHROMIUM} is missing: run `make browser-deps` before the browser tests",
            pytrace=False,
        )
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Playwright's sync API marks its event loop as running in this thread between calls.
    # Django then (1) refuses ORM calls, unless DJANGO_ALLOW_ASYNC_UNSAFE is set; the test
    # code's ORM calls are ordinary blocking calls between page actions, so that is safe;
    # and (2) keeps its thread-critical connections in per-context storage, where it would
    # open a second connection without the test database's serialized contents (needed by
    # `_data_migrations_survive`). So the connections it already has are handed over.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    existing = {alias: connections[alias] for alias in connections}
    playwright = sync_playwright().start()
    for alias, connection in existing.items():
        connections[alias] = connection
    chromium = playwright.chromium.launch(
        executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
    )
    try:
        yield chromium
    finally:
        chromium.close()
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(autouse=True)
def _data_migrations_survive(django_db_serialized_rollback) -> None:
    """Browser tests run on transactional_db, which empties every table afterwards, taking
    the Reporters and Editors groups made by a data migration with it. A serialized
    rollback reloads them before each browser test."""


@pytest.fixture
def js_errors() -> list[str]:
    return []


@pytest.fixture
def new_context(browser, live_server, js_errors, request) -> Iterator[Callable]:
    """Make a browser context for one persona; all of them are closed after the test.

    locale="en-US" gives stable English labels (Django's LocaleMiddleware reads the
    Accept-Language header Chromium sends); "zh-CN" shows the site as readers see it.
    """
    contexts = []

    def make(*, mobile: bool = False, locale: str = "en-US"):
        context = browser.new_context(
            base_url=live_server.url,
            locale=locale,
            timezone_id=settings.TIME_ZONE,
            **(MOBILE if mobile else DESKTOP),
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.on(
            "page",
            lambda page: page.on("pageerror", lambda exc: js_errors.append(f"{page.url}: {exc}")),
        )
        contexts.append(context)
        return context

    yield make
    report = getattr(request.node, "rep_call", None)
    for number, context in enumerate(contexts):
        if report is not None and report.failed:
            for page in context.pages:
                screenshot(page, f"failed-{request.node.name}-{number}")
        context.close()


@pytest.fixture
def page(new_context):
    return new_context().new_page()


@pytest.fixture
def mobile_page(new_context):
    return new_context(mobile=True).new_page()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call):
    # Kept on the item so that `new_context` can screenshot the pages of a failed test.
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def screenshot(page, name: str) -> Path:
    """Save a full-page PNG as var/screenshots/<name>.png and return its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / (re.sub(r"[^\w.-]+", "-", name) + ".png")
    page.screenshot(path=str(path), full_page=True)
    return path


def login(page, user, password: str = PASSWORD) -> None:
    """Log in through the admin's login form and land on the start page."""
    page.goto("/admin/login/?next=/admin/")
    page.fill("#id_username", user.get_username())
    page.fill("#id_password", password)
    page.click("#login-form [type=submit]")
    page.wait_for_url("**/admin/")
