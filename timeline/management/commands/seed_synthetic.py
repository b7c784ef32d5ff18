"""Fill a *separate* database with synthetic items for benchmarks.

    python manage.py seed_synthetic --items 100000 --sqlite var/bench/synthetic.sqlite3 [--replace]
    python manage.py seed_synthetic --items 100000 --database-url postgres://…/timeline_bench [--replace]

It never writes to the site's own database: the target is given explicitly, is refused when it is
the configured default database, and must be empty unless ``--replace`` is given (which deletes
the SQLite file, or flushes the PostgreSQL database, first). The migrations and the writing then
run in a child process whose ``DATABASE_URL`` is the target, so that every migration (including
data migrations that do not honour a database alias) touches the target and nothing else. Point
the app at the result with ``DATABASE_URL=sqlite:///var/bench/synthetic.sqlite3``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import dj_database_url
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.db.utils import OperationalError, ProgrammingError

from timeline import synthetic
from timeline.models import Item

# Set by the parent for the child, which refuses to write unless it names the child's own database.
TARGET_ENV = "TIMELINE_SYNTHETIC_TARGET"


def same_database(a: dict, b: dict) -> bool:
    if a["ENGINE"] != b["ENGINE"]:
        return False
    if "sqlite3" in a["ENGINE"]:
        return Path(str(a["NAME"])).resolve() == Path(str(b["NAME"])).resolve()
    return all(str(a.get(key) or "") == str(b.get(key) or "") for key in ("NAME", "HOST", "PORT"))


class Command(BaseCommand):
    help = "Fill a separate database (never the site's) with realistic synthetic items for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--items", type=int, default=10_000, help="How many items (default 10,000).")
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--sqlite", type=Path, help="Path of the SQLite file to create.")
        target.add_argument("--database-url", help="A PostgreSQL (or other) database URL.")
        parser.add_argument("--replace", action="store_true", help="Empty the target first.")
        parser.add_argument("--seed", type=int, default=2015, help="Random seed (same seed, same rows).")

    def handle(self, *args, items, sqlite, database_url, replace, seed, **options):
        if not 1 <= items <= 5_000_000:
            raise CommandError("--items must be between 1 and 5,000,000.")
        url = f"sqlite:///{sqlite.resolve()}" if sqlite else database_url
        if os.environ.get(TARGET_ENV):
            return self.seed_here(url, items=items, replace=replace, seed=seed)
        default = settings.DATABASES["default"]
        if same_database({**default, **dj_database_url.parse(url)}, default):
            raise CommandError("The target is the site's own database; give a separate --sqlite or --database-url.")
        if sqlite:
            sqlite.parent.mkdir(parents=True, exist_ok=True)
            if replace:
                for suffix in ("", "-wal", "-shm", "-journal"):
                    Path(f"{sqlite.resolve()}{suffix}").unlink(missing_ok=True)
        env = {**os.environ, "DATABASE_URL": url, TARGET_ENV: url}
        command = [sys.executable, str(settings.BASE_DIR / "manage.py"), "seed_synthetic"]
        command += ["--items", str(items), "--seed", str(seed)]
        command += ["--sqlite", str(sqlite.resolve())] if sqlite else ["--database-url", database_url]
        if replace and not sqlite:
            command.append("--replace")
        result = subprocess.run(command, env=env, capture_output=True, text=True)
        self.stdout.write(result.stdout, ending="")
        if result.returncode:
            raise CommandError(result.stderr.strip().splitlines()[-1] if result.stderr.strip() else "seeding failed")

    def seed_here(self, url: str, *, items: int, replace: bool, seed: int) -> None:
        """In the child: the default database *is* the target (checked), so migrate and write it."""
        default = settings.DATABASES["default"]
        if url != os.environ[TARGET_ENV] or not same_database({**default, **dj_database_url.parse(url)}, default):
            raise CommandError(f"{TARGET_ENV} does not name this process's database; refusing to write.")
        if not replace and self.has_items():
            raise CommandError("The target already holds items; pass --replace to empty it first.")
        call_command("migrate", interactive=False, verbosity=0)
        if replace and "sqlite3" not in default["ENGINE"]:
            call_command("flush", interactive=False, verbosity=0)
        started = time.perf_counter()
        report = synthetic.seed(using="default", items=items, rng_seed=seed)
        connections["default"].close()
        self.stdout.write(
            f"{report.items} items ({report.published} published, {report.citations} citations) written to "
            f"{default['NAME']} in {time.perf_counter() - started:.1f} s"
        )

    @staticmethod
    def has_items() -> bool:
        try:
            return Item.objects.exists()
        except (OperationalError, ProgrammingError):
            return False  # not migrated yet
