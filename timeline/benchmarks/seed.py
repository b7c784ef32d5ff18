"""Bulk writes: ``seed_synthetic`` into a fresh SQLite file and a fresh PostgreSQL database.

Both runs write the same rows (same seed) through the same code, with the content-version triggers
on (migration 0005/0007), and report the seconds ``seed_synthetic`` itself prints (the write, not the
migrations). PostgreSQL comes from ``timeline.benchmarks.postgres`` (a private cluster, or
``TIMELINE_BENCH_POSTGRES_URL``). Target: PostgreSQL within 1.5× of SQLite.

    python -m timeline.benchmarks.seed            # 100,000 items
    TIMELINE_BENCH_SEED_ITEMS=20000 python -m timeline.benchmarks.seed
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from timeline.benchmarks import postgres

ROOT = Path(__file__).resolve().parents[2]
ITEMS = int(os.environ.get("TIMELINE_BENCH_SEED_ITEMS", "100000"))
TARGET = 1.5


def seed(target: list[str]) -> float:
    """Run ``seed_synthetic`` into ``target`` (its --sqlite/--database-url arguments); its own seconds."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(DJANGO_SETTINGS_MODULE="timeline.settings", DJANGO_SECRET_KEY="benchmark-only",
               DATABASE_URL=f"sqlite:///{ROOT / 'var' / 'bench' / 'unused.sqlite3'}")
    output = subprocess.run(
        [sys.executable, "manage.py", "seed_synthetic", "--items", str(ITEMS), "--replace", *target],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    ).stdout
    return float(re.search(r" in ([\d.]+) s", output).group(1))


def main() -> str:
    bench = ROOT / "var" / "bench"
    bench.mkdir(parents=True, exist_ok=True)
    path = bench / "seed.sqlite3"
    sqlite_seconds = seed(["--sqlite", str(path)])
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    lines = [
        f"## Bulk write: seed_synthetic --items {ITEMS:,}\n",
        "| database | seconds | items/s |",
        "|---|---:|---:|",
        f"| SQLite | {sqlite_seconds:.1f} | {ITEMS / sqlite_seconds:,.0f} |",
    ]
    with postgres.server() as server:
        if server is None:
            lines.append("\nPostgreSQL not measured: no server (install postgresql or set "
                         f"{postgres.ENV_URL}).")
            return "\n".join(lines)
        url = postgres.recreate_database(server, "timeline_bench_seed")
        pg_seconds = seed(["--database-url", url])
        lines.append(f"| PostgreSQL | {pg_seconds:.1f} | {ITEMS / pg_seconds:,.0f} |")
        ratio = pg_seconds / sqlite_seconds
        lines.append(f"\nPostgreSQL / SQLite: {ratio:.2f}× (target ≤ {TARGET}×)"
                     f" — {'met' if ratio <= TARGET else 'NOT met'}.")
    return "\n".join(lines)


if __name__ == "__main__":
    print(main())
