"""Atom and JSON Feed 1.1, read by a real feed parser: newest published first, filters apply."""

import datetime

import feedparser
import jsonfeed
import jsonschema
import pytest
from django.utils import timezone

from tests.factories import make_item
from timeline.models import Item, Status
from timeline.views.feeds import FEED_LIMIT

pytestmark = pytest.mark.django_db


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    feed = feedparser.parse(response.content, response_headers={"content-type": response["Content-Type"]})
    assert feed.bozo == 0, feed.get("bozo_exception")
    return response, feed


@pytest.fixture(autouse=True)
def _shipped_items_published_long_ago():
    """The shipped items went public when the test database was loaded; move that to the past."""
    Item.objects.update(published_at=datetime.datetime(2025, 9, 1, tzinfo=datetime.UTC))


def make_recent(slug, minutes_ago, **fields):
    item = make_item(slug=slug, **fields)
    Item.objects.filter(pk=item.pk).update(published_at=timezone.now() - datetime.timedelta(minutes=minutes_ago))
    return item


def test_atom_is_valid_and_newest_published_first(client):
    make_recent("older-news", 10, title_en="Older news")
    make_recent("newest-news", 1, title_en="Newest news", date="2016-03")
    response, feed = parse(client, "/feed.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    assert feed.version == "atom10"
    assert len(feed.entries) == FEED_LIMIT
    first, second = feed.entries[:2]
    assert first.title == "March 2016: Newest news" and second.title.endswith("Older news")
    assert first.link == "http://testserver/items/newest-news/"
    assert first.id == first.link
    published = [entry.published_parsed for entry in feed.entries]
    assert published == sorted(published, reverse=True)


def test_atom_entry_carries_date_label_summary_sources_and_tags(client):
    _, feed = parse(client, "/feed.atom?person=geoffrey-hinton&kind=event")
    item = Item.objects.published().get(slug="hinton-meets-ilya")
    entry = next(e for e in feed.entries if e.link.endswith("/items/hinton-meets-ilya/"))
    assert entry.title == f"2005: {item.title_en}"
    assert "<strong>2005</strong>" in entry.summary and item.summary_en[:40] in entry.summary
    # Each source link lands on the cited sentence, highlighted (?hl=<citation id>), as the site's own do.
    # One link per cited passage: the first citation of it in reading order.
    first = {}
    for c in item.citations.select_related("passage__source").order_by("passage__ordinal", "start", "pk"):
        first.setdefault(c.passage_id, c)
    for citation in first.values():
        url = f"http://testserver/sources/{citation.passage.source.key}/?hl={citation.pk}#p-{citation.passage.ordinal}"
        assert f'href="{url}"' in entry.summary
    assert {tag.term for tag in entry.tags} == set(item.tags.values_list("name_en", flat=True))
    assert feed.feed.title.startswith("OpenAI chronology — ")
    assert feed.feed.link == "http://testserver/?kind=event&person=geoffrey-hinton"


def test_filters_apply_and_the_language_follows_lang(client):
    _, feed = parse(client, "/feed.atom?kind=quote&lang=zh")
    quotes = Item.objects.published().filter(kind="quote")
    assert len(feed.entries) == min(quotes.count(), FEED_LIMIT)
    assert feed.feed.language == "zh-Hans"
    slugs = {entry.link.rsplit("/", 2)[-2] for entry in feed.entries}
    assert slugs <= set(quotes.values_list("slug", flat=True))
    sample = quotes.get(slug=next(iter(slugs)))
    assert any(sample.title_zh in entry.title for entry in feed.entries)


def test_drafts_are_not_in_the_feeds(client):
    make_recent("secret-draft", 0, status=Status.DRAFT, title_en="Secret draft")
    for url in ("/feed.atom", "/feed.json"):
        assert b"secret-draft" not in client.get(url).content


# The JSON Feed 1.1 rules a reader relies on (https://jsonfeed.org/version/1.1): released feedparser
# (6.0) reads only XML feeds, so the JSON feed is read by jsonfeed-util and checked against these.
JSON_FEED_SCHEMA = {
    "type": "object",
    "required": ["version", "title", "items"],
    "properties": {
        "version": {"const": "https://jsonfeed.org/version/1.1"},
        "title": {"type": "string", "minLength": 1},
        "home_page_url": {"type": "string", "format": "uri"},
        "feed_url": {"type": "string", "format": "uri"},
        "language": {"type": "string"},
        "items": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id"],
                "anyOf": [{"required": ["content_html"]}, {"required": ["content_text"]}],
                "properties": {
                    "id": {"type": "string"},
                    "url": {"type": "string", "format": "uri"},
                    "title": {"type": "string"},
                    "content_html": {"type": "string"},
                    "summary": {"type": "string"},
                    "date_published": {"type": "string", "format": "date-time"},
                    "date_modified": {"type": "string", "format": "date-time"},
                    "tags": {"type": "array", "items": {"type": "string"}},
                    "language": {"type": "string"},
                },
                "patternProperties": {"^_": {"type": "object"}},
            },
        },
    },
}


def test_json_feed_1_1(client):
    make_recent("newest-news", 1, title_en="Newest news")
    response = client.get("/feed.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/feed+json"
    data = response.json()
    jsonschema.Draft202012Validator(JSON_FEED_SCHEMA, format_checker=jsonschema.FormatChecker()).validate(data)
    feed = jsonfeed.Feed.parse(data)
    assert feed.title == "OpenAI chronology" and len(feed.items) == FEED_LIMIT
    first = data["items"][0]
    assert first["id"] == first["url"] == feed.items[0].id == "http://testserver/items/newest-news/"
    assert first["title"] == "December 2015: Newest news"
    assert first["_timeline"]["id"] == "newest-news" and first["_timeline"]["status"] == "published"
    published = [datetime.datetime.fromisoformat(item["date_published"]) for item in data["items"]]
    assert published == sorted(published, reverse=True) and published[0] <= timezone.now()
    assert data["home_page_url"] == "http://testserver/" and data["feed_url"] == "http://testserver/feed.json"


def test_a_bad_filter_is_a_400_not_a_wider_feed(client):
    for url in ("/feed.atom?tag=no-such-tag", "/feed.json?from=yesterday"):
        response = client.get(url)
        assert response.status_code == 400
        assert response["Content-Type"].startswith("text/plain")


def test_feeds_are_cacheable_and_discoverable(client):
    response = client.get("/feed.atom")
    assert "public" in response["Cache-Control"]
    assert client.get("/feed.atom", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    page = client.get("/?person=sam-altman").content.decode()
    assert 'type="application/atom+xml"' in page and 'href="/feed.atom?person=sam-altman"' in page
    assert 'type="application/feed+json"' in page
