from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from timeline.chronology import ChronologyError, load


class Command(BaseCommand):
    help = "Load the curated chronology (eras, tags, entities, items with citations) from YAML; idempotent."

    def add_arguments(self, parser):
        parser.add_argument("directory", nargs="?", default=str(settings.CHRONOLOGY_DIR))

    def handle(self, *args, **options):
        try:
            report = load(Path(options["directory"]))
        except ChronologyError as exc:
            raise CommandError(f"Nothing was loaded. {exc}") from exc
        self.stdout.write(report.summary())
