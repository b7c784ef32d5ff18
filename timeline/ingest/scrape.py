"""Line rules for any scraped news page: what is site furniture, what ends the article, what is a title.

Scrapes put every block element on its own line; these rules judge one line at a time and say why a
line is not article text. They are written for news pages in general (Chinese in both scripts and
English), not for particular sites, and are tested on pages unlike the shipped four
(``tests/test_ingest_article.py``). The manifest importer (:mod:`timeline.ingest.clean`) keeps its own
rules so the shipped sources stay byte-for-byte what their citations were made on.
Pure functions, no ORM.
"""

from __future__ import annotations

import re

from timeline.ingest.clean import CHROME_RULES, POSITION_CAPTION_RE

_DATE = (
    r"(?:\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"
    r"|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4}"
    r"|\d{1,2}\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{4})"
)
_TIME = r"\d{1,2}[:：]\d{2}(?:[:：]\d{2})?(?:\s*[AaPp]\.?[Mm]\.?)?"
_CREDIT_WORDS = (
    r"来源|來源|作者|责编|責編|责任编辑|責任編輯|编辑|編輯|记者|記者|发布|發布|發佈|发表|發表|更新|"
    r"通讯员|通訊員|撰文|文\s*[/／|]|图\s*[/／|]|圖\s*[/／|]|By\b|Updated|Published|Posted|Editor|Source|Reporter"
)
DATE_RE = re.compile(_DATE)
_SENTENCE_END_RE = re.compile(r"[。！？!?]$|[.](?:[\"”’')）])?$")
_SHORT = 90  # furniture lines are short; a paragraph that happens to contain a keyword is not

