"""End to end over HTTP: the real gunicorn web process, signed Slack requests, a fake Web API."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from slack_sdk.signature import SignatureVerifier

from bot import blocks, texts
from bot.blocks import button_value
from bot.knowledge import KnowledgeBase, check_knowledge
from tests import slack_requests as sr
from tests.block_text import block_texts, mrkdwn_texts
from tests.e2e_helpers import (
    Process,
    Response,
    child_env,
    edit_topic,
    free_port,
    kb_copy,
    posts,
    request,
    start_web,
    wait_posts,
    web_command,
)
from tests.fake_slack import BOT_USER, FakeSlack

JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
WAIT = 30.0  # seconds to wait for a post the bot should make (generous for a loaded machine)
QUIET = 1.5  # seconds to watch for a post the bot should not make

_ids = itertools.count(1)


@dataclass
class Web:
    process: Process
    port: int
    fake: FakeSlack

    def post(self, body: str | bytes, content_type: str, **headers: str) -> Response:
        return request(
            self.port,
            "POST",
            "/slack/events",
            body,
            {"Content-Type": content_type, **headers},
        )

    def signed(self, body: str | bytes, content_type: str, **headers: str) -> Response:
        return self.post(body, content_type, **sr.signed_headers(body), **headers)

    def command(self, text: str, response_url: str | None = None) -> Response:
        body = sr.slash_command(text, response_url or self.fake.response_url("command"))
        return self.signed(body, FORM)

    def event(self, inner: dict[str, Any], event_id: str, **headers: str) -> Response:
        return self.signed(sr.event(inner, event_id), JSON, **headers)


def _serve(tmp: Path, fake: FakeSlack) -> Iterator[Web]:
    env = child_env(
        tmp,
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_SIGNING_SECRET=sr.SECRET,
        SLACK_API_URL=fake.api_url,
        DATA_DIR=str(tmp / "data"),
    )
    process, port = start_web(env, tmp / "logs")
    try:
        yield Web(process, port, fake)
    finally:
        process.stop()


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeSlack]:
    slack = FakeSlack().start()
    yield slack
    slack.stop()


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory, fake: FakeSlack) -> Iterator[Web]:
    """One gunicorn for the module, started as the Procfile's web: line runs it."""
    yield from _serve(tmp_path_factory.mktemp("web"), fake)


def unique(prefix: str) -> tuple[str, str]:
    """A fresh event id and message ts, so tests sharing the fake never see each other's posts."""
    n = next(_ids)
    return f"{prefix}{n:04d}", f"17000{n:05d}.000100"


def settle(web: Web) -> None:
    """Let earlier events finish: one more DM is answered, then the fake stays quiet a moment.

    Events are acknowledged before their listener runs, so "no post yet" alone proves nothing.
    """
    event_id, ts = unique("EvBarrier")
    channel = f"D0BAR{ts[5:10]}"
    reply = web.event(sr.direct_message("what is a volume", ts=ts, channel=channel), event_id)
    assert reply.status == 200
    wait_posts(web.fake, channel)
    web.fake.wait_quiet(QUIET)


def context_texts(blocks: list[dict[str, Any]]) -> list[str]:
    return [e.get("text", "") for b in blocks if b["type"] == "context" for e in b["elements"]]


def is_about_volumes(text: str) -> bool:
    return "volume" in text.lower()


def test_health_check_answers_200(web: Web) -> None:
    reply = request(web.port, "GET", "/healthz")
    assert reply.status == 200


def test_url_verification_echoes_the_challenge(web: Web) -> None:
    challenge = "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"
    body = json.dumps({"token": "legacy", "type": "url_verification", "challenge": challenge})
    reply = web.signed(body, JSON)
    assert reply.status == 200
    assert reply.json()["challenge"] == challenge


