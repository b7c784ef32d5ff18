from django.core.management.base import BaseCommand, CommandError

from timeline.provenance import check


class Command(BaseCommand):
    help = (
        "Verify every citation (exact text at its offsets, not in text cleaning removed), quotes equal to "
        "a citation, an exact citation on every published item, and no item dated after its sources."
    )

    def handle(self, *args, **options):
        items, citations, problems = check()
        for problem in problems:
            self.stdout.write(str(problem))
        fatal = [problem for problem in problems if problem.fatal]
        summary = (
            f"Checked {items} items and {citations} citations: {len(fatal)} errors, "
            f"{len(problems) - len(fatal)} warnings on unpublished items."
        )
        if fatal:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))
