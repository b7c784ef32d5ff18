"""Script- and case-insensitive substring search over items.

Both the indexed text and the query go through :func:`normalize`: Unicode NFKC (full-width ＡＢＣ and
half-width forms become plain characters), OpenCC traditional → simplified, then ``casefold``. So
``奧特曼``, ``奥特曼`` and ``ALTMAN``/``altman`` meet in the same form and a plain substring test finds
them; Chinese needs no word segmentation because every term is matched as a substring.

Each item keeps the normalised text of everything a reader may search for in
``Item.search_text`` (titles and summaries in both languages, the quote, its translation and
context, people, organisations and the speaker with their aliases, tags). It is derived data:
:func:`refresh_search_text` recomputes it and is what the loader and the admin call after writing
items; rows where it is still empty are filled lazily by :func:`refresh_missing_search_text`.

Scale: terms of three or more characters are answered by a trigram index (``timeline.search_index``:
SQLite FTS5 with the trigram tokenizer, PostgreSQL pg_trgm on a narrow table of ids and search
texts), kept in step with ``search_text`` by triggers; shorter terms are a ``LIKE '%term%'`` on the
rows the index found (a scan of one column when every term is short).
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Iterable

import numpy as np
from django.db import DatabaseError, connections, transaction
from django.db.models.expressions import RawSQL
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from timeline import search_index
from timeline.models import CHRONOLOGICAL_ORDER, Item
from timeline.scripts import to_simplified

logger = logging.getLogger(__name__)

MAX_QUERY_CHARS = 200
MAX_TERMS = 8
BATCH_SIZE = 500


def normalize(text: str) -> str:
    """The searchable form of ``text``: NFKC, simplified script, casefolded, single spaces."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text)
    text = to_simplified(text)
    return " ".join(text.casefold().split())


def query_terms(query: str) -> list[str]:
    """The distinct normalised terms of a query, longest first (the most selective filter first)."""
    terms = []
    for term in normalize(query[:MAX_QUERY_CHARS]).split(" "):
        if term and term not in terms:
            terms.append(term)
    return sorted(terms, key=len, reverse=True)[:MAX_TERMS]


def _entity_names(entity) -> list[str]:
    return [entity.name_en, entity.name_zh, *entity.aliases]


def search_text_from(item: Item, *, speaker=None, people=(), organizations=(), tags=()) -> str:
    """The normalised search text of ``item`` with its related rows given explicitly."""
    parts = [
        item.title_en,
        item.title_zh,
        item.summary_en,
        item.summary_zh,
        item.quote_text,
        item.quote_translation_en,
        item.quote_context_en,
        item.quote_context_zh,
    ]
    if speaker is not None:
        parts += _entity_names(speaker)
    for entity in [*people, *organizations]:
        parts += _entity_names(entity)
    for tag in tags:
        parts += [tag.slug, tag.name_en, tag.name_zh]
    # One line per field, so a term never matches across two fields ("…Altman" + "OpenAI…"); one
    # conversion for all of them, as OpenCC's per-call overhead dominates on short strings.
    lines = [" ".join(part.split()) for part in parts if part and part.strip()]
    text = to_simplified(unicodedata.normalize("NFKC", "\n".join(lines))).casefold()
    return "\n".join(" ".join(line.split()) for line in text.split("\n"))


def search_text_for(item: Item) -> str:
    """Everything a reader may search an item by, normalised. Prefetch people/organizations/tags."""
    return search_text_from(
        item,
        speaker=item.speaker if item.speaker_id else None,
        people=item.people.all(),
        organizations=item.organizations.all(),
        tags=item.tags.all(),
    )


def refresh_search_text(items: Iterable[Item] | None = None, *, using: str = "default") -> int:
    """Recompute ``search_text`` for ``items`` (instances, a queryset, or None for every item).

    Call it after writing items or their people, organisations, tags or speaker (the chronology
    loader and the admin do). Returns how many rows changed.
    """
    if items is None:
        pks = list(Item.objects.using(using).order_by("pk").values_list("pk", flat=True))
    else:
        pks = [item.pk for item in items]
    changed = 0
    with transaction.atomic(using=using):
        for offset in range(0, len(pks), BATCH_SIZE):
            batch = (
                Item.objects.using(using)
                .filter(pk__in=pks[offset : offset + BATCH_SIZE])
                .select_related("speaker")
                .prefetch_related("people", "organizations", "tags")
                .only(
                    "pk", "search_text", "title_en", "title_zh", "summary_en", "summary_zh", "quote_text",
                    "quote_translation_en", "quote_context_en", "quote_context_zh", "speaker",
                )
            )
            stale = []
            for item in batch:
                text = search_text_for(item)
                if text != item.search_text:
                    item.search_text = text
                    stale.append(item)
            if stale:
                Item.objects.using(using).bulk_update(stale, ["search_text"])
                changed += len(stale)
    return changed


