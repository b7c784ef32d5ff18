"""Propose candidate events and quotes from one article's text. Pure: no ORM, plain values in and out.

Events are sentences of a passage that carry a date mention (found by the ingest extractor) or a
relative date chained from the last dated sentence before them (see :mod:`timeline.suggest.chaining`).
A sentence stating an interval ("从2015年到2019年", "2019年至今", "between 2019 and 2023") gets an EDTF
interval; a wire dateline ("台北14日電", "Nov 22 (Reuters) -") is the day the report was filed, from which
the sentence's own "昨天"/"周二" count.
Quotes are quoted spans with a speaker found around them (see :mod:`timeline.suggest.quotes`).
Every candidate keeps its exact span (code points into its passage, with prefix and suffix like a
:class:`~timeline.models.Citation`), a score and the reasons for it; :func:`propose` returns them
ranked, best first.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from timeline.dates import FuzzyDate, FuzzyDateError
from timeline.ingest.passages import sentence_spans
from timeline.suggest.chaining import PRECISION_ORDER, Resolved, find_relative, resolve
from timeline.suggest.names import EntityIndex, Mention, fold
from timeline.suggest.narrative import MOVED_ON, RECENT_THEN, THEN, VIEW_NOW, is_turning_point
from timeline.suggest.quotes import Quote, attribute, find_quotes

CONTEXT_CHARS = 32  # as timeline.models.CONTEXT_CHARS: the selector's prefix and suffix
TITLE_CHARS = 40
MIN_EVENT_CHARS = 10
MIN_QUOTE_CHARS = 4
BLOCK_QUOTE_CHARS = 300
_CITATION_TAIL = re.compile(r"\s*(?:\[\d{1,3}\])+\s*$")
CONTEXT_PERSON_CHARS = 250  # an unattributed quote is given to a person named this close before it
MAX_ALTERNATIVES = 3  # other readings of an event's date offered beside the best one
# An undated sentence this many sentences or fewer after its anchor's is still at the anchor's time: its
# month or day is kept (approximately); further on, the story has moved, and only the year is kept.
NEAR_ANCHOR_SENTENCES = 3
UNATTRIBUTED_QUOTE_CHARS = 16  # a quote nobody is found for is proposed only when it is this long

# Verbs that make a dated sentence an event rather than background ("since 2015 the field …").
_EVENT_VERBS = re.compile(
    r"发布|推出|成立|创立|创办|宣布|离开|离职|加入|投资|收购|解雇|解职|罢免|辞职|签署|上线|开源|获得|融资|任命|回归|出走|"
    r"公布|发表|举行|召开|参加|参与|拜访|会面|邀请|达成|合作|去世|诞生|问世|开发|训练|发现|致信|起诉|退出|晋升|成为|"
    r"分裂|开除|解雇|超越|吸引|透露|曝光|爆料|提出|提案|争吵|放弃|同意|引发|登顶|取得|下降|降价|演示|重申|兑现|承诺|请愿|"
    r"出手|并入|掌管|创下|突破|打败|击败|首发|亮相|回应|警告|发起|下调|上调|骤降|"
    r"\b(?:released|launched|founded|announced|joined|left|invested|fired|hired|signed|resigned|published|"
    r"unveiled|acquired|met|sued|returned|became|introduced|debuted|quit|initiated|slashed|cut prices)\b",
)
# Products and models count as named things for an undated event sentence. Bounded by Latin letters and
# digits only (``\b`` sees no boundary between a Han character and a Latin one: "的GPT-4o", "ChatGPT在").
_PRODUCT = re.compile(
    r"(?<![A-Za-z0-9])(?:GPT-?[A-Za-z0-9.]+|ChatGPT|Q-star|Sora|DALL·?E\s?\d?|o[134](?:-[A-Za-z0-9]+)?|Codex|Claude|Gemini)"
    r"(?![A-Za-z0-9])|Q\*"
)
# Speech verbs: a named person saying, admitting or judging something is a reportable event (an
# interview's "Sam承认…", "在Greg看来…"), though only when a person is named in the sentence.
_STATEMENT_VERBS = re.compile(
    r"表示|承认|认为|看来|透露|坦言|指出|强调|开玩笑说|直言|归结|预测|预言|描述|解释|回忆|坚信|相信|"
    # "说" as "says", not inside 据说/小说/可以说/也就是说/比如说/说明/说服/说法.
    r"(?<![据小听再])(?<!可以|就是|比如|老实)(?<![来么])说(?![明服法])|"
    r"\b(?:said|says|admitted|argued|argues|told|explained|predicted|warned|insisted|added|noted|believes|thinks)\b"
)
# A company's statement ("英伟达在声明中表示", "Intel said in a statement"): said, like a person's words.
_IN_A_STATEMENT = re.compile(r"声明|\bstatement\b", re.IGNORECASE)
# A report on current news: its first date mention is a day at most this many days before the reference
# date ("周二披露", "on Thursday"). Its people's statements are reactions to that news, made about when the
# article was written, even after a paragraph of background dated years before.
NEWS_LEAD_DAYS = 10
# A statement told as past ("曾表示", "had said"; before its verb): not one made when the article was written.
_PAST_STATEMENT = re.compile(r"曾|\bhad\b", re.IGNORECASE)
# "最近"/"目前"/"刚刚": the article says the event is current, so the month of its reference date, exact,
# unless that date is in the first days of a month (then it may be the previous one: approximate).
RECENT_EXACT_AFTER_DAY = 7
# A launch, and a sentence placed just after or before one ("GPT-4o發布之後", "GPT-5发布会前").
_LAUNCH = re.compile(r"发布|推出|上线|亮相|问世|\b(?:released|launched|unveiled|introduced)\b", re.IGNORECASE)
_AROUND_LAUNCH = re.compile(r"\s*(?:的)?(?:正式)?(?:发布会?|推出|上线|问世|亮相)\s*(?:之|以)?(?:后|前)")
# "发布会之前,…" with no product named: the launch of the product the sentence before named.
_LONE_AROUND_LAUNCH = re.compile(r"\s*(?:在)?(?:正式)?(?:发布会?|推出|上线|问世|亮相)\s*(?:之|以)?(?:后|前)")
# Placed before another event, in the pluperfect ("在Sam被解职前,研究人员曾致信…", "Before Altman was fired,
# researchers had written …"): at or before the time in force, so only approximately then.
_BEFORE_EARLIER = re.compile(
    r"(?:在|于)[^，,。；;]{1,24}?(?:之)?前[^。；;]*?曾|\bbefore\b[^.;]*?\bhad\b", re.IGNORECASE
)
# Whole years counted back from the time of writing ("一年前", "兩年前", "3年前", "twenty years ago", in
# whatever form the extractor read the number): the extractor resolves the expression to a year, but as
# an item's date it is a rounded figure (a year ago from February may well be the December before), so
# the candidate is only approximately that year. Left as the extractor reads them: months, weeks and
# days counted back, and years counted back with a day or a month pinned after them ("一年前的今天",
# "两年前的3月", "ten years ago today", "two years ago in March").
_YEARS_AGO = re.compile(r"年前$|\byears?\s+ago$", re.IGNORECASE)
_MONTHS_EN = r"January|February|March|April|May|June|July|August|September|October|November|December"
_YEARS_AGO_PINNED = re.compile(
    r"\s*(?:的|之)?\s*(?:今天|今日|當天|当天|這一天|这一天|同一天|[0-9０-９一二三四五六七八九十]{1,3}\s*月)|"
    rf"\s*,?\s*(?:today|to the day|this (?:day|week|month)|(?:in|on|this|last|that)\s+(?:{_MONTHS_EN})|(?:{_MONTHS_EN})\b)",
    re.IGNORECASE,
)
# Words that place an undated sentence at the time of writing.
# "最新消息"/"the latest report": what a report just published says, dated by the time of writing.
_RECENT = re.compile(
    r"最近|近日|日前|刚刚|如今|眼下|目前|前些日子|不久前|本周|这周|上周|昨天|今天|最新(?:的)?(?:消息|报道|报导|爆料|披露)|"
    r"\b(?:recently|this week|last week|(?:the )?latest (?:reports?|news))\b"
)
# A part of the year still to come when the article was written ("年底" in August, "later this year"): a
# date mention naming it, in the reference's own year, is a plan or a prediction, not the time of an event.
_LATER_PART_OF_YEAR = (
    (re.compile(r"年底|年末|岁末|歲末|年终|年終|\b(?:end of (?:the|this) year|year-end|year's end)\b", re.IGNORECASE), 11),
    (re.compile(r"下半年|后半年|後半年|\b(?:second half|later this year)\b", re.IGNORECASE), 7),
)
# A news wire's dateline: the day the report was filed, not the day its sentence is about ("台北14日電",
# "北京时间1月22日早间消息", "Nov 22 (Reuters) -").
_DATELINE_ZH = re.compile(r"\s*(?:电|電|讯|訊|专电|專電|(?:早间|晚间|午间|早間|晚間|午間|凌晨)?消息|报道|報導|報道|报导)")
_DATELINE_EN = re.compile(r"\s*\((?:Reuters|AP|AFP|Bloomberg|Xinhua|CNA|Dow Jones)\)\s*[-–—]", re.IGNORECASE)
# Day words the extractor counts from the reference date; after a dateline they count from the dateline.
_DEICTIC_SHIFT = {"今天": 0, "今日": 0, "昨天": -1, "昨日": -1, "前天": -2, "前日": -2}
_WEEKDAY_WORD = re.compile(
    r"^(?:(?:周|週|星期|礼拜|禮拜)(?P<zh>[一二三四五六日天])|(?:on\s+)?(?P<en>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday))$",
    re.IGNORECASE,
)
_WEEKDAY_INDEX = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "monday": 0, "tuesday": 1,
                  "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}  # fmt: skip
# Intervals a sentence states: "从2015年到2019年", "2015年至2019年", "between 2019 and 2023", "from 2019 to
# 2023", and, up to the time of writing, "2019年至今", "from 2019 to the present". A bare "2019 and 2023"
# or "2019-2023" without "between"/"from" is a list or a range of the writer's, not proposed as one.
_INTERVAL_ZH_JOIN = re.compile(r"\s*(?:到|至|一直到|直到)\s*$")
_INTERVAL_EN_JOIN = re.compile(r"\s*(?:and|to|until|through|[-–—])\s*$", re.IGNORECASE)
_INTERVAL_EN_BARE_START = re.compile(
    r"\b(?:between|from)\s+(?P<year>(?:1[89]|2[01])\d\d)\s*(?:and|to|until|through|[-–—])\s*$", re.IGNORECASE
)
_INTERVAL_EN_OPENER = re.compile(r"\b(?:between|from)\s*$", re.IGNORECASE)
_INTERVAL_OPEN_END = re.compile(
    r"\s*(?:(?:一直)?(?:至今|到现在|到現在|到今天|迄今)|(?:to|until) (?:the present|today|now)\b)", re.IGNORECASE
)
# An interval stated across a clause: "从2016年开始…一直持续到2018年", "自2019年起…至今", "from 2016, … until
# 2018" (the opener right before the first date, the end word right before the second or later on).
_INTERVAL_OPENER_ZH = re.compile(r"(?:自|从|從)\s*$")
_INTERVAL_STARTS_ZH = re.compile(r"\s*(?:起|开始|開始|以来|以來)")
_INTERVAL_LATER_END_ZH = re.compile(r"(?:一直|持续|持續|延续|延續)*\s*(?:到|至|直到)\s*$")
_INTERVAL_OPENER_EN = re.compile(r"\bfrom\s*$", re.IGNORECASE)
_INTERVAL_LATER_END_EN = re.compile(r"\b(?:until|till|through)\s*$", re.IGNORECASE)
_INTERVAL_LATER_OPEN = re.compile(r"至今|到现在|到現在|到今天|迄今|\b(?:to|until) (?:the present|today|now)\b", re.IGNORECASE)
# Dates in a sentence that are not its event's, when another date is left to date it: the date of the
# report ("據路透社3月5日報道,…1月…", "Reuters reported on March 5 that … in January"), and a date inside a
# clause describing a noun ("2015年成立的谷歌研究院于2019年…", "Google, which Cook joined in 2015, … in 2019").
_REPORT_AFTER = re.compile(r"\s*(?:的)?(?:报道|報導|報道|报导|消息|披露|电|電)")
_REPORT_BEFORE_EN = re.compile(r"\b(?:reported|said|announced|wrote|disclosed)\s+(?:on\s+)?$", re.IGNORECASE)
_ATTRIBUTIVE_ZH = re.compile(r"[^，,。；;：:！!？?]{1,12}?的")
_RELATIVE_CLAUSE_EN = re.compile(r"\b(?:which|who|whom)\b[^,.;]*$", re.IGNORECASE)
# A month or day whose year is the anchor's, or the one after ("同年12月", "次年5月8日", "in May of the following
# year"): the extractor, reading the sentence alone, gives it the reference's year.
_YEAR_WORD_BEFORE = re.compile(r"(?P<word>同年|当年|當年|那年|那一年|这一年|這一年|次年|翌年|第二年|隔年)\s*$")
_YEAR_WORDS_AFTER = re.compile(r"\s*(?:of|in) (?P<word>the following year|the next year|that same year|the same year|that year)\b", re.IGNORECASE)
_NEXT_YEAR_WORDS = {"次年", "翌年", "第二年", "隔年", "the following year", "the next year"}
# Tag slug → words (folded: simplified script, casefolded) that suggest it.
TAG_WORDS = {
    "founding": ("成立", "创立", "创办", "创始", "founded", "founding"),
    "funding": ("投资", "融资", "估值", "美元", "资金", "invest", "funding", "valuation", "billion"),
    "governance": ("董事会", "解职", "罢免", "控制权", "营利", "board", "fired", "governance", "nonprofit"),
    "safety": ("安全", "对齐", "风险", "威胁", "safety", "alignment", "risk"),
    "product": ("发布", "推出", "上线", "产品", "用户", "chatgpt", "launch", "release", "product"),
    "research": ("论文", "研究", "模型", "算法", "训练", "paper", "research", "model"),
    "departures": ("离职", "离开", "出走", "辞职", "跑路", "退出", "left", "resign", "depart", "quit"),
    "people": ("学生", "教授", "生日", "家", "student", "professor"),
    "competition": ("谷歌", "竞争", "对手", "anthropic", "deepmind", "google", "rival", "compet"),
    "compute": ("算力", "gpu", "显卡", "芯片", "compute", "chips"),
    "openness": ("开源", "闭源", "开放", "open source", "open-source"),
    "agi-vision": ("agi", "超级智能", "通用人工智能", "superintelligence"),
    "q-star": ("q*", "q-star", "qstar", "q star"),
    "benchmark": ("基准", "测试", "评测", "benchmark", "sat", "奥数"),
}


@dataclass(frozen=True)
class PassageText:
    ordinal: int
    start: int  # offset into the source's cleaned text
    text: str


@dataclass(frozen=True)
class DateFound:
    """A date mention, with offsets into its passage (as ``timeline.models.DateMention``)."""

    passage: int  # ordinal
    start: int
    end: int
    date: str
    precision: str  # year, month, day
    approximate: bool


@dataclass(frozen=True)
class EraRange:
    slug: str
    start: datetime.date
    end: datetime.date


@dataclass
class Candidate:
    kind: str  # event or quote
    passage: int  # ordinal
    start: int  # code points into the passage text
    end: int
    exact: str
    prefix: str
    suffix: str
    date: str | None
    precision: str | None
    approximate: bool
    era: str | None
    people: list[str]
    organizations: list[str]
    tags: list[str]
    title: str
    summary: str
    score: float
    reasons: list[str]
    speaker: str | None = None  # entity slug
    speaker_name: str = ""  # the words that name or describe the speaker
    speaker_how: str = ""
    duplicate_of: list[dict] = field(default_factory=list)
    dismissed: bool = False
    # Other readings of the sentence's date, for the editor to choose with one click: [{"date", "why"}].
    alternatives: list[dict] = field(default_factory=list)

    @property
    def edtf(self) -> str | None:
        if self.date is None:
            return None
        return self.date + ("~" if self.approximate else "")

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "exact": self.exact,
            "prefix": self.prefix,
            "suffix": self.suffix,
            "passage": self.passage,
            "start": self.start,
            "end": self.end,
            "date": self.edtf,
            "precision": self.precision,
            "approximate": self.approximate,
            "era": self.era,
            "people": self.people,
            "organizations": self.organizations,
            "tags": self.tags,
            "speaker": self.speaker if self.speaker else (self.speaker_name or None),
            "speaker_known": bool(self.speaker),
            "title": self.title,
            "summary": self.summary,
            "score": round(self.score, 2),
            "duplicate_of": self.duplicate_of,
            "reasons": self.reasons,
            "alternatives": self.alternatives,
        }


@lru_cache(maxsize=4096)
def parse_fuzzy(edtf: str) -> FuzzyDate:
    """FuzzyDate.parse, cached: the edtf grammar takes tens of milliseconds a call, and values repeat."""
    return FuzzyDate.parse(edtf)


def era_for(edtf: str | None, eras: Sequence[EraRange]) -> tuple[str | None, str]:
    """The era containing the date, and why (or why none)."""
    if not edtf:
        return None, "no date, so no era"
    try:
        fuzzy = parse_fuzzy(edtf)
    except FuzzyDateError:
        return None, "date not understood"
    for era in eras:
        if era.start <= fuzzy.start and fuzzy.end <= era.end:
            return era.slug, f"era {era.slug} contains {edtf}"
    for era in eras:
        if era.start <= fuzzy.start <= era.end:
            return era.slug, f"era {era.slug} contains the start of {edtf} (the date runs past its end)"
    return None, f"no era contains {edtf}"


def _after_reference(date: Resolved, reference: datetime.date) -> bool:
    """Whether ``date`` begins after the reference date's own year/month/day (at its precision)."""
    year, month, day = (int(part.rstrip("~")) for part in (date.date.split("/")[0].split("-") + ["0", "0"])[:3])
    return (year, month or 0, day or 0) > (
        reference.year,
        reference.month if month else 0,
        reference.day if day else 0,
    )


