"""Direct messages through app.dispatch: answered in the DM; bots, edits and channels ignored."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot import texts
from bot.knowledge import KnowledgeBase
from tests.fake_slack import BOT_ID, BOT_USER
from tests.listeners.conftest import Bot, all_text, header
from tests.slack_requests import direct_message

DM = "D0DM00001"


def test_direct_message_is_answered_in_the_dm(bot: Bot, kb: KnowledgeBase) -> None:
    response = bot.event(direct_message("what is a volume"))
    assert response.status == 200
    [post] = [c.params for c in bot.slack.wait_for("chat.postMessage")]
    volume = kb.get("volume")
    assert volume is not None
    assert post["channel"] == DM
    assert "thread_ts" not in post
    assert header(post["blocks"]) == volume.title


def test_direct_message_in_a_thread_is_answered_in_that_thread(bot: Bot) -> None:
    thread = "1699999999.000050"
    bot.event(direct_message("what is a volume", ts="1700000000.000700", thread_ts=thread))
    [post] = [c.params for c in bot.slack.wait_for("chat.postMessage")]
    assert (post["channel"], post["thread_ts"]) == (DM, thread)


IGNORED: dict[str, dict[str, Any]] = {
    "the bot's own message": direct_message("what is a volume", user=BOT_USER, bot_id=BOT_ID),
    "another bot's message": direct_message(
        "what is a volume", user="U0OTHERBOT", bot_id="B0OTHER01", subtype="bot_message"
    ),
    "an edit": {
        **direct_message("what is a volume"),
        "subtype": "message_changed",
        "hidden": True,
        "message": {"type": "message", "user": "U0ASKER01", "text": "what is a volume"},
        "previous_message": {"type": "message", "user": "U0ASKER01", "text": "what is a"},
    },
    "a deletion": {**direct_message(""), "subtype": "message_deleted", "hidden": True},
    "a message in a channel": direct_message(
        "what is a volume", channel="C0CHAN001", channel_type="channel"
    ),
}


@pytest.mark.parametrize("inner", IGNORED.values(), ids=IGNORED.keys())
def test_messages_that_are_not_questions_to_the_bot_are_ignored(
    bot: Bot, inner: dict[str, Any]
) -> None:
    response = bot.event(inner)
    assert response.status == 200
    bot.settle()
    assert bot.posts() == []
    assert bot.records() == []


def test_retried_direct_message_is_answered_once(bot: Bot) -> None:
    bot.event(direct_message("what is a volume"), event_id="Ev0DM0001")
    bot.event(direct_message("what is a volume"), event_id="Ev0DM0001", retry=1)
    bot.settle()
    assert len(bot.posts()) == 1


def test_declined_direct_message_is_recorded(bot: Bot) -> None:
    bot.event(direct_message("what's the weather"))
    [post] = [c.params for c in bot.slack.wait_for("chat.postMessage")]
    assert texts.DECLINE in post["text"]
    [record] = bot.records()
    assert (record.kind, record.question) == ("declined", "what's the weather")


def test_mention_typed_in_a_direct_message_is_not_part_of_the_question(bot: Bot) -> None:
    bot.event(direct_message(f"<@{BOT_USER}> what is a volume"))
    [post] = [c.params for c in bot.slack.wait_for("chat.postMessage")]
    assert texts.YOU_ASKED + "what is a volume" in all_text(post["blocks"])
    assert f"<@{BOT_USER}>" not in json.dumps(post, ensure_ascii=False)


def test_a_thank_you_in_the_dm_gets_a_welcome_and_is_not_recorded(bot: Bot) -> None:
    bot.event(direct_message("thanks, that worked!"))
    [post] = [c.params for c in bot.slack.wait_for("chat.postMessage")]
    assert post["text"] == texts.YOU_ARE_WELCOME
    assert bot.records() == []
