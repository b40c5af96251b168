"""The knowledge-base rule codes: one stable code per way a topic file can be wrong."""

from __future__ import annotations

from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Rule:
    code: str
    severity: str
    summary: str


RULES: dict[str, Rule] = {
    rule.code: rule
    for rule in (
        Rule("KB001", ERROR, "the file is not valid YAML, or uses anchors, aliases or merge keys"),
        Rule(
            "KB002", ERROR, "a topic file must hold one mapping at knowledge/<category>/<id>.yaml"
        ),
        Rule("KB003", ERROR, "a required field is missing"),
        Rule("KB004", ERROR, "a field is not one the format knows"),
        Rule("KB005", ERROR, "a field has the wrong type or is empty"),
        Rule("KB006", ERROR, "an id or category is not lowercase-kebab"),
        Rule("KB007", ERROR, "the id differs from the file name"),
        Rule("KB008", ERROR, "two topics share an id"),
        Rule("KB009", ERROR, "a reference names a topic that does not exist"),
        Rule("KB010", ERROR, "a phrasing is claimed twice (two topics, or twice in one topic)"),
        Rule("KB011", ERROR, "a link is not https"),
        Rule(
            "KB012", ERROR, "a text is longer than its limit (Slack's limits, with room to spare)"
        ),
        Rule("KB013", ERROR, "kind is not concept, comparison or howto"),
        Rule("KB014", ERROR, "a comparison lacks its compare table, or another kind carries one"),
        Rule("KB015", ERROR, "a list is longer than its limit (one Slack message, one subject)"),
        Rule("KB016", ERROR, "the synonyms file is malformed or gives one variant two meanings"),
        Rule("KB017", ERROR, "a topic lists itself as related"),
        Rule("KB018", ERROR, "the out-of-scope file does not map group names to lists of texts"),
        Rule("KB101", WARNING, "fewer than 6 phrasings"),
        Rule("KB102", WARNING, "points should number 2 to 5"),
        Rule("KB103", WARNING, "commands should number 1 to 5"),
        Rule("KB104", WARNING, "related should number 2 to 5"),
        Rule("KB105", WARNING, "the docs link is not a docs.docker.com page"),
        Rule("KB106", WARNING, "a placeholder is not written <lowercase-kebab>"),
    )
}

# Author limits, in characters. Each is well inside the Slack limit of the block it lands in
# (header 150, section text 3000, section field 2000, button text 75), so a valid card always
# renders into blocks Slack accepts.
TEXT_LIMITS = {
    "title": 70,
    "summary": 500,
    "analogy": 500,
    "point": 300,
    "command": 200,
    "does": 160,
    "phrasing": 200,
    "cell": 150,
    "side": 40,
    "synonym": 60,
}

# Hard caps on list lengths, so one answer stays inside Slack's 50-block and 13k-character
# message budget, whatever the content. Phrasings are never shown; their cap keeps a card to one
# subject and the index small (80: at 60, 43 cards were full and each new way of asking, from
# the gap report too, had to push an old one out).
LIST_LIMITS = {"phrasings": 80, "points": 8, "commands": 8, "related": 8, "rows": 10}

# The style guide's ranges (warnings): see knowledge/README.md.
STYLE_RANGES = {
    "phrasings": (6, None, "KB101"),
    "points": (2, 5, "KB102"),
    "commands": (1, 5, "KB103"),
    "related": (2, 5, "KB104"),
}
