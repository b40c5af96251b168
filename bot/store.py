"""The feedback store: votes, choices and unanswered questions in SQLite or PostgreSQL."""

from __future__ import annotations

import hashlib
import hmac
import random
import re
import sqlite3
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError

KINDS = ("declined", "suggested", "upvote", "downvote", "chose", "none_of_these")
SCHEMA_VERSION = 2
SQLITE_FILE = "feedback.sqlite3"
# A writer waits this long for SQLite's write lock before "database is locked"; a feedback write
# holds it for one INSERT, so contention clears in milliseconds.
BUSY_TIMEOUT_MS = 2000
# Transient failures (locked, serialization, dropped connection) are retried this many times in
# all, 50 ms, 100 ms, 200 ms apart (with jitter); every attempt reuses the row's uid, so a retry
# after a commit whose answer was lost inserts nothing twice.
ATTEMPTS = 4
BACKOFF_SECONDS = 0.05
CONNECT_TIMEOUT_SECONDS = 3
# pg_advisory_xact_lock key that serialises schema upgrades between processes starting at once.
SCHEMA_LOCK = 0x646F636B6572
_TRANSIENT_SQLSTATES = ("40001", "40P01", "53300", "57P01", "57P02", "57P03")
_HASH = re.compile(r"[0-9a-f]{64}")

T = TypeVar("T")


class StoreError(Exception):
    """The feedback store could not be reached or written; the driver error is the __cause__."""


@dataclass(frozen=True)
class Record:
    """One piece of feedback. A naive `at` is taken as UTC; a missing one is now."""

    kind: str
    team: str
    user_hash: str
    question: str
    topic: str | None = None
    at: datetime | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown feedback kind {self.kind!r}; expected one of {KINDS}")
        if not _HASH.fullmatch(self.user_hash):
            raise ValueError("user_hash must come from hash_user(), never a raw user id")
        object.__setattr__(self, "at", to_utc(self.at or datetime.now(UTC)))


def to_utc(moment: datetime) -> datetime:
    """An aware UTC datetime; naive ones are taken to be UTC already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def hash_user(team: str, user: str, key: str) -> str:
    """HMAC-SHA256 of team and user id under a secret key, as hex: stable, one-way."""
    if not key:
        raise ValueError("hash_user needs a non-empty secret key")
    message = team.encode() + b"\x00" + user.encode()
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()


METADATA = sa.MetaData()
SCHEMA = sa.Table(
    "feedback_schema",
    METADATA,
    sa.Column("version", sa.Integer, nullable=False),
)
# Version 1. A later version changes this table through a new step in _STEPS, and step 1 then
# keeps creating the version 1 shape.
FEEDBACK = sa.Table(
    "feedback",
    METADATA,
    sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True),
    sa.Column("uid", sa.String(32), nullable=False, unique=True),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("team", sa.Text, nullable=False),
    sa.Column("user_hash", sa.String(64), nullable=False),
    sa.Column("question", sa.Text, nullable=False),
    sa.Column("topic", sa.Text, nullable=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False, index=True),
    sa.CheckConstraint(sa.column("kind").in_(KINDS), name="feedback_kind"),
)


# Version 2: the Slack events already answered, so a retried delivery that reaches another
# worker process or dyno is not answered twice. Rows live a day; Slack retries within minutes.
EVENTS = sa.Table(
    "answered_events",
    METADATA,
    sa.Column("event_id", sa.String(128), primary_key=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False, index=True),
)
EVENT_DAYS = 1
EVENT_SWEEP_EVERY = 500  # claims between deletions of old event rows, per process


def _create_v1(conn: Connection) -> None:
    FEEDBACK.create(conn, checkfirst=True)


def _create_v2(conn: Connection) -> None:
    EVENTS.create(conn, checkfirst=True)


_STEPS: tuple[Callable[[Connection], None], ...] = (_create_v1, _create_v2)


class FeedbackStore:
    """Feedback rows behind one SQLAlchemy engine; every write is committed before it returns."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._writer = engine.execution_options(sqlite_begin="IMMEDIATE")
        self.backend: str = engine.dialect.name
        self._claims = 0

    def record(self, r: Record) -> None:
        """Store one record; StoreError when it could not be committed."""
        uid = uuid.uuid4().hex
        insert: Any = postgresql.insert if self.backend == "postgresql" else sqlite.insert
        row: dict[str, object] = {"uid": uid, "kind": r.kind, "team": r.team, "at": r.at}
        row |= {"user_hash": r.user_hash, "question": r.question, "topic": r.topic}
        statement = insert(FEEDBACK).values(row).on_conflict_do_nothing(index_elements=["uid"])
        self._write(lambda conn: conn.execute(statement))

    def claim_event(self, event_id: str) -> bool:
        """True for the one caller, in any process, that first claims this Slack event id."""
        insert: Any = postgresql.insert if self.backend == "postgresql" else sqlite.insert
        now = datetime.now(UTC)
        # RETURNING yields the row only when this INSERT created it (rowcount is not reliable
        # for ON CONFLICT DO NOTHING across drivers).
        statement = (
            insert(EVENTS)
            .values(event_id=event_id[:128], at=now)
            .on_conflict_do_nothing(index_elements=["event_id"])
            .returning(EVENTS.c.event_id)
        )
        claimed = self._write(lambda conn: conn.execute(statement).first() is not None)
        self._claims += 1
        if self._claims % EVENT_SWEEP_EVERY == 0:
            old = sa.delete(EVENTS).where(EVENTS.c.at < now - timedelta(days=EVENT_DAYS))
            self._write(lambda conn: conn.execute(old))
        return bool(claimed)

    def records(self, since: datetime | None = None) -> list[Record]:
        """Every record at or after `since` (all when None), oldest first."""
        query = sa.select(FEEDBACK).order_by(FEEDBACK.c.at, FEEDBACK.c.id)
        if since is not None:
            query = query.where(FEEDBACK.c.at >= to_utc(since))
        rows = _retrying(lambda: self._read(query))
        return [_to_record(row) for row in rows]

    def purge(self, older_than_days: int) -> int:
        """Delete records older than the given number of days; return how many went."""
        if older_than_days < 0:
            raise ValueError("older_than_days must be zero or more")
        cutoff = datetime.now(UTC) - timedelta(days=older_than_days)
        statement = sa.delete(FEEDBACK).where(FEEDBACK.c.at < cutoff)
        return self._write(lambda conn: conn.execute(statement).rowcount)

    def schema_version(self) -> int:
        """The schema version the database is at."""
        return _retrying(self._read_version)

    def close(self) -> None:
        """Close every pooled connection."""
        self._engine.dispose()

    def __enter__(self) -> FeedbackStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def upgrade(self) -> None:
        """Create the schema or bring it up to SCHEMA_VERSION, one process at a time."""
        self._write(_upgrade)

    def _write(self, work: Callable[[Connection], T]) -> T:
        def attempt() -> T:
            with self._writer.begin() as conn:
                return work(conn)

        return _retrying(attempt)

    def _read(self, query: sa.Select[Any]) -> list[sa.Row[Any]]:
        with self._engine.connect() as conn:
            return list(conn.execute(query))

    def _read_version(self) -> int:
        with self._engine.connect() as conn:
            return _version(conn)


