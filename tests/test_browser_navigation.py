"""Reading the chronology in headless Chromium: continuous scrolling to the last item (and "Later"
pages without JavaScript), the time axis as navigation (drag and keyboard selection, zoom to months
and days, marks that jump to their item), the phone's first screen, focus and announcements after an
update, and the speaker filter.

The database is read before Playwright starts (its event loop makes Django refuse ORM calls).
"""

import itertools
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.factories import make_item
from tests.test_browser_chronology import answered
from timeline.filters import PAGE_SIZE
from timeline.models import Item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KEEP_PAGES = 6  # static/timeline/chronology.js keeps this many pages of items in the document


def chronological(queryset=None) -> list[str]:
    return list((queryset or Item.objects.published()).chronological().values_list("slug", flat=True))


def query(page) -> dict:
    return parse_qs(urlsplit(page.url).query)


def shown(page) -> list[str]:
    """The items in the document, read at one moment (in one evaluation): read one by one, as nth
    locators, a page put back meanwhile shifted the later ones, and the list mixed two states."""
    return page.evaluate("() => [...document.querySelectorAll('#stream li.item')].map(item => item.id.slice(5))")


def open_page(chromium, live_server, path="/", *, width=1280, height=800, javascript=True):
    context = chromium.new_context(viewport={"width": width, "height": height}, java_script_enabled=javascript)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(live_server.url + path)
    if javascript:
        # htmx and chronology.js run after the load event (static/timeline/enhance.js); chronology.js
        # marks the document "continuous" once it has set the page up.
        page.wait_for_function("() => document.documentElement.classList.contains('continuous')")
    return page


def test_scrolling_reaches_the_last_item_and_keeps_the_document_small(live_server, live_data, chromium):
    slugs = chronological()
    page = open_page(chromium, live_server)
    page.evaluate("window.__marker = 1")
    for _ in range(60):
        if page.locator(f"#item-{slugs[-1]}").count():
            break
        page.mouse.wheel(0, 4000)
        page.wait_for_timeout(150)
    assert page.locator(f"#item-{slugs[-1]}").count() == 1
    assert page.evaluate("window.__marker") == 1, "the page was reloaded instead of extended"
    kept = shown(page)
    # The pages far above were dropped again; what is left is the end of the chronology, in order.
    assert kept == slugs[-len(kept):]
    assert len(kept) <= KEEP_PAGES * PAGE_SIZE
    assert page.locator("#later a[rel=next]").count() == 0
    # The axis (sticky on wide screens) marks where in time the items on screen are.
    assert float(page.locator("#axis rect.seen").get_attribute("width")) > 0
    # The address names the page being read, and "Earlier" leads back to the dropped pages.
    assert int(query(page)["page"][0]) > 1
    assert page.locator(".earlier a").get_attribute("href").startswith("/?page=")


ON_SCREEN = """() => [...document.querySelectorAll('#stream li.item')].filter(item => {
    const box = item.getBoundingClientRect();
    return box.bottom > 0 && box.top < innerHeight;
}).map(item => [item.id.slice(5), Number(item.closest('[data-page]').dataset.page)])"""


def scroll_to_the_end(page, last):
    for _ in range(60):
        if page.locator(f"#item-{last}").count():
            break
        page.mouse.wheel(0, 4000)
        page.wait_for_timeout(150)
    page.locator(f"#item-{last}").scroll_into_view_if_needed()
    page.wait_for_timeout(300)


@pytest.mark.parametrize("width,height", [(1280, 800), (360, 740)])
def test_scrolling_back_up_brings_the_dropped_pages_back(live_server, live_data, chromium, width, height):
    """After reading to the end, reading back up with the wheel shows every item again, in order: the
    pages dropped above come back before they are on screen (never a blank screen), the pages far
    below are dropped in turn (the document stays small), and the address follows the page read."""
    slugs = chronological()
    page = open_page(chromium, live_server, width=width, height=height)
    scroll_to_the_end(page, slugs[-1])
    assert int(query(page)["page"][0]) > KEEP_PAGES  # pages were dropped on the way down
    assert page.locator("#stream > .spacer").count() == 1
    # Nothing on screen moves as pages come back above and go below (scrolling is no layout shift).
    page.evaluate("""() => { window.__shifts = [];
        new PerformanceObserver(list => list.getEntries().forEach(shift => {
    if (shift.startTime >= (window.__since || 0)) window.__shifts.push(shift.value);
}))
            .observe({type: "layout-shift"}); }""")
    seen = set()
    for step in range(400):
        on_screen = one_stretch_on_screen(page, slugs, step)
        seen.update(slug for slug, _ in on_screen)
        pages = {number for _, number in on_screen}
        assert int(query(page).get("page", ["1"])[0]) in pages, (step, page.url, pages)
        if page.evaluate("scrollY") == 0 and not page.locator("#stream > .spacer.above").count():
            break
        page.mouse.wheel(0, -height * 0.8)
        page.wait_for_timeout(100)
    assert shown(page)[0] == slugs[0]
    assert "page" not in query(page)
    assert seen == set(slugs), sorted(set(slugs) - seen)[:5]
    shifts = page.evaluate("window.__shifts")
    print(f"{width}x{height}: {step} steps up, layout shifts {shifts}")
    assert sum(shifts) < 0.001, shifts
    # Reading down again brings back the pages dropped below, up to the end.
    scroll_to_the_end(page, slugs[-1])
    kept = shown(page)
    assert kept == slugs[-len(kept):] and len(kept) <= (KEEP_PAGES + 1) * PAGE_SIZE


def test_the_earlier_link_puts_back_the_page_above(live_server, live_data, chromium):
    """The link at the top of what is kept is named "Earlier" (in the page's language) and puts the
    page before back above the kept ones (not the list replaced by that page), the focus on its last item."""
    slugs = chronological()
    for path, name in [("/", "Earlier"), ("/?lang=zh", "更早")]:
        page = open_page(chromium, live_server, path)
        scroll_to_the_end(page, slugs[-1])
        page.evaluate("window.__marker = 1")
        link = page.locator("#stream > .spacer.above .earlier a")
        assert link.evaluate("a => a.textContent.replace('↑', '').trim()") == name
        assert page.get_by_role("link", name=name, exact=True).count() >= 1
        # Reaching it with the keyboard scrolls it into view, which may bring back the page above it.
        link.focus()
        page.wait_for_timeout(1000)
        before = shown(page)
        assert page.evaluate("document.activeElement.closest('.spacer') !== null")
        page.keyboard.press("Enter")
        page.wait_for_function(f"() => document.querySelector('#stream li.item').id !== 'item-{before[0]}'")
        page.wait_for_timeout(500)
        after = shown(page)
        start = slugs.index(after[0])
        assert start < slugs.index(before[0]) and after == slugs[start:start + len(after)]
        assert page.evaluate("window.__marker") == 1, "the link loaded another page"
        focused = page.evaluate("document.activeElement.closest('li.item')?.id")
        assert focused == f"item-{slugs[slugs.index(before[0]) - 1]}"
        page.context.close()


