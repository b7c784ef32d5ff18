"""Item documents → TimelineJS 3 JSON, so a newsroom can reuse our chronology in Knight Lab's viewer.

Pure functions over the output of :func:`timeline.documents.item_document` (no ORM). The format is
TimelineJS 3's (checked against 3.9.11 in ``tests/test_timelinejs_browser.py``)::

    {"title": {"text": {...}},
     "events": [{"start_date": {"year": 2023, "month": 11}, "end_date": ..., "display_date": "November 2023",
                 "text": {"headline": ..., "text": ...}, "group": "<era>" (or "Possibly in this period" for an item that only overlaps the from/to window),
                 "unique_id": "<our id>"}],
     "eras": [{"start_date": ..., "end_date": ..., "text": {"headline": "<era>"}}]}

Dates keep their precision: a year-precision item has only ``year`` (TimelineJS would otherwise show a
made-up 1 January), a month item ``year`` and ``month``; an interval (``2023-11/2024-05``) gets an
``end_date`` at the precision of its second point. ``display_date`` is our own label ("c. 2016").
TimelineJS renders ``headline`` and ``text`` as HTML (through DOMPurify), so everything from our data is
escaped and the citations are built with ``format_html``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Mapping

from django.utils.html import escape, format_html

POINT = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?[~?%]?$")


def date_object(point: str) -> dict:
    """A TimelineJS date for one EDTF point, at its own precision: ``2018-02~`` → year and month."""
    match = POINT.match(point)
    if match is None:
        raise ValueError(f"{point!r} is not an EDTF point (YYYY, YYYY-MM or YYYY-MM-DD).")
    return {part: int(value) for part, value in match.groupdict().items() if value is not None}


def dates(edtf: str) -> dict:
    """``start_date`` (and ``end_date`` for an interval) for an item's EDTF date."""
    points = edtf.split("/")
    result = {"start_date": date_object(points[0])}
    if len(points) == 2:
        result["end_date"] = date_object(points[1])
    return result


def _pick(text: dict | None, language: str) -> str:
    """The ``language`` version of a bilingual ``{"en", "zh"}`` value, falling back to English."""
    if not text:
        return ""
    return text.get(language) or text.get("en") or ""


def source_label(source: dict) -> str:
    return source.get("publisher") or source.get("title") or source["id"]


def event_text(
    document: dict,
    *,
    language: str,
    absolute: Callable[[str], str],
    labels: dict,
    translations: Mapping[int, str] | None = None,
) -> str:
    """The slide body, media-free: each cited sentence with (on English slides) its English translation
    and a link to it highlighted in the source reader, then the speaker, summary, note and a link to the
    item.

    ``translations`` maps citation ids to the English translation of their span
    (``Citation.translation_en``); an empty one is left out rather than shown as a blank line.
    """
    # The English translation is for English slides; Chinese readers have the original.
    translations = (translations or {}) if language == "en" else {}
    parts = []
    quote = document.get("quote")
    cited = {citation["selector"]["exact"] for citation in document["citations"]}
    if quote and quote["text"] not in cited:
        # The quote as the item gives it, when no citation holds exactly these words.
        parts.append(format_html('<blockquote lang="{}">{}</blockquote>', quote["language"] or "", quote["text"]))
        quote_translation = (quote.get("translation") or {}).get("en")
        if quote_translation and language == "en":
            parts.append(format_html('<p class="tl-translation" lang="en">{}</p>', quote_translation))
    for citation in document["citations"]:
        parts.append(
            format_html(
                '<blockquote lang="{}">{}</blockquote>', citation["source"]["language"], citation["selector"]["exact"]
            )
        )
        translation = translations.get(citation.get("id")) or ""
        if not translation and language == "en" and quote and quote["text"] == citation["selector"]["exact"]:
            translation = (quote.get("translation") or {}).get("en") or ""
        if translation:
            parts.append(format_html('<p class="tl-translation" lang="en">{}</p>', translation))
        parts.append(
            format_html(
                '<p class="tl-source"><a href="{}">{} ¶{}</a></p>',
                absolute(citation.get("url") or citation["passage"]["url"]),
                source_label(citation["source"]),
                citation["passage"]["ordinal"],
            )
        )
    if quote and quote.get("speaker"):
        parts.append(format_html("<p>— {}</p>", _pick(quote["speaker"]["name"], language)))
    summary = _pick(document["summary"], language)
    if summary:
        parts.append(format_html("<p>{}</p>", summary))
    note = _pick(document.get("note"), language)
    if note:
        parts.append(format_html('<p class="tl-note">{}</p>', note))
    parts.append(format_html('<p><a href="{}">{}</a></p>', absolute(document["url"]), labels["open_item"]))
    return "".join(parts)


def event(
    document: dict,
    *,
    language: str,
    absolute: Callable[[str], str],
    labels: dict,
    translations: Mapping[int, str] | None = None,
    possible: bool = False,
) -> dict:
    """One slide. No ``media``: the citations are the evidence, and TimelineJS would otherwise fetch
    third-party embeds; ``display_date`` is our label at the date's own precision ("November 2023",
    "c. 2016"), never a made-up day."""
    result = dates(document["date"]["edtf"])
    result.update(
        display_date=_pick(document["date"]["label"], language),
        text={
            "headline": escape(_pick(document["title"], language)),
            "text": event_text(
                document, language=language, absolute=absolute, labels=labels, translations=translations
            ),
        },
        unique_id=document["id"],
    )
    if possible:
        # Only overlaps the from/to window: its own group (TimelineJS draws a row per group) rather
        # than an era it may not belong to.
        result["group"] = labels["possibly"]
    elif document.get("era"):
        result["group"] = _pick(document["era"]["name"], language)
    return result


def era(era, *, language: str) -> dict:
    """An era (an object with ``name_en``, ``name_zh``, ``start`` and ``end`` dates) as a TimelineJS era."""
    return {
        "start_date": {"year": era.start.year, "month": era.start.month, "day": era.start.day},
        "end_date": {"year": era.end.year, "month": era.end.month, "day": era.end.day},
        "text": {"headline": escape(era.name_zh if language == "zh" and era.name_zh else era.name_en)},
    }


def build(
    documents: Iterable[dict],
    *,
    eras: Iterable,
    language: str,
    absolute: Callable[[str], str],
    title: str,
    description: str,
    home_url: str,
    labels: dict,
    translations: Mapping[int, str] | None = None,
    possible: Collection[str] = (),
) -> dict:
    """The whole TimelineJS document: a title slide, one event per item, and the eras the items touch.

    ``absolute`` turns a site path into an absolute URL (the export is read on other sites);
    ``labels`` holds the words of the slide text in ``language`` (``open_item``, ``home``);
    ``translations`` the English translation of each cited span by citation id; ``possible`` the ids
    of the items that only overlap the from/to window, whose group is ``labels["possibly"]``.
    """
    documents = list(documents)
    events = [
        event(document, language=language, absolute=absolute, labels=labels, translations=translations,
              possible=document["id"] in possible)
        for document in documents
    ]
    first = min((d["date"]["start"] for d in documents), default=None)
    last = max((d["date"]["end"] for d in documents), default=None)
    touched = [
        e for e in eras if first is not None and e.start.isoformat() <= last and e.end.isoformat() >= first
    ]
    return {
        "title": {
            "text": {
                "headline": escape(title),
                "text": format_html('<p>{}</p><p><a href="{}">{}</a></p>', description, home_url, labels["home"]),
            }
        },
        "events": events,
        "eras": [era(e, language=language) for e in touched],
    }
