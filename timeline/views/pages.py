"""Reader pages: the filterable chronology, its print version and the item page.

The chronology view serves both the full page and, for htmx, only the ``results`` partial of the
same template; responses therefore vary on ``HX-Request``.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field
from functools import lru_cache, partial
from operator import itemgetter
from typing import NamedTuple
from urllib.parse import parse_qsl, quote

from django.conf import settings
from django.db import connection
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import push_url

from timeline import axis, search
from timeline.dates import FuzzyDate
from timeline.documents import citation_translation
from timeline.filters import FACET_CACHE_SECONDS, MULTI_PARAMS, PAGE_SIZE, PARAMS, FilterForm, language_of
from timeline.highlight import Span, highlight
from timeline.http import (
    cache_get,
    cache_get_many,
    cache_set,
    depend_on_items,
    prime_item_versions,
    public_cache,
    request_versions,
)
from timeline.models import (
    CHRONOLOGICAL_ORDER,
    Entity,
    Era,
    Item,
    Status,
    document_citations,
    document_prefetches,
    only_overlaps,
)
from timeline.templatetags.timeline import (
    CARD_CITATIONS,
    CARD_ORGANIZATIONS,
    CARD_PEOPLE,
    ITEM_URL_PLACEHOLDER,
    card_key,
)
from timeline.urlnames import named_url
from timeline.workflow import visible_items

PRINT_LIMIT = 2000
FACET_LIMIT = 20  # values listed per facet (selected ones first, then by count); the rest via search
TEXT_FRAGMENT_WHOLE = 60  # longer quotes become a start,end text fragment


@dataclass
class YearGroup:
    year: int | None  # None: the items only possibly in the date window, listed without year headings
    items: list[Item] = field(default_factory=list)
    continued: bool = False  # the year began on the previous page: no heading is repeated


@dataclass
class EraGroup:
    era: Era | None
    colour: int = 0
    years: list[YearGroup] = field(default_factory=list)
    possible: bool = False  # only overlaps the from/to window (listed apart, after the items inside)
    first_possible: bool = False
    continued: bool = False


@lru_cache(maxsize=4096)
def stored_date(edtf: str, start, end) -> FuzzyDate:
    """An item's date, parsed once per distinct value (FuzzyDate is immutable, so shared). The stored
    bounds are part of the key so that a value parsed before a grammar change is never reused."""
    return FuzzyDate.parse(edtf)


def prime_dates(items):
    """Fill each item's cached ``date`` from its stored columns; returns the items as a list."""
    items = list(items)
    for item in items:
        item.__dict__["date"] = stored_date(item.date_edtf, item.date_start, item.date_end)
    return items


def group_items(items, colours: dict[int, int], *, after: Item | None = None) -> list[EraGroup]:
    """Consecutive items grouped by era, then by the year they start in (order kept). Items that only
    overlap the date window (``in_window`` False) follow in one group of their own, without era or
    year headings: their uncertain dates cross eras and years, and headings repeated for every other
    item would say more than is known. ``after`` is the item just before these (on the previous
    page): an era, a year or the "possibly" part it began is not headed again."""
    groups: list[EraGroup] = []
    previous = after
    for item in items:
        possible = only_overlaps(item)
        was_possible = previous is not None and only_overlaps(previous)
        same_part = previous is not None and possible == was_possible
        if not groups or groups[-1].possible != possible or (not possible and groups[-1].era != item.era):
            continued = not groups and same_part and (possible or previous.era_id == item.era_id)
            groups.append(EraGroup(None if possible else item.era, 0 if possible else colours.get(item.era_id, 0),
                                   possible=possible, first_possible=possible and not was_possible,
                                   continued=continued))
        years = groups[-1].years
        if possible:
            if not years:
                years.append(YearGroup(None, continued=True))
        elif not years or years[-1].year != item.date_start.year:
            continued = (groups[-1].continued and not years and previous.date_start.year == item.date_start.year)
            years.append(YearGroup(item.date_start.year, continued=continued))
        years[-1].items.append(item)
        previous = item
    return groups


