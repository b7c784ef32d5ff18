"""The shared caching policy: ETag that follows published content, 304, Cache-Control, CORS."""

import pytest
from django.http import JsonResponse
from django.test import RequestFactory

from timeline.http import allow_cors, public_cache
from timeline.models import Item

pytestmark = pytest.mark.django_db


@public_cache()
@allow_cors
def view(request):
    return JsonResponse({"items": Item.objects.published().count()})


def get(path="/x/?a=1", **headers):
    return view(RequestFactory().get(path, **headers))


def test_cache_control_and_etag_and_cors():
    response = get()
    assert response.status_code == 200
    assert response["ETag"].startswith('"') and response["Access-Control-Allow-Origin"] == "*"
    cache = response["Cache-Control"]
    for part in ("public", "max-age=300", "s-maxage=600", "stale-while-revalidate=86400"):
        assert part in cache


def test_if_none_match_answers_304_until_published_content_changes():
    etag = get()["ETag"]
    assert get(HTTP_IF_NONE_MATCH=etag).status_code == 304
    item = Item.objects.published().first()
    item.status = "draft"
    item.save()
    changed = get(HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_etag_depends_on_the_query():
    assert get("/x/?a=1")["ETag"] != get("/x/?a=2")["ETag"]


def test_a_repeated_request_is_served_from_the_response_cache(django_assert_max_num_queries):
    """The second identical request costs only the content fingerprint (one query)."""
    first = get("/x/?cached=1")
    with django_assert_max_num_queries(1):
        second = get("/x/?cached=1")
    assert second.content == first.content and second["ETag"] == first["ETag"]


def test_api_answers_head_and_cors_preflight(client):
    head = client.head("/api/items/?person=sam-altman")
    assert head.status_code == 200 and head.content == b"" and head["ETag"]
    preflight = client.options(
        "/api/items/", HTTP_ORIGIN="https://example.org", HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match"
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "If-None-Match" in preflight["Access-Control-Allow-Headers"]
