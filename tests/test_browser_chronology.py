"""The chronology in headless Chromium: htmx filtering without a reload, history, Chinese search,
following a source link to the highlighted passage; the same flow without JavaScript; layout at
360 and 1280 px; and an axe-core scan with no serious or critical violation.

The database is read before Playwright starts (its event loop makes Django refuse ORM calls).
"""

import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from timeline.models import Item

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "vendor" / "axe-4.14.1.min.js"
STATIC = Path(__file__).resolve().parent.parent / "static" / "timeline"


def expected_state():
    published = Item.objects.published().chronological()
    altman = published.filter(people__slug="sam-altman")
    return {
        "first": published.values_list("slug", flat=True).first(),
        "altman_first": altman.values_list("slug", flat=True).first(),
        "altman_count": altman.count(),
        "total": published.count(),
    }


def query(page) -> dict:
    return parse_qs(urlsplit(page.url).query)


def first_item_id(page) -> str:
    return page.locator("ol.items > li").first.get_attribute("id")


def answered(page) -> None:
    """Waits until no htmx request is on its way (the address changes as a filter change's request is
    sent: chronology.js pushes the history entry then, before its results are swapped in) and the new
    results are complete: the items below the first screen and the title join once the first frame
    showing them has been presented, when the stream stops "arriving"."""
    page.wait_for_function("() => !document.querySelector('.htmx-request') && !document.querySelector('#stream.arriving')")


def run_flow(page, base: str, state: dict, *, javascript: bool) -> None:
    page.goto(base + "/")
    assert first_item_id(page) == f"item-{state['first']}"
    if javascript:
        page.wait_for_function("() => document.documentElement.classList.contains('continuous')")
        page.evaluate("window.__marker = 1")

    # Pick a person.
    page.locator("summary", has_text="People").click()
    page.locator("#f-person-sam-altman").check()
    if not javascript:
        page.locator("aside .apply button").click()
    page.wait_for_url(lambda url: "person=sam-altman" in url)
    answered(page)
    page.wait_for_selector(f"#item-{state['altman_first']}")
    assert query(page)["person"] == ["sam-altman"]
    assert page.locator(".summary-line").inner_text().startswith(f"{state['altman_count']} items")
    assert page.locator("#f-person-sam-altman").is_checked()
    if javascript:
        assert page.evaluate("window.__marker") == 1, "the page was reloaded instead of swapped"
        assert urlsplit(page.url).query == "person=sam-altman"  # canonical, no empty fields

    # Back to the unfiltered chronology.
    page.go_back()
    page.wait_for_url(lambda url: "person=" not in url)
    page.wait_for_selector(f"#item-{state['first']}")
    assert page.locator(".summary-line").inner_text().startswith(f"{state['total']} items")
    assert not page.locator("#f-person-sam-altman").is_checked()

    # Search in traditional Chinese; the index is simplified.
    page.fill("#q", "奧特曼")
    page.press("#q", "Enter")
    page.wait_for_url(lambda url: "q=" in url and "%E5%A5%A7" in url)
    answered(page)
    page.wait_for_selector("#active-filters, ul.active")
    assert page.locator("ul.active").inner_text().startswith("“奧特曼”")
    if javascript:
        assert page.evaluate("window.__marker") == 1

    # Follow a source link to the highlighted passage.
    link = page.locator("p.sources a").first
    href = link.get_attribute("href")
    link.click()
    page.wait_for_url(lambda url: "/sources/" in url)
    anchor = href.split("#")[1]
    assert urlsplit(page.url).fragment == anchor
    passage = page.locator(f"#{anchor}")
    assert "current" in passage.get_attribute("class")
    assert passage.locator("mark.current").count() >= 1
    assert page.evaluate(f"document.querySelector('#{anchor}').matches(':target')")


@pytest.mark.django_db(transaction=True)
def test_filtering_history_search_and_source_link_with_javascript(live_server, live_data, chromium):
    state = expected_state()
    page = chromium.new_page()
    page.set_default_timeout(10_000)
    run_flow(page, live_server.url, state, javascript=True)


