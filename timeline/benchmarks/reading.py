"""The reader's chronology in headless Chromium at 360×740 and 1280×800, on the shipped data and on
the 100,000-item synthetic database (``seed_synthetic``, cached under ``var/bench/``).

The site runs under gunicorn with production settings (debug off, collected static files). For each
database and viewport, cold browser contexts measure:

* **LCP** and **CLS** of the first view (``largest-contentful-paint`` and ``layout-shift`` entries;
  CLS also over the scrolling that follows);
* **first view bytes**: every response of the first load (HTML, CSS, JS), decoded and gzip-compressed
  (level 6; what a compressing server or CDN sends), and the HTML alone compressed (target ≤ 15 KB);
* **scrolling**: the requests continuous scrolling makes to reach the last item and their bytes
  (target: the whole shipped chronology in ≤ 10 requests), and the DOM nodes once there. At 100,000
  items, scrolling to the end would take 8,334 requests, so the run is kept short: it scrolls through
  ``SCROLL_PAGES`` pages from the start (DOM nodes must stay bounded: far-off pages are dropped) and
  reaches the end from the last page's URL;
* **click to paint**: from the click on a facet value (and from the end of a drag on the time axis)
  to the presentation of the first frame showing the updated results (the Element Timing renderTime
  of the new results heading, as LCP counts paint; target < 100 ms on the shipped data), split into
  the request (and the server's Server-Timing), the wait for the main thread, the swap task and the
  frame. Before each timed input the value (or the axis) is scrolled into view and the page has drawn
  two frames and rested 250 ms, as a reader looks before clicking.

Medians of ``RUNS`` runs. ``python -m timeline.benchmarks reading`` (part of ``make bench``).
"""

from __future__ import annotations

import gzip
import os
import statistics

from timeline.benchmarks import embed, pages
from timeline.benchmarks.chromium import launch_chromium

VIEWPORTS = ((360, 740), (1280, 800))
RUNS = int(os.environ.get("READING_RUNS", "3"))  # READING_RUNS=10 for click timings on a noisy machine
# Fresh addresses per viewport: the axis has room for 2 × 5 different selections (0.05 to 0.78 of its
# width, left of the cached one at 0.8), and a median of 3 was too noisy to tell 100 ms from 110.
FRESH_RUNS = 5
SCROLL_PAGES = 40  # pages scrolled continuously on the 100,000-item database (600 items)
HTML_BUDGET = 15 * 1024

# Largest contentful paint and the layout shifts so far (ms, unitless), read from buffered entries.
VITALS_JS = """() => new Promise(resolve => {
    let lcp = null, cls = 0;
    new PerformanceObserver(list => { for (const e of list.getEntries()) lcp = e.renderTime || e.loadTime || e.startTime; })
        .observe({type: "largest-contentful-paint", buffered: true});
    new PerformanceObserver(list => { for (const e of list.getEntries()) if (!e.hadRecentInput) cls += e.value; })
        .observe({type: "layout-shift", buffered: true});
    setTimeout(() => resolve({lcp, cls}), 300);
})"""

# The layout shifts from now on (while scrolling): the page's load has its own CLS column, and the
# buffered entries of its load (a frame painted while the page was half parsed) are not the scroll's.
LAYOUT_SHIFT_JS = """() => { window.__cls = 0; const since = performance.now(); new PerformanceObserver(list => {
    for (const e of list.getEntries()) if (!e.hadRecentInput && e.startTime >= since) window.__cls += e.value; })
    .observe({type: "layout-shift", buffered: true}); }"""