def facet_titles() -> list[tuple[str, str]]:
    return [
        ("kind", _("Kind")),
        ("era", _("Era")),
        ("person", _("People")),
        ("org", _("Organisations")),
        ("speaker", _("Speakers")),
        ("tag", _("Topics")),
        ("source", _("Sources")),
    ]


MARK_FIELDS = ("slug", "title_en", "title_zh", "date_edtf", "date_start", "date_end", "importance")


@dataclass
class MarkItem:
    """What the time axis draws of an item (``axis.build``'s marks), read as plain values: up to
    ``axis.MAX_MARKS`` of them per new filter set, where model instances and a URL reversal each
    cost more than the drawing."""

    slug: str
    title_en: str
    title_zh: str
    date_edtf: str
    date_start: object
    date_end: object
    importance: int
    url_pattern: str

    @property
    def date(self) -> FuzzyDate:
        return stored_date(self.date_edtf, self.date_start, self.date_end)

    def get_absolute_url(self) -> str:
        return self.url_pattern.replace(ITEM_URL_PLACEHOLDER, self.slug)


@lru_cache(maxsize=8)
def _item_columns(vendor: str, names: tuple[str, ...] | None = None) -> str:
    """The quoted columns of the item fields ``names`` (None: every concrete field)."""
    quote = connection.ops.quote_name
    fields = Item._meta.concrete_fields if names is None else [Item._meta.get_field(name) for name in names]
    return ", ".join(quote(field.column) for field in fields)


def published_by_pks_sql(columns: str, count: int) -> str:
    """``SELECT columns`` of the published items among ``count`` ids (parameters: the published
    status, then the ids): SQL written once per process rather than compiled by the ORM for every
    new filter set. The page's items (``published_in_order``) and the axis marks (``mark_items``)
    read their rows with it."""
    quote = connection.ops.quote_name
    return (f"SELECT {columns} FROM {quote(Item._meta.db_table)} "
            f"WHERE {quote(Item._meta.get_field('status').column)} = %s "
            f"AND {quote(Item._meta.pk.column)} IN ({', '.join(['%s'] * count)})")


@lru_cache(maxsize=8)
def _mark_columns(vendor: str) -> str:
    """The quoted columns of ``MARK_FIELDS`` (with the pk first), the date bounds cast to text: up to
    200 marks' dates parsed from a few distinct values (``_iso_day``) rather than converted row by row
    by the database adapter (on SQLite, a third of reading the marks)."""
    quote = connection.ops.quote_name
    # ISO whatever the session's DateStyle on PostgreSQL (as facet_index.DateText); SQLite stores ISO text.
    as_text = "to_char({}, 'YYYY-MM-DD')" if vendor == "postgresql" else "CAST({} AS TEXT)"
    columns = []
    for name in (Item._meta.pk.name, *MARK_FIELDS):
        column = quote(Item._meta.get_field(name).column)
        columns.append(as_text.format(column) if name in ("date_start", "date_end") else column)
    return ", ".join(columns)


@lru_cache(maxsize=8192)
def _iso_day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text[:10])


def mark_items(mark_ids: list[int]) -> list[MarkItem]:
    """The published items among ``mark_ids``, in that order, as :class:`MarkItem` (one query)."""
    pattern = named_url("timeline:item", ITEM_URL_PLACEHOLDER)  # a slug needs no quoting
    found = {}
    if mark_ids:
        with connection.cursor() as cursor:
            cursor.execute(published_by_pks_sql(_mark_columns(connection.vendor), len(mark_ids)),
                           [Status.PUBLISHED.value, *mark_ids])
            found = {pk: MarkItem(slug, title_en, title_zh, edtf, _iso_day(start), _iso_day(end), importance, pattern)
                     for pk, slug, title_en, title_zh, edtf, start, end, importance in cursor.fetchall()}
    return [found[pk] for pk in mark_ids if pk in found]


