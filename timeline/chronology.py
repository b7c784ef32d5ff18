"""Load the curated chronology from ``fixtures/chronology/*.yaml`` into the database.

The files are the editors' reviewable source of truth. Citations there name their source and the
exact text; offsets are computed here, against the passages as they are now, so re-segmenting a
source does not break them. Loading is one transaction: a citation that cannot be anchored fails
the whole load with the item and the text it looked for. Items are upserted by slug; items in the
database that the files no longer list are reported, never silently deleted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import yaml
from django.db import transaction

from timeline.dates import FuzzyDate, FuzzyDateError
from timeline.models import (
    Citation,
    CitationStatus,
    Entity,
    EntityKind,
    Era,
    Item,
    ItemKind,
    Language,
    Passage,
    Source,
    Status,
    Tag,
)
from timeline.revisions import one_history_record
from timeline.search import refresh_search_text
from timeline.versions import bump

FILES = ("eras.yaml", "tags.yaml", "entities.yaml", "items.yaml")


class ChronologyError(Exception):
    """The chronology files cannot be loaded as they are; the message says where and why."""


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    not_in_files: list[str] = field(default_factory=list)
    others: dict[str, int] = field(default_factory=dict)  # eras/tags/entities written

    def summary(self) -> str:
        text = (
            f"items: {len(self.created)} created, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged"
        )
        if self.others:
            text += "; " + ", ".join(f"{name}: {count} written" for name, count in self.others.items())
        if self.not_in_files:
            text += (
                f"\n{len(self.not_in_files)} item(s) in the database are no longer in the files and were "
                f"left as they are: {', '.join(self.not_in_files)}"
            )
        return text


def read_files(directory: Path) -> dict[str, list[dict]]:
    data = {}
    for name in FILES:
        path = Path(directory) / name
        if not path.is_file():
            raise ChronologyError(f"{path} is missing.")
        try:
            content = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise ChronologyError(f"{path} is not valid UTF-8 YAML: {exc}") from exc
        if not isinstance(content, list) or not all(isinstance(entry, dict) for entry in content):
            raise ChronologyError(f"{path} must be a YAML list of mappings.")
        data[name.removesuffix(".yaml")] = content
    return data


def _bilingual(entry: dict, key: str, where: str, *, required: bool = True) -> tuple[str, str]:
    value = entry.get(key) or {}
    if not isinstance(value, dict):
        raise ChronologyError(f"{where}: `{key}` must be a mapping with `en` and `zh`.")
    en, zh = str(value.get("en") or "").strip(), str(value.get("zh") or "").strip()
    if required and not (en and zh):
        raise ChronologyError(f"{where}: `{key}` needs both `en` and `zh`.")
    return en, zh


def _fuzzy(value, where: str) -> FuzzyDate:
    try:
        return FuzzyDate.parse(str(value))
    except FuzzyDateError as exc:
        raise ChronologyError(f"{where}: {exc}") from exc


def _upsert(model, lookup: dict, values: dict) -> bool:
    """Create or update one row; return True when something was written."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        model.objects.create(**lookup, **values)
        return True
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        update = list(changed)
        if hasattr(obj, "version"):
            obj.version += 1  # an admin form opened before the load is now stale (timeline.versions)
            update.append("version")
        obj.save(update_fields=update)
    return bool(changed)


def _load_eras(entries) -> int:
    written = 0
    for entry in entries:
        where = f"eras.yaml: era {entry.get('id')!r}"
        name_en, name_zh = _bilingual(entry, "name", where)
        description_en, description_zh = _bilingual(entry, "description", where, required=False)
        written += _upsert(
            Era,
            {"slug": entry["id"]},
            {
                "name_en": name_en,
                "name_zh": name_zh,
                "description_en": description_en,
                "description_zh": description_zh,
                "start": _fuzzy(entry.get("start"), where).start,
                "end": _fuzzy(entry.get("end"), where).end,
            },
        )
    return written


def _load_tags(entries) -> int:
    written = 0
    for entry in entries:
        name_en, name_zh = _bilingual(entry, "name", f"tags.yaml: tag {entry.get('id')!r}")
        written += _upsert(Tag, {"slug": entry["id"]}, {"name_en": name_en, "name_zh": name_zh})
    return written


def _load_entities(entries) -> int:
    written = 0
    kinds = {choice.value for choice in EntityKind}
    for entry in entries:
        where = f"entities.yaml: entity {entry.get('id')!r}"
        if entry.get("kind") not in kinds:
            raise ChronologyError(f"{where}: kind must be one of {sorted(kinds)}.")
        name_en, name_zh = _bilingual(entry, "name", where)
        written += _upsert(
            Entity,
            {"slug": entry["id"]},
            {
                "kind": entry["kind"],
                "name_en": name_en,
                "name_zh": name_zh,
                "aliases": [str(alias) for alias in entry.get("aliases") or []],
            },
        )
    return written


