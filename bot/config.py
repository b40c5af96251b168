"""Settings.from_env(mapping): the only place that reads the environment's configuration."""

from __future__ import annotations

import gc
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import bot

# Where each credential comes from, for the one-line error a missing variable produces.
WHERE = {
    "SLACK_BOT_TOKEN": "the Bot User OAuth Token (xoxb-…) on your app's OAuth & Permissions page",
    "SLACK_SIGNING_SECRET": "Basic Information → App Credentials → Signing Secret",
    "SLACK_APP_TOKEN": "Basic Information → App-Level Tokens, scope connections:write (xapp-…)",
}
APPS_URL = "https://api.slack.com/apps"
EVENTS_PATH = "/slack/events"  # commands, events and interactivity all arrive here
HEALTH_PATH = "/healthz"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class ConfigError(Exception):
    """A setting is missing or malformed; the message is one line a person can act on."""


class SlackRejected(Exception):
    """Slack refused a credential at start (auth.test or apps.connections.open)."""


def default_knowledge_dir() -> Path:
    """The bundled knowledge base: inside the package in a wheel, beside it in a checkout."""
    package = Path(bot.__file__).resolve().parent
    bundled = package / "_knowledge"
    return bundled if bundled.is_dir() else package.parent / "knowledge"


@dataclass(frozen=True)
class Settings:
    bot_token: str | None = None
    signing_secret: str | None = None
    app_token: str | None = None
    api_url: str | None = None
    knowledge_dir: Path = Path("knowledge")
    log_level: str = "INFO"
    port: int = 3000
    database_url: str | None = None
    data_dir: Path = Path("data")
    retention_days: int = 90

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Settings:
        def get(name: str) -> str | None:
            value = env.get(name, "").strip()
            return value or None

        level = (get("LOG_LEVEL") or "INFO").upper()
        if level not in LOG_LEVELS:
            raise ConfigError(f"LOG_LEVEL={level!r} is not one of {', '.join(LOG_LEVELS)}")
        return cls(
            bot_token=get("SLACK_BOT_TOKEN"),
            signing_secret=get("SLACK_SIGNING_SECRET"),
            app_token=get("SLACK_APP_TOKEN"),
            api_url=get("SLACK_API_URL"),
            knowledge_dir=Path(get("KNOWLEDGE_DIR") or default_knowledge_dir()),
            log_level=level,
            port=_number(get("PORT"), "PORT", 3000),
            database_url=get("DATABASE_URL"),
            data_dir=Path(get("DATA_DIR") or "data"),
            retention_days=_number(get("FEEDBACK_RETENTION_DAYS"), "FEEDBACK_RETENTION_DAYS", 90),
        )

    @property
    def has_slack(self) -> bool:
        """True when any Slack credential is set: the run command then connects to Slack."""
        return any((self.bot_token, self.signing_secret, self.app_token))

    @property
    def transport(self) -> str:
        """'socket' when an app-level token is set, otherwise 'http'."""
        return "socket" if self.app_token else "http"

    @property
    def index_cache_dir(self) -> Path:
        """Where the built search index is kept between starts (bot.index_cache)."""
        return self.data_dir / "index-cache"

    @property
    def hash_key(self) -> str:
        """The key user ids are hashed with: a deployment secret, never stored with the data."""
        return self.signing_secret or self.app_token or "docker-explain"

    def require(self, *names: str) -> None:
        """Raise ConfigError naming the first missing variable and where to get it."""
        values = {
            "SLACK_BOT_TOKEN": self.bot_token,
            "SLACK_SIGNING_SECRET": self.signing_secret,
            "SLACK_APP_TOKEN": self.app_token,
        }
        for name in names:
            if not values[name]:
                raise ConfigError(f"{name} is not set: it is {WHERE[name]} ({APPS_URL})")


def _number(value: str | None, name: str, default: int) -> int:
    if value is None:
        return default
    if not value.isdigit() or int(value) <= 0:
        raise ConfigError(f"{name}={value!r} must be a positive whole number")
    return int(value)


def configure_logging(settings: Settings) -> None:
    logging.basicConfig(
        level=settings.log_level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )


def keep_loaded() -> None:
    """Take everything the process has loaded out of the cycle collector's reach: for a process
    that keeps its knowledge base and app until it exits (the web server, the Socket Mode worker).

    Loaded, the process holds about 114,000 objects the collector tracks, most of them the
    search index's and none of them ever freed, and a full collection walks them all: 45 ms on
    a 2-core machine, about once in 10,000 questions, and the question that sets it off waits.
    Frozen, a full collection takes about 1 ms. Under gunicorn --preload this runs in the master
    before it forks, so the workers' collections do not write to those objects either, and more
    of their memory stays shared. What is garbage already is collected first, since frozen
    garbage would stay for good."""
    gc.collect()
    gc.freeze()