def _later_this_year(words: str, date: Resolved, reference: datetime.date) -> bool:
    """Whether the mention ``words`` (dated ``date``, a year) names a part of the reference's year that had
    not begun when the article was written: "年底" in an article of August, "下半年" in one of March."""
    if date.precision != "year" or date.date.rstrip("~") != f"{reference.year:04d}":
        return False
    return any(pattern.search(words) and reference.month < begins for pattern, begins in _LATER_PART_OF_YEAR)


def _launch_dates(
    passages: Sequence[PassageText], by_passage: dict[int, list[DateFound]], reference: datetime.date | None
) -> dict[str, Resolved]:
    """Product (casefolded) → the date the article gives its launch, wherever in the article it does:
    a sentence with a date mention ("2024年5月,OpenAI发布了GPT-4o") or one that says it is recent
    ("前些日子發布的GPT-4o", the reference month)."""
    launched: dict[str, Resolved] = {}
    for passage in passages:
        for start, end in sentence_spans(passage.text):
            sentence = passage.text[start:end]
            folded = fold(sentence)
            products = [match.group(0).casefold() for match in _PRODUCT.finditer(sentence)]
            if not products or not _LAUNCH.search(folded):
                continue
            inside = [d for d in by_passage.get(passage.ordinal, []) if start <= d.start and d.end <= end]
            date = None
            if inside:
                first = min(inside, key=lambda d: d.start)
                date = Resolved(first.date, first.precision, first.approximate)
                if reference and _after_reference(date, reference):
                    date = None
            elif reference and _RECENT.search(folded):
                approximate = reference.day <= RECENT_EXACT_AFTER_DAY
                date = Resolved(f"{reference.year:04d}-{reference.month:02d}", "month", approximate)
            for product in products if date else ():
                launched.setdefault(product, date)
    return launched


