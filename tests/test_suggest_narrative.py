"""Where an undated sentence stands in a story's time (timeline.suggest.narrative, used by the engine):
"當時"/"at the time", an undated turning point, the sentence right after a dated one, a present-tense view.

Sentences in both scripts and English, unlike the shipped articles; the engine is pure, so no database.
"""

from __future__ import annotations

import datetime

import pytest

from timeline.ingest.extract_dates import extract_dates
from timeline.suggest.engine import DateFound, PassageText, propose
from timeline.suggest.names import EntityIndex
from timeline.suggest.narrative import MOVED_ON, THEN, VIEW_NOW, is_turning_point

INDEX = EntityIndex(
    [
        ("lisa-su", "person", ["Lisa Su", "苏姿丰", "蘇姿豐", "Su"]),
        ("amd", "organization", ["AMD"]),
        ("intel", "organization", ["英特尔", "英特爾", "Intel"]),
        ("pat-gelsinger", "person", ["Pat Gelsinger", "基辛格", "Gelsinger"]),
        ("anthropic", "organization", ["Anthropic"]),
    ]
)


def events(text: str, reference: datetime.date = datetime.date(2025, 6, 20), index: EntityIndex = INDEX) -> dict[str, str | None]:
    dates = [DateFound(1, d.start, d.end, d.date, d.precision, d.approximate) for d in extract_dates(text, reference=reference)]
    return {c.exact: c.edtf for c in propose([PassageText(1, 0, text)], dates, index=index, reference=reference) if c.kind == "event"}


@pytest.mark.parametrize(
    ("text", "then", "date"),
    [
        ("2022年3月,AMD宣布收购赛灵思。当时,英特尔正在开发自己的代工工艺。", "当时,英特尔正在开发自己的代工工艺。", "2022-03~"),
        ("2022年3月,AMD宣布收購賽靈思。當時,英特爾正在開發自己的代工工藝。", "當時,英特爾正在開發自己的代工工藝。", "2022-03~"),
        ("AMD completed the Xilinx deal in February 2022. At the time, Gelsinger said Intel would win back the lead.",
         "At the time, Gelsinger said Intel would win back the lead.", "2022-02~"),
        ("2022年2月14日,AMD宣布完成收购。当时,基辛格表示英特尔将重回领先。", "当时,基辛格表示英特尔将重回领先。", "2022-02~"),
        ("2019年,AMD发布了第一代EPYC的继任者。那时,英特尔宣布推迟10纳米工艺。", "那时,英特尔宣布推迟10纳米工艺。", "2019~"),
    ],
)
def test_at_the_time_points_back_at_the_date_in_force_at_its_precision(text, then, date):
    """"當時"/"at the time" is the time the story established: its month (a day is told as its month) or year,
    approximately — not only its year, and not the time of writing."""
    assert events(text)[then] == date


@pytest.mark.parametrize(
    ("text", "then"),
    [
        ("苏姿丰在一次演讲中回忆往事。当时,AMD濒临破产,股价跌到两美元以下。", "当时,AMD濒临破产,股价跌到两美元以下。"),
        ("蘇姿豐在演講中回憶往事。當時,AMD瀕臨破產,英特爾宣布擴大產能。", "當時,AMD瀕臨破產,英特爾宣布擴大產能。"),
        ("Lisa Su recently looked back on her first year. Back then, AMD announced layoffs every quarter.",
         "Back then, AMD announced layoffs every quarter."),
    ],
)
def test_at_the_time_with_nothing_dated_before_has_no_date(text, then):
    """With no date stated before it, "當時" is an unnamed past: no date (before, the month of writing)."""
    assert then not in events(text)


def test_an_undated_turning_point_stops_the_stale_date():
    """"直到ChatGPT發布" moves the story past its last date to a time the article does not give: neither the
    relative date nor the undated sentences after it are dated from the old year, until a date is stated."""
    text = (
        "2021年,Anthropic宣布成立。直到ChatGPT发布。两个月后,Anthropic推出了自己的聊天机器人。"
        "当时,英特尔宣布了新的AI芯片计划。2023年7月,AMD发布了MI300。三周后,英特尔宣布降价。"
    )
    found = events(text)
    assert found["2021年,Anthropic宣布成立。"] == "2021"
    assert "直到ChatGPT发布。" not in found
    assert "两个月后,Anthropic推出了自己的聊天机器人。" not in found
    assert "当时,英特尔宣布了新的AI芯片计划。" not in found
    assert found["三周后,英特尔宣布降价。"] == "2023-07~"  # a new date: chaining resumes
    english = "Anthropic was founded in 2021. Then ChatGPT launched. A few weeks later, Anthropic released Claude."
    assert "A few weeks later, Anthropic released Claude." not in events(english)


