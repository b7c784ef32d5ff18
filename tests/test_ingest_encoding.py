"""Articles import whatever their encoding; binary files are still refused."""

import pytest

from timeline.ingest.article import read_article
from timeline.ingest.encoding import decode_bytes
from timeline.ingest.errors import IngestError

SIMPLIFIED = (
    "OpenAI发布新一代模型\n\n2024-05-14 08:30 来源：新华网\n\n"
    "美国开放人工智能研究中心13日发布新一代模型，可实时进行语音对话。该公司首席技术官在发布会上表示，"
    "新模型将免费向所有用户开放。\n"
)
TRADITIONAL = (
    "OpenAI發布新一代模型\n\n2024-05-14 09:12 中央社\n\n"
    "人工智慧公司OpenAI昨天發表新一代模型，可即時回應語音、文字與影像輸入，語音對話平均回應時間僅0.32秒。\n"
)


@pytest.mark.parametrize(
    ("text", "codec", "language"),
    [
        (SIMPLIFIED, "gbk", "zh-Hans"),
        (SIMPLIFIED, "gb18030", "zh-Hans"),
        (TRADITIONAL, "big5", "zh-Hant"),
        (SIMPLIFIED, "utf-16", "zh-Hans"),  # with a BOM
        (TRADITIONAL, "utf-16-le", "zh-Hant"),  # without one
        (TRADITIONAL, "utf-16-be", "zh-Hant"),
        (SIMPLIFIED, "utf-8-sig", "zh-Hans"),
    ],
)
def test_undeclared_encodings_import(text, codec, language):
    """A text scrape saved in a legacy or UTF-16 encoding reads exactly as written, script detected."""
    draft = read_article(text.encode(codec), file_name="article.txt")
    assert draft.raw_text == text
    assert draft.language == language
    assert draft.published.isoformat() == "2024-05-14"
    assert draft.prepared("x").passages


def test_declared_charset_is_used():
    """A page that declares gb2312 is read with its superset GB18030 (GBK characters like 镕 decode)."""
    page = '<html><head><meta charset="gb2312"><title>朱镕基</title></head><body><p>朱镕基说。</p></body></html>'
    decoded = decode_bytes(page.encode("gb18030"), file_name="p.html")
    assert (decoded.text, decoded.origin) == (page, "meta charset")


def test_http_header_charset_wins():
    """The Content-Type header's charset is trusted before the page's own."""
    page = '<html><head><meta charset="utf-8"></head><body><p>聯合報</p></body></html>'
    draft = read_article(page.encode("big5"), file_name="p.html", content_type="text/html; charset=Big5")
    assert draft.raw_text == page
    assert draft.origins["encoding"] == "http header"


def test_lying_meta_charset_falls_back_and_says_so():
    """A page that says utf-8 but is GBK (a common CMS mistake) is detected and the editor told."""
    page = (
        '<html><head><meta charset="utf-8"><title>OpenAI联手软银</title></head><body>'
        "<p>美国总统特朗普周二在白宫宣布，OpenAI、软银和甲骨文将组建合资公司。</p></body></html>"
    )
    draft = read_article(page.encode("gbk"), file_name="p.html")
    assert draft.raw_text == page
    assert draft.origins["encoding"] == "detected"
    assert any(w.code == "encoding" and "utf-8" in w.message for w in draft.warnings())


@pytest.mark.parametrize(
    "raw",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)) * 4,
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)) * 4,
        b"\x7fELF\x02\x01\x01" + b"\x00" * 9 + bytes(range(1, 256)) * 3,
    ],
    ids=["png", "zip", "elf"],
)
def test_binary_is_refused(raw):
    """Images, archives and executables are refused with a message, never stored as text."""
    with pytest.raises(IngestError, match="binary"):
        read_article(raw, file_name="upload.txt")


def test_empty_is_refused():
    with pytest.raises(IngestError, match="empty"):
        read_article(b"", file_name="upload.txt")
