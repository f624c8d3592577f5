"""Newsroom settings, read from the environment.

Every variable is documented in the README. The defaults are safe for `make run`
and the test suite only: DEBUG and the development secret are refused in
production (DEBUG off) unless SECRET_KEY is set.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("NEWSROOM_VAR_DIR", BASE_DIR / "var"))


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), not {value!r}")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def envfloat(name: str, default: float) -> float:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        number = float(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number of seconds, not {value!r}") from None
    if not number > 0:
        raise ImproperlyConfigured(f"{name} must be more than 0, not {value!r}")
    return number


def envproxyheader(name: str) -> tuple[str, str] | None:
    """ "X-Forwarded-Proto: https" (what the proxy sends for HTTPS) as Django's
    SECURE_PROXY_SSL_HEADER pair, or None when unset."""
    value = os.environ.get(name, "").strip()
    if not value:
        return None
    header, colon, expected = (part.strip() for part in value.partition(":"))
    if not colon or not header or not expected or not header.replace("-", "").isalnum():
        raise ImproperlyConfigured(
            f"{name} must look like 'X-Forwarded-Proto: https', not {value!r}"
        )
    return "HTTP_" + header.upper().replace("-", "_"), expected


def envlist(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = envbool("DEBUG", False)
DEV_SECRET_KEY = "newsroom-development-secret-not-for-production"
SECRET_KEY = os.environ.get("SECRET_KEY") or DEV_SECRET_KEY


def refuse_dev_secret_when_serving() -> None:
    """Called by the WSGI/ASGI entry points: a production server needs a real SECRET_KEY.

    Management commands (migrate, makemigrations) may run without one.
    """
    if (
        SECRET_KEY == DEV_SECRET_KEY
        and not DEBUG
        and not envbool("NEWSROOM_ALLOW_DEV_SECRET", False)
    ):
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment, or DEBUG=true for development."
        )


ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = os.environ.get("SITE_NAME", "")

INSTALLED_APPS = [
    "newsroom.apps.NewsroomAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "django.contrib.postgres",
    "taggit",
    "reversion",
    "reversion_compare",
    "django_prose_editor",
    "django_tasks",
    "django_tasks_db",
    "newsroom",
    "people",
    "articles",
    "teamwork",
    "wordcheck",  # sensitive words, fixed formulations, common mistakes (issue 14)
    "corsheaders",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",  # the content API, integration tokens and webhooks (issue 17)
]

MIDDLEWARE = [
    # Before the page cache: a request carrying NUL bytes is a 400, never a cache entry.
    "newsroom.request_guard.RejectMalformedRequestMiddleware",
    # First: a cached page is answered before any other middleware runs, and is stored as
    # the others left it (security headers, Vary, Content-Language included).
    "newsroom.caching.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "newsroom.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Before CommonMiddleware, as django-cors-headers asks; it acts on CORS_URLS_REGEX only.
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "newsroom.twofactor.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    # The public site's pages (templates/jinja2/, articles/jinja2.py): first, so that their
    # names find these; the admin's and the e-mails' are the Django language's below.
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "articles.jinja2.environment",
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "newsroom.context_processors.site",
            ],
        },
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "newsroom.context_processors.site",
            ],
        },
    },
]

# The embedded database lives under var/; DATABASE_URL selects PostgreSQL.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'newsroom.sqlite3'}",
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# CACHE_URL: locmem:// (default), redis://host:port/db, or dummy://.
CACHE_URL = os.environ.get("CACHE_URL", "locmem://")
# A hung cache must cost a request at most one short wait (newsroom/cache_backend.py): every
# Redis client (the cache, a task queue) connects and reads with these time-outs, and after a
# failure Redis is skipped for CACHE_BREAKER_SECONDS.
CACHE_CONNECT_TIMEOUT = envfloat("CACHE_CONNECT_TIMEOUT", 0.2)
CACHE_SOCKET_TIMEOUT = envfloat("CACHE_SOCKET_TIMEOUT", 0.2)
CACHE_BREAKER_SECONDS = envfloat("CACHE_BREAKER_SECONDS", 5)
# The redis-py connection keywords for any other Redis client the project configures.
REDIS_CLIENT_OPTIONS = {
    "socket_connect_timeout": CACHE_CONNECT_TIMEOUT,
    "socket_timeout": CACHE_SOCKET_TIMEOUT,
}
if CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {
        "default": {
            "BACKEND": "newsroom.cache_backend.ResilientRedisCache",
            "LOCATION": CACHE_URL,
            "OPTIONS": dict(REDIS_CLIENT_OPTIONS),
        }
    }
elif CACHE_URL.startswith("dummy://"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
elif CACHE_URL.startswith("locmem://"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    raise ImproperlyConfigured(
        f"CACHE_URL must be locmem://, redis:// or dummy://, not {CACHE_URL!r}"
    )
PAGE_CACHE_SECONDS = envint("PAGE_CACHE_SECONDS", 300)
# The deployed release (a version or commit): part of every cached page's key, so that a
# deploy never serves pages rendered by the code before it.
RELEASE = os.environ.get("NEWSROOM_RELEASE", "")
# An HTTP cache in front (Varnish, nginx, a CDN; newsroom/caching.py): how long it may keep a
# public page (0: it may not), how long it may serve one stale while it fetches it again, and
# where to send purges by surrogate key on every public change.
HTTP_CACHE_SECONDS = envint("HTTP_CACHE_SECONDS", 0)
HTTP_CACHE_STALE_SECONDS = envint("HTTP_CACHE_STALE_SECONDS", 60)
HTTP_CACHE_PURGE_URLS = envlist("HTTP_CACHE_PURGE_URLS", [])
# Connect and read time-out of each purge, in seconds: a proxy that hangs delays no publish.
HTTP_CACHE_PURGE_TIMEOUT = envfloat("HTTP_CACHE_PURGE_TIMEOUT", 0.5)

# An outage (database, cache) is logged at most once per this many seconds (newsroom/faults.py).
NEWSROOM_FAULT_LOG_INTERVAL = envfloat("NEWSROOM_FAULT_LOG_INTERVAL", 60)
# What a 503 tells clients and crawlers about when to come back while the database is away.
NEWSROOM_RETRY_AFTER = envint("NEWSROOM_RETRY_AFTER", 30)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "staticfiles"))
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Photos (originals and renditions) are not under MEDIA_ROOT: the application decides who may
# fetch each file (articles/media.py); PHOTO_MEDIA_ACCEL_REDIRECT or PHOTO_MEDIA_SENDFILE
# hand the sending to the web server.
# Unset: protected-media beside MEDIA_ROOT.
PHOTO_MEDIA_ROOT = os.environ.get("PHOTO_MEDIA_ROOT") or None
PHOTO_MEDIA_URL = os.environ.get("PHOTO_MEDIA_URL", "/photo-files/")
PHOTO_MEDIA_ACCEL_REDIRECT = os.environ.get("PHOTO_MEDIA_ACCEL_REDIRECT", "")
PHOTO_MEDIA_SENDFILE = envbool("PHOTO_MEDIA_SENDFILE", False)
# What one gallery save may upload: each photo is decoded and re-encoded in the request.
GALLERY_SAVE_MAX_NEW_PHOTOS = envint("GALLERY_SAVE_MAX_NEW_PHOTOS", 10)
GALLERY_SAVE_MAX_BYTES = envint("GALLERY_SAVE_MAX_BYTES", 60 * 1024 * 1024)
STORAGES = {
    # Files of a failed admin save are deleted again (newsroom/files.py).
    "default": {"BACKEND": "newsroom.files.TrackedFileSystemStorage"},
    "photos": {"BACKEND": "articles.media.PhotoStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Uploads: whole requests and single images are bounded before Pillow sees them.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
PHOTO_MAX_BYTES = envint("PHOTO_MAX_BYTES", 20 * 1024 * 1024)
PHOTO_MAX_PIXELS = envint("PHOTO_MAX_PIXELS", 50_000_000)
# A photo of more pixels than this gets its renditions from a task (the queue) rather than in
# the request that saves it: making them takes ~1.5 s for a 12-megapixel photo. Until they
# are made, pages show a placeholder of the photo's size.
RENDITIONS_AT_SAVE_MAX_PIXELS = envint("RENDITIONS_AT_SAVE_MAX_PIXELS", 4_000_000)
# The 数字报's PDFs (articles/digital/): read in a child process within these bounds.
PRINT_PDF_MAX_BYTES = envint("PRINT_PDF_MAX_BYTES", 200 * 1024 * 1024)
PRINT_PDF_MAX_PAGES = envint("PRINT_PDF_MAX_PAGES", 200)
PRINT_PDF_CPU_SECONDS = envint("PRINT_PDF_CPU_SECONDS", 600)
PRINT_PDF_MEMORY_MB = envint("PRINT_PDF_MEMORY_MB", 1024)
PRINT_PAGE_RENDER_WIDTH = envint("PRINT_PAGE_RENDER_WIDTH", 1600)

LOGIN_URL = "admin:login"
# How long a shared preview link stays valid.
PREVIEW_LINK_MAX_AGE = envint("PREVIEW_LINK_MAX_AGE", 3 * 24 * 3600)

TAGGIT_CASE_INSENSITIVE = True

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Nothing of the site is shown in a frame (the CSP's frame-ancestors says the same).
X_FRAME_OPTIONS = "DENY"
# Behind HTTPS (README, "Production"): `manage.py check --deploy` is clean with these set.
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", False)
SECURE_PROXY_SSL_HEADER = envproxyheader("SECURE_PROXY_SSL_HEADER")
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0)
if SECURE_HSTS_SECONDS < 0:
    raise ImproperlyConfigured(f"SECURE_HSTS_SECONDS must be 0 or more, not {SECURE_HSTS_SECONDS}")
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", False)
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", False)
CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", SESSION_COOKIE_SECURE)

# Content Security Policy (django-csp; newsroom/security.py): scripts and styles only from
# the site's own files, no inline scripts (public pages are page-cached, so no nonces).
# JSON-LD blocks are data, not scripts, and need nothing.
_CSP_SELF = ["'self'"]
_CSP_MEDIA = [
    url.split("/", 3)[0] + "//" + url.split("/", 3)[2]
    for url in (MEDIA_URL, STATIC_URL)
    if url.startswith(("https://", "http://"))
]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": _CSP_SELF,
        "script-src": [*_CSP_SELF, *_CSP_MEDIA],
        "style-src": [*_CSP_SELF, *_CSP_MEDIA],
        "img-src": [*_CSP_SELF, "data:", *_CSP_MEDIA],
        "font-src": [*_CSP_SELF, "data:", *_CSP_MEDIA],
        "connect-src": _CSP_SELF,
        "object-src": ["'none'"],
        "base-uri": _CSP_SELF,
        "form-action": _CSP_SELF,
        "frame-ancestors": ["'none'"],
    }
}

# Login throttling (django-axes): after AXES_FAILURE_LIMIT failed logins an account, and
# separately an address, is locked for AXES_COOLOFF_MINUTES (0: until an administrator
# lifts it in the admin, "Access attempts"). Attempts are kept in the database, so a cache
# outage does not lift the lock.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = envbool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
if AXES_FAILURE_LIMIT < 1:
    raise ImproperlyConfigured(f"AXES_FAILURE_LIMIT must be 1 or more, not {AXES_FAILURE_LIMIT}")
_axes_cooloff_minutes = envint("AXES_COOLOFF_MINUTES", 30)
AXES_COOLOFF_TIME = _axes_cooloff_minutes / 60 if _axes_cooloff_minutes > 0 else None
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/lockout.html"
# How many proxies in front of the site append to X-Forwarded-For (0: REMOTE_ADDR is the
# reader's address). Behind one, every login would otherwise share the proxy's address.
NEWSROOM_PROXY_COUNT = envint("NEWSROOM_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "newsroom.security.client_ip"

# Two-factor authentication (django-otp, TOTP; newsroom/twofactor.py): with
# NEWSROOM_REQUIRE_2FA on, editors and administrators reach the admin only after entering a
# code from their authenticator app; anyone on the staff may enrol.
NEWSROOM_REQUIRE_2FA = envbool("NEWSROOM_REQUIRE_2FA", False)
OTP_TOTP_ISSUER = SITE_NAME or "Newsroom"
# A device's secret (its QR code and config page in django-otp's admin) is shown only to its
# owner, once, while enrolling: an administrator who saw it could log in as that person.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# --- The task queue (django-tasks) and email: see the README, "Working together" ----------
# TASKS_BACKEND: immediate (default: runs each task in the process that enqueued it, after the
# commit; no worker needed), database (the tasks table, run by `make worker`), or rq (Redis).
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "immediate")
TASKS_REDIS_URL = os.environ.get("TASKS_REDIS_URL", "redis://127.0.0.1:6379/0")
_TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
    "rq": "newsroom.rq_backend.RQBackend",
}
if TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"TASKS_BACKEND must be one of {', '.join(_TASK_BACKENDS)}, not {TASKS_BACKEND!r}"
    )
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASKS_BACKEND], "QUEUES": ["default"]}}
# A claimed task whose worker has not been heard of for this long is given to another worker.
TASKS_LEASE_SECONDS = envint("TASKS_LEASE_SECONDS", 60)
TASKS_MAX_ATTEMPTS = envint("TASKS_MAX_ATTEMPTS", 5)
# A bulk workflow action (publish, submit… on the change list) over more items than this is
# done by a task (newsroom/bulk.py); the admin says it is under way.
BULK_AT_ONCE_MAX_ITEMS = envint("BULK_AT_ONCE_MAX_ITEMS", 100)

EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "newsroom@localhost")
# With no SMTP host (as under `make run`), emails are printed on the console.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
# The word check's archive audit (an admin action) streams its CSV at once over at most this
# many published items; over more, a task makes it and the admin lists it under "Archive
# audits" when it is ready.
WORDCHECK_AUDIT_AT_ONCE_MAX_ITEMS = envint("WORDCHECK_AUDIT_AT_ONCE_MAX_ITEMS", 2000)
# Notifications older than this are deleted by `manage.py purge_notifications`.
NOTIFICATIONS_KEEP_DAYS = envint("NOTIFICATIONS_KEEP_DAYS", 90)

# --- The content API (api/, README "The content API") -------------------------------------


def envrate(name: str, default: str) -> str:
    """A throttle rate such as `120/minute` (second, minute, hour or day)."""
    value = os.environ.get(name, "").strip() or default
    number, slash, period = value.partition("/")
    if not (number.isdigit() and slash and period in ("second", "minute", "hour", "day")):
        raise ImproperlyConfigured(
            f"{name} must look like '120/minute' (per second, minute, hour or day), not {value!r}"
        )
    return value


# Origins whose browser scripts may read the API (django-cors-headers), e.g.
# https://app.example.cn; empty: none. The admin and the site are never opened to them.
CORS_ALLOWED_ORIGINS = envlist("API_CORS_ALLOWED_ORIGINS", [])
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified"]
# Requests per address without a token, and per token (one user's tokens do not share).
API_THROTTLE_ANON = envrate("API_THROTTLE_ANON", "120/minute")
API_THROTTLE_TOKEN = envrate("API_THROTTLE_TOKEN", "1200/minute")
API_PAGE_SIZE = envint("API_PAGE_SIZE", 20)
API_MAX_PAGE_SIZE = envint("API_MAX_PAGE_SIZE", 100)
# An Idempotency-Key's answer is kept this long (hours): a retry within it gets the first
# answer; older keys are deleted when a keyed POST is made, and the key may be used afresh.
API_IDEMPOTENCY_KEEP_HOURS = envint("API_IDEMPOTENCY_KEEP_HOURS", 24)
# Webhooks: targets on private, loopback or link-local addresses are refused unless this is
# on (an intranet receiver); connect and read time-out of a delivery; consecutive failed
# deliveries after which a subscription is paused and the administrators are told.
API_WEBHOOK_ALLOW_PRIVATE = envbool("API_WEBHOOK_ALLOW_PRIVATE", False)
API_WEBHOOK_TIMEOUT = envfloat("API_WEBHOOK_TIMEOUT", 5)
API_WEBHOOK_PAUSE_AFTER = envint("API_WEBHOOK_PAUSE_AFTER", 10)
# With the immediate task backend, send each delivery from a thread after the commit, so
# that the publishing request does not wait for the receiver at all.
API_WEBHOOK_THREAD = envbool("API_WEBHOOK_THREAD", True)

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Newsroom content API",
    "DESCRIPTION": "Sections, articles, events, galleries, people, tags and print editions "
    "as JSON and IPTC ninjs; see the README, “The content API”.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.views.sparse_fields_schema",
    ],
}