def axis_mark_ids(form: FilterForm, base, rows, *, version: str) -> list[int]:
    """The items the axis draws as points: every item when it shows days, else the key moments.

    From the facet index; without one, from SQL, kept per filter set and ``version``
    (``FilterForm.cached``)."""
    low, high, zoom = axis.domain(rows, form.window)
    if form.index is not None:
        marks = partial(form.index_marks, low, high, every=zoom == axis.DAY, limit=axis.MAX_MARKS)
        # With a search, kept like its pages (see ``chronology_context``); without, under the index's version.
        return form.cached("marks", marks, version=version) if form.value("q") else form.index_cached("marks", marks)

    def find() -> list[int]:
        marks = form.apply(base).between(low, high).order_by(*CHRONOLOGICAL_ORDER)
        if zoom != axis.DAY:
            marks = marks.filter(importance=3)
        return list(marks.values_list("pk", flat=True)[: axis.MAX_MARKS])

    return form.cached("marks", find, version=version)


def axis_html(form: FilterForm, request, raw: dict, mark_ids: list[int], *, eras, language: str, key: str | None):
    """The time axis, rendered (its marks' rows read by id, one query), and kept under ``key``
    when there is one: the axis of 100,000 items draws 200 marks and is most of the page's render."""
    html = cache_get(key) if key else None
    if html is not None:
        return mark_safe(html)  # noqa: S308 - rendered by the template below, which escapes
    marks = mark_items(mark_ids)
    time_axis = axis.build(
        raw["dates"],
        window=form.window,
        eras=eras,
        era_urls={era.slug: form.querystring(era=[era.slug]) for era in eras},
        marks=marks,
        language=language,
    )
    html = render_to_string(
        "timeline/_axis.html",
        {"axis": time_axis, "axis_links": axis_links(form, time_axis), "chronology_url": named_url("timeline:chronology")},
        request,
    ) if time_axis else ""
    if key:
        cache_set(key, html, getattr(settings, "TIMELINE_FACET_CACHE_SECONDS", FACET_CACHE_SECONDS))
    return mark_safe(html)  # noqa: S308


def axis_key(form: FilterForm, request, version: str, language: str, versions: dict[int, int]) -> str:
    """What the rendered axis depends on: the filters (with ``lang``, which its links carry), the
    page language, the structure version (with a search, every item's) and its marks' versions."""
    parts = (form.querystring(without=("page",)), language, getattr(request, "lang_param", ""), version,
             sorted(versions.items()))
    return "timeline:axis:" + hashlib.sha256(repr(parts).encode()).hexdigest()[:40]


def prefetch_cards(request, items: list[Item], query: str) -> None:
    """Read the cached cards of ``items`` at once (one cache round trip) and fetch the people,
    organisations, topics and citations only of the items whose card must be rendered. Call it once
    the request has read the items' versions, which the cards' keys hold."""
    if request is None:
        prefetch_related_objects(items, *document_prefetches())
        return
    keys = {item.pk: card_key(request, item.pk, query) for item in items}
    found = cache_get_many(list(keys.values()))
    request._timeline_cards = found
    missing = [item for item in items if keys[item.pk] not in found]
    if missing:
        card_relations(missing)


class CardEntity(NamedTuple):
    """A person or organisation as a card links it (``item_chips``)."""

    slug: str
    name_en: str
    name_zh: str


class CardSource(NamedTuple):
    key: str
    publisher: str
    title: str


class CardPassage(NamedTuple):
    ordinal: int
    source: CardSource


class CardCitation(NamedTuple):
    """A citation as a card links it (``item_sources``, ``reader_url``)."""

    pk: int
    passage_id: int
    passage: CardPassage


def _relation_querysets(pks):
    """The querysets ``card_relations`` reads for the items ``pks``: (people, organisations, citations)."""
    order = (*(f"entity__{name}" for name in Entity._meta.ordering), "entity_id")
    entities = [
        through.objects.filter(item_id__in=pks).order_by(*order)
        .values_list("item_id", "entity__slug", "entity__name_en", "entity__name_zh")
        for through in (Item.people.through, Item.organizations.through)
    ]
    shown = document_citations()
    citations = (shown.filter(item_id__in=pks).order_by(*shown.query.order_by, "pk")
                 .values_list("item_id", "pk", "passage_id", "passage__ordinal", "passage__source__key",
                              "passage__source__publisher", "passage__source__title"))
    return (*entities, citations)


