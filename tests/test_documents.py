"""The one item document: its shape is fixed by a JSON Schema kept in the repository."""

import json
from io import StringIO
from pathlib import Path

import jsonschema
import pytest
from django.core.management import call_command

from tests.factories import cite, make_entity, make_item, make_source
from timeline.documents import item_document
from timeline.models import Item, Status

pytestmark = pytest.mark.django_db

SCHEMA = json.loads((Path(__file__).parents[1] / "timeline/schemas/item.schema.json").read_text("utf-8"))


def build_items():
    source = make_source(
        key="test-idealists",
        language="zh-Hant",
        text="序言。\n\n2018年2月，馬斯克離開董事會。\n\n“我花了5年時間才想到這一點。”辛頓說。",
    )
    musk = make_entity("test-musk", name_en="Elon Musk", name_zh="马斯克")
    hinton = make_entity("test-hinton", name_en="Geoffrey Hinton", name_zh="辛顿")
    event = make_item(slug="test-musk-leaves", date="2018-02", importance=3)
    event.people.add(musk)
    cite(event, source.passages.get(ordinal=2), "2018年2月，馬斯克離開董事會。")
    quote = make_item(
        slug="test-hinton-quote",
        date="2005~",
        kind="quote",
        quote_text="我花了5年時間才想到這一點。",
        quote_language="zh-Hant",
        quote_translation_en="It took me five years to think of that.",
        speaker=hinton,
    )
    cite(quote, source.passages.get(ordinal=3), "我花了5年時間才想到這一點。")
    make_item(slug="draft-item", status=Status.DRAFT)
    return event, quote


def test_every_shipped_item_document_matches_the_schema():
    """The real chronology, every published item, against the schema kept in the repository."""
    documents = [item_document(item) for item in Item.objects.published().for_documents()]
    assert len(documents) >= 60
    for document in documents:
        jsonschema.validate(document, SCHEMA)
    assert {d["kind"] for d in documents} == {"event", "quote"}
    assert all(d["citations"] for d in documents)


def test_event_and_quote_documents_match_the_schema():
    event, quote = build_items()
    documents = [item_document(item) for item in Item.objects.filter(pk__in=[event.pk, quote.pk]).for_documents()]
    for document in documents:
        jsonschema.validate(document, SCHEMA)
    by_id = {document["id"]: document for document in documents}
    event_doc = by_id["test-musk-leaves"]
    assert event_doc["url"] == "/items/test-musk-leaves/"
    assert event_doc["date"] == {
        "edtf": "2018-02",
        "start": "2018-02-01",
        "end": "2018-02-28",
        "precision": "month",
        "approximate": False,
        "label": {"en": "February 2018", "zh": "2018年2月"},
    }
    assert event_doc["people"] == [{"id": "test-musk", "name": {"en": "Elon Musk", "zh": "马斯克"}}]
    (citation,) = event_doc["citations"]
    assert citation["passage"]["url"] == "/sources/test-idealists/#p-2"
    assert citation["selector"]["exact"] == "2018年2月，馬斯克離開董事會。"
    assert citation["source"]["language"] == "zh-Hant"
    quote_doc = by_id["test-hinton-quote"]
    assert quote_doc["quote"]["speaker"]["id"] == "test-hinton"
    assert quote_doc["quote"]["text"] == quote_doc["citations"][0]["selector"]["exact"]
    assert quote_doc["date"]["label"]["en"] == "c. 2005"


def test_documents_are_built_in_a_constant_number_of_queries(django_assert_max_num_queries):
    """Select/prefetch keep the count flat: all shipped items cost the same queries as a handful."""
    build_items()
    with django_assert_max_num_queries(7):
        documents = [item_document(item) for item in Item.objects.all().for_documents()]
    assert len(documents) == Item.objects.count() > 60


def test_export_items_prints_published_items_and_all_with_flag():
    build_items()
    out = StringIO()
    call_command("export_items", stdout=out)
    published = json.loads(out.getvalue())
    ids = [d["id"] for d in published]
    assert len(ids) == Item.objects.published().count() and "draft-item" not in ids
    assert ids.index("test-hinton-quote") < ids.index("test-musk-leaves")  # chronological
    assert all(d["status"] == "published" for d in published)
    out = StringIO()
    call_command("export_items", "--all", stdout=out)
    everything = json.loads(out.getvalue())
    assert len(everything) == Item.objects.count() == len(ids) + 1
    assert next(d for d in everything if d["id"] == "draft-item")["status"] == "draft"
