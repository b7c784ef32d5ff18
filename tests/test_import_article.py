"""``manage.py import_article``: the dry run's JSON against its schema, and the import through the one write path."""

import json
from io import StringIO
from pathlib import Path

import jsonschema
import pytest
from django.core.management import CommandError, call_command

from timeline.models import DateMention, Passage, Source

PAGES = Path(__file__).parent / "data" / "pages"
SCHEMA = json.loads(
    (Path(__file__).parents[1] / "timeline" / "schemas" / "article_import.schema.json").read_text("utf-8")
)


def _dry_run(*args) -> dict:
    out = StringIO()
    call_command("import_article", *args, "--dry-run", "--json", stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(path.name for path in PAGES.iterdir()))
def test_dry_run_json_matches_schema_and_writes_nothing(name):
    """Every test page's dry run is valid against the schema kept in the repo, and nothing is written."""
    before = Source.objects.count()
    document = _dry_run(str(PAGES / name))
    jsonschema.Draft202012Validator(SCHEMA).validate(document)
    assert document["passages"]
    assert Source.objects.count() == before


@pytest.mark.django_db
def test_options_override_and_lines_toggle():
    """Options override detected values, and --keep/--drop change which lines are article text."""
    path = str(PAGES / "hk01-altman-fired.txt")
    first = _dry_run(path)
    tags = next(line for line in first["dropped"] if line["text"].startswith("#OpenAI"))
    document = _dry_run(path, "--title", "OpenAI fires Altman", "--publisher", "香港01", "--keep", str(tags["line"]))
    assert document["title"] == "OpenAI fires Altman"
    assert document["origins"]["title"] == "given"
    assert document["publisher"] == "香港01"
    assert document["passages"][-1]["text"] == "#OpenAI #人工智能"


@pytest.mark.django_db
def test_import_creates_an_idempotent_source():
    """The import writes the source, passages and date mentions once; the same page again changes nothing."""
    path = str(PAGES / "cna-gpt4o.html")
    out = StringIO()
    call_command("import_article", path, "--key", "cna-gpt4o", stdout=out)
    assert out.getvalue().startswith("created   cna-gpt4o")
    source = Source.objects.get(key="cna-gpt4o")
    assert source.raw_text.startswith("<!DOCTYPE html>")
    assert source.published.isoformat() == "2024-05-14"
    assert Passage.objects.filter(source=source).count() == 4
    assert DateMention.objects.filter(passage__source=source).exists()
    out = StringIO()
    call_command("import_article", path, "--key", "cna-gpt4o", stdout=out)
    assert out.getvalue().startswith("unchanged cna-gpt4o")


@pytest.mark.django_db
def test_taken_key_is_refused():
    call_command("import_article", str(PAGES / "cna-gpt4o.html"), "--key", "taken", stdout=StringIO())
    with pytest.raises(CommandError, match="belongs to another source"):
        call_command("import_article", str(PAGES / "verge-gpt5.html"), "--key", "taken", stdout=StringIO())
    assert Source.objects.get(key="taken").title.startswith("OpenAI推出GPT-4o")


@pytest.mark.django_db
def test_wrong_year_needs_confirming():
    """A publication year the dateline contradicts stops the import until confirmed."""
    path = str(PAGES / "udn-board-crisis.txt")
    document = _dry_run(path, "--published", "2024-11-22")
    assert [w["code"] for w in document["warnings"] if w["confirm"]] == ["published-contradicts-dateline"]
    with pytest.raises(CommandError, match="contradicts the page's dateline"):
        call_command("import_article", path, "--key", "udn", "--published", "2024-11-22", stdout=StringIO())
    assert not Source.objects.filter(key="udn").exists()
    call_command("import_article", path, "--key", "udn", "--published", "2024-11-22", "--confirm",
                 stdout=StringIO())
    assert Source.objects.get(key="udn").reference_date.isoformat() == "2024-11-22"


@pytest.mark.django_db
def test_bad_input_is_a_clear_refusal(tmp_path):
    before = Source.objects.count()
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)) * 8)
    with pytest.raises(CommandError, match="Nothing was imported.*binary"):
        call_command("import_article", str(binary), stdout=StringIO())
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_article", str(tmp_path / "missing.txt"), stdout=StringIO())
    with pytest.raises(CommandError, match="only http"):
        call_command("import_article", "ftp://example.org/a.txt", stdout=StringIO())
    assert Source.objects.count() == before


@pytest.mark.django_db
def test_an_article_already_imported_needs_allow_duplicate():
    """The refusal says how to update the existing source (its re-import) and how to keep a second copy;
    the second way then works."""
    path = str(PAGES / "cna-gpt4o.html")
    call_command("import_article", path, "--key", "cna-first", stdout=StringIO())
    with pytest.raises(CommandError) as refused:
        call_command("import_article", path, "--key", "cna-second", stdout=StringIO())
    message = str(refused.value)
    assert "already imported as source 'cna-first'" in message and "Re-import this article" in message
    assert "--allow-duplicate" in message and "give it the key" not in message
    assert not Source.objects.filter(key="cna-second").exists()
    out = StringIO()
    call_command("import_article", path, "--key", "cna-second", "--dry-run", stdout=out)
    assert "DUPLICATE (needs --allow-duplicate)" in out.getvalue()
    call_command("import_article", path, "--key", "cna-second", "--allow-duplicate", stdout=StringIO())
    assert Source.objects.filter(key="cna-second", is_public=False).exists()
