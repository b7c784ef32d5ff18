"""`/api/items/`: the same filters as the page, item documents from the one serializer, strict errors."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_item
from timeline.documents import item_document
from timeline.filters import PAGE_SIZE
from timeline.models import Item, Status
from timeline.search import refresh_search_text

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def _search_text(django_db_setup, django_db_blocker):
    """The shipped data with its search text, as the chronology loader leaves it (refresh_search_text)."""
    with django_db_blocker.unblock():
        refresh_search_text()

SAME_RESULT_QUERIES = [
    {},
    {"person": "sam-altman"},
    {"person": ["sam-altman", "elon-musk"], "from": "2015", "to": "2019"},
    {"era": "board-crisis", "kind": "quote"},
    {"q": "奧特曼"},
    {"q": "altman", "importance": "3"},
    {"tag": "safety", "source": "netease-openai-idealists"},
    {"page": "2"},
]


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def test_the_list_is_paginated_in_chronological_order(client):
    data = client.get("/api/items/").json()
    expected = list(Item.objects.published().chronological().values_list("slug", flat=True))
    assert set(data) == {"count", "date_window", "next", "previous", "results"}
    assert data["date_window"] is None
    assert data["count"] == len(expected)
    assert [doc["id"] for doc in data["results"]] == expected[:PAGE_SIZE]
    assert data["previous"] is None
    assert data["next"] == "http://testserver/api/items/?page=2"


def test_results_are_the_item_documents(client):
    """The one serializer, not a second one: each result equals item_document(item)."""
    data = client.get("/api/items/", {"person": "sam-altman"}).json()
    first = Item.objects.published().for_documents().get(slug=data["results"][0]["id"])
    assert data["results"][0] == item_document(first)


def test_next_and_previous_keep_the_filters(client):
    data = client.get("/api/items/", {"person": "sam-altman", "page": "2"}).json()
    assert data["previous"] == "http://testserver/api/items/?person=sam-altman"
    if data["next"]:
        assert data["next"] == "http://testserver/api/items/?person=sam-altman&page=3"


def test_one_item_by_id(client):
    item = Item.objects.published().for_documents().first()
    response = client.get(f"/api/items/{item.slug}/")
    assert response.status_code == 200 and response.json() == item_document(item)


@pytest.mark.parametrize("status", [Status.DRAFT, Status.REVIEW])
def test_an_unpublished_item_is_404_json(client, status):
    make_item(slug="not-yet", status=status)
    response = client.get("/api/items/not-yet/")
    assert response.status_code == 404
    assert response.json() == {"error": "not_found", "detail": "There is no published item with id 'not-yet'."}


def test_an_unknown_item_is_404_json(client):
    assert client.get("/api/items/nothing-here/").json()["error"] == "not_found"


@pytest.mark.parametrize(
    "params, param",
    [
        ({"person": "nobody"}, "person"),
        ({"from": "abc"}, "from"),
        ({"from": "2020", "to": "2018"}, "to"),
        ({"page": "-1"}, "page"),
        ({"page": "1" * 40}, "page"),
        ({"q": "x" * 10_000}, "q"),
        ({"importance": "9"}, "importance"),
        ({"lang": "fr"}, "lang"),
    ],
)
def test_unusable_parameters_are_a_400_naming_them(client, params, param):
    """A client must never silently receive other items than it asked for."""
    response = client.get("/api/items/", params)
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "invalid_parameters" and list(body["detail"]) == [param]
    # The API refuses rather than ignores, and its words say so.
    assert all("ignored" not in m and "refused" in m for m in body["detail"][param]), body["detail"]


def test_a_page_past_the_end_is_404_json(client):
    response = client.get("/api/items/", {"page": "500"})
    assert response.status_code == 404 and response.json()["error"] == "not_found"


@pytest.mark.parametrize("params", SAME_RESULT_QUERIES)
def test_page_fragment_and_api_give_the_same_items(client, params):
    """One form, one query: the three views must agree for every filter combination."""
    item_id = re.compile(r'<li id="item-([^"]+)"')
    page = item_id.findall(client.get("/", params).content.decode())
    fragment = item_id.findall(client.get("/", params, HTTP_HX_REQUEST="true").content.decode())
    api = [doc["id"] for doc in client.get("/api/items/", params).json()["results"]]
    assert page == fragment == api
    assert api, params


def test_the_api_costs_a_fixed_number_of_queries(client, django_assert_num_queries):
    """Whatever the filters and page: no query per item. A search adds one, for the matching ids,
    except where SQLite's FTS5 index answers every term (its subquery then filters each query)."""
    from timeline import search

    with CaptureQueriesContext(connection) as baseline:
        client.get("/api/items/")
    ids = 0 if search.fully_indexed("奥特曼", connection) else 1
    for params, extra in (({"person": "sam-altman", "page": "2"}, 0), ({"kind": "quote"}, 0),
                          ({"q": "奥特曼", "tag": "governance"}, ids), ({"q": "ai"}, 1)):
        cache.clear()
        with django_assert_num_queries(len(baseline) + extra):
            client.get("/api/items/", params)


