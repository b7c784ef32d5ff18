"""The unseen-news date corpus: its size and split, and the extractor on its development parts.

Development data: the development part, and the first five held-out sets, each read (and its misses' classes
fixed) after it had been scored once. The fourth set has two contexts whose labels we read differently from its
writer (listed in ``FOURTH_SET_LABEL_DISAGREEMENTS``, with the reason); they are asserted as they stand, not
relabelled. The fifth set (scored once at 359/401 after the round-five rules were frozen) has no label we read
differently now (``FIFTH_SET_LABEL_DISAGREEMENTS`` is empty; its two closest calls are noted there). The sixth
set (scored once at 301/311 after the round-six rules were frozen) is development data since, kept at or above
95% with no false positive, and so is the seventh (scored once at 216/228 with 3 false positives after the
round-seven rules were frozen; round eight fixed its misses' classes), and the eighth (scored once at 214/227 with 5
false positives after the round-eight rules were frozen; round nine fixed its misses' classes), and the ninth (scored
once at 293/316 with 13 wrong and 0 false positives after the round-nine rules were frozen; round ten fixed its
misses' classes), and the tenth (scored once at 291/292 with 1 wrong and 1 false positive after the round-ten rules
were frozen; round eleven fixed both misses' classes). The eleventh held-out set is added after the round-eleven
rules were frozen (at a commit named in its history); its whole-set check (at least 95% exact, no false positive, ahead of dateparser) runs as soon as its file
exists and is skipped only while it is absent. The rules are never tuned on it: the check records the frozen
rules' score, once.
"""

import datetime
import json
import runpy
from pathlib import Path

import pytest

from timeline.benchmarks.dates import Prediction, misses, run, score
from timeline.ingest.extract_dates import extract_dates

DATA = Path(__file__).parent / "data"
DEV = DATA / "date_corpus_unseen.jsonl"
HELD_OUT = DATA / "date_corpus_unseen_heldout.jsonl"
# Written by someone else after the round-two rules were committed; scored once at the end of round two and
# development data since (its misses were read and their classes fixed).
HELD_OUT_2 = DATA / "date_corpus_unseen_heldout2.jsonl"
# Written by someone else during round three, opened after its rules were committed; scored once at the end
# of round three (176/187) and development data since (round four fixed its misses' classes).
HELD_OUT_3 = DATA / "date_corpus_unseen_heldout3.jsonl"
# Written by someone else, added after the round-four rules were frozen; scored once (331/362) and development
# data since (round five fixed its misses' classes).
HELD_OUT_4 = DATA / "date_corpus_unseen_heldout4.jsonl"
# Written by someone else, added after the round-five rules were frozen; scored once (359/401) and development
# data since (round six fixed its misses' classes).
HELD_OUT_5 = DATA / "date_corpus_unseen_heldout5.jsonl"
# Written by someone else while the round-six rules were developed, added after they were frozen; scored once
# (301/311, 0 false positives) and development data since (round seven).
HELD_OUT_6 = DATA / "date_corpus_unseen_heldout6.jsonl"
# Written by someone else while the round-seven rules were developed, added after they were frozen; scored once
# (216/228, 7 wrong, 3 false positives) and development data since (round eight).
HELD_OUT_7 = DATA / "date_corpus_unseen_heldout7.jsonl"
# Written by someone else, added after the round-eight rules were frozen; scored once (214/227, 7 wrong, 5 false
# positives) and development data since (round nine).
HELD_OUT_8 = DATA / "date_corpus_unseen_heldout8.jsonl"
# Written by someone else, added after the round-nine rules were frozen; scored once (293/316, 13 wrong, 0 false
# positives) and development data since (round ten fixed its misses' classes).
HELD_OUT_9 = DATA / "date_corpus_unseen_heldout9.jsonl"
# Written by someone else, added after the round-ten rules were frozen; scored once (291/292, 1 wrong, 1 false
# positive) and development data since (round eleven fixed its misses' classes).
HELD_OUT_10 = DATA / "date_corpus_unseen_heldout10.jsonl"
# Written by someone else, added after the round-eleven rules were frozen; never tuned on.
HELD_OUT_11 = DATA / "date_corpus_unseen_heldout11.jsonl"
DEVELOPMENT_SETS = (DEV, HELD_OUT, HELD_OUT_2, HELD_OUT_3, HELD_OUT_4, HELD_OUT_5)
# Contexts of the fourth set whose label we read differently (note -> (hits, wrong, false positives) as the
# extractor scores them, and why). Not relabelled to score: the writer's reading is kept in the file.
FOURTH_SET_LABEL_DISAGREEMENTS = {
    # "investigations opened last March" in an article of 23 April 2025 is labelled March 2024 (the sentence
    # goes on "just weeks after ... 7 March 2024"); "last March" alone is the most recent March, 2025.
    "h4-27-ft-eu-dma-fines #2 (en)": (2, 1, 0),
    # (Round ten: "in fiscal 2025, which ends Jan. 31, 2025" is labelled the year 2025, and so are the ninth set's
    # "in fiscal 2024" and "in fiscal 2020" -- every label names a fiscal year by its year, so it is reported so.)
}
# Contexts of the fifth set whose label we read differently: none. The closest calls, read as labelled:
# "115年前可望出現…" in 2025 is "before the Minguo year 115 (2026)", not "115 years ago" (a deadline word follows);
# "ended last Monday" on Tuesday 12 November 2024 is the Monday of the week before (4 November), as every
# "last <weekday>" in the corpora is labelled, not the day before.
FIFTH_SET_LABEL_DISAGREEMENTS: dict[str, tuple[int, int, int]] = {}
LABEL_DISAGREEMENTS = {**FOURTH_SET_LABEL_DISAGREEMENTS, **FIFTH_SET_LABEL_DISAGREEMENTS}