class _Anchorer:
    """Finds cited text in a source's passages (cached per source)."""

    def __init__(self):
        self._passages: dict[str, list[Passage]] = {}

    def passages(self, key: str) -> list[Passage]:
        if key not in self._passages:
            source = Source.objects.filter(key=key).first()
            if source is None:
                raise KeyError(key)
            self._passages[key] = list(source.passages.order_by("ordinal"))
        return self._passages[key]

    def find(self, key: str, exact: str, occurrence: int) -> tuple[Passage, int] | None:
        seen = 0
        for passage in self.passages(key):
            start = passage.text.find(exact)
            while start >= 0:
                seen += 1
                if seen == occurrence:
                    return passage, start
                start = passage.text.find(exact, start + 1)
        return None


def _item_values(entry: dict, where: str, eras: dict, entities: dict) -> dict:
    kind = entry.get("kind", ItemKind.EVENT)
    if kind not in {choice.value for choice in ItemKind}:
        raise ChronologyError(f"{where}: kind must be event or quote.")
    importance = entry.get("importance", 1)
    if importance not in (1, 2, 3):
        raise ChronologyError(f"{where}: importance must be 1, 2 or 3.")
    status = entry.get("status", Status.PUBLISHED)
    if status not in {choice.value for choice in Status}:
        raise ChronologyError(f"{where}: status must be draft, review or published.")
    sequence = entry.get("sequence", 0)
    if not isinstance(sequence, int) or isinstance(sequence, bool) or not -999 <= sequence <= 999:
        raise ChronologyError(f"{where}: sequence must be a whole number from -999 to 999.")
    if entry.get("era") not in eras:
        raise ChronologyError(f"{where}: unknown era {entry.get('era')!r}.")
    title_en, title_zh = _bilingual(entry, "title", where)
    summary_en, summary_zh = _bilingual(entry, "summary", where)
    note_en, note_zh = _bilingual(entry, "note", where, required=False)
    values = {
        "kind": kind,
        "status": status,
        "importance": importance,
        "sequence": sequence,
        "date_edtf": _fuzzy(entry.get("date"), where).edtf,
        "title_en": title_en,
        "title_zh": title_zh,
        "summary_en": summary_en,
        "summary_zh": summary_zh,
        "note_en": note_en,
        "note_zh": note_zh,
        "era": eras[entry["era"]],
        "quote_text": "",
        "quote_language": "",
        "quote_translation_en": "",
        "quote_context_en": "",
        "quote_context_zh": "",
        "speaker": None,
    }
    if kind == ItemKind.QUOTE:
        quote = entry.get("quote")
        if not isinstance(quote, dict):
            raise ChronologyError(f"{where}: a quote needs a `quote` mapping.")
        if quote.get("speaker") not in entities:
            raise ChronologyError(f"{where}: unknown speaker {quote.get('speaker')!r}.")
        if quote.get("language") not in {choice.value for choice in Language}:
            raise ChronologyError(f"{where}: quote language must be zh-Hans, zh-Hant or en.")
        context_en, context_zh = _bilingual(quote, "context", where, required=False)
        values.update(
            quote_text=str(quote.get("text") or ""),
            quote_language=quote["language"],
            quote_translation_en=str(quote.get("translation") or "").strip(),
            quote_context_en=context_en,
            quote_context_zh=context_zh,
            speaker=entities[quote["speaker"]],
        )
        if not values["quote_text"]:
            raise ChronologyError(f"{where}: the quote has no text.")
    return values


def _related(entry: dict, key: str, lookup: dict, where: str) -> set[int]:
    ids = set()
    for slug in entry.get(key) or []:
        if slug not in lookup:
            raise ChronologyError(f"{where}: unknown {key[:-1] if key != 'people' else 'person'} {slug!r}.")
        ids.add(lookup[slug].pk)
    return ids


def _anchor_citations(entry: dict, where: str, anchorer: _Anchorer) -> list[tuple[Passage, int, int, str]]:
    """Each citation as (passage, start, end, English translation of the span)."""
    spans = []
    citations = entry.get("citations") or []
    if not citations:
        raise ChronologyError(f"{where}: has no citations; every item must cite its source.")
    for citation in citations:
        key, exact = citation.get("source"), citation.get("exact")
        occurrence = int(citation.get("occurrence", 1))
        if not key or not exact:
            raise ChronologyError(f"{where}: a citation needs `source` and `exact`.")
        try:
            found = anchorer.find(key, exact, occurrence)
        except KeyError:
            raise ChronologyError(
                f"{where}: cites source {key!r}, which is not imported (run import_sources first)."
            ) from None
        if found is None:
            raise ChronologyError(
                f"{where}: cannot anchor citation in source {key!r}: "
                f"occurrence {occurrence} of “{exact}” is not in any passage."
            )
        passage, start = found
        translation = " ".join(str(citation.get("translation") or "").split())
        spans.append((passage, start, start + len(exact), translation))
    return spans