def test_a_launch_named_in_passing_is_not_a_turning_point():
    """"GPT-5发布后,…的专访" (a write-up's first line) places its own sentence; it does not stop the dates."""
    assert not is_turning_point("本文整理自 GPT-5 发布后,对 AMD 的专访。")
    assert is_turning_point("直到ChatGPT的發布。")
    assert is_turning_point("Then came ChatGPT.")
    assert not is_turning_point("Then AMD announced a new chip in March.")


@pytest.mark.parametrize(
    ("text", "view"),
    [
        ("2014年,苏姿丰出任AMD首席执行官。在苏姿丰看来,AI正在重塑每一个数据中心。", "在苏姿丰看来,AI正在重塑每一个数据中心。"),
        ("2014年,蘇姿豐出任AMD執行長。蘇姿豐認為,AI正在改寫整個晶片產業。", "蘇姿豐認為,AI正在改寫整個晶片產業。"),
        ("Lisa Su became AMD's chief executive in 2014. Su says AI is changing every data center.",
         "Su says AI is changing every data center."),
    ],
)
def test_a_view_in_the_present_tense_is_dated_by_the_article(text, view):
    """A present-tense view is said when the article was written: c. its reference month, not the old year."""
    assert events(text)[view] == "2025-06~"


def test_a_statement_about_the_past_keeps_the_old_date():
    found = events("2014年,苏姿丰出任AMD首席执行官。苏姿丰表示,那是她职业生涯中最难的决定。")
    assert found["苏姿丰表示,那是她职业生涯中最难的决定。"] == "2014~"


@pytest.mark.parametrize(
    ("text", "later", "date"),
    [
        ("2022年3月,AMD宣布收购赛灵思。这笔交易使得英特尔宣布加快并购步伐。", "这笔交易使得英特尔宣布加快并购步伐。", "2022~"),
        ("2022年3月,AMD宣布收購賽靈思。後來,英特爾宣布加快併購步伐。", "後來,英特爾宣布加快併購步伐。", "2022~"),
        ("AMD bought Xilinx in March 2022. The deal eventually led to a purchase that Gelsinger announced in a memo.",
         "The deal eventually led to a purchase that Gelsinger announced in a memo.", "2022~"),
        ("2022年3月,AMD宣布收购赛灵思。然而,基辛格认为,这笔交易不会改变竞争格局。", "然而,基辛格认为,这笔交易不会改变竞争格局。", "2022-03~"),
    ],
)
def test_the_month_holds_right_after_its_sentence_until_the_story_moves_on(text, later, date):
    assert events(text)[later] == date


def test_a_recent_word_inside_what_is_said_does_not_date_the_statement():
    """"…才刚刚开始" is the speaker's words: the statement is dated by its context, not by the time of writing."""
    found = events("2024年11月,AMD发布了新一代芯片。然而,苏姿丰认为,AI芯片的竞争才刚刚开始。")
    assert found["然而,苏姿丰认为,AI芯片的竞争才刚刚开始。"] == "2024-11~"
    found = events("最近,苏姿丰在采访中表示,AI芯片的竞争非常激烈。")
    assert found["最近,苏姿丰在采访中表示,AI芯片的竞争非常激烈。"] == "2025-06"


def test_the_word_lists_match_what_they_name():
    assert THEN.search("At the time, AMD was small.") and THEN.search("AMD, back then, was small.")
    assert not THEN.search("At the time of writing, AMD is large.")
    assert not THEN.search("AMD was small at the time when Intel led.")
    assert VIEW_NOW.search("在苏看来,AI正在改变芯片") and VIEW_NOW.search("Su says") and VIEW_NOW.search("Su argues that")
    assert not VIEW_NOW.search("Su said AI is reshaping chips") and not VIEW_NOW.search("苏表示,公司正在开发新芯片")
    assert MOVED_ON.search("后来,英特尔…") and MOVED_ON.search("Later, Intel…") and not MOVED_ON.search("然而,英特尔…")