def _load(path):
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def test_corpus_size_and_split():
    """At least 120 expressions in 25 articles, 40 non-date numbers; a third of the articles held out."""
    dev, held = _load(DEV), _load(HELD_OUT)
    rows = dev + held
    articles = {r["article"] for r in rows}
    assert len(articles) >= 25
    assert sum(len(r["expected"]) for r in rows) >= 120
    assert sum(len(r["non_dates"]) for r in rows) >= 40
    held_articles = {r["article"] for r in held}
    assert not held_articles & {r["article"] for r in dev}
    # The first round's split: a third of its 32 articles. Round two's articles (a33 on) are development.
    first_round = {a for a in articles if int(a[1:].split("-")[0]) <= 32}
    assert held_articles <= first_round and len(held_articles) * 3 >= len(first_round) - 2


def test_files_match_their_source():
    """The JSONL files are what tests/data/corpus_src/unseen_articles.py writes (labels live in one place)."""
    module = runpy.run_path(str(DATA / "corpus_src" / "unseen_articles.py"))
    rows = list(module["records"](module["ARTICLES"]))
    assert [r for r in rows if not module["held_out"](r["article"])] == _load(DEV)
    assert [r for r in rows if module["held_out"](r["article"])] == _load(HELD_OUT)


@pytest.mark.parametrize(
    "record", [r for path in DEVELOPMENT_SETS if path.is_file() for r in _load(path)], ids=lambda r: r["note"]
)
def test_development_context(record):
    """Every development context (the development part and the five held-out sets read since): each
    expected date exact, nothing reported on a non-date number; the fourth set's two label disagreements as
    they stand (still no false positive)."""
    reference = datetime.date.fromisoformat(record["ref"])
    predictions = [
        Prediction(m.start, m.end, m.date, m.precision)
        for m in extract_dates(record["context"], reference=reference)
    ]
    tally = score(record["context"], record["expected"], predictions)
    want = LABEL_DISAGREEMENTS.get(record["note"], (len(record["expected"]), 0, 0))
    assert (tally.hits, tally.wrong, tally.false_positives) == want


def test_the_fourth_set_is_development_data_at_99_percent():
    """The fourth set as a whole: 361 of 362 exact (99.7%), no false positive; the miss is the label
    disagreement above (round ten reports "fiscal 2025" as its year, as every label does)."""
    if not HELD_OUT_4.is_file():
        pytest.skip(f"{HELD_OUT_4.name} has not been added")
    ours, _ = run(HELD_OUT_4)
    assert (ours["expected"], ours["exact_hits"], ours["false_positives"]) == (362, 361, 0)
    # the --misses listing names exactly those contexts, with what was expected and what was found
    listed = misses(HELD_OUT_4)
    assert {m["note"] for m in listed} == set(FOURTH_SET_LABEL_DISAGREEMENTS)
    last_march = next(m for m in listed if "dma-fines" in m["note"])
    assert ("last March", "2024-03", "month") in last_march["expected"]
    assert ("last March", "2025-03", "month") in last_march["predicted"]


def test_the_fifth_set_is_development_data_at_100_percent():
    """The fifth set as a whole: 401 of 401 exact, no false positive (it was 359 when it was scored held out),
    and ``--misses`` lists nothing."""
    if not HELD_OUT_5.is_file():
        pytest.skip(f"{HELD_OUT_5.name} has not been added")
    ours, theirs = run(HELD_OUT_5)
    assert (ours["expected"], ours["exact_hits"], ours["false_positives"]) == (401, 401, 0)
    assert theirs["exact_hits"] < ours["exact_hits"]
    assert {m["note"] for m in misses(HELD_OUT_5)} == set(FIFTH_SET_LABEL_DISAGREEMENTS)


