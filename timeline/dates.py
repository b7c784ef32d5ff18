"""Fuzzy dates: an EDTF string with its bounds, precision and labels.

We accept the part of EDTF (ISO 8601-2) a newsroom chronology needs: a year, a month or a day,
optionally approximate (``~``), uncertain (``?``) or both (``%``), and closed intervals of those
(``2023-11/2024-05``). Bounds come from the ``edtf`` package; labels never turn a year into
1 January: ``2015`` is "2015", ``2016~`` is "c. 2016".
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass
from functools import cached_property

from edtf import parse_edtf, struct_time_to_date
from edtf.parser.edtf_exceptions import EDTFParseException

# Wikidata's precision codes: larger is finer. Sorting ascending puts coarser dates first.
YEAR, MONTH, DAY = 9, 10, 11
PRECISION_NAMES = {YEAR: "year", MONTH: "month", DAY: "day"}
PRECISION_CODES = {name: code for code, name in PRECISION_NAMES.items()}

_POINT = r"(?P<y{n}>\d{{4}})(?:-(?P<m{n}>\d{{2}})(?:-(?P<d{n}>\d{{2}}))?)?(?P<q{n}>[~?%])?"
_PATTERN = re.compile(rf"^{_POINT.format(n=1)}(?:/{_POINT.format(n=2)})?$")


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
        text = (value or "").strip()
        match = _PATTERN.match(text)
        if not match:
            raise FuzzyDateError(
                f"{value!r} is not a supported EDTF date. Use a year (2015), a month (2018-02), a day "
                "(2024-05-13), add ~ for approximate or ? for uncertain (2016~), or join two with / for "
                "an interval (2023-11/2024-05)."
            )
        try:
            parsed = parse_edtf(text)
            start = struct_time_to_date(parsed.lower_strict())
            end = struct_time_to_date(parsed.upper_strict())
        except (EDTFParseException, ValueError, OverflowError) as exc:
            raise FuzzyDateError(f"{value!r} is not a valid calendar date{_impossible_part(text)}.") from exc
        points = []
        for n in ("1", "2"):
            if match.group(f"y{n}") is None:
                continue
            month = match.group(f"m{n}")
            day = match.group(f"d{n}")
            points.append(
                _Point(
                    year=int(match.group(f"y{n}")),
                    month=int(month) if month else None,
                    day=int(day) if day else None,
                    qualifier=match.group(f"q{n}") or "",
                )
            )
        if start > end:
            raise FuzzyDateError(f"{value!r} is an interval that ends before it starts.")
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
        if len(pieces) >= 2 and pieces[1].isdigit() and not 1 <= int(pieces[1]) <= 12:
            return f": there is no month {pieces[1]}"
        if len(pieces) == 3 and pieces[1].isdigit() and pieces[2].isdigit():
            year, month, day = (int(p) for p in pieces)
            if 1 <= month <= 12 and not 1 <= day <= calendar.monthrange(year, month)[1]:
                return f": {calendar.month_name[month]} {year} has no day {day}"
    return ""
