"""Source.is_public: a newly imported article stays off the public site until an editor publishes it.

Existing sources (the shipped four, anything imported from manifests) stay public. Contributors may import
articles (they arrive unpublished); editors may also publish them.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations, models

# As in 0005_content_version (imported by value: a migration must not change when another module does).
WATCHED = (
    "timeline_source", "timeline_passage", "timeline_datemention", "timeline_entity", "timeline_era",
    "timeline_tag", "timeline_item", "timeline_item_people", "timeline_item_organizations", "timeline_item_tags",
    "timeline_citation",
)
BUMP = "UPDATE timeline_content_version SET version = version + 1 WHERE id = 1"


def grant(apps, schema_editor):
    alias = schema_editor.connection.alias
    app_config = apps.get_app_config("timeline")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0, using=alias)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in (("Contributor", ["import_source"]), ("Editor", ["import_source", "publish_source"])):
        group = Group.objects.using(alias).filter(name=name).first()
        if group is not None:
            group.permissions.add(
                *Permission.objects.using(alias).filter(content_type__app_label="timeline", codename__in=codenames)
            )


def restore_sqlite_triggers(apps, schema_editor):
    """SQLite rebuilds a table to add a column, and the rebuild drops its triggers (migration 0006 lost
    timeline_item's and timeline_citation's this way): create every content-version trigger that is missing."""
    if schema_editor.connection.vendor != "sqlite":
        return
    for table in WATCHED:
        for event in ("INSERT", "UPDATE", "DELETE"):
            schema_editor.execute(
                f"CREATE TRIGGER IF NOT EXISTS {table}_version_{event.lower()} AFTER {event} ON {table} "
                f"FOR EACH ROW BEGIN {BUMP}; END"
            )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.using(schema_editor.connection.alias).filter(
        content_type__app_label="timeline", codename__in=["import_source", "publish_source"]
    ).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('timeline', '0006_item_sequence_citation_translation'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='source',
            options={'ordering': ['published', 'key'], 'permissions': [('import_source', 'Can import a new article (it stays unpublished)'), ('publish_source', 'Can publish an imported article on the site')]},
        ),
        migrations.AddField(
            model_name='historicalsource',
            name='is_public',
            field=models.BooleanField(default=True, help_text='A newly imported article stays unpublished (hidden from every public page, feed and API) until an editor publishes it.', verbose_name='published on the site'),
        ),
        migrations.AddField(
            model_name='source',
            name='is_public',
            field=models.BooleanField(default=True, help_text='A newly imported article stays unpublished (hidden from every public page, feed and API) until an editor publishes it.', verbose_name='published on the site'),
        ),
        migrations.RunPython(grant, revoke),
        migrations.RunPython(restore_sqlite_triggers, migrations.RunPython.noop),
    ]
