"""From a source file and its manifest to PreparedSource values: the public entry points of the ingest package.

A source file ``fixtures/sources/NNN_hash.txt`` sits next to its manifest ``NNN_hash.yaml``. A manifest of
``kind: article`` describes one article; ``kind: index`` describes a page listing several posts, each of
which becomes its own source (titles and dates come from the page, the manifest gives keys and may list the
expected values to verify the split). Pure functions, no ORM.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from timeline.ingest.clean import (
    MAX_FILE_BYTES,
    build_paragraphs,
    clean_article,
    decode_source,
    raw_offset,
    raw_span,
)
from timeline.ingest.errors import IngestError
from timeline.ingest.passages import PreparedPassage, make_passages
from timeline.ingest.split import split_posts

__all__ = [
    "IngestError",
    "PreparedPassage",
    "PreparedSource",
    "load_manifest",
    "prepare",
    "prepare_file",
    "raw_offset",
    "raw_span",
    "validate_manifest",
]

LANGUAGES = ("zh-Hans", "zh-Hant", "en")
KINDS = ("article", "index")
_KEY_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_URL_RE = re.compile(r"^https?://\S+$")

_ARTICLE_REQUIRED = (
    "kind",
    "key",
    "title",
    "publisher",
    "author",
    "language",
    "published",
    "reference_date",
    "original_url",
    "sha256",
)
_ARTICLE_OPTIONAL = ("reference_note", "title_as_printed", "keep_lines", "drop_lines", "notes")
_INDEX_REQUIRED = ("kind", "publisher", "language", "sha256", "posts")
_INDEX_OPTIONAL = ("author", "original_url", "notes")
_POST_REQUIRED = ("key",)
_POST_OPTIONAL = ("expected_title", "expected_published", "reference_date", "reference_note", "original_url")


@dataclass(frozen=True)
class PreparedSource:
    key: str
    title: str
    publisher: str
    author: str
    language: str
    published: datetime.date | None
    reference_date: datetime.date
    reference_note: str
    original_url: str
    file_name: str
    raw_text: str
    raw_sha256: str
    cleaned_text: str
    # ((cleaned_start, raw_start, length), ...): see timeline.ingest.clean.TextBuilder and raw_offset().
    offset_map: tuple
    references: tuple[str, ...]
    passages: tuple[PreparedPassage, ...]


# --- manifests ---------------------------------------------------------------------------------------------


def load_manifest(path: str | Path) -> dict:
    """Read and validate the YAML manifest at ``path``; IngestError says what is wrong."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise IngestError(f"{path}: manifest not found (expected next to the source file).") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise IngestError(f"{path.name}: cannot read the manifest ({exc}).") from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise IngestError(f"{path.name}: the manifest is not valid YAML ({exc}).") from exc
    return validate_manifest(data, name=path.name)


def validate_manifest(data: Any, *, name: str = "manifest") -> dict:
    """A validated copy of ``data`` with dates as ``datetime.date`` and optional fields filled in."""
    if not isinstance(data, dict):
        raise IngestError(f"{name}: the manifest must be a mapping of fields, got {type(data).__name__}.")
    kind = data.get("kind")
    if kind not in KINDS:
        raise IngestError(f"{name}: 'kind' must be one of {', '.join(KINDS)}, got {kind!r}.")
    if kind == "article":
        return _validate_article(data, name)
    return _validate_index(data, name)


def _check_fields(data: dict, required: tuple[str, ...], optional: tuple[str, ...], name: str) -> None:
    missing = [field for field in required if field not in data]
    if missing:
        raise IngestError(f"{name}: missing required field(s): {', '.join(missing)}.")
    unknown = sorted(set(data) - set(required) - set(optional))
    if unknown:
        raise IngestError(f"{name}: unknown field(s): {', '.join(unknown)} (a typo?).")


def _text(data: dict, field: str, name: str, *, blank: bool = True) -> str:
    value = data.get(field)
    if value is None and blank:
        return ""
    if not isinstance(value, str):
        raise IngestError(f"{name}: '{field}' must be text, got {value!r}.")
    value = value.strip()
    if not value and not blank:
        raise IngestError(f"{name}: '{field}' must not be blank.")
    return value


