"""How the chronology page scales: 100, 10,000 and 100,000 synthetic items on SQLite and PostgreSQL.

For each size a synthetic database is seeded once (``seed_synthetic``, cached under
``var/bench/``), then a separate process points ``DATABASE_URL`` at it and measures, with the
Django test Client and debug off, the median server time of the default page, a filtered page,
a search page, and a filtered page and a search that list a full first page at every size
(``filtered_full``, ``search_full``, in the ratio line)
(warm: facet counts cached, as every reader after the first sees them; the first, cold request is reported too: the first request of that filter set in a process that has already
served another page, with the facet index of ``timeline.facet_index`` built, whose one-off build
per structure version is reported under the table), the SQL queries per page, and the gzip bytes of the first view
(the HTML of ``/`` plus its CSS and JavaScript). Every timed request renders: the client carries a
cookie outside ``PublicResponseCacheMiddleware``'s key, which keeps that cache out of the way. The
time of a repeat served by that cache is reported for the default page as "default cached ms". Under
the table, the process CPU time of the same requests: on SQLite, which runs in the process, that is
the work a request costs, and it stays put when other jobs share the machine (wall time does not).

    python -m timeline.benchmarks.pages            # Markdown table
    python -m timeline.benchmarks.pages 100 10000  # chosen sizes

Targets: default page at 100k ≤ 2× its time at 100 items; first view < 30 KB gzip (measured on the
shipped chronology too, rebuilt in ``var/bench/pages-shipped.sqlite3`` on each run).
"""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

from timeline.benchmarks import postgres

ROOT = Path(__file__).resolve().parents[2]
SIZES = (100, 10_000, 100_000)
REPETITIONS = 9
# A first request is one sample on a shared machine; its median over a few (the cache emptied before each).
COLD_REPETITIONS = 5
DATA_VERSION = 1  # bump when timeline.synthetic changes shape
PAGES = {
    "default": "/",
    # A person and a from/to window (which also lists the items only overlapping it), together listing
    # a full first page at every size: 15 items at 100, 11,184 at 100,000. (Until this round it was
    # person-002, era=chatgpt, 2022–2023, which matched nothing at 100 items: an empty page against a
    # full one, a ratio of output size rather than of scale.)
    "filtered": "/?person=person-001&from=2022&to=2025",
    # The Chinese name of a person (in traditional script) whose matches are not a full page at every
    # size: 3 at 100 items, 4,379 at 100,000, so its page at 100 items has 3 cards and a near-empty
    # axis where the larger ones have 15 cards and 200 axis marks. Kept for comparability.
    "search": "/?q={name}",
    # A single filter that lists a full first page at every size (30 items at 100, 24,301 at 100,000).
    "filtered_full": "/?era=chatgpt",
    # A search (five characters: the trigram index) that lists a full first page at every size:
    # 17 items at 100, 18,286 at 100,000.
    "search_full": "/?q={organisation}",
}
WARM_UP = "/?kind=event&importance=1"
COLUMNS = (
    "items", "default ms", "filtered ms", "search ms", "default cold ms", "search cold ms", "default cached ms",
    "queries default/filtered/search", "first view gzip B",
)


def database_path(size: int) -> Path:
    return ROOT / "var" / "bench" / f"pages-v{DATA_VERSION}-{size}.sqlite3"


def _env(database: Path | str) -> dict:
    """The environment of a process on ``database`` (a SQLite path, or a PostgreSQL URL)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(
        DATABASE_URL=database if isinstance(database, str) else f"sqlite:///{database}",
        DJANGO_SETTINGS_MODULE="timeline.settings",
        DJANGO_SECRET_KEY="benchmark-only",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_ALLOWED_HOSTS="testserver",
    )
    return env


def ensure_database(size: int) -> Path:
    """Seed the synthetic database for ``size`` unless it is already there (then bring its schema up to date)."""
    path = database_path(size)
    if path.exists():
        subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=_env(path), check=True)
    else:
        subprocess.run(
            [sys.executable, "manage.py", "seed_synthetic", "--items", str(size), "--sqlite", str(path), "--replace"],
            cwd=ROOT, env=_env(ROOT / "var" / "bench" / "unused.sqlite3"), check=True, stdout=subprocess.DEVNULL,
        )
    return path


def ensure_postgres_database(server: str, size: int) -> str:
    """The PostgreSQL twin of :func:`ensure_database`, in the benchmarks' kept cluster."""
    name = f"timeline_bench_pages_v{DATA_VERSION}_{size}"
    url = postgres.database_url(server, name)
    if postgres.database_exists(server, name):
        subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=_env(url), check=True)
    else:
        postgres.recreate_database(server, name)
        try:
            subprocess.run(
                [sys.executable, "manage.py", "seed_synthetic", "--items", str(size), "--database-url", url],
                cwd=ROOT, env=_env(ROOT / "var" / "bench" / "unused.sqlite3"), check=True,
                stdout=subprocess.DEVNULL,
            )
        except BaseException:
            postgres.drop_database(server, name)  # never leave a half-seeded database to be reused
            raise
    return url


