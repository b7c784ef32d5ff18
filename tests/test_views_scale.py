"""Scale tooling: seed_synthetic writes only to a database of its own, with data shaped like the real one."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def seed(tmp_path, *args):
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.pop("DATABASE_URL", None)
    env.update(TIMELINE_VAR_DIR=str(tmp_path / "var"), DJANGO_SECRET_KEY="seed-test", DJANGO_SETTINGS_MODULE="timeline.settings")
    return subprocess.run(
        [sys.executable, "manage.py", "seed_synthetic", *args], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=300,
    )


def test_it_refuses_the_sites_own_database(tmp_path):
    """Pointing it at var/timeline.sqlite3 (the default database) must fail before writing anything."""
    own = tmp_path / "var" / "timeline.sqlite3"
    result = seed(tmp_path, "--items", "10", "--sqlite", str(own))
    assert result.returncode == 1
    assert "The target is the site's own database" in result.stderr
    assert not own.exists() or own.stat().st_size == 0


def test_it_needs_an_explicit_target(tmp_path):
    result = seed(tmp_path, "--items", "10")
    assert result.returncode == 2 and "one of the arguments --sqlite --database-url is required" in result.stderr


def test_it_fills_a_separate_database_with_consistent_items(tmp_path):
    target = tmp_path / "bench.sqlite3"
    result = seed(tmp_path, "--items", "300", "--sqlite", str(target))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("300 items (")
    db = sqlite3.connect(target)
    assert db.execute("SELECT COUNT(*) FROM timeline_item").fetchone() == (300,)
    assert db.execute("SELECT COUNT(*) FROM timeline_item WHERE search_text = ''").fetchone() == (0,)
    assert db.execute("SELECT COUNT(DISTINCT date_precision) FROM timeline_item").fetchone() == (3,)
    assert db.execute("SELECT COUNT(*) FROM timeline_item WHERE kind = 'quote'").fetchone()[0] > 30
    # Every citation is exact: its text is the passage's text at its offsets.
    rows = db.execute(
        "SELECT c.exact, p.text, c.start, c.\"end\" FROM timeline_citation c JOIN timeline_passage p ON p.id = c.passage_id"
    ).fetchall()
    assert rows and all(text[start:end] == exact for exact, text, start, end in rows)
    # A second run without --replace refuses to mix its rows with what is there.
    again = seed(tmp_path, "--items", "10", "--sqlite", str(target))
    assert again.returncode == 1 and "--replace" in again.stderr


@pytest.mark.django_db
def test_the_seeded_shape_is_read_by_the_same_views(tmp_path):
    """The synthetic eras share the real slugs, so benchmark URLs such as era=chatgpt are valid."""
    from timeline.synthetic import ERAS

    assert [slug for slug, _, _ in ERAS][:4] == ["prelude", "founding", "pivot", "chatgpt"]
