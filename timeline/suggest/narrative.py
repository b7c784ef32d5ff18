"""Words that tell where an undated sentence stands in a story's time, read as a careful editor would.

The engine (:mod:`timeline.suggest.engine`) dates an undated event sentence by the date in force around it
(the last dated sentence, the *anchor*). These words change that:

* "当时"/"當時"/"那时"/"at the time"/"back then" point back at the time the story has established: the
  anchor at its own precision, approximately ("2023年7月,…。當時,…" is c. 2023-07). With nothing dated
  before them they point at an unnamed past, not at the time of writing: no date.
* A turning point the article does not date ("直到ChatGPT發布", "Then ChatGPT launched", "ChatGPT问世后")
  moves the story past its last date to a time the article never gives: what follows is not dated by the
  stale anchor, and a relative date ("兩個月后") has nothing to count from, until a new date is stated.
* Right after a dated sentence the story is still at that date ("2023年7月,…。然而,伊利亞認為…" is c.
  2023-07), unless it says it moved on ("后来", "到了秋天", "later"): then only the year holds.
* Someone's view held now ("在Greg看来,…正在改变…", "Huang says AI is changing…") is dated by the article,
  whatever old date the story last stated.
"""

from __future__ import annotations

import re

# "当时"/"當時"/"那时(候)"/"彼时" anywhere in the sentence; in English at the head of a clause or after a
# comma ("At the time, …", "…, back then, …"), but not "at the time of writing" nor "at the time when".
THEN = re.compile(
    # Not inside other words: 适当时候 ("in due course"), 相当时间 ("quite a while"), 当时间… ("when the
    # time…"), 刹那时 ("in an instant").
    r"(?<![适適相])(?:当时|當時)(?![间間])|(?<![刹剎])(?:那时|那時)(?![间間])|彼时|彼時|"
    r"(?:^|[,;:]\s*)(?:at the time|at that time|back then)\b(?!\s+(?:of|when|that)\b)",
    re.IGNORECASE,
)

_LAUNCH_WORDS = r"(?:的)?(?:正式)?(?:发布|發布|推出|问世|問世|诞生|誕生|上线|上線|横空出世|橫空出世|爆火|走红|走紅)"
# "直到ChatGPT發布", "直到ChatGPT的发布": the story runs on until an event it does not date.
_UNTIL_ZH = re.compile(r"^\s*(?:直到|一直到)"
    # "直到最近英特尔才推出…" ("only recently did Intel launch…") is dated by its own words, not a turning point.
    r"(?!\s*(?:最近|近来|近來|近日|如今|现在|現在|目前|今天|今年|去年|前不久|不久前))"
    r"[^，,。；;]{1,30}?" + _LAUNCH_WORDS)
# "Then ChatGPT launched.", "Then came ChatGPT." (the whole sentence: "Then Intel launched its own
# accelerator." is an event of the story, not a turning point), "Until ChatGPT arrived, …".
_UNTIL_EN = re.compile(
    r"^\s*(?:then\s+(?:came\s+[^,.;]{1,40}|[^,.;]{1,40}?\b(?:launched|arrived|came out|was released|took off))"
    r"\s*[.!]?\s*$|until\s+[^,.;]{1,40}?\b(?:launched|arrived|came out|was released|took off)\b)",
    re.IGNORECASE,
)

# Words that say the story has moved on since the sentence before ("后来", "到了秋天", "later", "by the
# autumn") or tell a consequence that unfolded after it ("使得", "导致", "led to"): the anchor's month or
# day no longer holds, only its year.
MOVED_ON = re.compile(
    r"后来|後來|使得|导致|導致|以致|从而|從而|随之|隨之|随后几|隨後幾|此后|此後|之后几|之後幾|最终|最終|多年|到了(?:春|夏|秋|冬)|(?:春|夏|秋|冬)天|年底|年中|年末|"
    r"\b(?:later|eventually|afterwards|led to|as a result|over the (?:following|next)|by (?:the )?(?:spring|summer|autumn|fall|winter))\b",
    re.IGNORECASE,
)

# A view held now: a verb of holding a view followed by the present progressive ("在Greg看来,…正在改变",
# "认为,AI正在成为…"; the folded, simplified text), or a verb in the English present tense ("Huang says",
# "Su argues"). "表示"/"said" with "正在" is not one: Chinese has no tense, and what someone said in 2019 was
# in progress in 2019.
VIEW_NOW = re.compile(
    # "看来" only as "在X看来" ("in X's view"): at the head of a sentence it means "it seems".
    r"(?:在[^，,。；;]{1,20}?看来|认为|相信|觉得|坚信)[^。；;]*?(?:正在|正日益)|\b(?:says|argues|believes|thinks|insists|contends)\b",
    re.IGNORECASE,
)
# Words of recency that are relative to the time a "當時" sentence refers to ("當時,Meta剛剛推出…": just
# before then), not to the time of writing ("如今"/"目前" still are).
RECENT_THEN = ("刚刚", "刚", "不久前", "最近", "前些日子", "近日", "日前", "recently")


def is_turning_point(sentence: str) -> bool:
    """Whether an undated sentence moves the story on to an event it does not date: "直到ChatGPT發布",
    "Then ChatGPT launched". ("GPT-5发布后,…" is not: it places its own sentence, often in an article's
    first line about the time of writing, and the engine dates it from the launch when the article does.)"""
    return bool(_UNTIL_ZH.search(sentence) or _UNTIL_EN.search(sentence))
