"""The real app on a fake Slack: signed requests in, BoltResponses and recorded calls out."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from slack_bolt import App, BoltRequest, BoltResponse

from bot.answer import explain
from bot.app import build_app
from bot.config import Settings
from bot.feedback import Recorder
from bot.knowledge import KnowledgeBase
from bot.matching import Outcome
from bot.store import Record, open_store
from tests.block_text import block_texts
from tests.fake_slack import TEAM, FakeSlack
from tests.slack_requests import SECRET, event, signed_headers, slash_command

ASKER = "U0ASKER01"  # the user every request in tests.slack_requests comes from
FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


class Bot:
    """One app built by build_app, talking to one fake Slack, with its SQLite store in data_dir."""

    def __init__(self, app: App, slack: FakeSlack, data_dir: Path) -> None:
        self.app = app
        self.slack = slack
        self.data_dir = data_dir

    def send(self, body: str, content_type: str, **headers: str) -> BoltResponse:
        """Dispatch a body as Slack would POST it: signed, with its content type."""
        signed: dict[str, str | Sequence[str]] = {
            **signed_headers(body),
            "content-type": content_type,
            **headers,
        }
        return self.app.dispatch(BoltRequest(body=body, headers=signed))

    def command(self, text: str, response: str = "command") -> BoltResponse:
        """/docker-explain <text>; its response_url is the fake's /response/<response>."""
        return self.send(slash_command(text, self.slack.response_url(response)), FORM)

    def event(
        self, inner: dict[str, Any], event_id: str = "Ev0001", retry: int = 0
    ) -> BoltResponse:
        headers = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
        return self.send(event(inner, event_id), JSON, **(headers if retry else {}))

    def click(self, body: str) -> BoltResponse:
        """An interactivity payload (form-encoded `payload=`), as built by block_action()."""
        return self.send(body, FORM)

    def settle(self) -> None:
        """Wait until every listener started so far has finished; the app takes no more work.

        Listeners run on Bolt's executor after the ack, so this is how a test knows that
        something did *not* happen, without sleeping.
        """
        self.app.listener_runner.listener_executor.shutdown(wait=True)

    def records(self) -> list[Record]:
        """Feedback the app stored, read back from its SQLite file once listeners settled."""
        self.settle()
        with open_store(None, self.data_dir) as store:
            return store.records()

    def posts(self) -> list[dict[str, Any]]:
        return [c.params for c in self.slack.of("chat.postMessage")]

    def responses(self, name: str) -> list[dict[str, Any]]:
        return [c.params for c in self.slack.of(f"response:{name}")]


BotFactory = Callable[..., Bot]

# Questions that should draw "did you mean" suggestions; the matcher's thresholds are tuned
# elsewhere, so tests take the first one that still does rather than pinning one.
SUGGESTING = (
    "how do I delete stuff",
    "logs stats",
    "how do i get a file into a running container",
    "how to get the ip address of a container",
    "how can i see what processes are running in my container",
    "how do i remove volumes that no container uses anymore",
    "data",
)


def suggesting_question(kb: KnowledgeBase) -> str:
    for question in SUGGESTING:
        if explain(question, kb)[1].outcome is Outcome.SUGGEST:
            return question
    raise AssertionError(f"none of {SUGGESTING} draws suggestions any more; add one that does")


@pytest.fixture
def make_bot(fake_slack: FakeSlack, kb: KnowledgeBase, tmp_path: Path) -> Iterator[BotFactory]:
    """Builds apps on the test's fake Slack; each is settled before the fake stops."""
    built: list[Bot] = []

    def make(knowledge: KnowledgeBase | None = None, recorder: Recorder | None = None) -> Bot:
        data_dir = tmp_path / f"data{len(built)}"
        settings = Settings(
            bot_token="xoxb-test",
            signing_secret=SECRET,
            api_url=fake_slack.api_url,
            data_dir=data_dir,
        )
        bot = Bot(build_app(settings, knowledge or kb, recorder), fake_slack, data_dir)
        built.append(bot)
        return bot

    yield make
    for bot in built:
        bot.settle()


@pytest.fixture
def bot(make_bot: BotFactory) -> Bot:
    return make_bot()


def unreachable_recorder(data_dir: Path) -> Recorder:
    """A Recorder whose store is PostgreSQL on a closed loopback port: every open fails."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"postgresql://docker:explain@127.0.0.1:{port}/feedback"
    return Recorder(lambda: open_store(url, data_dir), SECRET)


def reply_of(response: BoltResponse) -> dict[str, Any]:
    """The message a slash command was answered with inside its ack."""
    assert response.status == 200, response.body
    message = json.loads(response.body)
    assert isinstance(message, dict)
    return message


def elements(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every interactive element: buttons of actions blocks and section accessories."""
    found: list[dict[str, Any]] = []
    for block in blocks:
        if block.get("type") == "actions":
            found += [{**e, "block_id": block.get("block_id", "")} for e in block["elements"]]
        elif "accessory" in block:
            found.append({**block["accessory"], "block_id": block.get("block_id", "")})
    return found


def action_ids(blocks: list[dict[str, Any]]) -> list[str]:
    return [e["action_id"] for e in elements(blocks)]


def button(blocks: list[dict[str, Any]], kind: str) -> dict[str, Any]:
    """The first element whose action_id is `kind` or starts with `kind:`."""
    for element in elements(blocks):
        if element["action_id"] == kind or element["action_id"].startswith(kind + ":"):
            return element
    raise AssertionError(f"no {kind} element in {action_ids(blocks)}")


def all_text(blocks: list[dict[str, Any]]) -> str:
    """Every text string in the blocks, in order, one per line."""
    return "\n".join(block_texts(blocks))


def header(blocks: list[dict[str, Any]]) -> str:
    """The text of the first header block (a topic card's title)."""
    for block in blocks:
        if block.get("type") == "header":
            return str(block["text"]["text"])
    raise AssertionError("no header block")


def view_click(action: dict[str, Any], user: str = ASKER) -> str:
    """A block_actions payload from an App Home view (no channel, message or response_url)."""
    payload = {
        "type": "block_actions",
        "team": {"id": TEAM, "domain": "example"},
        "user": {"id": user, "team_id": TEAM},
        "api_app_id": "A0APP0001",
        "token": "legacy",
        "container": {"type": "view", "view_id": "V0VIEW001"},
        "trigger_id": "1.2.3",
        "view": {"id": "V0VIEW001", "type": "home", "blocks": []},
        "actions": [{**action, "action_ts": str(time.time())}],
    }
    return urlencode({"payload": json.dumps(payload)})
