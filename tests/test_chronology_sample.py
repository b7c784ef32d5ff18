"""A hand-verified sample of the shipped chronology, across every era.

Each row was checked by reading the cited sentence in the source (and, for relative dates, the
source's reference date): the item's EDTF date, its precision, a source it cites, and the words of
the citation that carry the date. A careless edit to fixtures/chronology fails here.
"""

import re
from pathlib import Path

import pytest

from timeline.models import Item

pytestmark = pytest.mark.django_db

SAMPLE = [
    # slug, EDTF, precision, cited source, words in that citation that date it
    ("hinton-meets-ilya", "2005", "year", "netease-openai-idealists", "2005年的一個周日"),
    ("brockman-reads-turing", "2008", "year", "fisherdaddy-10", "早在2008年"),
    ("hinton-microsoft-gpu", "2009", "year", "netease-openai-idealists", "2009年時"),
    ("ilya-predicts-vision-revolution", "2010", "year", "netease-openai-idealists", "2010年"),
    ("alexnet", "2012", "year", "netease-openai-idealists", "2012年"),
    ("seq2seq-nips-2014", "2014", "year", "netease-openai-idealists", "2014年的NIPS"),
    ("rosewood-dinner", "2015", "year", "netease-openai-idealists", "2015年"),
    ("new-yorker-altman-profile", "2016", "year", "netease-openai-idealists", "2016年時"),
    ("compute-crunch-2017", "2017-03", "month", "netease-openai-idealists", "2017年3月"),
    ("musk-leaves-openai", "2018-02", "month", "netease-openai-idealists", "2018年2月"),
    # “兩個月后” after February 2018.
    ("openai-charter-published", "2018-04", "month", "netease-openai-idealists", "兩個月后"),
    ("gpt-2-withheld", "2019-02", "month", "netease-openai-idealists", "2019年2月"),
    # “一個月后” after February 2019.
    ("for-profit-arm-microsoft-investment", "2019-03", "month", "netease-openai-idealists", "一個月后"),
    ("imo-grand-challenge", "2020", "year", "fisherdaddy-06", "2020 年"),
    ("anthropic-founded", "2021", "year", "netease-openai-idealists", "2021年"),
    ("gpt-zero-project-started", "2021", "year", "q-star-exposed", "2021年"),
    # Written 2023-11-24: “5月” and “7月份” are the nearest past months, “上个月” is October.
    ("process-supervision-math-paper", "2023-05", "month", "q-star-exposed", "5月"),
    ("noam-brown-joins-openai", "2023-07", "month", "q-star-exposed", "7月份"),
    ("pachocki-promoted-research-director", "2023-10", "month", "q-star-exposed", "上个月"),
    ("superalignment-launched", "2023-07", "month", "netease-openai-idealists", "2023年7月"),
    # Written around 2024-05-20: “6個月前” is November 2023.
    ("altman-fired", "2023-11", "month", "netease-openai-idealists", "6個月前"),
    ("alphaproof-misses-gold-2024", "2024", "year", "fisherdaddy-06", "2024 年"),
    ("imo-2025-gold", "2025", "year", "fisherdaddy-06", "2025 年"),
    # No source dates ChatGPT's launch beyond the year (000: “去年”, written in November 2023).
    ("chatgpt-launch", "2022", "year", "lianchaifu-q-star", "去年"),
    # The posts of 11–13 August 2025 only say GPT-5 was “just released”: approximate month.
    ("gpt-5-launch", "2025-08~", "month", "fisherdaddy-09", "刚刚发布"),
    # Rows added in issue #17: every item changed or added there (fixtures/chronology/AUDIT.md).
    ("quote-ilya-asks-hinton-about-optimizer", "2005", "year", "netease-openai-idealists", "2005年"),
    ("quote-hinton-five-years", "2005", "year", "netease-openai-idealists", "2005年"),
    ("quote-hinton-microsoft-underfunded", "2009", "year", "netease-openai-idealists", "2009年時"),
    ("quote-ilya-scale-guarantees-success", "2014", "year", "netease-openai-idealists", "2014年的NIPS"),
    # “數周前” before the 2015 dinner: the year, approximate.
    ("musk-page-birthday-argument", "2015~", "year", "netease-openai-idealists", "數周前"),
    ("quote-page-speciesist", "2015~", "year", "netease-openai-idealists", "數周前"),
    ("openai-founded", "2015", "year", "netease-openai-idealists", "2015年"),
    ("quote-brockman-safer-ai", "2015~", "year", "netease-openai-idealists", "2015年"),
    # “頭15個月”: from the 2015 founding to the March 2017 push to focus.
    ("openai-without-strategy", "2015/2017-03", "year", "netease-openai-idealists", "頭15個月"),
    ("quote-leadership-do-something-good", "2015/2017-03", "year", "netease-openai-idealists", "頭15個月"),
    ("dario-amodei-joins-openai", "2016~", "year", "netease-openai-idealists", "幾個月后"),
    ("quote-charter-substantial-resources", "2018-04", "month", "netease-openai-idealists", "兩個月后"),
    # GPT-1 precedes GPT-2; “后來的” GPT-3 follows it and precedes ChatGPT on “現有的GPT-3.5”.
    ("gpt-1", "2015/2019-02", "year", "netease-openai-idealists", "2019年2月"),
    ("gpt-3-goes-closed", "2019/2022", "year", "netease-openai-idealists", "后來的GPT-3"),
    # The investment is told with the for-profit arm “一個月后” (March 2019) but dated only to 2019.
    ("microsoft-invests-1-billion", "2019", "year", "netease-openai-idealists", "一個月后"),
    ("safety-vs-acceleration-factions", "2019~", "year", "netease-openai-idealists", "180度大轉向"),
    ("webgpt-leads-to-chatgpt", "2015/2022", "year", "fisherdaddy-02", "前身"),
    ("quote-altman-research-preview", "2022", "year", "lianchaifu-q-star", "去年"),
    ("quote-ilya-feel-the-agi", "2022", "year", "netease-openai-idealists", "2022年"),
    ("quote-brockman-time-to-be-an-ml-engineer", "2022", "year", "fisherdaddy-10", "在2022年"),
    # GPT-4 was “正全力開發” when ChatGPT launched (2022) and exists in the November 2023 articles.
    ("gpt-4-release", "2022/2023-11", "year", "netease-openai-idealists", "正全力開發GPT-4"),
    # After ChatGPT's 2022 launch: “去年宮斗之前” (before November 2023); the employee, before May 2024.
    (
        "ilya-says-chatgpt-may-be-conscious",
        "2022/2023-11",
        "year",
        "netease-openai-idealists",
        "去年宮斗之前",
    ),
    ("quote-employee-path-to-revenue", "2022/2024-05", "year", "netease-openai-idealists", "ChatGPT誕生后"),
    ("quote-altman-gpt-4-dumbest-model", "2022/2025-08", "year", "fisherdaddy-09", "不久前"),
    ("quote-microsoft-gpt-4-report", "2022/2023-11", "year", "lianchaifu-q-star", "GPT-4的研究报告"),
    # Written around 2023-11-24: “几周前” is late October or November.
    ("quote-ilya-data-limits-can-be-overcome", "2023-10/2023-11", "month", "q-star-exposed", "几周前"),
    ("quote-altman-apec-veil-of-ignorance", "2023~", "year", "q-star-exposed", "此前在 APEC"),
    ("ilya-alphago-move-37-argument", "2023-07~", "month", "netease-openai-idealists", "2023年7月"),
    # “106個小時后”: the return follows the November firing by four days and ten hours.
    ("staff-petition-for-altman", "2023-11", "month", "netease-openai-idealists", "106個小時后"),
    ("altman-reinstated", "2023-11", "month", "netease-openai-idealists", "106個小時后"),
    ("microsoft-steps-in", "2023-11", "month", "lianchaifu-q-star", "微软火速出手"),
    ("reuters-reports-q-star", "2023-11", "month", "q-star-exposed", "刚刚落幕"),
    ("q-star-speculation", "2023-11", "month", "q-star-exposed", "这则消息迅速引发"),
    ("openai-silent-on-q-star", "2023-11", "month", "q-star-exposed", "目前还没有"),
    # Written around 2024-05-20: GPT-4o “前些日子”, Sutskever after its launch, Leike “3天后”.
    ("gpt-4o-launch", "2024-05", "month", "netease-openai-idealists", "前些日子"),
    ("ilya-leaves-openai", "2024-05", "month", "netease-openai-idealists", "GPT-4o發布會之后"),
    ("jan-leike-leaves-openai", "2024-05", "month", "netease-openai-idealists", "3天后"),
    ("quote-leike-shiny-products", "2024-05", "month", "netease-openai-idealists", "3天后"),
    (
        "altman-restates-mission-after-gpt-4o",
        "2024-05",
        "month",
        "netease-openai-idealists",
        "GPT-4o發布之后",
    ),
    ("quote-altman-we-are-a-business", "2024-05", "month", "netease-openai-idealists", "GPT-4o發布之后"),
    ("gpt-4o-image-generation-surge", "2024-05/2025-08", "month", "fisherdaddy-10", "GPT-4o的图片生成功能"),
    # “一年前” in the interview after GPT-5's release (August 2025): about 2024.
    ("ai-high-school-competition-maths", "2024~", "year", "fisherdaddy-09", "一年前"),
    ("openai-announces-imo-result-first", "2025", "year", "fisherdaddy-06", "今年的 IMO"),
    ("deepmind-genie-3", "2025", "year", "fisherdaddy-04", "最近AI的发展速度"),
    ("quote-altman-superintelligence-definition", "2025-08~", "month", "fisherdaddy-09", "刚刚发布"),
    (
        "altman-predicts-ai-scientific-discovery",
        "2025-08~",
        "month",
        "fisherdaddy-09",
        "最近,AI在国际数学奥林匹克",
    ),
    ("gpt-5-coding-catches-up", "2025-08~", "month", "fisherdaddy-07", "发布会上的编程演示"),
]

