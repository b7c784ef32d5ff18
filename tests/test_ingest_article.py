"""Reading a new article: main text, dropped furniture and detected metadata on pages unlike the shipped four.

The pages in tests/data/pages/ were written for these tests after the patterns of real news sites (text
scrapes and HTML, simplified and traditional Chinese and English); each test checks what a newsroom
needs from one page: the body kept, the junk dropped, title, date and language detected.
"""

import datetime
from pathlib import Path

import pytest

from timeline.ingest import html as html_extract
from timeline.ingest.article import read_article
from timeline.ingest.clean import normalize_fragment, raw_span

PAGES = Path(__file__).parent / "data" / "pages"

# file: (title, published, language, publisher or None, kept fragments, dropped fragments)
EXPECTED = {
    "ithome-o3-pro.txt": (
        "OpenAI 推出 o3-pro 模型，Pro 用户今日起可用", "2025-06-11", "zh-Hans", None,
        ["IT之家 6 月 11 日消息", "年化收入已经突破 100 亿美元"],
        ["责编：远洋", "点击次数：10244", "{dede:field.writer/}", "o3pro-benchmark.png", "相关阅读",
         "鲁ICP备12345678号", "打开IT之家APP", "注册即送888元"],
    ),
    "udn-board-crisis.txt": (
        "OpenAI董事會驟變 奧特曼重返執行長職位", "2023-11-22", "zh-Hant", None,
        ["被開除的共同創辦人奧特曼", "領導新的先進人工智慧研究團隊"],
        ["聯合報／ 編譯陳韻涵", "分享到：Facebook", "延伸閱讀", "OpenAI風暴五日全紀錄", "字級設定", "（圖／路透）"],
    ),
    "reuters-q-star.txt": (
        "OpenAI researchers warned board of AI breakthrough ahead of CEO ouster, sources say", "2023-11-23",
        "en", None,
        ["Ahead of OpenAI CEO Sam Altman's four days in exile", "solve certain mathematical problems"],
        ["By Anna Tong, Jeffrey Dastin", "5:52 AM GMT+8", "Reporting by Anna Tong", "Our Standards",
         "Microsoft hires former OpenAI CEO", "Sign up here.", "All rights reserved"],
    ),
    "wechat-sora.txt": (
        "OpenAI首个视频生成模型Sora发布，一句话生成60秒高清视频", "2024-02-16", "zh-Hans", None,
        ["就在今天凌晨，OpenAI发布了首个文生视频模型Sora", "霓虹灯闪烁的东京街头"],
        ["点击上方蓝字关注我们", "阅读 10万+", "梦晨 发自 凹非寺", "公众号 QbitAI", "sora-demo-tokyo.gif",
         "— 完 —", "记得标星", "在看"],
    ),
    "36kr-openai-funding.txt": (
        "OpenAI完成400亿美元融资，估值3000亿美元创纪录", "2025-04-01", "zh-Hans", None,
        ["OpenAI于当地时间3月31日宣布完成新一轮400亿美元融资", "软银的投资额可能降至200亿美元"],
        ["36氪的朋友们·2025-04-01 09:30", "阅读量：3.2万", "字号 A+ A-", "image_20250401093512.jpg",
         "{wx:field.account_name}", "该文观点仅代表作者本人", "京ICP备12345678号", "下载36氪APP"],
    ),
    "hk01-altman-fired.txt": (
        "OpenAI突解僱奧特曼 董事會指其溝通不坦誠 布羅克曼同日辭職", "2023-11-18", "zh-Hant", None,
        ["行政總裁奧特曼（Sam Altman）即時離職", "之後會有更多話要說"],
        ["撰文：國際新聞組", "出版：2023-11-18 08:45", "#OpenAI #人工智能", "相關文章", "網友評論", "APP下載"],
    ),
    "ltn-ai-bill.txt": (
        "OpenAI執行長奧特曼出席美參院聽證 呼籲政府監管AI", "2023-05-17", "zh-Hant", None,
        ["16日首度出席美國參議院司法委員會聽證會", "最終會創造出比現在更好的工作機會"],
        ["2023/05/17 05:30", "〔即時新聞／綜合報導〕", "現在用APP看新聞", "點我下載APP", "按我看活動辦法",
         "自由時報版權所有"],
    ),
    "cna-gpt4o.html": (
        "OpenAI推出GPT-4o 語音對話延遲僅0.32秒", "2024-05-14", "zh-Hant", "中央社 CNA",
        ["（中央社記者吳家豪台北14日電）人工智慧公司OpenAI昨天發表新一代模型GPT-4o", "競爭意味濃厚"],
        ["分享到：微信 微博 QQ空間", "會員登入", "Google發表Gemini 1.5 Pro", "非經授權", "（編輯：林家嫻）",
         "dataLayer", "2024/05/14 09:12"],
    ),
    "techcrunch-devday.html": (
        "OpenAI unveils GPT-4 Turbo and custom GPTs at its first developer conference", "2023-11-06", "en",
        "TechCrunch",
        ["OpenAI on Monday announced GPT-4 Turbo", "more than two million developers"],
        ["Sign up for our newsletter", "Microsoft brings GPT-4 Turbo to Copilot", "Powered by WordPress",
         "Log in"],
    ),
    "verge-gpt5.html": (
        "OpenAI releases GPT-5, its most capable model yet", "2025-08-07", "en", "The Verge",
        ["OpenAI released GPT-5 on Thursday", "priced from $1.25 per million input tokens"],
        ["Open in app", "Share this story", "Great article!", "Vox Media"],
    ),
    "sina-gbk-stargate.html": (
        "OpenAI联手软银甲骨文启动“星际之门”项目 总投资5000亿美元", "2025-01-22", "zh-Hans", "新浪科技",
        ["美国总统特朗普周二在白宫宣布", "这将是“这个时代最重要的项目”"],
        ["责任编辑：刘明亮", "马斯克质疑星际之门资金", "京ICP证000007", "新浪首页"],
    ),
    # short wire stories inside <article>: trafilatura may return them as one line
    "ce-openai-tsinghua.html": (
        "OpenAI与清华合作开设AI安全课程", "2025-09-18", "zh-Hans", None,
        ["OpenAI周三与清华大学签署合作备忘录", "相关教材将在学期结束后公开"],
        ["记者王思远/北京报道", "阅读量：12,530", "京ICP备05000000号"],
    ),
    # br-separated paragraphs and a list: trafilatura's "- " list markers are not in the page
    "cts-msft-openai-br-list.html": (
        "微軟加碼投資OpenAI 雙方延長雲端合作", "2025-01-10", "zh-Hant", None,
        ["微軟周四表示將追加投資OpenAI", "持續開放API給企業客戶", "合作延長至2030年"],
        ["記者張書瑋／綜合報導", "閱讀數：1,024"],
    ),
    "udn-money-openai-taipei-big5.html": (
        "OpenAI在台設立亞太辦公室 首批招募50人", "2025-03-06", "zh-Hant", "經濟日報",
        ["人工智慧公司OpenAI昨（5）日宣布將在台北設立亞太區辦公室", "預計4月中旬完成審查"],
        ["記者林詠心／台北報導", "點閱數：2,467", "經濟日報版權所有", "複製連結"],
    ),
}


