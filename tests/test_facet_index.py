"""The facet index (``timeline.facet_index``) answers exactly what the SQL answers.

For many random filter combinations (with searches, date windows and importance) on the shipped
data, and on a synthetic database of a few thousand items with drafts among them: the facet counts
(each under every filter but its own), the time-axis rows, the number of matches, the order of the
matching items (with a window, the items inside it first) and the axis marks. Unpublished items are
never in it, and a write shows in the counts of the very next request, in a process that keeps the
index between requests.
"""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache
from django.http import QueryDict

from tests.factories import make_item
from tests.test_views_chronology import text_of
from timeline import axis, facet_index
from timeline.filters import FilterForm
from timeline.models import Entity, Item, Status, Tag
from timeline.search import refresh_search_text

ROOT = Path(__file__).resolve().parents[1]
SEARCHES = ("altman", "奥特曼", "奧特曼", "chatgpt", "ai", "微软", "safety board", "董事会")


def random_query(rng: random.Random, form: FilterForm, days: list[str]) -> str:
    """A random filter set over the ids that exist (each parameter with probability about 1/3)."""
    choices = form.choices
    pools = {
        "kind": ["event", "quote"],
        "era": list(choices.eras),
        "person": list(choices.entities),
        "org": list(choices.entities),
        "speaker": list(choices.entities),
        "tag": list(choices.tags),
        "source": list(choices.sources),
    }
    params = []
    for param, pool in pools.items():
        if pool and rng.random() < 0.3:
            params += [(param, value) for value in rng.sample(pool, min(len(pool), rng.choice((1, 1, 2, 3))))]
    if rng.random() < 0.3:
        params.append(("importance", str(rng.randint(1, 3))))
    if rng.random() < 0.15:
        # Bounds on the very days items start or end: the edges of "overlaps" and "inside".
        low, high = sorted(rng.sample(days, 2))
        params += [("from", low), ("to", high)] if rng.random() < 0.6 else [(rng.choice(("from", "to")), low)]
    elif rng.random() < 0.3:
        first = rng.randint(2014, 2025)
        if rng.random() < 0.7:
            params.append(("from", rng.choice((str(first), f"{first}-{rng.randint(1, 12):02d}"))))
        if rng.random() < 0.7:
            params.append(("to", str(rng.randint(first, 2026))))
    if rng.random() < 0.25:
        params.append(("q", rng.choice(SEARCHES)))
        if rng.random() < 0.3:
            params.append(("sort", "relevance"))
    return "&".join(f"{param}={value}" for param, value in params)


def differences(query: str) -> list[str]:
    """What the index answers differently from SQL for the filter set ``query`` (empty: nothing)."""
    base = Item.objects.published()
    form = FilterForm(QueryDict(query))
    found = []
    index_raw, sql_raw = form.index_facets(), form.sql_facets(base)
    for name in sql_raw:
        mine, theirs = index_raw[name], sql_raw[name]
        if name == "dates":
            mine, theirs = sorted(mine), sorted(theirs)
        if mine != theirs:
            found.append(f"{query}: facet {name}: index {mine!r} != SQL {theirs!r}")
    if int(form.index_mask().sum()) != form.apply(base).count():
        found.append(f"{query}: count")
    pks, inside = form.index_order()
    ordered = form.ordered(base)
    if form.value("q") and form.value("sort") == "relevance":
        # Best matches first is SQL's order (the view reads it there); the index holds the same items.
        if sorted(pks.tolist()) != sorted(ordered.values_list("pk", flat=True)):
            found.append(f"{query}: matches")
        return found
    if any(form.window):
        rows = list(ordered.values_list("pk", "in_window"))
        expected_inside = sum(1 for _, flag in rows if flag)
    else:
        rows = [(pk, None) for pk in ordered.values_list("pk", flat=True)]
        expected_inside = 0
    if pks.tolist() != [pk for pk, _ in rows] or inside != expected_inside:
        found.append(f"{query}: order")
    pages = (len(rows) + form.page_size - 1) // form.page_size
    for number in {1, 2, pages} - {0}:
        bottom = (number - 1) * form.page_size
        if form.index_rows(number) != rows[bottom : bottom + form.page_size]:
            found.append(f"{query}: page {number}")
    if sql_raw["dates"]:
        low, high, zoom = axis.domain(sql_raw["dates"], form.window)
        marks = form.apply(base).between(low, high).order_by("date_start", "date_precision", "date_end",
                                                             "sequence", "slug")
        if zoom != axis.DAY:
            marks = marks.filter(importance=3)
        expected = list(marks.values_list("pk", flat=True)[: axis.MAX_MARKS])
        if form.index_marks(low, high, every=zoom == axis.DAY, limit=axis.MAX_MARKS) != expected:
            found.append(f"{query}: axis marks")
    return found


