"""The database triggers that keep the content version (migration 0005) following every write.

``timeline.http`` keys ETags and cached answers on one number the database bumps whenever anything
a public page could show is written. This module holds the triggers that do it and
:func:`ensure_triggers`, which (re)creates any that are missing. It runs after every ``migrate``
(``TimelineConfig.ready``) because SQLite cannot alter most columns in place: Django rebuilds the
table (``CREATE`` new, copy, ``DROP`` old, rename), and the old table's triggers go with it. Migration
0006 did exactly that to ``timeline_item`` and ``timeline_citation``, after which edits to items no
longer changed the version on SQLite.

PostgreSQL bumps once per transaction, at commit: a deferred constraint trigger per table whose
``WHEN`` condition (evaluated as each row is written, not at commit) is true only for the first row a
transaction writes; ``timeline_content_version_first_write()`` remembers that in a transaction-local
setting. So a bulk write queues one bump, not one per row, and readers never see the new version
before the new content. SQLite has one writer at a time and plain row triggers.

Invalidation by record (migration 0011). The site-wide version above is the *structure* version:
it changes with anything that can change which items a list holds, their order, counts, facets,
axis, vocabulary and sources. An ``UPDATE`` of an item that changes only what its card and page
show (titles, summaries, notes, the quote: ``ITEM_CONTENT``), or of a citation that stays on the
same item and passage, does not bump it. Instead it bumps two rows of ``timeline_cache_version``:

- ``item:<id>``, the version of that one item (what its page, its card and every list showing it
  depend on, ``timeline.http``);
- ``items``, which any change of item content or search text bumps (search results, feeds and the
  other answers that show many items depend on it as a whole).

An item's search text, ``updated_at`` and ``version`` (``ITEM_QUIET``) bump only ``items``. Every
other column of an item counts as structural, including any column added later: the triggers
carry a digest of the column lists in their names and are rebuilt when the table changes.

On SQLite these are row triggers. On PostgreSQL they are bumped at commit, like the structure
version, by one deferred trigger per transaction that takes its row locks in a fixed order (see
``POSTGRESQL_SCOPE_FUNCTIONS``); a transaction that changes more than ``MAX_DIRTY_ITEMS`` items
bumps the structure version instead.
"""

from __future__ import annotations

import hashlib

TABLE = "timeline_content_version"
FLAG = "timeline.content_version_queued"
WATCHED = (
    "timeline_source",
    "timeline_passage",
    "timeline_datemention",
    "timeline_entity",
    "timeline_era",
    "timeline_tag",
    "timeline_item",
    "timeline_item_people",
    "timeline_item_organizations",
    "timeline_item_tags",
    "timeline_citation",
)
BUMP = f"UPDATE {TABLE} SET version = version + 1 WHERE id = 1"
SQLITE_EVENTS = ("insert", "update", "delete")

POSTGRESQL_FUNCTIONS = (
    f"""CREATE OR REPLACE FUNCTION timeline_content_version_first_write() RETURNS boolean
    LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    IF coalesce(current_setting('{FLAG}', true), '') = 'on' THEN
        RETURN false;
    END IF;
    PERFORM set_config('{FLAG}', 'on', true);
    RETURN true;
END $$""",
    # Clearing the flag matters when the bump runs before commit (SET CONSTRAINTS ... IMMEDIATE, as
    # the test suite does): the next write in the same transaction then queues another bump.
    f"""CREATE OR REPLACE FUNCTION timeline_bump_content_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    {BUMP};
    PERFORM set_config('{FLAG}', '', true);
    RETURN NULL;
END $$""",
)


def sqlite_trigger(table: str, event: str) -> str:
    return (
        f"CREATE TRIGGER IF NOT EXISTS {table}_version_{event} AFTER {event.upper()} ON {table} "
        f"FOR EACH ROW BEGIN {BUMP}; END"
    )


