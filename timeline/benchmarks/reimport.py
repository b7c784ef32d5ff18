"""Re-importing a 2 MB article, on SQLite and on PostgreSQL (issue 19's bulk-write target).

The shipped data is loaded into a fresh database (the chronology's items cite the article), then the
shipped article with the most citations is re-imported twice through ``timeline.reimport`` (the code
the admin's re-import page applies), each in its own process and database:

1. **grow**: the article with about 2 MB of further paragraphs in the middle of its body (sentences
   of the shipped articles, shuffled with a fixed seed): thousands of new passages, and every
   citation in the second half of the article moves;
2. **edit**: the same 2 MB text with one paragraph inserted before the new ones, so every later
   passage changes its ordinal and text and the citations after it are re-anchored.

Each step is one transaction with the content-version triggers on; the table reports the seconds
of ``apply_reimport`` alone (not the migrations or the load). Target: PostgreSQL within 1.5× of SQLite.

    python -m timeline.benchmarks reimport
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from timeline.benchmarks import postgres

ROOT = Path(__file__).resolve().parents[2]
VAR = ROOT / "var" / "bench" / "reimport"
TARGET_BYTES = 2_000_000
TARGET = 1.5

SCRIPT = r"""
import json, random, sys, time
import django
django.setup()
from django.core.management import call_command
from django.db.models import Count
from timeline.models import Citation, Passage, Source
from timeline.reimport import apply_reimport

target_bytes = int(sys.argv[1])
call_command("migrate", "--noinput", verbosity=0)
call_command("import_sources", verbosity=0)
call_command("load_chronology", verbosity=0)
singles = [s for s in Source.objects.all() if not Source.objects.filter(file_name=s.file_name).exclude(pk=s.pk).exists()]
source = max(singles, key=lambda s: Citation.objects.filter(passage__source=s).count())
citations = Citation.objects.filter(passage__source=source).count()
sentences = []
for text in Passage.objects.order_by("pk").values_list("text", flat=True):
    sentences += [part + "。" for part in text.split("。") if len(part) > 8]
rng = random.Random(19)
# The page ends in site chrome (related links, footer) that the cleaner drops: the new paragraphs go
# into the middle of the article body.
lines = source.raw_text.rstrip("\n").split("\n\n")
middle = len(lines) // 2
size = len(source.raw_text.encode())
paragraphs = []
while size < target_bytes:
    paragraph = "".join(rng.sample(sentences, 4))
    paragraphs.append(paragraph)
    size += len(paragraph.encode()) + 2
grown = ("\n\n".join(lines[:middle] + paragraphs + lines[middle:]) + "\n").encode()
edited = ("\n\n".join(lines[:middle] + ["編者按：本文在轉載時補充了一段說明，以下段落順序不變。"] + paragraphs
                       + lines[middle:]) + "\n").encode()
result = {"source": source.key, "citations": citations, "bytes": len(grown)}
for step, raw in (("grow", grown), ("edit", edited)):
    source.refresh_from_db()
    started = time.perf_counter()
    apply_reimport(source, raw, expected_version=source.version)
    result[step] = time.perf_counter() - started
    result[step + "_passages"] = Passage.objects.filter(source=source).count()
statuses = Citation.objects.filter(passage__source=source).values("status").annotate(n=Count("pk"))
result["statuses"] = {row["status"]: row["n"] for row in statuses}
print(json.dumps(result))
"""


def run(database_url: str) -> dict:
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(DJANGO_SETTINGS_MODULE="timeline.settings", DJANGO_SECRET_KEY="benchmark-only",
               DATABASE_URL=database_url, TIMELINE_VAR_DIR=str(VAR))
    output = subprocess.run([sys.executable, "-c", SCRIPT, str(TARGET_BYTES)], cwd=ROOT, env=env, check=True,
                            capture_output=True, text=True, timeout=1200).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> str:
    VAR.mkdir(parents=True, exist_ok=True)
    path = VAR / "reimport.sqlite3"
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    results = {"SQLite": run(f"sqlite:///{path}")}
    with postgres.server() as server:
        if server is not None:
            url = postgres.recreate_database(server, "timeline_bench_reimport")
            results["PostgreSQL"] = run(url)
            postgres.drop_database(server, "timeline_bench_reimport")
    sqlite = results["SQLite"]
    lines = [
        f"## Re-importing a {sqlite['bytes'] / 1e6:.1f} MB article (`{sqlite['source']}`, "
        f"{sqlite['citations']} citations)\n",
        "| database | grow: seconds | passages after | edit (one paragraph inserted): seconds | passages after "
        "| citations after (by status) |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for name, result in results.items():
        statuses = ", ".join(f"{status} {n}" for status, n in sorted(result["statuses"].items()))
        lines.append(f"| {name} | {result['grow']:.2f} | {result['grow_passages']:,} | {result['edit']:.2f} | "
                     f"{result['edit_passages']:,} | {statuses} |")
    if "PostgreSQL" in results:
        pg = results["PostgreSQL"]
        for step in ("grow", "edit"):
            ratio = pg[step] / sqlite[step]
            lines.append(f"\n{step}: PostgreSQL / SQLite {ratio:.2f}× (target ≤ {TARGET}×) — "
                         f"{'met' if ratio <= TARGET else 'NOT met'}.")
    else:
        lines.append(f"\nPostgreSQL not measured: no server (install postgresql or set {postgres.ENV_URL}).")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(main())
