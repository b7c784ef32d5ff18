"""Candidate items for a stored source: the engine fed from the database, duplicates and dismissals marked.

Reads only. The engine (:mod:`timeline.suggest.engine`) works on plain values; this module reads the
source's passages and stored date mentions, the entities (names and aliases), eras and tags, and then
marks each candidate with the existing items it probably duplicates and whether an editor dismissed it.
"""

from __future__ import annotations

from timeline.dates import PRECISION_NAMES
from timeline.models import DateMention, Entity, Era, Source, Tag
from timeline.suggest.dismissals import dismissal_key, dismissed_keys
from timeline.suggest.duplicates import mark_duplicates
from timeline.suggest.engine import Candidate, DateFound, EraRange, PassageText, propose
from timeline.suggest.names import EntityIndex


def entity_index() -> EntityIndex:
    rows = Entity.objects.order_by("pk").values_list("slug", "kind", "name_en", "name_zh", "aliases")
    return EntityIndex((slug, kind, [name_en, name_zh, *(aliases or [])]) for slug, kind, name_en, name_zh, aliases in rows)


def era_ranges() -> list[EraRange]:
    return [EraRange(slug, start, end) for slug, start, end in Era.objects.values_list("slug", "start", "end")]


def raw_candidates(source: Source, *, index: EntityIndex | None = None) -> list[Candidate]:
    """The engine's candidates for ``source``, ranked, without duplicate or dismissal marks."""
    passages = [
        PassageText(ordinal, start, text)
        for ordinal, start, text in source.passages.order_by("ordinal").values_list("ordinal", "start", "text")
    ]
    dates = [
        DateFound(ordinal, start, end, date, PRECISION_NAMES[precision], approximate)
        for ordinal, start, end, date, precision, approximate in DateMention.objects.filter(
            passage__source=source
        ).values_list("passage__ordinal", "start", "end", "date", "precision", "approximate")
    ]
    return propose(
        passages,
        dates,
        index=index or entity_index(),
        eras=era_ranges(),
        tags=Tag.objects.values_list("slug", flat=True),
        reference=source.reference_date,
    )


def suggest(source: Source, *, include_dismissed: bool = False) -> list[Candidate]:
    """Ranked candidates for ``source`` with ``duplicate_of`` filled; dismissed ones left out unless asked."""
    candidates = raw_candidates(source)
    dismissed = dismissed_keys(source.key)
    kept = []
    for candidate in candidates:
        candidate.dismissed = dismissal_key(candidate) in dismissed
        if include_dismissed or not candidate.dismissed:
            kept.append(candidate)
    mark_duplicates(source, kept)
    return kept