def open_store(database_url: str | None, data_dir: Path) -> FeedbackStore:
    """A ready store: PostgreSQL at database_url, else SQLite in data_dir; StoreError if not."""
    try:
        engine = _engine(database_url, data_dir)
    except (OSError, SQLAlchemyError, ValueError) as error:
        raise StoreError(f"cannot open the feedback store: {error}") from error
    store = FeedbackStore(engine)
    try:
        store.upgrade()
    except StoreError:
        store.close()
        raise
    return store


def to_sqlalchemy_url(database_url: str) -> str:
    """postgres:// and postgresql:// (the PaaS spellings) as SQLAlchemy's psycopg 3 URL."""
    scheme, sep, rest = database_url.partition("://")
    if sep and scheme in ("postgres", "postgresql"):
        return f"postgresql+psycopg://{rest}"
    return database_url


def _engine(database_url: str | None, data_dir: Path) -> Engine:
    if not database_url:
        data_dir.mkdir(parents=True, exist_ok=True)
        return _sqlite_engine(data_dir / SQLITE_FILE)
    url = sa.make_url(to_sqlalchemy_url(database_url))
    if url.get_backend_name() == "sqlite":
        return _sqlite_engine(Path(url.database or ""))
    if url.get_backend_name() != "postgresql":
        raise ValueError(f"unsupported database {url.get_backend_name()!r}; use PostgreSQL")
    connect_args = {"connect_timeout": CONNECT_TIMEOUT_SECONDS}
    return sa.create_engine(url, connect_args=connect_args)


def _sqlite_engine(path: Path) -> Engine:
    engine = sa.create_engine(f"sqlite:///{path}")

    @sa.event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # sqlite3's own transaction handling would not BEGIN before DDL or SELECT; we BEGIN below.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        # WAL lets readers run beside the one writer; FULL syncs every commit, so an
        # acknowledged vote survives a power cut, not just a crash.
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def on_begin(conn: Connection) -> None:
        # IMMEDIATE takes the write lock up front, where busy_timeout can wait for it.
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


def _upgrade(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(sa.select(sa.func.pg_advisory_xact_lock(SCHEMA_LOCK)))
    SCHEMA.create(conn, checkfirst=True)
    current = _version(conn)
    if current > SCHEMA_VERSION:
        raise _Newer(f"the feedback schema is version {current}, newer than {SCHEMA_VERSION}")
    if current == SCHEMA_VERSION:
        return
    for step in _STEPS[current:]:
        step(conn)
    conn.execute(sa.delete(SCHEMA))
    conn.execute(sa.insert(SCHEMA).values(version=SCHEMA_VERSION))


def _version(conn: Connection) -> int:
    if not sa.inspect(conn).has_table(SCHEMA.name):
        return 0
    return int(conn.execute(sa.select(sa.func.max(SCHEMA.c.version))).scalar() or 0)


class _Newer(Exception):
    """The database was upgraded by a newer bot than this one."""


def _retrying(attempt: Callable[[], T]) -> T:
    for n in range(ATTEMPTS):
        try:
            return attempt()
        except DBAPIError as error:
            if n + 1 < ATTEMPTS and is_transient(error):
                time.sleep(BACKOFF_SECONDS * 2**n * random.uniform(0.5, 1.5))
                continue
            raise StoreError(f"feedback store error: {error.orig}") from error
        except (SQLAlchemyError, _Newer) as error:
            raise StoreError(f"feedback store error: {error}") from error
    raise AssertionError("unreachable")


def is_transient(error: DBAPIError) -> bool:
    """True for errors a brief retry can cure: locks, serialization, dropped connections."""
    if error.connection_invalidated:
        return True
    if isinstance(error.orig, sqlite3.OperationalError):
        message = str(error.orig).lower()
        return "locked" in message or "busy" in message
    state = getattr(error.orig, "sqlstate", None)
    if state is None:
        # psycopg gives no SQLSTATE when it could not connect at all.
        return isinstance(error, OperationalError)
    return state in _TRANSIENT_SQLSTATES or str(state).startswith("08")


def _to_record(row: sa.Row[Any]) -> Record:
    m = row._mapping
    return Record(m["kind"], m["team"], m["user_hash"], m["question"], m["topic"], m["at"])