def test_slash_command_is_answered_inside_the_ack(web: Web) -> None:
    reply = web.command("what is a volume")
    assert reply.status == 200
    body = reply.json()
    assert body["response_type"] == "ephemeral"
    assert body["blocks"], "the answer carries Block Kit blocks"
    assert is_about_volumes(body["text"])
    assert body["blocks"][0]["type"] == "header"
    assert is_about_volumes(body["blocks"][0]["text"]["text"])


@pytest.mark.parametrize("text", ["help", ""], ids=["help", "empty"])
def test_slash_command_help_and_empty_text_explain_how_to_ask(web: Web, text: str) -> None:
    reply = web.command(text)
    assert reply.status == 200
    body = reply.json()
    assert body["response_type"] == "ephemeral"
    assert body["text"].startswith(texts.HELP_TITLE)
    assert any(texts.COMMAND in t for t in mrkdwn_texts(body["blocks"]))


def test_slash_command_topics_lists_every_category(web: Web, kb: KnowledgeBase) -> None:
    reply = web.command("topics")
    assert reply.status == 200
    body = reply.json()
    assert body["text"].startswith(texts.TOPICS_TITLE)
    shown = "\n".join(mrkdwn_texts(body["blocks"]))
    for category in kb.categories:
        assert category.title in shown


def test_mention_is_answered_in_its_thread_without_the_bot_prefix(web: Web) -> None:
    event_id, ts = unique("EvMention")
    reply = web.event(sr.mention("what is a volume", ts=ts), event_id)
    assert reply.status == 200
    (post,) = wait_posts(web.fake, "C0CHAN001", ts)
    assert is_about_volumes(post.params["text"])
    assert f"{texts.YOU_ASKED}what is a volume" in context_texts(post.params["blocks"])
    assert f"<@{BOT_USER}>" not in json.dumps(post.params)


def test_retried_event_is_answered_once(web: Web) -> None:
    event_id, ts = unique("EvRetry")
    body = sr.event(sr.mention("what is a docker image", ts=ts), event_id)
    assert web.signed(body, JSON).status == 200
    wait_posts(web.fake, "C0CHAN001", ts)
    retry_headers = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    retry = web.signed(body, JSON, **retry_headers)
    assert retry.status == 200
    settle(web)
    assert len(posts(web.fake, "C0CHAN001", ts)) == 1


def test_direct_message_is_answered_in_the_dm(web: Web) -> None:
    event_id, ts = unique("EvDM")
    channel = "D0DMTEST1"
    reply = web.event(sr.direct_message("what is a volume", ts=ts, channel=channel), event_id)
    assert reply.status == 200
    (post,) = wait_posts(web.fake, channel)
    assert is_about_volumes(post.params["text"])
    assert not post.params.get("thread_ts")


def test_message_from_a_bot_gets_no_reply(web: Web) -> None:
    event_id, ts = unique("EvBot")
    channel = "D0DMBOT01"
    inner = sr.direct_message("what is a volume", ts=ts, channel=channel, bot_id="B0OTHER01")
    assert web.event(inner, event_id).status == 200
    settle(web)
    assert posts(web.fake, channel) == []


@pytest.mark.parametrize(
    ("action", "thanks"),
    [("vote_up", texts.THANKS_UP), ("vote_down", texts.THANKS_DOWN)],
    ids=["up", "down, promising the curators will see it"],
)
def test_vote_button_thanks_privately_through_the_response_url(
    web: Web, action: str, thanks: str
) -> None:
    value = button_value(t="volume", q="what is a volume")
    body = sr.block_action(action, value, web.fake.response_url(action))
    assert web.signed(body, FORM).status == 200
    (call,) = web.fake.wait_for(f"response:{action}", timeout=WAIT)
    assert call.params["text"] == thanks
    assert call.params["response_type"] == "ephemeral"
    assert call.params["replace_original"] is False