# Registered before any of the page's scripts: layout shifts from the load on, and where the first
# item was when the page had loaded (chronology.js runs after the load event: static/timeline/enhance.js).
WATCH = """window.__shifts = [];
new PerformanceObserver(list => list.getEntries().forEach(shift => {
    if (shift.startTime >= (window.__since || 0)) window.__shifts.push(shift.value);
}))
    .observe({type: "layout-shift", buffered: true});
addEventListener("load", () => {
    const item = document.querySelector("#stream li.item");
    window.__loaded = item && [item.id, item.getBoundingClientRect().top];
});"""


def pages_of(slugs) -> list[list[str]]:
    return [slugs[start:start + PAGE_SIZE] for start in range(0, len(slugs), PAGE_SIZE)]


def watched_page(chromium, width, height):
    context = chromium.new_context(viewport={"width": width, "height": height})
    context.add_init_script(WATCH)
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def continuous(page):
    page.wait_for_function("() => document.documentElement.classList.contains('continuous')")


def tick_a_facet(page, param, value):
    """Ticks a facet value as a reader would, at any width (on a phone, in the filter panel)."""
    wide = page.viewport_size["width"] >= 960
    if not wide:
        page.locator(".filter-toggle").click()
    details = page.locator("details.facet", has=page.locator(f"#f-{param}-{value}"))
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    page.locator(f"#f-{param}-{value}").click()
    page.wait_for_url(lambda url: f"{param}={value}" in url)
    answered(page)
    if not wide:
        page.locator(".show-results").click()


def one_stretch_on_screen(page, slugs, step):
    """What the document holds is one stretch of the chronology, in order, and bounded, and an item is
    on screen: returns the items on screen (slug, page)."""
    kept = shown(page)
    start = slugs.index(kept[0])
    assert kept == slugs[start:start + len(kept)], step
    assert len(kept) <= (KEEP_PAGES + 1) * PAGE_SIZE, step
    on_screen = page.evaluate(ON_SCREEN)
    assert on_screen, f"nothing on screen at step {step}, scrollY {page.evaluate('scrollY')}"
    return on_screen


def read_up_to_the_top(page, slugs, number, height):
    """Reads up with the wheel from page ``number`` to the top of the chronology; at every step an
    item is on screen, the document holds one stretch of the chronology in order (no item twice,
    none left out), no more than it keeps, and the address names a page on screen. Returns the pages
    read, from the top item on screen at each step."""
    pages = pages_of(slugs)
    tops = []
    for step in range(400):
        on_screen = one_stretch_on_screen(page, slugs, step)
        assert all(slug in pages[n - 1] for slug, n in on_screen), on_screen  # each on its own page
        tops.append(on_screen[0][1])
        assert int(query(page).get("page", ["1"])[0]) in {n for _, n in on_screen}, (step, page.url, on_screen)
        if page.evaluate("scrollY") == 0 and not page.locator("#stream > .spacer.above").count():
            break
        page.mouse.wheel(0, -height * 0.8)
        page.wait_for_timeout(100)
    assert shown(page)[0] == slugs[0]
    assert "page" not in query(page)
    return tops


@pytest.mark.parametrize("arrival,width,height", [("opened", 1280, 800), ("opened", 360, 740), ("back", 1280, 800), ("back", 360, 740)])
def test_a_page_opened_further_on_fills_in_the_pages_above_as_the_reader_scrolls_up(
        live_server, live_data, chromium, arrival, width, height):
    """Opened at ?page=N (a shared link, a reload, or Back onto the address continuous scrolling
    wrote), the page holds page N only: with JavaScript, pages N−1…1 come back above it one by one
    as the reader scrolls up, as after reading down (the reader's item does not move when the
    block standing for them is put in), up to the first item, with no layout shift."""
    slugs = chronological()
    page = watched_page(chromium, width, height)
    if arrival == "opened":
        number = 5
        page.goto(f"{live_server.url}/?page={number}")
        continuous(page)
        loaded_id, loaded_top = page.evaluate("window.__loaded")
        assert loaded_id == f"item-{pages_of(slugs)[number - 1][0]}"
        assert abs(page.locator(f"#{loaded_id}").evaluate("item => item.getBoundingClientRect().top") - loaded_top) < 1
    else:
        page.goto(live_server.url + "/")
        continuous(page)
        page.evaluate("window.__marker = 1")
        scroll_to_the_end(page, slugs[-1])
        number = int(query(page)["page"][0])
        assert number > KEEP_PAGES
        if width >= 960:
            tick_a_facet(page, "kind", "quote")  # the filter panel is at hand (sticky) at the end
        else:
            # On a phone the filters are at the top of the page: scrolling up to them, the address
            # would follow the pages read. The value is ticked where the reader is.
            page.locator("#f-kind-quote").evaluate("box => box.click()")
            page.wait_for_url(lambda url: query(page) == {"kind": ["quote"]})
            answered(page)
        # Shifts from Back on: an observer's entries come in a task after their frame, so one of the
        # update's own frames (before Back) could still come in after the list was emptied.
        page.evaluate("window.__since = performance.now(); window.__shifts = []")
        page.go_back()
        page.wait_for_url(lambda url: query(page) == {"page": [str(number)]})
        page.wait_for_function("() => document.querySelector('#stream > section[data-page]') !== null")
        assert page.evaluate("window.__marker") == 1, "Back reloaded the page"
    page.wait_for_selector("#stream > .spacer.above", state="attached")
    # The spacer's "Earlier" link stands in for the server's (which would replace the list).
    assert page.locator(".earlier a").count() == 1
    tops = read_up_to_the_top(page, slugs, number, height)
    assert all(later <= earlier for earlier, later in itertools.pairwise(tops)), tops
    assert set(range(1, number)) <= set(tops), tops
    shifts = page.evaluate("window.__shifts")
    print(f"{arrival} {width}x{height} at page {number}: {len(tops)} steps up, layout shifts {shifts}")
    assert sum(shifts) < 0.001, shifts


