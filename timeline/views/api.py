"""The JSON API. Responses are built from the shared serializers in ``timeline.documents``."""

from django.core.paginator import Paginator
from django.db.models import Count
from django.http import JsonResponse
from django.views.decorators.http import require_safe

from timeline import search
from timeline.documents import item_document, item_documents, source_ref
from timeline.filters import FilterForm
from timeline.http import allow_cors, public_cache
from timeline.models import Item, Source, inside_window, lies_within
from timeline.views.pages import prime_dates

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


@allow_cors
@require_safe
@public_cache()
def source_list(request):
    sources = Source.objects.public().annotate(passage_count=Count("passages")).order_by("published", "key")
    return json_response([source_summary(source) for source in sources])


@allow_cors
@require_safe
@public_cache()
def source_detail(request, key):
    source = Source.objects.public().annotate(passage_count=Count("passages")).filter(key=key).first()
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


def json_bad_request(problems: dict[str, list[str]]) -> JsonResponse:
    return json_response(
        {"error": "invalid_parameters", "detail": {param: [str(m) for m in ms] for param, ms in problems.items()}},
        status=400,
    )


def page_url(request, form: FilterForm, number: int | None) -> str | None:
    if number is None:
        return None
    query = form.querystring(page=number if number > 1 else None, without=())
    return request.build_absolute_uri(request.path + query)


def date_window(form: FilterForm, shown: list) -> dict | None:
    """With from/to: how many items lie inside the window and how many only overlap it (listed after
    the others), and which of this page's results are the latter."""
    start, end = form.window
    if start is None and end is None:
        return None
    items = form.apply(Item.objects.published())
    within = items.filter(inside_window(start, end)).count()
    return {
        "from": form.value("from").edtf if form.value("from") else None,
        "to": form.value("to").edtf if form.value("to") else None,
        "within": within,
        "possibly": items.count() - within,
        # ``in_window`` comes with the chronological order; ranked by relevance, read the dates.
        "possibly_on_this_page": [item.slug for item in shown if not getattr(item, "in_window", lies_within(item, start, end))],
    }


@allow_cors
@require_safe
@public_cache()
def item_list(request):
    """Published item documents for the chronology's filter parameters, in chronological order.

    The same filters as the page (``timeline.filters.FilterForm``) but strict: a parameter the page
    would ignore with a notice is a 400 here, so a client never silently gets other items.
    """
    search.refresh_missing_search_text()
    form = FilterForm(request.GET)
    if form.problems:
        return json_bad_request(form.problems)
    items = form.ordered(Item.objects.published())
    paginator = Paginator(items, form.page_size)
    number = form.value("page") or 1
    if number > paginator.num_pages:
        return json_not_found(f"There is no page {number}; the last page is {paginator.num_pages}.")
    page = paginator.page(number)
    shown = prime_dates(page.object_list.for_documents())
    return json_response(
        {
            "count": paginator.count,
            "date_window": date_window(form, shown),
            "next": page_url(request, form, page.next_page_number() if page.has_next() else None),
            "previous": page_url(request, form, page.previous_page_number() if page.has_previous() else None),
            "results": item_documents(shown),
        }
    )


@allow_cors
@require_safe
@public_cache()
def item_detail(request, slug):
    item = Item.objects.published().for_documents().filter(slug=slug).first()
    if item is None:
        return json_not_found(f"There is no published item with id {slug!r}.")
    return json_response(item_document(prime_dates([item])[0]))
