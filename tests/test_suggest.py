"""The suggestion engine's parts on sentences unlike the shipped articles: speakers and chained dates.

Pure functions, no database. The labelled corpus in tests/data/suggest_sentences.jsonl is scored by
the benchmark; these tests pin single behaviours.
"""

import datetime

import pytest

from timeline.ingest.extract_dates import extract_dates
from timeline.suggest.chaining import RelativeDate, find_relative, resolve
from timeline.suggest.engine import DateFound, EraRange, PassageText, era_for, propose
from timeline.suggest.names import EntityIndex, name_key
from timeline.suggest.quotes import attribute, find_quotes

INDEX = EntityIndex(
    [
        ("tim-cook", "person", ["Tim Cook", "库克", "庫克", "蒂姆·库克", "Cook"]),
        ("jeff-dean", "person", ["Jeff Dean", "杰夫·迪恩", "傑夫·迪恩", "迪恩", "Dean"]),
        ("apple", "organization", ["苹果", "蘋果", "Apple"]),
        ("google", "organization", ["谷歌", "Google"]),
    ]
)
REFERENCE = datetime.date(2024, 12, 1)


def speaker_of(text: str, quote: str):
    [found] = [q for q in find_quotes(text) if text[q.start : q.end] == quote]
    return attribute(text, found, INDEX.find(text), INDEX)


@pytest.mark.parametrize(
    ("text", "quote", "slug"),
    [
        ("库克在发布会上说:“这是我们做过最好的手机。”", "这是我们做过最好的手机。", "tim-cook"),
        ("「這款晶片的效能提升了一倍。」庫克表示。", "這款晶片的效能提升了一倍。", "tim-cook"),
        ('"Privacy is a fundamental human right," Cook said.', "Privacy is a fundamental human right,", "tim-cook"),
        ('"We were surprised by the results," said Jeff Dean.', "We were surprised by the results,", "jeff-dean"),
        ("迪恩沉默片刻。“我们还需要更多数据。”他补充说。", "我们还需要更多数据。", "jeff-dean"),
        ("迪恩的看法很直接:“规模仍然重要。”", "规模仍然重要。", "jeff-dean"),
    ],
)
def test_speaker_from_attribution_in_both_scripts_and_english(text, quote, slug):
    """The verb after or before the quote, a colon, or a pronoun leads to the named person."""
    speaker = speaker_of(text, quote)
    assert speaker is not None and speaker.slug == slug


def test_a_described_speaker_is_described_not_named():
    """'一位员工' is nobody the index knows: the speaker is that description, not a nearby name."""
    text = "库克离开会场后,一位苹果员工对记者说道:“大家都很紧张。”"
    speaker = speaker_of(text, "大家都很紧张。")
    assert (speaker.slug, speaker.name, speaker.how) == (None, "一位苹果员工", "described")


def test_a_described_speaker_in_traditional_script():
    speaker = speaker_of("一名工程師在論壇上寫道:「我們早就知道這個問題。」", "我們早就知道這個問題。")
    assert (speaker.slug, speaker.name) == (None, "一名工程師")


def test_words_that_look_like_speech_verbs_are_not_attribution():
    """'说实话' is not someone speaking: a quoted term after it gets no speaker from it."""
    text = "说实话,这个“奇点”听起来很玄。"
    assert speaker_of(text, "奇点") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("两个月后,苹果发布了新机。", ("month", 2.0, False)),
        ("兩個月後,蘋果發布了新機。", ("month", 2.0, False)),
        ("3天后,股价回升。", ("day", 3.0, False)),
        ("幾天後,消息傳開了。", ("day", 3.0, True)),
        ("Two weeks later, Google responded.", ("week", 2.0, False)),
        ("次年,公司上市。", ("year", 1.0, False)),
        ("The following year, Apple bought it.", ("year", 1.0, False)),
        ("數小時後,他也宣佈辭職。", ("hour", 3.0, True)),
        ("106個小時后,他又回來了。", ("hour", 106.0, False)),
        ("Three hours later, the board resigned.", ("hour", 3.0, False)),
        ("此前一天,董事會開會。", ("day", -1.0, False)),
        ("前一天晚上,他收到了短信。", ("day", -1.0, False)),
        ("此前三天,他已经离职。", ("day", -3.0, False)),
        ("A day earlier, the board met.", ("day", -1.0, False)),
        ("Two weeks before, staff signed a letter.", ("week", -2.0, False)),
        ("隔月,公司宣布融资。", ("month", 1.0, False)),
        ("The following Tuesday, he returned.", ("weekday", 1.0, False)),
        ("隔週五,他們再次開會。", ("weekday", 4.0, False)),
    ],
)
def test_relative_expressions_are_found(text, expected):
    found = find_relative(text)
    assert (found.unit, found.count, found.vague) == expected


