"""Invalidation by record: per-item cache versions next to the site-wide content version.

``timeline_cache_version`` holds one row per scope (``items``, ``item:<id>``) that triggers bump
when an item's displayed content changes without changing any list (``timeline.content_version``).
Like ``timeline_content_version`` it is not a Django model, so ``flush`` leaves it alone and a
version never goes back to a value an older cached answer was stored under.
"""

from django.db import migrations

from timeline import content_version

TABLE = "timeline_cache_version"


def forwards(apps, schema_editor):
    bigint = "bigint" if schema_editor.connection.vendor == "postgresql" else "integer"
    schema_editor.execute(f"CREATE TABLE {TABLE} (scope varchar(64) PRIMARY KEY, version {bigint} NOT NULL)")
    content_version.ensure_triggers(schema_editor.connection)


def backwards(apps, schema_editor):
    connection = schema_editor.connection
    postgresql = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        for table in content_version.SPLIT:
            if postgresql:
                cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
            else:
                cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            names = [row[0] for row in cursor.fetchall()]
            for name in names:
                if name.startswith(content_version._split_prefixes(table)) or name == f"{table}_version_insdel":
                    cursor.execute(f"DROP TRIGGER IF EXISTS {name}" + (f" ON {table}" if postgresql else ""))
    schema_editor.execute(f"DROP TABLE {TABLE}")
    content_version.ensure_triggers(connection)  # the whole-row triggers again


class Migration(migrations.Migration):
    dependencies = [("timeline", "0010_vocabulary_history_version")]

    operations = [migrations.RunPython(forwards, backwards)]