def _date(data: dict, field: str, name: str, *, nullable: bool) -> datetime.date | None:
    value = data.get(field)
    if value is None or value == "":
        if nullable:
            return None
        raise IngestError(f"{name}: '{field}' is required (YYYY-MM-DD).")
    if isinstance(value, datetime.datetime):
        raise IngestError(f"{name}: '{field}' must be a date (YYYY-MM-DD), not a date and time.")
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and _DATE_RE.match(value.strip()):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError as exc:
            raise IngestError(f"{name}: '{field}' is not a real date: {value!r}.") from exc
    raise IngestError(f"{name}: '{field}' must be a date written YYYY-MM-DD, got {value!r}.")


def _key(data: dict, name: str) -> str:
    key = _text(data, "key", name, blank=False)
    if not _KEY_RE.match(key):
        raise IngestError(f"{name}: key {key!r} must be lowercase letters, digits and single hyphens.")
    return key


def _common(data: dict, name: str) -> dict:
    language = data.get("language")
    if language not in LANGUAGES:
        raise IngestError(f"{name}: 'language' must be one of {', '.join(LANGUAGES)}, got {language!r}.")
    sha256 = _text(data, "sha256", name, blank=False).lower()
    if not _SHA256_RE.match(sha256):
        raise IngestError(f"{name}: 'sha256' must be 64 hexadecimal digits, got {sha256!r}.")
    return {
        "kind": data["kind"],
        "publisher": _text(data, "publisher", name, blank=False),
        "language": language,
        "sha256": sha256,
        "author": _text(data, "author", name),
        "original_url": _url(data, name),
        "notes": _text(data, "notes", name),
    }


def _url(data: dict, name: str) -> str:
    url = _text(data, "original_url", name)
    if url and not _URL_RE.match(url):
        raise IngestError(f"{name}: 'original_url' must be an http(s) URL or blank, got {url!r}.")
    return url


def _reference(data: dict, name: str, published: datetime.date | None, *, required: bool) -> tuple:
    reference_date = _date(data, "reference_date", name, nullable=not required)
    if reference_date is None:
        reference_date = published
    note = _text(data, "reference_note", name)
    if reference_date != published and not note:
        raise IngestError(
            f"{name}: 'reference_date' ({reference_date}) differs from 'published' ({published}); "
            "say why in 'reference_note'."
        )
    return reference_date, note


def _lines(data: dict, field: str, name: str) -> tuple[str, ...]:
    value = data.get(field) or []
    if not isinstance(value, list | tuple) or not all(
        isinstance(item, str) and item.strip() for item in value
    ):
        raise IngestError(f"{name}: '{field}' must be a list of non-blank lines.")
    return tuple(item.strip() for item in value)


def _validate_article(data: dict, name: str) -> dict:
    _check_fields(data, _ARTICLE_REQUIRED, _ARTICLE_OPTIONAL, name)
    manifest = _common(data, name)
    published = _date(data, "published", name, nullable=True)
    reference_date, note = _reference(data, name, published, required=True)
    title = _text(data, "title", name, blank=False)
    manifest.update(
        key=_key(data, name),
        title=title,
        title_as_printed=_text(data, "title_as_printed", name) or title,
        published=published,
        reference_date=reference_date,
        reference_note=note,
        keep_lines=_lines(data, "keep_lines", name),
        drop_lines=_lines(data, "drop_lines", name),
    )
    return manifest


def _validate_index(data: dict, name: str) -> dict:
    _check_fields(data, _INDEX_REQUIRED, _INDEX_OPTIONAL, name)
    manifest = _common(data, name)
    posts = data["posts"]
    if not isinstance(posts, list) or not posts:
        raise IngestError(f"{name}: 'posts' must be a non-empty list, one entry per post in file order.")
    checked = []
    for number, post in enumerate(posts, start=1):
        where = f"{name}: posts[{number}]"
        if not isinstance(post, dict):
            raise IngestError(f"{where} must be a mapping with at least a 'key'.")
        _check_fields(post, _POST_REQUIRED, _POST_OPTIONAL, where)
        expected_published = _date(post, "expected_published", where, nullable=True)
        reference_date = _date(post, "reference_date", where, nullable=True)
        note = _text(post, "reference_note", where)
        if reference_date is not None and not note:
            raise IngestError(f"{where}: a 'reference_date' override needs a 'reference_note'.")
        checked.append(
            {
                "key": _key(post, where),
                "expected_title": _text(post, "expected_title", where),
                "expected_published": expected_published,
                "reference_date": reference_date,
                "reference_note": note,
                "original_url": _url(post, where),
            }
        )
    keys = [post["key"] for post in checked]
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    if duplicates:
        raise IngestError(f"{name}: post keys must be unique; repeated: {', '.join(duplicates)}.")
    manifest["posts"] = checked
    return manifest


