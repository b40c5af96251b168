"""Settings come only from the environment; a missing one says what it is and where to get it."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError, Settings, default_knowledge_dir


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
