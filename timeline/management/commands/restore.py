"""``manage.py restore FILE``: load a ``backup`` into a migrated database whose chronology is empty.

The rows come back exactly as they were, their edit history included: the history middleware's
signals are switched off while loading, or restoring people, organisations and tags would be
recorded as new edits. Refuses a database that already has sources or items unless ``--flush``
(which first empties every table). The flush and the load are one transaction: a damaged or
truncated file leaves the database exactly as it was (issue 12, finding 3).
"""

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from timeline.models import Item, Source


class Command(BaseCommand):
    help = "Restore a backup written by `manage.py backup` into an empty (freshly migrated) database."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--flush", action="store_true", help="Empty the database first (destroys its data).")

    def handle(self, *args, file, flush, **options):
        if not Path(file).is_file():
            raise CommandError(f"{file} is not a file.")
        with override_settings(SIMPLE_HISTORY_ENABLED=False), transaction.atomic():
            if flush:
                call_command("flush", interactive=False, verbosity=0)
            elif Source.objects.exists() or Item.objects.exists():
                raise CommandError(
                    "The database already holds sources or items. Restore into a freshly migrated "
                    "database, or pass --flush to empty this one first."
                )
            try:
                call_command("loaddata", file, verbosity=0)
            except Exception as exc:
                raise CommandError(f"{file} could not be restored, nothing was changed: {_reason(exc)}") from exc
        self.stdout.write(
            f"Restored {Source.objects.count()} sources and {Item.objects.count()} items from {file}"
        )


def _reason(exc: BaseException) -> str:
    """``exc``'s message with the underlying error's: loaddata wraps, e.g., a truncated gzip's EOFError in
    "Problem installing fixture '…': " and a deserialization error whose own text may be empty."""
    parts, seen = [], set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        text = str(exc).strip()
        if text and not any(text in part for part in parts):
            parts.append(text)
        elif not text and exc.__cause__ is None and exc.__context__ is None:
            parts.append(type(exc).__name__)
        exc = exc.__cause__ or exc.__context__
    return " — ".join(part.rstrip(":").strip() for part in parts) or "unknown error"
