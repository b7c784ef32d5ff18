"""gunicorn really serves the app: migrate a fresh database, start it, request pages."""

import os
import subprocess
import sys
from pathlib import Path

from timeline.benchmarks.serve import Gunicorn

ROOT = Path(__file__).resolve().parents[1]


def test_gunicorn_serves_the_timeline(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        TIMELINE_VAR_DIR=str(tmp_path),
        DJANGO_SECRET_KEY="serve-test",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_COOKIES="0",
        DJANGO_HSTS_SECONDS="0",
        DJANGO_SETTINGS_MODULE="timeline.settings",
    )
    env.pop("DATABASE_URL", None)  # its own SQLite file, whatever the suite runs on
    for command in (["migrate", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, timeout=300)
    with Gunicorn(env) as server:
        body, _ = server.get("/")
        assert "<html" in body.decode() and "OpenAI" in body.decode()
        assert server.get("/healthz")[0] == b"ok"