def test_later_in_a_word_is_not_a_relative_date():
    """'后来' (afterwards) and '之后' alone carry no count: no relative date."""
    assert find_relative("后来,他们分道扬镳。") is None


@pytest.mark.parametrize(
    ("anchor", "relative", "expected"),
    [
        ("2018-02", RelativeDate("兩個月后", 0, 4, "month", 2, False), ("2018-04", "month", False)),
        ("2018-11-30", RelativeDate("3天后", 0, 3, "day", 3, False), ("2018-12-03", "day", False)),
        # Less than a week after a month is told as that month; a week or more may be the next one.
        ("2018-11", RelativeDate("3天后", 0, 3, "day", 3, False), ("2018-11", "month", False)),
        ("2018-11", RelativeDate("十天后", 0, 3, "day", 10, False), ("2018-11", "month", True)),
        ("2018-11", RelativeDate("幾天后", 0, 3, "day", 3, True), ("2018-11", "month", True)),
        ("2018", RelativeDate("两个月后", 0, 4, "month", 2, False), ("2018", "year", True)),
        ("2018-12", RelativeDate("一个月后", 0, 4, "month", 1, False), ("2019-01", "month", False)),
        # Hours: under a day after a day is that day; more, days later and never sure which.
        ("2023-11-17", RelativeDate("數小時後", 0, 4, "hour", 3, True), ("2023-11-17", "day", False)),
        ("2023-11-17", RelativeDate("106個小時后", 0, 7, "hour", 106, False), ("2023-11-21", "day", True)),
        ("2023-11", RelativeDate("106個小時后", 0, 7, "hour", 106, False), ("2023-11", "month", False)),
        # Backwards, and weekdays after the anchor's day.
        ("2023-11-17", RelativeDate("此前一天", 0, 4, "day", -1, False), ("2023-11-16", "day", False)),
        ("2023-01", RelativeDate("前一年", 0, 3, "year", -1, False), ("2022", "year", False)),
        ("2023-11-17", RelativeDate("The following Tuesday", 0, 21, "weekday", 1, False), ("2023-11-21", "day", False)),
        ("2023-11", RelativeDate("The following Tuesday", 0, 21, "weekday", 1, False), ("2023-11", "month", True)),
    ],
)
def test_resolution_is_never_finer_than_what_is_known(anchor, relative, expected):
    """A year is a year: days after a month stay that month (approximate from a week on); months after a year
    stay the year."""
    got = resolve(relative, anchor)
    assert (got.date, got.precision, got.approximate) == expected


def propose_text(text: str, **kwargs):
    dates = [DateFound(1, d.start, d.end, d.date, d.precision, d.approximate) for d in extract_dates(text, reference=REFERENCE)]
    return propose([PassageText(1, 0, text)], dates, index=INDEX, reference=REFERENCE, **kwargs)


def test_chained_dates_follow_the_previous_dated_sentence():
    """Each relative date is anchored on the last dated sentence, including one that was itself chained."""
    text = "2021年3月,苹果发布了新芯片。两个月后,谷歌宣布跟进。3天后,库克回应了质疑。"
    events = {c.exact: c.edtf for c in propose_text(text) if c.kind == "event"}
    assert events == {
        "2021年3月,苹果发布了新芯片。": "2021-03",
        "两个月后,谷歌宣布跟进。": "2021-05",
        "3天后,库克回应了质疑。": "2021-05",  # less than a week after a month: that month
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("一年前,库克宣布了新计划。", "2023~"),
        ("兩年前，庫克離開了蘋果。", "2022~"),
        ("Two years ago, Cook left Apple.", "2022~"),
        ("3年前库克创办了公司。", "2021~"),
        ("Twenty years ago, Cook joined Apple.", "2004~"),
        ("Eleven years ago, Cook joined Apple.", "2013~"),
        # A day or a month pinned after it: left as the extractor reads it (here, the year alone).
        ("一年前的今天,库克宣布了新计划。", "2023"),
        ("两年前的3月,库克宣布了新计划。", "2022"),
        ("Ten years ago today, Cook announced the plan.", "2014"),
        ("Two years ago in March, Cook announced the plan.", "2022"),
        # Stated years, and months or days counted back, stay as the extractor reads them.
        ("2023年,库克宣布了新计划。", "2023"),
        ("6个月前,库克宣布了新计划。", "2024-06"),
        ("3天前,库克宣布了新计划。", "2024-11-28"),
    ],
)
def test_whole_years_counted_back_are_an_approximate_year(text, expected):
    """"一年前" from a December is the year before, but from a February it may be two Decembers back:
    as an item's date, a count of years from the time of writing is only approximately that year."""
    [event] = [c for c in propose_text(text) if c.kind == "event"]
    assert event.edtf == expected


