"""The embed as a publisher uses it, in headless Chromium on a host page served from another origin.

The snippets come from the "Embed this view" builder itself (what a publisher copies), and the host is
the tiny publisher server of tests/test_browser_embed.py on another port. Checked: paging inside the
widget brings its top into view and "Show more" the first new item; the host page does not shift (CLS 0) while the widget loads and sizes
itself, with the loader and without any JavaScript; a dark OS with the default theme renders light;
the compact layout is one line per item and a fixed-height widget scrolls inside; no layout scrolls
sideways at 360 or 320 px; the estimate the snippets reserve is close to the rendered height on every
page of the chronology (exact for compact); axe finds nothing serious; oEmbed's html is one working
embed; the builder's snippet reproduces its preview, with and without JavaScript.

The database is read before Playwright starts (its event loop makes Django refuse ORM calls).
"""

from __future__ import annotations

import html
import re
import threading
import time
from http.server import ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit
from urllib.request import urlopen

import pytest
from django.http import QueryDict
from django.test import RequestFactory

from tests.test_browser_embed import PublisherHandler, frames, item_ids, new_page, publisher, slugs  # noqa: F401
from timeline.embedding import estimated_height
from timeline.models import Item
from timeline.views.embed import DEFAULT_LIMIT, widget_page

pytestmark = pytest.mark.browser

# Every layout shift the page has recorded, read at the end from the buffer (synchronously: with
# JavaScript off in the page, timers do not run, but the browser still records the shifts).
LAYOUT_SHIFTS = """() => {
    const observer = new PerformanceObserver(() => {});
    observer.observe({type: "layout-shift", buffered: true});
    const shifts = observer.takeRecords();
    observer.disconnect();
    return shifts.filter(s => !s.hadRecentInput).map(s => s.value);
}"""

# The indexes of the iframes that are (partly) inside the viewport.
IN_VIEW = """() => [...document.querySelectorAll("iframe")].map((f, i) => [f.getBoundingClientRect(), i])
    .filter(([r]) => r.bottom > 0 && r.top < innerHeight).map(([, i]) => i)"""

SLOW_IMAGE = b'<svg xmlns="http://www.w3.org/2000/svg" width="600" height="200"></svg>'


class SlowHandler(PublisherHandler):
    """The publisher server, plus an image that arrives late (the control: it does shift the page)."""

    def do_GET(self):  # noqa: N802
        if self.path.startswith("/slow.svg"):
            time.sleep(0.4)
            self.send_response(200)
            self.send_header("Content-Type", "image/svg+xml")
            self.send_header("Content-Length", str(len(SLOW_IMAGE)))
            self.end_headers()
            self.wfile.write(SLOW_IMAGE)
            return
        super().do_GET()


def builder_code(client_get, query: dict) -> dict:
    """The builder's script and iframe snippets and its preview URL for ``query`` (as a publisher copies them)."""
    page = client_get(f"/embed/builder/?{urlencode(query, doseq=True)}")
    script = html.unescape(re.search(r'<textarea id="embed-script"[^>]*>([^<]*)</textarea>', page).group(1))
    iframe = html.unescape(re.search(r'<textarea id="embed-iframe"[^>]*>([^<]*)</textarea>', page).group(1))
    preview = html.unescape(re.search(r'<iframe class="builder-frame" data-preview src="([^"]+)"', page).group(1))
    return {"script": script, "iframe": iframe, "preview": preview}


@pytest.fixture
def get(live_server):
    """GET a page of the live site over HTTP (so its absolute URLs name the live server)."""

    def fetch(path: str) -> str:
        with urlopen(live_server.url + path) as response:
            assert response.status == 200, path
            return response.read().decode()

    return fetch


