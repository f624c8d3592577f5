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
    "django.contrib.postgres",
    "taggit",
    "reversion",
    "reversion_compare",
    "django_prose_editor",
    "imagekit",
    "newsroom",
    "people",
    "articles",
]

MIDDLEWARE = [
    # Before the page cache: a request carrying NUL bytes is a 400, never a cache entry.
    "newsroom.request_guard.RejectMalformedRequestMiddleware",
    # First: a cached page is answered before any other middleware runs, and is stored as
    # the others left it (security headers, Vary, Content-Language included).
    "newsroom.caching.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
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
if CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {"default": {"BACKEND": "newsroom.caching.RedisCache", "LOCATION": CACHE_URL}}
elif CACHE_URL.startswith("dummy://"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
elif CACHE_URL.startswith("locmem://"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    raise ImproperlyConfigured(
        f"CACHE_URL must be locmem://, redis:// or dummy://, not {CACHE_URL!r}"
    )
PAGE_CACHE_SECONDS = envint("PAGE_CACHE_SECONDS", 300)
# Parts of pages kept until what they show changes (newsroom/fragments.py); 0 turns them off,
# as under DEBUG by default, where templates are being edited.
FRAGMENT_CACHE_SECONDS = envint("FRAGMENT_CACHE_SECONDS", 0 if DEBUG else 24 * 3600)

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
# Bigger photos get their renditions when first fetched, not while the editor's save waits.
RENDITIONS_AT_SAVE_MAX_PIXELS = envint("RENDITIONS_AT_SAVE_MAX_PIXELS", 8_000_000)
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
# Rendition file names are a pure function of the source name and the spec: worked out once.
IMAGEKIT_SPEC_CACHEFILE_NAMER = "articles.renditions.memoized_cachefile_name"
IMAGEKIT_DEFAULT_FILE_STORAGE = "photos"

# Uploads: whole requests and single images are bounded before Pillow sees them.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
PHOTO_MAX_BYTES = envint("PHOTO_MAX_BYTES", 20 * 1024 * 1024)
PHOTO_MAX_PIXELS = envint("PHOTO_MAX_PIXELS", 50_000_000)

LOGIN_URL = "admin:login"
# How long a shared preview link stays valid.
PREVIEW_LINK_MAX_AGE = envint("PREVIEW_LINK_MAX_AGE", 3 * 24 * 3600)

TAGGIT_CASE_INSENSITIVE = True

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "SAMEORIGIN"
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