@pytest.mark.parametrize("width,height", [(1280, 800), (360, 740)])
def test_the_earlier_link_of_a_page_opened_further_on_puts_back_the_page_above(
        live_server, live_data, chromium, width, height):
    """On the last page opened by its address, "↑ Earlier" puts the page before back above it in
    place (the list is not replaced), the focus on its last item; without JavaScript it is a plain
    link to that page."""
    slugs = chronological()
    pages = pages_of(slugs)
    last = len(pages)
    page = open_page(chromium, live_server, f"/?page={last}", width=width, height=height)
    page.evaluate("window.__marker = 1")
    link = page.locator("#stream > .spacer.above .earlier a")
    link.wait_for()
    assert page.locator(".earlier a").count() == 1
    page.wait_for_timeout(500)  # the page above may already be coming back (it is within a screen)
    before = shown(page)
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => document.querySelector('#stream li.item').id !== 'item-{before[0]}'")
    page.wait_for_timeout(500)
    after = shown(page)
    start = slugs.index(after[0])
    assert start < slugs.index(before[0]) and after == slugs[start:start + len(after)]
    assert page.evaluate("window.__marker") == 1, "the link loaded another page"
    assert page.evaluate("document.activeElement.closest('li.item')?.id") == f"item-{slugs[slugs.index(before[0]) - 1]}"
    page.context.close()

    page = open_page(chromium, live_server, f"/?page={last}", width=width, height=height, javascript=False)
    assert shown(page) == pages[last - 1]
    page.locator(".earlier a[rel=prev]").click()
    page.wait_for_url(lambda url: query(page) == {"page": [str(last - 1)]})
    assert shown(page) == pages[last - 2]
    page.context.close()


@pytest.mark.parametrize("width,height", [(1280, 800), (360, 740)])
@pytest.mark.parametrize("start", ["end", "page 5"])
def test_home_takes_the_reader_to_the_real_top(live_server, live_data, chromium, start, width, height):
    """Home (from the end after reading down, or on a page opened at ?page=5) ends at the top of the
    document with the first page whole, although the pages put back take more or less room than
    the block kept for them."""
    slugs = chronological()
    if start == "end":
        page = open_page(chromium, live_server, width=width, height=height)
        scroll_to_the_end(page, slugs[-1])
    else:
        page = open_page(chromium, live_server, "/?page=5", width=width, height=height)
        page.wait_for_selector("#stream > .spacer.above", state="attached")
    assert page.evaluate("scrollY") > 0
    page.keyboard.press("Home")
    page.wait_for_function("() => !document.querySelector('#stream > .spacer.above')", timeout=20_000)
    page.wait_for_timeout(500)
    assert page.evaluate("scrollY") == 0
    kept = shown(page)
    assert kept[:PAGE_SIZE] == slugs[:PAGE_SIZE]
    assert page.locator(f"#item-{slugs[0]}").evaluate("item => item.getBoundingClientRect().top < innerHeight")
    assert "page" not in query(page)
    page.context.close()


def test_the_earlier_link_pressed_off_screen_does_not_undo_itself(live_server, live_data, chromium):
    """Enter on the spacer's "Earlier" link while it is off screen (it kept the focus as the reader
    read on) puts the page above back and takes the reader to its last item, which keeps the focus;
    that page stays (it was dropped again for the page on screen, which came back in its place)."""
    slugs = chronological()
    page = open_page(chromium, live_server)
    scroll_to_the_end(page, slugs[-1])
    before = shown(page)
    page.locator("#stream > .spacer.above .earlier a").evaluate("a => a.focus({preventScroll: true})")
    assert page.evaluate("document.activeElement.closest('.spacer') !== null")
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => document.querySelector('#stream li.item').id !== 'item-{before[0]}'")
    page.wait_for_timeout(1500)
    wanted = slugs[slugs.index(before[0]) - 1]
    kept = shown(page)
    assert wanted in kept, "the page put back was dropped again"
    start = slugs.index(kept[0])
    assert kept == slugs[start:start + len(kept)] and len(kept) <= (KEEP_PAGES + 1) * PAGE_SIZE
    assert page.evaluate("document.activeElement.closest('li.item')?.id") == f"item-{wanted}"
    assert wanted in {slug for slug, _ in page.evaluate(ON_SCREEN)}
    assert int(query(page).get("page", ["1"])[0]) in {n for _, n in page.evaluate(ON_SCREEN)}


def test_the_axis_band_follows_the_items_on_screen(live_server, live_data, chromium):
    """While the reader scrolls, the band on the axis covers the years of the items on screen: over
    the first item's year at the top, over the last item's year at the end, moving right on the way."""
    years = {item.slug: item.date_start.year for item in Item.objects.published()}
    slugs = chronological()
    page = open_page(chromium, live_server)
    first_year = int(page.locator("#axis").get_attribute("data-origin")[:4])
    columns = int(page.locator("#axis").get_attribute("data-columns"))
    plot = page.locator(".axis-plot").bounding_box()
    column = plot["width"] / columns

    def band() -> tuple[float, float]:
        page.wait_for_function("() => Number(document.querySelector('#axis rect.seen').getAttribute('width')) > 0")
        box = page.locator("#axis rect.seen").bounding_box()
        return box["x"] - plot["x"], box["x"] + box["width"] - plot["x"]

    def covers(span: tuple[float, float], year: int) -> bool:
        left, right = (year - first_year) * column, (year - first_year + 1) * column
        return span[0] < right + 1 and span[1] > left - 1

    on_top = band()
    top_item = shown(page)[0]
    assert covers(on_top, years[top_item]), (on_top, years[top_item])
    lefts = [on_top[0]]
    for _ in range(60):
        if page.locator(f"#item-{slugs[-1]}").count():
            break
        page.mouse.wheel(0, 4000)
        page.wait_for_timeout(150)
        lefts.append(band()[0])
    page.locator(f"#item-{slugs[-1]}").scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    at_the_end = band()
    assert covers(at_the_end, years[slugs[-1]]), (at_the_end, years[slugs[-1]])
    assert at_the_end[0] > on_top[0] + column  # it moved along the axis with the reading
    # Reading on never takes it back to earlier years (the items come in chronological order).
    assert all(later >= earlier - 1 for earlier, later in itertools.pairwise(lefts)), lefts


def test_the_axis_band_covers_the_whole_interval_of_an_item_on_screen(live_server, live_data, chromium):
    """An item dated by an interval (2005/2024-05) is placed on the axis over all of it, not only over
    the year it starts in (its <time datetime> holds the start; data-end its last day)."""
    item = min((item for item in Item.objects.published() if item.date.is_interval and item.date.end.year > item.date.start.year + 5),
               key=lambda item: item.date.sort_key)
    page = open_page(chromium, live_server)
    first_year = int(page.locator("#axis").get_attribute("data-origin")[:4])
    columns = int(page.locator("#axis").get_attribute("data-columns"))
    plot = page.locator(".axis-plot").bounding_box()
    assert page.locator(f"#item-{item.slug} time").get_attribute("data-end") == item.date.end.isoformat()
    page.locator(f"#item-{item.slug}").evaluate("item => item.scrollIntoView({block: 'center'})")
    page.wait_for_timeout(300)
    box = page.locator("#axis rect.seen").bounding_box()
    column = plot["width"] / columns
    assert box["x"] + box["width"] - plot["x"] > (item.date.end.year - first_year) * column, (item.date.edtf, box)


