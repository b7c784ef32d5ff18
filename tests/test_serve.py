"""gunicorn really serves the app: migrate a fresh database, start it, request pages."""

import subprocess
import sys
from pathlib import Path

from timeline.benchmarks.serve import Gunicorn, plain_http_env

ROOT = Path(__file__).resolve().parents[1]


def test_gunicorn_serves_the_timeline(tmp_path):
    env = plain_http_env(tmp_path, "serve-test")
    env.pop("DATABASE_URL", None)  # its own SQLite file, whatever the suite runs on
    for command in (["migrate", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, timeout=300)
    with Gunicorn(env) as server:
        body, _ = server.get("/")
        assert "<html" in body.decode() and "OpenAI" in body.decode()
        assert server.get("/healthz")[0] == b"ok"
