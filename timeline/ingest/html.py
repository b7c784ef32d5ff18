"""Main text and metadata of an HTML news page, with every character mapped back to the page.

trafilatura finds the article's main text (it drops navigation, asides, comments, share bars and
footers) and its metadata (title, site name, author, and the date via htmldate). Its text is then
located in the page as received, so the source keeps the raw HTML and every cleaned character still
points at the bytes it came from; a citation can always be shown in, and checked against, the page.

When trafilatura finds nothing, or says nothing about a field, the page's ``<title>``, ``og:`` and
``article:`` meta tags fill in. Pure functions, no ORM.
"""

from __future__ import annotations

import datetime
import html as html_lib
import re
from dataclasses import dataclass, field

_SKIP_RE = re.compile(
    r"<!--.*?-->|<(script|style|noscript|template|svg|head)\b[^>]*>.*?</\1\s*>|<!\[CDATA\[.*?\]\]>|<[^>]*>",
    re.IGNORECASE | re.DOTALL,
)
_ENTITY_RE = re.compile(r"&(?:#[0-9]{1,7};?|#[xX][0-9a-fA-F]{1,6};?|[A-Za-z][A-Za-z0-9]{1,31};?)")
_TITLE_RE = re.compile(r"<title[^>]*>(.*?)</title\s*>", re.IGNORECASE | re.DOTALL)
_META_RE = re.compile(r"<meta\b[^>]*>", re.IGNORECASE)
_ATTR_RE = re.compile(r"""([a-zA-Z_:\-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
_HTML_LANG_RE = re.compile(r"<html\b[^>]*\blang\s*=\s*[\"']?([A-Za-z\-]+)", re.IGNORECASE)


@dataclass(frozen=True)
class TextView:
    """The page's visible text as characters with their raw positions (``None`` for entities' extra chars)."""

    chars: str
    positions: tuple[int, ...]  # raw offset of each character's first byte in the decoded page
    literal: tuple[bool, ...]  # raw[position] == char (False for characters written as entities)


def text_view(page: str) -> TextView:
    """Every text character of ``page`` outside tags, comments, scripts and styles, with its raw offset."""
    chars: list[str] = []
    positions: list[int] = []
    literal: list[bool] = []
    cursor = 0

    def add_text(start: int, end: int) -> None:
        position = start
        for m in _ENTITY_RE.finditer(page, start, end):
            for index in range(position, m.start()):
                chars.append(page[index])
                positions.append(index)
                literal.append(True)
            decoded = html_lib.unescape(m.group(0))
            for ch in decoded:
                chars.append(ch)
                positions.append(m.start())
                literal.append(decoded == m.group(0))
            position = m.end()
        for index in range(position, end):
            chars.append(page[index])
            positions.append(index)
            literal.append(True)

    for m in _SKIP_RE.finditer(page):
        add_text(cursor, m.start())
        # a tag separates words: "<p>a</p><p>b</p>" must not read "ab"
        chars.append("\n")
        positions.append(m.start())
        literal.append(False)
        cursor = m.end()
    add_text(cursor, len(page))
    return TextView("".join(chars), tuple(positions), tuple(literal))


def fragment_text(page_fragment: str) -> str:
    """The visible text of a piece of HTML, whitespace collapsed: what a citation's raw span reads as."""
    view = text_view(page_fragment)
    return " ".join(view.chars.split())


@dataclass(frozen=True)
class LocatedParagraph:
    text: str  # the paragraph as trafilatura gives it, whitespace collapsed
    # per character of ``text``: its raw offset when the page has exactly that character there, else None
    raw_positions: tuple[int | None, ...]


