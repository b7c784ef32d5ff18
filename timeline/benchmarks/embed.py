"""Our embed widget against TimelineJS 3.9.11, in the same headless Chromium, on the same items.

For the shipped chronology and for synthetic ones of 500 and 2,000 items (``seed_synthetic``, cached
under ``var/bench/``) the site runs under gunicorn with production settings (debug off, collected and
compressed static files, on ``localhost``), and a publisher page on another origin (``127.0.0.1``)
embeds either

* our widget with the builder's snippet (an iframe of ``/embed/?v=<current>``, its default limit, and
  ``/embed.js``), or
* TimelineJS (its vendored ``timeline.js`` and ``timeline.css``, ``font: null``, ``script_path`` local)
  reading our ``/api/timelinejs.json`` export of all the items, saved as a static file beside it.

Each load uses a fresh browser context (cold cache); the two alternate, ``RUNS`` times each, and the
median is reported. Measured:

* **bytes**: every response the embed needed (not the publisher's own page), decoded, and the same
  gzip-compressed (level 6) — what a gzip-serving server or CDN would send for either, whatever the
  local servers did;
* **first item visible**: from the publisher page's navigation start to the Element Timing render
  time of the first item's title (ours: ``elementtiming`` in the widget; TimelineJS: its time-marker
  headlines, tagged by a MutationObserver before they paint), falling back to ``ready`` + one frame;
* requests to any host other than the two local servers (must be 0 for ours).

Then the first view of ``/embed/`` on the real data (HTML + CSS + JS, gzip) against the 15 KB budget.

    python -m timeline.benchmarks embed       # via the runner (``make bench``)
    python -m timeline.benchmarks.embed 500   # chosen sizes (0 = the shipped data)

Needs Chromium (``CHROMIUM_PATH`` or /usr/bin/chromium), Playwright and tests/vendor/timelinejs/.
"""

from __future__ import annotations

import gzip
import json
import os
import statistics
import subprocess
import sys
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from timeline.benchmarks.chromium import launch_chromium
from timeline.benchmarks.serve import Gunicorn
from timeline.embedding import CURRENT_VERSION

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "var" / "bench"
VENDOR = ROOT / "tests" / "vendor" / "timelinejs"
DATA_VERSION = 1  # bump when timeline.synthetic changes shape
SIZES = (0, 500, 2000)  # 0 = the shipped chronology
RUNS = 5
BUDGET = 15 * 1024
VIEWPORT = {"width": 1200, "height": 800}

OURS_PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>Publisher</title></head><body>
<h1>An article</h1>
<iframe src="{site}/embed/?v={version}" title="OpenAI chronology" width="100%" height="600" loading="lazy" frameborder="0"></iframe>
<script src="{site}/embed.js" async></script>
</body></html>"""

# The MutationObserver tags TimelineJS's time-marker headlines for Element Timing before they paint.
TIMELINEJS_PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>Publisher</title>
<link rel="stylesheet" href="/timelinejs/timeline.css"><script src="/timelinejs/timeline.js"></script>
</head><body><h1>An article</h1><div id="timeline" style="width: 100%; height: 600px"></div>
<script>
  new MutationObserver(function () {{
    document.querySelectorAll(".tl-timemarker .tl-headline:not([elementtiming])").forEach(function (h) {{
      h.setAttribute("elementtiming", "first-item");
    }});
  }}).observe(document.getElementById("timeline"), {{childList: true, subtree: true}});
  window.tl = new TL.Timeline("timeline", "/data-{size}.json", {{script_path: "{static}/timelinejs/", font: null}});
  window.tl.on("ready", function () {{
    requestAnimationFrame(function () {{ setTimeout(function () {{ window.tlReady = performance.now(); }}); }});
  }});
</script></body></html>"""

# Resolves with the earliest Element Timing render time (ms since this document's time origin).
FIRST_ITEM_JS = """() => new Promise(resolve => {
    const done = entries => {
        const times = entries.filter(e => e.identifier === "first-item").map(e => e.renderTime || e.loadTime);
        if (times.length) resolve(performance.timeOrigin + Math.min(...times));
    };
    new PerformanceObserver(list => done(list.getEntries())).observe({type: "element", buffered: true});
    setTimeout(() => resolve(null), 15000);
})"""


# -- servers --------------------------------------------------------------------------------------


def _env(database: Path) -> dict:
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(
        DATABASE_URL=f"sqlite:///{database}",
        DJANGO_SETTINGS_MODULE="timeline.settings",
        DJANGO_SECRET_KEY="benchmark-only",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_HSTS_SECONDS="0",
        DJANGO_ALLOWED_HOSTS="localhost,127.0.0.1",
        TIMELINE_VAR_DIR=str(BENCH / "embed-var"),
    )
    return env


def manage(database: Path, *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=_env(database), check=True, stdout=subprocess.DEVNULL
    )


