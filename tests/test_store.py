"""The feedback store on SQLite and on a real PostgreSQL: round trips, privacy, schema, failures."""

from __future__ import annotations

import multiprocessing
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest

from bot.store import (
    BUSY_TIMEOUT_MS,
    SCHEMA_VERSION,
    SQLITE_FILE,
    Record,
    StoreError,
    hash_user,
    open_store,
    to_sqlalchemy_url,
)
from tests import pg

KEY = "test-secret"
RAW_USER = "U0RAWUSER42"
NOW = datetime.now(UTC).replace(microsecond=123456)

postgres_url = pytest.fixture(scope="session")(pg.postgres_url)


@dataclass(frozen=True)
class Target:
    """Where a store lives: a database URL (None for SQLite) and the data directory."""

    database_url: str | None
    data_dir: Path

    def rows(self) -> list[tuple[Any, ...]]:
        """Every row of every table, read past the store with the plain driver."""
        if self.database_url is None:
            with closing(sqlite3.connect(self.data_dir / SQLITE_FILE)) as db:
                listed = "SELECT name FROM sqlite_master WHERE type='table'"
                names = [n for (n,) in db.execute(listed)]
                return [row for n in names for row in db.execute(f'SELECT * FROM "{n}"')]
        with psycopg.connect(self.database_url) as db:
            listed = "SELECT table_name FROM information_schema.tables WHERE table_schema='public'"
            names = [n for (n,) in db.execute(listed)]
            return [row for n in names for row in db.execute(f'SELECT * FROM "{n}"')]


@pytest.fixture(params=["sqlite", "postgresql"])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Target]:
    """An empty SQLite data dir, or a fresh database on the test PostgreSQL."""
    if request.param == "sqlite":
        yield Target(None, tmp_path / "data")
        return
    with pg.fresh_database(request.getfixturevalue("postgres_url")) as url:
        yield Target(url, tmp_path / "unused")


def vote(question: str, at: datetime | None = None, kind: str = "upvote") -> Record:
    return Record(kind, "T1", hash_user("T1", RAW_USER, KEY), question, "volume", at)


def test_a_record_reads_back_exactly_as_written_oldest_first(target: Target) -> None:
    written = [
        vote("newest", NOW),
        Record("declined", "T2", hash_user("T2", "U9", KEY), "how to fly *fast*?", None, NOW),
        vote("oldest", NOW - timedelta(days=3), kind="downvote"),
    ]
    with open_store(target.database_url, target.data_dir) as store:
        for r in written:
            store.record(r)
        assert store.records() == [written[2], written[0], written[1]]


def test_records_since_leaves_out_older_ones(target: Target) -> None:
    with open_store(target.database_url, target.data_dir) as store:
        store.record(vote("old", NOW - timedelta(days=10)))
        store.record(vote("new", NOW - timedelta(days=1)))
        assert [r.question for r in store.records(since=NOW - timedelta(days=2))] == ["new"]


def test_the_raw_user_id_is_never_stored(target: Target) -> None:
    with open_store(target.database_url, target.data_dir) as store:
        store.record(vote("what is a volume"))
    cells = [str(cell) for row in target.rows() for cell in row]
    assert hash_user("T1", RAW_USER, KEY) in cells
    assert not any(RAW_USER in cell for cell in cells)
    if target.database_url is None:
        for file in target.data_dir.iterdir():
            assert RAW_USER.encode() not in file.read_bytes(), file


def test_opening_twice_keeps_records_and_one_schema_version(target: Target) -> None:
    with open_store(target.database_url, target.data_dir) as store:
        store.record(vote("kept"))
    with open_store(target.database_url, target.data_dir) as store:
        assert [r.question for r in store.records()] == ["kept"]
        assert store.schema_version() == SCHEMA_VERSION
    assert [row for row in target.rows() if row == (SCHEMA_VERSION,)] == [(SCHEMA_VERSION,)]


def test_a_schema_newer_than_the_bot_is_refused(target: Target) -> None:
    open_store(target.database_url, target.data_dir).close()
    statement = "UPDATE feedback_schema SET version = 99"
    if target.database_url is None:
        with closing(sqlite3.connect(target.data_dir / SQLITE_FILE)) as lite, lite:
            lite.execute(statement)
    else:
        with psycopg.connect(target.database_url) as db:
            db.execute(statement)
    with pytest.raises(StoreError, match="newer"):
        open_store(target.database_url, target.data_dir)


def test_purge_deletes_only_records_older_than_the_window(target: Target) -> None:
    with open_store(target.database_url, target.data_dir) as store:
        for days in (100, 91, 89, 0):
            store.record(vote(f"{days} days ago", NOW - timedelta(days=days)))
        assert store.purge(90) == 2
        assert [r.question for r in store.records()] == ["89 days ago", "0 days ago"]
        assert store.purge(90) == 0


def test_a_postgres_scheme_url_is_accepted(postgres_url: str) -> None:
    paas_url = postgres_url.replace("postgresql://", "postgres://", 1)
    with open_store(paas_url, Path("unused")) as store:
        assert store.backend == "postgresql"
        store.record(vote("from a dyno"))
        assert "from a dyno" in [r.question for r in store.records()]
        store.purge(0)


def test_both_paas_spellings_map_to_the_psycopg_driver() -> None:
    assert to_sqlalchemy_url("postgres://u:p@h:5/db") == "postgresql+psycopg://u:p@h:5/db"
    assert to_sqlalchemy_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert to_sqlalchemy_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"


