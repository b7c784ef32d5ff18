"""The chronology's first view in headless Chromium: htmx and chronology.js are fetched after the
load event (static/timeline/enhance.js), the page is usable before they arrive, and the files
collectstatic stores (ours minified, timeline.staticfiles) run without an error under gunicorn.

What `python -m timeline.benchmarks.pages` counts as the first view rests on the first two.
"""

import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from timeline.benchmarks.serve import Gunicorn, plain_http_env
from timeline.models import Item
from timeline.staticfiles import minify

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
ENHANCEMENTS = ("/static/vendor/htmx-", "/static/timeline/chronology.")
ENHANCED = "() => document.documentElement.classList.contains('continuous')"


def is_enhancement(url: str) -> bool:
    return urlsplit(url).path.startswith(ENHANCEMENTS)


def wait_until(page, condition, seconds=10):
    """Lets Playwright handle events (the route handler among them) until ``condition()`` holds."""
    for _ in range(seconds * 20):
        if condition():
            return
        page.wait_for_timeout(50)
    raise AssertionError("timed out")


@pytest.mark.django_db(transaction=True)
def test_the_page_works_before_its_enhancements_arrive(live_server, live_data, chromium):
    altman = Item.objects.published().filter(people__slug="sam-altman").count()
    total = Item.objects.published().count()
    page = chromium.new_page(viewport={"width": 1280, "height": 800})
    page.set_default_timeout(10_000)
    held = []
    page.route("**/*", lambda route: held.append(route) if is_enhancement(route.request.url) else route.continue_())

    # goto waits for the load event, which could not come if the page waited for the held scripts.
    page.goto(live_server.url + "/")
    # They are requested after it, and have not run.
    wait_until(page, lambda: len(held) == 2)
    assert sorted(urlsplit(route.request.url).path.split("/")[-1] for route in held) == [
        "chronology.js", "htmx-2.0.11.min.js"]
    assert page.evaluate("() => window.htmx === undefined && !document.documentElement.classList.contains('continuous')")
    assert page.locator(".summary-line").inner_text().startswith(f"{total} items")

    # Meanwhile the filter form works as it does without JavaScript: a full page with the results.
    page.evaluate("window.__marker = 1")
    held.clear()  # the next page asks for them again
    page.locator("details.facet[data-param=person] summary").click()
    page.locator("#f-person-sam-altman").check()
    page.locator("aside .apply button").click()
    page.wait_for_url(lambda url: "person=sam-altman" in url)
    page.wait_for_selector("#f-person-sam-altman:checked")
    assert parse_qs(urlsplit(page.url).query)["person"] == ["sam-altman"]
    assert page.locator(".summary-line").inner_text().startswith(f"{altman} items")
    assert page.evaluate("window.__marker") is None  # a new page, as without JavaScript

    # When they arrive (in the order given: htmx, then chronology.js), the page is enhanced: a change
    # swaps the results in place.
    wait_until(page, lambda: len(held) == 2)
    for route in held:
        route.continue_()
    page.unroute("**/*")
    page.wait_for_function(ENHANCED)
    page.evaluate("window.__marker = 1")
    page.locator("#f-person-sam-altman").uncheck()
    page.wait_for_url(lambda url: "person=" not in url)
    page.wait_for_function(f"() => document.querySelector('.summary-line').textContent.trim().startsWith('{total} items')")
    assert page.evaluate("window.__marker") == 1, "the page was reloaded instead of swapped"
    page.close()


