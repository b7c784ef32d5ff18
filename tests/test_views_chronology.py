"""The timeline page `/`: full page and htmx fragment, grouping, labels, facets, chart, languages."""

import datetime
import html as htmllib
import re

import pytest
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from tests.factories import make_item
from timeline import axis as axis_module
from timeline.filters import PAGE_SIZE
from timeline.models import Item
from timeline.search import refresh_search_text

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def _search_text(django_db_setup, django_db_blocker):
    """The shipped data with its search text, as the chronology loader leaves it (refresh_search_text)."""
    with django_db_blocker.unblock():
        refresh_search_text()

ITEM_ID = re.compile(r'<li id="item-([^"]+)"')


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Facet counts are cached across requests; every test starts without them."""
    cache.clear()


def page_slugs(response) -> list[str]:
    return ITEM_ID.findall(response.content.decode())


def text_of(response) -> str:
    """The visible text, tags removed and whitespace collapsed, for assertions on what a reader sees."""
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def chronological_slugs(queryset=None):
    return list((queryset or Item.objects.published()).chronological().values_list("slug", flat=True))


def test_full_page_lists_the_first_page_of_published_items_in_chronological_order(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "<html" in response.content.decode()
    assert page_slugs(response) == chronological_slugs()[:PAGE_SIZE]


def test_htmx_request_gets_only_the_results_fragment(client):
    """One view, two templates: `template + "#results"` when HX-Request is set."""
    response = client.get("/", {"person": "sam-altman"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body and "<head>" not in body
    assert body.lstrip().startswith('<div id="results"')
    assert page_slugs(response) == chronological_slugs(Item.objects.published().filter(people__slug="sam-altman"))[
        :PAGE_SIZE
    ]


def test_the_fragment_pushes_the_canonical_url(client):
    """The form submits empty fields too; the address bar shows only what filters."""
    response = client.get("/?q=&from=&to=&person=sam-altman&page=2", HTTP_HX_REQUEST="true")
    assert response["HX-Push-Url"] == "/?person=sam-altman&page=2"


@pytest.mark.parametrize("headers", [{}, {"HTTP_HX_REQUEST": "true"}])
def test_both_responses_vary_on_hx_request(client, headers):
    """A cache must not serve the fragment to a plain request (or the page to htmx)."""
    response = client.get("/", **headers)
    assert "HX-Request" in [part.strip() for part in response["Vary"].split(",")]


def test_a_history_restore_request_gets_the_full_page(client):
    """htmx re-fetches a URL on back/forward when its history cache misses; it swaps in the <body>."""
    response = client.get("/", HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert "<html" in response.content.decode()


def test_items_are_grouped_by_era_then_year(client):
    body = client.get("/").content.decode()
    first = Item.objects.published().chronological().select_related("era").first()
    era_heading = body.index(f">{first.era.name_en}</h2>")
    year_heading = body.index(f">{first.date_start.year}</h3>")
    item = body.index(f'id="item-{first.slug}"')
    assert era_heading < year_heading < item
    assert body.index('<ol class="items">', year_heading) < item


def test_dates_show_their_true_precision(client):
    """A year stays a year, a month a month, approximate dates say so, intervals show both ends (and
    give their last day to the page script, for the axis band of the items on screen)."""
    month = Item.objects.published().filter(date_edtf="2018-02").first()
    approximate = Item.objects.published().filter(date_edtf="2016~").first()
    interval = Item.objects.published().filter(date_edtf="2015/2017-03").first()
    body = client.get("/", {"from": "2015", "to": "2018"}).content.decode()
    body += client.get("/", {"from": "2015", "to": "2018", "page": "2"}).content.decode()
    assert f'id="item-{month.slug}"' in body
    assert '<time datetime="2018-02">February 2018</time>' in body
    assert f'id="item-{approximate.slug}"' in body and '<time datetime="2016">c. 2016</time>' in body
    assert f'id="item-{interval.slug}"' in body and '<time datetime="2015" data-end="2017-03-31">2015 – March 2017</time>' in body


def test_chinese_labels_for_dates_in_chinese(client):
    body = client.get("/", {"from": "2018-02", "to": "2018-02", "lang": "zh"}).content.decode()
    assert '<time datetime="2018-02">2018年2月</time>' in body


def test_each_item_links_its_source_passages_to_the_highlighted_citation(client):
    item = Item.objects.published().filter(citations__passage__source__key="netease-openai-idealists").first()
    citation = item.citations.select_related("passage").order_by("passage__ordinal").first()
    body = client.get(f"/?q=&from={item.date_start.year}&to={item.date_end.year}").content.decode()
    body += client.get(f"/?from={item.date_start.year}&to={item.date_end.year}&page=2").content.decode()
    link = (
        f'<a href="/sources/netease-openai-idealists/?hl={citation.pk}#p-{citation.passage.ordinal}">'
        f"遠川科技評論 ¶{citation.passage.ordinal}</a>"
    )
    assert link in body


def test_a_quote_shows_its_verbatim_text_and_its_translation(client):
    quote = Item.objects.published().filter(kind="quote").exclude(quote_translation_en="").first()
    year = quote.date_start.year
    body = client.get("/", {"kind": "quote", "from": year, "to": year}).content.decode()
    assert f'<blockquote lang="{quote.quote_language}">{escape(quote.quote_text)}</blockquote>' in body
    assert f'<p class="translation" lang="en">{escape(quote.quote_translation_en)}</p>' in body


def test_key_moments_stand_out(client):
    key = Item.objects.published().filter(importance=3).chronological().first()
    body = client.get("/", {"importance": "3"}).content.decode()
    assert re.search(rf'<li id="item-{key.slug}" class="item kind-\w+ importance-3">', body)
    assert "Key moment</strong>" in body
    assert set(page_slugs(client.get("/", {"importance": "3"}))) <= set(
        Item.objects.filter(importance=3).values_list("slug", flat=True)
    )


def test_facets_show_counts_under_the_other_filters(client):
    """Next to each value: how many items it would give with the other filters kept."""
    altman = Item.objects.published().filter(people__slug="sam-altman")
    text = text_of(client.get("/"))
    assert f"Sam Altman ({altman.count()})" in text
    crisis = altman.filter(era__slug="board-crisis").count()
    filtered = text_of(client.get("/", {"person": "sam-altman"}))
    assert f"The board crisis and Q* ({crisis})" in filtered or f"({crisis})" in filtered


def test_selected_facet_values_are_checked(client):
    body = client.get("/", {"person": "sam-altman"}).content.decode()
    assert re.search(r'<input type="checkbox" name="person" value="sam-altman" id="f-person-sam-altman" checked>', body)


def test_each_active_filter_has_a_real_link_that_clears_it(client):
    body = client.get("/", {"person": "sam-altman", "tag": "safety"}).content.decode()
    assert 'href="/?tag=safety" class="clear" aria-label="Remove filter: Sam Altman"' in body
    assert 'href="/?person=sam-altman" class="clear"' in body
    assert '<a class="clear-all" href="/">Clear all</a>' in body


def test_the_empty_state_suggests_which_filter_to_remove(client):
    response = client.get("/", {"person": "sam-altman", "from": "2005", "to": "2006"})
    text = text_of(response)
    assert page_slugs(response) == []
    assert "No items match these filters." in text
    assert "Remove “Sam Altman”" in text and "Remove “from 2005”" in text
    assert 'href="/?from=2005&amp;to=2006"' in response.content.decode()


def test_ignored_filters_are_explained_on_the_page(client):
    text = text_of(client.get("/", {"person": "nobody", "from": "abc"}))
    assert "Unknown person “nobody” was ignored." in text
    assert "“from” was ignored: It is not a year or a date" in text


def axis_numbers(body: str) -> tuple[int, int, int]:
    """(dated within a column, dated by a range or approximately, total) from the axis caption."""
    text = htmllib.unescape(re.sub(r"<[^>]+>", " ", body))
    match = re.search(r"(\d+) dated within a column(?: \+ (\d+) dated by a range or approximately)? = (\d+)", " ".join(text.split()))
    assert match, "no axis totals"
    return int(match[1]), int(match[2] or 0), int(match[3])


def test_the_axis_counts_each_item_once(client):
    """Bars plus spans add up to the number of items: an interval or an approximate date is drawn once
    as a span, not as a bar in every year it touches."""
    total = Item.objects.published().count()
    bars, spans, shown = axis_numbers(client.get("/").content.decode())
    assert shown == bars + spans == total
    approximate_or_long = Item.objects.published().filter(date_approximate=True).count()
    assert spans >= approximate_or_long > 0
    filtered = Item.objects.published().filter(people__slug="sam-altman").count()
    assert axis_numbers(client.get("/", {"person": "sam-altman"}).content.decode())[2] == filtered


@pytest.mark.parametrize("query", ["", "from=2023&to=2024", "from=2015&to=2015", "from=2023-11&to=2023-11", "q=altman"])
def test_the_axis_draws_every_item(client, query):
    """No item is only counted: the spans drawn on the axis (their titles say how many items each) and
    the bars add up to every filtered item, even where the spans need more than four rows (the shipped
    data's 2023-2024 needs eight); more rows are thinner, so the axis keeps its height."""
    body = client.get("/?" + query).content.decode()
    svg = body[body.index("<svg"):body.index("</svg>")]
    bars, spans, shown = axis_numbers(body)
    drawn = sum(int(n) for n in re.findall(r'<rect class="(?:span[^"]*|unit-band)"[^>]*><title>[^<]*: (\d+) items?</title>',
                                             svg))
    assert drawn == spans and bars + drawn == shown
    assert "Other uncertain ranges" not in body
    heights = {float(h) for h in re.findall(r'<rect class="span[^"]*"[^>]* height="([\d.]+)"', svg)}
    lanes = len(set(re.findall(r'<rect class="span[^"]*" x="[\d.]+" y="([\d.]+)"', svg)))
    assert len(heights) == 1 and heights.pop() == (3 if lanes <= 4 else round(3 * 4 / lanes, 1))
    view_height = float(re.search(r'viewBox="0 0 [\d.]+ ([\d.]+)"', svg)[1])
    assert view_height <= axis_module.HEIGHT + axis_module.GAP + axis_module.LANES_HEIGHT + axis_module.GAP + axis_module.BAND
    if query == "from=2023&to=2024":
        assert lanes == 8 and view_height == 90  # as tall as four rows of spans


@pytest.mark.parametrize("query", ["", "from=2023&to=2024", "from=2023-11&to=2023-11&lang=zh"])
def test_each_axis_link_says_what_following_it_lists(client, query):
    """A year, month or day link under the axis says the count the page it leads to says: every item
    whose dates touch that column, and how many lie within it where that differs ("2015: 13 items ·
    6 within the period", not the 2 drawn as its bar), in English and Chinese."""
    body = client.get("/?" + query).content.decode()
    ticks = body[body.index('class="axis-ticks"'):body.index("</ol>", body.index('class="axis-ticks"'))]
    links = re.findall(r'<li(?: class="[pd ]+")?><a href="([^"]*)"( class="none")? title="([^"]*)"', ticks)
    assert len(links) == int(re.search(r'data-columns="(\d+)"', body)[1])
    differ = 0
    for href, none, title in links:
        page = client.get(htmllib.unescape(href)).content.decode()
        heading = page[page.index('<h2 id="results-heading"'):]
        heading = " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", heading[:heading.index('<span class="visually-hidden">')])).split())
        said = htmllib.unescape(title).split(": ", 1)[1]
        assert said == heading, (href, said, heading)
        assert bool(none) == (re.match(r"\d+", heading)[0] == "0"), href
        differ += " · " in said
    assert differ  # the shipped data has columns where both numbers are said
    if not query:
        assert 'title="2015: 13 items · 6 within the period"' in ticks