def test_english_chaining():
    text = "Apple released the chip on June 5, 2023. Two weeks later, Google announced a rival."
    events = {c.exact: c.edtf for c in propose_text(text) if c.kind == "event"}
    assert events["Two weeks later, Google announced a rival."] == "2023-06-19"


def test_candidates_carry_exact_spans_people_era_and_are_ranked():
    text = "背景介绍。2019年,库克在苹果总部宣布了新计划。"
    eras = [EraRange("one", datetime.date(2015, 1, 1), datetime.date(2020, 12, 31))]
    [event] = [c for c in propose_text(text, eras=eras) if c.kind == "event"]
    assert text[event.start : event.end] == event.exact == "2019年,库克在苹果总部宣布了新计划。"
    assert event.prefix == "背景介绍。"
    assert (event.people, event.organizations, event.era, event.precision) == (["tim-cook"], ["apple"], "one", "year")
    candidates = propose_text("2019年,库克宣布了计划。库克说:“我们会做得更好。”2019年天气很好,大家都去了。")
    assert [c.score for c in candidates] == sorted((c.score for c in candidates), reverse=True)


def test_era_for_reports_a_date_past_the_end():
    eras = [EraRange("crisis", datetime.date(2023, 1, 1), datetime.date(2023, 10, 31))]
    assert era_for("2023-11", eras) == (None, "no era contains 2023-11")
    assert era_for("2023-10", eras)[0] == "crisis"


@pytest.mark.parametrize(
    ("one", "other"),
    [("萨姆·奥特曼", "薩姆奧特曼"), ("Sam Altman", "altman sam"), ("蒂姆・库克", "蒂姆·庫克")],
)
def test_name_keys_ignore_script_dot_case_and_order(one, other):
    assert name_key(one) == name_key(other)


def test_a_paragraph_introduced_by_a_colon_is_a_block_quote():
    """Quoted without marks after "…提到:", the next paragraph is the quote, and the speaker is named there."""
    passages = [PassageText(1, 0, "几周前,迪恩在一次采访中提到:"), PassageText(2, 17, "我们还远没有到达数据的极限。[3]")]
    [quote] = [c for c in propose(passages, [], index=INDEX) if c.kind == "quote"]
    assert (quote.passage, quote.exact, quote.speaker) == (2, "我们还远没有到达数据的极限。", "jeff-dean")


def test_a_date_after_the_reference_is_a_prediction_dated_by_the_article():
    """'到2030年' in an article written in 2024 is not an event of 2030: it is said in 2024-12."""
    [event] = [c for c in propose_text("库克预测,到2030年苹果将发布十款新产品。") if c.kind == "event"]
    assert (event.edtf, event.precision) == ("2024-12~", "month")
    assert any("prediction" in reason for reason in event.reasons)


def test_an_undated_event_sentence_takes_the_date_in_force():
    """The narrative's last stated date holds for a later event sentence without one, marked approximate."""
    text = "2016年,库克访问了中国。随后,苹果宣布在北京成立研发中心。"
    events = {c.exact: c.edtf for c in propose_text(text) if c.kind == "event"}
    assert events["随后,苹果宣布在北京成立研发中心。"] == "2016~"


