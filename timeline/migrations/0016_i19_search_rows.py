"""PostgreSQL: search in a narrow table of (item id, search text) with its own trigram index.

The trigram index of migration 0002 finds the candidate rows, but PostgreSQL must then read each of
them to recheck ``LIKE`` (and to see whether it is visible): in the item table that is a whole item
row, about twice the bytes of its search text. A term found in a sixth of 100,000 items read
11,000 of the table's 14,000 pages (or all of them, when the planner chose a scan), 300 ms while
other databases shared the buffer cache. ``timeline_item_search`` holds only the id and the search
text: half the pages to read, and a scan of it when a term is too frequent for the index is a tenth
of the cost.

Statement-level triggers with transition tables keep it in step with ``timeline_item.search_text``
whoever writes the column (``refresh_search_text``, the loader, ``seed_synthetic``, raw SQL): one
``INSERT … SELECT`` per statement, so a bulk insert of 100,000 items pays one, not 100,000; a
``TRUNCATE`` of the item table (Django's test flush) empties it too. Its content is derived from
the item rows, whose writes already bump the content versions, so it bumps none of its own.
Nothing on SQLite, which searches through its FTS5 table (``timeline.search_index``).
"""

from django.db import migrations

TABLE = "timeline_item_search"

FORWARD = [
    f"""CREATE TABLE {TABLE} (item_id integer PRIMARY KEY, search_text text NOT NULL)""",
    f"""INSERT INTO {TABLE} (item_id, search_text) SELECT id, search_text FROM timeline_item""",
    f"""CREATE INDEX {TABLE}_trgm ON {TABLE} USING gin (search_text gin_trgm_ops)""",
    f"""CREATE FUNCTION timeline_item_search_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO {TABLE} (item_id, search_text) SELECT id, search_text FROM new_rows
        ON CONFLICT (item_id) DO UPDATE SET search_text = EXCLUDED.search_text;
        RETURN NULL;
    END $$""",
    f"""CREATE FUNCTION timeline_item_search_updated() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM {TABLE} s USING old_rows o
        WHERE s.item_id = o.id AND NOT EXISTS (SELECT 1 FROM new_rows n WHERE n.id = o.id);
        INSERT INTO {TABLE} (item_id, search_text)
        SELECT n.id, n.search_text FROM new_rows n LEFT JOIN old_rows o ON o.id = n.id
        WHERE o.id IS NULL OR n.search_text IS DISTINCT FROM o.search_text
        ON CONFLICT (item_id) DO UPDATE SET search_text = EXCLUDED.search_text;
        RETURN NULL;
    END $$""",
    f"""CREATE FUNCTION timeline_item_search_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM {TABLE} s USING old_rows o WHERE s.item_id = o.id;
        RETURN NULL;
    END $$""",
    f"""CREATE FUNCTION timeline_item_search_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        TRUNCATE {TABLE};
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER timeline_item_search_insert AFTER INSERT ON timeline_item
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION timeline_item_search_inserted()""",
    """CREATE TRIGGER timeline_item_search_update AFTER UPDATE ON timeline_item
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION timeline_item_search_updated()""",
    """CREATE TRIGGER timeline_item_search_delete AFTER DELETE ON timeline_item
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION timeline_item_search_deleted()""",
    """CREATE TRIGGER timeline_item_search_truncate AFTER TRUNCATE ON timeline_item
    FOR EACH STATEMENT EXECUTE FUNCTION timeline_item_search_truncated()""",
    # The item table's own trigram index served only ``LIKE`` (similarity ranks without an index).
    "DROP INDEX IF EXISTS item_search_text_trgm",
    f"ANALYZE {TABLE}",  # the planner's estimates from the first query on, not after autovacuum
]

BACKWARD = [
    "CREATE INDEX IF NOT EXISTS item_search_text_trgm ON timeline_item USING gin (search_text gin_trgm_ops)",
    "DROP TRIGGER IF EXISTS timeline_item_search_truncate ON timeline_item",
    "DROP TRIGGER IF EXISTS timeline_item_search_delete ON timeline_item",
    "DROP TRIGGER IF EXISTS timeline_item_search_update ON timeline_item",
    "DROP TRIGGER IF EXISTS timeline_item_search_insert ON timeline_item",
    "DROP FUNCTION IF EXISTS timeline_item_search_truncated()",
    "DROP FUNCTION IF EXISTS timeline_item_search_deleted()",
    "DROP FUNCTION IF EXISTS timeline_item_search_updated()",
    "DROP FUNCTION IF EXISTS timeline_item_search_inserted()",
    f"DROP TABLE IF EXISTS {TABLE}",
]


def has_trigram(schema_editor) -> bool:
    """Migration 0002 creates pg_trgm where the role may; without it search scans (as before)."""
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        return cursor.fetchone() is not None


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql" and has_trigram(schema_editor):
        for statement in FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("timeline", "0015_i19b_facet_indexes")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
