"""Generated EDTF-like text for property-based and fuzz tests, with an oracle of what the site accepts.

One grammar generator serves Hypothesis (``edtf_texts()``) and the seeded fuzz test
(``random_edtf(rng)``): it draws from every EDTF level (ISO 8601-2) and beyond it: seasons,
unspecified digits, open and unknown interval ends, qualifiers on parts, sets, long and negative
years, times, malformed numbers. Each sample comes with ``supported``, decided from how it was
built (not by the regular expression under test): True exactly when it is a year, month or day
that exists, optionally qualified as a whole, or a closed interval of two such that does not end
before it starts, with years from 1000 to 2999; that is the grammar ``timeline/dates.py`` documents.
"""

from __future__ import annotations

import calendar
import datetime
import random
from dataclasses import dataclass

from hypothesis import strategies as st

QUALIFIERS = ["", "", "", "~", "?", "%"]


@dataclass(frozen=True)
class Sample:
    text: str
    supported: bool


@dataclass(frozen=True)
class _Point:
    text: str
    supported: bool
    start: datetime.date | None = None
    end: datetime.date | None = None


def _point(choose, integer) -> _Point:
    shape = choose(["year", "month", "day", "day", "month", "odd"])
    if shape == "odd":
        text = choose([
            "201X", "20XX", "2016-XX", "2016-XX-XX", "2016-06-XX", "XXXX", "-0100", "Y170000002", "Y-17E7",
            "2016-21", "2018-22", "2019-23", "2020-24", "2021-25", "2016-41", "2016-?06", "?2016-06",
            "2016-06-~11", "2016-00", "2016-13", "2016-99", "2016-02-30", "2015-02-29", "2016-04-31",
            "2016-06-00", "2016-06-32", "0000", "0000-01", "201", "20160", "2016-6", "2016-06-1",
            "2016-06-11T10:00:00", "2016-06-11T10:00:00Z", "[2016,2017]", "{2016..2018}", "2016S2",
            "١٠١٦", "２０１６", "2016--06", "2016-06-", "2016~~", "2016?~",
        ])
        return _Point(text, False)
    year = integer(1000, 2999) if choose([True, True, True, False]) else integer(1, 9999)
    if not 1000 <= year <= 2999:  # outside the documented years (timeline/dates.py says why)
        return _Point(f"{year:04d}" + choose(["", "-06", "-06-11"]) + choose(QUALIFIERS), False)
    if shape == "year":
        text = f"{year:04d}"
        start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    else:
        month = integer(1, 12)
        last = calendar.monthrange(year, month)[1]
        if shape == "month":
            text = f"{year:04d}-{month:02d}"
            start, end = datetime.date(year, month, 1), datetime.date(year, month, last)
        else:
            day = integer(1, 31)
            text = f"{year:04d}-{month:02d}-{day:02d}"
            if day > last:  # 2015-02-29, 2016-04-31: well formed, not in the calendar
                return _Point(text + choose(QUALIFIERS), False)
            start = end = datetime.date(year, month, day)
    return _Point(text + choose(QUALIFIERS), True, start, end)


def build(choose, integer) -> Sample:
    """One sample; ``choose(list)`` picks an element, ``integer(lo, hi)`` an int in [lo, hi]."""
    shape = choose(["point", "point", "interval", "interval", "open", "junk"])
    if shape == "junk":
        return Sample(choose(["", "..", "/", "//", "2016//2017", "2016/2017/2018", "x", "2016-06-11/", "null",
                              "2015 2016", "2016,2017", "<script>", "%", "a" * 60]), False)
    first = _point(choose, integer)
    if shape == "point":
        return Sample(first.text, first.supported)
    if shape == "open":
        text = choose([f"{first.text}/..", f"../{first.text}", f"{first.text}/", f"/{first.text}"])
        return Sample(text, False)
    second = _point(choose, integer)
    supported = first.supported and second.supported and first.start <= second.end
    return Sample(f"{first.text}/{second.text}", supported)


@st.composite
def edtf_samples(draw) -> Sample:
    return build(lambda options: draw(st.sampled_from(options)),
                 lambda lo, hi: draw(st.integers(lo, hi) | st.sampled_from([y for y in (1, 999, 1000, 2015, 2016, 2023, 2999, 3000, 9999)
                                                                             if lo <= y <= hi])))


def random_edtf(rng: random.Random) -> Sample:
    """The same grammar from a seeded generator (the fuzz test)."""
    return build(rng.choice, lambda lo, hi: rng.choice([rng.randint(lo, hi), max(lo, min(hi, 2016))]))