def _about_then(anchor: Resolved) -> Resolved:
    """The time of ``anchor`` for an undated sentence that is still at it ("當時", the sentence right after):
    its month or year, approximately (a day is not kept: what happened around it took its own days)."""
    if anchor.precision == "day":
        return Resolved(anchor.date[:7], "month", True)
    return Resolved(anchor.date, anchor.precision, True)


def _after_launch(sentence: str, launched: dict[str, Resolved]) -> tuple[str, Resolved] | None:
    """"GPT-4o發布之後,…" / "GPT-4o发布会前": a sentence placed by a launch the article dated earlier."""
    folded = fold(sentence)
    for match in _PRODUCT.finditer(sentence):
        date = launched.get(match.group(0).casefold())
        around = _AROUND_LAUNCH.match(folded, match.end())
        if date is not None and around:
            return sentence[match.start() : around.end()], date
    return None


def _is_dateline(text: str, found: DateFound, sentence_start: int) -> bool:
    """Whether ``found`` is a wire dateline: a day at the head of its sentence followed by "電"/"消息"/"(Reuters) -"."""
    if found.precision != "day" or found.start - sentence_start > 40:
        return False
    return bool(_DATELINE_ZH.match(text, found.end) or _DATELINE_EN.match(text, found.end))


def _from_dateline(text: str, found: DateFound, dateline: DateFound) -> Resolved:
    """``found``'s date, with "昨天"/"周二"/"on Tuesday" counted from the dateline's day instead of the
    reference date (a report filed on the 14th and published on the 15th still means the 13th)."""
    word = text[found.start : found.end].strip()
    day = datetime.date.fromisoformat(dateline.date)
    if word in _DEICTIC_SHIFT:
        moved = day + datetime.timedelta(days=_DEICTIC_SHIFT[word])
        return Resolved(moved.isoformat(), "day", found.approximate)
    weekday = _WEEKDAY_WORD.match(word)
    if weekday:
        index = _WEEKDAY_INDEX[(weekday.group("zh") or weekday.group("en")).lower()]
        moved = day - datetime.timedelta(days=(day.weekday() - index) % 7)
        return Resolved(moved.isoformat(), "day", found.approximate)
    return Resolved(found.date, found.precision, found.approximate)


