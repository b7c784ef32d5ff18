"""The content version's triggers: present on every watched table, and one bump per transaction."""

import pytest
from django.db import connection, transaction

from timeline import content_version
from timeline.http import content_fingerprint, structure_version
from timeline.models import Tag

pytestmark = pytest.mark.django_db


def expected_trigger_names() -> set[str]:
    """Whole-row triggers on every watched table, except that item and citation UPDATEs have their
    record-level triggers (migration 0011) instead."""
    split = set()
    for table in content_version.SPLIT:
        split |= set(content_version.split_triggers(connection, table))
    if connection.vendor == "postgresql":
        whole = {name for table in content_version.WATCHED for name in (f"{table}_version", f"{table}_version_truncate")}
        replaced = {f"{table}_version" for table in content_version.SPLIT}
        split |= {content_version.split_insert_delete_trigger(table)[0] for table in content_version.SPLIT}
    else:
        whole = {f"{table}_version_{event}" for table in content_version.WATCHED for event in content_version.SQLITE_EVENTS}
        replaced = {f"{table}_version_update" for table in content_version.SPLIT}
    return (whole - replaced) | split


def test_every_watched_table_has_its_triggers_after_migrate():
    """SQLite drops a table's triggers when a migration rebuilds it (0006 did, to items and
    citations); after ``migrate`` every watched table must still have them."""
    assert expected_trigger_names() <= content_version.installed_triggers(connection)


def test_ensure_triggers_recreates_a_dropped_trigger_and_is_idempotent():
    name = "timeline_tag_version" if connection.vendor == "postgresql" else "timeline_tag_version_update"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER {name}" + (" ON timeline_tag" if connection.vendor == "postgresql" else ""))
    assert content_version.ensure_triggers(connection) == [name]
    assert content_version.ensure_triggers(connection) == []
    before = content_fingerprint()
    Tag.objects.update(name_en="Renamed")
    if connection.vendor == "postgresql":
        connection.check_constraints()  # the bump is deferred to commit; this test never commits
    assert content_fingerprint() != before


def bulk_tags(prefix: str, count: int) -> list[Tag]:
    return [Tag(slug=f"{prefix}-{n}", name_en=f"Bulk {n}", name_zh=f"批量{n}") for n in range(count)]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_bulk_write_bumps_the_version_once_at_commit_on_postgresql():
    """Seeding 100,000 items used to queue one bump of the one version row per written row."""
    start = int(structure_version())
    with transaction.atomic():
        Tag.objects.bulk_create(bulk_tags("bulk", 500))
        Tag.objects.filter(slug__startswith="bulk-").update(name_en="Renamed")
        assert int(structure_version()) == start  # not before commit
    assert int(structure_version()) == start + 1
    Tag.objects.filter(slug__startswith="bulk-").delete()  # the next transaction bumps again
    assert int(structure_version()) == start + 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_savepoint_does_not_swallow_the_bump_of_a_later_write():
    start = int(structure_version())
    with transaction.atomic():
        try:
            with transaction.atomic():
                Tag.objects.bulk_create(bulk_tags("gone", 3))
                raise RuntimeError("roll back the savepoint")
        except RuntimeError:
            pass
        Tag.objects.bulk_create(bulk_tags("kept", 3))
    assert int(structure_version()) == start + 1
    assert not Tag.objects.filter(slug__startswith="gone-").exists()