# Items the sources date only by when they were written: an interview or report summarised in a
# post, with no time words of its own. Their date must contain the source's reference date.
SAMPLE_BY_REFERENCE_DATE = [
    ("q-star-reported-traits", "2023-11", "month", "q-star-exposed"),
    ("the-information-q-star-origins", "2023-11", "month", "q-star-exposed"),
    ("synthetic-data-debate", "2023-11", "month", "q-star-exposed"),
    ("quote-wolfe-democratising-training", "2023-11", "month", "q-star-exposed"),
    ("safety-researchers-exodus", "2024-05", "month", "netease-openai-idealists"),
    ("quote-employee-trust-collapsing", "2024-05", "month", "netease-openai-idealists"),
    ("quote-demis-shipping-every-day", "2025", "year", "fisherdaddy-04"),
    ("quote-demis-jagged-intelligence", "2025", "year", "fisherdaddy-04"),
    ("deepmind-kaggle-game-arena", "2025", "year", "fisherdaddy-04"),
    ("quote-brockman-underestimated-chatgpt", "2025~", "year", "fisherdaddy-10"),
    ("brockman-codex-many-agents", "2025~", "year", "fisherdaddy-10"),
    ("quote-brockman-sounds-like-good-engineering", "2025~", "year", "fisherdaddy-10"),
    ("quote-brockman-technical-humility", "2025~", "year", "fisherdaddy-10"),
    ("quote-mark-chen-research-is-the-product", "2025-08~", "month", "fisherdaddy-08"),
    ("gpt-5-synthetic-data", "2025-08~", "month", "fisherdaddy-08"),
    ("gpt-5-unifies-reasoning", "2025-08~", "month", "fisherdaddy-08"),
    ("gpt-5-price-cuts", "2025-08~", "month", "fisherdaddy-07"),
    ("gpt-5-benchmarks", "2025-08~", "month", "fisherdaddy-07"),
    ("frontier-math-extrapolation", "2025-08~", "month", "fisherdaddy-07"),
    ("labs-holding-back-models", "2025-08~", "month", "fisherdaddy-07"),
    ("gpt-5-writing-and-behaviour", "2025-08~", "month", "fisherdaddy-02"),
    ("quote-christina-data-pilled", "2025-08~", "month", "fisherdaddy-02"),
    ("quote-christina-sycophancy-balance", "2025-08~", "month", "fisherdaddy-02"),
    ("quote-isa-tender-writing", "2025-08~", "month", "fisherdaddy-02"),
    ("quote-altman-minutes-to-thousand-hours", "2025-08~", "month", "fisherdaddy-09"),
    ("quote-altman-luckiest-graduates", "2025-08~", "month", "fisherdaddy-09"),
    ("altman-orion-detour", "2025-08~", "month", "fisherdaddy-09"),
    ("altman-four-limits-compute-power", "2025-08~", "month", "fisherdaddy-09"),
    ("quote-altman-gigawatt-power", "2025-08~", "month", "fisherdaddy-09"),
    ("quote-altman-snake-in-seven-seconds", "2025-08~", "month", "fisherdaddy-09"),
    ("quote-altman-gpt-8-cure-cancer", "2025-08~", "month", "fisherdaddy-09"),
    ("quote-altman-too-big-too-fast", "2025-08~", "month", "fisherdaddy-09"),
    ("chatgpt-study-mode", "2025-08", "month", "fisherdaddy-05"),
    ("quote-demis-not-the-first-thing", "2025", "year", "fisherdaddy-04"),
    ("gpt-5-prelaunch-rollercoaster", "2025-08~", "month", "fisherdaddy-08"),
    ("openai-evals-and-agent-data-loop", "2025-08~", "month", "fisherdaddy-02"),
    ("quote-altman-changes-knowledge-work", "2025-08~", "month", "fisherdaddy-09"),
    ("altman-thinking-with-chatgpt", "2025-08~", "month", "fisherdaddy-09"),
    ("quote-altman-iphone-photo-real", "2025-08~", "month", "fisherdaddy-09"),
]

