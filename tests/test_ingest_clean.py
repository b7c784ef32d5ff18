"""Cleaning the four shipped pages: site chrome out, article text in, offsets traceable to the raw file."""

import json
import re
import unicodedata
from functools import cache
from pathlib import Path

import pytest

from timeline.ingest.clean import (
    MAX_FILE_BYTES,
    PARAGRAPH_SEPARATOR,
    PINYIN_GLOSS_RE,
    Line,
    classify_line,
    clean_article,
    decode_source,
    find_pinyin_glosses,
    raw_offset,
    raw_span,
    split_lines,
)
from timeline.ingest.errors import IngestError
from timeline.ingest.prepare import load_manifest, prepare_file

SOURCES = Path(__file__).resolve().parent.parent / "fixtures" / "sources"
ARTICLES = ("000_88f0250da66b7718", "001_3f6f694ff846cec8", "003_ce7abde17486f85c")
INDEX = "002_ae535f2630d2a20f"
# Any parenthesised toned pinyin syllable, wherever it stands.
ANY_GLOSS_RE = re.compile(r"[(（][a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ][a-zü]*[)）]")


@cache
def raw_text(stem: str) -> str:
    return (SOURCES / f"{stem}.txt").read_text(encoding="utf-8")


@cache
def cleaned(stem: str):
    manifest = load_manifest(SOURCES / f"{stem}.yaml")
    return clean_article(
        raw_text(stem),
        title=manifest["title_as_printed"],
        keep_lines=manifest["keep_lines"],
        drop_lines=manifest["drop_lines"],
    )


@cache
def sources(stem: str):
    return prepare_file(SOURCES / f"{stem}.txt")


def all_text(stem: str) -> list[str]:
    """The cleaned text and every passage of every source in the file."""
    texts = []
    for source in sources(stem):
        texts.append(source.cleaned_text)
        texts.extend(passage.text for passage in source.passages)
    return texts


JUNK = {
    "000_88f0250da66b7718": [
        "当前位置",
        "首页 > 视角",
        "背后那大戏秘的么项目宫斗个神是什究竟",  # the printed (shuffled) headline
        "2025-09-23 18:03:13",
        "来源:链财富",
        "责任编辑",
        "推荐文章",
        "比特币迎来黄金时代",
        "[详细]",
        "老司机带路",
    ],
    "001_3f6f694ff846cec8": [
        "99国产精品欲av蜜臀",  # the spam line at the top
        "免费观看",
        "網易首頁",
        "網易號 > 正文",
        "申請入駐",
        "分享至",
        "OpenAI再陷宮斗",  # the headline is metadata, not a passage
        "伊利亞(左三)與奧特曼(左四)",
        "伊利亞、克里哲夫斯基與辛頓(從左到右)",
        "伊利亞在NIPS 2014",
        "OpenAI曾經的管理層",
        "參考資料",
        "[1] “I lost trust”",
        "New York Times",
        "編輯:李墨天",
        "視覺設計",
        "封面圖片來自ShotDeck",
        "特別聲明",
        "Notice: The content above",
        "相關推薦",
        "熱點推薦",
        "掃毒風暴",
        "用投資視角,扒巨頭秘史",
        "往期回顧",
        "頭條要聞",
        "無障礙瀏覽",
        "主站蜘蛛池模板",
        "<h3>",
    ],
    "002_ae535f2630d2a20f": [
        "August 18, 2025",
        "August 11, 2025",
        "\u00a0·\u00a01 min\u00a0·",
        "fisherdaddy",
        "17 min",
        "揭秘 AI 黑箱:Claude 的“大脑”里在想什么?",  # titles are metadata, not body text
        "2025 年国际数学奥林匹克竞赛 • Rishi Mehta",
    ],
    "003_ce7abde17486f85c": [
        "OpenAI 神秘新模型 Q* 曝光",
        "参考链接",
        "https://",
        "[1]",
        "声明:本文转载自快科技",
        "点击这里",
        "游客",
        "鸟过留鸣,人过留评",
        "和谐社区,和谐点评",
    ],
}

CAPTIONS = [
    "伊利亞(左三)與奧特曼(左四)",
    "伊利亞、克里哲夫斯基與辛頓(從左到右)",
    "伊利亞在NIPS 2014",
    "瑰麗酒店",
    "達里奧·阿莫迪",
    "奧特曼與馬斯克",
    "OpenAI曾經的管理層",
]


@pytest.mark.parametrize("stem", sorted(JUNK))
def test_no_site_chrome_survives(stem):
    """Every junk string found in the raw page is absent from the cleaned text and from every passage."""
    raw = PINYIN_GLOSS_RE.sub("", raw_text(stem))
    for junk in JUNK[stem]:
        assert junk in raw, f"{junk!r} is not in the page: the test would prove nothing"
        for text in all_text(stem):
            assert junk not in text, (junk, text[:80])


