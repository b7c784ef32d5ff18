"""One chronological order on every surface: date, then the editors' ``sequence`` among items that
share a date (never the slug or the id). Items are built with slugs that sort the other way round."""

import csv
import io
import re
from datetime import date

import icalendar
import pytest
from django.utils import timezone

from tests.factories import make_item
from timeline.models import Item, Status, chronological_key

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


# -- a window with items that only overlap it, on the shipped data ----------------------------------
# November 2023: the board crisis lies inside it; a quote dated 2005/2024-05 and GPT-4 (2022/2023-11)
# only overlap it. Every surface that takes from/to lists the former first, then the latter, each part
# in chronological order, as the page and the API do.
NOVEMBER = {"from": "2023-11", "to": "2023-11"}
NOVEMBER_DAYS = (date(2023, 11, 1), date(2023, 11, 30))


@pytest.fixture
def november():
    """(inside, only overlapping) slugs of the published November 2023 window, each in chronological
    order, computed here from the stored dates; plus two unpublished items that must never appear."""
    make_item(slug="draft-inside-november", date="2023-11-20", status=Status.DRAFT)
    make_item(slug="draft-around-november", date="2023/2024", status=Status.REVIEW)
    first, last = NOVEMBER_DAYS
    touching = sorted(
        (item for item in Item.objects.filter(status=Status.PUBLISHED) if item.date_start <= last and item.date_end >= first),
        key=chronological_key,
    )
    inside = [item.slug for item in touching if item.date_start >= first and item.date_end <= last]
    overlapping = [item.slug for item in touching if item.slug not in inside]
    # The shipped data has both parts, the uncertain quote among the latter (the reviewer's example).
    assert len(inside) >= 10 and "quote-levine-on-ilya" in overlapping and "gpt-4-release" in overlapping
    return inside, overlapping


def widget_ids(body: str) -> list[str]:
    return re.findall(r'<li id="item-([^"]+)"', body)


def test_november_the_widget_lists_the_window_first_and_labels_the_rest(client, november):
    inside, overlapping = november
    body = client.get("/embed/", {**NOVEMBER, "limit": "50"}).content.decode()
    assert widget_ids(body) == inside + overlapping
    # One heading, after the list of the items inside the window and outside it (no list item that is
    # a heading): a section of its own, named by it, holding the list of the items that only overlap,
    # which are marked and whose titles are headings under it.
    label = '<section class="tl-part" aria-labelledby="tl-possibly"><h2 id="tl-possibly">Possibly in this period</h2>'
    assert 'class="tl-part"' not in body.replace(label, "") and "<li class=\"tl-part" not in body
    for layout in ("list", "compact"):
        page = client.get("/embed/", {**NOVEMBER, "limit": "50", "layout": layout}).content.decode()
        assert widget_ids(page) == inside + overlapping and page.count(label) == 1
        lists = re.findall(r'<ol class="tl-items">(.*?)</ol>', page, re.S)
        assert [widget_ids(part) for part in lists] == [inside, overlapping], layout
        first, section = page.index('<ol class="tl-items">'), page.index(label)
        assert page.index("</ol>", first) < section < page.index(f'id="item-{overlapping[0]}"') < page.index("</section>")
        marked = re.findall(r'<li id="item-([^"]+)" class="tl-item[^"]*\btl-possible\b', page)
        assert marked == overlapping
        if layout == "list":
            assert len(re.findall(r'<h3><a href="[^"]*" target="_blank" rel="noopener">', page)) == len(overlapping)
            assert page.count('<h2 elementtiming="first-item">') == 1
    # A page of the widget with only overlapping items: no empty list before the heading.
    only = client.get("/embed/", {**NOVEMBER, "limit": "1", "focus": overlapping[-1]}).content.decode()
    assert only.count('<ol class="tl-items">') == 1 and only.count(label) == 1
    assert '<h3 elementtiming="first-item">' in only
    # In Chinese, the page's translation of the label.
    chinese = client.get("/embed/", {**NOVEMBER, "limit": "50", "lang": "zh"}).content.decode()
    assert '<h2 id="tl-possibly">可能属于这一时期</h2>' in chinese