# Sets window.__paint to the ms from the input event (its timeStamp) to the moment the updated results
# were painted: the renderTime of the Element Timing entry of the new results heading (it carries
# elementtiming="results"), the time its frame was presented, as LCP counts it. Where no entry comes
# (a browser without Element Timing; the heading off screen), the frame after htmx settled the
# results: a requestAnimationFrame callback, then a task queued from it, which runs once the main
# thread has produced that frame (6-16 ms before it is presented on the loaded 2-core machine).
# window.__parts splits it (ms): "request" from the input to the answer's last byte (the answer's
# Resource Timing entry), of which "send" until the request started (its startTime: the input's
# event handlers and htmx building the request) and "server" (its Server-Timing "app"); "wait" until the main thread
# takes the answer (htmx:beforeOnLoad); "task", the one task that swaps and settles it (until
# htmx:afterRequest, which htmx fires last); "frame", from there to the paint.
CLICK_TO_PAINT_JS = """kind => {
    let started = null, loaded = null, handled = null, presented = null;
    window.__paint = undefined;
    window.__parts = undefined;
    const ours = event => event.detail.requestConfig && event.detail.requestConfig.headers["HX-Target"] === "results";
    document.addEventListener(kind, event => { if (started === null) started = event.timeStamp; },
                              {capture: true, once: true});
    document.addEventListener("htmx:beforeOnLoad", event => { if (loaded === null && ours(event)) loaded = performance.now(); }, true);
    document.addEventListener("htmx:afterRequest", event => { if (handled === null && ours(event)) handled = performance.now(); }, true);
    const painted = new PerformanceObserver(list => {
        for (const entry of list.getEntries()) {
            if (entry.identifier === "results" && started !== null && entry.renderTime > started && presented === null) presented = entry.renderTime;
        }
    });
    if (PerformanceObserver.supportedEntryTypes.includes("element")) painted.observe({type: "element"});
    document.addEventListener("htmx:afterSettle", function settled(event) {
        if (!ours(event)) return;
        document.removeEventListener("htmx:afterSettle", settled);
        requestAnimationFrame(() => setTimeout(() => {
            const framed = performance.now();
            const finish = waited => {
                if (presented === null && waited < 1000) { setTimeout(() => finish(waited + 10), 10); return; }
                painted.disconnect();
                const end = presented !== null ? presented : framed;
                const answer = performance.getEntriesByType("resource")
                    .filter(entry => entry.initiatorType === "xmlhttprequest" && entry.startTime >= started).pop();
                const timing = name => answer && (answer.serverTiming || []).find(entry => entry.name === name);
                const app = timing("app"), cpu = timing("cpu");
                window.__parts = {
                    request: answer ? answer.responseEnd - started : NaN,
                    send: answer ? answer.startTime - started : NaN,
                    server: app ? app.duration : NaN,
                    cpu: cpu ? cpu.duration : 0,
                    wait: answer && loaded !== null ? loaded - answer.responseEnd : NaN,
                    task: loaded !== null && handled !== null ? handled - loaded : NaN,
                    frame: handled !== null ? end - handled : NaN,
                    presented: presented !== null ? 1 : 0,
                };
                window.__paint = end - started;
            };
            finish(0);
        }));
    });
}"""
PAINTED_JS = "() => window.__paint !== undefined"
# How often the harness asks whether the paint has been timed (ms). Playwright's default polls in a
# requestAnimationFrame loop, which makes the page draw a frame every vsync while the click is being
# timed: work for the renderer, compositor and browser that a reader's page does not do, taking CPU
# from the server and the swap on a 2-core machine. A timer reads the result without asking for frames.
POLL_MS = 50
# A reader looks before clicking: the value is on screen and the page has drawn what the step before
# changed (loading, opening the panel or the facet). Without this pause the timed click's frame also
# carried that step's rendering and Playwright's scroll to the value, which a person makes earlier
# (traced: the 1280 fresh values sat 798-856 px down an 800 px window, and the click's frame repainted
# the whole 5,236 px page). Two frames, then a quarter of a second.
SETTLED_JS = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 250))))"
PARTS = ("request", "send", "server", "cpu", "wait", "task", "frame", "presented")


