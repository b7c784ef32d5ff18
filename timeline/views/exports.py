"""Spreadsheet and calendar exports of the published chronology: ``/items.csv`` and ``/calendar.ics``.

Both take the chronology's filter parameters (strictly: an unusable one is a 400) and build every
row or event from the one item document (``timeline.documents.item_document``).

CSV: one row per item, UTF-8 with a byte-order mark so spreadsheet programs read the Chinese
correctly, and every cell that a spreadsheet would run as a formula (starting with ``= + - @``, tab
or carriage return) prefixed with an apostrophe.

Calendar policy: an item is an all-day event over every day its date covers (``DTSTART;VALUE=DATE``
and an exclusive ``DTEND``): a day is one day, a month-precision item spans its whole month, an
interval (``2023-11/2024-05``) its whole interval. ``?precision=`` names the coarsest precision
included: ``month`` by default (day- and month-precision items), ``day`` for exact days only, and
``year`` to add year-precision items as events spanning their whole year, which are left out by
default because a year-long bar in every week of a subscriber's calendar says little. An interval
counts at its coarser end's precision; the description of a coarse event says so.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import date, timedelta

from django import forms
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from icalendar import Calendar, Event

from timeline.dates import PRECISION_CODES
from timeline.documents import first_citation_per_passage, item_document
from timeline.filters import language_of
from timeline.http import allow_cors, public_cache
from timeline.views.catalog import filtered_items
from timeline.views.feeds import bad_request
from timeline.views.pages import prime_dates

CHUNK = 500
BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_COLUMNS = (
    "id", "kind", "importance", "date_edtf", "date_start", "date_end", "precision", "approximate",
    "date_label_en", "date_label_zh", "title_en", "title_zh", "summary_en", "summary_zh",
    "quote_text", "quote_language", "quote_translation_en", "speaker", "people", "organizations",
    "tags", "era", "source_titles", "passage_urls", "url", "date_window",
)
LIST_SEPARATOR = "; "
DEFAULT_PRECISION = "month"


def documents(items: QuerySet) -> Iterator[tuple[object, dict]]:
    """(item, item document) for ``items`` in their order (``FilterForm.in_order``), fetched in chunks."""
    items = items.for_documents()
    for item in items.iterator(chunk_size=CHUNK):
        prime_dates([item])
        yield item, item_document(item)


# -- CSV -------------------------------------------------------------------------------------------


def safe_cell(value) -> str:
    """The cell as text, neutralised if a spreadsheet would evaluate it as a formula (OWASP)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def name(ref: dict | None) -> str:
    """"English (中文)" for a bilingual reference, or one name when both are the same."""
    if not ref:
        return ""
    en, zh = ref["name"]["en"], ref["name"]["zh"]
    return en if not zh or zh == en else f"{en} ({zh})"


def names(refs: Iterable[dict]) -> str:
    return LIST_SEPARATOR.join(name(ref) for ref in refs)


def unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


def window_part(item) -> str:
    """The ``date_window`` cell: ``within`` for an item whose date lies inside the from/to window,
    ``possibly`` for one whose uncertain range only overlaps it (listed after the others, as on the
    page and in the API's ``date_window``), empty without a window."""
    in_window = getattr(item, "in_window", None)
    return "" if in_window is None else "within" if in_window else "possibly"


def csv_row(document: dict, absolute, *, part: str = "") -> list[str]:
    date_, quote = document["date"], document["quote"] or {}
    citations = document["citations"]
    return [
        safe_cell(value)
        for value in (
            document["id"], document["kind"], document["importance"],
            date_["edtf"], date_["start"], date_["end"], date_["precision"], str(date_["approximate"]).lower(),
            date_["label"]["en"], date_["label"]["zh"],
            document["title"]["en"], document["title"]["zh"], document["summary"]["en"], document["summary"]["zh"],
            quote.get("text", ""), quote.get("language", ""), (quote.get("translation") or {}).get("en", ""),
            name(quote.get("speaker")), names(document["people"]), names(document["organizations"]),
            names(document["tags"]), name(document["era"]),
            LIST_SEPARATOR.join(unique(c["source"]["title"] for c in citations)),
            LIST_SEPARATOR.join(absolute(c["url"]) for c in first_citation_per_passage(document)),
            absolute(document["url"]), part,
        )
    ]