def test_november_the_widget_pages_and_focus_follow_the_same_order(client, november):
    inside, overlapping = november
    everything = inside + overlapping
    shown = []
    for number in range(1, (len(everything) + 4) // 5 + 1):
        body = client.get("/embed/", {**NOVEMBER, "limit": "5", "page": str(number)}).content.decode()
        ids = widget_ids(body)
        shown += ids
        # Each page is read on its own: one that shows overlapping items labels them, once.
        assert body.count('<section class="tl-part"') == (1 if set(ids) & set(overlapping) else 0)
    assert shown == everything
    # focus= on an overlapping item opens the page that holds it, counted in this order.
    position = everything.index("quote-levine-on-ilya")
    body = client.get("/embed/", {**NOVEMBER, "limit": "5", "focus": "quote-levine-on-ilya"}).content.decode()
    assert widget_ids(body) == everything[position // 5 * 5 : position // 5 * 5 + 5]
    assert 'id="item-quote-levine-on-ilya" class="tl-item' in body and "data-focus" in body


def test_november_the_builder_preview_and_focus_menu(client, november):
    inside, overlapping = november
    body = client.get("/embed/builder/", {**NOVEMBER, "limit": "50"}).content.decode()
    menu = re.findall(r'<option value="([a-z0-9-]+)"', body)
    assert [slug for slug in menu if slug in inside + overlapping] == inside + overlapping
    # The preview is the widget URL of the snippets, which lists the same order (tested above).
    assert "from=2023-11" in body and "to=2023-11" in body
    # The items that only overlap the window are a group of their own, as in the widget; the others
    # are not in it.
    menu = body[body.index('<select id="b-focus"'):body.index("</select>", body.index('<select id="b-focus"'))]
    groups = re.findall(r'<optgroup label="([^"]*)">(.*?)</optgroup>', menu, re.S)
    assert [label for label, _ in groups] == ["Possibly in this period"]
    assert re.findall(r'<option value="([a-z0-9-]+)"', groups[0][1]) == overlapping
    before = menu[:menu.index("<optgroup")]
    assert re.findall(r'<option value="([a-z0-9-]+)"', before) == inside
    # The focused one is selected in its group; in Chinese the group's label is translated.
    chosen = client.get("/embed/builder/", {**NOVEMBER, "focus": overlapping[0], "lang": "zh"}).content.decode()
    assert f'<option value="{overlapping[0]}" selected>' in chosen
    assert '<optgroup label="可能属于这一时期">' in chosen
    # Without a window there is no such group.
    assert "<optgroup" not in client.get("/embed/builder/", {"era": "board-crisis"}).content.decode()


def test_november_csv_says_which_part_each_row_is_in(client, november):
    inside, overlapping = november
    rows = list(csv.DictReader(io.StringIO(client.get("/items.csv", NOVEMBER).content.decode("utf-8-sig"))))
    assert [row["id"] for row in rows] == inside + overlapping
    assert [row["date_window"] for row in rows] == ["within"] * len(inside) + ["possibly"] * len(overlapping)
    # Without a window the column is there and empty.
    plain = list(csv.DictReader(io.StringIO(client.get("/items.csv", {"era": "board-crisis"}).content.decode("utf-8-sig"))))
    assert plain and {row["date_window"] for row in plain} == {""}


def test_november_calendar_order(client, november):
    inside, overlapping = november
    # precision=year: every item of the window (the overlapping ones are mostly years and intervals).
    calendar = client.get("/calendar.ics", {**NOVEMBER, "precision": "year"}).content.decode()
    uids = re.findall(r"UID:([^@\r\n]+)", calendar)
    assert uids == inside + overlapping
    # The default (month precision) keeps the same order among the events it keeps.
    uids = re.findall(r"UID:([^@\r\n]+)", client.get("/calendar.ics", NOVEMBER).content.decode())
    assert set(uids) & set(inside) and uids == [slug for slug in inside + overlapping if slug in uids]


@pytest.mark.parametrize("lang,label,line", [
    ("en", "Possibly in this period", "Possibly in this period: its uncertain date overlaps the chosen period"),
    ("zh", "可能属于这一时期", "可能属于这一时期：其日期不确定"),
])
def test_november_calendar_marks_the_items_possibly_in_the_period(client, november, lang, label, line):
    """An event whose uncertain date only overlaps the window says so, as the CSV's date_window does: a
    "Possibly in this period" category (besides its topics) and a line under its date in the
    description; the events inside the window, and every event without a window, do not."""
    inside, overlapping = november
    response = client.get("/calendar.ics", {**NOVEMBER, "precision": "year", "lang": lang})
    events = {str(event["UID"]).split("@")[0]: event
              for event in icalendar.Calendar.from_ical(response.content).walk("VEVENT")}
    assert list(events) == inside + overlapping

    def categories(event):
        found = event.get("CATEGORIES")
        found = found if isinstance(found, list) else [found] if found is not None else []
        return [str(value) for group in found for value in group.cats]

    for slug, event in events.items():
        possibly = slug in overlapping
        assert (label in categories(event)) == possibly, slug
        assert (line in str(event["DESCRIPTION"])) == possibly, slug
        if possibly:
            assert str(event["DESCRIPTION"]).split("\n\n")[1].startswith(line)  # right under its date
    tagged = Item.objects.filter(slug__in=overlapping, tags__isnull=False).values_list("slug", flat=True).first()
    if tagged:
        assert len(categories(events[tagged])) > 1  # its topics are kept
    plain = client.get("/calendar.ics", {"precision": "year", "lang": lang}).content.decode()
    assert "BEGIN:VEVENT" in plain and label not in plain


def test_november_timelinejs_order_and_group(client, november):
    inside, overlapping = november
    events = client.get("/api/timelinejs.json", NOVEMBER).json()["events"]
    assert [event["unique_id"] for event in events] == inside + overlapping
    groups = {event["unique_id"]: event.get("group") for event in events}
    assert {groups[slug] for slug in overlapping} == {"Possibly in this period"}
    assert "Possibly in this period" not in {groups[slug] for slug in inside}
    chinese = client.get("/api/timelinejs.json", {**NOVEMBER, "lang": "zh"}).json()["events"]
    assert {e.get("group") for e in chinese if e["unique_id"] in overlapping} == {"可能属于这一时期"}


def test_november_page_and_api_agree_with_the_other_surfaces(client, november):
    inside, overlapping = november
    api = client.get("/api/items/", {**NOVEMBER, "page": "1"}).json()
    assert api["date_window"]["within"] == len(inside) and api["date_window"]["possibly"] == len(overlapping)
    assert [doc["id"] for doc in api["results"]] == (inside + overlapping)[: len(api["results"])]
