"""The item history editors can use (timeline.revisions, timeline.admin_history): one history entry per
save, a field-by-field comparison that includes citations and people / organisations / tags, and
restoring a single field (labelled as a restore) without touching the others."""

import re
from pathlib import Path

import pytest
import yaml
from django.urls import reverse

from tests.factories import cite, make_item
from tests.test_admin import editor, editor_client, errors_of, form_data, source, url, with_citation  # noqa: F401
from timeline.chronology import LOADED, load
from timeline.models import Item, Status, Tag

pytestmark = pytest.mark.django_db


@pytest.fixture
def edited(editor_client, source):  # noqa: F811
    """An item saved twice through the admin: a new title, summary, two tags and a new citation."""
    item = make_item(slug="history-fields", status=Status.DRAFT, title_en="First title", summary_en="First summary.")
    cite(item, source.passages.get(ordinal=2), "OpenAI 成立")
    data = form_data(editor_client.get(url("item_change", item.pk)))
    data["title_en"] = "Second title"
    data["summary_en"] = "Second summary."
    data["tags"] = [str(pk) for pk in Tag.objects.order_by("slug").values_list("pk", flat=True)[:2]]
    data = with_citation(data, source.passages.get(ordinal=2), "2015年12月", index=1)
    response = editor_client.post(url("item_change", item.pk), data)
    assert response.status_code == 302, errors_of(response)
    return item


def test_one_save_makes_one_history_entry(edited):
    assert list(edited.history.values_list("history_type", flat=True)) == ["~", "+"]
    latest = edited.history.latest()
    assert sorted(latest.tags.values_list("tag__slug", flat=True)) == sorted(Tag.objects.order_by("slug").values_list("slug", flat=True)[:2])


def test_a_revision_is_compared_field_by_field_with_links_and_citations(editor_client, edited):  # noqa: F811
    latest = edited.history.latest()
    page = editor_client.get(url("item_revision", edited.pk, latest.history_id))
    changes = {c.name: c for c in page.context["changes"]}
    assert (changes["title_en"].before, changes["title_en"].after) == ("First title", "Second title")
    names = ", ".join(Tag.objects.order_by("pk").filter(pk__in=Tag.objects.order_by("slug").values("pk")[:2]).values_list("name_en", flat=True))
    assert (changes["tags"].before, changes["tags"].after) == ("—", names)
    assert changes["citations"].changed
    assert "“2015年12月” (exact)" in changes["citations"].after and "2015年12月" not in changes["citations"].before
    assert not changes["importance"].changed
    history = editor_client.get(url("item_history", edited.pk)).content.decode()
    assert "compare field by field" in history


def test_restoring_one_field_keeps_the_others_and_is_labelled(editor_client, edited, editor):  # noqa: F811
    first = edited.history.earliest()
    edited.refresh_from_db()
    response = editor_client.post(
        url("item_restore_field", edited.pk, first.history_id, "title_en"), {"version": edited.version}
    )
    assert response.status_code == 302
    edited.refresh_from_db()
    assert (edited.title_en, edited.summary_en, edited.tags.count()) == ("First title", "Second summary.", 2)
    latest = edited.history.latest()
    assert latest.history_change_reason == f"Restored title en from revision #{first.history_id}"
    assert latest.history_user == editor


def test_restoring_links_and_refusing_a_stale_restore(editor_client, edited):  # noqa: F811
    first = edited.history.earliest()
    stale = edited.version
    edited.refresh_from_db()
    ok = editor_client.post(url("item_restore_field", edited.pk, first.history_id, "tags"), {"version": edited.version})
    assert ok.status_code == 302
    edited.refresh_from_db()
    assert edited.tags.count() == 0 and edited.history.latest().tags.count() == 0
    refused = editor_client.post(
        url("item_restore_field", edited.pk, first.history_id, "summary_en"), {"version": stale}, follow=True
    )
    assert "Nothing was restored. This item was saved by someone else" in refused.content.decode()
    edited.refresh_from_db()
    assert edited.summary_en == "Second summary."


