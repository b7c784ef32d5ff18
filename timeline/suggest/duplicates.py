"""Duplicates before they happen: the same article under another key, the same item twice, one person
entered as two entities.

* :func:`duplicate_source` — an article with the same original URL, or whose text is nearly the same
  (character 8-gram containment on the folded text ≥ ``SOURCE_SIMILARITY``), as a stored source.
* :func:`similar_items` — items whose date overlaps, that share a person or organisation, and whose
  text (titles, summaries, quote, cited spans; Chinese or English) is similar (Dice of their word
  sets ≥ ``ITEM_SIMILARITY``, a Han character and a Latin word each counting as one word), or that cite
  the very same text. The threshold is calibrated on the labelled pairs of
  ``tests/data/duplicate_pairs.jsonl`` (true duplicates in other wording and script against related but
  different events), tuned on one half and checked on the other (``python -m timeline.benchmarks suggest``).
* :func:`mark_duplicates` — fills each candidate's ``duplicate_of`` with such items, and with the
  duplicate source when the candidate's text is found in it.
* :func:`similar_entities` — entities one of whose names equals a given name after folding script,
  middle dot, spaces, case and the order of a Latin name's parts, or differs from it by one character
  in a name of five or more.
"""

from __future__ import annotations

import datetime
import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from timeline.dates import FuzzyDateError
from timeline.models import Entity, Item, Source
from timeline.suggest.engine import parse_fuzzy
from timeline.suggest.names import fold, is_latin, name_key

SOURCE_SIMILARITY = 0.9
ITEM_SIMILARITY = 0.4
SHINGLE = 8
_WORD = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|[0-9a-z\u00df-\u024f]+")
_SPACE_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)


def _plain(text: str) -> str:
    """Folded, casefolded text without spaces or punctuation (so re-cleaning differences vanish)."""
    return _SPACE_PUNCT.sub("", fold(text or "").casefold())


def _shingles(text: str, size: int = SHINGLE) -> set[str]:
    plain = _plain(text)
    return {plain[i : i + size] for i in range(max(1, len(plain) - size + 1))} if plain else set()


def text_containment(a: str, b: str) -> float:
    """Share of the shorter text's 8-grams found in the other (1.0: one text is inside the other)."""
    sa, sb = _shingles(a), _shingles(b)
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / min(len(sa), len(sb))


def duplicate_source(*, original_url: str = "", cleaned_text: str = "", exclude_key: str = "") -> tuple[Source, str] | None:
    """A stored source that is this article already, and why; None when there is none."""
    others = Source.objects.exclude(key=exclude_key) if exclude_key else Source.objects.all()
    if original_url:
        same = others.filter(original_url=original_url).first()
        if same:
            return same, f"same original URL as source {same.key}"
    if cleaned_text:
        for source in others.only("key", "cleaned_text", "title"):
            share = text_containment(cleaned_text, source.cleaned_text)
            if share >= SOURCE_SIMILARITY:
                return source, f"{share:.0%} of its text is in source {source.key}"
    return None


def _words(text: str) -> set[str]:
    """Han characters and Latin words (digits included) of the folded, casefolded text."""
    return set(_WORD.findall(fold(text or "").casefold()))


def similarity(a: str, b: str) -> float:
    """Dice coefficient of the word sets of the folded texts (script- and case-blind).

    Words, not character bigrams: a bigram measure counts "OpenAI" six times and the letters of any two
    English texts alike, and gave related-but-different events of the same people as much similarity as
    the same event retold (see the module docstring)."""
    ba, bb = _words(a), _words(b)
    if not ba or not bb:
        return 0.0
    return 2 * len(ba & bb) / (len(ba) + len(bb))


@dataclass
class _Pooled:
    item: Item
    start: datetime.date
    end: datetime.date
    slugs: set[str]
    cited: list[str]  # plain forms of the cited spans
    words: list[set[str]]  # of titles, summaries, quote and cited spans


def item_pool(queryset=None) -> list[_Pooled]:
    """Items with what the duplicate test compares, read once (a constant number of queries)."""
    queryset = Item.objects.all() if queryset is None else queryset
    pool = []
    for item in queryset.select_related("speaker").prefetch_related("citations", "people", "organizations"):
        exacts = [citation.exact for citation in item.citations.all()]
        texts = [item.title_zh, item.summary_zh, item.title_en, item.summary_en, item.quote_text, *exacts]
        slugs = {e.slug for e in [*item.people.all(), *item.organizations.all()]}
        if item.speaker:
            slugs.add(item.speaker.slug)
        pool.append(
            _Pooled(
                item=item,
                start=item.date_start,
                end=item.date_end,
                slugs=slugs,
                cited=[_plain(text) for text in exacts],
                words=[_words(text) for text in texts if text],
            )
        )
    return pool