def postgresql_row_trigger(table: str) -> str:
    return (
        f"CREATE CONSTRAINT TRIGGER {table}_version AFTER INSERT OR UPDATE OR DELETE ON {table} "
        "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (timeline_content_version_first_write()) "
        "EXECUTE FUNCTION timeline_bump_content_version()"
    )


def postgresql_truncate_trigger(table: str) -> str:
    return (
        f"CREATE TRIGGER {table}_version_truncate AFTER TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION timeline_bump_content_version()"
    )


def installed_triggers(connection) -> set[str]:
    """Names of the content-version triggers (and record-level ones) present on ``connection``'s tables."""
    markers = ("_version", "_scope_update_", "_quiet_update_", "_items_update_")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgname LIKE 'timeline\\_%'")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'timeline_%'")
        return {row[0] for row in cursor.fetchall() if any(marker in row[0] for marker in markers)}


def ensure_triggers(connection) -> list[str]:
    """Create whichever content-version triggers are missing; returns their names (idempotent).

    Does nothing before migration 0005 created the version table.
    """
    if TABLE not in connection.introspection.table_names():
        return []
    present = installed_triggers(connection)
    existing_tables = set(connection.introspection.table_names())
    # After migration 0011 items' and citations' UPDATEs have split triggers instead of whole-row ones.
    split = SCOPES in existing_tables
    replaced = {f"{t}_version" for t in SPLIT} | {f"{t}_version_update" for t in SPLIT} if split else set()
    created = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for function in POSTGRESQL_FUNCTIONS:
                cursor.execute(function)
            for table in WATCHED:
                if table not in existing_tables:
                    continue
                for name, statement in ((f"{table}_version", postgresql_row_trigger(table)),
                                        (f"{table}_version_truncate", postgresql_truncate_trigger(table))):
                    if name not in present and name not in replaced:
                        cursor.execute(statement)
                        created.append(name)
        elif connection.vendor == "sqlite":
            for table in WATCHED:
                if table not in existing_tables:
                    continue
                for event in SQLITE_EVENTS:
                    name = f"{table}_version_{event}"
                    if name not in present and name not in replaced:
                        cursor.execute(sqlite_trigger(table, event))
                        created.append(name)
    return created + ensure_split_triggers(connection, existing_tables)


def replace_postgresql_row_triggers(connection) -> None:
    """Swap migration 0005's bump-per-row triggers for the once-per-transaction ones (migration 0007)."""
    with connection.cursor() as cursor:
        for function in POSTGRESQL_FUNCTIONS:
            cursor.execute(function)
        for table in WATCHED:
            cursor.execute(f"DROP TRIGGER IF EXISTS {table}_version ON {table}")
            cursor.execute(postgresql_row_trigger(table))


# -- invalidation by record (migration 0011) ------------------------------------------------------

SCOPES = "timeline_cache_version"
ITEMS_SCOPE = "items"
ITEMS_FLAG = "timeline.items_changed"
ITEM_CONTENT = (
    "title_en", "title_zh", "summary_en", "summary_zh", "note_en", "note_zh", "quote_text", "quote_language",
    "quote_translation_en", "quote_context_en", "quote_context_zh",
)
ITEM_QUIET = ("search_text", "updated_at", "version")
CITATION_STRUCTURE = ("id", "item_id", "passage_id")
# The tables whose UPDATEs are split: (table, column naming the item).
SPLIT = {"timeline_item": "id", "timeline_citation": "item_id"}


def scope_upsert(scope_sql: str) -> str:
    return (
        f"INSERT INTO {SCOPES} (scope, version) VALUES ({scope_sql}, 1) "
        f"ON CONFLICT (scope) DO UPDATE SET version = {SCOPES}.version + 1"
    )


MAX_DIRTY_ITEMS = 1000  # PostgreSQL: a transaction changing more items bumps the structure instead

