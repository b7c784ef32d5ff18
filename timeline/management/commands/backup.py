"""``manage.py backup FILE``: everything the site holds, in one file ``restore`` reads back.

Sources with their raw and cleaned text, passages, date mentions, the chronology (every status),
citations, draft revisions, the edit history, the admin log, editors and their groups. Derivable
tables (content types, permissions, sessions, login attempts), background jobs and who has a form open
are left out; migrate recreates them.

The file holds password hashes, so it is created readable by its owner only (0600), before any
byte is written to it.

YAML, because Django's JSON encoder cuts datetimes to milliseconds and XML cannot carry every
character a raw article may hold. A name ending in .gz, .bz2, .xz or .lzma is compressed.
"""

import os

from django.core.management import call_command
from django.core.management.base import BaseCommand

EXCLUDED = (
    "contenttypes", "auth.permission", "sessions", "axes",
    # Transient: the background job queue and uploads waiting in it; who has a form open right now.
    "django_tasks_database", "timeline.importjob", "timeline.editingpresence",
)


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
        os.close(os.open(file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
        os.chmod(file, 0o600)  # an existing file keeps its mode through O_CREAT
        call_command("dumpdata", *dump_arguments(), output=file, verbosity=0)
        self.stdout.write(f"Backed up to {file}")
