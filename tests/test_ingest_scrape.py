"""The general line rules for scraped news pages: furniture is dropped with a reason, article text is kept."""

import pytest

from timeline.ingest.scrape import classify, ends_article, is_dateline, is_heading_like


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("IT之家 2025/4/13 15:18:26 责编:远洋", "dateline"),
        ("发布日期:2025-11-18 10:18 点击次数:35", "dateline"),
        ("2023-11-22 14:35 聯合報／ 編譯陳韻涵／即時報導", "dateline"),
        ("By Anna Tong | November 23, 2023 5:52 AM GMT+8", "dateline"),
        ("点击次数：10244", "read counter"),
        ("阅读 10万+", "read counter"),
        ("1,234 views", "read counter"),
        ("點閱數：3,218", "read counter"),
        ("点阅数：918", "read counter"),
        ("阅读量：12,530", "read counter"),
        ("閱讀數: 1,024", "read counter"),
        ("瀏覽次數：56,781", "read counter"),
        ("浏览量 2300", "read counter"),
        ("点击量：1,203,455", "read counter"),
        ("記者林詠心／台北報導", "byline"),
        ("记者王思远/北京报道", "byline"),
        ("（記者吳家豪、張建中／台北報導）", "byline"),
        ("文／林詠心", "credit line"),
        ("撰文：王思远", "credit line"),
        ("打开IT之家APP，阅读体验更佳", "app or login bar"),
        ("点击上方蓝字关注我们", "app or login bar"),
        ("Sign in", "app or login bar"),
        ("字号 A+ A-", "settings menu"),
        ("夜间模式", "settings menu"),
        ("{dede:field.writer/}", "template placeholder"),
        ("本文来自微信公众号“{wx:field.account_name}”", "template placeholder"),
        ("IMG_20240101_1234.JPG", "image file name"),
        ("分享到：微信 微博 QQ空间", "share widget"),
        ("Share this story", "share widget"),
        ("标签：OpenAI ChatGPT", "tags"),
        ("#OpenAI #人工智能", "tags"),
        ("By Kyle Wiggers", "byline"),
        ("Reporting by Anna Tong; Editing by Kenneth Li", "reporting credit"),
        ("〔即時新聞／綜合報導〕", "credit line"),
        ("（责任编辑：刘明亮）", "credit line"),
        ("— 完 —", "end mark"),
        ("（完）", "end mark"),
        ("【纠错】", "settings menu"),
        ("Advertisement", "advertisement"),
        ("首页 | 资讯 | 手机 | 电脑", "navigation"),
        ("京ICP备12345678号", "site footer"),
    ],
)  # fmt: skip
def test_furniture_is_dropped_with_its_reason(line, reason):
    assert classify(line) == reason


@pytest.mark.parametrize(
    "line",
    [
        "2023年11月17日，OpenAI董事会突然宣布解雇奥特曼，这一消息在硅谷引发震动，分享到社交平台的帖子数以万计。",
        "用户可以在ChatGPT的APP内直接使用语音模式，OpenAI表示这项功能将逐步向所有用户开放，并在未来几周内推出更多语言。",
        "2023年11月17日：董事会解雇奥特曼",  # a timeline's section heading, not a dateline
        "Altman said the company had 100 million weekly users, and he expects that number to keep growing.",
        "Share prices of Microsoft rose 2% on Monday.",
        "据介绍，新模型的阅读理解能力大幅提升。",
    ],
)
def test_article_text_is_kept(line):
    assert classify(line) is None
    assert ends_article(line) is None


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("相关阅读：", "related or comments block"),
        ("網友評論", "related or comments block"),
        ("Read more", "related or comments block"),
        ("热门推荐", "related or comments block"),
        ("免责声明：本文仅代表作者观点", "disclaimer"),
        ("Copyright © 2023 Reuters. All rights reserved", "site footer"),
    ],
)
def test_blocks_that_end_the_article(line, reason):
    assert ends_article(line) == reason


def test_headlines_and_datelines():
    assert is_heading_like("OpenAI董事會驟變 奧特曼重返執行長職位")
    assert not is_heading_like("首頁 › 全球 › 國際焦點")
    assert not is_heading_like("人工智能初創公司OpenAI周五突然宣佈行政總裁即時離職。")
    assert is_dateline("2023/05/17 05:30")
    assert not is_dateline("OpenAI於2015年12月11日成立，總部位於舊金山，目前員工約770人，估值超過800億美元。")
