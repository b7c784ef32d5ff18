"""sitemap.xml lists the home page, every published item and every source; robots.txt points at it."""

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from tests.factories import make_item
from timeline.models import Item, Source, Status

pytestmark = pytest.mark.django_db

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def sitemap_urls(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    return {url.findtext("sm:loc", namespaces=NS): url for url in root.findall("sm:url", NS)}


def shipped_published_items() -> int:
    """How many published items fixtures/chronology/items.yaml ships; the test database loads them all."""
    path = Path(__file__).resolve().parent.parent / "fixtures" / "chronology" / "items.yaml"
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    return sum(1 for entry in entries if entry.get("status", "published") == "published")


def test_sitemap_lists_home_published_items_and_sources_only(client):
    make_item(slug="draft-in-sitemap", status=Status.DRAFT)
    make_item(slug="review-in-sitemap", status=Status.REVIEW)
    urls = sitemap_urls(client)
    expected = {"http://testserver/"}
    expected |= {f"http://testserver/items/{slug}/" for slug in Item.objects.published().values_list("slug", flat=True)}
    expected |= {f"http://testserver/sources/{key}/" for key in Source.objects.values_list("key", flat=True)}
    assert set(urls) == expected
    assert len(urls) == 1 + shipped_published_items() + 13


def test_sitemap_entries_have_lastmod(client):
    urls = sitemap_urls(client)
    item = Item.objects.get(slug="hinton-meets-ilya")
    entry = urls["http://testserver/items/hinton-meets-ilya/"]
    assert entry.findtext("sm:lastmod", namespaces=NS) == item.updated_at.date().isoformat()


def test_sitemap_follows_the_scheme_behind_a_tls_proxy(client, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # The header is believed only from a configured proxy (issue 12); the test client's peer is 127.0.0.1.
    settings.TIMELINE_PROXY_COUNT = 1
    settings.TIMELINE_TRUSTED_PROXIES = ["127.0.0.1"]
    response = client.get("/sitemap.xml", HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="testserver")
    assert b"<loc>https://testserver/</loc>" in response.content


def test_robots_txt(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert "Disallow: /admin/" in lines and "Disallow: /api/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Disallow: /" not in lines, "the public pages stay crawlable"
