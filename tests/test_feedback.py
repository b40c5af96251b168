"""The recorder the listeners use: records, purges past the retention window, survives outages."""

from __future__ import annotations

import socket
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.feedback import Recorder
from bot.store import Record, hash_user, open_store

KEY = "test-key"


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_recording_deletes_records_older_than_the_retention_window(tmp_path: Path) -> None:
    with open_store(None, tmp_path) as store:
        old = datetime.now(UTC) - timedelta(days=10)
        store.record(Record("declined", "T1", hash_user("T1", "U1", KEY), "ancient", None, old))
    recorder = Recorder(lambda: open_store(None, tmp_path), KEY, retention_days=7)
    assert recorder.record("declined", "T1", "U2", "fresh question", None)
    with open_store(None, tmp_path) as store:
        assert [r.question for r in store.records()] == ["fresh question"]


def test_records_inside_the_window_are_kept(tmp_path: Path) -> None:
    with open_store(None, tmp_path) as store:
        recent = datetime.now(UTC) - timedelta(days=3)
        store.record(Record("upvote", "T1", hash_user("T1", "U1", KEY), "recent", "volume", recent))
    recorder = Recorder(lambda: open_store(None, tmp_path), KEY, retention_days=7)
    assert recorder.record("downvote", "T1", "U1", "now", "volume")
    with open_store(None, tmp_path) as store:
        assert [r.question for r in store.records()] == ["recent", "now"]


def test_an_unreachable_store_fails_the_record_but_lets_events_through() -> None:
    url = f"postgresql://postgres@127.0.0.1:{closed_port()}/nothing"
    recorder = Recorder(lambda: open_store(url, Path("/nonexistent")), KEY)
    assert recorder.record("upvote", "T1", "U1", "q", "volume") is False
    assert recorder.claim_event("Ev1") is True


def test_the_recorder_answers_each_event_once(tmp_path: Path) -> None:
    recorder = Recorder(lambda: open_store(None, tmp_path), KEY)
    assert [recorder.claim_event(e) for e in ("Ev1", "Ev1", "Ev2")] == [True, False, True]
