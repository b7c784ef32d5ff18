"""The trigram index behind search: SQLite FTS5 (trigram tokenizer) or PostgreSQL pg_trgm.

It must find exactly what a substring test on ``search_text`` finds, and follow every write of
that column (triggers), including after a migration rebuilt the item table.
"""

import pytest
from django.db import connection

from tests.factories import make_item
from timeline import search, search_index
from timeline.models import Item

pytestmark = pytest.mark.django_db


def found(query: str, queryset=None) -> set[str]:
    return set(search.matching(queryset or Item.objects.all(), query).values_list("slug", flat=True))


def substring(query: str) -> set[str]:
    """The reference: every term a plain substring of the normalised text, computed in Python."""
    terms = search.query_terms(query)
    return {slug for slug, text in Item.objects.values_list("slug", "search_text") if all(t in text for t in terms)}


def test_sqlite_searches_through_fts5():
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL searches its narrow table (migration 0016)")
    assert search_index.available(connection)
    sql = str(search.matching(Item.objects.all(), "奥特曼 董事").query)
    assert "MATCH" in sql and "LIKE" in sql  # the three-character term by the index, the two-character by LIKE


@pytest.mark.parametrize(
    "query", ["奥特曼", "奧特曼 董事會", "altman board", "gpt-4", "马斯克", "董事", "ai", "openai 2015", "“", 'a"b'],
)
def test_the_index_finds_exactly_the_substring_matches(query):
    search.refresh_search_text()
    assert found(query) == substring(query)


def test_the_index_follows_inserts_updates_and_deletes():
    item = make_item(slug="zebra", title_en="A quagga zebra")
    search.refresh_search_text([item])
    assert found("quagga") == {"zebra"}
    Item.objects.filter(pk=item.pk).update(title_en="An okapi")
    search.refresh_search_text([item])
    assert found("quagga") == set() and found("okapi") == {"zebra"}
    item.delete()
    assert found("okapi") == set()


def test_ensure_index_restores_dropped_triggers_and_catches_up():
    """What SQLite does to triggers when a migration rebuilds timeline_item (0006 did)."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with connection.cursor() as cursor:
        for name in search_index.SQLITE_TRIGGERS:
            cursor.execute(f"DROP TRIGGER {name}")
    item = make_item(slug="written-meanwhile", title_en="Written while the triggers were gone")
    search.refresh_search_text([item])
    assert search_index.ensure_index(connection)
    assert found("triggers were gone") == {"written-meanwhile"}


def test_sort_relevance_puts_the_best_match_first(client):
    """Chronologically the long item that mentions the term once comes first; by relevance the
    short one that is about it does. Without ``sort`` the order stays chronological."""
    diluted = make_item(
        slug="diluted", date="2001", title_en="Quagga among many other things",
        summary_en=" ".join(f"unrelated{n} words about nothing in particular" for n in range(40)),
    )
    focused = make_item(slug="focused", date="2002", title_en="Quagga quagga", summary_en="The quagga.")
    search.refresh_search_text([diluted, focused])
    chronological = client.get("/api/items/?q=quagga").json()["results"]
    assert [item["id"] for item in chronological] == ["diluted", "focused"]
    relevant = client.get("/api/items/?q=quagga&sort=relevance").json()["results"]
    assert [item["id"] for item in relevant] == ["focused", "diluted"]
    page = client.get("/?q=quagga&sort=relevance&lang=en")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.index("/items/focused/") < html.index("/items/diluted/")


def test_an_unknown_sort_is_refused_by_the_api_and_ignored_by_the_page(client):
    assert client.get("/api/items/?q=openai&sort=loudest").status_code == 400
    assert client.get("/?q=openai&sort=loudest").status_code == 200


def narrow_rows() -> dict[int, str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT item_id, search_text FROM {search_index.PG_TABLE}")
        return dict(cursor.fetchall())


def test_postgresql_searches_a_narrow_table_that_follows_every_write():
    """PostgreSQL matches on (id, search text) rows of their own (migration 0016), kept by statement
    triggers: after bulk inserts, updates, raw SQL, deletes and a TRUNCATE they equal the item rows."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite searches through FTS5")
    assert search_index.search_rows(connection)
    assert search_index.PG_TABLE in str(search.matching(Item.objects.all(), "quagga ai").query)

    def item_rows():
        return dict(Item.objects.values_list("pk", "search_text"))

    first, second = make_item(slug="first", title_en="A quagga"), make_item(slug="second", title_en="An okapi")
    search.refresh_search_text()
    assert narrow_rows() == item_rows() and found("quagga") == {"first"}
    Item.objects.filter(pk=first.pk).update(search_text="zebra", title_en="x")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE timeline_item SET search_text = search_text || ' 斑马' WHERE id = %s", [second.pk])
    assert narrow_rows() == item_rows() and found("zebra") == {"first"} and found("斑马") == {"second"}
    assert found("quagga") == set() and set(search.matching_pks("zebra")) == {first.pk}
    second.delete()
    assert narrow_rows() == item_rows() and found("斑马") == set()
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the deferred version triggers, before TRUNCATE
        cursor.execute("TRUNCATE timeline_item CASCADE")
    assert narrow_rows() == {}


@pytest.mark.parametrize("query", ["quagga", "qu", "50%", "a_b", "back\\slash", "quagga 50%", "okapi", "ok"])
def test_matching_pks_are_the_substring_matches(query):
    """The ids of the page's search (FTS5 rowids, PostgreSQL's narrow table) with wildcards taken literally."""
    for slug, title in [("q", "quagga"), ("p", "50% off"), ("u", "a_b"), ("v", "axb"), ("s", "back\\slash quagga 50%")]:
        make_item(slug=slug, title_en=title)
    search.refresh_search_text()
    pks = search.matching_pks(query)
    assert all(type(pk) is int for pk in pks) and len(pks) == len(set(pks))  # ids, each once (one value on the index paths)
    assert {Item.objects.get(pk=pk).slug for pk in pks} == substring(query)
