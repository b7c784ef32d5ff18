"""Public HTML and JSON answers are compressed (Brotli when accepted, else gzip), stored compressed
once per coding, and each coding is its own representation: its own ETag, and Vary: Accept-Encoding."""

import gzip

import brotli
import pytest
from django.test import RequestFactory

from timeline.http import negotiated_encoding

DECODE = {"br": brotli.decompress, "gzip": gzip.decompress}


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("", "identity"),
        ("gzip, deflate, br", "br"),
        ("gzip", "gzip"),
        ("br;q=0, gzip;q=0.5", "gzip"),
        ("BR;Q=1.0", "br"),
        ("*", "br"),
        ("gzip;q=0, br;q=0", "identity"),
        ("br;q=oops, gzip", "gzip"),
        ("identity", "identity"),
    ],
)
def test_negotiation_honours_weights(header, expected):
    assert negotiated_encoding(RequestFactory().get("/", HTTP_ACCEPT_ENCODING=header)) == expected


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/?lang=en", "/api/items/?person=sam-altman", "/items/alexnet/", "/embed/"])
def test_public_answers_are_compressed_per_accepted_coding(client, path):
    plain = client.get(path)
    assert plain.status_code == 200 and "Content-Encoding" not in plain
    etags = {plain["ETag"]}
    for coding, decode in DECODE.items():
        response = client.get(path, HTTP_ACCEPT_ENCODING=coding)
        assert response["Content-Encoding"] == coding
        assert "Accept-Encoding" in response["Vary"]
        assert int(response["Content-Length"]) == len(response.content) < len(plain.content)
        assert decode(response.content) == plain.content
        etags.add(response["ETag"])
    assert len(etags) == 3  # one validator per representation


@pytest.mark.django_db
def test_the_widget_loader_is_compressed_per_accepted_coding(client):
    """``/embed.js`` (a script publishers paste, not a hashed static file) was sent uncompressed: it
    is compressed like the HTML and JSON answers, each coding its own representation and validator."""
    plain = client.get("/embed.js")
    assert plain.status_code == 200 and "Content-Encoding" not in plain
    assert "Accept-Encoding" in plain["Vary"]
    etags = {plain["ETag"]}
    for coding, decode in DECODE.items():
        response = client.get("/embed.js", HTTP_ACCEPT_ENCODING=f"{coding}, identity")
        assert response.status_code == 200 and response["Content-Encoding"] == coding
        assert "Accept-Encoding" in response["Vary"]
        assert response["Content-Type"] == "text/javascript; charset=utf-8"
        assert int(response["Content-Length"]) == len(response.content) < len(plain.content)
        assert decode(response.content) == plain.content
        etags.add(response["ETag"])
        again = client.get("/embed.js", HTTP_ACCEPT_ENCODING=coding, HTTP_IF_NONE_MATCH=response["ETag"])
        assert again.status_code == 304 and "Accept-Encoding" in again["Vary"]
        head = client.head("/embed.js", HTTP_ACCEPT_ENCODING=coding)
        assert head.status_code == 200 and head["Content-Encoding"] == coding and head["ETag"] == response["ETag"]
    assert len(etags) == 3  # one validator per representation
    # The Brotli validator does not validate the gzip or the plain representation.
    brotli_tag = client.get("/embed.js", HTTP_ACCEPT_ENCODING="br")["ETag"]
    assert client.get("/embed.js", HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=brotli_tag).status_code == 200
    assert client.get("/embed.js", HTTP_IF_NONE_MATCH=brotli_tag).status_code == 200


@pytest.mark.django_db
def test_the_widget_loader_304_keeps_its_cache_policy_and_does_not_vary_on_language(client):
    """A 304 of ``/embed.js`` came without Cache-Control (a cache revalidating it would then treat it
    by heuristics), and every answer said ``Vary: Accept-Language``, though the script is the same in
    every language: a shared cache kept one copy per language header."""
    for coding in ("", "gzip", "br"):
        response = client.get("/embed.js", HTTP_ACCEPT_ENCODING=coding, HTTP_ACCEPT_LANGUAGE="zh-CN")
        again = client.get(
            "/embed.js", HTTP_ACCEPT_ENCODING=coding, HTTP_ACCEPT_LANGUAGE="en", HTTP_IF_NONE_MATCH=response["ETag"]
        )
        assert response.status_code == 200 and again.status_code == 304
        for answer in (response, again):
            vary = {header.strip().lower() for header in answer["Vary"].split(",")}
            assert "accept-encoding" in vary and "accept-language" not in vary
            assert "Content-Language" not in answer
            assert answer["Cache-Control"] == response["Cache-Control"]
            assert "public" in answer["Cache-Control"] and "max-age=" in answer["Cache-Control"]


@pytest.mark.django_db
def test_a_compressed_answer_is_stored_once_and_served_from_the_cache(client, django_assert_max_num_queries):
    first = client.get("/?era=board-crisis", HTTP_ACCEPT_ENCODING="gzip, br")
    with django_assert_max_num_queries(1):
        again = client.get("/?era=board-crisis", HTTP_ACCEPT_ENCODING="gzip, br")
    assert again.content == first.content and again["Content-Encoding"] == "br"
    with django_assert_max_num_queries(1):
        revalidated = client.get("/?era=board-crisis", HTTP_ACCEPT_ENCODING="br", HTTP_IF_NONE_MATCH=first["ETag"])
    assert revalidated.status_code == 304
    # The Brotli validator does not validate the gzip representation.
    other = client.get("/?era=board-crisis", HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=first["ETag"])
    assert other.status_code == 200 and other["Content-Encoding"] == "gzip"


@pytest.mark.django_db
def test_the_view_itself_answers_304_only_for_the_same_coding(client, settings):
    """Without the response cache in the way, the view's own ETag check also names the coding."""
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if not m.endswith("PublicResponseCacheMiddleware")]
    etag = client.get("/api/items/", HTTP_ACCEPT_ENCODING="gzip")["ETag"]
    assert client.get("/api/items/", HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get("/api/items/", HTTP_IF_NONE_MATCH=etag).status_code == 200


@pytest.mark.django_db
def test_private_pages_are_not_compressed(client):
    """The admin carries a CSRF token; compressing secrets next to reflected input invites BREACH."""
    response = client.get("/admin/login/", HTTP_ACCEPT_ENCODING="gzip, br")
    assert response.status_code == 200 and "Content-Encoding" not in response
