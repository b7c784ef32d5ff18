"""The full-text index behind :func:`timeline.search.matching`, one per database engine.

SQLite: an FTS5 table with the trigram tokenizer over ``timeline_item.search_text`` (external
content: the text is stored once, in the item row). Trigrams make every term of three or more
characters a substring match served by the index, so Chinese needs no word segmentation. Triggers
on ``timeline_item`` keep it in step with ``search_text`` whoever writes the column
(``refresh_search_text``, the loader, ``seed_synthetic``, raw SQL), so it is synced by the same path
as the column itself.

PostgreSQL: ``timeline_item_search`` (migration 0016), a narrow copy of (item id, search text)
kept in step by triggers, with a ``pg_trgm`` GIN index that serves ``search_text LIKE '%term%'`` for
terms of three or more characters; a recheck or a scan there reads half the pages the item table
would. ``similarity()`` ranks (on the item rows found). Without that table (pg_trgm refused by the
role), the item table's own column is searched.

SQLite drops a table's triggers when a migration rebuilds it, so :func:`ensure_index` runs after
every ``migrate`` (``TimelineConfig.ready``), as the content-version triggers do.
"""

from __future__ import annotations

FTS_TABLE = "timeline_item_fts"
PG_TABLE = "timeline_item_search"
TRIGRAM = 3  # shorter terms cannot use a trigram index
SQLITE_TRIGGERS = {
    "timeline_item_fts_insert": (
        f"CREATE TRIGGER IF NOT EXISTS timeline_item_fts_insert AFTER INSERT ON timeline_item BEGIN "
        f"INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text); END"
    ),
    "timeline_item_fts_delete": (
        f"CREATE TRIGGER IF NOT EXISTS timeline_item_fts_delete AFTER DELETE ON timeline_item BEGIN "
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text) VALUES ('delete', old.id, old.search_text); END"
    ),
    "timeline_item_fts_update": (
        f"CREATE TRIGGER IF NOT EXISTS timeline_item_fts_update AFTER UPDATE OF search_text ON timeline_item BEGIN "
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
        f"INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text); END"
    ),
}


def sqlite_has_trigram(connection) -> bool:
    """FTS5's trigram tokenizer needs SQLite 3.34 or newer, built with FTS5."""
    with connection.cursor() as cursor:
        try:
            cursor.execute("CREATE VIRTUAL TABLE temp.timeline_fts_probe USING fts5(x, tokenize='trigram')")
        except Exception:
            return False
        cursor.execute("DROP TABLE temp.timeline_fts_probe")
    return True


def ensure_index(connection) -> bool:
    """Create the SQLite FTS5 index and its triggers where missing (filled from the rows on creation).

    Returns whether the index is in place. Nothing to do on PostgreSQL (migration 0016's table and triggers).
    """
    if connection.vendor != "sqlite":
        return False
    tables = set(connection.introspection.table_names())
    if "timeline_item" not in tables:
        return False
    with connection.cursor() as cursor:
        if FTS_TABLE not in tables:
            if not sqlite_has_trigram(connection):
                return False
            cursor.execute(
                f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(search_text, content='timeline_item', "
                "content_rowid='id', tokenize='trigram')"
            )
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'timeline_item_fts_%'")
        present = {row[0] for row in cursor.fetchall()}
        missing = [sql for name, sql in SQLITE_TRIGGERS.items() if name not in present]
        for statement in missing:
            cursor.execute(statement)
        if missing and FTS_TABLE in tables:
            # Writes made while a trigger was missing (after a table rebuild) are not in the index.
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
    return True


def detect(connection) -> bool:
    """Look up whether ``connection`` has the index (SQLite's FTS5 table, PostgreSQL's pg_trgm) and
    remember it on the connection. Runs when a connection opens and after ``migrate``
    (``TimelineConfig.ready``), so a request does not pay the lookup."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = %s", [FTS_TABLE])
            value = cursor.fetchone() is not None
    elif connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'), "
                           "to_regclass(%s) IS NOT NULL", [PG_TABLE])
            value, rows = cursor.fetchone()
        connection._timeline_search_rows = bool(value and rows)
    else:
        value = False
    connection._timeline_fts = value
    return value


def search_rows(connection) -> bool:
    """Whether ``connection`` is a PostgreSQL with the narrow ``timeline_item_search`` table."""
    if connection.vendor != "postgresql":
        return False
    if getattr(connection, "_timeline_search_rows", None) is None:
        detect(connection)
    return connection._timeline_search_rows


def available(connection) -> bool:
    """Whether ``connection`` has the index (see :func:`detect`)."""
    value = getattr(connection, "_timeline_fts", None)
    return detect(connection) if value is None else value