@pytest.mark.parametrize(
    ("path", "expressions"),
    # When each was scored held out: the sixth 301/311 with no false positive, the seventh 216/228 with 3, the
    # eighth 214/227 with 5, the ninth 293/316 with none, the tenth 291/292 with 1, the eleventh 269/278 with none (the
    # issue's target, met when it was scored once against the frozen rules at a0d56d2).
    [(HELD_OUT_6, 311), (HELD_OUT_7, 228), (HELD_OUT_8, 227), (HELD_OUT_9, 316), (HELD_OUT_10, 292),
     (HELD_OUT_11, 278)],
    ids=lambda value: value.name if isinstance(value, Path) else str(value),
)
def test_a_later_set_scores_95_percent_or_more(path, expressions):
    """The sixth to tenth sets (development data since) and the eleventh (held out, scored once against the
    frozen round-eleven rules) as a whole: every labelled expression scored, at least 95% exact, no false
    positive, ahead of plain dateparser."""
    if not path.is_file():
        pytest.skip(f"{path.name} has not been added")
    ours, theirs = run(path)
    labelled = sum(len(r["expected"]) for r in _load(path))
    assert ours["expected"] == theirs["expected"] == labelled
    if expressions is None:
        assert labelled >= 120
    else:
        assert labelled == expressions
    assert ours["false_positives"] == 0
    assert ours["exact_hits"] >= 0.95 * ours["expected"]
    assert theirs["exact_hits"] < ours["exact_hits"]


def test_benchmark_reads_the_unseen_corpus():
    ours, theirs = run(DEV)
    assert ours["expected"] == theirs["expected"] == sum(len(r["expected"]) for r in _load(DEV))
    assert ours["false_positives"] == 0


@pytest.mark.parametrize(
    "path",
    [HELD_OUT_2, HELD_OUT_3, HELD_OUT_4, HELD_OUT_5, HELD_OUT_6, HELD_OUT_7, HELD_OUT_8, HELD_OUT_9, HELD_OUT_10,
     HELD_OUT_11],
    ids=lambda p: p.name,
)
def test_later_held_out_sets_are_well_formed_and_unseen(path):
    """The later held-out sets: labelled like the others, their own articles, every expected text in its
    context.

    Skipped while a set's file has not been added (the eleventh, before its rules are frozen)."""
    if not path.is_file():
        pytest.skip(f"{path.name} has not been added yet")
    rows = _load(path)
    assert rows
    others = [
        p
        for p in (DEV, HELD_OUT, HELD_OUT_2, HELD_OUT_3, HELD_OUT_4, HELD_OUT_5, HELD_OUT_6, HELD_OUT_7, HELD_OUT_8,
                  HELD_OUT_9, HELD_OUT_10, HELD_OUT_11)
        if p != path and p.is_file()
    ]
    assert not {r["article"] for r in rows} & {r["article"] for p in others for r in _load(p)}
    languages = {"en" if r["context"].isascii() else "zh" for r in rows}
    assert languages == {"en", "zh"}
    for row in rows:
        datetime.date.fromisoformat(row["ref"])
        cursor = 0
        for item in row["expected"]:
            assert set(item) == {"text", "date", "precision", "approximate"}, row["note"]
            position = row["context"].find(item["text"], cursor)
            assert position >= 0, (row["note"], item["text"])
            cursor = position + len(item["text"])
            assert item["precision"] == {4: "year", 7: "month", 10: "day"}[len(item["date"])], row["note"]
        for text in row["non_dates"]:
            assert text in row["context"], (row["note"], text)


def test_the_benchmark_skips_an_absent_corpus_and_scores_a_present_one(tmp_path):
    """The eleventh held-out slot: absent, it is named as skipped; present, it gets its rows in the table."""
    from timeline.benchmarks.dates import CORPORA, available_corpora, markdown_all

    assert CORPORA[-3:] == (
        ("unseen news (ninth held-out set, development since)", HELD_OUT_9),
        ("unseen news (tenth held-out set, development since)", HELD_OUT_10),
        ("unseen news (held out, eleventh set)", HELD_OUT_11),
    )
    present = tmp_path / "present.jsonl"
    present.write_text(DEV.read_text("utf-8").splitlines()[0] + "\n", "utf-8")
    corpora = [("a present set", present), ("an absent set", tmp_path / "absent.jsonl")]
    assert available_corpora(corpora) == [("a present set", present)]
    table = markdown_all(corpora)
    assert "| a present set | ours" in table and "| a present set | plain dateparser" in table
    assert "| an absent set |" not in table and "Skipped (file absent): an absent set" in table
