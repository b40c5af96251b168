"""@docker-explain mentions in channels: answered in the thread of the mention."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, Say

from bot.answer import explain
from bot.listeners.context import Deps, is_from_bot, record_gap, strip_mention


def register(app: App, deps: Deps) -> None:
    @app.event("app_mention")
    def handle_mention(event: dict[str, Any], body: dict[str, Any], say: Say) -> None:
        # A mention inside a DM also arrives as a message.im event, which messages.py answers.
        if is_from_bot(event) or event.get("channel_type") == "im":
            return
        if not deps.gate.first(body.get("event_id")):
            return
        question = strip_mention(event.get("text") or "")
        reply, finding = explain(question, deps.kb)
        say(
            text=reply.text,
            blocks=list(reply.blocks),
            thread_ts=event.get("thread_ts") or event["ts"],
        )
        record_gap(deps, finding, question, body.get("team_id", ""), event.get("user", ""))
