"""Decides which topic a question is about: normalise, index, score, then answer or not.

The score of a topic is a blend of two IDF-weighted overlaps between the question's terms and
the topic: the best single phrasing (an F-measure, so short keyword phrasings cannot win on
one shared word) and the topic's whole vocabulary (phrasings, title, commands, summary, points).
Rare, topic-specific words count for more than words every topic uses. The top candidates are
then re-ranked with rapidfuzz on the normalised phrasings, and the decision uses both the top
score and its margin over the runner-up.
"""

from __future__ import annotations

import math
import re
import weakref
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA
from rapidfuzz.utils import default_process

from bot.knowledge import KnowledgeBase, Topic
from bot.normalise import GENERIC, STOPWORDS, clean, stem, words

# Decision thresholds, on the 0-1 score scale. Chosen by sweeping them over tests/questions.yaml
# with bench/thresholds.py (the held-out file is never used for this); the README shows the
# figures behind each value.
ANSWER_AT = 0.50  # below this the best topic is only a suggestion
MARGIN = 0.06  # the best must beat the runner-up by this much to be answered alone
SUGGEST_AT = 0.34  # below this the question is declined
SUGGEST_SPREAD = 0.12  # suggestions are the topics within this distance of the best

# Scoring weights, chosen on the same file.
PHRASING_WEIGHT = 0.55  # share of the best single phrasing in a topic's score
BETA = 1.4  # F-measure beta: >1 weighs covering the phrasing above covering the question
FUZZY_WEIGHT = 0.10  # share of the rapidfuzz re-ranking score
UNKNOWN_WEIGHT = 1.2  # weight of a question word the knowledge base never uses
COMPARISON_BONUS = 0.10  # added to comparison topics when the question compares two things
COMMAND_BONUS = 0.08  # added to a topic whose first command is the pasted docker command
RERANK = 8  # candidates re-ranked with rapidfuzz

# Field weights for a topic's vocabulary: words people ask with count fully, words from the
# explanation count less, since they describe the answer rather than the question.
FIELD_WEIGHTS = {"phrasing": 1.0, "command": 0.7, "text": 0.45}

# docker sub-commands that take a second word ("docker image prune", "docker compose up").
MANAGEMENT = frozenset(
    "builder buildx checkpoint compose config container context image manifest network node "
    "plugin scout secret service stack swarm system trust volume".split()
)
_COMMAND = re.compile(r"\bdocker(?:-compose)?\s+([a-z][a-z-]*)(?:\s+([a-z][a-z-]*))?")
_STRONG_PAIR = (
    re.compile(
        r"\b(?:differences?|diff|distinction)\s+(?:between|of|in)\s+(.+?)\s+"
        r"(?:and|&|vs\.?|versus|or|with)\s+(.+)"
    ),
    re.compile(
        r"\b(?:compare|comparing|comparison of)\s+(.+?)\s+(?:and|with|to|vs\.?|versus)\s+(.+)"
    ),
    re.compile(r"(.+?)\s+(?:vs\.?|versus|v\.s\.?|compared (?:to|with))\s+(.+)"),
)
_WEAK_PAIR = re.compile(r"(.+?)\s+or\s+(.+)")


class Outcome(StrEnum):
    ANSWER = "answer"  # one topic, confidently
    PAIR = "pair"  # "X vs Y" where both are topics but no comparison topic exists
    SUGGEST = "suggest"  # close candidates: did you mean...
    DECLINE = "decline"  # nothing in the knowledge base is close
    VAGUE = "vague"  # empty, or only generic words ("docker", "help me")


@dataclass(frozen=True)
class Finding:
    outcome: Outcome
    topics: tuple[str, ...] = ()
    score: float = 0.0
    ranked: tuple[tuple[str, float], ...] = ()

    @property
    def topic(self) -> str | None:
        return self.topics[0] if self.outcome is Outcome.ANSWER else None


