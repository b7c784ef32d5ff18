"""Items stored under the old date grammar with a value the site now refuses (seasons, ``201X``, open
ends…) get the nearest accepted value, with the old one in their history and in the printed report
(timeline.legacy_dates). Nothing is unpublished silently: an item with no honest equivalent goes back
to draft, and the report says so."""

from django.db import migrations


def repair(apps, schema_editor):
    from timeline.legacy_dates import repair_items

    report = repair_items(apps, schema_editor.connection.alias)
    if report:
        print(f"\n  Dates the site no longer accepts were rewritten ({len(report)}):")
        for line in report:
            print(f"    {line}")


class Migration(migrations.Migration):

    dependencies = [
        ("timeline", "0011_i12_vocabulary_proposals"),
    ]

    operations = [
        migrations.RunPython(repair, migrations.RunPython.noop),
    ]
