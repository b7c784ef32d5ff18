"""Backup and restore as the README documents it: dumpdata from the live database, loaddata into a
freshly migrated one, and nothing is lost (every item document of every status, every source with
its text, passages and date mentions, the edit history and the editors)."""

import io
import json
import os
import stat
import subprocess
import sys
from contextlib import redirect_stdout
from pathlib import Path

import pytest
import yaml
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command

from tests.factories import make_item
from timeline.models import Item, Source, Status

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[1]

# Runs in the restored database (and in this one) and prints what must survive, as JSON.
SNAPSHOT = """
import hashlib, json
import django
django.setup()
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, User
from timeline.documents import item_document
from timeline.models import Citation, Item, Source

def digest(text):
    return hashlib.sha256(text.encode()).hexdigest()

items = {item.slug: item_document(item) | {"search_text": item.search_text,
         "published_at": item.published_at.isoformat() if item.published_at else None}
         for item in Item.objects.all().for_documents()}
sources = {
    s.key: {
        "fields": [s.title, s.publisher, s.author, s.original_url, s.language, str(s.published),
                   str(s.reference_date), s.reference_note, s.file_name, s.raw_sha256, s.references, s.offset_map],
        "raw": digest(s.raw_text), "cleaned": digest(s.cleaned_text),
        "passages": [(p.ordinal, p.start, p.end, digest(p.text),
                      [(m.start, m.end, m.text, m.date, m.precision, m.approximate) for m in p.date_mentions.all()])
                     for p in s.passages.prefetch_related("date_mentions")],
    }
    for s in Source.objects.all()
}
history = {
    "items": sorted((h.slug, h.status, h.history_type, h.history_user.username if h.history_user else None)
                    for h in Item.history.all()),
    "citations": Citation.history.count(),
    "sources": Source.history.count(),
}
admin_log = sorted((e.user.username, e.content_type.model, e.object_repr, e.action_flag, e.change_message)
                   for e in LogEntry.objects.all())
users = sorted((u.username, u.password, u.is_staff, sorted(g.name for g in u.groups.all())) for u in User.objects.all())
groups = sorted((g.name, sorted(p.codename for p in g.permissions.all())) for g in Group.objects.all())
print(json.dumps({"items": items, "sources": sources, "history": history, "users": users, "groups": groups,
                  "admin_log": admin_log},
                 sort_keys=True, ensure_ascii=False))
"""


def snapshot_here() -> dict:
    namespace = {}
    out = io.StringIO()
    with redirect_stdout(out):
        exec(SNAPSHOT.replace("django.setup()", ""), namespace)
    return json.loads(out.getvalue())


def shipped_published_items() -> int:
    """How many published items fixtures/chronology/items.yaml ships; the test database loads them all."""
    path = Path(__file__).resolve().parent.parent / "fixtures" / "chronology" / "items.yaml"
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    return sum(1 for entry in entries if entry.get("status", "published") == "published")


