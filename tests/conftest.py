"""The fixtures every test may ask for: the personas, the site, a small real paper, and
`committed`. What they are built from is in tests/helpers.py."""

import pytest
from django.template.backends import jinja2 as jinja2_backend
from django.test import signals

from tests.helpers import SITE_NAME, SITE_URL, build_paper, make_user, put_clock_back


@pytest.fixture(autouse=True)
def _media_and_cache(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # The caches' generation stamp files: one test's bump must not reach a test running beside it.
    settings.VAR_DIR = tmp_path / "var"
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True, scope="session")
def _jinja2_contexts():
    """`response.context` and `response.templates` for the public pages too: Django's test
    set-up instruments its own template language only (setup_test_environment), so do the
    same for the Jinja2 backend the public site renders through."""
    original = jinja2_backend.Template.render

    def render(self, context=None, request=None):
        html = original(self, context, request)
        signals.template_rendered.send(
            sender=self, template=self.template, context={**(context or {}), "request": request}
        )
        return html

    jinja2_backend.Template.render = render
    yield
    jinja2_backend.Template.render = original


@pytest.fixture(autouse=True)
def _clock():
    """A test that moved the clock (tests.helpers.move_clock_to, make_due) gets it put back."""
    yield
    put_clock_back()


@pytest.fixture
def site(settings):
    """The site at its public address and under its name, as feeds, sitemaps and structured
    data print them."""
    settings.SITE_URL = SITE_URL
    settings.SITE_NAME = SITE_NAME
    return settings


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed():` runs the block's on-commit callbacks (content_changed, the cache
    bumps) as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


# The personas, made once per test that asks for them (healthchecks' alice, bob and charlie).
@pytest.fixture
def reporter(db):
    """Alice, a staff reporter with her own Person record."""
    return make_user("alice", "Reporters", person_name="张改华")


@pytest.fixture
def other_reporter(db):
    """Bob, another reporter: he must not touch Alice's drafts."""
    return make_user("bob", "Reporters", person_name="李明")


@pytest.fixture
def correspondent(db):
    """Carol, an outside correspondent with a login, in the Reporters group."""
    return make_user("carol", "Reporters", person_name="吕杨子", kind="contributor")


@pytest.fixture
def editor(db):
    """Erin, an editor."""
    return make_user("erin", "Editors", person_name="王编辑")


@pytest.fixture
def outsider(db):
    """Olivia, staff without a newsroom group."""
    return make_user("olivia", None)


@pytest.fixture
def people(reporter, other_reporter, correspondent, editor, outsider):
    """The personas by their relation to a story that Alice wrote with Carol on the byline."""
    return {
        "author": reporter,
        "bylined_correspondent": correspondent,
        "other_reporter": other_reporter,
        "editor": editor,
        "outsider": outsider,
        "anonymous": None,
    }


@pytest.fixture
def paper(editor, reporter):
    """A small real paper (tests.helpers.build_paper): Alice's four published stories with a
    correspondent, an exhibition and its gallery."""
    return build_paper(editor, reporter.person)