def test_an_undated_event_keeps_the_month_in_force_only_right_after_it():
    """Right after a dated sentence the story is still at its month (approximately); once it says it moved on
    ("后来", "later") or several sentences have passed, only the year is kept, approximately."""
    text = "2016年5月,库克访问了中国。随后,苹果宣布在北京成立研发中心。"
    events = {c.exact: (c.edtf, c.precision) for c in propose_text(text) if c.kind == "event"}
    assert events["随后,苹果宣布在北京成立研发中心。"] == ("2016-05~", "month")
    text = "2016年5月,库克访问了中国。后来,苹果宣布在北京成立研发中心。"
    events = {c.exact: (c.edtf, c.precision) for c in propose_text(text) if c.kind == "event"}
    assert events["后来,苹果宣布在北京成立研发中心。"] == ("2016~", "year")
    text = "In May 2016, Tim Cook visited China. Later, Apple announced a research centre in Beijing."
    events = {c.exact: c.edtf for c in propose_text(text) if c.kind == "event"}
    assert events["Later, Apple announced a research centre in Beijing."] == "2016~"
    text = "2016年5月,库克访问了中国。行程很紧。他见了许多人。天气很热。媒体一路跟随。苹果宣布在北京成立研发中心。"
    events = {c.exact: c.edtf for c in propose_text(text) if c.kind == "event"}
    assert events["苹果宣布在北京成立研发中心。"] == "2016~"  # five sentences on


def test_words_that_say_now_give_the_reference_month():
    """"目前"/"最近" date an undated event to the reference month, exactly when the reference date is past
    the first week of its month; later undated events keep it until a date is given."""
    passages = [PassageText(1, 0, "库克最近宣布苹果将关闭一家工厂。谷歌随后宣布了裁员计划。")]
    late = propose(passages, [], index=INDEX, reference=datetime.date(2024, 12, 20))
    assert {c.exact: c.edtf for c in late if c.kind == "event"} == {
        "库克最近宣布苹果将关闭一家工厂。": "2024-12",
        "谷歌随后宣布了裁员计划。": "2024-12",
    }
    early = propose(passages, [], index=INDEX, reference=datetime.date(2024, 12, 3))
    assert {c.edtf for c in early if c.kind == "event"} == {"2024-12~"}


def test_a_sentence_placed_by_a_launch_takes_the_launch_date_given_anywhere():
    """"Sora發布之後" takes the date the article gives Sora's launch, even further on."""
    passages = [
        PassageText(1, 0, "Sora發布之後,庫克宣布蘋果將加快影片模型的研發。"),
        PassageText(2, 30, "2024年2月,OpenAI發布了Sora。"),
    ]
    text = "\n\n".join(p.text for p in passages)
    dates = [DateFound(2, d.start, d.end, d.date, d.precision, d.approximate)
             for d in extract_dates(passages[1].text, reference=REFERENCE)]  # fmt: skip
    events = {c.exact: c.edtf for c in propose(passages, dates, index=INDEX, reference=REFERENCE) if c.kind == "event"}
    assert events["Sora發布之後,庫克宣布蘋果將加快影片模型的研發。"] == "2024-02", text


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("他提到,當年的AlphaGo是個典型的例子。", False),  # "back then"
        ("库克将继续完成当年未竟的计划。", False),
        ("2019年苹果成立新部门。当年,库克宣布了计划。", True),  # "that same year", where a clause starts
    ],
)
def test_dang_nian_is_a_date_only_where_a_clause_starts(text, found):
    assert (find_relative(text) is not None) is found


def test_a_product_beside_han_characters_is_a_named_thing():
    """"的GPT-4o" and "ChatGPT在": no word boundary between Han and Latin letters is needed."""
    text = "2024年5月,大家都在讨论。前些日子发布的GPT-4o,就是典型的例子。"
    events = {c.exact for c in propose_text(text) if c.kind == "event"}
    assert "前些日子发布的GPT-4o,就是典型的例子。" in events


def test_a_named_person_stating_something_is_an_event():
    text = "2024年,苹果推出了新手机。库克承认,新手机的销量不如预期。"
    events = {c.exact: c.edtf for c in propose_text(text) if c.kind == "event"}
    # The article's own year is in force: a statement made about when it was written (reference 2024-12).
    assert events["库克承认,新手机的销量不如预期。"] == "2024-12~"
    assert "有人承认,新手机的销量不如预期。" not in {c.exact for c in propose_text("2024年,苹果推出了新手机。有人承认,新手机的销量不如预期。")}


