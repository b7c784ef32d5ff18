"""Draft revisions of published items: edits saved without touching the live item, published later.

The live row is what every public surface reads, so a draft lives beside it (one per item,
``ItemDraftRevision``) until :func:`publish_draft` applies it with the same checks as a save and one
history entry, or :func:`discard_draft` drops it.
"""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models, transaction

from timeline import search, workflow
from timeline.models import Item, ItemDraftRevision
from timeline.versions import StaleVersion, claim_version


def draft_values(form) -> dict:
    """The model fields a valid item form changes, as JSON values (related rows as ids). Only changed
    fields: publishing the draft later must not put back fields others changed on the live item."""
    values = {}
    for name, value in form.cleaned_data.items():
        if name not in form.changed_data:
            continue
        try:
            field = Item._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if not field.editable or field.primary_key:
            continue
        if isinstance(field, models.ManyToManyField):
            values[name] = sorted(obj.pk for obj in value)
        elif isinstance(field, models.ForeignKey):
            values[name] = value.pk if value is not None else None
        else:
            values[name] = value
    return values


def save_draft(item: Item, form, *, user) -> ItemDraftRevision:
    """Keep the form's edits of ``item`` as its draft revision (replacing an older draft)."""
    draft, _ = ItemDraftRevision.objects.update_or_create(
        item=item,
        defaults={"values": draft_values(form), "author": user, "base_version": item.version},
    )
    return draft


def draft_changes(item: Item, draft: ItemDraftRevision) -> list[tuple[str, str, str]]:
    """(field label, live value, draft value) for every field the draft changes."""
    changes = []
    for name, value in draft.values.items():
        field = Item._meta.get_field(name)
        if isinstance(field, models.ManyToManyField):
            live = sorted(getattr(item, name).values_list("pk", flat=True))
            if live != value:
                names = dict(field.related_model.objects.filter(pk__in=[*live, *value]).values_list("pk", "slug"))
                changes.append(
                    (str(field.verbose_name), ", ".join(names[pk] for pk in live) or "—",
                     ", ".join(names.get(pk, str(pk)) for pk in value) or "—")
                )
        else:
            live = getattr(item, field.attname)
            if live != value:
                changes.append((str(field.verbose_name), str(live or "—"), str(value or "—")))
    return changes


@transaction.atomic
def publish_draft(item: Item, *, user, expected_version: int) -> Item:
    """Apply ``item``'s draft revision to the live item (one history entry), or raise ValidationError or
    StaleVersion saying why nothing changed."""
    draft = ItemDraftRevision.objects.select_for_update().filter(item=item).first()
    if draft is None:
        raise ValidationError("There is no draft revision to publish (it was published or discarded).")
    if not workflow.can_publish(user):
        raise ValidationError("Only an editor who may publish can publish a draft revision.")
    item = Item.objects.select_for_update().get(pk=item.pk)
    if item.version != expected_version:
        raise StaleVersion(Item, item.pk, expected_version, item.version)
    overlapping = _changed_since(item, draft)
    if overlapping:
        raise ValidationError(
            "Since the draft was made, the live item changed in the same field"
            f"{'s' if len(overlapping) > 1 else ''} ({', '.join(overlapping)}). Publishing it would undo "
            "that change: edit the live item with the draft's text instead, then discard the draft."
        )
    links = {}
    for name, value in draft.values.items():
        field = Item._meta.get_field(name)
        if isinstance(field, models.ManyToManyField):
            links[name] = value
        else:
            setattr(item, field.attname, value)
    item.full_clean(validate_constraints=False, validate_unique=False)
    problems = workflow.save_errors(item, list(item.citations.select_related("passage__source")))
    if problems:
        raise ValidationError(problems)
    item.skip_history_when_saving = True
    try:
        for name, ids in links.items():
            getattr(item, name).set(ids)
    finally:
        del item.skip_history_when_saving
    claim_version(item, expected_version)
    author = draft.author.get_username() if draft.author else "someone"
    item._change_reason = f"Published the draft revision by {author} of {draft.saved_at:%Y-%m-%d %H:%M}"
    item._history_user = user
    item.save()
    draft.delete()
    search.refresh_search_text([item])
    return item


def _changed_since(item: Item, draft: ItemDraftRevision) -> list[str]:
    """The draft's fields whose live value changed after the version the draft was made from."""
    if item.version == draft.base_version:
        return []
    record = item.history.filter(version=draft.base_version).order_by("-history_date").first()
    changed = []
    for name in draft.values:
        field = Item._meta.get_field(name)
        if record is None:
            changed.append(str(field.verbose_name))  # the base is unknown: assume the worst
            continue
        if isinstance(field, models.ManyToManyField):
            target = field.m2m_reverse_field_name()
            before = sorted(getattr(record, name).values_list(target, flat=True))
            now = sorted(getattr(item, name).values_list("pk", flat=True))
        else:
            before, now = getattr(record, field.attname), getattr(item, field.attname)
        if before != now:
            changed.append(str(field.verbose_name))
    return changed


def discard_draft(item: Item) -> bool:
    return bool(ItemDraftRevision.objects.filter(item=item).delete()[0])