def test_sticky_era_and_year_headings_say_where_the_reader_is(live_server, live_data, chromium):
    """Scrolled through the chronology (across the pages continuous scrolling appends), what shows at
    the top of the viewport, under the sticky axis, is the era banner and the year heading of the item
    just below them."""
    page = open_page(chromium, live_server)
    checked, pages_seen = 0, set()
    for _ in range(16):
        page.mouse.wheel(0, 1100)
        page.wait_for_timeout(300)
        box = page.locator("#axis").bounding_box()
        assert abs(box["y"]) <= 1  # the axis is stuck at the top
        below = box["y"] + box["height"]
        found = page.evaluate("""below => {
            const stream = document.getElementById('stream').getBoundingClientRect();
            const x = stream.left + 40;
            const text = y => { const e = document.elementFromPoint(x, y); return e ? e.textContent.replace(/\\s+/g, ' ').trim() : null; };
            const yearTop = below + parseFloat(getComputedStyle(document.documentElement).fontSize) * 2.6;
            const band = document.elementFromPoint(x, below + 8).closest('.era-band');
            const year = document.elementFromPoint(x, yearTop + 8).closest('.year');
            // The item under the headings: the one that crosses the line just below the year heading.
            const line = yearTop + 40;
            const item = Array.from(document.querySelectorAll('#stream li.item')).find(li => {
                const r = li.getBoundingClientRect(); return r.top <= line && r.bottom >= line; });
            return {band: band && band.textContent.replace(/\\s+/g, ' ').trim(), year: year && year.textContent.trim(),
                    slug: item && item.id.slice(5), page: item && item.closest('section').dataset.page};
        }""", below)
        if not found["slug"]:
            continue  # a gap between items (or a year heading on its way up) crosses the line
        item = Item.objects.get(slug=found["slug"])
        assert found["band"] and found["band"].startswith(item.era.name_en), found
        assert found["year"] == str(item.date_start.year), found
        checked += 1
        pages_seen.add(found["page"])
    assert checked >= 8 and len(pages_seen) >= 3  # across the boundaries of appended pages


def test_later_pages_without_javascript(live_server, live_data, chromium):
    slugs = chronological()
    page = open_page(chromium, live_server, javascript=False)
    seen = shown(page)
    requests = 1
    while page.locator("#later a[rel=next]").count():
        page.locator("#later a[rel=next]").click()
        page.wait_for_load_state()
        seen += shown(page)
        requests += 1
    assert seen == slugs
    assert requests == -(-len(slugs) // PAGE_SIZE) <= 10


def test_keyboard_selection_on_the_axis_sets_from_and_to(live_server, live_data, chromium):
    page = open_page(chromium, live_server)
    handle = page.locator(".axis-handle")
    first_year = int(page.locator("#axis").get_attribute("data-origin")[:4])
    handle.focus()
    for _ in range(2023 - first_year):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Shift+ArrowRight")
    assert handle.get_attribute("aria-valuetext") == "2023 – 2024"
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "from=2023" in url)
    answered(page)
    assert query(page)["from"] == ["2023"] and query(page)["to"] == ["2024"]
    expected = Item.objects.published().filter(date_start__year__gte=2023, date_end__year__lte=2024)
    page.wait_for_selector(f"#item-{chronological(expected)[0]}")
    assert shown(page)[: expected.count()][:PAGE_SIZE] == chronological(expected)[:PAGE_SIZE]
    # Two years are shown by month.
    assert page.locator("#axis").get_attribute("data-zoom") == "month"


def test_dragging_on_the_axis_selects_months_then_days(live_server, live_data, chromium):
    make_item(slug="a-day-in-october", date="2023-10-02", importance=2)
    page = open_page(chromium, live_server, "/?from=2023&to=2023")
    assert page.locator("#axis").get_attribute("data-zoom") == "month"
    box = page.locator(".axis-plot").bounding_box()
    column = box["width"] / 12
    y = box["y"] + box["height"] / 2
    # Drag from October to December 2023.
    page.mouse.move(box["x"] + column * 9.5, y)
    page.mouse.down()
    page.mouse.move(box["x"] + column * 10.5, y, steps=4)
    page.mouse.move(box["x"] + column * 11.5, y, steps=4)
    page.mouse.up()
    page.wait_for_url(lambda url: "from=2023-10" in url)
    answered(page)
    assert query(page)["to"] == ["2023-12"]
    page.wait_for_function("() => document.querySelector('#axis').dataset.zoom === 'day'")
    expected = Item.objects.published().filter(date_start__gte="2023-10-01", date_end__lte="2023-12-31")
    assert shown(page)[: min(expected.count(), PAGE_SIZE)] == chronological(expected)[:PAGE_SIZE]
    # A day-zoomed axis draws each item as a mark; clicking one jumps to that item on the page.
    mark = page.locator("#axis a[data-item='a-day-in-october']")
    assert mark.get_attribute("href") == "/items/a-day-in-october/"
    mark.dispatch_event("click")
    page.wait_for_function("() => document.activeElement.closest('#item-a-day-in-october') !== null")
    assert urlsplit(page.url).path == "/"


def test_a_day_axis_marks_days_and_shades_the_month_known_only_to_the_month(live_server, live_data, chromium):
    """November 2023 by day: the shipped board-crisis items are dated to the month only (the sources
    give no day), so they are one band across the month, labelled as such, never a mark on a day; an
    item dated to a day (as an imported article may give) is a mark on its day that jumps to it."""
    make_item(slug="a-day-in-november", date="2023-11-17", importance=2)
    month_only = Item.objects.published().filter(date_edtf="2023-11").count()
    assert month_only >= 10
    page = open_page(chromium, live_server, "/?from=2023-11&to=2023-11")
    figure = page.locator("#axis")
    assert figure.get_attribute("data-zoom") == "day" and figure.get_attribute("data-columns") == "30"
    width = float(page.locator("#axis svg").evaluate("svg => svg.viewBox.baseVal.width"))
    band = page.locator("#axis rect.unit-band")
    assert band.count() == 1
    assert float(band.get_attribute("x")) == 0 and float(band.get_attribute("width")) == width
    assert band.locator("title").text_content() == f"November 2023 (day not known): {month_only} items"
    assert f"November 2023 (day not known): {month_only} items, shaded across it" in figure.inner_text()
    box, plot = band.bounding_box(), page.locator(".axis-plot").bounding_box()
    assert box["width"] >= plot["width"] - 2 and box["height"] > 20
    # The day item is the only mark, in the column of the 17th; no month-only item is drawn on a day.
    marks = page.locator("#axis a[data-item]")
    assert marks.count() == 1 and marks.get_attribute("data-item") == "a-day-in-november"
    x = float(marks.locator("rect").get_attribute("x"))
    assert 16 * width / 30 <= x < 17 * width / 30
    table = page.locator(".axis-table")
    table.locator("summary").click()
    row = table.locator("tr", has_text="November 2023 (day not known)")
    assert row.locator("td").first.inner_text() == str(month_only)
    marks.dispatch_event("click")
    page.wait_for_function("() => document.activeElement.closest('#item-a-day-in-november') !== null")