@pytest.mark.parametrize(
    ("text", "quote", "expected"),
    [
        # The page lost the opening mark: the quote runs from the colon, and the colon introduces it.
        ("记者把库克此前在峰会上的发言联系在了一起:这是我们最好的一年,我为团队骄傲。”", "这是我们最好的一年,我为团队骄傲。",
         ("tim-cook", "colon")),
        ("多名员工在内部论坛上留言称:“公司的方向不清楚。”", "公司的方向不清楚。", (None, "described")),
        ('One engineer wrote in a note to colleagues: "The launch slipped again."', "The launch slipped again.",
         (None, "described")),
        # "問他" is who was asked; the asker is the described subject of the clause before.
        ("迪恩回忆道,那位工程師走進辦公室,問他,“你為什么不用更大的模型?”", "你為什么不用更大的模型?",
         (None, "described", "那位工程師")),
        ("迪恩給了他一份論文。幾天后,這個學生回來了,問他,“為什么不用更大的模型?”", "為什么不用更大的模型?",
         (None, "described", "這個學生")),
    ],
)
def test_more_attribution_rules(text, quote, expected):
    speaker = speaker_of(text, quote)
    assert (speaker.slug, speaker.how) == expected[:2]
    if len(expected) > 2:
        assert speaker.name == expected[2]


def test_an_unattributed_quote_goes_to_the_last_person_named_nearby():
    passages = [
        PassageText(1, 0, "库克把瓶颈归结为三点:芯片、供应链和人才。"),
        PassageText(2, 24, "目前最大的瓶颈是芯片。“要造一座新工厂,你首先得找到足够的电力和水,这比想象中难得多。”"),
    ]
    [quote] = [c for c in propose(passages, [], index=INDEX) if c.kind == "quote"]
    assert (quote.speaker, quote.speaker_how) == ("tim-cook", "context")


def test_a_wire_dateline_is_the_report_day_not_the_event_day():
    """'台北14日電…昨天…': yesterday counts from the dateline (filed on the 14th, published on the 15th); a
    sentence with only a dateline is dated around the report, approximately."""
    text = "（中央社記者王小明台北14日電）蘋果公司昨天發表新款晶片,庫克親自登台。"
    dates = [DateFound(1, d.start, d.end, d.date, d.precision, d.approximate)
             for d in extract_dates(text, reference=datetime.date(2024, 5, 15))]
    [event] = [c for c in propose([PassageText(1, 0, text)], dates, index=INDEX, reference=datetime.date(2024, 5, 15))
               if c.kind == "event"]
    assert event.edtf == "2024-05-13"
    assert any("dateline" in reason for reason in event.reasons)
    wire = "Nov 22 (Reuters) - Ahead of the board meeting, several Apple engineers wrote a letter to Tim Cook."
    dates = [DateFound(1, d.start, d.end, d.date, d.precision, d.approximate)
             for d in extract_dates(wire, reference=datetime.date(2023, 11, 23))]
    [event] = [c for c in propose([PassageText(1, 0, wire)], dates, index=INDEX, reference=datetime.date(2023, 11, 23))
               if c.kind == "event"]
    assert event.edtf == "2023-11~"


@pytest.mark.parametrize(
    ("text", "edtf"),
    [
        ("从2015年到2019年,苹果一直在秘密研发这款芯片。", "2015/2019"),
        ("2019年至今,苹果已在中国投资超过百亿美元。", "2019/2024"),
        ("Between 2019 and 2023, Apple invested in the supplier three times.", "2019/2023"),
        ("2023年3月至2023年6月,蘋果在亞洲的晶片產能擴大了一倍。", "2023-03/2023-06"),
        ("In 2019 and 2023, Apple released new chips.", "2019"),  # a list, not an interval
    ],
)
def test_a_stated_interval_is_proposed_as_an_edtf_interval(text, edtf):
    [event] = [c for c in propose_text(text) if c.kind == "event"]
    assert event.edtf == edtf


def test_a_backward_offset_and_a_following_weekday_chain_from_the_anchor():
    text = "2023年11月17日,苹果宣布库克卸任。此前一天,库克还在发布会上演讲。The following Tuesday, Apple said Cook would return."
    events = {c.exact: c.edtf for c in propose_text(text) if c.kind == "event"}
    assert events["此前一天,库克还在发布会上演讲。"] == "2023-11-16"
    assert events["The following Tuesday, Apple said Cook would return."] == "2023-11-21"


