"""The App Home tab: published on app_home_opened."""

from __future__ import annotations

from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.blocks import home_view
from bot.listeners.context import Deps


def register(app: App, deps: Deps) -> None:
    view = home_view(deps.kb)  # the same for everyone: built once

    @app.event("app_home_opened")
    def handle_home_opened(event: dict[str, Any], client: WebClient) -> None:
        if event.get("tab") == "home":
            client.views_publish(user_id=event["user"], view=view)