def compare(combinations: int, rng_seed: int) -> dict:
    """Random filter sets compared; returns how many, how many matched anything, and the differences."""
    rng = random.Random(rng_seed)
    form = FilterForm(QueryDict(""))
    queries = ["", "kind=quote", "importance=3", "from=2023-11&to=2023-11", "q=altman"]
    bounds = Item.objects.published().values_list("date_start", "date_end")
    days = sorted({day.isoformat() for pair in bounds for day in pair})
    queries += [random_query(rng, form, days) for _ in range(combinations)]
    problems, non_empty = [], 0
    for query in queries:
        problems += differences(query)
        non_empty += bool(FilterForm(QueryDict(query)).index_mask().any())
    return {"compared": len(queries), "non_empty": non_empty, "problems": problems}


@pytest.fixture
def shipped_with_search_text(db):
    refresh_search_text()


def test_counts_order_and_marks_equal_sql_on_the_shipped_data(shipped_with_search_text):
    result = compare(200, rng_seed=19)
    assert result["problems"] == []
    # The combinations are not all empty (a comparison of nothing with nothing proves nothing).
    assert result["non_empty"] > result["compared"] // 3


def test_search_and_facets_together(shipped_with_search_text):
    """A search narrows every facet's counts; combined with a facet filter the counts are SQL's."""
    everything = FilterForm(QueryDict("")).index_facets()
    searched = FilterForm(QueryDict("q=奥特曼"))
    counts = searched.index_facets()
    assert 0 < searched.count_from(counts) < FilterForm(QueryDict("")).count_from(everything)
    assert differences("q=奥特曼") == []
    era = max(counts["era"], key=counts["era"].get)
    slug = next(e.slug for e in FilterForm(QueryDict("")).choices.eras.values() if e.pk == era)
    assert differences(f"q=奥特曼&era={slug}") == []
    assert differences("q=altman&sort=relevance&kind=quote") == []


def test_unpublished_items_are_never_in_the_index(shipped_with_search_text):
    """A draft and an item in review with a topic and a person of their own: not in the index, and
    neither their topic nor their person is counted anywhere, searched or not."""
    tag = Tag.objects.create(slug="draft-only-topic", name_en="Draft-only topic", name_zh="草稿话题")
    person = Entity.objects.create(slug="draft-only-person", kind="person", name_en="Draft Person",
                                   name_zh="草稿人")
    hidden = []
    for status in (Status.DRAFT, Status.REVIEW):
        item = make_item(slug=f"hidden-{status}", status=status, title_en="Altman hidden draft")
        item.tags.add(tag)
        item.people.add(person)
        hidden.append(item.pk)
    refresh_search_text()
    index = facet_index.current()
    assert not set(hidden) & set(index.position)
    assert index.size == Item.objects.published().count()
    for query in ("", "q=altman", "q=hidden draft"):
        raw = FilterForm(QueryDict(query)).index_facets()
        assert tag.pk not in raw["tag"] and person.pk not in raw["person"]
        assert differences(query) == []


