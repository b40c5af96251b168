"""Button clicks through app.dispatch, using the buttons real replies carry (issue 5)."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest
from slack_bolt import BoltResponse

from bot import blocks, texts
from bot.knowledge import KnowledgeBase
from bot.store import hash_user
from tests.fake_slack import TEAM
from tests.listeners.conftest import (
    ASKER,
    Bot,
    BotFactory,
    action_ids,
    all_text,
    button,
    elements,
    header,
    reply_of,
    suggesting_question,
    unreachable_recorder,
)
from tests.slack_requests import SECRET, block_action, mention

GONE = texts.GONE.format(command=texts.COMMAND)
MENTION_TS = "1700000000.000100"
ANSWER_TS = "1700000000.000400"  # the bot's answer in the thread, where the button was clicked


def answer_blocks(bot: Bot, question: str = "what is a volume") -> list[dict[str, Any]]:
    """The blocks of the ephemeral slash-command answer to a question."""
    message = reply_of(bot.command(question))
    return list(message["blocks"])


def click(
    bot: Bot, element: dict[str, Any], name: str, ephemeral: bool = True, **extra: Any
) -> BoltResponse:
    """Click a button taken from a reply; its follow-ups go to the fake's /response/<name>."""
    body = block_action(
        element["action_id"], element["value"], bot.slack.response_url(name), ephemeral, **extra
    )
    response = bot.click(body)
    assert response.status == 200
    return response


def errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


def title(kb: KnowledgeBase, topic_id: str) -> str:
    topic = kb.get(topic_id)
    assert topic is not None, topic_id
    return topic.title


def test_related_topic_on_an_ephemeral_answer_replaces_it_with_that_topic(
    bot: Bot, kb: KnowledgeBase
) -> None:
    related = button(answer_blocks(bot), blocks.SHOW_TOPIC)
    topic = json.loads(related["value"])["t"]
    click(bot, related, "related")
    [reply] = [c.params for c in bot.slack.wait_for("response:related")]
    assert reply["replace_original"] is True
    assert header(reply["blocks"]) == title(kb, topic)
    assert blocks.SHARE in action_ids(reply["blocks"]), "still ephemeral, so still shareable"
    bot.settle()
    assert bot.posts() == []


@pytest.mark.parametrize(
    ("message", "thread"),
    [
        ({"type": "message", "ts": ANSWER_TS, "thread_ts": MENTION_TS}, MENTION_TS),
        ({"type": "message", "ts": ANSWER_TS}, ANSWER_TS),
    ],
    ids=["answer in a thread", "answer at top level"],
)
def test_related_topic_on_a_channel_message_is_posted_in_its_thread(
    bot: Bot, kb: KnowledgeBase, message: dict[str, Any], thread: str
) -> None:
    bot.event(mention("what is a volume", ts=MENTION_TS))
    [answer] = [c.params for c in bot.slack.wait_for("chat.postMessage")]
    related = button(answer["blocks"], blocks.SHOW_TOPIC)
    click(bot, related, "related", ephemeral=False, message=message)
    post = [c.params for c in bot.slack.wait_for("chat.postMessage", 2)][1]
    assert (post["channel"], post["thread_ts"]) == ("C0CHAN001", thread)
    assert header(post["blocks"]) == title(kb, json.loads(related["value"])["t"])
    assert blocks.SHARE not in action_ids(post["blocks"])
    bot.settle()
    assert bot.responses("related") == []


@pytest.mark.parametrize(
    ("kind", "recorded", "thanks"),
    [
        (blocks.VOTE_UP, "upvote", texts.THANKS_UP),
        (blocks.VOTE_DOWN, "downvote", texts.THANKS_DOWN),
    ],
)
def test_vote_is_recorded_with_topic_and_question_and_thanked(
    bot: Bot, kind: str, recorded: str, thanks: str
) -> None:
    vote = button(answer_blocks(bot, "what is a volume"), kind)
    click(bot, vote, "vote")
    [reply] = [c.params for c in bot.slack.wait_for("response:vote")]
    assert reply["text"] == thanks
    assert reply["replace_original"] is False
    [record] = bot.records()
    assert (record.kind, record.topic, record.question) == (recorded, "volume", "what is a volume")
    assert record.user_hash == hash_user(TEAM, ASKER, SECRET)


def test_share_posts_the_same_answer_in_channel_attributed_to_the_asker(bot: Bot) -> None:
    message = reply_of(bot.command("what is a volume"))
    click(bot, button(message["blocks"], blocks.SHARE), "share")
    shared, deleted = (c.params for c in bot.slack.wait_for("response:share", 2))
    assert shared["response_type"] == "in_channel"
    assert shared["replace_original"] is False
    assert shared["text"] == message["text"]
    assert header(shared["blocks"]) == header(message["blocks"])
    attribution = all_text(shared["blocks"][:1])
    assert attribution == texts.SHARED_BY.format(user=ASKER) + "what is a volume"
    assert texts.YOU_ASKED not in all_text(shared["blocks"])
    assert blocks.SHARE not in action_ids(shared["blocks"])
    assert deleted.get("delete_original") is True