def _sizes(responses) -> tuple[int, int, int]:
    raw = packed = html = 0
    for response in responses:
        try:
            body = response.body()
        except Exception:  # redirects and aborted requests have no body
            continue
        raw += len(body)
        compressed = len(gzip.compress(body, 6)) if body else 0
        packed += compressed
        if "text/html" in (response.headers.get("content-type") or ""):
            html += compressed
    return raw, packed, html


def first_view(browser, base: str, viewport) -> dict:
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    page = context.new_page()
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto(base + "/")
    page.wait_for_load_state("networkidle")
    vitals = page.evaluate(VITALS_JS)
    raw, packed, html = _sizes(responses)
    first = page.locator("#stream li.item").first.bounding_box()
    context.close()
    return {"lcp": vitals["lcp"] or float("nan"), "cls": vitals["cls"], "raw": raw, "gzip": packed, "html": html,
            "item_on_first_screen": bool(first and first["y"] + 40 <= viewport[1])}


def scroll(browser, base: str, viewport, *, start: str = "/", max_pages: int | None = None,
           until: str | None = None) -> dict:
    """Scroll continuously from ``start``: until the last item is in the document, or ``max_pages``
    pages have been scrolled in, or the item with slug ``until`` is in the document. The DOM is
    counted after every page (its largest size is reported as well as the final one)."""
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(base + start)
    page.wait_for_function("() => document.documentElement.classList.contains('continuous')")
    result = _scroll(page, max_pages=max_pages, until=until)
    context.close()
    return result


def _scroll(page, *, max_pages: int | None = None, until: str | None = None) -> dict:
    import time

    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    chunks = []
    page.on("response", lambda r: chunks.append(r) if r.request.headers.get("hx-target") == "later" else None)
    page.evaluate(LAYOUT_SHIFT_JS)
    started = time.monotonic()
    largest = page.evaluate(NODES_JS)
    while page.locator("#later a[rel=next]").count():
        if max_pages is not None and len(chunks) >= max_pages:
            break
        if until is not None and page.locator(f"#item-{until}").count():
            break
        _scroll_one_page(page, PlaywrightTimeout)
        largest = max(largest, page.evaluate(NODES_JS))
    page.wait_for_load_state("networkidle")
    seconds = time.monotonic() - started
    raw, packed, _ = _sizes(chunks)
    nodes = page.evaluate(NODES_JS)
    return {
        "requests": len(chunks),
        "raw": raw,
        "gzip": packed,
        "nodes": nodes,
        "largest": max(largest, nodes),
        "items": page.locator("#stream li.item").count(),
        "reached_end": page.locator("#later a[rel=next]").count() == 0,
        "found": bool(until and page.locator(f"#item-{until}").count()),
        "ms_per_page": seconds * 1000 / max(len(chunks), 1),
        "cls": page.evaluate("() => window.__cls"),
    }


NODES_JS = "() => document.getElementsByTagName('*').length"


def _scroll_one_page(page, timeout_error) -> None:
    current = int(page.locator("#later").get_attribute("data-page"))
    for attempt in range(5):
        # Scroll "Later" into view (again, should the scroll event have come before htmx saw it).
        page.evaluate("a => { window.scrollBy(0, -2 * a); document.querySelector('#later').scrollIntoView(); }",
                      attempt)
        try:
            page.wait_for_function("n => !document.querySelector('#later') || "
                                   "Number(document.querySelector('#later').dataset.page) > n",
                                   arg=current, timeout=5_000)
            return
        except timeout_error:
            continue
    raise RuntimeError(f"page {current + 1} never loaded")