def _dice(a: set[str], b: set[str]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0


def match_score(
    new_range: tuple[datetime.date, datetime.date],
    new_slugs: set[str],
    new_words: list[set[str]],
    old_range: tuple[datetime.date, datetime.date],
    old_slugs: set[str],
    old_words: list[set[str]],
) -> tuple[float, list[str]]:
    """How alike a new event or quote is to an existing item (0 when the dates do not overlap, or when
    entities are given and none is shared), and the entities they share. Pure: the calibration scores
    labelled pairs with it (``timeline.benchmarks.suggest``)."""
    if old_range[1] < new_range[0] or old_range[0] > new_range[1]:
        return 0.0, []
    shared = sorted(new_slugs & old_slugs)
    if new_slugs and not shared:
        return 0.0, []
    return max((_dice(a, b) for a in new_words for b in old_words), default=0.0), shared


def pair_score(existing: dict, new: dict) -> float:
    """:func:`match_score` of two plain records ``{"date": EDTF, "entities": [slug], "texts": [str]}``."""
    old, young = parse_fuzzy(existing["date"]), parse_fuzzy(new["date"])
    return match_score(
        (young.start, young.end), set(new["entities"]), [_words(t) for t in new["texts"]],
        (old.start, old.end), set(existing["entities"]), [_words(t) for t in existing["texts"]],
    )[0]


def similar_items(
    *,
    date_edtf: str | None,
    texts: Iterable[str],
    entity_slugs: Iterable[str] = (),
    exclude_pk: int | None = None,
    pool: list[_Pooled] | None = None,
) -> list[tuple[Item, str]]:
    """Existing items that probably are the same event or quote, with why.

    The same cited text (one span inside the other, eight characters or more) is a duplicate whatever
    the date; otherwise the dates must overlap, a person or organisation must be shared (when any is
    given), and some text must be similar.
    """
    texts = [text for text in texts if text and text.strip()]
    if not texts:
        return []
    plains = [_plain(text) for text in texts]
    grams = [_words(text) for text in texts]
    slugs = set(entity_slugs)
    fuzzy = None
    if date_edtf:
        try:
            fuzzy = parse_fuzzy(date_edtf)
        except FuzzyDateError:
            fuzzy = None
    if pool is None:
        # One check (the item form): only items whose dates overlap can be similar; an undated check
        # compares with every item.
        pool = item_pool(Item.objects.between(fuzzy.start, fuzzy.end) if fuzzy else None)
    found = []
    for pooled in pool:
        if exclude_pk and pooled.item.pk == exclude_pk:
            continue
        if any(
            len(plain) >= 8 and len(cited) >= 8 and (plain in cited or cited in plain)
            for plain in plains
            for cited in pooled.cited
        ):
            found.append((pooled.item, "cites the same text"))
            continue
        if fuzzy is None:
            continue
        best, shared = match_score((fuzzy.start, fuzzy.end), slugs, grams, (pooled.start, pooled.end), pooled.slugs, pooled.words)
        if best >= ITEM_SIMILARITY:
            found.append(
                (
                    pooled.item,
                    f"date overlaps {pooled.item.date_edtf}, shares {', '.join(shared) or 'no one'}, "
                    f"text {best:.0%} similar",
                )
            )
    return found


def mark_duplicates(source: Source, candidates: list) -> None:
    """Fill ``duplicate_of`` of each candidate: similar items, and the duplicate source holding its text."""
    twin = duplicate_source(original_url=source.original_url, cleaned_text=source.cleaned_text, exclude_key=source.key)
    twin_plain = _plain(twin[0].cleaned_text) if twin else ""
    pool = item_pool()
    for candidate in candidates:
        marks = []
        slugs = [*candidate.people, *candidate.organizations, *([candidate.speaker] if candidate.speaker else [])]
        for item, why in similar_items(date_edtf=candidate.edtf, texts=[candidate.exact], entity_slugs=slugs, pool=pool):
            marks.append({"item": item.slug, "why": why})
        if twin is not None and _plain(candidate.exact) in twin_plain:
            marks.append({"source": twin[0].key, "why": f"the article is already imported ({twin[1]})"})
        candidate.duplicate_of = marks


def similar_entities(names: Iterable[str], *, exclude_pk: int | None = None) -> list[tuple[Entity, str, str]]:
    """Existing entities with a name equal or close to one of ``names``: (entity, their name, ours)."""
    wanted = {name_key(name): name for name in names if name and name.strip()}
    if not wanted:
        return []
    queryset = Entity.objects.exclude(pk=exclude_pk) if exclude_pk else Entity.objects.all()
    matches = []
    for entity in queryset:
        for theirs in [entity.name_en, entity.name_zh, *(entity.aliases or [])]:
            key = name_key(str(theirs))
            hit = wanted.get(key)
            if hit is None and len(key) >= 5:
                for ours_key, ours in wanted.items():
                    if len(ours_key) >= 5 and is_latin(ours_key) == is_latin(key):
                        if difflib.SequenceMatcher(None, key, ours_key).ratio() >= 0.9:
                            hit = ours
                            break
            if hit is not None:
                matches.append((entity, str(theirs), hit))
                break
    return matches


