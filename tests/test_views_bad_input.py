"""Malformed input to every public page: never a 500, every reflected value escaped.

Pages ignore what they cannot use and say so; the JSON API answers 400 (or 404) instead.
"""

import json

import pytest
from django.core.cache import cache

from timeline.models import Item
from timeline.search import refresh_search_text

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def _search_text(django_db_setup, django_db_blocker):
    """The shipped data with its search text, as the chronology loader leaves it (refresh_search_text)."""
    with django_db_blocker.unblock():
        refresh_search_text()

XSS = "%3Cscript%3Ealert(1)%3C%2Fscript%3E"
BAD_QUERIES = [
    f"person={XSS}",
    f"q={XSS}",
    f"lang={XSS}",
    "person=nobody&org=nothing&tag=none&era=never&source=nowhere&kind=rumour",
    "from=abc",
    "from=2020&to=2018",
    "from=0000&to=9999-99",
    "from=2015-02-30",
    "page=-1",
    "page=0",
    "page=abc",
    "page=99999999999999999999999999",
    "page=1000000",
    "q=" + "x" * 10_000,
    "q=a%00b",
    "person=%00",
    "from=%00",
    "q=%ED%A0%80",
    "person=%ED%A0%80sam",
    "&".join(["person=sam-altman"] * 50),
    "&".join(f"tag=t{n}" for n in range(100)),
    "importance=9",
    "importance=%FF",
    "q=%25%5F%5C",
    "=&&&=x&q",
]


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


FILTERED_PATHS = [("/", {}), ("/", {"HTTP_HX_REQUEST": "true"}), ("/api/items/", {})]
# Pages that read no filter (or only lang/hl) get the generic junk; /print/ renders every item, so
# it gets a sample of the filter junk.
GENERIC_QUERIES = [f"lang={XSS}", "hl=abc", "hl=%00", "hl=99999999999999999999999999", "q=%ED%A0%80",
                   "page=-1", "=&&&=x&q", f"person={XSS}"]


def check(response, path, query):
    if response.status_code == 302:  # empty parameters: the page's canonical address (tests/test_views_chronology.py)
        assert path == "/" and response["Location"].startswith("/"), (path, query, response["Location"])
        return
    assert response.status_code in (200, 400, 404), (path, query, response.status_code)
    body = response.content.decode()
    if response["Content-Type"].startswith("application/json"):
        json.loads(body)
    else:
        assert "<script>alert(1)</script>" not in body, (path, query)


@pytest.mark.parametrize("query", BAD_QUERIES)
def test_no_filtered_page_fails_or_reflects_markup(client, query):
    for path, headers in FILTERED_PATHS:
        response = client.get(f"{path}?{query}", **headers)
        check(response, path, query)
        if response.status_code == 302:
            location = response["Location"]
            response = client.get(location, **headers)
            assert response.status_code == 200, (location, response.status_code)
            check(response, path, query)


@pytest.mark.parametrize("query", GENERIC_QUERIES)
def test_no_other_public_page_fails_or_reflects_markup(client, query):
    item = Item.objects.published().first()
    for path in ("/print/", f"/items/{item.slug}/", "/sources/netease-openai-idealists/", f"/api/items/{item.slug}/",
                 "/api/sources/", "/api/sources/q-star-exposed/"):
        check(client.get(f"{path}?{query}"), path, query)


def test_an_unknown_id_is_reflected_escaped_in_the_notice(client):
    body = client.get(f"/?person={XSS}").content.decode()
    assert "Unknown person “&lt;script&gt;alert(1)&lt;/script&gt;” was ignored." in body


def test_the_page_still_renders_its_items_when_every_filter_is_bad(client):
    body = client.get("/?person=nobody&from=abc&page=-1&q=%00").content.decode()
    first = Item.objects.published().chronological().first()
    assert f'id="item-{first.slug}"' in body
    assert body.count("<li>") >= 4  # one notice per ignored parameter


def test_the_api_refuses_what_the_page_ignores(client):
    response = client.get("/api/items/?person=nobody&from=abc")
    assert response.status_code == 400
    assert sorted(response.json()["detail"]) == ["from", "person"]


@pytest.mark.parametrize("path", ["/items/" + "a" * 5000 + "/", "/sources/%3Cscript%3E/", "/api/items/%00/"])
def test_malformed_ids_in_paths_are_not_found(client, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_pages_only_answer_get(client, method):
    assert getattr(client, method)("/").status_code == 405
