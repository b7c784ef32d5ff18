"""The one serializer of an item document.

Every export (API, embed, feeds, CSV, calendar) builds on :func:`item_document`; the shape is
fixed by ``timeline/schemas/item.schema.json`` and checked by the tests.
"""

from __future__ import annotations

from collections.abc import Iterable

from timeline.models import Citation, Entity, Item, ItemKind, Language, Source
from timeline.scripts import to_simplified


def bilingual(en: str, zh: str) -> dict:
    return {"en": en, "zh": zh}


def entity_ref(entity: Entity) -> dict:
    return {"id": entity.slug, "name": bilingual(entity.name_en, entity.name_zh)}


def source_ref(source: Source) -> dict:
    return {
        "id": source.key,
        "title": source.title,
        "publisher": source.publisher,
        "published": source.published.isoformat() if source.published else None,
        "language": source.language,
        "url": source.get_absolute_url(),
        "original_url": source.original_url,
    }


def citation_translation(citation: Citation) -> dict:
    """The editors' English translation of the cited span, and the span in simplified script when the
    source is written in traditional script (OpenCC; the original stays the cited text)."""
    traditional = citation.passage.source.language == Language.TRADITIONAL
    return {
        "en": citation.translation_en,
        "zh_hans": to_simplified(citation.exact) if traditional else None,
    }


def citation_url(citation: Citation) -> str:
    """The cited passage in the source reader with this citation highlighted: ``/sources/k/?hl=7#p-12``.

    Every link to a source that exists because of a citation (API, widget, feeds, exports) uses it, so a
    reader always lands on the highlighted sentence, as the site's own links do.
    """
    passage = citation.passage
    return f"{passage.source.get_absolute_url()}?hl={citation.pk}#p-{passage.ordinal}"


def citation_document(citation: Citation) -> dict:
    passage = citation.passage
    return {
        "id": citation.pk,
        "url": citation_url(citation),
        "source": source_ref(passage.source),
        "passage": {
            "id": passage.pk,
            "ordinal": passage.ordinal,
            "text": passage.text,
            "url": passage.get_absolute_url(),
        },
        # Offsets into the passage only while the citation is exact; after a re-import left it fuzzy or
        # orphaned they would point at other words, so they are null and "verified" keeps what was cited.
        "selector": {
            "exact": citation.exact,
            "prefix": citation.prefix,
            "suffix": citation.suffix,
            "start": citation.start if citation.verified else None,
            "end": citation.end if citation.verified else None,
        },
        "status": citation.status,
        "translation": citation_translation(citation),
        "verified": (
            {
                "passage_text": citation.verified_text,
                "start": citation.verified_start,
                "end": citation.verified_end,
                "at": citation.verified_at.isoformat() if citation.verified_at else None,
            }
            if citation.has_snapshot and not citation.verified
            else None  # an exact citation is its passage and selector

        ),
    }


def item_document(item: Item) -> dict:
    """The JSON document of one item. Use ``Item.objects.for_documents()`` to avoid N+1 queries."""
    quote = None
    if item.kind == ItemKind.QUOTE:
        quote = {
            "text": item.quote_text,
            "language": item.quote_language,
            "translation": {"en": item.quote_translation_en},
            "speaker": entity_ref(item.speaker) if item.speaker else None,
            "context": bilingual(item.quote_context_en, item.quote_context_zh),
        }
    note = bilingual(item.note_en, item.note_zh) if (item.note_en or item.note_zh) else None
    return {
        "id": item.slug,
        "kind": item.kind,
        "url": item.get_absolute_url(),
        "status": item.status,
        "importance": item.importance,
        "date": item.date.as_dict(),
        "title": bilingual(item.title_en, item.title_zh),
        "summary": bilingual(item.summary_en, item.summary_zh),
        "note": note,
        "quote": quote,
        "era": (
            {"id": item.era.slug, "name": bilingual(item.era.name_en, item.era.name_zh)} if item.era else None
        ),
        "people": [entity_ref(entity) for entity in item.people.all()],
        "organizations": [entity_ref(entity) for entity in item.organizations.all()],
        "tags": [{"id": tag.slug, "name": bilingual(tag.name_en, tag.name_zh)} for tag in item.tags.all()],
        "citations": [citation_document(citation) for citation in item.citations.all()],
    }


def first_citation_per_passage(document: dict) -> list[dict]:
    """The document's citations, keeping the first of several that cite the same passage (one link each)."""
    seen, citations = set(), []
    for citation in document["citations"]:
        if citation["passage"]["id"] not in seen:
            seen.add(citation["passage"]["id"])
            citations.append(citation)
    return citations


def item_documents(items: Iterable[Item]) -> list[dict]:
    return [item_document(item) for item in items]