def test_share_of_a_side_by_side_answer_shares_both_topics(bot: Bot, kb: KnowledgeBase) -> None:
    message = reply_of(bot.command("swarm vs docker desktop"))
    share = button(message["blocks"], blocks.SHARE)
    if json.loads(share["value"])["t"] != "swarm+docker-desktop":
        pytest.fail("'swarm vs docker desktop' is no longer a side-by-side answer; pick a pair")
    click(bot, share, "share")
    shared, _ = (c.params for c in bot.slack.wait_for("response:share", 2))
    assert header(shared["blocks"]) == f"{title(kb, 'swarm')} vs {title(kb, 'docker-desktop')}"


def test_did_you_mean_choice_is_recorded_and_replaces_the_suggestions(
    bot: Bot, kb: KnowledgeBase
) -> None:
    question = suggesting_question(kb)
    choice = button(answer_blocks(bot, question), blocks.CHOOSE)
    topic = json.loads(choice["value"])["t"]
    click(bot, choice, "choice")
    [reply] = [c.params for c in bot.slack.wait_for("response:choice")]
    assert reply["replace_original"] is True
    assert header(reply["blocks"]) == title(kb, topic)
    [chose] = [r for r in bot.records() if r.kind == "chose"]
    assert (chose.question, chose.topic) == (question, topic)


def test_none_of_these_is_recorded_and_acknowledged(bot: Bot, kb: KnowledgeBase) -> None:
    question = suggesting_question(kb)
    click(bot, button(answer_blocks(bot, question), blocks.NONE_OF_THESE), "none")
    [reply] = [c.params for c in bot.slack.wait_for("response:none")]
    assert reply["text"] == texts.NONE_OF_THESE_REPLY
    assert reply["replace_original"] is True
    [none] = [r for r in bot.records() if r.kind == "none_of_these"]
    assert (none.question, none.topic) == (question, None)


@pytest.mark.parametrize("kind", [blocks.SHOW_TOPIC, blocks.CHOOSE, blocks.SHARE])
def test_button_for_a_topic_no_longer_known_gets_a_clear_reply(
    bot: Bot, kb: KnowledgeBase, kind: str, caplog: pytest.LogCaptureFixture
) -> None:
    found = answer_blocks(bot, "what is a volume") + answer_blocks(bot, suggesting_question(kb))
    old = {**button(found, kind), "value": json.dumps({"t": "no-such-topic", "q": "old"})}
    click(bot, old, "old")
    [reply] = [c.params for c in bot.slack.wait_for("response:old")]
    assert reply["text"] == GONE
    assert reply.get("replace_original") is False
    bot.settle()
    assert [r.kind for r in bot.records() if r.kind == "chose"] == []
    assert errors(caplog) == []


def test_malformed_button_values_are_answered_without_errors(
    bot: Bot, kb: KnowledgeBase, caplog: pytest.LogCaptureFixture
) -> None:
    found = elements(answer_blocks(bot, "what is a volume"))
    found += elements(answer_blocks(bot, suggesting_question(kb)))
    kinds = {e["action_id"].split(":")[0]: e for e in found}
    assert set(kinds) >= {
        blocks.SHOW_TOPIC,
        blocks.VOTE_UP,
        blocks.VOTE_DOWN,
        blocks.SHARE,
        blocks.CHOOSE,
        blocks.NONE_OF_THESE,
    }
    for kind, element in kinds.items():
        click(bot, {**element, "value": "not json {"}, kind)
    bot.settle()
    for kind in kinds:
        assert bot.responses(kind), f"{kind} click got no reply"
    assert errors(caplog) == []


def test_vote_while_the_store_is_unreachable_says_so(
    make_bot: BotFactory, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    bot = make_bot(recorder=unreachable_recorder(tmp_path / "unused"))
    click(bot, button(answer_blocks(bot), blocks.VOTE_UP), "vote")
    [reply] = [c.params for c in bot.slack.wait_for("response:vote")]
    assert reply["text"] == texts.FEEDBACK_FAILED
    bot.settle()
    assert not any("listener failed" in e for e in errors(caplog))


def test_answers_keep_working_while_the_store_is_unreachable(
    make_bot: BotFactory, kb: KnowledgeBase, tmp_path: Path
) -> None:
    bot = make_bot(recorder=unreachable_recorder(tmp_path / "unused"))
    click(bot, button(answer_blocks(bot), blocks.VOTE_DOWN), "vote")
    bot.slack.wait_for("response:vote")
    declined = reply_of(bot.command("what's the weather"))
    assert texts.DECLINE in declined["text"]
    answered = reply_of(bot.command("what is a volume"))
    assert header(answered["blocks"]) == title(kb, "volume")
    bot.event(mention("what is a volume"))
    [post] = [c.params for c in bot.slack.wait_for("chat.postMessage")]
    assert header(post["blocks"]) == title(kb, "volume")