@lru_cache(maxsize=256)
def _relation_sql(alias: str, vendor: str, count: int) -> tuple[str, ...] | None:
    """The SQL of ``_relation_querysets`` for ``count`` ids, compiled once per database and count:
    compiling the three joined, ordered querysets cost ten times running them on a page of items.
    Compiled with stand-in ids (never real ones: negative) that must come back as the only parameters,
    in order; otherwise None, and the querysets run as they are."""
    stand_in = list(range(-count, 0))
    sqls = []
    for queryset in _relation_querysets(stand_in):
        sql, params = queryset.query.get_compiler(using=alias).as_sql()
        if list(params) != stand_in:
            return None
        sqls.append(sql)
    return tuple(sqls)


def _relation_rows(pks: list[int]) -> tuple[list, ...]:
    """The rows of ``_relation_querysets(pks)`` (its compiled SQL run on the cursor: plain columns,
    which need no conversion on SQLite or PostgreSQL). Up to a page of ids is asked for as a whole
    page, the last id repeated (the same rows: ``IN`` matches an id once), so that the SQL is compiled
    once for every page: the cards a new filter set renders are those not cached yet, any number of
    them up to a page, and each new number compiled the SQL again (1 ms of a fresh render's 8)."""
    size = max(len(pks), PAGE_SIZE)
    sqls = _relation_sql(connection.alias, connection.vendor, size)
    if sqls is None:
        return tuple(list(queryset) for queryset in _relation_querysets(pks))
    padded = [*pks, *[pks[-1]] * (size - len(pks))]
    with connection.cursor() as cursor:
        found = []
        for sql in sqls:
            cursor.execute(sql, padded)
            found.append(cursor.fetchall())
    return tuple(found)


def card_relations(items: list[Item]) -> None:
    """Give each of ``items`` the people, organisations and citations its card shows (those of
    ``document_prefetches``), as lists of plain tuples (``item_chips``, ``source_links``): one narrow
    query per relation, in the order the managers give (entities by English name, citations by
    source and passage; ties by id), its SQL compiled once per number of items (``_relation_sql``;
    any number up to a page counts as a page).
    Model instances, and ``prefetch_related_objects``' querysets per relation, cost more than
    writing the cards."""
    if not items:
        return
    pks = [item.pk for item in items]
    people: dict[int, list] = {pk: [] for pk in pks}
    organizations: dict[int, list] = {pk: [] for pk in pks}
    citations: dict[int, list] = {pk: [] for pk in pks}
    people_rows, organization_rows, citation_rows = _relation_rows(pks)
    for rows, found in ((people_rows, people), (organization_rows, organizations)):
        for item_id, *entity in rows:
            found[item_id].append(CardEntity(*entity))
    sources: dict[tuple, CardSource] = {}
    for item_id, pk, passage_id, ordinal, *source in citation_rows:
        source = sources.setdefault(tuple(source), CardSource(*source))
        citations[item_id].append(CardCitation(pk, passage_id, CardPassage(ordinal, source)))
    for item in items:
        setattr(item, CARD_PEOPLE, people[item.pk])
        setattr(item, CARD_ORGANIZATIONS, organizations[item.pk])
        setattr(item, CARD_CITATIONS, citations[item.pk])


def published_in_order(rows) -> list[Item]:
    """The published items of ``rows`` ((id, in_window or None) pairs), in that order; an id that is
    no longer published is left out. Read through ``Item.objects.raw`` (``published_by_pks_sql``),
    which converts each column as the ORM does, so the items are the same (every field loaded)."""
    if not rows:
        return []
    sql = published_by_pks_sql(_item_columns(connection.vendor), len(rows))
    found = {item.pk: item for item in Item.objects.raw(sql, [Status.PUBLISHED.value, *(pk for pk, _ in rows)])}
    items = []
    for pk, in_window in rows:
        item = found.get(pk)
        if item is not None:
            if in_window is not None:
                item.in_window = in_window
            items.append(item)
    return items


