"""End to end over Socket Mode: the real worker, a local WebSocket server, a fake Web API."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest

from bot import texts
from bot.blocks import button_value
from tests import slack_requests as sr
from tests.e2e_helpers import (
    Process,
    SocketModeServer,
    child_env,
    events_api,
    posts,
    slash_commands,
    wait_posts,
    worker_command,
)
from tests.fake_slack import BOT_USER, FakeSlack

WAIT = 30.0  # seconds to wait for something the worker should do (generous for a loaded machine)
QUIET = 1.5  # seconds to watch for a post the worker should not make
APP_TOKEN = "xapp-test"

_ids = itertools.count(1)


@dataclass
class Worker:
    process: Process
    server: SocketModeServer
    fake: FakeSlack

    def deliver(self, envelope: dict[str, Any]) -> dict[str, Any]:
        """Send one envelope and return the worker's acknowledgement of it."""
        self.server.send(envelope)
        return self.server.wait_ack(envelope["envelope_id"], timeout=WAIT)

    def event(self, inner: dict[str, Any], event_id: str, retry: int = 0) -> dict[str, Any]:
        body = json.loads(sr.event(inner, event_id))
        return self.deliver(events_api(body, next_envelope(), retry_attempt=retry))


def worker_env(tmp: Path, fake: FakeSlack, **settings: str | None) -> dict[str, str]:
    base = {
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_APP_TOKEN": APP_TOKEN,
        "SLACK_API_URL": fake.api_url,
        "DATA_DIR": str(tmp / "data"),
    }
    return child_env(tmp, **{**base, **settings})


@pytest.fixture(scope="module")
def worker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Worker]:
    """One worker (the Procfile's worker: line) for the module, connected to a local WebSocket."""
    tmp = tmp_path_factory.mktemp("worker")
    fake = FakeSlack().start()
    server = SocketModeServer().start()
    fake.socket_url = server.url
    process = Process(worker_command(), worker_env(tmp, fake), tmp / "logs")
    try:
        server.wait_connected(process)
        yield Worker(process, server, fake)
    finally:
        process.stop()
        server.stop()
        fake.stop()


def next_envelope() -> str:
    return f"env-{next(_ids):04d}-a1b2c3"


def unique(prefix: str) -> tuple[str, str]:
    n = next(_ids)
    return f"{prefix}{n:04d}", f"17100{n:05d}.000100"


def settle(worker: Worker) -> None:
    """Let earlier envelopes finish: one more DM is answered, then the fake stays quiet a moment.

    Events are acknowledged before their listener runs, so "no post yet" alone proves nothing.
    """
    event_id, ts = unique("EvBarrier")
    channel = f"D0BAR{ts[5:10]}"
    worker.event(sr.direct_message("what is a volume", ts=ts, channel=channel), event_id)
    wait_posts(worker.fake, channel)
    worker.fake.wait_quiet(QUIET)


def form_fields(body: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(body, keep_blank_values=True).items()}


def is_about_volumes(text: str) -> bool:
    return "volume" in text.lower()


def test_worker_connects_to_the_url_apps_connections_open_hands_out(worker: Worker) -> None:
    (opened,) = worker.fake.of("apps.connections.open")
    assert opened.params["token"] == APP_TOKEN
    assert worker.server.paths[0].startswith("/link")


def test_mention_envelope_is_acknowledged_and_answered_in_the_thread(worker: Worker) -> None:
    event_id, ts = unique("EvSockMention")
    ack = worker.event(sr.mention("what is a volume", ts=ts), event_id)
    assert set(ack) == {"envelope_id"}
    (post,) = wait_posts(worker.fake, "C0CHAN001", ts)
    assert is_about_volumes(post.params["text"])
    assert f"<@{BOT_USER}>" not in json.dumps(post.params)


def test_retried_envelope_is_acknowledged_and_answered_once(worker: Worker) -> None:
    event_id, ts = unique("EvSockRetry")
    inner = sr.mention("what is a docker image", ts=ts)
    worker.event(inner, event_id)
    wait_posts(worker.fake, "C0CHAN001", ts)
    retry_ack = worker.event(inner, event_id, retry=1)
    assert set(retry_ack) == {"envelope_id"}
    settle(worker)
    assert len(posts(worker.fake, "C0CHAN001", ts)) == 1


