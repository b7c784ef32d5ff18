"""Quoted speech and who said it, in Chinese (either script) and English.

Pure functions. :func:`find_quotes` returns the inner span of every “…”, 「…」, 『…』 and "…" pair in a
text, and of a closing mark whose opening one the page lost (from the colon before it). :func:`attribute`
then looks for the speaker around one quote, in this order:

1. after the closing mark: ``”Greg说`` / ``,”他激動地說`` / ``," Altman said`` / ``," said Altman``;
2. before the opening mark, in the same sentence (or the previous one when the quote opens its own):
   a speech verb (说/說/表示/写道/寫道/称/稱/坦言/回忆/指出/透露/认为/said/wrote/told …) close to the
   mark, and the nearest name before that verb; or a colon close to the mark and the nearest name
   before it;
3. a pronoun in those places (他/她/he/she) is the nearest person named before the quote, but one right
   after a verb ("問他", "告诉她") is who was spoken to;
4. when the words before the verb name nobody the index knows ("一位员工对媒体说道", "多名员工…称",
   "One analyst wrote…"), the speaker is that description, never a guessed name; so is a described
   subject left out after a comma ("那位工程師走進辦公室,問他,“…”");
5. a person named with a title after an organisation ("OpenAI chief executive Sam Altman", "Sam Altman,
   OpenAI's chief executive, wrote: …", "OpenAI首席执行官奥尔特曼") is the speaker, not the organisation;
   an officer the index does not know ("Arm首席执行官雷内·哈斯") is described.

Every answer says how it was found (``how``), so an editor can judge it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from timeline.suggest.names import EntityIndex, Mention, fold

# Opening mark → closing mark. ASCII double quotes pair up by position.
_PAIRS = {"“": "”", "「": "」", "『": "』"}
_CITATION_MARK = re.compile(r"\s*(?:\[\d{1,3}\])+\s*$")
_MAX_QUOTE = 400

# Speech verbs, folded (simplified) forms; longest first in the pattern.
ZH_VERBS = (
    "开玩笑说", "开玩笑地说", "说道", "说", "表示", "写道", "写", "称为", "称", "坦言", "回忆道", "回忆", "指出",
    "透露", "认为", "强调", "问道", "问", "回答", "答道", "提到", "承认", "补充", "解释", "宣称", "声称",
    "感叹", "高喊", "喊", "形容", "嘲讽", "警告", "直言", "笑称", "评价", "总结", "描述", "证实", "坚称",
    "发文", "发帖", "推文", "留言", "讲", "谈到", "反问", "感慨",
)  # fmt: skip
EN_VERBS = (
    "said", "says", "wrote", "writes", "told", "tells", "added", "asked", "recalled", "recalls", "noted",
    "explained", "argued", "admitted", "warned", "insisted", "posted", "tweeted", "replied", "answered",
    "put it", "according to",
)  # fmt: skip
_ZH_VERB_RE = re.compile("|".join(sorted(map(re.escape, ZH_VERBS), key=len, reverse=True)))
_EN_VERB_RE = re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, EN_VERBS), key=len, reverse=True)) + r")\b")
# Phrases that look like speech verbs but are not attribution.
_NOT_SPEECH = re.compile(r"比如说|比方说|说实话|老实说|听说|据说|所说的|不用说|也就是说|换句话说|可以说|称之为|号称|说明|小说|传说|说服|游说|甚至说|意味着")
_PRONOUNS_ZH = ("他", "她")
_PRONOUN_EN = re.compile(r"\b(?:he|she|He|She)\b")
_COLONS = ":："
_ADDRESSEE = re.compile(r"(?:问|告诉|对|向|跟|给|叫|让|提醒|打断)$")
_ORPHAN_CLOSERS = "”」』"
_OPENERS = "“「『\""
_CLAUSE_BREAKS = "。！？!?；;\n"
# Words between a speaker and the verb that are not part of who spoke ("对媒体", "在博客中", "曾").
_DESCRIPTION_TRIM = re.compile(r"(?:对着|对|向|在|跟|和|曾经|曾|也|还|则|更|又|就|便|都|激动地|笑着|直白地?|公开).*$")
# Nouns for people, where a described speaker's words end ("这个学生回来了" → "这个学生").
_PERSON_NOUN = re.compile(
    r"学生|年轻人|员工|雇员|职员|工程师|研究员|研究人员|科学家|记者|分析师|投资人|投资者|高管|主管|人士|发言人|"
    r"男子|女子|男人|女人|孩子|教授|董事|用户|网友|律师|官员"
)
# A described person: a count or demonstrative and a classifier ("一位", "多名", "某"; "这个" only before a
# word for a person), or an English determiner ("One analyst", "a senior engineer").
_DESCRIBED = re.compile(
    r"(?:[一两几多数某这那该每][位名]|一个|一群|[这那]个(?=\S{0,4}?(?:" + _PERSON_NOUN.pattern + r"))|某|部分|许多|不少|有|"
    r"(?:an?|one|two|three|several|some|many|a group of|two of the)\s)\s*\S{0,12}",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Quote:
    start: int  # inner text, code points into the text searched
    end: int
    open_at: int  # position of the opening mark
    close_at: int  # position of the closing mark


@dataclass(frozen=True)
class Speaker:
    slug: str | None  # a known entity, or None when only described
    name: str  # the words that name or describe the speaker in the text
    how: str  # after-verb, before-verb, colon, pronoun, described, context


def find_quotes(text: str) -> list[Quote]:
    """Every quoted span (inner text without the marks or trailing citation markers)."""
    quotes: list[Quote] = []
    i = 0
    while i < len(text):
        ch = text[i]
        closer = _PAIRS.get(ch)
        if closer is None and ch == '"':
            closer = '"'
        if closer is None:
            i += 1
            continue
        j = text.find(closer, i + 1)
        if j < 0 or j - i > _MAX_QUOTE:
            i += 1
            continue
        inner_start, inner_end = i + 1, j
        trailing = _CITATION_MARK.search(text, inner_start, inner_end)
        if trailing:
            inner_end = trailing.start()
        while inner_start < inner_end and text[inner_start].isspace():
            inner_start += 1
        while inner_end > inner_start and text[inner_end - 1].isspace():
            inner_end -= 1
        if inner_end > inner_start:
            quotes.append(Quote(inner_start, inner_end, i, j))
        i = j + 1
    return sorted(quotes + _orphan_closers(text, quotes), key=lambda q: q.start)


def _orphan_closers(text: str, quotes: list[Quote]) -> list[Quote]:
    """A closing mark whose opening one the page lost ("…联系在了一起:OpenAI 历史上…最高荣誉。”"): the quote
    runs from the colon before it, in the same paragraph, and the colon stands for the opening mark."""
    taken = [(q.open_at, q.close_at) for q in quotes]
    found = []
    for j, ch in enumerate(text):
        if ch not in _ORPHAN_CLOSERS or any(a <= j <= b for a, b in taken):
            continue
        floor = max([b for _, b in taken if b < j] + [text.rfind("\n", 0, j), j - _MAX_QUOTE, -1])
        colon = max(text.rfind(mark, floor + 1, j) for mark in _COLONS)
        if colon < 0 or any(mark in text[colon + 1 : j] for mark in _OPENERS):
            continue
        inner_start, inner_end = colon + 1, j
        trailing = _CITATION_MARK.search(text, inner_start, inner_end)
        if trailing:
            inner_end = trailing.start()
        while inner_start < inner_end and text[inner_start].isspace():
            inner_start += 1
        if inner_end > inner_start:
            # The opening "mark" is the first character after the colon, so the colon still introduces it.
            found.append(Quote(inner_start, inner_end, colon + 1, j))
    return found


def _clause_start(text: str, position: int) -> int:
    """Start of the sentence containing ``position``."""
    start = position
    while start > 0 and text[start - 1] not in _CLAUSE_BREAKS:
        start -= 1
    return start


def _nearest_before(mentions: list[Mention], position: int, lower: int, kinds=None) -> Mention | None:
    best = None
    for mention in mentions:
        if lower <= mention.start and mention.end <= position and (kinds is None or mention.kind in kinds):
            best = mention
    return best


# A title after an organisation's name: "OpenAI首席执行官奥尔特曼", "OpenAI chief executive Sam Altman",
# "OpenAI发言人". The organisation only says whose officer speaks.
_TITLE = re.compile(
    r"\s*(?:'s|’s|的)?\s*(?:首席执行官|首席執行官|执行长|執行長|行政总裁|行政總裁|总裁|總裁|董事长|董事長|联合创始人|聯合創始人|"
    r"创始人|創始人|首席科学家|首席科學家|首席技术官|首席技術官|首席财务官|首席財務官|发言人|發言人|负责人|負責人|高管|"
    r"CEO|CTO|CFO|COO|chief executive|chief scientist|chief technology officer|president|co-?founder|founder|"
    r"spokes(?:person|woman|man)|head of)",
    re.IGNORECASE,
)


def _speaker_mention(mentions: list[Mention]) -> Mention | None:
    """The speaker among ``mentions`` of one phrase: its last person or group; an organisation only when no
    person is named (an organisation followed by a title and a name is whose officer speaks)."""
    people = [m for m in mentions if m.kind in ("person", "group")]
    if people:
        return people[-1]
    return mentions[-1] if mentions else None


def _nearest_speaker(text: str, mentions: list[Mention], position: int, lower: int) -> Mention | None:
    """The nearest mention before ``position``, but a person of the same stretch before an organisation in
    a title ("Sam Altman, OpenAI's chief executive, wrote: …")."""
    mention = _nearest_before(mentions, position, lower)
    if mention is not None and mention.kind == "organization":
        person = _nearest_before(mentions, position, lower, kinds={"person", "group"})
        if person is not None and (person.end > mention.start - 40 or _TITLE.match(text, mention.end)):
            return person
    return mention


def _resolve_pronoun(mentions: list[Mention], position: int, name: str, how: str) -> Speaker | None:
    person = _nearest_before(mentions, position, 0, kinds={"person"})
    if person is None:
        return None
    return Speaker(person.slug, name, f"{how}, pronoun")


def _who(phrase: str, phrase_start: int, text: str, mentions: list[Mention], index: EntityIndex, how: str):
    """The speaker named or described by ``phrase`` (the words just before a verb)."""
    inside = [m for m in mentions if phrase_start <= m.start and m.end <= phrase_start + len(phrase)]
    stripped = phrase.strip(" ,，、\t")
    folded = fold(stripped)
    # "一位接近微软的知情人士": a described person near an organisation is not the organisation.
    described_person = _DESCRIBED.match(folded) and not any(m.kind in ("person", "group") for m in inside)
    if inside and not described_person:
        mention = _speaker_mention(inside)
        if mention.kind == "organization" and _TITLE.match(text, mention.end):
            # "OpenAI首席执行官某某说": an officer nobody has an entity for, not the organisation.
            named = stripped[stripped.find(text[mention.start : mention.end]) :]
            named = named[: len(_DESCRIPTION_TRIM.sub("", fold(named)).rstrip(" ,，、"))]
            if fold(named) != fold(text[mention.start : _TITLE.match(text, mention.end).end()]).strip():
                return Speaker(None, named, "described")
        return Speaker(mention.slug, text[mention.start : mention.end], how)
    if folded.endswith(_PRONOUNS_ZH) or folded.startswith(_PRONOUNS_ZH) or _PRONOUN_EN.search(stripped):
        return _resolve_pronoun(mentions, phrase_start, stripped, how)
    description = _DESCRIPTION_TRIM.sub("", folded).strip(" ,，、")
    described = stripped[: len(description)] if description else ""
    if described and _DESCRIBED.match(fold(described)):
        slug = index.lookup(described)
        return Speaker(slug, described, how if slug else "described")
    return None


def _after(text: str, quote: Quote, mentions: list[Mention], index: EntityIndex) -> Speaker | None:
    tail_start = quote.close_at + 1
    window = text[tail_start : tail_start + 64]
    stop = min((window.find(mark) for mark in "“「\"。！？!?\n" if window.find(mark) >= 0), default=len(window))
    window = window[:stop]
    folded = fold(window)
    verb = _ZH_VERB_RE.search(folded) or _EN_VERB_RE.search(window)
    if verb is None or _NOT_SPEECH.search(folded[: verb.end() + 2]):
        return None
    before = window[: verb.start()]
    named_last = any(0 <= tail_start + len(before.rstrip()) - m.end <= 1 for m in mentions)
    if len(before.strip(" ,，、")) > (60 if named_last else 30):
        return None  # a long stretch before the verb is another clause, unless a name ends it ("…" Nvidia chief executive Jensen Huang said)
    found = _who(before, tail_start, text, mentions, index, "after-verb")
    if found:
        return found
    # "," said Altman
    after = window[verb.end() : verb.end() + 20]
    inside = [m for m in mentions if tail_start + verb.end() <= m.start < tail_start + verb.end() + 20]
    if inside:
        return Speaker(inside[0].slug, text[inside[0].start : inside[0].end], "after-verb")
    if _PRONOUN_EN.match(after.strip()):
        return _resolve_pronoun(mentions, quote.open_at, after.strip().split()[0], "after-verb")
    return None


def _before(text: str, quote: Quote, mentions: list[Mention], index: EntityIndex) -> Speaker | None:
    end = quote.open_at
    lead = text[_clause_start(text, end) : end]
    if not lead.strip(" ,，、"):
        # The quote opens its sentence or paragraph: a colon ending the text before introduces it.
        head = text[:end].rstrip()
        if not head.endswith(tuple(_COLONS)):
            return None
        end = len(head)
        lead = text[_clause_start(text, end - 1) : end]
    lead_start = end - len(lead)
    folded = fold(lead)
    verbs = [m for m in _ZH_VERB_RE.finditer(folded) if not _NOT_SPEECH.search(folded[max(0, m.start() - 3) : m.end() + 2])]
    verbs += list(_EN_VERB_RE.finditer(lead))
    # A verb close to the mark; or, when a colon introduces the quote, the verb of its clause however far
    # ("One analyst wrote in a note to clients: …").
    colon = lead.rstrip().endswith(tuple(_COLONS))
    verbs = [m for m in verbs if len(lead) - m.end() <= 12 or colon]
    if verbs:
        verb = max(verbs, key=lambda m: m.end())
        clause_from = max((lead.rfind(mark, 0, verb.start()) for mark in ",，;；"), default=-1) + 1
        phrase = lead[clause_from : verb.start()]
        found = _who(phrase, lead_start + clause_from, text, mentions, index, "before-verb")
        if found:
            return found
        if not phrase.strip(" ,，、") and clause_from > 0:
            # The subject is left out after a comma ("那位工程師走進辦公室,問他,“…”"): the one of the
            # clause before, when it is a person described, not a name an earlier verb attributes to.
            before_from = max((lead.rfind(mark, 0, clause_from - 1) for mark in ",，;；"), default=-1) + 1
            previous = lead[before_from : clause_from - 1]
            folded_previous = fold(previous).strip()
            if _DESCRIBED.match(folded_previous) and not _ZH_VERB_RE.search(folded_previous):
                noun = _PERSON_NOUN.search(folded_previous)
                subject = folded_previous[: noun.end()] if noun else _DESCRIPTION_TRIM.sub("", folded_previous)
                return Speaker(None, previous.strip()[: len(subject.rstrip())], "described")
        # The speaker named earlier in the sentence ("Altman, in a blog post, wrote: …").
        mention = _nearest_speaker(text, mentions, lead_start + verb.start(), lead_start)
        if mention:
            return Speaker(mention.slug, text[mention.start : mention.end], "before-verb")
        return None
    stripped = lead.rstrip()
    if stripped.endswith(tuple(_COLONS)):
        mention = _nearest_speaker(text, mentions, lead_start + len(stripped), lead_start)
        if mention:
            return Speaker(mention.slug, text[mention.start : mention.end], "colon")
        clause = fold(stripped)
        if clause.startswith(_PRONOUNS_ZH) or _PRONOUN_EN.match(stripped):
            return _resolve_pronoun(mentions, lead_start, stripped[:1], "colon")
    return None


def _sentence(text: str, quote: Quote, mentions: list[Mention], index: EntityIndex) -> Speaker | None:
    """No speech verb: the person the sentence is about ("辛顿倒吸了一口气,“…”"), or the speaker the
    previous sentence attributed words to ("莱文曾说道,他…。“…”")."""
    start = _clause_start(text, quote.open_at)
    lead = text[start : quote.open_at]
    if lead.strip(" ,，、"):
        person = _nearest_before(mentions, quote.open_at, start, kinds={"person", "group"})
        pronoun = max((lead.rfind(p) for p in _PRONOUNS_ZH), default=-1)
        if pronoun > 0 and _ADDRESSEE.search(fold(lead[max(0, pronoun - 2) : pronoun])):
            pronoun = -1  # "問他", "告诉她": who was spoken to, not who spoke
        if person and person.end - start > pronoun:
            return Speaker(person.slug, text[person.start : person.end], "sentence")
        if pronoun >= 0:
            return _resolve_pronoun(mentions, start + pronoun, lead[pronoun], "sentence")
        return None
    previous_start = _clause_start(text, max(0, start - 1))
    previous = text[previous_start:start]
    folded = fold(previous)
    verb = _ZH_VERB_RE.search(folded) or _EN_VERB_RE.search(previous)
    if verb and not _NOT_SPEECH.search(folded):
        mention = _nearest_speaker(text, mentions, previous_start + verb.start(), previous_start)
        if mention:
            return Speaker(mention.slug, text[mention.start : mention.end], "previous sentence")
    return None


def attribute(text: str, quote: Quote, mentions: list[Mention], index: EntityIndex) -> Speaker | None:
    """Who said ``quote`` (found in ``text`` whose entity mentions are ``mentions``), or None."""
    return (
        _after(text, quote, mentions, index)
        or _before(text, quote, mentions, index)
        or _sentence(text, quote, mentions, index)
    )
