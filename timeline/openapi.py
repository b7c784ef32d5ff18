"""The OpenAPI 3.1 document of the JSON API, served at ``/api/openapi.json``.

The item document's schema is not repeated here: ``timeline/schemas/item.schema.json`` (the schema
the serializer is tested against) is embedded as ``components.schemas.Item``, its ``$defs`` lifted
into ``components.schemas`` so every reference resolves inside this one document. The filter
parameters come from ``timeline.filters`` for the same reason. ``tests/test_openapi.py`` keeps the
paths in step with the URL patterns and validates real responses against these schemas.
"""

from __future__ import annotations

import copy
import json
from functools import lru_cache
from pathlib import Path

from timeline.filters import MAX_PAGE, MAX_VALUES, MULTI_PARAMS, PAGE_SIZE, PARAMS
from timeline.search import MAX_QUERY_CHARS

ITEM_SCHEMA_PATH = Path(__file__).resolve().parent / "schemas" / "item.schema.json"
COMPONENT = "#/components/schemas/"

FILTER_DESCRIPTIONS = {
    "q": "Search text (traditional or simplified Chinese, any case); every term must match.",
    "kind": "Item kind: `event` or `quote`.",
    "era": "Era id (see `/api/eras/`).",
    "person": "Entity id of a person named by the item (see `/api/entities/`).",
    "org": "Entity id of an organisation named by the item (see `/api/entities/`).",
    "speaker": "Entity id of the person a quote is by (see `/api/entities/`): what they said, not what was "
    "said about them.",
    "tag": "Tag id (see `/api/tags/`).",
    "source": "Source id (see `/api/sources/`): items citing that source.",
    "from": "A year or EDTF date; items whose date range ends on or after its start. Items lying wholly "
    "inside the from/to window come first, then those that only overlap it (see `date_window`).",
    "to": "A year or EDTF date; items whose date range starts on or before its end.",
    "importance": "Minimum importance, 1–3 (3: key moments only).",
    "lang": "Accepted for links shared with the page (`en` or `zh`); documents carry both languages.",
    "page": f"Page number ({PAGE_SIZE} items per page).",
    "sort": "`relevance`: with `q`, best matches first instead of the chronological order.",
}


def _rewrite_refs(node):
    """``#/$defs/x`` → ``#/components/schemas/x``, recursively."""
    if isinstance(node, dict):
        return {
            key: (value.replace("#/$defs/", COMPONENT) if key == "$ref" else _rewrite_refs(value))
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_rewrite_refs(value) for value in node]
    return node


def item_schemas() -> dict[str, dict]:
    """The shipped item schema as OpenAPI components: ``Item`` plus its former ``$defs``."""
    schema = json.loads(ITEM_SCHEMA_PATH.read_text(encoding="utf-8"))
    definitions = schema.pop("$defs", {})
    for key in ("$schema", "$id"):
        schema.pop(key, None)
    components = {name: _rewrite_refs(value) for name, value in definitions.items()}
    components["Item"] = _rewrite_refs(schema)
    return components


def ref(name: str) -> dict:
    return {"$ref": COMPONENT + name}


def nullable(schema: dict) -> dict:
    return {"oneOf": [{"type": "null"}, schema]}


def obj(properties: dict, *, required: list[str] | None = None) -> dict:
    return {
        "type": "object",
        "additionalProperties": False,
        "required": list(properties) if required is None else required,
        "properties": properties,
    }


STRING = {"type": "string"}
COUNT = {"type": "integer", "minimum": 0}
PAGE_URL = nullable({"type": "string", "format": "uri"})


