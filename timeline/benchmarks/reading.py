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
  to the first frame after htmx has put the updated results in (target < 100 ms on the shipped data).

Medians of ``RUNS`` runs. ``python -m timeline.benchmarks reading`` (part of ``make bench``).
"""

from __future__ import annotations

import gzip
import re
import statistics

from timeline.benchmarks import embed, pages
from timeline.benchmarks.chromium import launch_chromium

VIEWPORTS = ((360, 740), (1280, 800))
RUNS = 3
SCROLL_PAGES = 30  # pages scrolled through on the 100,000-item database
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

LAYOUT_SHIFT_JS = """() => { window.__cls = 0; new PerformanceObserver(list => {
    for (const e of list.getEntries()) if (!e.hadRecentInput) window.__cls += e.value; })
    .observe({type: "layout-shift", buffered: true}); }"""

# Sets window.__paint to the ms from the input event (its timeStamp) to the frame after htmx settled
# the updated results.
CLICK_TO_PAINT_JS = """kind => {
    let started = null;
    window.__paint = undefined;
    document.addEventListener(kind, event => { if (started === null) started = event.timeStamp; },
                              {capture: true, once: true});
    document.addEventListener("htmx:afterSettle", function settled(event) {
        if (!event.detail.requestConfig || event.detail.requestConfig.headers["HX-Target"] !== "results") return;
        document.removeEventListener("htmx:afterSettle", settled);
        requestAnimationFrame(() => setTimeout(() => { window.__paint = performance.now() - started; }));
    });
}"""
PAINTED_JS = "() => window.__paint !== undefined"


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


def scroll(browser, base: str, viewport, *, start: str = "/", max_pages: int | None = None) -> dict:
    """Scroll until the last item is in the document (or ``max_pages`` pages have loaded)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    page = context.new_page()
    page.set_default_timeout(30_000)
    chunks = []
    page.on("response", lambda r: chunks.append(r) if r.request.headers.get("hx-target") == "later" else None)
    page.goto(base + start)
    page.wait_for_function("() => window.htmx !== undefined")
    page.evaluate(LAYOUT_SHIFT_JS)
    while page.locator("#later a[rel=next]").count():
        if max_pages is not None and len(chunks) >= max_pages:
            break
        current = int(page.locator("#later").get_attribute("data-page"))
        for attempt in range(5):
            # Scroll "Later" into view (again, should the scroll event have come before htmx saw it).
            page.evaluate("a => { window.scrollBy(0, -2 * a); document.querySelector('#later').scrollIntoView(); }",
                          attempt)
            try:
                page.wait_for_function("n => !document.querySelector('#later') || "
                                       "Number(document.querySelector('#later').dataset.page) > n",
                                       arg=current, timeout=5_000)
                break
            except PlaywrightTimeout:
                continue
        else:
            raise RuntimeError(f"page {current + 1} never loaded")
    page.wait_for_load_state("networkidle")
    raw, packed, _ = _sizes(chunks)
    result = {
        "requests": len(chunks),
        "raw": raw,
        "gzip": packed,
        "nodes": page.evaluate("() => document.getElementsByTagName('*').length"),
        "items": page.locator("#stream li.item").count(),
        "reached_end": page.locator("#later a[rel=next]").count() == 0,
        "cls": page.evaluate("() => window.__cls"),
    }
    context.close()
    return result


def click_to_paint(browser, base: str, viewport) -> dict:
    """A facet click (the first topic) and an axis drag over two columns, each timed to the paint."""
    wide = viewport[0] >= 960
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(base + "/")
    page.wait_for_function("() => window.htmx !== undefined")
    if not wide:
        page.locator(".filter-toggle").click()
    page.locator("summary", has_text="Kind").click()
    page.evaluate(CLICK_TO_PAINT_JS, "click")
    page.locator("input[name=kind][value=quote]").click()
    page.wait_for_function(PAINTED_JS)
    facet = page.evaluate("() => window.__paint")
    if not wide:
        page.locator(".show-results").click()
    page.goto(base + "/")
    page.wait_for_function("() => window.htmx !== undefined")
    box = page.locator(".axis-plot").bounding_box()
    y = box["y"] + box["height"] / 2
    page.evaluate(CLICK_TO_PAINT_JS, "pointerup")
    page.mouse.move(box["x"] + box["width"] * 0.55, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.65, y, steps=3)
    page.mouse.up()
    page.wait_for_function(PAINTED_JS)
    selection = page.evaluate("() => window.__paint")
    context.close()
    return {"facet_ms": facet, "axis_ms": selection}


