"""Find named people, organisations, groups and documents in text, in either Chinese script or English.

Pure functions, no ORM: an :class:`EntityIndex` is built from plain ``(slug, kind, names)`` tuples.

Matching happens on a *folded* copy of the text that has exactly the same length as the original, so
every offset found in it is an offset into the original: NFKC per character where that keeps one
character, OpenCC traditional → simplified per character, and every middle-dot variant (``·``, ``・``,
``‧``, ``•``, ``･``) as ``·``. Chinese names match as substrings (Chinese has no spaces); Latin names
match case-sensitively on word boundaries, so the alias ``Page`` does not match "page".

The same folding serves :func:`name_key`, which the duplicate checks use to compare names: it also drops
the middle dot and spaces and sorts the parts of a Latin name, so ``萨姆·奥特曼``, ``薩姆奧特曼``,
``Altman Sam`` and ``sam altman`` meet.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from timeline.scripts import to_simplified

MIDDLE_DOTS = "·・‧•･⋅"
_DOT_TABLE = {ord(ch): "·" for ch in MIDDLE_DOTS}


@lru_cache(maxsize=8192)
def _fold_char(ch: str) -> str:
    if ch in MIDDLE_DOTS:
        return "·"
    folded = unicodedata.normalize("NFKC", ch)
    if len(folded) != 1:
        folded = ch
    if ord(folded) > 0x2E7F:  # CJK and beyond: OpenCC, one character for one
        simplified = to_simplified(folded)
        if len(simplified) == 1:
            folded = simplified
    return folded


def fold(text: str) -> str:
    """``text`` in simplified script with one middle dot, NFKC per character; same length as ``text``."""
    return "".join(_fold_char(ch) for ch in text)


def is_latin(name: str) -> bool:
    return all(ord(ch) < 0x2E80 for ch in name)


def name_key(name: str) -> str:
    """A comparison key for names: folded, casefolded, no dots or spaces, Latin parts sorted."""
    folded = fold(unicodedata.normalize("NFKC", name)).casefold().strip()
    if is_latin(folded):
        parts = re.split(r"[\s·.\-]+", folded)
        return " ".join(sorted(part for part in parts if part))
    return re.sub(r"[\s·]+", "", folded)


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    slug: str
    kind: str  # person, organization, group, document


class EntityIndex:
    """Every name and alias of the known entities, ready to be found in text."""

    def __init__(self, entities: Iterable[tuple[str, str, Iterable[str]]]):
        self.kinds: dict[str, str] = {}
        cjk: dict[str, str] = {}
        latin: dict[str, str] = {}
        for slug, kind, names in entities:
            self.kinds[slug] = kind
            for raw in names:
                name = fold(unicodedata.normalize("NFKC", str(raw))).strip()
                if len(name) < 2:
                    continue
                variants = {name, name.replace("·", "")} if "·" in name else {name}
                for variant in variants:
                    target = latin if is_latin(variant) else cjk
                    # The first entity to claim a name keeps it; the duplicate check refuses clashes.
                    target.setdefault(variant, slug)
        self._cjk = cjk
        self._latin = latin
        patterns = [re.escape(name) for name in sorted(cjk, key=len, reverse=True)]
        patterns += [
            r"(?<![A-Za-z0-9])" + re.escape(name) + r"(?![A-Za-z0-9])"
            for name in sorted(latin, key=len, reverse=True)
        ]
        self._pattern = re.compile("|".join(patterns)) if patterns else None

    def find(self, text: str) -> list[Mention]:
        """Non-overlapping mentions in ``text``, leftmost-longest, with offsets into ``text``."""
        if self._pattern is None or not text:
            return []
        folded = fold(text)
        found = []
        position = 0
        while position < len(folded):
            best = None
            for match in self._pattern.finditer(folded, position):
                best = match
                break
            if best is None:
                break
            # The alternation tries longer names first at each position, so this is the longest here.
            name = best.group(0)
            slug = self._cjk.get(name) or self._latin.get(name)
            if slug:
                found.append(Mention(best.start(), best.end(), slug, self.kinds[slug]))
            position = best.end()
        return found

    def lookup(self, phrase: str) -> str | None:
        """The entity a whole phrase names exactly (after folding), or None."""
        name = fold(unicodedata.normalize("NFKC", phrase)).strip()
        return self._cjk.get(name) or self._latin.get(name) or self._cjk.get(name.replace("·", ""))