def _read(name):
    return read_article((PAGES / name).read_bytes(), file_name=name)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_page_body_junk_and_metadata(name):
    """Each page yields its article body and nothing of the site around it, with title, date and language."""
    title, published, language, publisher, kept, dropped = EXPECTED[name]
    draft = _read(name)
    document = draft.as_dict()
    body = "\n".join(p["text"] for p in document["passages"])
    assert document["title"] == title
    assert document["published"] == published
    assert document["language"] == language
    if publisher is not None:
        assert document["publisher"] == publisher
    for fragment in kept:
        assert fragment in body, fragment
    for fragment in dropped:
        assert fragment not in body, fragment
    assert not [w for w in document["warnings"] if w["confirm"]]


def test_every_page_is_covered():
    """The expectations name every page in the folder, so a new page cannot go untested."""
    assert sorted(path.name for path in PAGES.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(n for n in EXPECTED if n.endswith(".html")))
def test_html_keeps_the_page_and_maps_back(name):
    """An HTML page is stored as received; every passage maps back to the markup it was read from."""
    draft = _read(name)
    prepared = draft.prepared("page")
    assert prepared.raw_text.lstrip().lower().startswith("<!doctype html")
    for passage in prepared.passages:
        start, end = raw_span(prepared.offset_map, passage.start, passage.end)
        assert html_extract.fragment_text(prepared.raw_text[start:end]) == normalize_fragment(passage.text)


