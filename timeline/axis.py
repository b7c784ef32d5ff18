"""The time axis of the filtered chronology: plain numbers for a server-rendered SVG and its links.

The axis zooms with the selected range: whole decades by year, a range of three years or less by
month, three months or less by day. Every item is counted once: an item whose date falls inside one
column (a day, a month, a year) adds to that column's bar; an interval, an approximate date or a
date coarser than a column is drawn once as a span across the columns it may fall in (soft ends
where a bound is approximate, open ends where it runs past the axis). Bars plus spans add up to the
number of items, and every span is drawn: up to MAX_LANES rows, thinner beyond four.

Coordinates are in column units (``COLUMN`` per column), so the template multiplies nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from operator import itemgetter

YEAR, MONTH, DAY = "year", "month", "day"
COLUMN = 10  # width of one column in SVG units
GAP = 2
HEIGHT = 60  # tallest bar
LANE = 5  # height of one row of spans, while they fit in LANES_HEIGHT
LANES_HEIGHT = 4 * LANE  # the rows of spans never take more: more rows are thinner, the axis keeps its height
MAX_LANES = 10  # rows of spans; beyond them a span shares the row where it overlaps least (still drawn)
MAX_MARKS = 200  # items drawn as points: every day's items when zoomed to days, else key moments
BAND = 6  # era strip under the bars
# A mark's tap target is a box around it with a 24px stroke (12px each side, CSS .hit), cut by the axis's
# top edge: its box reaches at least this far down so that the target is still 24px tall inside the axis
# for a mark at the top (12px of stroke plus 21 units, 12px on a phone, where 90 units are 52px high).
HIT_DEPTH = 21
PALETTE_SIZE = 7
MONTH_NAMES_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                  "October", "November", "December")
MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


MAX_DAYS = 92  # three months or less, by day: the longest three calendar months, or any 92 days


def zoom_for(start: datetime.date, end: datetime.date) -> str:
    """Year columns for long ranges, months for three years or less, days for three months or less
    (counted in days: 15 September to 14 December is three months, though it touches four)."""
    if (end - start).days + 1 <= MAX_DAYS:
        return DAY
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    if months <= 36:
        return MONTH
    return YEAR


def column_of(day: datetime.date, zoom: str, origin: datetime.date) -> int:
    if zoom == YEAR:
        return day.year - origin.year
    if zoom == MONTH:
        return (day.year - origin.year) * 12 + day.month - origin.month
    return (day - origin).days


def _columns_of(rows, zoom: str, origin: datetime.date) -> list[tuple[int, int]]:
    """``(column_of(start), column_of(end))`` of every row, one comprehension per zoom (a search's
    rows are a thousand groups or more: a call per date was most of drawing its axis)."""
    if zoom == YEAR:
        base = origin.year
        return [(row[0].year - base, row[1].year - base) for row in rows]
    if zoom == MONTH:
        base = origin.year * 12 + origin.month
        return [(row[0].year * 12 + row[0].month - base, row[1].year * 12 + row[1].month - base) for row in rows]
    base = origin.toordinal()
    return [(row[0].toordinal() - base, row[1].toordinal() - base) for row in rows]


def column_bounds(index: int, zoom: str, origin: datetime.date) -> tuple[datetime.date, datetime.date]:
    """First and last day of column ``index``."""
    if zoom == YEAR:
        year = origin.year + index
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    if zoom == MONTH:
        months = origin.year * 12 + origin.month - 1 + index
        first = datetime.date(months // 12, months % 12 + 1, 1)
        following = datetime.date((months + 1) // 12, (months + 1) % 12 + 1, 1)
        return first, following - datetime.timedelta(days=1)
    day = origin + datetime.timedelta(days=index)
    return day, day


def column_edtf(first: datetime.date, zoom: str) -> str:
    return {YEAR: f"{first.year:04d}", MONTH: f"{first.year:04d}-{first.month:02d}"}.get(zoom, first.isoformat())


def column_label(first: datetime.date, zoom: str, language: str) -> str:
    if zoom == YEAR:
        return f"{first.year}年" if language == "zh" else str(first.year)
    if zoom == MONTH:
        return f"{first.year}年{first.month}月" if language == "zh" else f"{MONTHS_EN[first.month - 1]} {first.year}"
    if language == "zh":
        return f"{first.year}年{first.month}月{first.day}日"
    return f"{MONTHS_EN[first.month - 1]} {first.day}, {first.year}"


def short_label(first: datetime.date, zoom: str, language: str) -> str:
    """The tick under a column: 2023, Nov 2023 / 2023年11月, or 17."""
    if zoom == YEAR:
        return str(first.year)
    if zoom == MONTH:
        if language == "zh":
            return f"{first.month}月" if first.month != 1 else f"{first.year}年"
        return MONTHS_EN[first.month - 1] if first.month != 1 else str(first.year)
    return str(first.day)


# Which labels under the axis are shown. The row of links is as wide as the plot; at the narrowest
# width of each layout (a 320px phone: 288px; the wide layout from 641px: 609px) the shown labels must
# be whole and apart. A label is drawn centred on its column, the first one from the left edge and the
# last one up to the right edge; every bound below only moves apart as the row gets wider, so labels
# that are apart at the narrowest width are apart at every width of that layout.
LAYOUTS = (("p", 288), ("d", 609))  # class of a label shown on phones / on wide screens, narrowest row
STEPS = (1, 2, 3, 5, 10, 20, 50, 100)  # every n-th column from the first
TICK_FONT = 12.8  # .8rem
TICK_PAD = 4  # padding of a label (2px each side), its least width (a tap target) and the gap between two
TICK_MIN = 24
TICK_GAP = 4


def tick_width(text: str) -> float:
    """A generous estimate of a label's width in px: digits and lower case .65em, capitals .9em, CJK 1em
    (DejaVu Sans, the widest of the usual fonts, draws "2023" 33px wide at .8rem)."""
    ems = sum(1.0 if ord(ch) > 0x2E80 else .9 if ch.isupper() else .65 for ch in text)
    return max(TICK_MIN, ems * TICK_FONT + TICK_PAD)


def shown_ticks(ticks: list[str], row: float) -> set[int]:
    """The columns whose label is shown in a row ``row`` px wide: the first, every n-th after it (the
    smallest n whose labels have room) and the last, each only where it does not meet its neighbours."""
    size = len(ticks)
    if not size:
        return set()
    column = row / size
    widths = [tick_width(tick) for tick in ticks]
    step = next((n for n in STEPS if n * column >= max(widths) + TICK_GAP), None)
    if step is None:
        return {0}

    def box(index):
        if index == 0:
            return 0, widths[0]
        if index == size - 1:
            return row - widths[index], row
        middle = (index + .5) * column
        return middle - widths[index] / 2, middle + widths[index] / 2

    shown: list[int] = []
    for index in [*range(0, size, step), size - 1]:
        left, right = box(index)
        if left < 0 or right > row:
            continue
        while shown and box(shown[-1])[1] + TICK_GAP > left:
            if index != size - 1 or shown[-1] == 0:
                break
            shown.pop()  # the last column's label is shown rather than the one just before it
        if shown and box(shown[-1])[1] + TICK_GAP > left:
            continue
        if not shown or shown[-1] != index:
            shown.append(index)
    return set(shown)


def tick_classes(ticks: list[str]) -> list[str]:
    """Per column, the classes of the layouts whose row shows its label ("p d", "p", "d" or "")."""
    shown = [(name, shown_ticks(ticks, row)) for name, row in LAYOUTS]
    return [" ".join(name for name, columns in shown if index in columns) for index in range(len(ticks))]


@dataclass(frozen=True)
class Column:
    index: int
    first: datetime.date
    last: datetime.date
    edtf: str
    label: str
    tick: str
    count: int
    key_count: int
    x: float
    width: float
    y: float
    height: float
    key_y: float
    key_height: float
    # What the column's link (from=to=this column) lists: items dated inside it (exactly or not, the
    # page's "within the period"), and every item whose dates touch it (the page's count).
    within: int = 0
    overlap: int = 0


@dataclass(frozen=True)
class Span:
    """Items sharing one uncertain range, drawn once as a line across the columns they may fall in."""

    count: int
    key_count: int
    first: int  # column indexes, clipped to the axis
    last: int
    soft_start: bool
    soft_end: bool
    open_start: bool  # runs past the axis
    open_end: bool
    label: str
    unit: str = ""  # MONTH or YEAR: exactly one whole month (days shown) or year (months shown)
    lane: int = 0
    x: float = 0
    width: float = 0
    y: float = 0


@dataclass(frozen=True)
class Mark:
    """One item drawn as a point (a day, or a key moment): clicking it jumps to the item."""

    slug: str
    url: str
    title: str
    date_label: str
    key: bool
    x: float
    y: float
    width: float = 2
    hit_height: float = 5  # of its tap target's box (see HIT_DEPTH)


@dataclass(frozen=True)
class Band:
    slug: str
    name: str
    colour: int
    x: float
    width: float
    url: str


@dataclass
class Axis:
    zoom: str
    origin: datetime.date
    end: datetime.date
    columns: list[Column]
    spans: list[Span]
    bands: list[Band]
    marks: list[Mark] = field(default_factory=list)
    width: float = 0
    height: float = 0
    plot_height: float = 0
    band_y: float = 0
    band: float = BAND
    lanes_y: float = 0
    lane_height: float = 3  # of a span's bar: thinner when there are more than four rows

    @property
    def bar_total(self) -> int:
        return sum(column.count for column in self.columns)

    @property
    def span_total(self) -> int:
        return sum(span.count for span in self.spans)

    @property
    def total(self) -> int:
        return self.bar_total + self.span_total

    @property
    def unit_spans(self) -> list[Span]:
        """Spans of items known only to a month (or year) coarser than the columns: drawn as a band."""
        return [span for span in self.spans if span.unit]

    @property
    def lane_spans(self) -> list[Span]:
        return [span for span in self.spans if not span.unit]

    @property
    def unit_total(self) -> int:
        return sum(span.count for span in self.unit_spans)

    @property
    def peak(self) -> Column | None:
        best = max(self.columns, key=lambda column: column.count, default=None)
        return best if best and best.count else None

    @property
    def first_label(self) -> str:
        return self.columns[0].label

    @property
    def last_label(self) -> str:
        return self.columns[-1].label


def _n(value: float) -> float | int:
    value = round(value, 1)
    return int(value) if value == int(value) else value


def _pack(spans: list[Span]) -> list[Span]:
    """Greedy lanes: each span in the first lane where it fits, in up to MAX_LANES lanes; a span that
    fits in none of them shares the lane that is free soonest (drawn over, never left out). Whole-unit
    spans (a month on a day axis, a year on a month axis) take no lane: they are drawn as a band behind
    the bars."""
    ends: list[int] = []
    placed = []
    for span in sorted(spans, key=lambda s: (s.first, -s.last)):
        if span.unit:
            placed.append(Span(**{**span.__dict__, "x": _n(span.first * COLUMN),
                                  "width": _n((span.last - span.first + 1) * COLUMN)}))
            continue
        for lane, end in enumerate(ends):
            if span.first > end:
                ends[lane] = span.last
                break
        else:
            if len(ends) < MAX_LANES:
                ends.append(span.last)
                lane = len(ends) - 1
            else:
                lane = min(range(len(ends)), key=ends.__getitem__)
                ends[lane] = max(ends[lane], span.last)
        placed.append(
            Span(**{**span.__dict__, "lane": lane, "x": _n(span.first * COLUMN + GAP / 2),
                    "width": _n((span.last - span.first + 1) * COLUMN - GAP)})
        )
    return placed


def domain(rows, window) -> tuple[datetime.date, datetime.date, str]:
    """The first and last day the axis shows, and its zoom: the from/to window where given, else
    the extent of the items."""
    # map/itemgetter: a search's rows are a thousand groups or more, read here without a Python frame each.
    low = window[0] or min(map(itemgetter(0), rows))
    high = window[1] or max(map(itemgetter(1), rows))
    high = max(high, low)
    return low, high, zoom_for(low, high)


def build(
    rows: Iterable[tuple[datetime.date, datetime.date, bool, int, int]],
    *,
    window: tuple[datetime.date | None, datetime.date | None] = (None, None),
    eras=(),
    era_urls: dict[str, str] | None = None,
    marks: Iterable = (),
    language: str = "en",
) -> Axis | None:
    """``rows``: (date_start, date_end, approximate, importance, count) of the filtered items;
    ``window``: the from/to bounds (None where open); ``marks``: items to draw as points
    (objects with slug, date_start, date_end, importance, a ``date`` FuzzyDate and titles)."""
    rows = list(rows)
    if not rows:
        return None
    low, high, zoom = domain(rows, window)
    origin = column_bounds(0, zoom, datetime.date(low.year, low.month if zoom != YEAR else 1,
                                                  low.day if zoom == DAY else 1))[0]
    size = column_of(high, zoom, origin) + 1
    counts = [0] * size
    keys = [0] * size
    within = [0] * size
    touching = [0] * (size + 1)  # differences: an item adds one from its first column to its last
    grouped: dict[tuple, list[int]] = {}
    for (_start, _end, approximate, importance, n), (first, last) in zip(rows, _columns_of(rows, zoom, origin),
                                                                       strict=True):
        if last >= 0 and first < size:
            touching[max(first, 0)] += n
            touching[min(last, size - 1) + 1] -= n
        if first == last and 0 <= first < size:
            within[first] += n
            if not approximate:
                counts[first] += n
                if importance == 3:
                    keys[first] += n
                continue
        key = (max(first, 0), min(last, size - 1), approximate and first >= 0, approximate and last < size,
               first < 0, last >= size)
        entry = grouped.setdefault(key, [0, 0])
        entry[0] += n
        entry[1] += n if importance == 3 else 0
    tallest = max(counts) or 1
    columns = []
    overlap = 0
    for index in range(size):
        overlap += touching[index]
        first, last = column_bounds(index, zoom, origin)
        height = HEIGHT * counts[index] / tallest
        key_height = HEIGHT * keys[index] / tallest
        columns.append(
            Column(
                index=index, first=first, last=last, edtf=column_edtf(first, zoom),
                label=column_label(first, zoom, language), tick=short_label(first, zoom, language),
                count=counts[index], key_count=keys[index],
                x=_n(index * COLUMN + GAP / 2), width=COLUMN - GAP,
                y=_n(HEIGHT - height), height=_n(height),
                key_y=_n(HEIGHT - key_height), key_height=_n(key_height),
                within=within[index], overlap=overlap,
            )
        )
    spans = []
    for (first, last, soft_start, soft_end, open_start, open_end), (n, key_n) in grouped.items():
        unit = "" if soft_start or soft_end or open_start or open_end else _whole_unit(
            columns[first].first, columns[last].last, zoom)
        if unit:
            label = unit_label(columns[first].first, unit, language)
        else:
            label = f"{columns[first].label} – {columns[last].label}" if first != last else columns[first].label
        spans.append(Span(n, key_n, first, last, soft_start, soft_end, open_start, open_end, label, unit))
    spans = _pack(spans)
    lanes = max((span.lane + 1 for span in spans if not span.unit), default=0)
    lanes_y = HEIGHT + GAP
    # A row is LANE high (its bar 3, centred) while four fit; more rows share LANES_HEIGHT, thinner.
    pitch = min(LANE, LANES_HEIGHT / lanes) if lanes else LANE
    spans = [Span(**{**span.__dict__, "y": 0 if span.unit else _n(lanes_y + span.lane * pitch + pitch / 5)})
             for span in spans]
    band_y = _n(lanes_y + lanes * pitch + (GAP if lanes else 0))
    axis_end = column_bounds(size - 1, zoom, origin)[1]
    bands = []
    for order, era in enumerate(eras):
        left = max(era.start, origin)
        right = min(era.end, axis_end)
        if right < left:
            continue
        x0 = _fraction(left, zoom, origin)
        x1 = _fraction(right + datetime.timedelta(days=1), zoom, origin)
        bands.append(
            Band(era.slug, era.name_zh if language == "zh" else era.name_en, order % PALETTE_SIZE,
                 _n(x0 * COLUMN), _n((x1 - x0) * COLUMN), (era_urls or {}).get(era.slug, ""))
        )
    # Up to MAX_MARKS marks: their columns in one comprehension, each column's mark position once.
    # The marks of one column share its width side by side (in date order), each in its own slot,
    # so that every one of them can be pointed at and clicked; a column's only mark is at its middle.
    marks = list(marks)
    mark_y = [_n(max(column.y - 7, 0)) for column in columns]
    title = "title_zh" if language == "zh" else "title_en"
    placed = [
        (item, first)
        for item, (first, last) in zip(marks, _columns_of([(m.date_start, m.date_end) for m in marks], zoom, origin),
                                       strict=True)
        if first == last and 0 <= first < size
    ]
    per_column = [0] * size
    for _item, first in placed:
        per_column[first] += 1
    taken = [0] * size
    drawn_marks = []
    for item, first in placed:
        slot = COLUMN / per_column[first]
        width = min(2, slot * 3 / 5)
        drawn_marks.append(Mark(
            item.slug, item.get_absolute_url(), getattr(item, title), item.date.label(language), item.importance == 3,
            _n(first * COLUMN + slot * taken[first] + slot / 2 - width / 2), mark_y[first], _n(width),
            _n(max(5, HIT_DEPTH - mark_y[first])),
        ))
        taken[first] += 1
    return Axis(
        zoom=zoom, origin=origin, end=axis_end, columns=columns, spans=spans,
        bands=bands, marks=drawn_marks, width=size * COLUMN, height=_n(band_y + BAND), plot_height=HEIGHT,
        band_y=band_y, lanes_y=lanes_y, lane_height=_n(pitch * 3 / 5),
    )


def _whole_unit(first: datetime.date, last: datetime.date, zoom: str) -> str:
    """MONTH when ``first``–``last`` is one whole calendar month on a day axis, YEAR when it is one
    whole year on a month (or day) axis; else "". Such items are dated to that month or year only."""
    if zoom == YEAR or first.day != 1 or (last + datetime.timedelta(days=1)).day != 1:
        return ""
    if zoom == DAY and first.year == last.year and first.month == last.month:
        return MONTH
    if first.month == 1 and last.month == 12 and first.year == last.year:
        return YEAR
    return ""


def unit_label(first: datetime.date, unit: str, language: str) -> str:
    """A month or a year, said as the date is known: "November 2023 (day not known)"."""
    if unit == MONTH:
        if language == "zh":
            return f"{first.year}年{first.month}月（日期不详）"
        return f"{MONTH_NAMES_EN[first.month - 1]} {first.year} (day not known)"
    return f"{first.year}年（月份不详）" if language == "zh" else f"{first.year} (month not known)"


def _fraction(day: datetime.date, zoom: str, origin: datetime.date) -> float:
    """Column position of a day, with the fraction of its column (for era bands)."""
    index = column_of(day, zoom, origin)
    first, last = column_bounds(index, zoom, origin)
    length = (last - first).days + 1
    return index + (day - first).days / length
