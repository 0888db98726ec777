"""Django settings for Fupan, read from the environment.

Deployment settings come from environment variables (``DATABASE_URL``, ``REDIS_URL``,
``SECRET_KEY``, ``FUPAN_DEBUG``, ``ALLOWED_HOSTS``, ``FUPAN_*``) with defaults that run the demo
with nothing else installed: SQLite in WAL mode under ``./var/`` and a local-memory cache.
Community settings (site name, ICP number, footer notice …) live in the database instead
(``fupan.core.models.SiteSettings``).

Bad values raise ``ImproperlyConfigured`` with a message that says how to fix them; the
``fupan`` command prints that message without a traceback.
"""

from __future__ import annotations

import os
from pathlib import Path

from fupan.conf import env

BASE_DIR = Path(__file__).resolve().parent.parent  # src/fupan
VAR_DIR = env.var_dir()

DEBUG = env.get_bool("FUPAN_DEBUG", default=False)
# `fupan bench http` sets this: the bare view at /_bench/bare/ (and FUPAN_GUEST_CACHE, below).
FUPAN_BENCH = env.get_bool("FUPAN_BENCH", default=False)
SECRET_KEY = env.secret_key(VAR_DIR, debug=DEBUG)
ALLOWED_HOSTS = env.get_list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env.get_list("FUPAN_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "fupan.core",
    "fupan.accounts",
    "fupan.forum",
    "fupan.attachments",
    "fupan.moderation",
    "fupan.items",
    "fupan.inbox",
    "fupan.pm",
    "fupan.search",
    "fupan.importers",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "csp",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    # First: a guest's cached page is answered before sessions, auth and CSRF run.
    "fupan.core.pagecache.GuestPageCacheMiddleware",
    "fupan.core.compression.CompressionMiddleware",
    "fupan.core.middleware.RequestStatsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "fupan.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "fupan.core.middleware.ClientMiddleware",
    "fupan.accounts.middleware.IPBanMiddleware",
    "fupan.accounts.middleware.DailyVisitMiddleware",
    "fupan.permissions.middleware.PermissionsMiddleware",
    "fupan.moderation.middleware.VisitBanMiddleware",
]

ROOT_URLCONF = "fupan.conf.urls"
WSGI_APPLICATION = "fupan.conf.wsgi.application"

TEMPLATES = [
    {
        # Our own pages: Jinja2, about three times faster than Django templates for them.
        "BACKEND": "fupan.core.jinja2_backend.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "fupan.core.jinja2.environment",
            "context_processors": ["fupan.core.context.site"],
            "autoescape": True,
            "auto_reload": DEBUG,
            "undefined": "jinja2.StrictUndefined" if DEBUG else "jinja2.Undefined",
        },
    },
    {
        # The Django admin and other contrib apps.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {"default": env.database(os.environ.get("DATABASE_URL"), VAR_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

CACHES = {"default": env.cache(os.environ.get("REDIS_URL"))}
# Guest pages from the cache (fupan.core.pagecache), each copy kept at most this long.
FUPAN_GUEST_CACHE = env.get_bool("FUPAN_GUEST_CACHE", default=True)
FUPAN_GUEST_CACHE_SECONDS = env.get_int("FUPAN_GUEST_CACHE_SECONDS", default=300)
# Thread views are written every N views or every S seconds (fupan.forum.viewcounts).
FUPAN_VIEWS_FLUSH_EVERY = env.get_int("FUPAN_VIEWS_FLUSH_EVERY", default=100)
FUPAN_VIEWS_FLUSH_SECONDS = (
    0 if env.testing() else env.get_int("FUPAN_VIEWS_FLUSH_SECONDS", default=60)
)
# With Redis, each worker hands its waiting views on to Redis at least this often, and shows a
# thread's count learnt from Redis at most this old (tests: 0, every view asks, counts exact).
FUPAN_VIEWS_PUSH_SECONDS = (
    0 if env.testing() else env.get_int("FUPAN_VIEWS_PUSH_SECONDS", default=1)
)
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 30
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env.get_bool("FUPAN_SECURE_COOKIES", default=False)
if env.get_bool("FUPAN_BEHIND_TLS_PROXY", default=False):
    # nginx terminates TLS and says so; only set this when every request comes through it.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["fupan.accounts.backends.UsernameOrEmailBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "forum:index"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    # Accounts imported from Discuz; re-hashed with argon2 at their first login.
    "fupan.accounts.hashers.DiscuzMD5PasswordHasher",
    "fupan.accounts.hashers.DiscuzBcryptPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 6},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "media"), "base_url": "/media/"},
    },
    "staticfiles": {"BACKEND": "fupan.core.storage.StaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"
WHITENOISE_USE_FINDERS = True  # serve from the packages too when collectstatic has not run
WHITENOISE_AUTOREFRESH = DEBUG
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 4 * 1024 * 1024

EMAIL_BACKEND = os.environ.get(
    "FUPAN_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("FUPAN_FROM_EMAIL", "noreply@localhost")

# Background work (thumbnails, search indexing, e-mail, view-count flushes). The default runs each
# task at once in the request; production uses FUPAN_TASKS_BACKEND=django_tasks_db.DatabaseBackend
# and a worker process: `fupan manage db_worker`.
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "FUPAN_TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"
        )
    }
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "SAMEORIGIN"

# Content-Security-Policy: no inline script, no outside hosts. Inline style *attributes* are
# allowed because Discuz code carries colours and sizes; markup/ emits only checked values.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:", "https:", "http:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

if env.testing() or DEBUG:
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
if env.testing():
    PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "fupan.accounts.hashers.DiscuzMD5PasswordHasher",
        "fupan.accounts.hashers.DiscuzBcryptPasswordHasher",
    ]
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CSRF_FAILURE_VIEW = "fupan.core.views.csrf_failure"
