"""Re-anchoring citations when a source's text changes.

Like Hypothesis, we try the stored position first, then the exact quote, then a fuzzy match scored
on the quote and its prefix/suffix context. Unlike it, we never move a citation silently onto a
lookalike sentence: a fuzzy match is saved as ``fuzzy`` for an editor to confirm, and below the
score threshold the citation becomes an ``orphan``.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

from timeline.ingest.passages import sentence_spans
from timeline.models import CONTEXT_CHARS, Citation, CitationStatus, Passage

# A candidate must score at least this (0–1) to be kept as a fuzzy anchor.
FUZZY_THRESHOLD = 0.75
QUOTE_WEIGHT, CONTEXT_WEIGHT = 0.8, 0.1  # quote similarity, and each of prefix and suffix


@dataclass(frozen=True)
class Anchor:
    passage: Passage
    start: int
    end: int
    status: str
    score: float
    how: str  # "position", "quote", "fuzzy" or "orphan"


def _similarity(a: str, b: str) -> float:
    if not a and not b:
        return 1.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def _context_score(citation: Citation, passage: Passage, start: int, end: int) -> float:
    prefix = passage.text[max(0, start - CONTEXT_CHARS) : start]
    suffix = passage.text[end : end + CONTEXT_CHARS]
    return (
        _similarity(citation.prefix[-len(prefix) :] if prefix else "", prefix)
        + _similarity(citation.suffix[: len(suffix)], suffix)
    ) / 2


def _candidate_spans(exact: str, text: str) -> list[tuple[int, int]]:
    """Sentences of ``text``, plus the stretch of ``text`` that lines up with ``exact``."""
    spans = sentence_spans(text)
    blocks = [block for block in SequenceMatcher(None, text, exact, autojunk=False).get_matching_blocks() if block.size >= 2]
    if blocks:
        spans.append((blocks[0].a, blocks[-1].a + blocks[-1].size))
    return spans


def find_anchor(citation: Citation, passages: list[Passage]) -> Anchor:
    """Where ``citation`` belongs among ``passages`` (the source's passages after the change)."""
    by_ordinal = {passage.ordinal: passage for passage in passages}
    old_ordinal = citation.passage.ordinal
    # 1. Position: the same passage still has the same text at the same offsets.
    same = by_ordinal.get(old_ordinal)
    if same is not None and same.text[citation.start : citation.end] == citation.exact:
        return Anchor(same, citation.start, citation.end, CitationStatus.EXACT, 1.0, "position")
    # 2. Exact quote: the text occurs verbatim; with several occurrences the context decides.
    occurrences = []
    for passage in passages:
        start = passage.text.find(citation.exact)
        while start >= 0:
            end = start + len(citation.exact)
            occurrences.append((_context_score(citation, passage, start, end), passage, start, end))
            start = passage.text.find(citation.exact, start + 1)
    if occurrences:
        occurrences.sort(key=lambda o: (-o[0], abs(o[1].ordinal - old_ordinal)))
        best = occurrences[0]
        unambiguous = len(occurrences) == 1 or best[0] > occurrences[1][0]
        status = CitationStatus.EXACT if unambiguous else CitationStatus.FUZZY
        return Anchor(best[1], best[2], best[3], status, 1.0 if unambiguous else best[0], "quote")
    # 3. Fuzzy: the most similar span (a whole sentence, or the stretch aligned with the quote).
    best = None
    for passage in passages:
        for start, end in _candidate_spans(citation.exact, passage.text):
            candidate = passage.text[start:end]
            score = QUOTE_WEIGHT * _similarity(citation.exact, candidate) + CONTEXT_WEIGHT * 2 * _context_score(
                citation, passage, start, end
            )
            if best is None or score > best[0]:
                best = (score, passage, start, end)
    if best is not None and best[0] >= FUZZY_THRESHOLD:
        return Anchor(best[1], best[2], best[3], CitationStatus.FUZZY, round(best[0], 3), "fuzzy")
    # 4. Orphan: keep it on the nearest surviving passage so editors can see what was lost.
    nearest = min(passages, key=lambda p: abs(p.ordinal - old_ordinal))
    return Anchor(nearest, 0, min(1, len(nearest.text)), CitationStatus.ORPHAN, round(best[0], 3) if best else 0, "orphan")


def plan_anchors(citations: list[Citation], passages: list[Passage]) -> dict[int, Anchor]:
    """Where each of ``citations`` goes among ``passages`` (the source's passages after the change; new
    ones may be unsaved), by citation pk. Reads only: the import computes this before its write
    transaction opens, and applies it with :func:`apply_anchors` once it has checked nothing moved."""
    anchors: dict[int, Anchor] = {}
    for citation in citations:
        anchor = find_anchor(citation, passages)
        if anchor.status == CitationStatus.ORPHAN:
            anchor = _free_orphan_span(citation, anchor, citations, anchors)
        anchors[citation.pk] = anchor
    return anchors


def apply_anchors(citations: list[Citation], anchors: dict[int, Anchor]) -> list[str]:
    """Save ``citations`` at their planned ``anchors`` (whose passages are saved rows by now); describe
    every change.

    They are saved in an order where no citation lands on a span another one of the same item still
    occupies (a paragraph inserted before two whole-paragraph citations of one item moves each onto the
    other's old place; the span is unique per item)."""
    report = []
    olds = {c.pk: (c.passage.ordinal, c.start, c.end, c.status) for c in citations}
    for citation in _save_order(citations, anchors):
        anchor = anchors[citation.pk]
        old = olds[citation.pk]
        if anchor.status == CitationStatus.ORPHAN:
            # The exact text is kept: it is what the editor needs to find a new source for the claim.
            citation.passage, citation.start, citation.end = anchor.passage, anchor.start, anchor.end
            citation.status = CitationStatus.ORPHAN
            citation.verified_at = None
        else:
            fresh = Citation.from_span(item=citation.item, passage=anchor.passage, start=anchor.start, end=anchor.end)
            citation.passage, citation.start, citation.end = anchor.passage, anchor.start, anchor.end
            citation.exact, citation.prefix, citation.suffix = fresh.exact, fresh.prefix, fresh.suffix
            citation.status = anchor.status
            if anchor.status != CitationStatus.EXACT:
                citation.verified_at = None
        citation.save()
        new = (anchor.passage.ordinal, anchor.start, anchor.end, anchor.status)
        if new != old and anchor.status == CitationStatus.ORPHAN:
            report.append(
                f"citation {citation.pk} of item {citation.item.slug}: the cited words “{citation.exact}” "
                f"(¶{old[0]} [{old[1]}:{old[2]}]) are gone from the new text: the citation is an orphan "
                "and the item shows the snapshot of the passage as last verified"
            )
        elif new != old:
            report.append(
                f"citation {citation.pk} of item {citation.item.slug}: ¶{old[0]} [{old[1]}:{old[2]}] → "
                f"¶{new[0]} [{new[1]}:{new[2]}], {anchor.status} (by {anchor.how}, score {anchor.score:.2f})"
            )
    return report


def reanchor(citations: list[Citation], passages: list[Passage]) -> list[str]:
    """Re-anchor ``citations`` onto ``passages`` (saved rows), save them, and describe every change."""
    return apply_anchors(citations, plan_anchors(citations, passages))


def _free_orphan_span(citation: Citation, anchor: Anchor, citations: list[Citation], anchors: dict) -> Anchor:
    """An orphan's placeholder span, moved along its passage if another orphan of the item took it.

    Passages are told apart by ordinal: the nearest passage may be a new one, not saved yet."""
    taken = {
        (a.passage.ordinal, a.start, a.end)
        for other in citations
        if other.item_id == citation.item_id and (a := anchors.get(other.pk)) is not None
    }
    if anchor.passage.pk is not None:
        taken |= {
            (anchor.passage.ordinal, start, end)
            for start, end in Citation.objects.filter(item_id=citation.item_id, passage_id=anchor.passage.pk)
            .exclude(pk__in=[c.pk for c in citations])
            .values_list("start", "end")
        }
    start, end = anchor.start, anchor.end
    while (anchor.passage.ordinal, start, end) in taken and end < len(anchor.passage.text):
        start, end = start + 1, end + 1
    return Anchor(anchor.passage, start, end, anchor.status, anchor.score, anchor.how)


def _save_order(citations: list[Citation], anchors: dict) -> list[Citation]:
    """``citations`` ordered so that each one's new span is free when it is saved. A cycle (two
    citations swapping places) is broken by parking one out of the way first."""
    pending = list(citations)
    ordered = []
    while pending:
        occupied = {(c.item_id, c.passage_id, c.start, c.end): c for c in pending}
        ready = [
            c
            for c in pending
            if occupied.get((c.item_id, anchors[c.pk].passage.pk, anchors[c.pk].start, anchors[c.pk].end)) in (None, c)
        ]
        if not ready:
            parked = pending[0]
            far = 1_000_000_000 + parked.pk  # no passage is this long: a span nothing else holds
            Citation.objects.filter(pk=parked.pk).update(start=far, end=far + 1)
            parked.start, parked.end = far, far + 1
            ready = [parked]
        ordered += ready
        pending = [c for c in pending if c not in ready]
    return ordered
