"""What every listener needs: the knowledge base, the feedback recorder, the retry gate."""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.feedback import Recorder
from bot.knowledge import KnowledgeBase
from bot.matching import Finding, Outcome

# app_mention text starts with <@BOT_USER_ID>, sometimes followed by ":" or ",".
_LEADING_MENTION = re.compile(r"^\s*<@[A-Z0-9]+(?:\|[^>]*)?>[\s:,]*")


class EventGate:
    """Lets each Slack event id through once, so a retried delivery is not answered again.

    Recent ids are remembered in this process; `claim`, when given, asks a store shared by all
    processes (another gunicorn worker or dyno may have seen the first delivery).
    """

    def __init__(self, claim: Callable[[str], bool] | None = None, size: int = 4096) -> None:
        self._seen: OrderedDict[str, None] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()
        self._claim = claim

    def first(self, event_id: str | None) -> bool:
        """True the first time an event id is seen; events without an id always pass."""
        if not event_id:
            return True
        with self._lock:
            if event_id in self._seen:
                return False
            self._seen[event_id] = None
            if len(self._seen) > self._size:
                self._seen.popitem(last=False)
        return self._claim(event_id) if self._claim else True


@dataclass(frozen=True)
class Deps:
    kb: KnowledgeBase
    recorder: Recorder
    gate: EventGate


def strip_mention(text: str) -> str:
    return _LEADING_MENTION.sub("", text, count=1)


def is_from_bot(event: dict[str, Any]) -> bool:
    return bool(event.get("bot_id") or event.get("subtype") == "bot_message")


def record_gap(deps: Deps, finding: Finding, question: str, team: str, user: str) -> None:
    """Questions the bot declined or only offered suggestions for go to the curators."""
    kinds = {Outcome.DECLINE: "declined", Outcome.SUGGEST: "suggested"}
    kind = kinds.get(finding.outcome)
    if kind and user:
        deps.recorder.record(kind, team, user, question, None)
