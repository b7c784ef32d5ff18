"""Geometry of the year-density chart: plain numbers for a server-rendered SVG.

One column per year, its height the number of items overlapping that year (key moments drawn as
the darker lower part), over a strip of era bands. The SVG's coordinates are in "year units" so
the template only multiplies nothing: every x, y, width and height is computed here.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

COLUMN = 10  # width of one year in SVG units
GAP = 2
HEIGHT = 60  # tallest bar
BAND = 6  # era strip under the bars
PALETTE_SIZE = 7


@dataclass(frozen=True)
class Bar:
    year: int
    count: int
    key_count: int
    url: str
    selected: bool
    x: float
    width: float
    y: float
    height: float
    key_y: float
    key_height: float


@dataclass(frozen=True)
class Band:
    slug: str
    name: str
    colour: int  # palette index, by the era's order
    x: float
    width: float
    url: str


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    bands: list[Band]
    width: float
    height: float
    band_y: float
    band: float
    first_year: int
    last_year: int
    total: int
    peak: Bar | None
    labels: list[int]  # years to print under the chart


def _n(value: float) -> float | int:
    """Short SVG numbers: one decimal, and no ".0"."""
    value = round(value, 1)
    return int(value) if value == int(value) else value


def _year_fraction(day: datetime.date) -> float:
    start = datetime.date(day.year, 1, 1)
    length = (datetime.date(day.year + 1, 1, 1) - start).days
    return day.year + (day - start).days / length


def build(bars, eras, era_urls: dict[str, str], language: str) -> Chart | None:
    """``bars``: filters.YearBar list; ``eras``: Era rows in order (all of them, for stable colours)."""
    if not bars:
        return None
    first, last = bars[0].year, bars[-1].year
    tallest = max(bar.count for bar in bars) or 1
    drawn = []
    for index, bar in enumerate(bars):
        height = HEIGHT * bar.count / tallest
        key_height = HEIGHT * bar.key_count / tallest
        drawn.append(
            Bar(
                year=bar.year,
                count=bar.count,
                key_count=bar.key_count,
                url=bar.url,
                selected=bar.selected,
                x=_n(index * COLUMN + GAP / 2),
                width=COLUMN - GAP,
                y=_n(HEIGHT - height),
                height=_n(height),
                key_y=_n(HEIGHT - key_height),
                key_height=_n(key_height),
            )
        )
    bands = []
    for order, era in enumerate(eras):
        left = max(_year_fraction(era.start), first)
        right = min(_year_fraction(era.end + datetime.timedelta(days=1)), last + 1)
        if right <= left:
            continue
        bands.append(
            Band(
                slug=era.slug,
                name=era.name_zh if language == "zh" else era.name_en,
                colour=order % PALETTE_SIZE,
                x=_n((left - first) * COLUMN),
                width=_n((right - left) * COLUMN),
                url=era_urls[era.slug],
            )
        )
    span = last - first
    step = 1 if span <= 8 else 5
    labels = sorted({first, last, *(year for year in range(first, last + 1) if year % step == 0)})
    if len(labels) > 2 and labels[1] - labels[0] < 3:
        labels.pop(1)  # keep the first label from colliding with a round year beside it
    if len(labels) > 2 and labels[-1] - labels[-2] < 3:
        labels.pop(-2)
    peak = max(drawn, key=lambda bar: bar.count)
    return Chart(
        bars=drawn,
        bands=bands,
        width=len(bars) * COLUMN,
        height=HEIGHT + GAP + BAND,
        band_y=HEIGHT + GAP,
        band=BAND,
        first_year=first,
        last_year=last,
        total=sum(bar.count for bar in bars),
        peak=peak if peak.count else None,
        labels=labels,
    )
