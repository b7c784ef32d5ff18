"""The vocabulary of the API: entities, eras and tags with published-item counts, and the OpenAPI document.

Counts are of *published* items only, under the same filter parameters as ``/api/items/`` (so
``/api/tags/?era=chatgpt`` counts each tag's items in that era). Entities and tags are listed only
while a published item uses them: a name that only drafts use is not public. Eras are the public
periods the chronology chart always shows, so every era is listed, with its count (possibly 0).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Count, QuerySet
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.urls import Resolver404, resolve, reverse
from django.views.decorators.http import require_safe

from timeline import openapi, search
from timeline.documents import bilingual
from timeline.filters import FilterForm
from timeline.http import allow_cors, public_cache
from timeline.models import Era, Item
from timeline.views.api import json_bad_request, json_not_found, json_response

ENTITY_ROLES = {
    # role → the chronology filter parameter that selects it
    "as_person": "person",
    "as_organization": "org",
    "as_speaker": "speaker",
}


def filtered_items(request) -> tuple[FilterForm, QuerySet | None]:
    """The strict filter form and the published items it selects (None when a parameter is unusable)."""
    form = FilterForm(request.GET)
    if form.problems:
        return form, None
    if form.value("q"):
        search.refresh_missing_search_text()
    return form, form.apply(Item.objects.published())


def chronology_url(param: str, value: str) -> str:
    return f"{reverse('timeline:chronology')}?{urlencode({param: value})}"


def catalog_response(results: list[dict]) -> JsonResponse:
    return json_response({"count": len(results), "results": results})


def _pairs(model, column: str, items: QuerySet) -> list[tuple[int, int]]:
    return list(model.objects.filter(item_id__in=items.values("pk")).values_list(column, "item_id"))


@allow_cors
@require_safe
@public_cache()
def entity_list(request):
    """People, organisations, documents and groups that published items name, with counts per role."""
    form, items = filtered_items(request)
    if items is None:
        return json_bad_request(form.problems)
    roles: dict[str, list[tuple[int, int]]] = {
        "as_person": _pairs(Item.people.through, "entity_id", items),
        "as_organization": _pairs(Item.organizations.through, "entity_id", items),
        "as_speaker": list(items.filter(speaker__isnull=False).values_list("speaker_id", "pk")),
    }
    per_entity: dict[int, dict[str, set[int]]] = {}
    for role, pairs in roles.items():
        for entity_id, item_id in pairs:
            per_entity.setdefault(entity_id, {name: set() for name in roles})[role].add(item_id)
    # The filter form's choices hold only entities a published item names (drafts' names stay private).
    results = []
    for entity in form.choices.entities.values():
        counts = per_entity.get(entity.pk, {name: set() for name in roles})
        if not form.is_filtered or any(counts.values()):
            results.append(
                {
                    "id": entity.slug,
                    "kind": entity.kind,
                    "name": bilingual(entity.name_en, entity.name_zh),
                    "aliases": list(entity.aliases),
                    "items": len(set().union(*counts.values())),
                    **{role: len(ids) for role, ids in counts.items()},
                    "urls": {
                        role: chronology_url(param, entity.slug) if counts[role] else None
                        for role, param in ENTITY_ROLES.items()
                        if param
                    },
                }
            )
    results.sort(key=lambda e: (-e["items"], e["name"]["en"].casefold(), e["id"]))
    return catalog_response(results)


@allow_cors
@require_safe
@public_cache()
def tag_list(request):
    """Topics with the number of matching published items; only topics some published item has."""
    form, items = filtered_items(request)
    if items is None:
        return json_bad_request(form.problems)
    through = Item.tags.through
    counts = dict(
        through.objects.filter(item_id__in=items.values("pk"))
        .values_list("tag_id")
        .annotate(n=Count("item_id"))
        .values_list("tag_id", "n")
    )
    results = [
        {
            "id": tag.slug,
            "name": bilingual(tag.name_en, tag.name_zh),
            "items": counts.get(tag.pk, 0),
            "url": chronology_url("tag", tag.slug),
        }
        for tag in form.choices.tags.values()
        if counts.get(tag.pk) or not form.is_filtered
    ]
    results.sort(key=lambda t: (-t["items"], t["id"]))
    return catalog_response(results)


@allow_cors
@require_safe
@public_cache()
def era_list(request):
    """Every era in chronological order with the number of matching published items."""
    form, items = filtered_items(request)
    if items is None:
        return json_bad_request(form.problems)
    counts = dict(items.order_by().values_list("era_id").annotate(n=Count("pk")).values_list("era_id", "n"))
    eras: list[Era] = list(form.choices.eras.values())
    return catalog_response(
        [
            {
                "id": era.slug,
                "name": bilingual(era.name_en, era.name_zh),
                "description": bilingual(era.description_en, era.description_zh),
                "start": era.start.isoformat(),
                "end": era.end.isoformat(),
                "items": counts.get(era.pk, 0),
                "url": chronology_url("era", era.slug),
            }
            for era in eras
        ]
    )


@allow_cors
@require_safe
@public_cache(max_age=3600, s_maxage=3600)
def openapi_document(request):
    """The OpenAPI 3.1 description of this API (generated from the code's own schemas)."""
    return json_response(openapi.document(server_url=request.build_absolute_uri("/")))


def api_not_found(request, rest=""):
    """Any other URL under /api/: a JSON 404 (or the slash-appended URL when that one exists)."""
    if not request.path.endswith("/"):
        try:
            match = resolve(request.path + "/")
        except Resolver404:
            match = None
        if match is not None and match.url_name != "api-not-found":
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(request.path + "/" + (f"?{query}" if query else ""))
    return json_not_found("There is no such API URL; see /api/openapi.json.")
