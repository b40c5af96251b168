"""Decides what a question is about: one topic, a side-by-side, suggestions, or nothing.

Normalise (bot.normalise), index and score (bot.index), then decide on both the top score and
its margin over the runner-up, so the bot says "did you mean…" instead of guessing.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterator
from dataclasses import dataclass, replace
from enum import StrEnum

import numpy as np

from bot.index import OUT_OF_SCOPE, Index, Params, Terms, exact_keys
from bot.knowledge import KnowledgeBase, normalise_phrasing
from bot.normalise import DOCKER_WORDS, GENERIC, REQUEST, clean, words

# Each pattern with the words it cannot match without: most clauses have none of them, and a
# lazy "(.+?)" scan of a long clause is the slowest step of answering it.
_STRONG_PAIR = (
    (
        ("diff", "distinction"),
        re.compile(
            r"\b(?:differences?|diff|distinction)\s+(?:between|of|in)\s+(.+?)\s+"
            r"(?:and|&|vs\.?|versus|or|with)\s+(.+)"
        ),
    ),
    (
        ("compar",),
        re.compile(
            r"\b(?:compare|comparing|comparison of)\s+(.+?)\s+(?:and|with|to|vs\.?|versus)\s+(.+)"
        ),
    ),
    (
        # "confused about images and containers", "i keep mixing up cmd and entrypoint": the
        # asker cannot tell the two apart.
        ("confus", "mix"),
        re.compile(
            r"\b(?:confus\w*|mix(?:ing|ed)? up)\s+(?:about|between|by|with|over|on)?\s*"
            r"(.+?)\s+(?:and|&|vs\.?|versus|or|with)\s+(.+)"
        ),
    ),
    (
        ("confus",),  # "images and containers are confusing me"
        re.compile(
            r"((?:\S+\s+){0,2}\S+)\s+(?:and|&)\s+((?:\S+\s+){0,2}?\S+)\s+(?:are|r|is)\s+"
            r"(?:\w+\s+)?confus"
        ),
    ),
    (
        ("vs", "versus", "v.s", "compared"),
        re.compile(r"(.+?)\s+(?:vs\.?|versus|v\.s\.?|compared (?:to|with))\s+(.+)"),
    ),
)
_NOT_DOCKER = re.compile(
    r"\b(?:no|not|not using|without|nothing to do with|unrelated to|not related to)\s+"
    r"(?:docker|containers?|dockeri[sz]ed|containeri[sz]ed)"
    r"(?:\s+(?:involved|here|there|at all|(?:(?<=with docker )|(?<=with containers ))yet"
    r"|on (?:this|the|that) (?:box|machine|host|server|vm)))?\s*(?:[).,;:!?]|$)"
)
# A Dockerfile line pasted as the question ("USER node", "STOPSIGNAL SIGINT"): its instruction,
# in capitals at the start of the message, a line or a code span, says it is about Docker
# however everyday its words ("user", "node") are. Lower case says nothing: "user node" is chat.
_INSTRUCTION = re.compile(
    # Slack's dress may come first: *bold*, _italics_, a quote (">" arrives as "&gt;"), a list
    # number or bullet, a mention or an emoji ("<@U04ABC123> USER node ...", "> *USER node*").
    r"(?:^|[\n`])(?:[\s*_~>\u2022-]|&gt;|<@[A-Z0-9]+(?:\|[^>]*)?>|:[a-z0-9_+-]+:|\d{1,2}[.)])*"
    r"(?:FROM|RUN|CMD|LABEL|EXPOSE|ENV|ADD|COPY|ENTRYPOINT|VOLUME|USER|WORKDIR|ARG"
    r"|ONBUILD|STOPSIGNAL|HEALTHCHECK|SHELL|MAINTAINER)\s+\S"
)
# An exec-form list (`CMD ["npm", "start"]`) is one thing, however its commas are spaced.
_BRACKETED = re.compile(r"\[[^\[\]]*\]")


def _unspaced(match: re.Match[str]) -> str:
    return match.group(0).replace(", ", ",")


_WEAK_PAIR = re.compile(r"(.+?)\s+or\s+(.+)")
# Clause boundaries: sentence punctuation (not the dot of "v.s." or "docker-compose.yml"), and
# for sentences a conjunction that starts a second question ("what is docker and why does
# everyone use it").
_SENTENCE = re.compile(
    r"[?!;]+|\.(?:\s|$)|,\s|\s(?:and|but|or|so)\s(?=(?:why|how|what|where|when|which|who)\b)"
)
_CLAUSE = re.compile(r"[?!;]+|,\s|\.(?:\s|$)|\s[-\u2013\u2014]\s")
WEAK_SIDE_TERMS = 3  # "X or Y" is a comparison only when both sides are this short
# ...and when it is asked as a choice, not "no such file or directory" in a pasted error: a
# choice word anywhere, or a question mark closing that clause itself ("crashes or gets oom
# killed, prometheus?" lists two events and asks about a third thing).
_CHOICE_WORD = re.compile(r"\b(?:should|which|better|prefer|choose|pick|when to use)\b")


class Outcome(StrEnum):
    ANSWER = "answer"  # one topic, confidently
    PAIR = "pair"  # "X vs Y" where both are topics but no comparison topic exists
    SUGGEST = "suggest"  # close candidates: did you mean...
    DECLINE = "decline"  # nothing in the knowledge base is close
    VAGUE = "vague"  # empty, or only generic words ("docker", "help me")


Ranked = tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class Finding:
    outcome: Outcome
    topics: tuple[str, ...] = ()
    score: float = 0.0
    ranked: Ranked = ()
    # With an answer: the runners-up close enough to it that the asker may have meant one of
    # them; the reply offers them under the card.
    also: tuple[str, ...] = ()

    @property
    def topic(self) -> str | None:
        return self.topics[0] if self.outcome is Outcome.ANSWER else None


_CACHE: weakref.WeakKeyDictionary[KnowledgeBase, Index] = weakref.WeakKeyDictionary()


def index_for(kb: KnowledgeBase) -> Index:
    """The search index of a knowledge base, built once per knowledge base and then reused."""
    index = _CACHE.get(kb)
    if index is None:
        index = _CACHE[kb] = Index(kb)
    return index


def adopt(index: Index) -> None:
    """Make an index built elsewhere (read from bot.index_cache) the one index_for returns for
    its knowledge base."""
    _CACHE[index.kb] = index


def find(question: str, kb: KnowledgeBase) -> Finding:
    """Match a question against the knowledge base."""
    return find_in(question, index_for(kb))


def find_in(question: str, index: Index) -> Finding:
    finding = _find(question, index)
    if OUT_OF_SCOPE in finding.topics:  # typed exactly as an out-of-scope question
        return Finding(Outcome.DECLINE, (), 0.0, ())
    return replace(finding, ranked=_visible(finding.ranked))


def _visible(ranked: Ranked) -> Ranked:
    """The ranking without the out-of-scope questions' pseudo-topic."""
    return tuple((t, s) for t, s in ranked if t != OUT_OF_SCOPE)


