"""answer(question, kb) -> Reply: the seam between deciding the topic and rendering it. Pure."""

from __future__ import annotations

from bot import blocks, texts
from bot.blocks import Reply
from bot.knowledge import KnowledgeBase, Topic
from bot.matching import Finding, Outcome, find
from bot.normalise import clean, is_thanks, words

# What a question may be, at most; longer text is cut before matching (a pasted log can be
# megabytes) and the reply says so.
QUESTION_LIMIT = 4000

# Asked of the bot itself, not of Docker: these get the usage help. Compared without the
# punctuation around them ("help?", "what can you do?", "hi!").
HELP_WORDS = frozenset(
    {
        "",
        "help",
        "usage",
        "how to use",
        "how do i use you",
        "how does this work",
        "what can you do",
        "what do you do",
        "what can i ask",
        "what can i ask you",
        "who are you",
        "what are you",
        "are you a bot",
    }
)
# A greeting alone ("hi", "hello there", "good morning folks") is answered with the same help.
GREETINGS = frozenset(
    "hi hello hey hiya howdy yo morning afternoon evening good there folks all everyone team "
    "guys bot".split()
)
TOPICS_WORDS = frozenset({"topics", "list", "list topics", "topic list", "all topics", "index"})


def answer(question: str, kb: KnowledgeBase, *, share: bool = False) -> Reply:
    """The reply to one question: a topic card, a side-by-side, suggestions, help or a decline.

    `share` adds the "Share in channel" button that ephemeral slash-command answers carry.
    """
    reply, _ = explain(question, kb, share=share)
    return reply


def explain(question: str, kb: KnowledgeBase, *, share: bool = False) -> tuple[Reply, Finding]:
    """Like answer(), and also the matcher's finding (for the terminal, eval and recording)."""
    cut = len(question) > QUESTION_LIMIT
    question = question[:QUESTION_LIMIT]
    asked = clean(question)
    bare = asked.strip(" ?!.,")
    # A greeting alone leaves "" after it, which is a help word too.
    if bare in HELP_WORDS or _after_greeting(bare) in HELP_WORDS:
        return blocks.help_reply(), Finding(Outcome.VAGUE)
    if bare in TOPICS_WORDS:
        return blocks.topics_reply(kb), Finding(Outcome.VAGUE)
    if is_thanks(asked):
        return blocks.welcome_reply(), Finding(Outcome.VAGUE)
    finding = find(question, kb)
    reply = render(finding, question, kb, share=share)
    if cut:
        reply = blocks.with_note(reply, texts.TOO_LONG.format(limit=QUESTION_LIMIT))
    return reply, finding


def _after_greeting(text: str) -> str:
    """The words after a leading greeting: "hi, who are you" -> "who are you"."""
    said = words(text)
    while said and said[0] in GREETINGS:
        said = said[1:]
    return " ".join(said)


def render(finding: Finding, question: str, kb: KnowledgeBase, *, share: bool = False) -> Reply:
    topics = [t for t in (kb.get(i) for i in finding.topics) if t is not None]
    if finding.outcome is Outcome.ANSWER and topics:
        also = close_alternatives(finding, kb)
        return blocks.topic_reply(topics[0], kb, question, share=share, also=also)
    if finding.outcome is Outcome.PAIR and len(topics) == 2:
        return blocks.pair_reply(topics[0], topics[1], question, share=share)
    if finding.outcome is Outcome.SUGGEST and topics:
        return blocks.suggest_reply(topics, question)
    if finding.outcome is Outcome.VAGUE:
        return blocks.help_reply(vague=True)
    return blocks.decline_reply(question)


def close_alternatives(finding: Finding, kb: KnowledgeBase) -> list[Topic]:
    """The runners-up an answer offers under its card: those that came close, less the ones
    its related buttons already show. None for anything but an answer."""
    answered = kb.get(finding.topic or "")
    if answered is None:
        return []
    close = [t for t in (kb.get(i) for i in finding.also) if t is not None]
    return blocks.close_alternatives(answered, close)
