"""Two app servers on one PostgreSQL and one Redis, as behind a load balancer.

Real processes: two gunicorns with ``CACHE_URL`` pointing at the same Redis and ``DATABASE_URL`` at
a PostgreSQL database of this test's own. A page rendered by server A is answered by server B from
the shared cache (Redis counts a hit and no new write), and an edit saved through A's admin shows on
B's very next request.
"""

import http.cookiejar
import json
import os
import re
import subprocess
import sys
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import dj_database_url
import psycopg
import pytest
import redis
from django.db import connection

from tests.conftest import redis_url
from timeline.benchmarks.serve import Gunicorn, plain_http_env

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "shared-cache-test-password"
HOST = "timeline.test"  # what a load balancer passes on to every app server

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.slow]


@pytest.fixture
def shared_database():
    """A fresh PostgreSQL database on the suite's server, migrated and loaded with the shipped data."""
    settings = connection.settings_dict
    name = f"timeline_shared_{uuid.uuid4().hex[:10]}"
    admin = dict(host=settings["HOST"] or None, port=settings["PORT"] or None, user=settings["USER"] or None,
                 password=settings["PASSWORD"] or None, dbname="postgres", autocommit=True)
    with psycopg.connect(**admin) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = os.environ["DATABASE_URL"]
    url = urllib.parse.urlsplit(base)._replace(path=f"/{name}").geturl()
    assert dj_database_url.parse(url)["NAME"] == name
    try:
        yield url
    finally:
        with psycopg.connect(**admin) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def server_env(database_url: str, prefix: str, tmp_path) -> dict:
    return plain_http_env(
        tmp_path,
        "shared-cache-test",
        DATABASE_URL=database_url,
        CACHE_URL=redis_url(),
        TIMELINE_CACHE_PREFIX=prefix,  # this test's keys only, whatever else uses the Redis
        DJANGO_SUPERUSER_PASSWORD=PASSWORD,
        DJANGO_ALLOWED_HOSTS=f"{HOST},127.0.0.1",
    )


def manage(env, *args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, timeout=300,
                   stdout=subprocess.DEVNULL)


def redis_counts(client) -> tuple[int, int]:
    """(keyspace hits, SET commands) so far on the Redis server."""
    hits = client.info("stats")["keyspace_hits"]
    sets = client.info("commandstats").get("cmdstat_set", {}).get("calls", 0)
    return hits, sets


def get(server, path: str, opener=None) -> bytes:
    """GET through ``server`` with the public host name, as the load balancer forwards it."""
    request = urllib.request.Request(server.base + path, headers={"Host": HOST})
    with (opener or urllib.request.build_opener()).open(request, timeout=30) as response:
        return response.read()


def tags_by_slug(server) -> dict[str, str]:
    body = get(server, "/api/tags/")
    return {tag["id"]: tag["name"]["en"] for tag in json.loads(body)["results"]}


def save_tag_through_admin(server, slug: str, name_en: str) -> None:
    """Log in to server's admin and save the tag's change form, as an editor would."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def post_form(path: str, fields: dict) -> str:
        page = opener.open(server.base + path, timeout=30).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **fields}).encode()
        request = urllib.request.Request(server.base + path, data=data, headers={"Referer": server.base + path})
        return opener.open(request, timeout=30).read().decode()

    post_form("/admin/login/?next=/admin/", {"username": "editor", "password": PASSWORD, "next": "/admin/"})
    search = opener.open(f"{server.base}/admin/timeline/tag/?q={slug}", timeout=30).read().decode()
    tag_id = re.search(r'href="/admin/timeline/tag/(\d+)/change/', search).group(1)
    page = opener.open(f"{server.base}/admin/timeline/tag/{tag_id}/change/", timeout=30).read().decode()
    name_zh = re.search(r'name="name_zh"[^>]*value="([^"]*)"', page).group(1)
    post_form(f"/admin/timeline/tag/{tag_id}/change/", {"slug": slug, "name_en": name_en, "name_zh": name_zh,
                                                         "_save": "Save"})


def test_two_servers_share_the_cache_and_see_each_others_edits(shared_database, tmp_path):
    prefix = f"shared-test-{uuid.uuid4().hex[:8]}"
    env = server_env(shared_database, prefix, tmp_path)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "import_sources", "-v0")
    manage(env, "load_chronology", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    manage(env, "createsuperuser", "--noinput", "--username", "editor", "--email", "editor@example.org")
    client = redis.Redis.from_url(redis_url())
    with Gunicorn(env) as server_a, Gunicorn(env) as server_b:
        page = get(server_a, "/api/tags/?lang=en")  # rendered by A, stored in Redis
        hits, sets = redis_counts(client)
        again = get(server_b, "/api/tags/?lang=en")
        hits_after, sets_after = redis_counts(client)
        assert again == page
        assert hits_after > hits and sets_after == sets  # B answered from the shared cache: no render, no write

        slug, old_name = next(iter(tags_by_slug(server_b).items()))
        assert client.keys(f"{prefix}:1:timeline:response:*")  # this test's keys, under its prefix
        save_tag_through_admin(server_a, slug, "Renamed through server A")
        assert tags_by_slug(server_b)[slug] == "Renamed through server A" != old_name
        chronology = get(server_b, "/?lang=en")
        assert "Renamed through server A" in chronology.decode()
