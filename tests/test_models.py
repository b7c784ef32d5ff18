"""The provenance model: citations must fit their passage, and the database holds the invariants."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests.factories import cite, make_entity, make_item, make_source
from timeline.models import Citation, Item, Passage

pytestmark = pytest.mark.django_db


def test_a_citation_of_the_right_span_is_accepted_with_context():
    source = make_source()
    passage = source.passages.get(ordinal=2)
    item = make_item()
    citation = cite(item, passage, "2015年12月")
    citation.refresh_from_db()
    assert (citation.start, citation.end) == (7, 15)
    assert citation.prefix == "第二段有日期："
    assert citation.suffix == "，OpenAI 成立。"
    assert citation.status == "exact" and citation.verified_at is not None


def test_a_citation_whose_text_is_not_at_its_offsets_is_refused():
    passage = make_source().passages.get(ordinal=2)
    item = make_item()
    before = Citation.objects.count()
    wrong = Citation(item=item, passage=passage, exact="2015年12月", start=0, end=8)
    with pytest.raises(ValidationError) as excinfo:
        wrong.save()
    message = excinfo.value.message_dict["exact"][0]
    assert "not the cited “2015年12月”" in message and "It occurs at 7–15" in message
    with pytest.raises(ValidationError):
        Citation(item=item, passage=passage, exact="不存在", start=0, end=3).full_clean()
    with pytest.raises(ValidationError, match="outside the passage"):
        Citation(item=item, passage=passage, exact="x", start=100, end=101).save()
    assert Citation.objects.count() == before


def test_offsets_count_code_points_outside_the_basic_multilingual_plane():
    """𠀋 (U+2000B) and 🚀 are one code point each in Python but two UTF-16 units in a browser."""
    text = "𠀋字🚀之後，奧特曼復職。"
    passage = make_source(text=text).passages.get()
    item = make_item()
    citation = cite(item, passage, "奧特曼復職")
    assert (citation.start, citation.end) == (6, 11)
    assert passage.text[6:11] == "奧特曼復職"
    assert len(passage.text[:6].encode("utf-16-le")) // 2 == 8  # what a browser would report
    with pytest.raises(ValidationError):  # UTF-16 offsets are wrong here and are refused
        Citation(item=item, passage=passage, exact="奧特曼復職", start=8, end=13).save()


def test_item_dates_are_derived_from_edtf_on_save():
    item = make_item(date="2023-11/2024-05")
    item.refresh_from_db()
    assert (str(item.date_start), str(item.date_end), item.precision_name) == ("2023-11-01", "2024-05-31", "month")


def test_a_quote_needs_text_and_speaker():
    with pytest.raises(ValidationError):
        Item(slug="q", kind="quote", date_edtf="2024", title_en="t", title_zh="t").full_clean()
    speaker = make_entity()
    quote = Item(slug="q", kind="quote", date_edtf="2024", title_en="t", title_zh="t", quote_text="我們", speaker=speaker)
    quote.full_clean()


@pytest.mark.parametrize(
    "change",
    [
        {"importance": 4},
        {"importance": 0},
        {"date_precision": 12},
        {"kind": "rumour"},
        {"status": "secret"},
        {"quote_text": "an event with a quote"},
    ],
)
def test_item_constraints_are_enforced_by_the_database(change):
    """QuerySet.update bypasses model validation; the database must still refuse."""
    item = make_item()
    with pytest.raises(IntegrityError), transaction.atomic():
        Item.objects.filter(pk=item.pk).update(**change)


def test_bounds_must_be_ordered_in_the_database():
    item = make_item(date="2016")
    with pytest.raises(IntegrityError), transaction.atomic():
        Item.objects.filter(pk=item.pk).update(date_end="2015-01-01")


def test_unique_slugs_and_passage_ordinals():
    make_item(slug="same")
    with pytest.raises(IntegrityError), transaction.atomic():
        Item.objects.bulk_create([Item(slug="same", date_edtf="2015", date_start="2015-01-01",
                                       date_end="2015-12-31", date_precision=9, title_en="x", title_zh="x")])
    source = make_source()
    with pytest.raises(IntegrityError), transaction.atomic():
        Passage.objects.create(source=source, ordinal=1, start=0, end=2, text="重複")
    with pytest.raises(IntegrityError), transaction.atomic():
        Passage.objects.create(source=source, ordinal=9, start=5, end=5, text="")


def test_citation_offsets_must_be_ordered_in_the_database():
    passage = make_source().passages.get(ordinal=2)
    citation = cite(make_item(), passage, "2015年12月")
    with pytest.raises(IntegrityError), transaction.atomic():
        Citation.objects.filter(pk=citation.pk).update(end=citation.start)


@pytest.mark.postgres
def test_postgresql_names_the_violated_constraint():
    """Runs only on PostgreSQL (CI's second pass): the error names the check constraint."""
    item = make_item()
    with pytest.raises(IntegrityError, match="item_importance_1_3"), transaction.atomic():
        Item.objects.filter(pk=item.pk).update(importance=9)
