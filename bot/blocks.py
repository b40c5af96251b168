"""Renders answers: Block Kit via slack_sdk.models.blocks, and the same content as plain text."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    Option,
    PlainTextObject,
    SectionBlock,
    StaticSelectElement,
    TableBlock,
)

from bot import texts
from bot.knowledge import Category, KnowledgeBase, Topic

# Slack limits (SLACK.md): section text 3000, header 150, button text 75, button value 2000,
# context 10 elements, actions 25 elements, 50 blocks in a message, 100 in the Home tab.
SECTION_LIMIT = 3000
HEADER_LIMIT = 150
BUTTON_LIMIT = 75
ECHO_LIMIT = 300  # how much of the question is echoed back or carried in a button value
# Slack rejects a message whose blocks hold more than about 13k characters of text
# (msg_blocks_too_long); answers are fitted under this, with room to spare.
MESSAGE_TEXT = 11_000
MESSAGE_BLOCKS = 50
HOME_BLOCKS = 100

# action_ids the listeners register; a topic button's action_id also carries the topic id so
# that ids stay unique within a message.
SHOW_TOPIC = "show_topic"
CHOOSE = "choose_topic"
NONE_OF_THESE = "none_of_these"
VOTE_UP = "vote_up"
VOTE_DOWN = "vote_down"
SHARE = "share"
HOME_PICK = "home_pick"

Blocks = tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class Reply:
    """A rendered answer: `text` is the readable fallback, `blocks` the Block Kit message."""

    text: str
    blocks: Blocks
    topic: str | None = None


def escape(text: str) -> str:
    """Escape the three characters Slack's mrkdwn treats as control: &, < and >."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def button_value(**fields: str | None) -> str:
    """A compact JSON value for a button, within Slack's 2000-character limit."""
    data = {k: clip(v, ECHO_LIMIT) for k, v in fields.items() if v}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _dicts(blocks: Iterable[Block]) -> Blocks:
    # to_dict() validates every block against Slack's limits (SlackObjectFormationError).
    return _fit([b.to_dict() for b in blocks])


