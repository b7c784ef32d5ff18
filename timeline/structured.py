"""schema.org JSON-LD for item and source pages, built from the one item document.

An event item is an ``Event``; a quote is a ``Quotation`` whose ``creator`` is the speaker and whose
``isBasedOn`` is every source ``NewsArticle`` it cites. A source page is a ``NewsArticle``. Dates keep
their precision (``2015``, ``2018-02``, ``2024-05-13``: ISO 8601 reduced precision), never turning a
year into 1 January.

:func:`script` embeds a document in HTML safely: like Django's ``json_script`` it escapes ``<``,
``>`` and ``&`` as JSON unicode escapes, so no ``</script>`` or ``<!--`` in the data can end the block.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from timeline.documents import item_document, source_ref
from timeline.models import EntityKind, Item, Source

CONTEXT = "https://schema.org"
# JSON-LD is data, not markup: only these three characters can break out of a <script> element.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}
ENTITY_TYPES = {
    EntityKind.PERSON: "Person",
    EntityKind.ORGANIZATION: "Organization",
    EntityKind.DOCUMENT: "CreativeWork",
    # An anonymous group of people ("the board", "an OpenAI insider") speaks for an organisation.
    EntityKind.GROUP: "Organization",
}
LANGUAGE_TAGS = {"en": "en", "zh-Hans": "zh-Hans", "zh-Hant": "zh-Hant"}

Absolute = Callable[[str], str]


def iso_at_precision(value: str, precision: str) -> str:
    """``2015-01-01`` at year precision is ``2015``; at month precision ``2015-01``."""
    return {"year": value[:4], "month": value[:7]}.get(precision, value)


def bilingual_name(name: dict) -> dict:
    result = {"name": name["en"]}
    if name["zh"] and name["zh"] != name["en"]:
        result["alternateName"] = name["zh"]
    return result


def thing(schema_type: str, ref: dict) -> dict:
    return {"@type": schema_type, **bilingual_name(ref["name"])}


def news_article(ref: dict, absolute: Absolute) -> dict:
    """A source (``documents.source_ref``) as a schema.org ``NewsArticle``."""
    article = {
        "@type": "NewsArticle",
        "@id": absolute(ref["url"]) + "#article",
        "headline": ref["title"],
        "inLanguage": LANGUAGE_TAGS.get(ref["language"], ref["language"]),
        "url": ref["original_url"] or absolute(ref["url"]),
        "mainEntityOfPage": absolute(ref["url"]),
    }
    if ref["publisher"]:
        article["publisher"] = {"@type": "Organization", "name": ref["publisher"]}
    if ref["published"]:
        article["datePublished"] = ref["published"]
    return article


def item_jsonld(item: Item, absolute: Absolute, document: dict | None = None) -> dict:
    """The JSON-LD of a published item page (``Event`` or ``Quotation``)."""
    document = document or item_document(item)
    date = document["date"]
    sources = {}
    for citation in document["citations"]:
        sources.setdefault(citation["source"]["id"], news_article(citation["source"], absolute))
    common = {
        "@context": CONTEXT,
        "@id": absolute(document["url"]) + "#item",
        "url": absolute(document["url"]),
        "name": document["title"]["en"],
        "alternateName": document["title"]["zh"],
        "description": document["summary"]["en"] or document["title"]["en"],
        "isBasedOn": list(sources.values()),
    }
    about = [thing("Person", ref) for ref in document["people"]]
    about += [thing("Organization", ref) for ref in document["organizations"]]
    keywords = [tag["name"]["en"] for tag in document["tags"]]
    if document["quote"]:
        quote = document["quote"]
        speaker_type = ENTITY_TYPES.get(item.speaker.kind, "Person") if item.speaker else "Person"
        data = {
            **common,
            "@type": "Quotation",
            "text": quote["text"],
            "inLanguage": LANGUAGE_TAGS.get(quote["language"], quote["language"] or "zh"),
            "dateCreated": iso_at_precision(date["start"], date["precision"]),
        }
        if quote["speaker"]:
            data["creator"] = thing(speaker_type, quote["speaker"])
        if quote["translation"]["en"]:
            data["workTranslation"] = {"@type": "Quotation", "text": quote["translation"]["en"], "inLanguage": "en"}
    else:
        data = {**common, "@type": "Event", "startDate": iso_at_precision(date["start"], date["precision"])}
        end = iso_at_precision(date["end"], date["precision"])
        if end != data["startDate"]:
            data["endDate"] = end
    if about:
        data["about"] = about
    if keywords:
        data["keywords"] = keywords
    return data


def source_jsonld(source: Source, absolute: Absolute) -> dict:
    """The JSON-LD of a source reader page: the article it reproduces."""
    data = {"@context": CONTEXT, **news_article(source_ref(source), absolute)}
    if source.author:
        data["author"] = {"@type": "Person", "name": source.author}
    return data


def script(data: dict) -> SafeString:
    """``<script type="application/ld+json">`` with the data escaped for HTML."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))