def article(body: str, *, before: int = 300, after: int = 2000) -> str:
    """A newspaper page: text above the widget, the widget, and a long text after it."""
    filler = "<p>" + "Reporting on OpenAI. " * 40 + "</p>"
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>A newspaper</title>
        <style>body{{max-width:680px;margin:0 auto;font:16px/1.5 serif}}</style></head><body>
        <h1>Our story</h1><div style="height:{before}px">{filler}</div>
        {body}
        <div id="after" style="height:{after}px">{filler}{filler}</div></body></html>"""


def estimated(query: str, cjk: float = 1.0) -> int:
    view = widget_page(RequestFactory().get("/embed/?" + query), QueryDict(query))
    return estimated_height(view.rows, view.options, notices=len(view.notices), cjk=cjk)


# The width of a CJK character in ems as this browser draws it: 1 with a CJK font; without one (a bare
# test machine) Chromium draws narrower boxes, and the estimate is checked for what is on screen.
CJK_WIDTH = """() => { const s = document.createElement("span"); s.textContent = "中文字符测试中文字符测试";
    document.body.appendChild(s); const w = s.getBoundingClientRect().width / 12 / parseFloat(getComputedStyle(s).fontSize);
    s.remove(); return w; }"""


def frame_box(page, index: int = 0) -> dict:
    return page.locator("iframe").nth(index).evaluate(
        "f => { const r = f.getBoundingClientRect(); return {top: r.top, height: r.height}; }"
    )


def widget_height(frame) -> int:
    return frame.evaluate("Math.ceil(document.documentElement.getBoundingClientRect().height)")


def wait_for_size(page, frame, index: int = 0) -> None:
    """Until the iframe is as tall as its widget (the loader sizes it once nothing visible moves)."""
    page.wait_for_function(
        "([i, h]) => Math.abs(document.querySelectorAll('iframe')[i].getBoundingClientRect().height - h) < 1",
        arg=[index, widget_height(frame)],
    )


def test_paging_inside_the_widget_brings_its_top_into_view(live_server, live_data, publisher, chromium, get):  # noqa: F811
    pages = [slugs({}, limit=12, page=n) for n in (1, 2, 3)]
    code = builder_code(get, {"limit": "12"})
    host = publisher.add("/paging.html", article(code["script"]))
    page = new_page(chromium, width=900, height=700)
    page.goto(host)
    frame = frames(page)[0]
    frame.wait_for_selector(f"#item-{pages[0][-1]}")
    assert item_ids(frame) == pages[0]

    # The reader reads down to the end of the widget, where "Later →" is: its top is far above.
    page.evaluate("window.scrollBy(0, document.querySelector('iframe').getBoundingClientRect().bottom - 600)")
    wait_for_size(page, frame)
    assert frame_box(page)["top"] < -1000
    for number in (1, 2):
        frame.locator("a[rel=next]").click()
        frame.wait_for_selector(f"#item-{pages[number][0]}")
        assert item_ids(frame) == pages[number]
        # The page scrolls so that the widget's top (with the first new item) is in view.
        page.wait_for_function("() => Math.abs(document.querySelector('iframe').getBoundingClientRect().top) < 20")
        first = frame.locator(f"#item-{pages[number][0]}").bounding_box()
        assert 0 <= first["y"] < 700, first
        # Keyboard users continue at the first item of the new page.
        assert frame.evaluate("document.activeElement.closest('li') && document.activeElement.closest('li').id") == (
            f"item-{pages[number][0]}"
        )
        # Reading down again: the frame is resized to the new page's content.
        page.evaluate("window.scrollBy(0, document.querySelector('iframe').getBoundingClientRect().bottom - 600)")
        wait_for_size(page, frame)
        page.evaluate("window.scrollBy(0, document.querySelector('iframe').getBoundingClientRect().bottom - 600)")

    # Back to earlier items: the same.
    frame.locator("a[rel=prev]").click()
    frame.wait_for_selector(f"#item-{pages[1][0]}")
    page.wait_for_function("() => Math.abs(document.querySelector('iframe').getBoundingClientRect().top) < 20")

    # "Show more" at the bottom of the first page: twice the items, and the page scrolls to the first new one.
    every = slugs({}, limit=24)
    page.goto(host)
    frame = frames(page)[0]
    frame.wait_for_selector(f"#item-{pages[0][-1]}")
    page.evaluate("window.scrollBy(0, document.querySelector('iframe').getBoundingClientRect().bottom - 600)")
    wait_for_size(page, frame)
    frame.locator("a.tl-more").click()
    frame.wait_for_selector(f"#item-{every[-1]}")
    assert item_ids(frame) == every
    new_item = frame.locator(f"#item-{every[12]}")
    for _ in range(50):
        box = new_item.bounding_box()
        if box and 0 <= box["y"] < 700:
            break
        page.wait_for_timeout(100)
    assert 0 <= box["y"] < 700, box

    # A widget whose top is already in view is left where it is (no jump).
    code = builder_code(get, {"limit": "3", "layout": "compact"})
    host = publisher.add("/short.html", article(code["script"], before=100))
    page.goto(host)
    frame = frames(page)[0]
    frame.wait_for_selector("a[rel=next]")
    before = page.evaluate("window.scrollY")
    frame.locator("a[rel=next]").click()
    frame.wait_for_selector(f"#item-{slugs({}, limit=3, page=2)[0]}")
    page.wait_for_timeout(300)
    assert page.evaluate("window.scrollY") == before
    assert page.errors == []


@pytest.mark.parametrize("javascript", ["loader", "none"])
def test_the_host_page_does_not_shift_while_the_widget_loads(live_server, live_data, chromium, get, javascript):
    """CLS 0 on the host: the snippet reserves the server's estimate, and the loader resizes the frame
    only where the reader cannot see anything move (its bottom edge off screen), scrolling down or up."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), SlowHandler)
    server.pages = {}
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        widgets = []
        for query in ({"limit": "12"}, {"limit": "8", "layout": "compact"}, {"era": "board-crisis"}):
            code = builder_code(get, query)
            widgets.append(code["script"] if javascript == "loader" else code["iframe"])
        body = widgets[0] + "<p>Between the widgets.</p>" + widgets[1] + "<p>And another.</p>" + widgets[2]
        server.pages["/cls.html"] = ("text/html; charset=utf-8", article(body, before=200).encode())
        control = article('<img src="/slow.svg" alt="">' + widgets[1], before=50)
        server.pages["/control.html"] = ("text/html; charset=utf-8", control.encode())

        page = new_page(chromium, javascript=javascript == "loader", width=800, height=800)
        page.goto(origin + "/control.html")
        page.wait_for_timeout(800)
        assert sum(page.evaluate(LAYOUT_SHIFTS)) > 0.05, "the measurement sees a real shift"

        page.goto(origin + "/cls.html")
        widgets = frames(page)
        widgets[0].wait_for_selector("li.tl-item")
        # Read the page: down through every widget and back up, as a reader would. The snippets'
        # iframes load lazily, so with JavaScript on, Chromium loads a widget far below the fold only as
        # the reader approaches it (without JavaScript, lazy loading is off and every frame loads at
        # once): each widget must show its items by the time it is in view.
        for reading in range(2):
            for step in range(0, 12000, 400):
                page.evaluate(f"window.scrollTo(0, {step})")
                page.wait_for_timeout(40)
                if reading == 0:
                    for index in page.evaluate(IN_VIEW):
                        widgets[index].wait_for_selector("li.tl-item", timeout=5000)
            for step in range(12000, -1, -600):
                page.evaluate(f"window.scrollTo(0, {step})")
                page.wait_for_timeout(40)
        page.wait_for_timeout(300)
        assert page.evaluate(LAYOUT_SHIFTS) == []
        for frame in widgets:
            assert frame.locator("li.tl-item").count() > 0 and frame.locator("li.tl-item").first.is_visible()
        if javascript == "loader":
            # …and by then every widget has been sized to its content, without an inner scrollbar.
            for index, frame in enumerate(frames(page)):
                assert abs(frame_box(page, index)["height"] - widget_height(frame)) < 1
        else:
            # Without JavaScript the reserved height stays: each widget is whole or scrolls inside itself.
            heights = [frame_box(page, index)["height"] for index in range(3)]
            assert heights == [float(estimated(urlsplit(frames(page)[i].url).query)) for i in range(3)]
        assert page.errors == []
    finally:
        server.shutdown()
        server.server_close()


