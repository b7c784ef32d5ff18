"""Cut cleaned text into passages: citable, addressable pieces that never end mid-sentence.

A paragraph is one passage when it is short. A long paragraph is split at sentence ends into the fewest
passages of at most MAX_PASSAGE_CHARS, as even in length as possible; a single sentence longer than that
stays whole. Offsets are code points into the cleaned text, so ``cleaned[p.start:p.end] == p.text``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from timeline.ingest.clean import PARAGRAPH_SEPARATOR

MAX_PASSAGE_CHARS = 300

_FULL_STOPS = "。！？｡"
_ASCII_STOPS = "!?"
_CLOSERS = "”’」』）)】》〉]"
_CITATION_RE = re.compile(r"\[\d{1,3}\]")
# Periods after these words do not end a sentence.
_ABBREVIATIONS = frozenset({"e.g", "i.e", "etc", "vs", "mr", "mrs", "ms", "dr", "prof", "st", "no", "fig"})
_WORD_BEFORE_RE = re.compile(r"([A-Za-z][A-Za-z.]*)$")


@dataclass(frozen=True)
class PreparedPassage:
    ordinal: int  # 1-based, in reading order across the whole source
    start: int
    end: int
    text: str


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph; paragraphs are separated by one blank line."""
    spans = []
    position = 0
    for paragraph in text.split(PARAGRAPH_SEPARATOR):
        stripped_start = position + (len(paragraph) - len(paragraph.lstrip()))
        stripped_end = position + len(paragraph.rstrip())
        if stripped_end > stripped_start:
            spans.append((stripped_start, stripped_end))
        position += len(paragraph) + len(PARAGRAPH_SEPARATOR)
    return spans


def _absorb_closers(text: str, position: int, sentence_start: int) -> int:
    """Move past closing quotes, brackets and citation markers that belong to the sentence just ended."""
    while position < len(text):
        ch = text[position]
        if ch in _CLOSERS:
            position += 1
        elif ch == '"' and text.count('"', sentence_start, position) % 2 == 1:
            position += 1  # an ASCII quote closes the sentence only when one is open
        elif match := _CITATION_RE.match(text, position):
            position = match.end()
        else:
            break
    return position


def _is_ascii_alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _period_ends_sentence(text: str, index: int, sentence_start: int) -> bool:
    word = _WORD_BEFORE_RE.search(text, sentence_start, index)
    if word:
        token = word.group(1)
        if token.rstrip(".").lower() in _ABBREVIATIONS:
            return False
        if len(token) == 1 and token.isupper():
            return False  # an initial, as in "Cameron R. Wolfe"
    # "1. Get to know the learner": a list number, not a sentence.
    return not text[sentence_start:index].strip().isdigit()


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of each sentence of ``text[start:end]``, trimmed, covering all its non-space text.

    Ends: 。！？ (and several of them), the ASCII ! and ? unless they sit inside a Latin word, an ellipsis
    or a period followed by whitespace or the end (so 4.5, GPT-4.5 and "Cameron R. Wolfe" do not split).
    Closing quotes, brackets and citation markers such as [2] stay with the sentence they close.
    """
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    sentence_start = start
    i = start
    while i < end:
        ch = text[i]
        boundary = None
        if ch in _FULL_STOPS or ch in _ASCII_STOPS:
            j = i + 1
            while j < end and (text[j] in _FULL_STOPS or text[j] in _ASCII_STOPS):
                j += 1
            j = min(_absorb_closers(text, j, sentence_start), end)
            inside_latin_word = (
                ch in _ASCII_STOPS
                and i > start
                and _is_ascii_alnum(text[i - 1])
                and j < end
                and _is_ascii_alnum(text[j])
            )
            if not inside_latin_word:
                boundary = j
        elif ch in ".…":
            j = i + 1
            while j < end and text[j] in ".…":
                j += 1
            j = min(_absorb_closers(text, j, sentence_start), end)
            # A period or ellipsis ends a sentence only before whitespace or the end: Chinese uses …… as a
            # pause inside sentences, and digits or letters after a period mean 4.5 or example.com.
            if (j == end or text[j].isspace()) and (
                ch == "…" or _period_ends_sentence(text, i, sentence_start)
            ):
                boundary = j
            else:
                i = j
                continue
        if boundary is not None:
            _append_trimmed(text, sentence_start, boundary, spans)
            sentence_start = i = boundary
        else:
            i += 1
    _append_trimmed(text, sentence_start, end, spans)
    return spans


def _append_trimmed(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


def pack_sentences(
    sentences: list[tuple[int, int]], max_chars: int = MAX_PASSAGE_CHARS
) -> list[tuple[int, int]]:
    """Group consecutive sentences into the fewest chunks of at most ``max_chars``, as even as possible.

    A chunk runs from its first sentence's start to its last sentence's end. A sentence longer than
    ``max_chars`` is a chunk on its own. Dynamic programming over split points, minimising (number of
    chunks, sum of squared chunk lengths): deterministic, and no tiny leftover passage at the end.
    """
    count = len(sentences)
    best: list[tuple[int, int] | None] = [None] * (count + 1)
    choice = [0] * (count + 1)
    best[0] = (0, 0)
    for stop in range(1, count + 1):
        for begin in range(stop - 1, -1, -1):
            length = sentences[stop - 1][1] - sentences[begin][0]
            if length > max_chars and begin != stop - 1:
                break
            previous = best[begin]
            assert previous is not None
            candidate = (previous[0] + 1, previous[1] + length * length)
            if best[stop] is None or candidate < best[stop]:
                best[stop] = candidate
                choice[stop] = begin
    chunks = []
    stop = count
    while stop > 0:
        begin = choice[stop]
        chunks.append((sentences[begin][0], sentences[stop - 1][1]))
        stop = begin
    return chunks[::-1]


def make_passages(cleaned_text: str, *, max_chars: int = MAX_PASSAGE_CHARS) -> tuple[PreparedPassage, ...]:
    """The passages of ``cleaned_text`` in reading order."""
    spans: list[tuple[int, int]] = []
    for start, end in paragraph_spans(cleaned_text):
        if end - start <= max_chars:
            spans.append((start, end))
        else:
            spans.extend(pack_sentences(sentence_spans(cleaned_text, start, end), max_chars))
    return tuple(
        PreparedPassage(ordinal=ordinal, start=start, end=end, text=cleaned_text[start:end])
        for ordinal, (start, end) in enumerate(spans, start=1)
    )