def test_the_source_endpoints_still_work(client):
    assert client.get("/api/sources/").status_code == 200
    assert client.get("/api/sources/q-star-exposed/").json()["id"] == "q-star-exposed"


def test_a_date_window_lists_items_inside_it_first_and_says_which_only_overlap(client):
    """November 2023: the items dated inside it first; an uncertain 2005/2024-05 quote only after them,
    and named in ``date_window.possibly_on_this_page``."""
    start, end = datetime.date(2023, 11, 1), datetime.date(2023, 11, 30)
    published = Item.objects.published()
    inside = list(published.filter(date_start__gte=start, date_end__lte=end).chronological().values_list("slug", flat=True))
    overlapping = published.between(start, end)
    possible = list(overlapping.exclude(slug__in=inside).chronological().values_list("slug", flat=True))
    data = client.get("/api/items/", {"from": "2023-11", "to": "2023-11", "page": "1"}).json()
    ids = [doc["id"] for doc in data["results"]]
    assert inside and possible
    assert ids == (inside + possible)[:PAGE_SIZE]
    assert data["date_window"] == {
        "from": "2023-11", "to": "2023-11", "within": len(inside), "possibly": len(possible),
        "possibly_on_this_page": [slug for slug in ids if slug in possible],
    }


def test_the_speaker_filter(client):
    said = Item.objects.published().filter(speaker__slug="sam-altman")
    data = client.get("/api/items/", {"speaker": "sam-altman"}).json()
    assert data["count"] == said.count() > 0
    assert all(doc["quote"]["speaker"]["id"] == "sam-altman" for doc in data["results"])
    assert client.get("/api/items/", {"speaker": "nobody"}).status_code == 400


def test_every_citation_links_to_its_sentence_highlighted(client):
    """Each citation of every published item carries its id and a link to the source reader that
    highlights exactly it (``?hl=<id>#p-<n>``), like the site's own links; the reader honours it."""
    documents, url = [], "/api/items/"
    while url:
        data = client.get(url).json()
        documents += data["results"]
        url = data["next"]
    assert len(documents) == Item.objects.published().count()
    checked_sources = set()
    for document in documents:
        item = Item.objects.get(slug=document["id"])
        assert sorted(c["id"] for c in document["citations"]) == sorted(c.pk for c in item.citations.all())
        for citation in document["citations"]:
            source, passage = citation["source"]["id"], citation["passage"]["ordinal"]
            assert citation["url"] == f"/sources/{source}/?hl={citation['id']}#p-{passage}"
            if source not in checked_sources:  # one real round trip per source article
                checked_sources.add(source)
                html = client.get(citation["url"]).content.decode()
                anchor = rf'<span id="c-{citation["id"]}" class="anchor"></span>(?:<span [^>]*></span>)*'
                assert re.search(anchor + r'<mark class="[^"]*\bcurrent\b', html)
    assert len(checked_sources) >= 4  # every source article cited by a published item was visited


def test_a_date_window_ranked_by_relevance_still_says_which_only_overlap(client):
    """``sort=relevance`` with a search ranks the matches (no window order), and ``date_window`` still
    names this page's items that only overlap the window, read from their dates (it answered 500)."""
    start, end = datetime.date(2023, 11, 1), datetime.date(2023, 11, 30)
    response = client.get("/api/items/", {"q": "Altman", "sort": "relevance", "from": "2023-11", "to": "2023-11"})
    assert response.status_code == 200
    data = response.json()
    ids = [doc["id"] for doc in data["results"]]
    assert ids
    only_overlapping = {
        item.slug for item in Item.objects.published().filter(slug__in=ids)
        if not (item.date_start >= start and item.date_end <= end)
    }
    assert only_overlapping, "the shipped data has Altman quotes dated 2022/2025-08 and c. 2023"
    assert data["date_window"]["possibly_on_this_page"] == [slug for slug in ids if slug in only_overlapping]
