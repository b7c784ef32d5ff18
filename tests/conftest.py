"""Shared test setup.

Tests that need PostgreSQL or Chromium carry the ``postgres`` / ``browser`` markers and skip with a
visible reason when those are missing (``redis`` tests need ``CACHE_URL=redis://…``). CI sets
``TIMELINE_REQUIRE=postgres,browser,redis`` (or a subset)
so that such a skip becomes a failure instead of a silent pass.
"""

import os
import shutil

import pytest
from django.core.management import call_command

REQUIRED = {part.strip() for part in os.environ.get("TIMELINE_REQUIRE", "").split(",") if part.strip()}
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")


def redis_url() -> str:
    """The Redis server the cache tests use: ``CACHE_URL`` (or ``REDIS_URL``) when it names one."""
    url = os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL") or ""
    return url if url.startswith(("redis://", "rediss://", "unix://")) else ""


def _missing(what: str, reason: str) -> None:
    if what in REQUIRED:
        pytest.fail(f"{reason} (TIMELINE_REQUIRE includes {what!r}, so this may not be skipped)")
    pytest.skip(reason)


def pytest_runtest_setup(item):
    if item.get_closest_marker("postgres"):
        from django.db import connection

        if connection.vendor != "postgresql":
            _missing("postgres", "needs PostgreSQL: set DATABASE_URL=postgres://…")
    if item.get_closest_marker("redis") and not redis_url():
        _missing("redis", "needs Redis: set CACHE_URL=redis://127.0.0.1:<port>/0")
    if item.get_closest_marker("browser"):
        if not CHROMIUM:
            _missing("browser", "needs Chromium: apt-get install chromium (or set CHROMIUM_PATH)")
        try:
            import playwright  # noqa: F401
        except ImportError:
            _missing("browser", "needs Playwright: pip install -e '.[dev]'")


@pytest.fixture(scope="session", autouse=True)
def _plain_http_for_live_servers():
    """live_server builds its middleware once per session, before any per-test override applies."""
    from django.conf import settings
    from django.db import connections

    settings.SECURE_SSL_REDIRECT = False
    # Live-server threads must not keep connections open, or PostgreSQL cannot drop the test database.
    for alias in connections:
        connections[alias].settings_dict["CONN_MAX_AGE"] = 0


@pytest.fixture(autouse=True)
def _default_language():
    """A request leaves its language active in the test's thread (Django does not reset it after the
    response), so code a test runs outside a request (a form, a template tag) would speak the language
    of whichever request ran last: each test starts in the default language."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Cached facet counts and widget HTML must not leak from one test's data into another's."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _content_version_follows_the_test_transaction(request):
    """On PostgreSQL the content version is bumped at commit (migration 0005), and a test's
    transaction never commits: make the version triggers immediate inside it, so a request made after
    a write in the same test sees a new version, as a request after a committed write does."""
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))
    transactional |= "transactional_db" in request.fixturenames or "live_server" in request.fixturenames
    if transactional or not (marker or "db" in request.fixturenames):
        return
    request.getfixturevalue("db")
    from django.db import connection

    if connection.vendor == "postgresql" and connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT string_agg(quote_ident(tgname), ', ') FROM pg_trigger "
                "WHERE tgconstraint <> 0 AND NOT tgisinternal AND tgname LIKE 'timeline\\_%'"
            )
            names = cursor.fetchone()[0]
            if names:
                cursor.execute(f"SET CONSTRAINTS {names} IMMEDIATE")


@pytest.fixture(autouse=True)
def _plain_http(settings):
    """Production settings redirect to HTTPS; the test client speaks plain HTTP."""
    settings.SECURE_SSL_REDIRECT = False


@pytest.fixture(autouse=True)
def _static_without_collectstatic(settings):
    """Pages render in tests without a collectstatic manifest (the serve test checks the real one)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def chromium(monkeypatch):
    """Debian's headless Chromium under Playwright (timeline.benchmarks.chromium has the flags)."""
    from django.db import connections
    from playwright.sync_api import sync_playwright

    from timeline.benchmarks.chromium import launch_chromium

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            yield browser
        finally:
            browser.close()
            # While Playwright's loop runs, the ORM works in another context (asgiref Local) with a
            # connection of its own; close it, or PostgreSQL cannot drop the test database at the end.
            connections.close_all()


def load_shipped_data() -> None:
    """The real product data: the four articles and the curated chronology."""
    call_command("import_sources", verbosity=0, stdout=open(os.devnull, "w"))
    call_command("load_chronology", verbosity=0, stdout=open(os.devnull, "w"))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database starts with the shipped sources and chronology, as the product does."""
    with django_db_blocker.unblock():
        load_shipped_data()


@pytest.fixture
def empty_db(db):
    """For tests that need a database without the shipped data (rolled back after the test)."""
    from timeline.models import Citation, Entity, Era, Item, Source, Tag

    Citation.objects.all().delete()
    Item.objects.all().delete()
    for model in (Entity, Era, Tag, Source):
        model.objects.all().delete()


@pytest.fixture
def live_data(transactional_db):
    """Shipped data for tests against live_server (transactional tests flush the database after)."""
    load_shipped_data()
