"""An in-memory index of the published items, for facet counts, time-axis rows and page ids.

Every published item has a *position*: its place in the one chronological order
(``CHRONOLOGICAL_ORDER``, as the database sorts it). For each facet the index holds which value(s)
each position has, as numpy arrays:

- kind, era, speaker and importance: one value code per position;
- people, organisations, topics and sources: (position, value code) pairs, one per link.

A filter set is then a boolean mask over the positions (one AND per active filter), a facet's
counts are one ``bincount`` of the positions its mask keeps (counted, as the SQL does, under every
filter except the facet's own), the time axis groups by (start, end, approximate, importance) the
same way, and a page of ids is a slice of the mask's true positions. All of this costs a few
passes over arrays of about one machine word per item and link (a few milliseconds at 100,000
items) instead of nine grouped queries over the item tables.

The index is built once per *structure version* (``timeline.http.structure_version``, which every
write that can change which items are published, their order, dates, kinds, eras, speakers,
importance, people, organisations, topics or cited sources bumps) and kept in this process; the
version is read before the rows, so an index is never labelled newer than its data. It holds only
published items. Text search is not part of it: the ids that match a query come from the search
engine (``timeline.search``) on each request and become a mask.

Inside a transaction the index is built for that request and not kept: there it could see writes
that are not committed (and may never be), under a version that does not count them yet.
"""

from __future__ import annotations

import datetime
import threading
from dataclasses import dataclass

import numpy as np
from django.db import connection
from django.db.models import CharField, Func

from timeline.http import structure_version
from timeline.models import CHRONOLOGICAL_ORDER, Citation, Item, Passage, Status


class DateText(Func):
    """A date column as ISO text (``YYYY-MM-DD``) whatever the session's settings: ``CAST`` on SQLite
    (which stores dates as ISO text), ``to_char`` on PostgreSQL, where a cast follows ``DateStyle``
    ("SQL, DMY" casts to ``01/01/2005``)."""

    template = "CAST(%(expressions)s AS TEXT)"
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="to_char(%(expressions)s, 'YYYY-MM-DD')", **extra)

SINGLE = {"kind": "kind", "era": "era_id", "speaker": "speaker_id", "importance": "importance"}
MULTI = ("person", "org", "tag", "source")

# A mask holding fewer than 1/SPARSE of the positions counts through ``Facet.offsets`` (gathering
# its positions' links); a fuller one selects among every link. At 100,000 items the gather was
# still the faster at a fifth of the positions (a search matching 18,286 items: 0.39 against
# 0.65 ms for the people), hence a quarter.
SPARSE = 4
_lock = threading.Lock()
_current: dict[str, FacetIndex] = {}


@dataclass
class Facet:
    """One facet's values: ``keys[code]`` is the value (a pk, a kind, an importance or None)."""

    keys: list
    codes: np.ndarray | None = None  # single-valued: the code of each position
    pair_position: np.ndarray | None = None  # multi-valued: one row per (position, code) link,
    pair_code: np.ndarray | None = None  # in position order
    offsets: np.ndarray | None = None  # the links of position p are rows offsets[p]:offsets[p + 1]

    def mask(self, wanted, size: int) -> np.ndarray:
        """Positions that have any of the values ``wanted``."""
        chosen = np.zeros(len(self.keys) + 1, dtype=bool)
        lookup = {key: code for code, key in enumerate(self.keys)}
        for key in wanted:
            if key in lookup:
                chosen[lookup[key]] = True
        if self.codes is not None:
            return chosen[self.codes]
        mask = np.zeros(size, dtype=bool)
        mask[self.pair_position[chosen[self.pair_code]]] = True
        return mask

    def counts(self, mask: np.ndarray, positions: np.ndarray | None = None) -> dict:
        """{value: number of positions in ``mask`` that have it}, values with none left out.
        ``positions``: ``np.flatnonzero(mask)`` when the caller has it (shared by the facets)."""
        if self.codes is not None:
            found = np.bincount(self.codes[mask if positions is None else positions], minlength=len(self.keys))
        elif (len(positions) if positions is not None else np.count_nonzero(mask)) * SPARSE < len(mask):
            # Few positions: gather just their links (rows offsets[p]:offsets[p + 1] of each).
            positions = np.flatnonzero(mask) if positions is None else positions
            starts = self.offsets[positions]
            lengths = self.offsets[positions + 1] - starts
            rows = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths) + np.arange(lengths.sum())
            found = np.bincount(self.pair_code[rows], minlength=len(self.keys))
        else:
            found = np.bincount(self.pair_code[mask[self.pair_position]], minlength=len(self.keys))
        codes = np.flatnonzero(found)
        keys = self.keys
        # Plain ints through ``tolist`` (one conversion for all, not one ``int()`` per value).
        return dict(zip([keys[code] for code in codes.tolist()], found[codes].tolist(), strict=True))


