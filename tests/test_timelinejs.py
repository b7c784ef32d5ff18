"""The TimelineJS 3 export: the pure builder (no database) and /api/timelinejs.json on the shipped data.

TimelineJS itself renders the export in tests/test_timelinejs_browser.py; here the shape, the dates at
their precision, the escaping and the filters are pinned down.
"""

import datetime
import json
from types import SimpleNamespace

import pytest
from django.utils.html import escape

from timeline import timelinejs
from timeline.filters import FilterForm
from timeline.models import Item

LABELS = {"sources": "Sources:", "open_item": "Open", "home": "Home"}


def absolute(path: str) -> str:
    return f"https://chronology.example{path}"


def document(edtf="2023-11", **changes) -> dict:
    """A minimal item document of the shape timeline.documents.item_document returns."""
    doc = {
        "id": "board-fires-altman",
        "kind": "event",
        "url": "/items/board-fires-altman/",
        "importance": 3,
        "date": {"edtf": edtf, "start": "2023-11-01", "end": "2023-11-30", "precision": "month",
                 "label": {"en": "November 2023", "zh": "2023年11月"}},
        "title": {"en": "The board fires <Altman> & co", "zh": "董事会解雇奥特曼"},
        "summary": {"en": "A \"sudden\" vote.", "zh": "突然的投票。"},
        "note": None,
        "quote": None,
        "era": {"id": "board-crisis", "name": {"en": "The board crisis", "zh": "董事会危机"}},
        "citations": [
            {
                "source": {"id": "q-star-exposed", "title": "Q*", "publisher": "虎嗅", "language": "zh-Hans"},
                "id": 31,
                "url": "/sources/q-star-exposed/?hl=31#p-12",
                "passage": {"id": 7, "ordinal": 12, "url": "/sources/q-star-exposed/#p-12"},
                "selector": {"exact": "董事会<b>解雇</b>了奥特曼"},
            }
        ],
    }
    doc.update(changes)
    return doc


@pytest.mark.parametrize(
    "edtf, start, end",
    [
        ("2015", {"year": 2015}, None),
        ("2016~", {"year": 2016}, None),
        ("2018-02", {"year": 2018, "month": 2}, None),
        ("2024-05-13", {"year": 2024, "month": 5, "day": 13}, None),
        ("2023?", {"year": 2023}, None),
        ("2023-11/2024-05", {"year": 2023, "month": 11}, {"year": 2024, "month": 5}),
        ("2019/2020-03-01", {"year": 2019}, {"year": 2020, "month": 3, "day": 1}),
    ],
)
def test_dates_keep_each_point_at_its_own_precision(edtf, start, end):
    """A year is never turned into 1 January: TimelineJS gets only the parts we know."""
    result = timelinejs.dates(edtf)
    assert result["start_date"] == start
    assert result.get("end_date") == end


def test_event_fields():
    event = timelinejs.event(document(), language="en", absolute=absolute, labels=LABELS)
    assert event["start_date"] == {"year": 2023, "month": 11}
    assert "end_date" not in event
    assert event["display_date"] == "November 2023"
    assert event["group"] == "The board crisis"
    assert event["unique_id"] == "board-fires-altman"
    assert event["text"]["headline"] == "The board fires &lt;Altman&gt; &amp; co"


def test_slides_are_the_cited_sentences_with_translation_and_highlighted_source_links():
    """Media-free: the cited words (escaped), their English translation, an absolute link to the sentence
    highlighted in the source reader (?hl=), then the summary and the item link."""
    translations = {31: "The board <fired> Altman"}
    event = timelinejs.event(document(), language="en", absolute=absolute, labels=LABELS, translations=translations)
    assert "media" not in event
    assert event["text"]["text"] == (
        '<blockquote lang="zh-Hans">董事会&lt;b&gt;解雇&lt;/b&gt;了奥特曼</blockquote>'
        '<p class="tl-translation" lang="en">The board &lt;fired&gt; Altman</p>'
        '<p class="tl-source"><a href="https://chronology.example/sources/q-star-exposed/?hl=31#p-12">虎嗅 ¶12</a></p>'
        "<p>A &quot;sudden&quot; vote.</p>"
        '<p><a href="https://chronology.example/items/board-fires-altman/">Open</a></p>'
    )
    chinese = timelinejs.event(document(), language="zh", absolute=absolute, labels=LABELS, translations=translations)
    assert "fired" not in chinese["text"]["text"] and "?hl=31#p-12" in chinese["text"]["text"]


