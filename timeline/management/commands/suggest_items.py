"""``python manage.py suggest_items SOURCE_KEY [--json]``: the candidate events and quotes of a source."""

import json

from django.core.management.base import BaseCommand, CommandError

from timeline.models import Source
from timeline.suggest.candidates import suggest


class Command(BaseCommand):
    help = (
        "Print the candidate events and quotes suggested for an imported source, best first "
        "(dismissed ones only with --include-dismissed)."
    )

    def add_arguments(self, parser):
        parser.add_argument("source_key")
        parser.add_argument("--json", action="store_true", help="Print a JSON list instead of a table.")
        parser.add_argument("--include-dismissed", action="store_true")
        parser.add_argument("--limit", type=int, default=0, help="Print only the best N (0: all).")

    def handle(self, *args, **options):
        source = Source.objects.filter(key=options["source_key"]).first()
        if source is None:
            raise CommandError(f"No source with key {options['source_key']!r}; `import_sources` lists the keys.")
        candidates = suggest(source, include_dismissed=options["include_dismissed"])
        if options["limit"] > 0:
            candidates = candidates[: options["limit"]]
        if options["json"]:
            rows = [candidate.as_dict() | {"dismissed": candidate.dismissed} for candidate in candidates]
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{len(candidates)} candidate(s) for {source.key}:")
        for rank, candidate in enumerate(candidates, 1):
            who = f" — {candidate.speaker or candidate.speaker_name}" if candidate.kind == "quote" else ""
            duplicate = (
                "  [duplicate of " + ", ".join(d.get("item") or f"source {d['source']}" for d in candidate.duplicate_of) + "]"
                if candidate.duplicate_of
                else ""
            )
            self.stdout.write(
                f"{rank:>3}. {candidate.score:4.1f} {candidate.kind:<5} {candidate.edtf or '—':<11} "
                f"{candidate.era or '—':<12} ¶{candidate.passage}[{candidate.start}:{candidate.end}] "
                f"{candidate.exact[:60]}{who}{duplicate}"
            )
