"""Splitting fisherdaddy's blog index into its ten posts, each with the date line printed BELOW it."""

import datetime
from pathlib import Path

import pytest

from timeline.ingest.errors import IngestError
from timeline.ingest.split import parse_date_line, split_posts

INDEX = Path(__file__).resolve().parent.parent / "fixtures" / "sources" / "002_ae535f2630d2a20f.txt"

# Read off the page by hand: (title, date of the footer line below it).
EXPECTED = [
    ("揭秘 AI 黑箱:Claude 的“大脑”里在想什么?", datetime.date(2025, 8, 18)),
    ("OpenAI 内部揭秘:GPT-5 的诞生、突破与未来 | 专访核心团队成员", datetime.date(2025, 8, 13)),
    ("埃隆·马斯克描绘未来蓝图:从星舰、火星城市到机器人与 AI 共生", datetime.date(2025, 8, 13)),
    ("Google DeepMind CEO揭秘:从AlphaGo到可玩世界模型,AI的下一步是什么?", datetime.date(2025, 8, 13)),
    (
        "分享一下 ChatGPT 的 Study Mode 和 Gemini 的 Guided Learning 两个专为学生学习打造的 Prompt",
        datetime.date(2025, 8, 13),
    ),
    ("2025 年国际数学奥林匹克竞赛 • Rishi Mehta", datetime.date(2025, 8, 12)),
    ("GPT-5 登场:是平平无奇,还是引爆未来的奇点?", datetime.date(2025, 8, 11)),
    (
        "OpenAI 研究主管 Mark Chen 深度揭秘 GPT-5:从合成数据到自进化 AI,我们聊了聊未来",
        datetime.date(2025, 8, 11),
    ),
    ("与 OpenAI CEO Sam Altman 穿越时空:GPT-5、超级智能与人类的“无限画布”", datetime.date(2025, 8, 11)),
    (
        "OpenAI 联创 Greg Brockman 深度访谈:从数学神童到 AGI 掌舵者,我们该如何构建未来?",
        datetime.date(2025, 8, 11),
    ),
]


@pytest.fixture(scope="module")
def posts():
    return split_posts(INDEX.read_text(encoding="utf-8"), file_name=INDEX.name)


def test_ten_posts_with_titles_and_dates(posts):
    assert [(post.title, post.published) for post in posts] == EXPECTED


def test_date_line_closes_its_post(posts):
    """The page opens with a title and closes with a date line: each date sits below its own post.

    So the first post (Claude interpretability) is dated August 18, not undated, and the 17-minute reading
    time belongs to the post that shares two full prompts, not to the IMO summary after it.
    """
    assert posts[0].title_line.number == 1
    assert posts[0].date_line.number == 5
    assert posts[-1].date_line.number == 59
    for post in posts:
        assert post.title_line.number < post.body_lines[0].number < post.date_line.number
    assert [post.reading_minutes for post in posts] == [1, 1, 1, 1, 17, 2, 1, 1, 1, 1]
    assert posts[4].title.startswith("分享一下 ChatGPT 的 Study Mode")
    assert posts[4].body_lines[0].text.startswith("ChatGPT Study Mode 的 Prompt 原文")
    assert posts[5].body_lines[0].text.startswith("本文对 Anthropic LLM 研究员 Rishi Mehta")


def test_each_post_has_one_excerpt_and_its_author(posts):
    assert all(len(post.body_lines) == 1 for post in posts)
    assert {post.author for post in posts} == {"fisherdaddy"}
    assert posts[0].body_lines[0].text.startswith("在 AI 模型进行思考时")
    assert posts[-1].body_lines[0].text.endswith("开发者的工作流会发生怎样的变化?...")


def test_parse_date_line():
    assert parse_date_line("August 13, 2025\u00a0·\u00a017 min\u00a0·\u00a0fisherdaddy") == (
        datetime.date(2025, 8, 13),
        17,
        "fisherdaddy",
    )
    assert parse_date_line("May 2, 2024") == (datetime.date(2024, 5, 2), None, "")
    assert parse_date_line("Smarch 2, 2024 · 1 min") is None
    assert parse_date_line("February 30, 2024 · 1 min") is None
    assert parse_date_line("2025 年国际数学奥林匹克竞赛 • Rishi Mehta") is None


def test_text_after_the_last_date_line_is_refused():
    """If dates headed their posts, the last post would dangle: refuse rather than guess."""
    raw = "Title\n\nExcerpt.\n\nAugust 1, 2025 · 1 min · a\n\nOrphan title\n\nOrphan excerpt."
    with pytest.raises(IngestError, match="belong to no post"):
        split_posts(raw, file_name="index.txt")


def test_date_line_without_a_post_is_refused():
    with pytest.raises(IngestError, match="closes no post"):
        split_posts("August 1, 2025 · 1 min · a\n\nTitle\n\nExcerpt.", file_name="index.txt")


def test_page_without_date_lines_is_refused():
    with pytest.raises(IngestError, match="no post date lines"):
        split_posts("Just an article.\n\nWith paragraphs.", file_name="index.txt")
