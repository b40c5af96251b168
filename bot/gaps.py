"""The curators' gap report: what the bot could not answer, where 👎 lands, phrasings to add."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import yaml
from rapidfuzz import fuzz, process
from rapidfuzz.utils import default_process

from bot.normalise import clean
from bot.store import KINDS, Record

GAP_KINDS = ("declined", "suggested", "downvote")
# token_sort_ratio of the content words: "delete volumes" ~ "delete all volumes" scores 88,
# "delete volumes" ~ "delete images" 74 and ~ "list volumes" 77.
SIMILAR = 85
EXAMPLES = 3
LABELS = {
    "declined": "declined",
    "suggested": "suggestions only",
    "upvote": "👍",
    "downvote": "👎",
    "chose": "chose a suggestion",
    "none_of_these": "none of these",
}
# Words that make two questions look alike without saying what they ask about.
_FILLER_WORDS = """
    a an the is are was to do does did i my me we you your it its this that how what whats s
    can could should would will in of for on with and or please docker
"""
_FILLER = frozenset(_FILLER_WORDS.split())
_TRAILING = re.compile(r"[\s?!.,;:]+$")
# Slack's *bold*, _italic_ and ~strike~; bot.normalise.clean handles the <...> sequences and code.
_EMPHASIS = re.compile(r"(?<![\w*_~])([*_~])(?=\S)(.+?)(?<=\S)\1(?![\w*_~])")
_SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+(?=[?!.,;:])")


@dataclass(frozen=True)
class QuestionGroup:
    question: str
    count: int
    kinds: tuple[tuple[str, int], ...]
    examples: tuple[str, ...]
    topics: tuple[str, ...]


@dataclass(frozen=True)
class TopicVotes:
    topic: str
    up: int
    down: int

    @property
    def rate(self) -> float:
        return self.down / (self.up + self.down)


@dataclass(frozen=True)
class Phrasing:
    text: str
    count: int


@dataclass(frozen=True)
class TopicPhrasings:
    topic: str
    phrasings: tuple[Phrasing, ...]


@dataclass(frozen=True)
class GapReport:
    days: int
    totals: tuple[tuple[str, int], ...]
    groups: tuple[QuestionGroup, ...]
    votes: tuple[TopicVotes, ...]
    phrasings: tuple[TopicPhrasings, ...]


def build_gap_report(records: list[Record], days: int) -> GapReport:
    """The report over records, which the caller has already limited to the last `days` days."""
    counts = Counter(r.kind for r in records)
    return GapReport(
        days=days,
        totals=tuple((kind, counts[kind]) for kind in KINDS),
        groups=group_questions(r for r in records if r.kind in GAP_KINDS),
        votes=rate_topics(records),
        phrasings=collect_phrasings(r for r in records if r.kind == "chose"),
    )


def to_plain(question: str) -> str:
    """A question as the curator reads it: Slack markup gone, lowercase, spaces tidied."""
    return _SPACE_BEFORE_PUNCTUATION.sub("", clean(_EMPHASIS.sub(r"\2", question)))


def similarity_key(question: str) -> str:
    """The content words of a question, normalised once with rapidfuzz's default_process."""
    # rapidfuzz 3 scorers do not preprocess; every key goes through default_process here.
    words = default_process(to_plain(question)).split()
    return " ".join([w for w in words if w not in _FILLER] or words)


def to_phrasing(question: str) -> str:
    """A question as a knowledge-base phrasing: Slack markup gone, lowercase, no end punctuation."""
    return _TRAILING.sub("", to_plain(question))


def group_questions(records: Iterable[Record]) -> tuple[QuestionGroup, ...]:
    """Near-duplicate questions together, the biggest group first.

    Greedy: distinct keys, most frequent first, each joins the first-formed group whose leader it
    resembles, else leads a new one; comparing with leaders only keeps chains from forming.
    """
    by_key: dict[str, list[Record]] = {}
    for r in records:
        by_key.setdefault(similarity_key(r.question), []).append(r)
    leaders: list[str] = []
    members: list[list[Record]] = []
    for key, rs in sorted(by_key.items(), key=lambda item: -len(item[1])):
        hit = process.extractOne(key, leaders, scorer=fuzz.token_sort_ratio, score_cutoff=SIMILAR)
        if hit is None:
            leaders.append(key)
            members.append(list(rs))
        else:
            members[hit[2]].extend(rs)
    return tuple(sorted((_to_group(rs) for rs in members), key=lambda g: -g.count))


def _to_group(records: list[Record]) -> QuestionGroup:
    forms = [f for f, _ in Counter(to_plain(r.question) for r in records).most_common()]
    kinds = Counter(r.kind for r in records)
    topics = Counter(r.topic for r in records if r.topic)
    return QuestionGroup(
        question=forms[0],
        count=len(records),
        kinds=tuple((kind, kinds[kind]) for kind in GAP_KINDS if kinds[kind]),
        examples=tuple(forms[1 : 1 + EXAMPLES]),
        topics=tuple(t for t, _ in topics.most_common()),
    )