def test_share_button_posts_the_answer_in_channel_and_removes_the_private_one(web: Web) -> None:
    value = button_value(t="volume", q="what is a volume")
    body = sr.block_action("share", value, web.fake.response_url("share"), ephemeral=True)
    assert web.signed(body, FORM).status == 200
    shared, deleted = web.fake.wait_for("response:share", 2, timeout=WAIT)
    assert shared.params["response_type"] == "in_channel"
    assert is_about_volumes(shared.params["text"])
    assert deleted.params["delete_original"] is True


def test_related_topic_button_on_a_private_answer_shows_that_topic_in_place(web: Web) -> None:
    action = f"{blocks.SHOW_TOPIC}:tmpfs"
    body = sr.block_action(
        action, button_value(t="tmpfs"), web.fake.response_url("related"), ephemeral=True
    )
    assert web.signed(body, FORM).status == 200
    (call,) = web.fake.wait_for("response:related", timeout=WAIT)
    assert call.params["replace_original"] is True
    header = call.params["blocks"][0]
    assert header["type"] == "header" and "tmpfs" in header["text"]["text"].lower()


def test_did_you_mean_choice_answers_with_the_chosen_topic(web: Web) -> None:
    value = button_value(t="docker-rmi", q="delete")
    body = sr.block_action(f"{blocks.CHOOSE}:docker-rmi", value, web.fake.response_url("chose"))
    assert web.signed(body, FORM).status == 200
    (call,) = web.fake.wait_for("response:chose", timeout=WAIT)
    assert call.params["replace_original"] is True
    assert "docker rmi" in call.params["text"]


def test_a_close_runner_up_under_an_answer_is_one_click_away(web: Web) -> None:
    body = web.command("container exited with code 137, what does that mean").json()
    assert body["blocks"][0]["text"]["text"] == "Why a container exits right away"
    [offer] = [b for b in body["blocks"] if b.get("block_id", "").startswith("also:")]
    button = offer["elements"][0]
    assert button["action_id"] == f"{blocks.CHOOSE}:resource-limits"
    click = sr.block_action(
        button["action_id"], button["value"], web.fake.response_url("also"), ephemeral=True
    )
    assert web.signed(click, FORM).status == 200
    (call,) = web.fake.wait_for("response:also", timeout=WAIT)
    assert call.params["replace_original"] is True
    assert call.params["blocks"][0]["text"]["text"] == "Limiting memory and CPU"


def test_none_of_these_is_thanked_and_replaces_the_suggestions(web: Web) -> None:
    body = sr.block_action(
        blocks.NONE_OF_THESE, button_value(q="delete"), web.fake.response_url("none")
    )
    assert web.signed(body, FORM).status == 200
    (call,) = web.fake.wait_for("response:none", timeout=WAIT)
    assert call.params["text"] == texts.NONE_OF_THESE_REPLY


def test_a_button_for_a_topic_that_no_longer_exists_gets_a_clear_reply(web: Web) -> None:
    action = f"{blocks.SHOW_TOPIC}:retired-topic"
    body = sr.block_action(action, button_value(t="retired-topic"), web.fake.response_url("gone"))
    assert web.signed(body, FORM).status == 200
    (call,) = web.fake.wait_for("response:gone", timeout=WAIT)
    assert "no longer in my knowledge base" in call.params["text"]


