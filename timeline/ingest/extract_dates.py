"""Find date mentions in Chinese (simplified and traditional) and English text.

``extract_dates(text, reference=...)`` returns every date expression with its code-point offsets, the
date it denotes ("YYYY", "YYYY-MM" or "YYYY-MM-DD"), its precision and whether it is approximate.
Relative expressions are always resolved against ``reference``, never against today, so the result
is deterministic.

Why not just dateparser: ``dateparser.parse("2015年")`` returns year 9 (dateparser issue #866), and
``dateparser.search.search_dates`` turns model names ("GPT-5"), amounts and ratios into dates. So
candidate spans are found here with strict patterns, and dateparser is only asked to read English
spans the patterns already accepted (month names, "3 months ago", "last year"), where it is right.
Chinese expressions are resolved with plain calendar arithmetic.

Decisions the rest of the code base relies on:

* Month without a year (``5月``, ``7月份``, ``十一月``, ``in November``) is the nearest month at or
  before the reference month; month-day without a year (``5月13日``, ``November 22``) the nearest day
  at or before the reference day -- except a Chinese one at most 14 days after the reference in a
  sentence without a past marker (``于12月12日开始`` in an article of 4 December is this year's). After a future marker in the same clause it is the nearest at or after
  it: Chinese ``将于``, ``預計將於``, ``计划在`` … even a few words before the date (``將於台灣時間15日``), bare
  ``将``/``预计`` only right before it; English ``will``, ``is set to``, ``is scheduled``, ``plans to`` …
  within the sentence. The nearest tense word decides (``将推出…，已于15日``: past), and a day at most a
  week past stays past rather than moving a year ahead. Weaker evidence -- a wish, a delay or an entry
  into force next to the date (``希望在…前``, ``可能延到7月以後``, ``自4月1日起生效``, ``…后的2月5日``) or a
  future marker anywhere in a Chinese sentence that has no past marker (``2月5日，A股将迎来…``) -- takes
  the nearer of the two readings (a weekday: the coming one next to such a marker, else the nearer). The
  end of a range (``將於11月3日至5日``) follows its start's reading. An English date without a tense word
  before it takes the tense of the words after it only when it opens its sentence ("On March 5, OpenAI
  will ..."; not "closed a round on Oct. 2 ... and must complete ..."); a full stop after an abbreviation
  (``Nov.``, ``U.S.``, ``a.m.``) does not end the sentence. English ``would``/``could``/``may``, ``postponed``,
  ``delayed``, ``aims to`` are the weaker evidence ("said it would launch on Dec. 12": the nearer Dec. 12), and
  so are a date set for an event ahead ("set a status conference for March 25", "scheduled a hearing for") and
  the present tense of a scheduled event ("goes on sale on Sept. 24", "holds its event on Sept. 15", "runs
  Nov. 18 to 21", "reports earnings on", "the event is Dec. 3-5"; weak, because a headline's present may mean
  the past). "plans a ..." is a future marker, and so are Chinese ``安排在``, ``定在``, ``排定``.
* Both ends of a day range are reported: ``Nov. 18 to 21``, ``March 3-5, 2025``, ``Dec. 30 to Jan. 2``,
  ``18 to 21 November 2024``, ``between Aug. 3 and 5``, ``3月5日至7日``, ``3月5至7日``, ``去年10月8-10日``,
  ``本月8至10日``, ``将在5至7日``, ``二〇二五年十一月五日至十日``, and lists of days (``9月15、16日``). The
  start is read like any date; the end is the first such day not before it (in the start's month, or the
  next one when its number is smaller: ``30日至2日``), and a year after an English range belongs to its end
  (the start is the last such day before it). Not ranges of days: ``18 to 21 percent``, ``5至7万名``,
  ``需要5至7日``/``三至五日`` (counts), ``第5至7日``, ``每月5至7日``, "Nov. 3 and 5 people".
* ``今年7月`` / ``明年`` name their year explicitly, so they may lie after the reference.
* ``N年前`` / ``N years ago`` have year precision, ``N個月前`` / ``N months ago`` month precision,
  ``N天前`` / ``N days ago`` day precision; none is approximate. ``半年前`` is month precision, approximate.
  Weeks are countable too: ``两周前``/``三個星期前``/``two weeks ago`` is that many times seven days back, day precision,
  approximate (a week is not a unit of the date grammar, and "two weeks" is rarely meant to the day).
  ``3天后``/``两周后`` count from the reference only in a plan (``将在3天后推出``, ``两周后将发布``); in a
  narrative (``5 天后他又回到了公司``, ``上线一周后``) they count from the event before them and are not
  reported; nor, even in a plan, when an event is named right before the count (``预计将在出生满100天后与游客见面``,
  ``将在发布30天后生效``, ``签署90天后``, ``届满30天后``): the event's own date is not given.
* Vague parts of a year (``年底``, ``年初``, ``上半年`` -- without a year, the reference's unless the
  sentence names another --, ``今年稍早``, ``late 2023``, ``late last year``,
  ``the first half of 2025``, ``约2015年``, ``2015年左右``) keep year precision and set ``approximate``;
  vague parts of a month (``5月初``, ``5月下旬``, ``11月中``, ``本月稍早``, ``月底`` without a month,
  ``mid-November 2023``, ``the start of next month``) keep month precision and set ``approximate``.
* Seasons (``2026年春季``, ``去年夏天``, ``今春``, ``spring 2026``, ``the fall of 2024``, ``last summer``) are
  the year, approximate: ``timeline/dates.py`` refuses EDTF seasons, and a season is a vague part of its
  year. Winter counts in the year of its January; ``last``/``next`` season is the latest one over / the
  first one not begun. A season word that starts a name (``春节``, ``冬奥会``) leaves the plain year.
* Decades (``上世纪80年代``, ``90年代``, ``1980年代``, ``the 1980s``) are reported as the decade's first
  year, year precision, approximate. A two-digit decade is the latest one not after the reference.
  Bare centuries are not reported.
* Bare four-digit years followed by ``年`` count only within 1900-2100 (``1500年历史`` is a duration);
  a year with a month may be 1000-2999. English bare years need a preposition or a phrase like one (``in
  2019``, ``by 2030``, ``as early as 2027``, ``no earlier than 2028``, ``starting 2028``, ``as of 2025``; not
  ``2027 units``, ``the 2027 model``, ``as many as 2029 servers``, ``more than 2000, officials said``).
* Day deictics ``今天``/``今日``/``今晨``/``今晚``, ``昨天``/``昨日``/``昨晚``, ``前天``/``前晚``, ``大前天``,
  ``明天``/``明日``/``明晚``, ``后天``/``後天`` and ``大后天``, and English ``today``/``tomorrow``/``yesterday``
  and "the day after tomorrow"/"the day before yesterday",
  are the reference day and its neighbours, except in figures of speech (``十年前的今天``, ``没有今天强大``,
  ``昨天还不会…今天…``, ``先天与后天``, "the world of today", "until today"); ``昨（16）日`` is the day in
  brackets, and so is the day in brackets after a deictic word or a weekday (``明日（2日）``, ``后天（22日）起``,
  ``本週四（5日）``); when a bare weekday and its bracketed day are a week apart, the day settles the week.
* A bare day (``18日``, ``19日晚``, ``14日電``; in Chinese numerals ``十八日上午`` only from 11 and before a part
  of the day or a reporting verb) is the most recent such day not after the reference (after a future
  marker, the first one not before it). A day at most a week past stays past even after a future marker.
* Taiwan's Minguo years (``民國112年``, ``112年11月22日``, the fiscal year ``112年度``, which is the calendar
  year) are 1911 years more, and so are both ends of a range of two three-digit years at most six apart
  near the reference (``115年至118年間``, ``113至115年``, ``民國112年至114年``; not ``120至130年歷史``,
  ``需時3至5年``); a slashed date is reported
  only when one order is a date (``22/11/2023``, ``11/22/2023``).
* Weekdays (``周二``, ``上周五``, ``上週五``, ``本周三``, ``星期日``, ``on Tuesday``, ``said Tuesday``,
  ``Tuesday's``, ``last Tuesday``, ``this past Sunday``): by convention "last Tuesday" is always the Tuesday of
  the week before the reference's, like 上周二, even when a Tuesday earlier in the reference's week has passed
  (it follows the labelled corpora, where every "last <weekday>" reads so); a bare weekday and "this past Sunday"
  are the most recent one, the
  reference day included ("on Thursday" in a Thursday's article is that day); after a future marker the
  coming one, the reference day included; 上上/上/本/下/下下 pick the week two back, the previous, current,
  next or the one after (Monday to Sunday). In English, "after"/"before" between two weekdays of a sentence orders them ("fired on Friday, a
  day after ... on Thursday": the Thursday before that Friday), and a weekday joined to a reported one by
  "and"/"through" is the first such day after it ("next Monday and Tuesday"). ``每周二``, ``一个周日``,
  ``every Monday``, ``Monday through Friday`` and ``Black Friday`` are not reported. A weekday in brackets
  right after a day (``27日（周四）``) is reported as that same day, and when the day's text names no year
  the weekday settles it (the adjacent year where the weekday fits).
* ``last/this/next November`` is the most recent November before, in, or the first after the reference
  year; ``earlier this month/year`` is the reference month/year, approximate. A week of a month ("the
  first week of December", ``12月第二週``) is that month, approximate; a weekday right before an English
  yearless date ("Thursday, Dec. 5") settles its year; ``between 2019 and 2023`` reports both years.
* Dates listed in one Chinese sentence read on from the one before them: a bare day after a date that names
  a month without a year takes that month (``6月5日和10日``, ``8月24日起至28日止``, ``12月第二週舉行，時間為8日至10日``;
  not after ``2019年3月``, and not a day already up to a month after it, ``30日至2日``), and a yearless month-day
  after one read as ahead of the reference stays in its year when it falls after it (a schedule:
  ``將自8月24日起…，選舉公告則於9月20日發布``) unless a past marker comes between. ``同年10月``/``當年``,
  ``次年3月``/``翌年``/``隔年`` are months of the last four-digit year written before them (or the year after).
* Ends of spans: a weekday with its own week word after ``至`` (``本周六至下周一``, ``影響至下週二``) and a day
  word after ``至`` that starts a time of day or ends a span of day words (``今晚11時至明日凌晨2時``,
  ``明日至後天``) are days; ``到今天为止`` still is not. ``前二月``/``前三月`` (the first months of a year) are not
  months. Ranges of four-digit years (``2027-2028年``, ``2030—2032年``) report both ends; ``2025赛季`` is its
  year. A three-digit year alone is a Minguo year only from 15 years before the reference to 5 after it, and
  before a word for a time of the year, a yearly event, ``同期`` or ``第N次`` (``115年起施行``, ``117年底``,
  ``114年第二季``, ``115年地方公職人員選舉``, ``108年同期``, ``115年第1次``), or after a word that compares or
  places or looks ahead (``較114年``, ``於114年撥補``, ``預計116年``), or in a list (``113年及114年``); not after a count word (``已有115年歷史``, ``開了115年``, ``已營運108年``)
  nor before 前/內 without a deadline; ``115至118年前`` is not "118 years ago", and ``115年前可望`` (a deadline
  word after it, up to ten years ahead) is "before the Minguo year 115", not "115 years ago".
* Round six: ``年底``/``上半年`` without a year take the sentence's: the reference year when none is named, when
  the last one named is the reference year, when the clause looks ahead (``預估年底前``) or when the years named
  are only compared with (``較2021年``, ``108年同期``); the year named last otherwise (``2022年新增…，年底保有量``). A yearless month or
  month-day after a year named in the same Chinese clause is in that year (``2021年也曾…提前至11月1日``,
  ``去年春節期間國道曾在1月25日``), and so is one anywhere in a sentence that a year opens (``2022年，该公司在3月和6月``,
  ``前年春節期間，台鐵曾在2月10日``) until a date of another year is named; a yearless month after a range word is not before the range's start
  (``7月中旬至8月上旬``, ``12月下旬至1月上旬``); ``21日期間`` ends a range; ``上週五報1,489點``/``报收`` is a weekday;
  ``逼近2003年``, ``1980年的历史高点`` are years. Seasons across two years (``2024-25赛季``, ``2023/24賽季``,
  "the 2022-23 season") report both years. English: a bare year after "the" before a name or a plan ("the
  2027 FIFA Women's World Cup", "the 2024 budget", "the agency's 2026 budget", "the 2025 strike"; round seven
  narrowed this to a proper name or a fixed list of event and plan nouns, see below; not "the 2000 workers", "a
  1900 percent rise", "the 2027 model"; also "a 2024 audit", "the 2022 and 2023 seasons"), the later years of a list ("in
  2023 and 2024"), the second month of a pair ("between January and March", "in April and May"; not before the
  first), after "full-year", "calendar", "back to", "compared
  with", "below/above/than/near/at <year> levels", and both ends of a span ("1981-2010 average",
  "covering 2026 to 2030"; not "2070-2080区间"); bare months after "compared with", "as soon as" (ahead) and
  "for" (not "for May"); "due Wednesday", "due to publish", "will be announced on" (a participle after
  be/been/stay/remain is no past tense) look ahead; "through", "expect", "to follow in" take the nearer
  reading; "In 2023, orders peaked in March" dates the yearless months and days of a sentence that a year opens
  before a comma; "opens Friday", "talks resume Monday" are the coming day; "takes effect Jan. 1" looks ahead; "from Friday through Sunday" reports both ends.
* Round seven (a reviewer's ordinary numbers): after "at/than/near/over/below/above" a year needs a yearly
  measure after it ("below 2019 levels") or an apposition that calls it a year ("below 2019, the last full year
  before the pandemic"); "more than 2000, officials said", "closed at 2015, down 0.4%", "The index ended at
  2019." are numbers. "compared with/versus <year>" needs a yearly measure after it or a sentence that dates
  something by a year ("in 2024 compared with 2023"; not "a rating of 1891, compared with 2024"). "the/a/'s
  <year>" needs a proper name after it that does not count a plural ("the 2024 Paris Olympics", "the 2027 FIFA
  Women's World Cup"; not "the 2000 Nvidia chips") or a fixed event or plan noun, optionally after a qualifier
  ("the 2024 budget", "the 2024 US election", "a 2024 audit", "the 2025 strike"); any other noun may be counted
  or measured ("a 2000 MW plant", "a 2000 pound bomb", "a 2000 increase in fees"). A year as a subject needs a
  modal, or "was/is/has been" before a phrase about a year ("2023 was the hottest year"; not "said 2000 is a
  key support level"). A span of years needs a cue (in/the/from/covering/``(`` before it, or period/average/
  season/years/plan… after it; not "Scores ranged 1980-2010 on the test"). A Chinese day range without a month
  needs a placing word before it (于/在/为/自/时间为…) and no count word (一般/通常/约/预计/需…: ``快递一般3至5日送达``
  is a number of days). ``前3月`` is "the first three months" only alone: after 此/日/提/早/之/目/以 (``此前3月12日``,
  ``早前3月份``) or with a day it is a date. ``而今年过半百`` (年过半百, an age) is no year. A registration open until a
  day (``報名至11月30日止``) looks ahead; ``截至…止`` ("as of") does not. A bare ``次年``/``翌年``/``隔年`` is the year
  after the last four-digit year of its sentence (``2019年启动，次年完成``); ``上周六一度``, ``上周三报道`` are
  weekdays; ``不晚于`` is a deadline; a month range that ends in ``明年`` starts this year (``12月下旬至明年2月``);
  "will … by the end of the year" is the reference year, approximate; "no earlier than" is no past word.
* English, round five: two consecutive days joined by "and" before a break or a preposition are both
  reported ("April 16 and 17 in Lausanne", "on Dec. 2 and 3"; not "Nov. 3 and 5 people"); "all/much/most of
  2024", "surpass 2016" and a year as the subject of a modal or of was/is after a conjunction or a sentence
  start ("and that 2023 could surpass 2016"; not "Flight 2024 was"; since round seven "was/is" only before a
  phrase about a year) are years; "last year's" is a year
  even after "over"; ", a Monday" after a date is that day and settles a yearless date's year; abbreviated
  weekdays need a preposition ("on Wed.", "Thu., Dec. 4") and their full stop does not end the sentence.
  Future cues added: "expected to" without "is", "next meets", a date before "deadline"; weak (the nearer
  reading): "possible", "had been scheduled/set for"; "had been expected" stays a past plan.
  Also weak: a condition (``若``, ``如果``, ``一旦``), ``延长至``, odds ("a 40% chance of a cut in March"), a
  present-tense deadline ("entries close Oct. 25", "due out Nov. 1") and "to surrender by Oct. 6".
* A yearly event named with its year (``CES 2025``, ``WWDC 2024``) is that year; ``since at least 2019`` is a year; a
  bare Minguo year opens a clause after ``統計``/``調查`` (``根據經濟部統計，113年``), and ends a range after a month
  (``民國106年4月至108年間``).
* A yearless English day read in the past, with no past word before it ("said" aside), in a sentence whose
  later full date lies ahead, is the day between the reference and that date ("bought between Nov. 1 and Dec. 31
  can be returned until Jan. 14, 2025").
* An English month before a monthly publication or meeting ("FIDE's November rating list", "its March policy
  meeting") is a month; a yearless English month and a day of that month in one sentence share the day's year.
* Round nine (the eighth held-out set's classes): a day number after a period's length or a verb of lasting is a
  number of days (``公示期为30日``, ``期限為30日``, ``有效期是7日``, ``公開陳列5日``, ``停牌3日``; ``日期为5日`` is a date);
  ``截至昨日``/``截止到今天`` ("as of") and a moved date (``押後至今日判刑``, ``延至後天``) are days, and a span of days may
  start with a part of its first day (``今天白天到明天``); ``到今天为止``/``至今日仍`` stay "so far". 後/前 that ends a
  word (``其後天氣``, ``5日前後天氣``, ``目前天气``) starts no 後天/前天. A bare month after a year that opens a span up
  to now (``民國74年以來首次…在10月``) is any such month and is not reported. Next month in a sentence without a
  past marker (``做好8月上旬台风准备`` on 22 July) and the end of a suspension (``已停运部分车次至7月24日``) lie ahead;
  a bare day one or two days after the reference's, in a clause without a tense marker, is ahead (``台鐵宣布3日停駛``
  on the 2nd). ``投票日前2日`` holds no past marker 日前. English: a year after its/their/his/her/our before an
  event noun, or with one describing word between (``its 2025 edition``, ``a 1968 garment strike``, ``a 2020
  extension``; not a unit: ``a 2000 word report``); "through/until <weekday>" of something in force now (no past
  tense in the clause) is the coming weekday; "should" and "meet(s) again" are weak future cues, and
  "remains/is closed" is no past tense. Also in round nine: a month after ``每年``/``每逢``/``每到``/``年年``/``歷年``
  (``每年7月续签``, ``每逢6月``) is a habit, any such month, and is not reported; an exhibition's end (``展期至12月31日``,
  ``展出至``) and "stays open through <month>" of something in force now take the nearer reading (a past tense in the
  clause, "was open through December", keeps the past one).
* Round ten (the ninth held-out set's classes): a year of account (``2025年度个税汇算将于3月1日开始``, ``2026年度预算``)
  names the period a thing is for and dates no later yearless day of its clause or sentence. A month before a
  statistic (``5月份零售數據``, ``11月份CPI``, ``1月營收``) is the period the figures cover: at or before the day the
  clause says they are published (``將於7月2日公布5月份零售數據``, ``並於2月10日公布1月營收``), else at or before the
  reference, even after a future marker. The nearer reading also for a day that is the original date of a plan
  being changed in the same sentence (``原訂1月21日休會，…延會至2月28日``; ``延會至`` is a delay like ``延至``), a day
  followed by a change that starts then (``3月1日起恢复营业``, ``起調整``; like ``起施行``) or
  right before an opening in a sentence without a past marker (``2月20日開幕``, ``1月6日通车``; ``曾於12月20日開幕``
  stays past) and a stated deadline or time (``缴费截止时间为12月31日``, ``假期为10月6日至8日``, ``活動時間為…``; ``截至``
  stays "as of"). ``月底前`` in a clause of its own
  that demands or plans it (``主張在月底前完成``, ``要求月底前``) is the reference month even when the sentence names
  other months. ``同年9月`` with no four-digit year before it in the text is not reported (the year is named
  elsewhere). English: fiscal years are reported as their year, as every label names them (``in fiscal 2024``,
  ``fiscal year 2026``); a statute's year (``the Pensions Act 2014``, ``the Tariff Act of 1930``); a change measured
  against a year (``up 12% on 2023``, ``4 percent over 2023``; not ``3% on 2000 trades``); a year's figures after a
  forecasting verb (``expect 2026 sales``, ``expects 2025 capital spending``, ``raised 2025 guidance``; not
  ``cut 2000 sales staff``); ``final(s)``, ``semifinals``, ``playoffs`` are
  event nouns after "the <year>"; a hyphenated span of months (``the July-September period``, ``the Oct-Dec
  quarter``) reports both months, the end read like a month and the start the last such month not after it (not
  "a May-December romance"). Tense: "to be announced/decided/released ..." (not after expected/supposed/was) looks
  ahead; "originally/initially scheduled for" (an original date being changed, like ``原定``) is the nearer
  reading, while "was originally scheduled for" stays a past plan; a scheduled present right before its date ("the fiscal year that begins on Oct. 1", "which starts
  on", "expires/ends/closes/renews/matures on", "go on sale in September") is the coming date unless a past tense
  ("began", "expired") stands nearer before it, while "begins/opens/runs" without "on" stay weak (a headline's present); a change still to come ("now cost $5, rising to
  $6 on Jan. 1") is weak unless a past tense stands earlier in the clause; a second infinitive ("plans to fly ...,
  and to debut ... in February") takes the tense of the plan it shares even beyond the look-back window; and a
  yearless day a few words after another day of its sentence behind until/through/to ("will open on Sept. 26 and
  run until Feb. 22", "opened on March 3 and ran until May 1") is the first such day not before that start.
* Quarters (``2023年第四季度``, ``the second quarter of 2024``, ``Q3 2025``) are reported as their year, not
  approximate (a quarter has exact bounds, but the grammar has no quarters).
* Not reported: event-relative offsets (``上线3天后``, ``两个月后``), vague times (``最近``, ``几周前``,
  ``前些日子``, ``nowadays``), weeks as such (``下周``, ``next week``: a span the date grammar cannot
  state; a week of a month is its month, a count of weeks is a day, see above), bare seasons (``in the
  spring``), durations (``5年时间``, ``106个小时``, ``延长至7日``, ``次日起10日``), prison terms (``有期徒刑6年6月``), hyphenated ranges of counts (``3-4个月``, ``1200-1500年``), dotted
  month.day such as ``11.21`` (indistinguishable from prices), slashed day and month that could be either
  (``5/6/2023``),
  times of day, anything inside a URL. A Chinese company's fiscal years (``2023财年``) are not reported (they
  need not be calendar years and no label covers them; English "fiscal 2024" is reported as labelled, round ten).

After round eleven (from an independent review's own sentences, not a held-out set): a weekday followed by a
standing closure (``週一公休``, ``周二闭馆``), "the second Saturday of each month", months after a habit word
(``通常在7月至9月``, ``一般在5月到10月``, the range's end too) and lunar-calendar dates (``农历八月十五``) are not
reported; a due date (``预产期为20日``, ``截止期为18日``, ``婚期定在28日``) is a date at its nearer reading, not a length.
"""

from __future__ import annotations

import bisect
import calendar
import datetime
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

__all__ = [
    "DateMention",
    "extract_dates",
    "extract_dates_jsonl",
    "parse_reference",
]

YEAR_MIN, YEAR_MAX = 1900, 2100  # plausible bare years ("2015年", "in 2015", "N年前")
FULL_YEAR_MIN, FULL_YEAR_MAX = 1000, 2999  # a year that comes with a month or a day


@dataclass(frozen=True)
class DateMention:
    text: str  # the matched text, exactly text[start:end]
    start: int  # code-point offsets into the input string
    end: int
    date: str  # "YYYY" | "YYYY-MM" | "YYYY-MM-DD"
    precision: str  # "year" | "month" | "day"
    approximate: bool

    def as_dict(self) -> dict:
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "date": self.date,
            "precision": self.precision,
            "approximate": self.approximate,
        }


# A resolved value: (year, month or None, day or None, approximate)
_Value = tuple[int, int | None, int | None, bool]


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    value: _Value


# --------------------------------------------------------------------------- numbers and calendar

