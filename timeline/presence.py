"""Who else has a change form open: a light heartbeat, no lock (like Wagtail's concurrent-editing notices).

The open form posts every ``HEARTBEAT_SECONDS``; an editor counts as present for ``PRESENT_SECONDS`` after
their last beat. Rows live in the database, so every app server sees the same editors.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from timeline.models import EditingPresence

HEARTBEAT_SECONDS = 15
PRESENT_SECONDS = 45


def _label(model) -> str:
    return model._meta.label_lower


def touch(model, object_id, user) -> None:
    """Record that ``user`` has the form of ``object_id`` open now."""
    now = timezone.now()
    updated = EditingPresence.objects.filter(model=_label(model), object_id=str(object_id), user=user).update(
        seen_at=now
    )
    if not updated:
        try:
            with transaction.atomic():
                EditingPresence.objects.create(model=_label(model), object_id=str(object_id), user=user, seen_at=now)
        except IntegrityError:
            pass  # the same editor's other tab beat us to it


def others(model, object_id, user) -> list[str]:
    """The names of the other editors whose form of ``object_id`` beat recently."""
    since = timezone.now() - timedelta(seconds=PRESENT_SECONDS)
    rows = (
        EditingPresence.objects.filter(model=_label(model), object_id=str(object_id), seen_at__gte=since)
        .exclude(user=user)
        .select_related("user")
        .order_by("user__username")
    )
    return [row.user.get_full_name() or row.user.get_username() for row in rows]


def leave(model, object_id, user) -> None:
    EditingPresence.objects.filter(model=_label(model), object_id=str(object_id), user=user).delete()
