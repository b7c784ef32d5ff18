"""Record versions: optimistic concurrency for everything editors change.

Items, sources, entities, eras and tags carry a ``version`` number. An editor's form (or a workflow
button, or a bulk action) states the version it was based on; :func:`claim_version` moves the row from
that version to the next in one conditional UPDATE, so of two editors who both read version 4 only the
first one's save lands, and the second is told (a conflict page, never a silent overwrite).

Writes that change an item behind an open form (a re-import moving its citations) call :func:`bump`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.db.models import F


@dataclass
class StaleVersion(Exception):
    """The row moved on since the editor's copy was read."""

    model: type[models.Model]
    pk: int
    expected: int
    current: int | None  # None: the row was deleted meanwhile

    def __str__(self) -> str:
        what = self.model._meta.verbose_name
        if self.current is None:
            return f"This {what} was deleted while you were editing it."
        return (
            f"This {what} was saved by someone else while you were editing it (your copy is version "
            f"{self.expected}, the saved one is version {self.current})."
        )


def current_version(model: type[models.Model], pk) -> int | None:
    return model._default_manager.filter(pk=pk).values_list("version", flat=True).first()


def parse_version(value) -> int | None:
    """The version a form posted, or None when it posted none (or garbage)."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if number >= 1 else None


def claim_version(instance: models.Model, expected: int) -> int:
    """Move ``instance``'s row from version ``expected`` to the next one, or raise StaleVersion.

    One conditional UPDATE: under concurrent saves exactly one of the editors who read ``expected``
    succeeds (PostgreSQL re-checks the condition after the row lock; SQLite serialises writers).
    Sets ``instance.version`` so the following ``save()`` writes the new number too.
    """
    model = type(instance)
    claimed = model._default_manager.filter(pk=instance.pk, version=expected).update(version=expected + 1)
    if not claimed:
        raise StaleVersion(model, instance.pk, expected, current_version(model, instance.pk))
    instance.version = expected + 1
    return instance.version


def bump(queryset: models.QuerySet) -> int:
    """Move every row of ``queryset`` to a new version (open forms on them become stale)."""
    return queryset.update(version=F("version") + 1)
