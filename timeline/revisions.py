"""Revisions of an item as editors read them: every field, the people / organisations / tags links and
the citations, as they stood after one save (one django-simple-history record), compared field by field.

Reads, apart from :func:`one_history_record` (one history entry for a save that also writes links, used
by the admin and by ``load_chronology``); the admin (timeline.admin_history) restores a single field or a
whole revision through the usual checks.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.text import Truncator

from timeline.models import Citation, Item

# Kept by the history but not edited by anyone: derived, bookkeeping, or changed only by the workflow.
NOT_COMPARED = {
    "id",
    "date_start",
    "date_end",
    "date_precision",
    "date_approximate",
    "created_at",
    "published_at",
    "version",
    "search_text",
    "updated_at",
}
NOT_RESTORABLE = {"status", "citations"}
CITATIONS = "citations"


@dataclass
class FieldChange:
    name: str
    label: str
    before: str  # in the previous revision
    after: str  # in this revision
    current: str  # on the item now
    restorable: bool

    @property
    def changed(self) -> bool:
        return self.before != self.after


def compared_fields() -> list[models.Field]:
    return [
        field
        for field in Item._meta.get_fields()
        if field.concrete and not field.auto_created and field.name not in NOT_COMPARED
    ]


def _m2m_ids(record, field: models.ManyToManyField) -> list[int]:
    target = field.m2m_reverse_field_name()
    return sorted(getattr(record, field.name).values_list(target, flat=True))


def field_value(source, field: models.Field):
    """The raw value of ``field`` on an item or on a historical record of one."""
    if isinstance(field, models.ManyToManyField):
        if hasattr(source, "history_id"):
            return _m2m_ids(source, field)
        return sorted(getattr(source, field.name).values_list("pk", flat=True))
    return getattr(source, field.attname)


def display(field: models.Field, value) -> str:
    if isinstance(field, models.ManyToManyField):
        names = field.related_model.objects.filter(pk__in=value).order_by("pk")
        return ", ".join(str(obj) for obj in names) or "—"
    if isinstance(field, models.ForeignKey):
        if value is None:
            return "—"
        found = field.related_model.objects.filter(pk=value).first()
        return str(found) if found else f"(deleted #{value})"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value)) or "—"
    return "—" if value in (None, "") else str(value)


def citations_as_of(item_id: int, until=None) -> list[str]:
    """The item's citations as they stood before ``until`` (a history date; None: now), as text."""
    history = Citation.history.filter(item_id=item_id)
    if until is not None:
        history = history.filter(history_date__lt=until)
    latest = {}
    for record in history.order_by("history_date", "history_id").select_related("passage__source"):
        latest[record.id] = record
    lines = []
    for record in latest.values():
        if record.history_type == "-":
            continue
        passage = record.passage
        where = f"{passage.source.key} ¶{passage.ordinal}" if passage else "(a removed passage)"
        lines.append(f"{where}: “{record.exact}” ({record.status})")
    return sorted(lines)


def revision_changes(item: Item, record) -> list[FieldChange]:
    """Every compared field of revision ``record`` next to the revision before it and the item now."""
    previous = record.prev_record
    following = record.next_record
    changes = []
    for field in compared_fields():
        after = field_value(record, field)
        before = field_value(previous, field) if previous is not None else None
        current = field_value(item, field)
        changes.append(
            FieldChange(
                name=field.name,
                label=str(field.verbose_name),
                before=display(field, before) if previous is not None else "—",
                after=display(field, after),
                current=display(field, current),
                restorable=field.name not in NOT_RESTORABLE,
            )
        )
    cited_after = citations_as_of(item.pk, following.history_date if following is not None else None)
    cited_before = citations_as_of(item.pk, record.history_date) if previous is not None else []
    changes.append(
        FieldChange(
            name=CITATIONS,
            label="citations",
            before="\n".join(cited_before) or "—",
            after="\n".join(cited_after) or "—",
            current="\n".join(citations_as_of(item.pk)) or "—",
            restorable=False,
        )
    )
    return changes


def restore_field(item: Item, record, name: str) -> None:
    """Set field ``name`` of ``item`` (unsaved; many-to-many links are set at once) to its value in
    ``record``. The caller checks and saves."""
    field = Item._meta.get_field(name)
    if name in NOT_RESTORABLE or name in NOT_COMPARED:
        raise ValueError(f"{name} cannot be restored on its own")
    value = field_value(record, field)
    if isinstance(field, models.ManyToManyField):
        getattr(item, name).set(value)
    else:
        setattr(item, field.attname, value)


def one_history_record(instance, save) -> None:
    """Run ``save`` (the form's many-to-many and inline saves) without a history record per link change,
    then give the record this save already made the links as they now are."""
    instance.skip_history_when_saving = True
    try:
        save()
    finally:
        del instance.skip_history_when_saving
    record = instance.history.order_by("-history_date", "-history_id").first()
    if record is None:
        return
    for field in record._history_m2m_fields:
        manager = getattr(record, field.name)
        through = getattr(instance, field.name).through
        names = [f.name for f in through._meta.fields]
        manager.all().delete()
        manager.model.objects.bulk_create(
            manager.model(history=record, **{name: getattr(row, name) for name in names})
            for row in through.objects.filter(**{field.m2m_field_name(): instance})
        )


def fit_change_reason(sender, history_instance, **kwargs) -> None:
    """``pre_create_historical_record``: every history record's reason fits its column (100 characters;
    PostgreSQL refuses a longer value where SQLite keeps it), cut with an ellipsis. One place for every
    writer of ``_change_reason`` (workflow notes, re-imports, proposals, restores)."""
    reason = history_instance.history_change_reason
    limit = history_instance._meta.get_field("history_change_reason").max_length
    if reason and limit and len(reason) > limit:
        history_instance.history_change_reason = Truncator(reason).chars(limit)
