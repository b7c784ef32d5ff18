from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from timeline.models import Source


@require_GET
def source_detail(request, key):
    source = get_object_or_404(Source, key=key)
    return render(
        request,
        "timeline/source.html",
        {"source": source, "passages": source.passages.all()},
    )
