"""One environment-driven settings module.

Defaults give a local SQLite site under ``var/``; production sets ``DATABASE_URL``,
``DJANGO_SECRET_KEY`` and ``DJANGO_ALLOWED_HOSTS`` and leaves ``DJANGO_DEBUG`` unset.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("TIMELINE_VAR_DIR", BASE_DIR / "var"))

TRUE_VALUES = {"1", "true", "yes", "on"}


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in TRUE_VALUES


def env_list(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


def read_secret_key(debug: bool) -> str:
    """The secret comes from the environment, else from ``var/secret_key`` (written by ``make run``).

    With debug off and neither present, refuse to start rather than run with a guessable key.
    """
    key = os.environ.get("DJANGO_SECRET_KEY", "").strip()
    if key:
        return key
    key_file = VAR_DIR / "secret_key"
    state = "does not exist"
    if key_file.is_file():
        key = key_file.read_text(encoding="utf-8").strip()
        if key:
            return key
        state = "is empty (delete it and run `make var/secret_key` again)"
    if debug:
        return "insecure-development-key-only-used-with-DJANGO_DEBUG"
    raise ImproperlyConfigured(
        f"DJANGO_SECRET_KEY is not set and var/secret_key {state}. Set DJANGO_SECRET_KEY "
        "(or run `make run`, which generates a local key) before starting with DJANGO_DEBUG off."
    )


DEBUG = env_bool("DJANGO_DEBUG")
SECRET_KEY = read_secret_key(DEBUG)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "timeline",
]

MIDDLEWARE = [
    # First: forwarded headers count only from the configured proxies (timeline/proxies.py).
    "timeline.proxies.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Repeated anonymous GETs of cacheable public views are answered here, skipping the rest.
    "timeline.http.PublicResponseCacheMiddleware",
    # Inside the response cache, so stored answers are already compressed (Brotli or gzip).
    "timeline.http.CompressionMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language from ?lang= or Accept-Language, never from a cookie (timeline/middleware.py).
    "timeline.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Content-Security-Policy on every response (django-csp); the embed widget widens frame-ancestors.
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Records who made each change to items, citations and sources (django-simple-history).
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: locks out repeated failed logins.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "timeline.urls"
WSGI_APPLICATION = "timeline.wsgi.application"

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
            ],
        },
    },
]

if not os.environ.get("DATABASE_URL"):
    # The default SQLite database lives under var/; create it on first use.
    VAR_DIR.mkdir(parents=True, exist_ok=True)

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'timeline.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# SQLite allows one writer at a time. WAL lets readers go on while it writes; IMMEDIATE takes the write
# lock when a transaction starts (a deferred one that reads first and writes later cannot wait for the
# lock and fails at once with "database is locked"); the busy timeout is how long a writer waits for
# another's transaction, kept below gunicorn's 30 s worker timeout. See "Concurrent writes" in README.
SQLITE_BUSY_TIMEOUT_SECONDS = int(os.environ.get("TIMELINE_SQLITE_BUSY_TIMEOUT", "20"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        transaction_mode="IMMEDIATE",
        timeout=SQLITE_BUSY_TIMEOUT_SECONDS,
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def cache_config(url: str) -> dict:
    """``CACHES["default"]`` from ``CACHE_URL`` / ``REDIS_URL``; per-process memory when both are unset.

    ``redis://``, ``rediss://`` and ``unix://`` select Django's built-in Redis backend, shared by every
    app server pointed at it (the whole-response and facet caches live there); ``locmem://`` keeps a
    cache per process.
    """
    scheme = url.split("://", 1)[0].lower() if "://" in url else ""
    if scheme in ("redis", "rediss", "unix"):
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": os.environ.get("TIMELINE_CACHE_PREFIX", "timeline"),
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    if scheme == "locmem" or not url:
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 1000}}
    raise ImproperlyConfigured(f"CACHE_URL must be redis://, rediss://, unix:// or locmem://, not {scheme or url!r}.")


CACHES = {"default": cache_config(os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL") or "")}

# django-axes first: it refuses a locked-out client before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Login protection (django-axes): five failures in a row for one account from one address lock out
# that pair for fifteen minutes; a successful login resets the count. Locking the account alone, or
# the address alone, would let a stranger lock out an editor (or everyone behind one proxy).
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/lockout.html"
# The client address behind DJANGO_PROXY_COUNT reverse proxies (django-ipware), see timeline/proxies.py.
AXES_CLIENT_IP_CALLABLE = "timeline.proxies.client_ip"

# Reverse proxies: how many stand in front of the app, and their addresses (IPs or networks, "*" for
# any). Forwarded headers (X-Forwarded-For/-Proto/-Host, Forwarded) are believed only from them, by
# Django and by gunicorn (timeline/gunicorn.py); with no proxies, from nobody.
TIMELINE_PROXY_COUNT = int(os.environ.get("DJANGO_PROXY_COUNT", "0"))
TIMELINE_TRUSTED_PROXIES = env_list("DJANGO_TRUSTED_PROXIES", "127.0.0.1,::1")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "timeline" / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # whitenoise's CompressedManifestStaticFilesStorage, storing our own CSS and JavaScript minified.
    "staticfiles": {"BACKEND": "timeline.staticfiles.MinifiedManifestStaticFilesStorage"},
}

# Security. Behind a TLS-terminating proxy set DJANGO_SECURE_PROXY_SSL_HEADER=1.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp 4): only our own scripts, styles and images; no inline script or
# style (the embed widget adds a hash for its one validated accent colour), no plugins, and no page may
# be framed except the embed widget, which sends TIMELINE_EMBED_FRAME_ANCESTORS instead of 'none'.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# The chronology's facet counts, axis rows and page ids come from an in-process index of the
# published items (timeline.facet_index); off, they come from SQL (for comparison in benchmarks).
TIMELINE_FACET_INDEX = env_bool("TIMELINE_FACET_INDEX", default=True)
# Who may frame /embed/: CSP frame-ancestors sources, space- or comma-separated
# ("https://news.example https://*.example.org"); "*" (the default) means any web page.
TIMELINE_EMBED_FRAME_ANCESTORS = os.environ.get("TIMELINE_EMBED_FRAME_ANCESTORS", "*").replace(",", " ").split()
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", default=False)
if env_bool("DJANGO_SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# HSTS preloading is a per-domain commitment that is slow to undo (hstspreload.org), so it is an
# operator's opt-in (DJANGO_HSTS_PRELOAD=1), and `check --deploy` is not asked to nag about it.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

# Background jobs (timeline/tasks.py): Django's task framework (django-tasks backport), queued in the
# database and run by `manage.py db_worker` (`make run` starts one). Uploads larger than
# TIMELINE_BACKGROUND_IMPORT_BYTES are imported there, with progress shown to the editor.
TASKS = {"default": {"BACKEND": os.environ.get("TIMELINE_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
TIMELINE_BACKGROUND_IMPORT_BYTES = int(os.environ.get("TIMELINE_BACKGROUND_IMPORT_BYTES", str(200_000)))

# Where the shipped articles and the curated chronology live.
FIXTURES_DIR = BASE_DIR / "fixtures"
SOURCES_DIR = FIXTURES_DIR / "sources"
CHRONOLOGY_DIR = FIXTURES_DIR / "chronology"
