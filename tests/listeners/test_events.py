"""app_mention through app.dispatch: answered in the thread, once, never to bots or in DMs."""

from __future__ import annotations

import json

from bot import texts
from bot.knowledge import KnowledgeBase
from bot.store import hash_user
from tests.fake_slack import BOT_ID, BOT_USER, TEAM
from tests.listeners.conftest import ASKER, Bot, all_text, header
from tests.slack_requests import SECRET, direct_message, mention

MENTION_TS = "1700000000.000100"
THREAD_TS = "1699999999.000050"


def test_mention_is_answered_in_a_thread_under_it(bot: Bot, kb: KnowledgeBase) -> None:
    response = bot.event(mention("what is a volume", ts=MENTION_TS))
    assert response.status == 200
    [post] = [c.params for c in bot.slack.wait_for("chat.postMessage")]
    volume = kb.get("volume")
    assert volume is not None
    assert post["channel"] == "C0CHAN001"
    assert post["thread_ts"] == MENTION_TS
    assert header(post["blocks"]) == volume.title
    assert post["text"].startswith(volume.title)


def test_mention_inside_a_thread_is_answered_in_that_thread(bot: Bot) -> None:
    bot.event(mention("what is a volume", ts=MENTION_TS, thread_ts=THREAD_TS))
    [post] = [c.params for c in bot.slack.wait_for("chat.postMessage")]
    assert post["thread_ts"] == THREAD_TS


def test_bot_mention_prefix_is_not_part_of_the_question(bot: Bot) -> None:
    bot.event(mention("what is a volume"))
    [post] = [c.params for c in bot.slack.wait_for("chat.postMessage")]
    assert texts.YOU_ASKED + "what is a volume" in all_text(post["blocks"])
    assert f"<@{BOT_USER}>" not in json.dumps(post, ensure_ascii=False)


def test_mention_of_only_a_generic_word_gets_the_usage_hint(bot: Bot) -> None:
    # With "<@BOT>" left in, "docker" would read as a question with an unknown word in it.
    bot.event(mention("docker"))
    [post] = [c.params for c in bot.slack.wait_for("chat.postMessage")]
    assert post["text"].startswith(texts.VAGUE)


def test_retried_event_is_answered_once(bot: Bot) -> None:
    first = bot.event(mention("what is a volume"), event_id="Ev0RETRY1")
    again = bot.event(mention("what is a volume"), event_id="Ev0RETRY1", retry=1)
    assert (first.status, again.status) == (200, 200)
    bot.settle()
    assert len(bot.posts()) == 1


def test_two_distinct_mentions_are_both_answered(bot: Bot) -> None:
    bot.event(mention("what is a volume", ts=MENTION_TS), event_id="Ev0FIRST1")
    bot.event(mention("what is an image", ts="1700000000.000900"), event_id="Ev0SECOND")
    bot.settle()
    assert sorted(p["thread_ts"] for p in bot.posts()) == [MENTION_TS, "1700000000.000900"]


def test_mention_from_a_bot_is_ignored(bot: Bot) -> None:
    response = bot.event(mention("what is a volume", bot_id="B0OTHER01"))
    assert response.status == 200
    bot.settle()
    assert bot.posts() == []


def test_mention_from_the_bot_itself_is_ignored(bot: Bot) -> None:
    bot.event(mention("what is a volume", user=BOT_USER, bot_id=BOT_ID))
    bot.settle()
    assert bot.posts() == []


def test_mention_in_a_direct_message_is_answered_once_by_the_message_listener(bot: Bot) -> None:
    text = "what is a volume"
    dm = {"channel": "D0DM00001", "channel_type": "im"}
    bot.event(mention(text, **dm), event_id="Ev0MENTION")
    bot.event(direct_message(text), event_id="Ev0MESSAGE")
    bot.settle()
    [post] = bot.posts()
    assert post["channel"] == "D0DM00001"
    assert "thread_ts" not in post


def test_mention_in_a_direct_message_alone_posts_nothing(bot: Bot) -> None:
    bot.event(mention("what is a volume", channel="D0DM00001", channel_type="im"))
    bot.settle()
    assert bot.posts() == []


def test_declined_mention_is_recorded_without_the_bot_prefix(bot: Bot) -> None:
    bot.event(mention("what's the weather"))
    bot.slack.wait_for("chat.postMessage")
    [record] = bot.records()
    assert (record.kind, record.question, record.topic) == ("declined", "what's the weather", None)
    assert record.user_hash == hash_user(TEAM, ASKER, SECRET)


def test_rate_limited_answer_is_retried_and_delivered_once(bot: Bot, kb: KnowledgeBase) -> None:
    bot.slack.queue(
        "chat.postMessage", 429, {"ok": False, "error": "ratelimited"}, **{"Retry-After": "1"}
    )
    bot.event(mention("what is a volume"))
    limited, delivered = (c.params for c in bot.slack.wait_for("chat.postMessage", 2))
    bot.settle()
    # The fake answered only the first call with 429, so exactly one post went through.
    assert len(bot.posts()) == 2
    assert delivered == limited
    volume = kb.get("volume")
    assert volume is not None
    assert header(delivered["blocks"]) == volume.title
