"""Invalidation by record: a save re-renders the answers that showed the saved item, and no others.

An item's page and every list showing it change on the next request; a cached page that does not
show it is still answered from the cache (one query, no render). Structural changes (publishing,
unpublishing, dates, relations, vocabulary) still change every list.
"""

import re

import pytest
from django.db import connection

from timeline import search
from timeline.http import read_versions
from timeline.models import Citation, Item, Tag

pytestmark = pytest.mark.django_db

ITEM_ID = re.compile(r'<li id="item-([^"]+)"')


@pytest.fixture(autouse=True)
def _search_text():
    search.refresh_search_text()


def slugs(response) -> list[str]:
    return ITEM_ID.findall(response.content.decode())


def save_summary(item: Item, text: str) -> None:
    """As the admin does: the item, then its search text."""
    item.summary_en = text
    item.save()
    search.refresh_search_text([item])


def served_from_cache(client, path, django_assert_max_num_queries) -> bytes:
    """The answer to ``path``, asserting it came from the response cache: one query (the versions)."""
    with django_assert_max_num_queries(1):
        response = client.get(path)
    assert response.status_code == 200
    return response.content


def first_page_and_another(client) -> tuple[Item, Item]:
    shown = slugs(client.get("/"))
    on_page = Item.objects.get(slug=shown[0])
    elsewhere = Item.objects.published().exclude(slug__in=shown).exclude(importance=3).order_by("pk").first()
    return on_page, elsewhere


def test_saving_an_item_changes_its_page_and_every_list_showing_it(client):
    first = client.get("/")
    item = Item.objects.get(slug=slugs(first)[0])
    person = item.people.first()
    filtered_path = f"/?person={person.slug}"
    pages = {path: client.get(path).content for path in ("/", f"/items/{item.slug}/", filtered_path)}
    assert item.slug in slugs(client.get(filtered_path))
    save_summary(item, "A summary no page showed before")
    for path, before in pages.items():
        after = client.get(path).content
        assert after != before, path
        assert b"A summary no page showed before" in after, path


def test_saving_an_item_leaves_unrelated_cached_pages_in_the_cache(client, django_assert_max_num_queries):
    on_page, elsewhere = first_page_and_another(client)
    unrelated_item = Item.objects.published().exclude(pk__in=[on_page.pk, elsewhere.pk]).order_by("-pk").first()
    paths = ["/", f"/items/{unrelated_item.slug}/"]
    before = {path: client.get(path).content for path in paths}
    # Not on the first page, not a neighbour of the unrelated item, not a key moment on the axis.
    previous, following = Item.objects.published().beside(unrelated_item)
    assert elsewhere not in (previous, following)
    save_summary(elsewhere, "Edited off the first page")
    for path in paths:
        assert served_from_cache(client, path, django_assert_max_num_queries) == before[path]
    # The saved item's own page is rendered again, with the new text.
    assert b"Edited off the first page" in client.get(f"/items/{elsewhere.slug}/").content


def test_a_citation_translation_edit_shows_on_its_item_page(client, django_assert_max_num_queries):
    citation = Citation.objects.filter(item__status="published").select_related("item").first()
    path = f"/items/{citation.item.slug}/"
    client.get(path)
    served_from_cache(client, path, django_assert_max_num_queries)
    citation.translation_en = "A translation nobody has read yet"
    citation.save()
    assert b"A translation nobody has read yet" in client.get(path).content


def test_a_structural_change_changes_every_list(client, django_assert_max_num_queries):
    _on_page, elsewhere = first_page_and_another(client)
    client.get("/")
    served_from_cache(client, "/", django_assert_max_num_queries)
    count_before = Item.objects.published().count()
    elsewhere.status = "draft"
    elsewhere.save()
    page = client.get("/").content.decode()
    assert f">{count_before - 1}<" in page or str(count_before - 1) in page
    assert client.get(f"/items/{elsewhere.slug}/").status_code == 404
    assert elsewhere.slug not in client.get("/api/items/?page_size=200").content.decode()


def test_a_vocabulary_change_changes_every_page(client):
    item = Item.objects.published().filter(tags__isnull=False).first()
    tag = item.tags.first()
    path = f"/items/{item.slug}/"
    client.get(path)
    client.get("/")
    Tag.objects.filter(pk=tag.pk).update(name_en="A renamed topic")
    assert b"A renamed topic" in client.get(path).content
    assert b"A renamed topic" in client.get("/").content