def test_axis_links_zoom_in_place_with_javascript(live_server, live_data, chromium):
    """With JavaScript the axis's column links (followed by one listener in chronology.js, not boosted
    one by one) update the results in place: no page load, the address and focus follow, the axis
    zooms to months then days, and Back returns to the years."""
    page = open_page(chromium, live_server)
    page.evaluate("() => { window.__stayed = true; }")
    page.locator(".axis-ticks a[href='/?from=2023&to=2023']").click()
    page.wait_for_url(lambda url: "from=2023&to=2023" in url)
    answered(page)
    assert page.locator("#axis").get_attribute("data-zoom") == "month"
    assert page.evaluate("() => document.activeElement.id") == "results-heading"
    page.locator(".axis-ticks a[href='/?from=2023-11&to=2023-11']").click()
    page.wait_for_url(lambda url: "from=2023-11" in url)
    answered(page)
    assert page.locator("#axis").get_attribute("data-zoom") == "day"
    assert page.evaluate("() => window.__stayed") is True  # updated in place, never reloaded
    page.go_back()
    page.wait_for_function("() => document.querySelector('#axis').dataset.zoom === 'month'")
    assert "from=2023&to=2023" in page.url


def test_axis_links_zoom_without_javascript(live_server, live_data, chromium):
    page = open_page(chromium, live_server, javascript=False)
    page.locator(".axis-ticks a[href='/?from=2023&to=2023']").click()
    page.wait_for_url(lambda url: "from=2023" in url)
    assert page.locator("#axis").get_attribute("data-zoom") == "month"
    page.locator(".axis-ticks a[href='/?from=2023-11&to=2023-11']").click()
    page.wait_for_url(lambda url: "from=2023-11" in url)
    assert page.locator("#axis").get_attribute("data-zoom") == "day"


def test_a_phone_sees_an_item_on_the_first_screen_and_filters_behind_a_button(live_server, live_data, chromium):
    first = chronological()[0]
    altman = Item.objects.published().filter(people__slug="sam-altman").count()
    page = open_page(chromium, live_server, width=360, height=740)
    top = page.locator(f"#item-{first} h4").bounding_box()
    assert top["y"] + top["height"] <= 740
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    toggle = page.locator(".filter-toggle")
    assert toggle.inner_text() == "Filters (0)"
    assert not page.locator("#f-person-sam-altman").is_visible()
    toggle.click()
    page.locator("summary", has_text="People").click()
    page.locator("#f-person-sam-altman").check()
    page.wait_for_url(lambda url: "person=sam-altman" in url)
    answered(page)
    show = page.locator(".show-results")
    page.wait_for_function(f"() => document.querySelector('.show-results').textContent.includes('{altman}')")
    # The panel stays open over the page while choosing; "Show N results" closes it.
    assert page.locator("#f-person-sam-altman").is_visible()
    assert show.inner_text() == f"Show {altman} results"
    show.click()
    assert not page.locator("#f-person-sam-altman").is_visible()
    assert page.locator(".filter-toggle").inner_text() == "Filters (1)"
    # Tap targets of the filter controls are at least 24 px high.
    for selector in (".filter-toggle", ".axis-ticks a", "#later a[rel=next]"):
        assert page.locator(selector).first.bounding_box()["height"] >= 24, selector


def test_focus_title_and_announcement_after_an_update(live_server, live_data, chromium):
    altman = Item.objects.published().filter(people__slug="sam-altman").count()
    page = open_page(chromium, live_server)
    page.locator("summary", has_text="People").click()
    page.locator("#f-person-sam-altman").check()
    page.wait_for_url(lambda url: "person=sam-altman" in url)
    answered(page)
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'results-heading'")
    # The title follows once the frame showing the new results has been presented (at most 0.25 s).
    page.wait_for_function("title => document.title === title", arg="Sam Altman · OpenAI: a sourced chronology")
    page.wait_for_function("() => document.getElementById('announce').textContent.length > 0")
    assert page.locator("#announce").inner_text().startswith(f"{altman} items")
    # The facet that was open stays open, and the ticked value stays where it was.
    assert page.locator("details.facet", has=page.locator("#f-person-sam-altman")).get_attribute("open") is not None


def test_the_language_links_keep_the_filters_after_an_update(live_server, live_data, chromium):
    """The header's English/中文 links name the address on screen: after a facet click they carry its
    filters, and following one shows the same filtered results in the other language (found by review:
    they kept the address the page was loaded at, so switching language dropped the new filter)."""
    altman = Item.objects.published().filter(people__slug="sam-altman").count()
    page = open_page(chromium, live_server)
    page.locator("summary", has_text="People").click()
    page.locator("#f-person-sam-altman").check()
    page.wait_for_url(lambda url: "person=sam-altman" in url)
    answered(page)
    page.wait_for_function("() => document.querySelector('a[hreflang=zh-Hans]').href.includes('person=sam-altman')")
    page.locator("a[hreflang=zh-Hans]").click()
    page.wait_for_url(lambda url: parse_qs(urlsplit(url).query) == {"person": ["sam-altman"], "lang": ["zh"]})
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert page.locator("#f-person-sam-altman").is_checked()
    assert page.locator("#results-heading").inner_text().startswith(f"{altman}")


def test_the_speaker_filter(live_server, live_data, chromium):
    said = chronological(Item.objects.published().filter(speaker__slug="ilya-sutskever"))
    page = open_page(chromium, live_server)
    page.locator("summary", has_text="Speakers").click()
    page.locator("#f-speaker-ilya-sutskever").check()
    page.wait_for_url(lambda url: "speaker=ilya-sutskever" in url)
    answered(page)
    page.wait_for_selector(f"#item-{said[0]}")
    assert shown(page) == said
    assert all(text.endswith("Ilya Sutskever") for text in page.locator("#stream .quote figcaption").all_inner_texts())


