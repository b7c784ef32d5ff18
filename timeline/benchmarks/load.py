"""Load: gunicorn with the production settings under wrk, next to whitenoise serving the same bytes.

For each endpoint (the chronology, a filtered chronology, the embed widget when it exists, and the
items API) the response body is saved as a static file, so the ceiling is whitenoise serving a file
of exactly the same size and type from the same gunicorn. Each endpoint and its static twin get a
short warm-up, then ``TIMELINE_BENCH_SECONDS`` (default 60) of wrk at ``TIMELINE_BENCH_CONNECTIONS``
(default 64) connections on loopback; the table reports requests per second, p50/p99 latency and
errors (socket errors plus non-2xx/3xx answers).

The site runs as in production (debug off, a secret, whitenoise) with the HTTPS redirect, secure
cookies and HSTS off because wrk speaks plain HTTP on 127.0.0.1. Its SQLite database, with the
shipped data, is built once under ``var/bench/load/``.

    python -m timeline.benchmarks load
    TIMELINE_BENCH_SECONDS=10 python -m timeline.benchmarks.load

Two more runs, each compared with what it should approach: the long tail (wrk with one thread
cycling through 3,000 distinct filter URLs, so each is asked once per cycle and nearly every request
renders) against the static twin of ``/``, and cached ``/`` while a separate process saves one
published item per second (as the admin does) against cached ``/`` without edits.

Needs wrk (Debian: ``apt-get install -y wrk``); without it the section says so and nothing runs.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from timeline.benchmarks.serve import Gunicorn, plain_http_env

ROOT = Path(__file__).resolve().parents[2]
VAR = ROOT / "var" / "bench" / "load"
ENDPOINTS = {
    "chronology `/`": "/",
    "filtered page": "/?person=sam-altman&era=board-crisis",
    "embed widget `/embed/`": "/embed/",
    "items API `/api/items/`": "/api/items/",
}
WARMUP_SECONDS = 3
DATA_VERSION = 1  # bump when the shipped data or the way it is loaded changes shape


@dataclass
class Run:
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int


def _env() -> dict:
    return plain_http_env(
        VAR,
        "load-benchmark-" + "x" * 40,
        DJANGO_DEBUG="0",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=f"sqlite:///{VAR / 'timeline.sqlite3'}",
    )


def _fixtures_digest() -> str:
    digest = hashlib.sha256(str(DATA_VERSION).encode())
    for path in sorted((ROOT / "fixtures").rglob("*")):
        if path.is_file():
            digest.update(path.name.encode() + path.read_bytes())
    for path in sorted((ROOT / "timeline" / "migrations").glob("*.py")):
        digest.update(path.name.encode())
    return digest.hexdigest()[:16]


def prepare(env: dict) -> None:
    """Migrate and import the shipped data once per fixtures version; collect static files every run
    (a few seconds), since a page that names a static file the manifest lacks cannot render."""
    stamp = VAR / "data.stamp"
    digest = _fixtures_digest()
    commands = [["collectstatic", "--noinput", "-v0"]]
    if not (stamp.exists() and stamp.read_text() == digest):
        shutil.rmtree(VAR, ignore_errors=True)
        VAR.mkdir(parents=True)
        commands[:0] = [["migrate", "--noinput", "-v0"], ["import_sources", "-v0"], ["load_chronology", "-v0"]]
    for command in commands:
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True,
                       stdout=subprocess.DEVNULL, timeout=900)
    stamp.write_text(digest)


def app_server(env: dict) -> Gunicorn:
    """gunicorn as `make run` starts it: sync workers, 2 per core (``TIMELINE_BENCH_WORKERS``)."""
    return Gunicorn(env, workers=int(os.environ.get("TIMELINE_BENCH_WORKERS", str(2 * (os.cpu_count() or 1)))))


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * _UNITS[unit]


def parse_wrk(output: str) -> Run:
    """Requests/sec, the 50% and 99% latency lines, the request count and every kind of error."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1))
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1))
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    errors = 0
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if non_2xx:
        errors += int(non_2xx.group(1))
    return Run(rps, p50, p99, requests, errors)


def wrk(url: str, seconds: int, connections: int) -> Run:
    threads = str(min(connections, os.cpu_count() or 1))
    result = subprocess.run(
        ["wrk", "--latency", "-t", threads, "-c", str(connections), "-d", f"{seconds}s", "--timeout", "10s", url],
        capture_output=True, text=True, check=True, timeout=seconds + 60,
    )
    return parse_wrk(result.stdout)


LONG_TAIL_URLS = 3000
CYCLE_SCRIPT = """
local paths = {}
for line in io.lines(os.getenv("TIMELINE_WRK_PATHS")) do paths[#paths + 1] = line end
local next_path = 0
request = function()
  next_path = next_path % #paths + 1
  return wrk.format("GET", paths[next_path])
end
"""


