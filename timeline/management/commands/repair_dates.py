"""Rewrite stored dates the site no longer accepts (run by migration 0012; run it again after restoring
a backup made before then). See timeline.legacy_dates."""

from django.apps import apps
from django.core.management.base import BaseCommand

from timeline.legacy_dates import repair_items


class Command(BaseCommand):
    help = "Rewrite item dates the date grammar refuses (seasons, 201X, open ends…) to the nearest accepted value."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only report what would change.")

    def handle(self, *args, dry_run=False, **options):
        report = repair_items(apps, dry_run=dry_run)
        for line in report:
            self.stdout.write(line)
        verb = "would be rewritten" if dry_run else "rewritten"
        self.stdout.write(f"{len(report)} date(s) {verb}.")
