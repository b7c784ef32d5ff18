"""One new article from a text scrape, an HTML page or fetched bytes: read, judged line by line, ready to import.

``read_article`` decodes the bytes (:mod:`timeline.ingest.encoding`), finds the main text and what the
page states about itself (:mod:`timeline.ingest.html` for HTML, the line rules of
:mod:`timeline.ingest.scrape` for both), and returns an :class:`ArticleDraft`: detected metadata with
where each value came from, every candidate line kept or dropped with a reason, the date mentions and
warnings. An editor (or the command's options) may override any value and keep or drop any line;
``draft.prepared(key)`` then gives the PreparedSource the one write path imports.

The raw text stored is the page as received (the decoded HTML for a page), so every cleaned character
maps back to it. Pure functions, no ORM.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from timeline.ingest import html as html_extract
from timeline.ingest import scrape
from timeline.ingest.clean import (
    MAX_CAPTION_CHARS,
    REFERENCE_ENTRY_RE,
    REFERENCES_HEADING_RE,
    TextBuilder,
    normalize_fragment,
    split_lines,
)
from timeline.ingest.encoding import charset_from_content_type, decode_bytes
from timeline.ingest.errors import IngestError
from timeline.ingest.extract_dates import extract_dates
from timeline.ingest.passages import make_passages
from timeline.ingest.prepare import LANGUAGES, PreparedSource
from timeline.scripts import to_simplified, to_traditional

MAX_ARTICLE_BYTES = 5 * 1024 * 1024
HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
# A dateline more than this many days away from the publication date contradicts it.
DATELINE_TOLERANCE_DAYS = 3
_KEY_RE = re.compile(r"[^a-z0-9]+")
# What an editor may set over what was detected (``ArticleDraft.override``).
METADATA = (
    "title", "publisher", "author", "published", "reference_date", "reference_note", "language", "original_url",
)
_SENTENCE_PUNCTUATION_RE = re.compile(r"[。！？!?，,；;：:…]")


@dataclass
class ArticleLine:
    """One candidate paragraph of the page, in reading order."""

    number: int  # 1-based, the editor's handle for keeping or dropping it
    text: str  # normalised as it would read once cleaned
    reason: str | None  # why it is dropped; None when it is article text
    # where it is in the raw text: (start, end) for a text scrape, per-character positions for a page
    span: tuple[int, int] | None = None
    positions: tuple[int | None, ...] | None = None

    @property
    def kept(self) -> bool:
        return self.reason is None


@dataclass(frozen=True)
class ArticleWarning:
    code: str
    message: str
    confirm: bool  # must an editor confirm it before the import goes ahead?

    def as_dict(self) -> dict:
        return {"code": self.code, "message": self.message, "confirm": self.confirm}


@dataclass
class ArticleDraft:
    file_name: str
    raw_text: str
    raw_sha256: str
    kind: str  # "text" or "html"
    encoding: str
    title: str = ""
    publisher: str = ""
    author: str = ""
    published: datetime.date | None = None
    reference_date: datetime.date | None = None
    reference_note: str = ""
    language: str = ""
    original_url: str = ""
    origins: dict[str, str] = field(default_factory=dict)
    lines: list[ArticleLine] = field(default_factory=list)
    references: tuple[str, ...] = ()
    notes: list[ArticleWarning] = field(default_factory=list)  # warnings found while reading

    # --- editing ------------------------------------------------------------------------------------------

    def override(self, **values) -> ArticleDraft:
        """A copy with the given metadata values (None or "" leaves a value as detected)."""
        draft = dataclasses.replace(self, origins=dict(self.origins), lines=list(self.lines))
        for name, value in values.items():
            if value in (None, "") or value == getattr(draft, name):
                continue  # not given, or what was detected anyway: keep saying where it came from
            if name not in METADATA:
                raise TypeError(f"not an editable article field: {name!r}")
            setattr(draft, name, value)
            draft.origins[name] = "given"
        if values.get("published") and not values.get("reference_date"):
            if self.origins.get("reference_date") in (None, "the publication date"):
                draft.reference_date = values["published"]
                draft.origins["reference_date"] = "the publication date"
        return draft

    def toggle(self, *, keep: Iterable[int] = (), drop: Iterable[int] = ()) -> ArticleDraft:
        """A copy where lines ``keep`` are article text and lines ``drop`` are not (by line number)."""
        keep, drop = set(keep), set(drop)
        known = {line.number for line in self.lines}
        unknown = sorted((keep | drop) - known)
        if unknown:
            raise IngestError(f"{self.file_name}: no line number(s) {unknown} in this article.")
        lines = []
        for line in self.lines:
            if line.number in drop:
                line = dataclasses.replace(line, reason="dropped by the editor")
            elif line.number in keep and line.reason is not None:
                line = dataclasses.replace(line, reason=None)
            lines.append(line)
        return dataclasses.replace(self, origins=dict(self.origins), lines=lines)

    # --- results ------------------------------------------------------------------------------------------

    def builder(self) -> TextBuilder:
        builder = TextBuilder(self.raw_text)
        for line in self.lines:
            if not line.kept:
                continue
            if line.positions is not None:
                builder.add_mapped(line.text, line.positions)
            elif line.span is not None:
                builder.add_paragraph(*line.span)
        return builder

    def effective_reference(self) -> datetime.date | None:
        return self.reference_date or self.published

    def date_mentions(self) -> list[dict]:
        reference = self.effective_reference()
        if reference is None:
            return []
        found = []
        for passage in make_passages(self.builder().text):
            for mention in extract_dates(passage.text, reference=reference):
                found.append(
                    {
                        "text": mention.text,
                        "date": mention.date,
                        "precision": mention.precision,
                        "approximate": mention.approximate,
                        "passage": passage.ordinal,
                    }
                )
        return found

    def warnings(self) -> list[ArticleWarning]:
        """Everything an editor should look at; ``confirm`` ones block an import until confirmed."""
        found = list(self.notes)
        if not self.title:
            found.append(ArticleWarning("no-title", "No title was found; give one.", False))
        if self.language not in LANGUAGES:
            found.append(ArticleWarning("no-language", "The language could not be told; give it.", False))
        if self.published is None and self.reference_date is None:
            found.append(
                ArticleWarning("no-date", "No publication date was found; give it or a reference date.", False)
            )
        if self.lines and not any(line.kept for line in self.lines):
            reasons: dict[str, int] = {}
            for line in self.lines:
                reasons[line.reason or ""] = reasons.get(line.reason or "", 0) + 1
            listed = ", ".join(f"{count} as {reason}" for reason, count in reasons.items())
            found.append(
                ArticleWarning(
                    "no-passages",
                    f"No article text is left after cleaning: all {len(self.lines)} line(s) were dropped "
                    f"({listed}). Keep the lines that are article text.",
                    False,
                )
            )
        elif not self.lines:
            found.append(ArticleWarning("no-passages", "No article text was found in the page.", False))
        found.extend(publication_contradictions(self))
        return found

    def problems(self) -> list[str]:
        """What stops an import whatever the editor confirms: missing required values, no text."""
        problems = []
        if not self.title:
            problems.append("a title is required")
        if self.language not in LANGUAGES:
            problems.append(f"the language must be one of {', '.join(LANGUAGES)}")
        if self.effective_reference() is None:
            problems.append("a publication date or a reference date is required")
        if not any(line.kept for line in self.lines):
            problems.append("no article text is left after cleaning")
        if (
            self.reference_date
            and self.published
            and self.reference_date != self.published
            and not self.reference_note
        ):
            problems.append("the reference date differs from the publication date: say why (reference note)")
        return problems

    def prepared(self, key: str) -> PreparedSource:
        problems = self.problems()
        if problems:
            raise IngestError(f"{self.file_name}: " + "; ".join(problems) + ".")
        builder = self.builder()
        reference = self.effective_reference()
        assert reference is not None
        return PreparedSource(
            key=key,
            title=self.title,
            publisher=self.publisher,
            author=self.author,
            language=self.language,
            published=self.published,
            reference_date=reference,
            reference_note=self.reference_note,
            original_url=self.original_url,
            file_name=self.file_name,
            raw_text=self.raw_text,
            raw_sha256=self.raw_sha256,
            cleaned_text=builder.text,
            offset_map=builder.offset_map,
            references=self.references,
            passages=make_passages(builder.text),
        )

    def as_dict(self) -> dict:
        """The dry-run document (``timeline/schemas/article_import.schema.json``)."""
        passages = make_passages(self.builder().text)
        reference = self.effective_reference()
        return {
            "file_name": self.file_name,
            "encoding": self.encoding,
            "title": self.title,
            "publisher": self.publisher,
            "author": self.author,
            "published": self.published.isoformat() if self.published else None,
            "reference_date": reference.isoformat() if reference else None,
            "language": self.language or None,
            "original_url": self.original_url,
            "origins": dict(sorted(self.origins.items())),
            "passages": [{"ordinal": p.ordinal, "text": p.text} for p in passages],
            "dropped": [
                {"line": line.number, "text": line.text, "reason": line.reason}
                for line in self.lines
                if not line.kept
            ],
            "references": list(self.references),
            "date_mentions": self.date_mentions(),
            "warnings": [warning.as_dict() for warning in self.warnings()],
        }


# --- reading --------------------------------------------------------------------------------------------------


def looks_like_html(file_name: str, text: str) -> bool:
    head = text.lstrip("\ufeff \t\r\n")[:500].lower()
    return file_name.lower().endswith(HTML_SUFFIXES) or head.startswith(("<!doctype html", "<html")) or (
        "<body" in text[:5000].lower() and "</" in text[:5000]
    )


def read_article(
    raw: bytes, *, file_name: str, content_type: str | None = None, url: str = ""
) -> ArticleDraft:
    """Decode and read one article; IngestError for bytes that are no article (empty, binary, too big)."""
    if len(raw) > MAX_ARTICLE_BYTES:
        raise IngestError(
            f"{file_name}: {len(raw):,} bytes; the limit is {MAX_ARTICLE_BYTES:,} bytes (one article)."
        )
    decoded = decode_bytes(raw, file_name=file_name, declared=charset_from_content_type(content_type))
    text = decoded.text.replace("\r\n", "\n")
    is_html = (content_type or "").lower().startswith(("text/html", "application/xhtml")) or looks_like_html(
        file_name, text
    )
    draft = ArticleDraft(
        file_name=file_name,
        raw_text=text,
        raw_sha256=hashlib.sha256(raw).hexdigest(),
        kind="html" if is_html else "text",
        encoding=decoded.encoding,
        original_url=url,
    )
    draft.origins["encoding"] = decoded.origin
    if decoded.note:
        draft.notes.append(ArticleWarning("encoding", f"Decoded as {decoded.encoding}: {decoded.note}.", False))
    if is_html:
        _read_html(draft, text, url)
    else:
        _read_text(draft, text)
    if not draft.published:
        _published_from_datelines(draft)
    if not draft.publisher:
        _publisher_from_credits(draft)
    if not draft.author:
        _author_from_bylines(draft)
    if draft.published:
        draft.reference_date = draft.published
        draft.origins["reference_date"] = "the publication date"
    _detect_language(draft)
    return draft


def _read_html(draft: ArticleDraft, page: str, url: str) -> None:
    article = html_extract.extract(page, url=url)
    meta = article.metadata
    for name in ("title", "publisher", "author", "published"):
        value = getattr(meta, name)
        if value:
            setattr(draft, name, value)
            draft.origins[name] = meta.origins[name]
    if meta.url and not draft.original_url and meta.url.startswith(("http://", "https://")):
        draft.original_url = meta.url
        draft.origins["original_url"] = meta.origins.get("url", "page")
    draft.origins["page_language"] = meta.language
    located = html_extract.locate(list(article.paragraphs), page)
    if located is None:
        # The main text cannot be found character by character in the page (rare markup): store the
        # extracted text as the raw text instead, and say so.
        draft.raw_text = "\n\n".join(article.paragraphs) + "\n"
        draft.notes.append(
            ArticleWarning(
                "raw-text",
                "The extracted text could not be mapped back to the HTML; the extracted text is stored as "
                "the raw text.",
                False,
            )
        )
        _read_text(draft, draft.raw_text, page_title=draft.title)
        return
    lines = [
        ArticleLine(number, normalize_fragment(p.text), None, positions=p.raw_positions)
        for number, p in enumerate(located, start=1)
    ]
    _judge(draft, lines, page_title=draft.title, blank_before=None)
    # What trafilatura left out (menus, bylines, share bars, footers), listed so an editor can keep a line.
    template = [
        ArticleLine(0, normalize_fragment(p.text), TEMPLATE_REASON, positions=p.raw_positions)
        for p in html_extract.template_blocks(page, located)
    ]
    if template:
        merged = sorted(draft.lines + template, key=_first_position)
        draft.lines = [dataclasses.replace(line, number=number) for number, line in enumerate(merged, start=1)]


TEMPLATE_REASON = "not part of the main text (page template)"


def _first_position(line: ArticleLine) -> int:
    return next((p for p in line.positions or () if p is not None), 0)


def _read_text(draft: ArticleDraft, text: str, *, page_title: str = "") -> None:
    raw_lines = split_lines(text)
    lines = [
        ArticleLine(number, line.normalized, None, span=(line.start, line.end))
        for number, line in enumerate(raw_lines, start=1)
    ]
    _judge(draft, lines, page_title=page_title, blank_before=[line.blank_before for line in raw_lines])


# A headline line may run on past the page title by a site name ("… - 經濟日報"), not by a paragraph:
# a much longer line that starts with the title is body text, never dropped as the title.
_TITLE_SLACK = 24


def _find_title(lines: list[ArticleLine], page_title: str) -> int | None:
    """The index of the headline: the line that matches the page title, else the first heading-like line."""
    if page_title:
        wanted = scrape.title_key(page_title)
        for index, line in enumerate(lines):
            key = scrape.title_key(line.text)
            if key and (key == wanted or (len(key) >= 6 and wanted.startswith(key)) or (
                len(wanted) >= 6 and key.startswith(wanted) and len(key) <= len(wanted) + _TITLE_SLACK
            )):
                return index
        return None
    head = lines[:25]
    first_dateline = next((i for i, line in enumerate(head) if scrape.is_dateline(line.text)), None)
    if first_dateline is not None:
        # the headline sits right above the dateline, perhaps with a byline or a label between
        for index in range(first_dateline - 1, max(-1, first_dateline - 4), -1):
            if scrape.is_heading_like(head[index].text) and len(head[index].text) >= 8:
                return index
    for index, line in enumerate(head):
        if scrape.is_heading_like(line.text) and len(line.text) >= 8:
            following = lines[index + 1 : index + 4]
            # a headline is followed by article text or a dateline, not by more menu items
            if any(len(other.text) > 40 or scrape.is_dateline(other.text) for other in following):
                return index
    return None


def _judge(
    draft: ArticleDraft, lines: list[ArticleLine], *, page_title: str, blank_before: list[int] | None
) -> None:
    title_index = _find_title(lines, page_title)
    if title_index is not None:
        if not draft.title:
            draft.title = lines[title_index].text
            draft.origins["title"] = "heading line"
        for line in lines[:title_index]:
            line.reason = "header (above the title)"
        lines[title_index].reason = "title"
    start = title_index + 1 if title_index is not None else 0
    title_key = scrape.title_key(draft.title)
    references: list[str] = []
    ended: str | None = None
    in_references = False
    for index in range(start, len(lines)):
        line = lines[index]
        text = line.text
        if ended:
            line.reason = ended
            continue
        if in_references:
            if REFERENCE_ENTRY_RE.search(text):
                references.append(text)
                line.reason = "reference entry"
                continue
            in_references = False
        if REFERENCES_HEADING_RE.search(text):
            line.reason = "references heading"
            in_references = True
            continue
        if why := scrape.ends_article(text):
            line.reason = why
            ended = f"after the {why}"
            continue
        if title_key and scrape.title_key(text) == title_key:
            line.reason = "repeated title"
            continue
        if why := scrape.classify(text):
            line.reason = why
            continue
        if (
            blank_before is not None
            and blank_before[index] >= 2
            and len(text) <= MAX_CAPTION_CHARS
            and not _SENTENCE_PUNCTUATION_RE.search(text)
        ):
            line.reason = "photo caption"
    draft.lines = lines
    draft.references = tuple(references)


def _absolute_days(text: str) -> list[datetime.date]:
    """Dates with their year written out in ``text`` (a dateline), in order."""
    days = []
    for mention in extract_dates(text, reference=datetime.date(2100, 1, 1)):
        if mention.precision == "day" and mention.date[:4] in mention.text:
            days.append(datetime.date.fromisoformat(mention.date))
    return days


def datelines(draft: ArticleDraft) -> list[tuple[ArticleLine, datetime.date]]:
    """The page's own datelines (dropped byline/dateline lines and the header) with their first date."""
    found = []
    for line in draft.lines:
        if line.reason in ("dateline", "header (above the title)", "credit line", "read counter"):
            days = _absolute_days(line.text)
            if days and scrape.DATE_RE.search(line.text):
                found.append((line, days[0]))
    return found