# PostgreSQL bumps the item versions at commit too, all in one deferred trigger that takes its row
# locks in one order for every transaction (the structure row, then ``items``, then the items by
# id), so two transactions that change the same items in opposite orders cannot deadlock on them.
# Row by row, ``timeline_items_changed`` only notes the item's id in a transaction-local setting
# and returns true for the first row, which queues that one trigger.
POSTGRESQL_SCOPE_FUNCTIONS = (
    f"""CREATE OR REPLACE FUNCTION timeline_items_changed(item text) RETURNS boolean
    LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    dirty text := coalesce(current_setting('{ITEMS_FLAG}', true), '');
BEGIN
    IF dirty = '' THEN
        PERFORM set_config('{ITEMS_FLAG}', '+' || coalesce(',' || item, ''), true);
        RETURN true;
    END IF;
    IF dirty = '*' OR item IS NULL OR (dirty || ',') LIKE ('%,' || item || ',%') THEN
        RETURN false;
    END IF;
    IF array_length(string_to_array(dirty, ','), 1) > {MAX_DIRTY_ITEMS} THEN
        PERFORM set_config('{ITEMS_FLAG}', '*', true);
    ELSE
        PERFORM set_config('{ITEMS_FLAG}', dirty || ',' || item, true);
    END IF;
    RETURN false;
END $$""",
    f"""CREATE OR REPLACE FUNCTION timeline_bump_items_version() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    dirty text := coalesce(current_setting('{ITEMS_FLAG}', true), '');
BEGIN
    PERFORM set_config('{ITEMS_FLAG}', '', true);
    IF dirty = '' THEN
        RETURN NULL;
    END IF;
    PERFORM 1 FROM {TABLE} WHERE id = 1 FOR UPDATE;
    IF dirty = '*' THEN
        {BUMP};
    END IF;
    {scope_upsert("'" + ITEMS_SCOPE + "'")};
    IF dirty <> '*' THEN
        INSERT INTO {SCOPES} (scope, version)
        SELECT DISTINCT 'item:' || id, 1 FROM unnest(string_to_array(substr(dirty, 3), ',')) AS id
        WHERE id <> '' ORDER BY 1
        ON CONFLICT (scope) DO UPDATE SET version = {SCOPES}.version + 1;
    END IF;
    RETURN NULL;
END $$""",
)


def _differs(columns) -> str:
    """SQL true when any of ``columns`` changed in an UPDATE (NULL-safe on both backends)."""
    columns = list(columns)
    if not columns:
        return "false"
    return "(" + " OR ".join(f'OLD."{c}" IS DISTINCT FROM NEW."{c}"' for c in columns) + ")"


def split_columns(table: str, columns: list[str]) -> tuple[list[str], list[str], list[str]]:
    """(structure, content, quiet) columns of an UPDATE-split table, from its live column list."""
    if table == "timeline_item":
        content = [c for c in columns if c in ITEM_CONTENT]
        quiet = [c for c in columns if c in ITEM_QUIET]
        structure = [c for c in columns if c not in ITEM_CONTENT and c not in ITEM_QUIET]
    else:
        structure = [c for c in columns if c in CITATION_STRUCTURE]
        content = [c for c in columns if c not in CITATION_STRUCTURE]
        quiet = []
    return structure, content, quiet


