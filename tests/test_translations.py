"""English evidence for English readers: every citation carries the editors' translation of its span,
shown on the item page, in the source reader, in the API; check_provenance reports what is missing,
stray spaces in Chinese text, and quotes whose first citation is not the quoted words."""


import html
from pathlib import Path

import pytest

from tests.factories import cite, make_entity, make_item, make_source
from tests.test_provenance import run_check
from timeline.documents import item_document
from timeline.models import Citation, Item
from timeline.scripts import stray_spaces, to_simplified

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "offsets"),
    [
        ("学者。 辛顿给了他", [3]),  # folded YAML after a full stop
        ("十年的成果， 引发产业界", [6]),  # after a full-width comma
        ("代表的加速派 主张先扩大", [6]),  # between two Han characters
        ("他说： “好”", [3]),  # after a full-width colon, before a quotation mark
        ("OpenAI 于 2015 年成立", []),  # Chinese beside Latin text and digits keeps its spaces
        ("Sam Altman 是 CEO。", []),
        ("“我们会回来。” OpenAI", [8]),  # no space after CJK punctuation, even before Latin
        ("", []),
    ],
)
def test_stray_spaces_in_chinese(text, offsets):
    assert stray_spaces(text) == offsets


def test_traditional_is_rendered_in_simplified_script():
    assert to_simplified("奧特曼說，我們會回來。") == "奥特曼说，我们会回来。"


def test_the_particle_zhe_becomes_simplified_but_not_the_zhu_of_writings():
    """著 as the aspect particle is 着 in simplified script (the NetEase article's "操著一口東歐口音"),
    while 著 in 著名/著作 stays; the length never changes (offsets into the text stay valid)."""
    source = (Path(__file__).resolve().parent.parent / "fixtures" / "sources").glob("001_*.txt")
    text = next(source).read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if "操著" in line)
    assert "操着一口" in to_simplified(line)
    assert to_simplified("他看著我們，著名的著作") == "他看着我们，著名的著作"
    assert len(to_simplified(text)) == len(text)


def _only_mine(report: str, slug: str) -> list[str]:
    return [line for line in report.splitlines() if f" {slug}:" in line]


def test_a_citation_without_translation_is_reported():
    source = make_source(key="tr-source")
    item = make_item(slug="untranslated")
    cite(item, source.passages.get(ordinal=2), "OpenAI 成立")
    ok, report = run_check()
    assert not ok
    assert _only_mine(report, "untranslated") == [
        "ERROR untranslated: citation of tr-source ¶2 has no English translation of “OpenAI 成立”"
    ]


def test_a_stray_space_in_a_zh_field_is_reported():
    source = make_source(key="sp-source")
    item = make_item(slug="spaced", summary_zh="OpenAI 成立。 马斯克出资。")
    cite(item, source.passages.get(ordinal=2), "OpenAI 成立", translation="OpenAI is founded")
    ok, report = run_check()
    assert _only_mine(report, "spaced") == [
        "ERROR spaced: summary_zh has a stray space in Chinese text at 10: “AI 成立。 马斯克出资”"
    ]


def test_a_quote_whose_first_citation_is_scene_setting_is_reported():
    source = make_source(key="q-source", text="那天晚上他们在餐厅见面。\n\n奥特曼说：“我们会回来。”")
    speaker = make_entity()
    quote = make_item(slug="late-quote", kind="quote", quote_text="我们会回来。", quote_language="zh-Hans",
                      speaker=speaker)
    cite(quote, source.passages.get(ordinal=1), "那天晚上他们在餐厅见面", translation="That evening they met")
    cite(quote, source.passages.get(ordinal=2), "我们会回来。", translation="We will be back.")
    ok, report = run_check()
    assert _only_mine(report, "late-quote") == [
        "ERROR late-quote: the first citation of the quote is not the quoted words; "
        "cite the quote's own sentence first"
    ]


def test_a_complete_item_has_no_problems():
    source = make_source(key="ok-source")
    item = make_item(slug="complete", summary_zh="OpenAI 于 2015 年成立。")
    cite(item, source.passages.get(ordinal=2), "OpenAI 成立", translation="OpenAI is founded")
    _, report = run_check()
    assert _only_mine(report, "complete") == []