@pytest.mark.parametrize(
    ("text", "quote", "expected"),
    [
        ("Tim Cook, Apple's chief executive, wrote in a memo: \"We will ship on time.\"", "We will ship on time.", "tim-cook"),
        ("苹果首席执行官库克在发布会上说:“这是最好的一代。”", "这是最好的一代。", "tim-cook"),
        ('"The demand is real," Apple chief executive Tim Cook said on Wednesday.', "The demand is real,", "tim-cook"),
        ("谷歌首席科学家某某在采访时说:“我们不会放慢。”", "我们不会放慢。", "described: 谷歌首席科学家某某"),
    ],
)
def test_an_organisation_in_a_title_is_not_the_speaker(text, quote, expected):
    speaker = speaker_of(text, quote)
    assert (speaker.slug or f"described: {speaker.name}") == expected


def test_a_statement_while_the_articles_own_year_is_in_force_is_dated_about_the_reference_month():
    """An interview's '库克坦言…' after '2024年,…' (the reference's year): c. the reference month; after an
    earlier year it keeps only that year."""
    current = {c.exact: c.edtf for c in propose_text("2024年,苹果的市值大幅上涨。库克在采访中坦言,供应链仍然紧张。")}
    assert current["库克在采访中坦言,供应链仍然紧张。"] == "2024-12~"
    earlier = {c.exact: c.edtf for c in propose_text("2022年,苹果的市值大幅下跌。库克坦言,那是最艰难的一年。")}
    assert earlier["库克坦言,那是最艰难的一年。"] == "2022~"


def events_of(text: str, reference: datetime.date) -> dict[str, str]:
    dates = [DateFound(1, d.start, d.end, d.date, d.precision, d.approximate) for d in extract_dates(text, reference=reference)]
    return {c.exact: c.edtf for c in propose([PassageText(1, 0, text)], dates, index=INDEX, reference=reference) if c.kind == "event"}


@pytest.mark.parametrize(
    ("text", "plan"),
    [
        ("2023年5月,库克访问了中国。库克预计苹果年底前推出新款手机。谷歌宣布了裁员计划。", "库克预计苹果年底前推出新款手机。"),
        ("2023年5月,庫克訪問了中國。蘋果宣布將於年末推出新款手機。谷歌宣布了裁員計劃。", "蘋果宣布將於年末推出新款手機。"),
        (
            "Tim Cook visited China in May 2023. Apple announced it will ship the headset by the end of the year. "
            "Google announced layoffs.",
            "Apple announced it will ship the headset by the end of the year.",
        ),
    ],
)
def test_a_part_of_the_year_still_to_come_is_a_plan_not_the_date_in_force(text, plan):
    """"年底" / "年末" / "by the end of the year" in an article of August name a time still to come: the
    sentence is a plan dated by the article, and the narrative's last real date stays in force after it."""
    events = events_of(text, datetime.date(2024, 8, 15))
    assert events[plan] == "2024-08~"
    [after] = [exact for exact in events if exact.startswith("Google") or exact.startswith("谷歌")]
    assert events[after] == "2023-05~"  # the context of May 2023 two sentences before, not of "2024"


def test_the_end_of_the_year_once_it_has_come_is_a_date_in_force():
    """Written in late December, "年底" is now: the sentence's date, not a plan; "去年年底" is always past;
    "下半年" is still to come in March and has come in August."""
    second_half = "蘋果宣布將在下半年推出新款手機。"
    assert events_of(second_half, datetime.date(2024, 3, 15)) == {second_half: "2024-03~"}
    assert events_of(second_half, datetime.date(2024, 8, 15)) == {second_half: "2024~"}
    assert events_of("苹果在年底前推出了新款手机。", datetime.date(2024, 12, 20)) == {"苹果在年底前推出了新款手机。": "2024~"}
    assert events_of("去年年底,苹果推出了新款手机。", datetime.date(2024, 8, 15)) == {"去年年底,苹果推出了新款手机。": "2023~"}


@pytest.mark.parametrize(
    "text",
    [
        "根据 The Information 的最新消息,这个项目由迪恩发起。",
        "根據 The Information 的最新報道,這個項目由迪恩發起。",
        "According to the latest reports, the project was initiated by Jeff Dean.",
    ],
)
def test_the_latest_report_is_dated_by_the_time_of_writing(text):
    """"最新消息" / "the latest reports": what a report just published says, the month of writing."""
    assert events_of(text, datetime.date(2024, 12, 20)) == {text: "2024-12"}


