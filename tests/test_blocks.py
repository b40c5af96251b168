"""Rendering: every reply stays inside Slack's Block Kit limits, and user text never pings."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from bot import blocks, texts
from bot.answer import answer, explain
from bot.knowledge import Category, Command, Comparison, KnowledgeBase, Row, Topic
from bot.matching import Outcome
from bot.rules import LIST_LIMITS, TEXT_LIMITS
from tests.block_text import block_texts, mrkdwn_texts

# Slack's limits (SLACK.md).
MESSAGE_BLOCKS, HOME_BLOCKS = 50, 100
SECTION, HEADER, FIELD, BUTTON, VALUE, ID = 3000, 150, 2000, 75, 2000, 255
MESSAGE_TEXT = 12_000  # Slack rejects messages past roughly 13k characters of block text


def assert_within_limits(block_list: list[dict[str, Any]], budget: int = MESSAGE_BLOCKS) -> None:
    assert 0 < len(block_list) <= budget
    action_ids: list[str] = []
    for block in block_list:
        kind = block["type"]
        if kind == "header":
            assert len(block["text"]["text"]) <= HEADER
        if kind == "section":
            assert len(block.get("text", {}).get("text", "")) <= SECTION
            for field in block.get("fields", []):
                assert len(field["text"]) <= FIELD
        if kind == "actions":
            assert len(block["elements"]) <= 25
        if kind == "context":
            assert len(block["elements"]) <= 10
        for element in [*block.get("elements", []), block.get("accessory") or {}]:
            if element.get("type") == "button":
                assert len(element["text"]["text"]) <= BUTTON
                assert len(element.get("value", "")) <= VALUE
            if "action_id" in element:
                assert len(element["action_id"]) <= ID
                action_ids.append(element["action_id"])
        assert len(block.get("block_id", "")) <= ID
    assert len(action_ids) == len(set(action_ids)), "action_ids must be unique in a message"
    if budget == MESSAGE_BLOCKS:
        assert sum(len(t) for b in block_list for t in block_texts(b)) <= MESSAGE_TEXT
        assert sum(b["type"] == "table" for b in block_list) <= 1


def test_every_topic_card_stays_within_slack_limits(kb: KnowledgeBase) -> None:
    for topic in kb.topics:
        reply = blocks.topic_reply(topic, kb, "what is it?", share=True)
        assert_within_limits(list(reply.blocks))
        assert topic.title in reply.text and topic.summary in reply.text


def biggest_topic(topic_id: str, related: tuple[str, ...]) -> Topic:
    """A topic with every text at its author limit and every list at its cap."""

    def text(limit: str, fill: str = "<&>x") -> str:
        return (fill * TEXT_LIMITS[limit])[: TEXT_LIMITS[limit]]

    return Topic(
        id=topic_id,
        kind="comparison",
        title=text("title", "W"),
        category="giant",
        phrasings=tuple(f"{text('phrasing')} {i}" for i in range(LIST_LIMITS["phrasings"])),
        summary=text("summary"),
        analogy=text("analogy"),
        points=tuple(text("point") for _ in range(LIST_LIMITS["points"])),
        commands=tuple(
            Command(text("command"), text("does"), destructive=True)
            for _ in range(LIST_LIMITS["commands"])
        ),
        related=related,
        docs="https://docs.docker.com/" + "a" * 200,
        compare=Comparison(
            (text("side"), text("side")),
            tuple(
                Row(text("cell"), text("cell"), text("cell")) for _ in range(LIST_LIMITS["rows"])
            ),
        ),
    )


def test_a_topic_at_every_author_limit_still_renders_within_slack_limits() -> None:
    ids = [f"giant-{i}" for i in range(LIST_LIMITS["related"] + 1)]
    topics = tuple(biggest_topic(i, tuple(x for x in ids if x != i)[:8]) for i in ids)
    kb = KnowledgeBase(topics, (Category("giant", "Giant", tuple(ids)),))
    reply = blocks.topic_reply(topics[0], kb, "x" * 40_000, share=True)
    assert_within_limits(list(reply.blocks))
    pair = blocks.pair_reply(topics[0], topics[1], "x" * 40_000, share=True)
    assert_within_limits(list(pair.blocks))
    suggestions = blocks.suggest_reply(topics[:3], "<!channel> " * 5000)
    assert_within_limits(list(suggestions.blocks))


def test_placeholders_in_commands_are_escaped_so_slack_shows_them(kb: KnowledgeBase) -> None:
    topic = kb.get("docker-rmi")
    assert topic is not None
    shown = mrkdwn_texts(list(blocks.topic_reply(topic, kb).blocks))
    joined = "\n".join(shown)
    assert "&lt;image&gt;" in joined
    # Only Slack's own link syntax may use a raw "<": <https://...|label>.
    assert not re.search(r"<(?!https://)", joined)


@pytest.mark.parametrize(
    "question", ["<!channel> what is a volume", "<!here> <@U123> hi", "&lt;!everyone&gt; volumes"]
)
def test_a_question_echoed_back_can_never_ping_anyone(kb: KnowledgeBase, question: str) -> None:
    for share in (False, True):
        reply = answer(question, kb, share=share)
        for text in mrkdwn_texts(list(reply.blocks)):
            assert "<!" not in text and "<@" not in text
        echoed = [
            e
            for b in reply.blocks
            if b["type"] == "context"
            for e in b["elements"]
            if e["text"].startswith("You asked")
        ]
        assert all(e["type"] == "plain_text" for e in echoed)


def test_shared_answer_attributes_the_asker_and_escapes_their_question(kb: KnowledgeBase) -> None:
    reply = answer("what is a volume", kb)
    shared = blocks.shared_reply(reply, "U0ASKER01", "<!channel> what is a volume")
    first = shared.blocks[0]
    assert first["type"] == "context"
    assert first["elements"][0]["text"].startswith("Shared by <@U0ASKER01>")
    assert "&lt;!channel&gt;" in first["elements"][0]["text"]
    assert not any(
        b["type"] == "context" and b["elements"][0]["text"].startswith("You asked")
        for b in shared.blocks
    )


def test_comparison_card_carries_its_side_by_side_table(kb: KnowledgeBase) -> None:
    topic = kb.get("image-vs-container")
    assert topic is not None and topic.compare is not None
    reply = blocks.topic_reply(topic, kb)
    tables = [b for b in reply.blocks if b["type"] == "table"]
    assert len(tables) == 1
    rows = tables[0]["rows"]
    assert [c["text"] for c in rows[0]][1:] == list(topic.compare.sides)
    assert len(rows) == len(topic.compare.rows) + 1
    assert topic.compare.rows[0].left in reply.text


def test_answer_card_shows_title_summary_analogy_commands_related_and_docs(
    kb: KnowledgeBase,
) -> None:
    topic = kb.get("volume")
    assert topic is not None
    reply = blocks.topic_reply(topic, kb, "what is a volume")
    dumped = json.dumps(reply.blocks)
    assert reply.blocks[0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": topic.title},
    }
    shown = "\n".join(block_texts(json.loads(dumped)))  # as Slack shows it: no JSON escapes
    for command in topic.commands:
        assert blocks.escape(command.run) in shown
    assert topic.docs in dumped
    related_buttons = [
        e["action_id"] for b in reply.blocks if b["type"] == "actions" for e in b["elements"]
    ]
    for related in topic.related:
        assert f"{blocks.SHOW_TOPIC}:{related}" in related_buttons
    assert blocks.VOTE_UP in related_buttons and blocks.VOTE_DOWN in related_buttons


def test_home_view_fits_the_home_tab_for_the_real_knowledge_base(kb: KnowledgeBase) -> None:
    view = blocks.home_view(kb)
    assert view["type"] == "home"
    assert_within_limits(view["blocks"], HOME_BLOCKS)
    dumped = json.dumps(view)
    for category in kb.categories:
        assert category.title in dumped
    for topic in kb.topics:
        assert f"{blocks.HOME_PICK}:{topic.id}" in dumped


def _generated_kb(entries: list[tuple[str, str]]) -> KnowledgeBase:
    """A knowledge base of minimal topics from (category, title) pairs, categories in the order
    they first appear."""
    topics = tuple(
        Topic(
            id=f"topic-{i}",
            kind="concept",
            title=title,
            category=category,
            phrasings=(f"topic {i}",),
            summary="s",
            analogy="a",
            points=("p",),
            commands=(),
            related=(),
            docs="https://docs.docker.com/",
        )
        for i, (category, title) in enumerate(entries)
    )
    names = dict.fromkeys(c for c, _ in entries)
    cats = tuple(
        Category(c, c.title(), tuple(t.id for t in topics if t.category == c)) for c in names
    )
    return KnowledgeBase(topics, cats)


@pytest.mark.parametrize("size", [300, 3_000, 12_000])
def test_home_view_stays_within_100_blocks_as_the_knowledge_base_grows(size: int) -> None:
    kb = _generated_kb([(f"cat-{i % 40}", f"Topic number {i}") for i in range(size)])
    view = blocks.home_view(kb)
    assert_within_limits(view["blocks"], HOME_BLOCKS)
    topic_list = blocks.topics_reply(kb)
    assert_within_limits(list(topic_list.blocks))


def _listing_kb(sizes: dict[str, int], title_length: int) -> KnowledgeBase:
    return _generated_kb(
        [(c, f"{c} {i} ".ljust(title_length, "x")) for c, n in sizes.items() for i in range(n)]
    )


def test_topics_listing_gives_a_long_category_the_room_short_ones_leave() -> None:
    # Seven categories, one of them nearly twice the even share of the budget: all still fits.
    kb = _listing_kb({"big": 60, **{f"small{i}": 3 for i in range(6)}}, 40)
    text = "\n".join(block_texts(list(blocks.topics_reply(kb).blocks)))
    assert "more" not in text
    assert all(topic.title in text for topic in kb.topics)


def test_topics_listing_cuts_the_longest_categories_first() -> None:
    kb = _listing_kb({"big": 400, "small": 3}, 40)
    reply = blocks.topics_reply(kb)
    assert_within_limits(list(reply.blocks))
    text = "\n".join(block_texts(list(reply.blocks)))
    assert all(t.title in text for t in kb.topics if t.category == "small")
    shown = sum(t.title in text for t in kb.topics if t.category == "big")
    assert 0 < shown < 400
    assert f"…and {400 - shown} more" in text


@pytest.mark.parametrize(
    ("sizes", "budget", "cap"),
    [
        ([], 10, 0),
        ([3, 4], 10, 4),
        ([2, 100], 50, 48),
        ([30, 30, 30], 60, 20),
        ([5, 40, 40], 45, 20),
    ],
)
def test_fair_cap_shares_the_budget_out_smallest_first(
    sizes: list[int], budget: int, cap: int
) -> None:
    assert blocks._fair_cap(sizes, budget) == cap
    assert sum(min(s, cap) for s in sizes) <= budget


def test_topics_listing_names_every_topic_by_category(kb: KnowledgeBase) -> None:
    reply = blocks.topics_reply(kb)
    assert_within_limits(list(reply.blocks))
    for topic in kb.topics:
        assert topic.title in reply.text and topic.id in reply.text


def test_an_answer_offers_close_runners_up_as_choices_that_carry_the_question(
    kb: KnowledgeBase,
) -> None:
    topic = kb.get("volume")
    assert topic is not None and topic.related
    related = kb.get(topic.related[0])
    others = [t for t in kb.topics if t.id not in (topic.id, *topic.related)][:2]
    assert related is not None
    reply = blocks.topic_reply(topic, kb, "keep <!channel> data", also=[related, *others])
    assert_within_limits(list(reply.blocks))
    [offer] = [b for b in reply.blocks if b.get("block_id") == "also:volume"]
    assert [e["action_id"] for e in offer["elements"]] == [
        f"{blocks.CHOOSE}:{t.id}"
        for t in others  # a related card already has its button
    ]
    assert all(json.loads(e["value"])["q"] == "keep <!channel> data" for e in offer["elements"])
    # Only an answer to a question offers them; a card shown from a button does not.
    assert not any(
        b.get("block_id", "").startswith("also:")
        for b in blocks.topic_reply(topic, kb, None, also=others).blocks
    )


def test_an_answer_renders_the_close_runners_up_the_matcher_found(kb: KnowledgeBase) -> None:
    # 137 is a kill, most often by the memory limit: that card came close, and is offered.
    reply = answer("container exited with code 137, what does that mean", kb)
    assert reply.topic == "container-exits"
    offers = [b for b in reply.blocks if b.get("block_id") == "also:container-exits"]
    assert offers and any(
        e["action_id"] == f"{blocks.CHOOSE}:resource-limits" for e in offers[0]["elements"]
    )


@pytest.mark.parametrize(
    "message",
    [
        "thanks, that worked!",
        "ty",
        "perfect, thank you so much",
        "got it, thanks :)",
        "thx :pray:",
        "thanks everyone for the help yesterday!!",
        "thanks, that helped my colleague a lot :pray:",
        "thanks a ton, saved my day",
        "cheers mate, that sorted it",
    ],
)
def test_a_thank_you_gets_a_welcome_not_a_card(kb: KnowledgeBase, message: str) -> None:
    reply, finding = explain(message, kb)
    assert reply.text == texts.YOU_ARE_WELCOME
    assert finding.outcome is Outcome.VAGUE
    assert [b["type"] for b in reply.blocks] == ["section"]


@pytest.mark.parametrize(
    ("message", "topic"),
    [
        ("thanks! and how do i remove an image?", "docker-rmi"),
        ("cheers, what is a volume", "volume"),
        ("thanks in advance: my team needs to see the logs of a container", "docker-logs"),
    ],
)
def test_a_question_after_a_thank_you_is_still_answered(
    kb: KnowledgeBase, message: str, topic: str
) -> None:
    reply, finding = explain(message, kb)
    assert (finding.outcome, finding.topic) == (Outcome.ANSWER, topic)
    assert reply.text != texts.YOU_ARE_WELCOME


@pytest.mark.parametrize("message", ["thanks but it still doesn't work", "that didn't work"])
def test_a_complaint_is_not_taken_for_thanks(kb: KnowledgeBase, message: str) -> None:
    reply, _ = explain(message, kb)
    assert reply.text != texts.YOU_ARE_WELCOME