_PUBLISHER_RE = re.compile(r"(?:来源|來源|Source)\s*[:：]\s*([^\s|｜/／·•:：]{2,30})", re.IGNORECASE)


def _publisher_from_credits(draft: ArticleDraft) -> None:
    """A text scrape names its publisher in the dateline or a credit line ("来源：新华网")."""
    for line in draft.lines:
        if line.reason in ("dateline", "credit line", "header (above the title)"):
            match = _PUBLISHER_RE.search(line.text)
            if match:
                draft.publisher = match.group(1)
                draft.origins["publisher"] = f"line {line.number}"
                return


_NAME = r"[\u4e00-\u9fff][\u4e00-\u9fff·]{1,5}"
_AUTHOR_RES = (
    # 記者陳建志／台北報導, （記者王思遠/北京報導）, 2025/11/14 10:25 记者甲、乙/北京报道
    re.compile(rf"(?:記者|记者)\s*({_NAME}(?:\s*[、，,]\s*{_NAME})*)\s*[/／|]"),
    # 文／林詠心, 撰文：國際新聞組, 作者：王思远
    re.compile(rf"^[(（]?\s*(?:文|撰文|撰稿|作者)\s*[/／|:：]\s*({_NAME}(?:\s*[、，,]\s*{_NAME})*)\s*[)）]?$"),
)
_AUTHOR_LINE_REASONS = ("dateline", "credit line", "byline", "header (above the title)", TEMPLATE_REASON)


