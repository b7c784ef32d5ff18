"""Chinese script conversion (OpenCC) and the spacing rules of Chinese text.

The sources keep the script they were written in; readers of the other script get a rendering
made here, labelled as such, never stored in place of the original.
"""

from __future__ import annotations

import re
from functools import cache

# CJK ideographs (basic, extension A, compatibility) and the CJK symbols, punctuation and
# full-width forms that Chinese text uses.
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_PUNCTUATION = "\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u2018\u2019\u201c\u201d\u2026\u00b7"
# A space between two Han characters, or after CJK punctuation (what folded YAML leaves behind
# when it joins the lines of a Chinese paragraph).
STRAY_SPACE_RE = re.compile(rf"(?:(?<=[{_HAN}])|(?<=[{_CJK_PUNCTUATION}]))[ \t\u00a0]+(?=\S)")
_HAN_AFTER_RE = re.compile(rf"[{_HAN}{_CJK_PUNCTUATION}]")


@cache
def converter(config: str):
    """The OpenCC converter for ``config`` ("tw2s", "s2t"), built once per process: building one
    loads its dictionaries, which costs far more than a conversion."""
    import opencc

    return opencc.OpenCC(config)


def to_simplified(text: str) -> str:
    """Traditional → simplified script (OpenCC ``tw2s``: unlike plain ``t2s`` it turns the particle
    著 into 着, "操著" → "操着", while 著名/著作 keep 著; character for character, so offsets hold)."""
    return converter("tw2s").convert(text) if text else text


def to_traditional(text: str) -> str:
    """Simplified → traditional script (OpenCC ``s2t``)."""
    return converter("s2t").convert(text) if text else text


def stray_spaces(text: str) -> list[int]:
    """Offsets of spaces that do not belong in Chinese text: between two Han characters or after
    CJK punctuation. A space between Chinese and Latin text ("于 2015 年") is allowed; a space after
    Chinese punctuation before Latin text is not ("。 OpenAI")."""
    found = []
    for match in STRAY_SPACE_RE.finditer(text):
        following = text[match.end()]
        preceding = text[match.start() - 1]
        if _HAN_AFTER_RE.match(following) or not re.match(rf"[{_HAN}]", preceding):
            found.append(match.start())
    return found