def test_opening_the_home_tab_publishes_the_home_view(web: Web, kb: KnowledgeBase) -> None:
    user = "U0HOME0001"
    inner = {"type": "app_home_opened", "user": user, "channel": "D0HOME001", "tab": "home"}
    event_id, _ = unique("EvHome")
    assert web.event(inner, event_id).status == 200
    published = [
        c for c in web.fake.wait_for("views.publish", timeout=WAIT) if c.params["user_id"] == user
    ]
    view = published[0].params["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert view["type"] == "home" and len(view["blocks"]) <= 100
    shown = "\n".join(block_texts(view["blocks"]))
    assert all(category.title in shown for category in kb.categories)


def test_a_home_tab_topic_button_answers_in_the_users_dm(web: Web) -> None:
    user = "U0HOMEPICK"
    payload = {
        "type": "block_actions",
        "team": {"id": "T0TEAM001"},
        "user": {"id": user, "team_id": "T0TEAM001"},
        "api_app_id": "A0APP0001",
        "token": "legacy",
        "container": {"type": "view", "view_id": "V0VIEW001"},
        "trigger_id": "1.2.3",
        "view": {"id": "V0VIEW001", "type": "home"},
        "actions": [
            {
                "action_id": f"{blocks.HOME_PICK}:volume",
                "block_id": "b1",
                "value": button_value(t="volume"),
                "type": "button",
                "action_ts": "1700000000.1",
            }
        ],
    }
    body = urlencode({"payload": json.dumps(payload)})
    assert web.signed(body, FORM).status == 200
    posts_to_user = [
        c
        for c in web.fake.wait_for("chat.postMessage", timeout=WAIT)
        if c.params.get("channel") == user
    ]
    deadline = time.monotonic() + WAIT
    while not posts_to_user and time.monotonic() < deadline:
        time.sleep(0.1)
        posts_to_user = [c for c in web.fake.of("chat.postMessage") if c.params["channel"] == user]
    assert posts_to_user and is_about_volumes(posts_to_user[0].params["text"])


def test_forged_signature_is_rejected(web: Web) -> None:
    body = sr.slash_command("what is a volume")
    reply = web.post(body, FORM, **sr.signed_headers(body, secret="not-the-secret"))
    assert reply.status == 401
    assert b"volume" not in reply.body.lower()


def test_ten_minute_old_request_is_rejected(web: Web) -> None:
    body = sr.slash_command("what is a volume")
    reply = web.post(body, FORM, **sr.signed_headers(body, age=600))
    assert reply.status == 401
    assert b"volume" not in reply.body.lower()


def _signed(body: bytes) -> dict[str, str]:
    """Slack's signature over the raw bytes (slack_sdk's signer only takes UTF-8 text)."""
    timestamp = str(int(time.time()))
    base = b"v0:" + timestamp.encode() + b":" + body
    digest = hmac.new(sr.SECRET.encode(), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": f"v0={digest}"}


def _word_timestamp(body: bytes) -> dict[str, str]:
    signature = SignatureVerifier(sr.SECRET).generate_signature(timestamp="yesterday", body=body)
    assert signature is not None
    return {"X-Slack-Request-Timestamp": "yesterday", "X-Slack-Signature": signature}


def _unsigned(body: bytes) -> dict[str, str]:
    return {}


Headers = Callable[[bytes], dict[str, str]]
BROKEN_JSON = b'{"type": "event_callback", "event": {'
BAD_INPUT: dict[str, tuple[bytes, str, Headers, int]] = {
    "broken JSON, signed": (BROKEN_JSON, JSON, _signed, 400),
    "broken JSON, unsigned": (BROKEN_JSON, JSON, _unsigned, 401),
    "form payload that is not JSON, signed": (b"payload=%7Bnot+json", FORM, _signed, 400),
    "empty body, signed": (b"", JSON, _signed, 400),
    "empty body, unsigned": (b"", JSON, _unsigned, 401),
    "empty form, signed": (b"", FORM, _signed, 400),
    "timestamp that is not a number": (sr.slash_command("hi").encode(), FORM, _word_timestamp, 401),
    "JSON that is not an object, signed": (b"[1, 2, 3]", JSON, _signed, 400),
    "body over 1 MB, signed": (b'{"pad": "' + b"x" * 1_100_000 + b'"}', JSON, _signed, 413),
}


@pytest.mark.parametrize("case", list(BAD_INPUT), ids=list(BAD_INPUT))
def test_bad_input_gets_a_4xx_and_the_server_keeps_serving(web: Web, case: str) -> None:
    body, content_type, headers, expected = BAD_INPUT[case]
    reply = web.post(body, content_type, **headers(body))
    assert reply.status == expected
    assert request(web.port, "GET", "/healthz").status == 200
    assert web.command("what is a volume").status == 200


def _answer(web: Web, question: str) -> dict[str, Any]:
    reply = web.command(question)
    assert reply.status == 200
    body: dict[str, Any] = reply.json()
    assert body["response_type"] == "ephemeral"
    assert body["text"].strip()
    assert body["blocks"]
    return body


def test_empty_question_gets_the_help(web: Web) -> None:
    assert _answer(web, "   ")["text"].startswith(texts.HELP_TITLE)


def test_forty_thousand_character_question_gets_an_answer_within_slack_limits(web: Web) -> None:
    question = ("what is a volume " * 2400)[:40_000]
    body = _answer(web, question)
    assert is_about_volumes(body["text"])
    assert len(body["blocks"]) <= 50
    for text in mrkdwn_texts(body["blocks"]):
        assert len(text) <= 3000
    assert all(len(t) <= 2000 for t in context_texts(body["blocks"]))


def test_forty_thousand_character_question_reply_says_it_was_cut(web: Web) -> None:
    body = _answer(web, ("what is a volume " * 2400)[:40_000])
    notice = texts.TOO_LONG.format(limit=4000)
    assert notice in body["text"] or any(notice in t for t in mrkdwn_texts(body["blocks"]))


def test_emoji_only_question_gets_a_clear_reply(web: Web) -> None:
    body = _answer(web, "🐳🐳🐳 🚀🔥")
    assert body["text"].startswith((texts.HELP_TITLE, texts.VAGUE, texts.DECLINE))


def test_control_characters_in_a_question_do_not_break_the_reply(web: Web) -> None:
    body = _answer(web, "what is a volume\x00\x07\x1b[31m\x7f\x08")
    assert is_about_volumes(body["text"])


def test_channel_and_user_mentions_in_a_question_are_never_echoed_as_mrkdwn(web: Web) -> None:
    body = _answer(web, "<!channel> what is a volume <@U123> <!here>")
    for text in [body["text"], *mrkdwn_texts(body["blocks"])]:
        assert "<!channel>" not in text
        assert "<!here>" not in text
        assert "<@U123>" not in text


def test_question_that_is_not_about_docker_is_declined(web: Web) -> None:
    body = _answer(web, "what is the capital of France")
    assert body["text"].startswith(texts.DECLINE)


def test_web_process_logged_no_traceback_and_no_5xx(web: Web) -> None:
    """Runs after the tests above (file order): everything they sent is in the logs by now."""
    settle(web)
    assert "Traceback" not in web.process.stderr
    statuses = re.findall(r'HTTP/1\.[01]" (\d{3}) ', web.process.stdout)
    assert statuses, "gunicorn's access log (stdout) records each request"
    assert not [s for s in statuses if s.startswith("5")]


@pytest.fixture(scope="module")
def second_web(tmp_path_factory: pytest.TempPathFactory, fake: FakeSlack) -> Iterator[Web]:
    """A separate web process for input known to end in a 500, so `web`'s logs stay clean."""
    yield from _serve(tmp_path_factory.mktemp("web-shapes"), fake)


def _forged(body: bytes) -> dict[str, str]:
    return {**_signed(body), "X-Slack-Signature": "v0=" + "0" * 64}


NOT_UTF8 = b"payload=\xff\xfe\xfa"
CRASHING: dict[str, tuple[bytes, str, Headers, int]] = {
    "bytes that are not UTF-8, signed": (NOT_UTF8, FORM, _signed, 400),
    "bytes that are not UTF-8, forged signature": (NOT_UTF8, FORM, _forged, 401),
    "event that is not an object, signed": (
        b'{"type": "event_callback", "event": "nope"}',
        JSON,
        _signed,
        400,
    ),
    "block_actions with no actions, signed": (
        urlencode({"payload": json.dumps({"type": "block_actions", "actions": []})}).encode(),
        FORM,
        _signed,
        400,
    ),
}


@pytest.mark.parametrize("case", list(CRASHING), ids=list(CRASHING))
def test_input_that_crashes_today_gets_a_4xx_without_a_traceback(
    second_web: Web, case: str
) -> None:
    body, content_type, headers, expected = CRASHING[case]
    before = second_web.process.stderr.count("Traceback")
    reply = second_web.post(body, content_type, **headers(body))
    assert reply.status == expected
    assert second_web.process.stderr.count("Traceback") == before
    assert request(second_web.port, "GET", "/healthz").status == 200


def _start_expecting_failure(tmp_path: Path, fake: FakeSlack, **settings: str | None) -> Process:
    base = {
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": sr.SECRET,
        "SLACK_API_URL": fake.api_url,
        "DATA_DIR": str(tmp_path / "data"),
    }
    env = child_env(tmp_path, **{**base, **settings})
    process = Process(web_command(free_port()), env, tmp_path / "logs")
    try:
        process.wait()
    finally:
        process.stop()
    return process


def _rel(path: Path, root: Path) -> str:
    return str(path.relative_to(root.parent))


def test_broken_knowledge_base_stops_the_web_process_listing_every_problem(
    tmp_path: Path, fake_slack: FakeSlack
) -> None:
    root = kb_copy(tmp_path)
    missing, dangling = sorted(root.glob("*/*.yaml"))[:2]
    edit_topic(missing, lambda d: d.pop("analogy"))
    edit_topic(dangling, lambda d: d["related"].append("no-such-topic"))
    process = _start_expecting_failure(tmp_path, fake_slack, KNOWLEDGE_DIR=str(root))
    output = process.stdout + process.stderr
    assert process.popen.returncode != 0
    assert "Listening at" not in output, "it must not bind before the knowledge base loads"
    assert "Traceback" not in output
    lines = output.splitlines()
    assert any(_rel(missing, root) in ln and "KB003" in ln and "analogy" in ln for ln in lines)
    assert any(
        _rel(dangling, root) in ln and "KB009" in ln and "no-such-topic" in ln for ln in lines
    )
    _, problems = check_knowledge(root)
    for problem in problems:
        assert str(problem) in output


def test_a_topic_file_with_two_problems_has_both_listed_at_start(
    tmp_path: Path, fake_slack: FakeSlack
) -> None:
    root = kb_copy(tmp_path)
    broken = sorted(root.glob("*/*.yaml"))[0]

    def damage(data: dict[str, Any]) -> None:
        data.pop("analogy")
        data["related"].append("no-such-topic")

    edit_topic(broken, damage)
    process = _start_expecting_failure(tmp_path, fake_slack, KNOWLEDGE_DIR=str(root))
    lines = (process.stdout + process.stderr).splitlines()
    assert process.popen.returncode != 0
    assert any(_rel(broken, root) in ln and "KB003" in ln for ln in lines)
    assert any(_rel(broken, root) in ln and "KB009" in ln and "no-such-topic" in ln for ln in lines)


def test_missing_signing_secret_stops_the_web_process_with_one_line(
    tmp_path: Path, fake_slack: FakeSlack
) -> None:
    process = _start_expecting_failure(tmp_path, fake_slack, SLACK_SIGNING_SECRET=None)
    output = process.stdout + process.stderr
    assert process.popen.returncode != 0
    assert "Traceback" not in output
    naming = [line for line in output.splitlines() if "SLACK_SIGNING_SECRET" in line]
    assert len(naming) == 1
    assert "not set" in naming[0]


def test_rejected_bot_token_stops_the_web_process_with_one_line(
    tmp_path: Path, fake_slack: FakeSlack
) -> None:
    fake_slack.queue("auth.test", 200, {"ok": False, "error": "invalid_auth"})
    process = _start_expecting_failure(tmp_path, fake_slack)
    output = process.stdout + process.stderr
    assert process.popen.returncode != 0
    assert "Traceback" not in output
    assert len([line for line in output.splitlines() if "invalid_auth" in line]) == 1
