"""The public filters of the chronology: one GET form, shared by the page, the API, feeds and embeds.

Parameters (exactly these names): ``q kind era person org speaker tag source from to importance lang page``.
Values are the ids of the item document (``person=sam-altman``, ``era=founding``,
``source=netease-openai-idealists``); repeating a parameter means any of its values. ``from`` and
``to`` take a year or an EDTF date; an item matches when its date range overlaps ``[from, to]``.

The form is lenient for pages and strict for the API::

    form = FilterForm(request.GET)
    form.notices    # what was ignored, for the reader ("Unknown person “x” was ignored.")
    form.problems   # the same per parameter, for a 400 from the API
    form.apply(Item.objects.published())   # the filtered queryset
    form.active     # active filters, each with the URL that clears it
    form.facets(Item.objects.published())  # counts per value under the *other* filters

A malformed value never fails the whole request: it is dropped and reported.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass
from functools import cached_property, lru_cache, partial
from urllib.parse import quote_plus

import numpy as np
from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, Exists, Max, Min, OuterRef, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from timeline import facet_index, search
from timeline.dates import FuzzyDate, FuzzyDateError, date_problem
from timeline.http import (
    cache_get_many,
    cache_kept,
    cache_set_many,
    content_fingerprint,
    structure_version,
)
from timeline.models import Citation, Entity, Era, Item, ItemKind, Source, Status, Tag

PARAMS = (
    "q", "kind", "era", "person", "org", "speaker", "tag", "source", "from", "to", "importance", "lang", "page",
    "sort",
)
MULTI_PARAMS = ("kind", "era", "person", "org", "speaker", "tag", "source")
FACETS = ("kind", "era", "person", "org", "speaker", "tag", "source", "importance", "dates")
PAGE_SIZE = 15  # the first view stays under 15 KB gzip; the shipped chronology is 9 scroll requests
MAX_PAGE = 1_000_000
MAX_VALUES = 20  # per repeated parameter
MAX_ID_CHARS = 120
SEARCH_ID_LIMIT = 20_000  # matches passed to the other queries as a list (see FilterForm.search_ids)
LANGUAGES = {"en": "en", "zh": "zh-hans"}
# Facet counts are O(items) to compute and the same for every reader of a filter set: cache them.
FACET_CACHE_SECONDS = 600

# Parameter ↔ form field, where the parameter is a Python keyword.
FIELD_FOR_PARAM = {"from": "date_from", "to": "date_to"}
PARAM_FOR_FIELD = {name: param for param, name in FIELD_FOR_PARAM.items()}


class CountedPaginator(Paginator):
    """A paginator that can be told its count (already known from another query)."""

    def __init__(self, *args, count: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if count is not None:
            self.__dict__["count"] = count


def _clean_text(value: str) -> str:
    if "\x00" in value or "\ufffd" in value:
        # NUL, or bytes that were not UTF-8 (unpaired surrogates decode to U+FFFD).
        raise forms.ValidationError(_("It contains characters that are not text."), code="not_text")
    return value


class IdListField(forms.Field):
    """A repeated parameter: distinct, stripped strings. Which ids exist is checked by the form."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> list[str]:
        if value in self.empty_values:
            return []
        if isinstance(value, str):
            value = [value]
        values = []
        for raw in value:
            text = str(raw).strip()
            if text and text not in values:
                values.append(text)
        return values

    def validate(self, value):
        if len(value) > MAX_VALUES:
            raise forms.ValidationError(
                _("It has more than %(max)d values.") % {"max": MAX_VALUES}, code="too_many"
            )


@lru_cache(maxsize=4096)
def _encoded_pair(param: str, value: str) -> str:
    """One ``param=value`` of a query string, as ``urlencode`` writes it."""
    return f"{quote_plus(param)}={quote_plus(value)}"


class DateBoundField(forms.CharField):
    """A year (2018) or an EDTF date (2018-02, 2018-02-10, 2016~, 2023-11/2024-05)."""

    def __init__(self, **kwargs):
        super().__init__(required=False, max_length=40, **kwargs)

    def clean(self, value) -> FuzzyDate | None:
        text = super().clean(value)
        if not text:
            return None
        _clean_text(text)
        try:
            return FuzzyDate.parse(text)
        except FuzzyDateError:
            why = date_problem(text)
            if why:
                raise forms.ValidationError(
                    _("%(why)s (use 2018, 2018-02 or 2018-02-10).") % {"why": why}, code="invalid_date"
                ) from None
            raise forms.ValidationError(
                _("It is not a year or a date (use 2018, 2018-02 or 2018-02-10)."), code="invalid_date"
            ) from None


_CHOICES_CACHE: dict[str, tuple[str, Choices]] = {}