def long_tail_paths(server: Gunicorn, count: int = LONG_TAIL_URLS) -> list[str]:
    """``count`` distinct filter combinations a reader could click: person × era, person × tag, tag ×
    era, each also as key moments or quotes only, built from the vocabulary the API lists."""
    import itertools
    import json

    def ids(path):
        return [entry["id"] for entry in json.loads(server.get(path)[0])["results"]]

    people, eras, tags = ids("/api/entities/"), ids("/api/eras/"), ids("/api/tags/")
    combos = itertools.chain(
        (f"person={p}&era={e}" for p in people for e in eras),
        (f"person={p}&tag={t}" for p in people for t in tags),
        (f"tag={t}&era={e}" for t in tags for e in eras),
    )
    paths = []
    for query in combos:
        for extra in ("", "&importance=3", "&kind=quote", "&importance=2"):
            paths.append(f"/?{query}{extra}")
    paths = list(dict.fromkeys(paths))[:count]
    if len(paths) < count:
        raise RuntimeError(f"only {len(paths)} distinct filter URLs could be built")
    return paths


def wrk_cycle(base: str, paths: list[str], seconds: int, connections: int) -> Run:
    """wrk with one thread cycling through ``paths`` in order, so each URL is asked once per cycle."""
    folder = VAR / "wrk"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "paths.txt").write_text("\n".join(paths) + "\n")
    (folder / "cycle.lua").write_text(CYCLE_SCRIPT)
    result = subprocess.run(
        ["wrk", "--latency", "-t", "1", "-c", str(connections), "-d", f"{seconds}s", "--timeout", "10s",
         "-s", str(folder / "cycle.lua"), base],
        capture_output=True, text=True, check=True, timeout=seconds + 60,
        env={**os.environ, "TIMELINE_WRK_PATHS": str(folder / "paths.txt")},
    )
    return parse_wrk(result.stdout)


EDITOR_SCRIPT = """
import random, sys, time
import django
django.setup()
from django.db import transaction
from timeline import search
from timeline.models import Item
avoid = set(sys.argv[2].split(",")) if len(sys.argv) > 2 and sys.argv[2] else set()
ids = list(Item.objects.published().exclude(slug__in=avoid).values_list("pk", flat=True))
rng = random.Random(7)
saves = 0
deadline = time.monotonic() + float(sys.argv[1])
while time.monotonic() < deadline:
    started = time.monotonic()
    with transaction.atomic():
        item = Item.objects.get(pk=rng.choice(ids))
        item.summary_en = item.summary_en.rstrip(" ·") + (" ·" if saves % 2 == 0 else "")
        item.save()
        search.refresh_search_text([item])
    saves += 1
    time.sleep(max(0.0, 1.0 - (time.monotonic() - started)))
print(saves)
"""