def test_editorial_problems_warn_but_do_not_block_publishing():
    from timeline import workflow

    source = make_source(key="wf-source")
    item = make_item(slug="wf-item", status="review", summary_zh="成立。 出资。")
    cite(item, source.passages.get(ordinal=2), "OpenAI 成立")
    assert workflow.publish_refusals(item) == []
    assert workflow.editorial_warnings(item) == [
        "Citation of wf-source ¶2 has no English translation of “OpenAI 成立”.",
        "Summary_zh has a stray space in Chinese text at 3: “成立。 出资。”.",
    ]


def test_documents_and_pages_carry_the_translation(client):
    source = make_source(key="hant-source", language="zh-Hant", text="第一段。\n\n奧特曼說，我們會回來。")
    item = make_item(slug="translated")
    citation = cite(item, source.passages.get(ordinal=2), "我們會回來", translation="We will be back")
    document = item_document(Item.objects.for_documents().get(slug="translated"))
    assert document["citations"][0]["translation"] == {"en": "We will be back", "zh_hans": "我们会回来"}
    page = client.get("/items/translated/?lang=en").content.decode()
    assert "We will be back" in page and "editors’ translation" in page and "我们会回来" in page
    reader = client.get(f"/sources/hant-source/?hl={citation.pk}").content.decode()
    assert '<dd><span class="label">Translation:</span> <span lang="en">We will be back</span></dd>' in reader
    assert '<div class="current">' in reader
    api = client.get("/api/items/", {"source": "hant-source"}).json()
    assert api["results"][0]["citations"][0]["translation"]["en"] == "We will be back"


def test_a_simplified_source_has_no_conversion():
    source = make_source(key="hans-source")
    item = make_item(slug="hans-item")
    cite(item, source.passages.get(ordinal=2), "OpenAI 成立", translation="OpenAI is founded")
    document = item_document(Item.objects.for_documents().get(slug="hans-item"))
    assert document["citations"][0]["translation"] == {"en": "OpenAI is founded", "zh_hans": None}


def test_the_widget_shows_each_citation_with_its_translation_escaped(client):
    """Every citation of a card, in its passage's fold: the cited words (in the source's language) and the
    editors' English translation, labelled and marked ``lang="en"``; in Chinese, a traditional source also
    gets its automatic simplified rendering, labelled as such. Text from sources is escaped."""
    source = make_source(key="hant-widget", language="zh-Hant", text="第一段。\n\n奧特曼說，我們會回來。<b>不</b>")
    item = make_item(slug="widget-translated")
    passage = source.passages.get(ordinal=2)
    cite(item, passage, "我們會回來", translation='We will be back <script>alert("x")</script> & more')
    cite(item, passage, "奧特曼說", translation="Altman said")
    html = client.get("/embed/", {"focus": "widget-translated", "limit": "1"}).content.decode()
    assert '<summary>Source (1) and the cited words in English</summary>' in html
    assert html.count('<p class="tl-cited"><q lang="zh-Hant">') == 2  # both citations, one passage, one link
    assert '<p class="tl-cited"><q lang="zh-Hant">我們會回來</q></p>' in html
    assert (
        '<p class="tl-tr">Translation: <q lang="en">We will be back &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; '
        "&amp; more</q></p>"
    ) in html
    assert '<p class="tl-tr">Translation: <q lang="en">Altman said</q></p>' in html
    assert "<script>alert" not in html and "simplified script" not in html
    zh = client.get("/embed/", {"focus": "widget-translated", "limit": "1", "lang": "zh"}).content.decode()
    assert '<p class="tl-tr">简体（自动转换）： <q lang="zh-Hans">我们会回来</q></p>' in zh
    assert '<p class="tl-tr">译文： <q lang="en">Altman said</q></p>' in zh


def test_every_shipped_citation_translation_is_in_the_widget(client):
    """On the shipped chronology, page by page: each citation's English translation is in the widget."""
    expected = {c.translation_en for c in Citation.objects.filter(item__status="published")}
    shown = "".join(client.get("/embed/", {"limit": "100", "page": str(page)}).content.decode() for page in (1, 2))
    missing = [t for t in expected if f'<q lang="en">{html.escape(t)}</q>' not in shown]
    assert expected and missing == []