def test_a_write_changes_the_counts_on_the_next_request(client, live_data):
    """Outside a test transaction the index is kept between requests; publishing, unpublishing and
    making an item a key moment each show in the very next page, and an edit of a card's text alone
    keeps the index."""
    client.cookies["render"] = "1"  # past the response cache: every request renders
    events = Item.objects.published().filter(kind="event").count()
    keys = Item.objects.published().filter(importance=3).count()
    assert f"Event ({events})" in text_of(client.get("/"))
    kept = facet_index.current()
    assert client.get("/?kind=quote").status_code == 200 and facet_index.current() is kept

    item = make_item(slug="published-just-now", status=Status.PUBLISHED)
    assert f"Event ({events + 1})" in text_of(client.get("/"))
    assert facet_index.current() is not kept

    Item.objects.filter(pk=item.pk).update(status=Status.DRAFT)
    assert f"Event ({events})" in text_of(client.get("/"))

    one = Item.objects.published().filter(kind="event", importance__lt=3).order_by("pk").first()
    kept = facet_index.current()
    Item.objects.filter(pk=one.pk).update(summary_en="Only what its card says changes.")
    assert facet_index.current() is kept  # a content-only edit moves the item's version, not the structure
    Item.objects.filter(pk=one.pk).update(importance=3)
    assert f"Key moments only ({keys + 1})" in text_of(client.get("/"))
    assert facet_index.current() is not kept
    cache.clear()