@pytest.mark.django_db(transaction=True)
def test_the_same_flow_without_javascript(live_server, live_data, chromium):
    state = expected_state()
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    run_flow(page, live_server.url, state, javascript=False)


# (colour scheme, width, pages to check): every page in light at 360 px (where layout breaks first),
# the two densest pages at 1280 px, and in dark the pages with marks and chart colours.
LAYOUTS = [
    ("light", 360, ("/", "/?person=sam-altman&lang=zh", "{item}", "/sources/q-star-exposed/?hl={citation}")),
    ("light", 1280, ("/", "{item}")),
    ("dark", 1280, ("/", "/sources/q-star-exposed/?hl={citation}")),
]


def axe_problems(page, where: str) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"
    )
    return [
        f"{where}: {violation['id']} {json.dumps([node['target'] for node in violation['nodes'][:3]])}"
        for violation in result["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


@pytest.mark.django_db(transaction=True)
def test_layout_print_and_accessibility(live_server, live_data, chromium, tmp_path):
    """No sideways scrolling at 360 px; no serious or critical axe violation, light and dark; print
    keeps every filtered item with its sources."""
    item = Item.objects.published().filter(kind="quote").exclude(note_en="").first()
    citation = Item.objects.published().filter(citations__passage__source__key="q-star-exposed").values_list(
        "citations__pk", flat=True
    ).first()
    altman = Item.objects.published().filter(people__slug="sam-altman").count()
    problems = []
    for scheme, width, paths in LAYOUTS:
        context = chromium.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme, bypass_csp=True)
        page = context.new_page()
        for path in paths:
            path = path.format(item=item.get_absolute_url(), citation=citation)
            page.goto(live_server.url + path)
            where = f"{path} {width}px {scheme}"
            name = "".join(c if c.isalnum() else "_" for c in path).strip("_") or "home"
            page.screenshot(path=str(tmp_path / f"{name}-{width}-{scheme}.png"))
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            if overflow > 0:
                problems.append(f"{where}: scrolls sideways by {overflow}px")
            problems += axe_problems(page, where)
        context.close()
    assert problems == []

    page = chromium.new_page()
    page.emulate_media(media="print")
    page.goto(live_server.url + "/print/?person=sam-altman")
    assert page.locator("ol.items > li").count() == altman
    assert page.locator("header.site nav").is_hidden() and page.locator("form").count() == 0
    assert page.locator("p.sources a").first.is_visible()


@pytest.mark.django_db(transaction=True)
def test_finding_7_back_after_two_htmx_filter_changes_shows_the_whole_page(live_server, live_data, chromium):
    """Issue 12, finding 7: after two htmx updates that push a URL and Back, htmx's history-restore
    request carried the fragment's ETag (cached by the browser for that URL) and got 304, so the page
    lost its header. ("Later" now scrolls continuously; filter changes are what push history.)"""
    page = chromium.new_page()
    page.set_default_timeout(10_000)
    page.goto(live_server.url + "/")
    page.wait_for_function("() => document.documentElement.classList.contains('continuous')")
    page.evaluate("window.__marker = 1")
    restores = []
    page.on("response", lambda response: restores.append(response.status)
            if response.request.headers.get("hx-history-restore-request") else None)
    page.locator("#importance").check()
    page.wait_for_url(lambda url: "importance=3" in url)
    answered(page)
    page.wait_for_selector("#results")
    page.locator('details.facet:has(#f-kind-quote) summary').click()
    page.locator("#f-kind-quote").check()
    page.wait_for_url(lambda url: "kind=quote" in url)
    answered(page)
    assert page.evaluate("window.__marker") == 1  # swapped by htmx, not reloaded
    page.go_back()
    page.wait_for_url(lambda url: "importance=3" in url and "kind=" not in url)
    page.wait_for_selector("#results")
    # htmx may restore from its own snapshot; whenever it asks the server, the answer is never a 304
    # (the representation check itself is tested at the HTTP level in tests/test_hardening.py).
    assert all(status == 200 for status in restores), restores
    assert page.locator("header.site").count() == 1
    assert page.locator("#results").count() == 1 and page.locator("#filters").count() == 1
    page.go_back()
    page.wait_for_url(lambda url: "importance=" not in url)
    page.wait_for_selector("#results")
    assert page.locator("header.site").count() == 1


# What the filter form shows: each facet's values with their counts and ticks, the key moments'
# count, the panel's summary and button, the page heading and the document title.
FORM_STATE_JS = """() => ({
    facets: Array.from(document.querySelectorAll('#filters .facet')).map(facet => ({
        param: facet.dataset.param,
        values: Array.from(facet.querySelectorAll('li')).map(li => [
            li.querySelector('input').value, li.querySelector('.count').textContent,
            li.querySelector('input').checked]),
        more: (facet.querySelector('.more') || {}).textContent || null,
    })),
    keyMoments: document.querySelector('.facets .check .count').textContent,
    importance: document.querySelector('#importance').checked,
    summary: document.querySelector('.filter-toggle').textContent,
    button: document.querySelector('#show-results').textContent,
    heading: document.querySelector('#results h1').textContent,
    results: document.querySelector('#results-heading').textContent.replace(/\\s+/g, ' ').trim(),
    title: document.title,
    embed: document.querySelector('#embed-link a').getAttribute('href'),
})"""


def with_counts(state: dict) -> dict:
    return {
        (facet["param"], value): (count, checked)
        for facet in state["facets"]
        for value, count, checked in facet["values"]
        if count != "(0)" or checked
    } | {facet["param"]: facet["more"] for facet in state["facets"] if any(c != "(0)" for _, c, _ in facet["values"])}


def zero_values(state: dict) -> set:
    return {
        (facet["param"], value)
        for facet in state["facets"]
        for value, count, checked in facet["values"]
        if count == "(0)" and not checked
    }


def all_values(state: dict) -> set:
    return {(facet["param"], value) for facet in state["facets"] for value, _, _ in facet["values"]}


@pytest.mark.django_db(transaction=True)
def test_facet_clicks_update_the_other_facets_counts_in_place(live_server, live_data, chromium):
    """A facet click swaps only the listing and keeps the form in place (the ticked value does not
    move: the introduction a full page shows only unfiltered stays), yet every facet count, tick
    and label then equals a full page load of the same address."""
    state = expected_state()
    page = chromium.new_page(viewport={"width": 1280, "height": 800})
    page.set_default_timeout(10_000)
    page.goto(live_server.url + "/")
    page.wait_for_function("() => document.documentElement.classList.contains('continuous')")
    page.evaluate("""() => {
        window.__marker = 1; window.__settled = 0;
        document.querySelector('#filters').__kept = 1;
        document.addEventListener('htmx:afterSettle', () => window.__settled++);
    }""")
    reference = chromium.new_page(viewport={"width": 1280, "height": 800})
    steps = (("person", "sam-altman"), ("kind", "quote"), ("person", "sam-altman"))
    states = []
    for param, value in steps:
        checkbox = page.locator(f"#f-{param}-{value}")
        if not checkbox.is_visible():
            page.locator(f"details.facet[data-param={param}] summary").click()
        before = checkbox.bounding_box()
        settled = page.evaluate("window.__settled")
        address = page.evaluate("location.href")
        checkbox.click()
        page.wait_for_function("n => window.__settled > n", arg=settled)
        # The address changed when the request was sent (chronology.js pushes the entry then).
        page.wait_for_function("a => location.href !== a", arg=address)
        assert page.evaluate("window.__marker") == 1, "reloaded instead of swapped"
        assert page.evaluate("document.querySelector('#filters').__kept") == 1, "the form was replaced"
        assert checkbox.bounding_box() == before, "the ticked value moved"
        assert page.evaluate("document.activeElement.id") == "results-heading"
        shown = page.evaluate(FORM_STATE_JS)
        reference.goto(page.url)
        full = reference.evaluate(FORM_STATE_JS)
        # The kept form keeps values that dropped to no results where they were, with (0); a full
        # page leaves them out (and lists the others by count). Every value with a count is the same.
        assert with_counts(shown) == with_counts(full), page.url
        assert zero_values(shown) == all_values(shown) - all_values(full)
        assert {key: value for key, value in shown.items() if key != "facets"} == {
            key: value for key, value in full.items() if key != "facets"
        }
        states.append(shown)
    assert query(page) == {"kind": ["quote"]}
    # The other facets' counts did change with the filters (this compared more than unchanged text).
    first, second, third = states
    assert first["facets"] != second["facets"] != third["facets"]
    assert first["results"].startswith(f"{state['altman_count']} item")


def test_items_off_screen_are_laid_out_once_the_new_results_are_presented(live_server, live_data, chromium):
    """After a facet click the items off screen are skipped ("arriving": content-visibility: auto)
    until the frame showing the new results has been presented (the Element Timing entry of the new
    results heading), not in a task right after that frame's main-thread part, which ran while the
    frame was still rastered and drawn and delayed it. Then every item is laid out again."""
    page = chromium.new_page(viewport={"width": 1280, "height": 800})
    page.set_default_timeout(10_000)
    page.goto(live_server.url + "/")
    page.wait_for_function("() => document.documentElement.classList.contains('continuous')")
    # Registered before chronology.js registers its own (after the swap): called first for the entry.
    # When the swap happened too: chronology.js lays the items out after LATE ms without waiting any
    # longer for the entry (a browser without Element Timing, or a frame that long on a loaded machine).
    page.evaluate("""() => { window.__seen = []; window.__swapped = null;
        document.addEventListener('htmx:afterSwap', () => { window.__swapped = performance.now(); });
        new PerformanceObserver(list => {
        for (const entry of list.getEntries()) {
            if (entry.identifier !== 'results' || entry.element === null) continue;
            const stream = document.querySelector('#stream');
            window.__seen.push({connected: entry.element.isConnected, arriving: stream.classList.contains('arriving'),
                                after: performance.now() - window.__swapped});
        } }).observe({type: 'element'}); }""")
    open_facet(page, "kind")
    page.locator("#f-kind-quote").click()
    page.wait_for_function("() => window.__seen.some(seen => seen.connected)")
    seen = [entry for entry in page.evaluate("window.__seen") if entry["connected"]]
    late = int(re.search(r"var LATE = (\d+);", (STATIC / "chronology.js").read_text()).group(1))
    assert seen[0]["arriving"] or seen[0]["after"] >= late, (
        f"the items were laid out before the new results were presented ({seen[0]['after']:.0f} ms after the swap)")
    page.wait_for_function("() => !document.querySelector('#stream.arriving')")
    heights = page.evaluate("() => [...document.querySelectorAll('#stream .item')].map(item => item.getBoundingClientRect().height)")
    assert heights and all(height > 0 for height in heights)


def test_items_below_the_first_screen_join_once_the_new_results_are_presented(live_server, live_data, chromium):
    """After a facet click htmx puts in only the items that can be on the first screen; the rest of
    the page's items are moved in from the answer once the frame showing the new results has been
    presented. Then the stream is the one the server renders for that address (same markup, same
    order), every item on the first screen was in that first frame, and continuous scrolling goes on
    from there."""
    page = chromium.new_page(viewport={"width": 1280, "height": 800})
    page.set_default_timeout(10_000)
    page.goto(live_server.url + "/")
    page.wait_for_function("() => document.documentElement.classList.contains('continuous')")
    # Only the new results heading's entry: the page's own heading (still in the document until the
    # swap) may report its first paint late, after this observer is registered, on a loaded machine.
    page.evaluate("""() => { window.__presented = null; const old = document.querySelector('#results-heading');
        new PerformanceObserver(list => {
        for (const entry of list.getEntries()) {
            if (entry.identifier !== 'results' || entry.element === null || !entry.element.isConnected) continue;
            if (entry.element === old) continue;
            if (window.__presented === null) window.__presented = [...document.querySelectorAll('#stream li.item')].map(item => item.id);
        } }).observe({type: 'element'}); }""")
    open_facet(page, "kind")
    page.locator("#f-kind-quote").click()
    page.wait_for_function("() => window.__presented !== null")
    page.wait_for_function("() => !document.querySelector('#stream.arriving')")
    presented = page.evaluate("window.__presented")
    final = page.locator("#stream li.item").evaluate_all("items => items.map(item => item.id)")
    on_screen = page.locator("#stream li.item").evaluate_all(
        "items => items.filter(item => item.getBoundingClientRect().top < innerHeight).map(item => item.id)"
    )
    assert 0 < len(presented) < len(final), (presented, final)
    assert final[: len(presented)] == presented
    assert set(on_screen) <= set(presented), on_screen
    stream = page.locator("#stream").evaluate("stream => stream.innerHTML")
    reference = chromium.new_page(viewport={"width": 1280, "height": 800}, java_script_enabled=False)
    reference.goto(page.url)
    assert stream == reference.locator("#stream").evaluate("stream => stream.innerHTML")
    reference.close()
    # The "Later" link moved in with the held items works: scrolling brings the next page.
    page.locator("#later").scroll_into_view_if_needed()
    page.wait_for_function("n => document.querySelectorAll('#stream li.item').length > n", arg=len(final))


def open_facet(page, param: str) -> None:
    facet = page.locator(f"details.facet[data-param={param}]")
    if facet.get_attribute("open") is None:
        facet.locator("summary").click()


def back_as_soon_as_the_results_show(page, checkbox: str) -> None:
    """Tick a value and go Back in the same task in which the new results are first in the document
    (htmx's afterSettle, before the frame that paints them): what a quick reader's Back meets."""
    page.evaluate("""() => { window.__back = 0; document.addEventListener('htmx:afterSettle', () => {
        if (!window.__back++) history.back(); }); }""")
    page.locator(checkbox).click()
    page.wait_for_function("() => window.__back > 0")


def assert_results(page, count: int, ticked: list[str], unticked: list[str]) -> None:
    page.wait_for_function(
        "n => document.querySelector('.summary-line').textContent.trim().startsWith(n + ' item')", arg=count
    )
    for box in ticked:
        assert page.locator(box).is_checked(), box
    for box in unticked:
        assert not page.locator(box).is_checked(), box
    assert page.locator("header.site").count() == 1 and page.locator("#results").count() == 1


@pytest.mark.django_db(transaction=True)
def test_back_right_after_a_click_returns_to_the_previous_results(live_server, live_data, chromium):
    """The history entry of a filter change exists as soon as its results are in the document: Back
    at once returns to the previous results (it neither leaves the app nor shows other results than
    the address names), and Back and Forward, repeatedly, show each address' results and ticks."""
    published = Item.objects.published()
    founding = published.filter(era__slug="founding").count()
    chatgpt = published.filter(era__slug="chatgpt").count()
    both = published.filter(era__slug="chatgpt", people__slug="sam-altman").count()
    assert 0 < both < chatgpt < published.count()
    page = chromium.new_page(viewport={"width": 1280, "height": 800})
    page.set_default_timeout(10_000)
    # Opened at a filtered address: Back right after the first click stays in the app.
    page.goto(live_server.url + "/?era=founding")
    page.wait_for_function("() => document.documentElement.classList.contains('continuous')")
    page.evaluate("window.__marker = 1")
    open_facet(page, "person")
    back_as_soon_as_the_results_show(page, "#f-person-sam-altman")
    page.wait_for_url(lambda url: urlsplit(url).query == "era=founding")
    assert_results(page, founding, ["#f-era-founding"], ["#f-person-sam-altman"])
    assert page.evaluate("window.__marker") == 1, "Back left the page"

    # From the unfiltered page, two changes, Back right after the second.
    page.goto(live_server.url + "/")
    page.wait_for_function("() => document.documentElement.classList.contains('continuous')")
    open_facet(page, "era")
    page.locator("#f-era-chatgpt").click()
    page.wait_for_url(lambda url: urlsplit(url).query == "era=chatgpt")
    assert_results(page, chatgpt, ["#f-era-chatgpt"], [])
    open_facet(page, "person")
    back_as_soon_as_the_results_show(page, "#f-person-sam-altman")
    page.wait_for_url(lambda url: urlsplit(url).query == "era=chatgpt")
    assert_results(page, chatgpt, ["#f-era-chatgpt"], ["#f-person-sam-altman"])
    page.wait_for_timeout(400)  # nothing pending rewrites the address afterwards
    assert urlsplit(page.url).query == "era=chatgpt"
    for _ in range(2):
        page.go_forward()
        page.wait_for_url(lambda url: urlsplit(url).query == "era=chatgpt&person=sam-altman")
        assert_results(page, both, ["#f-era-chatgpt", "#f-person-sam-altman"], [])
        page.go_back()
        page.wait_for_url(lambda url: urlsplit(url).query == "era=chatgpt")
        assert_results(page, chatgpt, ["#f-era-chatgpt"], ["#f-person-sam-altman"])
    page.go_back()
    page.wait_for_url(lambda url: urlsplit(url).query == "")
    assert_results(page, published.count(), [], ["#f-era-chatgpt", "#f-person-sam-altman"])


class HeldAnswers:
    """Holds the answers to results requests and to htmx's history restores while ``holding``."""

    def __init__(self, page):
        self.holding, self.routes, self.restores = False, [], []
        page.route("**/*", self.route)

    def route(self, route):
        headers = route.request.headers
        if self.holding and headers.get("hx-history-restore-request"):
            self.restores.append(route)
        elif self.holding and headers.get("hx-target") == "results":
            self.routes.append(route)
        else:
            route.continue_()

    def release(self, index=-1):
        self.routes.pop(index).continue_()


@pytest.mark.django_db(transaction=True)
def test_back_and_forward_while_the_results_are_on_their_way(live_server, live_data, chromium):
    """The history entry of a filter change is pushed as soon as its request is sent (before the
    listing dims for a slow answer): Back before the answer comes returns to the previous results,
    and the late answer is not swapped in over them (the address would name other results); Forward
    shows the new address' results. Two changes before an answer leave one entry (none for results
    never shown); an answer that fails takes its entry back."""
    published = Item.objects.published()
    chatgpt = published.filter(era__slug="chatgpt").count()
    both = published.filter(era__slug="chatgpt", people__slug="sam-altman").count()
    quotes = published.filter(era__slug="chatgpt", people__slug="sam-altman", kind="quote").count()
    assert 0 < both < chatgpt and quotes != both
    page = chromium.new_page(viewport={"width": 1280, "height": 800})
    page.set_default_timeout(10_000)
    answers = HeldAnswers(page)
    page.goto(live_server.url + "/?era=chatgpt")
    page.wait_for_function("() => document.documentElement.classList.contains('continuous')")
    page.evaluate("""() => { window.__marker = 1; window.__restored = 0;
        document.addEventListener('htmx:historyRestore', () => window.__restored++); }""")

    def restored(n):
        page.wait_for_function("n => window.__restored >= n", arg=n)

    # Whether the listing had dimmed (0.3 s without an answer) when each entry was pushed.
    page.evaluate("""() => { const push = history.pushState.bind(history); window.__dimmed = [];
        history.pushState = (...args) => {
            window.__dimmed.push(!!document.querySelector('#results .listing.waiting')); return push(...args); }; }""")
    open_facet(page, "person")
    answers.holding = True
    page.locator("#f-person-sam-altman").click()
    page.wait_for_url(lambda url: urlsplit(url).query == "era=chatgpt&person=sam-altman")
    assert len(answers.routes) == 1
    assert page.evaluate("window.__dimmed") == [False], "the entry waited for the answer"
    assert_results(page, chatgpt, ["#f-era-chatgpt", "#f-person-sam-altman"], [])  # still the old results
    page.go_back()
    page.wait_for_url(lambda url: urlsplit(url).query == "era=chatgpt")
    # The answer comes after Back, before htmx has restored the page: not swapped in.
    shown = page.locator("#stream li.item").evaluate_all("items => items.map(item => item.id)")
    assert len(answers.restores) == 1
    answers.release()
    page.wait_for_timeout(500)
    assert page.locator("#stream li.item").evaluate_all("items => items.map(item => item.id)") == shown
    assert page.locator(".summary-line").inner_text().startswith(f"{chatgpt} items")
    answers.restores.pop().continue_()
    restored(1)
    assert urlsplit(page.url).query == "era=chatgpt"
    assert_results(page, chatgpt, ["#f-era-chatgpt"], ["#f-person-sam-altman"])
    assert page.evaluate("window.__marker") == 1, "Back left the page"
    answers.holding = False
    page.go_forward()
    page.wait_for_url(lambda url: urlsplit(url).query == "era=chatgpt&person=sam-altman")
    restored(2)
    assert_results(page, both, ["#f-era-chatgpt", "#f-person-sam-altman"], [])

    # Two changes before the first answer: one entry, for the second.
    open_facet(page, "kind")
    answers.holding = True
    page.locator("#f-kind-event").click()
    page.wait_for_url(lambda url: "kind=event" in url)
    page.locator("#f-kind-event").click()
    page.locator("#f-kind-quote").click()
    page.wait_for_url(lambda url: urlsplit(url).query == "kind=quote&era=chatgpt&person=sam-altman")
    answers.holding = False
    while answers.routes:  # the earlier requests were aborted (hx-sync); the last one is answered
        answers.release(0) if len(answers.routes) == 1 else answers.routes.pop(0).abort()
    ticked = ["#f-kind-quote", "#f-era-chatgpt", "#f-person-sam-altman"]
    assert_results(page, quotes, ticked, ["#f-kind-event"])
    page.go_back()
    page.wait_for_url(lambda url: urlsplit(url).query == "era=chatgpt&person=sam-altman")
    restored(3)
    assert_results(page, both, ["#f-era-chatgpt", "#f-person-sam-altman"], ["#f-kind-event", "#f-kind-quote"])
    page.go_back()
    page.wait_for_url(lambda url: urlsplit(url).query == "era=chatgpt")
    restored(4)
    assert_results(page, chatgpt, ["#f-era-chatgpt"], ["#f-person-sam-altman"])
    assert page.evaluate("window.__marker") == 1

    # An answer that never comes (the connection fails): its entry is taken back.
    answers.holding = True
    page.locator("#f-person-sam-altman").click()
    page.wait_for_url(lambda url: urlsplit(url).query == "era=chatgpt&person=sam-altman")
    answers.holding = False
    answers.routes.pop().abort()
    page.wait_for_url(lambda url: urlsplit(url).query == "era=chatgpt")
    restored(5)
    assert_results(page, chatgpt, ["#f-era-chatgpt"], ["#f-person-sam-altman"])
    assert page.evaluate("window.__marker") == 1


@pytest.mark.django_db(transaction=True)
def test_a_ticked_facet_value_does_not_move_when_values_above_it_drop_to_zero(live_server, live_data, chromium):
    """Issue 13: a ticked value does not jump away from under the pointer. Ticking "Sam Altman" with
    the Era facet open above it leaves eras without any of his items: they stay where they are, with
    (0), still tickable; unticking him gives them their counts back."""
    published = Item.objects.published()
    eras = published.values_list("era__slug", flat=True).distinct()
    without = sorted(set(eras) - set(published.filter(people__slug="sam-altman").values_list("era__slug", flat=True)))
    assert without, "some era has none of Sam Altman's items (else this test shows nothing)"
    page = chromium.new_page(viewport={"width": 1280, "height": 800})
    page.set_default_timeout(10_000)
    page.goto(live_server.url + "/")
    page.wait_for_function("() => document.documentElement.classList.contains('continuous')")
    open_facet(page, "era")
    open_facet(page, "person")
    eras_before = page.locator("details.facet[data-param=era] input").evaluate_all("els => els.map(e => e.value)")
    counts_before = page.locator("details.facet[data-param=era] .count").all_inner_texts()
    checkbox = page.locator("#f-person-sam-altman")
    for tick in (True, False):
        before = checkbox.bounding_box()
        page.mouse.click(before["x"] + before["width"] / 2, before["y"] + before["height"] / 2)
        page.wait_for_url(lambda url, tick=tick: ("person=sam-altman" in url) == tick)
        page.wait_for_function(
            "t => document.querySelector('.filter-toggle').textContent.includes(t)", arg="(1)" if tick else "(0)"
        )
        assert checkbox.bounding_box() == before, "the ticked value moved"
        assert checkbox.is_checked() == tick
        eras_after = page.locator("details.facet[data-param=era] input").evaluate_all("els => els.map(e => e.value)")
        assert eras_after[: len(eras_before)] == eras_before
        for era in without:
            item = page.locator(f"details.facet[data-param=era] li:has(#f-era-{era})")
            assert (item.locator(".count").inner_text() == "(0)") == tick
            assert ("zero" in (item.get_attribute("class") or "")) == tick
    assert page.locator("details.facet[data-param=era] .count").all_inner_texts() == counts_before
    # A value shown with (0) can still be ticked (and unticked).
    page.mouse.click(*(lambda b: (b["x"] + 5, b["y"] + 5))(checkbox.bounding_box()))
    page.wait_for_url(lambda url: "person=sam-altman" in url)
    page.wait_for_function("() => document.querySelector('li.zero') !== null")
    zero = page.locator(f"#f-era-{without[0]}")
    zero.click()
    page.wait_for_url(lambda url: f"era={without[0]}" in url)
    page.wait_for_function("() => document.querySelector('.summary-line').textContent.trim().startsWith('0 ')")
    assert zero.is_checked()
    zero.click()
    page.wait_for_url(lambda url: "era=" not in url)
    assert not zero.is_checked()


@pytest.mark.django_db(transaction=True)
def test_typing_a_search_and_pressing_enter_asks_once_without_console_errors(live_server, live_data, chromium):
    """Enter in the search field changes it and submits the form: one request, not one aborted by the
    next (htmx logs an aborted request as a console error)."""
    page = chromium.new_page(viewport={"width": 1280, "height": 800})
    page.set_default_timeout(10_000)
    errors, requests = [], []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("request", lambda request: requests.append(request.url) if request.headers.get("hx-request") else None)
    page.goto(live_server.url + "/")
    page.wait_for_function("() => document.documentElement.classList.contains('continuous')")
    for text in ("Altman", "奥特曼"):
        before = len(requests)
        page.locator("#q").fill(text)
        page.press("#q", "Enter")
        page.wait_for_url(lambda url, text=text: parse_qs(urlsplit(url).query).get("q") == [text])
        page.wait_for_selector("ul.active")
        page.wait_for_timeout(300)  # a second request would be on its way by now
        assert len(requests) - before == 1, requests[before:]
    # The search button after typing (the field's change comes first, on leaving it): one request too,
    # or two that both complete; never an aborted one.
    page.locator("#q").fill("board")
    page.locator(".searchbar button").click()
    page.wait_for_url(lambda url: parse_qs(urlsplit(url).query).get("q") == ["board"])
    page.wait_for_timeout(300)
    assert errors == []