def axis_jump(browser, base: str, viewport, last_slug: str) -> dict:
    """From the first view, the axis alone leads to the last item: a click on the last year's column
    (the axis zooms to its months), then a drag over its last two months (it zooms to days); then
    continuous scrolling until the chronology's last item is in the document."""
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(base + "/")
    page.wait_for_function("() => document.documentElement.classList.contains('continuous')")
    clicks = []
    for zoom in ("month", "day"):
        size = int(page.locator("#axis").get_attribute("data-columns"))
        box = page.locator(".axis-plot").bounding_box()
        y = box["y"] + box["height"] / 2
        page.evaluate(CLICK_TO_PAINT_JS, "pointerup")
        # The last year's column; then the last two months.
        page.mouse.move(box["x"] + box["width"] * (size - (0.5 if zoom == "month" else 1.5)) / size, y)
        page.mouse.down()
        page.mouse.move(box["x"] + box["width"] * (size - 0.5) / size, y, steps=3)
        page.mouse.up()
        page.wait_for_function(PAINTED_JS, polling=POLL_MS)
        clicks.append(page.evaluate("() => window.__paint"))
        page.wait_for_function(f"() => document.querySelector('#axis').dataset.zoom === '{zoom}'")
    address = page.url[len(base):]
    after = _scroll(page, until=last_slug)
    context.close()
    return {"address": address, "click_ms": clicks, **after}


def click_to_paint(browser, base: str, viewport, *, fresh: int | None = None) -> dict:
    """A facet click and an axis drag over two columns, each timed to the paint.

    ``fresh=None``: the "Quote" kind and the same two columns every time, so after the first run the
    server answers from its cache (a filter some reader asked for before). ``fresh=i``: the i-th
    facet value and other columns each run, addresses the server has not answered yet."""
    wide = viewport[0] >= 960
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(base + "/")
    page.wait_for_function("() => document.documentElement.classList.contains('continuous')")
    if not wide:
        page.locator(".filter-toggle").click()
    # The i-th value of any facet but the kind (about 90 on the shipped data), so that 10 runs per
    # viewport still ask for addresses nobody asked for before.
    options = page.locator("input[name=kind]") if fresh is None else page.locator("details.facet input:not([name=kind])")
    option = page.locator(f'[id="{options.nth(1 if fresh is None else fresh).get_attribute("id")}"]')
    page.locator("details.facet", has=option).locator("summary").click()
    option.scroll_into_view_if_needed()
    page.evaluate(SETTLED_JS)
    page.evaluate(CLICK_TO_PAINT_JS, "click")
    option.click()
    page.wait_for_function(PAINTED_JS, polling=POLL_MS)
    facet = page.evaluate("() => window.__paint")
    facet_parts = page.evaluate("() => window.__parts")
    if not wide:
        page.locator(".show-results").click()
    page.goto(base + "/")
    page.wait_for_function("() => document.documentElement.classList.contains('continuous')")
    page.locator(".axis-plot").scroll_into_view_if_needed()
    page.evaluate(SETTLED_JS)
    box = page.locator(".axis-plot").bounding_box()
    y = box["y"] + box["height"] / 2
    left, width = 0.8 if fresh is None else 0.05 + 0.07 * fresh, 0.1
    page.evaluate(CLICK_TO_PAINT_JS, "pointerup")
    page.mouse.move(box["x"] + box["width"] * left, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * (left + width), y, steps=3)
    page.mouse.up()
    page.wait_for_function(PAINTED_JS, polling=POLL_MS)
    selection = page.evaluate("() => window.__paint")
    axis_parts = page.evaluate("() => window.__parts")
    context.close()
    return {"facet_ms": facet, "axis_ms": selection,
            **{f"facet_{part}": facet_parts[part] for part in PARTS},
            **{f"axis_{part}": axis_parts[part] for part in PARTS}}


def last_item(database) -> str:
    """The slug of the chronology's last published item (the order of ``Item.chronological``)."""
    import sqlite3

    with sqlite3.connect(database) as connection:
        return connection.execute(
            "SELECT slug FROM timeline_item WHERE status = 'published' "
            "ORDER BY date_start DESC, date_precision DESC, date_end DESC, sequence DESC, slug DESC LIMIT 1"
        ).fetchone()[0]


