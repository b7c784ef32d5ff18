import json

from django.core.management.base import BaseCommand

from timeline.documents import item_documents
from timeline.models import Item


class Command(BaseCommand):
    help = "Print the JSON list of published item documents (--all includes drafts and items in review)."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Include unpublished items.")
        parser.add_argument("--indent", type=int, default=2)

    def handle(self, *args, **options):
        items = Item.objects.all() if options["all"] else Item.objects.published()
        documents = item_documents(items.chronological().for_documents())
        self.stdout.write(json.dumps(documents, ensure_ascii=False, indent=options["indent"] or None))
