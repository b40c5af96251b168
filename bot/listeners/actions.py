"""Button clicks: related topics, did-you-mean choices, 👍/👎, Share in channel, Home picks."""

from __future__ import annotations

import json
import re
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot import blocks, texts
from bot.blocks import Reply
from bot.listeners.context import Deps


def register(app: App, deps: Deps) -> None:
    kb = deps.kb

    def reply_for(topic_id: str, question: str | None, share: bool) -> Reply | None:
        """The answer a button points at; None when its topic left the knowledge base."""
        ids = topic_id.split("+")
        topics = [kb.get(i) for i in ids]
        if not all(topics) or len(topics) > 2:
            return None
        if len(topics) == 2:
            left, right = topics
            assert left and right
            return blocks.pair_reply(left, right, question or "", share=share)
        assert topics[0]
        return blocks.topic_reply(topics[0], kb, question, share=share)

    @app.action(re.compile(rf"^{blocks.SHOW_TOPIC}:"))
    def handle_show_topic(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, client: WebClient
    ) -> None:
        ack()
        ephemeral = is_ephemeral(body)
        reply = reply_for(value(action).get("t", ""), None, share=ephemeral)
        if reply is None:
            respond(text=gone(), response_type="ephemeral", replace_original=False)
        elif ephemeral:
            respond(text=reply.text, blocks=list(reply.blocks), replace_original=True)
        else:
            channel = body.get("channel", {}).get("id") or body["container"]["channel_id"]
            message = body.get("message", {})
            thread = message.get("thread_ts") or (
                None if channel.startswith("D") else message.get("ts")
            )
            client.chat_postMessage(
                channel=channel, thread_ts=thread, text=reply.text, blocks=list(reply.blocks)
            )

    @app.action(re.compile(rf"^{blocks.CHOOSE}:"))
    def handle_choose(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond
    ) -> None:
        ack()
        data = value(action)
        reply = reply_for(data.get("t", ""), data.get("q"), share=is_ephemeral(body))
        if reply is None:
            respond(text=gone(), response_type="ephemeral", replace_original=False)
            return
        team, user = who(body)
        deps.recorder.record("chose", team, user, data.get("q", ""), reply.topic)
        respond(text=reply.text, blocks=list(reply.blocks), replace_original=True)

    @app.action(blocks.NONE_OF_THESE)
    def handle_none_of_these(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond
    ) -> None:
        ack()
        team, user = who(body)
        ok = deps.recorder.record("none_of_these", team, user, value(action).get("q", ""), None)
        text = texts.NONE_OF_THESE_REPLY if ok else texts.FEEDBACK_FAILED
        respond(text=text, replace_original=ok, response_type="ephemeral")

    @app.action(blocks.VOTE_UP)
    @app.action(blocks.VOTE_DOWN)
    def handle_vote(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond
    ) -> None:
        ack()
        data = value(action)
        up = action["action_id"] == blocks.VOTE_UP
        team, user = who(body)
        kind = "upvote" if up else "downvote"
        ok = deps.recorder.record(kind, team, user, data.get("q", ""), data.get("t"))
        thanks = texts.THANKS_UP if up else texts.THANKS_DOWN
        respond(
            text=thanks if ok else texts.FEEDBACK_FAILED,
            response_type="ephemeral",
            replace_original=False,
        )

    @app.action(blocks.SHARE)
    def handle_share(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond
    ) -> None:
        ack()
        data = value(action)
        reply = reply_for(data.get("t", ""), data.get("q"), share=False)
        if reply is None:
            respond(text=gone(), response_type="ephemeral", replace_original=False)
            return
        _, user = who(body)
        shared = blocks.shared_reply(reply, user, data.get("q", ""))
        respond(
            text=shared.text,
            blocks=list(shared.blocks),
            response_type="in_channel",
            replace_original=False,
        )
        respond(delete_original=True)

    @app.action(re.compile(rf"^{blocks.HOME_PICK}:"))
    def handle_home_pick(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        picked = action.get("selected_option", {}).get("value") or value(action).get("t", "")
        _, user = who(body)
        reply = reply_for(picked, None, share=False)
        text, shown = (reply.text, list(reply.blocks)) if reply else (gone(), None)
        # Posting to a user id delivers to the app's DM with that user (the Messages tab).
        client.chat_postMessage(channel=user, text=text, blocks=shown)


def value(action: dict[str, Any]) -> dict[str, str]:
    """A button's JSON value; an old or foreign value reads as empty rather than failing."""
    try:
        data = json.loads(action.get("value") or "{}")
    except ValueError:
        return {}
    return {k: v for k, v in data.items() if isinstance(v, str)} if isinstance(data, dict) else {}


def who(body: dict[str, Any]) -> tuple[str, str]:
    team = (body.get("team") or {}).get("id") or body.get("user", {}).get("team_id", "")
    return team, body.get("user", {}).get("id", "")


def is_ephemeral(body: dict[str, Any]) -> bool:
    return bool(body.get("container", {}).get("is_ephemeral"))


def gone() -> str:
    return texts.GONE.format(command=texts.COMMAND)
