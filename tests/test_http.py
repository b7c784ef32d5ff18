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


def test_a_repeated_request_is_served_from_the_response_cache(client, django_assert_max_num_queries):
    """The second identical anonymous request costs only the content fingerprint (one query)."""
    first = client.get("/api/items/?person=sam-altman")
    with django_assert_max_num_queries(1):
        second = client.get("/api/items/?person=sam-altman")
    assert second.content == first.content
    first_headers, second_headers = dict(first.items()), dict(second.items())
    assert first_headers.pop("Server-Timing").startswith('cache;desc="miss"')
    assert second_headers.pop("Server-Timing").startswith('cache;desc="hit"')  # said per answer, not stored
    assert second_headers == first_headers  # same ETag, CORS, CSP, security headers


def test_server_timing_tells_a_render_from_a_stored_answer(client):
    """A rendered answer says how long the server took, how long compressing took and the CPU time
    its thread used; a stored one
    that it came from the cache (the reading benchmark reads this to split a click's time)."""
    fragment = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "results", "HTTP_ACCEPT_ENCODING": "gzip"}
    first = client.get("/?person=sam-altman", **fragment)
    parts = [part.strip() for part in first["Server-Timing"].split(",")]
    assert parts[0] == 'cache;desc="miss"'
    assert float(parts[1].removeprefix("app;dur=")) > 0
    assert parts[2].startswith('compress;desc="gzip";dur=') and first["Content-Encoding"] == "gzip"
    # The CPU time of the rendering thread: some, and no more than the time the answer took.
    assert 0 < float(parts[3].removeprefix("cpu;dur=")) <= float(parts[1].removeprefix("app;dur=")) + 1
    again = client.get("/?person=sam-altman", **fragment)
    assert again.content == first.content
    hit = [part.strip() for part in again["Server-Timing"].split(",")]
    assert hit[0] == 'cache;desc="hit"' and hit[1].startswith("app;dur=") and len(hit) == 2
    assert "Server-Timing" not in client.get("/admin/login/")  # only public answers say it


@pytest.mark.parametrize("path", ["/", "/?era=board-crisis", "/items/alexnet/", "/embed/", "/feed.atom"])
def test_public_pages_are_stored_whole_and_answer_304_from_the_cache(client, path, django_assert_max_num_queries):
    first = client.get(path)
    assert first.status_code == 200 and "public" in first["Cache-Control"]
    with django_assert_max_num_queries(1):
        again = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    for header in ("ETag", "Cache-Control", "Vary", "Content-Security-Policy", "X-Content-Type-Options"):
        assert again.get(header) == first.get(header), header


def test_a_stored_answer_is_never_served_after_the_content_changes(client):
    before = client.get("/api/items/").json()
    item = Item.objects.published().get(slug="alexnet")
    item.status = "draft"
    item.save()
    after = client.get("/api/items/").json()
    assert after["count"] == before["count"] - 1


def test_the_key_follows_language_and_htmx_headers(client):
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content
    chinese = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-hans").content
    fragment = client.get("/", HTTP_HX_REQUEST="true").content
    assert english != chinese and b"<html" not in fragment
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="en").content == english