def with_era_and_speaker(items: list[Item], choices) -> list[Item]:
    """Give each item its era and speaker from the filter's ``choices`` (loaded once per structure
    version, which any change to eras or entities bumps) instead of a join in the items' query: a
    published item's era and speaker are always among them. One that is not (never expected) is
    left to load as usual."""
    eras, entities = choices.by_pk
    for item in items:
        if item.era_id is not None and item.era_id in eras:
            item.era = eras[item.era_id]
        if item.speaker_id is not None and item.speaker_id in entities:
            item.speaker = entities[item.speaker_id]
    return items


def page_rows(items, page) -> list[tuple[int, bool | None]]:
    """(id, in_window or None) of the items on ``page`` of ``items``, in order (one query)."""
    window = "in_window" in items.query.annotations
    fields = ("pk", "in_window") if window else ("pk",)
    bottom = (page.number - 1) * page.paginator.per_page
    rows = items.values_list(*fields)[bottom : bottom + page.paginator.per_page]
    return [(row[0], row[1] if window else None) for row in rows]


def fill_missing_search_text(request) -> None:
    """``search.refresh_missing_search_text``, skipped when a check under the same versions found
    nothing missing: a row written without its search text (an insert, or a blanked text) bumps
    the structure or the items version (``timeline.content_version``), so the check is needed only
    once per pair of versions (kept in the cache, shared by every app server, like the facet counts).
    The versions are read before the check, so a write during it only makes the memo older. Not
    inside a transaction, whose uncommitted writes the versions may not count yet (as ``Choices.current``)."""
    if request is None or connection.in_atomic_block:
        search.refresh_missing_search_text()
        return
    structure, items = request_versions(request)
    key = f"timeline:search-text-complete:{connection.alias}:{connection.settings_dict['NAME']}:{structure}.{items}"
    if cache_get(key):
        return
    if Item.objects.filter(search_text="").exists():
        search.refresh_missing_search_text()  # not remembered: a refused write leaves rows missing
    else:
        cache_set(key, True, getattr(settings, "TIMELINE_FACET_CACHE_SECONDS", FACET_CACHE_SECONDS))