# Items no source dates: a range bounded by other dated events, explained in the item's note.
SAMPLE_BOUNDED = [
    ("quote-levine-on-ilya", "2005/2024-05", "year", "netease-openai-idealists"),
    ("brockman-leaves-mit-for-stripe", "2008/2015", "year", "fisherdaddy-10"),
    ("stripe-wells-fargo-24-hours", "2008/2015", "year", "fisherdaddy-10"),
    ("quote-andreessen-yc-ambition", "2016~", "year", "netease-openai-idealists"),
]


@pytest.mark.parametrize("slug, edtf, precision, source, words", SAMPLE, ids=[row[0] for row in SAMPLE])
def test_sampled_item_is_dated_and_cited_as_verified(slug, edtf, precision, source, words):
    item = Item.objects.get(slug=slug, status="published")
    assert (item.date_edtf, item.precision_name) == (edtf, precision)
    cited = [c for c in item.citations.select_related("passage__source") if c.passage.source.key == source]
    assert cited, f"{slug} no longer cites {source}"
    assert any(words in c.exact for c in cited), f"{slug}: no citation of {source} contains {words!r}"


def _cites(item, source):
    cited = [c for c in item.citations.select_related("passage__source") if c.passage.source.key == source]
    assert cited, f"{item.slug} no longer cites {source}"
    return cited[0].passage.source


