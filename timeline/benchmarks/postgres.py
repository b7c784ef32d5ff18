"""A private, throwaway PostgreSQL cluster for the benchmarks that compare SQLite and PostgreSQL.

``TIMELINE_BENCH_POSTGRES_URL`` (a server URL such as ``postgres://user@host:5432/postgres``, where
the benchmarks may create and drop their own databases) wins. Otherwise, when Debian's PostgreSQL
binaries are installed (``/usr/lib/postgresql/<version>/bin``), a cluster is created in a temporary
directory and started on a free loopback port, without durability (a benchmark database is rebuilt
when lost), as ``.ci/run`` does; it is stopped and removed on exit. Root runs it as ``postgres``.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import urllib.parse
from contextlib import contextmanager

from timeline.benchmarks.serve import free_port

ENV_URL = "TIMELINE_BENCH_POSTGRES_URL"


def binaries() -> str | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    return os.path.dirname(found[-1]) if found else None


@contextmanager
def server(keep_in: str | os.PathLike | None = None):
    """Yield a server URL (``postgres://…/postgres``), or None when no PostgreSQL is available.

    ``keep_in``: a directory for the cluster that outlives the run (its databases are reused next
    time, as the SQLite benchmark files are); otherwise a temporary one, removed afterwards.
    """
    given = os.environ.get(ENV_URL)
    if given:
        yield given
        return
    bin_dir = binaries()
    if bin_dir is None:
        yield None
        return
    if keep_in is not None:
        data = os.fspath(keep_in)
        os.makedirs(data, exist_ok=True)
    else:
        data = tempfile.mkdtemp(prefix="timeline-bench-pg-")
    as_postgres = []
    if os.geteuid() == 0:
        shutil.chown(data, "postgres")
        os.chmod(data, 0o700)
        as_postgres = ["runuser", "-u", "postgres", "--"]
    port = free_port()
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    if not os.path.exists(os.path.join(data, "PG_VERSION")):
        subprocess.run([*as_postgres, f"{bin_dir}/initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E",
                        "UTF8", "--locale=C.UTF-8"], check=True, **quiet)
    options = (f"-p {port} -k {data} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "
               "-c full_page_writes=off")
    subprocess.run([*as_postgres, f"{bin_dir}/pg_ctl", "-D", data, "-l", f"{data}/server.log", "-w", "-o", options,
                    "start"], check=True, **quiet)
    try:
        yield f"postgres://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*as_postgres, f"{bin_dir}/pg_ctl", "-D", data, "-m", "fast", "-w", "stop"], **quiet)
        if keep_in is None:
            shutil.rmtree(data, ignore_errors=True)


def database_url(server_url: str, name: str) -> str:
    return urllib.parse.urlsplit(server_url)._replace(path=f"/{name}").geturl()


def database_exists(server_url: str, name: str) -> bool:
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as connection:
        return connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None


def recreate_database(server_url: str, name: str) -> str:
    """Drop and create database ``name`` on the server; returns its URL."""
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return database_url(server_url, name)


def drop_database(server_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
