"""What the listeners record (feedback, answered events); what happens when the store is down."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from bot.store import FeedbackStore, Record, StoreError, hash_user

log = logging.getLogger(__name__)

PURGE_EVERY = 24 * 3600.0  # seconds between retention purges in one process


class Recorder:
    """Records feedback through a store opened on first use, and reopened after a failure.

    A store that cannot be reached never stops an answer: record() returns False and logs.
    """

    def __init__(
        self,
        open_store: Callable[[], FeedbackStore],
        hash_key: str,
        retention_days: int = 90,
    ) -> None:
        self._open = open_store
        self._key = hash_key
        self._retention = retention_days
        self._store: FeedbackStore | None = None
        self._lock = threading.Lock()
        self._purged = float("-inf")

    def record(self, kind: str, team: str, user: str, question: str, topic: str | None) -> bool:
        user_hash = hash_user(team, user, self._key)
        entry = Record(kind=kind, team=team, user_hash=user_hash, question=question, topic=topic)
        try:
            store = self._get()
            store.record(entry)
        except StoreError as error:
            log.error("could not record %s feedback: %s", kind, error)
            self._reset()
            return False
        self._purge_now_and_then(store)
        return True

    def _purge_now_and_then(self, store: FeedbackStore) -> None:
        """Delete records past the retention window, at most once a day per process."""
        now = time.monotonic()
        if now - self._purged < PURGE_EVERY:
            return
        self._purged = now
        try:
            gone = store.purge(self._retention)
        except StoreError as error:
            log.warning("could not delete old feedback: %s", error)
            return
        if gone:
            log.info("deleted %d feedback records older than %d days", gone, self._retention)

    def claim_event(self, event_id: str) -> bool:
        """True unless another process already answered this event; True when the store is
        unreachable too, since answering twice is better than not answering."""
        try:
            return self._get().claim_event(event_id)
        except StoreError as error:
            log.warning("could not check event %s against the store: %s", event_id, error)
            self._reset()
            return True

    def _get(self) -> FeedbackStore:
        with self._lock:
            if self._store is None:
                self._store = self._open()
            return self._store

    def _reset(self) -> None:
        with self._lock:
            if self._store is not None:
                self._store.close()
            self._store = None
