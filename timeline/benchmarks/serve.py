"""gunicorn on a free loopback port, for the benchmarks and the serve test: one launcher for all."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
START_SECONDS = 60


def plain_http_env(var_dir, secret: str, **extra: str) -> dict:
    """The environment of a process with the production settings served over plain HTTP on loopback
    (no HTTPS redirect, no secure-only cookies, no HSTS), its files under ``var_dir``: this process's
    environment without any ``DJANGO_`` setting, then ``extra``."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(
        TIMELINE_VAR_DIR=str(var_dir),
        DJANGO_SECRET_KEY=secret,
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_COOKIES="0",
        DJANGO_HSTS_SECONDS="0",
        DJANGO_SETTINGS_MODULE="timeline.settings",
        **extra,
    )
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Gunicorn:
    """``gunicorn timeline.wsgi`` from this virtualenv, started on entry once ``/healthz`` answers.

    ``host`` only names the server in :attr:`base` (``localhost`` gives a second origin next to a
    server on ``127.0.0.1``); it always binds to 127.0.0.1.
    """

    def __init__(self, env: dict, *, workers: int = 1, threads: int = 1, host: str = "127.0.0.1"):
        self.env = env
        self.workers = workers
        self.threads = threads
        self.port = free_port()
        self.base = f"http://{host}:{self.port}"
        self.process = None

    def __enter__(self) -> Gunicorn:
        self.log = tempfile.TemporaryFile()  # a file, not a pipe: a full pipe would stall gunicorn
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "timeline.wsgi", "--bind", f"127.0.0.1:{self.port}",
             "--workers", str(self.workers), "--threads", str(self.threads), "--log-level", "warning"],
            cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=self.log,
        )
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        return self
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.1)
        stderr = self.stop()
        raise RuntimeError(f"gunicorn did not start within {START_SECONDS} s: {stderr[-2000:]}")

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self) -> str:
        """Terminate (kill after 15 s); returns what gunicorn wrote to stderr."""
        if self.process is None:
            return ""
        if self.process.poll() is None:
            self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None
        self.log.seek(0)
        stderr = self.log.read().decode(errors="replace")
        self.log.close()
        return stderr

    def get(self, path: str) -> tuple[bytes, str]:
        with urllib.request.urlopen(self.base + path, timeout=30) as response:
            return response.read(), response.headers.get("Content-Type", "")
