"""Direct messages to the bot: answered in the DM (in the thread, if asked in one)."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, Say

from bot.answer import explain
from bot.listeners.context import Deps, is_from_bot, record_gap, strip_mention

# Edits, deletions, joins and the like are not questions.
ANSWERED_SUBTYPES = frozenset({None, "file_share"})


def register(app: App, deps: Deps) -> None:
    @app.event("message")
    def handle_message(event: dict[str, Any], body: dict[str, Any], say: Say) -> None:
        if event.get("channel_type") != "im" or is_from_bot(event):
            return
        if event.get("subtype") not in ANSWERED_SUBTYPES:
            return
        if not deps.gate.first(body.get("event_id")):
            return
        # A DM may still start with the bot's mention; it is not part of the question.
        question = strip_mention(event.get("text") or "")
        reply, finding = explain(question, deps.kb)
        say(text=reply.text, blocks=list(reply.blocks), thread_ts=event.get("thread_ts"))
        record_gap(deps, finding, question, body.get("team_id", ""), event.get("user", ""))
