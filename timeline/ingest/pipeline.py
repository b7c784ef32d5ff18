"""The one write path for sources: PreparedSource values into Source and Passage rows.

Atomic per file (a refusal or a database error leaves nothing of that file), idempotent (the same
bytes and manifest write nothing at all) and explicit about what happened to every source: created,
updated (with the fields that changed) or unchanged.

The write transaction is kept short: everything that needs no database (cleaning, splitting, and the
date mentions of every passage, the slow part) is computed before it opens, by :func:`import_all`, so
on SQLite other editors' saves wait milliseconds, not the length of an import.

Passages are updated in place by ordinal, so a passage keeps its primary key, and the citations on it,
when the text around it changes. Whether a citation still fits its changed passage is for
:func:`reanchor_citations` to settle.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError

from timeline.dates import PRECISION_CODES
from timeline.ingest.errors import IngestError
from timeline.ingest.extract_dates import extract_dates
from timeline.ingest.prepare import PreparedPassage, PreparedSource, prepare_file
from timeline.ingest.reanchor import reanchor
from timeline.models import Citation, DateMention, Item, Passage, Source
from timeline.suggest.duplicates import duplicate_source
from timeline.versions import bump

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"

# Source fields written from a PreparedSource, in the model's order.
SOURCE_FIELDS = (
    "title",
    "publisher",
    "author",
    "original_url",
    "language",
    "published",
    "reference_date",
    "reference_note",
    "file_name",
    "raw_text",
    "raw_sha256",
    "cleaned_text",
    "offset_map",
    "references",
)


@dataclass
class ImportResult:
    key: str
    status: str  # created, updated or unchanged
    passages: int  # how many the source has after the import
    changed_fields: list[str] = field(default_factory=list)
    passages_created: int = 0
    passages_updated: int = 0
    passages_deleted: int = 0
    citations: list[str] = field(default_factory=list)  # re-anchoring: what moved, went fuzzy or orphan

    def describe(self) -> str:
        text = f"{self.status:<9} {self.key} ({self.passages} passages)"
        if self.status == UPDATED:
            details = []
            if self.changed_fields:
                details.append("fields: " + ", ".join(self.changed_fields))
            counts = [
                f"{count} {what}"
                for count, what in (
                    (self.passages_created, "added"),
                    (self.passages_updated, "changed"),
                    (self.passages_deleted, "removed"),
                )
                if count
            ]
            if counts:
                details.append("passages: " + ", ".join(counts))
            text += " — " + "; ".join(details)
        for line in self.citations:
            text += f"\n    {line}"
        return text


def source_values(prepared: PreparedSource) -> dict:
    """The Source column values for ``prepared``, in the JSON shapes the database returns."""
    values = {name: getattr(prepared, name) for name in SOURCE_FIELDS}
    values["offset_map"] = [list(run) for run in prepared.offset_map]
    values["references"] = list(prepared.references)
    return values


def reanchor_citations(source: Source, *, changed: list[Passage], removed: list[Passage]) -> list[str]:
    """Re-anchor the citations on changed or removed passages; describe what moved or broke.

    ``changed`` passages already hold their new text; ``removed`` ones are about to be deleted, so
    their citations are searched for among the passages that remain (see :mod:`timeline.ingest.reanchor`).
    """
    removed_ids = {passage.pk for passage in removed}
    cited = list(
        Citation.objects.filter(passage__in=[*changed, *removed]).select_related("passage", "item")
    )
    if not cited:
        return []
    remaining = [p for p in source.passages.order_by("ordinal") if p.pk not in removed_ids]
    if not remaining:
        raise IngestError(f"{source.key}: the new text has no passages left for its {len(cited)} citation(s).")
    before = {c.pk: (c.passage_id, c.start, c.end, c.status) for c in cited}
    report = reanchor(cited, remaining)
    # An item form opened before this import would post the old selectors back: make it stale.
    moved = {c.item_id for c in cited if (c.passage_id, c.start, c.end, c.status) != before[c.pk]}
    if moved:
        bump(Item.objects.filter(pk__in=moved))
    return report


def _check_model(instance, what: str) -> None:
    try:
        instance.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        problems = "; ".join(f"{name}: {' '.join(messages)}" for name, messages in exc.message_dict.items())
        raise IngestError(f"{what}: {problems}") from exc


def _sync_passages(
    source: Source, passages: tuple[PreparedPassage, ...]
) -> tuple[int, int, int, list[str]]:
    """Make the source's passages equal ``passages``; returns (created, updated, deleted, citation report)."""
    existing = {passage.ordinal: passage for passage in source.passages.all()}
    wanted = {passage.ordinal: passage for passage in passages}
    to_create, to_update = [], []
    for ordinal, new in wanted.items():
        row = existing.get(ordinal)
        if row is None:
            to_create.append(
                Passage(source=source, ordinal=ordinal, start=new.start, end=new.end, text=new.text)
            )
        elif (row.start, row.end, row.text) != (new.start, new.end, new.text):
            row.start, row.end, row.text = new.start, new.end, new.text
            to_update.append(row)
    removed = [row for ordinal, row in existing.items() if ordinal not in wanted]
    if to_update:
        Passage.objects.bulk_update(to_update, ["start", "end", "text"])
    if to_create:
        Passage.objects.bulk_create(to_create)
    report = reanchor_citations(source, changed=to_update, removed=removed) if (to_update or removed) else []
    if removed:
        try:
            Passage.objects.filter(pk__in=[row.pk for row in removed]).delete()
        except ProtectedError as exc:
            raise IngestError(f"{source.key}: passages still cited cannot be removed.") from exc
    return len(to_create), len(to_update), len(removed), report


