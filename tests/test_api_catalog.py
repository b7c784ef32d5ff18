"""Entities, eras and tags with published-item counts; caching, CORS and error answers of the API."""

import pytest
from django.db.models import Q

from tests.factories import make_entity, make_item
from timeline.models import Era, Item, Status, Tag

pytestmark = pytest.mark.django_db


def results(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    data = response.json()
    assert data["count"] == len(data["results"])
    return {row["id"]: row for row in data["results"]}


def test_entity_counts_are_published_items_per_role(client):
    entities = results(client, "/api/entities/")
    published = Item.objects.published()
    altman = entities["sam-altman"]
    assert altman["kind"] == "person" and altman["name"]["en"] == "Sam Altman"
    assert altman["as_person"] == published.filter(people__slug="sam-altman").count()
    assert altman["as_speaker"] == published.filter(speaker__slug="sam-altman").count() > 0
    assert altman["items"] == published.filter(Q(people__slug="sam-altman") | Q(speaker__slug="sam-altman")).distinct().count()
    assert altman["urls"] == {
        "as_person": "/?person=sam-altman", "as_organization": None, "as_speaker": "/?speaker=sam-altman"
    }
    assert entities["openai"]["as_organization"] == published.filter(organizations__slug="openai").count()
    # The list is ordered by count, most-named first.
    counts = [row["items"] for row in entities.values()]
    assert counts == sorted(counts, reverse=True)


def test_entity_counts_follow_the_filters(client):
    filtered = results(client, "/api/entities/?era=board-crisis&kind=event")
    expected = Item.objects.published().filter(era__slug="board-crisis", kind="event", people__slug="sam-altman")
    assert filtered["sam-altman"]["as_person"] == expected.count()
    assert all(row["items"] > 0 for row in filtered.values())


def test_entities_and_tags_only_used_by_drafts_are_not_listed(client):
    secret_person = make_entity("draft-only-person", name_en="Draft Only Person", name_zh="草稿人物")
    secret_tag = Tag.objects.create(slug="draft-only-tag", name_en="Draft only", name_zh="草稿")
    draft = make_item(slug="a-draft", status=Status.DRAFT)
    draft.people.add(secret_person)
    draft.tags.add(secret_tag)
    assert "draft-only-person" not in results(client, "/api/entities/")
    assert "draft-only-tag" not in results(client, "/api/tags/")
    # Publishing it makes both public, with a count of one.
    draft.status = Status.PUBLISHED
    draft.save()
    assert results(client, "/api/entities/")["draft-only-person"]["items"] == 1
    assert results(client, "/api/tags/")["draft-only-tag"]["items"] == 1


def test_tag_counts_match_the_items_api(client):
    tags = results(client, "/api/tags/?era=chatgpt")
    for slug, row in tags.items():
        api = client.get(f"/api/items/?era=chatgpt&tag={slug}").json()
        assert row["items"] == api["count"], slug
        assert row["url"] == f"/?tag={slug}"


def test_every_era_is_listed_in_order_with_counts(client):
    eras = client.get("/api/eras/").json()["results"]
    assert [era["id"] for era in eras] == list(Era.objects.order_by("start").values_list("slug", flat=True))
    published = Item.objects.published()
    assert sum(era["items"] for era in eras) == published.exclude(era=None).count()
    first = eras[0]
    assert first["start"] <= first["end"] and set(first["name"]) == {"en", "zh"}
    quotes = {era["id"]: era["items"] for era in client.get("/api/eras/?kind=quote").json()["results"]}
    assert quotes["board-crisis"] == published.filter(kind="quote", era__slug="board-crisis").count()


@pytest.mark.parametrize("url", ["/api/entities/", "/api/eras/", "/api/tags/", "/api/items/", "/api/sources/",
                                 "/api/items/hinton-meets-ilya/", "/api/sources/q-star-exposed/"])
def test_api_answers_with_cors_etag_and_304(client, url):
    response = client.get(url, HTTP_ORIGIN="https://elsewhere.example")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304 and again.content == b""
    assert again["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(
    "url, param",
    [
        ("/api/entities/?person=nobody", "person"),
        ("/api/eras/?from=not-a-date", "from"),
        ("/api/tags/?importance=7", "importance"),
        ("/api/tags/?q=%00", "q"),
    ],
)
def test_unusable_parameters_are_a_400_naming_them(client, url, param):
    response = client.get(url)
    assert response.status_code == 400 and response["Content-Type"] == "application/json"
    body = response.json()
    assert body["error"] == "invalid_parameters" and param in body["detail"]
    assert "no-cache" in response["Cache-Control"]


def test_unknown_ids_are_a_json_404(client):
    for url in ("/api/items/no-such-item/", "/api/sources/no-such-source/", "/api/unknown/"):
        response = client.get(url)
        assert response.status_code == 404 and response.json()["error"] == "not_found"


def test_head_is_answered_and_post_is_not(client):
    assert client.head("/api/tags/").status_code == 200
    assert client.post("/api/tags/").status_code in (403, 405)


def test_catalog_queries_are_constant(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(16):
        client.get("/api/entities/?era=chatgpt")
    with django_assert_max_num_queries(12):
        client.get("/api/tags/")