def rate_topics(records: Iterable[Record]) -> tuple[TopicVotes, ...]:
    """👍 and 👎 per voted topic, the highest 👎 rate first (more 👎 first on a tie)."""
    up: Counter[str] = Counter()
    down: Counter[str] = Counter()
    for r in records:
        if r.topic and r.kind in ("upvote", "downvote"):
            (up if r.kind == "upvote" else down)[r.topic] += 1
    votes = [TopicVotes(t, up[t], down[t]) for t in sorted(up.keys() | down.keys())]
    return tuple(sorted(votes, key=lambda v: (-v.rate, -v.down)))


def collect_phrasings(records: Iterable[Record]) -> tuple[TopicPhrasings, ...]:
    """Questions people matched to a topic through "did you mean", by topic, most chosen first."""
    chosen: dict[str, Counter[str]] = {}
    for r in records:
        text = to_phrasing(r.question)
        if r.topic and text:
            chosen.setdefault(r.topic, Counter())[text] += 1
    ordered = sorted(chosen.items(), key=lambda item: (-item[1].total(), item[0]))
    return tuple(
        TopicPhrasings(topic, tuple(Phrasing(t, n) for t, n in texts.most_common()))
        for topic, texts in ordered
    )


def to_yaml_item(text: str) -> str:
    """A phrasing as a YAML list item, quoted only when YAML would read it plain differently."""
    try:
        plain = yaml.safe_load(f"- {text}") == [text]
    except yaml.YAMLError:
        plain = False
    return f"  - {text}" if plain else f"  - {json.dumps(text, ensure_ascii=False)}"


def gap_report_text(report: GapReport) -> str:
    """The report for a terminal."""
    total = sum(n for _, n in report.totals)
    kinds = " · ".join(f"{n} {LABELS[k]}" for k, n in report.totals if n)
    lines = [f"Feedback from the last {report.days} days: {total} records", f"  {kinds}", ""]
    lines += [*_groups_text(report.groups), "", *_votes_text(report.votes), ""]
    lines += _phrasings_text(report.phrasings)
    return "\n".join(lines).rstrip() + "\n"


def _groups_text(groups: tuple[QuestionGroup, ...]) -> list[str]:
    lines = [f"Unanswered and 👎 questions, {len(groups)} groups, most asked first"]
    if not groups:
        return [*lines, "  none"]
    width = len(str(groups[0].count))
    for g in groups:
        lines.append(f"  {g.count:>{width}}  {g.question}")
        pad = " " * (width + 4)
        detail = ", ".join(f"{n} {LABELS[k]}" for k, n in g.kinds)
        if g.topics:
            detail += f"  (topics: {', '.join(g.topics)})"
        lines.append(f"{pad}{detail}")
        lines += [f"{pad}also: {e}" for e in g.examples]
    return lines


def _votes_text(votes: tuple[TopicVotes, ...]) -> list[str]:
    lines = ["👎 rate per topic, worst first"]
    if not votes:
        return [*lines, "  no votes"]
    width = max(len("topic"), *(len(v.topic) for v in votes))
    lines.append(f"  {'topic':<{width}}  {'rate':>5}  {'down':>5}  {'up':>5}")
    for v in votes:
        lines.append(f"  {v.topic:<{width}}  {v.rate:>5.0%}  {v.down:>5}  {v.up:>5}")
    return lines


def _phrasings_text(phrasings: tuple[TopicPhrasings, ...]) -> list[str]:
    lines = ['Phrasings chosen through "did you mean", to paste under each topic\'s phrasings:']
    if not phrasings:
        return [*lines, "  none"]
    for tp in phrasings:
        chosen = sum(p.count for p in tp.phrasings)
        lines.append(f"{tp.topic}:  # {chosen} choice{'s' if chosen > 1 else ''}")
        lines += [to_yaml_item(p.text) for p in tp.phrasings]
    return lines


def gap_report_json(report: GapReport) -> dict[str, Any]:
    """The report as JSON-ready data."""
    return {
        "days": report.days,
        "totals": dict(report.totals),
        "groups": [
            {
                "question": g.question,
                "count": g.count,
                "kinds": dict(g.kinds),
                "examples": list(g.examples),
                "topics": list(g.topics),
            }
            for g in report.groups
        ],
        "topics": [
            {"topic": v.topic, "up": v.up, "down": v.down, "downvote_rate": round(v.rate, 4)}
            for v in report.votes
        ],
        "phrasings": [
            {
                "topic": tp.topic,
                "phrasings": [{"text": p.text, "count": p.count} for p in tp.phrasings],
            }
            for tp in report.phrasings
        ],
    }
