"""Turn a scraped page into the article's own text, with a map from every cleaned offset back to the raw text.

Pure functions, no ORM. "Raw" is the decoded file text exactly as received; "cleaned" is the article body:
one paragraph per kept line, paragraphs separated by exactly one blank line, NFC, no inline pinyin
glosses, no site chrome. The offset map lets any cleaned span be shown in, or checked against, the raw file.

Scraped pages put every block element (paragraph, heading, caption, menu item) on its own line, so the
cleaner works line by line. The rules are generic; a manifest may add exact ``keep_lines`` / ``drop_lines``
for the few lines no generic rule can judge (for example a section heading that sits where captions sit).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from timeline.ingest.errors import IngestError

MAX_FILE_BYTES = 2 * 1024 * 1024
# Text files carry almost no control characters besides newlines and tabs; binaries carry many.
MAX_CONTROL_RATIO = 0.01
PARAGRAPH_SEPARATOR = "\n\n"

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TONED_VOWELS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
# A pinyin gloss is one toned syllable in parentheses straight after a Han character, e.g. 內(nèi) or 發(fā):
# NetEase's traditional-script pages inject them. Requiring a tone mark keeps legitimate parentheses such
# as (Sam Altman), (AA) or (open source) and list markers like (a).
PINYIN_GLOSS_RE = re.compile(rf"(?<=[{_CJK}])[(（][a-zü]{{0,5}}[{_TONED_VOWELS}][a-zü]{{0,5}}[)）]")

# Characters that never belong to the article text even inside a kept line: U+FFFD marks bytes the scraper
# could not decode, so it stands for nothing the author wrote.
_JUNK_CHARS_RE = re.compile("\ufffd+")

_TRIM_CHARS = "\ufeff\u200b"

# --- line rules --------------------------------------------------------------------------------------------

# Site furniture that can sit anywhere between the title and the end of the article.
CHROME_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("counter", re.compile(r"^\d{1,7}$")),
    ("share widget", re.compile(r"^(?:分享至|分享到|分享|收藏|举报|舉報|点赞|點讚)\s*[:：]?$")),
    (
        "breadcrumb",
        re.compile(
            r"^(?:当前位置|當前位置)\s*[:：]|^[^。！？!?]{1,30}\s>\s[^。！？!?]{1,30}\s>\s|申请入驻|申請入駐"
        ),
    ),
    (
        "dateline",
        re.compile(r"^\d{4}-\d{1,2}-\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?\s.*(?:来源|來源)\s*[:：]"),
    ),
    (
        "credit line",
        re.compile(
            r"^[(（]?\s*(?:责任编辑|責任編輯|编辑|編輯|视觉设计|視覺設計|校对|校對|美编|美編|排版)"
            r"\s*[:：][^。！？]{0,30}[)）]?$"
        ),
    ),
    ("image credit", re.compile(r"^(?:封面|题图|題圖|头图|頭圖)(?:图片|圖片)?(?:来自|來自|来源|來源)")),
)

# A line naming where people stand in a photo is a caption wherever it appears.
POSITION_CAPTION_RE = re.compile(
    r"[(（](?:左|右|前排|后排|後排)[一二三四五六七八九十\d]+[)）]|[(（](?:从左到右|從左到右|从右到左|從右到左|左起|右起)[)）]"
)
MAX_CAPTION_CHARS = 30
# Captions are labels, not sentences: no sentence or clause punctuation.
_SENTENCE_PUNCTUATION_RE = re.compile(r"[。！？!?，,；;：:…]")

# The first line that opens the site's footer ends the article; nothing after it is article text.
END_RE = re.compile(
    r"^(?:"
    r"(?:特别声明|特別聲明|声明|聲明|免责声明|免責聲明|版权声明|版權聲明)\s*[:：]"
    r"|本文(?:转载|轉載)"
    r"|(?:推荐文章|推薦文章|相关推荐|相關推薦|热点推荐|熱點推薦|相关阅读|相關閱讀|猜你喜欢|猜你喜歡"
    r"|延伸阅读|延伸閱讀|发表评论|發表評論|网友评论|網友評論|全部评论|全部評論)\s*$"
    r"|无障碍浏览|無障礙瀏覽"
    r"|Notice\s*:"
    r")"
)
# A reference list closes the article: its entries become source metadata, not passages.
REFERENCES_HEADING_RE = re.compile(
    r"^(?:参考资料|參考資料|参考链接|參考鏈接|参考文献|參考文獻|参考来源|參考來源|References|Sources)\s*[:：]?$"
)
REFERENCE_ENTRY_RE = re.compile(r"^\[\d{1,3}\]")


# --- decoding ----------------------------------------------------------------------------------------------


def decode_source(raw: bytes, *, file_name: str) -> str:
    """The file's text, or IngestError when the bytes are not a text file we can import."""
    if not raw:
        raise IngestError(f"{file_name}: the file is empty.")
    if len(raw) > MAX_FILE_BYTES:
        raise IngestError(
            f"{file_name}: the file is {len(raw):,} bytes; the limit is {MAX_FILE_BYTES:,} bytes "
            "(one article, not a site dump)."
        )
    nul = raw.find(b"\x00")
    if nul >= 0:
        raise IngestError(
            f"{file_name}: binary content (a NUL byte at offset {nul}); expected a UTF-8 text file."
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise IngestError(
            f"{file_name}: not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start} is invalid); "
            "re-save the page as UTF-8."
        ) from exc
    if not text.strip():
        raise IngestError(f"{file_name}: the file holds only whitespace.")
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f")
    if controls / len(text) > MAX_CONTROL_RATIO:
        raise IngestError(
            f"{file_name}: binary content ({controls} control characters in {len(text)}); "
            "expected a UTF-8 text file."
        )
    return text


# --- lines -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One non-blank line of the raw text, trimmed; ``start``/``end`` are raw offsets of the trimmed text."""

    number: int  # 1-based line number in the file
    start: int
    end: int
    text: str
    blank_before: int  # blank lines directly above it

    @property
    def normalized(self) -> str:
        """The line as it will read once cleaned: what the rules and manifest hints compare against."""
        return normalize_fragment(self.text)


def split_lines(raw_text: str) -> list[Line]:
    """The non-blank lines of ``raw_text`` with their raw offsets, trimmed of surrounding whitespace."""
    lines: list[Line] = []
    position = 0
    blank = 0
    for number, chunk in enumerate(raw_text.splitlines(keepends=True), start=1):
        body = chunk.rstrip("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
        start, end = position, position + len(body)
        while start < end and _is_trim(raw_text[start]):
            start += 1
        while end > start and _is_trim(raw_text[end - 1]):
            end -= 1
        if start == end:
            blank += 1
        else:
            lines.append(Line(number, start, end, raw_text[start:end], blank))
            blank = 0
        position += len(chunk)
    return lines


def _is_trim(ch: str) -> bool:
    return ch.isspace() or ch in _TRIM_CHARS


def find_pinyin_glosses(text: str) -> list[re.Match[str]]:
    """Every inline pinyin gloss in ``text``, e.g. the ``(nèi)`` of ``內(nèi)``."""
    return list(PINYIN_GLOSS_RE.finditer(text))


def _kept_spans(text: str) -> tuple[list[tuple[int, int]], int]:
    """Spans of ``text`` that survive gloss and junk-character removal, and the number of glosses removed."""
    glosses = [(m.start(), m.end()) for m in PINYIN_GLOSS_RE.finditer(text)]
    removals = sorted(glosses + [(m.start(), m.end()) for m in _JUNK_CHARS_RE.finditer(text)])
    spans: list[tuple[int, int]] = []
    position = 0
    for start, end in removals:
        if start > position:
            spans.append((position, start))
        position = max(position, end)
    if position < len(text):
        spans.append((position, len(text)))
    return spans, len(glosses)


def normalize_fragment(text: str) -> str:
    """Clean a short string (a title, a line) the way paragraph text is cleaned, without offsets."""
    spans, _ = _kept_spans(text)
    kept = "".join(text[start:end] for start, end in spans)
    return unicodedata.normalize("NFC", kept).strip().strip(_TRIM_CHARS).strip()


# --- building cleaned text with its offset map ---------------------------------------------------------------


class TextBuilder:
    """Accumulates cleaned text and the runs that map it back to the raw text.

    The map is a tuple of ``(cleaned_start, raw_start, length)`` runs: ``cleaned[c:c+n] == raw[r:r+n]``.
    A run of length 0 anchors text that NFC rewrote (its raw bytes differ); cleaned characters that no
    run covers (paragraph separators) map to the end of the run before them.
    """

    def __init__(self, raw_text: str) -> None:
        self.raw_text = raw_text
        self._parts: list[str] = []
        self._length = 0
        self._runs: list[list[int]] = []
        self.glosses_removed = 0

    def add_paragraph(self, start: int, end: int) -> None:
        """Append ``raw_text[start:end]`` as a paragraph, glosses removed and NFC applied."""
        if self._length:
            self._emit(PARAGRAPH_SEPARATOR)
        spans, glosses = _kept_spans(self.raw_text[start:end])
        self.glosses_removed += glosses
        for span_start, span_end in spans:
            self._copy(start + span_start, start + span_end)

    def add_mapped(self, text: str, raw_positions: Sequence[int | None]) -> None:
        """Append ``text`` as a paragraph whose characters sit at ``raw_positions`` in the raw text.

        For text found inside markup (an HTML page): a character whose raw position is None, or whose raw
        character differs (an entity, a collapsed line break), is anchored with a zero-length run.
        """
        if self._length:
            self._emit(PARAGRAPH_SEPARATOR)
        if not unicodedata.is_normalized("NFC", text):
            first = next((p for p in raw_positions if p is not None), 0)
            self._runs.append([self._length, first, 0])
            self._emit(unicodedata.normalize("NFC", text))
            return
        anchor_at = 0
        for ch, position in zip(text, raw_positions, strict=True):
            if position is not None and self.raw_text[position : position + 1] == ch:
                self._emit(ch, raw_start=position)
                anchor_at = position + 1
            else:
                self._runs.append([self._length, anchor_at, 0])
                self._emit(ch)

    def _copy(self, start: int, end: int) -> None:
        text = self.raw_text[start:end]
        if unicodedata.is_normalized("NFC", text):
            self._emit(text, raw_start=start)
            return
        position = start
        for chunk in _normalization_chunks(text):
            normalized = unicodedata.normalize("NFC", chunk)
            if normalized == chunk:
                self._emit(chunk, raw_start=position)
            else:
                self._runs.append([self._length, position, 0])
                self._emit(normalized)
            position += len(chunk)

    def _emit(self, text: str, *, raw_start: int | None = None) -> None:
        if raw_start is not None and text:
            last = self._runs[-1] if self._runs else None
            if last and last[0] + last[2] == self._length and last[1] + last[2] == raw_start:
                last[2] += len(text)
            else:
                self._runs.append([self._length, raw_start, len(text)])
        self._parts.append(text)
        self._length += len(text)

    @property
    def text(self) -> str:
        return "".join(self._parts)

    @property
    def offset_map(self) -> tuple[tuple[int, int, int], ...]:
        return tuple((c, r, n) for c, r, n in self._runs)


def _normalization_chunks(text: str) -> Iterable[str]:
    """Split ``text`` into pieces that NFC normalises independently (a base character and its marks)."""
    clusters: list[str] = []
    for ch in text:
        if clusters and unicodedata.combining(ch):
            clusters[-1] += ch
        else:
            clusters.append(ch)
    group = ""
    for cluster in clusters:
        if group and unicodedata.normalize("NFC", group + cluster) != unicodedata.normalize(
            "NFC", group
        ) + unicodedata.normalize("NFC", cluster):
            group += cluster  # e.g. Hangul jamo that compose across clusters
            continue
        if group:
            yield group
        group = cluster
    if group:
        yield group


def raw_offset(offset_map: Sequence[Sequence[int]], cleaned_offset: int) -> int:
    """The raw offset of cleaned offset ``cleaned_offset`` (0 ≤ offset ≤ len(cleaned)).

    Inside a run the mapping is exact; an offset past a run's end (a paragraph separator, or the end of
    the text) maps to the raw position right after that run.
    """
    if not offset_map:
        raise ValueError("empty offset map")
    starts = [run[0] for run in offset_map]
    index = bisect.bisect_right(starts, cleaned_offset) - 1
    if index < 0:
        return offset_map[0][1]
    cleaned_start, raw_start, length = offset_map[index]
    return raw_start + min(cleaned_offset - cleaned_start, length)


def raw_span(offset_map: Sequence[Sequence[int]], start: int, end: int) -> tuple[int, int]:
    """The raw span of the cleaned span ``[start, end)``; a gloss right after the span is not included."""
    if end <= start:
        position = raw_offset(offset_map, start)
        return position, position
    return raw_offset(offset_map, start), raw_offset(offset_map, end - 1) + 1


# --- articles ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CleanedText:
    text: str
    offset_map: tuple[tuple[int, int, int], ...]
    references: tuple[str, ...]
    glosses_removed: int
    # (line number, reason, line) for every non-blank line that did not become article text: for review.
    dropped: tuple[tuple[int, str, str], ...]


def build_paragraphs(raw_text: str, lines: Iterable[Line]) -> TextBuilder:
    """A TextBuilder holding ``lines`` as paragraphs."""
    builder = TextBuilder(raw_text)
    for line in lines:
        builder.add_paragraph(line.start, line.end)
    return builder


def classify_line(line: Line) -> str | None:
    """Why ``line`` is site chrome or a photo caption, or None when it reads as article text."""
    text = line.normalized
    for reason, pattern in CHROME_RULES:
        if pattern.search(text):
            return reason
    if len(text) <= MAX_CAPTION_CHARS + 10 and POSITION_CAPTION_RE.search(text):
        return "photo caption"
    # An image leaves two or more blank lines behind it in the scrape; a short label without sentence
    # punctuation right below one is its caption.
    if (
        line.blank_before >= 2
        and len(text) <= MAX_CAPTION_CHARS
        and not _SENTENCE_PUNCTUATION_RE.search(text)
    ):
        return "photo caption"
    return None


def clean_article(
    raw_text: str,
    *,
    title: str,
    keep_lines: Sequence[str] = (),
    drop_lines: Sequence[str] = (),
    file_name: str = "",
) -> CleanedText:
    """The article body of a single-article page.

    The body starts after the first line that reads as ``title`` (everything above it is the site's
    header: spam, breadcrumb, menus) and ends at the site footer or after the reference list.
    ``keep_lines``/``drop_lines`` are exact cleaned lines that override the generic chrome rules.
    """
    lines = split_lines(raw_text)
    wanted_title = normalize_fragment(title)
    title_index = next((i for i, line in enumerate(lines) if line.normalized == wanted_title), None)
    if title_index is None:
        raise IngestError(
            f"{file_name}: the title {title!r} is not a line of the text; give the title exactly as printed "
            "(title_as_printed in the manifest)."
        )
    keep = {normalize_fragment(text) for text in keep_lines}
    drop = {normalize_fragment(text) for text in drop_lines}
    used: set[str] = set()
    dropped: list[tuple[int, str, str]] = [
        (line.number, "header", line.text) for line in lines[: title_index + 1]
    ]
    kept: list[Line] = []
    references: list[str] = []
    body = lines[title_index + 1 :]
    index = 0
    while index < len(body):
        line = body[index]
        text = line.normalized
        if END_RE.search(text):
            break
        if REFERENCES_HEADING_RE.search(text):
            dropped.append((line.number, "references heading", line.text))
            index += 1
            while index < len(body) and REFERENCE_ENTRY_RE.search(body[index].normalized):
                references.append(body[index].normalized)
                index += 1
            break
        if text in drop:
            used.add(text)
            dropped.append((line.number, "manifest drop_lines", line.text))
        elif text in keep:
            used.add(text)
            kept.append(line)
        elif text == wanted_title:
            dropped.append((line.number, "repeated title", line.text))
        elif reason := classify_line(line):
            dropped.append((line.number, reason, line.text))
        else:
            kept.append(line)
        index += 1
    dropped.extend((line.number, "footer", line.text) for line in body[index:])
    unused = sorted((keep | drop) - used)
    if unused:
        raise IngestError(
            f"{file_name}: keep_lines/drop_lines entries match no line of the article: {unused}"
        )
    if not kept:
        raise IngestError(f"{file_name}: no article text is left after cleaning.")
    builder = build_paragraphs(raw_text, kept)
    return CleanedText(
        text=builder.text,
        offset_map=builder.offset_map,
        references=tuple(references),
        glosses_removed=builder.glosses_removed,
        dropped=tuple(sorted(dropped)),
    )