@dataclass
class Choices:
    """The ids each filter accepts, loaded once per request (four small queries)."""

    eras: dict[str, Era]
    entities: dict[str, Entity]
    tags: dict[str, Tag]
    sources: dict[str, Source]

    @cached_property
    def by_pk(self) -> tuple[dict[int, Era], dict[int, Entity]]:
        """The eras and the entities by primary key (an item carries the ids of its era and speaker)."""
        return ({era.pk: era for era in self.eras.values()},
                {entity.pk: entity for entity in self.entities.values()})

    @classmethod
    def current(cls) -> Choices:
        """:meth:`load`, kept in this process for as long as the structure version stays the same.

        Every write that can change them (vocabulary, sources, an item published, unpublished or
        given other people, topics or era) bumps that version (``timeline.content_version``), so a
        reused set is never stale; it saves four queries (and their EXISTS scans) on each render.
        Not inside a transaction: there it could see writes that are not committed (and may never be),
        under a version that does not count them yet (PostgreSQL bumps at commit).
        """
        if connection.in_atomic_block:
            return cls.load()
        version = structure_version()
        cached = _CHOICES_CACHE.get("current")
        if cached is not None and cached[0] == version:
            return cached[1]
        choices = cls.load()
        _CHOICES_CACHE["current"] = (version, choices)
        return choices

    @classmethod
    def load(cls) -> Choices:
        """Entities and tags only while a published item uses them: a filter prints its value's name,
        and ``?tag=<an id only drafts use>`` must not reveal a name that is not public yet."""
        # A join inside each EXISTS, not `item__in=<published items>`: SQLite would scan every item for
        # every entity (2.7 s at 100,000 items instead of 10 ms).
        published = {"item__status": Status.PUBLISHED}
        used_tag = Exists(Item.tags.through.objects.filter(tag_id=OuterRef("pk"), **published))
        used_entity = (
            Exists(Item.people.through.objects.filter(entity_id=OuterRef("pk"), **published))
            | Exists(Item.organizations.through.objects.filter(entity_id=OuterRef("pk"), **published))
            | Exists(Item.objects.published().filter(speaker_id=OuterRef("pk")))
        )
        return cls(
            eras={era.slug: era for era in Era.objects.order_by("start")},
            entities={entity.slug: entity for entity in Entity.objects.filter(used_entity)},
            tags={tag.slug: tag for tag in Tag.objects.filter(used_tag)},
            sources={
                source.key: source
                for source in Source.objects.public().only(
                    "pk", "key", "title", "publisher", "published", "language"
                )
            },
        )

    @cached_property
    def shared_publishers(self) -> frozenset:
        publishers = [source.publisher for source in self.sources.values() if source.publisher]
        return frozenset(p for p in publishers if publishers.count(p) > 1)

    def label(self, obj, language: str) -> str:
        return label_for(obj, language, self.shared_publishers)

    def by_key(self, param: str, language: str) -> dict:
        """{value key (a pk): (position, id, object, label, label casefolded)} of one multi-valued
        facet's values in ``language``, built once per language and kept with these choices (which
        live as long as the structure version): a page then touches only the values it counts, not
        every person, organisation, topic and source there is."""
        table = {"person": "entities", "org": "entities", "speaker": "entities", "tag": "tags",
                 "source": "sources"}[param]
        cache = self.__dict__.setdefault("_by_key", {})
        if (table, language) not in cache:
            entries = {}
            for position, (slug, obj) in enumerate(getattr(self, table).items()):
                label = self.label(obj, language)
                entries[obj.pk] = (position, slug, obj, label, label.casefold())
            cache[table, language] = entries
        return cache[table, language]

    def for_param(self, param: str) -> dict:
        return {
            "kind": {choice.value: choice for choice in ItemKind},
            "era": self.eras,
            "person": self.entities,
            "org": self.entities,
            "speaker": self.entities,
            "tag": self.tags,
            "source": self.sources,
        }[param]


@dataclass(frozen=True)
class ActiveFilter:
    param: str
    value: str
    label: str
    clear_url: str


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool
    obj: object = None


def language_of(code: str | None) -> str:
    """"en" or "zh" for a Django language code."""
    return "zh" if (code or "").startswith("zh") else "en"


def label_for(obj, language: str, shared_publishers: frozenset = frozenset()) -> str:
    """The display name of a choice (era, entity, tag, source or kind) in ``language`` (en/zh).

    A source is named by its publisher, plus its title where one publisher has several sources
    (the ten fisherdaddy posts).
    """
    if isinstance(obj, Source):
        if obj.publisher and obj.publisher in shared_publishers:
            title = obj.title if len(obj.title) <= 20 else obj.title[:19] + "…"
            return f"{obj.publisher}: {title}"
        return obj.publisher or obj.title
    if isinstance(obj, ItemKind):
        return {ItemKind.EVENT: _("Event"), ItemKind.QUOTE: _("Quote")}[obj]
    return getattr(obj, "name_zh" if language == "zh" else "name_en")