def chronology_context(form: FilterForm, *, paginate: bool = True, chunk: bool = False, request=None) -> dict:
    """Everything the chronology template shows for a filter form (a constant number of queries).

    ``chunk``: only the next page of items, for continuous scrolling (no facets or axis).
    ``request``: read the shown items' versions for their cards, and on a paginated page without a
    search declare them as what the page depends on (``timeline.http.depend_on_items``), so an edit
    of another item leaves its cached answer alone. Not with a search (which items match depends
    on every item's text) nor in print (up to PRINT_LIMIT items).
    """
    language = language_of(get_language())
    fill_missing_search_text(request)
    base = Item.objects.published()
    # The published items' index (``timeline.facet_index``) answers which items a filter set holds,
    # in what order, and its counts; only ``sort=relevance`` and print read their list from SQL.
    indexed = form.index is not None and paginate and not (form.value("q") and form.value("sort") == "relevance")
    items = base if indexed else form.ordered(base)  # with the index, only the paginator's stand-in
    # A full page reads the number of matches from its facet counts (cached per filter set); only
    # a scrolled-in chunk, which shows no facets, counts on its own.
    version = form.facet_version()
    raw = None if chunk else form.facet_counts(base, version=version)
    if raw is not None:
        count = form.count_from(raw)
    else:
        count = int(form.index_mask().sum()) if indexed else items.count()
    eras = list(form.choices.eras.values())
    colours = {era.pk: index % axis.PALETTE_SIZE for index, era in enumerate(eras)}
    after = None
    if paginate:
        page = form.paginate(items, count=count)
        if indexed and not form.value("q"):
            rows = form.index_cached("page", partial(form.index_rows, page.number), page=page.number)
        elif indexed:
            # A search's ids come from the search engine: its pages are kept like its counts, per
            # filter set and every item's version (``FilterForm.cached``), so a repeat runs no search.
            rows = form.cached("page", partial(form.index_rows, page.number), version=version, page=page.number)
        else:
            # Which items the page lists is kept per filter set and version; their rows are read by id.
            rows = form.cached("page", partial(page_rows, items, page), version=version, page=page.number)
        # Their related rows only where a card is not cached (``prefetch_cards``).
        shown = prime_dates(with_era_and_speaker(published_in_order(rows), form.choices))
        if chunk and page.start_index() > 1:
            fields = ("era_id", "date_start", *CHRONOLOGICAL_ORDER)
            if indexed:
                pks, inside = form.index_order()
                after = base.only(*fields).filter(pk=int(pks[page.start_index() - 2])).first()
                if after is not None and any(form.window):
                    after.in_window = page.start_index() - 2 < inside
            else:
                after = items.only(*fields)[page.start_index() - 2]
    else:
        page = None
        shown = prime_dates(items.for_documents()[:PRINT_LIMIT])
    declare = request is not None and paginate and not form.value("q")
    if request is not None and (chunk or not declare):
        # Read before anything is rendered; a full page reads them with the axis marks' below.
        (depend_on_items if declare else prime_item_versions)(request, [item.pk for item in shown])
    context = {
        "form": form,
        "language": language,
        "page": page,
        "count": count,
        "groups": group_items(shown, colours, after=after),
        "chronology_url": named_url("timeline:chronology"),
        # Item cards mark the search terms: a scrolled-in page needs them as much as the first.
        "values": {
            "q": form.value("q") or "",
            "from": form.value("from").edtf if form.value("from") else "",
            "to": form.value("to").edtf if form.value("to") else "",
            "importance": form.value("importance"),
        },
    }
    if chunk:
        prefetch_cards(request, shown, form.value("q") or "")
        return context
    facets = form.shown_facets(raw, language, FACET_LIMIT)
    facet_groups = [(param, title, *facets[param]) for param, title in facet_titles()]
    # Print shows no axis.
    mark_ids = axis_mark_ids(form, base, raw["dates"], version=version) if raw["dates"] and paginate else []
    versions = {}
    if declare:  # the cards, and the axis marks' titles
        versions = depend_on_items(request, [item.pk for item in shown] + mark_ids)
    # Kept rendered where its key covers what it shows: the marks' versions, or (with a search)
    # every item's through the version.
    key = None
    if request is not None and paginate and (declare or form.value("q")):
        key = axis_key(form, request, version, language, {pk: versions[pk] for pk in mark_ids} if declare else {})
    time_axis = axis_html(form, request, raw, mark_ids, eras=eras, language=language, key=key) if (
        raw["dates"] and paginate) else ""
    if paginate:
        prefetch_cards(request, shown, form.value("q") or "")
    start, end = form.window
    if start is None and end is None:
        within = sum(map(itemgetter(4), raw["dates"]))  # every row (a search's are a thousand or more)
    else:
        within = sum(n for first, last, _a, _i, n in raw["dates"]
                     if (start is None or first >= start) and (end is None or last <= end))
    context.update({
        "facet_groups": facet_groups,
        "active_params": {param for param in MULTI_PARAMS if form.value(param)},
        # Everything set inside the filter panel (the search field is outside it): values, key moments, dates.
        "filter_count": sum(len(form.value(p)) for p in MULTI_PARAMS)
        + sum(1 for p in ("importance", "from", "to") if form.value(p)),
        "key_moments": form.key_moment_count(raw),
        "axis_html": time_axis,
        "within_count": within,
        "span_years": span_years(raw["dates"], form.window),
        "published_years": form.published_years(),
        "active": form.active(language),
        "notices": form.notices,
        "printing": not paginate,
        "print_limit": PRINT_LIMIT,
    })
    return context