def test_counts_equal_sql_on_a_synthetic_database(tmp_path):
    """3,000 synthetic items (about 4% drafts or in review, a long tail of people and sources), in a
    database of their own and a separate process: 200 random filter sets give SQL's answers."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.pop("DATABASE_URL", None)
    env.update(TIMELINE_VAR_DIR=str(tmp_path / "var"), DJANGO_SECRET_KEY="facet-index-test",
               DJANGO_SETTINGS_MODULE="timeline.settings")
    target = tmp_path / "synthetic.sqlite3"
    seeded = subprocess.run(
        [sys.executable, "manage.py", "seed_synthetic", "--items", "3000", "--sqlite", str(target)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    assert seeded.returncode == 0, seeded.stderr
    script = (
        "import django, json; django.setup(); from tests.test_facet_index import compare; "
        "from timeline.models import Item; "
        "print(json.dumps({**compare(200, rng_seed=2026), 'drafts': Item.objects.exclude(status='published').count()}))"
    )
    ran = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env={**env, "DATABASE_URL": f"sqlite:///{target}"},
                         capture_output=True, text=True, timeout=300)
    assert ran.returncode == 0, ran.stderr
    result = json.loads(ran.stdout.strip().splitlines()[-1])
    assert result["drafts"] > 50
    assert result["problems"] == []
    assert result["non_empty"] > result["compared"] // 3


def test_a_filter_sets_answers_are_kept_until_the_structure_changes(client, live_data, monkeypatch, settings):
    """Outside a transaction, what the index answers for a filter set (its counts, a page's ids and
    the axis marks) is computed once per structure version and then read from the cache; a write
    that changes the structure shows in the very next request, and the same page then equals the
    one SQL answers (``TIMELINE_FACET_INDEX`` off)."""
    client.cookies["render"] = "1"  # past the response cache: every request renders
    calls = []
    for name in ("index_facets", "index_rows", "index_marks"):
        original = getattr(FilterForm, name)

        def spy(self, *args, _original=original, _name=name, **kwargs):
            calls.append(_name)
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(FilterForm, name, spy)
    era = Item.objects.published().filter(kind="event").values_list("era__slug", flat=True).first()
    url = f"/?era={era}"
    events = Item.objects.published().filter(kind="event", era__slug=era).count()
    first = text_of(client.get(url))
    assert f"Event ({events})" in first
    assert sorted(set(calls)) == ["index_facets", "index_marks", "index_rows"]
    calls.clear()
    assert text_of(client.get(url)) == first and calls == []  # all three from the cache

    sibling = Item.objects.published().filter(era__slug=era).first()
    item = make_item(slug="published-into-the-era", status=Status.PUBLISHED, era=sibling.era, date=sibling.date_edtf)
    assert item.era_id == sibling.era_id
    after = text_of(client.get(url))
    assert f"Event ({events + 1})" in after
    assert "index_facets" in calls
    settings.TIMELINE_FACET_INDEX = False
    cache.clear()
    assert text_of(client.get(url)) == after
    cache.clear()


def test_masks_are_shared_per_set_of_filters_and_read_only(shipped_with_search_text):
    """With one filter active, every facet but that filter's own counts under the same mask: one
    array (read-only, so no caller can change another's), equal to the AND of the filters."""
    form = FilterForm(QueryDict("q=奥特曼&kind=event"))
    index = form.index
    shared = form.index_mask(exclude=("era",))
    assert form.index_mask(exclude=("person",)) is shared and form.index_mask() is shared
    assert not shared.flags.writeable
    assert (shared == (index.of_pks(form.search_pks()) & index.having("kind", ["event"]))).all()
    own = form.index_mask(exclude=("kind",))
    assert own is not shared and (own == index.of_pks(form.search_pks())).all()
    unfiltered = FilterForm(QueryDict(""))
    assert unfiltered.index_mask() is unfiltered.index.everything
    assert differences("q=奥特曼&kind=event") == []


def _first_in_an_era():
    return Item.objects.published().filter(era__isnull=False, tags__isnull=False).order_by("date_start", "pk").first()


def _unpublish(item):
    Item.objects.filter(pk=item.pk).update(status=Status.DRAFT)


def _untag(item):
    item.tags.remove(*item.tags.all())


def _redate(item):
    Item.objects.filter(pk=item.pk).update(date_edtf="1999", date_start="1999-01-01", date_end="1999-12-31")


def _delete(item):
    Item.objects.filter(pk=item.pk).delete()


@pytest.mark.parametrize("change", [_unpublish, _untag, _redate, _delete], ids=lambda f: f.__name__.strip("_"))
def test_a_write_that_takes_an_item_out_of_a_cached_filter_set_shows_at_once(client, live_data, monkeypatch, change):
    """The answers kept per filter set and index version (counts, page ids, axis marks) are read from
    the cache on a repeat; unpublishing, untagging, re-dating out of the window or deleting one of its
    items shows in the very next request: the item gone from the page and the count down by one."""
    client.cookies["render"] = "1"  # past the response cache: every request renders
    calls = []
    original = FilterForm.index_rows

    def spy(self, *args, **kwargs):
        calls.append("index_rows")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(FilterForm, "index_rows", spy)
    item = _first_in_an_era()
    tag = item.tags.order_by("pk").first()
    url = f"/?era={item.era.slug}&tag={tag.slug}&from={item.date_start.year}&to={item.date_end.year}"

    def listed(html):
        return re.findall(r'<li id="item-([^"]+)" class="item', html), int(
            re.search(r'class="summary-line"[^>]*>\s*(\d+) item', html).group(1))

    before = client.get(url).content.decode()
    slugs, count = listed(before)
    assert item.slug in slugs and count >= 1
    calls.clear()
    assert client.get(url).content.decode() == before and calls == []  # the page's ids from the cache

    change(item)
    slugs_after, count_after = listed(client.get(url).content.decode())
    assert calls == ["index_rows"]  # the structure version moved: recomputed, not the cached ids
    assert item.slug not in slugs_after
    assert count_after == count - 1
    assert set(slugs_after) == set(slugs) - {item.slug}
    cache.clear()


@pytest.mark.postgres
@pytest.mark.parametrize("style", ["SQL, DMY", "German", "Postgres, MDY"])
def test_dates_are_read_whatever_the_sessions_datestyle(shipped_with_search_text, style):
    """The index and the axis marks read dates as text; on PostgreSQL a cast to text follows the
    session's DateStyle (``01/01/2005`` under "SQL, DMY"), which a server or a role may set: both read
    ISO text however the session is set (found by review: a non-ISO DateStyle made every page fail)."""
    from django.db import connection

    from timeline.views.pages import mark_items

    expected = facet_index.FacetIndex("iso")
    published = list(Item.objects.published().order_by("pk").values_list("pk", flat=True)[:20])
    iso_marks = mark_items(published)
    with connection.cursor() as cursor:
        cursor.execute(f"SET DateStyle TO '{style}'")
    try:
        index = facet_index.FacetIndex(style)
        assert index.starts.tolist() == expected.starts.tolist() and index.ends.tolist() == expected.ends.tolist()
        assert index.dates.keys == expected.dates.keys
        assert mark_items(published) == iso_marks
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET DateStyle TO 'ISO, MDY'")


def test_ids_map_to_positions_the_same_with_or_without_the_lookup_table(shipped_with_search_text):
    """``of_pks`` finds a pk's position through a table indexed by pk where the pks are dense, else by
    a binary search: both give the same mask, for published, unpublished, unknown, negative and huge ids."""
    index = FilterForm(QueryDict("")).index
    assert index._position_of is not None  # the shipped pks are dense
    draft = make_item(slug="a-draft-among-the-ids", status=Status.DRAFT)
    rng = random.Random(19)
    published = [int(pk) for pk in index.pks]
    for _ in range(30):
        pks = rng.sample(published, rng.randint(0, len(published)))
        pks += [draft.pk, -1, 0, int(index.pks.max()) + 1, 2**40][: rng.randint(0, 5)]
        rng.shuffle(pks)
        with_table = index.of_pks(pks)
        table, index._position_of = index._position_of, None
        try:
            searched = index.of_pks(pks)
        finally:
            index._position_of = table
        assert (with_table == searched).all()
        assert set(index.pks[with_table].tolist()) == set(pks) & set(published)


@pytest.mark.parametrize("query", ["q=奥特曼", "kind=event", "q=altman&from=2023", ""])
def test_cached_counts_equal_the_computed_ones(shipped_with_search_text, query):
    """Facet counts kept in the cache (the time axis's rows packed as ordinals) come back equal to the
    counts computed, dates as dates."""
    cache.clear()
    computed = FilterForm(QueryDict(query)).index_facets()
    first = FilterForm(QueryDict(query)).facet_counts(Item.objects.published())
    cached = FilterForm(QueryDict(query)).facet_counts(Item.objects.published())
    assert first == computed and cached == computed
    assert computed["dates"] and all(type(row[0]) is type(row[1]) is type(computed["dates"][0][0])
                                     for row in cached["dates"])
    cache.clear()


def test_only_the_listed_facet_values_are_labelled_and_they_are_the_same(shipped_with_search_text):
    """``shown_facets`` with a limit keeps of the full list what the page kept before it cut the list
    itself (the first values plus selected ones beyond them) and counts the rest."""
    from timeline.views.pages import FACET_LIMIT

    rng = random.Random(7)
    form = FilterForm(QueryDict(""))
    days = sorted({str(day) for day in Item.objects.published().values_list("date_start", flat=True)})
    for _ in range(40):
        query = random_query(rng, form, days)
        for limit in (1, 3, FACET_LIMIT):
            form_ = FilterForm(QueryDict(query))
            raw = form_.facet_counts(Item.objects.published())
            full = form_.facets(raw, "en")
            for param, (kept, hidden) in form_.shown_facets(raw, "en", limit).items():
                expected = [value for index, value in enumerate(full[param]) if index < limit or value.selected]
                assert kept == expected and hidden == len(full[param]) - len(expected), (query, param)