class PackedDates(tuple):
    """The time axis's rows of cached facet counts, ``(start, end, approximate, importance, n)`` each, as
    five columns with the dates as ordinals: a search at 100,000 items has a thousand rows or more,
    and pickling (the cache stores pickles) two ``datetime.date`` per row cost ten times the ints
    (1,229 rows: about 1 against 0.1 ms). Facet counts are kept packed: ``cache_kept`` with
    :func:`_pack_counts` and :func:`_unpack_counts`."""

    __slots__ = ()


_DAYS: dict[int, datetime.date] = {}  # ordinal -> date, shared: a few thousand distinct days


def _day(ordinal: int) -> datetime.date:
    day = _DAYS.get(ordinal)
    if day is None:
        if len(_DAYS) > 100_000:
            _DAYS.clear()
        day = _DAYS[ordinal] = datetime.date.fromordinal(ordinal)
    return day


def _pack_counts(raw: dict) -> dict:
    rows = raw.get("dates")
    if not rows or not all(type(row[0]) is datetime.date and type(row[1]) is datetime.date for row in rows):
        return raw
    starts, ends, approximate, importance, n = zip(*rows, strict=True)
    return {**raw, "dates": PackedDates((
        [day.toordinal() for day in starts], [day.toordinal() for day in ends], list(approximate),
        list(importance), list(n)))}


def _unpack_counts(raw: dict) -> dict:
    packed = raw.get("dates")
    if type(packed) is not PackedDates:
        return raw
    starts, ends, approximate, importance, n = packed
    return {**raw, "dates": list(zip(map(_day, starts), map(_day, ends), approximate, importance, n, strict=True))}