def api_schemas() -> dict[str, dict]:
    passage = obj(
        {
            "id": {"type": "integer"},
            "ordinal": {"type": "integer", "minimum": 1},
            "text": STRING,
            "url": {"type": "string", "pattern": "^/sources/[^/]+/#p-\\d+$"},
        }
    )
    source_fields = {
        "id": ref("slug"),
        "title": STRING,
        "publisher": STRING,
        "published": nullable(ref("isodate")),
        "language": ref("language"),
        "url": {"type": "string", "pattern": "^/sources/[^/]+/$"},
        "original_url": STRING,
        "author": STRING,
        "reference_date": ref("isodate"),
    }
    return {
        "Error": obj(
            {
                "error": {"enum": ["not_found", "invalid_parameters"]},
                "detail": {
                    "oneOf": [
                        STRING,
                        {"type": "object", "additionalProperties": {"type": "array", "items": STRING}},
                    ],
                    "description": "A message, or for invalid_parameters the problems per parameter.",
                },
            }
        ),
        "ItemPage": obj(
            {
                "count": COUNT,
                "date_window": {
                    **nullable(
                        obj(
                            {
                                "from": nullable(STRING),
                                "to": nullable(STRING),
                                "within": {**COUNT, "description": "Items whose whole date range lies in the window."},
                                "possibly": {
                                    **COUNT,
                                    "description": "Items whose uncertain range only overlaps the window; listed "
                                    "after the items within it.",
                                },
                                "possibly_on_this_page": {
                                    "type": "array",
                                    "items": ref("slug"),
                                    "description": "Ids of this page's results that are only possibly in the window.",
                                },
                            }
                        )
                    ),
                    "description": "Null without from/to.",
                },
                "next": PAGE_URL,
                "previous": PAGE_URL,
                "results": {"type": "array", "items": ref("Item")},
            }
        ),
        "Passage": passage,
        "SourceSummary": obj({**source_fields, "passages": {**COUNT, "description": "Number of passages."}}),
        "SourceDetail": obj(
            {
                **source_fields,
                "reference_note": STRING,
                "references": {"type": "array", "items": STRING},
                "passages": {"type": "array", "items": ref("Passage")},
            }
        ),
        "Entity": obj(
            {
                "id": ref("slug"),
                "kind": {"enum": ["person", "organization", "document", "group"]},
                "name": ref("bilingual"),
                "aliases": {"type": "array", "items": STRING},
                "items": {**COUNT, "description": "Matching published items naming it in any role."},
                "as_person": COUNT,
                "as_organization": COUNT,
                "as_speaker": COUNT,
                "urls": obj(
                    {"as_person": nullable(STRING), "as_organization": nullable(STRING), "as_speaker": nullable(STRING)},
                ),
            }
        ),
        "Era": obj(
            {
                "id": ref("slug"),
                "name": ref("bilingual"),
                "description": ref("bilingual"),
                "start": ref("isodate"),
                "end": ref("isodate"),
                "items": COUNT,
                "url": STRING,
            }
        ),
        "Tag": obj({"id": ref("slug"), "name": ref("bilingual"), "items": COUNT, "url": STRING}),
        "EntityList": obj({"count": COUNT, "results": {"type": "array", "items": ref("Entity")}}),
        "EraList": obj({"count": COUNT, "results": {"type": "array", "items": ref("Era")}}),
        "TimelineJS": {
            "type": "object",
            "description": "TimelineJS 3 data (https://timeline.knightlab.com/docs/json-format.html).",
            "required": ["events"],
            "properties": {
                "title": {"type": "object"},
                "events": {"type": "array", "items": {"type": "object", "required": ["start_date", "text"]}},
                "eras": {"type": "array", "items": {"type": "object", "required": ["start_date", "end_date"]}},
            },
        },
        "TagList": obj({"count": COUNT, "results": {"type": "array", "items": ref("Tag")}}),
    }


def filter_parameters(*, page: bool) -> list[dict]:
    parameters = []
    for param in PARAMS:
        if param == "page" and not page:
            continue
        if param in MULTI_PARAMS:
            schema = {
                "type": "array",
                "maxItems": MAX_VALUES,
                "items": {"enum": ["event", "quote"]} if param == "kind" else ref("slug"),
            }
            extra = {"style": "form", "explode": True}
        elif param == "importance":
            schema, extra = {"type": "integer", "enum": [1, 2, 3]}, {}
        elif param == "page":
            schema, extra = {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}, {}
        elif param == "lang":
            schema, extra = {"enum": ["en", "zh"]}, {}
        elif param == "sort":
            schema, extra = {"enum": ["relevance"]}, {}
        elif param in ("from", "to"):
            schema = {"type": "string", "maxLength": 40, "examples": ["2018", "2018-02", "2023-11-17"]}
            extra = {}
        else:
            schema, extra = {"type": "string", "maxLength": MAX_QUERY_CHARS}, {}
        parameters.append(
            {"name": param, "in": "query", "required": False, "description": FILTER_DESCRIPTIONS[param],
             "schema": schema, **extra}
        )
    return parameters


def json_content(schema: dict) -> dict:
    return {"application/json": {"schema": schema}}


CACHE_HEADERS = {
    "ETag": {"description": "Changes when published content changes.", "schema": STRING},
    "Cache-Control": {"schema": STRING},
    "Access-Control-Allow-Origin": {"schema": {"const": "*"}},
}


