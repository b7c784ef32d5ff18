"""Re-importing changed text keeps citations honest: moved when certain, flagged when not."""

import hashlib

import pytest
import yaml

from tests.factories import cite, make_item
from tests.test_ingest_pipeline import SOURCES, copy_source
from timeline.ingest.pipeline import import_file
from timeline.models import Citation, Passage

pytestmark = pytest.mark.django_db
ARTICLE = "003_ce7abde17486f85c"
KEY = "q-star-exposed"
RAW = (SOURCES / f"{ARTICLE}.txt").read_text(encoding="utf-8")
SENTENCE = "Q-Learning 可以追溯到1989年"


def reimport(tmp_path, text: str):
    [result] = import_file(copy_source(tmp_path, ARTICLE, text=text.encode()))
    return result


def cited_item(slug, exact):
    passage = next(p for p in Passage.objects.filter(source__key=KEY) if exact in p.text)
    return cite(make_item(slug=slug, status="draft"), passage, exact)


def test_an_inserted_paragraph_moves_citations_by_quote_and_keeps_them_exact(tmp_path):
    """Every later passage shifts by one ordinal; the quote is found verbatim in its new place."""
    citation = cited_item("c1", SENTENCE)
    old_ordinal = citation.passage.ordinal
    text = RAW.replace("三种猜测\n", "三种猜测\n编者补充的一段新文字，用来测试重新定位。\n", 1)
    result = reimport(tmp_path, text)
    citation.refresh_from_db()
    assert citation.status == "exact"
    assert citation.passage.ordinal == old_ordinal + 1
    assert citation.passage.text[citation.start : citation.end] == SENTENCE
    assert any("c1" in line and "exact (by quote" in line for line in result.citations)


def test_a_reworded_sentence_becomes_fuzzy_not_silently_exact(tmp_path):
    citation = cited_item("c2", SENTENCE)
    text = RAW.replace("Q-Learning 可以追溯到1989年", "Q-Learning 最早可以追溯到1989年", 1)
    result = reimport(tmp_path, text)
    citation.refresh_from_db()
    assert citation.status == "fuzzy" and citation.verified_at is None
    assert "最早" in citation.passage.text[citation.start : citation.end]
    assert any("fuzzy (by fuzzy" in line for line in result.citations)


def test_a_deleted_sentence_leaves_an_orphan_that_keeps_its_text(tmp_path):
    citation = cited_item("c3", SENTENCE)
    paragraph = next(line for line in RAW.splitlines() if SENTENCE in line)
    result = reimport(tmp_path, RAW.replace(paragraph + "\n", "", 1))
    citation.refresh_from_db()
    assert citation.status == "orphan"
    assert citation.exact == SENTENCE  # what was lost stays visible to editors
    assert any("orphan" in line for line in result.citations)


def test_unchanged_citations_stay_put(tmp_path):
    citation = cited_item("c4", SENTENCE)
    before = (citation.passage_id, citation.start, citation.end, citation.verified_at)
    text = RAW.replace("三种猜测\n", "三种猜想\n", 1)  # another paragraph changes
    reimport(tmp_path, text)
    citation.refresh_from_db()
    assert (citation.passage_id, citation.start, citation.end, citation.verified_at) == before
    assert Citation.objects.filter(status="exact", pk=citation.pk).exists()


def test_manifest_copy_keeps_the_shipped_hash_honest():
    manifest = yaml.safe_load((SOURCES / f"{ARTICLE}.yaml").read_text(encoding="utf-8"))
    assert manifest["sha256"] == hashlib.sha256((SOURCES / f"{ARTICLE}.txt").read_bytes()).hexdigest()


def test_one_reworded_paragraph_counts_one_changed_text_and_the_rest_as_shifted(tmp_path):
    """A longer sentence shifts every later passage's offsets; only one passage's text changed, and the
    report says so instead of calling every shifted passage "changed"."""
    import_file(SOURCES / f"{ARTICLE}.txt")
    result = reimport(tmp_path, RAW.replace(SENTENCE, "Q-Learning 最早可以追溯到1989年", 1))
    assert result.passages_updated == 1
    later = Passage.objects.filter(source__key=KEY).count() - next(
        p.ordinal for p in Passage.objects.filter(source__key=KEY) if "最早" in p.text
    )
    assert result.passages_shifted == later > 0
    assert f"passages: 1 with changed text, {later} only shifted (same text, other offsets)" in result.describe()


def test_an_orphan_is_reported_as_gone_without_a_placeholder_range(tmp_path):
    citation = cited_item("c5", SENTENCE)
    paragraph = next(line for line in RAW.splitlines() if SENTENCE in line)
    result = reimport(tmp_path, RAW.replace(paragraph + "\n", "", 1))
    [line] = [line for line in result.citations if "c5" in line]
    assert f"the cited words “{SENTENCE}”" in line and "are gone from the new text" in line
    assert "snapshot of the passage as last verified" in line
    assert "→ ¶" not in line and "score" not in line
    assert Citation.objects.get(pk=citation.pk).status == "orphan"