def find(question: str, kb: KnowledgeBase) -> Finding:
    """Match a question against the knowledge base."""
    index = index_for(kb)
    text = clean(question)
    terms = index.terms(text)
    if not [t for t in terms if t not in index.generic]:
        return Finding(Outcome.VAGUE)
    exact = index.exact.get(tuple(sorted(set(terms))))
    if exact is not None:
        return Finding(Outcome.ANSWER, (index.ids[exact],), 1.0, ((index.ids[exact], 1.0),))
    pair = _pair(text, index)
    scores = index.score(terms, text)
    order = np.argsort(-scores, kind="stable")[:5]
    ranked = tuple((index.ids[i], round(float(scores[i]), 4)) for i in order)
    if pair is not None:
        left, right = pair
        covering = index.pairs.get(frozenset(pair))
        if covering is not None:
            return Finding(Outcome.ANSWER, (index.ids[covering],), 1.0, ranked)
        return Finding(Outcome.PAIR, (left, right), ranked[0][1], ranked)
    return decide(ranked)


def decide(ranked: tuple[tuple[str, float], ...]) -> Finding:
    """Answer, suggest or decline from the ranked candidates (best first)."""
    if not ranked or ranked[0][1] < SUGGEST_AT:
        return Finding(Outcome.DECLINE, (), ranked[0][1] if ranked else 0.0, ranked)
    best = ranked[0][1]
    second = ranked[1][1] if len(ranked) > 1 else 0.0
    if best >= ANSWER_AT and best - second >= MARGIN:
        return Finding(Outcome.ANSWER, (ranked[0][0],), best, ranked)
    close = tuple(t for t, s in ranked[:3] if s >= max(SUGGEST_AT, best - SUGGEST_SPREAD))
    return Finding(Outcome.SUGGEST, close, best, ranked)


def _pair(text: str, index: Index) -> tuple[str, str] | None:
    """For "X vs Y" questions, the two topics compared, when both sides are clearly topics."""
    for pattern in _STRONG_PAIR:
        match = pattern.search(text)
        if match:
            return _resolve_pair(match.group(1), match.group(2), index)
    match = _WEAK_PAIR.search(text)
    if match and all(len(index.terms(side)) <= 3 for side in match.groups()):
        return _resolve_pair(match.group(1), match.group(2), index)
    return None


def _resolve_pair(left: str, right: str, index: Index) -> tuple[str, str] | None:
    sides = []
    for side in (left, right):
        terms = [t for t in index.terms(side) if t != "vs"]
        if not [t for t in terms if t not in index.generic]:
            return None
        exact = index.exact.get(tuple(sorted(set(terms))))
        if exact is not None:
            topic = index.ids[exact]
        else:
            scores = index.score(terms, side)
            order = np.argsort(-scores, kind="stable")[:2]
            ranked = tuple((index.ids[i], float(scores[i])) for i in order)
            finding = decide(ranked)
            if finding.outcome is not Outcome.ANSWER:
                return None
            topic = finding.topics[0]
        if index.is_comparison(topic):
            return None
        sides.append(topic)
    if sides[0] == sides[1]:
        return None
    return sides[0], sides[1]


_CACHE: weakref.WeakKeyDictionary[KnowledgeBase, Index] = weakref.WeakKeyDictionary()


def index_for(kb: KnowledgeBase) -> Index:
    """The search index of a knowledge base, built once per knowledge base and then reused."""
    index = _CACHE.get(kb)
    if index is None:
        index = Index(kb)
        _CACHE[kb] = index
    return index


