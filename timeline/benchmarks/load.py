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

from timeline.benchmarks.serve import Gunicorn

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
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="timeline.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="load-benchmark-" + "x" * 40,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_COOKIES="0",
        DJANGO_HSTS_SECONDS="0",
        TIMELINE_VAR_DIR=str(VAR),
        DATABASE_URL=f"sqlite:///{VAR / 'timeline.sqlite3'}",
    )
    return env


def _fixtures_digest() -> str:
    digest = hashlib.sha256(str(DATA_VERSION).encode())
    for path in sorted((ROOT / "fixtures").rglob("*")):
        if path.is_file():
            digest.update(path.name.encode() + path.read_bytes())
    for path in sorted((ROOT / "timeline" / "migrations").glob("*.py")):
        digest.update(path.name.encode())
    return digest.hexdigest()[:16]


def prepare(env: dict) -> None:
    """Migrate, import the shipped data and collect static files, once per fixtures version."""
    stamp = VAR / "data.stamp"
    digest = _fixtures_digest()
    if stamp.exists() and stamp.read_text() == digest:
        return
    shutil.rmtree(VAR, ignore_errors=True)
    VAR.mkdir(parents=True)
    for command in (["migrate", "--noinput", "-v0"], ["import_sources", "-v0"], ["load_chronology", "-v0"],
                    ["collectstatic", "--noinput", "-v0"]):
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
    lines = [
        title,
        "",
        f"gunicorn {workers} sync workers, production settings, SQLite, {os.cpu_count()} cores shared with wrk. "
        "The ceiling is whitenoise serving the same bytes as a static file from the same server. "
        "wrk repeats one URL, so after the first request every endpoint is answered by "
        "`PublicResponseCacheMiddleware` (one content-version lookup and one cache read); what a render "
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
    errors = sum(app.errors + static.errors for *_, app, static in rows)
    lines += ["", f"Errors in all runs: {errors} (target 0). Target for the widget and the API: at least 50% "
              "of the static ceiling."]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(main())
