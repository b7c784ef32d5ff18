"""Relative dates anchored on the previous dated sentence: ``兩個月后``, ``3天后``, ``次年``, ``a month later``.

The date extractor (``timeline.ingest.extract_dates``) deliberately does not report event-relative
offsets, because they mean nothing without the story around them. Here they are found and resolved
against the date of the last dated sentence before them (the *anchor*), honestly:

* the result is never finer than the unit counted or the anchor: "3天后" after a day is a day, after a
  month it is that month (approximate), after a year that year (approximate); "兩個月后" after
  2018-02 is 2018-04, after a bare year it is still only a year (approximate);
* vague counts ("几天后", "数月后", "a few weeks later", "半年后") are approximate;
* "同年"/"当年"/"that same year" repeat the anchor's year ("当年" only where a clause starts: "當年的
  AlphaGo" is "back then"); "次年"/"the following year" add one;
* hours ("數小時後", "106個小時后") count as days and are always approximate;
* offsets go backwards too: "此前一天"/"前一天"/"此前三天"/"a day earlier"/"two weeks before"/"the day
  before"/"the previous month" ("三天前" alone counts from the time of writing: the extractor's);
* "同时"/"与此同时"/"at the same time"/"simultaneously" are the anchor itself, at its precision ("同时期",
  "同时代" are not);
* "隔月" is the next month; "the following Tuesday"/"隔週二" the first such weekday after the anchor's day
  (after a month or a year only that, approximately).

Dates are (year, month or None, day or None, approximate) tuples, as the extractor's strings
``YYYY``/``YYYY-MM``/``YYYY-MM-DD`` read.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}  # fmt: skip
_EN_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
               "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}  # fmt: skip
_VAGUE = {"几", "幾", "数", "數", "多", "a few", "few", "several", "some"}

_ZH_COUNT = r"(?P<n>\d{1,3}|[一二两兩三四五六七八九十]{1,3}|半|几|幾|数|數)"
_ZH_UNIT = r"(?P<unit>天|日|周|週|星期|个月|個月|月|年|个小时|個小時|小时|小時|钟头|鐘頭)"
_ZH_RELATIVE = re.compile(
    _ZH_COUNT + r"\s*(?:多)?\s*" + _ZH_UNIT + r"\s*(?:多)?\s*(?:之|以)?(?:后|後)(?!来|來|悔|果|面|者|端|续|續)"
)
_ZH_NAMED = re.compile(
    r"(?P<word>次年|翌年|第二年|隔年|同年|当年|當年|那一年|那年|这一年|這一年|同月|当月|當月|次月|翌月|隔月"
    r"|第二天|次日|翌日|隔天|当天|當天|同一天|同日|与此同时|與此同時|同时(?![期代间間])|同時(?![期代间間])"
    r"|(?:此前|之前|在此之前|早)一(?:天|日)|(?<![一二三四五六七八九十\d])前一(?:天|日)|前一年|前一个月|前一個月)"
)
# Counted offsets backwards from the anchor: "此前三天", "两个月前" only after 此/之/在此 ("三天前" alone is
# counted from the time of writing, which the date extractor handles).
_ZH_BEFORE = re.compile(
    r"(?:此前|之前|在此之前|早)\s*" + _ZH_COUNT + r"\s*(?:多)?\s*" + _ZH_UNIT
)
_EN_RELATIVE = re.compile(
    r"\b(?P<n>\d{1,3}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a few|few|several)"
    r"\s+(?P<unit>hours?|days?|weeks?|months?|years?)\s+(?P<way>later|after that|afterwards?|earlier|before that|before)\b",
    re.IGNORECASE,
)
_WEEKDAYS_EN = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAYS_ZH = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
# "The following Tuesday", "the next Friday", "隔週二", "次周三": the first such weekday after the anchor.
_EN_WEEKDAY = re.compile(
    r"\b(?:the\s+)?(?:following|next)\s+(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b",
    re.IGNORECASE,
)
_ZH_WEEKDAY = re.compile(r"(?:隔周|隔週|次周|次週|下一周|下一週)(?:的)?(?:星期|周|週)?(?P<wd>[一二三四五六日天])")
_EN_NAMED = re.compile(
    r"\b(?P<word>the (?:following|next) (?:day|month|year)|(?:that|the) same (?:day|month|year)"
    r"|later that (?:month|year)|the day after|the day before|the previous (?:day|month|year)"
    r"|at the same time|simultaneously)\b",
    re.IGNORECASE,
)

# "当年" is "that same year" only where a clause starts ("当年10月,…"); inside one, and before "的", it is
# "back then".
_BACK_THEN = {"当年", "當年"}
_BACK_THEN_AS_DATE = re.compile(r"^(?:.*[，,。；;：:!！?？\n])?\s*(?:就在|也是|而|在)?\s*$", re.DOTALL)

# "同时" after a modal or a contrast ("能夠同時追求A和B", "但同时给了…") is "both at once" inside its own
# clause, not "at the time of the sentence before".
_SAME_TIME = {"同时", "同時"}
_BOTH_AT_ONCE = re.compile(r"(?:能够|能夠|可以|能|会|會|得以|须|須|要|但|却|卻|又|并|並|也)\s*$")

# word → (unit, count); count 0 repeats the anchor's unit
_NAMED = {
    "次年": ("year", 1), "翌年": ("year", 1), "第二年": ("year", 1), "隔年": ("year", 1),
    "同年": ("year", 0), "当年": ("year", 0), "當年": ("year", 0), "那一年": ("year", 0), "那年": ("year", 0),
    "这一年": ("year", 0), "這一年": ("year", 0),
    "同月": ("month", 0), "当月": ("month", 0), "當月": ("month", 0), "次月": ("month", 1), "翌月": ("month", 1),
    "隔月": ("month", 1), "此前一天": ("day", -1), "之前一天": ("day", -1), "在此之前一天": ("day", -1),
    "早一天": ("day", -1), "前一天": ("day", -1), "此前一日": ("day", -1), "之前一日": ("day", -1),
    "在此之前一日": ("day", -1), "早一日": ("day", -1), "前一日": ("day", -1), "前一年": ("year", -1),
    "前一个月": ("month", -1), "前一個月": ("month", -1),
    "the day before": ("day", -1), "the previous day": ("day", -1), "the previous month": ("month", -1),
    "the previous year": ("year", -1),
    "第二天": ("day", 1), "次日": ("day", 1), "翌日": ("day", 1), "隔天": ("day", 1), "当天": ("day", 0),
    "當天": ("day", 0), "同一天": ("day", 0), "同日": ("day", 0),
    # "同时"/"at the same time": the anchor itself, at its own precision (a day after a day, a month after a month)
    "同时": ("day", 0), "同時": ("day", 0), "与此同时": ("day", 0), "與此同時": ("day", 0),
    "at the same time": ("day", 0), "simultaneously": ("day", 0),
    "the following day": ("day", 1), "the next day": ("day", 1), "the day after": ("day", 1),
    "the following month": ("month", 1), "the next month": ("month", 1),
    "the following year": ("year", 1), "the next year": ("year", 1),
    "that same day": ("day", 0), "the same day": ("day", 0), "that same month": ("month", 0),
    "the same month": ("month", 0), "later that month": ("month", 0), "that same year": ("year", 0),
    "the same year": ("year", 0), "later that year": ("year", 0),
}  # fmt: skip

_ZH_UNITS = {"天": "day", "日": "day", "周": "week", "週": "week", "星期": "week", "个月": "month",
             "個月": "month", "月": "month", "年": "year", "个小时": "hour", "個小時": "hour", "小时": "hour",
             "小時": "hour", "钟头": "hour", "鐘頭": "hour"}  # fmt: skip

PRECISION_ORDER = {"year": 0, "month": 1, "day": 2}


@dataclass(frozen=True)
class RelativeDate:
    text: str
    start: int
    end: int
    unit: str  # hour, day, week, month, year
    count: float  # 0 = the same unit as the anchor; 0.5 for 半
    vague: bool


@dataclass(frozen=True)
class Resolved:
    date: str  # YYYY, YYYY-MM or YYYY-MM-DD
    precision: str  # year, month, day
    approximate: bool


def _zh_count(token: str) -> tuple[float, bool]:
    if token.isdigit():
        return float(int(token)), False
    if token == "半":
        return 0.5, True
    if token in _VAGUE:
        return 3.0, True
    if "十" in token:
        tens, _, units = token.partition("十")
        return float((_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(units, 0) if units else 0)), False
    return float(_CN_DIGITS.get(token, 1)), False


def find_relative(text: str) -> RelativeDate | None:
    """The first event-relative date expression in ``text``, or None."""
    found: list[RelativeDate] = []
    for match in _ZH_RELATIVE.finditer(text):
        count, vague = _zh_count(match.group("n"))
        unit = _ZH_UNITS[match.group("unit")]
        if match.group(0).find("多") >= 0:
            vague = True
        if unit == "year" and count == 0.5:
            unit, count = "month", 6.0
        found.append(RelativeDate(match.group(0), match.start(), match.end(), unit, count, vague))
        break
    for match in _ZH_NAMED.finditer(text):
        if match.group("word") in _BACK_THEN and not _BACK_THEN_AS_DATE.match(text, 0, match.start()) or (
            match.group("word") in _BACK_THEN and text.startswith("的", match.end())
        ):
            continue  # "他提到,當年的AlphaGo…", "當年未竟的野心": "back then", not "that same year"
        if match.group("word") in _SAME_TIME and _BOTH_AT_ONCE.search(text, 0, match.start()):
            continue
        unit, count = _NAMED[match.group("word")]
        found.append(RelativeDate(match.group(0), match.start(), match.end(), unit, float(count), False))
        break
    for match in _ZH_BEFORE.finditer(text):
        count, vague = _zh_count(match.group("n"))
        unit = _ZH_UNITS[match.group("unit")]
        if unit == "year" and count == 0.5:
            unit, count = "month", 6.0
        found.append(RelativeDate(match.group(0), match.start(), match.end(), unit, -count, vague or "多" in match.group(0)))
        break
    for match in _EN_RELATIVE.finditer(text):
        token = match.group("n").lower()
        vague = token in _VAGUE
        count = float(token) if token.isdigit() else 3.0 if vague else float(_EN_NUMBERS.get(token, 1))
        if not match.group("way").lower().startswith(("later", "after")):
            count = -count  # "a day earlier", "two weeks before"
        unit = match.group("unit").lower().rstrip("s")
        found.append(RelativeDate(match.group(0), match.start(), match.end(), unit, count, vague))
        break
    for match in _EN_WEEKDAY.finditer(text):
        weekday = _WEEKDAYS_EN.index(match.group("wd").lower())
        found.append(RelativeDate(match.group(0), match.start(), match.end(), "weekday", float(weekday), False))
        break
    for match in _ZH_WEEKDAY.finditer(text):
        weekday = _WEEKDAYS_ZH[match.group("wd")]
        found.append(RelativeDate(match.group(0), match.start(), match.end(), "weekday", float(weekday), False))
        break
    for match in _EN_NAMED.finditer(text):
        unit, count = _NAMED[match.group("word").lower()]
        found.append(RelativeDate(match.group(0), match.start(), match.end(), unit, float(count), False))
        break
    return min(found, key=lambda r: r.start) if found else None


def parse_date(value: str) -> tuple[int, int | None, int | None]:
    parts = [int(part) for part in value.split("-")]
    return parts[0], (parts[1] if len(parts) > 1 else None), (parts[2] if len(parts) > 2 else None)


def _format(year: int, month: int | None = None, day: int | None = None) -> str:
    if month is None:
        return f"{year:04d}"
    if day is None:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    total = year * 12 + (month - 1) + months
    return total // 12, total % 12 + 1


def resolve(relative: RelativeDate, anchor: str, anchor_approximate: bool = False) -> Resolved:
    """The date ``relative`` denotes after the anchor date ``anchor`` (YYYY, YYYY-MM or YYYY-MM-DD)."""
    year, month, day = parse_date(anchor)
    approximate = anchor_approximate or relative.vague
    unit, count = relative.unit, relative.count
    if unit == "weekday":  # "the following Tuesday": the first such weekday after the anchor's day
        if month is None or day is None:
            return Resolved(_format(year, month), "month" if month else "year", True)
        base = datetime.date(year, month, day)
        count = (int(count) - base.weekday() - 1) % 7 + 1
        unit = "day"
    if unit == "week":
        unit, count = "day", count * 7
    if unit == "hour":  # "數小時後": the same day; "106個小時后": days, and never sure of the day
        if count < 24 and day is not None:
            return Resolved(_format(year, month, day), "day", anchor_approximate)
        unit, count, approximate = "day", count / 24, approximate or day is not None
    if unit == "year":
        return Resolved(_format(year + int(count)), "year", approximate)
    if unit == "month":
        if month is None:  # months after a bare year: only the year is known, and not even that surely
            months = int(round(count))
            return Resolved(_format(year), "year", True if months else approximate)
        if count != int(count):
            approximate = True
        y, m = _add_months(year, month, int(round(count)))
        return Resolved(_format(y, m), "month", approximate)
    # days
    if month is None:
        return Resolved(_format(year), "year", True if count else approximate)
    if day is None:
        if abs(count) >= 28:
            y, m = _add_months(year, month, int(round(count / 30)))
            return Resolved(_format(y, m), "month", True)
        # Less than a week after a month is told as that month ("3天后", "106個小時后" after "2024年5月"); more
        # may be the next one.
        return Resolved(_format(year, month), "month", True if abs(count) >= 7 else approximate)
    moved = datetime.date(year, month, min(day, calendar.monthrange(year, month)[1])) + datetime.timedelta(
        days=int(round(count))
    )
    return Resolved(_format(moved.year, moved.month, moved.day), "day", approximate)
