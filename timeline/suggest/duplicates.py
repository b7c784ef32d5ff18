"""Duplicates before they happen: the same article under another key, the same item twice, one person
entered as two entities.

* :func:`duplicate_source` — an article with the same original URL, or whose text is nearly the same
  (character 8-gram containment on the folded text ≥ ``SOURCE_SIMILARITY``), as a stored source.
* :func:`similar_items` — items whose date overlaps, that share a person or organisation, and whose
  text (titles, summaries, quote, cited spans; Chinese or English) is similar (character bigram
  Dice ≥ ``ITEM_SIMILARITY``), or that cite the very same text.
* :func:`mark_duplicates` — fills each candidate's ``duplicate_of`` with such items, and with the
  duplicate source when the candidate's text is found in it.
* :func:`similar_entities` — entities one of whose names equals a given name after folding script,
  middle dot, spaces, case and the order of a Latin name's parts, or differs from it by one character
  in a name of five or more.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from django.db.models import Q

from timeline.dates import FuzzyDate, FuzzyDateError
from timeline.models import Entity, Item, Source
from timeline.suggest.names import fold, is_latin, name_key

SOURCE_SIMILARITY = 0.9
ITEM_SIMILARITY = 0.5
SHINGLE = 8
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


def _bigrams(text: str) -> set[str]:
    plain = _plain(text)
    return {plain[i : i + 2] for i in range(len(plain) - 1)}


def similarity(a: str, b: str) -> float:
    """Dice coefficient of character bigrams of the folded texts (script- and case-blind)."""
    ba, bb = _bigrams(a), _bigrams(b)
    if not ba or not bb:
        return 0.0
    return 2 * len(ba & bb) / (len(ba) + len(bb))


def _item_texts(item: Item) -> list[str]:
    texts = [item.title_zh, item.summary_zh, item.title_en, item.summary_en, item.quote_text]
    texts += [citation.exact for citation in item.citations.all()]
    return [text for text in texts if text]


def similar_items(
    *,
    date_edtf: str | None,
    texts: Iterable[str],
    entity_slugs: Iterable[str] = (),
    exclude_pk: int | None = None,
) -> list[tuple[Item, str]]:
    """Existing items that probably are the same event or quote, with why."""
    texts = [text for text in texts if text and text.strip()]
    if not texts:
        return []
    plain_texts = [_plain(text) for text in texts]
    slugs = set(entity_slugs)
    queryset = Item.objects.prefetch_related("citations", "people", "organizations").select_related("speaker")
    if exclude_pk:
        queryset = queryset.exclude(pk=exclude_pk)
    # The same cited text anywhere is a duplicate whatever the date says.
    exact_hits = Q()
    for plain, text in zip(plain_texts, texts, strict=True):
        if len(plain) >= 8:
            exact_hits |= Q(citations__exact__contains=text.strip()[:200])
    found: dict[int, tuple[Item, str]] = {}
    if exact_hits:
        for item in queryset.filter(exact_hits).distinct():
            found[item.pk] = (item, "cites the same text")
    if date_edtf:
        try:
            fuzzy = FuzzyDate.parse(date_edtf)
        except FuzzyDateError:
            fuzzy = None
        if fuzzy is not None:
            nearby = queryset.between(fuzzy.start, fuzzy.end)
            if slugs:
                nearby = nearby.filter(
                    Q(people__slug__in=slugs) | Q(organizations__slug__in=slugs) | Q(speaker__slug__in=slugs)
                ).distinct()
            for item in nearby:
                if item.pk in found:
                    continue
                best = max(similarity(text, other) for text in texts for other in _item_texts(item))
                if best >= ITEM_SIMILARITY:
                    shared = sorted(
                        slugs
                        & {e.slug for e in [*item.people.all(), *item.organizations.all()]}
                        | ({item.speaker.slug} & slugs if item.speaker else set())
                    )
                    found[item.pk] = (
                        item,
                        f"date overlaps {item.date_edtf}, shares {', '.join(shared) or 'no one'}, "
                        f"text {best:.0%} similar",
                    )
    return list(found.values())


def mark_duplicates(source: Source, candidates: list) -> None:
    """Fill ``duplicate_of`` of each candidate: similar items, and the duplicate source holding its text."""
    twin = duplicate_source(original_url=source.original_url, cleaned_text=source.cleaned_text, exclude_key=source.key)
    for candidate in candidates:
        marks = []
        slugs = [*candidate.people, *candidate.organizations, *([candidate.speaker] if candidate.speaker else [])]
        for item, why in similar_items(date_edtf=candidate.edtf, texts=[candidate.exact], entity_slugs=slugs):
            marks.append({"item": item.slug, "why": why})
        if twin is not None:
            other, why = twin
            if _plain(candidate.exact) in _plain(other.cleaned_text):
                marks.append({"source": other.key, "why": f"the article is already imported ({why})"})
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