def _find(question: str, index: Index) -> Finding:
    text = clean(question)
    verbatim = index.verbatim.get(normalise_phrasing(text))
    if verbatim is not None:
        topic = index.ids[verbatim]
        return Finding(Outcome.ANSWER, (topic,), 1.0, ((topic, 1.0),))
    terms = index.terms(text)
    if is_vague(terms, text):
        return Finding(Outcome.VAGUE)
    exact = _exact(terms, index)
    if exact is not None:
        return Finding(Outcome.ANSWER, (exact,), 1.0, ((exact, 1.0),))
    ranked = _anchored_rank(index, terms, text, _INSTRUCTION.search(question) is not None)
    if _NOT_DOCKER.search(text) and not names_docker(index.terms(_NOT_DOCKER.sub(" ", text))):
        # "nginx fails on boot, no docker on this box": the asker says it is not about Docker.
        return Finding(Outcome.DECLINE, (), ranked[0][1] if ranked else 0.0, ranked)
    if ranked and ranked[0][0] == OUT_OF_SCOPE:
        # The whole message is closest to a question we know is not ours ("imagePullSecrets
        # in k8s", "IAM role vs IAM user"): neither one sentence of it nor its "X vs Y" is.
        return decide(ranked, index.params)
    ranked_topics = {t for t, _ in ranked}
    sides = _pair(text, index, ranked_topics)
    covering = index.pairs.get(frozenset(sides[0])) if sides is not None else None
    if covering is None:
        covering = _compared_card(text, index, ranked)
    if covering is not None:
        return Finding(Outcome.ANSWER, (index.ids[covering],), 1.0, ranked)
    # Two sides the whole question is not about are a misreading of "X vs Y": in
    # `CMD ["npm", "start"] vs CMD npm start` the comma cuts the clause, and its left side is
    # "start"] (the docker-stop card). Only a comparison card can claim such a pair.
    if sides is not None and not ranked_topics.issuperset(sides[0]):
        sides = None
    if sides is None:
        finding = decide(ranked, index.params)
        if finding.outcome is Outcome.ANSWER:
            return _asked_exactly(text, terms, index, finding) or finding
        return _by_sentence(text, index) or finding
    pair, named = sides
    # A topic answers "X vs Y" alone when it is sure and is itself a comparison of what the
    # sides name, or is one of the pair and its own phrasings take up the comparison
    # ("repository vs registry"), or is neither side: "what signal does docker stop send ...
    # SIGTERM or SIGKILL?" compares two details of docker-stop, not run-shell with cmd.
    alone = decide(ranked, index.params)
    topic = alone.topic or ""
    other = pair[1] if topic == pair[0] else pair[0]
    claims = topic in pair and index.claims_comparison(topic, other)
    covers = index.is_comparison(topic) and (
        index.names_both_sides(topic, terms) or _sides_name(index, topic, named)
    )
    beside = bool(topic) and topic not in pair and not index.is_comparison(topic)
    if alone.score >= index.params.pair_override and (covers or claims or beside):
        return alone
    return Finding(Outcome.PAIR, pair, ranked[0][1], ranked)


