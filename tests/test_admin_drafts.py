"""Draft revisions of published items (timeline.drafts): edits saved as a draft stay off the public site,
the live version keeps showing, and an editor publishes them later with one labelled history entry."""

import pytest

from tests.test_admin import editor, editor_client, errors_of, form_data, url  # noqa: F401  (fixtures)
from timeline.models import Item, ItemDraftRevision, Status, Tag

pytestmark = pytest.mark.django_db


def test_a_draft_revision_keeps_the_live_item_until_it_is_published(client, editor_client, editor):  # noqa: F811
    item = Item.objects.published().order_by("slug").first()
    live_title, live_version = item.title_en, item.version
    tag = Tag.objects.exclude(pk__in=item.tags.values("pk")).order_by("slug").first()
    data = form_data(editor_client.get(url("item_change", item.pk)))
    data["title_en"] = "A reworded title, not public yet"
    data["tags"] = [*data.get("tags", []), str(tag.pk)]
    data["_save_draft"] = "Save my edits as a draft revision"
    response = editor_client.post(url("item_change", item.pk), data)
    assert response.status_code == 302, errors_of(response)

    item.refresh_from_db()
    assert (item.title_en, item.version, item.tags.filter(pk=tag.pk).exists()) == (live_title, live_version, False)
    public = client.get(item.get_absolute_url()).content.decode()
    assert live_title in public and "A reworded title" not in public
    page = editor_client.get(url("item_change", item.pk)).content.decode()
    assert "A draft revision by editor" in page and "A reworded title, not public yet" in page

    history_before = item.history.count()
    published = editor_client.post(url("item_draft_publish", item.pk), {"version": item.version})
    assert published.status_code == 302
    item.refresh_from_db()
    assert item.title_en == "A reworded title, not public yet" and item.tags.filter(pk=tag.pk).exists()
    assert item.status == Status.PUBLISHED and not ItemDraftRevision.objects.filter(item=item).exists()
    assert item.history.count() == history_before + 1
    latest = item.history.latest()
    assert latest.history_change_reason.startswith("Published the draft revision by editor")
    assert latest.tags.filter(tag=tag).exists()
    assert "A reworded title, not public yet" in client.get(item.get_absolute_url()).content.decode()


def test_a_stale_draft_publish_and_a_discard_change_nothing(editor_client):  # noqa: F811
    item = Item.objects.published().order_by("slug").first()
    data = form_data(editor_client.get(url("item_change", item.pk)))
    data["summary_en"] = "Draft summary."
    data["_save_draft"] = "1"
    editor_client.post(url("item_change", item.pk), data)
    refused = editor_client.post(url("item_draft_publish", item.pk), {"version": item.version - 1 or 99}, follow=True)
    assert "The draft revision was not published." in refused.content.decode()
    assert Item.objects.get(pk=item.pk).summary_en == item.summary_en
    editor_client.post(url("item_draft_discard", item.pk))
    assert not ItemDraftRevision.objects.filter(item=item).exists()
    assert Item.objects.get(pk=item.pk).summary_en == item.summary_en


def test_publishing_a_draft_never_undoes_a_later_edit_of_the_live_item(editor_client):  # noqa: F811
    item = Item.objects.published().order_by("slug").first()
    draft_data = form_data(editor_client.get(url("item_change", item.pk)))
    draft_data["title_en"] = "Title from the draft"
    draft_data["_save_draft"] = "1"
    assert editor_client.post(url("item_change", item.pk), draft_data).status_code == 302
    assert set(ItemDraftRevision.objects.get(item=item).values) == {"title_en"}

    # Someone edits another field of the live item: the draft still publishes, and keeps that edit.
    live = form_data(editor_client.get(url("item_change", item.pk)))
    live["summary_en"] = "Summary edited on the live item."
    assert editor_client.post(url("item_change", item.pk), live).status_code == 302
    item.refresh_from_db()
    assert editor_client.post(url("item_draft_publish", item.pk), {"version": item.version}).status_code == 302
    item.refresh_from_db()
    assert (item.title_en, item.summary_en) == ("Title from the draft", "Summary edited on the live item.")

    # A draft of a field the live item changed since is refused, saying which field.
    draft_data = form_data(editor_client.get(url("item_change", item.pk)))
    draft_data["summary_en"] = "Summary from a second draft."
    draft_data["_save_draft"] = "1"
    editor_client.post(url("item_change", item.pk), draft_data)
    live = form_data(editor_client.get(url("item_change", item.pk)))
    live["summary_en"] = "Summary edited again on the live item."
    editor_client.post(url("item_change", item.pk), live)
    item.refresh_from_db()
    refused = editor_client.post(url("item_draft_publish", item.pk), {"version": item.version}, follow=True)
    assert "the live item changed in the same field (summary en)" in refused.content.decode()
    item.refresh_from_db()
    assert item.summary_en == "Summary edited again on the live item."