def locate(paragraphs: list[str], page: str) -> list[LocatedParagraph] | None:
    """Find every paragraph in the page's text, in order; None when one cannot be found.

    Matching ignores whitespace (trafilatura joins inline elements and line breaks its own way).
    """
    view = text_view(page)
    dense_index = [i for i, ch in enumerate(view.chars) if not ch.isspace()]
    dense = "".join(view.chars[i] for i in dense_index)
    located = []
    cursor = 0
    for paragraph in paragraphs:
        text = " ".join(paragraph.split())
        wanted = "".join(text.split())
        if not wanted:
            continue
        found = dense.find(wanted, cursor)
        if found < 0:
            found = dense.find(wanted)
        if found < 0 and text.startswith("- ") and len(text) > 2:
            # trafilatura marks a list item "- "; the page has the item's text only
            text = text[2:]
            wanted = wanted[1:]
            found = dense.find(wanted, cursor)
        if found < 0:
            return None
        cursor = found + len(wanted)
        raw_positions: list[int | None] = []
        k = found
        previous: int | None = None
        for ch in text:
            if ch.isspace():
                # a space maps to the raw space right after the previous character, if the page has one
                guess = previous + 1 if previous is not None else None
                raw_positions.append(guess if guess is not None and guess < len(page) and page[guess] == " "
                                     else None)
                continue
            view_index = dense_index[k]
            k += 1
            position = view.positions[view_index]
            raw_positions.append(position if view.literal[view_index] else None)
            previous = position if view.literal[view_index] else None
        located.append(LocatedParagraph(text, tuple(raw_positions)))
    return located


# --- metadata -----------------------------------------------------------------------------------------------


@dataclass
class PageMetadata:
    """What the page says about itself; ``origins`` says where each value came from."""

    title: str = ""
    publisher: str = ""
    author: str = ""
    published: datetime.date | None = None
    language: str = ""  # the page's own lang attribute / meta, e.g. "zh-CN"
    url: str = ""
    origins: dict[str, str] = field(default_factory=dict)


def meta_tags(page: str) -> dict[str, str]:
    """``<meta property|name=… content=…>`` values by lower-cased key; the first of each wins."""
    found: dict[str, str] = {}
    for tag in _META_RE.findall(page[:200_000]):
        attrs = {m.group(1).lower(): html_lib.unescape(m.group(2) or m.group(3) or m.group(4) or "")
                 for m in _ATTR_RE.finditer(tag)}
        key = (attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or "").lower()
        if key and "content" in attrs and key not in found:
            found[key] = " ".join(attrs["content"].split())
    return found


def page_title(page: str) -> str:
    m = _TITLE_RE.search(page[:200_000])
    return " ".join(html_lib.unescape(m.group(1)).split()) if m else ""


_TITLE_SEPARATORS_RE = re.compile(r"\s+[-|–—·]\s+|_|\s*[|｜]\s*")


def title_suffix(full_title: str, title: str) -> str:
    """The site name a ``<title>`` appends to the headline ("… | TechCrunch", "…_新浪科技_新浪网")."""
    if not full_title or not title or not full_title.startswith(title) or full_title == title:
        return ""
    parts = [part for part in _TITLE_SEPARATORS_RE.split(full_title[len(title) :]) if part.strip()]
    return parts[-1].strip() if parts else ""


def _clean_author(value: str | None) -> str:
    """trafilatura's author without the date or time it sometimes picks up from a byline."""
    if not value:
        return ""
    parts = [part.strip() for part in re.split(r"[;|]", value)]
    return "; ".join(part for part in parts if part and not re.search(r"\d", part))


def _parse_date(value: str | None) -> datetime.date | None:
    if not value:
        return None
    m = re.match(r"\s*(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})", value)
    if not m:
        return None
    try:
        return datetime.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


@dataclass(frozen=True)
class HtmlArticle:
    paragraphs: tuple[str, ...]  # main text, one block element per entry
    metadata: PageMetadata


def extract(page: str, *, url: str = "") -> HtmlArticle:
    """The main text and metadata of ``page`` (decoded HTML)."""
    import trafilatura

    document = trafilatura.bare_extraction(
        page,
        url=url or None,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        deduplicate=False,
    )
    text = (document.text if document is not None else "") or ""
    paragraphs = tuple(line for line in (" ".join(p.split()) for p in text.split("\n")) if line)
    if not paragraphs:
        paragraphs = _fallback_paragraphs(page)
    elif len(paragraphs) == 1:
        paragraphs = _split_by_blocks(paragraphs[0], page)
    meta = meta_tags(page)
    data = PageMetadata(url=url)

    def pick(name: str, *candidates: tuple[str, str | None]) -> None:
        for origin, value in candidates:
            if value and str(value).strip():
                setattr(data, name, " ".join(str(value).split()))
                data.origins[name] = origin
                return

    pick(
        "title",
        ("trafilatura", document.title if document is not None else None),
        ("og:title", meta.get("og:title")),
        ("<title>", page_title(page)),
    )
    pick(
        "publisher",
        ("og:site_name", meta.get("og:site_name")),
        ("trafilatura (site name)", document.sitename if document is not None else None),
        ("meta application-name", meta.get("application-name")),
        ("<title> suffix", title_suffix(page_title(page), data.title)),
    )
    pick(
        "author",
        ("meta author", meta.get("author") or meta.get("article:author")),
        ("trafilatura", _clean_author(document.author if document is not None else None)),
    )
    for origin, value in (
        ("trafilatura (htmldate)", document.date if document is not None else None),
        ("article:published_time", meta.get("article:published_time")),
        ("meta pubdate", meta.get("pubdate") or meta.get("publishdate") or meta.get("date")),
    ):
        date = _parse_date(value)
        if date:
            data.published = date
            data.origins["published"] = origin
            break
    lang = _HTML_LANG_RE.search(page[:5000])
    pick(
        "language",
        ("<html lang>", lang.group(1) if lang else None),
        ("meta content-language", meta.get("content-language")),
    )
    pick("url", ("given", url), ("og:url", meta.get("og:url")), ("canonical", None))
    return HtmlArticle(paragraphs, data)