def test_the_whole_revision_restore_is_labelled(editor_client, edited):  # noqa: F811
    first = edited.history.earliest()
    revert_url = reverse("admin:timeline_item_simple_history", args=[edited.pk, first.history_id])
    assert editor_client.post(revert_url, form_data(editor_client.get(revert_url))).status_code == 302
    edited.refresh_from_db()
    assert edited.title_en == "First title"
    assert edited.history.latest().history_change_reason == f"Restored the whole revision #{first.history_id}"


def test_fields_that_cannot_be_restored_alone_are_refused_plainly(editor_client, edited):  # noqa: F811
    first = edited.history.earliest()
    for name in ("citations", "status", "no-such-field"):
        response = editor_client.post(url("item_restore_field", edited.pk, first.history_id, name), follow=True)
        assert response.status_code == 200
        assert "cannot be restored on its own" in response.content.decode()
    edited.refresh_from_db()
    assert edited.title_en == "Second title"


def test_an_item_loaded_from_the_fixtures_starts_with_one_history_entry():
    """load_chronology writes fields, links and citations of an item as one entry (not one per link)."""
    counts = {}
    for item in Item.objects.prefetch_related("tags", "people", "organizations"):
        records = list(item.history.all())
        counts[len(records)] = counts.get(len(records), 0) + 1
        if len(records) == 1:
            record = records[0]
            assert record.history_type == "+" and record.history_change_reason == LOADED
            assert sorted(record.tags.values_list("tag_id", flat=True)) == sorted(t.pk for t in item.tags.all())
            assert sorted(record.people.values_list("entity_id", flat=True)) == sorted(e.pk for e in item.people.all())
    assert counts == {1: Item.objects.count()}


def test_loading_changed_fixtures_again_adds_one_entry_per_changed_item(tmp_path, settings):
    item = Item.objects.order_by("slug").first()
    directory = Path(settings.BASE_DIR) / "fixtures" / "chronology"
    for path in directory.iterdir():
        if path.is_file():
            (tmp_path / path.name).write_bytes(path.read_bytes())
    items = yaml.safe_load((tmp_path / "items.yaml").read_text(encoding="utf-8"))
    entries = items["items"] if isinstance(items, dict) else items
    entry = next(e for e in entries if e["id"] == item.slug)
    entry["tags"] = [slug for slug in entry.get("tags", [])][:-1] if entry.get("tags") else [Tag.objects.first().slug]
    entry["title"]["en"] = entry["title"]["en"] + " (reworded)"
    (tmp_path / "items.yaml").write_text(yaml.safe_dump(items, allow_unicode=True, sort_keys=False), encoding="utf-8")
    load(tmp_path)
    assert item.history.count() == 2
    latest = item.history.latest()
    assert latest.title_en.endswith("(reworded)") and latest.history_change_reason == LOADED
    assert sorted(latest.tags.values_list("tag__slug", flat=True)) == sorted(Item.objects.get(pk=item.pk).tags.values_list("slug", flat=True))
    others = Item.objects.exclude(pk=item.pk)
    assert all(other.history.count() == 1 for other in others)


def test_the_history_table_has_readable_column_labels(editor_client, edited):  # noqa: F811
    page = editor_client.get(url("item_history", edited.pk)).content.decode()
    headers = re.findall(r'<th scope="col">\s*([^<]*?)\s*</th>', page)
    assert "Compare" in headers and "Status" in headers
    assert not any("_" in header for header in headers)
    assert "compare field by field" in page
    zh = editor_client.get(url("item_history", edited.pk), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert ">比较</th>" in re.sub(r"\s+", "", zh) and "逐字段比较" in zh


def test_a_history_row_without_a_change_reason_shows_a_dash_not_none(editor_client):  # noqa: F811
    item = make_item(slug="no-reason", date="2024-05-13", status=Status.DRAFT)
    assert item.history.latest().history_change_reason is None
    page = editor_client.get(reverse("admin:timeline_item_history", args=[item.pk])).content.decode()
    assert not re.search(r"<td>\s*None\s*</td>", page)
    assert re.search(r"<td>\s*—\s*</td>", page)