def _author_from_bylines(draft: ArticleDraft) -> None:
    """A Chinese byline names the reporter ("記者陳建志／台北報導", "文／林詠心"); the line itself is dropped."""
    for line in draft.lines:
        if line.reason not in _AUTHOR_LINE_REASONS:
            continue
        for pattern in _AUTHOR_RES:
            match = pattern.search(line.text)
            if match:
                draft.author = "、".join(re.split(r"\s*[、，,]\s*", match.group(1)))
                draft.origins["author"] = f"byline line {line.number}"
                return


def _published_from_datelines(draft: ArticleDraft) -> None:
    found = datelines(draft)
    if found:
        draft.published = found[0][1]
        draft.origins["published"] = f"dateline line {found[0][0].number}"


_CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def detect_language(text: str) -> str | None:
    """zh-Hans, zh-Hant or en from the text itself (its Han characters' script), or None."""
    han = len(_CJK_RE.findall(text))
    latin = len(re.findall(r"[A-Za-z]", text))
    if han >= 10 and han * 3 >= latin / 3:
        sample = "".join(_CJK_RE.findall(text))[:5000]
        traditional_only = sum(1 for a, b in zip(sample, to_simplified(sample), strict=False) if a != b)
        simplified_only = sum(1 for a, b in zip(sample, to_traditional(sample), strict=False) if a != b)
        return "zh-Hant" if traditional_only > simplified_only else "zh-Hans"
    if latin >= 20:
        return "en"
    return None


