from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from timeline.models import Item


@require_GET
def chronology(request):
    items = Item.objects.published().chronological().for_documents()
    return render(request, "timeline/chronology.html", {"items": items})


@require_GET
def item_detail(request, slug):
    try:
        item = Item.objects.published().for_documents().get(slug=slug)
    except Item.DoesNotExist:
        raise Http404("No published item has this id.") from None
    return render(request, "timeline/item.html", {"item": item})


@require_GET
def healthz(request):
    return HttpResponse("ok", content_type="text/plain")