# (reason, pattern): the line is dropped. Patterns see the whole normalised line.
LINE_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("template placeholder", re.compile(r"\{[^{}\n]{0,60}[:：][^{}\n]{0,60}\}|\{\{[^{}]*\}\}|\$\{[^{}]*\}")),
    ("read counter", re.compile(r"(?:点击次数|點擊次數|点击量|點擊量|点击数|點擊數|點閱數|点阅数|點閱次數|点阅次数|點閱|点阅|瀏覽數|浏览数|閱覽數|阅览数|阅读量|閱讀量|阅读数|閱讀數|浏览量|瀏覽量|浏览次数|瀏覽次數|阅读|閱讀|浏览|瀏覽|人气|人氣|评论数|評論數)\s*[:：]?\s*[0-9][0-9,.]*\s*[万萬wW]?\+?(?:次|人)?\s*$|^[0-9][0-9,.]*\s*[万萬]?\s*(?:次阅读|次閱讀|人阅读|人閱讀|阅读|閱讀|浏览|瀏覽)$|\b[0-9][0-9,.]*[kK]?\s+(?:views|reads)\b", re.IGNORECASE)),
    (
        "app or login bar",
        re.compile(
            r"(?:打开|打開|下载|下載|用|安装|安裝).{0,8}(?:APP|App|客户端|客戶端)|(?:APP|App)\s*(?:下载|下載|内|內|看)|"
            r"[\u4e00-\u9fff]\s*APP\b|\bAPP\s*[\u4e00-\u9fff]|关注我们|關注我們|关注我|關注我|标星|標星|"
            r"^(?:点我|點我|按我|戳我|点这里|點這裡|点击这里|點擊這裡|点击上方|點擊上方)|"
            r"扫码|掃碼|扫一扫|掃一掃|立即登录|立即登錄|登录后|登錄後|注册|註冊|请登录|請登錄|^登录$|^登錄$|"
            r"Sign in|Log in|Sign up|Subscribe now|Download the app|Open in app|Get the app",
            re.IGNORECASE,
        ),
    ),
    (
        "settings menu",
        re.compile(
            r"字号|字號|^字体|^字體|夜间模式|夜間模式|^打印|^列印|纠错|糾錯|^大\s*中\s*小$|^A\+?\s*A-?$|"
            r"Font size|Text size|^Print$|Dark mode",
            re.IGNORECASE,
        ),
    ),
    ("image file name", re.compile(r"^[\w\-.() ]{1,80}\.(?:jpe?g|png|gif|webp|bmp|svg|avif)(?:\s*\(.*\))?$", re.IGNORECASE)),
    (
        "share widget",
        re.compile(
            r"^(?:分享到|分享至|转发到|轉發到|Share(?: this)?(?: on| to)?)\s*[:：]|"
            r"^(?:分享|转发|轉發|Share(?: this(?: story| article)?)?|在看|点赞|點讚|赞|讚|收藏|Like|Follow)$",
            re.IGNORECASE,
        ),
    ),
    (
        "tags",
        re.compile(r"^(?:标签|標籤|关键词|關鍵詞|关键字|關鍵字|Tags|Topics|Keywords)\s*[:：]", re.IGNORECASE),
    ),
    (
        "byline",
        re.compile(
            r"^[(（〔【]?\s*(?:記者|记者)\s*[\u4e00-\u9fff·]{2,12}(?:\s*[、，,]\s*[\u4e00-\u9fff·]{2,12})*"
            r"\s*[/／|]\s*[\u4e00-\u9fff]{0,10}(?:報導|报道|報道|電|电)\s*[)）〕】]?$"
        ),
    ),
    ("credit line", re.compile(r"^[(（【\[]?\s*(?:原标题|原標題|编译|編譯|来源|來源|撰文|撰稿|出版|Editor|Source)\s*[:：]", re.IGNORECASE)),
    ("credit line", re.compile(r"^[(（]?(?:文|图|圖|记者|記者|通讯员|通訊員)\s*[/／|]\s*\S{1,20}[)）]?$")),
    ("credit line", re.compile(r"^[〔【\[(（][^〕】\])）]{0,20}(?:報導|报道|報道|綜合|综合|記者|记者|電|电)[〕】\])）]$")),
    ("credit line", re.compile(r"^\S{1,10}\s*(?:发自|發自|报道|報道)\s*\S{0,10}$|公众号|公眾號")),
    ("reporting credit", re.compile(r"^(?:Reporting|Writing|Editing|Edited|Additional reporting) by\b[^.!?]*$")),
    ("byline", re.compile(r"^(?:By|by|BY)\s+[A-Z][\w.\-']*(?:[ ,]+(?:and\s+)?[A-Z][\w.\-']*){0,8}$")),
    ("tags", re.compile(r"^(?:#[^#\s]+\s*){1,8}$")),
    ("end mark", re.compile(r"^[(（【\[]\s*(?:完|终|終|END|纠错|糾錯)\s*[)）】\]]$|^[-—–\s]*(?:END|完)[-—–\s]*$")),
    (
        "advertisement",
        re.compile(r"^(?:广告|廣告|Advertisement|ADVERTISEMENT|Sponsored|赞助内容|贊助內容|推广|推廣)$|^Skip to (?:main )?content$", re.IGNORECASE),
    ),
    (
        "navigation",
        re.compile(r"^(?:[^\s。！？，,|｜>›»]{1,8}\s*(?:[|｜›»>/·•]|\s{1,3})\s*){3,}[^\s。！？，,|｜>›»]{1,8}$"),
    ),
)
# Short lines only: a paragraph can quote a keyword without being furniture. (reason: longest such line)
_MAX_CHARS = {
    "byline": _SHORT, "tags": _SHORT, "read counter": _SHORT, "settings menu": _SHORT, "share widget": _SHORT,
    "navigation": _SHORT, "credit line": _SHORT, "app or login bar": 40,
}