def _fit(block_list: list[dict[str, Any]], budget: int = MESSAGE_TEXT) -> Blocks:
    """Clip the longest texts until the message's text fits Slack's overall budget.

    Author limits keep real cards far below it; this guards what limits alone cannot (many
    maximal fields at once, text that grows when &, < and > are escaped).
    """
    texts = [t for b in block_list for t in _text_objects(b)]
    excess = sum(len(t["text"]) for t in texts) - budget
    while excess > 0:
        longest = max(texts, key=lambda t: len(t["text"]))
        keep = max(len(longest["text"]) // 2, len(longest["text"]) - excess, 40)
        if keep >= len(longest["text"]):
            break
        excess -= len(longest["text"]) - keep
        longest["text"] = _clip_escaped(longest["text"], keep)
    return tuple(block_list)


def _text_objects(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, list):
        return [t for item in value for t in _text_objects(item)]
    if not isinstance(value, dict):
        return []
    if isinstance(value.get("text"), str) and value.get("type") in ("mrkdwn", "raw_text"):
        return [value]
    return [t for item in value.values() for t in _text_objects(item)]


def _clip_escaped(text: str, limit: int) -> str:
    """clip() that never cuts an &amp;-style entity in half."""
    clipped = clip(text, limit)
    cut = clipped.rfind("&", max(0, len(clipped) - 6))
    if cut != -1 and ";" not in clipped[cut:]:
        clipped = clipped[:cut].rstrip() + "…"
    return clipped


def _sections(lines: Sequence[str]) -> list[Block]:
    """Pack lines into as few sections as fit Slack's 3000-character section text limit."""
    sections: list[Block] = []
    chunk = ""
    for line in lines:
        line = clip(line, SECTION_LIMIT)
        if chunk and len(chunk) + 1 + len(line) > SECTION_LIMIT:
            sections.append(SectionBlock(text=MarkdownTextObject(text=chunk)))
            chunk = ""
        chunk = f"{chunk}\n{line}" if chunk else line
    if chunk:
        sections.append(SectionBlock(text=MarkdownTextObject(text=chunk)))
    return sections


def _asked(question: str) -> Block:
    # The question is echoed as plain_text, so a typed <!channel> or <@U…> never pings anyone.
    text = clip(texts.YOU_ASKED + " ".join(question.split()), ECHO_LIMIT)
    return ContextBlock(elements=[PlainTextObject(text=text, emoji=False)])


def _button(text: str, action_id: str, value: str, style: str | None = None) -> ButtonElement:
    return ButtonElement(
        text=PlainTextObject(text=clip(text, BUTTON_LIMIT)),
        action_id=action_id,
        value=value,
        style=style,
    )


def _command_line(command: Any) -> str:
    flag = f"  _{texts.DESTRUCTIVE}_" if command.destructive else ""
    return f"`{escape(command.run)}`{flag}\n      {escape(command.does)}"


def topic_blocks(topic: Topic, kb: KnowledgeBase, question: str | None = None) -> list[Block]:
    """The full card: title, summary, analogy, points, table, commands, docs, follow-ups."""
    blocks: list[Block] = [
        HeaderBlock(text=PlainTextObject(text=clip(topic.title, HEADER_LIMIT))),
        *_sections([escape(topic.summary)]),
        *_sections([f"💡 *{texts.ANALOGY}* {escape(topic.analogy)}"]),
    ]
    if topic.compare:
        blocks.append(_table(topic))
    blocks += _sections([f"*{texts.KEY_POINTS}*", *(f"• {escape(p)}" for p in topic.points)])
    if topic.commands:
        blocks += _sections([f"*{texts.COMMANDS}*", *map(_command_line, topic.commands)])
    blocks.append(
        ContextBlock(elements=[MarkdownTextObject(text=f"📖 <{topic.docs}|{texts.DOCS}>")])
    )
    related = [r for r in (kb.get(i) for i in topic.related) if r is not None]
    if related:
        blocks.append(
            ActionsBlock(
                block_id=f"related:{topic.id}",
                elements=[
                    _button(f"→ {r.title}", f"{SHOW_TOPIC}:{r.id}", button_value(t=r.id))
                    for r in related[:5]
                ],
            )
        )
    if question is not None:
        blocks.append(_asked(question))
    return blocks


def _table(topic: Topic) -> Block:
    assert topic.compare is not None
    rows = [["", *topic.compare.sides]]
    rows += [[row.aspect, row.left, row.right] for row in topic.compare.rows]
    return TableBlock(
        rows=[[{"type": "raw_text", "text": cell} for cell in row] for row in rows],
    )


def feedback_actions(topic: str, question: str, share: bool = False) -> Block:
    """👍 / 👎 (and Share in channel for ephemeral slash-command answers)."""
    value = button_value(t=topic, q=question)
    elements = [
        _button(texts.HELPFUL, VOTE_UP, value),
        _button(texts.NOT_HELPFUL, VOTE_DOWN, value),
    ]
    if share:
        elements.append(_button(texts.SHARE, SHARE, value, style="primary"))
    return ActionsBlock(block_id=f"feedback:{topic}", elements=elements)


def topic_reply(
    topic: Topic,
    kb: KnowledgeBase,
    question: str | None = None,
    share: bool = False,
    also: Sequence[Topic] = (),
) -> Reply:
    """The card as an answer. `also` are topics that came close to it: offered under the card
    as "did you mean" choices, so that a near miss is one click from the right card and the
    curators learn which card the question wanted."""
    blocks = topic_blocks(topic, kb, question)
    others = close_alternatives(topic, also)
    if question is not None and others:
        blocks[-1:-1] = [
            ContextBlock(elements=[MarkdownTextObject(text=texts.ALSO)]),
            ActionsBlock(
                block_id=f"also:{topic.id}",
                elements=[
                    _button(t.title, f"{CHOOSE}:{t.id}", button_value(t=t.id, q=question))
                    for t in others
                ],
            ),
        ]
    blocks.append(feedback_actions(topic.id, question or topic.title, share))
    return Reply(topic_text(topic, kb), _dicts(blocks), topic.id)


def close_alternatives(topic: Topic, also: Sequence[Topic]) -> list[Topic]:
    """The close runners-up worth offering under a card: those its related buttons (the first
    five) do not already show."""
    return [t for t in also if t.id != topic.id and t.id not in topic.related[:5]]


def pair_reply(left: Topic, right: Topic, question: str, share: bool = False) -> Reply:
    """A side-by-side answer built from two cards, for "X vs Y" with no comparison topic."""

    def column(topic: Topic) -> str:
        command = (
            f"\n*{texts.PAIR_TRY}:* `{escape(topic.commands[0].run)}`" if topic.commands else ""
        )
        return clip(
            f"*{escape(topic.title)}*\n{escape(topic.summary)}\n\n"
            f"_{texts.PAIR_LIKE}:_ {escape(topic.analogy)}{command}",
            2000,
        )

    title = clip(f"{left.title} vs {right.title}", HEADER_LIMIT)
    blocks: list[Block] = [
        HeaderBlock(text=PlainTextObject(text=title)),
        ContextBlock(elements=[MarkdownTextObject(text=texts.PAIR_NOTE)]),
        SectionBlock(fields=[MarkdownTextObject(text=column(t)) for t in (left, right)]),
        ActionsBlock(
            block_id="pair",
            elements=[
                _button(f"→ {t.title}", f"{SHOW_TOPIC}:{t.id}", button_value(t=t.id))
                for t in (left, right)
            ],
        ),
        _asked(question),
    ]
    pair_id = f"{left.id}+{right.id}"
    blocks.append(feedback_actions(pair_id, question, share))
    text = f"{title}\n\n{topic_summary_text(left)}\n\n{topic_summary_text(right)}"
    return Reply(text, _dicts(blocks), None)


def suggest_reply(topics: Sequence[Topic], question: str) -> Reply:
    intro = texts.SUGGEST if len(topics) > 1 else texts.SUGGEST_ONE
    buttons = [
        _button(t.title, f"{CHOOSE}:{t.id}", button_value(t=t.id, q=question)) for t in topics
    ]
    buttons.append(_button(texts.NONE_OF_THESE, NONE_OF_THESE, button_value(q=question)))
    blocks: list[Block] = [
        SectionBlock(text=MarkdownTextObject(text=intro)),
        ActionsBlock(block_id="suggestions", elements=buttons),
        _asked(question),
    ]
    text = intro + "\n" + "\n".join(f"• {t.title}" for t in topics)
    return Reply(text, _dicts(blocks))


def decline_reply(question: str) -> Reply:
    blocks: list[Block] = [
        SectionBlock(text=MarkdownTextObject(text=f"*{texts.DECLINE}*\n{texts.DECLINE_HINT}")),
        _asked(question),
    ]
    return Reply(f"{texts.DECLINE} {texts.DECLINE_HINT}", _dicts(blocks))


def _fair_cap(sizes: list[int], budget: int) -> int:
    """The largest share each item may use so that all of them fit in the budget: items
    smaller than it are taken whole, and the room they leave goes to the larger ones."""
    room, left = budget, len(sizes)
    for size in sorted(sizes):
        if size * left > room:
            return room // left
        room -= size
        left -= 1
    return max(sizes, default=0)


def welcome_reply() -> Reply:
    """The reply to a message that only thanks the bot: no card, no buttons."""
    blocks: list[Block] = [SectionBlock(text=MarkdownTextObject(text=texts.YOU_ARE_WELCOME))]
    return Reply(texts.YOU_ARE_WELCOME, _dicts(blocks))


def help_reply(vague: bool = False) -> Reply:
    lead = f"{texts.VAGUE}\n\n" if vague else ""
    blocks: list[Block] = [
        HeaderBlock(text=PlainTextObject(text=texts.HELP_TITLE)),
        SectionBlock(text=MarkdownTextObject(text=lead + texts.HELP)),
    ]
    return Reply(lead + texts.HELP_TEXT, _dicts(blocks))


def topics_reply(kb: KnowledgeBase) -> Reply:
    """Every topic title by category. Past one message's budget (or one section's) the longest
    categories are cut short first, each with a count of the rest, so the short ones stay whole
    and the listing stays valid at any size."""
    listing = [(c, [escape(t.title) for t in _category_topics(kb, c)]) for c in kb.categories]
    sizes = [sum(len(t) + 3 for t in titles) for _, titles in listing]
    # Each category is one section's text, with room for its name and the count of the rest.
    cap = min(_fair_cap(sizes, MESSAGE_TEXT - 1000), SECTION_LIMIT - 200)
    lines = []
    for category, titles in listing:
        shown: list[str] = []
        used = 0
        for title in titles:
            if used + len(title) > cap:
                break
            shown.append(title)
            used += len(title) + 3
        rest = f" · …and {len(titles) - len(shown)} more" if len(shown) < len(titles) else ""
        lines.append(f"*{escape(category.title)}*\n" + " · ".join(shown) + rest)
    blocks: list[Block] = [
        HeaderBlock(text=PlainTextObject(text=texts.TOPICS_TITLE)),
        *_sections(lines)[: MESSAGE_BLOCKS - 2],
        ContextBlock(elements=[MarkdownTextObject(text=texts.TOPICS_HINT)]),
    ]
    plain = "\n\n".join(
        f"{c.title}\n  " + "\n  ".join(f"{t.title} ({t.id})" for t in _category_topics(kb, c))
        for c in kb.categories
    )
    # Slack cuts a message's text at 40,000 characters; the terminal shows it whole.
    return Reply(clip(f"{texts.TOPICS_TITLE}\n\n{plain}", 38_000), _dicts(blocks))


def _category_topics(kb: KnowledgeBase, category: Category) -> list[Topic]:
    return [t for t in (kb.get(i) for i in category.topics) if t is not None]


def home_view(kb: KnowledgeBase) -> dict[str, Any]:
    """The App Home tab: what the bot does, how to ask, and topics by category.

    Each category is a button row while everything fits in the Home tab's 100 blocks; past that,
    categories become select menus (100 options each), so the view stays valid at any size.
    """
    head: list[Block] = [
        HeaderBlock(text=PlainTextObject(text=texts.HOME_TITLE)),
        SectionBlock(text=MarkdownTextObject(text=texts.HOME_INTRO)),
        SectionBlock(text=MarkdownTextObject(text=texts.HOME_HOW)),
        DividerBlock(),
    ]
    body = _home_buttons(kb)
    if len(head) + len(body) > HOME_BLOCKS:
        body = _home_selects(kb, HOME_BLOCKS - len(head))
    return {"type": "home", "blocks": list(_dicts(head + body))}


def _home_buttons(kb: KnowledgeBase) -> list[Block]:
    blocks: list[Block] = []
    for category in kb.categories:
        topics = _category_topics(kb, category)
        blocks.append(SectionBlock(text=MarkdownTextObject(text=f"*{escape(category.title)}*")))
        for start in range(0, len(topics), 25):
            blocks.append(
                ActionsBlock(
                    elements=[
                        _button(t.title, f"{HOME_PICK}:{t.id}", button_value(t=t.id))
                        for t in topics[start : start + 25]
                    ]
                )
            )
    return blocks


def _home_selects(kb: KnowledgeBase, budget: int) -> list[Block]:
    blocks: list[Block] = []
    shown = 0
    total = len(kb.topics)
    for category in kb.categories:
        topics = _category_topics(kb, category)
        for start in range(0, len(topics), 100):
            if len(blocks) + 2 > budget:
                break
            chunk = topics[start : start + 100]
            label = category.title if start == 0 else f"{category.title} (from {start + 1})"
            blocks.append(
                SectionBlock(
                    block_id=f"home:{category.id}:{start}",
                    text=MarkdownTextObject(text=f"*{escape(clip(label, 200))}*"),
                    accessory=StaticSelectElement(
                        action_id=f"{HOME_PICK}:{category.id}:{start}",
                        placeholder=PlainTextObject(text=texts.HOME_PICK),
                        options=[
                            Option(text=PlainTextObject(text=clip(t.title, 75)), value=t.id)
                            for t in chunk
                        ],
                    ),
                )
            )
            shown += len(chunk)
    if shown < total:
        blocks = blocks[: budget - 1]
        more = texts.HOME_MORE.format(count=total - shown)
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=more)]))
    return blocks