def ensure_database(size: int) -> Path:
    """The shipped data (size 0) or ``size`` synthetic items, in a SQLite file of its own (cached)."""
    BENCH.mkdir(parents=True, exist_ok=True)
    if size == 0:
        path = BENCH / f"embed-v{DATA_VERSION}-shipped.sqlite3"
        fresh = not path.exists()
        manage(path, "migrate", "--noinput", "-v0")  # also brings a cached copy's schema up to date
        if fresh:
            manage(path, "import_sources", "-v0")
            manage(path, "load_chronology", "-v0")
        return path
    path = BENCH / f"embed-v{DATA_VERSION}-{size}.sqlite3"
    if path.exists():
        manage(path, "migrate", "--noinput", "-v0")
    else:
        # seed_synthetic writes only to --sqlite; its own default database is the (migrated) shipped copy.
        manage(ensure_database(0), "seed_synthetic", "--items", str(size), "--sqlite", str(path), "--replace")
    return path


def site(database: Path) -> Gunicorn:
    """gunicorn serving the app on localhost with production settings (enter it for its base URL)."""
    return Gunicorn(_env(database), threads=4, host="localhost")


class Publisher(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        self.pages: dict[str, tuple[str, bytes]] = {}
        super().__init__(("127.0.0.1", 0), _PublisherHandler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _PublisherHandler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's naming)
        page = self.server.pages.get(urlsplit(self.path).path)
        if page is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", page[0])
        self.send_header("Content-Length", str(len(page[1])))
        self.end_headers()
        self.wfile.write(page[1])

    def log_message(self, format, *args):
        pass


# -- measuring --------------------------------------------------------------------------------------


def load(browser, url: str, *, ours: bool, local_hosts: set[str]) -> dict:
    """One cold load of a publisher page: bytes of everything but the page itself, first item time."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto(url)
    if ours:
        page.wait_for_selector("iframe")
        frame = page.locator("iframe").element_handle().content_frame()
        frame.wait_for_selector("li.tl-item")
        rendered = frame.evaluate(FIRST_ITEM_JS)
        nodes = frame.evaluate("document.getElementsByTagName('*').length")
    else:
        page.wait_for_function("window.tlReady !== undefined", timeout=60_000)
        rendered = page.evaluate(FIRST_ITEM_JS)
        if rendered is None:
            rendered = page.evaluate("performance.timeOrigin + window.tlReady")
        nodes = page.evaluate("document.getElementById('timeline').getElementsByTagName('*').length")
    start = page.evaluate("performance.timeOrigin")
    page.wait_for_load_state("networkidle")
    raw = packed = requests = 0
    other_hosts = 0
    for response in responses:
        if response.url == url or urlsplit(response.url).path == "/favicon.ico":
            continue
        requests += 1
        if urlsplit(response.url).netloc not in local_hosts:
            other_hosts += 1
        try:
            body = response.body()
        except Exception:  # a redirect or an aborted request has no body
            body = b""
        raw += len(body)
        packed += len(gzip.compress(body, 6)) if body else 0
    context.close()
    return {
        "ms": rendered - start if rendered else float("nan"),
        "raw": raw,
        "gzip": packed,
        "requests": requests,
        "other_hosts": other_hosts,
        "nodes": nodes,
    }


def median(runs: list[dict]) -> dict:
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def widget_first_view(url: str) -> dict:
    """gzip bytes of /embed/ at the default limit: HTML + every stylesheet and script it links."""
    import re

    html = urllib.request.urlopen(f"{url}/embed/?v={CURRENT_VERSION}").read()
    assets = re.findall(rb'(?:href|src)="(/static/[^"]+\.(?:css|js))"', html)
    parts = [html] + [urllib.request.urlopen(url + asset.decode()).read() for asset in assets]
    loader = urllib.request.urlopen(f"{url}/embed.js").read()
    return {
        "widget": sum(len(gzip.compress(part, 6)) for part in parts),
        "loader": len(gzip.compress(loader, 6)),
        "files": len(parts),
    }


def run(sizes=SIZES, runs: int = RUNS) -> dict:
    from playwright.sync_api import sync_playwright

    if not (VENDOR / "timeline.js").exists():
        raise SystemExit(f"TimelineJS is missing: see {VENDOR / 'README.md'}")
    # Production static files (hashed, compressed) for gunicorn/whitenoise, in the benchmark's own var dir.
    manage(ensure_database(0), "collectstatic", "--noinput", "-v0")
    publisher = Publisher()
    threading.Thread(target=publisher.serve_forever, daemon=True).start()
    publisher.pages["/timelinejs/timeline.js"] = ("text/javascript", (VENDOR / "timeline.js").read_bytes())
    publisher.pages["/timelinejs/timeline.css"] = ("text/css", (VENDOR / "timeline.css").read_bytes())
    rows = []
    budget = None
    try:
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            for size in sizes:
                database = ensure_database(size)
                with site(database) as server:
                    url = server.base
                    export = urllib.request.urlopen(f"{url}/api/timelinejs.json").read()
                    items = len(json.loads(export)["events"])
                    publisher.pages[f"/data-{size}.json"] = ("application/json", export)
                    publisher.pages[f"/ours-{size}.html"] = ("text/html", OURS_PAGE.format(site=url, version=CURRENT_VERSION).encode())
                    publisher.pages[f"/tljs-{size}.html"] = (
                        "text/html",
                        TIMELINEJS_PAGE.format(size=size, static=publisher.url).encode(),
                    )
                    local = {urlsplit(url).netloc, urlsplit(publisher.url).netloc}
                    ours, theirs = [], []
                    # One unmeasured load of each warms the servers and the OS file cache alike.
                    load(browser, f"{publisher.url}/ours-{size}.html", ours=True, local_hosts=local)
                    load(browser, f"{publisher.url}/tljs-{size}.html", ours=False, local_hosts=local)
                    for index in range(runs):
                        pair = [(ours, True), (theirs, False)]
                        for results, is_ours in pair if index % 2 == 0 else reversed(pair):
                            page = f"{publisher.url}/{'ours' if is_ours else 'tljs'}-{size}.html"
                            results.append(load(browser, page, ours=is_ours, local_hosts=local))
                    rows.append({"size": size, "items": items, "ours": median(ours), "theirs": median(theirs)})
                    if size == 0:
                        budget = widget_first_view(url)
            browser.close()
    finally:
        publisher.shutdown()
    return {"rows": rows, "budget": budget, "runs": runs}


# -- report -----------------------------------------------------------------------------------------


def table(result: dict) -> str:
    rows = result["rows"]
    lines = [
        "| published items | ours gzip B | TimelineJS gzip B | bytes × | ours raw B | TimelineJS raw B "
        "| ours first item ms | TimelineJS first item ms | speed × | ours / TimelineJS requests "
        "| other hosts | DOM nodes ours / TimelineJS |",
        "|" + "---:|" * 12,
    ]
    for row in rows:
        ours, theirs = row["ours"], row["theirs"]
        label = f"{row['items']:,}" + (" (shipped)" if row["size"] == 0 else f" ({row['size']:,} seeded)")
        lines.append(
            "| "
            + " | ".join(
                [
                    label,
                    f"{ours['gzip']:,.0f}",
                    f"{theirs['gzip']:,.0f}",
                    f"{theirs['gzip'] / ours['gzip']:.1f}",
                    f"{ours['raw']:,.0f}",
                    f"{theirs['raw']:,.0f}",
                    f"{ours['ms']:.0f}",
                    f"{theirs['ms']:.0f}",
                    f"{theirs['ms'] / ours['ms']:.1f}",
                    f"{ours['requests']:.0f} / {theirs['requests']:.0f}",
                    f"{ours['other_hosts']:.0f} / {theirs['other_hosts']:.0f}",
                    f"{ours['nodes']:,.0f} / {theirs['nodes']:,.0f}",
                ]
            )
            + " |"
        )
    notes = []
    first = rows[0]
    if first["size"] == 0:
        bytes_ratio = first["theirs"]["gzip"] / first["ours"]["gzip"]
        speed_ratio = first["theirs"]["ms"] / first["ours"]["ms"]
        notes.append(
            f"At the shipped {first['items']} items: {bytes_ratio:.1f}× fewer bytes (target ≥ 5×) and "
            f"{speed_ratio:.1f}× faster to the first item (target ≥ 3×)."
        )
    if len(rows) > 1:
        last = rows[-1]
        notes.append(
            f"From {first['items']:,} to {last['items']:,} items our first item moves "
            f"{last['ours']['ms'] / first['ours']['ms']:.2f}× (the widget pages with limit), TimelineJS "
            f"{last['theirs']['ms'] / first['theirs']['ms']:.2f}×."
        )
    budget = result["budget"]
    if budget:
        verdict = "within" if budget["widget"] <= BUDGET else "OVER"
        notes.append(
            f"First view of /embed/ on the shipped data at the default limit: {budget['widget']:,} B gzip "
            f"(HTML + CSS + JS, {budget['files']} files) — {verdict} the {BUDGET:,} B budget; the /embed.js loader "
            f"adds {budget['loader']:,} B."
        )
    notes.append(
        f"Median of {result['runs']} cold loads each, alternating, same Chromium; bytes exclude the publisher's "
        "own page; TimelineJS's icon font is not vendored (a local 404), so its bytes are slightly under-counted."
    )
    return "\n".join(lines) + "\n\n" + "\n".join(f"- {note}" for note in notes)


def main(sizes=SIZES) -> str:
    """The Markdown section for ``make bench``."""
    return "## Embed widget vs TimelineJS 3.9.11 (headless Chromium, cold loads)\n\n" + table(run(sizes))


if __name__ == "__main__":
    print(main(tuple(int(arg) for arg in sys.argv[1:]) or SIZES))
