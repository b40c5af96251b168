"""Thin Slack listeners, one module per surface; register(app, deps) wires them all."""

from __future__ import annotations

from slack_bolt import App

from bot.listeners import actions, commands, events, home, messages
from bot.listeners.context import Deps


def register(app: App, deps: Deps) -> None:
    for surface in (commands, events, messages, actions, home):
        surface.register(app, deps)
