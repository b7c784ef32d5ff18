"""Passages: paragraphs, long ones cut at sentence ends into bounded, deterministic, addressable pieces."""

from functools import cache
from pathlib import Path

import pytest

from timeline.ingest.passages import (
    MAX_PASSAGE_CHARS,
    make_passages,
    pack_sentences,
    paragraph_spans,
    sentence_spans,
)
from timeline.ingest.prepare import prepare_file

SOURCES = Path(__file__).resolve().parent.parent / "fixtures" / "sources"


@cache
def all_sources():
    return tuple(source for path in sorted(SOURCES.glob("*.txt")) for source in prepare_file(path))


def sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in sentence_spans(text)]


def test_chinese_sentence_ends_keep_closing_quotes_and_citations():
    text = "辛頓倒吸了一口氣,“我花了5年時間才想到這一點。[2]”這個學生,就是伊利亞。他說:“好!”然后走了。"
    assert sentences(text) == [
        "辛頓倒吸了一口氣,“我花了5年時間才想到這一點。[2]”",
        "這個學生,就是伊利亞。",
        "他說:“好!”",
        "然后走了。",
    ]


def test_ascii_quotes_close_only_when_open():
    text = '微软承认:"我们完全是在研究现象。"这句话细想起来相当惊悚。'
    assert sentences(text) == ['微软承认:"我们完全是在研究现象。"', "这句话细想起来相当惊悚。"]


def test_decimals_versions_and_initials_do_not_split():
    text = "GPT-4.5 比 4.0 好 2.5 倍. Cameron R. Wolfe 表示,e.g. this is fine. 1. **Get to know the learner.** Next"
    assert sentences(text) == [
        "GPT-4.5 比 4.0 好 2.5 倍.",
        "Cameron R. Wolfe 表示,e.g. this is fine.",
        "1. **Get to know the learner.** Next",
    ]


def test_ascii_question_mark_in_chinese_text_ends_a_sentence():
    text = "又为何会产生“幻觉”?AI 模型仅仅是自动补全吗? 还有 Yahoo!Japan 吗"
    assert sentences(text) == ["又为何会产生“幻觉”?", "AI 模型仅仅是自动补全吗?", "还有 Yahoo!Japan 吗"]


def test_ellipsis_inside_a_sentence_is_a_pause():
    text = "还是一个……真正会思考的存在? 我分析了问题… 然后呢。截断在 4...."
    assert sentences(text) == ["还是一个……真正会思考的存在?", "我分析了问题…", "然后呢。", "截断在 4...."]


def test_sentence_spans_cover_all_text():
    text = "  第一句。 第二句!第三句没有句号  "
    spans = sentence_spans(text)
    assert "".join(text[start:end] for start, end in spans) == "第一句。第二句!第三句没有句号"


def test_pack_sentences_fewest_even_chunks():
    spans = [(0, 100), (100, 200), (200, 300), (300, 400)]
    assert pack_sentences(spans, max_chars=300) == [(0, 200), (200, 400)]


def test_a_sentence_longer_than_the_limit_stays_whole():
    spans = [(0, 50), (50, 500), (500, 520)]
    assert pack_sentences(spans, max_chars=300) == [(0, 50), (50, 500), (500, 520)]


def test_make_passages_offsets_and_ordinals():
    text = "短段落。\n\n" + "这是一句话。" * 80 + "\n\n尾声"
    passages = make_passages(text)
    assert [p.ordinal for p in passages] == list(range(1, len(passages) + 1))
    for passage in passages:
        assert text[passage.start : passage.end] == passage.text
        assert 0 < len(passage.text) <= MAX_PASSAGE_CHARS
    assert passages[0].text == "短段落。"
    assert passages[-1].text == "尾声"
    assert sum(len(p.text) for p in passages[1:-1]) == 480


def test_paragraph_spans():
    assert paragraph_spans("a\n\nbb\n\n c ") == [(0, 1), (3, 5), (8, 9)]


def test_shipped_sources_passage_invariants():
    """On every shipped source: exact offsets, ordered and disjoint, within a paragraph, bounded length,
    and every cut falls at a sentence end."""
    assert len(all_sources()) == 13
    for source in all_sources():
        text = source.cleaned_text
        assert source.passages, source.key
        paragraphs = paragraph_spans(text)
        previous_end = 0
        for number, passage in enumerate(source.passages, start=1):
            assert passage.ordinal == number
            assert text[passage.start : passage.end] == passage.text
            assert passage.start >= previous_end
            previous_end = passage.end
            assert passage.text == passage.text.strip()
            paragraph = next(span for span in paragraphs if span[0] <= passage.start < span[1])
            assert passage.end <= paragraph[1]
            ends = {end for _, end in sentence_spans(text, *paragraph)}
            assert passage.end in ends, (source.key, passage.ordinal)
            if len(passage.text) > MAX_PASSAGE_CHARS:
                assert len(sentence_spans(passage.text)) == 1, (source.key, passage.ordinal)


@pytest.mark.parametrize(
    ("key", "count"),
    [
        ("lianchaifu-q-star", 19),
        ("netease-openai-idealists", 97),
        ("q-star-exposed", 42),
        ("fisherdaddy-01", 12),
        ("fisherdaddy-05", 3),
    ],
)
def test_passage_counts(key, count):
    source = next(source for source in all_sources() if source.key == key)
    assert len(source.passages) == count


def test_passages_are_deterministic():
    for source in all_sources():
        assert make_passages(source.cleaned_text) == source.passages
        assert make_passages(source.cleaned_text) == make_passages(source.cleaned_text)