def _in_anchor_year(text: str, found: DateFound, anchor: Resolved | None) -> Resolved | None:
    """``found`` (a month or a day written without its year) placed in the anchor's year or the next by the
    words around it ("同年12月", "In May of the following year"), or None."""
    words = text[found.start : found.end]
    if anchor is None or found.precision == "year" or re.search(r"\d{4}|年", words):
        return None
    word = _YEAR_WORD_BEFORE.search(text, max(0, found.start - 6), found.start) or _YEAR_WORDS_AFTER.match(text, found.end)
    if word is None:
        return None
    if word.group("word") in ("当年", "當年") and text.startswith("的", found.end):
        return None
    year = int(anchor.date[:4]) + (1 if word.group("word").lower() in _NEXT_YEAR_WORDS else 0)
    return Resolved(f"{year:04d}{found.date[4:]}", found.precision, found.approximate)


def _main_mentions(text: str, inside: list[DateFound]) -> tuple[list[DateFound], list[str]]:
    """The date mentions that can date the sentence's event, and why others were left out: while another
    mention is left, a report's date and a date inside a clause describing a noun are not the event's."""
    kept, why = [], []
    for found in inside:
        words = text[found.start : found.end]
        attributive = _ATTRIBUTIVE_ZH.match(text, found.end)
        if _REPORT_AFTER.match(text, found.end) or _REPORT_BEFORE_EN.search(text, max(0, found.start - 20), found.start):
            why.append(f"“{words}” is the date of the report")
        elif attributive and _EVENT_VERBS.search(fold(attributive.group(0))):
            why.append(f"“{words}{attributive.group(0)}” describes a noun")
        elif _RELATIVE_CLAUSE_EN.search(text, max(0, found.start - 60), found.start) and text[found.end : found.end + 1] == ",":
            why.append(f"“{words}” is in a clause describing a noun")
        else:
            kept.append(found)
    return (kept, why) if kept else (inside, [])