@pytest.mark.parametrize(
    ("text", "undated"),
    [
        ("2024年12月3日,库克访问了中国。苹果宣布在北京成立研发中心。", "苹果宣布在北京成立研发中心。"),
        ("2024年12月3日,庫克訪問了中國。蘋果宣布在北京成立研發中心。", "蘋果宣布在北京成立研發中心。"),
        ("On December 3, 2024, Tim Cook visited China. Apple announced a research centre in Beijing.",
         "Apple announced a research centre in Beijing."),
    ],
)
def test_an_undated_event_after_a_date_in_the_month_of_writing_stays_in_that_month(text, undated):
    """A story cannot move past the time it is written: after a date of the reference's own month, an undated
    event is that month; written later, the sentence right after the day is c. its month (not the day)."""
    assert events_of(text, datetime.date(2024, 12, 20))[undated] == "2024-12"
    assert events_of(text, datetime.date(2025, 3, 20))[undated] == "2024-12~"


@pytest.mark.parametrize(
    ("text", "edtf"),
    [
        ("據路透社3月5日報道,蘋果在1月關閉了上海的工廠。", "2024-01"),
        ("据路透社3月5日的报道,苹果在1月关闭了上海的工厂。", "2024-01"),
        ("Reuters reported on March 5 that Apple closed its Shanghai plant in January.", "2024-01"),
        ("Apple said on March 5 that it closed its Shanghai plant in January.", "2024-01"),
    ],
)
def test_the_date_of_a_report_is_not_the_date_of_the_event_it_reports(text, edtf):
    assert events_of(text, datetime.date(2024, 12, 20)) == {text: edtf}


@pytest.mark.parametrize(
    ("text", "edtf"),
    [
        ("2015年成立的谷歌研究院于2019年发布了新模型。", "2019"),
        ("2015年成立的谷歌研究院於2019年發布了新模型。", "2019"),
        ("Google, which Tim Cook joined in 2015, released the model in 2019.", "2019"),
        # A date followed by "的" with no verb is the event's own ("2022年的年会上"): kept.
        ("2022年的年会上,库克宣布了新计划,并回顾了2019年的成绩。", "2022"),
    ],
)
def test_a_date_inside_a_clause_describing_a_noun_is_not_the_events(text, edtf):
    assert events_of(text, datetime.date(2024, 12, 20)) == {text: edtf}


@pytest.mark.parametrize(
    ("text", "edtf"),
    [
        ("库克从2016年开始担任苹果的顾问,一直持续到2018年。", "2016/2018"),
        ("庫克從2016年開始擔任蘋果的顧問,一直持續到2018年。", "2016/2018"),
        ("自2019年起,库克一直担任苹果的董事至今。", "2019/2024"),
        ("From 2016, Tim Cook advised Google on its supply chain until 2018.", "2016/2018"),
        ("库克2016年担任苹果的顾问,2018年离开。", "2016"),  # two dates, no interval stated: the first
    ],
)
def test_an_interval_stated_across_a_clause_is_an_edtf_interval(text, edtf):
    assert events_of(text, datetime.date(2024, 12, 20)) == {text: edtf}


@pytest.mark.parametrize(
    ("text", "earlier"),
    [
        ("苹果董事会最近解雇了库克。据内部消息透露,在库克被解职前,几位研究人员曾紧急致信苹果董事会。",
         "据内部消息透露,在库克被解职前,几位研究人员曾紧急致信苹果董事会。"),
        ("蘋果董事會最近解僱了庫克。據內部消息透露,在庫克被解職前,幾位研究人員曾緊急致信蘋果董事會。",
         "據內部消息透露,在庫克被解職前,幾位研究人員曾緊急致信蘋果董事會。"),
        ("The Apple board recently fired Tim Cook. Insiders say that before Tim Cook was fired, several researchers "
         "had written to the Apple board.",
         "Insiders say that before Tim Cook was fired, several researchers had written to the Apple board."),
    ],
)
def test_an_event_placed_before_another_in_the_pluperfect_is_approximate(text, earlier):
    """"在X前…曾…" / "before X … had …": at or before the month in force, so approximately then; the same
    placement without the pluperfect (the sentence is about a report made now) keeps the month."""
    assert events_of(text, datetime.date(2024, 12, 20))[earlier] == "2024-12~"
    report = "苹果董事会最近解雇了库克。路透社曝光,在库克被解职之前,几位研究人员给苹果董事会写的警告信可能是导火索。"
    assert events_of(report, datetime.date(2024, 12, 20))[report.split("。")[1] + "。"] == "2024-12"