def refresh_missing_search_text(limit: int = 1000) -> int:
    """Fill ``search_text`` where it is still empty (rows written without the refresh).

    One indexed query when nothing is missing (a partial index holds only the empty rows). Called
    on every read of the chronology; a database that refuses the write (read-only, locked) does
    not break reading: search then misses those rows until the next request.
    """
    missing = list(Item.objects.filter(search_text="").order_by().values_list("pk", flat=True)[:limit])
    if not missing:
        return 0
    try:
        return refresh_search_text(Item(pk=pk) for pk in missing)
    except DatabaseError:
        logger.warning("Could not fill the search text of %d item(s).", len(missing), exc_info=True)
        return 0


def fts_phrase(terms: list[str]) -> str:
    """An FTS5 query requiring every term as a substring: quoted phrases (``"`` doubled), ANDed."""
    return " AND ".join('"' + term.replace('"', '""') + '"' for term in terms)


def fully_indexed(query: str, connection) -> bool:
    """Whether SQLite's FTS5 index alone answers ``query`` (every term has three or more characters).

    Then :func:`matching` is a subquery on the index, which is cheaper to repeat in each query of a
    page than a list of thousands of matching ids is to build, send and parse."""
    terms = query_terms(query)
    return bool(terms) and connection.vendor == "sqlite" and search_index.available(connection) and all(
        len(term) >= search_index.TRIGRAM for term in terms
    )


# The item ids (``content_rowid='id'``) whose text SQLite's FTS5 index matches (parameter: the phrase).
FTS_IDS_SQL = f"SELECT rowid FROM {search_index.FTS_TABLE} WHERE {search_index.FTS_TABLE} MATCH %s"
# The same ids as one comma-separated value (``matching_pks``).
FTS_ID_LIST_SQL = f"SELECT group_concat(rowid) FROM {search_index.FTS_TABLE} WHERE {search_index.FTS_TABLE} MATCH %s"


def matching(queryset, query: str):
    """Items whose search text contains every term of ``query``.

    Terms of three or more characters go to the database's trigram index (SQLite FTS5, PostgreSQL
    pg_trgm; ``timeline.search_index``); shorter ones are a substring test on the rows it found.
    """
    terms = query_terms(query)
    connection = connections[queryset.db]
    indexed = [term for term in terms if len(term) >= search_index.TRIGRAM]
    if terms and search_index.search_rows(connection):
        # Every term on PostgreSQL's narrow search table (the index for long terms, a scan of half
        # the pages of the item table for short ones); the same LIKE as ``search_text__contains``.
        return queryset.filter(pk__in=RawSQL(*search_rows_sql(terms, connection)))
    if indexed and connection.vendor == "sqlite" and search_index.available(connection):
        queryset = queryset.filter(pk__in=RawSQL(FTS_IDS_SQL, [fts_phrase(indexed)]))
        terms = [term for term in terms if term not in indexed]
    for term in terms:
        # search_text is already casefolded, so a case-sensitive `contains` is right and lets
        # PostgreSQL use the trigram index (icontains would wrap the column in UPPER()).
        queryset = queryset.filter(search_text__contains=term)
    return queryset


def search_rows_sql(terms: list[str], connection, *, select: str = "item_id") -> tuple[str, list[str]]:
    """The ids whose text in PostgreSQL's narrow search table contains every term: the ``LIKE`` of
    Django's ``contains`` lookup (wildcards in a term escaped the same way). ``select``: what of
    them (``array_agg(item_id)``: all in one value)."""
    where = " AND ".join(["search_text LIKE %s"] * len(terms))
    params = [f"%{connection.ops.prep_for_like_query(term)}%" for term in terms]
    return f"SELECT {select} FROM {search_index.PG_TABLE} WHERE {where}", params


def matching_pks(query: str, *, using: str = "default") -> list[int]:
    """The ids of every item (published or not) whose search text contains every term of ``query``:
    :func:`matching` as a list (see :func:`matching_pk_array`)."""
    return matching_pk_array(query, using=using).tolist()


def _id_array(text: str | None) -> np.ndarray:
    """The ids of one comma-separated value (``group_concat``, ``array_to_string``), parsed by numpy
    in one pass: thousands of ids at 100,000 items, where an ``int()`` each cost a millisecond or more."""
    if not text:
        return np.zeros(0, dtype=np.int64)
    try:
        ids = np.fromstring(text, dtype=np.int64, sep=",")
    except ValueError:  # numpy 2 refuses a value it cannot read to its end
        ids = None
    if ids is None or len(ids) != text.count(",") + 1:
        # Never expected from the database (ids only): the slow, strict way, which names what it could not read.
        ids = np.array([int(pk) for pk in text.split(",") if pk.strip()], dtype=np.int64)
    return ids


