"""/docker-explain through app.dispatch: answered inside the ack, and gaps recorded."""

from __future__ import annotations

import pytest

from bot import blocks, texts
from bot.knowledge import KnowledgeBase
from bot.store import SQLITE_FILE, hash_user
from tests.fake_slack import TEAM
from tests.listeners.conftest import (
    ASKER,
    Bot,
    action_ids,
    all_text,
    button,
    header,
    reply_of,
    suggesting_question,
)
from tests.slack_requests import SECRET


def test_question_is_answered_inside_the_ack_as_an_ephemeral_card(
    bot: Bot, kb: KnowledgeBase
) -> None:
    message = reply_of(bot.command("what is a volume"))
    volume = kb.get("volume")
    assert volume is not None
    assert message["response_type"] == "ephemeral"
    assert header(message["blocks"]) == volume.title
    assert message["text"].startswith(volume.title)
    bot.settle()
    # Nothing is posted or sent to the response_url: the ack carried the whole answer.
    assert {c.method for c in bot.slack.calls} == {"auth.test"}


def test_answer_carries_a_share_in_channel_button(bot: Bot) -> None:
    message = reply_of(bot.command("what is a volume"))
    share = button(message["blocks"], blocks.SHARE)
    assert share["text"]["text"] == texts.SHARE
    assert action_ids(message["blocks"])[-3:] == [blocks.VOTE_UP, blocks.VOTE_DOWN, blocks.SHARE]


@pytest.mark.parametrize(
    "text",
    ["", "help", "  HELP  ", "help?", "what can you do?", "hi", "hello there!", "hi, who are you"],
)
def test_help_and_empty_text_show_usage(bot: Bot, text: str) -> None:
    # Greetings and questions about the bot itself get the usage, not "too general".
    message = reply_of(bot.command(text))
    assert message["response_type"] == "ephemeral"
    assert header(message["blocks"]) == texts.HELP_TITLE
    assert "/docker-explain topics" in all_text(message["blocks"])
    assert texts.VAGUE not in message["text"]
    assert bot.records() == []


def test_topics_lists_every_topic_title_under_its_category(bot: Bot, kb: KnowledgeBase) -> None:
    message = reply_of(bot.command("topics"))
    assert header(message["blocks"]) == texts.TOPICS_TITLE
    text = all_text(message["blocks"])
    starts = [text.index(f"*{blocks.escape(c.title)}*") for c in kb.categories]
    assert starts == sorted(starts), "categories appear in the knowledge base's order"
    for category, start, end in zip(kb.categories, starts, [*starts[1:], len(text)], strict=True):
        listed = text[start:end]
        for topic_id in category.topics:
            topic = kb.get(topic_id)
            assert topic is not None
            assert blocks.escape(topic.title) in listed, (category.id, topic.title)


def test_vague_question_gets_the_usage_hint_not_a_topic(bot: Bot) -> None:
    message = reply_of(bot.command("docker"))
    assert message["text"].startswith(texts.VAGUE)
    assert header(message["blocks"]) == texts.HELP_TITLE
    assert blocks.VOTE_UP not in action_ids(message["blocks"])
    assert bot.records() == []


def test_out_of_scope_question_is_declined_with_a_pointer_to_topics(bot: Bot) -> None:
    message = reply_of(bot.command("what's the weather"))
    shown = all_text(message["blocks"])
    assert texts.DECLINE in shown
    assert "/docker-explain topics" in shown
    assert "/docker-explain topics" in message["text"]
    assert action_ids(message["blocks"]) == []


def test_out_of_scope_question_is_recorded_as_declined(bot: Bot) -> None:
    reply_of(bot.command("what's the weather"))
    [record] = bot.records()
    assert (record.kind, record.team, record.question, record.topic) == (
        "declined",
        TEAM,
        "what's the weather",
        None,
    )


def test_question_that_gets_suggestions_is_recorded_as_suggested(
    bot: Bot, kb: KnowledgeBase
) -> None:
    question = suggesting_question(kb)
    message = reply_of(bot.command(question))
    choices = [a for a in action_ids(message["blocks"]) if a.startswith(blocks.CHOOSE + ":")]
    assert len(choices) >= 2
    assert blocks.NONE_OF_THESE in action_ids(message["blocks"])
    [record] = bot.records()
    assert (record.kind, record.question, record.topic) == (
        "suggested",
        question,
        None,
    )


def test_answered_question_is_not_recorded_as_a_gap(bot: Bot) -> None:
    reply_of(bot.command("what is a volume"))
    assert bot.records() == []


def test_asker_is_stored_only_as_a_keyed_hash(bot: Bot) -> None:
    reply_of(bot.command("what's the weather"))
    [record] = bot.records()
    assert record.user_hash == hash_user(TEAM, ASKER, SECRET)
    files = sorted(bot.data_dir.glob(SQLITE_FILE + "*"))
    assert files, "the SQLite store was written"
    for path in files:
        assert ASKER.encode() not in path.read_bytes(), path.name