def test_slash_command_envelope_is_answered_in_the_acknowledgement(worker: Worker) -> None:
    envelope = slash_commands(form_fields(sr.slash_command("what is a volume")), next_envelope())
    ack = worker.deliver(envelope)
    assert ack["envelope_id"] == envelope["envelope_id"]
    payload = ack["payload"]
    assert payload["response_type"] == "ephemeral"
    assert payload["blocks"]
    assert is_about_volumes(payload["text"])


def test_slash_command_envelope_with_empty_text_gets_the_help(worker: Worker) -> None:
    ack = worker.deliver(slash_commands(form_fields(sr.slash_command("")), next_envelope()))
    assert ack["payload"]["text"].startswith(texts.HELP_TITLE)


def test_direct_message_envelope_is_answered_in_the_dm(worker: Worker) -> None:
    event_id, ts = unique("EvSockDM")
    channel = "D0SOCKDM1"
    worker.event(sr.direct_message("what is a volume", ts=ts, channel=channel), event_id)
    (post,) = wait_posts(worker.fake, channel)
    assert is_about_volumes(post.params["text"])


def test_message_from_a_bot_gets_no_reply(worker: Worker) -> None:
    event_id, ts = unique("EvSockBot")
    channel = "D0SOCKBOT"
    inner = sr.direct_message("what is a volume", ts=ts, channel=channel, bot_id="B0OTHER01")
    assert set(worker.event(inner, event_id)) == {"envelope_id"}
    settle(worker)
    assert posts(worker.fake, channel) == []


def test_button_click_envelope_thanks_through_the_response_url(worker: Worker) -> None:
    value = button_value(t="volume", q="what is a volume")
    body = sr.block_action("vote_up", value, worker.fake.response_url("sock-vote"))
    payload = json.loads(form_fields(body)["payload"])
    envelope = {
        "envelope_id": next_envelope(),
        "type": "interactive",
        "payload": payload,
        "accepts_response_payload": False,
    }
    assert worker.deliver(envelope)["envelope_id"] == envelope["envelope_id"]
    (call,) = worker.fake.wait_for("response:sock-vote", timeout=WAIT)
    assert call.params["text"] == texts.THANKS_UP


def test_worker_reconnects_when_slack_asks_it_to_refresh(worker: Worker) -> None:
    connections = len(worker.server.connections)
    opened = len(worker.fake.of("apps.connections.open"))
    worker.server.send({"type": "disconnect", "reason": "refresh_requested"})
    worker.server.wait_connected(worker.process, count=connections + 1, timeout=WAIT)
    assert len(worker.fake.of("apps.connections.open")) == opened + 1
    event_id, ts = unique("EvSockAfter")
    worker.event(sr.mention("what is a volume", ts=ts), event_id)
    (post,) = wait_posts(worker.fake, "C0CHAN001", ts)
    assert is_about_volumes(post.params["text"])


def test_worker_logged_no_traceback(worker: Worker) -> None:
    """Runs after the tests above (file order): everything they sent is in the logs by now."""
    settle(worker)
    assert worker.process.is_running()
    assert "Traceback" not in worker.process.stderr


def _run_to_exit(tmp_path: Path, fake: FakeSlack, **settings: str | None) -> Process:
    env = worker_env(tmp_path, fake, **settings)
    process = Process(worker_command(), env, tmp_path / "logs")
    try:
        process.wait()
    finally:
        process.stop()
    return process


def test_worker_without_app_token_exits_with_one_line(
    tmp_path: Path, fake_slack: FakeSlack
) -> None:
    process = _run_to_exit(tmp_path, fake_slack, SLACK_APP_TOKEN=None)
    output = process.stdout + process.stderr
    assert process.popen.returncode != 0
    assert "Traceback" not in output
    naming = [line for line in output.splitlines() if "SLACK_APP_TOKEN" in line]
    assert len(naming) == 1
    assert "not set" in naming[0]
    assert fake_slack.of("apps.connections.open") == []


def test_worker_with_a_rejected_app_token_exits_with_one_line(
    tmp_path: Path, fake_slack: FakeSlack
) -> None:
    fake_slack.queue("apps.connections.open", 200, {"ok": False, "error": "invalid_auth"})
    process = _run_to_exit(tmp_path, fake_slack)
    output = process.stdout + process.stderr
    assert process.popen.returncode != 0
    assert "Traceback" not in output
    assert len([line for line in output.splitlines() if "invalid_auth" in line]) == 1
