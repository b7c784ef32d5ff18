"""Fuzzy dates: an EDTF string with its bounds, precision and labels.

This module is the one date grammar of the site: the filter form (``from``/``to`` on every public
view), the admin, the chronology loader and the importers all parse with :meth:`FuzzyDate.parse`, and
everything a page shows of a date (labels in both languages, bounds, precision, sort key) is derived
from the parsed value. The grammar accepts exactly what those labels and bounds support:

- a year ``2015`` (from 1000 to 2999), a month ``2018-02`` (01-12) or a day ``2024-05-13`` that exists in
  the Gregorian calendar;
- optionally qualified as a whole: approximate ``2016~``, uncertain ``2023?`` or both ``2016%``;
- a closed interval of two of those, ``2023-11/2024-05``, that does not end before it starts.

Everything else EDTF allows is refused with a message that says what to write instead: seasons
(``2018-21``), unspecified digits (``201X``, ``2016-XX``), open or unknown interval ends (``2019/..``,
``/2020``), qualifiers on parts of a date (``2016-?06``), sets, long years, negative years. A
chronology built from news sources has no use for them, and a reader's label for each would be a
guess. The years stop at 1000 and 2999 because some surfaces cannot go further (iCalendar's
exclusive end after 9999-12-31, ``strftime`` dropping the leading zeros of years before 1000), and
a chronology of news has no use for them. Every accepted value is also valid EDTF with the same bounds as the ``edtf`` package computes
(``tests/test_dates.py`` checks both by property-based tests). Labels never turn a year into
1 January: ``2015`` is "2015", ``2016~`` is "c. 2016".
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass
from functools import cached_property

from django.utils.dates import MONTHS
from django.utils.translation import gettext as _

# Wikidata's precision codes: larger is finer. Sorting ascending puts coarser dates first.
YEAR, MONTH, DAY = 9, 10, 11
PRECISION_NAMES = {YEAR: "year", MONTH: "month", DAY: "day"}
PRECISION_CODES = {name: code for code, name in PRECISION_NAMES.items()}

# ASCII digits only (``\d`` would also take Arabic-Indic and full-width digits), months 01-12.
_POINT = r"(?P<y{n}>[0-9]{{4}})(?:-(?P<m{n}>0[1-9]|1[0-2])(?:-(?P<d{n}>0[1-9]|[12][0-9]|3[01]))?)?(?P<q{n}>[~?%])?"
_PATTERN = re.compile(rf"^{_POINT.format(n=1)}(?:/{_POINT.format(n=2)})?$")
MIN_YEAR, MAX_YEAR = 1000, 2999
MAX_LENGTH = 40  # the longest accepted value, "2023-11-01%/2024-05-31%", is 23 characters
HELP = (
    "Use a year (2015), a month (2018-02), a day (2024-05-13), add ~ for approximate or ? for "
    "uncertain (2016~), or join two with / for an interval (2023-11/2024-05), with years from "
    f"{MIN_YEAR} to {MAX_YEAR}. Seasons (2018-21), "
    "unspecified digits (201X) and open ends (2019/..) are not supported."
)


class FuzzyDateError(ValueError):
    """The text is not an EDTF date this application accepts."""


@dataclass(frozen=True)
class _Point:
    year: int
    month: int | None
    day: int | None
    qualifier: str  # "", "~", "?" or "%"

    @property
    def precision(self) -> int:
        return DAY if self.day else MONTH if self.month else YEAR

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, self.month or 1, self.day or 1)

    @property
    def end(self) -> datetime.date:
        if self.day:
            return self.start
        month = self.month or 12
        return datetime.date(self.year, month, calendar.monthrange(self.year, month)[1])

    @property
    def approximate(self) -> bool:
        return self.qualifier in ("~", "%")

    @property
    def uncertain(self) -> bool:
        return self.qualifier in ("?", "%")

    def label_en(self) -> str:
        if self.day:
            text = f"{calendar.month_name[self.month]} {self.day}, {self.year}"
        elif self.month:
            text = f"{calendar.month_name[self.month]} {self.year}"
        else:
            text = str(self.year)
        if self.approximate:
            text = f"c. {text}"
        if self.uncertain:
            text = f"{text}?"
        return text

    def label_zh(self) -> str:
        text = f"{self.year}年"
        if self.month:
            text += f"{self.month}月"
        if self.day:
            text += f"{self.day}日"
        if self.approximate:
            text = f"约{text}"
        if self.uncertain:
            text += "（存疑）"
        return text


@dataclass(frozen=True)
class FuzzyDate:
    """An accepted EDTF value. Build with :meth:`parse`."""

    edtf: str
    start: datetime.date
    end: datetime.date
    precision: int
    approximate: bool
    uncertain: bool
    _points: tuple[_Point, ...]

    @classmethod
    def parse(cls, value: str) -> FuzzyDate:
        """The accepted value of ``value``, or :class:`FuzzyDateError` saying what is wrong."""
        text = (value or "").strip() if isinstance(value, str) or value is None else None
        if text is None:
            raise FuzzyDateError(f"{value!r} is not text. {HELP}")
        match = _PATTERN.match(text) if len(text) <= MAX_LENGTH else None
        if not match:
            impossible = _impossible_part(text) if len(text) <= MAX_LENGTH else ""
            if impossible:
                raise FuzzyDateError(f"{text!r} is not a valid calendar date{impossible}. {HELP}")
            raise FuzzyDateError(f"{text[:MAX_LENGTH]!r} is not a supported EDTF date. {HELP}")
        points = []
        for n in ("1", "2"):
            if match.group(f"y{n}") is None:
                continue
            month = match.group(f"m{n}")
            day = match.group(f"d{n}")
            point = _Point(
                year=int(match.group(f"y{n}")),
                month=int(month) if month else None,
                day=int(day) if day else None,
                qualifier=match.group(f"q{n}") or "",
            )
            if not MIN_YEAR <= point.year <= MAX_YEAR:
                raise FuzzyDateError(f"{text!r} has a year outside {MIN_YEAR}-{MAX_YEAR}. {HELP}")
            try:
                point.start  # noqa: B018 - validates days the month does not have
            except ValueError:
                raise FuzzyDateError(f"{text!r} is not a valid calendar date{_impossible_part(text)}. {HELP}") from None
            points.append(point)
        start, end = points[0].start, points[-1].end
        if start > end:
            raise FuzzyDateError(f"{text!r} is an interval that ends before it starts.")
        return cls(
            edtf=text,
            start=start,
            end=end,
            # An interval is only as precise as its coarser end.
            precision=min(p.precision for p in points),
            approximate=any(p.approximate for p in points),
            uncertain=any(p.uncertain for p in points),
            _points=tuple(points),
        )

    @property
    def is_interval(self) -> bool:
        return len(self._points) == 2

    @property
    def precision_name(self) -> str:
        return PRECISION_NAMES[self.precision]

    @cached_property
    def label_en(self) -> str:
        return " – ".join(p.label_en() for p in self._points)

    @cached_property
    def label_zh(self) -> str:
        return "–".join(p.label_zh() for p in self._points)

    def label(self, language: str) -> str:
        return self.label_zh if language.startswith("zh") else self.label_en

    @property
    def sort_key(self) -> tuple[datetime.date, int]:
        """Lower bound first, then coarser precision first (a year sorts before its January)."""
        return (self.start, self.precision)

    def as_dict(self) -> dict:
        return {
            "edtf": self.edtf,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "precision": self.precision_name,
            "approximate": self.approximate,
            "label": {"en": self.label_en, "zh": self.label_zh},
        }

    def __str__(self) -> str:
        return self.edtf


def _impossible_part(text: str) -> str:
    """Which part of a date that matched the pattern is out of range, in words (not the parser's)."""
    for part in text.replace("~", "").replace("?", "").replace("%", "").split("/"):
        pieces = part.split("-")
        # 21-41 are EDTF's seasons and sub-years: not supported (the help says so), not "no such month".
        if len(pieces) >= 2 and pieces[1].isdigit() and (int(pieces[1]) == 0 or 13 <= int(pieces[1]) <= 20):
            return _(": there is no month %(month)s") % {"month": pieces[1]}
        if len(pieces) == 3 and all(p.isascii() and p.isdigit() for p in pieces):  # not "-01-01" (no year)
            year, month, day = (int(p) for p in pieces)
            if 1 <= month <= 12 and not 1 <= day <= calendar.monthrange(year, month)[1]:
                words = {"month_name": MONTHS[month], "year": year, "day": day}
                return _(": %(month_name)s %(year)s has no day %(day)s") % words
    return ""


def date_problem(text: str) -> str:
    """Why ``text`` is refused, in one short sentence, when there is a more specific reason than "not a
    date" (an EDTF feature this application leaves out, an impossible day, a year out of range); else ""."""
    text = (text or "").strip()
    if len(text) > MAX_LENGTH:
        return ""
    bare = text.replace("~", "").replace("?", "").replace("%", "")
    if re.fullmatch(r"[0-9]{4}-(2[1-9]|3[0-9]|4[01])", bare):
        return _("%(text)s is an EDTF season or part of a year, which is not supported") % {"text": text}
    if re.fullmatch(r"[0-9Xx]{4}(-[0-9Xx]{2}){0,2}", bare) and "x" in bare.lower():
        return _("%(text)s has unspecified digits (X), which are not supported") % {"text": text}
    if ".." in bare or bare.startswith("/") or bare.endswith("/"):
        return _("%(text)s has an open end (..), which is not supported") % {"text": text}
    impossible = _impossible_part(text)
    if impossible:
        return _("%(text)s is not a real date%(why)s") % {"text": text, "why": impossible}
    years = [int(y) for y in re.findall(r"(?<![0-9])([0-9]{4})(?![0-9])", bare)]
    if _PATTERN.match(text) and any(not MIN_YEAR <= y <= MAX_YEAR for y in years):
        return _("%(text)s has a year outside %(min)s–%(max)s") % {"text": text, "min": MIN_YEAR, "max": MAX_YEAR}
    return ""
