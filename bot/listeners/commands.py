"""/docker-explain: answered inside the 3-second ack, ephemeral, with a Share button."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot.answer import explain
from bot.listeners.context import Deps, record_gap

COMMAND = "/docker-explain"


def register(app: App, deps: Deps) -> None:
    @app.command(COMMAND)
    def handle_command(ack: Ack, command: dict[str, Any]) -> None:
        question = command.get("text") or ""
        reply, finding = explain(question, deps.kb, share=True)
        ack(text=reply.text, blocks=list(reply.blocks), response_type="ephemeral")
        record_gap(deps, finding, question, command.get("team_id", ""), command.get("user_id", ""))
