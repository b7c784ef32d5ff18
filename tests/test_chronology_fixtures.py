"""Mechanical checks for the hand-written chronology fixtures in ``fixtures/chronology/``.

Pure pytest, no database. Every citation's ``exact`` span must occur verbatim in the cleaned text
of its source file in ``fixtures/sources/`` (NFC-normalised, inline pinyin glosses such as
``網(wǎng)易`` removed), the ids and cross-references must resolve, dates must be EDTF of the
shape the app accepts, and the eras must tile the timeline without gaps or overlaps.
"""

from __future__ import annotations

import calendar
import datetime
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
CHRONOLOGY = ROOT / "fixtures" / "chronology"
SOURCES = ROOT / "fixtures" / "sources"

# Source key -> file-name prefix in fixtures/sources/. The ten fisherdaddy-NN posts share file 002.
SOURCE_FILES = {
    "lianchaifu-q-star": "000_",
    "netease-openai-idealists": "001_",
    "q-star-exposed": "003_",
    **{f"fisherdaddy-{n:02d}": "002_" for n in range(1, 11)},
}
SOURCE_LANGUAGES = {
    "lianchaifu-q-star": "zh-Hans",
    "netease-openai-idealists": "zh-Hant",
    "q-star-exposed": "zh-Hans",
    **{f"fisherdaddy-{n:02d}": "zh-Hans" for n in range(1, 11)},
}

HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
# A pinyin gloss: "(...)" right after a Han character, only lowercase Latin letters, at least one
# tone-marked vowel. Requiring a tone mark keeps English glosses such as 幻觉(hallucinations) intact.
GLOSS = re.compile(rf"(?<=[{HAN}])\((?=[a-zü{TONED}]*[{TONED}])[a-zü{TONED}]+\)")
# Anything a looser cleaner might also treat as a gloss; cited spans avoid it so that they do not
# depend on which of the two rules the ingest pipeline uses.
LOOSE_GLOSS = re.compile(rf"[{HAN}]\([a-zü{TONED}]+\)")

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
EDTF = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?[~?]?(/\d{4}(-\d{2}(-\d{2})?)?[~?]?)?$")
LANGUAGES = {"zh-Hans", "zh-Hant", "en"}
ITEM_KEYS = {
    "id",
    "kind",
    "date",
    "sequence",
    "importance",
    "era",
    "title",
    "summary",
    "people",
    "organizations",
    "tags",
    "note",
    "citations",
    "quote",
}
QUOTE_KEYS = {"text", "language", "translation", "speaker", "context"}