@pytest.mark.parametrize(
    "slug, edtf, precision, source",
    SAMPLE_BY_REFERENCE_DATE,
    ids=[row[0] for row in SAMPLE_BY_REFERENCE_DATE],
)
def test_sampled_item_dated_by_its_source_contains_the_reference_date(slug, edtf, precision, source):
    item = Item.objects.get(slug=slug, status="published")
    assert (item.date_edtf, item.precision_name) == (edtf, precision)
    reference = _cites(item, source).reference_date
    assert item.date_start <= reference <= item.date_end, f"{slug}: {edtf} does not contain {reference}"


@pytest.mark.parametrize(
    "slug, edtf, precision, source", SAMPLE_BOUNDED, ids=[row[0] for row in SAMPLE_BOUNDED]
)
def test_sampled_item_without_a_date_in_its_source_says_so(slug, edtf, precision, source):
    item = Item.objects.get(slug=slug, status="published")
    assert (item.date_edtf, item.precision_name) == (edtf, precision)
    _cites(item, source)
    assert item.note_en and item.note_zh, f"{slug}: a bounded date needs a note saying how it was bounded"


def _sampled_slugs():
    return {row[0] for table in (SAMPLE, SAMPLE_BY_REFERENCE_DATE, SAMPLE_BOUNDED) for row in table}


def test_the_sample_spans_every_era():
    eras = set(Item.objects.filter(slug__in=_sampled_slugs()).values_list("era__slug", flat=True))
    assert eras == set(Item.objects.values_list("era__slug", flat=True).distinct())


def test_the_sample_covers_every_item_the_audit_changed():
    """fixtures/chronology/AUDIT.md lists every item once; each one it did not pass as OK is sampled."""
    audit = (Path(__file__).resolve().parent.parent / "fixtures" / "chronology" / "AUDIT.md").read_text(
        encoding="utf-8"
    )
    rows = re.findall(r"^\| `([^`]+)` \| [^|]+ \| (OK|FIXED|CITED|NEW) \|", audit, re.MULTILINE)
    listed = [slug for slug, _ in rows]
    assert sorted(listed) == sorted(Item.objects.values_list("slug", flat=True)), (
        "AUDIT.md must list every item once"
    )
    changed = {slug for slug, verdict in rows if verdict != "OK"}
    assert len(_sampled_slugs()) >= 40
    assert not changed - _sampled_slugs(), f"changed but not sampled: {sorted(changed - _sampled_slugs())}"


def test_year_precision_items_are_never_a_first_of_january():
    """Items dated to a year keep the whole year as their range."""
    for item in Item.objects.filter(date_precision=9).exclude(date_edtf__contains="/"):
        assert item.date_end.month == 12 and item.date_end.day == 31 and "1月1日" not in item.date.label_zh