def with_editor(env: dict, seconds: int, run, avoid: set[str] = frozenset()):
    """Run ``run()`` while a separate process saves one published item per second (as the admin
    does: the item, then its search text, in one transaction), chosen at random among the published
    items except the slugs in ``avoid``; returns (run's result, saves)."""
    editor = subprocess.Popen([sys.executable, "-c", EDITOR_SCRIPT, str(seconds + WARMUP_SECONDS), ",".join(avoid)],
                              cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    try:
        result = run()
    finally:
        saves = editor.communicate(timeout=seconds + 60)[0].strip()
    return result, int(saves or 0)


SHOWN_ITEM = re.compile(r'(?:id="item-|data-item="|href="/items/)([^"/?#]+)')


def shown_items(server: Gunicorn, *paths: str) -> set[str]:
    """The slugs of the items whose content the pages show: cards, axis marks, links to items."""
    return {slug for path in paths for slug in SHOWN_ITEM.findall(server.get(path)[0].decode())}


def item_page_path(server: Gunicorn) -> str:
    """The page of the last item the items API lists (any published item would do)."""
    import json

    results = json.loads(server.get("/api/items/")[0])["results"]
    return f"/items/{results[-1]['id']}/"


def static_twins(server: Gunicorn, endpoints: dict[str, str]) -> dict[str, str]:
    """Save each endpoint's response under STATIC_ROOT as a file of the same bytes and type."""
    folder = VAR / "staticfiles" / "bench"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    twins = {}
    for number, (name, path) in enumerate(endpoints.items()):
        body, content_type = server.get(path)
        suffix = ".json" if "json" in content_type else ".html"
        (folder / f"twin-{number}{suffix}").write_bytes(body)
        twins[name] = f"/static/bench/twin-{number}{suffix}"
    return twins


def main() -> str:
    seconds = int(os.environ.get("TIMELINE_BENCH_SECONDS", "60"))
    connections = int(os.environ.get("TIMELINE_BENCH_CONNECTIONS", "64"))
    title = f"## Load: gunicorn under wrk, {connections} connections, {seconds} s per run"
    if not shutil.which("wrk"):
        return f"{title}\n\n**Skipped: wrk is not installed.** Install it with `apt-get install -y wrk` and run again.\n"
    env = _env()
    prepare(env)
    endpoints = dict(ENDPOINTS)
    with app_server(env) as server:
        for name, path in list(endpoints.items()):
            try:
                server.get(path)
            except OSError:
                del endpoints[name]  # e.g. no embed widget in this build
        twins = static_twins(server, endpoints)
    rows = []
    with app_server(env) as server:  # restarted: whitenoise indexes static files at start-up
        workers = server.workers
        sizes = {name: len(server.get(path)[0]) for name, path in endpoints.items()}
        for name, path in endpoints.items():
            results = []
            for target in (path, twins[name]):
                wrk(server.base + target, WARMUP_SECONDS, connections)
                results.append(wrk(server.base + target, seconds, connections))
            app, static = results
            rows.append((name, path, sizes[name], app, static))
        # The long tail: thousands of distinct filter sets, each asked once per cycle (renders).
        paths = long_tail_paths(server)
        tail = wrk_cycle(server.base, paths, seconds, connections)
        static_page = next(static for name, _p, _s, _a, static in rows if name == "chronology `/`")
        # Cached `/` and an item page while an editor saves an item every second, next to the same
        # runs without edits: first any published item, then only items neither page shows.
        quiet = next(app for name, _p, _s, app, _st in rows if name == "chronology `/`")
        item_path = item_page_path(server)
        wrk(server.base + item_path, WARMUP_SECONDS, connections)
        quiet_item = wrk(server.base + item_path, seconds, connections)
        shown = shown_items(server, "/", item_path)
        editing_runs = []
        for label, avoid in (("any published item", set()), (f"an item neither page shows ({len(shown)} avoided)", shown)):
            for page, path, base in (("`/`", "/", quiet), (f"item page `{item_path}`", item_path, quiet_item)):
                result, saves = with_editor(env, seconds, lambda p=path: wrk(server.base + p, seconds, connections),
                                            avoid)
                editing_runs.append((page, label, saves, result, base))
    lines = [
        title,
        "",
        f"gunicorn {workers} sync workers, production settings, SQLite, {os.cpu_count()} cores shared with wrk. "
        "The ceiling is whitenoise serving the same bytes as a static file from the same server. "
        "wrk repeats one URL, so after the first request every endpoint is answered by "
        "`PublicResponseCacheMiddleware` (one cache read and one query for the versions it was stored under); what a render "
        "costs is in the pages and embed benchmarks.",
        "",
        "| endpoint | bytes | req/s | p50 ms | p99 ms | errors | static req/s | static p50 ms | static p99 ms | "
        "share of ceiling |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, _path, size, app, static in rows:
        share = app.rps / static.rps if static.rps else 0
        lines.append(
            f"| {name} | {size:,} | {app.rps:,.0f} | {app.p50_ms:.1f} | {app.p99_ms:.1f} | "
            f"{app.errors + static.errors} | {static.rps:,.0f} | {static.p50_ms:.1f} | {static.p99_ms:.1f} | "
            f"{share:.0%} |"
        )
    errors = (sum(app.errors + static.errors for *_, app, static in rows) + tail.errors + quiet_item.errors
              + sum(result.errors for *_, result, _base in editing_runs))
    tail_share = tail.rps / static_page.rps if static_page.rps else 0
    lines += [
        "",
        "| run | req/s | p50 ms | p99 ms | errors | compared with | share | target |",
        "|---|---:|---:|---:|---:|---|---:|---:|",
        f"| long tail: {len(paths):,} distinct filter URLs, wrk one thread cycling | {tail.rps:,.0f} | "
        f"{tail.p50_ms:.1f} | {tail.p99_ms:.1f} | {tail.errors} | static twin of `/` | {tail_share:.1%} | ≥ 10% |",
        f"| cached item page `{item_path}` without edits | {quiet_item.rps:,.0f} | {quiet_item.p50_ms:.1f} | "
        f"{quiet_item.p99_ms:.1f} | {quiet_item.errors} | | | |",
    ]
    for page, label, saves, result, base in editing_runs:
        share = result.rps / base.rps if base.rps else 0
        lines.append(
            f"| cached {page} while an editor saves {label} every second ({saves} saves) | {result.rps:,.0f} | "
            f"{result.p50_ms:.1f} | {result.p99_ms:.1f} | {result.errors} | cached {page} without edits | "
            f"{share:.0%} | ≥ 50% |"
        )
    lines += [
        "",
        "The editor saves a random published item's summary, as the admin does. A save re-renders only "
        "the answers that showed that item (its page, its neighbours' pages, the list pages whose cards or "
        "axis marks show it, searches); other cached answers stay cached. With any item, some saves hit "
        "the measured page, and every worker then renders it at once.",
        "",
        f"Errors in all runs: {errors} (target 0). Target for the widget and the API: at least 50% "
        "of the static ceiling.",
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(main())
