"""Every sentence the bot says to a person, in one place."""

BOT_NAME = "docker-explain"
COMMAND = "/docker-explain"

HELP_TITLE = "Ask me about Docker"
HELP = (
    "I explain Docker concepts: what a thing is, an analogy that makes it stick, the command "
    "to type, and where to go next.\n"
    f"• Slash command: `{COMMAND} what is a volume` (only you see the answer)\n"
    f"• Mention me in a channel: `@{BOT_NAME} cmd or entrypoint?` (I answer in the thread)\n"
    "• Or send me a direct message.\n"
    f"`{COMMAND} topics` lists everything I know."
)
HELP_TEXT = (
    f"{HELP_TITLE}: a concept, a command or an error message, in your own words, e.g. "
    "“what is a volume?” or “cmd or entrypoint?”. Ask for “topics” to see everything I know."
)
VAGUE = "That's a bit too general for me to pick a topic."
YOU_ARE_WELCOME = (
    f"Glad that helped! Ask me anything else about Docker, or see `{COMMAND} topics` for "
    "everything I know."
)

TOPICS_TITLE = "Topics I can explain"
TOPICS_HINT = "Ask about any of these in your own words, e.g. “how do I clean up dangling images?”"

SUGGEST = "I'm not sure which of these you mean. Did you mean:"
SUGGEST_ONE = "I'm not sure I understood. Did you mean:"
NONE_OF_THESE = "None of these"
ALSO = "Not quite what you asked? These came close too:"
NONE_OF_THESE_REPLY = (
    "Thanks, noted: the team that curates my knowledge will see this question. "
    f"`{COMMAND} topics` shows everything I can explain today."
)

DECLINE = "I don't know that one, sorry."
DECLINE_HINT = (
    "I only explain Docker concepts, and I couldn't match this to anything I know. "
    f"Try rephrasing, or see `{COMMAND} topics`. Questions I can't answer are reviewed by the "
    "people who curate my knowledge base."
)

YOU_ASKED = "You asked: "
ANALOGY = "Think of it like this:"
KEY_POINTS = "Key points"
COMMANDS = "Commands"
DESTRUCTIVE = "⚠️ deletes data"
RELATED = "Related:"
DOCS = "Docker docs"
PAIR_NOTE = "There's no comparison card for these two yet, so here they are side by side."
PAIR_WHAT = "What it is"
PAIR_LIKE = "Think of it as"
PAIR_TRY = "Try"

HELPFUL = "👍 Helpful"
NOT_HELPFUL = "👎 Not helpful"
SHARE = "Share in channel"
SHARED_BY = "Shared by <@{user}>, who asked: "
THANKS_UP = "Thanks for the feedback!"
THANKS_DOWN = "Thanks: the curators will see that this answer didn't help."
FEEDBACK_FAILED = "Sorry, I couldn't record that right now. Please try again later."
GONE = "That topic is no longer in my knowledge base. `{command} topics` shows what I know now."

TOO_LONG = "That's a long message; I read the first {limit} characters of it."

HOME_TITLE = "docker-explain"
HOME_INTRO = (
    "I answer Docker concept questions from a curated knowledge base: definitions, analogies, "
    "the command to type, and where to go next."
)
HOME_HOW = (
    "*How to ask*\n"
    f"• `{COMMAND} <question>` anywhere (only you see the answer, with a button to share it)\n"
    f"• Mention `@{BOT_NAME}` in a channel: I answer in the thread\n"
    "• Send me a direct message\n"
    "Or pick a topic below: I'll explain it in our direct messages."
)
HOME_MORE = "…and {count} more topics: ask me about them by name."
HOME_PICK = "Pick a topic"

SLACK_HINT = (
    "No Slack credentials set: chatting in the terminal. To connect Slack, set "
    "SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (HTTP) or SLACK_APP_TOKEN (Socket Mode); "
    "see README.md."
)
CHAT_WELCOME = "Ask me about Docker ('quit' or Ctrl-D to leave, 'topics' to list topics)."