def test_what_someone_said_was_in_progress_is_not_a_view_held_now():
    """"表示,…正在…" in a narrative of 2019 was in progress in 2019 (Chinese has no tense); a view ("认为") in
    the present progressive is held now, even when what it says has an event verb ("正在成为")."""
    found = events("2019年,AMD发布了第二代EPYC。苏姿丰表示,公司正在开发下一代芯片。")
    assert found["苏姿丰表示,公司正在开发下一代芯片。"] == "2019~"
    found = events("2014年,AMD宣布裁员。苏姿丰认为,AI正在成为AMD最重要的业务。")
    assert found["苏姿丰认为,AI正在成为AMD最重要的业务。"] == "2025-06~"
    found = events("AMD cut jobs in 2014. Su said AI is changing every data center.")
    assert found["Su said AI is changing every data center."] == "2014~"


def test_just_before_then_is_not_now():
    """"當時,英特爾剛剛推出…" is just before the time in force, not the time of writing; "如今" still is now."""
    found = events("2024年3月,AMD发布了新芯片。当时,英特尔刚刚推出了Gaudi 3。")
    assert found["当时,英特尔刚刚推出了Gaudi 3。"] == "2024-03~"
    found = events("2024年3月,AMD发布了新芯片。当时还在亏损的英特尔,如今宣布了新的代工计划。")
    assert found["当时还在亏损的英特尔,如今宣布了新的代工计划。"] == "2025-06"


def test_words_that_only_contain_the_markers_are_not_them():
    """Found by review: 当时/那时 inside other words, "看来" meaning "it seems", "直到最近…才" and an ordinary
    "Then X launched <something>." are none of the markers."""
    for text in ("英特尔在适当时候宣布新芯片", "相当时间以来,AMD一直落后", "当时间来到2024年", "刹那时间,股价暴跌"):
        assert not THEN.search(text), text
    assert not VIEW_NOW.search("看来英特尔正在失去市场")
    assert not is_turning_point("Then Intel launched its own accelerator.")
    assert not is_turning_point("直到最近英特尔才推出了自己的加速器。")
    assert not is_turning_point("直到最近,英特尔才推出了自己的加速器。")


@pytest.mark.parametrize(
    ("text", "sentence", "date"),
    [
        # An ordinary "Then X launched …" is an event of the story, dated by it.
        ("In March 2023 AMD announced a new chip. Then Intel launched its own accelerator.",
         "Then Intel launched its own accelerator.", "2023-03~"),
        # "适当时候" is not "at the time": the sentence far from its anchor keeps only the year.
        ("2023年3月,AMD宣布了新芯片。AMD股价大涨。分析师纷纷上调评级。投资者十分乐观。英特尔表示将在适当时候宣布新芯片。",
         "英特尔表示将在适当时候宣布新芯片。", "2023~"),
        # "看来" at the head of a sentence ("it seems") is not a view held now.
        ("2023年3月,AMD宣布新芯片。看来英特尔正在失去市场,基辛格宣布了裁员计划。",
         "看来英特尔正在失去市场,基辛格宣布了裁员计划。", "2023-03~"),
        # "越来越" ("more and more") is no present tense: right after a dated interview, of its time.
        ("2019年5月,苏姿丰接受采访。苏姿丰认为AI芯片的需求越来越大,AMD宣布加大投入。",
         "苏姿丰认为AI芯片的需求越来越大,AMD宣布加大投入。", "2019-05~"),
    ],
)
def test_review_cases_are_dated_by_their_story(text, sentence, date):
    assert events(text)[sentence] == date


# A news report of the article's own year: a month stated early, then background, then reactions.
REACTIONS_ZH = (
    "2025年3月,AMD发布了新一代数据中心芯片。这款芯片采用了3纳米工艺。它的功耗比上一代低了三成。"
    "不少云服务商已经开始测试样品。基辛格认为,这款芯片将迫使英特尔加快路线图。"
    "苏姿丰曾表示,AMD不会在价格上让步。"
)
REACTIONS_EN = (
    "AMD launched its new data-center chip in March 2025. The chip is built on a 3-nanometre process. "
    "It draws a third less power than its predecessor. Several cloud providers are already testing samples. "
    "Gelsinger said the chip would force Intel to speed up its roadmap. Su had said AMD would not cut prices."
)


