"""Reading Block Kit JSON in tests: every text a message shows, or only its mrkdwn texts."""

from __future__ import annotations

from typing import Any


def block_texts(node: Any, kind: str | None = None) -> list[str]:
    """Every text object's text under node, in order; only those of one type if kind is given
    ("mrkdwn", "plain_text", "raw_text")."""
    found: list[str] = []
    if isinstance(node, dict):
        text = node.get("text")
        if isinstance(text, str) and (kind is None or node.get("type") == kind):
            found.append(text)
        for key, value in node.items():
            if not (key == "text" and isinstance(value, str)):
                found += block_texts(value, kind)
    elif isinstance(node, list):
        for item in node:
            found += block_texts(item, kind)
    return found


def mrkdwn_texts(node: Any) -> list[str]:
    return block_texts(node, "mrkdwn")