def topic_summary_text(topic: Topic) -> str:
    return f"{topic.title}\n{topic.summary}\nThink of it as: {topic.analogy}"


def topic_text(topic: Topic, kb: KnowledgeBase) -> str:
    """The plain-text card: Slack's notification fallback and the terminal's answer."""
    lines = [topic.title, "=" * len(topic.title), topic.summary, "", f"{texts.ANALOGY} "]
    lines[-1] += topic.analogy
    if topic.compare:
        lines += ["", *_text_table(topic)]
    lines += ["", f"{texts.KEY_POINTS}:", *(f"  • {p}" for p in topic.points)]
    if topic.commands:
        lines += ["", f"{texts.COMMANDS}:"]
        for c in topic.commands:
            flag = f"   ({texts.DESTRUCTIVE})" if c.destructive else ""
            lines += [f"  $ {c.run}{flag}", f"      {c.does}"]
    related = [r.title for r in (kb.get(i) for i in topic.related) if r is not None]
    if related:
        lines += ["", f"{texts.RELATED} " + ", ".join(related)]
    lines += [f"{texts.DOCS}: {topic.docs}"]
    return "\n".join(lines)


def _text_table(topic: Topic) -> list[str]:
    assert topic.compare is not None
    left, right = topic.compare.sides
    lines = [f"{left} vs {right}:"]
    for row in topic.compare.rows:
        lines += [f"  {row.aspect}", f"    {left}: {row.left}", f"    {right}: {row.right}"]
    return lines


def with_note(reply: Reply, note: str) -> Reply:
    """The reply with a short note first (e.g. that a long question was cut)."""
    block = ContextBlock(elements=[PlainTextObject(text=note, emoji=False)]).to_dict()
    return Reply(f"{note}\n\n{reply.text}", (block, *reply.blocks), reply.topic)


def shared_reply(reply: Reply, user: str, question: str) -> Reply:
    """A reply posted to the channel by Share, attributed to the person who asked."""
    note = texts.SHARED_BY.format(user=user) + escape(clip(" ".join(question.split()), ECHO_LIMIT))
    attribution = ContextBlock(elements=[MarkdownTextObject(text=note)]).to_dict()
    kept = tuple(b for b in reply.blocks if not _is_question_echo(b))
    return Reply(reply.text, (attribution, *kept), reply.topic)


def _is_question_echo(block: dict[str, Any]) -> bool:
    elements = block.get("elements") or [{}]
    text = elements[0].get("text")
    return (
        block.get("type") == "context"
        and isinstance(text, str)
        and text.startswith(texts.YOU_ASKED)
    )