def is_vague(terms: Terms, text: str) -> bool:
    """Nothing but stopwords, or only "docker" (or "docker vs") without asking anything."""
    specific = [t for t in terms.terms if t not in GENERIC and t != "vs" and not t.isdigit()]
    return not specific and not (terms.terms and REQUEST.intersection(words(text)))


def decide(ranked: Ranked, params: Params) -> Finding:
    """Answer, suggest or decline from the ranked candidates (best first)."""
    if ranked and ranked[0][0] == OUT_OF_SCOPE:
        # Closest to a question we know is not ours: decline, however well a topic scored.
        visible = _visible(ranked)
        return Finding(Outcome.DECLINE, (), visible[0][1] if visible else 0.0, visible)
    best = ranked[0][1] if ranked else 0.0
    if best < params.suggest_at:
        return Finding(Outcome.DECLINE, (), best, ranked)
    second = ranked[1][1] if len(ranked) > 1 else 0.0
    floor = max(params.suggest_at, best - params.suggest_spread)
    close = tuple(t for t, s in _visible(ranked)[:3] if s >= floor)
    if best >= params.answer_at and best - second >= params.margin:
        return Finding(Outcome.ANSWER, (ranked[0][0],), best, ranked, also=close[1:])
    return Finding(Outcome.SUGGEST, close, best, ranked)


def _anchored_rank(index: Index, terms: Terms, text: str, dockerfile: bool = False) -> Ranked:
    """The five best topics; lower for a question that uses no Docker word at all, and lower
    for a card about another tool (nginx, cron) when the question does not name Docker itself.
    A question of one word ("delete", "cron") is asked of a Docker bot about Docker, and a
    Dockerfile line names Docker by its form: both keep their scores."""
    penalties: list[float | np.ndarray] = []
    if len(terms.terms) > 1 and not dockerfile:
        if not index.anchored(terms):
            penalties.append(index.params.unanchored_penalty)
        if not names_docker(terms):
            penalties.append(index.params.other_tool_penalty * index.needs_docker_word)
    return _ranked(index, *index.best(terms, text, 5, penalties))


def names_docker(terms: Terms) -> bool:
    """Whether the question names Docker itself: "container", "image", "compose", a command."""
    return any(t in DOCKER_WORDS or t.startswith("cmd:") for t in terms.terms)


