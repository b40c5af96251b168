"""Settings come only from the environment; a missing one says what it is and where to get it."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from bot.config import ConfigError, Settings, default_knowledge_dir
from bot.index import Index
from bot.wsgi import create_app
from tests.fake_slack import FakeSlack


def test_settings_read_every_variable_from_the_mapping() -> None:
    env = {
        "SLACK_BOT_TOKEN": "xoxb-1",
        "SLACK_SIGNING_SECRET": "s",
        "SLACK_APP_TOKEN": "xapp-1",
        "SLACK_API_URL": "http://127.0.0.1:9/api/",
        "KNOWLEDGE_DIR": "/srv/kb",
        "LOG_LEVEL": "debug",
        "PORT": "8080",
        "DATABASE_URL": "postgres://u@h/db",
        "DATA_DIR": "/var/data",
        "FEEDBACK_RETENTION_DAYS": "30",
    }
    s = Settings.from_env(env)
    assert (s.bot_token, s.signing_secret, s.app_token) == ("xoxb-1", "s", "xapp-1")
    assert s.api_url == "http://127.0.0.1:9/api/"
    assert s.knowledge_dir == Path("/srv/kb") and s.data_dir == Path("/var/data")
    assert (s.log_level, s.port, s.retention_days) == ("DEBUG", 8080, 30)
    assert s.database_url == "postgres://u@h/db"
    assert s.has_slack and s.transport == "socket"


def test_defaults_without_any_variable() -> None:
    s = Settings.from_env({})
    assert not s.has_slack
    assert s.transport == "http"
    assert s.port == 3000 and s.retention_days == 90 and s.log_level == "INFO"
    assert s.knowledge_dir == default_knowledge_dir()
    assert (s.knowledge_dir / "categories.yaml").is_file()


@pytest.mark.parametrize(
    ("missing", "where"),
    [
        ("SLACK_BOT_TOKEN", "OAuth & Permissions"),
        ("SLACK_SIGNING_SECRET", "Signing Secret"),
        ("SLACK_APP_TOKEN", "connections:write"),
    ],
)
def test_a_missing_credential_is_named_with_where_to_get_it(missing: str, where: str) -> None:
    with pytest.raises(ConfigError) as error:
        Settings.from_env({}).require(missing)
    message = str(error.value)
    assert missing in message and where in message and "\n" not in message


@pytest.mark.parametrize(
    "env",
    [{"PORT": "eighty"}, {"PORT": "0"}, {"LOG_LEVEL": "LOUD"}, {"FEEDBACK_RETENTION_DAYS": "-1"}],
)
def test_malformed_values_are_refused_with_one_line(env: dict[str, str]) -> None:
    with pytest.raises(ConfigError) as error:
        Settings.from_env(env)
    assert next(iter(env)) in str(error.value)


def test_blank_values_count_as_unset() -> None:
    s = Settings.from_env({"SLACK_BOT_TOKEN": "  ", "DATABASE_URL": ""})
    assert s.bot_token is None and s.database_url is None and not s.has_slack


def test_the_web_app_keeps_what_it_loaded_out_of_the_collectors_reach(
    fake_slack: FakeSlack, tmp_path: Path
) -> None:
    """gunicorn --preload calls create_app() once, in the master: the knowledge base and its
    search index live until the process exits, and a full collection must not walk them."""
    gc.unfreeze()
    try:
        app = create_app(
            {
                "SLACK_BOT_TOKEN": "xoxb-test",
                "SLACK_SIGNING_SECRET": "secret",
                "SLACK_API_URL": fake_slack.api_url,
                "DATA_DIR": str(tmp_path),
            }
        )
        assert gc.get_freeze_count() > 0
        tracked = gc.get_objects()
        assert not any(isinstance(o, Index) for o in tracked)
        assert all(o is not app for o in tracked)
    finally:
        gc.unfreeze()
    assert any(isinstance(o, Index) for o in gc.get_objects())
