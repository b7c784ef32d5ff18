"""The server's CPU for the first request of a new filter set, on the shipped chronology.

In a running server every filter set a reader clicks is new once: its facet counts, page and axis
are not cached yet (the item cards of other pages may be). This measures exactly that request, in a
process that has already served other pages, for ``SETS`` filter sets built from the shipped data
(one person, organisation or topic, with or without a kind, English and Chinese), each requested
once as the htmx fragment of a facet click (``HX-Request: true``, ``HX-Target: results``) and
another set once as a full page. Reported: the process CPU time per request (SQLite runs in the
process, so this is the request's work, steady when other jobs share the machine, unlike wall
time; the median over three processes), and in another process, under ``cProfile``, the Python function calls per request.

    python -m timeline.benchmarks.fresh            # Markdown section
    python -m timeline.benchmarks.fresh --dump DIR # also write every response body into DIR

The database is the one ``timeline.benchmarks.pages`` rebuilds (``var/bench/pages-shipped.sqlite3``).
"""

from __future__ import annotations

import cProfile
import json
import pstats
import statistics
import subprocess
import sys
import time
from pathlib import Path

from timeline.benchmarks.pages import ROOT, _env, shipped_database

SETS = 24  # filter sets per kind of request (fragment, full page)
PROCESSES = 3
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "results"}


def filter_sets() -> list[str]:
    """Query strings of distinct filter sets that each list something on the shipped data."""
    from django.db.models import Count, Q

    from timeline.models import Entity, Status, Tag

    def counted(queryset, relation):
        published = Q(**{f"{relation}__status": Status.PUBLISHED})
        return queryset.annotate(n=Count(relation, filter=published)).filter(n__gt=0)

    people = counted(Entity.objects.filter(kind="person"), "items_as_person")
    orgs = counted(Entity.objects.filter(kind="organization"), "items_as_organization")
    tags = counted(Tag.objects.all(), "items")
    values = ([("person", slug) for slug in people.order_by("-n", "slug").values_list("slug", flat=True)[:16]]
              + [("org", slug) for slug in orgs.order_by("-n", "slug").values_list("slug", flat=True)[:8]]
              + [("tag", slug) for slug in tags.order_by("-n", "slug").values_list("slug", flat=True)[:8]])
    sets = []
    for extra in ("kind=event", "", "kind=event&lang=zh", "lang=zh"):
        sets += [f"{param}={slug}" + (f"&{extra}" if extra else "") for param, slug in values]
    return sets


def measure(profile: bool, dump: str = "") -> dict:
    """In a process on the shipped database: CPU (or calls) of each first request of a filter set."""
    from django.test import Client
    from django.test.utils import override_settings

    # Loaded as a server loads it (``timeline.wsgi``, which also sets the collector up for serving).
    import timeline.wsgi  # noqa: F401

    with override_settings(
        STORAGES={"staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    ):
        client = Client()
        client.cookies["benchmark"] = "render"  # keeps PublicResponseCacheMiddleware out of the way
        # A running server: templates loaded, the facet index built, other pages' cards cached.
        for url in ("/", "/?kind=quote", "/?page=2"):
            client.get(url)
            client.get(url, **HTMX)
        sets = filter_sets()
        assert len(sets) >= 2 * SETS, len(sets)
        result = {}
        for name, urls, headers in (("fragment", sets[:SETS], HTMX), ("page", sets[SETS:2 * SETS], {})):
            cpu, calls = [], []
            for url in urls:
                profiler = cProfile.Profile() if profile else None
                started = time.process_time()
                if profiler:
                    profiler.enable()
                response = client.get("/?" + url, **headers)
                if profiler:
                    profiler.disable()
                cpu.append((time.process_time() - started) * 1000)
                assert response.status_code == 200, (url, response.status_code)
                if profiler:
                    calls.append(pstats.Stats(profiler).total_calls)
                if dump:
                    path = Path(dump) / f"{name}-{url.replace('&', '_').replace('=', '-')}.html"
                    path.write_bytes(response.content)
            result[name] = {"cpu_ms": statistics.median(cpu), "calls": statistics.median(calls) if calls else None,
                            "n": len(urls)}
    return result


def _run(database: Path, *args: str) -> dict:
    output = subprocess.run(
        [sys.executable, "-m", "timeline.benchmarks.fresh", "--measure", *args],
        cwd=ROOT, env=_env(database), check=True, capture_output=True, text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main(dump: str = "") -> str:
    database = shipped_database()
    # CPU: the median over PROCESSES processes of each one's median (the machine may be shared).
    runs = [_run(database, *(["--dump", dump] if dump and not n else [])) for n in range(PROCESSES)]
    timed = {name: {"n": runs[0][name]["n"], "cpu_ms": statistics.median(run[name]["cpu_ms"] for run in runs)}
             for name in runs[0]}
    counted = _run(database, "--profile")
    lines = [
        "### First request of a new filter set (shipped data)",
        "",
        "| request | filter sets | CPU ms (median) | function calls (median) |",
        "|---|---:|---:|---:|",
    ]
    for name, label in (("fragment", "htmx fragment (HX-Target: results)"), ("page", "full page")):
        lines.append(f"| {label} | {timed[name]['n']} | {timed[name]['cpu_ms']:.1f} | {counted[name]['calls']:,.0f} |")
    return "\n".join(lines)


if __name__ == "__main__":
    arguments = sys.argv[1:]
    dump = arguments[arguments.index("--dump") + 1] if "--dump" in arguments else ""
    if "--measure" in arguments:
        print(json.dumps(measure(profile="--profile" in arguments, dump=dump)))
    else:
        print(main(dump=dump))
