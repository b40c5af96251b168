"""Fills a fresh feedback store by asking the bot every question of a question file through
Slack's front door, then prints the curators' gap report.

Each question is sent as a signed /docker-explain request to the real Bolt app (Web API: the
fake on 127.0.0.1 from the tests). A simulated asker then reacts as a person would: on a "did
you mean" with the expected topic among the buttons, they click it; on a confident answer
with the wrong topic, they click 👎; on a right answer, 👍 one time in four.

    .venv/bin/python bench/gap_report.py [tests/questions.yaml] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from slack_bolt import App  # noqa: E402
from slack_bolt.request import BoltRequest  # noqa: E402

from bot.app import build_app  # noqa: E402
from bot.blocks import CHOOSE, VOTE_DOWN, VOTE_UP  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.evaluate import Question, load_questions  # noqa: E402
from bot.gaps import build_gap_report, gap_report_json, gap_report_text  # noqa: E402
from bot.knowledge import load_knowledge  # noqa: E402
from bot.store import open_store  # noqa: E402
from tests import slack_requests as sr  # noqa: E402
from tests.fake_slack import FakeSlack  # noqa: E402


def send(app: App, body: str) -> dict[str, Any]:
    headers = {**sr.signed_headers(body), "content-type": "application/x-www-form-urlencoded"}
    response = app.dispatch(BoltRequest(body=body, headers=headers))
    assert response.status == 200, response.body
    return json.loads(response.body) if response.body else {}


def buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        e
        for b in message.get("blocks", [])
        if b.get("type") == "actions"
        for e in b.get("elements", [])
    ]


def react(app: App, fake: FakeSlack, question: Question, message: dict[str, Any], n: int) -> str:
    """What the simulated asker clicks, if anything."""
    for button in buttons(message):
        action = button["action_id"]
        value = json.loads(button.get("value") or "{}")
        if action.startswith(CHOOSE + ":") and value.get("t") in question.accepted:
            send(app, sr.block_action(action, button["value"], fake.response_url("c")))
            return "chose"
    votes = {b["action_id"]: b["value"] for b in buttons(message)}
    if VOTE_UP in votes:
        topic = json.loads(votes[VOTE_UP]).get("t")
        if topic not in question.accepted:
            send(app, sr.block_action(VOTE_DOWN, votes[VOTE_DOWN], fake.response_url("v")))
            return "downvote"
        if n % 4 == 0:
            send(app, sr.block_action(VOTE_UP, votes[VOTE_UP], fake.response_url("v")))
            return "upvote"
    return "none"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("file", nargs="?", default=str(ROOT / "tests" / "questions.yaml"))
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    questions = load_questions(Path(args.file))
    kb = load_knowledge(ROOT / "knowledge")
    fake = FakeSlack().start()
    with tempfile.TemporaryDirectory() as data:
        settings = Settings(
            bot_token="xoxb-bench",
            signing_secret=sr.SECRET,
            api_url=fake.api_url,
            data_dir=Path(data),
        )
        app = build_app(settings, kb)
        clicks: dict[str, int] = {}
        for n, question in enumerate(questions):
            message = send(app, sr.slash_command(question.q, fake.response_url("cmd")))
            kind = react(app, fake, question, message, n)
            clicks[kind] = clicks.get(kind, 0) + 1
        app.listener_runner.listener_executor.shutdown(wait=True)
        fake.stop()
        with open_store(None, Path(data)) as store:
            report = build_gap_report(store.records(), 30)
    if args.json:
        print(json.dumps(gap_report_json(report), indent=2, ensure_ascii=False))
        return
    print(f"{len(questions)} questions from {args.file} asked with /docker-explain")
    print(f"simulated clicks: {clicks}")
    print(gap_report_text(report), end="")


if __name__ == "__main__":
    main()
