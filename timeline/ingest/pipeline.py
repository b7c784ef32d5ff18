"""The one write path for sources: PreparedSource values into Source and Passage rows.

Atomic per file (a refusal or a database error leaves nothing of that file), idempotent (the same
bytes and manifest write nothing at all) and explicit about what happened to every source: created,
updated (with the fields that changed) or unchanged.

The write transaction is kept short: everything slow is computed before it opens, so on SQLite other
editors' saves wait milliseconds, not the length of an import. That is the cleaning and splitting, the
date mentions of every passage, and the :class:`ImportPlan` (:func:`plan_import`): which passages are
added, changed or removed, and where every citation on a changed or removed passage goes (the fuzzy
re-anchoring of :mod:`timeline.ingest.reanchor`). The write transaction (:func:`apply_plan`) first checks
that the source, its passages and its citations are still exactly as planned; if anything moved in
between, the plan is thrown away and made again (:func:`write_planned`), and after a few tries the import
is refused with a message. A stale plan is never applied.

Passages are updated in place by ordinal, so a passage keeps its primary key, and the citations on it,
when the text around it changes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError

from timeline.dates import PRECISION_CODES
from timeline.ingest.errors import IngestError
from timeline.ingest.extract_dates import extract_dates
from timeline.ingest.prepare import PreparedPassage, PreparedSource, prepare_file
from timeline.ingest.reanchor import Anchor, apply_anchors, plan_anchors
from timeline.models import Citation, CitationStatus, DateMention, Item, Passage, Source
from timeline.suggest.duplicates import SOURCE_SIMILARITY, duplicate_source, text_containment
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
    passages_updated: int = 0  # passages whose text changed
    passages_shifted: int = 0  # passages with the same text at other offsets of the source
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
                    (self.passages_updated, "with changed text"),
                    (self.passages_shifted, "only shifted (same text, other offsets)"),
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


class StalePlan(Exception):
    """The source changed between planning an import and writing it: the plan must be made again."""


# How many times an import is planned again when the source keeps changing under it.
PLAN_ATTEMPTS = 3


def _passages_state(source: Source) -> list[tuple]:
    return [
        (pk, ordinal, start, end, hashlib.sha256(text.encode("utf-8")).hexdigest())
        for pk, ordinal, start, end, text in source.passages.order_by("ordinal").values_list(
            "pk", "ordinal", "start", "end", "text"
        )
    ]


def _citations_state(source: Source) -> list[tuple]:
    return list(
        Citation.objects.filter(passage__source=source)
        .order_by("pk")
        .values_list("pk", "item_id", "passage_id", "start", "end", "status", "exact", "prefix", "suffix")
    )


@dataclass
class ImportPlan:
    """Everything an import writes, worked out without writing (see the module docstring)."""

    prepared: PreparedSource
    mentions: MentionsByText
    public: bool
    source_pk: int | None  # None: a new source
    # What the plan was made from; the write transaction checks it is all still so.
    source_version: int | None = None
    passages_state: list[tuple] = field(default_factory=list)
    citations_state: list[tuple] = field(default_factory=list)
    last_source_pk: int = 0  # a new source: the newest source then (a duplicate imported meanwhile?)
    # The passage changes, by ordinal, and where each moved citation goes.
    to_create: list[PreparedPassage] = field(default_factory=list)
    to_update: list[PreparedPassage] = field(default_factory=list)
    removed: list[int] = field(default_factory=list)
    anchors: dict[int, Anchor] = field(default_factory=dict)
    texts_changed: int = 0  # of to_update: the passages whose text changed (the rest only moved)
    # For the history entry of each item whose citation this import moves: who imports, from what.
    history_user: object = None
    history_note: str = ""

    @property
    def passages_change(self) -> bool:
        return bool(self.to_create or self.to_update or self.removed)


def plan_import(
    prepared: PreparedSource,
    mentions: MentionsByText | None = None,
    *,
    public: bool = True,
    allow_duplicate: bool = False,
) -> ImportPlan:
    """Work out the import of ``prepared`` from the database as it is now, writing nothing."""
    if mentions is None:
        mentions = find_date_mentions(prepared)
    source = Source.objects.filter(key=prepared.key).first()
    if source is None:
        if not allow_duplicate:
            refuse_duplicate_source(prepared)
        last = Source.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        return ImportPlan(prepared, mentions, public, None, last_source_pk=last)
    plan = ImportPlan(
        prepared,
        mentions,
        public,
        source.pk,
        source_version=source.version,
        passages_state=_passages_state(source),
        citations_state=_citations_state(source),
    )
    existing = {passage.ordinal: passage for passage in source.passages.order_by("ordinal")}
    wanted = {passage.ordinal: passage for passage in prepared.passages}
    after = []  # the source's passages as they will be: unsaved copies, new text on changed ones
    for ordinal, new in wanted.items():
        row = existing.get(ordinal)
        if row is None:
            plan.to_create.append(new)
            after.append(Passage(source=source, ordinal=ordinal, start=new.start, end=new.end, text=new.text))
            continue
        if (row.start, row.end, row.text) != (new.start, new.end, new.text):
            plan.to_update.append(new)
            plan.texts_changed += row.text != new.text
        after.append(Passage(pk=row.pk, source=source, ordinal=ordinal, start=new.start, end=new.end, text=new.text))
    plan.removed = [ordinal for ordinal in existing if ordinal not in wanted]
    moved = {new.ordinal for new in plan.to_update} | set(plan.removed)
    cited = list(
        Citation.objects.filter(passage__source=source, passage__ordinal__in=moved).select_related("passage", "item")
    )
    if cited:
        if not after:
            raise IngestError(f"{source.key}: the new text has no passages left for its {len(cited)} citation(s).")
        plan.anchors = plan_anchors(cited, sorted(after, key=lambda p: p.ordinal))  # the slow part
    return plan


def _check_fresh(plan: ImportPlan, source: Source | None, batch: set[int]) -> None:
    """Raise StalePlan unless the database is still as ``plan`` saw it (inside the write transaction);
    ``batch``: the sources this import created so far."""
    if plan.source_pk is None:
        if source is not None or Source.objects.filter(pk__gt=plan.last_source_pk).exclude(pk__in=batch).exists():
            raise StalePlan(f"{plan.prepared.key}: another source was imported meanwhile")
        return
    if source is None or source.pk != plan.source_pk:
        raise StalePlan(f"{plan.prepared.key}: the source was deleted or replaced meanwhile")
    if source.version != plan.source_version:
        raise StalePlan(f"{plan.prepared.key}: the source was saved meanwhile")
    if _passages_state(source) != plan.passages_state or _citations_state(source) != plan.citations_state:
        raise StalePlan(f"{plan.prepared.key}: its passages or citations changed meanwhile")


UPDATE_BATCH = 250


def _write_passages(source: Source, plan: ImportPlan) -> list[str]:
    """Make the source's passages those of the plan and move its citations as planned."""
    rows = {passage.ordinal: passage for passage in source.passages.all()}
    updates = []
    for new in plan.to_update:
        row = rows[new.ordinal]
        row.start, row.end, row.text = new.start, new.end, new.text
        updates.append(row)
    if updates:
        # In batches: one UPDATE holds a CASE over every row it sets, so a single statement for the
        # 4,500 passages of a 2 MB article is quadratic (PostgreSQL has no parameter limit to split it).
        Passage.objects.bulk_update(updates, ["start", "end", "text"], batch_size=UPDATE_BATCH)
    if plan.to_create:
        Passage.objects.bulk_create(
            Passage(source=source, ordinal=p.ordinal, start=p.start, end=p.end, text=p.text) for p in plan.to_create
        )
    report = []
    if plan.anchors:
        rows = {passage.ordinal: passage for passage in source.passages.all()}
        anchors = {pk: replace(anchor, passage=rows[anchor.passage.ordinal]) for pk, anchor in plan.anchors.items()}
        citations = list(Citation.objects.filter(pk__in=anchors).select_related("passage", "item").order_by("pk"))
        before = {c.pk: (c.passage_id, c.start, c.end, c.status) for c in citations}
        ordinals = {c.pk: c.passage.ordinal for c in citations}
        report = apply_anchors(citations, anchors)
        # An item form opened before this import would post the old selectors back: make it stale.
        moved = {c.item_id for c in citations if (c.passage_id, c.start, c.end, c.status) != before[c.pk]}
        if moved:
            bump(Item.objects.filter(pk__in=moved))
            _record_moves(source, plan, [c for c in citations if c.item_id in moved], before, ordinals)
    if plan.removed:
        try:
            Passage.objects.filter(source=source, ordinal__in=plan.removed).delete()
        except ProtectedError as exc:
            raise IngestError(f"{source.key}: passages still cited cannot be removed.") from exc
    return report