def test_signed_in_requests_bypass_the_stored_public_answer(client):
    """An editor's draft preview is rendered for them, private, without an ETag, and never stored."""
    from django.contrib.auth.models import Group, User

    item = Item.objects.published().get(slug="alexnet")
    assert client.get("/items/alexnet/").status_code == 200  # stored for the public
    item.status = "draft"
    item.save()
    assert client.get("/items/alexnet/").status_code == 404
    editor = User.objects.create_user("editor", password="x", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editor"))
    client.force_login(editor)
    preview = client.get("/items/alexnet/")
    assert preview.status_code == 200 and "private" in preview["Cache-Control"] and "ETag" not in preview
    client.logout()
    client.cookies.clear()
    assert client.get("/items/alexnet/").status_code == 404


def test_responses_that_set_cookies_or_vary_on_them_are_not_stored():
    from django.http import HttpResponse

    from timeline.http import PublicResponseCacheMiddleware as middleware

    ok = HttpResponse("x")
    ok.timeline_public = True
    assert middleware.storable(ok)
    for change in (lambda r: r.set_cookie("a", "b"), lambda r: r.__setitem__("Vary", "Cookie"),
                   lambda r: setattr(r, "timeline_public", False), lambda r: setattr(r, "status_code", 404)):
        response = HttpResponse("x")
        response.timeline_public = True
        change(response)
        assert not middleware.storable(response)


def test_api_answers_head_and_cors_preflight(client):
    head = client.head("/api/items/?person=sam-altman")
    assert head.status_code == 200 and head.content == b"" and head["ETag"]
    preflight = client.options(
        "/api/items/", HTTP_ORIGIN="https://example.org", HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match"
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "If-None-Match" in preflight["Access-Control-Allow-Headers"]


def version():
    from timeline.http import content_fingerprint

    return content_fingerprint()


def test_every_kind_of_write_bumps_the_content_version():
    """Triggers, not signals: QuerySet.update, relation changes and raw writes count too."""
    from django.db import connection

    from timeline.models import Citation, Entity, Passage

    item = Item.objects.published().get(slug="alexnet")
    citation = Citation.objects.filter(item=item).first()
    writes = [
        lambda: Item.objects.filter(pk=item.pk).update(importance=1),
        lambda: item.tags.clear(),
        lambda: Entity.objects.filter(pk=Entity.objects.first().pk).update(name_en="Renamed"),
        lambda: Citation.objects.filter(pk=citation.pk).update(verified_at=None),
        lambda: Passage.objects.filter(pk=citation.passage_id).update(text=citation.passage.text + " "),
        lambda: citation.delete(),
    ]
    for write in writes:
        before = version()
        write()
        if connection.vendor == "postgresql":  # bumped at commit by deferred triggers
            connection.check_constraints()
        assert version() != before


def test_reads_leave_the_content_version_alone(client):
    client.get("/api/items/")
    before = version()
    for path in ("/", "/api/items/", "/embed/", "/items/alexnet/", "/feed.atom"):
        client.get(path)
    assert version() == before


def test_only_public_cache_views_take_part(client, django_assert_num_queries):
    with django_assert_num_queries(0):  # the health check does not even read the content version
        assert client.get("/healthz").content == b"ok"
    first = client.get("/admin/login/")
    second = client.get("/admin/login/")
    assert "public" not in first.get("Cache-Control", "") and first.cookies and second.status_code == 200


def test_cached_pages_and_facets_follow_any_edit(client):
    """Pages and facet counts are cached under the content version: renaming a tag shows at once."""
    from timeline.models import Tag

    tag = Tag.objects.filter(items__status="published").first()
    client.get("/?lang=en")
    Tag.objects.filter(pk=tag.pk).update(name_en="Renamed tag for the facet test")
    assert "Renamed tag for the facet test" in client.get("/?lang=en").content.decode()


def test_a_public_read_reads_the_site_wide_versions_once_and_leaves_no_snapshot_behind(client):
    """Inside an anonymous public GET the filter choices, the facet index and the facet keys use the
    versions the request read first (one query, plus the item versions it declares and the check
    before storing), not a query each; after the request, a write is seen at once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from timeline.http import base_versions, structure_version

    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/?person=sam-altman&kind=event")
    assert response.status_code == 200
    reads = [q["sql"] for q in queries.captured_queries if "timeline_content_version" in q["sql"]]
    assert len(reads) == 3, reads  # the request's versions, its items' versions, the check before storing
    before = int(structure_version())
    item = Item.objects.published().first()
    Item.objects.filter(pk=item.pk).update(sequence=item.sequence + 1)  # a structure change
    assert int(structure_version()) == before + 1
    assert base_versions()[0] == before + 1
