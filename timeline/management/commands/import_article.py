"""``manage.py import_article PATH_OR_URL``: import one new article from a text scrape, an HTML page or a URL."""

import datetime
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from timeline.ingest.article import default_key, read_article
from timeline.ingest.errors import IngestError
from timeline.ingest.pipeline import draft_duplicate, duplicate_message, import_new_article
from timeline.ingest.prepare import LANGUAGES


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"not a date (YYYY-MM-DD): {value!r}") from None


class Command(BaseCommand):
    help = (
        "Import one new article: a .txt scrape, an .html/.htm page or an http(s) URL. Title, publisher, "
        "author, date and language are read from the page (options override); --dry-run --json prints "
        "what would be imported (timeline/schemas/article_import.schema.json) and writes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", metavar="PATH_OR_URL")
        parser.add_argument("--key", help="the source's key (default: from the file or URL name and its hash)")
        parser.add_argument("--title")
        parser.add_argument("--publisher")
        parser.add_argument("--author")
        parser.add_argument("--published", type=_date, metavar="YYYY-MM-DD")
        parser.add_argument("--reference-date", type=_date, metavar="YYYY-MM-DD")
        parser.add_argument("--reference-note", help="why the reference date differs from the publication date")
        parser.add_argument("--language", choices=LANGUAGES)
        parser.add_argument("--url", help="the article's original URL, for a file")
        parser.add_argument("--keep", type=int, action="append", default=[], metavar="LINE",
                            help="keep a dropped line after all (its number in the dry run); repeatable")
        parser.add_argument("--drop", type=int, action="append", default=[], metavar="LINE",
                            help="drop a kept line; repeatable")
        parser.add_argument("--confirm", action="store_true",
                            help="import despite warnings that need confirming (e.g. a contradicted date)")
        parser.add_argument("--allow-duplicate", action="store_true",
                            help="import under a new key an article that is already imported (a second copy)")
        parser.add_argument("--dry-run", action="store_true", help="write nothing")
        parser.add_argument("--json", action="store_true", help="print the result as JSON")

    def handle(self, *args, **options):
        try:
            draft = self._read(options["source"], url=options["url"] or "")
            draft = draft.override(
                title=options["title"],
                publisher=options["publisher"],
                author=options["author"],
                published=options["published"],
                reference_date=options["reference_date"],
                reference_note=options["reference_note"],
                language=options["language"],
                original_url=options["url"],
            ).toggle(keep=options["keep"], drop=options["drop"])
        except IngestError as exc:
            raise CommandError(f"Nothing was imported. {exc}") from exc
        key = options["key"] or default_key(draft)
        if options["dry_run"]:
            document = {"key": key, **draft.as_dict()}
            if options["json"]:
                self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))
            else:
                self._describe(document)
                twin = draft_duplicate(draft, key)
                if twin:
                    self.stdout.write(f"\nDUPLICATE (needs --allow-duplicate): {duplicate_message(*twin)}")
            return
        blocking = [w for w in draft.warnings() if w.confirm]
        if blocking and not options["confirm"]:
            raise CommandError(
                "Nothing was imported; confirm these with --confirm if they are right:\n"
                + "\n".join(f"  - {w.message}" for w in blocking)
            )
        try:
            result = import_new_article(draft.prepared(key), allow_duplicate=options["allow_duplicate"])
        except IngestError as exc:
            raise CommandError(f"Nothing was imported. {exc}") from exc
        if options["json"]:
            self.stdout.write(json.dumps({"key": result.key, "status": result.status,
                                          "passages": result.passages, "public": False}))
        else:
            self.stdout.write(result.describe())
            if result.status == "created":
                self.stdout.write("The source is unpublished: an editor publishes it in the admin (Sources).")

    def _read(self, source: str, *, url: str):
        if source.startswith(("http://", "https://")):
            from django.conf import settings

            from timeline.ingest.fetch import fetch

            page = fetch(source, allow=getattr(settings, "TIMELINE_FETCH_ALLOW_NETWORKS", ()))
            return read_article(page.body, file_name=page.file_name, content_type=page.content_type,
                                url=page.url)
        if "://" in source:
            raise IngestError(f"{source}: only http(s) URLs can be fetched.")
        path = Path(source)
        if not path.is_file():
            raise IngestError(f"{source}: no such file.")
        return read_article(path.read_bytes(), file_name=path.name, url=url)

    def _describe(self, document: dict) -> None:
        write = self.stdout.write
        origins = document["origins"]
        for name in ("key", "title", "publisher", "author", "published", "reference_date", "language",
                     "original_url", "encoding"):
            origin = origins.get(name)
            write(f"{name:>15}: {document[name] or '—'}" + (f"  ({origin})" if origin else ""))
        write(f"\n{len(document['passages'])} passages:")
        for passage in document["passages"]:
            write(f"  ¶{passage['ordinal']} {passage['text'][:70]}")
        write(f"\n{len(document['dropped'])} dropped lines (--keep LINE to keep one):")
        for line in document["dropped"]:
            write(f"  {line['line']:>3} [{line['reason']}] {line['text'][:60]}")
        write(f"\n{len(document['date_mentions'])} date mentions:")
        for mention in document["date_mentions"]:
            write(f"  ¶{mention['passage']} {mention['text']} → {mention['date']} ({mention['precision']})")
        for warning in document["warnings"]:
            write(f"\nWARNING{' (needs --confirm)' if warning['confirm'] else ''}: {warning['message']}")