def test_search_results_follow_any_item_text(client):
    _on_page, elsewhere = first_page_and_another(client)
    path = "/?q=zebracorn"
    assert not slugs(client.get(path))
    save_summary(elsewhere, "zebracorn")
    assert slugs(client.get(path)) == [elsewhere.slug]


def test_the_triggers_bump_what_a_write_affects():
    item = Item.objects.published().first()
    structure, items, versions = read_versions([item.pk])
    own = versions[item.pk]
    # Search text only: search results change, no card or page shows it.
    Item.objects.filter(pk=item.pk).update(search_text="other text")
    s2, i2, v2 = read_versions([item.pk])
    assert (s2, v2[item.pk]) == (structure, own) and i2 > items
    # Displayed content: the item's own version and every item's, not the structure.
    Item.objects.filter(pk=item.pk).update(title_en="New title")
    s3, i3, v3 = read_versions([item.pk])
    assert s3 == structure and v3[item.pk] > own and i3 > i2
    # A change that can move it between lists: the structure.
    Item.objects.filter(pk=item.pk).update(importance=1 if item.importance != 1 else 2)
    assert read_versions()[0] > structure
    # A citation moved to another passage changes the sources facet: the structure again.
    citation = Citation.objects.filter(item=item).first()
    s4 = read_versions()[0]
    Citation.objects.filter(pk=citation.pk).update(translation_en="x")
    s5, _i, v5 = read_versions([item.pk])
    assert s5 == s4 and v5[item.pk] > v3[item.pk]
    other = Citation.objects.exclude(passage=citation.passage_id).first()
    Citation.objects.filter(pk=citation.pk).update(passage=other.passage_id)
    assert read_versions()[0] > s5


def test_a_table_rebuilt_with_a_new_column_gets_triggers_for_it():
    """The split triggers are named after the columns they compare; a different list makes new ones."""
    from timeline import content_version

    names = set(content_version.split_triggers(connection, "timeline_item"))
    structure, content, quiet = content_version.split_columns("timeline_item", ["id", "title_en", "future"])
    assert "future" in structure and content == ["title_en"] and not quiet
    assert names <= content_version.installed_triggers(connection)


def test_the_filter_choices_are_reused_until_the_structure_changes(live_data, django_assert_max_num_queries):
    """Outside a transaction (as a request runs), the choices are loaded once per structure version."""
    from timeline.filters import Choices

    first = Choices.current()
    with django_assert_max_num_queries(1):  # the structure version only
        assert Choices.current() is first
    tag = Tag.objects.filter(slug__in=list(first.tags)).first()
    Tag.objects.filter(pk=tag.pk).update(name_en="A renamed topic")
    again = Choices.current()
    assert again is not first and again.tags[tag.slug].name_en == "A renamed topic"
    Item.objects.filter(tags=tag).update(status="draft")  # no published item uses it any more
    assert tag.slug not in Choices.current().tags


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_item_versions_move_at_commit_and_opposite_orders_do_not_deadlock(live_data):
    """Two editors' transactions changing citations of the same two items in opposite orders (each
    its own citation rows) both commit: the item versions are bumped at commit, with their locks
    taken in one order, not as each row is written."""
    import threading

    from django.db import connections, transaction
    from django.db.models import Count

    x, y = Item.objects.published().annotate(n=Count("citations")).filter(n__gte=2).order_by("pk")[:2]
    x_cites = list(Citation.objects.filter(item=x).order_by("pk").values_list("pk", flat=True)[:2])
    y_cites = list(Citation.objects.filter(item=y).order_by("pk").values_list("pk", flat=True)[:2])
    structure, items, before = read_versions([x.pk, y.pk])
    barrier = threading.Barrier(2, timeout=20)
    errors = []

    def edit(citations, text):
        try:
            with transaction.atomic():
                for number, pk in enumerate(citations):
                    Citation.objects.filter(pk=pk).update(translation_en=f"{text} {number}")
                    if number == 0:
                        barrier.wait()  # both hold their first row before writing the second
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=edit, args=([x_cites[0], y_cites[0]], "a")),
        threading.Thread(target=edit, args=([y_cites[1], x_cites[1]], "b")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    now_structure, now_items, after = read_versions([x.pk, y.pk])
    assert now_structure == structure and now_items == items + 2
    assert after == {x.pk: before[x.pk] + 2, y.pk: before[y.pk] + 2}