def ok(description: str, schema_name: str) -> dict:
    return {"description": description, "headers": CACHE_HEADERS, "content": json_content(ref(schema_name))}


NOT_MODIFIED = {"description": "Not modified (the request's If-None-Match matched the ETag)."}
BAD_REQUEST = {"description": "A parameter is unusable; `detail` says which and why.", "content": json_content(ref("Error"))}
NOT_FOUND = {"description": "No such id (or page).", "content": json_content(ref("Error"))}


def id_parameter(description: str) -> dict:
    return {"name": "id", "in": "path", "required": True, "description": description,
            "schema": {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$"}}


def operation(operation_id: str, summary: str, responses: dict, parameters=(), description: str = "") -> dict:
    op = {"operationId": operation_id, "summary": summary, "parameters": list(parameters), "responses": responses}
    if description:
        op["description"] = description
    return {"get": op}


def catalog_operation(operation_id: str, summary: str, schema_name: str, description: str) -> dict:
    return operation(
        operation_id,
        summary,
        {"200": ok(summary, schema_name), "304": NOT_MODIFIED, "400": BAD_REQUEST},
        filter_parameters(page=False),
        description,
    )


@lru_cache(maxsize=1)
def _document() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "OpenAI chronology API",
            "version": "1",
            "summary": "A sourced chronology of OpenAI; every item cites the exact sentence of its source.",
            "description": (
                "Read-only, no authentication, CORS open to any origin. Only published items appear. "
                "Responses carry an ETag and `Cache-Control: public`; send `If-None-Match` for a 304. "
                "The filter parameters are the chronology page's: a value the page would ignore (an "
                "unknown id, a malformed date) is a 400 here, so a client never silently gets other items. "
                "Feeds and exports with the same filters: `/feed.atom`, `/feed.json`, `/calendar.ics`, "
                "`/items.csv`."
            ),
        },
        "paths": {
            "/api/items/": operation(
                "listItems",
                f"Published items in chronological order, {PAGE_SIZE} per page",
                {"200": ok("A page of item documents", "ItemPage"), "304": NOT_MODIFIED, "400": BAD_REQUEST,
                 "404": NOT_FOUND},
                filter_parameters(page=True),
            ),
            "/api/items/{id}/": operation(
                "getItem",
                "One published item",
                {"200": ok("The item document", "Item"), "304": NOT_MODIFIED, "404": NOT_FOUND},
                [id_parameter("Item id (slug).")],
            ),
            "/api/sources/": operation(
                "listSources",
                "Every source article",
                {"200": {"description": "Source summaries", "headers": CACHE_HEADERS,
                         "content": json_content({"type": "array", "items": ref("SourceSummary")})},
                 "304": NOT_MODIFIED},
            ),
            "/api/sources/{id}/": operation(
                "getSource",
                "One source article with its passages",
                {"200": ok("The source and its passages", "SourceDetail"), "304": NOT_MODIFIED,
                 "404": NOT_FOUND},
                [id_parameter("Source id (its import key).")],
            ),
            "/api/entities/": catalog_operation(
                "listEntities",
                "People, organisations, documents and groups with item counts",
                "EntityList",
                "Only entities that a published item names. Counts are of published items under the filters; "
                "with filters, entities without a matching item are left out.",
            ),
            "/api/eras/": catalog_operation(
                "listEras",
                "Eras with item counts",
                "EraList",
                "Every era, in chronological order, with the number of matching published items.",
            ),
            "/api/tags/": catalog_operation(
                "listTags",
                "Topics with item counts",
                "TagList",
                "Only tags that a published item has. With filters, tags without a matching item are left out.",
            ),
            "/api/timelinejs.json": catalog_operation(
                "getTimelineJS",
                "The filtered chronology in TimelineJS 3's JSON format",
                "TimelineJS",
                "For `new TL.Timeline(element, url)`; the embed widget's data.",
            ),
            "/api/openapi.json": operation(
                "getOpenAPI",
                "This document",
                {"200": {"description": "The OpenAPI 3.1 document",
                         "content": json_content({"type": "object"})},
                 "304": NOT_MODIFIED},
            ),
        },
        "components": {"schemas": {**item_schemas(), **api_schemas()}},
    }


def document(*, server_url: str | None = None) -> dict:
    """The OpenAPI document, with ``servers`` pointing at ``server_url`` when given."""
    result = copy.deepcopy(_document())
    if server_url:
        result["servers"] = [{"url": server_url.rstrip("/")}]
    return result