def _interval(
    text: str, inside: list[DateFound], reference: datetime.date | None, sentence_end: int | None = None
) -> tuple[Resolved, str] | None:
    """The interval the sentence's first date mentions state, with the words that state it, or None."""
    first = inside[0]
    end: Resolved | None = None
    lead = _INTERVAL_EN_BARE_START.search(text, max(0, first.start - 24), first.start)
    if lead:  # "between 2019 and 2023": the extractor does not report a bare year a range opens with
        end = Resolved(first.date, first.precision, first.approximate)
        words = text[lead.start() : first.end]
        first = DateFound(first.passage, lead.start("year"), lead.end("year"), lead.group("year"), "year", False)
    elif len(inside) > 1:
        second = inside[1]
        between = text[first.end : second.start]
        opener = _INTERVAL_EN_OPENER.search(text, max(0, first.start - 12), first.start)
        if _INTERVAL_ZH_JOIN.match(between) or (opener and _INTERVAL_EN_JOIN.match(between)):
            end = Resolved(second.date, second.precision, second.approximate)
            words = text[first.start : second.end]
    if end is None and sentence_end is not None:
        # Across a clause: "从2016年开始…一直持续到2018年", "自2019年起…至今", "from 2016, … until 2018".
        zh = _INTERVAL_OPENER_ZH.search(text, max(0, first.start - 3), first.start) and _INTERVAL_STARTS_ZH.match(text, first.end)
        en = _INTERVAL_OPENER_EN.search(text, max(0, first.start - 8), first.start)
        later = inside[1] if len(inside) > 1 else None
        if (zh or en) and later is not None:
            closing = _INTERVAL_LATER_END_ZH if zh else _INTERVAL_LATER_END_EN
            if closing.search(text, max(first.end, later.start - 10), later.start):
                end = Resolved(later.date, later.precision, later.approximate)
                words = text[first.start : later.end]
        elif (zh or en) and reference is not None:
            open_end = _INTERVAL_LATER_OPEN.search(text, first.end, sentence_end)
            if open_end:
                parts = {"year": 1, "month": 2, "day": 3}[first.precision]
                end = Resolved("-".join(reference.isoformat().split("-")[:parts]), first.precision, False)
                words = text[first.start : open_end.end()]
    if end is None and reference is not None:
        open_end = _INTERVAL_OPEN_END.match(text, first.end)
        if open_end:
            parts = {"year": 1, "month": 2, "day": 3}[first.precision]
            end = Resolved("-".join(reference.isoformat().split("-")[:parts]), first.precision, False)
            words = text[first.start : open_end.end()]
    if end is None:
        return None
    start_only = FuzzyDate.parse(first.date + ("~" if first.approximate else ""))
    edtf = f"{first.date}{'~' if first.approximate else ''}/{end.date}{'~' if end.approximate else ''}"
    try:
        fuzzy = FuzzyDate.parse(edtf)
    except FuzzyDateError:
        return None
    if fuzzy.end <= start_only.end:
        return None  # "2023年11月17日到20日"-like readings that do not run forward
    return Resolved(edtf, first.precision, False), words


def _tags(folded: str, known: Iterable[str]) -> list[str]:
    lowered = folded.casefold()
    return [slug for slug in known if slug in TAG_WORDS and any(word in lowered for word in TAG_WORDS[slug])]


def _title(text: str) -> str:
    text = re.sub(r"(?:\[\d{1,3}\])+", "", text).strip().rstrip("。.!！?？;；,，")
    return text if len(text) <= TITLE_CHARS else text[: TITLE_CHARS - 1] + "…"


def _selector(text: str, start: int, end: int) -> tuple[str, str, str]:
    return text[start:end], text[max(0, start - CONTEXT_CHARS) : start], text[end : end + CONTEXT_CHARS]


def _entities(mentions: Iterable[Mention], kinds: tuple[str, ...]) -> list[str]:
    seen: list[str] = []
    for mention in mentions:
        if mention.kind in kinds and mention.slug not in seen:
            seen.append(mention.slug)
    return seen


def _is_news_lead(by_passage: dict[int, list[DateFound]], passages: Sequence[PassageText], reference) -> bool:
    """Whether the article opens on current news: its first date mention is a day shortly before (or on) the
    reference date."""
    if reference is None:
        return False
    for passage in passages:
        found = sorted(by_passage.get(passage.ordinal, []), key=lambda d: d.start)
        if found:
            first = found[0]
            if first.precision != "day" or "/" in first.date:
                return False
            try:
                day = datetime.date.fromisoformat(first.date.rstrip("~")[:10])
            except ValueError:
                return False
            return 0 <= (reference - day).days <= NEWS_LEAD_DAYS
    return False


