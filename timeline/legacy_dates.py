"""Dates stored before the one date grammar (timeline.dates), made safe without losing what they said.

Items saved under the old, wider grammar may hold EDTF values the site now refuses: seasons
(``2016-21``), unspecified digits (``201X``, ``2016-XX``), open or unknown ends (``2019/..``), qualifiers
on parts of a date (``2016-?06``), sets (``[2016,2018]``). Such an item made pages answer 500. Migration
0012 (and ``manage.py repair_dates`` after restoring an old backup) rewrites each to the nearest honest
value the grammar accepts:

- a season becomes its months, approximate (``2016-21`` → ``2016-03~/2016-05~``; winter runs into the next
  year); quarters, quadrimesters and semesters become their months exactly;
- unspecified digits become the closed range they stand for (``201X`` → ``2010/2019``, ``2016-XX`` →
  ``2016``, ``2016-05-XX`` → ``2016-05``);
- an open or unknown end is dropped and the known end kept (``2019/..`` → ``2019``);
- a qualifier on a part qualifies the whole date (``2016-?06`` → ``2016-06?``);
- a set becomes the interval from its first to its last member, uncertain when it was "one of".

The old value stays in the item's history (a new history row whose reason names it) and in the report.
A value with no honest equivalent (a year outside 1000–2999) keeps its stored bounds as an uncertain date
and the item goes back to draft, which the report says; nothing is unpublished silently.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

from timeline.dates import MAX_YEAR, MIN_YEAR, FuzzyDate, FuzzyDateError

# Season codes (EDTF level 2): (first month, last month, approximate). A last month before the first
# runs into the next year.
SEASONS = {
    21: (3, 5, True), 22: (6, 8, True), 23: (9, 11, True), 24: (12, 2, True),  # spring … winter
    25: (3, 5, True), 26: (6, 8, True), 27: (9, 11, True), 28: (12, 2, True),  # northern hemisphere
    29: (9, 11, True), 30: (12, 2, True), 31: (3, 5, True), 32: (6, 8, True),  # southern hemisphere
    33: (1, 3, False), 34: (4, 6, False), 35: (7, 9, False), 36: (10, 12, False),  # quarters
    37: (1, 4, False), 38: (5, 8, False), 39: (9, 12, False),  # quadrimesters
    40: (1, 6, False), 41: (7, 12, False),  # semesters
}
_OPEN = ("", "..")
_QUALIFIERS = "~?%"


class NoHonestEquivalent(ValueError):
    """The value cannot be said in the accepted grammar without inventing something."""


@dataclass(frozen=True)
class _Span:
    start: datetime.date
    end: datetime.date
    qualifier: str  # "", "~", "?" or "%"
    end_qualifier: str | None = None  # an interval's end, when it differs from its start


def _merge_qualifiers(*qualifiers: str) -> str:
    text = "".join(qualifiers)
    approximate = "~" in text or "%" in text
    uncertain = "?" in text or "%" in text
    return "%" if approximate and uncertain else "~" if approximate else "?" if uncertain else ""


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _digits_range(text: str, low: int, high: int) -> tuple[int, int]:
    """The smallest and largest number ``text`` (digits and X) can stand for, kept within [low, high]."""
    if not re.fullmatch(r"[0-9X]+", text):
        raise NoHonestEquivalent(f"“{text}” is not a number")
    smallest, largest = int(text.replace("X", "0")), int(text.replace("X", "9"))
    smallest, largest = max(smallest, low), min(largest, high)
    if smallest > largest:
        raise NoHonestEquivalent(f"“{text}” stands for no number from {low} to {high}")
    return smallest, largest


def _point(text: str) -> _Span:
    """One date of the old grammar (no interval) as the span of days it covers."""
    qualifier = _merge_qualifiers(*(c for c in text if c in _QUALIFIERS))
    plain = "".join(c for c in text if c not in _QUALIFIERS)
    match = re.fullmatch(r"([0-9X]{4})(?:-([0-9X]{2})(?:-([0-9X]{2}))?)?", plain)
    if not match:
        raise NoHonestEquivalent(f"“{text}” is not a date the site can show")
    year_text, month_text, day_text = match.groups()
    first_year, last_year = _digits_range(year_text, 1, 9999)
    if month_text and "X" not in month_text and int(month_text) in SEASONS:
        if day_text:
            raise NoHonestEquivalent(f"“{text}” has a day after a season")
        first, last, approximate = SEASONS[int(month_text)]
        end_year = last_year + (1 if last < first else 0)
        return _Span(
            datetime.date(first_year, first, 1),
            datetime.date(end_year, last, _last_day(end_year, last)),
            _merge_qualifiers(qualifier, "~" if approximate else ""),
        )
    first_month, last_month = _digits_range(month_text, 1, 12) if month_text else (1, 12)
    if day_text:
        first_day, _ = _digits_range(day_text, 1, 31)
        _, last_day = _digits_range(day_text, 1, _last_day(last_year, last_month))
        if "X" not in day_text and first_day > _last_day(first_year, first_month):
            raise NoHonestEquivalent(f"“{text}” is not a day of the calendar")
    else:
        first_day, last_day = 1, _last_day(last_year, last_month)
    return _Span(
        datetime.date(first_year, first_month, first_day),
        datetime.date(last_year, last_month, last_day),
        qualifier,
    )


def _text(span: _Span) -> str:
    """The shortest accepted value for ``span``: a year, month or day, or a closed interval of them."""
    start, end = span.start, span.end
    q, end_q = span.qualifier, span.qualifier if span.end_qualifier is None else span.end_qualifier
    whole_months = start.day == 1 and end.day == _last_day(end.year, end.month)
    whole_years = whole_months and start.month == 1 and end.month == 12
    if whole_years:
        points = [f"{start.year:04d}", f"{end.year:04d}"]
    elif whole_months:
        points = [f"{start.year:04d}-{start.month:02d}", f"{end.year:04d}-{end.month:02d}"]
    else:
        points = [start.isoformat(), end.isoformat()]
    if points[0] == points[1]:
        return points[0] + _merge_qualifiers(q, end_q)
    return f"{points[0]}{q}/{points[1]}{end_q}"


def nearest_accepted(value: str) -> tuple[str, str] | None:
    """The accepted value closest to ``value`` and why it changed, or None if ``value`` is accepted.

    Raises NoHonestEquivalent when there is none (see the module docstring)."""
    try:
        return _nearest(value)
    except ValueError as exc:  # a date the calendar does not have, among others
        if isinstance(exc, NoHonestEquivalent):
            raise
        raise NoHonestEquivalent(f"“{value}” is not a date the site can show ({exc})") from exc


def _nearest(value: str) -> tuple[str, str] | None:
    text = (value or "").strip()
    try:
        FuzzyDate.parse(text)
        return None
    except FuzzyDateError:
        pass
    if text.startswith(("[", "{")) and text.endswith(("]", "}")):
        members = [m.strip() for m in re.split(r",|\.\.", text[1:-1]) if m.strip()]
        if not members:
            raise NoHonestEquivalent(f"“{text}” is an empty set")
        spans = [_point(m) for m in members]
        one_of = text.startswith("[")
        span = _Span(
            min(s.start for s in spans),
            max(s.end for s in spans),
            _merge_qualifiers(*(s.qualifier for s in spans), "?" if one_of and len(spans) > 1 else ""),
        )
        why = "a set of dates, now the interval from its first to its last"
    elif "/" in text:
        first, _, last = text.partition("/")
        known = [side for side in (first, last) if side.strip() not in _OPEN]
        if not known:
            raise NoHonestEquivalent(f"“{text}” has no known end")
        if len(known) == 1:
            span = _point(known[0].strip())
            why = "an interval with an open or unknown end, now its known end"
        else:
            a, b = _point(first.strip()), _point(last.strip())
            span = _Span(a.start, b.end, a.qualifier, b.qualifier)
            why = "an interval the grammar no longer takes as written, now its closed bounds"
    else:
        span = _point(text)
        if "X" in text:
            why = "unspecified digits, now the range they stand for"
        elif re.search(r"-(2[1-9]|3[0-9]|4[01])(?![0-9])", text):
            why = "a season or part of a year, now its months"
        else:
            why = "a qualifier on part of the date, now on the whole date"
    if span.start > span.end:
        raise NoHonestEquivalent(f"“{text}” ends before it starts")
    if not (MIN_YEAR <= span.start.year and span.end.year <= MAX_YEAR):
        raise NoHonestEquivalent(f"“{text}” has a year outside {MIN_YEAR}–{MAX_YEAR}")
    result = _text(span)
    FuzzyDate.parse(result)  # every result is accepted (tests/test_legacy_dates.py checks many)
    return result, why


def fallback(start: datetime.date | None, end: datetime.date | None, created: datetime.datetime | None) -> str:
    """An accepted, uncertain stand-in for a value with no honest equivalent: its stored bounds when
    they are within the grammar's years, else the year the item was created."""
    return explained_fallback(start, end, created)[0]