class FilterForm(forms.Form):
    q = forms.CharField(
        required=False, max_length=search.MAX_QUERY_CHARS, strip=True, label=gettext_lazy("Search"),
        validators=[_clean_text],
    )
    kind = IdListField(required=False)
    era = IdListField(required=False)
    person = IdListField(required=False)
    org = IdListField(required=False)
    speaker = IdListField(required=False)
    tag = IdListField(required=False)
    source = IdListField(required=False)
    date_from = DateBoundField(label=gettext_lazy("From"))
    date_to = DateBoundField(label=gettext_lazy("To"))
    importance = forms.TypedChoiceField(
        required=False, choices=[("1", "1"), ("2", "2"), ("3", "3")], coerce=int, empty_value=None
    )
    lang = forms.ChoiceField(required=False, choices=[(code, code) for code in LANGUAGES])
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE)
    # With ``q``: best matches first instead of the chronological order (``search.ranked``).
    sort = forms.ChoiceField(required=False, choices=[("relevance", "relevance")])

    def __init__(self, data=None, *, choices: Choices | None = None, page_size: int = PAGE_SIZE):
        self._choices = choices
        self.page_size = page_size
        self.notices: list[str] = []
        self.problems: dict[str, list[str]] = {}
        super().__init__(self._only_known(data))
        self.is_valid()

    @staticmethod
    def _only_known(data):
        """A plain dict of the known parameters (lists for repeated ones); the rest is not ours."""
        data = data or {}
        getlist = data.getlist if hasattr(data, "getlist") else lambda key: [data[key]] if key in data else []
        known = {}
        for param in PARAMS:
            values = [value for value in getlist(param) if isinstance(value, str)]
            if not values:
                continue
            known[param] = values if param in MULTI_PARAMS else values[-1]
        return known

    # Parameter names are the public API; field names are Python identifiers.
    def add_prefix(self, field_name):
        return PARAM_FOR_FIELD.get(field_name, field_name)

    @cached_property
    def choices(self) -> Choices:
        return self._choices or Choices.current()

    # -- validation ---------------------------------------------------------------------------------

    def _ignore(self, param: str, message: str, refusal: str | None = None) -> None:
        """``message`` tells the page's reader the value was ignored; ``refusal`` (the same in other
        words) is what the API, which refuses the whole request instead, says."""
        self.notices.append(message)
        self.problems.setdefault(param, []).append(refusal or message)

    def _known_ids(self, param: str, noun: str) -> list[str]:
        values = self.cleaned_data.get(param) or []
        known = self.choices.for_param(param)
        kept = []
        for value in values:
            if value in known and len(value) <= MAX_ID_CHARS:
                kept.append(value)
            else:
                words = {"noun": noun, "value": value[:MAX_ID_CHARS]}
                self._ignore(
                    param,
                    _("Unknown %(noun)s “%(value)s” was ignored.") % words,
                    _("Unknown %(noun)s “%(value)s”: refused.") % words,
                )
        return kept

    def clean_kind(self):
        return self._known_ids("kind", _("kind"))

    def clean_era(self):
        return self._known_ids("era", _("era"))

    def clean_person(self):
        return self._known_ids("person", _("person"))

    def clean_org(self):
        return self._known_ids("org", _("organisation"))

    def clean_speaker(self):
        return self._known_ids("speaker", _("speaker"))

    def clean_tag(self):
        return self._known_ids("tag", _("tag"))

    def clean_source(self):
        return self._known_ids("source", _("source"))

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end.end < start.start:
            words = {"to": end.edtf, "from": start.edtf}
            self._ignore(
                "to",
                _("“to” (%(to)s) is before “from” (%(from)s), so it was ignored.") % words,
                _("“to” (%(to)s) is before “from” (%(from)s), so it was refused.") % words,
            )
            data["date_to"] = None
        return data

    def full_clean(self):
        super().full_clean()
        # Lenient: a field that failed validation is dropped, and the reader is told.
        for name, errors in list(self.errors.items()):
            param = self.add_prefix(name)
            # The first reason is enough (a NUL fails two validators with the same meaning).
            words = {"param": param, "reason": errors[0]}
            self._ignore(
                param,
                _("“%(param)s” was ignored: %(reason)s") % words,
                _("“%(param)s” was refused: %(reason)s") % words,
            )
            self.cleaned_data.pop(name, None)

    # -- values -------------------------------------------------------------------------------------

    def value(self, param: str):
        """The clean value of a parameter ([] or None when absent or ignored)."""
        name = FIELD_FOR_PARAM.get(param, param)
        default = [] if param in MULTI_PARAMS else None
        value = self.cleaned_data.get(name, default)
        return default if value in ("", None) and param not in MULTI_PARAMS else value

    @property
    def language(self) -> str | None:
        return self.value("lang") or None

    @property
    def is_filtered(self) -> bool:
        return any(self.value(param) for param in PARAMS if param not in ("lang", "page"))

    def params(self, *, without: tuple[str, ...] = (), **changes) -> dict[str, list[str]]:
        """The clean parameters as strings, in canonical order, minus ``without``, with ``changes``."""
        params = {}
        for param in PARAMS:
            if param in without:
                continue
            value = changes[param] if param in changes else self.value(param)
            if value in (None, "", []):
                continue
            if isinstance(value, FuzzyDate):
                value = value.edtf
            params[param] = [str(v) for v in value] if isinstance(value, list) else [str(value)]
        return params

    def querystring(self, *, without: tuple[str, ...] = ("page",), **changes) -> str:
        """``?…`` for the current filters with ``changes`` ("" for none); any filter change drops ``page``."""
        # urlencode(params, doseq=True), with each pair's encoding kept: a page asks for some twenty
        # query strings of the same few values (facet toggles, axis columns, feeds, pages).
        query = "&".join(_encoded_pair(param, value)
                         for param, values in self.params(without=without, **changes).items() for value in values)
        return f"?{query}" if query else ""

    def toggled(self, param: str, value: str) -> str:
        """The query string with ``value`` added to or removed from a repeated parameter."""
        current = list(self.value(param))
        current = [v for v in current if v != value] if value in current else [*current, value]
        return self.querystring(**{param: current})

    # -- queries ------------------------------------------------------------------------------------

    def apply(self, queryset: QuerySet, *, exclude: tuple[str, ...] = ()) -> QuerySet:
        """``queryset`` narrowed by every valid filter except those in ``exclude``."""
        value = self.value
        choices = self.choices
        if value("kind") and "kind" not in exclude:
            queryset = queryset.filter(kind__in=value("kind"))
        if value("era") and "era" not in exclude:
            queryset = queryset.filter(era_id__in=[choices.eras[slug].pk for slug in value("era")])
        if value("person") and "person" not in exclude:
            ids = [choices.entities[slug].pk for slug in value("person")]
            queryset = queryset.filter(pk__in=Item.people.through.objects.filter(entity_id__in=ids).values("item_id"))
        if value("org") and "org" not in exclude:
            ids = [choices.entities[slug].pk for slug in value("org")]
            queryset = queryset.filter(
                pk__in=Item.organizations.through.objects.filter(entity_id__in=ids).values("item_id")
            )
        if value("speaker") and "speaker" not in exclude:
            queryset = queryset.filter(speaker_id__in=[choices.entities[slug].pk for slug in value("speaker")])
        if value("tag") and "tag" not in exclude:
            ids = [choices.tags[slug].pk for slug in value("tag")]
            queryset = queryset.filter(pk__in=Item.tags.through.objects.filter(tag_id__in=ids).values("item_id"))
        if value("source") and "source" not in exclude:
            ids = [choices.sources[key].pk for key in value("source")]
            queryset = queryset.filter(
                pk__in=Citation.objects.filter(passage__source_id__in=ids).values("item_id")
            )
        if value("importance") and "importance" not in exclude:
            queryset = queryset.filter(importance__gte=value("importance"))
        start, end = value("from"), value("to")
        if "from" not in exclude and "to" not in exclude and (start or end):
            queryset = queryset.between(start.start if start else None, end.end if end else None)
        if value("q") and "q" not in exclude:
            ids = self.search_ids
            queryset = search.matching(queryset, value("q")) if ids is None else queryset.filter(pk__in=ids)
        return queryset

    @property
    def window(self) -> tuple:
        """The from/to window as (first day, last day), None where open."""
        start, end = self.value("from"), self.value("to")
        return (start.start if start else None, end.end if end else None)

    def in_order(self, queryset: QuerySet) -> QuerySet:
        """``queryset`` (already narrowed by :meth:`apply`) in the one chronological order every surface
        uses (page, API, widget, exports); with a from/to window, the items that lie inside it first and
        those that only overlap it after them (each row has ``in_window``)."""
        return queryset.within_first(*self.window) if any(self.window) else queryset.chronological()

    def ordered(self, queryset: QuerySet) -> QuerySet:
        """:meth:`apply` in :meth:`in_order`'s order; with ``sort=relevance`` and a search, best
        matches first instead."""
        queryset = self.apply(queryset)
        if self.value("q") and self.value("sort") == "relevance":
            return search.ranked(queryset, self.value("q"))
        return self.in_order(queryset)

    @cached_property
    def search_ids(self) -> list[int] | None:
        """The ids of the items matching ``q``, found once per request (one query).

        The page runs ten queries under the same search (list, count, eight facets); scanning the
        search text once and passing the ids is much cheaper than scanning it ten times. When the
        search matches too many items to pass as a list, or SQLite's FTS5 index answers every term,
        None: each query then filters itself.
        """
        if search.fully_indexed(self.value("q"), connection):
            return None  # the index's own subquery is cheaper (``search.fully_indexed``)
        query = search.matching(Item.objects.order_by(), self.value("q")).values_list("pk", flat=True)
        ids = list(query[: SEARCH_ID_LIMIT + 1])
        return ids if len(ids) <= SEARCH_ID_LIMIT else None

    # -- the facet index (``timeline.facet_index``) -------------------------------------------------

    @cached_property
    def index(self) -> facet_index.FacetIndex | None:
        """The published items' index of the current structure version; None where settings turn it
        off (``TIMELINE_FACET_INDEX = False``: every answer then comes from SQL, as the tests compare)."""
        if not getattr(settings, "TIMELINE_FACET_INDEX", True):
            return None
        return facet_index.current()

    def published_years(self) -> tuple[int, int] | None:
        """The first and the last year of the whole published chronology, whatever the filters (the
        From and To fields' placeholders); None when nothing is published."""
        if self.index is not None:
            return self.index.years
        bounds = Item.objects.published().aggregate(first=Min("date_start"), last=Max("date_end"))
        return (bounds["first"].year, bounds["last"].year) if bounds["first"] else None

    def search_pks(self) -> np.ndarray:
        """Every item matching ``q`` (published or not: the index keeps only published positions), as
        an array of ids (``search.matching_pk_array``)."""
        return search.matching_pk_array(self.value("q"))

    @cached_property
    def _index_masks(self) -> dict:
        """One mask of the index's positions per active filter (``apply``'s filters, in its terms)."""
        index, value, choices = self.index, self.value, self.choices
        masks = {}
        for param, known in (("era", choices.eras), ("person", choices.entities), ("org", choices.entities),
                             ("speaker", choices.entities), ("tag", choices.tags), ("source", choices.sources)):
            if value(param):
                masks[param] = index.having(param, [known[key].pk for key in value(param)])
        if value("kind"):
            masks["kind"] = index.having("kind", value("kind"))
        if value("importance"):
            masks["importance"] = index.at_least(value("importance"))
        if any(self.window):
            masks["window"] = index.overlapping(*self.window)
        if value("q"):
            masks["q"] = index.of_pks(self.search_pks())
        return masks

    @property
    def index_filtered(self) -> bool:
        """Whether any filter narrows the index (``_index_masks`` is not empty), told without building a mask."""
        value = self.value
        return bool(any(value(param) for param in MULTI_PARAMS) or value("importance") or any(self.window)
                    or value("q"))

    def index_cached(self, name: str, compute, *, page: int = 0):
        """:meth:`cached` for what the index answers without a search (a page's ids, the axis marks): a
        function of the index and the filters, kept under the index's own version. Not in a
        transaction, where the index may hold uncommitted writes (``facet_index.current``)."""
        if connection.in_atomic_block:
            return compute()
        return self.cached(name, compute, version=self.index.version, page=page)

    def index_mask(self, *, exclude: tuple[str, ...] = ()):
        """The positions matching every filter except those in ``exclude`` (``apply`` on the index).

        Kept per set of filters applied, read-only: the facets that no active filter names (with a
        search alone, all nine) share one mask, and its positions (:meth:`_index_positions`)."""
        masks = self._index_masks
        applied = tuple(param for param in masks if param not in exclude)
        memo = self.__dict__.setdefault("_index_mask_memo", {})
        if applied not in memo:
            mask = self.index.everything
            for param in applied:
                mask = mask & masks[param]
            mask.flags.writeable = False  # shared: a caller combines it into a new array, never in place
            memo[applied] = mask
        return memo[applied]

    def _index_positions(self, mask):
        """``np.flatnonzero(mask)`` of a mask from :meth:`index_mask`, once per mask."""
        memo = self.__dict__.setdefault("_index_position_memo", {})
        if id(mask) not in memo:
            memo[id(mask)] = (mask, np.flatnonzero(mask))  # the mask kept with it: its id stays its own
        return memo[id(mask)][1]

    def index_facets(self) -> dict[str, dict]:
        """:meth:`raw_facets` from the index: the same counts, each facet under every filter but its own."""
        index = self.index
        raw = {}
        for name in FACETS:
            mask = self.index_mask(exclude=(name,))
            positions = None if mask is index.everything else self._index_positions(mask)
            if name == "dates":
                raw[name] = index.date_rows(mask, positions)
            else:
                raw[name] = index.counts(name, mask, positions)
        return raw

    def index_order(self):
        """(pks in the page order, how many lie inside the from/to window): chronological, and with a
        window the items inside it first (``ordered``, without ``sort=relevance``)."""
        index = self.index
        inside = index.inside(*self.window) if any(self.window) else None
        return index.ordered_pks(self.index_mask(), first=inside)

    def index_rows(self, number: int) -> list[tuple[int, bool | None]]:
        """(id, in_window or None) of the items on page ``number`` (``views.pages.page_rows``)."""
        pks, inside = self.index_order()
        bottom = (number - 1) * self.page_size
        window = any(self.window)
        return [
            (int(pk), bottom + offset < inside if window else None)
            for offset, pk in enumerate(pks[bottom : bottom + self.page_size].tolist())
        ]

    def index_marks(self, low, high, *, every: bool, limit: int) -> list[int]:
        """The first ``limit`` items under every filter that overlap [low, high], only key moments
        unless ``every`` (``views.pages.axis_mark_ids``)."""
        index = self.index
        mask = self.index_mask() & index.overlapping(low, high)
        if not every:
            mask &= index.having("importance", [3])
        return [int(pk) for pk in index.pks[mask.nonzero()[0][:limit]].tolist()]

    def paginate(self, queryset: QuerySet, *, count: int | None = None):
        """The requested page; a page past the end becomes the last page, with a notice."""
        paginator = CountedPaginator(queryset, self.page_size, count=count)
        number = self.value("page") or 1
        if number > paginator.num_pages:
            self._ignore(
                "page",
                _("There is no page %(page)d; showing page %(last)d.")
                % {"page": number, "last": paginator.num_pages},
            )
            self.cleaned_data["page"] = None
            number = paginator.num_pages
        return paginator.page(number)

    def facet_version(self) -> str:
        """What facet counts depend on besides the filters: the structure version, and with a search
        also every item's text (``timeline.http``). One query."""
        return content_fingerprint() if self.value("q") else structure_version()

    def cache_key(self, version: str | None = None) -> str:
        """Facet counts depend on the filters (not the page or language) and on the data: the
        structure version (``timeline.http.structure_version``), which every write that can change a
        count bumps, and with a search also every item's text (``content_fingerprint``)."""
        params = self.querystring(without=("page", "lang"))
        digest = hashlib.sha256(params.encode()).hexdigest()[:32]
        version = version or self.facet_version()
        return f"timeline:facets:{version}:{digest}"

    def cached(self, name: str, compute, *, version: str, page: int = 0):
        """``compute()`` (a list of ids or rows, a function of the filters and ``version``), kept in
        the cache like the facet counts: which items a filter set lists on a page, and in what order,
        changes only with the structure version (with a search, with every item's text), as the
        counts do. Its rows are read again by id, so their content is always current."""
        timeout = getattr(settings, "TIMELINE_FACET_CACHE_SECONDS", FACET_CACHE_SECONDS)
        if not timeout:
            return compute()
        params = self.querystring(without=("page", "lang"))
        digest = hashlib.sha256(f"{name}|{page}|{params}".encode()).hexdigest()[:32]
        return cache_kept(f"timeline:list:{version}:{digest}", compute, timeout)

    def facet_counts(self, base: QuerySet, *, version: str | None = None) -> dict[str, dict]:
        """:meth:`raw_facets`, cached (see ``FACET_CACHE_SECONDS``) for the whole filter set and, one
        facet at a time, for the filters that facet applies (every filter but its own): the people
        counts under ``era=chatgpt`` serve ``person=a&era=chatgpt`` and ``person=b&era=chatgpt`` alike,
        so a new combination of filters computes only the facets no earlier combination shared.

        ``base`` must be ``Item.objects.published()`` (the keys do not name it). The keys hold the
        structure version (and with a search every item's version), so any write that can change a
        count changes them at once, on every app server; the timeout only bounds memory.
        """
        timeout = getattr(settings, "TIMELINE_FACET_CACHE_SECONDS", FACET_CACHE_SECONDS)
        if self.index is not None and not self.value("q"):
            if not timeout or not self.index_filtered or connection.in_atomic_block:
                # No filter: the index's own totals, computed once. In a transaction the index may
                # hold uncommitted writes (``facet_index.current``): its counts are not kept.
                return self.index_facets()
            # A few passes over arrays of every item and link: at 100,000 items some 5 ms for a filter
            # set that keeps many items, more than a cache round trip. A pure function of the index
            # and the filters, so kept under the index's own (structure) version.
            return cache_kept(self.cache_key(self.index.version), self.index_facets, timeout,
                              pack=_pack_counts, unpack=_unpack_counts)
        if not timeout:
            return self.raw_facets(base)
        version = version or self.facet_version()
        return cache_kept(self.cache_key(version), partial(self.raw_facets, base, timeout=timeout, version=version),
                          timeout, pack=_pack_counts, unpack=_unpack_counts)

    def _facet_key(self, param: str, version: str) -> str:
        """The cache key of one facet's counts: the facet, and the filters it applies (all but its own)."""
        without = ("page", "lang", "sort") if param == "dates" else ("page", "lang", "sort", param)
        params = self.querystring(without=without)
        digest = hashlib.sha256(f"{param}|{params}".encode()).hexdigest()[:32]
        return f"timeline:facet:{version}:{digest}"

    def raw_facets(self, base: QuerySet, *, timeout: int = 0, version: str = "") -> dict[str, dict]:
        """Counts per value for each facet, each under every filter except its own: from the facet
        index when there is one, else :meth:`sql_facets`."""
        if self.index is not None:
            return self.index_facets()
        return self.sql_facets(base, timeout=timeout, version=version)

    def sql_facets(self, base: QuerySet, *, timeout: int = 0, version: str = "") -> dict[str, dict]:
        """:meth:`raw_facets` from SQL (9 queries at most); with ``timeout``, each facet is also read
        from and stored in the cache on its own."""
        names = FACETS
        keys = {}
        counts: dict[str, dict] = {}
        if timeout:
            version = version or self.facet_version()
            keys = {name: self._facet_key(name, version) for name in names}
            found = cache_get_many(list(keys.values()))
            counts = {name: found[key] for name, key in keys.items() if key in found}
        missing = [name for name in names if name not in counts]

        computed = {name: self._count_facet(base, name) for name in missing}
        if keys and computed:
            cache_set_many({keys[name]: value for name, value in computed.items()}, timeout)
        counts.update(computed)
        return counts

    def _count_facet(self, base: QuerySet, param: str):
        """One facet's counts under every filter except its own (one query)."""
        through = {"person": Item.people.through, "org": Item.organizations.through, "tag": Item.tags.through}
        others = self.apply(base, exclude=(param,)).order_by()
        if param in ("kind", "era", "speaker", "importance"):
            column = {"era": "era_id", "speaker": "speaker_id"}.get(param, param)
            return dict(others.values_list(column).annotate(n=Count("pk")).values_list(column, "n"))
        if param in through:
            column = "tag_id" if param == "tag" else "entity_id"
            return dict(
                through[param].objects.filter(item_id__in=others.values("pk"))
                .values_list(column)
                .annotate(n=Count("item_id"))
                .values_list(column, "n")
            )
        if param == "source":
            return dict(
                Citation.objects.filter(item_id__in=others.values("pk"))
                .values_list("passage__source_id")
                .annotate(n=Count("item_id", distinct=True))
                .values_list("passage__source_id", "n")
            )
        # The time axis: grouped by the stored bounds (a few thousand distinct rows however many
        # items), under every filter including from/to; timeline.axis counts each item once.
        return list(
            self.apply(base).order_by()
            .values_list("date_start", "date_end", "date_approximate", "importance")
            .annotate(n=Count("pk"))
        )

    def facets(self, raw: dict, language: str) -> dict[str, list[FacetValue]]:
        """Facet values with labels and counts; selected values are always listed, zeros otherwise not."""
        return {param: values for param, (values, _hidden) in self.shown_facets(raw, language).items()}

    def shown_facets(self, raw: dict, language: str, limit: int | None = None) -> dict[str, tuple[list, int]]:
        """{facet: (values, how many are left out)}: :meth:`facets`, each list cut to its first ``limit``
        values plus any selected value beyond them (in place: nothing jumps). Only the values kept
        become :class:`FacetValue`: a search at 100,000 items counts hundreds of people, of whom a page
        lists twenty."""
        choices = self.choices
        options = {
            "kind": [(choice.value, choice.value, choice) for choice in ItemKind],
            "era": [(slug, era.pk, era) for slug, era in choices.eras.items()],
        }
        result: dict[str, tuple[list, int]] = {}
        for param, entries in options.items():
            selected = set(self.value(param))
            counts = raw[param]
            values = [
                FacetValue(slug, choices.label(obj, language), counts.get(key, 0), slug in selected, obj)
                for slug, key, obj in entries
                if counts.get(key) or slug in selected
            ]
            kept = values if limit is None else [
                value for index, value in enumerate(values) if index < limit or value.selected]
            result[param] = (kept, len(values) - len(kept))
        for param in ("person", "org", "speaker", "tag", "source"):
            # Only the values counted (and the selected ones), not every value there is; in the order
            # of the choices where count and label tie, as a stable sort of all of them would leave it.
            lookup, counts = choices.by_key(param, language), raw[param]
            known = choices.for_param(param)
            keys = {key for key, n in counts.items() if n and key in lookup}
            keys.update(known[slug].pk for slug in self.value(param))
            rows = sorted((-counts.get(key, 0), lookup[key][4], lookup[key][0], key) for key in keys)
            selected = set(self.value(param))
            if limit is not None:
                rows = [row for index, row in enumerate(rows) if index < limit or lookup[row[3]][1] in selected]
            # Counts are taken under the *other* filters, so ticking a value leaves its facet's
            # counts and therefore this order unchanged: the value stays under the pointer.
            result[param] = ([
                FacetValue(lookup[key][1], lookup[key][3], -count, lookup[key][1] in selected, lookup[key][2])
                for count, _label, _position, key in rows
            ], len(keys) - len(rows))
        return result

    def count_from(self, raw: dict) -> int:
        """How many items match every filter, read from the facet counts (no query of its own).

        The kind facet counts the items under every filter but ``kind``, one row per kind, and every
        item has exactly one kind: their sum (over the selected kinds when ``kind`` is filtered) is
        the exact number of matches. So a page whose facet counts are cached pays no COUNT(*)."""
        counts = raw["kind"]
        kinds = self.value("kind")
        return sum(counts.get(kind, 0) for kind in kinds) if kinds else sum(counts.values())

    def key_moment_count(self, raw: dict) -> int:
        return raw["importance"].get(3, 0)

    def active(self, language: str) -> list[ActiveFilter]:
        """Every active filter value with a link that removes just that value."""
        result = []
        for param in MULTI_PARAMS:
            known = self.choices.for_param(param)
            for value in self.value(param):
                result.append(
                    ActiveFilter(param, value, self.choices.label(known[value], language), self.toggled(param, value))
                )
        if self.value("q"):
            result.append(ActiveFilter("q", self.value("q"), f"“{self.value('q')}”", self.querystring(q=None)))
        start, end = self.value("from"), self.value("to")
        if start:
            result.append(ActiveFilter("from", start.edtf, _("from %(date)s") % {"date": start.label(language)},
                                       self.querystring(**{"from": None})))
        if end:
            result.append(ActiveFilter("to", end.edtf, _("to %(date)s") % {"date": end.label(language)},
                                       self.querystring(**{"to": None})))
        if self.value("importance"):
            label = _("key moments only") if self.value("importance") == 3 else _("importance ≥ %(n)d") % {
                "n": self.value("importance")
            }
            result.append(ActiveFilter("importance", str(self.value("importance")), label,
                                       self.querystring(importance=None)))
        return result


class _SharedFields(dict):
    """The filter form's fields, shared by every instance instead of deep-copied for each (Django's
    default, some ninety copies per request): the form is never rendered by Django and nothing
    changes a field per request, so each request's form only needs its own dict of them."""

    def __deepcopy__(self, memo):
        return dict(self)


FilterForm.base_fields = _SharedFields(FilterForm.base_fields)