def median(runs: list[dict]) -> dict:
    """The median of each measure, and for click timings also the best run (``<key>_best``); CLS is
    the worst run's (the target is 0, and a shift in some loads only is still a shift)."""
    values = {key: (max if key == "cls" else statistics.median)(run[key] for run in runs) for key in runs[0]}
    for key in runs[0]:
        if key.endswith("_ms"):
            values[key + "_best"] = min(run[key] for run in runs)
    return values


def run(runs: int = RUNS, *, synthetic: bool = True, shipped: bool = True) -> list[dict]:
    from playwright.sync_api import sync_playwright

    databases = []
    embed.manage(embed.ensure_database(0), "collectstatic", "--noinput", "-v0")  # the sites serve these
    if shipped:
        databases.append(("shipped", embed.ensure_database(0)))
    if synthetic:
        databases.append(("100,000 synthetic", pages.ensure_database(100_000)))
    rows = []
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        for label, database in databases:
            with embed.site(database) as server:
                base = server.base
                last_slug = last_item(database)
                for viewport in VIEWPORTS:
                    first_view(browser, base, viewport)  # warms the server and its caches
                    views = median([first_view(browser, base, viewport) for _ in range(runs)])
                    click_to_paint(browser, base, viewport)  # the server answers these from its cache now
                    clicks = median([click_to_paint(browser, base, viewport) for _ in range(runs)])
                    # Fresh addresses differ between viewports too (one server answers both).
                    # At most FRESH_RUNS: each takes two axis columns further right.
                    offset = FRESH_RUNS * VIEWPORTS.index(viewport)
                    cold = median(
                        [click_to_paint(browser, base, viewport, fresh=offset + i) for i in range(min(runs, FRESH_RUNS))]
                    )
                    if label == "shipped":
                        scrolled = scroll(browser, base, viewport)
                        jump = None
                    else:
                        scrolled = scroll(browser, base, viewport, max_pages=SCROLL_PAGES)
                        jump = axis_jump(browser, base, viewport, last_slug)
                        jump["cached"] = viewport != VIEWPORTS[0]  # the first viewport's jump asked for them
                    rows.append({"data": label, "viewport": viewport, "first": views, "clicks": clicks,
                                 "cold": cold, "scroll": scrolled, "jump": jump})
        browser.close()
    return rows


def _ms(values: dict, key: str) -> str:
    return f"{values[key]:.0f} ({values[key + '_best']:.0f})"


