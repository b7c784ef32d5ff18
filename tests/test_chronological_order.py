"""One chronological order on every surface: date, then the editors' ``sequence`` among items that
share a date (never the slug or the id). Items are built with slugs that sort the other way round."""

import csv
import io
import re

import pytest
from django.utils import timezone

from tests.factories import make_item
from timeline.models import Item

pytestmark = pytest.mark.django_db

# Narrated order: the firing, then the resignation, then the offer (slugs sort differently).
NARRATED = ["zz-fired", "mm-resigns", "aa-offer"]
WINDOW = {"from": "2031-03", "to": "2031-03"}


@pytest.fixture
def same_day():
    moment = timezone.now()
    for sequence, slug in enumerate(NARRATED, start=1):
        make_item(slug=slug, date="2031-03-04", sequence=sequence, published_at=moment)
    # Created last, but its sequence puts it before the others on that day.
    make_item(slug="yy-before-all", date="2031-03-04", sequence=-5, published_at=moment)
    return ["yy-before-all", *NARRATED]


def test_the_queryset_orders_by_sequence_within_a_date(same_day):
    assert list(Item.objects.filter(slug__in=same_day).chronological().values_list("slug", flat=True)) == same_day


def test_the_page_and_its_fragment(client, same_day):
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        body = client.get("/", WINDOW, **headers).content.decode()
        assert re.findall(r'<li id="item-([^"]+)"', body) == same_day


def test_the_api(client, same_day):
    data = client.get("/api/items/", WINDOW).json()
    assert [doc["id"] for doc in data["results"]] == same_day


def test_previous_and_next_on_item_pages(client, same_day):
    body = client.get("/items/mm-resigns/").content.decode()
    assert re.search(r'rel="prev"[^>]*href="/items/zz-fired/"|href="/items/zz-fired/"[^>]*rel="prev"', body)
    assert re.search(r'rel="next"[^>]*href="/items/aa-offer/"|href="/items/aa-offer/"[^>]*rel="next"', body)


def test_the_widget_and_its_focus_page(client, same_day):
    body = client.get("/embed/", WINDOW).content.decode()
    assert re.findall(r'<li id="item-([^"]+)"', body) == same_day
    # The deep link lands on the page that holds the item, counted in the same order.
    focused = client.get("/embed/", {**WINDOW, "limit": "2", "focus": "aa-offer"}).content.decode()
    assert re.findall(r'<li id="item-([^"]+)"', focused) == same_day[2:4]


def test_csv_calendar_and_timelinejs(client, same_day):
    rows = list(csv.DictReader(io.StringIO(client.get("/items.csv", WINDOW).content.decode("utf-8-sig"))))
    assert [row["id"] for row in rows] == same_day
    calendar = client.get("/calendar.ics", {**WINDOW, "precision": "day"}).content.decode()
    uids = re.findall(r"UID:([^@\r\n]+)", calendar)
    assert [uid for uid in uids if uid in same_day] == same_day
    events = client.get("/api/timelinejs.json", WINDOW).json()["events"]
    assert [event["unique_id"] for event in events] == same_day


def test_feeds_break_ties_in_reverse_chronological_order(client, same_day):
    """Items published in one load share published_at: the latest in the chronology comes first."""
    feed = client.get("/feed.json", WINDOW).json()
    ids = [entry["id"].rstrip("/").rsplit("/", 1)[-1] for entry in feed["items"]]
    assert [slug for slug in ids if slug in same_day] == same_day[::-1]
