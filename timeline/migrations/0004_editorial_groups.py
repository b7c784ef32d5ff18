"""The two editorial groups and their permissions.

Contributor: creates and edits drafts, cites passages, sends items to review; reads everything else.
Editor: everything on the content, including publishing, importing sources and deleting.
What a permission allows beyond the model level (contributors edit drafts only, nobody publishes an
unsourced item) is decided by timeline.workflow.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CONTENT_MODELS = ("item", "citation", "source", "passage", "datemention", "entity", "era", "tag")
HISTORY_MODELS = ("historicalitem", "historicalcitation", "historicalsource")

CONTRIBUTOR = (
    [f"{action}_item" for action in ("add", "change", "delete", "view")]
    + ["submit_item"]
    + [f"{action}_citation" for action in ("add", "change", "delete", "view")]
    + [f"view_{model}" for model in ("source", "passage", "datemention", "era")]
    + [f"{action}_{model}" for model in ("entity", "tag") for action in ("add", "change", "view")]
    + [f"view_{model}" for model in HISTORY_MODELS]
)
EDITOR = (
    [f"{action}_{model}" for model in CONTENT_MODELS for action in ("add", "change", "delete", "view")]
    + ["submit_item", "publish_item"]
    + [f"{action}_{model}" for model in HISTORY_MODELS for action in ("change", "view")]
)


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations ran; the groups need them now.
    alias = schema_editor.connection.alias
    app_config = apps.get_app_config("timeline")
    # create_permissions skips an app without a models module, which a migration's app state lacks. Put
    # back what was there: tests call this with the real registry, whose app must keep its module.
    previous = getattr(app_config, "models_module", None)
    app_config.models_module = previous or True
    create_permissions(app_config, apps=apps, verbosity=0, using=alias)
    app_config.models_module = previous

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in (("Contributor", CONTRIBUTOR), ("Editor", EDITOR)):
        permissions = list(
            Permission.objects.using(alias).filter(content_type__app_label="timeline", codename__in=codenames)
        )
        missing = sorted(set(codenames) - {permission.codename for permission in permissions})
        if missing:
            raise RuntimeError(f"Permissions missing for group {name}: {', '.join(missing)}")
        group, _ = Group.objects.using(alias).get_or_create(name=name)
        group.permissions.add(*permissions)


def remove_groups(apps, schema_editor):
    alias = schema_editor.connection.alias
    apps.get_model("auth", "Group").objects.using(alias).filter(name__in=["Contributor", "Editor"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("timeline", "0003_history_and_workflow_permissions"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
