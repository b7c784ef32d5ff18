"""Our /api/timelinejs.json export in the real TimelineJS 3.9.11, in headless Chromium.

TimelineJS's two dist files are vendored under tests/vendor/timelinejs/ (never served by the app) and
served, with a host page, from a local server on another origin; TimelineJS fetches the export from
the live server itself (which allows it with CORS), must reach ``ready``, and must build one slide per
item plus the title slide, with no validation error and no request to any third host.
"""

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.test_browser_embed import new_page, publisher  # noqa: F401 (fixtures)
from timeline.filters import FilterForm
from timeline.models import Item

pytestmark = pytest.mark.browser

VENDOR = Path(__file__).parent / "vendor" / "timelinejs"


def host_page(publisher, export_url: str) -> str:  # noqa: F811
    publisher.add("/timelinejs/timeline.js", (VENDOR / "timeline.js").read_bytes(), "text/javascript")
    publisher.add("/timelinejs/timeline.css", (VENDOR / "timeline.css").read_bytes(), "text/css")
    return publisher.add(
        "/timelinejs.html",
        f"""<!doctype html><html><head><meta charset="utf-8"><title>TimelineJS</title>
        <link rel="stylesheet" href="/timelinejs/timeline.css"><script src="/timelinejs/timeline.js"></script>
        </head><body><div id="timeline" style="width: 100%; height: 600px"></div>
        <script>
          window.tl = new TL.Timeline("timeline", {export_url!r},
                                      {{script_path: "{publisher.url}/timelinejs/", font: null}});
          window.tl.on("ready", function () {{ window.tlReady = true; }});
        </script></body></html>""",
    )


def test_timelinejs_renders_our_export(live_server, live_data, publisher, chromium):  # noqa: F811
    query = "person=sam-altman&era=board-crisis"
    filtered = list(
        FilterForm({"person": "sam-altman", "era": "board-crisis"})
        .apply(Item.objects.published())
        .values_list("slug", flat=True)
    )
    every = set(Item.objects.published().values_list("slug", flat=True))
    site = live_server.url
    page = new_page(chromium, width=1200, height=800)
    for export, expected in ((f"{site}/api/timelinejs.json", every), (f"{site}/api/timelinejs.json?{query}", set(filtered))):
        page.goto(host_page(publisher, export))
        page.wait_for_function("window.tlReady === true", timeout=20_000)
        state = page.evaluate(
            """() => ({
                slides: tl._storyslider._slides.length,
                ids: tl.config.events.map(e => e.unique_id),
                errors: tl.config.messages.errors.length,
                title: tl.config.title.text.headline,
                citationLinks: document.querySelectorAll('.tl-slide a[href*="/sources/"]').length,
            })"""
        )
        assert state["errors"] == 0
        assert state["slides"] == len(expected) + 1, "one slide per item plus the title slide"
        assert set(state["ids"]) == expected and len(state["ids"]) == len(expected)
        assert state["title"].startswith("OpenAI chronology")
        assert state["citationLinks"] >= len(expected)
    # Only the publisher's server and our site: font: null and script_path keep TimelineJS local.
    assert page.hosts == {urlsplit(publisher.url).netloc, urlsplit(site).netloc}
    assert [error for error in page.errors if "/timelinejs/" not in error and "tl-icons" not in error] == []
