"""The OpenAPI 3.1 document is valid, covers exactly the API's URLs, and real responses match it."""

import json
from pathlib import Path

import jsonschema
import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, settings
from openapi_spec_validator import validate

from timeline import openapi

pytestmark = pytest.mark.django_db

DOCUMENT = openapi.document()
ITEM_SCHEMA = json.loads((Path(__file__).parents[1] / "timeline/schemas/item.schema.json").read_text("utf-8"))


def api_routes() -> set[str]:
    """Every URL pattern under api/, in OpenAPI path syntax (``<slug:key>`` → ``{id}``)."""
    routes = set()

    def walk(patterns, prefix=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern) and route.startswith("api/") and pattern.name != "api-not-found":
                for converter in ("<slug:slug>", "<slug:key>"):
                    route = route.replace(converter, "{id}")
                routes.add("/" + route)

    walk(get_resolver().url_patterns)
    return routes


def validator(name: str) -> jsonschema.Draft202012Validator:
    schema = {"$ref": f"#/components/schemas/{name}", "components": DOCUMENT["components"]}
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def test_the_document_is_valid_openapi_3_1():
    validate(DOCUMENT)
    assert DOCUMENT["openapi"].startswith("3.1")


def test_every_api_url_is_documented_and_every_documented_path_exists():
    assert api_routes() == set(DOCUMENT["paths"])


def test_the_item_schema_is_the_shipped_one():
    """The API documents the same item shape the serializer is tested against, not a copy that drifts."""
    item = DOCUMENT["components"]["schemas"]["Item"]
    assert item["required"] == ITEM_SCHEMA["required"]
    assert set(item["properties"]) == set(ITEM_SCHEMA["properties"])
    for name in ITEM_SCHEMA["$defs"]:
        assert name in DOCUMENT["components"]["schemas"]
    assert "$defs" not in json.dumps(DOCUMENT)


def test_served_document_is_the_generated_one_with_a_server(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200 and response["Access-Control-Allow-Origin"] == "*"
    served = response.json()
    assert served["servers"] == [{"url": "http://testserver"}]
    assert {key: value for key, value in served.items() if key != "servers"} == DOCUMENT


@pytest.mark.parametrize(
    "url, status, name",
    [
        ("/api/items/", 200, "ItemPage"),
        ("/api/items/?person=sam-altman&from=2023&to=2023&page=1", 200, "ItemPage"),
        ("/api/items/?q=奧特曼&kind=quote", 200, "ItemPage"),
        ("/api/items/?from=2023-11&to=2023-11&speaker=ilya-sutskever", 200, "ItemPage"),
        ("/api/items/?from=2023-11&to=2023-11", 200, "ItemPage"),
        ("/api/items/hinton-meets-ilya/", 200, "Item"),
        ("/api/items/no-such-item/", 404, "Error"),
        ("/api/items/?page=999", 404, "Error"),
        ("/api/items/?person=nobody&from=20188", 400, "Error"),
        ("/api/sources/q-star-exposed/", 200, "SourceDetail"),
        ("/api/sources/nope/", 404, "Error"),
        ("/api/entities/", 200, "EntityList"),
        ("/api/entities/?era=board-crisis", 200, "EntityList"),
        ("/api/eras/", 200, "EraList"),
        ("/api/tags/?kind=quote", 200, "TagList"),
        ("/api/tags/?tag=no-such-tag", 400, "Error"),
    ],
)
def test_real_responses_validate_against_the_document(client, url, status, name):
    response = client.get(url)
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    validator(name).validate(response.json())


def test_any_other_api_url_is_a_json_404(client):
    for url in ("/api/items/%C2%84/", "/api/nothing/", "/api/items/a/b/"):
        response = client.get(url)
        assert response.status_code == 404 and response.json()["error"] == "not_found"
        validator("Error").validate(response.json())
    assert client.get("/api/tags?kind=quote")["Location"] == "/api/tags/?kind=quote"


def test_source_list_validates(client):
    data = client.get("/api/sources/").json()
    schema = {"type": "array", "items": {"$ref": "#/components/schemas/SourceSummary"},
              "components": DOCUMENT["components"]}
    jsonschema.Draft202012Validator(schema).validate(data)
    assert len(data) == 13


# A schema-driven tester: schemathesis generates parameters from the document (valid and invalid)
# and checks every response against it: status codes documented, bodies matching their schemas,
# never a 5xx. Bounded: a few examples per operation, no deadline (the first request warms caches).
# Two of its checks do not apply: ids are checked against the data, so a schema-valid but unknown
# id is a documented 400 (not "positive data rejected"); and an undeclared unsafe method meets
# Django's CSRF check (403) before the view's 405 — neither is an error nor a leak.
EXCLUDED_CHECKS = [schemathesis.checks.positive_data_acceptance, schemathesis.checks.unsupported_method]
SCHEMA = schemathesis.openapi.from_dict(DOCUMENT)
# The coverage phase sends every boundary value of every parameter (hundreds of requests per
# operation, minutes in all); random generation within max_examples keeps this test to seconds.
# tests/test_fuzz.py covers malformed parameters far more broadly.
SCHEMA.config.phases.coverage.enabled = False


@pytest.fixture
def wsgi_app(db):
    """Built inside the test, so its middleware sees the test settings (no HTTPS redirect).

    As Django's test client does, keep the request signals from closing the test's database
    connection (on PostgreSQL that would end the test transaction).
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@SCHEMA.parametrize()
@settings(max_examples=6, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_schemathesis_conformance(case, wsgi_app):
    # schemathesis sends requests' "Accept-Encoding: gzip, deflate" but its WSGI transport does not
    # decode bodies as an HTTP client would; compression has its own tests (tests/test_compression.py).
    response = case.call_and_validate(
        app=wsgi_app, excluded_checks=EXCLUDED_CHECKS, headers={"Accept-Encoding": "identity"}
    )
    assert response.status_code < 500
