"""Re-importing an existing source: a preview of what would change, then one transaction.

An editor re-imports a source by its key from a file of any name, pasted text or HTML. Nothing is written
until they have seen the preview: the article's paragraphs compared as paragraphs (one inserted
paragraph is one insertion, not every later paragraph "changed"), and every citation of the source with
what will happen to it (stays, moves, becomes fuzzy or orphaned), computed with the same re-anchoring
the import then applies. Applying it is one transaction that first checks that the source is still the
version the preview was made from; the pipeline gives the items whose citations move a new version, so
a change form opened before the re-import cannot write stale offsets back.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

import yaml
from django.conf import settings

from timeline.admin_views import html_to_text
from timeline.ingest import scrape
from timeline.ingest.article import METADATA as ARTICLE_METADATA
from timeline.ingest.article import looks_like_html, read_article
from timeline.ingest.clean import MAX_FILE_BYTES
from timeline.ingest.encoding import decode_bytes
from timeline.ingest.errors import IngestError
from timeline.ingest.pipeline import ImportResult, find_date_mentions, plan_import, write_planned
from timeline.ingest.prepare import PreparedSource, prepare
from timeline.ingest.reanchor import find_anchor
from timeline.models import Citation, CitationStatus, Passage, Source, Status
from timeline.versions import StaleVersion

# How a citation fares, in the words the preview uses.
KEPT, MOVED, FUZZY, ORPHAN = "kept", "moved", "fuzzy", "orphan"
FATE_ORDER = (ORPHAN, FUZZY, MOVED, KEPT)


@dataclass
class ParagraphChange:
    kind: str  # "insert", "delete" or "replace"
    before: list[tuple[int, str]]  # (ordinal, text) of the paragraphs now
    after: list[tuple[int, str]]  # (ordinal, text) of the paragraphs after the re-import


@dataclass
class CitationFate:
    citation: Citation
    fate: str  # KEPT, MOVED, FUZZY or ORPHAN
    before_ordinal: int
    after_ordinal: int | None
    found: str  # the words it will point at ("" for an orphan)

    @property
    def published(self) -> bool:
        return self.citation.item.status == Status.PUBLISHED

    @property
    def describe(self) -> str:
        where = f"¶{self.before_ordinal}"
        if self.fate == KEPT:
            return f"stays exact at {where}" + (
                f" (now ¶{self.after_ordinal})" if self.after_ordinal != self.before_ordinal else ""
            )
        if self.fate == MOVED:
            return f"found verbatim again, moves from {where} to ¶{self.after_ordinal}"
        if self.fate == FUZZY:
            return (
                f"the cited words changed; a similar passage (¶{self.after_ordinal}: “{self.found}”) is "
                "proposed and must be confirmed by an editor"
            )
        return (
            "the cited words are gone from the new text: the citation is kept as an orphan, readers see the "
            "passage as it was cited with a notice, and the item is listed under “has problems”"
        )


@dataclass
class ReimportPreview:
    source: Source
    prepared: PreparedSource
    from_name: str  # the file name (or "pasted text") it came from
    changes: list[ParagraphChange] = field(default_factory=list)
    fates: list[CitationFate] = field(default_factory=list)
    changed_fields: list[str] = field(default_factory=list)

    @property
    def unchanged(self) -> bool:
        return not self.changes and not self.changed_fields

    @property
    def fate_counts(self) -> list[tuple[str, int]]:
        """(fate, how many citations) for every fate, in the order the table lists them."""
        return [(fate, sum(1 for f in self.fates if f.fate == fate)) for fate in FATE_ORDER]

    @property
    def broken(self) -> list[CitationFate]:
        return [fate for fate in self.fates if fate.fate in (FUZZY, ORPHAN)]


# --- preparing the new text --------------------------------------------------------------------------------


def _cleaning_options(source: Source) -> dict:
    """The cleaning options of the source's shipped manifest (if it has one), so a re-import of the same
    article cleans it the same way."""
    directory = Path(getattr(settings, "SOURCES_DIR", ""))
    if not source.file_name or not directory.is_dir():
        return {}
    manifest = directory / Path(source.file_name).with_suffix(".yaml").name
    if not manifest.is_file():
        return {}
    data = yaml.safe_load(manifest.read_text(encoding="utf-8")) or {}
    if data.get("kind") != "article" or data.get("key") != source.key:
        return {}
    return {name: data[name] for name in ("title_as_printed", "keep_lines", "drop_lines") if data.get(name)}


def manifest_for(source: Source, raw: bytes) -> dict:
    """The manifest of ``source`` as stored (an editor changes metadata elsewhere), for the bytes ``raw``."""
    manifest = {
        "kind": "article",
        **{name: getattr(source, name) for name in Source.METADATA_FIELDS},
        "sha256": hashlib.sha256(raw).hexdigest(),
    }
    manifest.update(_cleaning_options(source))
    return manifest


def prepare_reimport(source: Source, raw: bytes, *, file_name: str = "") -> PreparedSource:
    """The new version of ``source`` from ``raw``: a file's bytes (any encoding, text or HTML) or pasted
    text, read by the same ingest pipeline as a new article.

    The bytes are decoded as an import decodes them (:func:`timeline.ingest.encoding.decode_bytes`: byte
    order mark, then a declared charset, then charset-normalizer). A source imported with a shipped
    manifest keeps its manifest's cleaning rules (its citations were made on them; an HTML page is first
    reduced to its text), with the general line rules of :mod:`timeline.ingest.scrape` added for lines the
    stored article does not have; every other source is read like ``import_article`` reads a new article
    (:func:`timeline.ingest.article.read_article`: trafilatura for HTML, the general line rules of
    :mod:`timeline.ingest.scrape`, which drop bylines, share bars and ICP footers), with the metadata as
    stored (an editor changes that elsewhere). The recorded file name stays: a re-import may come from a
    file of any name or from pasted text.
    """
    if Source.objects.filter(file_name=source.file_name).exclude(pk=source.pk).exists() and source.file_name:
        raise IngestError(
            f"{source.key} came from the index file {source.file_name} together with other posts; re-import "
            "that whole file with `manage.py import_sources` instead."
        )
    name = file_name or source.file_name or f"{source.key}.txt"
    if len(raw) > MAX_FILE_BYTES:
        raise IngestError(
            f"{name}: the file is {len(raw):,} bytes; the limit is {MAX_FILE_BYTES:,} bytes (one article)."
        )
    options = _cleaning_options(source)
    if options:
        text = decode_bytes(raw, file_name=name).text.lstrip("\ufeff").replace("\r\n", "\n")
        if looks_like_html(name, text):
            text = html_to_text(text)
        data = text.encode("utf-8")
        stored_name = source.file_name or f"{source.key}.txt"
        manifest = manifest_for(source, data)
        prepared = prepare(data, manifest, file_name=stored_name)[0]
        # The general line rules too (share bars, bylines, footers the manifest rules do not know), but
        # never on a line the stored article has: its citations were made on those.
        stored = set(source.cleaned_text.split("\n"))
        furniture = [
            line for line in prepared.cleaned_text.split("\n") if line and line not in stored and scrape.classify(line)
        ]
        if furniture:
            manifest["drop_lines"] = [*manifest.get("drop_lines", []), *furniture]
            prepared = prepare(data, manifest, file_name=stored_name)[0]
        return prepared
    draft = read_article(raw, file_name=name)
    draft = draft.override(**{field: getattr(source, field) for field in ARTICLE_METADATA})
    prepared = draft.prepared(source.key)
    return dataclasses.replace(prepared, file_name=source.file_name or prepared.file_name)


# --- the preview -------------------------------------------------------------------------------------------


def paragraph_changes(before: list[tuple[int, str]], after: list[tuple[int, str]]) -> list[ParagraphChange]:
    """The difference between two lists of paragraphs, paragraph by paragraph (difflib on whole texts)."""
    matcher = SequenceMatcher(None, [text for _, text in before], [text for _, text in after], autojunk=False)
    return [
        ParagraphChange(tag, before[i1:i2], after[j1:j2])
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    ]


def preview_reimport(source: Source, prepared: PreparedSource, *, from_name: str) -> ReimportPreview:
    """What re-importing ``prepared`` over ``source`` would do. Reads only; writes nothing."""
    stored = list(source.passages.order_by("ordinal"))
    before = [(p.ordinal, p.text) for p in stored]
    after = [(p.ordinal, p.text) for p in prepared.passages]
    preview = ReimportPreview(source=source, prepared=prepared, from_name=from_name)
    preview.changes = paragraph_changes(before, after)
    preview.changed_fields = [
        name
        for name in ("title", "publisher", "author", "language", "published", "reference_date", "raw_text")
        if getattr(source, name) != getattr(prepared, name)
    ]
    # The passages as the pipeline will leave them: updated in place by ordinal (unsaved copies here).
    by_ordinal = {p.ordinal: p for p in stored}
    new_passages = []
    for p in prepared.passages:
        row = by_ordinal.get(p.ordinal)
        new_passages.append(
            Passage(pk=row.pk if row else None, source=source, ordinal=p.ordinal, start=p.start, end=p.end, text=p.text)
        )
    citations = (
        Citation.objects.filter(passage__source=source)
        .select_related("passage", "item")
        .order_by("passage__ordinal", "start", "pk")
    )
    fates = [_fate(citation, new_passages) for citation in citations]
    # What needs the editor's eye first: orphans, then fuzzy, then moved; kept ones last (stable order).
    preview.fates = sorted(fates, key=lambda fate: FATE_ORDER.index(fate.fate))
    return preview


def _fate(citation: Citation, passages: list[Passage]) -> CitationFate:
    before = citation.passage.ordinal
    if not passages:
        return CitationFate(citation, ORPHAN, before, None, "")
    anchor = find_anchor(citation, passages)
    found = anchor.passage.text[anchor.start : anchor.end]
    if anchor.status == CitationStatus.ORPHAN:
        return CitationFate(citation, ORPHAN, before, None, "")
    if anchor.status == CitationStatus.FUZZY:
        return CitationFate(citation, FUZZY, before, anchor.passage.ordinal, found)
    fate = KEPT if anchor.how == "position" or (anchor.passage.ordinal, anchor.start) == (before, citation.start) else MOVED
    return CitationFate(citation, fate, before, anchor.passage.ordinal, found)


# --- applying it -------------------------------------------------------------------------------------------


def apply_reimport(
    source: Source, raw: bytes, *, expected_version: int, file_name: str = "", user=None
) -> ImportResult:
    """Re-import ``raw`` over ``source`` in one transaction, if the source is still at ``expected_version``.

    Raises StaleVersion (nothing written) when the source changed since the preview, IngestError when
    the text is refused.
    """
    prepared = prepare_reimport(source, raw, file_name=file_name)
    mentions = find_date_mentions(prepared)

    def plans():
        # Planned (re-anchoring included) outside the write transaction, which checks it is still current.
        plan = plan_import(prepared, mentions)
        if plan.source_version != expected_version:
            raise StaleVersion(Source, source.pk, expected_version, plan.source_version)
        plan.history_user = user
        plan.history_note = f"from {file_name or 'pasted text'}"
        return [plan]

    return write_planned(plans)[0]
