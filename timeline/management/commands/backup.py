"""``manage.py backup FILE``: everything the site holds, in one file ``restore`` reads back.

Sources with their raw and cleaned text, passages, date mentions, the chronology (every status),
citations, draft revisions, the edit history, editors and their groups. Derivable tables (content types,
permissions, sessions, login attempts) are left out; migrate recreates them.

YAML, because Django's JSON encoder cuts datetimes to milliseconds and XML cannot carry every
character a raw article may hold. A name ending in .gz, .bz2, .xz or .lzma is compressed.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand

# Who has a form open right now (timeline.presence) is not data worth restoring.
EXCLUDED = ("contenttypes", "auth.permission", "sessions", "admin.logentry", "axes", "timeline.editingpresence")


def dump_arguments() -> list[str]:
    arguments = ["--format", "yaml", "--natural-foreign", "--natural-primary"]
    for label in EXCLUDED:
        arguments += ["--exclude", label]
    return arguments


class Command(BaseCommand):
    help = "Write a complete backup of the site's data to FILE (e.g. var/backup-2025-08-07.yaml.gz)."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        call_command("dumpdata", *dump_arguments(), output=file, verbosity=0)
        self.stdout.write(f"Backed up to {file}")