def explained_fallback(start, end, created) -> tuple[str, str]:
    """:func:`fallback` and, in words for the report and the history, where the stand-in comes from. A
    year outside the grammar (``0900``) cannot be kept, and no in-range date is closer to it than any
    other, so the stand-in is never presented as the date: it is marked uncertain (?), the item goes
    back to draft for an editor, and the original value stays in the history reason."""
    if start and end and MIN_YEAR <= start.year and end.year <= MAX_YEAR and start <= end:
        return _text(_Span(start, end, "?")), "the bounds stored with the old value, marked uncertain"
    year = min(max((created or datetime.datetime.now(datetime.UTC)).year, MIN_YEAR), MAX_YEAR)
    return f"{year}?", (
        f"a placeholder, not a date from the text: the year the item was created ({year}), marked "
        "uncertain, since the stored bounds are unusable too"
    )


def repair_items(apps, using: str = "default", *, dry_run: bool = False) -> list[str]:
    """Rewrite every stored item (and draft revision) date the grammar refuses; returns the report.

    ``apps`` is a migration's app registry (or ``django.apps.apps``): only the historical models are used,
    so this runs the same from migration 0012 and from ``manage.py repair_dates``."""
    from django.db import transaction
    from django.utils import timezone

    Item = apps.get_model("timeline", "Item")
    HistoricalItem = apps.get_model("timeline", "HistoricalItem")
    DraftRevision = apps.get_model("timeline", "ItemDraftRevision")
    history_fields = {f.attname for f in HistoricalItem._meta.concrete_fields}
    item_fields = [f.attname for f in Item._meta.concrete_fields if f.attname in history_fields]
    links = [
        (name, apps.get_model("timeline", f"HistoricalItem_{name}"), target)
        for name, target in (("people", "entity"), ("organizations", "entity"), ("tags", "tag"))
    ]
    report: list[str] = []
    now = timezone.now()
    with transaction.atomic(using=using):
        for item in Item.objects.using(using).order_by("pk"):
            try:
                found = nearest_accepted(item.date_edtf)
            except NoHonestEquivalent as exc:
                new, source = explained_fallback(item.date_start, item.date_end, getattr(item, "created_at", None))
                standin, bounds = True, "stored with the old value" in source
                unpublish = item.status != "draft"
                why = f"no honest equivalent ({exc}); an uncertain stand-in: {source}" + (
                    f", and the item went from {item.status} back to draft for an editor" if unpublish else ""
                )
                if unpublish:
                    item.status, item.published_at = "draft", None
            else:
                if found is None:
                    continue
                new, why = found
                standin = bounds = False
            old = item.date_edtf
            report.append(f"item {item.slug}: date “{old}” → “{new}” ({why})")
            if dry_run:
                continue
            fuzzy = FuzzyDate.parse(new)
            item.date_edtf, item.date_start, item.date_end = fuzzy.edtf, fuzzy.start, fuzzy.end
            item.date_precision, item.date_approximate = fuzzy.precision, fuzzy.approximate
            if hasattr(item, "version"):
                item.version += 1  # an open form on the old value becomes stale
            item.save()
            record = HistoricalItem.objects.using(using).create(
                **{name: getattr(item, name) for name in item_fields},
                history_date=now,
                history_type="~",
                history_change_reason=(
                    f"Date “{old}” refused: uncertain stand-in “{new}” ({'stored bounds' if bounds else 'year created'})"
                    if standin
                    else f"Date “{old}” no longer accepted: now “{new}”"
                )[:100],
            )
            for name, model, target in links:  # the links as they are, like simple-history records them
                through = Item._meta.get_field(name).remote_field.through
                model.objects.using(using).bulk_create(
                    model(id=row_id, history=record, item_id=item.pk, **{f"{target}_id": pk})
                    for row_id, pk in through.objects.using(using)
                    .filter(item_id=item.pk)
                    .values_list("pk", f"{target}_id")
                )
        for draft in DraftRevision.objects.using(using).order_by("pk"):
            old = (draft.values or {}).get("date_edtf")
            if not isinstance(old, str):
                continue
            try:
                found = nearest_accepted(old)
            except NoHonestEquivalent as exc:
                report.append(f"draft revision of item {draft.item_id}: date “{old}” has no honest equivalent "
                              f"({exc}); left for an editor (publishing it asks for a date)")
                continue
            if found is None:
                continue
            new, why = found
            report.append(f"draft revision of item {draft.item_id}: date “{old}” → “{new}” ({why})")
            if not dry_run:
                draft.values = {**draft.values, "date_edtf": new}
                draft.save(update_fields=["values"])
    return report
