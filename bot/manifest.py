"""The Slack app manifest, in its HTTP and Socket Mode variants (manifest.yml is the HTTP one)."""

from __future__ import annotations

from typing import Any

import yaml

from bot import texts
from bot.config import EVENTS_PATH

EXAMPLE_HOST = "https://docker-explain.example.com"
DESCRIPTION = "Explains Docker concepts with analogies, commands and where to go next."
LONG_DESCRIPTION = (
    "docker-explain answers Docker concept questions from a curated knowledge base: what an "
    "image or a volume is, CMD or ENTRYPOINT, how to clean up dangling images. Every answer "
    "gives a short definition, an analogy that makes it stick, the commands to type and the "
    "related topics to read next. Ask with /docker-explain, by mentioning the bot in a channel, "
    "or in a direct message."
)
BOT_SCOPES = ["app_mentions:read", "chat:write", "commands", "im:history"]
BOT_EVENTS = ["app_mention", "message.im", "app_home_opened"]


def build_manifest(url: str | None = None, socket: bool = False) -> dict[str, Any]:
    """The manifest for an app served at `url` (HTTP), or for Socket Mode (no URLs)."""
    endpoint = None if socket else (url or EXAMPLE_HOST).rstrip("/") + EVENTS_PATH
    command: dict[str, Any] = {
        "command": texts.COMMAND,
        "description": "Explain a Docker concept",
        "usage_hint": "what is a volume? | cmd or entrypoint? | topics | help",
        "should_escape": False,
    }
    events: dict[str, Any] = {"bot_events": BOT_EVENTS}
    interactivity: dict[str, Any] = {"is_enabled": True}
    if endpoint:
        command["url"] = endpoint
        events["request_url"] = endpoint
        interactivity["request_url"] = endpoint
    return {
        "display_information": {
            "name": texts.BOT_NAME,
            "description": DESCRIPTION,
            "background_color": "#1d63ed",
            "long_description": LONG_DESCRIPTION,
        },
        "features": {
            "app_home": {
                "home_tab_enabled": True,
                "messages_tab_enabled": True,
                "messages_tab_read_only_enabled": False,
            },
            "bot_user": {"display_name": texts.BOT_NAME, "always_online": True},
            "slash_commands": [command],
        },
        "oauth_config": {"scopes": {"bot": BOT_SCOPES}},
        "settings": {
            "event_subscriptions": events,
            "interactivity": interactivity,
            "org_deploy_enabled": False,
            "socket_mode_enabled": socket,
            "token_rotation_enabled": False,
        },
    }


def to_yaml(manifest: dict[str, Any]) -> str:
    header = (
        "# Slack app manifest for docker-explain (HTTP variant). Create the app at\n"
        "# https://api.slack.com/apps -> Create New App -> From a manifest.\n"
        "# Print it for your host: docker-explain manifest --url https://YOUR-HOST\n"
        "# Socket Mode instead:    docker-explain manifest --socket\n"
    )
    return header + yaml.safe_dump(manifest, sort_keys=False, allow_unicode=True)