def test_text_scrape_maps_back_exactly():
    """A text scrape's passages are verbatim slices of the raw file."""
    prepared = _read("udn-board-crisis.txt").prepared("udn")
    for passage in prepared.passages:
        start, end = raw_span(prepared.offset_map, passage.start, passage.end)
        assert prepared.raw_text[start:end] == passage.text


def test_dropped_lines_have_reasons_and_can_be_kept():
    """Every dropped line says why; an editor can keep one (or drop a kept one) by its number."""
    draft = _read("ithome-o3-pro.txt")
    dropped = {line.number: line for line in draft.lines if not line.kept}
    assert all(line.reason for line in dropped.values())
    disclaimer = next(n for n, line in dropped.items() if line.text.startswith("广告声明"))
    first_kept = next(line.number for line in draft.lines if line.kept)
    edited = draft.toggle(keep=[disclaimer], drop=[first_kept])
    body = edited.prepared("ithome").cleaned_text
    assert "广告声明" in body
    assert "IT之家 6 月 11 日消息" not in body


def test_wrong_year_is_a_warning_to_confirm():
    """An editor who types 2024 where the dateline says 2023 is warned, not silently obeyed."""
    draft = _read("udn-board-crisis.txt").override(published=datetime.date(2024, 11, 22))
    warnings = [w for w in draft.warnings() if w.confirm]
    assert [w.code for w in warnings] == ["published-contradicts-dateline"]
    assert "2023-11-22" in warnings[0].message
    assert draft.reference_date == datetime.date(2024, 11, 22)  # what would shift every relative date


def test_bare_days_resolve_against_the_dateline():
    """"16日" in a page dated 2023-05-17 is the 16th of May 2023, passage by passage."""
    mentions = _read("ltn-ai-bill.txt").date_mentions()
    assert {"text": "16日", "date": "2023-05-16", "precision": "day", "approximate": False, "passage": 1} in mentions


@pytest.mark.parametrize(
    ("name", "starts", "title"),
    [
        ("ce-openai-tsinghua.html", ["OpenAI周三", "清华大学人工智能", "据悉，该课程计划"], "OpenAI与清华合作开设AI安全课程"),
        (
            "udn-money-openai-taipei-big5.html",
            ["人工智慧公司Op", "OpenAI表示", "數位發展部指出，"],
            "OpenAI在台設立亞太辦公室 首批招募50人",
        ),
    ],
)
def test_one_line_main_text_is_split_at_the_page_blocks(name, starts, title):
    """A short page whose trafilatura text is one line still yields its paragraphs, headline apart."""
    draft = _read(name)
    document = draft.as_dict()
    assert [p["text"][:8] for p in document["passages"]] == starts
    title_lines = [line for line in draft.lines if line.reason == "title"]
    assert [line.text for line in title_lines] == [title]
    assert not [w for w in document["warnings"] if w["code"] == "no-passages"]


def test_a_line_much_longer_than_the_title_is_not_the_title():
    """A line that starts with the page title but runs on into the body is article text, not the title."""
    from timeline.ingest.article import ArticleLine, _find_title

    title = "OpenAI與清華合作開設AI安全課程"
    body = title + " 2025-09-18 記者王思遠/北京報導 OpenAI週三與清華大學簽署合作備忘錄，雙方將於今年秋季學期聯合開課。"
    assert _find_title([ArticleLine(1, body, None)], title) is None
    assert _find_title([ArticleLine(1, title + " - 中國經濟網", None), ArticleLine(2, body, None)], title) == 0


def test_no_passages_left_is_a_warning_with_the_reasons():
    """When every line is dropped the dry run says so, and why, instead of an empty preview."""
    draft = _read("ce-openai-tsinghua.html")
    dropped = draft.toggle(drop=[line.number for line in draft.lines if line.kept])
    warnings = {w["code"]: w["message"] for w in dropped.as_dict()["warnings"]}
    assert "no-passages" in warnings
    assert "dropped by the editor" in warnings["no-passages"] and "title" in warnings["no-passages"]
    assert "no article text is left after cleaning" in dropped.problems()


