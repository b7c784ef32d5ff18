"""Split a blog index page into its posts.

The index (fisherdaddy's Hugo blog) prints each post as a card: title line, excerpt line, then a footer
line ``August 13, 2025 · 1 min · fisherdaddy``. The footer CLOSES its post; it does not open the next one.
The file shows it: it starts with a title (line 1) and ends with a date line (line 59), so there are ten
titles and ten date lines and, read as "date after text", every post gets exactly one date. Read the other
way, the first post would have no date and the last date no post. The reading times agree: the one
"17 min" follows the post that shares two complete system prompts, whose excerpt is only their opening.
So a date line belongs to the title and excerpt ABOVE it.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from timeline.ingest.clean import Line, normalize_fragment, split_lines
from timeline.ingest.errors import IngestError

_MONTHS = {
    name: number
    for number, name in enumerate(
        (
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ),
        start=1,
    )
}
DATE_LINE_RE = re.compile(
    r"^(?P<month>[A-Z][a-z]+) (?P<day>\d{1,2}), (?P<year>\d{4})"
    r"(?:\s*·\s*(?P<minutes>\d+)\s*min)?(?:\s*·\s*(?P<author>.+?))?\s*$"
)


@dataclass(frozen=True)
class Post:
    title: str
    title_line: Line
    body_lines: tuple[Line, ...]
    published: datetime.date
    reading_minutes: int | None
    author: str
    date_line: Line


def parse_date_line(text: str) -> tuple[datetime.date, int | None, str] | None:
    """(date, reading minutes, author) when ``text`` is a post footer line, else None."""
    match = DATE_LINE_RE.match(text)
    if not match or match["month"] not in _MONTHS:
        return None
    try:
        date = datetime.date(int(match["year"]), _MONTHS[match["month"]], int(match["day"]))
    except ValueError:
        return None
    minutes = int(match["minutes"]) if match["minutes"] else None
    return date, minutes, (match["author"] or "").strip()


def split_posts(raw_text: str, *, file_name: str = "") -> list[Post]:
    """The posts of an index page, in file order; each post's date line is the one below its text."""
    posts: list[Post] = []
    pending: list[Line] = []
    for line in split_lines(raw_text):
        footer = parse_date_line(line.text)
        if footer is None:
            pending.append(line)
            continue
        if len(pending) < 2:
            raise IngestError(
                f"{file_name}: the date line at line {line.number} closes no post "
                "(a post is a title line and at least one excerpt line above its date line)."
            )
        title_line, *body = pending
        published, minutes, author = footer
        posts.append(
            Post(
                normalize_fragment(title_line.text), title_line, tuple(body), published, minutes, author, line
            )
        )
        pending = []
    if not posts:
        raise IngestError(f"{file_name}: no post date lines (like 'August 13, 2025 · 1 min · author') found.")
    if pending:
        raise IngestError(
            f"{file_name}: lines {pending[0].number}–{pending[-1].number} follow the last date line and belong "
            "to no post; every post must end with its date line."
        )
    return posts
