"""Imports keep their write transaction short (issue 12, finding 2): the passage diff and the fuzzy
re-anchoring of citations are planned before the write transaction opens, and the transaction applies the
plan only if the source, its passages and its citations are still as planned. If another writer got in
between, the plan is made again; a plan is never applied stale, and a source that keeps changing is
refused with a message, writing nothing.

The race is made deterministic: the other writer (an editor moving a citation, another import) runs in
the window between planning and writing, by wrapping the real ``plan_import``.
"""

import pytest
from django.db import connection

from tests.factories import cite, make_item
from tests.test_ingest_pipeline import copy_source
from tests.test_ingest_reanchor import ARTICLE, KEY, RAW, SENTENCE
from timeline.ingest import pipeline, reanchor
from timeline.ingest.errors import IngestError
from timeline.ingest.pipeline import import_file
from timeline.models import Citation, Item, Passage, Source

pytestmark = pytest.mark.django_db

INSERTED = "三种猜测\n编者补充的一段新文字，用来测试重新定位。\n"
REWORDED = RAW.replace(SENTENCE, "Q-Learning 最早可以追溯到1989年", 1)


def cited(slug, exact=SENTENCE):
    passage = next(p for p in Passage.objects.filter(source__key=KEY).order_by("ordinal") if exact in p.text)
    return cite(make_item(slug=slug, status="draft"), passage, exact)


def reimport(tmp_path, text):
    [result] = import_file(copy_source(tmp_path, ARTICLE, text=text.encode()))
    return result


def depth() -> int:
    return len(connection.atomic_blocks)


def test_fuzzy_matching_runs_before_the_write_transaction_and_the_writes_inside_it(tmp_path, monkeypatch):
    outside = depth()  # the test's own transaction
    seen = {"find": [], "apply": []}
    find, apply = reanchor.find_anchor, pipeline.apply_anchors

    def spying_find(*args, **kwargs):
        seen["find"].append(depth())
        return find(*args, **kwargs)

    def spying_apply(*args, **kwargs):
        seen["apply"].append(depth())
        return apply(*args, **kwargs)

    monkeypatch.setattr(reanchor, "find_anchor", spying_find)
    monkeypatch.setattr(pipeline, "apply_anchors", spying_apply)
    citation = cited("plan-1")
    result = reimport(tmp_path, REWORDED)
    citation.refresh_from_db()
    assert citation.status == "fuzzy" and "最早" in citation.passage.text[citation.start : citation.end]
    assert any("plan-1" in line for line in result.citations)
    assert seen["find"] and set(seen["find"]) == {outside}  # no transaction of the import's own was open
    assert seen["apply"] and all(level > outside for level in seen["apply"])


def _with_writer_between(monkeypatch, writer, times=1):
    """Run ``writer()`` right after each of the first ``times`` plans is made (another writer's commit)."""
    real = pipeline.plan_import
    calls = {"plans": 0}

    def plan_then_race(*args, **kwargs):
        plan = real(*args, **kwargs)
        calls["plans"] += 1
        if calls["plans"] <= times:
            writer()
        return plan

    monkeypatch.setattr(pipeline, "plan_import", plan_then_race)
    return calls


def test_an_editor_moving_a_citation_meanwhile_makes_the_plan_start_again(tmp_path, monkeypatch):
    citation = cited("plan-2")
    passage = citation.passage
    other = "1989年"  # the editor narrows the citation while the import is being planned
    start = passage.text.index(SENTENCE) + SENTENCE.index(other)

    def editor_narrows():
        fresh = Citation.from_span(item=citation.item, passage=passage, start=start, end=start + len(other))
        Citation.objects.filter(pk=citation.pk).update(
            start=fresh.start, end=fresh.end, exact=fresh.exact, prefix=fresh.prefix, suffix=fresh.suffix
        )

    calls = _with_writer_between(monkeypatch, editor_narrows)
    text = RAW.replace("三种猜测\n", INSERTED, 1)
    result = reimport(tmp_path, text)
    assert calls["plans"] == 2  # the first plan was thrown away
    citation.refresh_from_db()
    # The editor's narrowed citation was re-anchored (not the stale plan's whole sentence).
    assert citation.exact == other and citation.status == "exact"
    assert citation.passage.ordinal == passage.ordinal + 1
    assert citation.passage.text[citation.start : citation.end] == other
    assert any("plan-2" in line for line in result.citations)


def test_another_import_meanwhile_is_not_overwritten_by_a_stale_plan(tmp_path, monkeypatch):
    citation = cited("plan-3")
    ordinal = citation.passage.ordinal

    def another_import():
        # A first re-import lands meanwhile: a paragraph inserted at the top moves everything down one.
        other_dir = tmp_path / "other"
        other_dir.mkdir()
        with monkeypatch.context() as inner:
            inner.setattr(pipeline, "plan_import", real_plan)
            import_file(copy_source(other_dir, ARTICLE, text=RAW.replace("三种猜测\n", INSERTED, 1).encode()))

    real_plan = pipeline.plan_import
    calls = _with_writer_between(monkeypatch, another_import)
    version_before = Source.objects.get(key=KEY).version
    # Our import, planned against the original text, rewords the sentence.
    result = reimport(tmp_path, REWORDED.replace("三种猜测\n", INSERTED, 1))
    assert calls["plans"] == 2
    citation.refresh_from_db()
    assert citation.status == "fuzzy" and citation.passage.ordinal == ordinal + 1
    assert "最早" in citation.passage.text[citation.start : citation.end]
    assert Source.objects.get(key=KEY).version == version_before + 2  # both imports, one after the other
    assert result.status == "updated"


def test_a_source_that_keeps_changing_is_refused_and_nothing_is_written(tmp_path, monkeypatch):
    citation = cited("plan-4")
    item_version = Item.objects.get(pk=citation.item_id).version

    def editor_saves_the_source():
        Source.objects.filter(key=KEY).update(version=Source.objects.get(key=KEY).version + 1)

    calls = _with_writer_between(monkeypatch, editor_saves_the_source, times=99)
    before = list(Passage.objects.filter(source__key=KEY).order_by("ordinal").values_list("text", flat=True))
    with pytest.raises(IngestError, match="kept changing while the import was being prepared"):
        reimport(tmp_path, RAW.replace("三种猜测\n", INSERTED, 1))
    assert calls["plans"] == pipeline.PLAN_ATTEMPTS
    after = list(Passage.objects.filter(source__key=KEY).order_by("ordinal").values_list("text", flat=True))
    assert after == before
    moved = Citation.objects.get(pk=citation.pk)
    assert (moved.passage_id, moved.start, moved.end) == (citation.passage_id, citation.start, citation.end)
    assert Item.objects.get(pk=citation.item_id).version == item_version
