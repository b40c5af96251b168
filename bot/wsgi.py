"""The web process: the WSGI callable the Procfile serves (/slack/events and /healthz).

gunicorn builds it with the factory `bot.wsgi:create_app()`, so nothing happens at import.
Requests are screened before Bolt sees them: Bolt parses a body before it checks the
signature, so a malformed body would otherwise end in a 500 and a traceback.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import logging
import os
import sys
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any
from urllib.parse import parse_qs

from slack_bolt.adapter.wsgi import SlackRequestHandler

from bot.app import build_app
from bot.config import (
    EVENTS_PATH,
    HEALTH_PATH,
    ConfigError,
    Settings,
    SlackRejected,
    configure_logging,
    keep_loaded,
)
from bot.index_cache import load_indexed
from bot.knowledge import KnowledgeError

log = logging.getLogger(__name__)

MAX_BODY = 1_000_000  # Slack's payloads are a few kilobytes; anything this big is not Slack.
MAX_AGE = 300  # Slack's rule: a request timestamp more than 5 minutes off is rejected.

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


def create_app(env: Mapping[str, str] | None = None) -> WsgiApp:
    """Read settings, load the knowledge base, build Bolt; exit with one clear line on failure."""
    try:
        settings = Settings.from_env(os.environ if env is None else env)
        settings.require("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET")
        configure_logging(settings)
        kb = load_indexed(settings.knowledge_dir, settings.index_cache_dir)
        bolt = SlackRequestHandler(build_app(settings, kb), path=EVENTS_PATH)
    except ConfigError as error:
        sys.exit(f"docker-explain: {error}")
    except KnowledgeError as error:
        sys.exit(knowledge_failure(error))
    except SlackRejected as error:
        sys.exit(f"docker-explain: {error}")
    assert settings.signing_secret is not None
    app = Screen(bolt, settings.signing_secret)
    keep_loaded()  # gunicorn --preload calls this once, in the master, before it forks
    log.info("ready: %d topics, serving %s", len(kb.topics), EVENTS_PATH)
    return app


def knowledge_failure(error: KnowledgeError) -> str:
    lines = [f"docker-explain: the knowledge base has problems; not starting. {error}"]
    return "\n".join(lines + [f"  {p}" for p in error.problems])


class Screen:
    """Health checks, size, signature and body shape: checked before a request reaches Bolt."""

    def __init__(self, bolt: WsgiApp, signing_secret: str) -> None:
        self.bolt = bolt
        self.secret = signing_secret.encode()

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        method, path = environ.get("REQUEST_METHOD", "GET"), environ.get("PATH_INFO", "")
        if path == HEALTH_PATH and method in ("GET", "HEAD"):
            return _plain(start_response, "200 OK", "ok")
        if path != EVENTS_PATH:
            return _plain(start_response, "404 Not Found", "not found")
        if method != "POST":
            return _plain(start_response, "405 Method Not Allowed", "POST only")
        body, problem = self._read(environ)
        if problem is None:
            problem = self._check(body, environ)
        if problem is not None:
            status, reason = problem
            log.warning("rejected request to %s: %s", path, reason)
            return _plain(start_response, status, reason)
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        return self.bolt(environ, start_response)

    def _read(self, environ: dict[str, Any]) -> tuple[bytes, tuple[str, str] | None]:
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return b"", ("400 Bad Request", "bad Content-Length")
        if length > MAX_BODY:
            return b"", ("413 Content Too Large", "body too large")
        return environ["wsgi.input"].read(length) if length > 0 else b"", None

    def _check(self, body: bytes, environ: dict[str, Any]) -> tuple[str, str] | None:
        timestamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", "")
        signature = environ.get("HTTP_X_SLACK_SIGNATURE", "")
        if not self.is_signed(body, timestamp, signature):
            return "401 Unauthorized", "invalid or stale signature"
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return "400 Bad Request", "body is not UTF-8"
        if not _is_slack_body(text, environ.get("CONTENT_TYPE", "")):
            return "400 Bad Request", "body is not a Slack command, event or interaction"
        return None

    def is_signed(self, body: bytes, timestamp: str, signature: str) -> bool:
        """Slack's v0 signature: HMAC-SHA256 of v0:{timestamp}:{body}, over the raw bytes."""
        if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > MAX_AGE:
            return False
        base = b"v0:" + timestamp.encode() + b":" + body
        expected = "v0=" + hmac.new(self.secret, base, hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected, signature)


def _is_slack_body(text: str, content_type: str) -> bool:
    """The shapes Bolt reads without checking: an Events API JSON object, a slash command
    form, or an interactivity form whose `payload` is a JSON object of the right shape."""
    if content_type.startswith("application/json") or text.lstrip().startswith("{"):
        return _is_event(_json_object(text))
    form = parse_qs(text, keep_blank_values=True)
    if "payload" in form:
        return _is_interaction(_json_object(form["payload"][0]))
    return bool(form.get("command"))


def _json_object(text: str) -> dict[str, Any] | None:
    try:
        data = json.loads(text)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def _is_event(data: dict[str, Any] | None) -> bool:
    if data is None or not isinstance(data.get("type"), str):
        return False
    if data["type"] == "event_callback":
        event = data.get("event")
        return isinstance(event, dict) and isinstance(event.get("type"), str)
    return True


def _is_interaction(data: dict[str, Any] | None) -> bool:
    if data is None or not isinstance(data.get("type"), str):
        return False
    if data["type"] == "block_actions":
        actions = data.get("actions")
        return (
            isinstance(actions, list)
            and bool(actions)
            and all(isinstance(a, dict) and isinstance(a.get("action_id"), str) for a in actions)
        )
    if data["type"] in ("view_submission", "view_closed"):
        return isinstance(data.get("view"), dict)
    return True


def _plain(start_response: StartResponse, status: str, text: str) -> list[bytes]:
    body = text.encode()
    headers = [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))]
    start_response(status, headers)
    return [body]