def propose(
    passages: Sequence[PassageText],
    dates: Iterable[DateFound],
    *,
    index: EntityIndex,
    eras: Sequence[EraRange] = (),
    tags: Iterable[str] = (),
    reference: datetime.date | None = None,
) -> list[Candidate]:
    """Candidate events and quotes of one article, best first.

    ``reference`` is the source's reference date: "最近"/"recently" resolve to its month, and so does an
    event sentence of an article that has given no date at all before it (a report on current news).
    """
    tags = list(tags)
    by_passage: dict[int, list[DateFound]] = {}
    for found in dates:
        by_passage.setdefault(found.passage, []).append(found)
    candidates: list[Candidate] = []
    anchor: Resolved | None = None
    launched = _launch_dates(passages, by_passage, reference)
    previous_products: list[str] = []  # products the sentence before named (casefolded)
    now_said = False  # a sentence said it is current ("最近", "刚刚") and no date was given since
    news_lead = _is_news_lead(by_passage, passages, reference)
    # The story moved past its last date to a turning point it does not date ("直到ChatGPT發布"): nothing
    # is dated from context until a date is stated again.
    lost = False
    sentence_no = anchor_no = 0  # sentences so far, and the number of the one that set the anchor
    # Dates in force at each sentence, so quotes can borrow the date of their context.
    context_dates: list[tuple[int, Resolved | None, str]] = []  # (absolute start, date, how)
    for passage in passages:
        text = passage.text
        mentions = index.find(text)
        passage_dates = sorted(by_passage.get(passage.ordinal, []), key=lambda d: d.start)
        for start, end in sentence_spans(text):
            sentence = text[start:end]
            sentence_no += 1
            anchor_before = anchor
            turning = False
            inside = [d for d in passage_dates if start <= d.start and d.end <= end]
            reasons: list[str] = []
            date: Resolved | None = None
            later_this_year = False
            others: list[tuple[str, str]] = []  # (EDTF, why): the sentence's other readings of its date
            dateline = inside[0] if inside and _is_dateline(text, inside[0], start) else None
            if dateline and len(inside) > 1:
                # "台北14日電…昨天…": the date the sentence is about, counted from the dateline.
                first = inside[1]
                date = _from_dateline(text, first, dateline)
                others.append((dateline.date, f"the day of the dateline “{text[dateline.start:dateline.end]}”"))
                reasons.append(
                    f"dateline “{text[dateline.start:dateline.end]}”; date mention “{text[first.start:first.end]}” → {date.date}"
                )
                covered = sum(d.end - d.start for d in inside[1:])
                if covered * 2 >= len(sentence.strip()):
                    date = None
                    anchor = Resolved(first.date, first.precision, first.approximate)
            elif dateline:
                # Only a dateline: the day the report was filed; what it reports happened around then.
                month = dateline.date[:7]
                date = Resolved(month, "month", True)
                reasons.append(f"only the dateline “{text[dateline.start:dateline.end]}”: reported then, c. {month}")
            elif inside:
                main, left_out = _main_mentions(text, inside)
                first = main[0]
                in_year = _in_anchor_year(text, first, anchor)
                if in_year is not None:
                    first = dataclasses.replace(first, date=in_year.date)
                    reasons.append(f"the year of “{text[first.start:first.end]}” is told by the words around it, from {anchor.date}")
                date = Resolved(first.date, first.precision, first.approximate)
                reasons.extend(left_out)
                reasons.append(f"date mention “{text[first.start:first.end]}” → {first.date}")
                if (
                    not date.approximate and date.precision == "year"
                    and _YEARS_AGO.search(text[first.start : first.end].strip())
                    and not _YEARS_AGO_PINNED.match(text, first.end)
                ):
                    date = Resolved(date.date, date.precision, True)
                    reasons.append("whole years counted back from the time of writing: approximately that year")
                others.extend(
                    (d.date + ("~" if d.approximate else ""), f"date mention “{text[d.start:d.end]}”")
                    for d in inside if d is not first and d.start != first.start
                )
                later_this_year = reference is not None and _later_this_year(text[first.start : first.end], date, reference)
                covered = sum(d.end - d.start for d in inside)
                interval = _interval(text, main, reference, end)
                if covered * 2 >= len(sentence.strip()):
                    date = None  # a dateline or a list of dates, not an event
                    anchor = Resolved(first.date, first.precision, first.approximate)
                elif interval:
                    others.append((date.date + ("~" if date.approximate else ""), f"the start “{text[first.start:first.end]}” alone"))
                    date, words = interval
                    reasons.append(f"“{words}” states an interval → {date.date}")
            else:
                relative = find_relative(sentence)
                after_launch = _after_launch(sentence, launched)
                if relative and anchor:
                    date = resolve(relative, anchor.date, anchor.approximate)
                    reasons.append(
                        f"“{relative.text}” after the previous dated sentence ({anchor.date}) → {date.date}"
                    )
                elif after_launch:
                    phrase, date = after_launch
                    reasons.append(f"“{phrase}”: the launch the article dated before, {date.date}")
                elif _LONE_AROUND_LAUNCH.match(fold(sentence)) and not _PRODUCT.search(sentence):
                    named_before = [product for product in previous_products if product in launched]
                    if named_before:
                        date = launched[named_before[-1]]
                        reasons.append(
                            f"“{_LONE_AROUND_LAUNCH.match(fold(sentence)).group(0).strip()}”: the launch of "
                            f"{named_before[-1]} named just before, {date.date}"
                        )
                if date is None and is_turning_point(sentence):
                    # "直到ChatGPT發布": the story moves on to a time the article does not give.
                    turning, lost, anchor = True, True, None
                    reasons.append("a turning point the article does not date: no date from the context after it")
            in_sentence = [m for m in mentions if start <= m.start and m.end <= end]
            folded = fold(sentence)
            from_context = False
            named_thing = in_sentence or _PRODUCT.search(sentence)
            person_named = any(m.kind == "person" for m in in_sentence)
            speaker_named = person_named or (
                any(m.kind == "organization" for m in in_sentence) and bool(_IN_A_STATEMENT.search(folded))
            )
            eventful = _EVENT_VERBS.search(folded) or (speaker_named and _STATEMENT_VERBS.search(folded))
            # Someone saying something, with no other event verb: said about when the article was written.
            statement = bool(
                person_named and _STATEMENT_VERBS.search(folded) and not _EVENT_VERBS.search(_STATEMENT_VERBS.sub("", folded))
            )
            says = _STATEMENT_VERBS.search(folded) if speaker_named else None
            said_now = bool(
                news_lead and says and not _PAST_STATEMENT.search(folded, 0, says.start()) and not THEN.search(sentence)
            )
            moved_on = MOVED_ON.search(sentence) if date is None else None
            if moved_on:
                anchor_no = -NEAR_ANCHOR_SENTENCES - 1  # "后来", "到了秋天": the anchor's month no longer holds
            if date is None and named_thing and eventful and len(sentence) >= MIN_EVENT_CHARS and not turning:
                # An undated event sentence: the date in force around it.
                # In a statement, "刚刚"/"如今" after the verb are the speaker's words, not the time of the event.
                verb = _STATEMENT_VERBS.search(folded) if statement else None
                recent = _RECENT.search(folded, 0, verb.start() if verb else len(folded))
                then = THEN.search(sentence)
                if then and recent and recent.group(0).lower() in RECENT_THEN:
                    recent = None  # "當時,Meta剛剛推出…": just before then, not now
                if then and not recent:
                    # "當時"/"at the time": the time the story established, at its precision; with nothing
                    # dated before, an unnamed past (not the time of writing).
                    if anchor:
                        date = _about_then(anchor)
                        reasons.append(f"“{then.group(0).strip(' ,;:')}”: the date in force, {anchor.date}, approximately")
                        from_context = True
                    else:
                        reasons.append(f"“{then.group(0).strip(' ,;:')}” with no date stated before it: no date")
                elif lost and not recent:
                    reasons.append("after a turning point the article does not date: no date")
                elif reference and (recent or anchor is None):
                    # Said to be current (here, or earlier with no date given since): the reference month,
                    # exact when the reference date is far enough into its month; with nothing dated
                    # before it and nothing said to be current, only approximately then.
                    approximate = not (recent or now_said and not statement) or reference.day <= RECENT_EXACT_AFTER_DAY
                    date = Resolved(f"{reference.year:04d}-{reference.month:02d}", "month", approximate)
                    why = f"“{recent.group(0)}”" if recent else "no date given before it"
                    reasons.append(f"{why}: the month of the article's reference date, {date.date}{'~' if approximate else ''}")
                    from_context = True
                elif said_now and reference:
                    # A report on current news: what its people say is their reaction, made about when the
                    # article was written, though background dated earlier came between.
                    date = Resolved(f"{reference.year:04d}-{reference.month:02d}", "month", True)
                    if anchor:
                        others.append((anchor.date + "~", f"the date in force, {anchor.date}"))
                    reasons.append(f"said in a report on current news: c. the article's reference month {date.date}")
                    from_context = True
                elif (
                    anchor and reference and anchor.date[:4] == f"{reference.year:04d}" and statement
                    and not _PAST_STATEMENT.search(folded, 0, _STATEMENT_VERBS.search(folded).start())
                    and (
                        anchor.precision == "year"
                        or moved_on or sentence_no - anchor_no > NEAR_ANCHOR_SENTENCES
                    )
                ):
                    # Someone saying something while the article's own year is in force (its year, or a
                    # month of it stated a while before): an interview's statement or a reaction to the
                    # news reported, made about when the article was written. Right after a dated
                    # sentence it belongs to that date instead (below).
                    date = Resolved(f"{reference.year:04d}-{reference.month:02d}", "month", True)
                    if anchor.precision != "year":
                        others.append((anchor.date[:4] + "~", f"the year of the date in force, {anchor.date}"))
                    reasons.append(f"a statement in the article's year ({anchor.date}): c. its reference month {date.date}")
                    from_context = True
                elif anchor and reference and anchor.precision != "year" and anchor.date[:7] == reference.isoformat()[:7]:
                    # The last stated date is in the month the article was written: the story cannot have
                    # moved past the time of writing, so it is still that month.
                    date = Resolved(anchor.date[:7], "month", anchor.approximate)
                    reasons.append(f"undated; in the context of {anchor.date}, the month the article was written")
                    from_context = True
                elif anchor and reference and person_named and VIEW_NOW.search(folded):
                    # A view in the present progressive ("在Greg看来,…正在改变…"): said when the article
                    # was written, not at the old date the story last stated.
                    date = Resolved(f"{reference.year:04d}-{reference.month:02d}", "month", True)
                    others.append((anchor.date + "~", f"the date in force, {anchor.date}"))
                    reasons.append(f"a view in the present tense: c. the article's reference month {date.date}")
                    from_context = True
                elif (
                    anchor and anchor.precision != "year" and not moved_on and sentence_no - anchor_no <= NEAR_ANCHOR_SENTENCES
                ):
                    # Right after its anchor's sentence ("2023年7月,…。然而,伊利亞認為…"): still that time.
                    date = _about_then(anchor)
                    others.append((anchor.date[:4] + "~", f"the year of the date in force, {anchor.date}"))
                    reasons.append(f"undated; {sentence_no - anchor_no} sentence(s) after {anchor.date}, so c. then")
                    from_context = True
                elif anchor:
                    # A narrative's last stated date stays in force until the next one, but a story moves
                    # on between its dates: of a month or day only the year is kept, approximately.
                    year = anchor.date[:4]
                    date = Resolved(year, "year", True)
                    if anchor.precision != "year":
                        others.append((anchor.date + "~", f"the date in force, {anchor.date}, kept at its precision"))
                    reasons.append(f"undated; in the context of {anchor.date}, so c. {year}")
                    from_context = True
            elif date is not None:
                if reference and (later_this_year or _after_reference(date, reference)):
                    # A date after the article was written is a plan or a prediction, made when it was
                    # written: the event is the statement, dated by the article (and no anchor).
                    reasons.append(f"{date.date} is after the article's reference date: a prediction or plan")
                    others.append((date.date + ("~" if date.approximate else ""), "the date the plan or prediction names"))
                    date = Resolved(f"{reference.year:04d}-{reference.month:02d}", "month", True)
                elif "/" in date.date:  # an interval: what follows is told from its end
                    last = date.date.split("/")[1]
                    precision = ("year", "month", "day")[last.rstrip("~").count("-")]
                    anchor = Resolved(last.rstrip("~"), precision, last.endswith("~"))
                else:
                    anchor = date
            if from_context and date is not None and not date.approximate and _BEFORE_EARLIER.search(folded):
                date = Resolved(date.date, date.precision, True)
                reasons.append("placed before another event, in the pluperfect: approximately")
            previous_products = [match.group(0).casefold() for match in _PRODUCT.finditer(sentence)]
            if _RECENT.search(folded):
                now_said = True
            elif inside or date is not None and not from_context:
                now_said = False
            if anchor is not anchor_before and anchor is not None:
                anchor_no, lost = sentence_no, False
            context_dates.append((passage.start + start, anchor, "context"))
            if date is None or len(sentence) < MIN_EVENT_CHARS:
                continue
            score = -0.5 if from_context else 1.0
            people = _entities(in_sentence, ("person",))
            organizations = _entities(in_sentence, ("organization",))
            named = len(set(people) | set(organizations) | {m.slug for m in in_sentence})
            if named:
                score += min(named, 3)
                reasons.append(f"names {named} known entit{'y' if named == 1 else 'ies'}")
            if _EVENT_VERBS.search(folded):
                score += 1.5
                reasons.append("has an event verb")
            score += 0.5 * PRECISION_ORDER[date.precision]
            if len(sentence) > 160:
                score -= 1
            edtf = date.date + ("~" if date.approximate else "")
            era, why = era_for(edtf, eras)
            reasons.append(why)
            exact, prefix, suffix = _selector(text, start, end)
            alternatives: list[dict] = []
            for other, other_why in others:
                if other != edtf and other not in (a["date"] for a in alternatives) and len(alternatives) < MAX_ALTERNATIVES:
                    alternatives.append({"date": other, "why": other_why})
            candidates.append(
                Candidate(
                    kind="event",
                    passage=passage.ordinal,
                    start=start,
                    end=end,
                    exact=exact,
                    prefix=prefix,
                    suffix=suffix,
                    date=date.date,
                    precision=date.precision,
                    approximate=date.approximate,
                    era=era,
                    people=people,
                    organizations=organizations,
                    tags=_tags(folded, tags),
                    title=_title(sentence),
                    summary=sentence,
                    score=score,
                    reasons=reasons,
                    alternatives=alternatives,
                )
            )
    candidates.extend(_quotes(passages, index=index, eras=eras, tags=tags, context_dates=context_dates))
    candidates.sort(key=lambda c: (-c.score, c.passage, c.start, c.kind))
    return candidates


