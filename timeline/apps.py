from django.apps import AppConfig
from django.db import connections
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate


def restore_triggers(sender, using="default", **kwargs):
    """SQLite drops a table's triggers when a migration rebuilds the table; put them back."""
    from timeline.content_version import ensure_triggers
    from timeline.search_index import detect, ensure_index

    connection = connections[using]
    ensure_triggers(connection)
    ensure_index(connection)
    detect(connection)


def detect_search_index(sender, connection, **kwargs):
    """Whether this connection searches through the trigram index, looked up once when it opens."""
    from timeline.search_index import detect

    detect(connection)


class TimelineConfig(AppConfig):
    name = "timeline"
    verbose_name = "Timeline"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        post_migrate.connect(restore_triggers, sender=self)
        connection_created.connect(detect_search_index)
        from simple_history.signals import pre_create_historical_record

        from timeline.revisions import fit_change_reason

        pre_create_historical_record.connect(fit_change_reason, dispatch_uid="timeline.fit_change_reason")
        from timeline import proxies  # noqa: F401 - registers its deploy check