def test_photo_captions_are_dropped_but_headings_kept():
    """001's seven captions are dropped; the section headings, including the one below an image, stay."""
    paragraphs = cleaned("001_3f6f694ff846cec8").text.split(PARAGRAPH_SEPARATOR)
    for caption in CAPTIONS:
        assert caption not in paragraphs
    dropped = {(number, reason) for number, reason, _ in cleaned("001_3f6f694ff846cec8").dropped}
    assert {number for number, reason in dropped if reason == "photo caption"} == {
        20,
        60,
        79,
        92,
        117,
        132,
        214,
    }
    for heading in ("科學家與狂想家", "理想主義的天花板", "第一次分裂", "一種理想主義的失敗", "尾聲"):
        assert heading in paragraphs


def test_article_boundaries():
    """Each article starts at its first paragraph and ends at its last, nothing more."""
    expectations = {
        "000_88f0250da66b7718": ("最近科技圈最抓马的剧情", "谁也不想成为科幻电影里那些作死的科学家,对吧?"),
        "001_3f6f694ff846cec8": ("6個月前,OpenAI爆發了", "奧特曼將繼續完成當年未竟的野心。"),
        "003_ce7abde17486f85c": ("OpenAI 宫斗大戏刚刚落幕", "现在都达成和解了。"),
    }
    for stem, (first, last) in expectations.items():
        text = cleaned(stem).text
        assert text.startswith(first), stem
        assert text.endswith(last), stem


def test_references_are_metadata():
    """Reference lists become source metadata, in order, and not passages."""
    idealists = cleaned("001_3f6f694ff846cec8").references
    assert len(idealists) == 15
    assert (
        idealists[0]
        == "[1] “I lost trust”: Why the OpenAI team in charge of safeguarding humanity imploded,Vox"
    )
    assert idealists[14] == "[15] GPT-4o,Sam Altman"
    q_star = cleaned("003_ce7abde17486f85c").references
    assert len(q_star) == 6
    assert q_star[1].startswith("[2]https://www.reuters.com/technology/sam-altmans-ouster")
    assert cleaned("000_88f0250da66b7718").references == ()


def test_legitimate_parentheses_and_inline_citations_are_kept():
    text = cleaned("001_3f6f694ff846cec8").text
    for kept in (
        "(Sam Altman)",
        "(Jan Leike)",
        "(Ilya Sutskever)",
        "(open source)",
        "(Alignment)",
        "倒下一樣[1]。”",
    ):
        assert kept in text
    assert "(AA)" not in cleaned("000_88f0250da66b7718").text  # only in the dropped recommendations


def test_pinyin_glosses_counted_and_removed():
    """001 carries 157 glosses after Han characters; 110 sit in the article body; none survive anywhere."""
    raw = raw_text("001_3f6f694ff846cec8")
    assert len(find_pinyin_glosses(raw)) == 157
    assert [m.group() for m in find_pinyin_glosses("網(wǎng)易內(nèi)部")] == ["(wǎng)", "(nèi)"]
    assert cleaned("001_3f6f694ff846cec8").glosses_removed == 110
    assert "內部斗爭" in cleaned("001_3f6f694ff846cec8").text
    for stem in (*ARTICLES, INDEX):
        for text in all_text(stem):
            assert not ANY_GLOSS_RE.search(text)


def test_traditional_script_is_preserved():
    text = cleaned("001_3f6f694ff846cec8").text
    assert "奧特曼" in text and "奥特曼" not in text
    assert "發布會" in text and "发布会" not in text
    assert "奥特曼" in cleaned("003_ce7abde17486f85c").text  # and simplified stays simplified


@pytest.mark.parametrize("stem", [*ARTICLES, INDEX])
def test_paragraph_layout_and_nfc(stem):
    """Paragraphs are separated by exactly one blank line, trimmed, NFC; no stray newlines inside."""
    for source in sources(stem):
        text = source.cleaned_text
        assert unicodedata.is_normalized("NFC", text)
        assert text == text.strip()
        assert "\n\n\n" not in text
        for paragraph in text.split(PARAGRAPH_SEPARATOR):
            assert paragraph and paragraph == paragraph.strip()
            assert "\n" not in paragraph


@pytest.mark.parametrize("stem", [*ARTICLES, INDEX])
def test_offset_map_round_trip(stem):
    """Every cleaned character outside paragraph separators maps to the same character in the raw text."""
    for source in sources(stem):
        text, raw = source.cleaned_text, source.raw_text
        for offset, ch in enumerate(text):
            if ch == "\n":
                continue
            assert raw[raw_offset(source.offset_map, offset)] == ch, (source.key, offset)
        assert json.loads(json.dumps(source.offset_map)) == [list(run) for run in source.offset_map]


