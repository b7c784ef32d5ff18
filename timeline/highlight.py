"""Highlight cited spans inside untrusted passage text.

The text is cut at every start and end of every span, so overlapping and nested citations become a
flat run of segments, each covered by zero or more spans. Every piece of text is escaped on its
own (``format_html`` escapes its arguments) and the marks are built with ``format_html``; no f-string ever meets
``mark_safe``. Offsets are code points, as the citation selectors are.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    key: int | str  # the citation id, used for the ``c-<key>`` anchor


@dataclass(frozen=True)
class Segment:
    text: str
    spans: tuple[Span, ...]  # the spans covering this segment (empty: plain text)
    starts: tuple[Span, ...]  # the spans that begin at this segment


def segments(text: str, spans: Iterable[Span]) -> list[Segment]:
    """``text`` cut at every span boundary; spans outside the text are clamped or dropped."""
    length = len(text)
    usable = sorted(
        {Span(max(0, s.start), min(length, s.end), s.key) for s in spans if s.start < length and s.end > 0},
        key=lambda s: (s.start, -s.end, str(s.key)),
    )
    usable = [s for s in usable if s.end > s.start]
    cuts = sorted({0, length, *(s.start for s in usable), *(s.end for s in usable)})
    result = []
    for left, right in zip(cuts, cuts[1:], strict=False):
        covering = tuple(s for s in usable if s.start <= left and s.end >= right)
        starting = tuple(s for s in usable if s.start == left)
        result.append(Segment(text[left:right], covering, starting))
    return result


def highlight(text: str, spans: Sequence[Span], *, current: int | str | None = None) -> SafeString:
    """HTML for ``text`` with each covered segment in a ``<mark>``.

    ``depth-N`` says how many citations overlap there; ``current`` marks the citation the reader
    came for (``?hl=<id>``). Each span's first segment is preceded by an empty ``#c-<id>`` anchor.
    """
    parts = []
    for segment in segments(text, spans):
        anchors = format_html_join("", '<span id="c-{}" class="anchor"></span>', ((s.key,) for s in segment.starts))
        if not segment.spans:
            parts.append(format_html("{}{}", anchors, segment.text))
            continue
        classes = f"cite depth-{min(len(segment.spans), 3)}"
        if current is not None and any(str(s.key) == str(current) for s in segment.spans):
            classes += " current"
        parts.append(format_html('{}<mark class="{}">{}</mark>', anchors, classes, segment.text))
    return format_html_join("", "{}", ((part,) for part in parts))