# Every Content-Security-Policy violation the page reports (securitypolicyviolation events, caught on
# every document the tab shows, also after a reload or a history restore).
CSP_LISTENER = """document.addEventListener("securitypolicyviolation", e => window.reportViolation(
    [e.violatedDirective, e.blockedURI, e.sourceFile + ":" + e.lineNumber, (e.sample || "").slice(0, 80)].join(" | ")));"""


@pytest.mark.parametrize("width,height", [(1280, 800), (360, 740)])
def test_no_csp_violation_while_filtering_scrolling_and_going_back(live_server, live_data, chromium, width, height):
    """The CSP allows no inline style: neither htmx (its indicator styles are off in htmx-config, and
    it copies a swapped element's attributes during settling) nor our script may set a style
    attribute, through filter changes, an axis selection, continuous scrolling past the pages that
    are dropped again, and Back/Forward."""
    last = chronological()[-1]
    context = chromium.new_context(viewport={"width": width, "height": height})
    violations = []
    context.expose_binding("reportViolation", lambda source, text: violations.append(text))
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(live_server.url + "/")
    page.wait_for_function("() => document.documentElement.classList.contains('continuous')")
    # Only the root carries a style (a custom property our script sets through the CSSOM).
    assert page.evaluate("document.querySelectorAll('style, body [style]').length") == 0
    # The listener works: a style attribute set from script is reported (and blocked).
    page.evaluate("document.querySelector('footer').setAttribute('style', 'color: red')")
    page.wait_for_function("() => document.querySelector('footer').style.color === '' ")
    page.wait_for_timeout(100)
    assert len(violations) == 1 and violations[0].startswith("style-src-attr")
    violations.clear()
    page.evaluate("document.querySelector('footer').removeAttribute('style')")
    wide = width >= 960

    def tick(param, value):
        if not wide and not page.locator(f"#f-{param}-{value}").is_visible():
            page.locator(".filter-toggle").click()
        details = page.locator("details.facet", has=page.locator(f"#f-{param}-{value}"))
        if details.get_attribute("open") is None:
            details.locator("summary").click()
        page.locator(f"#f-{param}-{value}").click()
        page.wait_for_url(lambda url: f"{param}={value}" in url)
        page.wait_for_function("() => document.querySelector('#results.htmx-settling, #results .htmx-request') === null")
        if not wide:
            page.locator(".show-results").click()

    # Scroll to the end: pages far above are dropped and replaced by a spacer of their height.
    for _ in range(60):
        if page.locator(f"#item-{last}").count():
            break
        page.mouse.wheel(0, 4000)
        page.wait_for_timeout(100)
    assert page.locator(f"#item-{last}").count() == 1 and page.locator("#stream > .spacer").count() == 1
    tick("kind", "quote")
    tick("person", "sam-altman")
    page.mouse.wheel(0, 3000)
    page.wait_for_timeout(300)
    # An axis selection by keyboard, then Back twice and Forward (history restores from the server).
    page.locator(".axis-handle").focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "from=" in url)
    page.go_back()
    page.wait_for_url(lambda url: "from=" not in url and "person=sam-altman" in url)
    page.wait_for_selector("#results")
    page.go_back()
    page.wait_for_url(lambda url: "person=" not in url)
    page.wait_for_selector("#results")
    page.go_forward()
    page.wait_for_url(lambda url: "person=sam-altman" in url)
    page.wait_for_selector("#results")
    page.mouse.wheel(0, 3000)
    page.wait_for_timeout(500)
    assert violations == []
    assert page.evaluate("document.querySelectorAll('style, [style]:not(html):not(.spacer):not(.axis-selection)').length") == 0
    context.close()


def test_the_axis_and_the_band_work_again_after_back_and_forward(live_server, live_data, chromium):
    """htmx's history restore puts a whole page in place: chronology.js sets its time axis (the
    keyboard handle, dragging) and the band of items on screen up again, as after a first load."""
    page = open_page(chromium, live_server)
    page.locator("details.facet[data-param=era] summary").click()
    page.locator("#f-era-chatgpt").check()
    page.wait_for_url(lambda url: "era=chatgpt" in url)
    for step in ("back", "forward", "back"):
        getattr(page, f"go_{step}")()
        page.wait_for_url(lambda url, step=step: ("era=chatgpt" in url) == (step == "forward"))
        # The address changes at once; the page of that address is then fetched and put in place.
        page.wait_for_function("ticked => { const box = document.querySelector('#f-era-chatgpt');"
                               " return box !== null && box.checked === ticked; }", arg=step == "forward")
        page.wait_for_function("() => !document.querySelector('.axis-handle').hidden")
        page.wait_for_function("() => Number(document.querySelector('#axis rect.seen').getAttribute('width')) > 0")
    # Dragging on the restored axis selects a range.
    first_year = int(page.locator("#axis").get_attribute("data-origin")[:4])
    columns = int(page.locator("#axis").get_attribute("data-columns"))
    box = page.locator(".axis-plot").bounding_box()
    column = box["width"] / columns
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + column * (2023 - first_year + 0.5), y)
    page.mouse.down()
    page.mouse.move(box["x"] + column * (2024 - first_year + 0.5), y, steps=4)
    page.mouse.up()
    page.wait_for_url(lambda url: "from=2023" in url)
    assert query(page)["from"] == ["2023"] and query(page)["to"] == ["2024"]


def test_facets_are_reopened_by_name_after_a_link_and_after_back(live_server, live_data, chromium):
    """The facets open before a whole-results update (a link, or Back and Forward restoring a page from the
    server) are open after it, found by their parameter: the page put in place can show another set of
    facets (Speakers is left out when only events are listed), so a position would open the wrong one."""
    page = open_page(chromium, live_server, "/?kind=event")
    facets = "details.facet[data-param={}]"

    def open_facets():
        return sorted(page.eval_on_selector_all("details.facet[open]", "all => all.map(d => d.dataset.param)"))

    assert page.locator(facets.format("speaker")).count() == 0
    page.locator(facets.format("tag") + " summary").click()
    assert open_facets() == ["kind", "tag"]
    # Removing the filter by its link replaces the whole results: Speakers is back, before Topics.
    page.locator("ul.active a.clear").first.click()
    page.wait_for_url(lambda url: "kind=" not in url)
    page.wait_for_function("() => document.querySelector('details.facet[data-param=speaker]') !== null")
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'results-heading'")
    assert open_facets() == ["kind", "tag"]
    page.locator(facets.format("source") + " summary").click()
    assert open_facets() == ["kind", "source", "tag"]
    # Back: the page of ?kind=event is restored from the server, without Speakers.
    page.go_back()
    page.wait_for_url(lambda url: "kind=event" in url)
    page.wait_for_function("() => document.querySelector('details.facet[data-param=speaker]') === null")
    page.wait_for_function("() => document.querySelector('details.facet[data-param=source]').open")
    assert open_facets() == ["kind", "source", "tag"]


