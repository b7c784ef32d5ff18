"""Fill a *separate* database with synthetic items for benchmarks.

    python manage.py seed_synthetic --items 100000 --sqlite var/bench/synthetic.sqlite3 [--replace]
    python manage.py seed_synthetic --items 100000 --database-url postgres://…/timeline_bench [--replace]

It never writes to the site's own database: the target is given explicitly, is refused when it is
the configured default database, and must be empty unless ``--replace`` is given (which deletes
the SQLite file, or flushes the PostgreSQL database, first). Then it migrates the target and writes
the rows in batches (see ``timeline.synthetic``). Point the app at the result with
``DATABASE_URL=sqlite:///var/bench/synthetic.sqlite3``.
"""

from __future__ import annotations

import time
from pathlib import Path

import dj_database_url
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.db.utils import OperationalError, ProgrammingError

from timeline import synthetic
from timeline.models import Item

ALIAS = "synthetic"


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
        default = connections.databases["default"]
        if sqlite:
            config = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(sqlite.resolve())}
        else:
            config = dj_database_url.parse(database_url)
        target = {
            **default, "USER": "", "PASSWORD": "", "HOST": "", "PORT": "", "OPTIONS": {},
            "CONN_MAX_AGE": 0, "CONN_HEALTH_CHECKS": False, **config,
        }
        if same_database(target, default):
            raise CommandError("The target is the site's own database; give a separate --sqlite or --database-url.")
        if sqlite:
            sqlite.parent.mkdir(parents=True, exist_ok=True)
            if replace:
                for suffix in ("", "-wal", "-shm", "-journal"):
                    Path(f"{sqlite}{suffix}").unlink(missing_ok=True)
        connections.databases[ALIAS] = target
        try:
            if not replace and self._has_items():
                raise CommandError("The target already holds items; pass --replace to empty it first.")
            call_command("migrate", database=ALIAS, interactive=False, verbosity=0)
            if replace and not sqlite:
                call_command("flush", database=ALIAS, interactive=False, verbosity=0)
            started = time.perf_counter()
            report = synthetic.seed(using=ALIAS, items=items, rng_seed=seed)
        finally:
            connections[ALIAS].close()
        self.stdout.write(
            f"{report.items} items ({report.published} published, {report.citations} citations) written to "
            f"{sqlite or config.get('NAME')} in {time.perf_counter() - started:.1f} s"
        )

    def _has_items(self) -> bool:
        try:
            return Item.objects.using(ALIAS).exists()
        except (OperationalError, ProgrammingError):
            return False  # not migrated yet