# A line like this ends the article: after it come lists of other articles, comments or the footer.
END_RE = re.compile(
    r"^(?:"
    r"(?:相关阅读|相關閱讀|相关文章|相關文章|相关新闻|相關新聞|相关推荐|相關推薦|热门推荐|熱門推薦|热点推荐|熱點推薦|"
    r"推荐阅读|推薦閱讀|推荐文章|推薦文章|延伸阅读|延伸閱讀|猜你喜欢|猜你喜歡|网友评论|網友評論|全部评论|全部評論|"
    r"热门评论|熱門評論|发表评论|發表評論|精彩评论|精彩評論|更多新闻|更多新聞|"
    r"Related(?: articles| stories| coverage| news)?|Read more|More from [^.]{1,40}|Recommended(?: for you)?|"
    r"Most read|Most popular|Comments?|You may also like)\s*[:：]?\s*(?:[(（]\d+[)）])?\s*$"
    r"|无障碍浏览|無障礙瀏覽"
    r")",
    re.IGNORECASE,
)
DISCLAIMER_RE = re.compile(
    r"^(?:(?:特别声明|特別聲明|声明|聲明|免责声明|免責聲明|版权声明|版權聲明|广告声明|廣告聲明|Disclaimer|Our Standards)"
    r"\s*[:：]|(?:该文|該文|本文|文章)(?:观点|觀點)?(?:仅|僅)代表|本文(?:转载|轉載))",
    re.IGNORECASE,
)
FOOTER_RE = re.compile(
    r"ICP备|ICP證|ICP证|ICP\s*No|公网安备|公網安備|增值电信业务|增值電信業務|版权所有|版權所有|"
    r"All rights reserved|Copyright\s*(?:©|\(c\)|\d{4})|©\s*\d{4}|^关于我们|^關於我們|^About us|^联系我们|^聯繫我們",
    re.IGNORECASE,
)


_TIME_RE = re.compile(_TIME)
_CREDIT_RE = re.compile(_CREDIT_WORDS, re.IGNORECASE)


def is_dateline(text: str) -> bool:
    """A short line stating when (and often by whom) the article was published, not a sentence.

    It holds a full date and either a time of day, a credit word (来源, 责编, By, Updated…), or little else.
    """
    if len(text) > 100 or re.search(r"[。！？]", text):
        return False
    date = DATE_RE.search(text)
    if not date:
        return False
    if _TIME_RE.search(text) or _CREDIT_RE.search(text):
        return True
    after = text[date.end() :].lstrip()
    if after.startswith((":", "：", "，", ",")):
        return False  # "2023年11月17日：董事会解雇奥特曼" is a timeline's heading, not a dateline
    rest = text[: date.start()] + after
    return len("".join(rest.split())) <= 12


def classify(text: str) -> str | None:
    """Why the normalised line ``text`` is not article text, or None when it reads as article text."""
    if is_dateline(text):
        return "dateline"
    for reason, pattern in LINE_RULES:
        if len(text) > _MAX_CHARS.get(reason, len(text)):
            continue
        if pattern.search(text):
            if reason == "navigation" and _SENTENCE_END_RE.search(text):
                continue
            return reason
    for reason, pattern in CHROME_RULES:
        if pattern.search(text):
            return reason
    if len(text) <= 40 and POSITION_CAPTION_RE.search(text):
        return "photo caption"
    if len(text) <= 60 and FOOTER_RE.search(text):
        return "site footer"
    return None


def ends_article(text: str) -> str | None:
    """Why the line ``text`` ends the article (a related-articles or comments block, the footer), or None."""
    if END_RE.search(text):
        return "related or comments block"
    if DISCLAIMER_RE.search(text):
        return "disclaimer"
    if len(text) <= 120 and FOOTER_RE.search(text):
        return "site footer"
    return None


def is_heading_like(text: str) -> bool:
    """A line that could be a headline: not furniture, not a sentence, of a headline's length."""
    letters = sum(1 for ch in text if ch.isalnum())
    return (
        4 <= len(text) <= 120
        and letters >= 4
        and not _SENTENCE_END_RE.search(text)
        and classify(text) is None
        and ends_article(text) is None
        and not text.startswith(("(", "（", "【", "[", "〔", "http"))
        and not re.search(r"\s[|｜›»>/]\s|[|｜›»]", text)
    )


def title_key(text: str) -> str:
    """A loose form of a title for matching a line to the page title: no spaces or punctuation."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())