def _block_quotes(whole: str, offsets, marked) -> list[Quote]:
    """A paragraph introduced by a colon at the end of the one before ("Ilya在一次访谈中提到:"), quoted
    without quotation marks, as a block quote is."""
    blocks = []
    inside_marks = [(q.open_at, q.close_at) for q in marked]
    for (_base, passage), following in zip(offsets, offsets[1:], strict=False):
        if not passage.text.rstrip().endswith((":", "：")):
            continue
        start, paragraph = following[0], following[1].text
        if not paragraph or paragraph[0] in "“「『\"" or len(paragraph) > BLOCK_QUOTE_CHARS:
            continue
        if any(start <= open_at <= start + len(paragraph) for open_at, _ in inside_marks):
            continue
        end = start + len(paragraph)
        trailing = _CITATION_TAIL.search(whole, start, end)
        if trailing:
            end = trailing.start()
        blocks.append(Quote(start, end, start - 1, start + len(paragraph)))
    return blocks


def _quotes(passages, *, index, eras, tags, context_dates) -> list[Candidate]:
    """Quote candidates, found on the whole text so a colon at the end of a paragraph still introduces."""
    if not passages:
        return []
    pieces, offsets = [], []
    cursor = 0
    for passage in passages:
        offsets.append((cursor, passage))
        pieces.append(passage.text)
        cursor += len(passage.text) + 2
    whole = "\n\n".join(pieces)
    mentions = index.find(whole)
    candidates = []
    marked = find_quotes(whole)
    blocks = _block_quotes(whole, offsets, marked)
    for quote in [*marked, *blocks]:
        inner = whole[quote.start : quote.end]
        if len(inner) < MIN_QUOTE_CHARS:
            continue
        speaker = attribute(whole, quote, mentions, index)
        if quote in blocks and (speaker is None or not speaker.how.startswith(("before-verb", "colon"))):
            continue
        reasons = []
        score = 2.0
        if speaker is None:
            if len(inner) < UNATTRIBUTED_QUOTE_CHARS:
                continue
            # The person the passage is about (the last one named shortly before), else any name close by.
            people_near = [
                m for m in mentions
                if quote.open_at - CONTEXT_PERSON_CHARS <= m.start and m.end <= quote.open_at and m.kind in ("person", "group")
            ]
            nearby = people_near or [m for m in mentions if quote.open_at - 100 <= m.start and m.end <= quote.open_at]
            if not nearby:
                continue
            near = nearby[-1]
            speaker_slug, speaker_name, how = near.slug, whole[near.start : near.end], "context"
            score -= 1
            reasons.append(f"no attribution; the last {'person' if people_near else 'name'} named before it is {speaker_name}")
        else:
            speaker_slug, speaker_name, how = speaker.slug, speaker.name, speaker.how
            reasons.append(f"speaker {speaker_slug or speaker_name!r} ({speaker.how})")
            score += 1.5 if speaker_slug else 0.5
            if speaker.how.startswith(("sentence", "previous")):
                score -= 1.5
        if len(inner) < 6:
            score -= 1
        base, passage = max((o for o in offsets if o[0] <= quote.start), key=lambda o: o[0])
        start = quote.start - base
        end = min(quote.end - base, len(passage.text))
        exact, prefix, suffix = _selector(passage.text, start, end)
        absolute = passage.start + start
        in_force = [entry for entry in context_dates if entry[0] <= absolute]
        date = in_force[-1][1] if in_force else None
        if date:
            reasons.append(f"date of the context: {date.date}")
        edtf = date.date + ("~" if date.approximate else "") if date else None
        era, why = era_for(edtf, eras)
        reasons.append(why)
        sentence_mentions = [m for m in mentions if quote.open_at - 80 <= m.start and m.end <= quote.close_at + 30]
        people = _entities(sentence_mentions, ("person",))
        if speaker_slug and index.kinds.get(speaker_slug) == "person" and speaker_slug not in people:
            people.insert(0, speaker_slug)
        candidates.append(
            Candidate(
                kind="quote",
                passage=passage.ordinal,
                start=start,
                end=end,
                exact=exact,
                prefix=prefix,
                suffix=suffix,
                date=date.date if date else None,
                precision=date.precision if date else None,
                approximate=date.approximate if date else False,
                era=era,
                people=people,
                organizations=_entities(sentence_mentions, ("organization",)),
                tags=_tags(fold(exact), tags),
                title=_title(f"{speaker_name}：“{exact}”" if speaker_name else exact),
                summary=exact,
                score=score,
                reasons=reasons,
                speaker=speaker_slug,
                speaker_name=speaker_name,
                speaker_how=how,
            )
        )
    return candidates