@pytest.mark.parametrize("query", ["", "from=2031-05&to=2031-05", "from=2023&to=2024&lang=zh"])
def test_no_axis_mark_lies_over_another(client, query):
    """Marks in one column (the key moments of a year, the items of a day) sit side by side in it, in
    date order, each in its own part of the column, so every one can be pointed at: none overlaps another
    (on the shipped data 13 of the 23 key moments of / lay exactly under another)."""
    for n in range(7):  # a day with seven items (the shipped November 2023 is dated to the month only)
        make_item(slug=f"day-{n}", date=f"2031-05-{2 if n < 6 else 3:02d}", importance=2, sequence=n)
    body = client.get("/?" + query).content.decode()
    marks = [(float(x), float(y), float(w)) for x, y, w in re.findall(
        r'<rect class="mark(?: key)?" x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="5"/>', body)]
    assert len(marks) == body.count("data-item=") > 5
    by_row = {}
    for x, y, w in marks:
        assert 0 < w <= 2
        by_row.setdefault(y, []).append((x, x + w))
    for spans in by_row.values():
        spans.sort()
        assert all(end <= start for (_s, end), (start, _e) in zip(spans, spans[1:], strict=False))
    shared = sum(len(v) for v in by_row.values() if len(v) > 1)
    assert shared > 1  # columns with more than one mark
    if "2031" in query:
        assert shared == 6 and re.findall(r'data-item="(day-\d)"', body)[:6] == [f"day-{n}" for n in range(6)]