def _single(values: list) -> Facet:
    lookup: dict = {}
    codes = np.array([lookup.setdefault(value, len(lookup)) for value in values], dtype=np.int64)
    return Facet(list(lookup), codes=codes)


def _pairs(queryset) -> np.ndarray:
    """The (a, b) integer rows of a two-column queryset, read with a plain cursor into an array
    (hundreds of thousands of rows at 100,000 items)."""
    with connection.cursor() as cursor:
        cursor.execute(*queryset.order_by().query.sql_with_params())
        return np.array(cursor.fetchall(), dtype=np.int64).reshape(-1, 2)


def _citation_sources() -> np.ndarray:
    """(item pk, source pk) of every citation: its (item, passage) pairs and the passages' sources read
    as two plain scans and joined here. The join in SQL looked up a passage per citation (on SQLite at
    100,000 items some 500 ms of CPU and over a second of reads, a third of building the index; the
    two scans about 120 ms)."""
    links = _pairs(Citation.objects.values_list("item_id", "passage_id"))
    passages = _pairs(Passage.objects.values_list("pk", "source_id"))
    passages = passages[np.argsort(passages[:, 0])]
    # Every citation's passage exists (a protected foreign key): its row in the sorted passages.
    at = np.searchsorted(passages[:, 0], links[:, 1]).clip(max=max(len(passages) - 1, 0))
    known = passages[at, 0] == links[:, 1] if len(passages) else np.zeros(len(links), dtype=bool)
    return np.column_stack([links[known, 0], passages[at[known], 1]])


def _multi(pairs, pks: np.ndarray) -> Facet:
    """A facet from (item pk, value pk) rows (a queryset, or an array of them): rows of items not in
    ``pks`` (not published) are dropped, duplicates too."""
    links = pairs if isinstance(pairs, np.ndarray) else _pairs(pairs)
    order = np.argsort(pks)
    at = np.searchsorted(pks, links[:, 0], sorter=order).clip(max=max(len(pks) - 1, 0))
    known = pks[order[at]] == links[:, 0] if len(pks) else np.zeros(len(links), dtype=bool)
    position = order[at[known]]
    keys, codes = np.unique(links[known, 1], return_inverse=True)
    # One row per (position, value), in position order.
    pairs = np.unique(position * max(len(keys), 1) + codes.reshape(-1))
    pair_position = pairs // max(len(keys), 1)
    return Facet(
        [int(key) for key in keys],
        pair_position=pair_position,
        pair_code=(pairs % max(len(keys), 1)).astype(np.int64),
        offsets=np.searchsorted(pair_position, np.arange(len(pks) + 1)),
    )


