"""Feedback writes per second on SQLite and PostgreSQL, with one and with four writer processes.

Run from the dev venv: .venv/bin/python bench/feedback_writes.py [--records N] [--runs R]
Starts a throwaway PostgreSQL cluster (tests/pg.py) unless --postgres-url is given.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

import psycopg

from bot.store import Record, hash_user, open_store
from tests import pg

WRITERS = (1, 4)


def write(url: str | None, data_dir: Path, worker: int, count: int, start: Any, out: Any) -> None:
    """One writer process: open the store, wait for the others, write `count` records."""
    user = hash_user("T1", f"U{worker}", "bench")
    with open_store(url, data_dir) as store:
        start.wait()
        began = time.perf_counter()
        for i in range(count):
            store.record(Record("upvote", "T1", user, f"worker {worker} question {i}", "volume"))
        out.put((began, time.perf_counter()))


def run(url: str | None, data_dir: Path, writers: int, records: int) -> float:
    """Writes per second from the first writer starting to the last one finishing."""
    spawn = multiprocessing.get_context("spawn")
    start, out = spawn.Barrier(writers), spawn.Queue()
    each = records // writers
    procs = [
        spawn.Process(target=write, args=(url, data_dir, w, each, start, out))
        for w in range(writers)
    ]
    for p in procs:
        p.start()
    spans: list[tuple[float, float]] = [out.get(timeout=600) for _ in procs]
    for p in procs:
        p.join()
        if p.exitcode != 0:
            raise SystemExit(f"a writer failed with exit code {p.exitcode}")
    elapsed = max(end for _, end in spans) - min(began for began, _ in spans)
    return each * writers / elapsed


@contextmanager
def fresh(backend: str, server: str) -> Iterator[tuple[str | None, Path]]:
    """An empty store location: a temp SQLite data dir, or a new database on the server."""
    if backend == "postgresql":
        with pg.fresh_database(server, "bench") as url:
            yield url, Path("unused")
    else:
        with tempfile.TemporaryDirectory() as tmp:
            yield None, Path(tmp)


def machine(server: str) -> str:
    model = "unknown CPU"
    with open("/proc/cpuinfo") as cpuinfo:
        model = next((ln.split(":", 1)[1].strip() for ln in cpuinfo if "model name" in ln), model)
    with psycopg.connect(server) as db:
        version = db.execute("SHOW server_version").fetchone()
    cpus = len(os.sched_getaffinity(0))
    return (
        f"machine: {cpus} CPUs (nproc), {model}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        f"PostgreSQL {version[0] if version else '?'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=2000, help="records per run")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--postgres-url", help="an existing server (CREATE DATABASE rights)")
    args = parser.parse_args()
    cluster = nullcontext(args.postgres_url) if args.postgres_url else pg.throwaway_cluster()
    with cluster as server:
        print(
            f"feedback writes per second: median of {args.runs} runs, {args.records} records "
            "per run, one committed INSERT per record (SQLite WAL + synchronous=FULL; "
            "PostgreSQL fsync on)"
        )
        print(machine(server))
        print(f"{'backend':<12}{'writers':>8}{'writes/s':>10}   runs")
        for backend in ("sqlite", "postgresql"):
            for writers in WRITERS:
                rates = []
                for _ in range(args.runs):
                    with fresh(backend, server) as (url, data_dir):
                        rates.append(run(url, data_dir, writers, args.records))
                runs = " ".join(f"{r:.0f}" for r in rates)
                print(f"{backend:<12}{writers:>8}{statistics.median(rates):>10.0f}   {runs}")


if __name__ == "__main__":
    main()
