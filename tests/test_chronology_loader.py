"""load_chronology: idempotent upserts, offsets computed at load time, loud failures that write nothing."""

import shutil
from io import StringIO

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from timeline.chronology import load
from timeline.models import Citation, Item

pytestmark = pytest.mark.django_db


def copy_chronology(tmp_path, edit=None):
    target = tmp_path / "chronology"
    shutil.copytree(settings.CHRONOLOGY_DIR, target)
    if edit:
        items = yaml.safe_load((target / "items.yaml").read_text(encoding="utf-8"))
        edit(items)
        (target / "items.yaml").write_text(yaml.safe_dump(items, allow_unicode=True), encoding="utf-8")
    return target


def test_loading_again_changes_nothing():
    """The test database already holds the shipped chronology: a second load is all unchanged."""
    before = dict(Item.objects.values_list("slug", "updated_at"))
    citations = set(Citation.objects.values_list("pk", flat=True))
    out = StringIO()
    call_command("load_chronology", stdout=out)
    assert f"items: 0 created, 0 updated, {len(before)} unchanged" in out.getvalue()
    assert dict(Item.objects.values_list("slug", "updated_at")) == before
    assert set(Citation.objects.values_list("pk", flat=True)) == citations


def test_offsets_are_computed_from_the_cited_text():
    """Files carry no offsets; every stored selector matches its passage exactly."""
    for citation in Citation.objects.select_related("passage"):
        assert citation.passage.text[citation.start : citation.end] == citation.exact
        assert citation.passage.text[: citation.start].endswith(citation.prefix)
        assert citation.passage.text[citation.end :].startswith(citation.suffix)


def test_an_unanchorable_citation_fails_naming_the_item_and_text(tmp_path):
    def edit(items):
        items[0]["citations"][0]["exact"] = "這句話不在任何文章裡。"
        items[1]["title"]["en"] = "Changed title that must not be saved"

    directory = copy_chronology(tmp_path, edit)
    slug, second = yaml.safe_load((directory / "items.yaml").read_text("utf-8"))[0:2]
    with pytest.raises(CommandError) as excinfo:
        call_command("load_chronology", str(directory), stdout=StringIO())
    message = str(excinfo.value)
    assert f"item {slug['id']!r}" in message and "這句話不在任何文章裡。" in message
    assert Item.objects.get(slug=second["id"]).title_en != "Changed title that must not be saved"


def test_an_edit_updates_one_item_and_a_removed_entry_is_reported_not_deleted(tmp_path):
    removed = {}

    def edit(items):
        items[3]["importance"] = 3 if items[3]["importance"] != 3 else 2
        removed.update(items.pop())

    report = load(copy_chronology(tmp_path, edit))
    assert len(report.updated) == 1 and report.not_in_files == [removed["id"]]
    assert Item.objects.filter(slug=removed["id"]).exists()
    assert f"left as they are: {removed['id']}" in report.summary()


def test_a_quote_must_equal_one_of_its_citations(tmp_path):
    def edit(items):
        quote = next(item for item in items if item["kind"] == "quote")
        quote["quote"]["text"] += "（改）"

    with pytest.raises(Exception, match="quote text is not the exact text"):
        load(copy_chronology(tmp_path, edit))