def test_without_a_database_url_the_store_is_an_sqlite_file_in_wal_mode(tmp_path: Path) -> None:
    data_dir = tmp_path / "created" / "on" / "first" / "use"
    with open_store(None, data_dir) as store:
        assert store.backend == "sqlite"
    with closing(sqlite3.connect(data_dir / SQLITE_FILE)) as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_an_unreachable_postgresql_raises_store_error() -> None:
    closed = f"postgresql://postgres@127.0.0.1:{pg.free_port()}/postgres"
    with pytest.raises(StoreError) as raised:
        open_store(closed, Path("unused"))
    assert raised.value.__cause__ is not None


def test_an_unwritable_sqlite_path_raises_store_error(tmp_path: Path) -> None:
    # A path below a regular file cannot be created even by root.
    (tmp_path / "a-file").write_text("")
    with pytest.raises(StoreError):
        open_store(None, tmp_path / "a-file" / "data")


def test_record_raises_store_error_when_the_database_goes_away(postgres_url: str) -> None:
    with pg.fresh_database(postgres_url, "doomed") as url:
        store = open_store(url, Path("unused"))
        store.record(vote("before"))
    with pytest.raises(StoreError):
        store.record(vote("after"))
    store.close()


def test_a_write_survives_its_pooled_connection_being_killed(postgres_url: str) -> None:
    with pg.fresh_database(postgres_url) as url, open_store(url, Path("unused")) as store:
        store.record(vote("before"))
        with psycopg.connect(url, autocommit=True) as admin:
            kill = "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            admin.execute(f"{kill} WHERE datname = current_database() AND pid <> pg_backend_pid()")
        store.record(vote("after"))
        assert [r.question for r in store.records()] == ["before", "after"]


def test_a_write_waits_out_a_lock_held_longer_than_the_busy_timeout(tmp_path: Path) -> None:
    with open_store(None, tmp_path) as store:
        holder = sqlite3.connect(
            tmp_path / SQLITE_FILE, isolation_level=None, check_same_thread=False
        )
        holder.execute("BEGIN IMMEDIATE")
        release = threading.Timer(BUSY_TIMEOUT_MS / 1000 + 0.3, holder.commit)
        release.start()
        try:
            store.record(vote("written once the lock is free"))
        finally:
            release.join()
            holder.close()
        assert [r.question for r in store.records()] == ["written once the lock is free"]


def test_a_raw_user_id_is_refused_before_it_reaches_the_store() -> None:
    with pytest.raises(ValueError, match="hash_user"):
        Record("upvote", "T1", RAW_USER, "what is a volume")


def test_an_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="kind"):
        Record("meh", "T1", hash_user("T1", RAW_USER, KEY), "what is a volume")


def test_a_missing_time_is_now_and_a_naive_time_is_utc() -> None:
    before = datetime.now(UTC)
    assert before <= (vote("q").at or before) <= datetime.now(UTC)
    assert vote("q", datetime(2025, 1, 2, 3, 4)).at == datetime(2025, 1, 2, 3, 4, tzinfo=UTC)


def test_hash_user_is_stable_keyed_and_one_way() -> None:
    h = hash_user("T1", RAW_USER, KEY)
    assert h == hash_user("T1", RAW_USER, KEY)
    assert len(h) == 64 and int(h, 16) >= 0
    assert RAW_USER.lower() not in h
    others = {hash_user("T2", RAW_USER, KEY), hash_user("T1", RAW_USER, "other-key")}
    assert h not in others and len(others) == 2
    with pytest.raises(ValueError):
        hash_user("T1", RAW_USER, "")


WRITERS, EACH = 4, 200


def write_batch(target: Target, worker: int, start: Any) -> None:
    """One writer process: wait for the others, open the store (racing the schema), write."""
    start.wait()
    with open_store(target.database_url, target.data_dir) as store:
        for i in range(EACH):
            store.record(vote(f"worker {worker} question {i}"))


def test_four_processes_writing_at_once_lose_nothing(target: Target) -> None:
    spawn = multiprocessing.get_context("spawn")
    start = spawn.Barrier(WRITERS)
    writers = [spawn.Process(target=write_batch, args=(target, w, start)) for w in range(WRITERS)]
    for p in writers:
        p.start()
    for p in writers:
        p.join(timeout=300)
    assert [p.exitcode for p in writers] == [0] * WRITERS
    with open_store(target.database_url, target.data_dir) as store:
        questions = [r.question for r in store.records()]
    expected = {f"worker {w} question {i}" for w in range(WRITERS) for i in range(EACH)}
    assert len(questions) == WRITERS * EACH
    assert set(questions) == expected


def test_an_event_is_claimed_once(target: Target) -> None:
    with open_store(target.database_url, target.data_dir) as store:
        assert store.claim_event("Ev001") is True
        assert store.claim_event("Ev001") is False
        assert store.claim_event("Ev002") is True
    with open_store(target.database_url, target.data_dir) as store:
        assert store.claim_event("Ev001") is False


EVENTS = 150


def claim_batch(target: Target, start: Any, results: Any) -> None:
    """One process: claim every event id and report which ones it won."""
    start.wait()
    with open_store(target.database_url, target.data_dir) as store:
        results.put([i for i in range(EVENTS) if store.claim_event(f"Ev{i:04d}")])


def test_four_processes_claiming_the_same_events_win_each_exactly_once(target: Target) -> None:
    spawn = multiprocessing.get_context("spawn")
    start, results = spawn.Barrier(WRITERS), spawn.Queue()
    claimers = [
        spawn.Process(target=claim_batch, args=(target, start, results)) for _ in range(WRITERS)
    ]
    for p in claimers:
        p.start()
    won = [i for _ in claimers for i in results.get(timeout=300)]
    for p in claimers:
        p.join(timeout=60)
    assert [p.exitcode for p in claimers] == [0] * WRITERS
    assert sorted(won) == list(range(EVENTS))