def _passages_equal(source: Source, passages: tuple[PreparedPassage, ...]) -> bool:
    stored = list(source.passages.order_by("ordinal").values_list("ordinal", "start", "end", "text"))
    return stored == [(p.ordinal, p.start, p.end, p.text) for p in passages]


MentionsByText = dict[str, list]


def find_date_mentions(prepared: PreparedSource, progress=None) -> MentionsByText:
    """The date expressions of every passage of ``prepared`` (no database: call it before writing).

    ``progress(text)``, if given, hears about every tenth passage (a background import shows it).
    """
    found = {}
    total = len(prepared.passages)
    for number, passage in enumerate(prepared.passages, start=1):
        found[passage.text] = extract_dates(passage.text, reference=prepared.reference_date)
        if progress and (number % 10 == 0 or number == total):
            progress(f"{prepared.key}: finding dates, passage {number} of {total}")
    return found


def record_date_mentions(source: Source, found: MentionsByText | None = None) -> int:
    """Store the date expressions of every passage, resolved against the source's reference date.

    Editors turn these into dated events. Rebuilt whenever the source is created or changes. ``found``
    (from :func:`find_date_mentions`) saves the extraction inside the write transaction.
    """
    DateMention.objects.filter(passage__source=source).delete()
    found = found or {}
    mentions = [
        DateMention(
            passage=passage,
            start=mention.start,
            end=mention.end,
            text=mention.text[:100],
            date=mention.date,
            precision=PRECISION_CODES[mention.precision],
            approximate=mention.approximate,
        )
        for passage in source.passages.order_by("ordinal")
        for mention in (
            found[passage.text] if passage.text in found else extract_dates(passage.text, reference=source.reference_date)
        )
    ]
    DateMention.objects.bulk_create(mentions)
    return len(mentions)


class DuplicateSourceError(IngestError):
    """A new key for an article already imported; ``existing`` is the source that holds it."""

    def __init__(self, message: str, existing: Source):
        super().__init__(message)
        self.existing = existing


def duplicate_message(existing: Source, why: str) -> str:
    """What to do about an article already imported as ``existing``: the two ways that work."""
    return (
        f"this article is already imported as source {existing.key!r} ({why}). To update that source with "
        f"this text, re-import it there (Sources → {existing.key} → “Re-import this article”); to keep a "
        "second copy under a new key on purpose, import it with --allow-duplicate (manage.py import_article) "
        "or tick “Import a second copy anyway” (the admin's import)."
    )


def refuse_duplicate_source(prepared: PreparedSource) -> None:
    """Refuse a new key for an article already imported (same URL or nearly the same text)."""
    twin = duplicate_source(original_url=prepared.original_url, cleaned_text=prepared.cleaned_text)
    if twin is not None:
        existing, why = twin
        raise DuplicateSourceError(f"{prepared.file_name} ({prepared.key}): {duplicate_message(existing, why)}", existing)