def _record_moves(source: Source, plan: ImportPlan, citations: list[Citation], before: dict, ordinals: dict) -> None:
    """One history entry per item whose citations this import moved, made fuzzy or orphaned: which
    source, from what, by whom (the entry's user and date), and what happened to each citation."""
    by_item: dict[int, list[str]] = {}
    for citation in citations:
        old_status = before[citation.pk][3]
        if (citation.passage_id, citation.start, citation.end, citation.status) == before[citation.pk]:
            continue
        words = f"“{citation.exact[:16]}{'…' if len(citation.exact) > 16 else ''}”"
        if citation.status == CitationStatus.ORPHAN:
            what = f"citation {words} is orphaned: the cited words are gone from the new text"
        elif citation.status == CitationStatus.FUZZY:
            what = f"citation {words} became fuzzy (¶{ordinals[citation.pk]} → ¶{citation.passage.ordinal}); check it"
        else:
            what = f"citation {words} moved ¶{ordinals[citation.pk]} → ¶{citation.passage.ordinal}, still {citation.status}"
            if old_status != citation.status:
                what += f" (was {old_status})"
        by_item.setdefault(citation.item_id, []).append(what)
    note = f" ({plan.history_note})" if plan.history_note else ""
    for item in Item.objects.filter(pk__in=by_item):
        # What happened first: the column is short, the re-import's report keeps everything.
        # The history cuts the reason to its column (timeline.revisions.fit_change_reason); the
        # re-import's report keeps the whole text.
        item._change_reason = "; ".join(by_item[item.pk]) + f" (re-import of source {source.key}{note})"
        item._history_user = plan.history_user
        item.save(update_fields=["version"])  # the version bump() set; the save writes the history entry


