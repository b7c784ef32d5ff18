"""CACHE_URL / REDIS_URL select the cache backend; SQLite runs in write-ahead-log mode."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from timeline.settings import cache_config


@pytest.mark.parametrize("url", ["redis://cache:6379/0", "rediss://user:pw@cache:6380/1", "unix:///run/redis.sock"])
def test_a_redis_url_selects_djangos_redis_cache(url):
    config = cache_config(url)
    assert config["BACKEND"] == "django.core.cache.backends.redis.RedisCache" and config["LOCATION"] == url


@pytest.mark.parametrize("url", ["", "locmem://"])
def test_without_a_url_each_process_keeps_its_own_cache(url):
    assert cache_config(url)["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


def test_an_unsupported_cache_url_is_refused_with_a_clear_message():
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL must be redis://"):
        cache_config("memcached://cache:11211")


@pytest.mark.django_db
def test_sqlite_uses_write_ahead_logging(tmp_path):
    """Readers must not wait for each editor's commit (the default rollback journal blocks them)."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    from django.db.backends.sqlite3.base import DatabaseWrapper

    settings = {**connection.settings_dict, "NAME": str(tmp_path / "wal.sqlite3")}
    wrapper = DatabaseWrapper(settings, alias="wal-check")
    try:
        with wrapper.cursor() as cursor:
            assert cursor.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    finally:
        wrapper.close()