def test_the_form_sent_without_javascript_lands_on_the_canonical_address(live_server, live_data, chromium):
    """Without JavaScript the form sends every field, empty ones too (?q=&from=&to=&era=…); the server
    redirects to the address of the same filters without them, which lists the filtered items."""
    slugs = chronological(Item.objects.published().filter(era__slug="chatgpt"))[:PAGE_SIZE]
    page = open_page(chromium, live_server, "/?lang=en", javascript=False)
    if not page.locator("details.facet[data-param=era] summary").is_visible():
        page.locator(".filter-toggle").click()
    page.locator("details.facet[data-param=era] summary").click()
    page.locator("#f-era-chatgpt").check()
    with page.expect_navigation():
        page.locator("#show-results").click()
    assert urlsplit(page.url).path == "/" and urlsplit(page.url).query == "era=chatgpt&lang=en"
    assert shown(page) == slugs
    # The search box, sent with the same form: empty dates and the era are left out of the address.
    page.locator("#f-era-chatgpt").uncheck()
    page.locator("#q").fill("Altman")
    with page.expect_navigation():
        page.locator("#q").press("Enter")
    assert urlsplit(page.url).query == "q=Altman&lang=en"


@pytest.mark.parametrize(
    "lang,years,months,days",
    [
        ("zh", "2023年 – 2024年", "2023年11月 – 2023年12月", "2023年11月17日"),
        ("en", "2023 – 2024", "Nov 2023 – Dec 2023", "Nov 17, 2023"),
    ],
)
def test_the_axis_selection_is_said_in_the_page_language(live_server, live_data, chromium, lang, years, months, days):
    """The selection's label on the axis and the slider's aria-valuetext name the columns as the server
    does in the page's language (each tick's data-label; the range from the translated "first – last")."""
    page = open_page(chromium, live_server, f"/?lang={lang}")
    handle, box = page.locator(".axis-handle"), page.locator(".axis-selection")
    first_year = int(page.locator("#axis").get_attribute("data-origin")[:4])
    handle.focus()
    for _ in range(2023 - first_year):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Shift+ArrowRight")
    assert handle.get_attribute("aria-valuetext") == box.inner_text() == years
    # By month (the two years' axis), then by day (two months' axis).
    for path, text, steps in ((f"/?from=2023&to=2024&lang={lang}", months, 10),
                              (f"/?from=2023-11&to=2023-12&lang={lang}", days, 16)):
        page.goto(live_server.url + path)
        page.wait_for_function("() => !document.querySelector('.axis-handle').hidden")
        handle.focus()
        for _ in range(steps):
            page.keyboard.press("ArrowRight")
        if " – " in text:
            page.keyboard.press("Shift+ArrowRight")
        assert handle.get_attribute("aria-valuetext") == box.inner_text() == text


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (360, 740)])
def test_every_axis_mark_can_be_pointed_at_and_reached_by_keyboard(live_server, live_data, chromium, width, height):
    """Every mark on the axis is the element under its own middle (the key moments of one year sit side
    by side: rosewood-dinner was under openai-founded, altman-fired under another of 2023's); the marks
    are one tab stop, the arrow keys, Home and End move between them in date order."""
    page = open_page(chromium, live_server, "/", width=width, height=height)
    marks = page.locator("#axis a[data-item]")
    slugs = [marks.nth(n).get_attribute("data-item") for n in range(marks.count())]
    assert len(slugs) >= 20 and {"rosewood-dinner", "openai-founded", "altman-fired", "gpt-5-launch"} <= set(slugs)
    under = page.evaluate("""() => [...document.querySelectorAll('#axis a[data-item] rect')].map(rect => {
        const box = rect.getBoundingClientRect();
        const hit = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
        return hit && hit.closest('a[data-item]') ? hit.closest('a[data-item]').dataset.item : null;
    })""")
    assert under == slugs
    # Read out as links named by their titles (the rest of the drawing stays hidden from screen readers).
    group = page.get_by_role("group", name="Key moments on the axis")
    assert group.get_by_role("link").count() == len(slugs)
    name = marks.first.locator("title").text_content()
    assert group.get_by_role("link", name=name, exact=True).get_attribute("data-item") == slugs[0]
    assert [marks.nth(n).get_attribute("tabindex") for n in range(len(slugs))] == ["0"] + ["-1"] * (len(slugs) - 1)
    marks.first.focus()
    focused = "() => document.activeElement.dataset.item"
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert page.evaluate(focused) == slugs[2]
    page.keyboard.press("ArrowLeft")
    assert page.evaluate(focused) == slugs[1]
    page.keyboard.press("End")
    assert page.evaluate(focused) == slugs[-1]
    assert page.locator('#axis a[data-item][tabindex="0"]').count() == 1
    page.keyboard.press("Home")
    assert page.evaluate(focused) == slugs[0]
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => document.activeElement.closest('#item-{slugs[0]}') !== null")
    page.context.close()


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (360, 740)])
@pytest.mark.parametrize("path", ["/", "/?from=2023&to=2024", "/?from=2005&to=2025&lang=zh"])
def test_every_axis_mark_has_a_tap_target_of_24px(live_server, live_data, chromium, path, width, height):
    """A mark is 2-3px wide; a press 11px to its left or right, or anywhere in a 24px-tall band
    through it (inside the axis), still lands on a mark's link: its own where no other mark is within
    24px, a neighbour's where their targets meet (each mark stays the element under its own middle).
    The axis keeps its height."""
    page = open_page(chromium, live_server, path, width=width, height=height)
    page.locator(".axis-plot").scroll_into_view_if_needed()
    svg_height = page.evaluate("() => document.querySelector('#axis svg').getBoundingClientRect().height")
    assert svg_height == {1280: 88, 360: 52}[width]
    probes = page.evaluate("""() => {
        const svg = document.querySelector('#axis svg').getBoundingClientRect();
        const marks = [...document.querySelectorAll('#axis a[data-item] rect')].map(rect => {
            const box = rect.getBoundingClientRect();
            return {slug: rect.closest('a').dataset.item, x: box.x + box.width / 2, y: box.y + box.height / 2};
        });
        const at = (x, y) => {
            const link = document.elementFromPoint(x, y)?.closest('a[data-item], a[data-hit]');
            return link ? (link.dataset.item || link.dataset.hit) : null;
        };
        return marks.map(mark => {
            const alone = marks.every(other => other === mark || Math.abs(other.x - mark.x) >= 24
                                                                || Math.abs(other.y - mark.y) >= 24);
            const top = Math.min(Math.max(mark.y - 11.5, svg.top), svg.bottom - 24);
            const middle = top + 12;
            const points = [[mark.x, mark.y], [mark.x - 11, middle], [mark.x + 11, middle], [mark.x, top + .5],
                            [mark.x, top + 23.5]].filter(([x]) => x > svg.left && x < svg.right);
            return {slug: mark.slug, alone, hits: points.map(([x, y]) => at(x, y))};
        });
    }""")
    assert len(probes) >= 5
    assert any(probe["alone"] for probe in probes)
    for probe in probes:
        assert probe["hits"][0] == probe["slug"], probe
        assert len(probe["hits"]) >= 4, probe
        if probe["alone"]:
            assert set(probe["hits"]) == {probe["slug"]}, probe
        else:
            assert None not in probe["hits"], probe
    page.context.close()