def _check_model(instance, what: str) -> None:
    try:
        instance.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        problems = "; ".join(f"{name}: {' '.join(messages)}" for name, messages in exc.message_dict.items())
        raise IngestError(f"{what}: {problems}") from exc


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


def apply_plan(plan: ImportPlan, batch: set[int] | None = None) -> ImportResult:
    """Write ``plan``; call it inside ``transaction.atomic()``. Raises StalePlan, writing nothing, when the
    source, its passages or its citations are no longer as the plan saw them. ``batch`` collects the
    sources created by the plans applied before this one in the same transaction."""
    batch = set() if batch is None else batch
    prepared = plan.prepared
    what = f"{prepared.file_name} ({prepared.key})"
    source = Source.objects.select_for_update().filter(key=prepared.key).first()
    _check_fresh(plan, source, batch)
    values = source_values(prepared)
    if source is None:
        source = Source(key=prepared.key, is_public=plan.public, **values)
        _check_model(source, what)
        source.save()
        batch.add(source.pk)
        Passage.objects.bulk_create(
            Passage(source=source, ordinal=p.ordinal, start=p.start, end=p.end, text=p.text) for p in prepared.passages
        )
        record_date_mentions(source, plan.mentions)
        return ImportResult(prepared.key, CREATED, len(prepared.passages), passages_created=len(prepared.passages))
    if source.file_name and source.file_name != prepared.file_name:
        raise IngestError(
            f"{prepared.file_name}: key {prepared.key!r} already belongs to {source.file_name}; "
            "every source needs its own key."
        )
    changed = [name for name, value in values.items() if getattr(source, name) != value]
    if not changed and not plan.passages_change:
        return ImportResult(prepared.key, UNCHANGED, len(prepared.passages))
    if changed:
        for name in changed:
            setattr(source, name, values[name])
        _check_model(source, what)
        source.save(update_fields=[*changed, "updated_at"])
    report = _write_passages(source, plan)
    if not changed:
        source.save(update_fields=["updated_at"])  # the passages changed: the source did too
    bump(Source.objects.filter(pk=source.pk))
    record_date_mentions(source, plan.mentions)
    return ImportResult(
        prepared.key,
        UPDATED,
        len(prepared.passages),
        changed_fields=changed,
        passages_created=len(plan.to_create),
        passages_updated=plan.texts_changed,
        passages_shifted=len(plan.to_update) - plan.texts_changed,
        passages_deleted=len(plan.removed),
        citations=report,
    )