def test_quotes_carry_the_original_the_translation_and_the_speaker():
    quote = {
        "text": "我们会成功。",
        "language": "zh-Hans",
        "translation": {"en": "We will succeed."},
        "speaker": {"id": "ilya-sutskever", "name": {"en": "Ilya Sutskever", "zh": "伊利亚"}},
    }
    english = timelinejs.event(document(quote=quote, kind="quote"), language="en", absolute=absolute, labels=LABELS)
    assert english["text"]["text"].startswith(
        '<blockquote lang="zh-Hans">我们会成功。</blockquote><p class="tl-translation" lang="en">We will succeed.</p>'
    )
    assert "<p>— Ilya Sutskever</p>" in english["text"]["text"]
    chinese = timelinejs.event(document(quote=quote, kind="quote"), language="zh", absolute=absolute, labels=LABELS)
    assert "We will succeed." not in chinese["text"]["text"]
    assert "<p>— 伊利亚</p>" in chinese["text"]["text"]
    assert chinese["display_date"] == "2023年11月" and chinese["group"] == "董事会危机"


def test_build_has_a_title_slide_events_and_only_the_eras_the_items_touch():
    eras = [
        SimpleNamespace(name_en="Prelude", name_zh="前史", start=datetime.date(2005, 1, 1), end=datetime.date(2014, 12, 31)),
        SimpleNamespace(name_en="Crisis", name_zh="危机", start=datetime.date(2023, 11, 1), end=datetime.date(2023, 12, 31)),
    ]
    data = timelinejs.build(
        [document()], eras=eras, language="en", absolute=absolute, title="T <1>", description="D & d",
        home_url="https://chronology.example/", labels=LABELS,
    )
    assert data["title"] == {
        "text": {"headline": "T &lt;1&gt;", "text": '<p>D &amp; d</p><p><a href="https://chronology.example/">Home</a></p>'}
    }
    assert [e["unique_id"] for e in data["events"]] == ["board-fires-altman"]
    assert data["eras"] == [
        {"start_date": {"year": 2023, "month": 11, "day": 1}, "end_date": {"year": 2023, "month": 12, "day": 31},
         "text": {"headline": "Crisis"}}
    ]


def test_build_without_items_has_no_events_and_no_eras():
    data = timelinejs.build([], eras=[], language="en", absolute=absolute, title="T", description="D",
                            home_url="/", labels=LABELS)
    assert data["events"] == [] and data["eras"] == []


def test_a_malformed_date_is_an_error_not_a_silent_1_january():
    with pytest.raises(ValueError):
        timelinejs.date_object("November 2023")


# -- the endpoint ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_export_has_one_event_per_filtered_item_in_order(client):
    query = {"person": "sam-altman", "from": "2023"}
    response = client.get("/api/timelinejs.json", query)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    form = FilterForm(query)
    # The page's order: items inside the window first, those that only overlap it (say 2022/2025-08) after.
    expected = list(form.in_order(form.apply(Item.objects.published())).values_list("slug", flat=True))
    assert [event["unique_id"] for event in data["events"]] == expected
    inside = {item.slug for item in form.apply(Item.objects.published()) if item.date_start >= datetime.date(2023, 1, 1)}
    assert inside and set(expected[: len(inside)]) == inside and len(inside) < len(expected)
    assert data["title"]["text"]["headline"] == "OpenAI chronology · Sam Altman, from 2023"
    assert "http://testserver/?person=sam-altman&amp;from=2023" in data["title"]["text"]["text"]


@pytest.mark.django_db
def test_every_shipped_item_exports_with_its_precision_and_an_absolute_citation_link(client):
    data = json.loads(client.get("/api/timelinejs.json").content)
    items = {item.slug: item for item in Item.objects.published()}
    assert len(data["events"]) == len(items)
    for event in data["events"]:
        item = items[event["unique_id"]]
        parts = {9: {"year"}, 10: {"year", "month"}, 11: {"year", "month", "day"}}[item.date_precision]
        if not item.date.is_interval:
            assert set(event["start_date"]) == parts, event
        assert event["display_date"] == item.date.label_en
        assert event["group"] == item.era.name_en
        # Every cited sentence, and every link to it carries its highlight.
        for citation in item.citations.all():
            assert f'?hl={citation.pk}#p-{citation.passage.ordinal}"' in event["text"]["text"]
            assert escape(citation.exact) in event["text"]["text"]
            if citation.translation_en:
                assert escape(citation.translation_en) in event["text"]["text"]
        assert "media" not in event
    assert {era["text"]["headline"] for era in data["eras"]} == {item.era.name_en for item in items.values()}


@pytest.mark.django_db
def test_export_in_chinese(client):
    data = json.loads(client.get("/api/timelinejs.json", {"lang": "zh", "era": "founding"}).content)
    first = Item.objects.published().filter(era__slug="founding").chronological().first()
    assert data["events"][0]["text"]["headline"] == first.title_zh
    assert data["events"][0]["display_date"] == first.date.label_zh


@pytest.mark.django_db
def test_export_is_strict_about_parameters_like_the_api(client):
    response = client.get("/api/timelinejs.json", {"person": "nobody"})
    assert response.status_code == 400
    assert "person" in json.loads(response.content)["detail"]


@pytest.mark.django_db
def test_export_is_cacheable_and_readable_cross_origin(client):
    response = client.get("/api/timelinejs.json")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "public" in response["Cache-Control"]
    again = client.get("/api/timelinejs.json", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert again["Access-Control-Allow-Origin"] == "*"
