"""Draft revisions of published items: edits saved without touching the live item, published later.

The live row is what every public surface reads, so a draft lives beside it (one per item,
``ItemDraftRevision``) until :func:`publish_draft` applies it with the same checks as a save and one
history entry, or :func:`discard_draft` drops it. A draft holds the item's changed fields and its
citation changes (cited spans added, citations removed, translations changed; a citation whose span
changed is recorded as removed plus added); the spans are checked
against the source again when the draft is published, so a re-import meanwhile cannot slip a wrong
citation onto the live item. Contributors may save drafts of published items; only an editor who may
publish publishes them.
"""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models, transaction
from django.utils import timezone

from timeline import search, workflow
from timeline.models import Citation, Item, ItemDraftRevision, Passage
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


def _where(passage: Passage) -> str:
    return f"{passage.source.key} ¶{passage.ordinal}"


def draft_citations(formset) -> dict:
    """The citation changes a valid citation formset makes, as JSON: new spans with the words they cite
    now (checked again on publishing), removed citations and changed translations."""
    added, removed, changed = [], [], []
    for form in formset.forms:
        if not hasattr(form, "cleaned_data"):
            continue
        citation = form.instance
        deleting = formset.can_delete and formset._should_delete_form(form)
        if citation.pk is not None:
            stored = Citation.objects.select_related("passage__source").filter(pk=citation.pk).first()
            if stored is None:
                continue  # removed from the live item meanwhile; nothing of it to change
            label = {"id": stored.pk, "exact": stored.exact, "where": _where(stored.passage)}
            moved = not deleting and {"passage", "start", "end"} & set(form.changed_data)
            if deleting:
                removed.append(label)
            elif moved:
                # A changed span is the old citation removed and the new span added: the new span is
                # checked against the source again on publishing, like any added one.
                removed.append(label)
                added.append(_added_entry(form, citation))
            elif "translation_en" in form.changed_data:
                before = Citation.objects.filter(pk=citation.pk).values_list("translation_en", flat=True).first()
                changed.append({**label, "before": before or "", "translation_en": form.cleaned_data["translation_en"]})
        elif form.has_changed() and not deleting:
            added.append(_added_entry(form, citation))
    return {"added": added, "removed": removed, "changed": changed}


def _added_entry(form, citation: Citation) -> dict:
    passage = form.cleaned_data["passage"]
    return {
        "passage": passage.pk,
        "where": _where(passage),
        "start": form.cleaned_data["start"],
        "end": form.cleaned_data["end"],
        "exact": citation.exact,
        "translation_en": form.cleaned_data.get("translation_en") or "",
    }


def _merge_citations(older: dict, newer: dict) -> dict:
    """A later draft save on top of the waiting draft: both sets of citation changes, the later one
    winning where they touch the same citation."""
    removed = {entry["id"]: entry for entry in [*older.get("removed", []), *newer.get("removed", [])]}
    changed = {entry["id"]: entry for entry in [*older.get("changed", []), *newer.get("changed", [])]}
    added = {
        (entry["passage"], entry["start"], entry["end"]): entry
        for entry in [*older.get("added", []), *newer.get("added", [])]
    }
    return {
        "added": list(added.values()),
        "removed": list(removed.values()),
        "changed": [entry for key, entry in changed.items() if key not in removed],
    }


def draft_stamp(draft: ItemDraftRevision | None) -> str:
    """What a change form remembers of the waiting draft, so a save cannot replace a draft it never saw."""
    return f"{draft.pk}@{draft.saved_at.isoformat()}" if draft is not None else ""