def test_dump_and_restore_into_a_fresh_database_loses_nothing(tmp_path):
    editor = User.objects.create_user("editor", password="correct horse battery staple", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editor"))
    draft = make_item(slug="draft-to-back-up", status=Status.DRAFT, title_zh="草稿")
    draft.title_en = "A draft, edited"
    draft.save()  # a second history row
    log_a_change(editor)
    backup = tmp_path / "backup.yaml.gz"
    call_command("backup", str(backup), stdout=io.StringIO())
    before = snapshot_here()
    assert len(before["items"]) == shipped_published_items() + 1 and len(before["sources"]) == 13
    assert before["history"]["items"], "the edit history is part of the backup"

    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(TIMELINE_VAR_DIR=str(tmp_path), DJANGO_SECRET_KEY="restore-test",
               DJANGO_SETTINGS_MODULE="timeline.settings", DATABASE_URL=f"sqlite:///{tmp_path / 'restored.sqlite3'}")

    def run(*args):
        result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr[-2000:]
        return result.stdout

    run(sys.executable, "manage.py", "migrate", "--noinput", "-v0")
    assert f"Restored 13 sources and {shipped_published_items() + 1} items" in run(sys.executable, "manage.py", "restore", str(backup))
    after = json.loads(run(sys.executable, "-c", SNAPSHOT))

    assert after["sources"] == before["sources"]
    assert after["items"].keys() == before["items"].keys()
    for slug, document in before["items"].items():
        restored = after["items"][slug]
        # Citations are ordered by their source's publication date, and sources without one sort last
        # on PostgreSQL but first on SQLite; the backup may cross engines, so compare them as a set.
        for doc in (document, restored):
            doc["citations"].sort(key=lambda c: (c["source"]["id"], c["passage"]["ordinal"], c["selector"]["start"]))
        assert restored == document, slug
    assert after["history"] == before["history"]
    assert after["users"] == before["users"] and after["groups"] == before["groups"]
    assert after["admin_log"] == before["admin_log"] and len(before["admin_log"]) == 1
    assert backup.read_bytes()[:2] == b"\x1f\x8b", "compressed, as the name asks"


def test_restore_refuses_a_database_that_has_data(tmp_path):
    backup = tmp_path / "backup.yaml"
    call_command("backup", str(backup), stdout=io.StringIO())
    with pytest.raises(CommandError, match="already holds sources or items"):
        call_command("restore", str(backup))


def test_finding_3_a_damaged_backup_with_flush_changes_nothing(tmp_path):
    """Issue 12, finding 3: ``restore --flush`` emptied the database before finding the file damaged."""
    backup = tmp_path / "backup.yaml"
    call_command("backup", str(backup), stdout=io.StringIO())
    text = backup.read_text(encoding="utf-8")
    damaged = tmp_path / "damaged.yaml"
    damaged.write_text(text[: len(text) * 2 // 3] + "\n- model: timeline.item\n  fields: {broken", encoding="utf-8")
    counts = (Item.objects.count(), Source.objects.count(), User.objects.count())
    assert counts[0] > 100
    with pytest.raises(CommandError, match="nothing was changed"):
        call_command("restore", str(damaged), flush=True, stdout=io.StringIO())
    assert (Item.objects.count(), Source.objects.count(), User.objects.count()) == counts


def log_a_change(user) -> None:
    item = Item.objects.published().first()
    LogEntry.objects.log_actions(user.pk, [item], CHANGE, change_message="Changed title (backup test).",
                                 single_object=True)


def test_backups_are_private_and_hold_the_admin_log(tmp_path, admin_user):
    """Issue 12, finding 8: backups hold password hashes and were world-readable; the admin log was missing."""
    log_a_change(admin_user)
    backup = tmp_path / "backup.yaml"
    backup.write_text("old")
    backup.chmod(0o644)
    call_command("backup", str(backup), stdout=io.StringIO())
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert "model: admin.logentry" in backup.read_text(encoding="utf-8")
    fresh = tmp_path / "fresh.yaml.gz"
    old_umask = os.umask(0o022)
    try:
        call_command("backup", str(fresh), stdout=io.StringIO())
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o600


def test_a_truncated_gzip_backup_is_refused_with_the_underlying_reason(tmp_path):
    backup = tmp_path / "backup.yaml.gz"
    call_command("backup", str(backup), stdout=io.StringIO())
    data = backup.read_bytes()
    truncated = tmp_path / "truncated.yaml.gz"
    truncated.write_bytes(data[: len(data) // 2])
    counts = (Item.objects.count(), Source.objects.count())
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(truncated), flush=True, stdout=io.StringIO())
    message = str(refused.value)
    assert "nothing was changed" in message
    reason = message.rsplit("nothing was changed:", 1)[1]
    # Not Django's bare "Problem installing fixture '…': " with nothing after it.
    assert not reason.rstrip().endswith(":") and "end-of-stream" in reason, message
    assert (Item.objects.count(), Source.objects.count()) == counts