def span_years(rows, window=(None, None)) -> tuple[int, int] | None:
    """First and last year of the filtered items (within the from/to window), for the headline."""
    if not rows:
        return None
    first = max(filter(None, (min(map(itemgetter(0), rows)), window[0])))
    last = min(filter(None, (max(map(itemgetter(1), rows)), window[1])))
    return first.year, max(last.year, first.year)


@dataclass
class AxisLink:
    label: str
    tick: str
    url: str
    count: int
    key_count: int
    current: bool = False
    within: int = 0  # what following the link lists: the page's "within the period" and its count
    overlap: int = 0
    shown: str = ""  # the layouts whose row shows its label (axis.tick_classes)


def axis_links(form: FilterForm, time_axis) -> dict:
    """Server-side navigation of the axis: one link per column (to that year, month or day) and a
    link that zooms out, so the axis works without JavaScript."""
    if time_axis is None:
        return {}
    columns = [
        AxisLink(c.label, c.tick, form.querystring(**{"from": c.edtf, "to": c.edtf}), c.count, c.key_count,
                 within=c.within, overlap=c.overlap, shown=shown)
        for c, shown in zip(time_axis.columns, axis.tick_classes([c.tick for c in time_axis.columns]), strict=True)
    ]
    out = None
    if form.value("from") or form.value("to"):
        low = time_axis.origin
        if time_axis.zoom == axis.DAY:
            query = form.querystring(**{"from": f"{low.year:04d}", "to": f"{low.year:04d}"})
        else:
            query = form.querystring(**{"from": None, "to": None})
        out = named_url("timeline:chronology") + query
    return {"columns": columns, "zoom_out": out}


def canonical_address(request, form: FilterForm) -> str | None:
    """Where a page address with empty parameters is answered: the filter form sent without JavaScript
    names every field, empty ones too (`?q=&lang=en&from=&to=&era=chatgpt`), so the same filters are
    redirected to their canonical address (empty parameters left out, the rest in canonical order), which
    has none. Only when every value was understood: a malformed one keeps its notice on the page."""
    if request.htmx or form.notices:
        return None  # htmx asks with the form's fields and is told the canonical address (HX-Push-Url)
    sent = parse_qsl(request.META.get("QUERY_STRING", ""), keep_blank_values=True)
    if not any(key in PARAMS and not value.strip() for key, value in sent):
        return None
    return request.path + form.querystring(without=())


@require_safe
@public_cache()
@vary_on_headers("HX-Request", "HX-History-Restore-Request", "HX-Target")
def chronology(request):
    form = FilterForm(request.GET)
    canonical = canonical_address(request, form)
    if canonical is not None:
        return HttpResponseRedirect(canonical)
    template = "timeline/chronology.html"
    fragment = request.htmx and not request.htmx.history_restore_request
    chunk = bool(fragment and request.htmx.target == "later")
    if chunk:
        template += "#chunk"
    elif fragment:
        template += "#results"
    context = chronology_context(form, chunk=chunk, request=request)
    # The "Embed this view" link lives in the page header, outside #results: a filtered fragment
    # updates it out of band so that it always carries the current view.
    context["oob_embed_link"] = bool(fragment and not chunk)
    response = render(request, template, context)
    if fragment and not chunk:
        # The form sends every field, empty ones too; the address bar gets the canonical URL.
        push_url(response, request.path + form.querystring(without=()))
    return response


@require_safe
@public_cache()
def chronology_print(request):
    """The whole filtered chronology on one page, for printing (up to PRINT_LIMIT items)."""
    form = FilterForm(request.GET)
    return render(request, "timeline/print.html", chronology_context(form, paginate=False, request=request))


def neighbours(item: Item) -> tuple[Item | None, Item | None, int]:
    """The published items just before and after ``item`` in chronological order, and the page of
    the unfiltered chronology that shows it."""
    published = Item.objects.published().only("slug", "title_en", "title_zh", "date_edtf", *CHRONOLOGICAL_ORDER)
    previous, following = published.beside(item)
    return previous, following, published.before(item).count() // PAGE_SIZE + 1