def _load(name):
    with open(CHRONOLOGY / name, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def clean(text: str) -> str:
    return GLOSS.sub("", unicodedata.normalize("NFC", text))


@pytest.fixture(scope="module")
def sources():
    if not SOURCES.is_dir():
        pytest.skip("fixtures/sources/ is missing")
    texts = {}
    for key, prefix in SOURCE_FILES.items():
        matches = sorted(SOURCES.glob(f"{prefix}*.txt"))
        assert len(matches) == 1, f"expected one fixtures/sources/{prefix}*.txt, found {matches}"
        texts[key] = clean(matches[0].read_text(encoding="utf-8"))
    return texts


@pytest.fixture(scope="module")
def eras():
    return _load("eras.yaml")


@pytest.fixture(scope="module")
def tags():
    return _load("tags.yaml")


@pytest.fixture(scope="module")
def entities():
    return _load("entities.yaml")


@pytest.fixture(scope="module")
def items():
    return _load("items.yaml")


def _bounds(value: str) -> tuple[datetime.date, datetime.date]:
    """First and last day covered by an EDTF point or interval."""

    def point(text: str, last: bool) -> datetime.date:
        text = text.rstrip("~?")
        parts = [int(p) for p in text.split("-")]
        year = parts[0]
        month = parts[1] if len(parts) > 1 else (12 if last else 1)
        if len(parts) > 2:
            day = parts[2]
        else:
            day = calendar.monthrange(year, month)[1] if last else 1
        return datetime.date(year, month, day)

    start, _, end = value.partition("/")
    return point(start, False), point(end or start, True)


def _bilingual(value, where):
    assert isinstance(value, dict) and set(value) == {"en", "zh"}, f"{where}: needs exactly en and zh"
    assert all(isinstance(v, str) and v.strip() for v in value.values()), f"{where}: empty text"


# --- Vocabulary files ----------------------------------------------------------------------------


def test_ids_unique_and_slug_shaped(eras, tags, entities, items):
    for name, rows in (("eras", eras), ("tags", tags), ("entities", entities), ("items", items)):
        ids = [row["id"] for row in rows]
        dupes = [i for i, n in Counter(ids).items() if n > 1]
        assert not dupes, f"duplicate {name} ids: {dupes}"
        bad = [i for i in ids if not SLUG.match(i)]
        assert not bad, f"{name} ids not slug-shaped: {bad}"


def test_eras_are_contiguous_and_ordered(eras):
    assert 6 <= len(eras) <= 8
    previous_end = None
    for era in eras:
        _bilingual(era["name"], era["id"])
        _bilingual(era["description"], era["id"])
        for key in ("start", "end"):
            assert isinstance(era[key], str) and EDTF.match(era[key]), f"{era['id']}.{key}: {era[key]!r}"
            assert "/" not in era[key] and era[key][-1] not in "~?", f"{era['id']}.{key} must be exact"
        start, _ = _bounds(era["start"])
        _, end = _bounds(era["end"])
        assert start <= end, era["id"]
        if previous_end is not None:
            assert start == previous_end + datetime.timedelta(days=1), (
                f"era {era['id']} starts {start}, previous era ended {previous_end}"
            )
        previous_end = end


def test_tags(tags):
    assert 8 <= len(tags) <= 15
    for tag in tags:
        assert set(tag) == {"id", "name"}, tag["id"]
        _bilingual(tag["name"], tag["id"])


def test_entities(entities):
    for entity in entities:
        assert set(entity) == {"id", "kind", "name", "aliases"}, entity["id"]
        assert entity["kind"] in {"person", "organization", "document", "group"}, entity["id"]
        _bilingual(entity["name"], entity["id"])
        aliases = entity["aliases"]
        assert isinstance(aliases, list) and all(isinstance(a, str) and a for a in aliases), entity["id"]
        assert len(aliases) == len(set(aliases)), f"{entity['id']}: repeated alias"


# --- Items -----------------------------------------------------------------------------------------


def test_item_counts(items):
    kinds = Counter(item["kind"] for item in items)
    assert set(kinds) <= {"event", "quote"}
    assert kinds["event"] >= 60, kinds
    assert kinds["quote"] >= 25, kinds


def test_item_shape(items):
    for item in items:
        where = item.get("id", "?")
        keys = set(item)
        assert {"id", "kind", "date", "importance", "era", "title", "summary", "citations"} <= keys, where
        assert keys <= ITEM_KEYS, f"{where}: unknown keys {keys - ITEM_KEYS}"
        assert isinstance(item["date"], str) and EDTF.match(item["date"]), f"{where}: date {item['date']!r}"
        start, end = _bounds(item["date"])
        assert start <= end, where
        assert item["importance"] in (1, 2, 3), where
        _bilingual(item["title"], f"{where}.title")
        _bilingual(item["summary"], f"{where}.summary")
        if item.get("note") is not None:
            _bilingual(item["note"], f"{where}.note")
        assert item["citations"], f"{where}: no citations"
        if item["kind"] == "quote":
            assert set(item["quote"]) == QUOTE_KEYS, where
            assert item["quote"]["language"] in LANGUAGES, where
            assert isinstance(item["quote"]["translation"], str) and item["quote"]["translation"], where
            _bilingual(item["quote"]["context"], f"{where}.quote.context")
        else:
            assert "quote" not in item, f"{where}: only quote items carry a quote"


def test_references_resolve(items, eras, tags, entities):
    era_ids = {era["id"] for era in eras}
    tag_ids = {tag["id"] for tag in tags}
    kinds = {entity["id"]: entity["kind"] for entity in entities}
    for item in items:
        where = item["id"]
        assert item["era"] in era_ids, f"{where}: unknown era {item['era']!r}"
        for tag in item.get("tags", []):
            assert tag in tag_ids, f"{where}: unknown tag {tag!r}"
        for person in item.get("people", []):
            assert kinds.get(person) in {"person", "group"}, f"{where}: unknown person {person!r}"
        for org in item.get("organizations", []):
            assert kinds.get(org) in {"organization", "document"}, f"{where}: unknown organization {org!r}"
        if item["kind"] == "quote":
            assert item["quote"]["speaker"] in kinds, f"{where}: unknown speaker {item['quote']['speaker']!r}"


def test_item_dates_fall_in_their_era(items, eras):
    spans = {era["id"]: (_bounds(era["start"])[0], _bounds(era["end"])[1]) for era in eras}
    for item in items:
        start, end = _bounds(item["date"])
        era_start, era_end = spans[item["era"]]
        assert start <= era_end and end >= era_start, (
            f"{item['id']}: date {item['date']} does not overlap era {item['era']}"
        )


def test_citations_occur_in_sources(items, sources):
    problems = []
    for item in items:
        for citation in item["citations"]:
            key = citation.get("source")
            assert key in SOURCE_FILES, f"{item['id']}: unknown source {key!r}"
            assert set(citation) <= {"source", "exact", "occurrence", "translation"}, item["id"]
            exact = citation["exact"]
            assert isinstance(exact, str) and exact.strip() == exact and exact, item["id"]
            assert "\n" not in exact and "\r" not in exact, f"{item['id']}: citation spans a line break"
            assert unicodedata.normalize("NFC", exact) == exact, f"{item['id']}: not NFC"
            assert not LOOSE_GLOSS.search(exact), f"{item['id']}: span contains a Han(latin) gloss"
            count = sources[key].count(exact)
            occurrence = citation.get("occurrence")
            if occurrence is None:
                if count != 1:
                    problems.append(f"{item['id']}: found {count}x in {key}: {exact[:40]!r}")
            elif not (isinstance(occurrence, int) and 1 <= occurrence <= count and count > 1):
                problems.append(f"{item['id']}: occurrence {occurrence} but found {count}x: {exact[:40]!r}")
    assert not problems, "\n".join(problems)


def test_citations_stay_within_one_passage(items, sources):
    """The loader anchors each span inside one passage; long paragraphs are cut at sentence ends."""
    try:
        from timeline.ingest.passages import make_passages
    except ImportError:  # pragma: no cover - the app package is not importable
        pytest.skip("timeline.ingest.passages is not importable")
    problems = []
    for item in items:
        for citation in item["citations"]:
            exact = citation["exact"]
            paragraphs = [line.strip() for line in sources[citation["source"]].split("\n") if exact in line]
            if not any(exact in passage.text for line in paragraphs for passage in make_passages(line)):
                problems.append(f"{item['id']}: {exact[:40]!r} crosses a passage boundary")
    assert not problems, "\n".join(problems)


def test_quotes_match_a_citation(items):
    for item in items:
        if item["kind"] != "quote":
            continue
        exacts = [citation["exact"] for citation in item["citations"]]
        assert item["quote"]["text"] in exacts, f"{item['id']}: quote text is not one of its citations"
        quoted = [c for c in item["citations"] if c["exact"] == item["quote"]["text"]]
        languages = {SOURCE_LANGUAGES[c["source"]] for c in quoted}
        assert item["quote"]["language"] in languages, f"{item['id']}: language {item['quote']['language']}"


def test_cited_sources_predate_item_dates(items):
    """An item may not be dated after the publication of every source it cites."""
    published = {
        "lianchaifu-q-star": datetime.date(2023, 11, 30),
        "q-star-exposed": datetime.date(2023, 11, 30),
        "netease-openai-idealists": datetime.date(2024, 5, 31),
        **{f"fisherdaddy-{n:02d}": datetime.date(2025, 8, 31) for n in range(1, 11)},
    }
    for item in items:
        start, _ = _bounds(item["date"])
        latest = max(published[c["source"]] for c in item["citations"])
        assert start <= latest, f"{item['id']}: dated {item['date']} but sources end {latest}"


# Chinese text: no space between two CJK characters or after CJK punctuation (folded YAML joins
# lines with a space, which Chinese does not use). Latin words and digits may keep their spacing.
CJK = r"\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
STRAY_SPACE = re.compile(rf"[{CJK}]\s+[{CJK}]|[\u3000-\u303f\uff00-\uffef“”‘’…—]\s")


def _zh_fields(item):
    yield "title", item["title"]["zh"]
    yield "summary", item["summary"]["zh"]
    if item.get("note"):
        yield "note", item["note"]["zh"]
    if item["kind"] == "quote":
        yield "quote.context", item["quote"]["context"]["zh"]


def test_no_stray_spaces_in_chinese(items):
    problems = [
        f"{item['id']}.{field}: {text[max(0, m.start() - 6) : m.end() + 6]!r}"
        for item in items
        for field, text in _zh_fields(item)
        for m in STRAY_SPACE.finditer(text)
    ]
    assert not problems, "\n".join(problems)


def test_stray_space_rule_catches_folded_lines():
    assert STRAY_SPACE.search("仍在研究深度学习的学者。 辛顿给了他")
    assert STRAY_SPACE.search("成果， 引发")
    assert STRAY_SPACE.search("深度 学习")
    assert not STRAY_SPACE.search("2005 年，OpenAI 发布 GPT-4")


def test_every_citation_has_an_english_translation(items):
    missing = [
        f"{item['id']}: {citation['exact'][:30]!r}"
        for item in items
        for citation in item["citations"]
        if not (isinstance(citation.get("translation"), str) and citation["translation"].strip())
    ]
    assert not missing, "citations without an English translation:\n" + "\n".join(missing)


def test_a_quotes_first_citation_contains_the_quote(items):
    for item in items:
        if item["kind"] == "quote":
            assert item["quote"]["text"] in item["citations"][0]["exact"], item["id"]


def test_a_quotes_own_citation_is_translated_as_the_quote(items):
    """The item page shows both; the same Chinese words never get two different English renderings."""
    for item in items:
        if item["kind"] == "quote":
            for citation in item["citations"]:
                if citation["exact"] == item["quote"]["text"]:
                    assert citation["translation"] == item["quote"]["translation"], item["id"]


# -- faults an independent reviewer found in round two --------------------------------------------


def _item(items, slug):
    return next(item for item in items if item["id"] == slug)


def test_wolfes_two_methods_are_cited(items, sources):
    """The summary names the two methods ("data-efficient reinforcement learning plus synthetic data"):
    the source's lines that state them (the two goals right before the quoted line) are cited."""
    lines = sources["q-star-exposed"].splitlines()
    quoted = next(i for i, line in enumerate(lines) if "这两种方法结合" in line)
    goals = [lines[quoted - 2].strip(), lines[quoted - 1].strip()]
    assert "强化学习" in goals[0] and "合成生成" in goals[1]
    cited = [c["exact"] for c in _item(items, "quote-wolfe-democratising-training")["citations"]]
    assert all(goal in cited for goal in goals), goals


def test_isas_role_cites_the_sentence_that_orders_the_names(items, sources):
    """"她们分别负责 A 和 B" assigns roles in the order of the sentence just before it: that sentence is
    cited, and in it Issa comes second, i.e. the deep-research role the summary gives her."""
    text = sources["fisherdaddy-02"]
    roles = text.index("她们分别负责")
    before = text[: roles].rstrip()
    ordering = before[before.rindex("。", 0, len(before) - 1) + 1 :].strip()
    assert ordering.index("Christina") < ordering.index("Issa")
    item = _item(items, "quote-isa-tender-writing")
    cited = [c["exact"] for c in item["citations"]]
    assert any(span in ordering and "Issa" in span and "Christina" in span for span in cited), ordering
    assert "deep research" in item["summary"]["en"] and "post-training" not in item["summary"]["en"].lower()


def test_study_mode_is_not_dated_before_its_source(items):
    """The source shows Study Mode in a post of 13 August 2025 and gives no launch date: the item's
    date starts no earlier than that month (no invented start of 2025)."""
    start, end = _bounds(_item(items, "chatgpt-study-mode")["date"])
    assert (start, end) >= (datetime.date(2025, 8, 1), datetime.date(2025, 8, 1)) and end <= datetime.date(2025, 8, 31)
