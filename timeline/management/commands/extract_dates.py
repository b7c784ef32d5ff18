"""``manage.py extract_dates``: print the date mentions of a text, or of JSON lines read from stdin."""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from timeline.ingest.extract_dates import extract_dates, extract_dates_jsonl, parse_reference


class Command(BaseCommand):
    help = (
        'Print the date mentions of TEXT as a JSON list of {"text","start","end","date","precision",'
        '"approximate"}, resolved against --ref. With --jsonl, read {"text": ..., "ref": "YYYY-MM-DD"} '
        "lines from stdin and print one JSON list per line, in order (--ref is then the default ref)."
    )
    stealth_options = ("stdin",)  # call_command(..., stdin=io.StringIO(...)) in tests

    def add_arguments(self, parser):
        parser.add_argument("text", nargs="?", help="the text to scan (omit with --jsonl)")
        parser.add_argument("--ref", help="reference date YYYY-MM-DD for relative expressions")
        parser.add_argument("--jsonl", action="store_true", help="read JSON lines from stdin")

    def handle(self, *args, **options):
        default_ref = None
        if options["ref"] is not None:
            try:
                default_ref = parse_reference(options["ref"])
            except ValueError as exc:
                raise CommandError(f"--ref: {exc}") from None
        if options["jsonl"]:
            if options["text"] is not None:
                raise CommandError("give either TEXT or --jsonl (JSON lines on stdin), not both")
            stdin = options.get("stdin") or sys.stdin
            try:
                results = extract_dates_jsonl(stdin, default_reference=default_ref)
            except ValueError as exc:
                raise CommandError(f"stdin {exc}; nothing was written") from None
            for mentions in results:
                self.stdout.write(json.dumps(mentions, ensure_ascii=False))
            return
        if options["text"] is None:
            raise CommandError("give the TEXT to scan, or --jsonl to read JSON lines from stdin")
        if default_ref is None:
            raise CommandError("--ref YYYY-MM-DD is required: relative dates are resolved against it")
        mentions = extract_dates(options["text"], reference=default_ref)
        self.stdout.write(json.dumps([m.as_dict() for m in mentions], ensure_ascii=False))
