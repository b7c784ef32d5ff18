"""A hand-verified sample of the shipped chronology, across every era.

Each row was checked by reading the cited sentence in the source (and, for relative dates, the
source's reference date): the item's EDTF date, its precision, a source it cites, and the words of
the citation that carry the date. A careless edit to fixtures/chronology fails here.
"""

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
]


@pytest.mark.parametrize("slug, edtf, precision, source, words", SAMPLE, ids=[row[0] for row in SAMPLE])
def test_sampled_item_is_dated_and_cited_as_verified(slug, edtf, precision, source, words):
    item = Item.objects.get(slug=slug, status="published")
    assert (item.date_edtf, item.precision_name) == (edtf, precision)
    cited = [c for c in item.citations.select_related("passage__source") if c.passage.source.key == source]
    assert cited, f"{slug} no longer cites {source}"
    assert any(words in c.exact for c in cited), f"{slug}: no citation of {source} contains {words!r}"


def test_the_sample_spans_every_era():
    eras = set(Item.objects.filter(slug__in=[row[0] for row in SAMPLE]).values_list("era__slug", flat=True))
    assert eras == set(Item.objects.values_list("era__slug", flat=True).distinct())


def test_year_precision_items_are_never_a_first_of_january():
    """Items dated to a year keep the whole year as their range."""
    for item in Item.objects.filter(date_precision=9).exclude(date_edtf__contains="/"):
        assert item.date_end.month == 12 and item.date_end.day == 31 and "1月1日" not in item.date.label_zh