def write_planned(make_plans, *, check=None) -> list[ImportResult]:
    """Plan (``make_plans()``, outside any transaction), then apply every plan in one short transaction.

    When the database moved between the two, the plans are made again, up to PLAN_ATTEMPTS times; then the
    import is refused. ``check(plans)``, if given, runs first inside the transaction (and may raise)."""
    reasons = []
    for _ in range(PLAN_ATTEMPTS):
        plans = make_plans()
        try:
            with transaction.atomic():
                if check is not None:
                    check(plans)
                batch: set[int] = set()
                return [apply_plan(plan, batch) for plan in plans]
        except StalePlan as exc:
            reasons.append(str(exc))
    raise IngestError(
        f"Nothing was imported: the stored sources kept changing while the import was being prepared "
        f"({'; '.join(dict.fromkeys(reasons))}). Import it again."
    )


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
    is refused unless ``allow_duplicate``. Date mentions and the re-anchoring plan are worked out before
    the write transaction opens.
    """
    if mentions is None:
        mentions = find_date_mentions(prepared)  # before the transaction opens, once
    plan = partial(plan_import, prepared, mentions, public=public, allow_duplicate=allow_duplicate)
    return write_planned(lambda: [plan()])[0]


def _refuse_duplicates_within(new: list[PreparedSource]) -> None:
    """Two new sources of one import that are the same article (each was checked against the stored
    sources when planned; this checks them against each other)."""
    for number, later in enumerate(new):
        for earlier in new[:number]:
            same_url = later.original_url and later.original_url == earlier.original_url
            share = text_containment(later.cleaned_text, earlier.cleaned_text)
            if same_url or share >= SOURCE_SIMILARITY:
                why = "the same original URL" if same_url else f"{share:.0%} of its text"
                raise IngestError(
                    f"{later.file_name} ({later.key}): this article is the same as {earlier.key!r} in this import "
                    f"({why}); give one of them up."
                )


def import_all(prepared: list[PreparedSource], progress=None) -> list[ImportResult]:
    """Import prepared sources all or none, in one short write transaction (the analysis runs first)."""
    mentions = [find_date_mentions(source, progress) for source in prepared]

    def plans():
        if progress:
            progress("Comparing with the stored passages and re-anchoring citations")
        made = [plan_import(source, found) for source, found in zip(prepared, mentions, strict=True)]
        _refuse_duplicates_within([plan.prepared for plan in made if plan.source_pk is None])
        if progress:
            progress("Writing passages and date mentions")
        return made

    return write_planned(plans)


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
