"""The source reader: a cleaned article passage by passage, with every published citation marked."""

from __future__ import annotations

from dataclasses import dataclass

from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from timeline.highlight import Span, highlight
from timeline.http import public_cache
from timeline.models import (
    CHRONOLOGICAL_ORDER,
    Citation,
    CitationStatus,
    Item,
    Language,
    Source,
    Status,
    chronological_key,
)
from timeline.scripts import to_simplified
from timeline.views.pages import prime_dates

MAX_HL_CHARS = 20


@dataclass
class PassageView:
    passage: object
    html: str
    cited_by: list[Item]
    current: bool
    # The cited spans of this passage beside their translations (the parallel view).
    translations: list[dict]


def highlighted_citation(value: str | None) -> tuple[int | None, str | None]:
    """The ``hl`` parameter as a citation id, or a notice saying why it was ignored."""
    if value is None or value == "":
        return None, None
    if len(value) <= MAX_HL_CHARS and value.isascii() and value.isdigit():
        return int(value), None
    return None, _("“hl” must be a citation number; it was ignored.")


def _translations(cited: list[Citation], *, traditional: bool) -> list[dict]:
    """Each distinct cited span once, in reading order, with the editors' English translation."""
    seen, rows = set(), []
    for citation in sorted(cited, key=lambda c: (c.start, c.end, c.pk)):
        if (citation.start, citation.end) in seen:
            continue
        seen.add((citation.start, citation.end))
        rows.append(
            {
                "citation": citation.pk,
                "exact": citation.exact,
                "en": citation.translation_en,
                "zh_hans": to_simplified(citation.exact) if traditional else "",
            }
        )
    return rows


@require_safe
@public_cache()
def source_detail(request, key):
    source = get_object_or_404(Source.objects.public(), key=key)
    current, notice = highlighted_citation(request.GET.get("hl"))
    citations = (
        # A fuzzy or orphaned citation's offsets are a guess: it is never highlighted in the changed text.
        Citation.objects.filter(passage__source=source, item__status=Status.PUBLISHED, status=CitationStatus.EXACT)
        .select_related("item")
        .only("pk", "passage_id", "start", "end", "exact", "translation_en", "item__slug", "item__title_en",
              "item__title_zh", "item__date_edtf", *(f"item__{name}" for name in CHRONOLOGICAL_ORDER))
        .order_by("passage_id", "start", "end", "pk")
    )
    by_passage: dict[int, list[Citation]] = {}
    for citation in citations:
        prime_dates([citation.item])
        by_passage.setdefault(citation.passage_id, []).append(citation)
    if current is not None and not any(c.pk == current for group in by_passage.values() for c in group):
        changed = Citation.objects.filter(
            pk=current, passage__source=source, item__status=Status.PUBLISHED
        ).exclude(status=CitationStatus.EXACT)
        if changed.exists():
            notice = _(
                "The source has changed since citation %(id)d was cited; its item page shows the passage as "
                "it was cited."
            ) % {"id": current}
        else:
            notice = _("There is no published citation %(id)d in this source.") % {"id": current}
        current = None
    passages = []
    for passage in source.passages.all():
        cited = by_passage.get(passage.pk, [])
        items = sorted({c.item.slug: c.item for c in cited}.values(), key=chronological_key)
        passages.append(
            PassageView(
                passage=passage,
                html=highlight(passage.text, [Span(c.start, c.end, c.pk) for c in cited], current=current),
                cited_by=items,
                current=current is not None and any(c.pk == current for c in cited),
                translations=_translations(cited, traditional=source.language == Language.TRADITIONAL),
            )
        )
    return render(
        request,
        "timeline/source.html",
        {
            "source": source,
            "passages": passages,
            "cited_passages": sum(1 for p in passages if p.cited_by),
            "notices": [notice] if notice else [],
            "current_citation": current,
        },
    )
