from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate


def restore_triggers(sender, using="default", **kwargs):
    """SQLite drops a table's triggers when a migration rebuilds the table; put them back."""
    from timeline.content_version import ensure_triggers
    from timeline.search_index import ensure_index

    ensure_triggers(connections[using])
    ensure_index(connections[using])


class TimelineConfig(AppConfig):
    name = "timeline"
    verbose_name = "Timeline"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        post_migrate.connect(restore_triggers, sender=self)