def matching_pk_array(query: str, *, using: str = "default") -> np.ndarray:
    """:func:`matching_pks` as an array of int64 (what the facet index takes, ``FacetIndex.of_pks``),
    read with a plain cursor (thousands of ids at 100,000 items).

    When SQLite's FTS5 index answers every term (:func:`fully_indexed`), its rowids are the item ids
    (``content_rowid='id'``) and are read from the index alone: joining them back to the item table
    costs several times the index lookup and adds nothing (the same ids come out). On PostgreSQL the
    ids come from the narrow search table alone, for the same reason.
    """
    connection = connections[using]
    # On the two index paths the ids come back as one text value (``group_concat`` on SQLite,
    # ``array_to_string(array_agg())`` on PostgreSQL) rather than a row each: thousands of rows cost
    # more to fetch than the one value to read (19,095 ids at 100,000 items: 9.6 -> 6.7 ms of CPU on
    # SQLite, 3.7 -> 1.5 on PostgreSQL), and numpy parses it (:func:`_id_array`).
    if fully_indexed(query, connection):
        with connection.cursor() as cursor:
            cursor.execute(FTS_ID_LIST_SQL, [fts_phrase(query_terms(query))])
            return _id_array(cursor.fetchone()[0])
    if query_terms(query) and search_index.search_rows(connection):
        sql, params = search_rows_sql(query_terms(query), connection,
                                      select="array_to_string(array_agg(item_id), ',')")
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return _id_array(cursor.fetchone()[0])
    sql, params = matching(Item.objects.using(using).order_by(), query).values_list("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return np.array([row[0] for row in cursor.fetchall()], dtype=np.int64)


def ranked(queryset, query: str):
    """``queryset`` (already narrowed by :func:`matching`) best match first, then chronological.

    SQLite ranks by FTS5's BM25 over the indexed terms; PostgreSQL by pg_trgm's
    ``word_similarity`` plus ``similarity`` of the query to the search text. Without an index (or with only short
    terms) the order stays chronological.
    """
    terms = query_terms(query)
    connection = connections[queryset.db]
    indexed = [term for term in terms if len(term) >= search_index.TRIGRAM]
    rank = None
    if connection.vendor == "sqlite" and indexed and search_index.available(connection):
        table = search_index.FTS_TABLE
        rank = RawSQL(  # BM25 is lower for better matches
            f"(SELECT bm25({table}) FROM {table} WHERE {table} MATCH %s AND rowid = timeline_item.id)",
            [fts_phrase(indexed)],
        )
    elif connection.vendor == "postgresql" and terms and search_index.available(connection):
        # How well the query matches a word of the text, then how much of the text it is (as BM25
        # prefers the shorter of two documents with the same matches).
        phrase = " ".join(terms)
        rank = RawSQL(
            "-(word_similarity(%s, timeline_item.search_text) + similarity(%s, timeline_item.search_text))",
            [phrase, phrase],
        )
    if rank is None:
        return queryset.order_by(*CHRONOLOGICAL_ORDER)
    return queryset.annotate(search_rank=rank).order_by("search_rank", *CHRONOLOGICAL_ORDER)


_UNEVEN: set[str] = set()  # characters whose fold is not exactly one character (``_Folds``)


class _Folds(dict):
    """``ord(char)`` → NFKC and casefold of that one character, computed once per character (for
    ``str.translate``); a character whose fold is not one character long joins ``_UNEVEN`` first."""

    def __missing__(self, code: int) -> str:
        folded = unicodedata.normalize("NFKC", chr(code)).casefold()
        if len(folded) != 1:
            _UNEVEN.add(chr(code))
        self[code] = folded
        return folded


_FOLDS = _Folds()


def _normalized_with_origins(text: str) -> tuple[str, list[int] | range]:
    """``text`` in the searchable form (as :func:`normalize`, whitespace aside) and, for each of its
    characters, the index of the original character it came from."""
    converted = to_simplified(text)
    if len(converted) != len(text):  # a phrase conversion changed the length: align char by char
        converted = "".join(to_simplified(char)[:1] or char for char in text)
    # Each character folded on its own, as below; one translate call when every fold is one
    # character long (then the n-th character comes from the n-th), as in almost every text.
    folded_text = converted.translate(_FOLDS)
    if _UNEVEN.isdisjoint(converted):
        return folded_text, range(len(converted))
    out, origins = [], []
    for index, char in enumerate(converted):
        folded = unicodedata.normalize("NFKC", char).casefold()
        out.append(folded)
        origins.extend([index] * len(folded))
    return "".join(out), origins


def highlight(text: str, query: str) -> str | SafeString:
    """``text`` with every match of a term of ``query`` wrapped in ``<mark>``, escaped piece by piece.

    Matching is the search's own (script-, case- and width-insensitive), so ``奥特曼`` marks ``奧特曼``.
    Without matches the text is returned as it was (autoescaping applies as usual).
    """
    terms = query_terms(query or "")
    if not text or not terms:
        return text
    normalized, origins = _normalized_with_origins(text)
    spans = []
    for term in terms:
        start = normalized.find(term)
        while start != -1:
            spans.append((origins[start], origins[start + len(term) - 1] + 1))
            start = normalized.find(term, start + len(term))
    if not spans:
        return text
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    parts, position = [], 0
    for start, end in merged:
        parts.append(conditional_escape(text[position:start]))
        parts.append(format_html("<mark>{}</mark>", text[start:end]))
        position = end
    parts.append(conditional_escape(text[position:]))
    return mark_safe("".join(parts))  # every piece above is escaped