@pytest.mark.parametrize(
    ("name", "author", "byline"),
    [
        ("ce-openai-tsinghua.html", "王思远", "记者王思远/北京报道"),
        ("udn-money-openai-taipei-big5.html", "林詠心", "記者林詠心／台北報導"),
    ],
)
def test_chinese_byline_gives_the_author_and_is_dropped(name, author, byline):
    """記者XXX／台北報導 names the reporter; the byline line is dropped with its reason, not kept as text."""
    document = _read(name).as_dict()
    assert document["author"] == author
    assert document["origins"]["author"].startswith("byline line")
    assert [d["reason"] for d in document["dropped"] if byline in d["text"]] == ["dateline"]
    assert not any(byline in p["text"] for p in document["passages"])


@pytest.mark.parametrize(
    ("lines", "author"),
    [
        ("記者陳建志／台北報導", "陳建志"),
        ("（記者吳家豪、張建中／台北報導）", "吳家豪、張建中"),
        ("记者王思远/北京报道", "王思远"),
        ("文／林詠心", "林詠心"),
        ("撰文：王思远", "王思远"),
    ],
)
def test_byline_forms_in_a_text_scrape(lines, author):
    """Each Chinese byline form names the author and leaves the passages."""
    text = (
        "OpenAI與清華合作開設AI安全課程\n\n2025-09-18 14:05\n\n"
        f"{lines}\n\n"
        "OpenAI週三與清華大學簽署合作備忘錄，雙方將於今年秋季學期聯合開設人工智慧安全課程，首期面向200名研究生。\n"
    )
    document = read_article(text.encode(), file_name="story.txt").as_dict()
    assert document["author"] == author
    assert [d["text"] for d in document["dropped"] if d["text"] == lines]
    assert all(lines not in p["text"] for p in document["passages"])


@pytest.mark.parametrize(
    ("name", "template"),
    [
        ("cna-gpt4o.html", ["首頁 科技 政治 國際 會員登入", "分享到：微信 微博 QQ空間", "Google發表Gemini 1.5 Pro"]),
        ("ce-openai-tsinghua.html", ["首页 科技 财经", "版权所有 中国经济网 京ICP备05000000号"]),
    ],
)
def test_html_template_text_is_listed_as_dropped_and_can_be_kept(name, template):
    """What trafilatura leaves out of a page (menus, share bars, footers) is listed as dropped, with its
    reason, in page order; kept by the editor it becomes a passage that maps back to the markup."""
    draft = _read(name)
    dropped = {line.text: line for line in draft.lines if not line.kept}
    for text in template:
        assert dropped[text].reason == "not part of the main text (page template)", text
    assert [line.number for line in draft.lines] == list(range(1, len(draft.lines) + 1))
    starts = [next(p for p in line.positions if p is not None) for line in draft.lines]
    assert starts == sorted(starts)  # page order
    kept = draft.toggle(keep=[dropped[text].number for text in template])
    prepared = kept.prepared("page")
    texts = [passage.text for passage in prepared.passages]
    assert texts[0] == template[0] and template[-1] in texts
    for passage in prepared.passages:
        start, end = raw_span(prepared.offset_map, passage.start, passage.end)
        assert html_extract.fragment_text(prepared.raw_text[start:end]) == normalize_fragment(passage.text)
    assert _read(name).as_dict()["passages"] == draft.as_dict()["passages"]  # nothing kept unless asked


def test_one_line_main_text_with_line_breaks_is_split():
    """Paragraphs separated by <br> inside a short <article> are split there, not read as one title line."""
    page = (PAGES / "ce-openai-tsinghua.html").read_text(encoding="utf-8")
    page = page.replace("<p>", "<br>").replace("</p>", "")
    draft = read_article(page.encode(), file_name="br.html")
    document = draft.as_dict()
    assert [p["text"][:8] for p in document["passages"]] == ["OpenAI周三", "清华大学人工智能", "据悉，该课程计划"]
    assert document["author"] == "王思远"
    assert not [w for w in document["warnings"] if w["code"] in ("no-passages", "raw-text")]


def test_list_items_map_back_without_the_list_marker():
    """trafilatura writes a list item as "- item"; the passage is the item as the page has it, mapped back."""
    draft = _read("cts-msft-openai-br-list.html")
    texts = [p["text"] for p in draft.as_dict()["passages"]]
    assert "微軟持股比例不變" in texts and "合作延長至2030年" in texts
    assert not [w for w in draft.warnings() if w.code == "raw-text"]
