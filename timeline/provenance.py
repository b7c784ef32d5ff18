"""The provenance check: every claim on the site must stand on the sentence it cites.

Run by ``manage.py check_provenance`` and by the test suite on the shipped data; the admin's
publish action uses :func:`item_problems` for one item.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch

from timeline.ingest import clean, html
from timeline.ingest.article import HTML_SUFFIXES
from timeline.models import Citation, CitationStatus, Item, ItemKind, Status
from timeline.scripts import stray_spaces

ZH_FIELDS = ("title_zh", "summary_zh", "note_zh", "quote_context_zh")


@dataclass(frozen=True)
class Problem:
    item: str  # slug
    message: str
    fatal: bool = True  # problems of unpublished items are reported but do not fail the check
    # Editorial completeness (a missing translation, a stray space in Chinese): an error for the
    # dataset check, a warning, not a refusal, when an editor publishes one item.
    editorial: bool = False

    def __str__(self) -> str:
        return f"{'ERROR' if self.fatal else 'warning'} {self.item}: {self.message}"


def raw_text_of(source, start: int, end: int) -> str:
    """What the raw span reads as: the text itself, or for a page kept as HTML its visible text."""
    fragment = source.raw_text[start:end]
    if source.file_name.lower().endswith(HTML_SUFFIXES):
        return clean.normalize_fragment(html.fragment_text(fragment))
    return clean.normalize_fragment(fragment)


def _removed_by_cleaning(citation: Citation) -> str | None:
    """Why the cited text is not article text (site chrome, a gloss, a reference entry), or None."""
    passage, source = citation.passage, citation.passage.source
    if source.cleaned_text[passage.start : passage.end] != passage.text:
        return f"passage ¶{passage.ordinal} no longer matches the cleaned text of {source.key!r}"
    if clean.PINYIN_GLOSS_RE.search(citation.exact):
        return "the cited text still contains a pinyin gloss"
    for line in passage.text.split("\n"):
        stripped = line.strip()
        for reason, pattern in clean.CHROME_RULES:
            if pattern.search(stripped):
                return f"the cited passage is site chrome ({reason}): “{stripped[:40]}”"
        if clean.REFERENCE_ENTRY_RE.search(stripped) or clean.END_RE.search(stripped):
            return f"the cited passage is a reference entry or site footer: “{stripped[:40]}”"
    if source.offset_map:
        raw_start, raw_end = clean.raw_span(
            source.offset_map, passage.start + citation.start, passage.start + citation.end
        )
        if raw_text_of(source, raw_start, raw_end) != clean.normalize_fragment(citation.exact):
            return f"the cited text does not map back to the raw article (raw {raw_start}–{raw_end})"
    return None


NOT_VERBATIM = "the quote text is not verbatim the text of any of its citations"


def item_problems(item: Item, citations: list[Citation] | None = None) -> list[Problem]:
    """Everything wrong with one item's provenance (fatal if the item is published)."""
    citations = list(item.citations.select_related("passage__source")) if citations is None else citations
    fatal = item.status == Status.PUBLISHED
    problems = []

    def add(message: str, *, editorial: bool = False) -> None:
        problems.append(Problem(item.slug, message, fatal, editorial))

    exact = []
    for citation in citations:
        where = f"citation of {citation.passage.source.key} ¶{citation.passage.ordinal}"
        if citation.status != CitationStatus.EXACT:
            add(f"{where} is {citation.status}; an editor must re-anchor it")
            continue
        error = citation.anchor_error()
        if error:
            add(f"{where}: {error}")
            continue
        if not citation.passage.source.is_public:
            add(f"{where}: the source {citation.passage.source.key!r} is not published on the site yet")
            continue
        removed = _removed_by_cleaning(citation)
        if removed:
            add(f"{where}: {removed}")
            continue
        exact.append(citation)
    if not exact:
        add("has no exact citation")
    if item.kind == ItemKind.QUOTE and item.quote_text not in {c.exact for c in citations}:
        add(NOT_VERBATIM)  # one problem: the first citation cannot hold it either
    elif item.kind == ItemKind.QUOTE and citations and item.quote_text not in min(citations, key=_order).exact:
        add("the first citation of the quote is not the quoted words; cite the quote's own sentence first")
    for citation in citations:
        if not citation.translation_en.strip():
            where = f"citation of {citation.passage.source.key} ¶{citation.passage.ordinal}"
            add(f"{where} has no English translation of “{citation.exact[:30]}”", editorial=True)
    for name in ZH_FIELDS:
        value = getattr(item, name)
        for offset in stray_spaces(value):
            add(f"{name} has a stray space in Chinese text at {offset}: “{value[max(0, offset - 6):offset + 6]}”",
                editorial=True)
    dated = [c.passage.source.published or c.passage.source.reference_date for c in citations]
    if dated and item.date_start > max(dated):
        add(f"is dated {item.date_edtf}, after the latest publication of its sources ({max(dated)})")
    return problems


def _order(citation: Citation) -> tuple:
    """Citations in the order editors wrote them (creation order)."""
    return (citation.pk is None, citation.pk or 0)


def check(queryset=None) -> tuple[int, int, list[Problem]]:
    """Check items (default: all). Returns (items checked, citations checked, problems)."""
    queryset = (queryset if queryset is not None else Item.objects.all()).prefetch_related(
        Prefetch("citations", queryset=Citation.objects.select_related("passage__source"))
    )
    problems: list[Problem] = []
    items = citations = 0
    for item in queryset.order_by("slug"):
        item_citations = list(item.citations.all())
        items += 1
        citations += len(item_citations)
        problems.extend(item_problems(item, item_citations))
    return items, citations, problems