def table(rows: list[dict]) -> str:
    lines = [
        "| data | viewport | LCP ms | CLS (load, worst run / scroll) | item on first screen | first view gzip B (HTML) "
        "| scrolled: pages, gzip B, ms per page | DOM nodes while scrolling: largest / at the stop "
        "| facet click→paint ms (cached / fresh) | axis drag→paint ms (cached / fresh) |",
        "|---|---|" + "---:|" * 8,
    ]
    notes = []
    for row in rows:
        first, scrolled, clicks, cold = row["first"], row["scroll"], row["clicks"], row["cold"]
        where = "the end" if scrolled["reached_end"] else f"page {1 + scrolled['requests']}, not the end"
        lines.append(
            f"| {row['data']} | {row['viewport'][0]}×{row['viewport'][1]} | {first['lcp']:.0f} "
            f"| {first['cls']:.3f} / {scrolled['cls']:.3f} | {'yes' if first['item_on_first_screen'] else 'no'} "
            f"| {first['gzip']:,.0f} ({first['html']:,.0f}) "
            f"| {scrolled['requests']}, {scrolled['gzip']:,}, {scrolled['ms_per_page']:.0f} "
            f"| {scrolled['largest']:,} / {scrolled['nodes']:,} ({scrolled['items']} items at {where}) "
            f"| {_ms(clicks, 'facet_ms')} / {_ms(cold, 'facet_ms')} | {_ms(clicks, 'axis_ms')} / {_ms(cold, 'axis_ms')} |"
        )
        if row["data"] == "shipped":
            notes.append(
                f"{row['viewport'][0]} px, shipped: the whole chronology in {1 + scrolled['requests']} requests "
                f"(target ≤ 10), {first['html'] + scrolled['gzip']:,.0f} B of gzip HTML; first view HTML "
                f"{first['html']:,.0f} B (budget {HTML_BUDGET:,})."
            )
        jump = row.get("jump")
        if jump:
            notes.append(
                f"{row['viewport'][0]} px, {row['data']}: the axis leads to the last item: a click and a drag "
                f"(the last year, then its last two months; "
                f"{' and '.join(f'{ms:.0f}' for ms in jump['click_ms'])} ms to paint"
                f"{', the server had these answers cached' if jump.get('cached') else ', fresh addresses'}) "
                f"open `{jump['address']}`; "
                f"then {jump['requests']} scrolled pages, and the chronology's last item is "
                f"{'in the document' if jump['found'] else 'NOT reached'}; DOM nodes largest "
                f"{jump['largest']:,}, {jump['nodes']:,} at the stop."
            )
    parts = [
        "| data | viewport | click | request (send; server, its CPU) | wait | task | frame | painted by |",
        "|---|---|---|---:|---:|---:|---:|---|",
    ]
    for row in rows:
        for click, label in (("facet", "facet"), ("axis", "axis drag")):
            for values, which in ((row["clicks"], "cached"), (row["cold"], "fresh")):
                parts.append(
                    f"| {row['data']} | {row['viewport'][0]}×{row['viewport'][1]} | {label}, {which} "
                    f"| {values[click + '_request']:.0f} ({values[click + '_send']:.0f}; {values[click + '_server']:.0f}, {values[click + '_cpu']:.0f}) "
                    f"| {values[click + '_wait']:.0f} | {values[click + '_task']:.0f} | {values[click + '_frame']:.0f} "
                    f"| {'Element Timing' if values[click + '_presented'] >= 0.5 else 'frame after settle'} |"
                )
    return (
        "## Reading the chronology in Chromium\n\n"
        + "\n".join(lines)
        + "\n\n"
        + "\n".join(f"- {note}" for note in notes)
        + "\n\nWhere a click's time goes (medians, ms): the request from the input to the answer's last byte "
        "(the server's own time, from its Server-Timing header); the wait until the main thread takes the "
        "answer; the one main-thread task that swaps it in and settles it (htmx, chronology.js, the style "
        "and layout its focus move forces); the frame until it is painted (the results heading's Element "
        "Timing renderTime, else the frame after settle; \"painted by\" says which most runs had).\n\n"
        + "\n".join(parts)
        + "\n\nBytes are decoded bodies compressed with gzip -6 (what a compressing server sends). "
        "Click→paint: from the input event to the presentation of the first frame showing the new results "
        "(Element Timing on the results heading); "
        f"median (best) of {RUNS} runs ({min(RUNS, FRESH_RUNS)} fresh); \"cached\": an address the server answered before (after one "
        "untimed run), \"fresh\": a new address each run (a different facet value, other "
        "columns), so the server renders it. The shipped data is scrolled from the first page to the "
        "end; the 100,000-item chronology (thousands of pages) is scrolled continuously for "
        f"{SCROLL_PAGES} pages from the first, and its end is reached through the axis (notes).\n"
    )


def main(synthetic: bool = True, shipped: bool = True) -> str:
    return table(run(synthetic=synthetic, shipped=shipped))


if __name__ == "__main__":
    import sys

    # ``python -m timeline.benchmarks.reading shipped`` measures the shipped data only, ``synthetic``
    # the 100,000 items only (each run then stays within a few minutes).
    print(main(synthetic="shipped" not in sys.argv[1:], shipped="synthetic" not in sys.argv[1:]))