def test_the_axis_says_how_spans_are_dated_and_eras_of_one_year_say_it_once(client):
    """The caption counts the items drawn as spans as dated by a range or approximately (a "c. 2025"
    item spans nothing), in Chinese too; a span's hover title says why it is one, as the table does
    (the items running 2005-2024 are not "Nov 1, 2023 - Nov 30, 2023" on a day axis); an era within one
    year is dated "2023", not "2023–2023"."""
    body = client.get("/", {"from": "2023-11", "to": "2023-11"}).content.decode()
    titles = re.findall(r'<rect class="span[^"]*"[^>]*><title>([^<]*)</title>', body)
    assert titles and all(re.fullmatch(r"Nov 1, 2023 – Nov 30, 2023 \((runs past the axis|approximate|somewhere in "
                                       r"this range)\): \d+ items?", title) for title in titles), titles
    assert any("(runs past the axis)" in title for title in titles)
    assert " spanning several" not in body
    assert "条日期为区间或约数" in client.get("/", {"lang": "zh"}).content.decode()
    body = client.get("/", {"era": "board-crisis"}).content.decode() + client.get("/").content.decode()
    dates = re.findall(r'<p class="era-dates">([^<]*)</p>', body)
    assert "2023" in dates and "2005–2014" in dates
    assert all(re.fullmatch(r"\d{4}|(\d{4})–(?!\1)\d{4}", d) for d in dates), dates


def test_the_axis_table_lists_every_column_with_items_and_every_span(client):
    """The text alternative: one row per year with items (a link to it) and one per span, and a total."""
    body = client.get("/").content.decode()
    table = body[body.index('<details class="axis-table">'):body.index("</details>", body.index('class="axis-table"'))]
    counts = [int(n) for n in re.findall(r"</th><td>(\d+)</td>", table)]
    assert sum(counts[:-1]) == counts[-1] == Item.objects.published().count()
    assert '<a href="/?from=2023&amp;to=2023">2023</a>' in table


def test_the_axis_zooms_by_year_month_and_day_with_the_range(client):
    """Whole decades by year, three years or less by month, three months (92 days) or less by day."""
    def zoom(params):
        return re.search(r'data-zoom="(\w+)"', client.get("/", params).content.decode())[1]

    assert zoom({}) == "year"
    assert zoom({"from": "2022", "to": "2024"}) == "month"
    assert zoom({"from": "2023-10", "to": "2023-12"}) == "day"
    assert zoom({"from": "2023-09-15", "to": "2023-12-14"}) == "day"  # 91 days, in four calendar months
    assert zoom({"from": "2023-09-15", "to": "2023-12-16"}) == "month"  # 93 days
    body = client.get("/", {"from": "2022", "to": "2024"}).content.decode()
    # Month links without JavaScript, and a way back out.
    assert '<a href="/?from=2023-11&amp;to=2023-11"' in body
    assert '<a class="zoom-out" href="/"' in body


def test_day_zoom_draws_items_as_marks_that_link_to_them(client):
    make_item(slug="day-one", date="2031-05-02", importance=2)
    make_item(slug="day-two", date="2031-05-02", importance=3, sequence=-1)
    body = client.get("/", {"from": "2031-05", "to": "2031-05"}).content.decode()
    assert 'data-zoom="day"' in body
    assert '<a href="/items/day-two/" data-item="day-two"' in body
    assert body.index('data-item="day-two"') < body.index('data-item="day-one"')


def test_pagination_links_are_plain_links_with_the_filters(client):
    """Without JavaScript "Earlier"/"Later" pages work; with it, htmx loads the next page when "Later"
    comes into view (only the items, appended)."""
    total = Item.objects.published().count()
    body = client.get("/", {"lang": "en"}).content.decode()
    assert total > PAGE_SIZE
    assert '<a rel="next" href="/?lang=en&amp;page=2">Later →</a>' in body
    assert 'data-page="1" hx-get="/?lang=en&amp;page=2" hx-trigger="intersect once" hx-target="this"' in body
    second = client.get("/", {"page": "2"})
    assert page_slugs(second) == chronological_slugs()[PAGE_SIZE : 2 * PAGE_SIZE]
    assert '<a rel="prev" href="/">← Earlier</a>' in second.content.decode()


def test_the_next_page_for_continuous_scrolling_is_only_items(client):
    """The chunk continues the era and year of the previous page without repeating their headings."""
    response = client.get("/", {"page": "2"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="later")
    body = response.content.decode()
    assert page_slugs(response) == chronological_slugs()[PAGE_SIZE : 2 * PAGE_SIZE]
    assert "<form" not in body and 'id="axis"' not in body and "HX-Push-Url" not in response
    assert '<nav class="pages" id="later"' in body
    items = list(Item.objects.published().chronological().select_related("era"))
    last, first = items[PAGE_SIZE - 1], items[PAGE_SIZE]
    if last.era_id == first.era_id:
        assert body.lstrip().startswith('<section class="era-group') and "continued" in body.split(">")[0]
    if last.date_start.year == first.date_start.year and last.era_id == first.era_id:
        assert f">{first.date_start.year}</h3>" not in body[: body.index(f'id="item-{first.slug}"')]


def test_the_whole_chronology_is_reachable_in_ten_requests(client):
    """The first view plus the pages continuous scrolling loads."""
    total = Item.objects.published().count()
    seen, page, requests = [], 1, 0
    while True:
        requests += 1
        headers = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "later"} if page > 1 else {}
        response = client.get("/", {"page": str(page)} if page > 1 else {}, **headers)
        seen += page_slugs(response)
        if 'rel="next"' not in response.content.decode():
            break
        page += 1
    assert seen == chronological_slugs() and len(seen) == total
    assert requests <= 10


def test_items_sharing_a_date_follow_their_sequence_on_the_page(client):
    """Order within a date is the editors' sequence, not the id or slug."""
    make_item(slug="zz-first", date="2031-03-04", sequence=1)
    make_item(slug="aa-second", date="2031-03-04", sequence=2)
    make_item(slug="mm-third", date="2031-03-04", sequence=3)
    slugs = page_slugs(client.get("/", {"from": "2031", "to": "2031"}))
    assert slugs == ["zz-first", "aa-second", "mm-third"]


def test_a_date_window_lists_items_inside_it_first_and_the_uncertain_apart(client):
    """A quote dated 2005/2024-05 overlaps November 2023 but is only *possibly* in it: it comes after
    every item dated inside November 2023, under its own heading (on whichever page it starts)."""
    inside = Item.objects.published().filter(date_start__gte="2023-11-01", date_end__lte="2023-11-30")
    overlapping = Item.objects.published().between(datetime.date(2023, 11, 1), datetime.date(2023, 11, 30))
    possible = set(overlapping.values_list("slug", flat=True)) - set(inside.values_list("slug", flat=True))
    assert inside.exists() and possible
    slugs, after_heading, page = [], [], 1
    while True:
        response = client.get("/", {"from": "2023-11", "to": "2023-11", "page": str(page)})
        body = response.content.decode()
        page_items = page_slugs(response)
        heading = '<h2 class="possible-heading" id="possibly">Possibly in this period</h2>'
        if heading in body:
            at = body.index(heading)
            after_heading += [slug for slug in page_items if body.index(f'id="item-{slug}"') > at]
        slugs += page_items
        if 'rel="next"' not in body:
            break
        page += 1
    assert slugs[: inside.count()] == chronological_slugs(inside)
    assert set(slugs[inside.count():]) == possible
    assert after_heading and set(after_heading) <= possible


