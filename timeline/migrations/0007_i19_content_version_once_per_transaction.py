"""Content version: one bump per transaction on PostgreSQL; SQLite's lost triggers restored.

PostgreSQL: migration 0005 queued one deferred trigger event per written row, each an ``UPDATE`` of
the one version row at commit, so ``seed_synthetic --items 100000`` (or a large import) queued
hundreds of thousands of updates of that row and spent many minutes in ``COMMIT``. The triggers now
queue a bump only for the first row a transaction writes (``timeline.content_version``).

SQLite: migration 0006 rebuilt ``timeline_item`` and ``timeline_citation`` (SQLite alters columns by
copying the table), which dropped their triggers; they are recreated here, and after every later
``migrate`` by ``TimelineConfig.ready``.
"""

from django.db import migrations

from timeline import content_version

BUMP_EACH_ROW = (
    "CREATE OR REPLACE FUNCTION timeline_bump_content_version() RETURNS trigger LANGUAGE plpgsql AS "
    f"$$ BEGIN {content_version.BUMP}; RETURN NULL; END $$"
)


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        content_version.replace_postgresql_row_triggers(connection)
    content_version.ensure_triggers(connection)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in content_version.WATCHED:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_version ON {table}")
        schema_editor.execute(
            f"CREATE CONSTRAINT TRIGGER {table}_version AFTER INSERT OR UPDATE OR DELETE ON {table} "
            "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION timeline_bump_content_version()"
        )
    schema_editor.execute(BUMP_EACH_ROW)
    schema_editor.execute("DROP FUNCTION IF EXISTS timeline_content_version_first_write()")


class Migration(migrations.Migration):
    dependencies = [("timeline", "0006_item_sequence_citation_translation")]

    operations = [migrations.RunPython(forwards, backwards)]