def _sync_citations(item: Item, spans: list[tuple[Passage, int, int, str]]) -> bool:
    """Make the item's citations exactly the anchored spans; keep rows that are already right."""
    wanted = {(passage.pk, start, end): (passage, translation) for passage, start, end, translation in spans}
    changed = False
    for citation in item.citations.select_related("passage"):
        key = (citation.passage_id, citation.start, citation.end)
        still_exact = citation.exact == citation.passage.text[citation.start : citation.end]
        if key in wanted and citation.status == CitationStatus.EXACT and still_exact:
            _, translation = wanted.pop(key)
            if citation.translation_en != translation:
                citation.translation_en = translation
                citation.save(update_fields=["translation_en"])
                changed = True
        else:
            citation.delete()
            changed = True
    for (_, start, end), (passage, translation) in wanted.items():
        citation = Citation.from_span(item=item, passage=passage, start=start, end=end)
        citation.translation_en = translation
        citation.save()
        changed = True
    return changed


LOADED = "Loaded from the chronology fixtures (load_chronology)"


def _load_links(item: Item, entry: dict, where: str, entities: dict, tags: dict) -> bool:
    """Set the item's people, organisations and tags from its entry; True when any changed."""
    dirty = False
    for relation, key, lookup in (
        (item.people, "people", entities),
        (item.organizations, "organizations", entities),
        (item.tags, "tags", tags),
    ):
        wanted = _related(entry, key, lookup, where)
        current = set(relation.values_list("pk", flat=True))
        if wanted != current:
            relation.set(wanted)
            dirty = True
    return dirty


def load(directory: Path) -> LoadReport:
    """Load (upsert) the chronology; raise ChronologyError and write nothing on any problem."""
    data = read_files(directory)
    report = LoadReport()
    with transaction.atomic():
        report.others = {
            "eras": _load_eras(data["eras"]),
            "tags": _load_tags(data["tags"]),
            "entities": _load_entities(data["entities"]),
        }
        eras = {era.slug: era for era in Era.objects.all()}
        tags = {tag.slug: tag for tag in Tag.objects.all()}
        entities = {entity.slug: entity for entity in Entity.objects.all()}
        anchorer = _Anchorer()
        seen = set()
        for entry in data["items"]:
            slug = entry.get("id")
            where = f"items.yaml: item {slug!r}"
            if not slug or slug in seen:
                raise ChronologyError(f"{where}: every item needs a unique `id`.")
            seen.add(slug)
            values = _item_values(entry, where, eras, entities)
            spans = _anchor_citations(entry, where, anchorer)
            if values["kind"] == ItemKind.QUOTE and values["quote_text"] not in {
                passage.text[start:end] for passage, start, end, _ in spans
            }:
                raise ChronologyError(f"{where}: the quote text is not the exact text of any of its citations.")
            item = Item.objects.filter(slug=slug).first()
            created = item is None
            # One history entry per loaded item, whatever the load writes (fields, links, citations).
            if created:
                item = Item(slug=slug, **values)
                item._change_reason = LOADED
                item.save()
                dirty = True
                # The record made by the save above gets the links as they end up.
                one_history_record(item, partial(_load_links, item, entry, where, entities, tags))
            else:
                changed = [name for name, value in values.items() if getattr(item, name) != value]
                item.skip_history_when_saving = True
                try:
                    for name in changed:
                        setattr(item, name, values[name])
                    if changed:
                        item.save()
                    dirty = _load_links(item, entry, where, entities, tags) or bool(changed)
                finally:
                    del item.skip_history_when_saving
            dirty = _sync_citations(item, spans) or dirty
            if dirty and not created:
                bump(Item.objects.filter(pk=item.pk))  # forms open on the item become stale
                item.refresh_from_db(fields=["version"])
                item._change_reason = LOADED
                item.save()  # the one record of this load, with the links as they now are
            (report.created if created else report.updated if dirty else report.unchanged).append(slug)
        report.not_in_files = sorted(set(Item.objects.exclude(slug__in=seen).values_list("slug", flat=True)))
        # Names, aliases and tags feed each item's search text; only rows whose text changed are written.
        refresh_search_text(Item.objects.filter(slug__in=seen))
    return report
