"""The source write path: atomic per file, idempotent, and explicit about what it did."""

import hashlib
import shutil
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from timeline.ingest.errors import IngestError
from timeline.ingest.pipeline import CREATED, UNCHANGED, UPDATED, import_file, source_paths
from timeline.ingest.prepare import prepare_file
from timeline.models import DateMention, Passage, Source

SOURCES = Path(__file__).resolve().parent.parent / "fixtures" / "sources"
ARTICLE = "003_ce7abde17486f85c"
INDEX = "002_ae535f2630d2a20f"
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


@pytest.fixture(autouse=True)
def _start_empty(request):
    """These tests import into an empty database; the shipped data is removed (and rolled back after)."""
    if request.node.get_closest_marker("django_db"):
        request.getfixturevalue("empty_db")


def import_all():
    return [result for path in source_paths([SOURCES]) for result in import_file(path)]


def copy_source(tmp_path: Path, stem: str, *, text: bytes | None = None, **manifest_changes) -> Path:
    """A copy of a shipped source in ``tmp_path``, optionally with new bytes and manifest fields."""
    raw = text if text is not None else (SOURCES / f"{stem}.txt").read_bytes()
    manifest = yaml.safe_load((SOURCES / f"{stem}.yaml").read_text(encoding="utf-8"))
    manifest["sha256"] = hashlib.sha256(raw).hexdigest()
    manifest.update(manifest_changes)
    (tmp_path / f"{stem}.txt").write_bytes(raw)
    (tmp_path / f"{stem}.yaml").write_text(yaml.safe_dump(manifest, allow_unicode=True), encoding="utf-8")
    return tmp_path / f"{stem}.txt"


@pytest.mark.django_db
def test_import_all_four_files_makes_thirteen_sources():
    results = import_all()
    assert [result.status for result in results] == [CREATED] * 13
    assert Source.objects.count() == 13
    for prepared in (source for path in sorted(SOURCES.glob("*.txt")) for source in prepare_file(path)):
        source = Source.objects.get(key=prepared.key)
        assert source.cleaned_text == prepared.cleaned_text
        assert source.offset_map == [list(run) for run in prepared.offset_map]
        assert source.references == list(prepared.references)
        stored = list(source.passages.values_list("ordinal", "start", "end", "text"))
        assert stored == [(p.ordinal, p.start, p.end, p.text) for p in prepared.passages]
    assert Passage.objects.count() == sum(result.passages for result in results) == 241


@pytest.mark.django_db
def test_reimport_is_unchanged_and_writes_nothing():
    import_all()
    before = dict(Source.objects.values_list("key", "updated_at"))
    with CaptureQueriesContext(connection) as queries:
        results = import_all()
    assert [result.status for result in results] == [UNCHANGED] * 13
    writes = [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith(WRITES)]
    assert writes == []
    assert dict(Source.objects.values_list("key", "updated_at")) == before


@pytest.mark.django_db
def test_manifest_change_updates_only_the_changed_fields(tmp_path):
    import_file(SOURCES / f"{ARTICLE}.txt")
    passage_ids = list(Passage.objects.values_list("pk", flat=True))
    path = copy_source(tmp_path, ARTICLE, reference_note="A better note.")
    [result] = import_file(path)
    assert result.status == UPDATED
    assert result.changed_fields == ["reference_note"]
    assert (result.passages_created, result.passages_updated, result.passages_deleted) == (0, 0, 0)
    assert Source.objects.get(key="q-star-exposed").reference_note == "A better note."
    assert list(Passage.objects.values_list("pk", flat=True)) == passage_ids


@pytest.mark.django_db
def test_changed_text_updates_passages_in_place(tmp_path):
    import_file(SOURCES / f"{ARTICLE}.txt")
    first = Passage.objects.get(source__key="q-star-exposed", ordinal=1)
    raw = (SOURCES / f"{ARTICLE}.txt").read_bytes().replace("三种猜测\n".encode(), b"")
    [result] = import_file(copy_source(tmp_path, ARTICLE, text=raw))
    assert result.status == UPDATED
    assert {"raw_text", "raw_sha256", "cleaned_text", "offset_map"} <= set(result.changed_fields)
    assert (result.passages_created, result.passages_deleted) == (0, 1)
    assert result.passages == 41
    assert Passage.objects.get(pk=first.pk).text == first.text  # untouched passages keep their rows
    assert "三种猜测" not in Source.objects.get(key="q-star-exposed").cleaned_text


