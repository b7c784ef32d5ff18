"""Shared test setup.

Tests that need PostgreSQL or Chromium carry the ``postgres`` / ``browser`` markers and skip with a
visible reason when those are missing. CI sets ``TIMELINE_REQUIRE=postgres,browser`` (or a subset)
so that such a skip becomes a failure instead of a silent pass.
"""

import os
import shutil

import pytest

REQUIRED = {part.strip() for part in os.environ.get("TIMELINE_REQUIRE", "").split(",") if part.strip()}
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")


def _missing(what: str, reason: str) -> None:
    if what in REQUIRED:
        pytest.fail(f"{reason} (TIMELINE_REQUIRE includes {what!r}, so this may not be skipped)")
    pytest.skip(reason)


def pytest_runtest_setup(item):
    if item.get_closest_marker("postgres"):
        from django.db import connection

        if connection.vendor != "postgresql":
            _missing("postgres", "needs PostgreSQL: set DATABASE_URL=postgres://…")
    if item.get_closest_marker("browser"):
        if not CHROMIUM:
            _missing("browser", "needs Chromium: apt-get install chromium (or set CHROMIUM_PATH)")
        try:
            import playwright  # noqa: F401
        except ImportError:
            _missing("browser", "needs Playwright: pip install -e '.[dev]'")


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
