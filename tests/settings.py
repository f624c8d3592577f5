"""Settings for the test suite: the project's own, with the development defaults allowed."""

import os

os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("NEWSROOM_ALLOW_DEV_SECRET", "true")

from newsroom.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast logins in tests

# The page cache is off here (a cache miss costs a query that would blur other tests'
# query counts); tests/newsroom/test_caching.py turns it on.
PAGE_CACHE_SECONDS = 0
# django-axes refuses authenticate() without a request, which the test client's login() calls;
# tests/newsroom/test_accounts.py turns it on.
AXES_ENABLED = False
# Webhook deliveries in the test's own thread, so that tests see them at once (in the
# transaction they run in); tests/api/test_webhooks.py tries the thread.
API_WEBHOOK_THREAD = False