_BLOCK_SPLIT_RE = re.compile(
    r"</?(?:p|div|h[1-6]|li|br|tr|td|th|section|article|header|footer|blockquote|pre|dd|dt|figcaption)\b[^>]*>",
    re.IGNORECASE,
)


def _fallback_paragraphs(page: str, *, skip: str = "script|style|noscript|template|svg|head|nav|footer|aside") -> tuple[str, ...]:
    """Block-level text when trafilatura finds no main text (very short pages): every block's text."""
    body = re.sub(rf"<({skip})\b[^>]*>.*?</\1\s*>", " ", page, flags=re.IGNORECASE | re.DOTALL)
    blocks = _BLOCK_SPLIT_RE.split(body)
    return tuple(text for text in (fragment_text(block) for block in blocks) if text)


MAX_TEMPLATE_BLOCKS = 50
_SHORT_BLOCK = 10  # runs of blocks this short (menu items, share buttons) read as one line


def template_blocks(page: str, main: list[LocatedParagraph]) -> list[LocatedParagraph]:
    """The page's visible text blocks that are not part of ``main`` (menus, bylines, share bars, footers).

    trafilatura leaves them out silently; listed, an editor can see them and keep one. Runs of very short
    blocks are joined into one line, and at most ``MAX_TEMPLATE_BLOCKS`` are listed.
    """
    blocks = list(_fallback_paragraphs(page, skip="script|style|noscript|template|svg|head"))
    located = locate(blocks, page)
    if located is None:
        return []
    in_main = {position for paragraph in main for position in paragraph.raw_positions if position is not None}
    found: list[LocatedParagraph] = []
    run: list[LocatedParagraph] = []

    def flush() -> None:
        if run:
            text = " ".join(block.text for block in run)
            positions: list[int | None] = []
            for index, block in enumerate(run):
                if index:
                    positions.append(None)
                positions.extend(block.raw_positions)
            found.append(LocatedParagraph(text, tuple(positions)))
            run.clear()

    for block in located:
        mapped = [position for position in block.raw_positions if position is not None]
        if not mapped or sum(position in in_main for position in mapped) * 2 >= len(mapped):
            flush()
            continue
        if len(block.text) <= _SHORT_BLOCK:
            run.append(block)
            continue
        flush()
        found.append(block)
    flush()
    return found[:MAX_TEMPLATE_BLOCKS]


def _split_by_blocks(line: str, page: str) -> tuple[str, ...]:
    """trafilatura's one-line main text cut at the page's own block elements (p, br, li…).

    A short page whose paragraphs sit in an ``<article>`` can come back as one line: headline, byline
    and body run together, and the whole line would read as the title. When the page's block texts,
    in order, make up that line, they are the paragraphs; otherwise the line stays as it is.
    """
    blocks = [block for block in _fallback_paragraphs(page) if block]
    found: list[str] = []
    cursor = 0
    for block in blocks:
        at = line.find(block, cursor)
        if at < 0 or line[cursor:at].strip():
            continue
        found.append(block)
        cursor = at + len(block)
    covered = sum(len(block) for block in found)
    if len(found) < 2 or line[cursor:].strip() or covered < 0.9 * len(line.replace(" ", "")):
        return (line,)
    return tuple(found)