@pytest.mark.parametrize("width, height", [(1280, 800), (360, 740)])
def test_a_drag_that_starts_on_a_mark_selects_a_range_and_a_click_follows_it(live_server, live_data, chromium, width, height):
    """Pressing on a key moment's mark and dragging selects a range, as from anywhere on the plot (it
    did nothing: the press was left to the link, whose click never came); a click on it still follows it."""
    page = open_page(chromium, live_server, "/", width=width, height=height)
    columns = int(page.locator("#axis").get_attribute("data-columns"))
    origin = int(page.locator("#axis").get_attribute("data-origin")[:4])
    mark = page.locator('#axis a[data-item="gpt-5-launch"] rect')
    page.locator(".axis-plot").scroll_into_view_if_needed()
    plot = page.locator(".axis-plot").bounding_box()
    box = mark.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    assert page.evaluate("([x, y]) => document.elementFromPoint(x, y).closest('a[data-item]').dataset.item", [x, y]) == "gpt-5-launch"
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x - 2.5 * plot["width"] / columns, y, steps=4)
    page.mouse.up()
    page.wait_for_url(lambda url: "from=" in url)
    column = plot["width"] / columns
    start = origin + int((x - 2.5 * column - plot["x"]) // column)
    assert query(page)["from"] == [str(start)] and query(page)["to"] == ["2025"], page.url
    assert page.locator("#item-gpt-5-launch:focus, #item-gpt-5-launch :focus").count() == 0
    # A plain click on a mark is still a click on its link.
    page.goto(live_server.url + "/")
    page.wait_for_function("() => document.documentElement.classList.contains('continuous')")
    page.locator(".axis-plot").scroll_into_view_if_needed()
    box = mark.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_function("() => document.activeElement.closest('#item-gpt-5-launch') !== null"
                           " || location.pathname.startsWith('/items/gpt-5-launch')")
    assert "from=" not in page.url
    page.context.close()


AXIS_RANGES = ["/", "/?lang=zh", "/?from=2023&to=2024", "/?from=2022&to=2024&lang=zh", "/?from=2021-02&to=2024-01",
               "/?from=2023-11&to=2023-11", "/?from=2023-09-15&to=2023-12-14", "/?from=2023-09-14&to=2023-12-14",
               "/?from=2023-10-01&to=2023-12-31&lang=zh", "/?from=2023-11-10&to=2023-11-30"]


@pytest.mark.parametrize("width,height", [(360, 740), (1280, 800)])
@pytest.mark.parametrize("path", AXIS_RANGES)
def test_the_axis_labels_are_tap_targets_whole_and_apart(live_server, live_data, chromium, path, width, height):
    """On a phone and on a wide screen, by year, month and day, every shown label under the axis is at
    least 24px wide and high (they were 16px wide), apart from the others ("15" and "20" overlapped by
    8px on a phone), and whole inside the axis (the last year was cut to "20"; a last label that was not
    the last column ran past the edge, at 1280px too); the hidden ones are not under the pointer."""
    page = open_page(chromium, live_server, path, width=width, height=height)
    boxes = page.evaluate("""() => {
        const row = document.querySelector('.axis-ticks').getBoundingClientRect();
        return [...document.querySelectorAll('.axis-ticks a')]
          .filter(a => getComputedStyle(a).visibility !== 'hidden' && getComputedStyle(a).fontSize !== '0px')
          .map(a => {
            const box = a.getBoundingClientRect();
            const hit = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
            return {left: box.left, right: box.right, width: box.width, height: box.height, text: a.textContent,
                    inside: box.left >= row.left - 0.5 && box.right <= row.right + 0.5,
                    whole: a.scrollWidth <= a.clientWidth, hit: hit === a};
          });
    }""")
    assert len(boxes) >= 4
    for box in boxes:
        assert box["width"] >= 24 and box["height"] >= 24, box
        assert box["inside"] and box["whole"] and box["hit"], box
    for a, b in itertools.pairwise(boxes):
        assert a["right"] <= b["left"], (a, b)
    if path.startswith("/?lang") or path == "/":
        assert boxes[-1]["text"] == "2025"
    page.context.close()


def test_a_phone_keeps_the_focused_filter_above_the_show_results_bar(live_server, live_data, chromium):
    """WCAG 2.4.11: on a phone the open filters scroll under a sticky "Show N results" bar, and Tab
    brought 8 of 60 checkboxes into view under it (greg-brockman's completely covered; a click on a
    value scrolled into view landed on the bar). Every control focused by Tab is fully above the bar,
    and a value clicked after scrolling it into view is the one ticked."""
    page = open_page(chromium, live_server, "/?speaker=openai-employee", width=360, height=740)
    page.locator(".filter-toggle").click()
    closed = page.locator(".facets details.facet:not([open]) > summary")
    while closed.count():
        closed.first.click()
    bar = page.locator(".filter-panel .apply").bounding_box()
    assert bar["y"] + bar["height"] == 740
    page.locator(".facets input[type=checkbox]").first.focus()
    page.evaluate("document.querySelector('.facets').scrollTop = 0")
    page.locator(".facets input[type=checkbox]").first.focus()
    seen, hidden = 0, []
    for _ in range(400):
        focused = page.evaluate("""() => {
            const e = document.activeElement;
            if (!e || !e.closest('.facets') || e.closest('.apply')) return null;
            const r = e.getBoundingClientRect();
            return {id: e.id || e.textContent.trim().slice(0, 30), top: r.top, bottom: r.bottom};
        }""")
        if focused is None:
            break
        seen += 1
        if focused["top"] < 0 or focused["bottom"] > bar["y"]:
            hidden.append(focused)
        page.keyboard.press("Tab")
    assert seen > page.locator(".facets input[type=checkbox]").count() > 20
    assert hidden == [], hidden
    # A click on a value near the end, scrolled into view, ticks it.
    page.evaluate("document.querySelector('.facets').scrollTop = 0")
    last = page.locator(".facets input[type=checkbox]").last
    name = last.get_attribute("id")
    last.click()
    page.wait_for_function(f"() => document.getElementById('{name}').checked")
