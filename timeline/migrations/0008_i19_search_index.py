"""SQLite: an FTS5 trigram index over ``timeline_item.search_text`` (``timeline.search_index``)."""

from django.db import migrations

from timeline import search_index


def forwards(apps, schema_editor):
    search_index.ensure_index(schema_editor.connection)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for name in search_index.SQLITE_TRIGGERS:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
        schema_editor.execute(f"DROP TABLE IF EXISTS {search_index.FTS_TABLE}")


class Migration(migrations.Migration):
    dependencies = [("timeline", "0007_i19_content_version_once_per_transaction")]

    operations = [migrations.RunPython(forwards, backwards)]