def test_the_estimate_is_close_and_exact_for_compact(live_server, live_data, chromium):
    """What the snippets reserve is what the widget will take at 640 px (English; compact exactly): the
    current default (five cards, sources folded) page by page through the whole chronology, and others."""
    pages = -(-Item.objects.published().count() // DEFAULT_LIMIT)
    defaults = [f"v=2&page={n}" for n in range(1, pages + 1)]
    # November 2023: its page 3 and the compact list show the "Possibly in this period" line (PART_ROW).
    queries = ["v=1&limit=12", "v=2&era=board-crisis", "v=2&kind=quote&limit=10", "v=1&page=3", "v=2&theme=neon",
               "v=2&from=2023-11&to=2023-11&page=3"]
    compact = ["v=2&layout=compact&limit=12", "v=2&layout=compact&era=founding", "v=2&layout=compact&limit=500",
               "v=2&layout=compact&from=2023-11&to=2023-11&limit=50"]
    page = new_page(chromium, width=640, height=800)
    page.goto(f"{live_server.url}/embed/?v=2")
    cjk = page.evaluate(CJK_WIDTH)
    expected = {query: estimated(query, cjk) for query in defaults + queries + compact}
    errors, default_heights = [], []
    for query, estimate in expected.items():
        page.goto(f"{live_server.url}/embed/?{query}")
        height = page.evaluate("Math.ceil(document.documentElement.getBoundingClientRect().height)")
        if "compact" in query:
            assert estimate == height, query
        else:
            # Within two lines of text (48 px, 4 % of five cards): the estimate counts characters, and a
            # line that breaks one word earlier or later than counted is a line more or less.
            assert abs(estimate - height) <= 48, (query, estimate, height)
            errors.append(abs(estimate - height))
        if query in defaults:
            default_heights.append(height)
            assert height < 1500, (query, height)  # five cards in an article (v=1's twenty: about 4,200 px)
    assert sum(errors) / len(errors) <= 16, errors  # most pages exact
    print(f"CJK at {cjk:.2f} em; estimate vs rendered, {len(errors)} list widgets: mean {sum(errors) / len(errors):.0f} px, "
          f"max {max(errors)} px; default widget {min(default_heights)}–{max(default_heights)} px, "
          f"median {sorted(default_heights)[len(default_heights) // 2]} px over {len(default_heights)} pages")


# What sticks out sideways: the document's and the list's overflow, and any visible link past the edge.
SIDEWAYS = """() => { const d = document.documentElement, list = document.querySelector(".tl-list");
    return {document: d.scrollWidth - d.clientWidth, list: list ? list.scrollWidth - list.clientWidth : 0,
            links: [...document.querySelectorAll("a")].filter(a => a.getClientRects().length
                && a.getBoundingClientRect().right > d.clientWidth + 0.5).map(a => a.className || a.textContent)}; }"""


def test_no_layout_scrolls_sideways_on_a_phone(live_server, live_data, chromium):
    """At 360 and 320 px no layout (list with its sources open, compact, fixed height, both) scrolls
    sideways or puts a link out of reach, in English and Chinese, on the first page ("Show more") and a
    later one ("Earlier", "Later")."""
    layouts = ["", "&layout=compact", "&height=300", "&layout=compact&height=300"]
    queries = [f"v=2{layout}{extra}" for layout in layouts for extra in ("", "&page=2", "&lang=zh&page=3")]
    queries += ["v=2&layout=compact&person=sam-altman&era=board-crisis&limit=2&page=2", "v=1&layout=compact&limit=100"]
    for width in (360, 320):
        page = new_page(chromium, width=width, height=740)
        for query in queries:
            page.goto(f"{live_server.url}/embed/?{query}")
            for summary in page.locator(".tl-ev summary").all():
                summary.click()
            assert page.evaluate(SIDEWAYS) == {"document": 0, "list": 0, "links": []}, (width, query)
            if "compact" in query:
                # One line per item still, and every row's source link is in view.
                heights = page.locator("li.tl-item").evaluate_all("els => els.map(e => e.getBoundingClientRect().height)")
                assert set(heights) == {32}, (width, query)
        assert page.errors == []


def test_the_widget_has_no_serious_accessibility_problem(live_server, live_data, chromium):
    """axe-core on the widget, its cards' sources open (the cited words and their translations), in both
    themes, compact and in Chinese: no serious or critical WCAG 2.2 AA violation."""
    from tests.test_browser_chronology import axe_problems

    page = chromium.new_context(bypass_csp=True, viewport={"width": 640, "height": 800}).new_page()
    problems = []
    for query in ("v=2", "v=2&theme=dark&page=10", "v=2&lang=zh&page=3", "v=2&layout=compact&theme=dark"):
        page.goto(f"{live_server.url}/embed/?{query}")
        for summary in page.locator(".tl-ev summary").all():
            summary.click()
        problems += axe_problems(page, query)
    assert problems == []


def test_the_oembed_html_pasted_on_a_page_is_one_working_embed(live_server, live_data, publisher, chromium, get):  # noqa: F811
    """What a consumer inserts from oEmbed: one iframe (named, sized) and the loader. With scripts it
    sizes itself; an item's embed does not pull the host page to itself when it loads; without scripts
    (stripped) the iframe alone keeps its reserved size."""
    import json

    item = slugs({}, limit=1000)[40]
    timeline = json.loads(get("/oembed?" + urlencode({"url": f"{live_server.url}/?era=founding"})))
    single = json.loads(get("/oembed?" + urlencode({"url": f"{live_server.url}/items/{item}/"})))
    for data in (timeline, single):
        assert data["html"].count("<iframe") == 1 and data["html"].count("<script") == 1
    host = publisher.add("/oembed.html", article(timeline["html"] + "<p>Between.</p>" + single["html"], before=400))
    page = new_page(chromium, width=800, height=800)
    page.goto(host)
    first, second = frames(page)
    first.wait_for_selector("li.tl-item")
    second.wait_for_selector(f"#item-{item}")
    assert frame_box(page, 0)["height"] == timeline["height"] and frame_box(page, 1)["height"] == single["height"]
    page.wait_for_timeout(500)
    assert page.evaluate("window.scrollY") == 0  # the item's embed stayed where it is
    assert [f.get_attribute("title") for f in page.locator("iframe").all()] == [timeline["title"], single["title"]]
    # Where scripts are stripped, the iframe is the embed, at its reserved size.
    stripped = publisher.add("/stripped.html", article(re.sub(r"<script[^>]*></script>", "", timeline["html"])))
    nojs = new_page(chromium, width=800, height=800)
    nojs.goto(stripped)
    frames(nojs)[0].wait_for_selector("li.tl-item")
    assert frame_box(nojs, 0)["height"] == timeline["height"]
    assert page.errors == [] and nojs.errors == []


def test_dark_os_with_the_default_theme_renders_light(live_server, live_data, chromium):
    page = chromium.new_context(color_scheme="dark").new_page()
    background = "getComputedStyle(document.body).backgroundColor"
    for query in ("", "?v=1", "?v=2", "?era=founding&v=2"):
        page.goto(f"{live_server.url}/embed/{query}")
        assert page.evaluate(background) == "rgb(255, 255, 255)", query
    page.goto(f"{live_server.url}/embed/?theme=auto&v=2")
    assert page.evaluate(background) == "rgb(22, 22, 22)"
    light = chromium.new_context(color_scheme="light").new_page()
    light.goto(f"{live_server.url}/embed/?theme=auto&v=2")
    assert light.evaluate(background) == "rgb(255, 255, 255)"


def test_compact_is_one_line_per_item_and_a_fixed_height_widget_scrolls_inside(
    live_server, live_data, publisher, chromium, get  # noqa: F811
):
    every = slugs({}, limit=1000)
    target = every[30]
    compact = builder_code(get, {"layout": "compact", "limit": "40"})
    fixed = builder_code(get, {"height": "320", "limit": "40", "focus": target})
    host = publisher.add("/layouts.html", article(compact["script"] + fixed["script"], before=50))
    page = new_page(chromium, width=420, height=800)  # a phone-sized column
    page.goto(host)
    first, second = frames(page)
    first.wait_for_selector("li.tl-item")
    rows = first.locator("li.tl-item").evaluate_all(
        """els => els.map(e => ({height: e.getBoundingClientRect().height,
                                links: [...e.querySelectorAll('a')].map(a => a.href),
                                date: !!e.querySelector('time'),
                                overflow: e.scrollHeight > e.clientHeight + 1}))"""
    )
    assert len(rows) == 40
    for row in rows:
        assert row["height"] == 32 and row["date"] and not row["overflow"], row
        assert len(row["links"]) == 2 and "/items/" in row["links"][0] and "?hl=" in row["links"][1], row
    page.wait_for_function("() => document.querySelector('iframe').getBoundingClientRect().height > 1000")
    wait_for_size(page, first)

    # Fixed height: the frame keeps 320 px, its header and footer stay, the list scrolls to the item.
    second.wait_for_selector("[data-focus]")
    page.wait_for_timeout(300)
    assert frame_box(page, 1)["height"] == 320
    inner = second.evaluate(
        """() => { const list = document.querySelector('.tl-list'), item = document.querySelector('[data-focus]');
                  const l = list.getBoundingClientRect(), i = item.getBoundingClientRect();
                  return {scrolls: list.scrollHeight > list.clientHeight, scrollTop: list.scrollTop,
                          visible: i.top >= l.top - 1 && i.top < l.bottom, page: document.documentElement.scrollHeight,
                          foot: document.querySelector('.tl-foot').getBoundingClientRect().bottom}; }"""
    )
    assert inner["scrolls"] and inner["scrollTop"] > 0 and inner["visible"], inner
    assert inner["page"] == 320 and inner["foot"] <= 320, inner
    assert second.locator("[data-focus]").get_attribute("id") == f"item-{target}"
    assert page.errors == []


def test_the_builder_snippet_reproduces_the_preview(live_server, live_data, publisher, chromium):  # noqa: F811
    """With JavaScript the builder updates as options change; the code it then shows, pasted on another
    site, renders exactly the preview. Without JavaScript the same form submits and shows the same."""
    founding = slugs({"era": "founding"}, limit=4)
    site = live_server.url
    page = new_page(chromium, width=1200, height=900)
    page.goto(f"{site}/")
    # htmx is loaded after the page's load event (enhance.js); chronology.js, run after it, marks the page.
    page.wait_for_function("() => document.documentElement.classList.contains('continuous')")
    # Filtering with htmx swaps only the results; the header's link follows (out of band).
    page.evaluate("htmx.ajax('GET', '/?era=founding', {target: '#results', swap: 'outerHTML'})")
    page.locator('#embed-link a[href="/embed/builder/?era=founding"]').wait_for()
    page.locator("#embed-link a").click()
    page.wait_for_url(re.compile(r"/embed/builder/\?era=founding"))
    page.locator("input[name=layout][value=compact]").check()
    page.wait_for_function("() => document.querySelector('iframe[data-preview]').src.includes('layout=compact')")
    page.locator("input[name=theme][value=dark]").check()
    page.wait_for_function("() => document.querySelector('iframe[data-preview]').src.includes('theme=dark')")
    page.locator("#b-limit").fill("4")
    page.locator("#b-accent").fill("1a7f37")
    page.locator("#b-language").select_option("zh")
    page.wait_for_function(
        "() => ['limit=4', 'accent=1a7f37', 'lang=zh'].every(p => document.querySelector('iframe[data-preview]').src.includes(p))"
    )
    assert "layout=compact" in page.url and "language=zh" in page.url  # the builder's own URL is shareable
    preview = page.frame_locator("iframe[data-preview]")
    preview.locator(f"#item-{founding[-1]}").wait_for()
    snippet = page.locator("#embed-script").input_value()
    plain = page.locator("#embed-iframe").input_value()
    oembed_url = page.locator("#embed-oembed").input_value()
    src = page.locator("iframe[data-preview]").get_attribute("src")
    assert f'src="{html.escape(src)}"' in snippet and snippet.startswith(plain.replace("></iframe>", " data-timeline-embed></iframe>"))
    assert parse_qs(urlsplit(src).query) == {
        "era": ["founding"], "lang": ["zh"], "theme": ["dark"], "layout": ["compact"], "limit": ["4"],
        "accent": ["1a7f37"], "v": ["2"],
    }

    def rendering(frame) -> dict:
        return frame.evaluate(
            """() => ({ids: [...document.querySelectorAll('li.tl-item')].map(e => e.id),
                      html: document.documentElement.outerHTML.length,
                      theme: document.documentElement.dataset.theme, layout: document.documentElement.dataset.layout,
                      lang: document.documentElement.lang,
                      accent: getComputedStyle(document.documentElement).getPropertyValue('--accent').trim(),
                      background: getComputedStyle(document.body).backgroundColor})"""
        )

    expected = rendering(page.frames[1] if page.frames[1].url == src else next(f for f in page.frames if f.url == src))
    assert expected["ids"] == [f"item-{slug}" for slug in founding]
    assert (expected["theme"], expected["layout"], expected["lang"], expected["accent"]) == (
        "dark", "compact", "zh-Hans", "#1a7f37"
    )

    host = publisher.add("/built.html", article(snippet, before=50))
    other = new_page(chromium, width=1200, height=900)
    other.goto(host)
    frame = frames(other)[0]
    frame.wait_for_selector(f"#item-{founding[-1]}")
    assert frame.url == src
    assert rendering(frame) == expected
    # The oEmbed URL names the same widget.
    oembed = other.request.get(oembed_url).json()
    assert f'src="{html.escape(src)}"' in oembed["html"]

    # Without JavaScript: the same form, submitted, gives the same code and preview.
    nojs = new_page(chromium, javascript=False, width=1200, height=900)
    nojs.goto(f"{site}/embed/builder/?era=founding")
    assert nojs.locator("button[data-copy]").first.is_hidden()
    nojs.locator("input[name=layout][value=compact]").check()
    nojs.locator("input[name=theme][value=dark]").check()
    nojs.locator("#b-limit").fill("4")
    nojs.locator("#b-accent").fill("1a7f37")
    nojs.locator("#b-language").select_option("zh")
    nojs.locator("#builder button[type=submit]").click()
    nojs.wait_for_url(re.compile("layout=compact"))
    assert nojs.locator("#embed-script").input_value() == snippet
    assert nojs.locator("iframe[data-preview]").get_attribute("src") == src
    assert page.errors == [] and other.errors == [] and nojs.errors == []


def test_opening_the_last_cards_sources_grows_the_frame_at_once(live_server, live_data, publisher, chromium, get):  # noqa: F811
    """The reader opens a card's sources while the frame's bottom edge is on screen: the frame grows to
    the widget's new height at once (a change the reader asked for), with no scrollbar inside it."""
    code = builder_code(get, {"limit": "12"})
    host = publisher.add("/sources.html", article(code["script"]))
    page = new_page(chromium, width=900, height=700)
    page.goto(host)
    frame = frames(page)[0]
    frame.wait_for_selector("li.tl-item")
    wait_for_size(page, frame)
    page.evaluate("window.scrollBy(0, document.querySelector('iframe').getBoundingClientRect().bottom - 600)")
    wait_for_size(page, frame)
    bottom = frame_box(page)["top"] + frame_box(page)["height"]
    assert 0 < bottom < 700  # its bottom edge is in view, with the article after it
    before = widget_height(frame)
    frame.locator(".tl-ev summary").last.click()
    frame.wait_for_function("h => document.documentElement.getBoundingClientRect().height > h", arg=before)
    after = widget_height(frame)
    assert after > before
    # The frame follows within a moment, without the reader scrolling.
    page.wait_for_function(
        "h => Math.abs(document.querySelector('iframe').getBoundingClientRect().height - h) < 1", arg=after, timeout=3000
    )
    assert frame.evaluate("document.documentElement.scrollHeight <= window.innerHeight + 1")
    # Later reports (nothing opened) are not taken for the reader's doing: closing nothing, scrolling
    # nothing, the frame stays as it is.
    page.wait_for_timeout(300)
    assert abs(frame_box(page)["height"] - after) < 1
    assert page.errors == []


def test_the_oembed_html_does_not_scroll_a_phone_page_sideways(live_server, live_data, publisher, chromium, get):  # noqa: F811
    """oEmbed's html at 360 px (with and without the loader): the iframe fits the column, the host page
    has no horizontal overflow; on a wide page it is no wider than the reported width."""
    import json

    data = json.loads(get("/oembed?" + urlencode({"url": f"{live_server.url}/?era=founding"})))
    body = "<style>body{margin:0 8px}</style>"
    for name, snippet in (("/phone.html", data["html"]), ("/phone-nojs.html", re.sub(r"<script[^>]*></script>", "", data["html"]))):
        host = publisher.add(name, article(body + snippet))
        page = new_page(chromium, width=360, height=740)
        page.goto(host)
        frames(page)[0].wait_for_selector("li.tl-item")
        assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") == 0
        assert frame_box_width(page) <= 360 - 16
        wide = new_page(chromium, width=1280, height=800)
        wide.goto(publisher.add(name.replace(".html", "-wide.html"), f"<!doctype html><body>{snippet}</body>"))
        frames(wide)[0].wait_for_selector("li.tl-item")
        assert frame_box_width(wide) == data["width"]
        assert page.errors == [] and wide.errors == []


def frame_box_width(page) -> float:
    return page.locator("iframe").first.evaluate("f => f.getBoundingClientRect().width")


def test_the_builder_names_an_invalid_option_as_the_publisher_types_it(live_server, live_data, chromium):
    """With JavaScript, an accent or limit the widget cannot use is not dropped silently: the preview
    and the code update, and the notices name what was ignored (as they do without JavaScript)."""
    page = new_page(chromium, width=1200, height=900)
    page.goto(f"{live_server.url}/embed/builder/")
    page.locator("#b-accent").fill("zz")
    page.locator("#b-accent").dispatch_event("change")
    page.wait_for_selector(".notices p")
    assert "accent=“zz”" in page.locator(".notices").inner_text()
    page.locator("#b-accent").fill("")
    page.locator("#b-limit").fill("500")
    page.locator("#b-limit").dispatch_event("change")
    page.wait_for_function("() => (document.querySelector('.notices') || {}).textContent?.includes('limit=')")
    assert "accent" not in page.locator(".notices").inner_text()
    preview = page.locator("iframe[data-preview]").get_attribute("src")
    assert "limit=500" not in preview and "accent" not in preview
    assert page.errors == []


@pytest.mark.parametrize("width", [360, 1280])
def test_show_more_does_not_shift_the_host_page(live_server, live_data, publisher, chromium, get, width):  # noqa: F811
    """"Show more" with the frame's bottom edge and the article after it on screen: the host page does
    not shift (CLS 0; a click inside the iframe is no input for the host), and the first new item ends
    up in view."""
    every = slugs({}, limit=24)
    code = builder_code(get, {"limit": "12"})
    host = publisher.add(f"/more-{width}.html", article(code["script"]))
    page = new_page(chromium, width=width, height=800)
    page.goto(host)
    frame = frames(page)[0]
    frame.wait_for_selector("a.tl-more")
    # Sized while its bottom edge is still below the viewport, then the reader reads down to "Show more".
    wait_for_size(page, frame)
    page.evaluate("window.scrollBy(0, document.querySelector('iframe').getBoundingClientRect().bottom - 600)")
    wait_for_size(page, frame)
    page.wait_for_timeout(300)
    before = page.evaluate(LAYOUT_SHIFTS)
    frame.locator("a.tl-more").click()
    frame = frames(page)[0]
    frame.wait_for_selector(f"#item-{every[-1]}")
    page.wait_for_function(
        "() => { const r = document.querySelector('iframe').getBoundingClientRect(); return r.top < 0; }"
    )
    page.wait_for_timeout(500)
    shifts = page.evaluate(LAYOUT_SHIFTS)[len(before) :]
    assert sum(shifts) == 0, shifts
    box = frame.locator(f"#item-{every[12]}").bounding_box()
    assert box and 0 <= box["y"] < 800, box
    assert page.errors == []