def measure(repetitions: int = REPETITIONS) -> dict:
    """In a process whose DATABASE_URL is the synthetic database: time the pages."""
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from timeline import facet_index
    from timeline.models import Entity

    person = Entity.objects.filter(slug="person-005").first()
    name = quote(to_traditional(person.name_zh) if person else "奧特曼")
    organisation = Entity.objects.filter(slug="org-301").first()
    organisation = quote(to_traditional(organisation.name_zh) if organisation else "OpenAI")
    result = {"index_build_ms": 0.0, "index": settings.TIMELINE_FACET_INDEX}
    if settings.TIMELINE_FACET_INDEX:
        # Once per structure version and process (timeline.facet_index); reported on its own.
        started = time.perf_counter()
        facet_index.current()
        result["index_build_ms"] = (time.perf_counter() - started) * 1000
    with override_settings(
        STORAGES={"staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    ):
        client = Client()
        # Any cookie besides the language and CSRF ones keeps PublicResponseCacheMiddleware out.
        client.cookies["benchmark"] = "render"
        # A first page of another filter set loads the templates and the code of a request, as any
        # running server has, so that "cold" below is the cost of a new filter set, not of a new process.
        client.get(WARM_UP)
        for page, url in PAGES.items():
            url = url.format(name=name, organisation=organisation)
            cold_timings, cold_cpu_timings = [], []
            for attempt in range(COLD_REPETITIONS):
                cache.clear()  # every cached answer gone: the first request of this filter set again
                with CaptureQueriesContext(connection) as captured:
                    started, cpu = time.perf_counter(), time.process_time()
                    response = client.get(url)
                    cold_timings.append(time.perf_counter() - started)
                    cold_cpu_timings.append(time.process_time() - cpu)
                if attempt == 0:
                    queries = len(captured)  # now: the next request resets the connection's query log
                assert response.status_code == 200, (url, response.status_code)
            cold, cold_cpu = statistics.median(cold_timings), statistics.median(cold_cpu_timings)
            timings, cpu_timings = [], []
            for _ in range(repetitions):
                started, cpu = time.perf_counter(), time.process_time()
                client.get(url)
                timings.append(time.perf_counter() - started)
                cpu_timings.append(time.process_time() - cpu)
            result[page] = {
                "matches": matches(url),
                "ms": statistics.median(timings) * 1000,
                "cold_ms": cold * 1000,
                # CPU time of this process: on SQLite (which runs in it) the work of the request,
                # steadier than wall time on a machine shared with other jobs.
                "cpu_ms": statistics.median(cpu_timings) * 1000,
                "cold_cpu_ms": cold_cpu * 1000,
                "queries": queries,
            }
        reader = Client()  # no cookie: the second request is a cache hit
        reader.get("/")
        hits = []
        for _ in range(repetitions):
            started = time.perf_counter()
            reader.get("/")
            hits.append(time.perf_counter() - started)
        result["default"]["cached_ms"] = statistics.median(hits) * 1000
        result.update(first_view(client))
    return result


def first_view(client) -> dict:
    """The bytes of ``/`` as a browser fetches it, gzip and Brotli, per file.

    The first view is the HTML (as the server compresses it, ``timeline.http.compress``) plus every
    stylesheet and script the HTML links to, as ``collectstatic`` stores and whitenoise serves them
    (ours minified, ``timeline.staticfiles``; gzip level 9 and Brotli as whitenoise compresses).
    The enhancements that ``static/timeline/enhance.js`` fetches after the page's ``load`` event
    (its ``data-enhance``: htmx and ``chronology.js``) are not in it, since the page works without
    them until they have run; they are reported beside it ("then"), and so is the sum of both."""
    from django.contrib.staticfiles import finders
    from whitenoise.compress import Compressor

    from timeline.http import compress
    from timeline.staticfiles import minify

    def static(url: str) -> bytes:
        return minify(url, Path(finders.find(url)).read_bytes())

    html = client.get("/").content
    links = [url.decode() for url in re.findall(
        rb'<(?:link rel="stylesheet"|script) (?:href|src)="/static/([^"]+)"', html)]
    later = [url.removeprefix("/static/") for attribute in re.findall(rb'data-enhance="([^"]*)"', html)
             for url in attribute.decode().split()]
    files = {"HTML": (len(compress(html, "gzip")), len(compress(html, "br")))}
    for url in links:
        data = static(url)
        files[url] = (len(Compressor.compress_gzip(data)), len(Compressor.compress_brotli(data)))
    then = {}
    for url in later:
        data = static(url)
        then[url] = (len(Compressor.compress_gzip(data)), len(Compressor.compress_brotli(data)))
    return {
        "first_view_gzip": sum(gz for gz, _ in files.values()),
        "first_view_br": sum(br for _, br in files.values()),
        "first_view_files": len(files),
        "first_view_parts": files,
        "enhance_gzip": sum(gz for gz, _ in then.values()),
        "enhance_br": sum(br for _, br in then.values()),
        "enhance_parts": then,
    }


def matches(url: str) -> int:
    """How many items the page at ``url`` lists (its count), outside the timed requests."""
    from django.http import QueryDict

    from timeline.filters import FilterForm
    from timeline.views.pages import chronology_context

    form = FilterForm(QueryDict(url.partition("?")[2]))
    form.is_valid()
    return chronology_context(form)["count"]


def to_traditional(text: str) -> str:
    import opencc

    return opencc.OpenCC("s2t").convert(text)


def shipped_database() -> Path:
    """The real product data (the four articles and the curated chronology), for the first view."""
    path = ROOT / "var" / "bench" / "pages-shipped.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)  # the chronology changes often; rebuilding takes seconds
    for command in (["migrate", "-v0"], ["import_sources"], ["load_chronology"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=_env(path), check=True,
                       stdout=subprocess.DEVNULL)
    return path


def _measure_in(database: Path | str, repetitions: int) -> dict:
    output = subprocess.run(
        [sys.executable, "-m", "timeline.benchmarks.pages", "--measure", str(repetitions)],
        cwd=ROOT, env=_env(database), check=True, capture_output=True, text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def run(sizes=SIZES, repetitions: int = REPETITIONS) -> list[dict]:
    """One row per size (seeding what is missing first), then one for the shipped data."""
    rows = [{"items": size, **_measure_in(ensure_database(size), repetitions)} for size in sizes]
    rows.append({"items": "shipped", **_measure_in(shipped_database(), repetitions)})
    return rows


def run_postgres(sizes=SIZES, repetitions: int = REPETITIONS) -> list[dict] | None:
    """The same rows on PostgreSQL (a cluster kept under ``var/bench/postgres``); None without one."""
    with postgres.server(keep_in=ROOT / "var" / "bench" / "postgres") as server:
        if server is None:
            return None
        return [
            {"items": size, **_measure_in(ensure_postgres_database(server, size), repetitions)} for size in sizes
        ]


def table(rows: list[dict]) -> str:
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---:|" * len(COLUMNS)]
    for row in rows:
        items = row["items"] if isinstance(row["items"], str) else f"{row['items']:,}"
        lines.append(
            "| "
            + " | ".join(
                [
                    items,
                    f"{row['default']['ms']:.1f}",
                    f"{row['filtered']['ms']:.1f}",
                    f"{row['search']['ms']:.1f}",
                    f"{row['default']['cold_ms']:.0f}",
                    f"{row['search']['cold_ms']:.0f}",
                    f"{row['default'].get('cached_ms', 0):.2f}",
                    f"{row['default']['queries']}/{row['filtered']['queries']}/{row['search']['queries']}",
                    f"{row['first_view_gzip']:,}",
                ]
            )
            + " |"
        )
    synthetic = [row for row in rows if isinstance(row["items"], int)]
    shipped = [row for row in rows if row["items"] == "shipped"]
    if len(synthetic) > 1:
        first, last = synthetic[0], synthetic[-1]
        ratios = [
            f"{label} {last[page][key] / first[page][key]:.1f}×"
            for label, page, key in (
                ("default", "default", "ms"), ("filtered", "filtered", "ms"), ("search", "search", "ms"),
                ("first request of a new filter set", "default", "cold_ms"),
                ("first search", "search", "cold_ms"),
                ("filtered with a full page at both sizes", "filtered_full", "ms"),
                ("its first request", "filtered_full", "cold_ms"),
                ("search with a full page at both sizes", "search_full", "ms"),
                ("its first request", "search_full", "cold_ms"),
            )
            if page in first and page in last
        ]
        lines.append(
            f"\nAt {last['items']:,} items vs {first['items']:,} (target ≤ 2× each): " + ", ".join(ratios) + "."
        )
        listed = [
            f"{page} {first[page]['matches']:,} → {last[page]['matches']:,}"
            for page in PAGES if "matches" in first.get(page, {}) and "matches" in last.get(page, {})
        ]
        if listed:
            lines.append(
                f"Items each page lists at {first['items']:,} and {last['items']:,} items (where one size "
                "lists less than a full first page, its ratio compares less output with more): "
                + ", ".join(listed) + "."
            )
        if "cpu_ms" in first["default"] and "cpu_ms" in last["default"]:
            cpu = [
                f"{label} {first[page][key]:.1f} → {last[page][key]:.1f} ms ({last[page][key] / first[page][key]:.1f}×)"
                for label, page, key in (
                    ("default", "default", "cpu_ms"), ("filtered", "filtered", "cpu_ms"),
                    ("search", "search", "cpu_ms"), ("first request of a new filter set", "default", "cold_cpu_ms"),
                    ("first search", "search", "cold_cpu_ms"),
                    ("filtered with a full page at both sizes", "filtered_full", "cpu_ms"),
                    ("its first request", "filtered_full", "cold_cpu_ms"),
                    ("search with a full page at both sizes", "search_full", "cpu_ms"),
                    ("its first request", "search_full", "cold_cpu_ms"),
                )
                if page in first and page in last
            ]
            lines.append("Process CPU time, the same requests (SQLite runs in the process): " + ", ".join(cpu) + ".")
    if any(row.get("index") for row in rows):
        builds = ", ".join(f"{row['items'] if isinstance(row['items'], str) else format(row['items'], ',')}: "
                           f"{row.get('index_build_ms', 0):.0f} ms" for row in rows)
        lines.append(f"Facet index built once per structure version and process (timeline.facet_index): {builds}.")
    elif rows:
        lines.append("Facet index off (TIMELINE_FACET_INDEX=0): counts, axis rows and page ids from SQL.")
    if shipped:
        row = shipped[0]

        def parts(files: dict) -> str:
            return ", ".join(f"{name.rsplit('/', 1)[-1]} {gz:,}" for name, (gz, _) in files.items())

        lines.append(
            f"First view of the shipped chronology: {row['first_view_gzip']:,} B gzip in "
            f"{row['first_view_files']} files ({parts(row.get('first_view_parts', {}))}; target < 30,000), "
            f"{row.get('first_view_br', 0):,} B Brotli."
        )
        if row.get("enhance_parts"):
            lines.append(
                f"Then, after the page's load event, its enhancements: {row['enhance_gzip']:,} B gzip "
                f"({parts(row['enhance_parts'])}), {row['enhance_br']:,} B Brotli; "
                f"{row['first_view_gzip'] + row['enhance_gzip']:,} B gzip in all."
            )
    return "\n".join(lines)


def main(sizes=SIZES) -> str:
    """The Markdown section for ``make bench``: SQLite, then PostgreSQL when one can be started."""
    section = "## Chronology page (SQLite, Django test Client, median of warm requests)\n\n" + table(run(sizes))
    rows = run_postgres(sizes)
    if rows is None:
        return section + "\n\nPostgreSQL not measured: no server (install postgresql or set " \
            f"{postgres.ENV_URL})."
    return section + "\n\n## Chronology page (PostgreSQL, same measurements)\n\n" + table(rows)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--measure"]:
        print(json.dumps(measure(int(sys.argv[2]))))
    else:
        print(main(tuple(int(arg) for arg in sys.argv[1:]) or SIZES))