@pytest.mark.django_db
def test_a_failure_inside_a_file_leaves_nothing_of_it(tmp_path):
    """The fifth post's key belongs to another file: the first four posts are rolled back too."""
    import_file(SOURCES / f"{ARTICLE}.txt")
    manifest = yaml.safe_load((SOURCES / f"{INDEX}.yaml").read_text(encoding="utf-8"))
    posts = manifest["posts"]
    posts[4] = {**posts[4], "key": "q-star-exposed"}
    path = copy_source(tmp_path, INDEX, posts=posts)
    with pytest.raises(IngestError, match="already belongs to 003_ce7abde17486f85c.txt"):
        import_file(path)
    assert list(Source.objects.values_list("key", flat=True)) == ["q-star-exposed"]
    assert Passage.objects.count() == 42


@pytest.mark.django_db
def test_model_validation_is_a_refusal(tmp_path):
    path = copy_source(tmp_path, ARTICLE, publisher="出版" * 101)
    with pytest.raises(IngestError, match="publisher"):
        import_file(path)
    assert Source.objects.count() == 0


@pytest.mark.django_db
def test_command_imports_the_default_directory_then_reports_unchanged():
    out = StringIO()
    call_command("import_sources", stdout=out)
    text = out.getvalue()
    assert "[3/4] 002_ae535f2630d2a20f.txt" in text
    assert "created   fisherdaddy-10 (13 passages)" in text
    assert text.rstrip().endswith("13 source(s) from 4 file(s): 13 created, 0 updated, 0 unchanged")
    out = StringIO()
    call_command("import_sources", stdout=out)
    assert out.getvalue().rstrip().endswith("0 created, 0 updated, 13 unchanged")


@pytest.mark.django_db
def test_command_refuses_bad_files_with_their_reasons(tmp_path):
    """Good files are imported, each bad file is refused with its reason, and the command fails."""
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "empty.yaml").write_text("kind: article\n", encoding="utf-8")
    binary = b"\x89PNG\r\n\x1a\n\x00\x00"
    (tmp_path / "binary.txt").write_bytes(binary)
    manifest = yaml.safe_load((SOURCES / f"{ARTICLE}.yaml").read_text(encoding="utf-8"))
    manifest.update(key="binary", sha256=hashlib.sha256(binary).hexdigest())
    (tmp_path / "binary.yaml").write_text(yaml.safe_dump(manifest, allow_unicode=True), encoding="utf-8")
    (tmp_path / "orphan.txt").write_text("文章。", encoding="utf-8")
    good = copy_source(tmp_path, ARTICLE)
    stale = copy_source(tmp_path, "000_88f0250da66b7718")
    stale.write_bytes(stale.read_bytes() + b"\n")
    shutil.copy(SOURCES / "000_88f0250da66b7718.yaml", tmp_path / "000_88f0250da66b7718.yaml")
    err = StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("import_sources", str(tmp_path), stdout=StringIO(), stderr=err)
    message = str(excinfo.value)
    assert "1 source(s) from 1 file(s): 1 created" in message
    assert "4 file(s) refused" in message
    assert "000_88f0250da66b7718.txt: the file's sha256 is" in message
    assert "binary content" in message
    assert "missing required field" in message  # empty.yaml is checked before empty.txt is read
    assert "orphan.yaml: manifest not found" in message
    assert "refused, nothing imported from it" in err.getvalue()
    assert list(Source.objects.values_list("key", flat=True)) == ["q-star-exposed"]
    assert good.exists()


@pytest.mark.django_db
def test_command_without_sources_fails(tmp_path):
    with pytest.raises(CommandError, match="No source files"):
        call_command("import_sources", str(tmp_path))


def test_source_paths_lists_each_source_once(tmp_path):
    for name in ("a.txt", "a.yaml", "b.yaml", "c.txt", "notes.md"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    assert source_paths([tmp_path]) == [tmp_path / "a.txt", tmp_path / "b.txt", tmp_path / "c.txt"]
    assert source_paths([tmp_path / "a.yaml", tmp_path / "a"]) == [tmp_path / "a.txt"]


@pytest.mark.django_db
def test_each_source_records_its_date_mentions_resolved_against_its_reference_date():
    """001 was written in May 2024: “6個月前” is November 2023, and 2005 is found as a year."""
    import_all()
    mentions = DateMention.objects.filter(passage__source__key="netease-openai-idealists")
    found = {(m.text, m.date, m.precision) for m in mentions}
    assert ("6個月前", "2023-11", 10) in found
    assert ("2005年", "2005", 9) in found
    for mention in DateMention.objects.select_related("passage")[:200]:
        assert mention.passage.text[mention.start : mention.end] == mention.text
    assert not DateMention.objects.filter(text__startswith="GPT").exists()
    before = DateMention.objects.count()
    import_all()  # unchanged: nothing is rebuilt
    assert DateMention.objects.count() == before