def test_collected_minified_files_run_under_gunicorn(tmp_path, chromium):
    """The files as collectstatic stores them (ours minified) behind gunicorn: no script error, the
    page is enhanced, a filter change is swapped in without a reload."""
    env = plain_http_env(tmp_path, "first-view-test")
    env.pop("DATABASE_URL", None)  # its own SQLite file, whatever the suite runs on
    for command in (["migrate", "-v0"], ["import_sources"], ["load_chronology"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, timeout=300,
                       stdout=subprocess.DEVNULL)
    with Gunicorn(env) as server:
        context = chromium.new_context(viewport={"width": 1280, "height": 800})
        page = context.new_page()
        page.set_default_timeout(20_000)
        errors, scripts = [], {}
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("response", lambda response: scripts.__setitem__(urlsplit(response.url).path, response)
                if urlsplit(response.url).path.endswith(".js") else None)
        page.goto(server.base + "/")
        page.wait_for_function(ENHANCED)
        # The hashed, minified copies were fetched and run.
        served = {path.split("/")[-1].split(".")[0]: path for path in scripts}
        assert set(served) >= {"enhance", "htmx-2", "chronology"}, served
        for name in ("enhance", "chronology"):
            body = scripts[served[name]].body()
            assert body == minify(f"timeline/{name}.js", (ROOT / f"static/timeline/{name}.js").read_bytes())
        page.evaluate("window.__marker = 1")
        page.locator("details.facet[data-param=kind] summary").click()
        page.locator("#f-kind-quote").check()
        page.wait_for_url(lambda url: "kind=quote" in url)
        page.wait_for_function("() => document.querySelector('#f-kind-quote').checked && "
                               "!document.querySelector('.htmx-request')")
        assert page.evaluate("window.__marker") == 1, "the page was reloaded instead of swapped"
        assert errors == []
        context.close()


def test_every_minified_script_of_ours_parses_as_its_source_does(chromium):
    """Each of our scripts as collectstatic stores it (the admin's and the widget's too, which the
    other browser tests run from their sources) is valid JavaScript; compiled, not run."""
    page = chromium.new_page()  # about:blank: no CSP, so Function() may compile
    names = sorted(path.relative_to(ROOT / "static").as_posix() for path in (ROOT / "static/timeline").rglob("*.js"))
    assert len(names) >= 8
    for name in names:
        source = (ROOT / "static" / name).read_bytes()
        minified = minify(name, source)
        assert len(minified) < len(source), name
        for text in (source.decode(), minified.decode()):
            error = page.evaluate("text => { try { new Function(text); return null; } catch (e) { return String(e); } }", text)
            assert error is None, (name, error)
    page.close()


@pytest.mark.django_db(transaction=True)
def test_a_change_sent_before_chronology_js_runs_keeps_its_address(live_server, live_data, chromium):
    """enhance.js runs htmx first: a filter change htmx sends before chronology.js has run (which turns
    htmx's own history off and follows the requests it sees sent) still gets its address and history
    entry. Without the guard the new results showed under the old address, and a reload lost them."""
    prelude = Item.objects.published().filter(kind="quote", era__slug="prelude").count()
    quotes = Item.objects.published().filter(kind="quote").count()
    assert 0 < prelude < quotes
    page = chromium.new_page(viewport={"width": 1280, "height": 800})
    page.set_default_timeout(10_000)
    scripts, answers = [], []
    page.route("**/static/timeline/chronology.*", lambda route: scripts.append(route))
    page.goto(live_server.url + "/?kind=quote")
    page.wait_for_function("() => window.htmx !== undefined")
    wait_until(page, lambda: len(scripts) == 1)
    def prelude_url(url):
        return "era=prelude" in url

    page.route(prelude_url, lambda route: answers.append(route))
    page.locator("details.facet[data-param=era] summary").click()
    page.locator("#f-era-prelude").check()
    wait_until(page, lambda: len(answers) == 1)  # htmx sent it; chronology.js has not run
    assert page.evaluate("() => !document.documentElement.classList.contains('continuous')")
    scripts[0].continue_()
    page.wait_for_function(ENHANCED)
    page.unroute("**/static/timeline/chronology.*")
    answers[0].continue_()
    page.wait_for_url(lambda url: "era=prelude" in url)
    page.wait_for_function(
        f"() => document.querySelector('.summary-line').textContent.trim().startsWith('{prelude} item')")
    page.unroute(prelude_url)

    # Then chronology.js follows the next change itself (htmx's history is off): one entry each.
    length = page.evaluate("history.length")
    page.locator("#f-era-prelude").uncheck()
    page.wait_for_url(lambda url: "era=" not in url)
    page.wait_for_function(
        f"() => document.querySelector('.summary-line').textContent.trim().startsWith('{quotes} item')")
    assert page.evaluate("history.length") == length + 1
    page.go_back()
    page.wait_for_url(lambda url: "era=prelude" in url)
    page.reload()
    assert page.locator(".summary-line").inner_text().startswith(f"{prelude} item")
    page.close()


LOAD_SHIFTS_JS = """() => new Promise(done => {
    let shifts = [];
    new PerformanceObserver(list => { for (const e of list.getEntries()) if (!e.hadRecentInput)
        shifts.push([e.value, e.sources.map(s => s.node ? s.node.nodeName + '.' + s.node.className : '?').join(' ')]); })
        .observe({type: "layout-shift", buffered: true});
    setTimeout(() => done(shifts), 500);
})"""


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", [(1280, 800), (360, 740)])
def test_no_layout_shift_while_the_page_is_parsed(live_server, live_data, chromium, viewport):
    """On a slow machine Chromium paints a half-parsed page (its parser yields); the header and the axis
    must not move when the rest is parsed (the axis's first columns were squeezed by the later ones,
    the embed link pushed aside by the language links): nothing is rendered before the stream begins.
    The processor is slowed four times and the answer comes at 16 KB/s, and the page is loaded eight
    times: where the parser yields varies (without the render-blocking link, about one run in two
    showed the axis's columns shifting at 1280 px)."""
    page = chromium.new_page(viewport={"width": viewport[0], "height": viewport[1]})
    page.set_default_timeout(60_000)
    session = page.context.new_cdp_session(page)
    session.send("Emulation.setCPUThrottlingRate", {"rate": 4})
    session.send("Network.enable")
    session.send("Network.emulateNetworkConditions",
                 {"offline": False, "latency": 5, "downloadThroughput": 16 * 1024, "uploadThroughput": 64 * 1024})
    for _ in range(8):
        page.goto(live_server.url + "/", wait_until="load")
        shifts = page.evaluate(LOAD_SHIFTS_JS)
        assert page.locator("#stream li.item").count() > 0
        assert shifts == [], shifts


@pytest.mark.django_db(transaction=True)
def test_the_embed_builder_does_not_shift_when_its_copy_buttons_appear(live_server, live_data, chromium):
    """The builder's Copy buttons are hidden without JavaScript and revealed by copy.js; they were
    revealed after the first paint, and each code box grew under them (CLS 0.034 at 1280 px with a
    date window). Where scripts run, their room is kept from the first paint."""
    page = chromium.new_page(viewport={"width": 1280, "height": 800})
    session = page.context.new_cdp_session(page)
    session.send("Emulation.setCPUThrottlingRate", {"rate": 4})
    for _ in range(3):
        page.goto(live_server.url + "/embed/builder/?from=2023-11&to=2023-11", wait_until="load")
        page.locator("button[data-copy=embed-oembed]:not([hidden])").wait_for()
        shifts = page.evaluate(LOAD_SHIFTS_JS)
        assert shifts == [], shifts
        box = page.locator("button[data-copy=embed-script]").bounding_box()
        assert box["height"] > 0 and page.locator("button[data-copy=embed-script]").is_visible()
    page.close()
    # Without JavaScript the buttons take no room at all.
    context = chromium.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 800})
    nojs = context.new_page()
    nojs.goto(live_server.url + "/embed/builder/?from=2023-11&to=2023-11")
    assert nojs.locator("button[data-copy]").count() == 3
    assert all(button.bounding_box() is None for button in nojs.locator("button[data-copy]").all())
    context.close()
