"""A throwaway PostgreSQL cluster on 127.0.0.1 for tests and benchmarks, and its pytest fixture."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import psycopg

SEARCH = (Path("/usr/local/bin"), Path("/usr/lib/postgresql"))
SYSTEM_USER = "postgres"


@dataclass(frozen=True)
class Cluster:
    url: str
    root: Path
    pg_ctl: Path


def find_binary(name: str) -> Path | None:
    """name on PATH, in /usr/local/bin, or in the newest /usr/lib/postgresql/<version>/bin."""
    found = shutil.which(name) or shutil.which(name, path=str(SEARCH[0]))
    if found:
        return Path(found)
    versions = sorted(SEARCH[1].glob("*/bin"), key=_version_key, reverse=True)
    return next((v / name for v in versions if (v / name).is_file()), None)


def _version_key(path: Path) -> tuple[int, ...]:
    return tuple(int(p) for p in path.parent.name.split(".") if p.isdigit())


def free_port() -> int:
    """A TCP port nobody listens on at 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _as_owner(command: list[str]) -> list[str]:
    # initdb refuses to run as root, so root runs the server tools as the postgres user.
    if os.geteuid() == 0:
        return ["runuser", "-u", SYSTEM_USER, "--", *command]
    return command


def start_cluster() -> Cluster:
    """initdb a fresh cluster in a temp dir (trust auth, 127.0.0.1 only) and start it."""
    initdb, pg_ctl = find_binary("initdb"), find_binary("pg_ctl")
    if initdb is None or pg_ctl is None:
        raise FileNotFoundError(
            "initdb/pg_ctl not found on PATH, /usr/local/bin, /usr/lib/postgresql"
        )
    root = Path(tempfile.mkdtemp(prefix="docker-explain-pg-"))
    if os.geteuid() == 0:
        shutil.chown(root, SYSTEM_USER, SYSTEM_USER)
    data, port = root / "data", free_port()
    try:
        init = [str(initdb), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8"]
        _run([*init, "--locale=C", "--no-sync"])
        options = f"-c listen_addresses=127.0.0.1 -p {port} -k {root}"
        log = root / "server.log"
        _run([str(pg_ctl), "-D", str(data), "-l", str(log), "-o", options, "-w", "start"])
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)
        raise
    return Cluster(f"postgresql://postgres@127.0.0.1:{port}/postgres", root, pg_ctl)


def stop_cluster(cluster: Cluster) -> None:
    """Stop the server and delete its files."""
    try:
        data = str(cluster.root / "data")
        # The files are deleted next, so the server need not checkpoint on the way down.
        _run([str(cluster.pg_ctl), "-D", data, "-m", "immediate", "-w", "stop"])
    finally:
        shutil.rmtree(cluster.root, ignore_errors=True)


def _run(command: list[str]) -> None:
    done = subprocess.run(_as_owner(command), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{command[0]} failed ({done.returncode}):\n{done.stdout}{done.stderr}")


@contextmanager
def throwaway_cluster() -> Iterator[str]:
    """The URL of a cluster that exists for the with block only."""
    cluster = start_cluster()
    try:
        yield cluster.url
    finally:
        stop_cluster(cluster)


@contextmanager
def fresh_database(server: str, prefix: str = "feedback") -> Iterator[str]:
    """The URL of a new, empty database on the server, dropped (even if in use) afterwards."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlsplit(server)._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def postgres_url() -> Iterator[str]:
    """Pytest fixture body: TEST_DATABASE_URL, else a throwaway cluster, else skip.

    With REQUIRE_POSTGRES=1 (CI) a missing initdb fails instead of skipping.
    """
    import pytest

    if url := os.environ.get("TEST_DATABASE_URL"):
        yield url
        return
    if find_binary("initdb") is None:
        reason = "PostgreSQL tests need initdb (apt install postgresql) or TEST_DATABASE_URL"
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail(f"REQUIRE_POSTGRES=1 but {reason}")
        pytest.skip(reason)
    with throwaway_cluster() as url:
        yield url


def main(argv: list[str]) -> int:
    """`python -m tests.pg start` prints shell lines exporting TEST_DATABASE_URL and PG_ROOT;
    `python -m tests.pg stop` stops the cluster PG_ROOT names. Used by .ci/run."""
    if argv[:1] == ["start"]:
        cluster = start_cluster()
        print(f"export TEST_DATABASE_URL='{cluster.url}' PG_ROOT='{cluster.root}'")
        print(f"export PG_CTL='{cluster.pg_ctl}'")
        return 0
    if argv[:1] == ["stop"]:
        root, pg_ctl = os.environ["PG_ROOT"], os.environ["PG_CTL"]
        stop_cluster(Cluster(os.environ.get("TEST_DATABASE_URL", ""), Path(root), Path(pg_ctl)))
        return 0
    print("usage: python -m tests.pg start|stop")
    return 2


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv[1:]))
