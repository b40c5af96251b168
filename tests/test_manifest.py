"""The Slack app manifest: valid against Slack's own JSON Schema, in both variants."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from bot.manifest import BOT_EVENTS, BOT_SCOPES, build_manifest, to_yaml

ROOT = Path(__file__).resolve().parent.parent
# Slack's schema lives in the team's read-only shared/ folder beside the checkout.
SCHEMA = next(
    (
        p / "shared" / "slack" / "manifest.schema.json"
        for p in (ROOT, *ROOT.parents)
        if (p / "shared" / "slack" / "manifest.schema.json").is_file()
    ),
    ROOT.parent / "shared" / "slack" / "manifest.schema.json",
)


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft7Validator:
    if not SCHEMA.is_file():
        pytest.skip(f"Slack's manifest schema is not at {SCHEMA}")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    return jsonschema.Draft7Validator(schema)


def errors(validator: jsonschema.Draft7Validator, manifest: dict[str, Any]) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(manifest)]


def test_manifest_file_is_valid_and_is_the_http_variant(
    validator: jsonschema.Draft7Validator,
) -> None:
    manifest = yaml.safe_load((ROOT / "manifest.yml").read_text(encoding="utf-8"))
    assert errors(validator, manifest) == []
    assert manifest == build_manifest()


def test_manifest_file_is_what_the_cli_prints() -> None:
    assert (ROOT / "manifest.yml").read_text(encoding="utf-8") == to_yaml(build_manifest())


@pytest.mark.parametrize("variant", ["http", "socket"])
def test_both_variants_validate_against_slacks_schema(
    validator: jsonschema.Draft7Validator, variant: str
) -> None:
    manifest = (
        build_manifest(url="https://bot.example.org/")
        if variant == "http"
        else build_manifest(socket=True)
    )
    assert errors(validator, manifest) == []


def test_http_variant_points_every_url_at_slack_events() -> None:
    manifest = build_manifest(url="https://bot.example.org/")
    url = "https://bot.example.org/slack/events"
    assert manifest["features"]["slash_commands"][0]["url"] == url
    assert manifest["settings"]["event_subscriptions"]["request_url"] == url
    assert manifest["settings"]["interactivity"]["request_url"] == url
    assert manifest["settings"]["socket_mode_enabled"] is False


def test_socket_variant_has_no_urls() -> None:
    dumped = json.dumps(build_manifest(socket=True))
    assert "https://" not in dumped.replace("https://api.slack.com", "")
    assert build_manifest(socket=True)["settings"]["socket_mode_enabled"] is True


def test_manifest_asks_for_what_the_bot_uses() -> None:
    manifest = build_manifest()
    assert manifest["oauth_config"]["scopes"]["bot"] == BOT_SCOPES
    assert set(BOT_EVENTS) == {"app_mention", "message.im", "app_home_opened"}
    assert manifest["features"]["slash_commands"][0]["command"] == "/docker-explain"
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    assert manifest["settings"]["interactivity"]["is_enabled"] is True


def test_schema_catches_a_broken_manifest(validator: jsonschema.Draft7Validator) -> None:
    broken = build_manifest()
    broken["features"]["slash_commands"][0]["command"] = "docker-explain"  # no leading slash
    del broken["display_information"]["name"]
    assert len(errors(validator, broken)) == 2
