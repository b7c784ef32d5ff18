"""The JSON API. Responses are built from the shared serializers in ``timeline.documents``."""

from django.db.models import Count
from django.http import JsonResponse
from django.views.decorators.http import require_GET

from timeline.documents import source_ref
from timeline.models import Source

JSON_OPTIONS = {"ensure_ascii": False}


def json_response(data, status=200) -> JsonResponse:
    return JsonResponse(data, status=status, safe=False, json_dumps_params=JSON_OPTIONS)


def json_not_found(message: str) -> JsonResponse:
    return json_response({"error": "not_found", "detail": message}, status=404)


def source_summary(source: Source) -> dict:
    document = source_ref(source)
    document.update(
        author=source.author,
        reference_date=source.reference_date.isoformat(),
        passages=source.passage_count,
    )
    return document


@require_GET
def source_list(request):
    sources = Source.objects.annotate(passage_count=Count("passages")).order_by("published", "key")
    return json_response([source_summary(source) for source in sources])


@require_GET
def source_detail(request, key):
    source = Source.objects.annotate(passage_count=Count("passages")).filter(key=key).first()
    if source is None:
        return json_not_found(f"There is no source with id {key!r}.")
    document = source_summary(source)
    document["reference_note"] = source.reference_note
    document["references"] = source.references
    document["passages"] = [
        {"id": p.pk, "ordinal": p.ordinal, "text": p.text, "url": p.get_absolute_url()}
        for p in source.passages.all()
    ]
    return json_response(document)