def split_triggers(connection, table: str) -> dict[str, str]:
    """{name: CREATE statement} of the UPDATE triggers of an item or citation table, named after a
    digest of its current columns so that a changed table gets new ones."""
    with connection.cursor() as cursor:
        columns = [col.name for col in connection.introspection.get_table_description(cursor, table)]
    structure, content, quiet = split_columns(table, columns)
    digest = hashlib.sha256(repr((structure, content, quiet)).encode()).hexdigest()[:8]
    item_column = SPLIT[table]
    if connection.vendor == "sqlite":
        # SQLite spells IS DISTINCT FROM as IS NOT.
        def differs(cols):
            return _differs(cols).replace("IS DISTINCT FROM", "IS NOT")

        item_scope = scope_upsert(f"'item:' || NEW.\"{item_column}\"")
        items_scope = scope_upsert(f"'{ITEMS_SCOPE}'")
        return {
            f"{table}_version_update_{digest}": (
                f"CREATE TRIGGER IF NOT EXISTS {table}_version_update_{digest} AFTER UPDATE ON {table} "
                f"FOR EACH ROW WHEN {differs(structure)} BEGIN {BUMP}; END"
            ),
            f"{table}_scope_update_{digest}": (
                f"CREATE TRIGGER IF NOT EXISTS {table}_scope_update_{digest} AFTER UPDATE ON {table} "
                f"FOR EACH ROW WHEN {differs(content)} BEGIN {item_scope}; {items_scope}; END"
            ),
            f"{table}_quiet_update_{digest}": (
                f"CREATE TRIGGER IF NOT EXISTS {table}_quiet_update_{digest} AFTER UPDATE ON {table} "
                f"FOR EACH ROW WHEN {differs(quiet)} AND NOT {differs(content)} BEGIN {items_scope}; END"
            ),
        }
    # PostgreSQL. CASE keeps the side-effecting functions from running unless the row counts.
    return {
        f"{table}_version_update_{digest}": (
            f"CREATE CONSTRAINT TRIGGER {table}_version_update_{digest} AFTER UPDATE ON {table} "
            "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
            f"WHEN (CASE WHEN {_differs(structure)} THEN timeline_content_version_first_write() ELSE false END) "
            "EXECUTE FUNCTION timeline_bump_content_version()"
        ),
        f"{table}_items_update_{digest}": (
            f"CREATE CONSTRAINT TRIGGER {table}_items_update_{digest} AFTER UPDATE ON {table} "
            "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
            f"WHEN (CASE WHEN {_differs(content)} THEN timeline_items_changed(NEW.\"{item_column}\"::text) "
            f"WHEN {_differs(quiet)} THEN timeline_items_changed(NULL) ELSE false END) "
            "EXECUTE FUNCTION timeline_bump_items_version()"
        ),
    }


def split_insert_delete_trigger(table: str) -> tuple[str, str]:
    """PostgreSQL: the structure bump of an item or citation INSERT or DELETE (UPDATEs are split)."""
    name = f"{table}_version_insdel"
    return name, (
        f"CREATE CONSTRAINT TRIGGER {name} AFTER INSERT OR DELETE ON {table} "
        "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (timeline_content_version_first_write()) "
        "EXECUTE FUNCTION timeline_bump_content_version()"
    )


def _split_prefixes(table: str) -> tuple[str, ...]:
    return (f"{table}_version_update_", f"{table}_scope_update_", f"{table}_quiet_update_", f"{table}_items_update_")


def ensure_split_triggers(connection, existing_tables: set[str]) -> list[str]:
    """Create the record-level triggers of items and citations (after migration 0011), drop the
    whole-row ones they replace and any built for an older column list; returns what was created."""
    if SCOPES not in existing_tables:
        return []
    postgresql = connection.vendor == "postgresql"
    created = []
    with connection.cursor() as cursor:
        if postgresql:
            for function in POSTGRESQL_SCOPE_FUNCTIONS:
                cursor.execute(function)
            cursor.execute("SELECT tgname, tgrelid::regclass::text FROM pg_trigger WHERE NOT tgisinternal")
            present = {name: relation for name, relation in cursor.fetchall()}
        else:
            cursor.execute("SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger'")
            present = dict(cursor.fetchall())
        for table in SPLIT:
            if table not in existing_tables:
                continue
            wanted = split_triggers(connection, table)
            if postgresql:
                name, statement = split_insert_delete_trigger(table)
                wanted[name] = statement
                obsolete = [f"{table}_version"]  # the whole-row trigger of 0007
            else:
                obsolete = [f"{table}_version_update"]
            obsolete += [n for n in present if n.startswith(_split_prefixes(table)) and n not in wanted]
            for name in obsolete:
                if name in present:
                    cursor.execute(f"DROP TRIGGER IF EXISTS {name}" + (f" ON {table}" if postgresql else ""))
            for name, statement in wanted.items():
                if name not in present:
                    cursor.execute(statement)
                    created.append(name)
    return created
