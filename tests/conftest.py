import pytest

from tests.helpers import make_user


@pytest.fixture(autouse=True)
def _media_and_cache(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # The caches' generation stamp files: one test's bump must not reach a test running beside it.
    settings.VAR_DIR = tmp_path / "var"
    from django.core.cache import cache

    cache.clear()


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
