"""A content version the database itself bumps on every write to what public pages show.

``timeline.http`` keys ETags and its response cache on it. Triggers catch every kind of write (the
admin, the importers, ``QuerySet.update``, ``bulk_create``, ``loaddata``, raw SQL), so a stored answer
can never outlive the content it was rendered from, and reading it is one primary-key lookup.

The table is not a Django model on purpose: ``flush`` leaves it alone, so the version never goes
back to a value an older cached answer was stored under.

SQLite has one writer at a time: plain row triggers. PostgreSQL bumps in deferred constraint
triggers, at commit, so a long transaction (an import) does not hold the version row's lock while it
takes other row locks, and two editors' transactions cannot deadlock on it.
"""

from django.db import migrations

TABLE = "timeline_content_version"
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


def sqlite_statements():
    yield f"CREATE TABLE {TABLE} (id integer PRIMARY KEY CHECK (id = 1), version integer NOT NULL)"
    yield f"INSERT INTO {TABLE} (id, version) VALUES (1, 1)"
    for table in WATCHED:
        for event in ("INSERT", "UPDATE", "DELETE"):
            yield (
                f"CREATE TRIGGER {table}_version_{event.lower()} AFTER {event} ON {table} "
                f"FOR EACH ROW BEGIN {BUMP}; END"
            )


def postgresql_statements():
    yield f"CREATE TABLE {TABLE} (id integer PRIMARY KEY CHECK (id = 1), version bigint NOT NULL)"
    yield f"INSERT INTO {TABLE} (id, version) VALUES (1, 1)"
    yield (
        "CREATE FUNCTION timeline_bump_content_version() RETURNS trigger LANGUAGE plpgsql AS "
        f"$$ BEGIN {BUMP}; RETURN NULL; END $$"
    )
    for table in WATCHED:
        yield (
            f"CREATE CONSTRAINT TRIGGER {table}_version AFTER INSERT OR UPDATE OR DELETE ON {table} "
            "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION timeline_bump_content_version()"
        )
        yield (
            f"CREATE TRIGGER {table}_version_truncate AFTER TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION timeline_bump_content_version()"
        )


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": sqlite_statements, "postgresql": postgresql_statements}.get(vendor)
    if statements is None:
        raise NotImplementedError(f"The content version triggers support SQLite and PostgreSQL, not {vendor}.")
    for statement in statements():
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in WATCHED:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_version ON {table}")
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_version_truncate ON {table}")
        schema_editor.execute("DROP FUNCTION IF EXISTS timeline_bump_content_version()")
    else:
        for table in WATCHED:
            for event in ("insert", "update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_version_{event}")
    schema_editor.execute(f"DROP TABLE IF EXISTS {TABLE}")


class Migration(migrations.Migration):
    dependencies = [("timeline", "0004_editorial_groups")]

    operations = [migrations.RunPython(forwards, backwards)]