# --- preparing ---------------------------------------------------------------------------------------------


def prepare(raw: bytes, manifest: dict, *, file_name: str) -> list[PreparedSource]:
    """The sources in ``raw`` (the file's bytes) as described by ``manifest``."""
    manifest = validate_manifest(manifest, name=f"manifest of {file_name}")
    raw_text = decode_source(raw, file_name=file_name)
    digest = hashlib.sha256(raw).hexdigest()
    if digest != manifest["sha256"]:
        raise IngestError(
            f"{file_name}: the file's sha256 is {digest}, the manifest says {manifest['sha256']}; "
            "the file changed since the manifest was written (check the text, then update sha256)."
        )
    shared = {
        "publisher": manifest["publisher"],
        "language": manifest["language"],
        "file_name": file_name,
        "raw_text": raw_text,
        "raw_sha256": digest,
    }
    if manifest["kind"] == "article":
        return [_prepare_article(raw_text, manifest, shared, file_name)]
    return _prepare_index(raw_text, manifest, shared, file_name)


def _prepare_article(raw_text: str, manifest: dict, shared: dict, file_name: str) -> PreparedSource:
    cleaned = clean_article(
        raw_text,
        title=manifest["title_as_printed"],
        keep_lines=manifest["keep_lines"],
        drop_lines=manifest["drop_lines"],
        file_name=file_name,
    )
    return PreparedSource(
        key=manifest["key"],
        title=manifest["title"],
        author=manifest["author"],
        published=manifest["published"],
        reference_date=manifest["reference_date"],
        reference_note=manifest["reference_note"],
        original_url=manifest["original_url"],
        cleaned_text=cleaned.text,
        offset_map=cleaned.offset_map,
        references=cleaned.references,
        passages=make_passages(cleaned.text),
        **shared,
    )


def _prepare_index(raw_text: str, manifest: dict, shared: dict, file_name: str) -> list[PreparedSource]:
    posts = split_posts(raw_text, file_name=file_name)
    expected = manifest["posts"]
    if len(posts) != len(expected):
        raise IngestError(
            f"{file_name}: the page holds {len(posts)} posts but the manifest lists {len(expected)}; "
            "list one entry per post, in file order."
        )
    sources = []
    for number, (post, entry) in enumerate(zip(posts, expected, strict=True), start=1):
        if entry["expected_title"] and entry["expected_title"] != post.title:
            raise IngestError(
                f"{file_name}: post {number} ({entry['key']}) is titled {post.title!r} in the page, "
                f"the manifest expects {entry['expected_title']!r}."
            )
        if entry["expected_published"] and entry["expected_published"] != post.published:
            raise IngestError(
                f"{file_name}: post {number} ({entry['key']}) is dated {post.published} in the page, "
                f"the manifest expects {entry['expected_published']}."
            )
        builder = build_paragraphs(raw_text, post.body_lines)
        sources.append(
            PreparedSource(
                key=entry["key"],
                title=post.title,
                author=post.author or manifest["author"],
                published=post.published,
                reference_date=entry["reference_date"] or post.published,
                reference_note=entry["reference_note"],
                original_url=entry["original_url"] or manifest["original_url"],
                cleaned_text=builder.text,
                offset_map=builder.offset_map,
                references=(),
                passages=make_passages(builder.text),
                **shared,
            )
        )
    return sources


def _source_paths(path: str | Path) -> tuple[Path, Path]:
    path = Path(path)
    if path.suffix in (".yaml", ".yml"):
        return path.with_suffix(".txt"), path
    text_path = path if path.suffix == ".txt" else path.with_name(path.name + ".txt")
    return text_path, text_path.with_suffix(".yaml")


def prepare_file(path: str | Path) -> list[PreparedSource]:
    """Prepare ``<stem>.txt`` with its sibling manifest ``<stem>.yaml``; ``path`` may name either or the stem."""
    text_path, manifest_path = _source_paths(path)
    try:
        size = text_path.stat().st_size
    except FileNotFoundError as exc:
        raise IngestError(f"{text_path}: source file not found.") from exc
    if size > MAX_FILE_BYTES:
        raise IngestError(
            f"{text_path.name}: the file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,} bytes."
        )
    manifest = load_manifest(manifest_path)
    return prepare(text_path.read_bytes(), manifest, file_name=text_path.name)