def import_prepared(
    prepared: PreparedSource,
    mentions: MentionsByText | None = None,
    *,
    public: bool = True,
    allow_duplicate: bool = False,
) -> ImportResult:
    """Create, update or leave alone the source ``prepared.key`` and its passages, atomically.

    ``public`` applies to a source created now (a new article is imported unpublished); an update never
    changes whether a source is public. A new key whose article is already imported under another key
    is refused unless ``allow_duplicate``. Date mentions are found before the write transaction opens.
    """
    values = source_values(prepared)
    if mentions is None:
        mentions = find_date_mentions(prepared)  # before the transaction opens
    with transaction.atomic():
        source = Source.objects.filter(key=prepared.key).first()
        if source is None:
            if not allow_duplicate:
                refuse_duplicate_source(prepared)
            source = Source(key=prepared.key, is_public=public, **values)
            _check_model(source, f"{prepared.file_name} ({prepared.key})")
            source.save()
            Passage.objects.bulk_create(
                Passage(source=source, ordinal=p.ordinal, start=p.start, end=p.end, text=p.text)
                for p in prepared.passages
            )
            record_date_mentions(source, mentions)
            return ImportResult(
                prepared.key, CREATED, len(prepared.passages), passages_created=len(prepared.passages)
            )
        if source.file_name and source.file_name != prepared.file_name:
            raise IngestError(
                f"{prepared.file_name}: key {prepared.key!r} already belongs to {source.file_name}; "
                "every source needs its own key."
            )
        changed = [name for name, value in values.items() if getattr(source, name) != value]
        if not changed and _passages_equal(source, prepared.passages):
            return ImportResult(prepared.key, UNCHANGED, len(prepared.passages))
        if changed:
            for name in changed:
                setattr(source, name, values[name])
            _check_model(source, f"{prepared.file_name} ({prepared.key})")
            source.save(update_fields=[*changed, "updated_at"])
        created, updated, deleted, report = _sync_passages(source, prepared.passages)
        if not changed:
            source.save(update_fields=["updated_at"])  # the passages changed: the source did too
        bump(Source.objects.filter(pk=source.pk))
        record_date_mentions(source, mentions)
        return ImportResult(
            prepared.key,
            UPDATED,
            len(prepared.passages),
            changed_fields=changed,
            passages_created=created,
            passages_updated=updated,
            passages_deleted=deleted,
            citations=report,
        )


def import_all(prepared: list[PreparedSource], progress=None) -> list[ImportResult]:
    """Import prepared sources all or none, in one short write transaction (the analysis runs first)."""
    mentions = [find_date_mentions(source, progress) for source in prepared]
    if progress:
        progress("Writing passages and date mentions")
    with transaction.atomic():
        return [import_prepared(source, found) for source, found in zip(prepared, mentions, strict=True)]


def import_file(path: str | Path) -> list[ImportResult]:
    """Import every source of one file (``<stem>.txt`` + ``<stem>.yaml``): all of them or none."""
    prepared = prepare_file(path)  # refusals happen here, before any write
    return import_all(prepared)


def source_paths(paths: list[str | Path]) -> list[Path]:
    """The source files named by ``paths``: a directory stands for every ``<stem>.txt``/``.yaml`` in it.

    Each source is returned once, as its ``.txt`` path (which may not exist if only a manifest does:
    importing it then reports the missing file).
    """
    found: dict[Path, None] = {}
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted([*path.glob("*.txt"), *path.glob("*.yaml"), *path.glob("*.yml")]):
                found[child.with_suffix(".txt")] = None
        elif path.suffix in (".txt", ".yaml", ".yml"):
            found[path.with_suffix(".txt")] = None
        else:
            found[path.with_name(path.name + ".txt")] = None
    return sorted(found)


def import_new_article(prepared: PreparedSource, *, allow_duplicate: bool = False) -> ImportResult:
    """Import a new article (``manage.py import_article``, the admin's import), unpublished until an editor
    publishes it; refuse a key already taken.

    Importing the same bytes again under the same key changes nothing; other bytes under a taken key are a
    re-import, which goes through the re-import flow, not this one. An article already imported under
    another key is refused unless ``allow_duplicate`` (a second copy on purpose).
    """
    existing = Source.objects.filter(key=prepared.key).values_list("raw_sha256", flat=True).first()
    if existing is not None and existing != prepared.raw_sha256:
        raise IngestError(
            f"{prepared.file_name}: the key {prepared.key!r} belongs to another source already; choose another "
            "key (or re-import that source from its admin page)."
        )
    return import_prepared(prepared, public=False, allow_duplicate=allow_duplicate)


def draft_duplicate(draft, key: str) -> tuple[Source, str] | None:
    """The stored source an article draft (:class:`timeline.ingest.article.ArticleDraft`) to be imported as
    ``key`` duplicates, and why; None when there is none (the key's own source is not a duplicate)."""
    return duplicate_source(original_url=draft.original_url, cleaned_text=draft.builder().text, exclude_key=key)
