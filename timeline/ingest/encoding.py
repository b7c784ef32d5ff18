"""Bytes to text for an imported page, whatever its encoding.

Chinese news pages arrive as UTF-8, GBK/GB18030, Big5 and now and then UTF-16; they declare their
charset in the HTTP header, in ``<meta charset>`` or with a byte-order mark, and the declaration is
sometimes wrong. Order of trust:

1. a byte-order mark (it cannot be there by accident);
2. the declared charset (HTTP header, then ``<meta>``), if the bytes decode with it;
3. strict UTF-8;
4. UTF-16 without a BOM, recognised by its zero bytes in every other position;
5. charset-normalizer's detection.

Bytes that are none of these (NUL bytes that are not UTF-16, control characters) are refused as binary.
Pure functions, no ORM.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

from timeline.ingest.errors import IngestError

MAX_CONTROL_RATIO = 0.01

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Decode the common Chinese labels with their supersets: pages labelled gb2312 routinely use GBK
# characters, and big5 pages the HKSCS extensions.
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "big5": "big5hkscs", "cp936": "gb18030"}
_META_CHARSET_RE = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.IGNORECASE
)
_HEADER_CHARSET_RE = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9_\-:.]+)""", re.IGNORECASE)


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # the Python codec name used
    origin: str  # "bom", "http header", "meta charset", "utf-8", "utf-16 pattern", "detected"
    note: str = ""  # e.g. why a declared charset was not used


def charset_from_content_type(content_type: str | None) -> str | None:
    """The ``charset`` parameter of a Content-Type header value, if any."""
    match = _HEADER_CHARSET_RE.search(content_type or "")
    return match.group(1).lower() if match else None


def meta_charset(raw: bytes) -> str | None:
    """The charset a page declares in a ``<meta>`` tag within its first 4 KiB."""
    match = _META_CHARSET_RE.search(raw[:4096])
    return match.group(1).decode("ascii", "replace").lower() if match else None


def _codec(label: str) -> str | None:
    label = _SUPERSETS.get(label.lower(), label.lower())
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _try(raw: bytes, codec: str) -> str | None:
    try:
        return raw.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _utf16_without_bom(raw: bytes) -> str | None:
    """UTF-16 text without a BOM: zero bytes (ASCII's high bytes) and a decoding made of plausible text."""
    sample = raw[:4000]
    if len(sample) < 4 or len(raw) % 2 or sample.count(0) < len(sample) * 0.05:
        return None
    best, best_score = None, 0.0
    for codec in ("utf-16-le", "utf-16-be"):
        text = _try(raw, codec)
        if text is None:
            continue
        score = sum(1 for ch in text[:2000] if _plausible(ch)) / max(1, len(text[:2000]))
        if score > best_score:
            best, best_score = text, score
    return best if best_score >= 0.95 else None


def _plausible(ch: str) -> bool:
    """A character news text is made of: ASCII, CJK, their punctuation and full-width forms."""
    code = ord(ch)
    return (
        ch in "\n\r\t"
        or 0x20 <= code < 0x7F
        or 0x2000 <= code < 0x206F
        or 0x3000 <= code < 0x303F
        or 0x3400 <= code < 0x9FFF
        or 0xFF00 <= code < 0xFFEF
        or 0xA0 <= code < 0x250
    )


def _too_many_controls(text: str) -> bool:
    controls = sum(1 for ch in text if unicodedata.category(ch) in ("Cc", "Cs", "Co") and ch not in "\n\r\t\f")
    return bool(text) and controls / len(text) > MAX_CONTROL_RATIO


def decode_bytes(raw: bytes, *, file_name: str, declared: str | None = None) -> Decoded:
    """The text of ``raw``; ``declared`` is the charset from an HTTP Content-Type header, if any.

    IngestError for empty, whitespace-only or binary content.
    """
    if not raw:
        raise IngestError(f"{file_name}: the file is empty.")
    decoded = _decode(raw, file_name=file_name, declared=declared)
    text = decoded.text
    if "\x00" in text or _too_many_controls(text):
        raise IngestError(f"{file_name}: binary content ({decoded.encoding} gives control characters); "
                          "expected a text or HTML file.")
    if not text.strip():
        raise IngestError(f"{file_name}: the file holds only whitespace.")
    return decoded


def _decode(raw: bytes, *, file_name: str, declared: str | None) -> Decoded:
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            text = _try(raw, codec)
            if text is not None:
                return Decoded(text.lstrip("\ufeff"), codec, "bom")
    notes = []
    for label, origin in ((declared, "http header"), (meta_charset(raw), "meta charset")):
        if not label:
            continue
        codec = _codec(label)
        if codec is None:
            notes.append(f"unknown charset {label!r} in the {origin}")
            continue
        if codec in ("utf-16", "utf-16-le", "utf-16-be", "utf-32") and b"\x00" not in raw:
            notes.append(f"the {origin} says {label} but the bytes are not UTF-16")
            continue
        text = _try(raw, codec)
        if text is not None:
            return Decoded(text, codec, origin, "; ".join(notes))
        notes.append(f"the {origin} says {label} but the bytes do not decode with it")
    text = _try(raw, "utf-8")
    if text is not None:
        return Decoded(text, "utf-8", "utf-8", "; ".join(notes))
    text = _utf16_without_bom(raw)
    if text is not None:
        return Decoded(text, "utf-16", "utf-16 pattern", "; ".join(notes))
    nul = raw.find(b"\x00")
    if nul >= 0:
        raise IngestError(
            f"{file_name}: binary content (a NUL byte at offset {nul}, and not UTF-16 text); "
            "expected a text or HTML file."
        )
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    if best is None:
        raise IngestError(f"{file_name}: binary content (no text encoding fits these bytes).")
    codec = _codec(best.encoding) or best.encoding
    text = _try(raw, codec)
    if text is None:
        text = str(best)
    return Decoded(text, codec, "detected", "; ".join(notes))
