"""The embed widget in headless Chromium, on a publisher's page served from another origin.

The "publisher" is a tiny http.server on 127.0.0.1 (a second port); the site is pytest-django's
live_server on localhost, so the two are cross-origin exactly as in production. Checked: two widgets
on one page (a <script data-timeline> and a <div data-timeline> with a second copy of the loader)
render their filtered items and take the height of their content without an inner scrollbar, also
after a resize and after paging inside the frame; the embed builder copies the snippet; focus= brings the item into view both in an
auto-sized widget (the loader scrolls the page) and in a plain fixed-height iframe (the frame scrolls);
a click opens the full site in a new tab; a plain iframe works with JavaScript off; nothing is fetched
from any other host and nothing is logged to the console.

The database is read before Playwright starts (its event loop makes Django refuse ORM calls).
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest

from timeline.filters import FilterForm
from timeline.models import Item

pytestmark = pytest.mark.browser

INITIAL_HEIGHT = "480px"  # what the loader gives an iframe before the widget reports its height


class PublisherServer(ThreadingHTTPServer):
    """Serves ``pages`` (path → (content type, bytes)) on 127.0.0.1; stands in for another site."""

    daemon_threads = True

    def __init__(self):
        self.pages: dict[str, tuple[str, bytes]] = {}
        super().__init__(("127.0.0.1", 0), PublisherHandler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def add(self, path: str, body: str | bytes, content_type: str = "text/html; charset=utf-8") -> str:
        self.pages[path] = (content_type, body.encode() if isinstance(body, str) else body)
        return self.url + path


class PublisherHandler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's naming)
        page = self.server.pages.get(urlsplit(self.path).path)
        if page is None:
            self.send_error(404)
            return
        content_type, body = page
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass


@pytest.fixture
def publisher():
    server = PublisherServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def new_page(browser, *, javascript: bool = True, width: int = 900, height: int = 700):
    """A page that records every host it contacts and every console error or page error."""
    context = browser.new_context(java_script_enabled=javascript, viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.hosts = set()
    page.errors = []
    page.on("request", lambda request: page.hosts.add(urlsplit(request.url).netloc))
    # Failed loads are reported by URL (the console only says "Failed to load resource").
    page.on(
        "console",
        lambda message: message.type == "error"
        and not message.text.startswith("Failed to load resource")
        and page.errors.append(message.text),
    )
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on(
        "response",
        lambda response: response.status >= 400
        and urlsplit(response.url).path != "/favicon.ico"
        and page.errors.append(f"{response.status} {response.url}"),
    )
    return page


def slugs(query: dict, limit: int, page: int = 1) -> list[str]:
    items = FilterForm(query).apply(Item.objects.published()).chronological()
    return list(items.values_list("slug", flat=True)[(page - 1) * limit : page * limit])


def frames(page):
    return [handle.content_frame() for handle in page.locator("iframe").element_handles()]


def wait_until_sized(page, count: int) -> None:
    page.wait_for_function(
        """([count, initial]) => {
            const frames = [...document.querySelectorAll("iframe")];
            return frames.length === count && frames.every(f => f.style.height && f.style.height !== initial);
        }""",
        arg=[count, INITIAL_HEIGHT],
    )


def sizing(page, index: int) -> dict:
    """The iframe's height in the page and its document's own measurements."""
    outer = page.locator("iframe").nth(index).evaluate("f => f.getBoundingClientRect().height")
    inner = frames(page)[index].evaluate(
        """() => ({content: Math.ceil(document.documentElement.getBoundingClientRect().height),
                  scrollHeight: document.documentElement.scrollHeight, viewport: window.innerHeight})"""
    )
    return {"outer": outer, **inner}


def assert_fits(page, index: int) -> None:
    """The iframe is exactly as tall as its content. It is scrolled into view first: Chromium does not
    render (so does not resize-observe) cross-origin frames that are off screen until they come back."""
    page.locator("iframe").nth(index).scroll_into_view_if_needed()
    for _ in range(50):
        size = sizing(page, index)
        if size["outer"] == size["content"]:
            break
        page.wait_for_timeout(50)
    assert size["outer"] == size["content"] == size["viewport"], size
    assert size["scrollHeight"] <= size["viewport"], f"inner scrollbar: {size}"


def item_ids(frame) -> list[str]:
    return [value.removeprefix("item-") for value in frame.locator("li.tl-item").evaluate_all("els => els.map(e => e.id)")]


def test_two_widgets_on_a_cross_origin_page(live_server, live_data, publisher, chromium):
    altman = slugs({"person": "sam-altman"}, limit=5)
    altman_title = Item.objects.get(slug=altman[0]).title_en
    altman_translations = sorted(c.translation_en for c in Item.objects.get(slug=altman[0]).citations.all())
    founding = slugs({"era": "founding"}, limit=3)
    founding_later = slugs({"era": "founding"}, limit=3, page=2)
    founding_title_zh = Item.objects.get(slug=founding[0]).title_zh
    site = live_server.url
    host = publisher.add(
        "/article.html",
        f"""<!doctype html><html><head><meta charset="utf-8"><title>A newspaper</title></head><body>
        <h1>Our story</h1><p>Some reporting.</p>
        <script src="{site}/embed.js" data-timeline="person=sam-altman&amp;limit=5" async></script>
        <p>More reporting between the two widgets.</p>
        <div data-timeline="era=founding&amp;limit=3&amp;lang=zh&amp;theme=dark" data-title="Founding">
          <a href="{site}/?era=founding">The founding years</a></div>
        <script src="{site}/embed.js" async></script>
        </body></html>""",
    )
    page = new_page(chromium)
    page.goto(host)
    wait_until_sized(page, 2)

    first, second = frames(page)
    attributes = page.locator("iframe").evaluate_all("fs => fs.map(f => [f.name, f.getAttribute('loading'), f.title])")
    # Either copy of the loader may run first; the names only have to differ.
    assert sorted(name for name, _, _ in attributes) == ["timeline-embed-1", "timeline-embed-2"]
    assert [(loading, title) for _, loading, title in attributes] == [("lazy", "OpenAI chronology"), ("lazy", "Founding")]
    assert urlsplit(first.url).netloc == urlsplit(site).netloc
    assert item_ids(first) == altman
    assert item_ids(second) == founding
    assert second.evaluate("document.documentElement.lang") == "zh-Hans"
    assert founding_title_zh in second.locator("li.tl-item h2").first.inner_text()
    assert page.locator("[data-timeline] > a").count() == 0, "the no-JS fallback link is replaced"
    for index in (0, 1):
        assert_fits(page, index)

    # A narrow window reflows the text: the widgets grow with it, still without a scrollbar.
    before = sizing(page, 0)["outer"]
    page.set_viewport_size({"width": 360, "height": 700})
    page.wait_for_function("h => document.querySelector('iframe').getBoundingClientRect().height > h", arg=before)
    for index in (0, 1):
        assert_fits(page, index)

    # Paging inside the frame keeps it auto-sized (the iframe's name survives the navigation).
    second.locator("a[rel=next]").click()
    second.wait_for_selector(f"#item-{founding_later[0]}")
    assert item_ids(second) == founding_later
    assert_fits(page, 1)

    # A click opens the full site in a new tab; the publisher's page and the widget stay where they were.
    with page.context.expect_page() as opened:
        first.locator(f"#item-{altman[0]} h2 a").click()
    popup = opened.value
    popup.wait_for_load_state("domcontentloaded")
    assert popup.url == f"{site}/items/{altman[0]}/"
    assert popup.locator("h1").inner_text() == altman_title
    # The card's sources are folded; opening them shows each cited passage's words and their English
    # translation, and the frame grows with them at once (no inner scrollbar).
    card = first.locator(f"#item-{altman[0]}")
    assert not card.locator(".tl-ev a").first.is_visible()
    card.locator(".tl-ev summary").click()
    shown = sorted(card.locator(".tl-ev .tl-tr q[lang=en]").all_inner_texts())
    assert shown == altman_translations
    assert card.locator(".tl-ev .tl-cited q[lang^=zh]").first.is_visible()
    assert_fits(page, 0)
    with page.context.expect_page() as opened:
        card.locator(".tl-ev a").first.click()
    source = opened.value
    source.wait_for_load_state("domcontentloaded")
    assert urlsplit(source.url).path.startswith("/sources/")
    assert page.url == host
    assert urlsplit(first.url).path == "/embed/"

    assert page.hosts == {urlsplit(publisher.url).netloc, urlsplit(site).netloc}
    assert page.errors == []

    # On the site, the builder's copy button (hidden without JavaScript) copies the snippet.
    page = new_page(chromium)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site)
    page.goto(f"{site}/embed/builder/?person=sam-altman")
    button = page.locator("button[data-copy=embed-script]")
    button.click()
    page.locator(".embed-status", has_text="Copied.").wait_for()
    snippet = page.locator("#embed-script").input_value()
    assert snippet.startswith(f'<iframe src="{site}/embed/?person=sam-altman&amp;v=2" title="OpenAI chronology · Sam Altman"')
    assert snippet.endswith(f' data-timeline-embed></iframe>\n<script src="{site}/embed.js" async></script>')
    assert page.evaluate("navigator.clipboard.readText()") == snippet
    # After htmx swaps the output in (new options), the buttons are shown again.
    page.locator("input[name=layout][value=compact]").check()
    page.locator("#embed-script", has_text="layout=compact").wait_for(state="attached")
    assert page.locator("button[data-copy=embed-iframe]").get_attribute("hidden") is None
    assert page.errors == []


def test_focus_brings_the_item_into_view_and_a_plain_iframe_needs_no_javascript(
    live_server, live_data, publisher, chromium
):
    every = slugs({}, limit=1000)
    pivot = slugs({"era": "pivot"}, limit=4)
    target = every[47]
    site = live_server.url
    host = publisher.add(
        "/deep.html",
        f"""<!doctype html><html><head><meta charset="utf-8"><title>Deep link</title></head><body>
        <iframe src="{site}/embed/?focus={every[5]}&amp;limit=20" title="plain" width="100%" height="300"
                loading="lazy" frameborder="0"></iframe>
        <div style="height: 2500px">A long article.</div>
        <script src="{site}/embed.js" data-timeline="focus={target}&amp;limit=10" async></script>
        <div style="height: 2500px">The rest of the article.</div>
        </body></html>""",
    )
    page = new_page(chromium)
    page.goto(host)
    page.wait_for_function("() => window.scrollY > 2000")
    page.wait_for_timeout(200)  # let the scroll settle

    plain, widget = frames(page)
    # The auto-sized widget: the page holding the item, the item marked, and the page scrolled to it.
    assert item_ids(widget) == every[40:50]
    focused = widget.locator("[data-focus]")
    assert focused.get_attribute("id") == f"item-{target}"
    assert "tl-focus" in focused.get_attribute("class").split()
    box = focused.bounding_box()
    assert 0 <= box["y"] and box["y"] + 40 <= 700, box
    assert_fits(page, 1)

    # The plain fixed-height iframe scrolls inside itself instead (the page was not moved by it).
    assert plain.evaluate("window.scrollY") > 0
    inner = plain.locator("[data-focus]").evaluate("e => e.getBoundingClientRect().top")
    assert 0 <= inner < 300
    assert page.errors == []

    # Without JavaScript (in the page and in the frame) the plain iframe still shows the items.
    host = publisher.add(
        "/nojs.html",
        f"""<!doctype html><html><head><meta charset="utf-8"><title>No JS</title></head><body>
        <iframe src="{site}/embed/?era=pivot&amp;limit=4" title="OpenAI chronology" width="100%" height="600"
                frameborder="0"></iframe></body></html>""",
    )
    page = new_page(chromium, javascript=False)
    page.goto(host)
    frame = page.frame_locator("iframe")
    frame.locator(f"#item-{pivot[-1]}").wait_for()
    ids = frame.locator("li.tl-item").evaluate_all("els => els.map(e => e.id)")
    assert ids == [f"item-{slug}" for slug in pivot]
