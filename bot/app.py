"""build_app(settings, kb) -> App: the Bolt app with its Web API client, listeners and errors."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App
from slack_bolt.error import BoltError
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from bot import listeners
from bot.config import Settings, SlackRejected
from bot.feedback import Recorder
from bot.knowledge import KnowledgeBase
from bot.listeners.context import Deps, EventGate
from bot.matching import index_for
from bot.store import open_store

log = logging.getLogger(__name__)


class _QuietTokenWarning(logging.Filter):
    # Bolt reads SLACK_BOT_TOKEN itself and warns that the client we pass takes precedence;
    # the client carries that same token, so the warning says nothing.
    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


def build_app(settings: Settings, kb: KnowledgeBase, recorder: Recorder | None = None) -> App:
    """The Bolt app; construction calls auth.test, so the token is checked at start."""
    client = WebClient(token=settings.bot_token, base_url=settings.api_url or WebClient.BASE_URL)
    # slack_sdk does not retry HTTP 429 by default; Bolt copies this into every listener client.
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=2))
    bolt_logger = logging.getLogger("slack_bolt")
    bolt_logger.addFilter(_QuietTokenWarning())
    try:
        app = App(client=client, signing_secret=settings.signing_secret or "", logger=bolt_logger)
    except BoltError as error:
        raise SlackRejected(f"Slack rejected SLACK_BOT_TOKEN: {error}") from error
    index_for(kb)  # build the search index now, not on the first question
    if recorder is None:
        recorder = Recorder(
            lambda: open_store(settings.database_url, settings.data_dir),
            settings.hash_key,
            settings.retention_days,
        )
    listeners.register(app, Deps(kb=kb, recorder=recorder, gate=EventGate(recorder.claim_event)))
    app.error(handle_error)
    return app


def handle_error(error: Exception, body: dict[str, Any], logger: logging.Logger) -> None:
    """The one error path: log with the traceback and what kind of request failed."""
    kind = body.get("type") if isinstance(body, dict) else None
    logger.exception("listener failed on a %s request: %s", kind or "Slack", error)
