"""Settings come from the environment and refuse to start without a secret when debug is off."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_python(code: str, tmp_path, **env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    clean.update(TIMELINE_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="timeline.settings", **env)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60
    )


def test_refuses_to_start_without_a_secret_when_debug_is_off(tmp_path):
    result = run_python("import django; django.setup()", tmp_path)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "DJANGO_SECRET_KEY is not set" in result.stderr


def test_reads_the_secret_from_the_environment_or_var(tmp_path):
    code = "import django; django.setup(); from django.conf import settings; print(settings.SECRET_KEY)"
    assert run_python(code, tmp_path, DJANGO_SECRET_KEY="from-env").stdout.strip() == "from-env"
    (tmp_path / "secret_key").write_text("from-file\n")
    assert run_python(code, tmp_path).stdout.strip() == "from-file"


def test_database_url_and_sqlite_default(tmp_path):
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "d = settings.DATABASES['default']; print(d['ENGINE'], d['NAME'])"
    )
    default = run_python(code, tmp_path, DJANGO_SECRET_KEY="x").stdout.split()
    assert default == ["django.db.backends.sqlite3", str(tmp_path / "timeline.sqlite3")]
    pg = run_python(code, tmp_path, DJANGO_SECRET_KEY="x", DATABASE_URL="postgres://u:p@db:5432/tl").stdout.split()
    assert pg == ["django.db.backends.postgresql", "tl"]


def test_debug_is_off_unless_set(tmp_path):
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    assert run_python(code, tmp_path, DJANGO_SECRET_KEY="x").stdout.strip() == "False"
    assert run_python(code, tmp_path, DJANGO_DEBUG="1").stdout.strip() == "True"


def test_an_empty_secret_file_is_reported_as_empty(tmp_path):
    (tmp_path / "secret_key").write_text("")
    result = run_python("import django; django.setup()", tmp_path)
    assert result.returncode != 0
    assert "var/secret_key is empty" in result.stderr and "does not exist" not in result.stderr


def test_make_secret_key_needs_the_venv_python_and_leaves_no_empty_file(tmp_path):
    """`make var/secret_key` before the venv exists builds the venv first; when that fails, no (empty) key
    file is left behind. With a python present it writes a non-empty key."""
    var, venv = tmp_path / "var", tmp_path / "venv"
    failed = subprocess.run(
        ["make", "-s", f"VAR={var}", f"VENV={venv}", "PYTHON=false", f"{var}/secret_key"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )
    assert failed.returncode != 0
    assert not (var / "secret_key").exists() and not (var / "secret_key.tmp").exists()
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").symlink_to(sys.executable)
    made = subprocess.run(
        ["make", "-s", f"VAR={var}", f"VENV={venv}", f"{var}/secret_key"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )
    assert made.returncode == 0, made.stderr
    assert len((var / "secret_key").read_text().strip()) > 40