def _detect_language(draft: ArticleDraft) -> None:
    body = "\n".join(line.text for line in draft.lines if line.kept) or draft.title
    language = detect_language(body)
    if language:
        draft.language = language
        draft.origins["language"] = "text (script of its characters)"


# --- the publication date against the article's own dates ----------------------------------------------------


def publication_contradictions(draft: ArticleDraft) -> list[ArticleWarning]:
    """A publication date the article contradicts: its datelines say another date, or it dates events later.

    Relative dates (去年, 昨天, last month) all resolve against it, so a wrong year shifts every one of
    them silently; the warning must be confirmed.
    """
    if draft.published is None:
        return []
    warnings = []
    days = datelines(draft)
    if days and all(abs((day - draft.published).days) > DATELINE_TOLERANCE_DAYS for _, day in days):
        line, day = days[0]
        warnings.append(
            ArticleWarning(
                "published-contradicts-dateline",
                f"The publication date {draft.published} contradicts the page's dateline "
                f"(line {line.number}: “{line.text[:60]}” says {day}). Relative dates resolve against the "
                "publication date; confirm it only if the dateline is wrong.",
                True,
            )
        )
    reference = draft.effective_reference()
    latest = None
    for mention in draft.date_mentions() if reference else []:
        if mention["precision"] == "day" and mention["date"][:4] in mention["text"]:
            day = datetime.date.fromisoformat(mention["date"])
            if latest is None or day > latest[0]:
                latest = (day, mention)
    if latest and (latest[0] - draft.published).days > 31:
        warnings.append(
            ArticleWarning(
                "published-before-mention",
                f"The text mentions {latest[1]['text']} ({latest[0]}), well after the publication date "
                f"{draft.published}; confirm the publication date.",
                True,
            )
        )
    return warnings


# --- keys ----------------------------------------------------------------------------------------------------


def default_key(draft: ArticleDraft) -> str:
    """A key from the URL's or file's name when it is readable ASCII, else from the content hash."""
    stem = PurePosixPath(draft.original_url.split("?")[0].rstrip("/")).stem if draft.original_url else ""
    stem = stem or PurePosixPath(draft.file_name).stem
    slug = _KEY_RE.sub("-", stem.lower()).strip("-")
    if len(slug) < 4 or not re.search(r"[a-z]", slug):
        slug = "article"
    return f"{slug[:80]}-{draft.raw_sha256[:8]}"
