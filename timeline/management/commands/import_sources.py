from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from timeline.ingest.errors import IngestError
from timeline.ingest.pipeline import CREATED, UNCHANGED, UPDATED, import_file, source_paths


def default_sources_dir() -> Path:
    return Path(getattr(settings, "SOURCES_DIR", Path(settings.BASE_DIR) / "fixtures" / "sources"))


class Command(BaseCommand):
    help = (
        "Import source files (<stem>.txt with its manifest <stem>.yaml) into Source and Passage rows. "
        "Each file is imported atomically; re-importing unchanged files writes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "paths",
            nargs="*",
            metavar="PATH",
            help="source files, manifests or directories (default: fixtures/sources/ under BASE_DIR)",
        )

    def handle(self, *args, **options):
        paths = source_paths(options["paths"] or [default_sources_dir()])
        if not paths:
            raise CommandError(
                f"No source files found in {', '.join(options['paths']) or default_sources_dir()}."
            )
        verbose = options["verbosity"] >= 1
        counts = {CREATED: 0, UPDATED: 0, UNCHANGED: 0}
        failures = []
        width = len(str(len(paths)))
        for number, path in enumerate(paths, start=1):
            progress = f"[{number:>{width}}/{len(paths)}] {path.name}"
            try:
                results = import_file(path)
            except IngestError as exc:
                failures.append(str(exc))
                self.stderr.write(f"{progress}: refused, nothing imported from it. {exc}")
                continue
            if verbose:
                self.stdout.write(progress)
            for result in results:
                counts[result.status] += 1
                if verbose:
                    self.stdout.write(f"  {result.describe()}")
        total = sum(counts.values())
        summary = (
            f"{total} source(s) from {len(paths) - len(failures)} file(s): {counts[CREATED]} created, "
            f"{counts[UPDATED]} updated, {counts[UNCHANGED]} unchanged"
        )
        if failures:
            raise CommandError(
                f"{summary}; {len(failures)} file(s) refused:\n" + "\n".join(f"  - {f}" for f in failures)
            )
        self.stdout.write(summary)