def median(runs: list[dict]) -> dict:
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def run(runs: int = RUNS, *, synthetic: bool = True) -> list[dict]:
    from playwright.sync_api import sync_playwright

    shipped = embed.ensure_database(0)
    embed.manage(shipped, "collectstatic", "--noinput", "-v0")
    databases = [("shipped", shipped)]
    if synthetic:
        databases.append(("100,000 synthetic", pages.ensure_database(100_000)))
    rows = []
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        for label, database in databases:
            with embed.site(database) as server:
                base = server.base
                last_page = None
                for viewport in VIEWPORTS:
                    first_view(browser, base, viewport)  # warms the server and its caches
                    views = median([first_view(browser, base, viewport) for _ in range(runs)])
                    clicks = median([click_to_paint(browser, base, viewport) for _ in range(runs)])
                    if label == "shipped":
                        scrolled = scroll(browser, base, viewport)
                        end = None
                    else:
                        scrolled = scroll(browser, base, viewport, max_pages=SCROLL_PAGES)
                        if last_page is None:
                            html = server.get("/")[0].decode()
                            last_page = max(int(n) for n in re.findall(r"Page \d+ of (\d+)", html))
                        end = scroll(browser, base, viewport, start=f"/?page={last_page - 1}")
                    rows.append({"data": label, "viewport": viewport, "first": views, "clicks": clicks,
                                 "scroll": scrolled, "end": end})
        browser.close()
    return rows


def table(rows: list[dict]) -> str:
    lines = [
        "| data | viewport | LCP ms | CLS (load / scroll) | item on first screen | first view gzip B (HTML) "
        "| scrolled: requests, gzip B | DOM nodes after scrolling | facet click→paint ms | axis drag→paint ms |",
        "|---|---|" + "---:|" * 8,
    ]
    notes = []
    for row in rows:
        first, scrolled, clicks, end = row["first"], row["scroll"], row["clicks"], row["end"]
        where = "to the end" if scrolled["reached_end"] else f"{scrolled['requests']} pages"
        nodes = f"{scrolled['nodes']:,} ({scrolled['items']} items, {where})"
        if end:
            nodes += f"; {end['nodes']:,} at the end"
        lines.append(
            f"| {row['data']} | {row['viewport'][0]}×{row['viewport'][1]} | {first['lcp']:.0f} "
            f"| {first['cls']:.3f} / {scrolled['cls']:.3f} | {'yes' if first['item_on_first_screen'] else 'no'} "
            f"| {first['gzip']:,.0f} ({first['html']:,.0f}) | {scrolled['requests']}, {scrolled['gzip']:,} "
            f"| {nodes} | {clicks['facet_ms']:.0f} | {clicks['axis_ms']:.0f} |"
        )
        if row["data"] == "shipped":
            notes.append(
                f"{row['viewport'][0]} px, shipped: the whole chronology in {1 + scrolled['requests']} requests "
                f"(target ≤ 10), {first['html'] + scrolled['gzip']:,.0f} B of gzip HTML; first view HTML "
                f"{first['html']:,.0f} B (budget {HTML_BUDGET:,})."
            )
    return (
        "## Reading the chronology in Chromium\n\n"
        + "\n".join(lines)
        + "\n\n"
        + "\n".join(f"- {note}" for note in notes)
        + "\n\nBytes are decoded bodies compressed with gzip -6 (what a compressing server sends); "
        "at 100,000 items scrolling stops after "
        f"{SCROLL_PAGES} pages and the end is reached from the last page's URL.\n"
    )


def main(synthetic: bool = True) -> str:
    return table(run(synthetic=synthetic))


if __name__ == "__main__":
    import sys

    # ``python -m timeline.benchmarks.reading shipped`` measures the shipped data only.
    print(main(synthetic="shipped" not in sys.argv[1:]))