@pytest.mark.parametrize(
    ("text", "reaction", "past"),
    [
        (REACTIONS_ZH, "基辛格认为,这款芯片将迫使英特尔加快路线图。", "苏姿丰曾表示,AMD不会在价格上让步。"),
        (REACTIONS_EN, "Gelsinger said the chip would force Intel to speed up its roadmap.", "Su had said AMD would not cut prices."),
    ],
)
def test_a_reaction_told_a_while_after_a_month_of_the_articles_year_is_dated_by_the_article(text, reaction, past):
    """A statement several sentences after a month of the article's own year is a reaction to the news, made
    about when the article was written (c. its reference month); one told as past ("曾表示", "had said")
    keeps the year of the date in force."""
    found = events(text)
    assert found[reaction] == "2025-06~"
    assert found[past] == "2025~"


def test_a_statement_a_while_after_a_month_of_an_earlier_year_keeps_that_year():
    """In a history told from an earlier year, a statement far from its date is not the time of writing."""
    text = REACTIONS_ZH.replace("2025年3月", "2019年3月")
    assert events(text)["基辛格认为,这款芯片将迫使英特尔加快路线图。"] == "2019~"


NEWS_INDEX = EntityIndex(
    [
        ("novo-nordisk", "organization", ["诺和诺德", "諾和諾德", "Novo Nordisk"]),
        ("lars-jorgensen", "person", ["周赋德", "周賦德", "Lars Fruergaard Jørgensen", "Jørgensen"]),
        ("fda", "organization", ["FDA", "美国食品药品监督管理局"]),
    ]
)


def news_events(text: str, reference: datetime.date) -> dict[str, str | None]:
    return events(text, reference, NEWS_INDEX)


@pytest.mark.parametrize(
    ("text", "reaction"),
    [
        (
            "诺和诺德周三宣布,将在美国裁员约九千人。公司曾在2021年6月推出减肥药Wegovy,2023年5月又扩大了产能。"
            "去年以来,竞争对手的同类药物迅速抢占市场。周赋德说,这次重组是为了把资源集中到新药研发上。",
            "周赋德说,这次重组是为了把资源集中到新药研发上。",
        ),
        (
            "諾和諾德週三宣布,將在美國裁員約九千人。公司曾在2021年6月推出減肥藥Wegovy,2023年5月又擴大了產能。"
            "諾和諾德在聲明中表示,這次重組不會影響現有藥品的供應。",
            "諾和諾德在聲明中表示,這次重組不會影響現有藥品的供應。",
        ),
        (
            "Novo Nordisk said on Wednesday it would cut about 9,000 jobs. The company launched Wegovy in June 2021 "
            "and expanded its plants in May 2023. Jørgensen argues that the cuts will free money for new drugs.",
            "Jørgensen argues that the cuts will free money for new drugs.",
        ),
    ],
)
def test_a_reaction_in_a_report_on_current_news_is_dated_by_the_article_despite_the_background(text, reaction):
    """A report that opens on news of the last days: its people's (or a company's) statements are reactions,
    made about when it was written, even right after background dated years before."""
    assert news_events(text, datetime.date(2025, 9, 12))[reaction] == "2025-09~"


def test_a_statement_in_a_history_keeps_the_date_of_its_story():
    """A history that opens years back is not a report on current news: its statements belong to the story."""
    text = (
        "2017年12月,诺和诺德的司美格鲁肽获得FDA批准。公司随后扩大了产能。周赋德说,这款药会改变糖尿病的治疗方式。"
    )
    assert news_events(text, datetime.date(2025, 9, 12))["周赋德说,这款药会改变糖尿病的治疗方式。"] == "2017-12~"


@pytest.mark.parametrize(
    "sentence", ["据说诺和诺德将在美国裁员。", "可以说诺和诺德的减肥药改变了行业。", "诺和诺德发布的说明书写得很清楚。"]
)
def test_words_that_only_contain_shuo_are_not_someone_saying_something(sentence):
    from timeline.suggest.engine import _STATEMENT_VERBS

    assert not _STATEMENT_VERBS.search(sentence)
