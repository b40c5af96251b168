"""Requests as Slack sends them: signed bodies for slash commands, events and button clicks."""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import urlencode

from slack_sdk.signature import SignatureVerifier

from tests.fake_slack import BOT_USER, TEAM

SECRET = "test-signing-secret"


def signed_headers(body: str | bytes, secret: str = SECRET, age: float = 0) -> dict[str, str]:
    """Slack's headers for a body: v0= HMAC-SHA256 of v0:{timestamp}:{body}."""
    timestamp = str(int(time.time() - age))
    signature = SignatureVerifier(secret).generate_signature(timestamp=timestamp, body=body)
    assert signature is not None
    return {"X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": signature}


def slash_command(text: str, response_url: str = "https://hooks.slack.invalid/cmd") -> str:
    return urlencode(
        {
            "token": "legacy",
            "team_id": TEAM,
            "team_domain": "example",
            "channel_id": "C0CHAN001",
            "channel_name": "general",
            "user_id": "U0ASKER01",
            "user_name": "asker",
            "command": "/docker-explain",
            "text": text,
            "response_url": response_url,
            "trigger_id": "1.2.3",
            "api_app_id": "A0APP0001",
        }
    )


def event(inner: dict[str, Any], event_id: str = "Ev0001") -> str:
    return json.dumps(
        {
            "token": "legacy",
            "team_id": TEAM,
            "api_app_id": "A0APP0001",
            "event": inner,
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(time.time()),
            "authorizations": [
                {"team_id": TEAM, "user_id": BOT_USER, "is_bot": True, "enterprise_id": None}
            ],
        }
    )


def mention(text: str, ts: str = "1700000000.000100", **extra: Any) -> dict[str, Any]:
    return {
        "type": "app_mention",
        "user": "U0ASKER01",
        "text": f"<@{BOT_USER}> {text}",
        "ts": ts,
        "channel": "C0CHAN001",
        "event_ts": ts,
        **extra,
    }


def direct_message(text: str, ts: str = "1700000000.000200", **extra: Any) -> dict[str, Any]:
    return {
        "type": "message",
        "channel_type": "im",
        "user": "U0ASKER01",
        "text": text,
        "ts": ts,
        "channel": "D0DM00001",
        "event_ts": ts,
        **extra,
    }


def block_action(
    action_id: str,
    value: str,
    response_url: str,
    ephemeral: bool = False,
    channel: str = "C0CHAN001",
    message: dict[str, Any] | None = None,
    **extra: Any,
) -> str:
    """A block_actions payload, form-encoded as Slack sends interactivity requests."""
    payload = {
        "type": "block_actions",
        "team": {"id": TEAM, "domain": "example"},
        "user": {"id": "U0ASKER01", "team_id": TEAM},
        "api_app_id": "A0APP0001",
        "token": "legacy",
        "container": {
            "type": "message",
            "message_ts": "1700000000.000300",
            "channel_id": channel,
            "is_ephemeral": ephemeral,
        },
        "trigger_id": "1.2.3",
        "channel": {"id": channel, "name": "general"},
        "message": message or {"type": "message", "ts": "1700000000.000300", "text": "answer"},
        "response_url": response_url,
        "actions": [
            {
                "action_id": action_id,
                "block_id": "b1",
                "value": value,
                "type": "button",
                "action_ts": str(time.time()),
            }
        ],
        **extra,
    }
    return urlencode({"payload": json.dumps(payload)})