class FacetIndex:
    """The published items of one structure version (see the module docstring)."""

    def __init__(self, version: str):
        self.version = version
        # Dates as ISO text: a few thousand distinct values parsed once, not two per item. Read with a
        # plain cursor (no per-row converters); values_list builds the SQL, so the order is the database's.
        items = (
            Item.objects.filter(status=Status.PUBLISHED)
            .order_by(*CHRONOLOGICAL_ORDER)
            .annotate(start_text=DateText("date_start"), end_text=DateText("date_end"))
            .values_list("pk", "kind", "era_id", "speaker_id", "importance", "start_text", "end_text",
                         "date_approximate")
        )
        with connection.cursor() as cursor:
            cursor.execute(*items.query.sql_with_params())
            rows = cursor.fetchall()
        self.size = len(rows)
        self.pks = np.array([row[0] for row in rows], dtype=np.int64)
        self.position = {row[0]: position for position, row in enumerate(rows)}
        self._by_pk = np.argsort(self.pks)  # positions in pk order, for ``of_pks``
        self._sorted_pks = self.pks[self._by_pk]
        # The position of each pk by direct lookup (-1: not published), where the pks are dense
        # enough for a table of them (they are, unless most rows ever written were deleted): one
        # gather per search, against a binary search per matching id.
        top = int(self.pks.max()) + 1 if self.size else 0
        self._position_of = None
        if top <= 4 * self.size + 1024:
            self._position_of = np.full(top, -1, dtype=np.int64)
            self._position_of[self.pks] = np.arange(self.size, dtype=np.int64)
        self.facets: dict[str, Facet] = {
            param: _single([row[column] for row in rows]) for column, param in enumerate(SINGLE, start=1)
        }
        links = {
            "person": Item.people.through.objects.values_list("item_id", "entity_id"),
            "org": Item.organizations.through.objects.values_list("item_id", "entity_id"),
            "tag": Item.tags.through.objects.values_list("item_id", "tag_id"),
            "source": _citation_sources(),
        }
        for param, pairs in links.items():
            self.facets[param] = _multi(pairs, self.pks)
        days = _single([row[5] for row in rows] + [row[6] for row in rows])
        parsed = [datetime.date.fromisoformat(text[:10]) for text in days.keys]
        ordinals = np.array([day.toordinal() for day in parsed], dtype=np.int32)
        self.starts = ordinals[days.codes[: self.size]] if self.size else ordinals[:0]
        self.ends = ordinals[days.codes[self.size :]] if self.size else ordinals[:0]
        # The time axis's rows: items grouped by their stored bounds (a few thousand groups), keyed
        # as the SQL groups them (dates, a bool, an int).
        self.dates = _single(list(zip(days.codes[: self.size].tolist(), days.codes[self.size :].tolist(),
                                      [bool(row[7]) for row in rows], [row[4] for row in rows], strict=True)))
        self.dates.keys = [(parsed[start], parsed[end], approximate, importance)
                           for start, end, approximate, importance in self.dates.keys]
        self.everything = np.ones(self.size, dtype=bool)
        self.everything.flags.writeable = False  # shared by every request: ``mask &= …`` must copy it
        self._totals: dict = {}  # counts with no filter, computed once

    @property
    def years(self) -> tuple[int, int] | None:
        """The first and the last year of the published chronology (None when nothing is published)."""
        if not self.size:
            return None
        return (datetime.date.fromordinal(int(self.starts.min())).year,
                datetime.date.fromordinal(int(self.ends.max())).year)

    # -- masks ----------------------------------------------------------------------------------------

    def having(self, param: str, keys) -> np.ndarray:
        return self.facets[param].mask(keys, self.size)

    def at_least(self, importance: int) -> np.ndarray:
        facet = self.facets["importance"]
        return facet.mask([key for key in facet.keys if key is not None and key >= importance], self.size)

    def overlapping(self, start=None, end=None) -> np.ndarray:
        """Items whose date range overlaps [start, end] (``ItemQuerySet.between``)."""
        mask = self.everything.copy()
        if start is not None:
            mask &= self.ends >= start.toordinal()
        if end is not None:
            mask &= self.starts <= end.toordinal()
        return mask

    def inside(self, start=None, end=None) -> np.ndarray:
        """Items whose whole date range lies in [start, end] (``ItemQuerySet.within_first``)."""
        mask = self.everything.copy()
        if start is not None:
            mask &= self.starts >= start.toordinal()
        if end is not None:
            mask &= self.ends <= end.toordinal()
        return mask

    def of_pks(self, pks) -> np.ndarray:
        """The positions of the published items among ``pks`` (the others are not in the index)."""
        mask = np.zeros(self.size, dtype=bool)
        wanted = np.asarray(pks, dtype=np.int64).reshape(-1)
        if not self.size or not len(wanted):
            return mask
        if self._position_of is not None:
            wanted = wanted[(wanted >= 0) & (wanted < len(self._position_of))]
            found = self._position_of[wanted]
            mask[found[found >= 0]] = True
            return mask
        # A binary search per pk in the sorted pks (thousands of matches: no Python loop).
        at = np.searchsorted(self._sorted_pks, wanted).clip(max=self.size - 1)
        known = self._sorted_pks[at] == wanted
        mask[self._by_pk[at[known]]] = True
        return mask

    # -- answers --------------------------------------------------------------------------------------

    def counts(self, param: str, mask: np.ndarray, positions: np.ndarray | None = None) -> dict:
        """{value: items in ``mask``} of one facet; ``positions`` as in :meth:`Facet.counts`."""
        if mask is self.everything:  # no filter applies: the same for every such request
            if param not in self._totals:
                self._totals[param] = self.facets[param].counts(mask)
            return dict(self._totals[param])
        return self.facets[param].counts(mask, positions)

    def date_rows(self, mask: np.ndarray, positions: np.ndarray | None = None) -> list[tuple]:
        """(date_start, date_end, date_approximate, importance, n) per group of items in ``mask``."""
        if mask is self.everything:
            if "dates" not in self._totals:
                self._totals["dates"] = [(*key, n) for key, n in self.dates.counts(mask).items()]
            return list(self._totals["dates"])
        return [(*key, n) for key, n in self.dates.counts(mask, positions).items()]

    def ordered_pks(self, mask: np.ndarray, *, first: np.ndarray | None = None) -> tuple[np.ndarray, int]:
        """The pks of ``mask`` in chronological order, those also in ``first`` before the others;
        and how many are in ``first``."""
        if first is None:
            return self.pks[np.flatnonzero(mask)], 0
        leading = np.flatnonzero(mask & first)
        return self.pks[np.concatenate([leading, np.flatnonzero(mask & ~first)])], len(leading)


def current() -> FacetIndex:
    """The index of the current structure version: kept in this process until that version changes
    (one query to read it); inside a transaction, one built for the caller alone."""
    if connection.in_atomic_block:
        return FacetIndex(structure_version())
    version = structure_version()
    index = _current.get("index")
    if index is not None and index.version == version:
        return index
    with _lock:  # one build per version, however many threads ask at once
        index = _current.get("index")
        if index is None or index.version != version:
            index = FacetIndex(version)
            _current["index"] = index
    return index