@pytest.mark.parametrize(
    ("text", "sentence"),
    [
        ("前些日子发布的GPT-4o,就是苹果的做派。发布会之前,苹果匿名发布了一个模型。", "发布会之前,苹果匿名发布了一个模型。"),
        ("前些日子發布的GPT-4o,就是蘋果的做派。發布會之前,蘋果匿名發布了一個模型。", "發布會之前,蘋果匿名發布了一個模型。"),
    ],
)
def test_a_launch_event_without_a_product_is_the_launch_named_just_before(text, sentence):
    """"发布会之前" names no product: it is the launch of the one the sentence before named, here the
    reference month ("前些日子发布的GPT-4o"), not the date in force earlier in the article."""
    passages = [PassageText(1, 0, "2019年,苹果发布了新芯片。"), PassageText(2, 15, text)]
    dates = [DateFound(1, 0, 5, "2019", "year", False)]
    events = {c.exact: c.edtf for c in propose(passages, dates, index=INDEX, reference=datetime.date(2024, 12, 20))
              if c.kind == "event"}  # fmt: skip
    assert events[sentence] == "2024-12"


@pytest.mark.parametrize(
    ("text", "sentence", "edtf"),
    [
        ("2024年6月11日,苹果宣布了新芯片。苹果同时将旧款手机的价格下调了20%。", "苹果同时将旧款手机的价格下调了20%。", "2024-06-11"),
        ("2024年6月11日,蘋果宣布了新晶片。與此同時,谷歌宣布了裁員計劃。", "與此同時,谷歌宣布了裁員計劃。", "2024-06-11"),
        ("2024年6月,苹果宣布了新芯片。与此同时,谷歌宣布了裁员计划。", "与此同时,谷歌宣布了裁员计划。", "2024-06"),
        ("Apple announced the chip on June 11, 2024. At the same time, Apple slashed the price of its old phone.",
         "At the same time, Apple slashed the price of its old phone.", "2024-06-11"),
    ],
)
def test_at_the_same_time_is_the_anchor_at_its_precision(text, sentence, edtf):
    """"同时"/"与此同时"/"at the same time": the date of the sentence before, no finer than it."""
    assert events_of(text, datetime.date(2024, 12, 20))[sentence] == edtf


@pytest.mark.parametrize("text", ["他们能够同时追求利润和责任。", "他們能夠同時追求利潤和責任。", "但同时给了一个提示。", "同时期的谷歌也在研究。"])
def test_both_at_once_is_not_a_relative_date(text):
    """"能够同时…" (both at once), "但同时…" (inside its own clause) and "同时期" are not "at the same time as before"."""
    assert find_relative(text) is None


@pytest.mark.parametrize(
    ("text", "sentence", "edtf"),
    [
        ("2019年3月,苹果发布了新芯片。同年12月,谷歌宣布跟进。", "同年12月,谷歌宣布跟进。", "2019-12"),
        ("2019年3月,蘋果發布了新晶片。翌年5月8日,谷歌宣布跟進。", "翌年5月8日,谷歌宣布跟進。", "2020-05-08"),
        ("Apple released the chip in March 2019. In May of the following year, Google announced a rival.",
         "In May of the following year, Google announced a rival.", "2020-05"),
    ],
)
def test_a_month_whose_year_is_the_anchors_or_the_next(text, sentence, edtf):
    """"同年12月" / "翌年5月8日" / "in May of the following year": the month is the extractor's, its year the
    anchor's (or the next), not the reference's."""
    assert events_of(text, datetime.date(2024, 12, 20))[sentence] == edtf


def test_a_candidate_carries_the_other_readings_of_its_date():
    """The best date is the candidate's; the readings it set aside are offered beside it, each with why."""
    report = "據路透社3月5日的報道,蘋果在1月關閉了上海的工廠。"
    [event] = [c for c in propose_text(report) if c.kind == "event"]
    assert (event.edtf, event.alternatives) == ("2024-01", [{"date": "2024-03-05", "why": "date mention “3月5日”"}])
    context = {c.exact: c for c in propose_text("2016年5月,库克访问了中国。随后,苹果宣布在北京成立研发中心。")}
    later = context["随后,苹果宣布在北京成立研发中心。"]
    assert later.edtf == "2016-05~" and [a["date"] for a in later.alternatives] == ["2016~"]
    assert context["2016年5月,库克访问了中国。"].alternatives == []
    assert later.as_dict()["alternatives"] == later.alternatives