def text_fragment(exact: str) -> str:
    """A ``#:~:text=`` directive for ``exact`` (percent-encoding ``-``, ``&`` and ``,`` as required)."""

    def encode(text: str) -> str:
        return quote(text, safe="").replace("-", "%2D")

    text = " ".join(exact.split())
    if len(text) <= TEXT_FRAGMENT_WHOLE:
        return f"#:~:text={encode(text)}"
    return f"#:~:text={encode(text[:24])},{encode(text[-24:])}"


@dataclass
class CitationView:
    citation: object
    source: object
    passage: object
    html: str
    reader_url: str
    fragment_url: str
    translation: dict
    changed: bool = False  # the source changed since it was cited: ``html`` is the verified snapshot


def citation_html(citation) -> tuple[str, bool]:
    """The cited passage with its span marked, and whether it is the snapshot taken when it was verified.

    A citation a re-import left fuzzy or orphaned is never highlighted in the changed text (its offsets
    are a guess there): readers see the passage as it was verified, or only the cited words.
    """
    if citation.verified:
        return highlight(citation.passage.text, [Span(citation.start, citation.end, citation.pk)]), False
    if citation.has_snapshot:
        span = Span(citation.verified_start, citation.verified_end, citation.pk)
        return highlight(citation.verified_text, [span]), True
    return highlight(citation.exact, [Span(0, len(citation.exact), citation.pk)]), True


@require_safe
@public_cache()
def item_detail(request, slug):
    # Staff who may view items preview drafts and items in review here; everyone else gets 404.
    # Only a request carrying a session cookie can be staff: looking at request.user for the others
    # would add "Vary: Cookie" to every public item page and defeat shared caches.
    signed_in = settings.SESSION_COOKIE_NAME in request.COOKIES
    items = visible_items(request.user) if signed_in else Item.objects.published()
    try:
        item = items.for_documents().get(slug=slug)
    except Item.DoesNotExist:
        raise Http404("No published item has this id.") from None
    preview = item.status != Status.PUBLISHED
    prime_dates([item])
    previous, following, page_number = neighbours(item)
    if not preview:
        # It shows this item and its neighbours' titles; the rest (sources, vocabulary, which items
        # are its neighbours, its page number) follows the structure version.
        depend_on_items(request, [p.pk for p in (item, previous, following) if p])
    prime_dates([p for p in (previous, following) if p])
    citations = []
    for citation in item.citations.all():
        passage = citation.passage
        source = passage.source
        html, changed = citation_html(citation)
        citations.append(
            CitationView(
                citation=citation,
                source=source,
                passage=passage,
                html=html,
                changed=changed,
                reader_url=f"{source.get_absolute_url()}?hl={citation.pk}#p-{passage.ordinal}",
                fragment_url=(source.original_url + text_fragment(citation.exact)) if source.original_url else "",
                translation=citation_translation(citation),
            )
        )
    response = render(
        request,
        "timeline/item.html",
        {
            "item": item,
            "preview": preview,
            "citations": citations,
            "previous": previous,
            "next": following,
            "chronology_url": named_url("timeline:chronology") + (f"?page={page_number}" if page_number > 1 else ""),
            "language": language_of(get_language()),
        },
    )
    if preview:
        # A preview must never sit in a shared cache where the public could be served it.
        add_never_cache_headers(response)
        patch_cache_control(response, private=True)
    return response


@csrf_exempt  # read-only: other methods get 405, not CSRF's 403
@require_safe
def favicon(request):
    """Browsers and feed readers ask for /favicon.ico whatever a page links: send them the icon."""
    response = HttpResponsePermanentRedirect(static("timeline/favicon.png"))
    patch_cache_control(response, public=True, max_age=86400)
    return response


@csrf_exempt  # read-only: other methods get 405, not CSRF's 403
@require_safe
def healthz(request):
    return HttpResponse("ok", content_type="text/plain")