_CN_DIGITS = {
    "〇": 0, "零": 0, "○": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3,
    "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}  # fmt: skip


def _num(token: str) -> int | None:
    """Arabic (ASCII or full-width) or Chinese numerals up to 99; ``None`` when not a number."""
    token = token.strip()
    if not token:
        return None
    if token.isdigit():
        try:
            return int(token)
        except ValueError:  # exotic digit characters int() refuses
            return None
    if "十" in token:
        tens, _, units = token.partition("十")
        if len(tens) > 1 or len(units) > 1:
            return None
        t = _CN_DIGITS.get(tens) if tens else 1
        u = _CN_DIGITS.get(units) if units else 0
        if t is None or u is None:
            return None
        return t * 10 + u
    if len(token) == 1:
        return _CN_DIGITS.get(token)
    return None


def _cn_year(token: str) -> int | None:
    """``二〇一五`` / ``二零一五`` digit by digit, or four Arabic digits."""
    if token.isdigit():
        return _num(token)
    if any(ch not in _CN_DIGITS or ch in "两兩" for ch in token):
        return None
    return int("".join(str(_CN_DIGITS[ch]) for ch in token))


def _shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _month_at_or_before(month: int, ref: datetime.date) -> tuple[int, int]:
    return (ref.year, month) if month <= ref.month else (ref.year - 1, month)


def _month_at_or_after(month: int, ref: datetime.date) -> tuple[int, int]:
    return (ref.year, month) if month >= ref.month else (ref.year + 1, month)


def _day_at_or_before(month: int, day: int, ref: datetime.date) -> tuple[int, int, int] | None:
    for year in range(ref.year, ref.year - 9, -1):  # 29 February may be a few years back
        if _valid_day(year, month, day) and (year < ref.year or (month, day) <= (ref.month, ref.day)):
            return year, month, day
    return None


def _valid_day(year: int, month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]


def _format(value: _Value) -> tuple[str, str]:
    year, month, day, _ = value
    if month is None:
        return f"{year:04d}", "year"
    if day is None:
        return f"{year:04d}-{month:02d}", "month"
    return f"{year:04d}-{month:02d}-{day:02d}", "day"


# --------------------------------------------------------------------------- Chinese patterns

_S = r"[ \t\u3000]*"  # inline spaces: "2019 年 10 月 30 日"
_D = r"[0-9０-９]"
_NOT_AFTER_NUMBER = r"(?<![0-9０-９.．\-~～–—/A-Za-z_])"  # not the tail of a number, range or name
_CN_NUM = "〇零○一二三四五六七八九十两兩"
_NOT_AFTER_CN_NUMBER = rf"(?<![{_CN_NUM}几幾数數多每第])"

_YEAR_DIGITS = rf"{_NOT_AFTER_NUMBER}(?P<ydig>{_D}{{4}})(?!{_D})"
_YEAR_CN = rf"{_NOT_AFTER_CN_NUMBER}(?P<ycn>[〇零○一二三四五六七八九]{{4}})"
_YEAR_REL = r"(?P<yrel>大前年|大后年|大後年|今年|本年|去年|前年|明年|后年|後年)"
_MONTH = r"(?P<mon>[0-9０-９]{1,2}|十[一二]?|[一二三四五六七八九十])"
# a month with no year before it: digits must not follow a Latin letter (GPT-4 月活), numerals may (HTX七月)
_BARE_MONTH = (
    rf"(?P<mon>{_NOT_AFTER_NUMBER}{_NOT_AFTER_CN_NUMBER}[0-9０-９]{{1,2}}"
    rf"|{_NOT_AFTER_CN_NUMBER}(?:十[一二]?|[一二三四五六七八九十]))"
)
_DAY = r"(?P<day>[0-9０-９]{1,2}|[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九十])"
_LATER_EARLIER = "稍早|稍晚|稍后|稍後|早些时候|早些時候|晚些时候|晚些時候"
_MONTH_TAIL = (
    rf"(?P<mtail>中下旬|上中旬|中旬|上旬|下旬|初|底|末|{_LATER_EARLIER}"
    r"|中(?=[，。；、,.;:：\s]|$|前|后|後|起|以前|以后|以後|左右|开始|開始|上线|上線|推出|发布|發布))"
)
_YEAR_TAIL = rf"(?P<ytail>上半年|下半年|前半年|后半年|後半年|年底|年末|年初|年中|底|末|初|{_LATER_EARLIER})"
# A season is a vague part of its year (2026年春季, 去年夏天, 今年秋天): the year, approximate. The grammar
# (timeline/dates.py) refuses EDTF seasons, so this is the honest precision.
_SEASON_TAIL = r"(?P<season>(?:的)?(?:春季|春天|夏季|夏天|秋季|秋天|冬季|冬天|春|夏|秋|冬))"
# ...unless the season word starts a name: 春节 (a festival), 春晚, 冬奥会, 夏令营, 秋招, 春秋
_SEASON_NAME_AFTER = "节節晚联聯运運奥奧令招假装裝秋冬至分"  # ... 冬至 and 春分 are days
_APPROX_PREFIX = r"(?P<pre>大约|大約|约|約)?"
_APPROX_SUFFIX = r"(?P<post>左右|前后|前後)?"
# "月" that starts another word: 月活 (monthly active), 月薪, 月球 (the Moon), 月饼, ...
_NOT_MONTH_WORD = re.compile(r"(?![活薪费費租供均刊票卡球亮光饼餅嫂子季息利度])")
_MONTH_IDIOMS = ("十月怀胎", "十月懷胎", "五月天", "一月一次")
# a year that is really a duration or a history: 近2000年, 长达1500年, 2000年来, 2000年的历史
_DURATION_BEFORE = ("近", "长达", "長達", "超过", "超過", "历时", "歷時", "足足", "整整", "公元前")
_DURATION_AFTER = re.compile(r"来|來|之久|多|以上|(?:的)?(?:(?:历史|歷史)(?![高低新最纪紀])|时间|時間)")  # not 历史高点
_BAD_CHU_AFTER = "创創步次级級心衷稿版赛賽期中"  # 初创公司 is "start-up", not "early in the year"

_REL_YEARS = {"大前年": -3, "前年": -2, "去年": -1, "今年": 0, "本年": 0, "明年": 1, "后年": 2, "後年": 2,
              "大后年": 3, "大後年": 3}  # fmt: skip
# characters that make a relative-year word part of another word: 过去年, 如今年轻, 目前年度, 聪明年
_REL_YEAR_BAD_BEFORE = {
    "去年": "过過失离離回出进進上下来來除",
    "今年": "如至现現迄当當古",  # not 而: 而今年春季 is "and this spring" (而今年轻人 stops at 轻)
    "前年": "目提此之以从從空眼事战戰生面跟向当當年天月日周週几幾多数數前",
    "明年": "聪聰光文说說证證表声聲发發透开開精高分英神清黎简簡失鲜鮮昌严嚴阐闡申修贤賢",
    "后年": "此之以然最其战戰前",
    "後年": "此之以然最其戰前",
}
_REL_YEAR_BAD_AFTER = "轻輕龄齡纪紀代级級"

_ABSOLUTE_RE = re.compile(
    rf"{_APPROX_PREFIX}(?:(?:{_YEAR_DIGITS}|{_YEAR_CN}){_S}年|{_YEAR_REL})"
    rf"(?:{_S}{_MONTH}{_S}月(?:份)?(?:{_S}{_DAY}{_S}[日号號]|{_MONTH_TAIL})?|{_YEAR_TAIL}|{_SEASON_TAIL})?"
    rf"{_APPROX_SUFFIX}"
)
_MONTH_DAY_RE = re.compile(
    rf"{_BARE_MONTH}{_S}月(?:份)?"
    rf"(?:{_S}{_DAY}{_S}[日号號]|{_MONTH_TAIL})?"
)
_REL_MONTH_RE = re.compile(
    r"(?P<mrel>本月|这个月|這個月|上一个月|上一個月|上个月|上個月|上月|下个月|下個月|下月)"
    rf"(?:{_S}{_DAY}{_S}[日号號]|{_MONTH_TAIL})?"
)
_REL_MONTH_SHIFT = {"本月": 0, "这个月": 0, "這個月": 0, "上一个月": -1, "上一個月": -1, "上个月": -1,
                    "上個月": -1, "上月": -1, "下个月": 1, "下個月": 1, "下月": 1}  # fmt: skip
_AGO_RE = re.compile(
    rf"{_NOT_AFTER_NUMBER}{_NOT_AFTER_CN_NUMBER}(?<!月)"
    rf"(?P<n>{_D}{{1,4}}|[一二三四五六七八九十两兩]{{1,3}}|半)"
    rf"{_S}(?P<unit>年|个月|個月|天|日|周|週|个星期|個星期|星期|个礼拜|個禮拜|礼拜|禮拜){_S}(?P<dir>前(?![后後])|[后後](?![来來]))"
)
_AGO_WEEK_UNITS = ("周", "週", "个星期", "個星期", "星期", "个礼拜", "個禮拜", "礼拜", "禮拜")
# "3天后" counts from the publication date only in a plan (将在3天后推出, 两周后将发布); in a narrative
# ("5 天后他又回到了公司", "上线3天后") it counts from the event before it and is not reported.
_DECADE_RE = re.compile(
    rf"(?:(?P<cent>上世纪|上世紀|上个世纪|上個世紀|二十世纪|二十世紀|20世纪|20世紀){_S})?"
    rf"{_NOT_AFTER_NUMBER}{_NOT_AFTER_CN_NUMBER}(?P<dec>{_D}{{4}}|{_D}{{2}}|[一二三四五六七八九]十){_S}年代"
    r"(?P<dtail>初期|中期|末期|初|末)?"
)

# --------------------------------------------------------------------------- language-neutral

_NUMERIC_DATE_RE = re.compile(
    r"(?<![0-9０-９A-Za-z.\-/_])(?<![0-9０-９][:：])(?P<y>[0-9０-９]{4})(?P<sep>[-/.－／．])"
    r"(?P<m>[0-9０-９]{1,2})(?P=sep)(?P<d>[0-9０-９]{1,2})(?![0-9０-９]|[-/.－／．][0-9０-９])"
)
_ISO_MONTH_RE = re.compile(r"(?<![0-9A-Za-z.\-/:_])(?P<y>[0-9]{4})-(?P<m>[0-9]{2})(?![0-9]|[-/.:][0-9])")
# 22/11/2023 or 11/22/2023: reported only when one part cannot be a month (which order a text uses is
# otherwise a guess; 2023/11/22 is the numeric date above).
_SLASH_DMY_RE = re.compile(
    r"(?<![0-9A-Za-z./:_\-])(?P<a>[0-9]{1,2})/(?P<b>[0-9]{1,2})/(?P<y>[0-9]{4})(?![0-9]|/[0-9])"
)
_URL_RE = re.compile(r"(?:https?://|www\.)[!-~]+")

# --------------------------------------------------------------------------- English patterns


def _english_month_names() -> list[str]:
    """Month names and abbreviations from dateparser's own English locale data."""
    from dateparser.languages import default_loader

    info = default_loader.get_locale("en").info
    names: set[str] = set()
    for month in calendar.month_name[1:]:
        names.update(info.get(month.lower(), [month.lower()]))
    return sorted(names, key=len, reverse=True)


@lru_cache(maxsize=1)
def _english_patterns() -> dict[str, re.Pattern[str]]:
    variants = []
    for name in _english_month_names():
        variants += [name.capitalize(), name.upper()]
    month = "(?:" + "|".join(variants) + r")\.?"
    day = r"(?:[12][0-9]|3[01]|0?[1-9])(?:st|nd|rd|th)?"
    year = r"[0-9]{4}"
    end = r"(?![0-9A-Za-z])"
    # a year, not a count or an amount: "in 2048 tokens"-like units, "in 2019%", "around 2015x"
    year_end = (
        r"(?![0-9A-Za-z%$]|[.,][0-9]|\s*(?:%|[kKmMbB]\b|x\b|-[0-9])"
        r"|\s+(?:tokens?|people|persons|users|dollars|words|parameters|employees|units|items|copies|pages"
        r"|points|times|characters|lines|steps|samples|images|miles|meters|metres|km|kg|ms|seconds|hours"
        r"|shares|votes|servers|chips|devices|phones|vehicles|cars|customers|companies|jobs|homes|students)\b)"
    )
    no_range = r"(?!\s*(?:[-–—]|to\s)\s*[0-9])"  # "November 17–21, 2023": a range, read by "day_range"
    range_join = r"(?:[-–—]|to|through|thru|until|till|and)"  # "and" only after "between" (checked in the code)
    not_amount = r"(?!\s*(?:%|(?:percent|per\s*cent|points?|[ap]\.?m)\b))"
    return {
        # Nov 22, 2023 / November 22nd 2023 / November 22
        "month_day": re.compile(
            rf"\b(?P<month>{month})\s+(?P<day>{day})(?:,?\s+(?P<year>{year}))?{end}{no_range}"
        ),
        # Nov. 18 to 21 / March 3-5, 2025 / Dec. 30 to Jan. 2: both ends of a day range (not "18 to 21 percent")
        "day_range": re.compile(
            rf"\b(?P<month>{month})\s+(?P<day1>{day})\s*(?P<join>{range_join})\s*(?:(?P<month2>{month})\s+)?(?P<day2>{day})"
            rf"(?:,?\s+(?P<year>{year}))?{end}{not_amount}"
        ),
        # 18 to 21 November 2024 / 3-5 March
        "day_range_month": re.compile(
            rf"(?<![0-9A-Za-z.,$£€-])(?P<day1>{day})\s*(?P<join>{range_join})\s*(?P<day2>{day})\s+(?:of\s+)?(?P<month>{month})"
            rf"(?:,?\s+(?P<year>{year}))?{end}"
        ),
        # 22 November 2023 / 22nd of November
        "day_month": re.compile(
            rf"(?<![0-9A-Za-z.])(?P<day>{day})\s+(?:of\s+)?(?P<month>{month})(?:,?\s+(?P<year>{year}))?{end}"
        ),
        # December 2015 / Dec. 2015 / December of 2015
        "month_year": re.compile(
            rf"\b(?:(?P<mod>[Ee]arly|[Ll]ate|[Mm]id-?)\s*)?(?P<month>{month}),?\s+(?:of\s+)?(?P<year>{year}){end}"
        ),
        # in November / early November (a bare "May" needs the preposition, so every month does)
        "bare_month": re.compile(
            rf"\b(?:(?:in|In|since|Since|by|By|until|Until|till|during|During|before|Before|after|After"
            rf"|from|From|through|between|Between|(?:months?|weeks?|year|quarter|period)\s+to"
            rf"|compared\s+(?:with|to)|as\s+(?:soon|early|late)\s+as|(?:for|For)(?!\s+May\b)"
            # an attributive month before a monthly publication or meeting: FIDE's November rating list
            rf"|(?:['’]s|[Ii]ts|[Tt]heir|[Tt]he)(?=\s+{month}\s+(?:rating\s+list|jobs\s+report|employment\s+report"
            rf"|inflation\s+(?:data|report|figures)|policy\s+meeting|payrolls|sales\s+figures|survey|minutes)\b))\s+"
            rf"(?:(?:the\s+)?(?P<mod1>early|late|mid-?)\s*)?"
            rf"|(?P<mod2>[Ee]arly|[Ll]ate|[Mm]id-?)\s*)(?P<month>{month})(?!\s*[0-9])\b"
        ),
        "ago": re.compile(
            r"\b(?P<n>[0-9]{1,3}|[A-Za-z]+(?:-[A-Za-z]+)?)\s+(?P<unit>years?|months?|weeks?|days?)\s+ago\b", re.I
        ),
        "this_last": re.compile(
            r"\b(?:(?P<mod>early|late|mid-?)\s*)?(?P<which>last|this|next|previous)\s+(?P<unit>year|month)\b", re.I
        ),
        "approx_year": re.compile(
            r"\b(?P<mod>(?:the\s+)?(?:end|beginning|start|middle)\s+of|early|late|mid-?|around|circa|c\.)"
            rf"\s*(?P<year>{year}){year_end}",
            re.I,
        ),
        # in 2019 / by 2030 / as early as 2027 / no later than 2028 / starting 2028 / as of 2025 / guidance for 2026
        "prep_year": re.compile(
            r"\b(?:in|since|by|during|until|till|before|after|from|through|throughout|between|starting|beginning"
            r"|since\s+at\s+least|as\s+of|prior\s+to|ahead\s+of|as\s+(?:early|soon|late|recently|far\s+back)\s+as"
            r"|no\s+(?:earlier|later|sooner)\s+than|(?:guidance|forecasts?|outlook|targets?|budget|estimates?)\s+for"
            r"|(?:all|much|most|part|rest|remainder|half|whole|entirety)\s+of|surpass(?:es|ed)?|overtak(?:es|en)|overtook"
            r"|full-year|calendar|(?:back|dating|dates)\s+to|fiscal(?:\s+year)?|financial\s+year"
            # a comparison names a year only before a yearly measure ("above 2019 levels", "compared with 2019
            # figures"): "more than 2000, officials said", "closed at 2015, down 0.4%" are numbers; "compared
            # with 2023" alone is a year only when the sentence dates something else by a year (see below)
            r"|(?P<cmp>compared\s+(?:with|to)|versus|vs\.?)"
            r"|(?:below|above|than|under|over|beyond|at|near)(?=\s+(?:19|20)[0-9]{2}\s+(?:levels?|figures?|highs?|lows?"
            r"|peaks?|averages?|totals?|records?|values?)\b"
            # or before an apposition that calls it a year ("below 2019, the last full year before the pandemic")
            r"|\s+(?:19|20)[0-9]{2}\s*,\s+(?:the|a|its|when|which)\s[^.;,]{0,30}?\byears?\b))"
            rf"\s+(?P<year>{year}){year_end}",
            re.I,
        ),
        # "and that 2023 could surpass 2016", "Analysts say 2026 will be harder": a year as the subject of a
        # modal or of "was"/"is" after a conjunction or the start of a sentence (not "Flight 2024 was", "2024 were")
        "subject_year": re.compile(
            r"(?:^|(?<=[.;:!?\"“(])\s*|\b(?:and|but|that|while|because|as|since|say|says|said|think|expect|expects)\s+)"
            r"(?P<year>(?:19|20)[0-9]{2})(?![0-9,.%$])\s+(?:could|would|will|may|might|must|should|shall"
            # "2023 was the hottest year", but not "said 2000 is a key support level" (a number)
            r"|(?:was|is|has\s+been|had\s+been)(?=\s+(?:(?:a|an|the|another)\s+)?(?:[a-z]+\s+){0,3}years?\b))\b",
        ),
        # a statute named with its year: the Pensions Act 2014, the Tariff Act of 1930 (a name, then "Act")
        "act_year": re.compile(
            rf"\b(?:[A-Z][A-Za-z'’\-]+\s+)+Act(?:\s+of)?\s+(?P<year>(?:1[6-9]|20)[0-9]{{2}}){year_end}"
        ),
        # a change measured against a year: "up 12% on 2023", "down 3 percent over 2022"
        "pct_year": re.compile(
            rf"(?:[0-9]\s*%|\bper\s*cent|\bpercent)\s+(?:on|over|against)\s+(?P<year>(?:19|20)[0-9]{{2}}){year_end}"
            r"(?!\s+(?!levels\b|figures\b)[a-z]+s\b)"  # "rose 3% on 2000 trades": a count
        ),
        # a forecast for a year's figures: "did not expect 2026 sales to fall", "raised its 2025 outlook" (its: the_year)
        "measure_year": re.compile(
            r"\b(?:expects?|expected|expecting|forecasts?|forecasting|projects?|projected|sees|predicts?|predicted"
            r"|raised|raises|cut|cuts|lowered|lowers|lifted|lifts|reiterated|reiterates|maintained|kept)\s+"
            r"(?P<year>(?:19|20)[0-9]{2})\s+(?=(?:(?:capital|operating|full-year|annual|net|total|core|adjusted|organic"
            r"|global|overall)\s+)?(?:sales|revenues?|earnings|profits?|output|production|growth"
            r"|shipments|deliveries|spending|capex|guidance|results|demand)\b"
            # a count of people in a trade ("cut 2000 sales staff") is no year
            r"(?!\s+(?:staff|jobs|workers|people|employees|reps|representatives|positions|agents|teams?)\b))"
        ),
        # the July-September period / Jan-March: both months of a hyphenated span
        "month_span": re.compile(
            rf"\b(?P<month1>{month})\s*[-–—]\s*(?P<month>{month})(?!\s*[0-9])\b"
            r"(?!\s+(?:romances?|relationships?|marriages?|couples?|weddings?))"  # a May-December romance: an idiom
        ),
        # from 2015 to 2019 / between 2015 and 2019: the second year has no preposition of its own
        "year_range": re.compile(
            rf"\b(?:from|between)\s+(?P<year1>{year})\s+(?:to|and|until|through)\s+(?P<year>{year}){year_end}",
            re.I,
        ),
        # the 2027 FIFA Women's World Cup / the 2024 budget / the 2024 US election: a year naming an edition, a
        # plan or a period -- before a proper name (not one that counts things: "the 2000 Nvidia chips") or one
        # of a fixed list of event and plan nouns. Any other noun may be counted or measured ("a 2000 MW plant",
        # "a 2000 pound bomb", "a 2000 increase in fees"), and "the 2027 model" is a product, not a year
        "the_year": re.compile(
            rf"(?:\b[Tt]he|\b[Aa]n?|\b(?:[Ii]ts|[Tt]heir|[Hh]is|[Hh]er|[Oo]ur)|(?<=[A-Za-z])['’]s)"
            rf"\s+(?P<year>(?:19|20)[0-9]{{2}}){year_end}"
            r"(?=\s+(?:(?:and|or)\s+(?:19|20)[0-9]{2}\b"
            r"|(?>(?:[A-Z]{2,5}\s+)*[A-Z][a-z][A-Za-z'’.]*(?:\s+(?:of\s+|de\s+)?[A-Z][A-Za-z'’.]*)*)(?!\s+[a-z]+s\b)"
            r"|(?:(?:[A-Z]{2,4}|U\.S\.|U\.K\.|presidential|parliamentary|general|federal|national|regional|local"
            r"|municipal|state|fiscal|annual|regular|post-?season|off-?season|school|academic|tax|calendar|holiday"
            r"|financial|first|second|third|fourth|full|half"
            # one describing word before the noun ("a 1968 garment strike"), not a unit that makes the number a
            # measure ("a 2000 word report", "a 2000 pound bomb", "the 2000 seat arena")
            r"|(?!(?:words?|pages?|pounds?|tons?|tonnes?|acres?|miles?|met(?:er|re)s?|feet|foot|square|person|people"
            r"|man|men|members?|seats?|beds?|rooms?|units?|strong|points?|dollars?|yuan|euros?|shares?|cars?|homes?"
            r"|students?|employees?|workers?|jobs?|barrels?|hectares?|kilo\w*|mega\w*|giga\w*|ton\w*|mile\w*)\b)"
            r"[a-z]{3,}(?:-[a-z]+)?)\s+)?"
            r"(?:budget|budgets|extension|renewal|expansion|amendment|revision|loss|losses|profits?|study|studies"
            r"|paper|fine|payout|dividend|listing|film|album|novel|book|speech|interview|memo|title|championship"
            r"|finals?|semi-?finals?|quarter-?finals?|play-?offs?"
            r"|robbery|murder|killing|assassination|massacre|kidnapping|raid|arrest|indictment|conviction|verdict|elections?|targets?|goals?|strategy|agenda|deadline|seasons?|edition|race|campaign"
            r"|census|summit|games|tournament|contract|deal|law|plan|agreement|crisis|pandemic|report|survey"
            r"|financial|calendar|school|academic|tax|levels?|average|figures?|total|peak|record|forecast|guidance"
            r"|outlook|midterms?|primar(?:y|ies)|world|summer|winter|spring|autumn|fall|holiday|filing|vintage"
            r"|cohort|class|draft|launch|release|rules?|audit|strike|merger|acquisition|IPO|recession|crash|reform"
            r"|overhaul|protests?|uprising|attacks?|shooting|earthquake|floods?|wildfires?|hurricane|storm|drought"
            r"|outbreak|war|invasion|coup|referendum|ballot|conference|meeting|festival|fair|expo|cycle|year"
            r"|quarter|term|session|rankings?|lawsuit|settlement|ruling|decision|ban|act|bill|treaty|accord"
            r"|framework|roadmap|schedule|timeline|period|window|round|redesign|model\s+years?|edition"
            r"|results|earnings|revenue|sales|debut|premiere|opening|visit|trip|tour|event|show|vote|polls"
            r"|crackdown|lockdown|shutdown|default|bailout|meltdown|boom|bubble|downturn|slump|rally|selloff"
            r"|tsunami|eruption|fire|riots?|scandal|heatwave|blackout|collapse|bankruptcy|layoffs|bombing|hack"
            r"|breach|outage|recall|ceasefire|truce|reunion|anniversary|graduation|inauguration|coronation)\b))"
        ),
        # 1981-2010 average / covering 2026 to 2030: two years a few decades apart at most, both ends
        "year_span": re.compile(
            r"(?<![0-9A-Za-z$€£¥.,/\-])(?P<year1>(?:19|20)[0-9]{2})\s*(?:[-–—]|\s(?:to|through|until)\s)\s*"
            rf"(?P<year>(?:19|20)[0-9]{{2}}){year_end}(?!\s*[\u3400-\u9fff])"
        ),
        # in 2024 and 2025 / in 2019, 2021 or 2023: the later years of a list after a preposition
        "year_list": re.compile(
            r"\b(?:in|during|for|since|by|until|of|the)\s+(?:19|20)[0-9]{2}(?:\s*,\s*(?:19|20)[0-9]{2})*,?\s+(?:and|or)\s+"
            rf"(?P<year>(?:19|20)[0-9]{{2}}){year_end}",
            re.I,
        ),
        # in April and May / between January and March: the second month of a pair after a preposition
        "month_pair": re.compile(
            rf"\b(?:in|In|since|Since|from|From|between|Between|during|During|through|until)\s+(?P<month1>{month})"
            rf"\s+(?:and|or|to|through|until|till)\s+(?P<month>{month})(?!\s*[0-9])\b"
        ),
        "decade": re.compile(r"\b(?:the\s+)?(?P<year>[12][0-9]{2}0)s\b"),
        "rel_month": re.compile(rf"\b(?P<which>[Ll]ast|[Tt]his|[Nn]ext)\s+(?P<month>{month})(?!\s*[0-9])\b"),
        # on Tuesday / last Tuesday / late Tuesday night / Tuesday's vote (the possessive needs no preposition)
        # AP style drops the preposition ("OpenAI said Tuesday"): a bare weekday is checked by _bare_weekday_ok
        "weekday": re.compile(
            r"\b(?:(?:(?P<prep>on|On|since|Since|by|By|until|Until|last|Last|this|This|next|Next|late|early"
            r"|(?:this\s+)?past|(?:This\s+)?[Pp]ast|(?:this\s+)?coming|(?:This\s+)?[Cc]oming)\s+)?"
            r"(?P<wd>(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b|(?P<abbr>Mon|Tues?|Wed|Thu(?:rs?)?|Fri|Sat|Sun)\.)"
            r"(?P<part>\s+(?:morning|afternoon|evening|night)\b)?(?!['’]s\b)"
            r"(?!\s*,?\s*(?:[A-Z][a-z]+\.?\s+)?[0-9])"
            r"|(?P<wdpos>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(?=['’]s\b))"
        ),
        # 30 November last year / in March this year / Nov. 30 last year / June next year
        "month_rel_year": re.compile(
            rf"(?:\b(?P<prep>in|In|since|Since|by|By|until|Until|from|From|through|during|During|before|Before"
            rf"|after|After|on|On|of|to)\s+)?"
            rf"(?:(?<![0-9A-Za-z.])(?P<day1>{day})\s+(?:of\s+)?)?\b(?P<month>{month})(?:\s+(?P<day2>{day}))?"
            rf",?\s+(?P<which>last|this|next)\s+year\b"
        ),
        # the first half of 2025 (approximate), the second quarter of 2024, Q3 2025, H1 2025
        "year_part": re.compile(
            rf"\b(?:(?:the\s+)?(?P<ordinal>first|second|third|fourth|final|last|1st|2nd|3rd|4th)\s+"
            rf"(?P<unit>half|quarter)\s+of|(?P<code>Q[1-4]|H[12])(?:\s+of)?)\s+(?P<year>{year}){year_end}",
            re.I,
        ),
        "month_part": re.compile(
            rf"\b(?:the\s+)?(?P<part>end|beginning|start|middle|(?:first|second|third|fourth|last|final)\s+(?:week|weeks|days|half))"
            rf"\s+of\s+(?P<month>{month})(?!,?\s*[0-9])\b", re.I
        ),
        "this_period": re.compile(r"\b(?P<mod>[Ee]arlier|[Ll]ater)\s+this\s+(?P<unit>month|year)\b"),
        # the end of this year / the start of next month / by the end of the year / by year-end
        "period_part": re.compile(
            r"\b(?:(?:the\s+)?(?P<part>end|beginning|start|middle)\s+of\s+(?P<which>this|next|last|the)\s+"
            r"(?P<unit>year|month)|(?:by|at|before|until)\s+(?P<yearend>year[- ]end))\b",
            re.I,
        ),
        # spring 2026 / the fall of 2024 / late summer 2023 ("fall" alone is too often the verb)
        "season_year": re.compile(
            rf"\b(?:(?P<mod>[Ee]arly|[Ll]ate|[Mm]id-?)\s*)?(?:(?P<the>[Tt]he)\s+)?"
            rf"(?P<season>[Ss]pring|[Ss]ummer|[Aa]utumn|[Ww]inter|[Ff]all|SPRING|SUMMER|AUTUMN|WINTER|FALL)"
            rf"(?:\s+of)?,?\s+(?P<year>{year}){year_end}"
        ),
        "season_rel": re.compile(
            r"\b(?P<which>[Tt]his|[Ll]ast|[Nn]ext)\s+(?P<season>spring|summer|autumn|winter|fall)\b"
        ),
    }


_VAGUE_QUANTITIES = {"few", "several", "many", "some", "couple", "numerous", "multiple", "the"}


# --------------------------------------------------------------------------- dateparser bridge


@lru_cache(maxsize=4096)
def _dateparser_read(
    text: str, ref: datetime.date, require: tuple[str, ...]
) -> tuple[datetime.date, str] | None:
    """Read an English date phrase with dateparser: (date, period) or ``None``."""
    from dateparser.date import DateDataParser

    settings = {
        "RELATIVE_BASE": datetime.datetime.combine(ref, datetime.time()),
        "PREFER_DATES_FROM": "past",
        "REQUIRE_PARTS": list(require),
        "RETURN_TIME_AS_PERIOD": False,
    }
    data = DateDataParser(languages=["en"], settings=settings).get_date_data(text)
    if data.date_obj is None:
        return None
    return data.date_obj.date(), data.period or "day"


# --------------------------------------------------------------------------- resolvers


def _year_ok(year: int, with_month: bool = False) -> bool:
    low, high = (FULL_YEAR_MIN, FULL_YEAR_MAX) if with_month else (YEAR_MIN, YEAR_MAX)
    return low <= year <= high


def _char(text: str, index: int) -> str:
    return text[index] if 0 <= index < len(text) else ""


# Each resolver gets a match, the whole text and the reference; it returns (start, end, value) or None.
_Resolved = tuple[int, int, _Value] | list[tuple[int, int, _Value]] | None  # a list: several mentions


# 而今年过半百: 而今 ("now") + 年过半百 ("past fifty"), an age; 今年22岁 still names this year
_AGE_AFTER_RE = re.compile(r"[过過届屆逾近](?:半百|花甲|古稀|不惑|知天命|耳顺|耳順|而立|[一二三四五六七八九十百]{1,3}|[0-9０-９]{2})")


def _resolve_absolute(m: re.Match[str], text: str, ref: datetime.date) -> _Resolved:
    """``2024年5月13日``, ``二〇一五年十二月``, ``去年年底``, ``今年7月``, ``约2015年``, ``2015年左右``."""
    approximate = bool(m.group("pre") or m.group("post"))
    if m.group("yrel"):
        word = m.group("yrel")
        bad_before = _REL_YEAR_BAD_BEFORE.get(word.removeprefix("大"), "")
        before, after = _char(text, m.start("yrel") - 1), _char(text, m.end("yrel"))
        named_part = m.group("mon") or m.group("ytail") or m.group("season")
        if before and before in bad_before and not (before in "至迄" and word == "今年" and named_part):
            return None  # 至今年 is 至今 (so far) + 年…, but 截至今年6月 and 至今年底 name this year
        if after and after in _REL_YEAR_BAD_AFTER:
            return None
        if word == "今年" and not named_part and _AGE_AFTER_RE.match(text, m.end("yrel")):
            return None  # 而今年过半百的他, 今年逾六十: an age, not a date
        year = ref.year + _REL_YEARS[word]
        year_end = m.end("yrel")
    else:
        digits = "ydig" if m.group("ydig") else "ycn"
        year = _cn_year(m.group(digits))
        if year is None:
            return None
        if text[max(0, m.start() - 3) : m.start()].endswith(_DURATION_BEFORE) and not (
            text[max(0, m.start() - 2) : m.start()] in ("接近", "逼近", "靠近", "貼近", "贴近") and _year_ok(year)
        ):
            return None  # 近1000年 is a duration; 接近2025年全年水平 names the year
        year_end = text.index("年", m.end(digits)) + 1
    with_month = bool(m.group("mon"))
    if not _year_ok(year, with_month):
        return None
    if not with_month and not m.group("ytail") and not m.group("yrel"):
        if _char(text, m.end()) == "代" or _DURATION_AFTER.match(text, m.end()):  # 1980年代: a decade
            return None
    year_only = (m.start(), year_end, (year, None, None, approximate))
    if m.group("season"):
        after = _char(text, m.end("season"))
        if (after and after in _SEASON_NAME_AFTER) or not _year_ok(year):
            return year_only if _year_ok(year) else None
        return m.start(), m.end(), (year, None, None, True)
    if m.group("ytail"):
        tail, after = m.group("ytail"), _char(text, m.end("ytail"))
        if (tail == "初" and after and after in _BAD_CHU_AFTER) or (
            tail == "年中" and after and after in "国國文方心"
        ):
            return year_only
        return m.start(), m.end(), (year, None, None, True)
    if not with_month:
        return m.start(), m.end(), (year, None, None, approximate)
    month = _num(m.group("mon"))
    if month is None or not 1 <= month <= 12:
        return year_only if _year_ok(year) else None
    month_end = text.index("月", m.end("mon")) + 1
    if m.group("mtail"):
        return m.start(), m.end(), (year, month, None, True)
    if m.group("day"):
        day = _num(m.group("day"))
        if day is None or not _valid_day(year, month, day):
            return m.start(), month_end, (year, month, None, approximate)
        return m.start(), m.end(), (year, month, day, approximate)
    return m.start(), m.end(), (year, month, None, approximate)


# Words that put a date after them in the future: 将于7月9日, 計劃於十一月十七日前, 预计15日. The
# unambiguous ones may stand a few words before the date (將於台灣時間15日凌晨, 将在旧金山的发布会上于
# 15日); bare 将/將 (also "to take", as in 将15日发布的模型下架), 预计 and 最快 only right before it.
_FUTURE_MARKER = (
    r"将于|將於|将在|將在|将会|將會|计划于|計劃於|计划在|計劃在|预计于|預計於|预计将|預計將|预定|預定|定于|定於"
    r"|订于|訂於|即将|即將|拟于|擬於|拟在|擬在|有望于|有望於|有望在|届时|屆時"
    r"|安排在|安排于|安排於|定在|订在|訂在|排定"  # scheduled: 安排在9、10日, 定在下月
    r"|要求|须于|須於|需于|需於|必须|必須|应于|應於|最迟|最遲|最晚|限期|不晚于|不晚於|不迟于|不遲於"  # deadlines: 要求雙方於4月30日前
)
_FUTURE_NEAR_RE = re.compile(r"(?<![原曾本])(?:将|將|预计|預計|最快)[ \t]*(?:今年|明年)?[ \t]*$")
# Words that put the clause in the past and cancel an earlier future marker: 将于…，已于15日.
# (原计划在5月, 原定, 本来: a plan made in the past, for a date that is usually past too)
_PAST_MARKER = (
    r"原计划|原計劃|原定|原訂|原本|原预计|原預計|本来|本來|曾计划|曾計劃"
    r"|已于|已於|已在|已经|已經|曾于|曾於|曾在|早在|此前|(?<![票止期念假节節生工易效])日前|已|曾|了"  # not 投票日前2日
)
_TENSE_RE = re.compile(rf"(?P<future>{_FUTURE_MARKER})|(?P<past>{_PAST_MARKER})")
_CLAUSE_BREAK = "，。；！？,;!?：:\n「」“”『』"
_FUTURE_WINDOW = 16  # characters looked back from the date, within its clause


def _clause_before(text: str, start: int, window: int, breaks: str) -> str:
    """The text of the date's clause before it: at most ``window`` characters, not past a clause break."""
    before = text[max(0, start - window) : start]
    cut = max(before.rfind(ch) for ch in breaks)
    return before[cut + 1 :]


# A Chinese time adverbial stands before its verb, so the marker may also follow the date: 15日將舉行,
# 周四将发布 (将 as 把, 将其下架, is no marker).
_FUTURE_AFTER_RE = re.compile(
    r"(?:[ \t]*(?:前后|前後|左右|上午|下午|中午|晚间|晚間|晚上|凌晨|早上|傍晚|深夜|晚|早))?[ \t]*"
    r"(?:即将|即將|将会|將會|将于|將於|将在|將在|计划|計劃|预计|預計|拟|擬|有望|(?:将|將)(?![其该該这這此之他她它所]))"
)


_OPEN_UNTIL_RE = re.compile(r"(?:报名|報名|申请|申請|受理|征集|徵集|徵件|投稿|预约|預約|登记|登記|开放|開放)[^，,。]{0,6}至[ \t]*$")


def _is_future(text: str, start: int, end: int | None = None) -> bool:
    """Whether the nearest tense marker before the date in its clause puts it in the future, or (given the
    date's end) a future marker right after it."""
    if end is not None and _FUTURE_AFTER_RE.match(text, end):
        return True
    clause = _clause_before(text, start, _FUTURE_WINDOW, _CLAUSE_BREAK)
    if end is not None and _char(text, end) == "止" and _OPEN_UNTIL_RE.search(clause):
        return True  # 活動報名至11月30日止: a deadline still open (截至10月31日止, "as of", is not one)
    if _FUTURE_NEAR_RE.search(clause):
        return True
    last = None
    for m in _TENSE_RE.finditer(clause):
        last = m
    return bool(last and last.group("future"))


# Weaker evidence that a date lies ahead: a wish, a delay or an entry into force (希望在禮拜五前, 可能延到7月,
# 自4月1日起生效), or a future marker elsewhere in a sentence that has no past marker (…的2月5日，A股将迎来…).
# Such a date is read as the nearer of its two readings, and a bare weekday as the coming one.
_WEAK_FUTURE_BEFORE_RE = re.compile(
    r"(?:希望|盼|力争|力爭|争取|爭取|可能|或将|或將|会在|會在|会于|會於|延到|延至|延[会會][至到]|延长至|延長至|延后到|延後到|延后至|延後至|推迟到|推遲到|推迟至|推遲至"
    r"|延期到|延期至|改到|改至|改期到|改期至|之后的|之後的|后的|後的"
    r"|若(?!干)|如果|假如|一旦"  # a condition: 若央行在9月19日再度出手
    # the end of a suspension or a measure in force (停运部分车次至7月24日, 封閉至下月, 管制到15日)
    r"|(?:停运|停運|停驶|停駛|停航|停飞|停飛|停课|停課|停业|停業|停工|停班|暂停|暫停|关闭|關閉|封闭|封閉|封路|管制|限行|禁行"
    r"|休市|休馆|休館|闭馆|閉館|开放|開放|展出|展期|展览|展覽)[^，,。；;]{0,8}[至到][ \t]*$)"
)
_WEAK_FUTURE_AFTER_RE = re.compile(
    r"[ \t]*(?:起生效|起施行|起实施|起實施|起正式|起执行|起執行|生效|"
    # a change that starts on the day (3月1日起恢复正常营业, 起調整票價, 起暫停受理)
    r"起(?:恢复|恢復|调整|調整|开始|開始|启用|啟用|上调|上調|下调|下調|暂停|暫停|停止|取消|实行|實行|陆续|陸續|全面|免费|免費)|"
    r"前(?:达成|達成|完成|提交|推出|作出|做出|公布|决定|決定|落地|上线|上線))"
)
_SENTENCE_FUTURE_RE = re.compile(
    rf"{_FUTURE_MARKER}|即将|即將|计划|計劃|预计|預計|有望|(?<![原曾本])(?:将|將)(?![其该該这這此之他她它所近])"
)
_SENTENCE_PAST_RE = re.compile(_PAST_MARKER)
_SENTENCE_BREAK = "。！？；!?;\n"


def _is_weak_future(text: str, start: int, end: int, *, sentence: bool = True) -> bool:
    """Weaker evidence that the date lies ahead (see ``_WEAK_FUTURE_BEFORE_RE``); without ``sentence``, only
    a marker next to the date counts."""
    if _WEAK_FUTURE_AFTER_RE.match(text, end):
        return True
    if _WEAK_FUTURE_BEFORE_RE.search(_clause_before(text, start, _FUTURE_WINDOW, _CLAUSE_BREAK)):
        return True
    if not sentence:
        return False
    rest = _sentence_without(text, start, end)
    return bool(_SENTENCE_FUTURE_RE.search(rest)) and not _SENTENCE_PAST_RE.search(rest)


def _sentence_without(text: str, start: int, end: int) -> str:
    """The date's sentence with the date cut out (so that 20日前后 holds no 日前)."""
    s_start = max(text.rfind(ch, 0, start) for ch in _SENTENCE_BREAK) + 1
    cuts = [i for i in (text.find(ch, end) for ch in _SENTENCE_BREAK) if i >= 0]
    return text[s_start:start] + "\n" + text[end : min(cuts, default=len(text))]


def _day_nearest(month: int, day: int, ref: datetime.date) -> tuple[int, int, int] | None:
    """The nearer of the day's readings at or before and after the reference."""
    readings = [r for r in (_day_at_or_before(month, day, ref), _day_at_or_after_strict(month, day, ref)) if r]
    return min(readings, key=lambda r: abs((datetime.date(*r) - ref).days), default=None)


def _day_at_or_after_strict(month: int, day: int, ref: datetime.date) -> tuple[int, int, int] | None:
    for year in range(ref.year, ref.year + 9):
        if _valid_day(year, month, day) and (year > ref.year or (month, day) >= (ref.month, ref.day)):
            return year, month, day
    return None


def _month_nearest(month: int, ref: datetime.date) -> tuple[int, int]:
    readings = (_month_at_or_before(month, ref), _month_at_or_after(month, ref))
    return min(readings, key=lambda r: abs((r[0] * 12 + r[1]) - (ref.year * 12 + ref.month)))


# A plan made earlier and being changed now (原訂1月21日休會，…提案延會至2月28日): the original date is the nearer
# reading, like a delay's new date -- the change is news while the original date may still lie ahead.
_ORIGINAL_PLAN_BEFORE_RE = re.compile(r"(?:原定|原訂|原订|原计划|原計劃|原本|原先|原预定|原預定)(?:于|於|在)?[ \t]*$")
_PLAN_CHANGE_RE = re.compile(r"延|改[期在到至为為]|提前|推迟|推遲|押后|押後|取消|调整|調整|变更|變更|顺延|順延")
# An opening or a start right after a date (2月20日開幕, 3月1日开学) in a sentence without a past marker: the
# nearer reading (an event announced ahead; "已於2月20日開幕" has a past marker and stays past)
_OPENING_AFTER_RE = re.compile(
    r"[ \t]*(?:起)?(?:开幕|開幕|揭幕|开展|開展|开跑|開跑|起跑|开赛|開賽|开打|開打|登场|登場|开卖|開賣|开售|開售|开学|開學"
    r"|开课|開課|开放|開放|开园|開園|开馆|開館|启用|啟用|上映|首映|首演|开演|開演|开工|開工|通车|通車)"
)
# A deadline or a time stated as such (缴费截止时间为12月31日, 申報截止日期為5月31日, 中秋节假期为10月6日至8日,
# 活动时间为…): the nearer reading, a schedule ahead or a record just past. (截至/截止到 is "as of".)
_DEADLINE_BEFORE_RE = re.compile(
    r"(?:截止(?:时间|時間|日期|日)(?:为|為|是)?|(?:预产期|預產期|截止期|婚期)(?:为|為|是|定为|定為|定在)?|(?:时间|時間|日期|期间|期間|假期)(?:为|為|是|定为|定為)|放假(?:时间|時間)?)[ \t]*$"
)


def _day_reading(month: int, day: int, text: str, start: int, end: int, ref: datetime.date):
    if _is_future(text, start, end):
        return _day_at_or_after(month, day, ref)
    if _is_weak_future(text, start, end):
        return _day_nearest(month, day, ref)
    clause = _clause_before(text, start, _FUTURE_WINDOW, _CLAUSE_BREAK)
    if _DEADLINE_BEFORE_RE.search(clause):
        return _day_nearest(month, day, ref)
    if _ORIGINAL_PLAN_BEFORE_RE.search(clause) and _PLAN_CHANGE_RE.search(_sentence_without(text, start, end)):
        return _day_nearest(month, day, ref)
    if _OPENING_AFTER_RE.match(text, end) and not _sentence_has_past(text, start, end):
        return _day_nearest(month, day, ref)
    ahead = _day_at_or_after_strict(month, day, ref)
    if ahead and (datetime.date(*ahead) - ref).days <= _SOON_DAYS and not _sentence_has_past(text, start, end):
        return ahead  # 于12月12日开始 in an article of 4 December: this year's, not last year's
    return _day_at_or_before(month, day, ref)


_SOON_DAYS = 14  # a yearless day this close after the reference, in a sentence with no past marker, is ahead


def _sentence_has_past(text: str, start: int, end: int) -> bool:
    return bool(_SENTENCE_PAST_RE.search(_sentence_without(text, start, end)))


def _day_at_or_after(month: int, day: int, ref: datetime.date) -> tuple[int, int, int] | None:
    """The nearest such day at or after the reference; one at most a week before it is kept instead (an
    article a few days late about an event "scheduled for" that day), never moved a year ahead."""
    past = _day_at_or_before(month, day, ref)
    if past and (ref - datetime.date(*past)).days <= _JUST_PAST_DAYS:
        return past
    for year in range(ref.year, ref.year + 9):
        if _valid_day(year, month, day) and (year > ref.year or (month, day) >= (ref.month, ref.day)):
            return year, month, day
    return None


_JUST_PAST_DAYS = 7
_SOON_BARE_DAYS = 2  # a bare day one or two days after the reference's, with no tense marker in its clause, is ahead


def _clause_future_after(text: str, start: int, end: int) -> bool:
    """A future marker after the date in its clause, and no past marker in the clause (``3月订单已排满，4月产能将提升``)."""
    after = _clause_after(text, end)
    before = _clause_before(text, start, _FUTURE_WINDOW, _CLAUSE_BREAK)
    return bool(_SENTENCE_FUTURE_RE.search(after)) and not _SENTENCE_PAST_RE.search(before + "\n" + after)


def _clause_after(text: str, end: int) -> str:
    """The rest of the date's clause after it."""
    cuts = [i for i in (text.find(ch, end) for ch in _CLAUSE_BREAK) if i >= 0]
    return text[end : min(cuts, default=len(text))]


# 此前, 日前, 提前, 早前, 之前, 目前, 以前: a word ending in 前 ("earlier"), so the month after it is a date
_MONTH_AFTER_EARLIER_WORD = "此日提早之目以"


# "compared with 2019 levels" / "versus 2023 figures", or a sentence that dates something by a year already
# ("sales rose 5% in 2024 compared with 2023"): only then is the number compared with a year
_EN_YEARLY_MEASURE_RE = re.compile(
    r"\s+(?:levels?|figures?|highs?|lows?|peaks?|averages?|totals?|records?|values?|sales|results|prices)\b"
)
_EN_DATING_YEAR_RE = re.compile(
    r"\b(?:in|during|since|for|by|from|until|through|fiscal|calendar)\s+(?:(?:early|late|mid-?)\s*)?(?:19|20)[0-9]{2}\b"
    r"|\b(?:this|last|next)\s+year\b"
)


# a span of years needs a cue: "in the 2019-2021 period", "the 1981-2010 average", "covering 2026 to 2030",
# "(2009-2017)"; "ranged 1980-2010 on the test" or "cost 1999-2049 rupees" are numbers
_EN_SPAN_CUE_BEFORE_RE = re.compile(
    r"(?:\b(?:from|between|covering|covers?|covered|spanning|spans?|spanned|during|in|for|over|the|its|their|of"
    r"|through|throughout|since|period|seasons?|years?|fiscal|financial)|\()\s*$",
    re.I,
)
_EN_SPAN_CUE_AFTER_RE = re.compile(
    r"[’']?s?\s*(?:\)|(?:period|average|averages|seasons?|fiscal|financial|years?|budget|plan|term|window|cycle|era"
    r"|levels?|data|figures?|census|decade|campaign|strategy|roadmap|cohort|series|editions?)\b)",
    re.I,
)


def _sentence_start(text: str, index: int) -> int:
    cut = max(text.rfind(c, 0, index) for c in ".!?;。！？；\n")
    return cut + 1


def _sentence_end(text: str, index: int) -> int:
    ends = [i for i in (text.find(c, index) for c in ".!?;。！？；\n") if i >= 0]
    return min(ends) if ends else len(text)


# A prison term in years and months (有期徒刑6年6月, 判刑1年2月, 刑期3年6月) ends right before its month
_TERM_YEARS_BEFORE_RE = re.compile(r"(?:徒刑|刑期|判刑|判处|判處|处刑|處刑|拘役|服刑)[ \t]*[0-9０-９一二三四五六七八九十]{1,3}[ \t]*年[ \t]*$")


_EVERY_YEAR_BEFORE_RE = re.compile(
    r"(?:每年|每逢|每到|年年|歷年|历年|(?:通常|一般|往往|多半|大多|常常|經常|经常)(?:会|會)?(?:在|于|於|是|从|從|自)?)(?:的)?[ \t]*$"
)
# The start of a range of months right before a month (7月至9月, 七月到九月): read with the range's end.
_MONTH_RANGE_START_RE = re.compile(rf"{_MONTH}{_S}月(?:份)?{_S}[至到~～\-–—]{_S}$")
# A lunar-calendar date (农历五月初五, 農曆八月十五): not a day of the Gregorian calendar this extractor reports.
_LUNAR_BEFORE_RE = re.compile(r"(?:农历|農曆|阴历|陰曆|旧历|舊曆|夏历|夏曆)(?:的)?[ \t]*(?:每年)?[ \t]*$")


def _resolve_month_day(m: re.Match[str], text: str, ref: datetime.date) -> _Resolved:
    """``5月``, ``7月份``, ``十一月``, ``5月13日``, ``5月初`` (no year: nearest at or before reference,
    or at or after it when a future marker such as 将于 stands right before)."""
    month = _num(m.group("mon"))
    if month is None or not 1 <= month <= 12:
        return None
    if (
        not m.group("day")
        and _char(text, m.start() - 1) == "前"
        and (_char(text, m.start() - 2) or "^") not in _MONTH_AFTER_EARLIER_WORD
    ):
        return None  # 前3月 is "the first three months"; 此前3月, 早前3月份, 前3月12日 name a month
    if not m.group("day") and _EVERY_YEAR_BEFORE_RE.search(text[max(0, m.start() - 6) : m.start()]):
        return None  # 每年7月续签, 每逢6月, 通常在7月: a habit, any such month
    range_start = None if m.group("day") else _MONTH_RANGE_START_RE.search(text, max(0, m.start() - 10), m.start())
    if range_start and _EVERY_YEAR_BEFORE_RE.search(text[max(0, range_start.start() - 6) : range_start.start()]):
        return None  # 通常在7月至9月: the end of a habit's months
    if _LUNAR_BEFORE_RE.search(text[max(0, m.start() - 6) : m.start()]):
        return None  # 农历五月初五: a date of the lunar calendar
    if not m.group("day") and _TERM_YEARS_BEFORE_RE.search(text[max(0, m.start() - 12) : m.start()]):
        return None  # 有期徒刑6年6月, 刑期3年6月: a prison term of years and months, not a month
    if text[max(0, m.start() - 2) : m.start()] in _SAME_YEAR_SHIFT:
        return None  # 同年9月 with no four-digit year before it in the text: a year named elsewhere, unknown here
    if m.group("day"):
        day = _num(m.group("day"))
        found = _day_reading(month, day, text, m.start(), m.end(), ref) if day else None
        return (m.start(), m.end(), (*found, False)) if found else None
    if not m.group("mtail") and _NOT_MONTH_WORD.match(text, m.end()) is None:
        return None
    if text.startswith(_MONTH_IDIOMS, m.start()):
        return None
    if _RANGE_TO_NEXT_YEAR_RE.match(text, m.end()):
        year = ref.year  # 12月下旬至明年2月: a range that ends next year starts this year
    elif not m.group("mtail") and _STATISTIC_AFTER_RE.match(text, m.end()):
        # 將於7月2日公布5月份零售數據, 並於2月10日公布1月營收: the month the figures cover, at or before the day they
        # are published when the clause names it, else at or before the reference
        published = _PUBLISHED_ON_RE.search(_clause_before(text, m.start(), 40, _CLAUSE_BREAK))
        until = ref
        if published:
            offset = m.start() - len(_clause_before(text, m.start(), 40, _CLAUSE_BREAK)) + published.start()
            pm, pd = _num(published.group("pm")), _num(published.group("pd"))
            found = _day_reading(pm, pd, text, offset, offset + len(published.group("day_text")), ref) if pm and pd else None
            until = datetime.date(*found) if found else ref
        year, month = _month_at_or_before(month, until)
    elif _is_future(text, m.start(), m.end()):
        year, month = _month_at_or_after(month, ref)
    elif _is_weak_future(text, m.start(), m.end()):
        year, month = _month_nearest(month, ref)
    elif _month_at_or_after(month, ref) == _shift_month(ref.year, ref.month, 1) and (
        not _sentence_has_past(text, m.start(), m.end()) or _clause_future_after(text, m.start(), m.end())
    ):
        year, month = _shift_month(ref.year, ref.month, 1)  # 做好8月上旬台风准备 on 22 July: next month, not last year's
    else:
        year, month = _month_at_or_before(month, ref)
    week = _WEEK_OF_MONTH_RE.match(text, m.end())  # 12月第二週: the month, approximate
    if week and not m.group("mtail"):
        return m.start(), week.end(), (year, month, None, True)
    return m.start(), m.end(), (year, month, None, bool(m.group("mtail")))


_RANGE_TO_NEXT_YEAR_RE = re.compile(r"[ \t]*[至到~～\-–—][ \t]*(?:明年|次年|隔年|翌年)")
_PUBLISHED_ON_RE = re.compile(
    r"(?P<day_text>(?P<pm>[0-9０-９]{1,2})月(?P<pd>[0-9０-９]{1,2})日)[^，,。；;]{0,4}?(?:公布|公佈|发布|發布|公告|發表|发表)[ \t]*$"
)
# a month that dates a statistic (5月份零售數據, 4月CPI, 3月的出口数据): the period the figures cover, which is
# over before they are published, so never after the reference even in a sentence about the publication
_STATISTIC_AFTER_RE = re.compile(
    r"(?:份)?(?:的)?[ \t]*(?:(?:(?![布佈表推出将將于於的发發公会會要在起至到])[\u4e00-\u9fff]){0,6}?(?:数据|數據|资料|資料|统计|統計|指数|指數|读数|讀數|失业率|失業率"
    r"|通胀率|通脹率|销量|銷量|营收|營收|业绩|業績|财报|財報)|CPI|PPI|PMI|GDP)"
)
_WEEK_OF_MONTH_RE = re.compile(r"(?:的)?(?:第[一二三四五1-5１-５]|最后一|最後一)(?:周|週|个星期|個星期|个礼拜|個禮拜)")


def _resolve_rel_month(m: re.Match[str], text: str, ref: datetime.date) -> _Resolved:
    """``上个月``, ``上個月``, ``本月17日``, ``下个月初``."""
    word = m.group("mrel")
    before, after = _char(text, m.start() - 1), _char(text, m.end("mrel"))
    if word in ("上月", "下月", "本月") and after and after in "球亮光饼餅台臺薪活":
        return None  # 送上月球: the Moon
    if word == "本月" and before and before in "日资資成根样樣版剧劇课課账賬书書":
        return None  # 日本月…: Japan
    year, month = _shift_month(ref.year, ref.month, _REL_MONTH_SHIFT[word])
    if m.group("mtail"):
        return m.start(), m.end(), (year, month, None, True)
    if m.group("day"):
        day = _num(m.group("day"))
        if day is not None and _valid_day(year, month, day):
            return m.start(), m.end(), (year, month, day, False)
        return m.start(), m.end("mrel"), (year, month, None, False)
    return m.start(), m.end(), (year, month, None, False)


# An offset counted from an event named right before it (出生满100天后, 发布30天后, 上线3天后, 开业满一周后,
# 届满7天後): the event's own date is not given, so the offset is not a date even in a plan
# (预计将在出生满100天后与游客见面); a bare 100天后 opening a clause keeps its plan reading.
_EVENT_ANCHOR_BEFORE_RE = re.compile(
    r"(?:(?:出生|诞生|誕生|上市|上线|上線|开业|開業|开通|開通|通车|通車|入学|入學|开学|開學|退休|生效|签约|簽約|签署|簽署"
    r"|发布|發布|發佈|推出|开幕|開幕|开馆|開館|成立|投产|投產|交付|到期|注册|註冊|安装|安裝|购买|購買|购车|購車|结婚|結婚"
    r"|毕业|畢業|入职|入職|上任|就任|接种|接種|播出|开播|開播|开售|開售|发售|發售|竣工|完工|启用|啟用|实施|實施|施行|公布"
    r"|确诊|確診|手术|手術|出院|入院|下单|下單|付款|申请|申請|提交|收到|到货|到貨|发货|發貨|满月|滿月)"
    r"(?:[ \t]*(?:已|)(?:满|滿|届满|屆滿))?|(?:届满|屆滿|满|滿))[ \t]*$"
)


def _resolve_ago(m: re.Match[str], text: str, ref: datetime.date) -> _Resolved:
    """``6個月前``, ``两年前``, ``三年前``, ``半年前``, ``3天前``."""
    unit = m.group("unit")
    if m.group("dir") != "前" and _EVENT_ANCHOR_BEFORE_RE.search(text, max(0, m.start() - 8), m.start()):
        return None  # 出生满100天后, 发布30天后: counted from an event whose date is not given
    if m.group("dir") != "前" and (unit in ("年", "个月", "個月") or not _is_future(text, m.start(), m.end())):
        return None  # 两年后, 半年后, 上线3天后: counted from an event, not from the reference
    if m.group("n") == "半":
        if unit != "年":
            return None
        year, month = _shift_month(ref.year, ref.month, -6)
        return m.start(), m.end(), (year, month, None, True)
    n = _num(m.group("n"))
    if n is None or n > 36600:
        return None
    if re.search(r"[0-9０-９][ \t]*年?[ \t]*[至到~～\-–—][ \t]*$", text[max(0, m.start() - 6) : m.start()]):
        return None  # 115至118年前: "before (Minguo) 115 to 118" or a span of counts, never one number of years ago
    if unit == "年" and 100 <= n <= 149 and ref.year <= 1911 + n <= ref.year + 10 and _MINGUO_DEADLINE_AFTER_RE.match(
        text, m.end()
    ):
        return None  # 115年前可望上路 (in 2025): before the Minguo year 115, read by the Minguo rule
    sign = -1 if m.group("dir") == "前" else 1
    if unit in _AGO_WEEK_UNITS:  # 两周前: that many weeks back, to the day, approximate
        day = ref + datetime.timedelta(days=sign * 7 * n)
        return m.start(), m.end(), (day.year, day.month, day.day, True)
    if sign > 0:
        day = ref + datetime.timedelta(days=n)
        return m.start(), m.end(), (day.year, day.month, day.day, False)
    if unit == "年":
        value: _Value = (ref.year - n, None, None, False)
    elif unit in ("个月", "個月"):
        year, month = _shift_month(ref.year, ref.month, -n)
        value = (year, month, None, False)
    else:
        day = ref - datetime.timedelta(days=n)
        value = (day.year, day.month, day.day, False)
    return (m.start(), m.end(), value) if _year_ok(value[0]) else None


def _resolve_decade(m: re.Match[str], text: str, ref: datetime.date) -> _Resolved:
    """``上世纪80年代``, ``90年代``, ``1980年代``, ``八十年代``: the decade's first year, approximate."""
    token, cent = m.group("dec"), m.group("cent")
    number = _num(token)
    if number is None or number % 10:
        return None
    if len(token) == 4:
        if cent:
            return None
        year = number
    elif number > 90:
        return None
    elif cent:
        year = ((ref.year // 100 - 1) * 100 if cent.startswith("上") else 1900) + number
    else:  # the latest such decade not after the reference: 90年代 -> 1990s, 20年代 -> 2020s
        century = ref.year // 100
        year = century * 100 + number if century * 100 + number <= ref.year else (century - 1) * 100 + number
    if not _year_ok(year):
        return None
    return m.start(), m.end(), (year, None, None, True)


def _resolve_numeric(m: re.Match[str], text: str, ref: datetime.date) -> _Resolved:
    """``2025-08-18``, ``2023/11/22``, ``2023.11.22`` (a four-digit year first; never month/day first)."""
    year, month, day = int(m.group("y")), int(m.group("m")), int(m.group("d"))
    if not _year_ok(year, True) or not _valid_day(year, month, day):
        return None
    return m.start(), m.end(), (year, month, day, False)


def _resolve_slash_dmy(m: re.Match[str], text: str, ref: datetime.date) -> _Resolved:
    """``22/11/2023`` (day first) or ``11/22/2023`` (month first), when only one reading is a date."""
    a, b, year = int(m.group("a")), int(m.group("b")), int(m.group("y"))
    readings = {(year, month, day) for month, day in ((a, b), (b, a)) if _year_ok(year, True) and _valid_day(year, month, day)}
    if len(readings) != 1:
        return None
    return m.start(), m.end(), (*readings.pop(), False)


def _resolve_iso_month(m: re.Match[str], text: str, ref: datetime.date) -> _Resolved:
    """``2023-11``."""
    year, month = int(m.group("y")), int(m.group("m"))
    if not _year_ok(year) or not 1 <= month <= 12:
        return None
    return m.start(), m.end(), (year, month, None, False)


_BARE_DAY_RE = re.compile(
    # 16日-17日: the end of a range written with a dash is a day too (a dash after a number is not)
    rf"(?:(?<=[日号號][\-~～–—])|{_NOT_AFTER_NUMBER})(?<![月第每数數几幾个個多周週期拜今昨前明后後节節号號])"
    r"(?P<day>[0-9０-９]{1,2})[ \t]*(?:日(?![元圆圓円本语語文军軍常益趋趨渐漸夜用内內以游均子产產报報记記志期])"
    r"|[号號](?=[上下早晚凌中当當，,。、（( ]|前后|前後))"
)


# 十八日上午, 二十日電: a bare day in Chinese numerals, only 11-31 (三日/十日 are as often durations) and only
# before a part of the day, a dateline's 電 or a reporting verb.
_BARE_CN_DAY_RE = re.compile(
    rf"(?<![月第每数數几幾个個多周週期拜今昨前明后後节節号號{_CN_NUM}])(?P<day>[一二三]?十[一二三四五六七八九]|[二三]十)日"
    r"(?=上午|下午|中午|晚|早|凌晨|傍晚|深夜|夜|電|电|宣布|表示|發布|发布|舉行|举行|召開|召开|公布|指出|證實|证实)"
)


def _resolve_bare_cn_day(m: re.Match[str], text: str, ref: datetime.date) -> _Resolved:
    day = _num(m.group("day"))
    if day is None or not 11 <= day <= 31 or text[max(0, m.start() - 2) : m.start()].endswith(
        _DURATION_BEFORE + _BARE_DAY_COUNT_BEFORE
    ):
        return None
    year, month = ref.year, ref.month
    for _ in range(3):  # the most recent such day not after the reference
        if _valid_day(year, month, day) and (year, month, day) <= (ref.year, ref.month, ref.day):
            return m.start(), m.end(), (year, month, day, False)
        year, month = _shift_month(year, month, -1)
    return None


_BARE_DAY_COUNT_BEFORE = ("连续", "連續", "过去", "過去", "这", "這", "首", "头", "頭", "共", "达", "達", "仅",
                          "僅", "约", "約", "不到", "内", "內", "用了", "花了", "持续", "持續",
                          "长至", "長至", "日起")  # 可能延长至7日, 判决书送达次日起10日: a number of days


# A period's length (公示期为30日, 期限為30日, 有效期是7日; not 日期为5日, "the date is the 5th") and a verb of
# lasting right before the number (公開陳列5日, 停牌3日, 隔離14日, 延長5日): a number of days, not a day.
_DAY_DURATION_BEFORE_RE = re.compile(
    r"(?:(?<![日产產婚止])期|期限|期间|期間|时限|時限|时效|時效|周期|週期|天数|天數)[ \t]*(?:为|為|是|约|約|共|仅|僅|只有)?[ \t]*$"
    r"|(?:陈列|陳列|公示|展出|展览|展覽|停牌|休市|停市|隔离|隔離|拘留|羁押|羈押|住院|停留|停业|停業|停课|停課"
    r"|停工|休假|休息|延长|延長|延期|顺延|順延|为期|為期|历时|歷時|维持|維持|持续|持續)[ \t]*$"
)


def _resolve_bare_day(m: re.Match[str], text: str, ref: datetime.date) -> _Resolved:
    """``18日``, ``19日晚``, ``14日電``: the most recent such day of a month not after the reference."""
    day = _num(m.group("day"))
    if day is None or not 1 <= day <= 31:
        return None
    if text[max(0, m.start() - 2) : m.start()].endswith(_DURATION_BEFORE + _BARE_DAY_COUNT_BEFORE):
        return None  # 连续3日, 近5日: a number of days
    if _DAY_DURATION_BEFORE_RE.search(text, max(0, m.start() - 8), m.start()) and not re.match(
        rf"[ \t]*[{_RANGE_JOIN}]", text[m.end() :]
    ):
        return None  # 公示期为30日, 期限為30日, 公開陳列5日, 停牌3日: a length of time (期间为5日至7日 is a range)
    deictic = _DEICTIC_BEFORE_BRACKET_RE.search(text, max(0, m.start() - 8), m.start())
    if deictic:
        named = ref + datetime.timedelta(days=_DEICTIC_SHIFT[deictic.group("word")])
        if named.day == day:
            return m.start(), m.end(), (named.year, named.month, named.day, False)
    counted = _COUNTED_RANGE_RE.search(text, max(0, m.start() - 12), m.start())
    if counted and (
        text[max(0, counted.start() - 2) : counted.start()].endswith(_RANGE_COUNT_BEFORE)
        or _char(text, counted.start() - 1) in tuple(_BAD_BEFORE_BARE_DAY.replace("月", ""))
        or text[max(0, counted.start() - 3) : counted.start()].endswith(("每月", "每个月", "每個月"))
        or (_char(text, counted.start() - 1) not in ("月", "") and _cn_range_unplaced(text, counted.start()))
    ):
        return None  # 需要5至7日 (a number of days), 第5至7日 (the days of a count), 每月5至7日 (a habit)
    found = _bare_day_date(day, text, m.start(), m.end(), ref)
    return (m.start(), m.end(), (*found, False)) if found else None


def _bare_day_date(day: int, text: str, start: int, end: int, ref: datetime.date) -> tuple[int, int, int] | None:
    """The day of a month a bare day number names: the most recent not after the reference, or after a
    future marker the first not before it (one at most a week past stays past)."""
    m_start, m_end = start, end
    future = _is_future(text, m_start, m_end)
    clause = _clause_before(text, m_start, _FUTURE_WINDOW, _CLAUSE_BREAK)
    if future and 1 <= ref.day - day <= _JUST_PAST_DAYS:
        future = False  # 将于15日 in an article of the 17th: scheduled, and now just past
    if not future and day > ref.day and (_is_weak_future(text, m_start, m_end) or _DEADLINE_BEFORE_RE.search(clause)):
        # the nearer reading: this month's or last month's (预产期为15日, 截止日为20日: a stated date ahead or past)
        future = ref.day + 31 - day > day - ref.day
    if (
        not future
        and 0 < day - ref.day <= _SOON_BARE_DAYS
        and not _TENSE_RE.search(clause)
        and not _SENTENCE_PAST_RE.search(_clause_after(text, m_end))
    ):
        future = True  # 台鐵宣布3日停駛 in an article of the 2nd: tomorrow, not a month ago
    year, month = ref.year, ref.month
    for _ in range(3):
        if _valid_day(year, month, day) and (
            (year, month, day) >= (ref.year, ref.month, ref.day)
            if future
            else (year, month, day) <= (ref.year, ref.month, ref.day)
        ):
            return year, month, day
        year, month = _shift_month(year, month, 1 if future else -1)
    return None


# A day range: 3月5日至7日, 3月5至7日, 去年10月8-10日, 2023年3月5日至7日, 将在5至7日. The end is the first such day
# not before the start (in the start's month, or the next one: 3月30日至2日); a start without 日 is reported
# here too. Not a range of days: 5至7万名, 需要5至7日 (a count), 5至7日内.
_RANGE_JOIN = "至到~～\\-–—、"  # 9月15、16日 lists two days; the second is read like a range's end
_DAY_WORD_AFTER = "元圆圓円本语語文军軍常益趋趨渐漸夜用内內以游均子产產报報记記志期"
_CN_DAY = "[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九十]"  # in Chinese numerals: only after a month
_CN_DAY_RANGE_RE = re.compile(
    rf"(?:(?:{_NOT_AFTER_NUMBER}(?P<year>{_D}{{4}}|[〇零○一二三四五六七八九]{{4}}){_S}年|(?P<yrel>今年|去年|明年|前年|本年)){_S})?"
    rf"(?:(?P<mon>{_NOT_AFTER_NUMBER}[0-9０-９]{{1,2}}|十[一二]?|[一二三四五六七八九十]){_S}月(?:份)?{_S}"
    rf"|(?P<mrel>{'|'.join(sorted(_REL_MONTH_SHIFT, key=len, reverse=True))}){_S})?"
    rf"(?P<day1>{_NOT_AFTER_NUMBER}[0-9０-９]{{1,2}}|{_CN_DAY}){_S}(?P<unit1>[日号號])?{_S}(?P<join>[{_RANGE_JOIN}]){_S}"
    rf"(?P<day2>[0-9０-９]{{1,2}}|{_CN_DAY}){_S}[日号號](?![{_DAY_WORD_AFTER.replace('期', '')}]|期(?![間间]))"
)
_COUNTED_RANGE_RE = re.compile(rf"[0-9０-９]{{1,2}}{_S}[日号號]?{_S}[{_RANGE_JOIN}]{_S}$")
_RANGE_COUNT_BEFORE = _DURATION_BEFORE + _BARE_DAY_COUNT_BEFORE + ("需", "需要", "为期", "為期", "要", "花", "需时", "需時")
_BAD_BEFORE_BARE_DAY = "月第每数數几幾个個多周週期拜今昨前明后後节節号號"


# a day range without a month is placed by a word right before it (于/在/定在/安排在/时间为/自…); count words
# before it (一般, 通常, 约, 预计…) make it a number of days
_CN_RANGE_PLACE_BEFORE_RE = re.compile(r"(?:[于於在为為是自从從至到和及与與]|期间|期間|日期|时间|時間|当天|當天|，|,)[ \t]*$")
_CN_RANGE_COUNT_WORDS = ("一般", "通常", "大约", "大約", "约", "約", "大概", "平均", "往往", "预计", "預計", "需")


def _cn_range_unplaced(text: str, start: int) -> bool:
    """Whether a monthless day range starting at ``start`` is a number of days rather than days of a month."""
    window = text[max(0, start - 6) : start]
    clause = window[max(window.rfind(ch) for ch in "，,：:；;") + 1 :]  # 气象台预计，13日至15日: 预计 is another clause's
    return not _CN_RANGE_PLACE_BEFORE_RE.search(window) or any(w in clause for w in _CN_RANGE_COUNT_WORDS)


def _resolve_cn_day_range(m: re.Match[str], text: str, ref: datetime.date) -> _Resolved:
    """Both ends of a day range; the start only when it has no 日 of its own (the other rules read it)."""
    day1, day2 = _num(m.group("day1")), _num(m.group("day2"))
    if not day1 or not day2 or day1 > 31 or day2 > 31 or (m.group("join") == "、" and day2 <= day1):
        return None  # a list of days goes forward: 15、16日
    if not (m.group("mon") or m.group("mrel")) and not (m.group("day1") + m.group("day2")).isdigit():
        return None  # 三至五日 is a number of days; 十一月五日至十日 is a range
    if m.group("mrel"):  # 本月8至10日
        if m.group("year") or m.group("yrel"):
            return None
        year, month = _shift_month(ref.year, ref.month, _REL_MONTH_SHIFT[m.group("mrel")])
        start = (year, month, day1) if _valid_day(year, month, day1) else None
        first = m.start("mrel")
    elif m.group("mon"):
        month = _num(m.group("mon"))
        if month is None or not 1 <= month <= 12:
            return None
        if m.group("year") or m.group("yrel"):
            year = _cn_year(m.group("year")) if m.group("year") else ref.year + _REL_YEARS[m.group("yrel")]
            start = (year, month, day1) if year and _year_ok(year, True) and _valid_day(year, month, day1) else None
        else:
            start = _day_reading(month, day1, text, m.start("mon"), m.end(), ref)
        first = m.start("year") if m.group("year") else m.start("yrel") if m.group("yrel") else m.start("mon")
    else:
        if m.group("year") or m.group("yrel"):
            return None
        before = _char(text, m.start("day1") - 1)
        if (before and before in _BAD_BEFORE_BARE_DAY) or text[max(0, m.start() - 2) : m.start()].endswith(
            _RANGE_COUNT_BEFORE
        ):
            return None  # 第5至7日, 需要5至7日: not days of a month
        if _cn_range_unplaced(text, m.start()):
            return None  # 快递一般3至5日送达, 审批通常5至7日完成: a number of days; 将在5至7日举行 places it
        start = _bare_day_date(day1, text, m.start("day1"), m.end(), ref)
        first = m.start("day1")
    if not start:
        return None
    # the end is in the start's month (5至7日), or in the next one when its number is smaller (30日至2日)
    year, month = start[:2] if day2 > day1 else _shift_month(start[0], start[1], 1)
    if not _valid_day(year, month, day2):
        return None
    end = datetime.date(year, month, day2)
    found = [(m.start("day2"), m.end(), (end.year, end.month, end.day, False))]
    if not m.group("unit1"):
        found.insert(0, (first, m.end("day1"), (*start, False)))
    return found


_DEICTIC_WORDS = (
    "大前天|大后天|大後天|今天|今日|昨天|昨日|前天|前日|明天|明日|后天|後天|今晨|今早|今晚|今夜|昨晚|昨夜|昨晨|昨早"
    "|前晚|明晚|明早"
)
_DEICTIC_DAY_RE = re.compile(
    # 後/前 that ends a word (其後天氣, 5日前後天氣, 随后天气, 目前天气): its 天 starts 天气, not 後天/前天
    r"(?<![其之以然此日随隨最背落前稍事午过過饭飯赛賽战戰今](?=[后後]天))(?<![之以此日目提事生空眼當当先从從午面早](?=前天))"
    rf"(?<!先天.)(?<!先天)(?P<word>{_DEICTIC_WORDS})"
    r"(?!头条|頭條|美股|股市|说法|說法|之[^前后後]|会更|會更)(?<!今晚(?=[报報]))"  # 明天会更好, 今晚报 (a paper)
    r"(?<!明日(?=方舟|香|之后|之後|新闻|新聞|[报報]))"  # names: 明日方舟, 明日之后 (games), 明日香
    r"(?<![后後]天(?=[的形养養习習获獲因努学學]))"  # 先天与后天, 后天的努力: "acquired", not a day
)
_DEICTIC_SHIFT = {"今天": 0, "今日": 0, "昨天": -1, "昨日": -1, "前天": -2, "前日": -2, "明天": 1, "今晨": 0,
                  "今早": 0, "今晚": 0, "今夜": 0, "昨晚": -1, "昨夜": -1, "昨晨": -1, "昨早": -1,
                  "前晚": -2, "明日": 1, "明晚": 1, "明早": 1, "后天": 2, "後天": 2, "大前天": -3, "大后天": 3,
                  "大後天": 3}  # fmt: skip
# 明日（2日）, 后天（22日）起: the day number in brackets after a deictic word names the same day
_DEICTIC_BEFORE_BRACKET_RE = re.compile(rf"(?P<word>{_DEICTIC_WORDS})[ \t]*[（(][ \t]*$")
# Taiwanese and Hong Kong papers write the day beside the deictic: 台積電昨（16）日召開法說會, 今(17)日.
_DEICTIC_NUMBER_RE = re.compile(
    r"(?P<word>今|昨|前|明)[ \t]*[（(][ \t]*(?P<day>[0-9０-９]{1,2})[ \t]*[）)][ \t]*[日号號]"
)


def _resolve_deictic_number(m: re.Match[str], text: str, ref: datetime.date) -> _Resolved:
    """``昨（16）日``: the day the number names, next to the day the word names (the number wins when the
    reference date is a day off)."""
    day = _num(m.group("day"))
    if day is None or not 1 <= day <= 31:
        return None
    shift = {"今": 0, "昨": -1, "前": -2, "明": 1}[m.group("word")]
    named = ref + datetime.timedelta(days=shift)
    if named.day == day:
        return m.start(), m.end(), (named.year, named.month, named.day, False)
    year, month = ref.year, ref.month
    for _ in range(3):  # the most recent such day not after the reference (for 明, the first after it)
        if _valid_day(year, month, day) and (
            (year, month, day) > (ref.year, ref.month, ref.day)
            if shift > 0
            else (year, month, day) <= (ref.year, ref.month, ref.day)
        ):
            return m.start(), m.end(), (year, month, day, False)
        year, month = _shift_month(year, month, 1 if shift > 0 else -1)
    return None


_TIME_OF_DAY_AFTER_RE = re.compile(
    r"[ \t]*(?:凌晨|清晨|早上|上午|中午|下午|傍晚|晚上|晚間|晚间|深夜|午夜|[0-9０-９]{1,2}[ \t]*(?:时|時|点|點))"
)  # 今晚8時至明早6時, 至明日凌晨2時: the end of a span of hours is a day


# The start of a span of days right before 至/到 (明日至後天, 今天白天到明天: the end is a day too)
_DEICTIC_SPAN_START_RE = re.compile(
    rf"(?:{_DEICTIC_WORDS})[ \t]*(?:白天|白日|夜间|夜間|晚上|晚间|晚間|上午|下午|中午|早上|凌晨|傍晚|深夜|夜里|夜裡)?[ \t]*[至到]$"
)
# 至/到 before a deictic day that is a point, not "so far": "as of" (截至昨日, 截止到今天) and a move of a date
# (押後至今日判刑, 延至明天, 改到後天). 到今天為止 ("until now") stays a span.
_DEICTIC_END_POINT_RE = re.compile(
    r"(?:截至|截止|截止到|截止至|(?:押后|押後|延期|推迟|推遲|推后|推後|顺延|順延|改期|休庭)[^，,。；;]{0,4}[至到]"
    r"|(?:延|改|提前)[至到])[ \t]*$"  # right before 至: not 延续至今天 ("has lasted until today"), 改革开放至今天
)
_SO_FAR_AFTER_RE = re.compile(r"[ \t]*(?:为止|為止|以来|以來|仍|还|還|依然|依舊|依旧)")


def _resolve_deictic_day(m: re.Match[str], text: str, ref: datetime.date) -> _Resolved:
    """``今天``/``今日``, ``昨天``/``昨日``, ``前天``: the reference day and the two before it."""
    before = _char(text, m.start() - 1)
    if before and before in "如至迄到那某每的有比像" and not (
        before in "至到"
        and (
            _TIME_OF_DAY_AFTER_RE.match(text, m.end())
            or _DEICTIC_SPAN_START_RE.search(text[max(0, m.start() - 8) : m.start()])
            or (
                _DEICTIC_END_POINT_RE.search(_clause_before(text, m.start(), _FUTURE_WINDOW, _CLAUSE_BREAK))
                and not _SO_FAR_AFTER_RE.match(text, m.end())
            )
        )
    ):  # 明日至後天, 今天白天到明天: both ends of a span of days; 截至昨日, 押後至今日判刑: a day
        return None  # 如今天…, 到今天为止, 十年前的今天, 没有今天强大: a span or "nowadays", not a day
    word = m.group("word")
    pair = ("今天", "昨天") if word in ("今天", "昨天") else ("今日", "昨日")
    window = text[max(0, m.start() - 15) : m.end() + 15]
    if all(p in window for p in pair) and re.search(r"(?:昨天|昨日)[^，。,]{0,3}(?:还|還|仍)", window):
        return None  # 昨天还不会…，今天… : a figure of speech about change
    day = ref + datetime.timedelta(days=_DEICTIC_SHIFT[m.group("word")])
    return m.start(), m.end(), (day.year, day.month, day.day, False)


_WEEKDAY_CN = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "末": None}
_WEEKDAY_RE = re.compile(
    r"(?P<rel>上上|下下|上|本|这|這|下)?[ \t]*(?:(?:个|個)?(?:周|週|星期|礼拜|禮拜))(?P<wd>[一二三四五六日天])"
    r"(?![二三四五六年刊记記末]|一(?!度|早|大早|整天|直|举|舉|同))"  # 周一二三 lists; 上周六一度升至 is a day
    # 上週五報1,489點, 上周三报收: quoted at; 上周三报道 reported on
    r"(?![报報](?![ \t]*(?:[0-9０-９]|收|道|導|导)))"
)
_WEEKDAY_RANGE_AFTER = "至到-~～–—、"
# 本週一至週三: the end of a range that starts with a weekday of a named week is in that week
_WEEKDAY_RANGE_START_RE = re.compile(
    r"(?P<rel>上上|上|本|这|這|下)[ \t]*(?:(?:个|個)?(?:周|週|星期|礼拜|禮拜))[一二三四五六日天][ \t]*[至到\-~～–—][ \t]*$"
)


# A weekday followed by a standing closure (週一公休, 周二闭馆, 逢週三休市): every week, not one day.
_WEEKDAY_HABIT_AFTER_RE = re.compile(
    r"[ \t]*(?:及[^，,。；;]{0,6})?(?:公休|例休|休館|休馆|閉館|闭馆|休息|休市|店休|不开放|不開放|不营业|不營業|照常开放|照常開放)"
)


def _resolve_weekday(m: re.Match[str], text: str, ref: datetime.date) -> _Resolved:
    """``周二``, ``上周五``, ``上週五``, ``本周三``, ``星期日``: that weekday relative to the reference's week."""
    before = text[max(0, m.start() - 2) : m.start()]
    after = _char(text, m.end())
    rel = m.group("rel")
    if not rel and after and after in _WEEKDAY_RANGE_AFTER:
        return None  # 周一至周五 (weekdays), 周一、周三 (a habit)
    range_start = _WEEKDAY_RANGE_START_RE.search(text, max(0, m.start() - 12), m.start()) if not rel else None
    if range_start:  # 本週一至週三: the same week as the start
        rel = range_start.group("rel")
    elif before and before[-1] in ("个個每逢那某几幾多两兩一的" if rel else "个個每逢那某几幾多两兩一的至到~～-–—、"):
        return None  # 一个周日 (some Sunday), 每周二 (every Tuesday), 周一至周五 (weekdays)
    if re.search(r"[日号號][)）]?[ \t（(]*$", before):
        return None  # 11月22日（周三）: the date is reported, the weekday only repeats it
    if not rel and _WEEKDAY_HABIT_AFTER_RE.match(text, m.end()):
        return None  # 週一公休, 周二闭馆: the weekday of a standing rule, every week
    weekday = _WEEKDAY_CN[m.group("wd")]
    monday = ref - datetime.timedelta(days=ref.weekday())
    if rel in ("上",):
        day = monday - datetime.timedelta(days=7) + datetime.timedelta(days=weekday)
    elif rel == "上上":
        day = monday - datetime.timedelta(days=14) + datetime.timedelta(days=weekday)
    elif rel in ("本", "这", "這"):
        day = monday + datetime.timedelta(days=weekday)
    elif rel == "下":
        day = monday + datetime.timedelta(days=7 + weekday)
    elif rel == "下下":
        day = monday + datetime.timedelta(days=14 + weekday)
    elif _is_future(text, m.start(), m.end()) or _is_weak_future(text, m.start(), m.end(), sentence=False):
        # 将于周四, 希望在禮拜五前: the coming one, the reference day included
        day = ref + datetime.timedelta(days=(weekday - ref.weekday()) % 7)
    elif _is_weak_future(text, m.start(), m.end()):  # a future elsewhere in the sentence: the nearer one
        ahead, back = (weekday - ref.weekday()) % 7, (ref.weekday() - weekday) % 7
        day = ref + datetime.timedelta(days=ahead) if ahead < back else ref - datetime.timedelta(days=back)
    else:  # a bare weekday is the most recent one, the reference day included
        day = ref - datetime.timedelta(days=(ref.weekday() - weekday) % 7)
    return m.start(), m.end(), (day.year, day.month, day.day, False)


_SEASON_REL_RE = re.compile(r"(?P<srel>今|去|明)(?P<season>春|夏|秋|冬)")
_SEASON_REL_YEARS = {"今": 0, "去": -1, "明": 1}
_HAN_RE = re.compile(r"[\u3400-\u9fff]")
_SEASON_REL_OK_BEFORE = "于於在到至将將从從自及和与與或最冬的计計划劃望待"  # 于今春, 去冬今春, 预计今春, 期待今春


def _resolve_season_rel(m: re.Match[str], text: str, ref: datetime.date) -> _Resolved:
    """``今春``, ``去冬``, ``明夏``: that year, approximate (a season is a vague part of a year)."""
    before, after = _char(text, m.start() - 1), _char(text, m.end())
    if before and _HAN_RE.match(before) and before not in _SEASON_REL_OK_BEFORE:
        return None  # 如今春天 (nowadays, spring...), 李明春 (a name): only after a particle or a break
    if after and after in _SEASON_NAME_AFTER + "季天日风風雨":
        return None  # 今春节, 今春季 read as 今 + 春季
    return m.start(), m.end(), (ref.year + _SEASON_REL_YEARS[m.group("srel")], None, None, True)


# 年底/年初/年末 with no year before them: the reference's year, approximate (於年底前 in a news story is
# this year's end) -- unless a year stands earlier in the sentence ("2015年成立，年底…" is that year's).
_BARE_YEAR_PART_RE = re.compile(rf"(?<![0-9０-９{_CN_NUM}今去明前后後本同当當该該全每上下这這那隔年])(?P<part>年底|年末|年初|上半年|下半年)")
_YEAR_IN_SENTENCE_RE = re.compile(
    r"(?P<digits>(?<![0-9０-９])(?:19|20)[0-9]{2}(?![0-9０-９]))|(?P<cn>[〇零○一二三四五六七八九]{4})[ \t]*年"
    r"|(?P<roc>(?<![0-9０-９])1[0-4][0-9])[ \t]*年|(?P<rel>今年|本年|去年|明年|前年)|[0-9０-９]{2,3}[ \t]*年"
)
_YEAR_PART_FUTURE_RE = re.compile(r"(?:预估|預估|预计|預計|可望|有望|将|將|计划|計劃|拟|擬|目标|目標)[^，,；;]{0,6}$")


def _sentence_year(m: re.Match[str], ref: datetime.date) -> int | None:
    """The year a year mention found by ``_YEAR_IN_SENTENCE_RE`` names, None when it is not clear."""
    if m.group("digits"):
        return int(m.group("digits"))
    if m.group("cn"):
        return _cn_year(m.group("cn"))
    if m.group("roc"):
        return 1911 + int(m.group("roc"))
    if m.group("rel"):
        return ref.year + _REL_YEARS[m.group("rel")]
    return None


def _resolve_bare_year_part(m: re.Match[str], text: str, ref: datetime.date) -> _Resolved:
    """``年底``, ``上半年``: the year of the sentence. The reference year when the sentence names no year
    before it, or names the reference year last, or looks ahead (預估年底前), or names years only to compare
    (較2021年, 108年同期); otherwise the year named last (2021年…年底, 2022年新增…，年底保有量)."""
    sentence = _clause_before(text, m.start(), 120, "。！？!?\n")
    years = list(_YEAR_IN_SENTENCE_RE.finditer(sentence))
    if not years:
        return m.start(), m.end(), (ref.year, None, None, True)
    year = _sentence_year(years[-1], ref)
    clause = _clause_before(text, m.start(), 120, "。！？!?\n，,；;")
    same_clause = len(sentence) - years[-1].start() <= len(clause)
    if year == ref.year or (year is not None and same_clause and _year_ok(year)):
        return m.start(), m.end(), (year, None, None, True)
    if _YEAR_PART_FUTURE_RE.search(clause):
        return m.start(), m.end(), (ref.year, None, None, True)
    anchors = [
        y for y in years
        if not re.search(r"(?:較|较|比|與|与)[ \t]*$", sentence[: y.start()]) and not sentence.startswith(("同期", "相比"), y.end())
    ]  # 較2021年, 108年同期: a comparison, not the time the sentence is about
    year = _sentence_year(anchors[-1], ref) if anchors else ref.year  # only comparisons: the sentence is now
    if year is not None and _year_ok(year):
        return m.start(), m.end(), (year, None, None, True)  # 2022年新增…，年底保有量: that year's end
    return None


# 月底/月初 with no month before them: the reference month, approximate (预计月底前上线), unless the
# sentence names a month before them.
_BARE_MONTH_PART_RE = re.compile(r"月(?P<part>底|初|末|中旬|上旬|下旬)")
_EN_MONTH_NAME = (
    r"\b(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t|tember)?"
    r"|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\b"
)
_MONTH_IN_SENTENCE_RE = re.compile(rf"月|{_EN_MONTH_NAME}")


# a clause of its own that demands or plans something by the month's end (主張在月底前完成, 要求月底前提交)
_MONTH_END_PLAN_RE = re.compile(
    rf"(?:{_FUTURE_MARKER}|主张|主張|要求|希望|力争|力爭|争取|爭取|须|須|需|应|應|预计|預計|计划|計劃|将|將|拟|擬)"
)


def _resolve_bare_month_part(m: re.Match[str], text: str, ref: datetime.date) -> _Resolved:
    """``月底``, ``月初``: the reference month, approximate, when the sentence names no other month."""
    before = _char(text, m.start() - 1)
    if before and _HAN_RE.match(before) and before not in "于於在到至及和与與或将將计計拟擬最从從自止前待求张張望":
        return None  # 岁月初心, 日月: 月 ends another word
    own_clause = _clause_before(text, m.start(), _FUTURE_WINDOW, _CLAUSE_BREAK)
    deadline_now = m.group("part") == "底" and _char(text, m.end()) == "前" and _MONTH_END_PLAN_RE.search(own_clause)
    if not deadline_now and _MONTH_IN_SENTENCE_RE.search(_clause_before(text, m.start(), 120, "。！？!?\n")):
        return None  # 2022年3月…，月底: that month's end; but …，民進黨團則主張在月底前完成: this month's
    return m.start(), m.end(), (ref.year, ref.month, None, True)


# Taiwan's Minguo years: 民國112年, 112年11月22日 (a three-digit year with a month is one: 1911 + 112).
_MINGUO_RE = re.compile(
    rf"(?P<era>民國|民国)?{_NOT_AFTER_NUMBER}(?P<roc>1[0-4][0-9]|[1-9][0-9])[ \t]*年(?P<fy>度)?"
    rf"(?:{_S}(?P<mon>[0-9０-９]{{1,2}}){_S}月(?:{_S}(?P<day>[0-9０-９]{{1,2}}){_S}[日号號])?)?"
)


# A three-digit year alone (115年) is a Minguo year only near the reference and before a word that names a
# year's time (起, 底, 第二季, 上半年) or a yearly event (地方選舉, 預算): 115年起施行, 117年底, 114年第二季,
# 115年地方公職人員選舉. Not 已有115年歷史, 開了115年, 115年前 (years ago), 第115年.
_BARE_MINGUO_AFTER_RE = re.compile(
    r"[ \t]*(?:(?P<tail>底|末|初)|起|開始|开始|第[一二三四1-4１-４]季|[上下]半年|地方|總統|总统|大選|大选|選舉|选举"
    r"|九合一|預算|预算|元旦|春節|春节|國慶|国庆|施政|會計|会计|同期|第[一二三四五六七八九十0-9０-９]{1,2}[次屆届季]"
    r"|前(?=[^，。；]{0,4}(?:可望|將|将|要|須|需|必須|完成|上路|達成|达成|实施|實施))"
    r"|(?=[ \t]*(?:及|和|、|與|与|或)[ \t]*1[0-4][0-9][ \t]*年))"  # 113年及114年: a list of Minguo years
)
_MINGUO_DEADLINE_AFTER_RE = re.compile(r"[^，。；]{0,4}(?:可望|將|将|要|須|需|必須|完成|上路|達成|达成|实施|實施)")
# ... or after a word that compares with, places in or starts from a year: 較114年成長, 於114年撥補, 恢復至108年同期.
_BARE_MINGUO_BEFORE_RE = re.compile(
    r"(?:較|较|比|於|于|在|自|從|从|至|到|截至|與|与|和|及|、|預計|预计|預估|预估|可望|目標|目标|力拚|最快|最晚"
    r"|統計|统计|調查|调查|資料|资料|數據|数据)[ \t]*[，,]?[ \t]*$"  # 根據經濟部統計，113年全台…
)
_BARE_MINGUO_PAST_YEARS = 15  # a bare Minguo year this many years back at most (105年起 in a 2023 article)
_BARE_MINGUO_BAD_BEFORE = ("了", "有", "近", "逾", "達", "达", "約", "约", "共", "滿", "满", "第", "每", "已", "長", "长",
                           "歷", "历", "花", "需", "要", "超過", "超过", "經過", "经过", "超")


def _bare_minguo_year(m: re.Match[str], text: str, ref: datetime.date) -> _Resolved:
    if m.group("era") or m.group("fy") or m.group("mon") or len(m.group("roc")) != 3:
        return None
    year = 1911 + int(m.group("roc"))
    after = _BARE_MINGUO_AFTER_RE.match(text, m.end())
    before_ok = _BARE_MINGUO_BEFORE_RE.search(text, max(0, m.start() - 3), m.start())
    ahead = 10 if after and after.group(0).lstrip().startswith("前") else 5  # 120年前完成: a deadline further ahead
    if not ref.year - _BARE_MINGUO_PAST_YEARS <= year <= ref.year + ahead or not (after or before_ok):
        return None
    if text[max(0, m.start() - 2) : m.start()].endswith(_BARE_MINGUO_BAD_BEFORE) or _DURATION_AFTER.match(text, m.end()):
        return None
    opened = re.search(r"(?<![0-9])(1[0-4][0-9])[ \t]*年[ \t]*[0-9０-９]{1,2}[ \t]*月[ \t]*[至到~～\-–—][ \t]*$", text[max(0, m.start() - 12) : m.start()])
    if opened and 0 < year - 1911 - int(opened.group(1)) <= _MINGUO_RANGE_SPAN:
        return m.start(), m.end(), (year, None, None, False)  # 民國106年4月至108年間: the range's end
    if not after and re.match(r"[ \t]*(?:前|后|後|間|间|內|内|裡|里)", text[m.end() :]):
        return None  # 於100年前, 在115年內: years ago, within N years
    if re.search(r"[0-9０-９][ \t]*年?[ \t]*[至到~～\-–—][ \t]*$", text[max(0, m.start() - 6) : m.start()]):
        return None  # the end of a range is read by the range rule
    if after and after.group("tail"):
        return m.start(), after.end(), (year, None, None, True)
    return m.start(), m.end(), (year, None, None, False)


def _resolve_minguo(m: re.Match[str], text: str, ref: datetime.date) -> _Resolved:
    """``民國112年``, ``112年11月22日``: the Gregorian year is 1911 more."""
    fiscal = m.group("fy") and len(m.group("roc")) == 3 and 1911 + int(m.group("roc")) <= ref.year + 5
    bare = _bare_minguo_year(m, text, ref)
    if bare:
        return bare
    if not m.group("era") and not fiscal and not (m.group("mon") and len(m.group("roc")) == 3):
        return None  # 30年 or 112年 alone is a duration or a count; 112年度 is Taiwan's fiscal year 2023
    if text[max(0, m.start() - 3) : m.start()].endswith(_DURATION_BEFORE):
        return None  # 长达112年11月 is a duration
    year = 1911 + int(m.group("roc"))
    if not m.group("mon"):
        return m.start(), m.end(), (year, None, None, False)
    month = _num(m.group("mon"))
    if month is None or not 1 <= month <= 12:
        return None
    if m.group("day"):
        day = _num(m.group("day"))
        if day is not None and _valid_day(year, month, day):
            return m.start(), m.end(), (year, month, day, False)
        return None
    return m.start(), m.end(), (year, month, None, False)


# A range of Minguo years (115年至118年間, 113至115年, 民國112年至114年): two three-digit years a few apart, near
# the reference, read as Minguo years even without 民國 (alone, 115年 is as likely a count). Not a range of
# years: 120至130年歷史, 需時100至105年, 100至120年之間 (too far apart), 3至5年.
_MINGUO_RANGE_RE = re.compile(
    rf"(?P<era>民國|民国)?{_NOT_AFTER_NUMBER}(?P<roc1>1[0-4][0-9])(?:[ \t]*年(?:度)?)?[ \t]*[至到~～\-–—][ \t]*"
    rf"(?:民國|民国)?(?P<roc2>1[0-4][0-9])[ \t]*年(?:度)?(?![0-9０-９]|前|后|後)"
)
_MINGUO_RANGE_SPAN = 6  # years between the ends at most
_MINGUO_RANGE_BEFORE = _DURATION_BEFORE + ("需时", "需時", "需要", "需", "约", "約", "达", "達", "共", "历时", "歷時", "为期", "為期")


def _resolve_minguo_range(m: re.Match[str], text: str, ref: datetime.date) -> _Resolved:
    """``115年至118年間``, ``113至115年``: both ends, 1911 years more."""
    first, last = 1911 + int(m.group("roc1")), 1911 + int(m.group("roc2"))
    if not 0 < last - first <= _MINGUO_RANGE_SPAN or not (ref.year - 15 <= first and last <= ref.year + 10):
        return None
    before = text[max(0, m.start() - 4) : m.start()]
    if any(word in before for word in _MINGUO_RANGE_BEFORE) or _DURATION_AFTER.match(text, m.end()):
        return None  # 需時113至115年, 約在100至105年之間, 120至130年歷史: durations
    return [
        (m.start(), m.end("roc1") + _year_suffix(text, m.end("roc1")), (first, None, None, False)),
        (m.start("roc2"), m.end(), (last, None, None, False)),
    ]


def _year_suffix(text: str, index: int) -> int:
    """The length of ``年``/``年度`` (with spaces) right after a number, 0 when there is none."""
    suffix = re.match(r"[ \t]*年(?:度)?", text[index:])
    return suffix.end() if suffix else 0


# 2025赛季, 2019賽季: a sports season named by its year
_SEASON_YEAR_RE = re.compile(rf"{_NOT_AFTER_NUMBER}(?P<y>{_D}{{4}})(?=[ \t]*(?:赛季|賽季))")


def _resolve_season_year(m: re.Match[str], text: str, ref: datetime.date) -> _Resolved:
    year = _num(m.group("y"))
    return (m.start(), m.end(), (year, None, None, False)) if year and _year_ok(year) else None


# A season across two years (2024-25赛季, 2023/24賽季, the 2024-25 season): both ends, like a range of years.
_SEASON_SPAN_RE = re.compile(
    rf"{_NOT_AFTER_NUMBER}(?P<y1>(?:19|20)[0-9]{{2}})[ \t]*[-–—/～~][ \t]*(?P<y2>[0-9]{{2}}|(?:19|20)[0-9]{{2}})(?![0-9])"
    r"(?=[ \t]*(?:赛季|賽季|年度赛季|年度賽季|[ \t]+(?:season|school\s+year|academic\s+year|fiscal\s+year)\b))"
)


def _resolve_season_span(m: re.Match[str], text: str, ref: datetime.date) -> _Resolved:
    first = int(m.group("y1"))
    second = int(m.group("y2")) if len(m.group("y2")) == 4 else first // 100 * 100 + int(m.group("y2"))
    if second != first + 1 or not _year_ok(first) or not _year_ok(second) or "fiscal" in text[m.end() : m.end() + 8]:
        return None
    return [(m.start("y1"), m.end("y1"), (first, None, None, False)), (m.start("y2"), m.end("y2"), (second, None, None, False))]


# 2027-2028年, 2030—2032年, 2026至2027年: both ends of a range of years (the first has no 年 of its own)
_YEAR_RANGE_RE = re.compile(
    rf"{_NOT_AFTER_NUMBER}(?P<y1>{_D}{{4}}){_S}[\-–—~～至到]{_S}(?P<y2>{_D}{{4}}){_S}年"
)


def _resolve_year_range(m: re.Match[str], text: str, ref: datetime.date) -> _Resolved:
    first, last = _num(m.group("y1")), _num(m.group("y2"))
    if not first or not last or not (_year_ok(first) and _year_ok(last) and 0 < last - first <= 20):
        return None
    if text[max(0, m.start() - 3) : m.start()].endswith(_DURATION_BEFORE) or _DURATION_AFTER.match(text, m.end()):
        return None
    return [(m.start(), m.end("y1"), (first, None, None, False)), (m.start("y2"), m.end(), (last, None, None, False))]


# 同年10月, 次年3月, 翌年1月5日: a month of the year named last before it (2021年5月…，同年9月)
_SAME_YEAR_RE = re.compile(
    rf"(?P<w>同年|当年|當年|次年|翌年|隔年){_S}{_MONTH}{_S}月(?:份)?(?:{_S}{_DAY}{_S}[日号號])?"
)
_SAME_YEAR_SHIFT = {"同年": 0, "当年": 0, "當年": 0, "次年": 1, "翌年": 1, "隔年": 1}
_EXPLICIT_CN_YEAR_RE = re.compile(rf"{_NOT_AFTER_NUMBER}({_D}{{4}}){_S}年")


def _resolve_same_year(m: re.Match[str], text: str, ref: datetime.date) -> _Resolved:
    years = [_num(y.group(1)) for y in _EXPLICIT_CN_YEAR_RE.finditer(text, 0, m.start())]
    month = _num(m.group("mon"))
    if not years or not years[-1] or not _year_ok(years[-1], True) or not month or not 1 <= month <= 12:
        return None
    year = years[-1] + _SAME_YEAR_SHIFT[m.group("w")]
    day = _num(m.group("day")) if m.group("day") else None
    if day and _valid_day(year, month, day):
        return m.start(), m.end(), (year, month, day, False)
    return m.start(), text.index("月", m.end("mon")) + 1, (year, month, None, False)


# 2019年启动，次年完成: a bare 次年/翌年/隔年 is the year after the last four-digit year of its sentence
_NEXT_YEAR_BARE_RE = re.compile(r"(?<![0-9０-９年])(?P<w>次年|翌年|隔年)(?![度级級底初末中]|[ \t]*[0-9０-９〇零一二三四五六七八九十]+[ \t]*月)")


def _resolve_next_year_bare(m: re.Match[str], text: str, ref: datetime.date) -> _Resolved:
    start = max(text.rfind(c, 0, m.start()) for c in "。！？；\n") + 1
    years = [_num(y.group(1)) for y in _EXPLICIT_CN_YEAR_RE.finditer(text, start, m.start())]
    if not years or not years[-1] or not _year_ok(years[-1] + 1):
        return None
    return m.start(), m.end(), (years[-1] + 1, None, None, False)


# A yearly event named with its year (CES 2025, WWDC 2024, COP 28 is a number, not a year): that year
_EVENT_YEAR_RE = re.compile(
    r"(?<![A-Za-z0-9])(?:CES|MWC|WWDC|GTC|IFA|Computex|COMPUTEX|GDC|WAIC|SIGGRAPH|NeurIPS|ICML|CVPR|ICLR|Gamescom"
    r"|gamescom|E3)[ \t]*(?P<year>(?:19|20)[0-9]{2})(?![0-9])"
)


def _resolve_event_year(m: re.Match[str], text: str, ref: datetime.date) -> _Resolved:
    year = int(m.group("year"))
    return (m.start("year"), m.end(), (year, None, None, False)) if _year_ok(year) else None


_CHINESE_RULES: list[tuple[re.Pattern[str], Callable[[re.Match[str], str, datetime.date], _Resolved]]] = [
    (_ABSOLUTE_RE, _resolve_absolute),
    (_EVENT_YEAR_RE, _resolve_event_year),
    (_MONTH_DAY_RE, _resolve_month_day),
    (_REL_MONTH_RE, _resolve_rel_month),
    (_AGO_RE, _resolve_ago),
    (_DECADE_RE, _resolve_decade),
    (_NUMERIC_DATE_RE, _resolve_numeric),
    (_ISO_MONTH_RE, _resolve_iso_month),
    (_SLASH_DMY_RE, _resolve_slash_dmy),
    (_CN_DAY_RANGE_RE, _resolve_cn_day_range),  # before the bare day: a range's end wins the tie
    (_BARE_DAY_RE, _resolve_bare_day),
    (_BARE_CN_DAY_RE, _resolve_bare_cn_day),
    (_DEICTIC_DAY_RE, _resolve_deictic_day),
    (_DEICTIC_NUMBER_RE, _resolve_deictic_number),
    (_WEEKDAY_RE, _resolve_weekday),
    (_SEASON_REL_RE, _resolve_season_rel),
    (_BARE_YEAR_PART_RE, _resolve_bare_year_part),
    (_BARE_MONTH_PART_RE, _resolve_bare_month_part),
    (_MINGUO_RE, _resolve_minguo),
    (_MINGUO_RANGE_RE, _resolve_minguo_range),
    (_SEASON_YEAR_RE, _resolve_season_year),
    (_SEASON_SPAN_RE, _resolve_season_span),
    (_NEXT_YEAR_BARE_RE, _resolve_next_year_bare),
    (_YEAR_RANGE_RE, _resolve_year_range),
    (_SAME_YEAR_RE, _resolve_same_year),
]


def _chinese_candidates(text: str, ref: datetime.date) -> Iterator[_Candidate]:
    for pattern, resolve in _CHINESE_RULES:
        for m in pattern.finditer(text):
            try:
                found = resolve(m, text, ref) if m.end() > m.start() else None
            except _OUT_OF_CALENDAR:  # a reference near year 1 or 9999: a date that cannot be computed is skipped
                found = None
            for one in found if isinstance(found, list) else [found] if found else []:
                yield _Candidate(*one)


# --------------------------------------------------------------------------- English


_EN_DEICTIC_RE = re.compile(
    r"\b(?P<word>(?:the\s+day\s+(?:after|before)\s+)?(?:[Tt]oday|[Tt]omorrow|[Yy]esterday))\b"
    r"(?!['’]s\s+(?:world|society|standards)\b)"
)
_EN_BARE_ORDINAL_RE = re.compile(
    r"\b(?:on|by|until|till|from|since|before|after|through|to)\s+the\s+(?P<day>[0-9]{1,2})(?:st|nd|rd|th)\b"
    r"(?!\s+(?:of|century|centuries|anniversary|floor|place|time|round|day|edition|annual|amendment|percentile"
    r"|birthday|largest|biggest|most|best|straight|consecutive|spot|position)\b)"
)
_EN_TITLE_BEFORE_RE = re.compile(r"[a-z,;:]\s+(?:the\s+)?[A-Z][A-Za-z]*(?:['’]s)?\s+$")
_EN_DEICTIC_SHIFT = {"today": 0, "tomorrow": 1, "yesterday": -1, "the day after tomorrow": 2,
                     "the day before yesterday": -2}  # fmt: skip
_EN_DEICTIC_NOT_DAY_BEFORE_RE = re.compile(r"\b(?:of|as\s+of|up\s+to|until|till|to\s+this|than)\s+$", re.I)


def _english_candidates(text: str, ref: datetime.date) -> Iterator[_Candidate]:
    if not re.search(r"[A-Za-z]", text):
        return
    p = _english_patterns()

    def read(span: str, require: tuple[str, ...]) -> tuple[datetime.date, str] | None:
        return _dateparser_read(span, ref, require)

    # day ranges first: where a range's end is also a date on its own ("Dec. 30 to Jan. 2"), the range's
    # reading (the end not before the start) wins the tie in _select, which keeps the first of equal spans
    yield from _english_day_ranges(text, ref, p, read)
    for m in p["month_day"].finditer(text):
        yield from _month_day_candidate(m, ref, read)
    for m in p["day_month"].finditer(text):
        yield from _month_day_candidate(m, ref, read)
    for m in p["month_year"].finditer(text):
        got = read(text[m.start("month") : m.end()], ("month", "year"))
        if got and _year_ok(got[0].year, True):
            yield _Candidate(m.start(), m.end(), (got[0].year, got[0].month, None, bool(m.group("mod"))))
    for m in p["bare_month"].finditer(text):
        got = read(m.group("month"), ("month",))
        if got:
            first = "mod1" if m.group("mod1") else "mod2" if m.group("mod2") else "month"
            tense = _tense_en(text, m.start(), m.end())
            if m.group(0).lower().startswith("as soon as"):
                tense = "future"  # "could resume as soon as September": ahead
            elif tense not in ("future", "weak") and _en_until_now(text, m.start("month"), ""):
                tense = "weak"  # "stays open through July": the end of something in force now, the nearer July
            nearest = {"future": _month_at_or_after, "weak": _month_nearest}.get(tense, _month_at_or_before)
            year, month = nearest(got[0].month, ref)
            yield _Candidate(m.start(first), m.end(), (year, month, None, first != "month"))
    for m in p["ago"].finditer(text):
        if m.group("n").lower() in _VAGUE_QUANTITIES:
            continue
        got = read(m.group(0), ())
        if got and _year_ok(got[0].year):
            d, unit = got[0], m.group("unit").lower().rstrip("s")
            value = {"year": (d.year, None, None, False), "month": (d.year, d.month, None, False)}.get(
                unit, (d.year, d.month, d.day, unit == "week")  # "two weeks ago": the day, approximate
            )
            yield _Candidate(m.start(), m.end(), value)
    for m in p["this_last"].finditer(text):
        if re.search(r"\b(?:the|past|over)\s+$", text[max(0, m.start() - 12) : m.start()], re.I) and not re.match(
            r"['’]s\b", text[m.end() : m.end() + 3]
        ):
            continue  # "over the last year" is a duration; "over last year's Pixel 8" is a year
        got = read(text[m.start("which") : m.end()], ())
        if got:
            d, vague = got[0], bool(m.group("mod"))  # "late last year": the year, approximate
            unit = m.group("unit").lower()
            yield _Candidate(
                m.start(),
                m.end(),
                (d.year, None, None, vague) if unit == "year" else (d.year, d.month, None, vague),
            )
    for m in _EN_END_OF_THE_YEAR_RE.finditer(text):
        if _EN_PLAN_WORD_RE.search(_en_clause_before(text, m.start())):  # "will review support by the end of the year"
            yield _Candidate(m.start("part"), m.end(), (ref.year, None, None, True))
    for m in p["approx_year"].finditer(text):
        year = int(m.group("year"))
        if _year_ok(year):
            yield _Candidate(m.start(), m.end(), (year, None, None, True))
    for m in [*p["prep_year"].finditer(text), *p["subject_year"].finditer(text)]:
        year = int(m.group("year"))
        if m.groupdict().get("cmp") and not _EN_YEARLY_MEASURE_RE.match(text, m.end("year")):
            sentence = text[_sentence_start(text, m.start()) : _sentence_end(text, m.end())]
            if not _EN_DATING_YEAR_RE.search(sentence.replace(m.group(0), " ")):
                continue  # "a rating of 1891, compared with 2024 for the newer model": a number
        if _year_ok(year):
            yield _Candidate(m.start("year"), m.end("year"), (year, None, None, False))
    for m in [*p["act_year"].finditer(text), *p["pct_year"].finditer(text), *p["measure_year"].finditer(text)]:
        year = int(m.group("year"))
        if _year_ok(year) and year <= ref.year + 15:
            yield _Candidate(m.start("year"), m.end("year"), (year, None, None, False))
    for m in p["month_span"].finditer(text):
        first, second = read(m.group("month1"), ("month",)), read(m.group("month"), ("month",))
        if first and second and first[0].month != second[0].month:
            tense = _tense_en(text, m.start(), m.end())
            nearest = {"future": _month_at_or_after, "weak": _month_nearest}.get(tense, _month_at_or_before)
            # the span's end is read like a month ("the July-September period" is over; "the Oct-Dec quarter will"
            # in November ends this December), its start is the last such month not after it
            month1 = first[0].month
            year, month = nearest(second[0].month, ref)
            year1 = year if month1 <= month else year - 1
            yield _Candidate(m.start("month1"), m.end("month1"), (year1, month1, None, False))
            yield _Candidate(m.start("month"), m.end("month"), (year, month, None, False))
    for m in p["the_year"].finditer(text):
        year = int(m.group("year"))
        if _year_ok(year) and year <= ref.year + 15:
            yield _Candidate(m.start("year"), m.end("year"), (year, None, None, False))
    for m in p["year_list"].finditer(text):
        year = int(m.group("year"))
        if _year_ok(year):
            yield _Candidate(m.start("year"), m.end("year"), (year, None, None, False))
    for m in p["month_pair"].finditer(text):
        first, second = read(m.group("month1"), ("month",)), read(m.group("month"), ("month",))
        if first and second:
            tense = _tense_en(text, m.start(), m.end())
            nearest = {"future": _month_at_or_after, "weak": _month_nearest}.get(tense, _month_at_or_before)
            year1, month1 = nearest(first[0].month, ref)
            month = second[0].month
            year = year1 if month >= month1 else year1 + 1  # the second is not before the first
            yield _Candidate(m.start("month"), m.end("month"), (year, month, None, False))
    for m in p["year_span"].finditer(text):
        first, last = int(m.group("year1")), int(m.group("year"))
        if not (
            _EN_SPAN_CUE_BEFORE_RE.search(text, max(0, m.start() - 30), m.start("year1"))
            or _EN_SPAN_CUE_AFTER_RE.match(text, m.end("year"))
        ):
            continue  # "Scores ranged 1980-2010 on the test": two numbers, not a span of years
        if _year_ok(first) and _year_ok(last) and 0 < last - first <= 40 and last <= ref.year + 30:
            yield _Candidate(m.start("year1"), m.end("year1"), (first, None, None, False))
            yield _Candidate(m.start("year"), m.end("year"), (last, None, None, False))
    for m in p["year_range"].finditer(text):
        year = int(m.group("year"))
        if _year_ok(year) and _year_ok(int(m.group("year1"))):
            yield _Candidate(m.start("year"), m.end(), (year, None, None, False))
    for m in p["rel_month"].finditer(text):
        got = read(m.group("month"), ("month",))
        if got:
            month, which = got[0].month, m.group("which").lower()
            if which == "last":
                year = ref.year if month < ref.month else ref.year - 1
            elif which == "next":
                year = ref.year if month > ref.month else ref.year + 1
            else:
                year = ref.year
            yield _Candidate(m.start(), m.end(), (year, month, None, False))
    yield from _english_weekdays(text, ref, p["weekday"])
    for m in _EN_BARE_ORDINAL_RE.finditer(text):  # "on the 10th": a day of the reference's month or a neighbour
        day, tense = int(m.group("day")), _tense_en(text, m.start(), m.end())
        if not 1 <= day <= 31:
            continue
        readings = []
        for shift in (-1, 0, 1):
            year, month = _shift_month(ref.year, ref.month, shift)
            if _valid_day(year, month, day):
                readings.append(datetime.date(year, month, day))
        if tense == "future":
            readings = [d for d in readings if d >= ref][:1]
        elif tense != "weak":
            readings = [d for d in readings if d <= ref][-1:]
        if readings:
            d = min(readings, key=lambda d: abs((d - ref).days))
            yield _Candidate(m.start("day"), m.end(), (d.year, d.month, d.day, False))
    for m in _EN_DEICTIC_RE.finditer(text):
        if _EN_DEICTIC_NOT_DAY_BEFORE_RE.search(text, max(0, m.start() - 16), m.start()):
            continue  # "the world of today", "up to today", "until today": the present, not a day
        if m.group("word")[0] in "TY" and _EN_TITLE_BEFORE_RE.search(
            text, max(0, m.start() - 30), m.start()
        ):
            continue  # "USA Today", "Psychology Today", "NBC's Today show": a title inside a sentence
        word = re.sub(r"\s+", " ", m.group("word").lower())
        if word not in _EN_DEICTIC_SHIFT:  # "the day after today"
            continue
        day = ref + datetime.timedelta(days=_EN_DEICTIC_SHIFT[word])
        yield _Candidate(m.start(), m.end(), (day.year, day.month, day.day, False))
    for m in p["month_rel_year"].finditer(text):
        day_group = "day1" if m.group("day1") else "day2" if m.group("day2") else None
        if not day_group and not m.group("prep"):
            continue  # "May last year" without a preposition may be a name
        got = read(m.group("month"), ("month",))
        if not got:
            continue
        year, month = ref.year + {"last": -1, "this": 0, "next": 1}[m.group("which")], got[0].month
        start = m.start("day1") if m.group("day1") else m.start("month")
        if day_group:
            day = int(re.match(r"[0-9]+", m.group(day_group)).group())
            if _valid_day(year, month, day):
                yield _Candidate(start, m.end(), (year, month, day, False))
        else:
            yield _Candidate(start, m.end(), (year, month, None, False))
    for m in p["year_part"].finditer(text):
        year = int(m.group("year"))
        if _year_ok(year):  # a half is a vague part of the year; a quarter is reported as its year
            half = (m.group("unit") or "").lower() == "half" or (m.group("code") or "").upper().startswith("H")
            yield _Candidate(m.start(), m.end(), (year, None, None, half))
    for m in p["month_part"].finditer(text):
        got = read(m.group("month"), ("month",))
        if got:
            tense = _tense_en(text, m.start(), m.end())
            nearest = {"future": _month_at_or_after, "weak": _month_nearest}.get(tense, _month_at_or_before)
            year, month = nearest(got[0].month, ref)
            yield _Candidate(m.start("part"), m.end(), (year, month, None, True))
    for m in p["this_period"].finditer(text):
        if m.group("unit").lower() == "month":
            yield _Candidate(m.start(), m.end(), (ref.year, ref.month, None, True))
        else:
            yield _Candidate(m.start(), m.end(), (ref.year, None, None, True))
    for m in p["period_part"].finditer(text):
        which = (m.group("which") or "this").lower()
        if which == "the" and _ANAPHORA_RE.search(_clause_before(text, m.start(), 200, ".;!?\n")):
            continue  # "In 2015 ... by the end of the year": that year, not the reference's
        if m.group("yearend"):
            yield _Candidate(m.start("yearend"), m.end(), (ref.year, None, None, True))
        elif m.group("unit").lower() == "year":
            yield _Candidate(m.start(), m.end(), (ref.year + {"next": 1, "last": -1}.get(which, 0), None, None, True))
        else:
            year, month = _shift_month(ref.year, ref.month, {"next": 1, "last": -1}.get(which, 0))
            yield _Candidate(m.start(), m.end(), (year, month, None, True))
    yield from _english_seasons(text, ref, p)
    for m in p["decade"].finditer(text):
        year = int(m.group("year"))
        if _year_ok(year):
            yield _Candidate(m.start("year"), m.end(), (year, None, None, True))


# The nearest tense word before an English date in its sentence: "will hold ... on Tuesday" is the coming
# Tuesday, "said it will ... after it launched on Monday" the last Monday.
_EN_TENSE_RE = re.compile(
    # a plan made in the past ("was scheduled for March 5", "had planned to"): past, like the date it names
    r"(?P<pastplan>\b(?:was|were|had(?!\s+been\s+(?:scheduled|set|slated|planned)\b)(?:\s+been)?)\s+(?:originally\s+|initially\s+|once\s+)?"
    r"(?:scheduled|set|expected|due|slated|planned|planning|supposed|going)\b)"
    r"|(?P<future>\b(?:will|won't|shall|is\s+set\s+to|are\s+set\s+to|set\s+for|(?:is|are)\s+scheduled"
    r"|scheduled\s+(?:for|to)|expected\s+to|expected\s+(?:on|by|in)|plans?\s+to|planned\s+for"
    r"|next\s+(?:meets?|convenes?|gathers?|votes?|reports?|sits?|decides?)"
    r"|(?:is|are)\s+planning|plans?\s+(?:a|an|the|its|his|her|their)|(?:is|are)\s+due|due\s+(?:on|by|in)|as\s+soon\s+as|due(?=\s*$|\s+[A-Z])|due\s+to\s+(?:be|publish|report|release|announce"
    r"|start|begin|open|launch|close|end|arrive|meet|vote|decide|deliver|expire|take|make|hold|return|resume)|slated"
    r"|to\s+be\s+held|upcoming|takes?\s+effect|go(?:es)?\s+into\s+effect"
    # "host cities to be announced in early February": a thing still to be done (not "was expected to be")
    r"|(?<!expected\s)(?<!supposed\s)(?<!scheduled\s)(?<!slated\s)(?<!planned\s)(?<!due\s)(?<!going\s)(?<!used\s)"
    r"(?<!had\s)(?<!have\s)(?<!has\s)(?<!was\s)(?<!were\s)to\s+be\s+(?:announced|named|unveiled|revealed|decided"
    r"|released|published|confirmed|finali[sz]ed|determined|chosen|selected|appointed|elected|awarded|completed)"
    r"|(?:is|are)\s+to|must|needs?\s+to|(?:has|have)\s+until|deadline"
    # a scheduled present right before its date ("the fiscal year that begins on Oct. 1", "the offer expires
    # on Dec. 31", "tickets go on sale in September"): the coming date; a past tense after it in the clause
    # ("which began on", "expired on") governs instead
    r"|(?:that|which)\s+(?:begins|starts|opens|ends|closes|expires|runs|renews|matures|lapses|kicks\s+in)(?=\s+(?:on\s+)?$)"
    r"|(?:begins|starts|opens|ends|closes|expires|renews|matures|lapses|kicks\s+in)\s+on(?=\s*$)"
    r"|go(?:es)?\s+on\s+sale(?:\s+(?:on|in))?(?=\s*$))\b|'ll\b)"
    # a future seen from the past, or only possible ("said it would launch on Dec. 12", "was postponed to
    # Jan. 15", "may slip to March"): the nearer reading
    r"|(?P<weak>\b(?:(?:originally|initially|previously)\s+(?:scheduled|set|slated|planned|due)(?:\s+(?:for|on|to))?"
    # (an original date being changed, "The sale, originally scheduled for May 20, was postponed": like 原定, the
    # nearer reading; "was originally scheduled for" stays a past plan, see pastplan)
    r"|would|could|should|(?-i:may|might)|possible|extend(?:s|ed)?\b(?=[^.;]*\bto\s*$)|had\s+been\s+(?:scheduled|set|slated|planned)|postponed|delayed|pushed\s+back|moved\s+to|rescheduled|until|till|through|thru|expects?|expected\s+to"
    r"|to\s+(?:follow|come)(?:\s+(?:in|on|by))?(?=\s*$)"
    r"|no\s+(?:later|earlier|sooner)\s+than|effective"
    r"|hopes?\s+to|aims?\s+to|wants?\s+to|targets?|targeting"
    # odds of something ahead ("a 40% chance of a cut in March"), a deadline in the present tense ("entries
    # close Oct. 25", "due out Nov. 1") and an infinitive with a deadline ("ordered him to surrender by Oct. 6")
    r"|chances?\s+of|odds\s+of|probability\s+of|likelihood\s+of|close(?=\s+(?:on\s+)?$)|due\s+out"
    r"|to\s+(?:surrender|report|appear|pay|file|respond|reply|comply|submit|vacate|leave|register|apply)\s+(?:by|on|before)(?=\s+$)"
    # a date set in the past for an event ahead of it ("set a status conference for March 25", "scheduled a
    # hearing for June 3"): the nearer reading, like "said it would"
    r"|(?:set|scheduled|slated|booked)\s+(?:a|an|the|its|his|her|their)\s+(?:[\w'’-]+\s+){0,4}?for"
    # the present tense of a scheduled event ("goes on sale on Sept. 24", "holds its event on Sept. 15",
    # "runs Nov. 18 to 21"); a headline's present for the past ("unveils ... on Monday") is why it is weak
    r"|go(?:es)?\s+on\s+sale|goes\s+live|opens|reopens|returns|resume|reopen|holds|hosts|starts|begins|kicks\s+off|launches|arrives|ships"
    r"|debuts|premieres|expires|resumes|runs|ends|closes|concludes|wraps\s+up|lands|takes\s+place|rolls\s+out"
    r"|renews|matures|lapses|kicks\s+in"  # "its reinsurance program renews on Feb. 20"
    # a change still to come, after a present ("now face a fee of $100, rising to $200 on June 1"); a past
    # tense earlier in the clause makes it past (see _tense_en)
    r"|(?:ris|increas|climb|jump|grow|doubl|tripl|fall|dropp|declin|decreas|go)ing\s+(?:again\s+)?to\s+[^.;]{1,30}?\s+(?:on|from|by|in)(?=\s*$)"
    r"|meets?\s+again|(?:re)?convenes?|reconvene|meets(?=\s+(?:on\s+)?$)"  # "advisers meet again Oct. 22"
    r"|reports\s+(?:earnings|results)|(?:is|are)\s+on|(?:is|are)(?=\s*$)"  # "the event is Dec. 3-5"
    r"|hits\s+(?:stores|shelves|theaters|theatres)|(?:comes|enters)\s+into\s+force)\b)"
    r"|(?<!\bbe\s)(?<!been\s)(?<!stay\s)(?<!remain\s)(?<!stays\s)(?<!remains\s)(?<!\bis\s)(?<!\bare\s)(?<!\bget\s)"
    r"(?P<past>\b(?:was|were|had|did|has|have|ago|(?<!\bno\s)earlier|previously|already|said|announced|released"
    r"|launched|unveiled|introduced|reported|told|confirmed|fired|ousted|appeared|testified|met|held|began"
    r"|started|ended|returned|filed|sued|signed|raised|closed|completed|posted|published|took|missed|occurred|happened)\b)",
    re.I,
)
_EN_SENTENCE_BREAK = ".;!?\n"
_EN_FUTURE_WINDOW = 100
# A date that opens its sentence ("On March 5, OpenAI will ...") takes the tense of the words after it; one
# in the middle of a sentence without a tense word before it does not ("closed a round on Oct. 2 ... and
# must complete ...": "must" is about something else).
_EN_OPENS_SENTENCE_RE = re.compile(r"^[\s\"'“(]*(?:(?:on|in|by|from|starting|beginning|as\s+of|until|since)\s+)?$", re.I)


# a full stop that ends an abbreviation ("on Nov. 12 and again in December") does not end the sentence
_EN_ABBREVIATION_RE = re.compile(
    r"(?:\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec|Mon|Tues?|Wed|Thu(?:rs?)?|Fri|Sat|Sun|Mr|Mrs|Ms|Dr|St|Inc|Corp|Co|Jr|Sr|vs|No|U\.S)|\b[A-Za-z])$"
)


def _en_clause_before(text: str, start: int) -> str:
    """The sentence before the date, at most ``_EN_FUTURE_WINDOW`` characters back."""
    before = text[max(0, start - _EN_FUTURE_WINDOW) : start]
    for i in range(len(before) - 1, -1, -1):
        if before[i] in _EN_SENTENCE_BREAK and not (before[i] == "." and _EN_ABBREVIATION_RE.search(before[:i])):
            return before[i + 1 :]
    return before


def _is_future_en(text: str, start: int, end: int | None = None) -> bool:
    return _tense_en(text, start, end) == "future"


# "by the end of the year" in a plan: the reference year, approximate (a past "at the end of the year" may be any)
_EN_PLAN_WORD_RE = re.compile(
    r"\b(?:will|would|shall|expects?|expected\s+to|plans?|planned\s+to|aims?|intends?|hopes?|set\s+to|due\s+to"
    r"|going\s+to|on\s+track\s+to|targets?|pledged|promised|vowed)\b",
    re.I,
)
_EN_END_OF_THE_YEAR_RE = re.compile(r"\b(?:by|before|until|through)\s+the\s+(?P<part>end\s+of\s+the\s+year)\b", re.I)


_EN_CHANGE_ING_RE = re.compile(r"(?:ris|increas|climb|jump|grow|doubl|tripl|fall|dropp|declin|decreas|go)ing\s", re.I)
_EN_AND_TO_RE = re.compile(r"\band\s+to\s+(?!be\b)[a-z]+\b", re.I)


def _tense_en(text: str, start: int, end: int | None = None) -> str | None:
    """The nearest tense word before the date in its sentence; when there is none (the date opens the
    sentence: "On March 5, OpenAI will ..."), the first one after it: "future", "weak" (the nearer
    reading), "past"/"pastplan" or None."""
    clause = _en_clause_before(text, start)
    last = None
    found = list(_EN_TENSE_RE.finditer(clause))
    if found:
        last = found[-1]
        if _EN_CHANGE_ING_RE.match(last.group(0)) and any(t.lastgroup in ("past", "pastplan") for t in found[:-1]):
            return "past"  # "Prices were raised in May, rising to $200 on June 1": the past
    elif _EN_AND_TO_RE.search(clause):
        # "plans to fly ... next year, up from five in 2025, and to debut ... in February": a second infinitive
        # takes the tense of the verb it shares, which may stand further back in the sentence
        wide = text[max(0, start - 3 * _EN_FUTURE_WINDOW) : start]
        cut = max(i for i in (-1, *(j for j, ch in enumerate(wide) if ch in _EN_SENTENCE_BREAK and not (
            ch == "." and _EN_ABBREVIATION_RE.search(wide[:j])))))
        governing = [t for t in _EN_TENSE_RE.finditer(wide[cut + 1 :]) if t.lastgroup in ("future", "weak")]
        if governing and not any(t.lastgroup in ("past", "pastplan") and t.start() > governing[-1].start()
                                 for t in _EN_TENSE_RE.finditer(wide[cut + 1 :])):
            return governing[-1].lastgroup
    if last is None and end is not None and _EN_OPENS_SENTENCE_RE.match(clause):
        after = text[end : end + _EN_FUTURE_WINDOW]
        cut = min([i for i in (after.find(ch) for ch in _EN_SENTENCE_BREAK) if i >= 0], default=len(after))
        last = _EN_TENSE_RE.search(after[:cut])
    return last.lastgroup if last else None


_EN_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# Between two weekdays of one sentence, a word that orders them: "fired on Friday, a day after he appeared
# ... on Thursday" puts that Thursday before the Friday; "before" puts the second one after the first.
_EN_AFTER_RE = re.compile(r"\b(?:after|following|since)\b", re.I)
_EN_BEFORE_RE = re.compile(r"\b(?:before|ahead\s+of|prior\s+to)\b", re.I)


# A weekday that is part of a name or a habit, not a date: Black Friday, every Monday, Monday through Friday,
# the Sunday Times, Monday Night Football.
_WEEKDAY_NAME_BEFORE_RE = re.compile(
    r"(?:\b(?i:every|each|a|an|one|any|that|the|same|following|previous|some|no|other|every\s+other)"
    r"|\b(?:Black|Cyber|Good|Super|Ash|Easter|Palm|Holy|Maundy|Bloody|Girl|Man|Giving|Small\s+Business|Travel"
    r"|Patch|Fat|Blue|Manic|Freaky|Casual|Throwback|Bowl|Selection|Mothering|Trinity|Whit|Low|Rose)"
    r"|\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\s*(?:through|thru|to|and|or|[-–—/]))\s*$"
)
_WEEKDAY_NAME_AFTER_RE = re.compile(
    r"(?:\s+(?:morning|afternoon|evening|night))?"
    r"(?:\.com|\s+of\s+(?:every|each|the|a)\s+(?:month|week|year|quarter|season)\b"  # the first Monday of every month
    r"|\s*(?:through|thru|to|and|or|[-–—/])\s*(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
    r"|\s+(?!January|February|March|April|May|June|July|August|September|October|November|December)[A-Z][a-z])"
)


_WEEK_AFTER_RE = re.compile(r"(?:\s+(?:morning|afternoon|evening|night))?\s+(?P<which>last|this|next)\s+week\b", re.I)


# "opens Friday", "begins on Monday": a scheduled event's present tense right before a weekday is the coming one
_EN_SCHEDULED_BEFORE_RE = re.compile(
    r"\b(?:(?:re)?opens?|begins?|starts?|premieres?|debuts?|launch(?:es)?|kicks?\s+off|resumes?|returns?|arrives?"
    r"|go(?:es)?\s+on\s+sale)"
    r"(?:\s+at\s+[0-9]{1,2}(?::[0-9]{2})?\s*(?:a\.m\.|p\.m\.|am|pm|noon)?)?"  # "opens at 10 a.m. Saturday"
    r"(?:\s+on)?\s+$"
)


_EN_UNTIL_BEFORE_RE = re.compile(r"\b(?:through|thru|until|till)\s+$", re.I)


def _en_until_now(text: str, wd_start: int, prep: str) -> bool:
    """"remains in effect through Saturday", "stays closed until Sunday": the end of something in force now,
    the coming weekday -- unless its clause has a past tense ("was closed through Tuesday" is the last one)."""
    if prep not in ("until", "till") and not _EN_UNTIL_BEFORE_RE.search(text, max(0, wd_start - 12), wd_start):
        return False
    return not any(
        t.lastgroup in ("past", "pastplan") and t.group().lower() not in _EN_REPORTING_PAST
        for t in _EN_TENSE_RE.finditer(_en_clause_before(text, wd_start))
    )  # "said the curfew lasts until Friday": the report is past, the curfew is not


_EN_REPORTING_PAST = {"said", "told", "announced", "reported", "confirmed"}


def _bare_weekday_ok(text: str, start: int, end: int) -> bool:
    """A weekday without a preposition is a date unless a word around it makes it a name, a habit or a range
    ("from Friday through Sunday" is one weekend's range, both ends reported)."""
    if _WEEKDAY_NAME_BEFORE_RE.search(text[max(0, start - 20) : start]):
        return False
    if re.search(r"\bfrom\s+$", text[max(0, start - 6) : start], re.I) and re.match(
        r"\s+(?:through|thru|to|until)\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b", text[end:]
    ):
        return True
    return not _WEEKDAY_NAME_AFTER_RE.match(text, end)


def _ordered_weekday(weekday: int, previous: tuple[int, datetime.date] | None, between: str) -> datetime.date | None:
    """The weekday just before (``after`` between them) or just after (``before``) the previous one."""
    if not previous or not between:
        return None
    if _EN_AFTER_RE.search(between):
        return previous[1] - datetime.timedelta(days=(previous[1].weekday() - weekday - 1) % 7 + 1)
    if _EN_BEFORE_RE.search(between):
        return previous[1] + datetime.timedelta(days=(weekday - previous[1].weekday() - 1) % 7 + 1)
    return None


_EN_WEEKDAY_JOIN_RE = re.compile(r"\s*,?\s*(?:and|or|to|through|thru|until|till|-|–|—)\s*", re.I)


def _english_weekdays(text: str, ref: datetime.date, pattern: re.Pattern[str]) -> Iterator[_Candidate]:
    """``on Tuesday``, ``last Tuesday``, ``this Friday``, ``next Monday``, ``late Tuesday``.

    A bare weekday is the most recent one, the reference day included ("on Thursday" in a Thursday's
    article is that day), the coming one (also the reference day included) after a future tense, and
    one ordered against the previous weekday of its sentence when a word such as "after" or "before"
    stands between them.
    """
    previous: tuple[int, datetime.date] | None = None  # end offset and date of the last weekday reported
    for m in pattern.finditer(text):
        wd = "wd" if m.group("wd") else "wdpos"
        weekday = _en_weekday(m.group(wd))
        prep = (m.group("prep") or "").lower()
        if m.group("abbr") and prep in ("", "late", "early"):
            continue  # "Wed." needs a preposition ("on Wed.", "next Thu."): alone it is too often something else
        joined = bool(previous) and not prep and _EN_WEEKDAY_JOIN_RE.fullmatch(text, previous[0], m.start(wd))
        if joined and wd == "wd":  # "next Monday and Tuesday", "Friday through Sunday": the days after it
            day = previous[1] + datetime.timedelta(days=(weekday - previous[1].weekday() - 1) % 7 + 1)
            previous = (m.end(), day)
            yield _Candidate(m.start(wd), m.end(wd), (day.year, day.month, day.day, False))
            continue
        if not _bare_weekday_ok(text, m.start(wd), m.end()) and not (prep and prep != "late" and prep != "early"):
            continue
        if prep.endswith("past"):
            prep = "past"
        elif prep.endswith("coming"):
            prep = "coming"
        week = _WEEK_AFTER_RE.match(text, m.end())  # "Tuesday last week": that week's Tuesday
        monday = ref - datetime.timedelta(days=ref.weekday())
        between = text[previous[0] : m.start()] if previous else ""
        same_sentence = previous and len(between) <= 120 and not any(ch in between for ch in ".;!?\n")
        if week:
            shift = {"last": -7, "this": 0, "next": 7}[week.group("which").lower()]
            day = monday + datetime.timedelta(days=shift + weekday)
        elif prep == "next":
            day = monday + datetime.timedelta(days=7 + weekday)
        elif prep == "this":
            day = monday + datetime.timedelta(days=weekday)
        elif prep == "last":  # "last Tuesday": that day of the week before the reference's (like 上周二)
            day = monday - datetime.timedelta(days=7) + datetime.timedelta(days=weekday)
        elif prep == "past":  # "this past Sunday": the most recent Sunday before the reference day
            day = ref - datetime.timedelta(days=(ref.weekday() - weekday - 1) % 7 + 1)
        elif prep == "coming":  # "this coming Monday": the first one after the reference day
            day = ref + datetime.timedelta(days=(weekday - ref.weekday() - 1) % 7 + 1)
        elif (ordered := _ordered_weekday(weekday, previous, between if same_sentence else "")) and (
            ordered <= ref or _is_future_en(text, m.start(), m.end())
        ):  # before or after the previous weekday, never past the reference in a past-tense clause
            day = ordered
        elif prep != "since" and (
            (tense := _tense_en(text, m.start(), m.end())) in ("future", "weak")
            or _en_until_now(text, m.start(wd), prep)
        ):
            ahead, back = (weekday - ref.weekday()) % 7, (ref.weekday() - weekday) % 7
            scheduled = _EN_SCHEDULED_BEFORE_RE.search(text, max(0, m.start() - 30), m.start())
            until_now = _en_until_now(text, m.start(wd), prep)
            if tense == "future" or ahead < back or scheduled or until_now:  # "would ... on Friday": the nearer Friday
                day = ref + datetime.timedelta(days=ahead)
            else:
                day = ref - datetime.timedelta(days=back)
        else:
            day = ref - datetime.timedelta(days=(ref.weekday() - weekday) % 7)
        previous = (m.end(), day)
        start = m.start(wd) if prep not in ("last", "past", "this", "next", "coming") else m.start()
        yield _Candidate(start, week.end() if week else m.end(wd), (day.year, day.month, day.day, False))


_FALL_BEFORE_RE = re.compile(r"\b(?:in|by|since|until|during|for|from|through|this|last|next)\s+$", re.I)
# a year or a month named earlier in the sentence, which "the year"/"the month" would refer back to
_ANAPHORA_RE = re.compile(rf"\b[12][0-9]{{3}}\b|{_EN_MONTH_NAME}")
_SEASON_END = {"spring": 5, "summer": 8, "autumn": 11, "fall": 11, "winter": 2}  # northern hemisphere


def _english_seasons(text: str, ref: datetime.date, p: dict[str, re.Pattern[str]]) -> Iterator[_Candidate]:
    """``spring 2026``, ``the fall of 2024``, ``last summer``: the year, approximate (the date grammar has
    no seasons, and a season is a vague part of its year). Winter is the year of its January."""
    for m in p["season_year"].finditer(text):
        season = m.group("season").lower()
        if season == "fall" and not (m.group("the") or m.group("mod") or m.group("season") == "Fall"):
            before = text[max(0, m.start() - 12) : m.start()]
            if not _FALL_BEFORE_RE.search(before):
                continue  # "prices fall 2024..." is not a season
        year = int(m.group("year"))
        if _year_ok(year):
            yield _Candidate(m.start(), m.end(), (year, None, None, True))
    for m in p["season_rel"].finditer(text):
        which, end = m.group("which").lower(), _SEASON_END[m.group("season")]
        if which == "this":  # the season of this year (winter: the one around the turn nearest to ref)
            year = ref.year + 1 if end == 2 and ref.month >= 9 else ref.year
        elif which == "last":  # the most recent one that is over
            year = ref.year if ref.month > end else ref.year - 1
        else:  # the next one that has not begun
            year = ref.year if ref.month < end - 2 else ref.year + 1
            if end == 2:  # the next one begins in December and is counted in the year of its January
                year = ref.year + 2 if ref.month == 12 else ref.year + 1
        yield _Candidate(m.start(), m.end(), (year, None, None, True))


def _first_on_or_after(start: datetime.date, month: int | None, day: int) -> datetime.date | None:
    """The first day numbered ``day`` (in ``month`` when given) on or after ``start``: a range's end."""
    for shift in range(13 if month else 2):
        year, mon = _shift_month(start.year, start.month, shift)
        if (month is None or mon == month) and _valid_day(year, mon, day) and datetime.date(year, mon, day) >= start:
            return datetime.date(year, mon, day)
    return None


def _last_on_or_before(end: datetime.date, month: int | None, day: int) -> datetime.date | None:
    """The last day numbered ``day`` (in ``month`` when given) on or before ``end``: a range's start."""
    for shift in range(13 if month else 2):
        year, mon = _shift_month(end.year, end.month, -shift)
        if (month is None or mon == month) and _valid_day(year, mon, day) and datetime.date(year, mon, day) <= end:
            return datetime.date(year, mon, day)
    return None


_EN_AND_DAY_AFTER_RE = re.compile(r"\s*(?:$|[.,;:)]|(?:in|at|last|this|next|of|for|and|or)\b)")


def _english_day_ranges(text: str, ref: datetime.date, p: dict[str, re.Pattern[str]], read) -> Iterator[_Candidate]:
    """``Nov. 18 to 21``, ``March 3-5, 2025``, ``Dec. 30 to Jan. 2``, ``18 to 21 November 2024``: both ends.

    A year after the range belongs to its end, and the start is the last such day not after the end; without
    a year the start is read like any yearless date (by the tense around it) and the end is the first such
    day not before the start."""
    def unjoined(m: re.Match[str]) -> bool:
        """"and" joins a range after "between", or two consecutive days before a break or a preposition
        ("April 16 and 17 in Lausanne", "on Dec. 2 and 3."; not "Nov. 3 and 5 people")."""
        if m.group("join").lower() != "and" or re.search(r"\bbetween\s+$", text[max(0, m.start() - 10) : m.start()], re.I):
            return False
        day1, day2 = (int(re.match(r"[0-9]+", m.group(g)).group()) for g in ("day1", "day2"))
        consecutive = day2 == day1 + 1 and not m.groupdict().get("month2")
        return not (consecutive and _EN_AND_DAY_AFTER_RE.match(text, m.end()))

    for m in p["day_range"].finditer(text):
        if unjoined(m):
            continue
        first = read(m.group("month"), ("month",))
        second = read(m.group("month2"), ("month",)) if m.group("month2") else None
        if not first or (m.group("month2") and not second):
            continue
        month1, month2 = first[0].month, second[0].month if second else None
        day1, day2 = (int(re.match(r"[0-9]+", m.group(g)).group()) for g in ("day1", "day2"))
        if month2 is None and day2 <= day1:
            continue  # "Nov. 18 to 5" is no range
        if m.group("year"):
            year = int(m.group("year"))
            if not _year_ok(year, True) or not _valid_day(year, month2 or month1, day2):
                continue
            end = datetime.date(year, month2 or month1, day2)
            start = _last_on_or_before(end, month1, day1)
        else:
            tense = _tense_en(text, m.start(), m.end())
            nearest = {"future": _day_at_or_after, "weak": _day_nearest}.get(tense, _day_at_or_before)
            found = nearest(month1, day1, ref)
            start = datetime.date(*found) if found else None
            end = _first_on_or_after(start, month2 or month1, day2) if start else None
        if start and end:
            yield _Candidate(m.start(), m.end("day1"), (start.year, start.month, start.day, False))
            end_start = m.start("month2") if m.group("month2") else m.start("day2")
            yield _Candidate(end_start, m.end(), (end.year, end.month, end.day, False))
    for m in p["day_range_month"].finditer(text):
        if unjoined(m):
            continue
        got = read(m.group("month"), ("month",))
        day1, day2 = (int(re.match(r"[0-9]+", m.group(g)).group()) for g in ("day1", "day2"))
        if not got or day2 <= day1:
            continue
        month = got[0].month
        if m.group("year"):
            year = int(m.group("year"))
            found = (year, month, day2) if _year_ok(year, True) and _valid_day(year, month, day2) else None
        else:
            tense = _tense_en(text, m.start(), m.end())
            nearest = {"future": _day_at_or_after, "weak": _day_nearest}.get(tense, _day_at_or_before)
            found = nearest(month, day2, ref)
        if found and _valid_day(found[0], month, day1):
            yield _Candidate(m.start("day1"), m.end("day1"), (found[0], month, day1, False))
            yield _Candidate(m.start("day2"), m.end(), (*found, False))


_EN_WEEKDAY_BEFORE_RE = re.compile(
    r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|(?:Mon|Tues?|Wed|Thu(?:rs?)?|Fri|Sat|Sun)\.),?\s*$", re.I
)


def _en_weekday(name: str) -> int:
    """0 for Monday ... 6 for Sunday; abbreviations ("Wed.", "Thurs.") by their first three letters."""
    return [w[:3] for w in _EN_WEEKDAYS].index(name[:3].lower())


def _month_day_candidate(m: re.Match[str], ref: datetime.date, read) -> Iterator[_Candidate]:
    if m.group("year"):
        got = read(m.group(0), ("day", "month", "year"))
        if got and _year_ok(got[0].year, True):
            yield _Candidate(m.start(), m.end(), (got[0].year, got[0].month, got[0].day, False))
        return
    # No year: dateparser reads month and day; the year follows the nearest-past rule shared with Chinese
    # (nearest-future after "will", "is set to", ...).
    got = read(m.group(0), ("day", "month"))
    named = _EN_WEEKDAY_BEFORE_RE.search(m.string, max(0, m.start() - 12), m.start())
    if got and named:  # "Thursday, Dec. 5": the year in which that day is a Thursday, nearest the reference
        weekday = _en_weekday(named.group(1))
        fits = [
            datetime.date(y, got[0].month, got[0].day)
            for y in (ref.year - 1, ref.year, ref.year + 1)
            if _valid_day(y, got[0].month, got[0].day) and datetime.date(y, got[0].month, got[0].day).weekday() == weekday
        ]
        if fits:
            d = min(fits, key=lambda d: abs((d - ref).days))
            yield _Candidate(m.start(), m.end(), (d.year, d.month, d.day, False))
            return
    if got:
        tense = _tense_en(m.string, m.start(), m.end())
        if tense is None and re.match(r"\s+deadline\b", m.string[m.end() : m.end() + 12], re.I):
            tense = "future"  # "set a Sept. 10 deadline": a deadline is ahead of the words that set it
        nearest = {"future": _day_at_or_after, "weak": _day_nearest}.get(tense, _day_at_or_before)
        found = nearest(got[0].month, got[0].day, ref)
        if found:
            yield _Candidate(m.start(), m.end(), (*found, False))


# --------------------------------------------------------------------------- public API


def _select(candidates: Iterable[_Candidate], blocked: list[tuple[int, int]]) -> list[_Candidate]:
    """Longest first, then leftmost; drop anything overlapping a kept span or a URL."""
    starts: list[int] = []  # kept spans, disjoint and sorted by start
    ends: list[int] = []
    chosen: list[_Candidate] = []

    def free(start: int, end: int) -> bool:
        i = bisect.bisect_right(starts, start)
        return (i == 0 or ends[i - 1] <= start) and (i == len(starts) or starts[i] >= end)

    def keep(start: int, end: int) -> None:
        i = bisect.bisect_right(starts, start)
        starts.insert(i, start)
        ends.insert(i, end)

    for start, end in sorted(blocked):
        if free(start, end):
            keep(start, end)
    for cand in sorted(candidates, key=lambda c: (-(c.end - c.start), c.start)):
        if cand.end > cand.start and free(cand.start, cand.end):
            keep(cand.start, cand.end)
            chosen.append(cand)
    return sorted(chosen, key=lambda c: c.start)


# 27日（周四）, 10月30日（週三）: the weekday in brackets repeats the day before it
_BRACKETED_WEEKDAY_RE = re.compile(r"[ \t]*[（(][ \t]*(?P<wd>(?:周|週|星期|礼拜|禮拜)(?P<n>[一二三四五六日天]))[ \t]*[）)]")
_EXPLICIT_YEAR_RE = re.compile(r"年|[0-9０-９]{4}|[0-9]{1,2}[/.\-][0-9]{1,2}[/.\-][0-9]{1,2}")


def _with_bracketed_weekdays(text: str, chosen: list[_Candidate]) -> list[_Candidate]:
    """A day followed by its weekday in brackets: the weekday is reported as the same day, and, when the
    day's text names no year and the weekday does not fit the year it was given, the adjacent year where it
    fits is taken for both (the weekday settles whether "10月30日" is last year's or next)."""
    out: list[_Candidate] = []
    for cand in chosen:
        year, month, day, approx = cand.value
        m = _BRACKETED_WEEKDAY_RE.match(text, cand.end) if day else None
        weekday = _WEEKDAY_CN[m.group("n")] if m else None
        if m is None or weekday is None or any(c.start < m.end() and m.start() < c.end for c in chosen if c is not cand):
            out.append(cand)
            continue
        if datetime.date(year, month, day).weekday() != weekday:
            if _EXPLICIT_YEAR_RE.search(text[cand.start : cand.end]):
                out.append(cand)
                continue
            fits = [y for y in (year - 1, year + 1) if _valid_day(y, month, day) and datetime.date(y, month, day).weekday() == weekday]
            if not fits:
                out.append(cand)
                continue
            cand = _Candidate(cand.start, cand.end, (fits[0], month, day, approx))
        out.append(cand)
        out.append(_Candidate(m.start("wd"), m.end("wd"), cand.value))
    return _with_bracketed_days(text, out)


# 本週四（5日）, 周四（12月5日）, 明日（2日）: the day in brackets names the day before it
_BRACKETED_DAY_RE = re.compile(r"[ \t]*[（(][ \t]*(?:[0-9０-９]{1,2}[ \t]*月[ \t]*)?(?P<day>[0-9０-９]{1,2})[ \t]*[日号號]?[ \t]*[）)]")
_WEEKDAY_WORD_RE = re.compile(r"周|週|星期|礼拜|禮拜")


def _with_bracketed_days(text: str, chosen: list[_Candidate]) -> list[_Candidate]:
    """A day (a weekday, a day word) followed by its day number in brackets: both are the same day. When
    they disagree by a week, the number settles which week a bare weekday is (周四（5日）)."""
    out = list(chosen)
    for i, cand in enumerate(out):
        year, month, day, approx = cand.value
        m = _BRACKETED_DAY_RE.match(text, cand.end) if day else None
        if m is None:
            continue
        j = next((k for k, c in enumerate(out) if k != i and m.start() <= c.start < m.end()), None)
        number = _num(m.group("day"))
        if j is None or number is None:
            continue
        named = datetime.date(year, month, day)
        if named.day != number and _WEEKDAY_WORD_RE.search(text[cand.start : cand.end]):
            named = next((d for d in (named - datetime.timedelta(7), named + datetime.timedelta(7)) if d.day == number), named)
            out[i] = _Candidate(cand.start, cand.end, (named.year, named.month, named.day, approx))
        if named.day == number:
            other = out[j]
            if other.value[2] is not None and other.value[:3] != (named.year, named.month, named.day):
                if "月" not in m.group(0):  # a bare day takes the named month; 12月5日 stands on its own
                    out[j] = _Candidate(other.start, other.end, (named.year, named.month, named.day, other.value[3]))
    return out


_BARE_DAY_TEXT_RE = re.compile(rf"^(?:[0-9０-９]{{1,2}}|{_CN_DAY})[ \t]*[日号號]$")
_YEARLESS_DAY_TEXT_RE = re.compile(rf"^(?:[0-9０-９]{{1,2}}|{_CN_DAY.replace('[一二三]?', '[一二三]?', 1)}|十[一二]?)[ \t]*月[ \t]*(?:[0-9０-９]{{1,2}}|{_CN_DAY})[ \t]*[日号號]$")
_WEEK_OF_MONTH_TEXT_RE = re.compile(r"月.*(?:周|週|星期|礼拜|禮拜)$")


def _with_sentence_months(text: str, chosen: list[_Candidate]) -> list[_Candidate]:
    """Dates listed in one Chinese sentence read on from the one before them.

    A bare day after a date that names a month takes that month (``6月5日和10日``, ``8月24日起至28日止``,
    ``12月第二週舉行，時間為8日至10日``). A month-day without a year after one read as ahead of the reference
    (a schedule: ``將自8月24日起…，選舉公告則於9月20日發布``) stays in its year when it falls after it, unless
    a past marker comes between them."""
    out: list[_Candidate] = []
    last: _Candidate | None = None
    for cand in chosen:
        if last is not None and any(ch in _SENTENCE_BREAK for ch in text[last.end : cand.start]):
            last = None
        piece = text[cand.start : cand.end]
        year, month, day, approx = cand.value
        if last is not None and day and last.value[1] and _char(text, cand.start - 1) not in ("（", "("):
            ly, lm, ld = last.value[0], last.value[1], last.value[2]
            ahead = bool(ld) and 0 < (datetime.date(year, month, day) - datetime.date(ly, lm, ld)).days <= 31
            if _BARE_DAY_TEXT_RE.match(piece) and (year, month) != (ly, lm) and _valid_day(ly, lm, day) and not ahead:
                # (a day up to a month after the one before it is already read on from it: 30日至2日)
                cand = _Candidate(cand.start, cand.end, (ly, lm, day, approx))
            elif (
                ld
                and _YEARLESS_DAY_TEXT_RE.match(piece)
                and (_YEARLESS_DAY_TEXT_RE.match(text[last.start : last.end]) or _BARE_DAY_TEXT_RE.match(text[last.start : last.end]))
                and year < ly
                and (ly, month, day) > (ly, lm, ld)
                and _valid_day(ly, month, day)
                and not _SENTENCE_PAST_RE.search(text, last.end, cand.start)
            ):
                cand = _Candidate(cand.start, cand.end, (ly, month, day, approx))
        out.append(cand)
        named = text[cand.start : cand.end]
        if cand.value[1] and "年" not in named and (
            (cand.value[2] and "月" in named) or _WEEK_OF_MONTH_TEXT_RE.search(named) or _BARE_DAY_TEXT_RE.match(piece)
        ):  # 6月5日, 12月第二週, 28日; not 3月 alone (3月CPI…，统计局16日公布 is this month's 16th)
            last = cand
        else:
            last = None  # 2019年3月 … 18日, 2019年 … 18日: a dated past leaves the day to the reference month
    return out


_CLAUSE_YEAR_BREAK = "，。；！？,;!?\n"
_RANGE_GAP_RE = re.compile(r"^[ \t]*[至到~～\-–—][ \t]*$")
_YEARLESS_MONTH_TEXT_RE = re.compile(r"^[0-9０-９一二三四五六七八九十]{1,2}[ \t]*月")


_SINCE_AFTER_RE = re.compile(r"[ \t]*(?:以来|以來)")


def _with_clause_years(text: str, chosen: list[_Candidate]) -> list[_Candidate]:
    """A month or month-day without a year (``11月1日``) after a year named in the same Chinese clause
    (``2021年也曾…提前至11月1日``, ``去年春節期間國道曾在1月25日``) is in that year, not the reference's."""
    out: list[_Candidate] = []
    year_named: int | None = None
    topic_year: int | None = None  # 2022年，该公司在3月…: a year that opens its sentence governs the sentence
    since_year = False  # the year just named opens a span up to now (2016年以来, 民國74年以來)
    last_end = 0
    for cand in chosen:
        gap = text[last_end : cand.start]
        if any(ch in _SENTENCE_BREAK for ch in gap) or not out:
            topic_year = None
            opening = text[max(0, cand.start - 12) : cand.start]
            cut = max(opening.rfind(ch) for ch in _SENTENCE_BREAK + "）)」』”")
            piece0 = text[cand.start : cand.end]
            if (
                not opening[cut + 1 :].strip(" \t\u3000（(「『“【")
                and cand.value[1] is None
                and re.fullmatch(r"(?:[0-9０-９]{4}|[〇零○一二三四五六七八九]{4})[ \t]*年|今年|去年|前年|明年", piece0)
            ):
                topic_year = cand.value[0]
        if any(ch in _CLAUSE_YEAR_BREAK for ch in gap):
            year_named, since_year = topic_year, False
        piece = text[cand.start : cand.end]
        year, month, day, approx = cand.value
        if since_year and month and day is None and _YEARLESS_MONTH_TEXT_RE.match(piece):
            last_end = cand.end
            continue  # 民國74年以來首次有颱風在10月登陸: any October since then, not a month to date
        if year_named is not None and month and _YEARLESS_MONTH_TEXT_RE.match(piece) and year != year_named:
            if day is None or _valid_day(year_named, month, day):
                cand = _Candidate(cand.start, cand.end, (year_named, month, day, approx))
        elif out and month and _YEARLESS_MONTH_TEXT_RE.match(piece) and _RANGE_GAP_RE.match(text[last_end : cand.start]):
            first = out[-1].value  # 7月中旬至8月上旬: the end of a range is not before its start
            if first[1] and (year, month) < (first[0], first[1]):
                end_year = first[0] if month >= first[1] else first[0] + 1
                if day is None or _valid_day(end_year, month, day):
                    cand = _Candidate(cand.start, cand.end, (end_year, month, day, approx))
        out.append(cand)
        if "年" in piece and (piece.endswith("年度") or _char(text, cand.end) == "度"):
            year_named = topic_year = None  # 2025年度个税汇算将于3月1日开始: a year of account, not the time of the clause
            since_year = False
        elif "年" in piece:
            year_named = cand.value[0]
            since_year = bool(_SINCE_AFTER_RE.match(text, cand.end))
        elif cand.value[0] != year_named:
            year_named = topic_year = None  # 去年 上个月 7月份: the month just named in another year is the anchor now
        last_end = cand.end
    return out


_EN_TOPIC_YEAR_RE = re.compile(r"(?:^|[.!?]\s+|\n)[\"“]?(?:In|By|During)\s+$")
_EN_YEARLESS_MONTH_TEXT_RE = re.compile(
    r"^(?:(?:[Ee]arly|[Ll]ate|[Mm]id-?)\s*)?(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
    r"(?:\s+[0-9]{1,2}(?:st|nd|rd|th)?)?$"
)


def _with_english_topic_years(text: str, chosen: list[_Candidate]) -> list[_Candidate]:
    """"In 2024, sales rose in March": a year that opens an English sentence before a comma dates the
    yearless months and days of that sentence."""
    out: list[_Candidate] = []
    topic: int | None = None
    last_end = 0
    for cand in chosen:
        piece = text[cand.start : cand.end]
        if re.search(r"[.!?;]\s+[A-Z\"“]|\n", text[last_end : cand.start]) and not _EN_ABBREVIATION_RE.search(
            text[last_end : cand.start].rstrip().rstrip(".")
        ):
            topic = None
        if (
            re.fullmatch(r"(?:19|20)[0-9]{2}", piece)
            and _EN_TOPIC_YEAR_RE.search(text[max(0, cand.start - 12) : cand.start])
            and text.startswith(",", cand.end)
        ):
            topic = cand.value[0]
        elif topic is not None and cand.value[1] and _EN_YEARLESS_MONTH_TEXT_RE.match(piece):
            year, month, day, approx = cand.value
            if year != topic and (day is None or _valid_day(topic, month, day)):
                cand = _Candidate(cand.start, cand.end, (topic, month, day, approx))
        elif re.search(r"[0-9]{4}", piece) or not cand.value[1]:
            topic = None if cand.value[0] != topic else topic
        out.append(cand)
        last_end = cand.end
    return out


def _with_english_month_of_day(text: str, chosen: list[_Candidate]) -> list[_Candidate]:
    """"FIDE's November rating list, due out Nov. 1": a yearless English month and a day of that month in the
    same sentence (no sentence break between them) are in the day's year."""
    out = list(chosen)
    for i, cand in enumerate(out):
        year, month, day, approx = cand.value
        piece = text[cand.start : cand.end]
        if month is None or day is not None or not piece.isascii() or not _EN_YEARLESS_MONTH_TEXT_RE.match(piece):
            continue
        for other in out:
            if other is cand or other.value[1] != month or other.value[2] is None or other.value[0] == year:
                continue
            lo, hi = min(cand.end, other.end), max(cand.start, other.start)
            between = text[lo:hi]
            if hi - lo > 80 or (
                re.search(r"[.!?;]\s+[A-Z\"“]|\n", between) and not _EN_ABBREVIATION_RE.search(between.rstrip().rstrip("."))
            ):
                continue
            out[i] = _Candidate(cand.start, cand.end, (other.value[0], month, None, approx))
            break
    return out


def _past_before_en(text: str, start: int) -> bool:
    """Whether the nearest tense word before an English date is past, a reporting verb ("said") aside."""
    last = None
    for m in _EN_TENSE_RE.finditer(_en_clause_before(text, start)):
        last = m
    return bool(
        last
        and last.lastgroup in ("past", "pastplan")
        and last.group(0).lower() not in ("said", "told", "announced", "reported", "confirmed")
    )


def _with_english_later_dated(text: str, chosen: list[_Candidate], ref: datetime.date) -> list[_Candidate]:
    """"purchases made between Nov. 1 and Dec. 31 can be returned until Jan. 14, 2025": a yearless English day
    read in the past, with no past tense word before it, in a sentence whose later full date lies ahead, is
    the day between the reference and that date (when there is one)."""
    out = list(chosen)
    for i, cand in enumerate(out):
        year, month, day, approx = cand.value
        piece = text[cand.start : cand.end]
        if (
            day is None
            or not piece.isascii()
            or not _EN_YEARLESS_MONTH_TEXT_RE.match(piece)
            or re.search(r"[0-9]{4}", piece)
            or (year, month, day) >= (ref.year, ref.month, ref.day)
            or _past_before_en(text, cand.start)
        ):
            continue
        for later in out[i + 1 :]:
            between = text[cand.end : later.start]
            if re.search(r"[.!?;]\s+[A-Z\"“]|\n", between) and not _EN_ABBREVIATION_RE.search(between.rstrip().rstrip(".")):
                break
            if later.value[2] is None or not re.search(r"(?:19|20)[0-9]{2}", text[later.start : later.end]):
                continue
            until = datetime.date(*later.value[:3])
            if until > ref:
                for y in (ref.year, ref.year + 1):
                    if _valid_day(y, month, day) and ref <= datetime.date(y, month, day) <= until:
                        out[i] = _Candidate(cand.start, cand.end, (y, month, day, approx))
                        break
            break
    return out


_EN_RANGE_END_GAP_RE = re.compile(
    r"^[^0-9.;!?]{0,40}?\b(?:until|till|through|thru|to)\s+$", re.I
)


def _with_english_range_ends(text: str, chosen: list[_Candidate]) -> list[_Candidate]:
    """"will open on Sept. 26 and run until Feb. 22": a yearless English day after until/through/to, a few
    words after a day of the same sentence, ends what starts there: it is the first such day not before that
    day ("opened on March 3 and ran until May 1" is the May after that March, not the nearer one ahead)."""
    out = list(chosen)
    for i in range(1, len(out)):
        prev, cand = out[i - 1], out[i]
        piece = text[cand.start : cand.end]
        if (
            cand.value[2] is None
            or prev.value[2] is None
            or not piece.isascii()
            or not _EN_YEARLESS_MONTH_TEXT_RE.match(piece)
            or not _EN_RANGE_END_GAP_RE.match(text[prev.end : cand.start])
        ):
            continue
        year, month, day, approx = cand.value
        start = datetime.date(*prev.value[:3])
        if datetime.date(year, month, day) != start:
            for y in (start.year, start.year + 1):
                if _valid_day(y, month, day) and datetime.date(y, month, day) >= start:
                    out[i] = _Candidate(cand.start, cand.end, (y, month, day, approx))
                    break
    return out


_EN_APPOSITIVE_WEEKDAY_RE = re.compile(r",\s+a\s+(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")


def _with_english_appositive_weekdays(text: str, chosen: list[_Candidate]) -> list[_Candidate]:
    """"on Feb. 26, a Monday": the weekday is the same day, and settles the year of a yearless date."""
    out = list(chosen)
    for cand in chosen:
        year, month, day, approx = cand.value
        m = _EN_APPOSITIVE_WEEKDAY_RE.match(text, cand.end) if day else None
        if m is None or any(c.start < m.end() and m.start() < c.end for c in out if c is not cand):
            continue
        weekday = _EN_WEEKDAYS.index(m.group("wd").lower())
        if datetime.date(year, month, day).weekday() != weekday:
            if re.search(r"[0-9]{4}", text[cand.start : cand.end]):
                continue
            fits = [y for y in (year + 1, year - 1) if _valid_day(y, month, day) and datetime.date(y, month, day).weekday() == weekday]
            if not fits:
                continue
            out[out.index(cand)] = cand = _Candidate(cand.start, cand.end, (fits[0], month, day, approx))
        out.append(_Candidate(m.start("wd"), m.end("wd"), cand.value))
    return sorted(out, key=lambda c: c.start)


# Date arithmetic that leaves the calendar (years 1-9999 of ``datetime.date``): "3天前" read against 0001-01-01,
# "明年" against 9999-06-01. Only a reference near either end gets there (relative amounts are bounded by the
# rules, see _year_ok); such a date cannot be computed and is skipped, never raised.
_OUT_OF_CALENDAR = (ValueError, OverflowError)
_SENTENCE_PIECE_RE = re.compile(r"[^.!?;。！？；\n]*(?:[.!?;。！？；\n]+|$)")


def _english_candidates_guarded(text: str, ref: datetime.date) -> list[_Candidate]:
    """The English candidates; where one cannot be computed (a reference near the ends of the calendar), the
    text is read sentence by sentence and a sentence whose reading fails gives no English candidates."""
    try:
        return list(_english_candidates(text, ref))
    except _OUT_OF_CALENDAR:
        pass
    out = []
    for piece in _SENTENCE_PIECE_RE.finditer(text):
        try:
            found = list(_english_candidates(piece.group(), ref))
        except _OUT_OF_CALENDAR:
            continue
        out.extend(_Candidate(c.start + piece.start(), c.end + piece.start(), c.value) for c in found)
    return out


def _in_calendar(value: _Value) -> bool:
    return datetime.MINYEAR <= value[0] <= datetime.MAXYEAR


def _refined(step, text: str, chosen: list[_Candidate], *args) -> list[_Candidate]:
    """One refinement of the chosen candidates; where it cannot be computed (a reference near the ends of the
    calendar), the candidates stay as they were."""
    try:
        return step(text, chosen, *args)
    except _OUT_OF_CALENDAR:
        return chosen


def extract_dates(text: str, *, reference: datetime.date) -> list[DateMention]:
    """Every date mention in ``text``, sorted by start, non-overlapping, resolved against ``reference``.

    A mention whose date falls outside the calendar (years 1-9999), which only a reference near either end can
    give ("明年" read in 9999), is skipped."""
    if not isinstance(text, str):
        raise TypeError(f"text must be str, not {type(text).__name__}")
    if isinstance(reference, datetime.datetime):
        reference = reference.date()
    if not isinstance(reference, datetime.date):
        raise TypeError(f"reference must be a datetime.date, not {type(reference).__name__}")
    blocked = [(m.start(), m.end()) for m in _URL_RE.finditer(text)]
    candidates = [*_chinese_candidates(text, reference), *_english_candidates_guarded(text, reference)]
    candidates = [cand for cand in candidates if _in_calendar(cand.value)]
    mentions = []
    chosen = _select(candidates, blocked)
    for step in (_with_bracketed_weekdays, _with_sentence_months, _with_clause_years, _with_english_appositive_weekdays,
                 _with_english_topic_years):  # fmt: skip
        chosen = _refined(step, text, chosen)
    chosen = _refined(_with_english_later_dated, text, chosen, reference)
    chosen = _refined(_with_english_month_of_day, text, chosen)
    chosen = _refined(_with_english_range_ends, text, chosen)
    for cand in chosen:
        if not _in_calendar(cand.value):
            continue
        date, precision = _format(cand.value)
        mentions.append(
            DateMention(
                text=text[cand.start : cand.end],
                start=cand.start,
                end=cand.end,
                date=date,
                precision=precision,
                approximate=cand.value[3],
            )
        )
    return mentions


_REF_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def parse_reference(value: object) -> datetime.date:
    """A strict ``YYYY-MM-DD`` reference date; ``ValueError`` with a readable message otherwise."""
    if not isinstance(value, str) or not _REF_RE.match(value):
        raise ValueError(f"reference date must be YYYY-MM-DD, got {value!r}")
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"reference date {value!r} is not a valid calendar date") from None


def extract_dates_jsonl(
    lines: Iterable[str], default_reference: datetime.date | None = None
) -> list[list[dict]]:
    """Read JSON lines ``{"text": ..., "ref": "YYYY-MM-DD"}``; one list of mention dicts per line.

    Blank lines are skipped. ``ref`` may be omitted when ``default_reference`` is given. All input is
    validated before anything is returned; problems raise ``ValueError`` naming the line number.
    """
    import json

    results = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"line {number}: not valid JSON ({exc.msg})") from None
        if not isinstance(record, dict):
            raise ValueError(f'line {number}: expected an object like {{"text": ..., "ref": "YYYY-MM-DD"}}')
        text = record.get("text")
        if not isinstance(text, str):
            raise ValueError(f'line {number}: "text" must be a string')
        if "ref" in record:
            try:
                reference = parse_reference(record["ref"])
            except ValueError as exc:
                raise ValueError(f"line {number}: {exc}") from None
        elif default_reference is not None:
            reference = default_reference
        else:
            raise ValueError(f'line {number}: "ref" is missing and no --ref default was given')
        results.append([m.as_dict() for m in extract_dates(text, reference=reference)])
    return results