def test_the_possibly_part_is_headed_once_without_era_or_year_banners(client):
    """Items only possibly in the window have uncertain dates that cross eras and years: they follow
    under one "Possibly in this period" heading, with no era banner or year heading between them (they
    alternated item by item before), and the page that continuous scrolling appends does not head
    them again. A page of its own (without JavaScript) starts with the heading, to say what it lists."""
    window = {"from": "2023-11", "to": "2023-11"}
    first = client.get("/", window).content.decode()
    following = client.get("/", {**window, "page": "2"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="later")
    following = following.content.decode()
    heading = '<h2 class="possible-heading" id="possibly">'
    assert first.count(heading) == 1 and heading not in following
    after = first[first.index(heading):] + following
    assert 'class="era-band"' not in after and '<h3 class="year">' not in after
    possible_items = ITEM_ID.findall(after)
    overlapping = Item.objects.published().between(datetime.date(2023, 11, 1), datetime.date(2023, 11, 30))
    outside = overlapping.exclude(date_start__gte="2023-11-01", date_end__lte="2023-11-30")
    assert len({item.era_id for item in outside.filter(slug__in=possible_items)}) > 1  # eras did alternate
    assert possible_items == chronological_slugs(outside)[: len(possible_items)]
    alone = client.get("/", {**window, "page": "2"}).content.decode()
    assert alone.count(heading) == 1
    assert 'class="era-band"' not in alone[alone.index(heading):]


def test_the_speaker_filter_is_in_the_form_and_facets(client):
    said = Item.objects.published().filter(speaker__slug="ilya-sutskever")
    response = client.get("/", {"speaker": "ilya-sutskever"})
    assert sorted(page_slugs(response)) == sorted(said.values_list("slug", flat=True))
    body = response.content.decode()
    assert 'name="speaker" value="ilya-sutskever" id="f-speaker-ilya-sutskever" checked' in body
    assert f"Ilya Sutskever ({said.count()})" in text_of(response)


@pytest.mark.parametrize("query, count", [
    ({}, 0),
    ({"q": "Altman"}, 0),  # the search field is not in the panel
    ({"from": "2023", "to": "2024"}, 2),
    ({"person": ["sam-altman", "ilya-sutskever"], "from": "2023-11", "importance": "3"}, 4),
    ({"from": "2023-02-30"}, 0),  # ignored with a notice, so not a filter in force
])
def test_the_filter_toggle_counts_what_is_set_inside_the_panel(client, query, count):
    """"Filters (n)" on a phone counts every value set inside the panel it opens, dates included."""
    toggle = re.search(r'<summary class="filter-toggle">([^<]*)</summary>', client.get("/", query).content.decode())
    assert toggle.group(1) == f"Filters ({count})"


def test_a_ticked_value_keeps_its_place_in_its_facet(client):
    """Counts in a facet ignore that facet's own filter, so ticking a value does not reorder it."""
    def people(body):
        return re.findall(r'name="person" value="([^"]+)"', body)

    before = people(client.get("/").content.decode())
    after = people(client.get("/", {"person": before[3]}).content.decode())
    assert after == before


def test_the_headline_names_the_years_shown(client):
    items = Item.objects.published()
    first = items.order_by("date_start").first().date_start.year
    last = items.order_by("-date_end").first().date_end.year
    assert f"<h1>OpenAI, {first}–{last}: a sourced chronology</h1>" in client.get("/").content.decode()
    assert "<h1>OpenAI, 2023: a sourced chronology</h1>" in client.get("/", {"from": "2023", "to": "2023"}).content.decode()


def test_the_results_carry_the_document_title_and_a_focusable_heading(client):
    body = client.get("/", {"person": "sam-altman"}, HTTP_HX_REQUEST="true").content.decode()
    assert 'data-title="Sam Altman · OpenAI: a sourced chronology"' in body
    # Focusable (tabindex), and named for Element Timing (the reading benchmark's click-to-paint).
    assert '<h2 id="results-heading" class="summary-line" tabindex="-1" elementtiming="results">' in body
    # The live region is outside the swapped results, so it survives the swap and is announced.
    page = client.get("/").content.decode()
    assert page.index('id="announce"') < page.index('<div id="results"')


def test_the_favicon(client):
    page = client.get("/").content.decode()
    assert '<link rel="icon" href="/static/timeline/favicon.png" type="image/png" sizes="32x32">' in page
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == "/static/timeline/favicon.png"
    icon = finders.find("timeline/favicon.png")
    with open(icon, "rb") as file:
        head = file.read(24)
    # A PNG (signature, then the IHDR chunk) of 32 × 32 pixels, as the link says.
    assert head[:8] == b"\x89PNG\r\n\x1a\n" and head[12:16] == b"IHDR"
    assert int.from_bytes(head[16:20], "big") == 32 and int.from_bytes(head[20:24], "big") == 32


def test_a_page_past_the_end_shows_the_last_page_with_a_notice(client):
    response = client.get("/", {"page": "999"})
    last = (Item.objects.published().count() - 1) // PAGE_SIZE + 1
    assert response.status_code == 200
    assert f"There is no page 999; showing page {last}." in text_of(response)


def test_language_from_the_lang_parameter(client):
    item = Item.objects.published().chronological().first()
    body = client.get("/", {"lang": "zh"}).content.decode()
    assert item.title_zh in body and '<html lang="zh-Hans">' in body
    assert '<input type="hidden" name="lang" value="zh">' in body


def test_the_interface_is_translated_into_chinese(client):
    """The compiled catalogue is used: labels, buttons and counts read in Chinese."""
    text = text_of(client.get("/", {"lang": "zh", "person": "sam-altman"}))
    altman = Item.objects.published().filter(people__slug="sam-altman").count()
    for phrase in ("缩小范围", "筛选（1）", "只看关键时刻", "全部清除", f"{altman} 条", "萨姆·奥特曼"):
        assert phrase in text


def test_language_from_accept_language_without_a_cookie(client):
    item = Item.objects.published().chronological().first()
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
    assert escape(item.title_zh) in response.content.decode()
    assert response.cookies == {} and "Cookie" not in response["Vary"]


def test_the_lang_parameter_wins_over_accept_language(client):
    item = Item.objects.published().chronological().first()
    body = client.get("/", {"lang": "en"}, HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert escape(item.title_en) in body
    assert '<html lang="en">' in body


def test_the_language_switcher_keeps_the_filters(client):
    body = client.get("/", {"person": "sam-altman"}).content.decode()
    assert 'href="/?person=sam-altman&amp;lang=zh" hreflang="zh-Hans"' in body


def test_item_permalinks_on_the_timeline(client):
    """#item-<id> anchors on the list and /items/<id>/ links."""
    first = Item.objects.published().chronological().first()
    body = client.get("/").content.decode()
    assert f'<li id="item-{first.slug}"' in body and f'href="/items/{first.slug}/"' in body


def test_the_query_count_is_the_same_for_every_page_and_filter(client, django_assert_num_queries):
    """No N+1: the page costs the same number of queries with 12 items or 3, filtered or not. A
    search reads its answer's item versions no more: it depends on every item's text, so it is
    stored without them (``PublicResponseCacheMiddleware.store``); instead it finds the ids that
    match once (one query), which become a mask of the facet index (``timeline.facet_index``).
    (Inside the test's transaction the index is built for each request: five more queries each.)"""
    with CaptureQueriesContext(connection) as baseline:
        client.get("/")
    urls = {
        "/?page=2": 0,
        "/?person=sam-altman&tag=safety": 0,
        "/?kind=quote&from=2023": 0,
        "/?lang=zh&importance=3": 0,
        "/?q=奥特曼&era=board-crisis": 1 - 1,
        "/?q=altman": 1 - 1,
        "/?q=ai": 1 - 1,  # a term too short for the trigram index
    }
    for url, extra in urls.items():
        cache.clear()
        with django_assert_num_queries(len(baseline) + extra):
            response = client.get(url)
        assert page_slugs(response), url


def test_cached_facets_save_their_queries_for_the_next_reader(client, settings):
    """Without the facet index (its SQL fallback): nine facet queries (eight facets and the axis),
    the axis marks' ids and the rendered axis (its marks' rows) are shared by every reader of the
    same filters (and every page of them)."""
    settings.TIMELINE_FACET_INDEX = False
    with CaptureQueriesContext(connection) as cold:
        client.get("/?person=sam-altman")
    with CaptureQueriesContext(connection) as warm:
        client.get("/?person=sam-altman&page=2")
    assert len(cold) - len(warm) == 11


def test_facet_cache_notices_new_items_at_once(client):
    """The structure version is part of the cache key: a new item changes the counts immediately."""
    before = Item.objects.published().filter(kind="quote").count()
    assert f"Quote ({before})" in text_of(client.get("/"))
    make_item(slug="late-quote-event", date="2025-08", importance=1)  # an event: the event count moves
    events = Item.objects.published().filter(kind="event").count()
    assert f"Event ({events})" in text_of(client.get("/"))


def test_print_view_lists_every_filtered_item_with_its_sources(client):
    response = client.get("/print/", {"person": "sam-altman"})
    expected = chronological_slugs(Item.objects.published().filter(people__slug="sam-altman"))
    assert page_slugs(response) == expected
    assert "¶" in response.content.decode()


def test_the_page_links_to_the_print_view_with_the_same_filters(client):
    body = client.get("/", {"person": "sam-altman"}).content.decode()
    assert 'href="/print/?person=sam-altman"' in body


def test_a_scrolled_in_page_renders_on_a_cold_cache_and_marks_the_search(client):
    """Continuous scrolling asks for the next page with ``HX-Target: later``. Rendered before any full
    page warmed the item-card cache, it once failed (the cards read ``values.q``); it must answer 200
    and mark the search terms like the first page does."""
    from django.core.cache import cache

    cache.clear()
    response = client.get("/", {"page": "2", "q": "altman"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="later")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body and page_slugs(response)
    assert "<mark>" in body.lower() or "<mark " in body.lower()


def test_a_new_filter_combination_reuses_the_facets_an_earlier_one_shares(client, monkeypatch, settings):
    """Without the facet index (its SQL fallback): ``person=b&era=e`` counts people under ``era=e``
    exactly as ``person=a&era=e`` did: that facet comes from the cache, the others are computed; the
    counts are those computed without any cache."""
    settings.TIMELINE_FACET_INDEX = False
    from django.http import QueryDict

    from timeline.filters import FilterForm

    computed = []
    count_facet = FilterForm._count_facet
    monkeypatch.setattr(FilterForm, "_count_facet",
                        lambda self, base, param: computed.append(param) or count_facet(self, base, param))
    era = "board-crisis"
    people = list(Item.objects.published().filter(era__slug=era).values_list("people__slug", flat=True).distinct())
    a, b = [slug for slug in people if slug][:2]
    client.get(f"/?person={a}&era={era}")
    assert "person" in computed and "era" in computed
    computed.clear()
    response = client.get(f"/?person={b}&era={era}")
    assert "person" not in computed and "era" in computed and "dates" in computed
    form = FilterForm(QueryDict(f"person={b}&era={era}"))
    assert form.value("person") == [b] and form.value("era") == [era]
    fresh = form.raw_facets(Item.objects.published())
    assert form.facet_counts(Item.objects.published()) == fresh
    # The number of matches is read from the kind facet: it is the exact count.
    assert response.context["count"] == form.apply(Item.objects.published()).count() > 0


def test_the_cached_list_of_a_page_follows_every_write(client):
    """Which items a filter set lists is kept per structure version (``FilterForm.cached``), their
    rows are read by id: a retitled item shows its new title, an unpublished one leaves the page, a
    new one joins it, each on the next request, with the cached answers of the page in place."""
    url = "/?person=sam-altman"
    client.cookies["render"] = "1"  # past the response cache: every request renders
    first = client.get(url)
    slugs = page_slugs(first)
    assert len(slugs) >= 2
    Item.objects.filter(slug=slugs[0]).update(title_en="A title no page has shown yet")
    assert "A title no page has shown yet" in text_of(client.get(url))
    Item.objects.filter(slug=slugs[1]).update(status="draft")
    after = page_slugs(client.get(url))
    assert slugs[1] not in after and slugs[0] in after
    assert client.get(url).context["count"] == first.context["count"] - 1
    earliest = Item.objects.published().chronological().first()
    new = make_item(slug="earliest-of-all", date=f"{earliest.date_start.year - 1}", importance=1)
    new.people.add(*Item.objects.get(slug=slugs[0]).people.filter(slug="sam-altman"))
    assert page_slugs(client.get(url))[0] == "earliest-of-all"


def test_the_kept_axis_shows_a_retitled_key_moment_at_once(client):
    """The rendered axis is kept per filter set, version and the versions of the marks it draws: a
    key moment's new title is in its mark on the next render, and a new key moment gets a mark."""
    client.cookies["render"] = "1"  # past the response cache: every request renders

    def axis_of(response) -> str:
        body = response.content.decode()
        return body[body.index("<svg"):body.index("</svg>")]

    first = axis_of(client.get("/"))
    key = Item.objects.published().filter(importance=3).chronological().first()
    assert f'data-item="{key.slug}"' in first
    Item.objects.filter(pk=key.pk).update(title_en="A retitled key moment")
    assert "A retitled key moment" in axis_of(client.get("/"))
    make_item(slug="a-new-key-moment", date="2024-03", importance=3)
    assert 'data-item="a-new-key-moment"' in axis_of(client.get("/"))


def test_cached_cards_spare_the_related_rows_and_show_the_same_page(client):
    """A page whose cards are all cached does not fetch their people, topics or citations; it shows
    exactly what the first render showed, and an edited item's card is rendered anew (with them)."""
    client.cookies["render"] = "1"  # past the response cache: every request renders
    first = client.get("/").content
    with CaptureQueriesContext(connection) as again:
        second = client.get("/").content
    assert second == first
    def related(queries):  # the cards' people, organisations and citations (``card_relations``): not the
        # facet index's item-to-value pairs nor the filter's choices, which the test's transaction makes
        # each request read
        return [q for q in queries
                if (q["sql"].startswith(('SELECT "timeline_item_people"."item_id"',
                                         'SELECT "timeline_item_organizations"."item_id"'))
                    and '"timeline_entity"."slug"' in q["sql"])
                or '"timeline_passage"."ordinal"' in q["sql"]]

    assert not related(again.captured_queries)
    slug = page_slugs(client.get("/"))[0]
    Item.objects.filter(slug=slug).update(summary_en="A summary written after the card was stored.")
    with CaptureQueriesContext(connection) as edited:
        body = text_of(client.get("/"))
    assert "A summary written after the card was stored." in body
    assert related(edited.captured_queries)


@pytest.mark.parametrize("query", ["", "lang=zh", "from=2023&to=2024&lang=zh", "q=altman&lang=en"])
def test_the_axis_marks_are_the_markup_the_template_loop_wrote(client, query):
    """``{% axis_marks %}`` writes the marks in Python: byte for byte what the template loop it
    replaced wrote (escaping, numbers as SVG writes them, the page's ?lang= on each link); and marks
    read as plain values (``mark_items``) draw exactly what the items themselves draw."""
    from django.template import Context, Template
    from django.test import RequestFactory

    from timeline import axis as axis_module
    from timeline.filters import FilterForm
    from timeline.views.pages import (
        axis_mark_ids,
        chronology_context,
        mark_items,
        prime_dates,
        published_in_order,
    )

    request = RequestFactory().get("/?" + query)
    request.lang_param = request.GET.get("lang", "")
    form = FilterForm(request.GET)
    context = chronology_context(form)
    raw = form.facet_counts(Item.objects.published())
    ids = axis_mark_ids(form, Item.objects.published(), raw["dates"], version=form.facet_version())
    marks = prime_dates(published_in_order([(pk, None) for pk in ids]))
    built = axis_module.build(raw["dates"], window=form.window, eras=list(form.choices.eras.values()),
                              era_urls={}, marks=marks, language=context["language"])
    assert built.marks  # something to compare
    from_values = axis_module.build(raw["dates"], window=form.window, eras=list(form.choices.eras.values()),
                                    era_urls={}, marks=mark_items(ids), language=context["language"])
    assert from_values.marks == built.marks
    loop = Template(
        "{% load l10n timeline %}{% localize off %}{% for m in axis.marks %}<a href=\"{% keep_lang m.url %}\" data-item=\"{{ m.slug }}\" "
        "tabindex=\"{% if forloop.first %}0{% else %}-1{% endif %}\"><rect class=\"mark{% if m.key %} key{% endif %}\" x=\"{{ m.x }}\" y=\"{{ m.y }}\" "
        "width=\"{{ m.width }}\" height=\"5\"/><title>{{ m.date_label }}: {{ m.title }}</title></a>{% endfor %}{% endlocalize %}"
    )
    tag = Template("{% load timeline %}{% axis_marks axis.marks %}")
    values = Context({"axis": built, "request": request})
    assert tag.render(values) == loop.render(values)


@pytest.mark.parametrize("query", ["", "lang=zh", "person=sam-altman&era=board-crisis", "tag=safety&kind=quote&lang=zh",
                                   "source=netease-openai-idealists&person=nobody"])
def test_the_facet_options_are_the_markup_the_template_loop_wrote(client, query):
    """``{% facet_options %}`` writes a facet's checkboxes in Python: byte for byte what the template
    loop it replaced wrote (escaping, the checked values, localized counts, the loop's whitespace)."""
    from django.template import Context, Template
    from django.test import RequestFactory
    from django.utils import translation

    from timeline.filters import FilterForm
    from timeline.views.pages import FACET_LIMIT, facet_titles

    request = RequestFactory().get("/?" + query)
    form = FilterForm(request.GET)
    language = "zh" if "lang=zh" in query else "en"
    with translation.override("zh-hans" if language == "zh" else "en"):
        facets = form.shown_facets(form.facet_counts(Item.objects.published()), language, FACET_LIMIT)
        loop = Template(
            "{% for v in options %}\n            <li><label><input type=\"checkbox\" name=\"{{ param }}\" "
            "value=\"{{ v.value }}\" id=\"f-{{ param }}-{{ v.value }}\"{% if v.selected %} checked{% endif %}>"
            "{{ v.label }} <span class=\"count\">({{ v.count }})</span></label></li>\n            {% endfor %}"
        )
        tag = Template("{% load timeline %}{% facet_options param options %}")
        compared = 0
        for param, _title in facet_titles():
            options, _hidden = facets[param]
            values = Context({"param": param, "options": options})
            assert tag.render(values) == loop.render(values), param
            compared += len(options)
    assert compared  # something to compare
    if "person=sam-altman" in query:
        assert 'value="sam-altman" id="f-person-sam-altman" checked>' in tag.render(
            Context({"param": "person", "options": facets["person"][0]}))


# The loops of ``timeline/_axis.html`` that ``{% axis_bands %}``, ``{% axis_unit_bands %}``,
# ``{% axis_columns %}``, ``{% axis_lane_spans %}``, ``{% axis_ticks %}``, ``{% axis_table_columns %}`` and
# ``{% axis_table_spans %}`` replaced, word for word, each paired with its tag.
AXIS_LOOPS = [
    ('{% localize off %}{% for band in axis.bands %}<rect class="era-bg c{{ band.colour }}" x="{{ band.x }}" y="0" '
     'width="{{ band.width }}" height="{{ axis.plot_height }}"/>{% endfor %}{% endlocalize %}',
     '{% localize off %}{% axis_bands axis "era-bg" %}{% endlocalize %}'),
    ('{% localize off %}{% for s in axis.unit_spans %}<rect class="unit-band" x="{{ s.x }}" y="0" width="{{ s.width }}" '
     'height="{{ axis.plot_height }}"><title>{{ s.label }}: {% blocktranslate count counter=s.count %}{{ counter }} item'
     '{% plural %}{{ counter }} items{% endblocktranslate %}</title></rect>{% endfor %}{% endlocalize %}',
     '{% localize off %}{% axis_unit_bands axis %}{% endlocalize %}'),
    ('{% localize off %}{% for c in axis.columns %}{% if c.count %}<rect class="all" x="{{ c.x }}" y="{{ c.y }}" '
     'width="{{ c.width }}" height="{{ c.height }}"/>{% if c.key_count %}<rect class="keys" x="{{ c.x }}" '
     'y="{{ c.key_y }}" width="{{ c.width }}" height="{{ c.key_height }}"/>{% endif %}{% endif %}{% endfor %}'
     '{% endlocalize %}',
     '{% localize off %}{% axis_columns axis %}{% endlocalize %}'),
    ('{% localize off %}{% for s in axis.lane_spans %}<rect class="span{% if s.open_start or s.open_end %} open'
     '{% endif %}" x="{{ s.x }}" y="{{ s.y }}" width="{{ s.width }}" height="{{ axis.lane_height }}"{% if s.soft_start and s.soft_end %} '
     'fill="url(#soft-lr)"{% elif s.soft_start %} fill="url(#soft-l)"{% elif s.soft_end %} fill="url(#soft-r)"'
     '{% endif %}><title>{{ s.label }} ({% if s.open_start or s.open_end %}{% translate "runs past the axis" %}'
     '{% elif s.soft_start or s.soft_end %}{% translate "approximate" %}{% else %}{% translate "somewhere in this range" %}'
     '{% endif %}): {% blocktranslate count counter=s.count %}{{ counter }} item{% plural %}'
     '{{ counter }} items{% endblocktranslate %}</title></rect>{% endfor %}{% endlocalize %}',
     '{% localize off %}{% axis_lane_spans axis %}{% endlocalize %}'),
    ('{% localize off %}{% for band in axis.bands %}<rect class="era-strip c{{ band.colour }}" x="{{ band.x }}" '
     'y="{{ axis.band_y }}" width="{{ band.width }}" height="{{ axis.band }}"/>{% endfor %}{% endlocalize %}',
     '{% localize off %}{% axis_bands axis "era-strip" %}{% endlocalize %}'),
    ('{% for link in axis_links.columns %}<li{% if link.shown %} class="{{ link.shown }}"{% endif %}><a href="'
     '{{ chronology_url }}{{ link.url }}"{% if not link.overlap %} '
     'class="none"{% endif %} title="{{ link.label }}: {% blocktranslate count counter=link.overlap %}{{ counter }} item'
     '{% plural %}{{ counter }} items{% endblocktranslate %}{% if link.within != link.overlap %} · {% blocktranslate '
     'with n=link.within %}{{ n }} within the period{% endblocktranslate %}{% endif %}" data-label="{{ link.label }}">'
     '{{ link.tick }}</a></li>{% endfor %}',
     '{% axis_ticks axis_links.columns chronology_url %}'),
    ('{% for link in axis_links.columns %}{% if link.count %}<tr><th scope="row"><a href="{{ chronology_url }}'
     '{{ link.url }}">{{ link.label }}</a></th><td>{{ link.count }}</td><td>{{ link.key_count }}</td></tr>{% endif %}'
     '{% endfor %}',
     '{% axis_table_columns axis_links.columns chronology_url %}'),
    ('{% for s in axis.spans %}<tr><th scope="row">{{ s.label }}{% if not s.unit %} <span class="count">('
     '{% if s.open_start or s.open_end %}{% translate "runs past the axis" %}{% elif s.soft_start or s.soft_end %}'
     '{% translate "approximate" %}{% else %}{% translate "somewhere in this range" %}{% endif %})</span>{% endif %}'
     '</th><td>{{ s.count }}</td><td>{{ s.key_count }}</td></tr>{% endfor %}',
     '{% axis_table_spans axis.spans %}'),
]


@pytest.mark.parametrize("query", ["", "lang=zh", "from=2023&to=2024&lang=zh", "from=2023-11&to=2023-11",
                                   "from=2023-11-01&to=2023-12-15&lang=zh", "q=altman", "person=sam-altman&kind=event",
                                   "tag=safety&lang=zh", "from=2010&to=2016"])
def test_the_axis_tags_write_the_markup_of_the_template_loops(client, query):
    """Each axis tag writes in Python byte for byte what the template loop it replaced wrote (escaping,
    SVG numbers unlocalized, counts localized where the loop did, the loops' translations in English
    and Chinese), on the axes of the shipped data at every zoom: years, months and days."""
    from django.template import Context, Template
    from django.test import RequestFactory
    from django.urls import reverse
    from django.utils import translation

    from timeline import axis as axis_module
    from timeline.filters import FilterForm
    from timeline.views.pages import axis_links

    request = RequestFactory().get("/?" + query)
    request.lang_param = request.GET.get("lang", "")
    form = FilterForm(request.GET)
    language = "zh" if "lang=zh" in query else "en"
    with translation.override("zh-hans" if language == "zh" else "en"):
        raw = form.facet_counts(Item.objects.published())
        eras = list(form.choices.eras.values())
        built = axis_module.build(raw["dates"], window=form.window, eras=eras,
                                  era_urls={era.slug: form.querystring(era=[era.slug]) for era in eras},
                                  language=language)
        assert built is not None and built.columns and built.bands
        values = Context({"axis": built, "axis_links": axis_links(form, built),
                          "chronology_url": reverse("timeline:chronology"), "request": request})
        written = 0
        for loop, tag in AXIS_LOOPS:
            expected = Template("{% load i18n l10n timeline %}" + loop).render(values)
            assert Template("{% load i18n l10n timeline %}" + tag).render(values) == expected, tag
            written += len(expected)
        assert written > 1000  # something to compare
        if not form.window[0]:
            assert built.spans  # the shipped chronology's whole axis has items dated by a range


def test_the_axis_tags_escape_what_they_write():
    """Labels, ticks and links reach the page escaped, as the template escaped them."""
    import datetime

    from django.template import Context, Template

    from timeline import axis as axis_module
    from timeline.views.pages import AxisLink

    evil = '<script>alert("x")</script>&'
    column = axis_module.Column(0, datetime.date(2020, 1, 1), datetime.date(2020, 12, 31), "2020", evil, evil, 2, 1,
                                0, 10, 5, 5, 8, 2)
    span = axis_module.Span(3, 1, 0, 0, True, False, False, False, evil, lane=0, x=1.5, width=3.25, y=4)
    built = axis_module.Axis("year", datetime.date(2020, 1, 1), datetime.date(2020, 12, 31), [column], [span], [])
    links = [AxisLink(evil, evil, '?from="2020"&to=2020', 2, 1)]
    html = Template("{% load timeline %}{% axis_lane_spans axis %}{% axis_ticks links url %}"
                    "{% axis_table_columns links url %}{% axis_table_spans axis.spans %}").render(
        Context({"axis": built, "links": links, "url": '/"x'}))
    assert "<script>" not in html
    assert html.count("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;") == 6
    assert 'href="/&quot;x?from=&quot;2020&quot;&amp;to=2020"' in html


# A form sent without JavaScript names every field, empty ones too.
FORM_SENT = "q=&lang=en&from=&to=&importance=3&era=chatgpt&person=sam-altman"


def test_a_form_sent_without_javascript_is_redirected_to_its_canonical_address(client):
    """The address of the same filters without the empty fields, in canonical order: the one the htmx
    request of the same form is told to show (HX-Push-Url), listing the same items; it answers 200."""
    response = client.get(f"/?{FORM_SENT}")
    assert response.status_code == 302
    assert response["Location"] == "/?era=chatgpt&person=sam-altman&importance=3&lang=en"
    fragment = client.get(f"/?{FORM_SENT}", headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and fragment["HX-Push-Url"] == response["Location"]
    canonical = client.get(response["Location"])
    assert canonical.status_code == 200
    assert page_slugs(canonical) == page_slugs(fragment) != []
    assert client.head(f"/?{FORM_SENT}")["Location"] == response["Location"]


@pytest.mark.parametrize(
    "query,location",
    [
        ("q=&from=&to=", "/"),
        ("q=+&lang=zh", "/?lang=zh"),  # a search of spaces is no search
        ("q=%E5%A5%A5%E7%89%B9%E6%9B%BC&from=2023&to=", "/?q=%E5%A5%A5%E7%89%B9%E6%9B%BC&from=2023"),
        ("page=2&q=&from=", "/?page=2"),
        ("from=&utm_source=feed", "/"),  # what the page ignores is left out too
    ],
)
def test_empty_parameters_are_left_out_by_a_redirect(client, query, location):
    response = client.get(f"/?{query}")
    assert (response.status_code, response["Location"]) == (302, location)
    assert client.get(location).status_code == 200  # no second redirect


@pytest.mark.parametrize("query", ["", "era=chatgpt&lang=en", "lang=en&era=chatgpt", "utm_source=feed"])
def test_an_address_without_empty_parameters_is_answered_as_it_is(client, query):
    assert client.get(f"/?{query}").status_code == 200


def test_a_malformed_filter_keeps_its_notice_instead_of_a_redirect(client):
    response = client.get("/?q=&from=abc&to=&person=nobody")
    assert response.status_code == 200
    text = text_of(response)
    assert "Unknown person “nobody” was ignored." in text
    assert "“from” was ignored: It is not a year or a date" in text


def test_htmx_requests_with_empty_fields_are_answered_not_redirected(client):
    for headers in ({"HX-Request": "true"}, {"HX-Request": "true", "HX-History-Restore-Request": "true"}):
        response = client.get(f"/?{FORM_SENT}", headers=headers)
        assert response.status_code == 200 and page_slugs(response)


@pytest.mark.django_db(transaction=True)
def test_a_search_text_blanked_after_the_check_is_filled_on_the_next_read(live_data, client):
    """The chronology checks for rows without search text once per pair of versions (committed
    writes, as in production): a row blanked afterwards (a write path that forgot the refresh) bumps
    the items version, so the next read checks again, fills it and the search finds the item."""
    item = Item.objects.published().order_by("pk").first()
    word = "zebracorn"
    Item.objects.filter(pk=item.pk).update(title_en=f"{item.title_en} {word}")
    refresh_search_text([item])
    assert item.slug in page_slugs(client.get(f"/?q={word}"))
    with CaptureQueriesContext(connection) as repeat:
        client.get("/?kind=quote")
    blank = [query["sql"] for query in repeat.captured_queries if re.search(r'"search_text" = \'\'', query["sql"])]
    assert not blank  # the check was remembered
    Item.objects.filter(pk=item.pk).update(search_text="")
    assert item.slug in page_slugs(client.get(f"/?q={word}&lang=zh"))
    assert word in Item.objects.get(pk=item.pk).search_text


def test_the_facet_options_escape_hostile_labels_and_values_as_the_template_loop_did():
    """Labels and values from sources (untrusted) go through the tag's direct escaping: the same bytes
    as the template loop's autoescaping, quotes and ampersands included; safe and lazy strings and
    counts of other types take the general path."""
    from django.template import Context, Template
    from django.utils.functional import lazy
    from django.utils.safestring import mark_safe

    from timeline.filters import FacetValue

    loop = Template(
        "{% for v in options %}\n            <li><label><input type=\"checkbox\" name=\"{{ param }}\" "
        "value=\"{{ v.value }}\" id=\"f-{{ param }}-{{ v.value }}\"{% if v.selected %} checked{% endif %}>"
        "{{ v.label }} <span class=\"count\">({{ v.count }})</span></label></li>\n            {% endfor %}"
    )
    tag = Template("{% load timeline %}{% facet_options param options %}")
    options = [
        FacetValue('x"><script>alert(1)</script>', "<img src=x onerror=alert('1')>&amp;", 3, True),
        FacetValue("o'k", mark_safe("<b>safe</b>"), 2**40, False),
        FacetValue("lazy", lazy(lambda: "<i>lazy</i>", str)(), True, False),
    ]
    values = Context({"param": 'p"q', "options": options})
    html = tag.render(values)
    assert html == loop.render(values)
    assert "<script>" not in html and "<img" not in html
    assert "&lt;img src=x onerror=alert(&#x27;1&#x27;)&gt;&amp;amp;" in html


def test_the_title_and_the_empty_state_say_the_filters_once_in_each_language(client):
    """A search's label carries its quotes once ("Remove “term”", not doubled); the title's filters are
    separated by the language's comma (Chinese "，")."""
    empty = client.get("/", {"q": "zzzqqq", "person": "sam-altman"}).content.decode()
    assert "Remove “zzzqqq”" in empty and "““" not in empty
    assert "Remove “Sam Altman”" in empty
    title = re.search(r"<title>(.*?)</title>", client.get("/", {"lang": "zh", "from": "2023-11", "to": "2024"}).content.decode(), re.S)
    assert title.group(1).strip().startswith("自 2023年11月，至 2024年 · ")


@pytest.mark.parametrize("index", [True, False])
def test_the_date_fields_placeholders_are_the_chronologys_first_and_last_year(client, settings, index):
    """The From and To fields suggested 2015 and 2025 while the chronology starts in 2005: their
    placeholders are the first and the last year of the published items, whatever the filters, with
    the facet index and without it (SQL), and follow the data."""
    settings.TIMELINE_FACET_INDEX = index
    published = Item.objects.published()
    first = min(published.values_list("date_start", flat=True)).year
    last = max(published.values_list("date_end", flat=True)).year
    assert first == 2005  # the shipped prelude

    def placeholders(query):
        body = client.get("/" + query).content.decode()
        return (re.search(r'<input id="from"[^>]* placeholder="(\d+)"', body)[1],
                re.search(r'<input id="to"[^>]* placeholder="(\d+)"', body)[1])

    assert placeholders("") == (str(first), str(last))
    assert placeholders("?era=board-crisis&from=2023") == (str(first), str(last))
    make_item(slug="far-ahead", date="2031-05-02")
    make_item(slug="far-back", date="1998", status="draft")  # unpublished: not the chronology's start
    assert placeholders("?lang=zh") == (str(first), "2031")