def _by_sentence(text: str, index: Index) -> Finding | None:
    """A long message whose whole did not settle on a topic may still hold one sentence that
    does, once the context around it is set aside: answer that sentence, if it is clear."""
    parts = ((s, index.terms(s)) for s in _SENTENCE.split(text))
    sentences = [(s, terms) for s, terms in parts if _asks_something(terms, s)]
    if len(sentences) < 2:
        return None
    factor = index.params.sentence_factor
    answers = []
    for sentence, terms in sentences:
        exact = _exact(terms, index)
        if exact == OUT_OF_SCOPE:
            continue
        if exact is not None and not _docker_left_out(terms, index):
            # "ok so what is docker actually? ..." : one sentence is exactly a phrasing.
            answers.append(Finding(Outcome.ANSWER, (exact,), factor, ((exact, factor),)))
            continue
        ranked = _anchored_rank(index, terms, sentence)
        finding = decide(tuple((t, s * factor) for t, s in ranked), index.params)
        if finding.outcome is Outcome.ANSWER:
            answers.append(finding)
    return max(answers, key=lambda f: f.score, default=None)


def _docker_left_out(terms: Terms, index: Index) -> bool:
    """A sentence that is a phrasing only with "docker" left out, and names nothing of
    Docker's itself: one sentence of a longer message, it need not be about Docker at all."""
    if exact_keys(terms.terms)[0] not in index.without_docker:
        return False
    return not (index.anchored(terms) or names_docker(terms))


def _asked_exactly(text: str, terms: Terms, index: Index, finding: Finding) -> Finding | None:
    """An answer the whole message is not sure of gives way to a question in it typed exactly
    as another topic's phrasing: in "what is docker and why does the backend team keep telling
    us to use it" the team's words lean to docker-desktop, but "what is docker" is asked."""
    if finding.score >= index.params.sure_at:
        return None
    for sentence in _SENTENCE.split(text):
        if not REQUEST.intersection(words(sentence)):
            continue
        sentence_terms = index.terms(sentence)
        if len(sentence_terms.terms) >= len(terms.terms):
            continue
        exact = _exact(sentence_terms, index)
        if exact not in (None, OUT_OF_SCOPE, finding.topics[0]):
            rest = tuple((t, s) for t, s in finding.ranked if t != exact)
            return Finding(Outcome.ANSWER, (exact,), finding.score, ((exact, finding.score), *rest))
    return None


def _asks_something(terms: Terms, sentence: str) -> bool:
    """A sentence worth reading alone: two terms or more, or one asked about ("what is X").
    "vs" is no subject: "what's the difference" alone compares nothing."""
    terms = terms.without("vs")
    return len(terms.terms) >= 2 or (len(terms.terms) == 1 and not is_vague(terms, sentence))


def _rank(index: Index, terms: Terms, text: str, limit: int) -> Ranked:
    return _ranked(index, *index.best(terms, text, limit))


def _ranked(index: Index, order: np.ndarray, scores: np.ndarray) -> Ranked:
    ids = index.ids
    return tuple(
        (ids[i], round(s, 4)) for i, s in zip(order.tolist(), scores.tolist(), strict=True)
    )


def _exact(terms: Terms, index: Index) -> str | None:
    """A question whose terms are exactly one topic's phrasing (and no other's)."""
    hits = (index.exact.get(key) for key in exact_keys(terms.terms))
    hit = next((h for h in hits if h is not None), None)
    return index.ids[hit] if hit is not None and not terms.corrected else None


Sides = tuple[tuple[str, str], tuple[Terms, Terms]]


def _pair(text: str, index: Index, ranked: set[str]) -> Sides | None:
    """For "X vs Y" questions, the two topics compared, when both sides are clearly topics,
    and the terms of the two sides; only when they can be of use: when both are among the
    `ranked` topics, or a comparison card compares them.

    Only the clause holding the comparison counts: in "image vs container?? i keep mixing
    them up" the sides are "image" and "container".
    """
    for clause, asked in _clauses(_BRACKETED.sub(_unspaced, text)):
        for needs, pattern in _STRONG_PAIR:
            if not any(word in clause for word in needs):
                continue
            match = pattern.search(clause)
            if match:
                return _resolve_pair(match.group(1), match.group(2), index, ranked)
        # Cleaned text has single spaces, so " or " is there whenever the pattern can match.
        match = _WEAK_PAIR.search(clause) if " or " in clause else None
        if match and (asked or _CHOICE_WORD.search(text)):
            left, right = (index.terms(side) for side in match.groups())
            if max(len(left.terms), len(right.terms)) <= WEAK_SIDE_TERMS:
                return _resolve_pair(match.group(1), match.group(2), index, ranked, (left, right))
    return None