@require_safe
@allow_cors
@public_cache()
def items_csv(request):
    form, items = filtered_items(request)
    if items is None:
        return bad_request(form.problems)
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for item, document in documents(form.in_order(items)):
        writer.writerow(csv_row(document, request.build_absolute_uri, part=window_part(item)))
    response = HttpResponse(buffer.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="openai-chronology.csv"'
    return response


# -- iCalendar -------------------------------------------------------------------------------------


class CalendarOptions(forms.Form):
    """The calendar's own option (the filters are the chronology's): the coarsest precision to include."""

    precision = forms.ChoiceField(required=False, choices=[(name, name) for name in ("day", "month", "year")])

    def coarsest(self) -> int:
        return PRECISION_CODES[self.cleaned_data.get("precision") or DEFAULT_PRECISION]


def event_bounds(document: dict) -> tuple[date, date]:
    """All-day DTSTART and the exclusive DTEND: the whole span the date covers."""
    return date.fromisoformat(document["date"]["start"]), date.fromisoformat(document["date"]["end"]) + timedelta(1)


def calendar_event(item, document: dict, request, language: str):
    """One all-day event. An item whose uncertain date only overlaps the from/to window (``possibly``,
    as in the CSV's ``date_window``) says so: a "Possibly in this period" category and a line under its
    date in the description, as the page and the widget label such items."""
    def pick(bilingual):
        return (bilingual["zh"] if language == "zh" else "") or bilingual["en"]

    start, end = event_bounds(document)
    url = request.build_absolute_uri(document["url"])
    lines = [pick(document["date"]["label"])]
    precision = document["date"]["precision"]
    if precision != "day":
        lines[0] += " " + (_("(year precision: the sources give no exact day)") if precision == "year"
                           else _("(month precision: the sources give no exact day)"))
    possibly = window_part(item) == "possibly"
    if possibly:
        lines.append(_("Possibly in this period: its uncertain date overlaps the chosen period without lying "
                       "inside it."))
    quote = document["quote"]
    if quote:
        speaker = pick(quote["speaker"]["name"]) if quote["speaker"] else ""
        lines.append(f"“{quote['text']}” — {speaker}")
    if pick(document["summary"]):
        lines.append(pick(document["summary"]))
    sources = [
        f"{c['source']['title']} ¶{c['passage']['ordinal']}: {request.build_absolute_uri(c['url'])}"
        for c in first_citation_per_passage(document)
    ]
    if sources:
        lines.append("Sources:\n" + "\n".join(sources))
    lines.append(url)
    event = Event()
    event.add("uid", f"{document['id']}@{request.get_host().split(':')[0] or 'localhost'}")
    event.add("dtstamp", item.updated_at)
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", pick(document["title"]))
    event.add("description", "\n\n".join(lines))
    event.add("url", url)
    event.add("transp", "TRANSPARENT")
    categories = [_("Possibly in this period")] if possibly else []
    categories += [pick(tag["name"]) for tag in document["tags"]]
    if categories:
        event.add("categories", categories)
    return event


@require_safe
@allow_cors
@public_cache()
def calendar_ics(request):
    form, items = filtered_items(request)
    options = CalendarOptions(request.GET)
    problems = dict(form.problems)
    if not options.is_valid():
        problems["precision"] = ["It must be day, month or year."]
    if problems:
        return bad_request(problems)
    language = language_of(get_language())
    calendar = Calendar()
    calendar.add("prodid", "-//OpenAI chronology//timeline//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", "OpenAI chronology" if language == "en" else "OpenAI 大事记")
    coarsest = options.coarsest()
    for item, document in documents(form.in_order(items.filter(date_precision__gte=coarsest))):
        calendar.add_component(calendar_event(item, document, request, language))
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="openai-chronology.ics"'
    return response

