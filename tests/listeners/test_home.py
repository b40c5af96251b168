"""The App Home tab through app.dispatch: the published view and its topic picks."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from bot import blocks, texts
from bot.knowledge import Category, KnowledgeBase
from tests.listeners.conftest import (
    ASKER,
    Bot,
    BotFactory,
    all_text,
    elements,
    header,
    view_click,
)


def home_opened(tab: str = "home") -> dict[str, Any]:
    return {
        "type": "app_home_opened",
        "user": ASKER,
        "channel": "D0DM00001",
        "tab": tab,
        "event_ts": f"{time.time():.6f}",
    }


def published_view(bot: Bot) -> dict[str, Any]:
    response = bot.event(home_opened())
    assert response.status == 200
    [call] = bot.slack.wait_for("views.publish")
    assert call.params["user_id"] == ASKER
    view = call.params["view"]
    return view if isinstance(view, dict) else json.loads(view)


def picks(view: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for e in elements(view["blocks"]) if e["action_id"].startswith(blocks.HOME_PICK)]


def one_category_per_topic(kb: KnowledgeBase) -> KnowledgeBase:
    """The real topics, each in a category of its own: too many rows for Home tab buttons."""
    categories = tuple(Category(f"only-{t.id}", t.title, (t.id,)) for t in kb.topics)
    return KnowledgeBase(topics=kb.topics, categories=categories, synonyms=kb.synonyms)


def test_opening_the_home_tab_publishes_the_home_view(bot: Bot, kb: KnowledgeBase) -> None:
    view = published_view(bot)
    assert view["type"] == "home"
    assert 0 < len(view["blocks"]) <= blocks.HOME_BLOCKS
    assert header(view["blocks"]) == texts.HOME_TITLE
    shown = all_text(view["blocks"])
    for category in kb.categories:
        assert f"*{blocks.escape(category.title)}*" in shown, category.id


def test_home_view_offers_every_topic(bot: Bot, kb: KnowledgeBase) -> None:
    offered = {json.loads(e["value"])["t"] for e in picks(published_view(bot))}
    assert offered == {t.id for t in kb.topics}


def test_opening_the_messages_tab_publishes_nothing(bot: Bot) -> None:
    response = bot.event(home_opened(tab="messages"))
    assert response.status == 200
    bot.settle()
    assert bot.slack.of("views.publish") == []


def test_home_topic_button_sends_the_topic_to_the_users_dm(bot: Bot, kb: KnowledgeBase) -> None:
    pick = picks(published_view(bot))[-1]
    topic = kb.get(json.loads(pick["value"])["t"])
    assert topic is not None
    action = {k: pick[k] for k in ("action_id", "block_id", "value", "type", "text")}
    assert bot.click(view_click(action)).status == 200
    [post] = [c.params for c in bot.slack.wait_for("chat.postMessage")]
    assert post["channel"] == ASKER  # a user id as channel: the app's DM with that user
    assert header(post["blocks"]) == topic.title


def test_home_select_sends_the_chosen_topic_to_the_users_dm(
    make_bot: BotFactory, kb: KnowledgeBase
) -> None:
    bot = make_bot(one_category_per_topic(kb))
    view = published_view(bot)
    assert len(view["blocks"]) <= blocks.HOME_BLOCKS
    [select, *_] = [e for e in picks(view) if e["type"] == "static_select"]
    option = select["options"][0]
    topic = kb.get(option["value"])
    assert topic is not None
    action = {
        "type": "static_select",
        "action_id": select["action_id"],
        "block_id": select["block_id"],
        "selected_option": option,
        "placeholder": select["placeholder"],
    }
    assert bot.click(view_click(action)).status == 200
    [post] = [c.params for c in bot.slack.wait_for("chat.postMessage")]
    assert post["channel"] == ASKER
    assert header(post["blocks"]) == topic.title


@pytest.mark.parametrize("value", [json.dumps({"t": "no-such-topic"}), "not json {"])
def test_home_pick_of_an_unknown_topic_gets_a_clear_reply(bot: Bot, value: str) -> None:
    pick = picks(published_view(bot))[0]
    action = {"action_id": pick["action_id"], "block_id": pick["block_id"], "type": "button"}
    assert bot.click(view_click({**action, "value": value})).status == 200
    [post] = [c.params for c in bot.slack.wait_for("chat.postMessage")]
    assert post["channel"] == ASKER
    assert post["text"] == texts.GONE.format(command=texts.COMMAND)
    assert "blocks" not in post