@dataclass(eq=False)
class Index:
    """Precomputed, normalised phrasings and term statistics of one knowledge base."""

    kb: KnowledgeBase
    ids: tuple[str, ...] = field(init=False)
    generic: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        kb = self.kb
        self.ids = tuple(t.id for t in kb.topics)
        self.generic = frozenset(stem(w) for w in GENERIC)
        self._kinds = np.array([t.kind == "comparison" for t in kb.topics])
        self._comparisons = {t.id for t in kb.topics if t.kind == "comparison"}
        self._build_synonyms(kb)
        self._build_vocabulary(kb)
        self._corrections: dict[str, str | None] = {}
        self._build_phrasings(kb)
        self._build_topic_terms(kb)
        self._build_commands(kb)
        self.pairs = {
            frozenset(t.compare.topics): i
            for i, t in enumerate(kb.topics)
            if t.compare and len(t.compare.topics) == 2
        }

    def is_comparison(self, topic_id: str) -> bool:
        return topic_id in self._comparisons

    # -- building ------------------------------------------------------------------------------

    def _build_synonyms(self, kb: KnowledgeBase) -> None:
        table: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = {}
        for canonical, variants in kb.synonyms.items():
            target = tuple(words(clean(canonical)))
            for variant in (canonical, *variants):
                stems = tuple(stem(w) for w in words(clean(variant)))
                if stems:
                    table.setdefault(stems[0], []).append((stems, target))
        for entries in table.values():
            entries.sort(key=lambda e: -len(e[0]))
        self._synonyms = table
        self._protected = {w for _, entries in table.items() for _, t in entries for w in t}

    def _build_vocabulary(self, kb: KnowledgeBase) -> None:
        counts: dict[str, int] = {}
        texts = [p for t in kb.topics for p in (*t.phrasings, t.title, t.id.replace("-", " "))]
        texts += [c.run for t in kb.topics for c in t.commands]
        texts += [v for c, vs in kb.synonyms.items() for v in (c, *vs)]
        for text in texts:
            for word in words(clean(text)):
                if word not in STOPWORDS and word.isalpha():
                    counts[word] = counts.get(word, 0) + 1
        self._vocab = sorted(counts, key=lambda w: (-counts[w], w))
        self._known = set(counts) | {stem(w) for w in counts}

    def _build_phrasings(self, kb: KnowledgeBase) -> None:
        topic_of: list[int] = []
        term_sets: list[tuple[str, ...]] = []
        strings: list[str] = []
        starts: list[int] = []
        for i, topic in enumerate(kb.topics):
            starts.append(len(topic_of))
            seen: set[tuple[str, ...]] = set()
            for text in (*topic.phrasings, topic.title, topic.id.replace("-", " ")):
                terms = tuple(dict.fromkeys(self.terms(clean(text))))
                if not terms or terms in seen:
                    continue
                seen.add(terms)
                topic_of.append(i)
                term_sets.append(terms)
                strings.append(" ".join(terms))
        self._phr_topic = np.array(topic_of, dtype=np.int32)
        self._phr_start = np.array(starts, dtype=np.int64)
        self._phr_strings = strings
        self._phr_terms = term_sets
        exact: dict[tuple[str, ...], int] = {}
        for i, terms in zip(topic_of, term_sets, strict=True):
            key = tuple(sorted(terms))
            exact[key] = i if exact.get(key, i) == i else -1
        self.exact = {k: v for k, v in exact.items() if v >= 0}

    def _build_topic_terms(self, kb: KnowledgeBase) -> None:
        weights: list[dict[str, float]] = []
        for i, topic in enumerate(kb.topics):
            fw: dict[str, float] = {}
            for text, kind in _topic_texts(topic):
                for term in self.terms(clean(text)):
                    fw[term] = max(fw.get(term, 0.0), FIELD_WEIGHTS[kind])
            for terms in (self._phr_terms[j] for j in np.flatnonzero(self._phr_topic == i)):
                for term in terms:
                    fw[term] = FIELD_WEIGHTS["phrasing"]
            weights.append(fw)
        n = len(kb.topics)
        df: dict[str, int] = {}
        for fw in weights:
            for term in fw:
                df[term] = df.get(term, 0) + 1
        self.idf = {t: math.log(1 + n / d) for t, d in df.items()}
        phr_post: dict[str, list[int]] = {}
        for j, terms in enumerate(self._phr_terms):
            for term in terms:
                phr_post.setdefault(term, []).append(j)
        self._phr_post = {t: np.array(v, dtype=np.int64) for t, v in phr_post.items()}
        self._phr_mass = np.array([sum(self.idf[t] for t in ts) for ts in self._phr_terms])
        top_post: dict[str, tuple[list[int], list[float]]] = {}
        for i, fw in enumerate(weights):
            for term, w in fw.items():
                entry = top_post.setdefault(term, ([], []))
                entry[0].append(i)
                entry[1].append(w)
        self._top_post = {
            t: (np.array(ix, dtype=np.int64), np.array(ws)) for t, (ix, ws) in top_post.items()
        }

    def _build_commands(self, kb: KnowledgeBase) -> None:
        first: dict[str, int] = {}
        for i, topic in enumerate(kb.topics):
            if topic.commands:
                signature = _signature(topic.commands[0].run)
                if signature:
                    first.setdefault(signature, i)
        self._first_command = first

    # -- questions -----------------------------------------------------------------------------

    def terms(self, text: str) -> list[str]:
        """Cleaned text -> stemmed terms: typos fixed, synonyms applied, stopwords dropped."""
        raw = [self._correct(w) for w in words(text)]
        stems = [stem(w) for w in raw]
        out: list[str] = []
        i = 0
        while i < len(raw):
            for variant, target in self._synonyms.get(stems[i], ()):
                if tuple(stems[i : i + len(variant)]) == variant:
                    out += [stem(w) for w in target]
                    i += len(variant)
                    break
            else:
                if raw[i] not in STOPWORDS or raw[i] in self._protected:
                    out.append(stems[i])
                i += 1
        return out

    def _correct(self, word: str) -> str:
        """A word the knowledge base never uses -> its nearest known word, if one is close."""
        if word in STOPWORDS or word in self._known or stem(word) in self._known:
            return word
        if len(word) < 4 or not word.isalpha():
            return word
        if word not in self._corrections:
            limit = 2 if len(word) >= 8 else 1
            best = process.extractOne(word, self._vocab, scorer=OSA.distance, score_cutoff=limit)
            self._corrections[word] = best[0] if best else None
        return self._corrections[word] or word

    def score(self, terms: list[str], text: str) -> np.ndarray:
        """Score every topic for the question's terms, 0 to about 1."""
        unique = list(dict.fromkeys(terms))
        known = [t for t in unique if t in self.idf]
        mass = sum(self.idf[t] for t in known) + UNKNOWN_WEIGHT * (len(unique) - len(known))
        n = len(self.ids)
        if not known or mass <= 0:
            return np.zeros(n)
        overlap = np.zeros(len(self._phr_strings))
        coverage = np.zeros(n)
        for term in known:
            w = self.idf[term]
            if term in self._phr_post:
                overlap[self._phr_post[term]] += w
            idx, fw = self._top_post[term]
            coverage[idx] += w * fw
        recall = overlap / self._phr_mass
        precision = overlap / mass
        b2 = BETA * BETA
        denom = b2 * precision + recall
        f = np.divide(
            (1 + b2) * precision * recall, denom, out=np.zeros_like(denom), where=denom > 0
        )
        best = np.maximum.reduceat(f, self._phr_start)
        scores = PHRASING_WEIGHT * best + (1 - PHRASING_WEIGHT) * coverage / mass
        if "vs" in unique:
            scores = scores + COMPARISON_BONUS * self._kinds
        signature = _signature(text)
        if signature in self._first_command:
            scores[self._first_command[signature]] += COMMAND_BONUS
        return self._rerank(scores, " ".join(unique))

    def _rerank(self, scores: np.ndarray, query: str) -> np.ndarray:
        """Blend in rapidfuzz's token-sort ratio against the top candidates' phrasings."""
        top = np.argsort(-scores, kind="stable")[:RERANK]
        top = top[scores[top] > 0]
        if not len(top):
            return scores
        rows = np.flatnonzero(np.isin(self._phr_topic, top))
        choices = [self._phr_strings[j] for j in rows]
        ratios = process.cdist(
            [query], choices, scorer=fuzz.token_sort_ratio, processor=default_process
        )[0]
        best = np.zeros(len(self.ids))
        np.maximum.at(best, self._phr_topic[rows], ratios / 100.0)
        result = scores * (1 - FUZZY_WEIGHT)
        result[top] += FUZZY_WEIGHT * best[top]
        return result


def _topic_texts(topic: Topic) -> list[tuple[str, str]]:
    texts = [(c.run, "command") for c in topic.commands]
    texts += [(c.does, "text") for c in topic.commands]
    texts += [(topic.summary, "text")] + [(p, "text") for p in topic.points]
    if topic.compare:
        texts += [(s, "phrasing") for s in topic.compare.sides]
    return texts


def _signature(text: str) -> str | None:
    """'docker image prune -a' -> 'image prune'; 'docker rm -f x' -> 'rm'."""
    match = _COMMAND.search(text)
    if not match:
        return None
    first, second = match.group(1), match.group(2)
    if "docker-compose" in match.group(0):
        return f"compose {first}"
    if first in MANAGEMENT and second:
        return f"{first} {second}"
    return first