def test_offset_map_across_glosses():
    """In 001 a passage's raw span, glosses removed, is the passage text; 內 maps to 內, not to its gloss."""
    source = sources("001_3f6f694ff846cec8")[0]
    raw = source.raw_text
    offset = source.cleaned_text.index("內部斗爭")
    assert raw[raw_offset(source.offset_map, offset)] == "內"
    assert raw[raw_offset(source.offset_map, offset + 1)] == "部"
    assert (
        raw[raw_offset(source.offset_map, offset) : raw_offset(source.offset_map, offset + 2)] == "內(nèi)部"
    )
    glossed = 0
    for passage in source.passages:
        start, end = raw_span(source.offset_map, passage.start, passage.end)
        segment = raw[start:end]
        glossed += len(find_pinyin_glosses(segment))
        assert re.sub(ANY_GLOSS_RE, "", segment) == passage.text
    assert glossed == 110


def test_raw_offset_between_runs():
    """Separators and the end of the text map to the end of the run before them."""
    offset_map = ((0, 10, 3), (5, 20, 2))
    assert raw_offset(offset_map, 0) == 10
    assert raw_offset(offset_map, 2) == 12
    assert raw_offset(offset_map, 3) == 13  # inside the separator
    assert raw_offset(offset_map, 4) == 13
    assert raw_offset(offset_map, 6) == 21
    assert raw_offset(offset_map, 7) == 22  # end of text
    assert raw_span(offset_map, 0, 3) == (10, 13)


def test_nfc_rewrites_keep_an_anchor():
    """Decomposed input is composed; the composed character maps to the start of its raw sequence."""
    raw = "標題\n\n\u5167Cafe\u0301 au lait\n"
    result = clean_article(raw, title="標題")
    assert result.text == "內Café au lait"
    position = result.text.index("é")
    assert raw_offset(result.offset_map, position) == raw.index("e\u0301")
    assert raw[raw_offset(result.offset_map, position + 1)] == " "


def test_split_lines_offsets_and_blank_counts():
    raw = "\ufeffTitle\r\n\r\n\r\n  body  \n"
    lines = split_lines(raw)
    assert [(line.number, line.text, line.blank_before) for line in lines] == [
        (1, "Title", 0),
        (4, "body", 2),
    ]
    assert raw[lines[1].start : lines[1].end] == "body"


@pytest.mark.parametrize(
    ("text", "blank_before", "reason"),
    [
        ("0", 1, "counter"),
        ("分享至", 0, "share widget"),
        ("当前位置:首页 > 视角 > 标题", 0, "breadcrumb"),
        ("網易首頁 > 網易號 > 正文 申請入駐", 0, "breadcrumb"),
        ("2025-09-23 18:03:13 [基础] 来源:链财富", 1, "dateline"),
        ("(责任编辑:见解)", 1, "credit line"),
        ("封面圖片來自ShotDeck", 1, "image credit"),
        ("伊利亞(左三)與奧特曼(左四)", 1, "photo caption"),
        ("瑰麗酒店", 2, "photo caption"),
        ("瑰麗酒店", 1, None),  # a short line after one blank line is a heading
        ("他正在硅谷內迅速建立起一種新的經濟。", 2, None),
        ("因此,他们提出了一种全新的形式:", 2, None),
        ("预训练 -> SFT -> RLHF", 0, None),
    ],
)
def test_classify_line(text, blank_before, reason):
    assert classify_line(Line(1, 0, len(text), text, blank_before)) == reason


def test_title_must_be_a_line_of_the_text():
    with pytest.raises(IngestError, match="title_as_printed"):
        clean_article("a\n\nbody.", title="not there", file_name="x.txt")


def test_unused_manifest_hints_are_refused():
    """A keep/drop hint that matches nothing is stale and is reported, not ignored."""
    with pytest.raises(IngestError, match="match no line"):
        clean_article("T\n\nbody.", title="T", keep_lines=["gone"], file_name="x.txt")


def test_drop_lines_hint():
    result = clean_article("T\n\nkeep me.\n\nDrop me\n\nand me too.", title="T", drop_lines=["Drop me"])
    assert result.text == "keep me.\n\nand me too."


def test_footer_ends_the_article():
    result = clean_article("T\n\nText.\n\n声明:转载\n\nMore text.", title="T")
    assert result.text == "Text."


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "empty"),
        (b"  \n\t\n", "only whitespace"),
        (b"abc\x00def", "NUL byte"),
        ("中文".encode("gbk") + b" text", "not UTF-8"),
        (b"\xff\xfe\x00a", "NUL byte"),
        (bytes(range(1, 32)) * 10 + b"text", "control characters"),
        (b"a" * (MAX_FILE_BYTES + 1), "limit"),
    ],
)
def test_decode_refusals(raw, message):
    with pytest.raises(IngestError, match=message) as excinfo:
        decode_source(raw, file_name="bad.txt")
    assert str(excinfo.value).startswith("bad.txt: ")


def test_decode_keeps_text_exactly():
    raw = (SOURCES / "001_3f6f694ff846cec8.txt").read_bytes()
    assert decode_source(raw, file_name="x").encode("utf-8") == raw
