"""A readers' web worker never loads pypinyin (its dictionaries add ~57 MiB to each worker):
only writing (slugs, the mention autocomplete) needs it, and it is imported there, when used.
Nor icalendar (~8 MiB): only the .ics feeds need it.

Checked in a fresh process, as a gunicorn worker starts: the WSGI application (settings, every
app's `ready()`, the admin's autodiscovery of every admin module), the public URLconf, then
the home page rendered over a real paper.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]

READER = """
import json, sys
def heavy():
    return any(name in sys.modules for name in ("pypinyin", "icalendar"))
from newsroom.wsgi import application
steps = {"setup": heavy()}
from django.urls import get_resolver
get_resolver().url_patterns
steps["urlconf"] = heavy()
if sys.argv[1] == "render":
    from django.test import Client
    from django.test.utils import setup_test_environment
    setup_test_environment()
    response = Client().get("/")
    steps["home"] = heavy()
    steps["status"] = response.status_code
    steps["page"] = response.content.decode()
print(json.dumps(steps))
"""


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_readers_worker_does_not_import_pypinyin(paper, tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    env["NEWSROOM_VAR_DIR"] = str(tmp_path / "var")
    db = connection.settings_dict
    # The home page is rendered over this test's paper when another process can reach its
    # database (PostgreSQL); SQLite's test database is in memory: the imports are checked alone.
    render = connection.vendor == "postgresql"
    if render:
        host = db["HOST"] or "127.0.0.1"
        env["DATABASE_URL"] = f"postgresql://{db['USER']}@{host}:{db['PORT'] or 5432}/{db['NAME']}"
    done = subprocess.run(
        [sys.executable, "-c", READER, "render" if render else "imports"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    steps = json.loads(done.stdout.strip().splitlines()[-1])
    assert steps["setup"] is False and steps["urlconf"] is False
    if render:
        assert steps["status"] == 200
        assert any(story.headline in steps["page"] for story in paper["articles"])
        assert steps["home"] is False