def save_draft(item: Item, form, formsets=(), *, user) -> ItemDraftRevision:
    """Keep the form's edits of ``item`` (and its citation formset's changes) as its draft revision. A
    draft already waiting keeps its changes; the new edits go on top of it."""
    values = draft_values(form)
    citations = {"added": [], "removed": [], "changed": []}
    for formset in formsets:
        if formset.model is Citation:
            citations = draft_citations(formset)
    with transaction.atomic():
        waiting = ItemDraftRevision.objects.select_for_update().filter(item=item).first()
        if waiting is not None:
            values = {**waiting.values, **values}
            citations = _merge_citations(waiting.citations or {}, citations)
            base_version = waiting.base_version
        else:
            base_version = item.version
        draft, _ = ItemDraftRevision.objects.update_or_create(
            item=item,
            defaults={
                "values": values,
                "citations": citations,
                "author": user,
                "base_version": base_version,
                "saved_at": timezone.now(),
            },
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
    spec = draft.citations or {}
    for entry in spec.get("added", []):
        changes.append(("citation added", "—", f"{entry['where']} “{entry['exact']}”"))
    for entry in spec.get("removed", []):
        changes.append(("citation removed", f"{entry['where']} “{entry['exact']}”", "—"))
    for entry in spec.get("changed", []):
        changes.append(
            (f"translation of “{entry['exact'][:30]}”", entry.get("before") or "—", entry["translation_en"] or "—")
        )
    return changes


def _citations_after(item: Item, draft: ItemDraftRevision) -> tuple[list[Citation], list[int], list[Citation], list[Citation]]:
    """The item's citations as the draft would leave them, checked against the sources as they are now:
    (all of them, ids to remove, re-translated ones, new ones). Raises ValidationError, naming each
    citation, when the draft no longer fits (a cited span that a re-import changed, a removed passage)."""
    spec = draft.citations or {}
    current = {c.pk: c for c in item.citations.select_related("passage__source")}
    removed = [entry["id"] for entry in spec.get("removed", []) if entry["id"] in current]
    problems = []
    retranslated = []
    for entry in spec.get("changed", []):
        citation = current.get(entry["id"])
        if citation is None:
            problems.append(
                f"The draft changes the translation of the citation {entry['where']} “{entry['exact']}”, which "
                "was removed from the live item since."
            )
        elif citation.pk not in removed:
            citation.translation_en = entry["translation_en"]
            retranslated.append(citation)
    kept = [c for pk, c in current.items() if pk not in removed]
    spans = {(c.passage_id, c.start, c.end) for c in kept}
    new = []
    for entry in spec.get("added", []):
        if (entry["passage"], entry["start"], entry["end"]) in spans:
            continue  # the live item cites these words already
        passage = Passage.objects.select_related("source").filter(pk=entry["passage"]).first()
        if passage is None:
            problems.append(
                f"The draft cites “{entry['exact']}” in {entry['where']}, a passage that no longer exists (the "
                "source was re-imported since). Cite the words again."
            )
            continue
        found = passage.text[entry["start"] : entry["end"]]
        if found != entry["exact"]:
            moved = passage.text.find(entry["exact"])
            hint = (
                f" The words now stand at {moved}–{moved + len(entry['exact'])}."
                if moved >= 0
                else " The words are no longer in that passage."
            )
            problems.append(
                f"The draft cites “{entry['exact']}” at {entry['start']}–{entry['end']} of {_where(passage)}, "
                f"but the source now has “{found}” there (it was re-imported since the draft was saved).{hint} "
                "Cite the words again."
            )
            continue
        citation = Citation.from_span(item=item, passage=passage, start=entry["start"], end=entry["end"])
        citation.translation_en = entry.get("translation_en", "")
        new.append(citation)
    if problems:
        raise ValidationError(problems)
    return kept + new, removed, retranslated, new


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
    citations, removed, retranslated, new = _citations_after(item, draft)
    problems = workflow.save_errors(item, citations)
    if problems:
        raise ValidationError(problems)
    item.skip_history_when_saving = True
    try:
        for name, ids in links.items():
            getattr(item, name).set(ids)
    finally:
        del item.skip_history_when_saving
    Citation.objects.filter(item=item, pk__in=removed).delete()
    for citation in [*retranslated, *new]:
        citation.save()
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
