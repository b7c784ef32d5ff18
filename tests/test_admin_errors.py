"""Plain errors in the admin: one message per mistake, in words an editor can act on, never a constraint
name, a parser's internals or a second bogus error."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import cite, make_entity, make_item
from tests.test_admin import (  # noqa: F401  (fixtures)
    editor,
    editor_client,
    errors_of,
    form_data,
    new_item_data,
    source,
    url,
    with_citation,
)
from timeline.admin_conflicts import textarea_rows
from timeline.ingest.clean import MAX_FILE_BYTES
from timeline.models import Entity, Item, ItemKind, Status

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("2015-13", "'2015-13' is not a valid calendar date: there is no month 13."),
        ("2023-02-30", "'2023-02-30' is not a valid calendar date: February 2023 has no day 30."),
        ("banana", "'banana' is not a supported EDTF date."),
    ],
)
def test_an_invalid_date_on_the_add_form_gives_one_message(editor_client, typed, message):  # noqa: F811
    response = editor_client.post(url("item_add"), new_item_data(date_edtf=typed))
    assert response.status_code == 200
    errors = errors_of(response)
    assert len(errors) == 1 and errors[0].startswith(message), errors
    assert "Error at position" not in errors[0] and "''" not in errors[0]
    assert not Item.objects.filter(slug="admin-new-item").exists()


def test_a_quote_that_is_not_verbatim_says_where_it_differs(editor_client, source):  # noqa: F811
    passage = source.passages.get(ordinal=3)
    speaker = make_entity(slug="errors-speaker")
    data = with_citation(
        new_item_data(kind=ItemKind.QUOTE, quote_text="我們會成功了。", quote_language="zh-Hant", speaker=speaker.pk),
        passage,
        "我們會成功。",
    )
    response = editor_client.post(url("item_add"), data)
    assert response.status_code == 200
    errors = errors_of(response)
    assert errors == [
        "The quote is not verbatim the text of any of its citations. It follows the cited words for 5 "
        "characters (“…我們會成功”), then has “了。” where the passage has “。”. Copy the quote from the "
        "source, or cite the words it quotes."
    ]


def test_aliases_are_typed_one_per_line(editor_client):  # noqa: F811
    # The seeded chronology knows Sam Altman (奥特曼, Sam Altman): naming him on another entity is
    # refused as a near-duplicate (issue 16), so this entity has names of its own.
    entity = make_entity(slug="errors-alias", aliases=["测试甲"])
    page = editor_client.get(url("entity_change", entity.pk))
    assert page.context["adminform"].form["aliases"].value() == "测试甲"
    data = form_data(page)
    data["aliases"] = "测试甲\r\n  奥特曼 \r\n"
    refused = editor_client.post(url("entity_change", entity.pk), data)
    assert refused.status_code == 200 and "Already known" in refused.content.decode()
    data["aliases"] = "测试甲\r\n  测试乙 \r\n\r\nTest  Person Alias\r\n测试甲"
    assert editor_client.post(url("entity_change", entity.pk), data).status_code == 302
    assert Entity.objects.get(pk=entity.pk).aliases == ["测试甲", "测试乙", "Test Person Alias"]


def test_a_user_without_staff_status_is_told_so(client, django_user_model):
    django_user_model.objects.create_user("reader", password="right-pass-1", is_staff=False)
    response = client.post(reverse("admin:login"), {"username": "reader", "password": "right-pass-1"})
    page = response.content.decode()
    assert "This account may not use the editorial admin (it has no staff status)" in page
    assert "correct username and password" not in page
    wrong = client.post(reverse("admin:login"), {"username": "reader", "password": "wrong-pass"})
    assert "The user name or the password is wrong." in wrong.content.decode()


def test_the_oversized_file_message_states_the_real_size(editor_client, source):  # noqa: F811
    size = MAX_FILE_BYTES + 1_234_567
    upload = SimpleUploadedFile("huge.txt", "段".encode() * (size // 3) + b"x" * (size % 3))
    response = editor_client.post(
        url("source_reimport", source.pk), {"step": "preview", "file": upload}
    )
    expected = f"The file is 3.2\xa0MB ({size:,} bytes); the limit is 2.0\xa0MB ({MAX_FILE_BYTES:,} bytes)"
    assert expected in response.context["form"].errors["file"][0]
    upload.seek(0)
    response = editor_client.post(
        reverse("admin:timeline_source_upload"),
        {"file": upload, "key": "huge", "title": "Huge", "publisher": "P", "language": "zh-Hans",
         "published": "2024-01-01"},
    )
    assert expected in response.context["form"].errors["file"][0]


def test_a_published_item_with_an_orphaned_citation_takes_a_correction_note(editor_client, source):  # noqa: F811
    """The issue's dead end: once a re-import orphaned its only citation, nothing could be saved."""
    item = make_item(slug="errors-orphan", status=Status.PUBLISHED)
    citation = cite(item, source.passages.get(ordinal=2), "OpenAI 成立")
    citation.status = "orphan"
    citation.save()
    data = form_data(editor_client.get(url("item_change", item.pk)))
    data["note_en"] = "Correction: the source was edited."
    response = editor_client.post(url("item_change", item.pk), data)
    assert response.status_code == 302, errors_of(response)


def test_a_published_quote_edited_to_differ_gets_one_message_saying_where(editor_client):  # noqa: F811
    item = Item.objects.published().filter(kind=ItemKind.QUOTE).order_by("slug").first()
    data = form_data(editor_client.get(url("item_change", item.pk)))
    quote = data["quote_text"]
    data["quote_text"] = quote[:5] + "X" + quote[6:]
    response = editor_client.post(url("item_change", item.pk), data)
    assert response.status_code == 200
    assert errors_of(response) == [
        "This item is published, so it must stay fully sourced. The quote is not verbatim the text of any of "
        f"its citations. It follows the cited words for 5 characters (“…{quote[:5]}”), then has "
        f"“{('X' + quote[6:])[:12]}” where the passage has “{quote[5:17]}”. Copy the quote from the source, "
        "or cite the words it quotes."
    ]
    assert Item.objects.get(pk=item.pk).quote_text == quote


@pytest.mark.parametrize(
    ("text", "cols", "rows"),
    [("", 40, 2), ("short", 40, 2), ("a" * 100, 40, 4), ("中" * 40, 40, 3), ("one\ntwo\nthree\nfour", 80, 5), ("x\n" * 100, 40, 30)],
)
def test_conflict_boxes_are_as_tall_as_their_text(text, cols, rows):
    assert textarea_rows(text, cols) == rows
