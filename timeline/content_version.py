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
"""

from __future__ import annotations

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
    """Names of the content-version triggers present on ``connection``'s watched tables."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgname LIKE 'timeline\\_%\\_version%'"
            )
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'timeline_%_version_%'")
        return {row[0] for row in cursor.fetchall()}


def ensure_triggers(connection) -> list[str]:
    """Create whichever content-version triggers are missing; returns their names (idempotent).

    Does nothing before migration 0005 created the version table.
    """
    if TABLE not in connection.introspection.table_names():
        return []
    present = installed_triggers(connection)
    existing_tables = set(connection.introspection.table_names())
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
                    if name not in present:
                        cursor.execute(statement)
                        created.append(name)
        elif connection.vendor == "sqlite":
            for table in WATCHED:
                if table not in existing_tables:
                    continue
                for event in SQLITE_EVENTS:
                    name = f"{table}_version_{event}"
                    if name not in present:
                        cursor.execute(sqlite_trigger(table, event))
                        created.append(name)
    return created


def replace_postgresql_row_triggers(connection) -> None:
    """Swap migration 0005's bump-per-row triggers for the once-per-transaction ones (migration 0007)."""
    with connection.cursor() as cursor:
        for function in POSTGRESQL_FUNCTIONS:
            cursor.execute(function)
        for table in WATCHED:
            cursor.execute(f"DROP TRIGGER IF EXISTS {table}_version ON {table}")
            cursor.execute(postgresql_row_trigger(table))