# "or" and "vs" with a word either side: "swarm or k8s", "a named volume vs mounting ./data".
_BETWEEN = re.compile(r"\s(?:or|vs\.?|versus)\s")
_SIDE_WORDS = 3  # the words either side of it that are read for the two sides


def _compared_card(text: str, index: Index, ranked: Ranked) -> int | None:
    """The comparison card whose two sides stand either side of "or" or "vs", when the best
    topic is one of those it compares: "swarm or k8s for our 3 servers" (swarm is a topic,
    Kubernetes is not) and "a named volume or mounting ./data from the host" ask the
    comparison, while "mount NFS on the host vs a cifs volume" stays network-share-volumes."""
    for match in _BETWEEN.finditer(text) if ranked else ():
        left = _terms_beside(index, text[: match.start()].split()[-_SIDE_WORDS:])
        right = _terms_beside(index, text[match.end() :].split()[:_SIDE_WORDS])
        found = index.side_pairs.get((left[-1], right[0])) if left and right else None
        if found is not None and ranked[0][0] in found[1]:
            return found[0]
    return None


def _terms_beside(index: Index, side: list[str]) -> list[str]:
    """The terms of a few words beside "or", in order, without "docker" and command terms
    (those come last, not where their words stand)."""
    terms = index.terms(" ".join(side)).terms
    return [t for t in terms if t not in GENERIC and t != "vs" and not t.startswith("cmd:")]


def _clauses(text: str) -> Iterator[tuple[str, bool]]:
    """The text's clauses, each with whether a question mark closes it: "volumes or bind
    mounts?" is asked as a question of its own."""
    start = 0
    for end in _CLAUSE.finditer(text):
        yield text[start : end.start()], end.group().startswith("?")
        start = end.end()
    yield text[start:], False


def _resolve_pair(
    left: str,
    right: str,
    index: Index,
    ranked: set[str],
    read: tuple[Terms, Terms] | None = None,
) -> Sides | None:
    """The pair of topics two sides name, and their terms (`read`: the sides' terms, when
    they were read already), when the pair can be of use (see _pair)."""
    sides = []
    for side, side_terms in zip((left, right), read or (None, None), strict=True):
        terms = (index.terms(side) if side_terms is None else side_terms).without("vs")
        sides.append((side, terms, index.named(terms)))
    # A side settles only on a topic it names, so a side ranks for nothing when it names no
    # topic ("python venv vs conda": no topic is named "conda"), or none that could make a
    # pair of use: neither side is ranked then, each ranking a full scoring of its own.
    right_named = sides[1][2]
    if not _of_use(sides[0][2], right_named, index, ranked):
        return None
    found = []
    for side, terms, named in sides:
        topic = _exact(terms, index) or decide(_rank(index, terms, side, 2), index.params).topic
        if topic is None or topic not in named:
            return None
        found.append((topic, terms))
        if len(found) == 1 and not _of_use({topic}, right_named, index, ranked):
            return None  # the right side need not be ranked
    (a, a_terms), (b, b_terms) = found
    return ((a, b), (a_terms, b_terms)) if _of_use({a}, {b}, index, ranked) else None


def _of_use(left: set[str], right: set[str], index: Index, ranked: set[str]) -> bool:
    """Whether a topic of `left` and another of `right` would make a pair of use (see _pair):
    both among the ranked topics, or compared by a comparison card."""
    in_left, in_right = left & ranked, right & ranked
    if in_left and in_right and len(in_left | in_right) > 1:
        return True  # two different topics, one from each
    return any(not index.compared_with(topic).isdisjoint(right) for topic in left)


def _sides_name(index: Index, comparison: str, sides: tuple[Terms, Terms]) -> bool:
    """Whether both topics the comparison card compares are named by a side of the question,
    though a side settled on a neighbour: in "dockerfile vs compose" the right side is the
    docker-compose card, and "compose" names the Compose file too, which compose-vs-dockerfile
    sets beside the Dockerfile. A card with a side that is no topic (swarm-vs-kubernetes) is
    not claimed this way: "swarm vs docker desktop" names swarm, and no Kubernetes."""
    card = index.kb.get(comparison)
    compared = card.compare.topics if card is not None and card.compare else ()
    return len(compared) == 2 and all(
        any(index.names(topic, terms) for terms in sides) for topic in compared
    )
