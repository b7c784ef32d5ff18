"""The CSV and iCalendar exports, read back by Python's csv module and the icalendar package."""

import csv
import datetime
import io
from pathlib import Path

import icalendar
import pytest
import yaml

from tests.factories import cite, make_item, make_source
from timeline.models import Item, Source, Status
from timeline.views.exports import CSV_COLUMNS, safe_cell

pytestmark = pytest.mark.django_db


def read_csv(client, url="/items.csv"):
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf"), "spreadsheets need the BOM to read UTF-8"
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))


def shipped_published_items() -> int:
    """How many published items fixtures/chronology/items.yaml ships; the test database loads them all."""
    path = Path(__file__).resolve().parent.parent / "fixtures" / "chronology" / "items.yaml"
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    return sum(1 for entry in entries if entry.get("status", "published") == "published")


def test_csv_has_one_row_per_published_item_with_every_column(client):
    make_item(slug="a-draft", status=Status.DRAFT)
    rows = read_csv(client)
    published = Item.objects.published()
    assert len(rows) == published.count() == shipped_published_items()
    assert list(rows[0]) == list(CSV_COLUMNS)
    assert [row["id"] for row in rows] == list(published.chronological().values_list("slug", flat=True))


def test_csv_row_content(client):
    rows = {row["id"]: row for row in read_csv(client)}
    row = rows["hinton-meets-ilya"]
    item = Item.objects.get(slug="hinton-meets-ilya")
    assert (row["kind"], row["date_edtf"], row["date_start"], row["date_end"], row["precision"]) == (
        "event", "2005", "2005-01-01", "2005-12-31", "year")
    assert row["title_zh"] == item.title_zh and row["summary_en"] == item.summary_en
    assert "Geoffrey Hinton (" in row["people"] and "; " in row["people"]
    assert row["source_titles"] == Source.objects.get(key="netease-openai-idealists").title
    urls = row["passage_urls"].split("; ")
    # One link per cited passage (the first citation of it), in reading order, each highlighting its sentence.
    first = {}
    for c in item.citations.select_related("passage").order_by("passage__ordinal", "start", "pk"):
        first.setdefault(c.passage_id, c)
    assert urls == [
        f"http://testserver/sources/netease-openai-idealists/?hl={c.pk}#p-{c.passage.ordinal}" for c in first.values()
    ]
    assert len(urls) == len(first) >= 2
    assert row["url"] == "http://testserver/items/hinton-meets-ilya/"
    quote = next(r for r in rows.values() if r["kind"] == "quote")
    assert quote["quote_text"] and quote["speaker"]


def test_csv_filters_apply(client):
    rows = read_csv(client, "/items.csv?kind=quote&person=sam-altman")
    expected = Item.objects.published().filter(kind="quote", people__slug="sam-altman").distinct()
    assert {row["id"] for row in rows} == set(expected.values_list("slug", flat=True))
    assert client.get("/items.csv?kind=nonsense").status_code == 400


@pytest.mark.parametrize("value, expected", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
    ("+1+1", "'+1+1"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "'\rx"),
    ("plain", "plain"), ("2015-12", "2015-12"), ("", ""), (None, ""),
])
def test_formula_injection_is_neutralised(value, expected):
    assert safe_cell(value) == expected


def test_formula_in_data_reaches_the_csv_quoted(client):
    make_item(slug="formula-item", title_en="=cmd|' /C calc'!A0", summary_zh="@SUM(1+1)")
    row = next(r for r in read_csv(client) if r["id"] == "formula-item")
    assert row["title_en"] == "'=cmd|' /C calc'!A0" and row["summary_zh"] == "'@SUM(1+1)"


def read_calendar(client, url="/calendar.ics"):
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    return response, calendar, {str(event["UID"]).split("@")[0]: event for event in calendar.walk("VEVENT")}


def test_calendar_policy_month_by_default(client):
    """Day and month precision by default; a month-precision item spans its whole month."""
    _, calendar, events = read_calendar(client)
    published = Item.objects.published()
    assert set(events) == set(published.filter(date_precision__gte=10).values_list("slug", flat=True))
    assert str(calendar["VERSION"]) == "2.0" and "PRODID" in calendar
    month = published.filter(date_precision=10).exclude(date_edtf__contains="/").first()
    event = events[month.slug]
    assert event["DTSTART"].dt == month.date_start and not isinstance(event["DTSTART"].dt, datetime.datetime)
    assert event["DTEND"].dt == month.date_end + datetime.timedelta(days=1)
    assert event["DTSTART"].to_ical() == month.date_start.strftime("%Y%m%d").encode()
    assert event["DTSTART"].params.get("VALUE") == "DATE"
    assert str(event["URL"]) == f"http://testserver/items/{month.slug}/"
    assert "month precision" in str(event["DESCRIPTION"])


def test_calendar_day_events_are_one_day_with_exclusive_end(client):
    source = make_source()
    item = make_item(slug="a-day", date="2015-12-11", title_en="OpenAI is founded")
    citation = cite(item, source.passages.get(ordinal=2), "OpenAI 成立")
    _, _, events = read_calendar(client, "/calendar.ics?precision=day")
    assert set(events) == {"a-day"}
    event = events["a-day"]
    assert event["DTSTART"].dt == datetime.date(2015, 12, 11)
    assert event["DTEND"].dt == datetime.date(2015, 12, 12)
    assert str(event["SUMMARY"]) == "OpenAI is founded"
    assert f"Title of test-source ¶2: http://testserver/sources/test-source/?hl={citation.pk}#p-2" in str(
        event["DESCRIPTION"]
    )


def test_calendar_year_precision_only_on_request_spanning_the_year(client):
    _, _, events = read_calendar(client, "/calendar.ics?precision=year")
    assert len(events) == Item.objects.published().count()
    event = events["hinton-meets-ilya"]
    assert (event["DTSTART"].dt, event["DTEND"].dt) == (datetime.date(2005, 1, 1), datetime.date(2006, 1, 1))
    assert client.get("/calendar.ics?precision=week").status_code == 400


def test_calendar_filters_and_language(client):
    _, calendar, events = read_calendar(client, "/calendar.ics?precision=year&kind=quote&lang=zh")
    quotes = Item.objects.published().filter(kind="quote")
    assert set(events) == set(quotes.values_list("slug", flat=True))
    sample = quotes.first()
    assert str(events[sample.slug]["SUMMARY"]) == sample.title_zh
    assert str(calendar["X-WR-CALNAME"]) == "OpenAI 大事记"


def test_calendar_precision_note_is_translated(client):
    """The Chinese calendar said "(month precision: the sources give no exact day)" in English."""
    _, _, events = read_calendar(client, "/calendar.ics?precision=year&lang=zh")
    published = Item.objects.published()
    month = published.filter(date_precision=10).exclude(date_edtf__contains="/").first()
    year = published.filter(date_precision=9).exclude(date_edtf__contains="/").first()
    assert "（精确到月：出处没有给出具体日期）" in str(events[month.slug]["DESCRIPTION"])
    assert "（精确到年：出处没有给出具体日期）" in str(events[year.slug]["DESCRIPTION"])
    for event in events.values():
        assert "precision" not in str(event["DESCRIPTION"])
    _, _, english = read_calendar(client, "/calendar.ics?precision=year&lang=en")
    assert "(year precision: the sources give no exact day)" in str(english[year.slug]["DESCRIPTION"])


def test_exports_are_cacheable(client):
    for url in ("/items.csv", "/calendar.ics"):
        response = client.get(url)
        assert "public" in response["Cache-Control"] and response["Access-Control-Allow-Origin"] == "*"
        assert client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
