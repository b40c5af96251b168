"""The search index of a knowledge base: question terms, and a score for every topic.

A topic's score blends two IDF-weighted overlaps between the question's terms and the topic:
the best single phrasing (an F-measure, so a short keyword phrasing cannot win on one shared
word) and the topic's whole vocabulary (phrasings and title fully; commands, summary and points
less). Rare, topic-specific words count for more than words every topic uses, and a question
word the knowledge base never uses counts against every topic. The best candidates are then
re-ranked with rapidfuzz on the normalised phrasings.
"""

from __future__ import annotations

import gc
import itertools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA
from rapidfuzz.utils import default_process

from bot.knowledge import KnowledgeBase, Topic, normalise_phrasing
from bot.normalise import (
    DOCKER_WORDS,
    GENERIC,
    PLATFORM_WORDS,
    STOPWORDS,
    asked_form,
    clean,
    stem,
    without_chat,
    words,
)
from bot.typos import keyboard_distance


@dataclass(frozen=True)
class Params:
    """The matcher's weights and thresholds, on the 0-1 score scale.

    The defaults were chosen by sweeping them over tests/questions.yaml with
    bench/thresholds.py (the held-out file is never used for this); the README shows the
    figures behind them.
    """

    answer_at: float = 0.64  # below this the best topic is only a suggestion
    # The best must beat the runner-up by this much to be answered alone; closer, both are
    # offered. The sweep would take 0 for another half point of top-1; guessing ties is not ours.
    margin: float = 0.01
    suggest_at: float = 0.64  # below this the question is declined
    suggest_spread: float = 0.12  # suggestions are the topics within this distance of the best
    # A question using no Docker word at all (no word of a topic title or id, no command or
    # flag the knowledge base teaches) must score this much higher to be answered or offered:
    # it is most likely about something else.
    unanchored_penalty: float = 0.20
    # A card about another tool used with Docker (`needs_docker_word`: nginx, cron, databases,
    # CI) loses this much for a question of two words or more that names nothing of Docker.
    other_tool_penalty: float = 0.35
    pair_override: float = 0.70  # "X vs Y": a topic of the pair this sure answers alone
    phrasing_weight: float = 0.70  # share of the best single phrasing in a topic's score
    # How far a topic's phrasing score moves from its best phrasing towards its second best:
    # two phrasings that fit say more than one, which may fit by a coincidence of words.
    second_weight: float = 0.2
    beta: float = 2.0  # F-measure beta: >1 weighs covering the phrasing above the question
    fuzzy_weight: float = 0.25  # share of the rapidfuzz re-ranking score (0.20 until 134 topics)
    unseen_df: float = 4.0  # a word no topic uses weighs as if this many topics used it (IDF)
    corrected_factor: float = 1.0  # a typo-corrected word counts this much of a sure one
    comparison_bonus: float = 0.05  # added to comparisons when the question compares things
    # Added to the cards of the kind the question's form asks for: how-tos for "how do i…",
    # concepts for "what is…" (bot.normalise.asked_form).
    form_bonus: float = 0.04
    rerank: int = 8  # candidates re-ranked with rapidfuzz
    # Above this many topics, best() scores in full only the topics that can be among them.
    prune_above: int = 500
    nb_weight: float = 0.4  # share of the naive Bayes posterior added to a topic's score
    nb_temperature: float = 1.5  # >1 flattens the posterior, <1 sharpens it
    sentence_factor: float = 0.9  # one sentence of a long message scores this much of itself
    # An answer below this gives way to a question of the message typed exactly as a phrasing.
    sure_at: float = 0.75
    # Word order the term overlap cannot see: a re-ranked candidate gains this when one of its
    # phrasings has two of the question's pairs of neighbouring words side by side too, and
    # loses half of it when none has even one: "where are docker images stored on the host" is
    # data-root ("images stored"), not the registry. A question of one term is left as it is.
    word_pair_weight: float = 0.05
    # A word of where the asker runs Docker (normalise.PLATFORM_WORDS) weighs this much of its IDF
    # (0.5 until m1 and wsl2 stopped being Docker words; 0.3 then cost nothing undressed).
    platform_weight: float = 0.3
    # What the terms cannot see, since they leave the small words out: "is already in use by"
    # is an error message of stopwords alone, and "in the same container" says more than
    # "container". A re-ranked candidate gains up to word_run_weight for the pairs of
    # neighbouring words, as typed, that the question shares with one of its phrasings, each
    # pair counted by its IDF over all phrasings (a pair most of them have, "how do", counts
    # little); the gain is full at a summed IDF of word_run_full. A question that names nothing
    # of Docker's gains word_run_unanchored of it towards the cards (all of it towards the
    # out-of-scope questions): "pros and cons" or "unable to get local issuer certificate" in a
    # question about maven or git says little for a Docker card. The gain lifts the candidates
    # with such evidence above those without, so answer_at and suggest_at rose with it (from
    # 0.58 to 0.64).
    word_run_weight: float = 0.15
    word_run_full: float = 15.0
    word_run_unanchored: float = 0.5


def exact_keys(terms: Iterable[str]) -> list[tuple[str, ...]]:
    """What makes a question the same as a phrasing: its distinct terms in order, and again
    without "docker", which people add to any question or leave out ("limit cpu usage of a
    docker container"), as long as two terms remain: "delete" alone is not "docker delete"."""
    distinct = set(terms)
    ordered = tuple(sorted(distinct))
    if distinct.isdisjoint(GENERIC):
        return [ordered]
    rest = tuple(t for t in ordered if t not in GENERIC)
    return [ordered, rest] if len(rest) >= 2 else [ordered]


# The id the out-of-scope questions are indexed under; not kebab-case, so no topic can have it.
OUT_OF_SCOPE = "(out of scope)"

# Naive Bayes smoothing (added to every term count) and the weight of an explanation text
# against a phrasing. Chosen on tests/questions.yaml and our private question sets: NB_TEXT went
# from 0.3 to 0.2 when the cards' points grew to answer what their phrasings ask (README).
NB_ALPHA = 0.1
NB_TEXT = 0.2

# A word of a topic title ("service", "restart", "port") is no sign of a Docker question when
# EVERYDAY_MIN_USES or more of the out-of-scope questions use it too and fewer than
# EVERYDAY_SHARE of the phrasings do, or the phrasings use it less than EVERYDAY_RATIO times as
# often as those questions ("from", "file", "app"); "container" (7 times) and "image" (15) stay
# signs. One question about an AWS load balancer's "health checks" does not make "healthcheck"
# an everyday word. Chosen on our question sets; the README's Matching section has the figures.
EVERYDAY_SHARE = 0.05
EVERYDAY_RATIO = 1.9
EVERYDAY_MIN_USES = 2
# Docker's own names that other tools share, so that the out-of-scope questions would make them
# everyday words: "cmd" is the CMD instruction, however often Windows' cmd and firewall-cmd come
# up. A pasted `CMD ["java", "-jar", "app.jar"]` is about Docker without saying "docker".
SHARED_NAMES = frozenset({"cmd"})

# Field weights for a topic's vocabulary: words people ask with count fully, words from the
# explanation count less, since they describe the answer rather than the question.
FIELD_WEIGHTS = {"phrasing": 1.0, "command": 0.7, "text": 0.45}

# docker sub-commands that take a second word ("docker image prune", "docker compose up").
MANAGEMENT = frozenset(
    "builder buildx checkpoint compose config container context image manifest network node "
    "plugin scout secret service stack swarm system trust volume".split()
)
_COMMAND = re.compile(r"\bdocker(?:-compose)?\s+([a-z][a-z-]*)(?:\s+([a-z][a-z-]*))?")
# "compose up -d", "compose down -v": Compose commands typed without "docker" ("up" and "down"
# are stopwords, so without this both read as just "compose").
_BARE_COMPOSE = re.compile(r"(?<!docker )(?<![\w-])compose\s+([a-z][a-z-]*)")
# "can docker run on a mac", "does docker run natively under wsl": a question whether Docker
# works somewhere, not the docker run command.
_CAN_IT_RUN = re.compile(
    r"\b(?:can|could|does|do|will|would)\s+docker\s+run\s+(?:on|natively|under)\b"
)


@dataclass(frozen=True)
class Terms:
    """A question's terms; `corrected` holds those that came from fixing a typo."""

    terms: tuple[str, ...]
    corrected: frozenset[str] = frozenset()

    def without(self, term: str) -> Terms:
        return Terms(tuple(t for t in self.terms if t != term), self.corrected)


class Index:
    """Precomputed, normalised phrasings and term statistics of one knowledge base."""

    def __init__(self, kb: KnowledgeBase, params: Params | None = None) -> None:
        self.kb = kb
        self.params = params or Params()
        with _collector_paused():
            self._build(kb)

    def _build(self, kb: KnowledgeBase) -> None:
        # The out-of-scope questions are indexed as one more topic, so that a question closest
        # to them is declined; the matcher never shows that topic to anyone. What names a topic
        # (anchors, name terms) comes from the real topics, self.kb, alone.
        kb = _with_out_of_scope(kb)
        self.ids = tuple(t.id for t in kb.topics)
        # 1 for the topics of each kind, 0 for the rest: what the comparison and form bonuses
        # are added to. The out-of-scope pseudo-topics are of no kind a question asks for.
        self._of_kind = {
            kind: np.array(
                [t.kind == kind and t.id != OUT_OF_SCOPE for t in kb.topics], dtype=float
            )
            for kind in ("comparison", "howto", "concept")
        }
        self._comparisons = {t.id for t in kb.topics if t.kind == "comparison"}
        self.needs_docker_word = np.array([t.needs_docker_word for t in kb.topics], dtype=float)
        self._bound_caches()
        self._clean_cache: dict[str, str] = {}
        self._words_cache: dict[str, list[str]] = {}
        self._terms_cache: dict[str, tuple[str, ...]] = {}
        # The docker commands the knowledge base teaches: only these become command terms, so
        # "docker is great" or "a docker image exactly" name no command.
        self._signatures = {
            sig for t in kb.topics for c in t.commands for sig in command_signatures(c.run)
        }
        self._build_synonyms(kb)
        self._build_vocabulary(kb)
        self._build_phrasings(kb)
        self._build_topic_terms(kb)
        self.anchors = self._anchors(self.kb)
        self._vs_phrasings: dict[str, list[set[str]]] = {}
        for i, terms in zip(self._phr_topic, self._phr_terms, strict=True):
            if "vs" in terms:
                self._vs_phrasings.setdefault(self.ids[i], []).append(set(terms))
        self._side_terms = {
            t.id: {x for side in t.compare.sides for x in self._text_terms(side)} - GENERIC
            for t in kb.topics
            if t.compare
        }
        self._name_terms = {
            t.id: set(self._text_terms(t.title)) | set(self._text_terms(t.id.replace("-", " ")))
            for t in self.kb.topics
        }
        # Each term that names a topic a side of "X vs Y" can settle on (not a comparison) ->
        # the topics it names.
        self._naming: dict[str, set[str]] = {}
        for topic_id, name_terms in self._name_terms.items():
            if topic_id not in self._comparisons:
                for term in name_terms - GENERIC:
                    self._naming.setdefault(term, set()).add(topic_id)
        # A comparison card, and the topics it compares, by a term of each of its two sides,
        # either way round: ("swarm", "kubernet") and ("kubernet", "swarm") are
        # swarm-vs-kubernetes, which compares swarm.
        self.side_pairs: dict[tuple[str, str], tuple[int, frozenset[str]]] = {}
        for i, t in enumerate(kb.topics):
            if t.compare and len(t.compare.sides) == 2:
                card = (i, frozenset(t.compare.topics))
                one, two = (set(self._text_terms(side)) - GENERIC for side in t.compare.sides)
                for a, b in itertools.product(one, two):
                    if not a.startswith("cmd:") and not b.startswith("cmd:"):
                        self.side_pairs.setdefault((a, b), card)
                        self.side_pairs.setdefault((b, a), card)
        self.pairs = {
            frozenset(t.compare.topics): i
            for i, t in enumerate(kb.topics)
            if t.compare and len(t.compare.topics) == 2
        }
        # Each topic a comparison card compares -> the topics it is compared with.
        self._partners: dict[str, set[str]] = {}
        for pair in self.pairs:
            for topic_id, partner in itertools.permutations(pair):
                self._partners.setdefault(topic_id, set()).add(partner)
        self._clean_cache.clear()
        self._words_cache.clear()
        self._terms_cache.clear()

    def _bound_caches(self) -> None:
        # Questions can bring any number of new words, so the per-word look-ups are bounded.
        self._nearest = lru_cache(maxsize=_CACHE_LIMIT)(self._nearest_known)
        self._halves = lru_cache(maxsize=_CACHE_LIMIT)(self._known_halves)

    # A built index is pickled by bot.index_cache. The two look-up caches wrap bound methods,
    # which pickle cannot carry: they are left out and made anew, empty, when it is read.
    def __getstate__(self) -> dict[str, object]:
        state = dict(self.__dict__)
        del state["_nearest"], state["_halves"]
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._bound_caches()

    def is_comparison(self, topic_id: str) -> bool:
        return topic_id in self._comparisons

    def names_both_sides(self, topic_id: str, terms: Terms) -> bool:
        """Whether the question names both sides of a comparison topic ("docker run" and
        "docker start" for run-vs-start)."""
        sides = self._side_terms.get(topic_id, set())
        return bool(sides) and sides <= set(terms.terms)

    def anchored(self, terms: Terms) -> bool:
        """Whether the question uses a Docker word (`anchors`): a word of a topic title or id,
        a command or flag the knowledge base teaches, a word that names Docker itself."""
        return not self.anchors.isdisjoint(terms.terms)

    def names(self, topic_id: str, terms: Terms) -> bool:
        """Whether the terms name the topic: a word of its title or id, or a command it teaches
        ("image", "cmd:rmi"), not only words its phrasings happen to share."""
        return bool((self._name_terms.get(topic_id, set()) - GENERIC) & set(terms.terms))

    def named(self, terms: Terms) -> set[str]:
        """The topics that are not comparisons and that the terms name (names() holds)."""
        return set().union(*(self._naming.get(t, ()) for t in terms.terms))

    def compared_with(self, topic_id: str) -> set[str]:
        """The topics a comparison card compares with this one (index.pairs)."""
        return self._partners.get(topic_id, set())

    def claims_comparison(self, topic_id: str, other_id: str) -> bool:
        """Whether a phrasing of the topic itself compares it with the other one
        ("repository vs registry" in the repository topic)."""
        other = self._name_terms.get(other_id, set()) - GENERIC - {"vs"}
        return any(terms & other for terms in self._vs_phrasings.get(topic_id, ()))

    # -- building ------------------------------------------------------------------------------

    def _build_synonyms(self, kb: KnowledgeBase) -> None:
        # Per first word, the variants by length, then the variant's stems to the canonical
        # form's: a text's words are looked up once per length, longest first, rather than
        # compared with every variant ("docker" starts 15). The first of two equal variants wins.
        table: dict[str, dict[int, dict[tuple[str, ...], tuple[str, ...]]]] = {}
        # Neighbouring words of a several-word variant or canonical form: the synonyms file
        # writes them apart, so a question's two words are never joined into one ("fixed ip
        # address" is "static ip", though "ipaddress" is a known word).
        self._apart: set[tuple[str, str]] = set()
        for canonical, variants in kb.synonyms.items():
            said = words(clean(canonical))
            # A canonical form of stopwords only ("eli5": a way of asking, not a topic) rewrites
            # its variants ("like i'm five") to nothing.
            target = () if all(w in STOPWORDS for w in said) else tuple(map(stem, said))
            for variant in (canonical, *variants):
                stems = tuple(stem(w) for w in words(clean(variant)))
                self._apart.update(itertools.pairwise(stems))
                # A one-word canonical form maps to itself: nothing to rewrite, and a typo
                # fixed into it must still count as fixed.
                identity = stems == target and len(stems) == 1
                if stems and not identity:
                    by_length = table.setdefault(stems[0], {})
                    by_length.setdefault(len(stems), {}).setdefault(stems, target)
        self._synonyms = {
            first: sorted(by_length.items(), key=lambda e: -e[0])
            for first, by_length in table.items()
        }

    def _build_vocabulary(self, kb: KnowledgeBase) -> None:
        """The words typos are corrected to: those of phrasings, titles, commands, synonyms,
        and the longer stopwords."""
        texts = [p for t in kb.topics for p in (*t.phrasings, t.title)]
        texts += [c.run for t in kb.topics for c in t.commands]
        texts += [v for c, vs in kb.synonyms.items() for v in (c, *vs)]
        # Counted in one C-level pass, then filtered once per distinct word.
        every = Counter(itertools.chain.from_iterable(map(self._text_words, texts)))
        counts = {w: n for w, n in every.items() if w not in STOPWORDS and w.isalpha()}
        vocab = sorted(counts, key=lambda w: (-counts[w], w))
        # A misspelt stopword ("evryone", "becuase") is corrected to it, and so dropped,
        # rather than counted against every topic as a word none of them uses.
        vocab += sorted(w for w in STOPWORDS if len(w) >= 5 and w.isalpha())
        # A typo keeps its first letter (_correct), so the words a typo is compared with are
        # only those that start with the same letter: about a twentieth of the vocabulary, in
        # the same order (most used first, so a tie goes to the more common word).
        self._vocab: dict[str, list[str]] = {}
        for word in vocab:
            self._vocab.setdefault(word[0], []).append(word)
        self._words = frozenset(counts)
        self._known = self._words | {stem(w) for w in counts}

    def _build_phrasings(self, kb: KnowledgeBase) -> None:
        topic_of: list[int] = []
        term_sets: list[tuple[str, ...]] = []
        texts: list[str] = []
        starts: list[int] = []
        for i, topic in enumerate(kb.topics):
            starts.append(len(topic_of))
            seen: set[tuple[str, ...]] = set()
            for text in (*topic.phrasings, topic.title):
                terms = tuple(dict.fromkeys(self._text_terms(text)))
                if not terms or terms in seen:
                    continue
                seen.add(terms)
                topic_of.append(i)
                term_sets.append(terms)
                texts.append(self._cleaned(text))
        self._phr_topic = np.array(topic_of, dtype=np.int64)
        self._phr_start = np.array(starts, dtype=np.int64)
        self._phr_terms = term_sets
        # Per topic: its phrasings' cleaned texts as re-ranking reads them, normalised with
        # default_process once here (its rows run from _phr_start for _phr_count rows).
        # Re-ranking compares the question with their token-sorted form and their word pairs,
        # made the first time the topic is a candidate (most questions re-rank eight topics;
        # start-up need not do all 115).
        processed = [default_process(t) for t in texts]
        ends = [*starts[1:], len(topic_of)]
        self._phr_count = np.array(ends, dtype=np.int64) - self._phr_start
        # The topics with phrasings, and where and how many their rows are: the runs that
        # scoring every row reduces over.
        self._filled = np.flatnonzero(self._phr_count)
        self._filled_start = self._phr_start[self._filled]
        self._filled_count = self._phr_count[self._filled]
        self._topic_phrasings = [processed[a:b] for a, b in zip(starts, ends, strict=True)]
        self._topic_strings: list[list[str] | None] = [None] * len(starts)
        self._topic_pairs: list[dict[tuple[str, str], int] | None] = [None] * len(starts)
        self._topic_runs: list[dict[tuple[str, str], list[int]] | None] = [None] * len(starts)
        # How many phrasings have each pair of neighbouring words, as re-ranking reads them
        # (a pair twice in one phrasing counts twice: rare, and half the cost of counting sets).
        split = (t.split() for t in processed)
        runs = Counter(itertools.chain.from_iterable(map(itertools.pairwise, split)))
        rows = len(processed)
        self._run_idf = {run: math.log(1 + rows / n) for run, n in runs.items()}
        exact: dict[tuple[str, ...], int] = {}
        whole: set[tuple[str, ...]] = set()
        for i, terms in zip(topic_of, term_sets, strict=True):
            keys = exact_keys(terms)
            whole.add(keys[0])
            for key in keys:
                exact[key] = i if exact.get(key, i) == i else -1
        self.exact = {k: v for k, v in exact.items() if v >= 0}
        # Keys no phrasing has whole, only once "docker" is left out: "pros and cons" is
        # "pros and cons of docker" asked of a Docker bot, but not as one sentence of a
        # message about setuptools and hatchling.
        self.without_docker = frozenset(self.exact.keys() - whole)
        # A question typed exactly as a phrasing (KB010 keeps these unique across topics).
        self.verbatim = {
            normalise_phrasing(self._cleaned(p)): i
            for i, t in enumerate(kb.topics)
            for p in t.phrasings
        }

    def _build_topic_terms(self, kb: KnowledgeBase) -> None:
        # A term's weight in a topic is that of the heaviest field it appears in: the fields
        # are written lightest first, so a heavier one overwrites.
        weights: list[dict[str, float]] = [{} for _ in kb.topics]
        for i, topic in enumerate(kb.topics):
            fw = weights[i]
            for text, kind in sorted(_topic_texts(topic), key=lambda tk: FIELD_WEIGHTS[tk[1]]):
                fw.update(dict.fromkeys(self._text_terms(text), FIELD_WEIGHTS[kind]))
        for i, terms in zip(self._phr_topic, self._phr_terms, strict=True):
            weights[i].update(dict.fromkeys(terms, FIELD_WEIGHTS["phrasing"]))
        df = Counter(itertools.chain.from_iterable(weights))
        n = len(kb.topics)
        self.idf = {t: math.log(1 + n / d) for t, d in df.items()}
        for term in PLATFORM_WORDS & self.idf.keys():
            self.idf[term] *= self.params.platform_weight
        phr_post: defaultdict[str, list[int]] = defaultdict(list)
        for j, terms in enumerate(self._phr_terms):
            for term in terms:
                phr_post[term].append(j)
        self._phr_post = dict(phr_post)  # a plain dict: no look-up adds a term
        idf = self.idf.__getitem__
        # Each phrasing's summed IDF, times beta squared: the F-measure's denominator (score).
        beta_squared = self.params.beta * self.params.beta
        self._phr_b2_mass = beta_squared * np.array([sum(map(idf, ts)) for ts in self._phr_terms])
        # Each topic's lightest phrasing (score's ceiling on a topic; none: infinitely heavy).
        self._min_b2_mass = np.full(len(self.ids), np.inf)
        has = self._phr_count > 0
        self._min_b2_mass[has] = np.minimum.reduceat(self._phr_b2_mass, self._phr_start[has])
        top_post: dict[str, tuple[list[int], list[float]]] = {}
        for i, fw in enumerate(weights):
            for term, w in fw.items():
                entry = top_post.get(term)
                if entry is None:  # not setdefault: that would make two lists every time
                    entry = top_post[term] = ([], [])
                entry[0].append(i)
                entry[1].append(w)
        self._top_post = top_post
        self._build_naive_bayes(kb)
        # A term's postings as the arrays scoring adds up, made the first time a question uses
        # the term: a process is asked about a few hundred of the knowledge base's thousands of
        # terms. Two threads making the same term's arrays at once make equal ones: no lock.
        self._postings: dict[str, tuple[np.ndarray, np.ndarray, int]] = {}
        # Where the parts of those sums start: the phrasing rows come first, then the topics'
        # coverage, then their naive Bayes gains.
        self._coverage_at = len(self._phr_terms)
        self._nb_at = self._coverage_at + len(self.ids)
        self._slots = self._nb_at + len(self.ids)

    def _anchors(self, kb: KnowledgeBase) -> set[str]:
        """Docker's own words: those of topic titles and ids ("volume", "entrypoint"), the
        commands and flags the knowledge base teaches ("cmd:rmi", "--env-file"), and the flags
        and digit-bearing names its phrasings quote; less the everyday words among them."""
        anchors: set[str] = set()
        for topic in kb.topics:
            for text in (topic.title, topic.id.replace("-", " ")):
                anchors.update(self._text_terms(text))
            for command in topic.commands:
                terms = self._text_terms(command.run)
                anchors.update(t for t in terms if t.startswith(("-", "cmd:")))
        # How many of the real topics' phrasing rows use each term, and how many of the
        # out-of-scope rows do: the rows are in topic order, and the out-of-scope topic is last.
        real_rows = int(np.searchsorted(self._phr_topic, len(kb.topics)))
        used = Counter(itertools.chain.from_iterable(self._phr_terms[:real_rows]))
        elsewhere = Counter(itertools.chain.from_iterable(self._phr_terms[real_rows:]))
        other_rows = max(len(self._phr_terms) - real_rows, 1)
        # Flags and names with digits people quote: "--expose", "docker0", "overlay2".
        anchors.update(t for t in used if t.startswith("-") or (_has_digit(t) and not t.isdigit()))
        # Everyday words: title words the out-of-scope questions use too, when few phrasings use
        # them or the phrasings use them hardly more often than those questions do ("from",
        # "file", "app": however many cards say "my app", non-Docker questions say it as much).
        # Commands and flags always stay signs of Docker.
        limit = EVERYDAY_SHARE * real_rows
        everyday = {
            t
            for t, n in elsewhere.items()
            if n >= EVERYDAY_MIN_USES
            and not t.startswith(("-", "cmd:"))
            and (
                used.get(t, 0) < limit
                or used.get(t, 0) / real_rows < EVERYDAY_RATIO * n / other_rows
            )
        }
        # The words that name Docker itself ("volume", "swarm", "dockerd") always count, however
        # often other questions use them ("an EBS volume", "a swarm of bees"), and so do
        # Docker's own words that another tool happens to share. Where the asker runs Docker
        # ("m1", "wsl2": PLATFORM_WORDS with a digit) is said in passing of any question, and
        # names nothing of Docker's: "... i'm on a mac m1 btw" made 145 of the tuning file's and
        # content sets' out-of-scope questions look like Docker's.
        return (anchors - everyday - {"vs"} - PLATFORM_WORDS) | DOCKER_WORDS | SHARED_NAMES

    def _build_naive_bayes(self, kb: KnowledgeBase) -> None:
        """A multinomial naive Bayes model of which topic a term set comes from, learned from
        the knowledge base itself: each phrasing (and title) is one example of its topic, the
        explanation texts count NB_TEXT of an example. It ranks differently from the overlap
        scores (it rewards terms a topic's phrasings use again and again), and the blend of the
        two is more often right than either."""
        rows = [*self._phr_start.tolist(), len(self._phr_terms)]
        counts: list[dict[str, float]] = [
            dict(Counter(itertools.chain.from_iterable(self._phr_terms[a:b])))
            for a, b in itertools.pairwise(rows)
        ]
        for i, topic in enumerate(kb.topics):
            for text, kind in _topic_texts(topic):
                if kind == "text":
                    for term in dict.fromkeys(self._text_terms(text)):
                        counts[i][term] = counts[i].get(term, 0.0) + NB_TEXT
        vocabulary = len({t for c in counts for t in c})
        totals = np.array([sum(c.values()) for c in counts])
        # log P(term | topic) for a term the topic never uses, and the gain when it does.
        self._nb_unseen = np.log(NB_ALPHA / (totals + NB_ALPHA * vocabulary))
        post: dict[str, tuple[list[int], list[float]]] = {}
        for i, c in enumerate(counts):
            for term, n in c.items():
                entry = post.get(term)
                if entry is None:
                    entry = post[term] = ([], [])
                entry[0].append(i)
                entry[1].append(math.log((n + NB_ALPHA) / NB_ALPHA))
        self._nb_post = post

    def _posted(self, term: str) -> tuple[np.ndarray, np.ndarray, int]:
        """All a known term adds to a question's sums, as one array of slots and one of values:
        the slots run over the phrasing rows, then the topics' vocabularies (coverage), then the
        topics' naive Bayes gains. The third item is where the naive Bayes part starts; the
        values before it are weighted by the term's IDF already."""
        made = self._postings.get(term)
        if made is None:
            rows = self._phr_post.get(term, [])
            topics, fields = self._top_post[term]
            nb_topics, gains = self._nb_post.get(term, ((), ()))
            w = self.idf[term]
            cover, nb = self._coverage_at, self._nb_at
            slots = [*rows, *(cover + i for i in topics), *(nb + i for i in nb_topics)]
            values = [w] * len(rows) + [w * f for f in fields] + list(gains)
            made = (np.array(slots, dtype=np.intp), np.array(values), len(rows) + len(topics))
            self._postings[term] = made
        return made

    def _sums(self, known: list[str], corrected: frozenset[str]) -> np.ndarray:
        """The question's known terms summed into every slot of _posted() at once: one
        bincount rather than three numpy additions per term."""
        parts = [self._posted(t) for t in known]
        values = [v for _, v, _ in parts]
        factor = self.params.corrected_factor
        if factor != 1.0 and corrected:
            values = [v.copy() for v in values]
            for term, v, (_, _, nb) in zip(known, values, parts, strict=True):
                if term in corrected:
                    v[:nb] *= factor
        return np.bincount(
            np.concatenate([s for s, _, _ in parts]), np.concatenate(values), minlength=self._slots
        )

    def naive_bayes(self, count: int, gains: np.ndarray) -> np.ndarray:
        """P(topic | the question's known terms) under the naive Bayes model, uniform prior,
        from how many known terms the question has and their summed gains per topic."""
        log_p = self._nb_unseen * count + gains
        log_p = (log_p - np.maximum.reduce(log_p)) / self.params.nb_temperature
        p = np.exp(log_p)
        return np.asarray(p / np.add.reduce(p))

    def _cleaned(self, text: str) -> str:
        """clean(), once per distinct knowledge-base text while the index is built."""
        cleaned = self._clean_cache.get(text)
        if cleaned is None:
            cleaned = self._clean_cache[text] = clean(text)
        return cleaned

    def _text_terms(self, text: str) -> tuple[str, ...]:
        """A knowledge-base text's terms: no typo correction, the text is ours. Cached while
        the index is built, since every build step reads the same texts."""
        terms = self._terms_cache.get(text)
        if terms is None:
            cleaned = self._cleaned(text)
            terms = tuple(self._term_list(self._text_words(text), cleaned, None))
            self._terms_cache[text] = terms
        return terms

    def _text_words(self, text: str) -> list[str]:
        """words() of a knowledge-base text, once per distinct text while the index is built."""
        found = self._words_cache.get(text)
        if found is None:
            found = self._words_cache[text] = words(self._cleaned(text))
        return found

    # -- questions -----------------------------------------------------------------------------

    def terms(self, text: str, correct: bool = True) -> Terms:
        """Cleaned text -> stemmed terms: typos fixed, synonyms applied, stopwords dropped."""
        corrected: set[str] = set()
        found = self._term_list(words(text), text, corrected if correct else None)
        return Terms(tuple(found), frozenset(corrected))

    def _term_list(self, tokens: list[str], text: str, corrected: set[str] | None) -> list[str]:
        """The terms of tokens; typos are fixed only when given a set to note the fixes in."""
        raw = fixed = tokens
        if corrected is not None:
            raw = [part for w in self._join(raw) for part in self._split(w)]
            fixed = [self._correct(w) for w in raw]
        stems = [stem(w) for w in fixed]
        synonyms = self._synonyms
        out: list[str] = []
        i, n = 0, len(fixed)
        while i < n:
            for length, variants in synonyms.get(stems[i], ()):
                target = variants.get(tuple(stems[i : i + length]))
                if target is not None:
                    out += target
                    i += length
                    break
            else:
                if fixed[i] not in STOPWORDS:
                    out.append(stems[i])
                    if corrected is not None and fixed[i] != raw[i]:
                        corrected.add(stems[i])
                i += 1
        # A docker command named in the text is a term of its own: "docker images" (the listing
        # command) and "a docker image" (the concept) differ only in it once stemmed. It is
        # read with the typos fixed: "dokcer rmi" and "docker rmii" name `docker rmi` too.
        if fixed is not raw and fixed != raw:
            text = _with_fixes(text, raw, fixed)
        out += [f"cmd:{sig}" for sig in command_signatures(text) if sig in self._signatures]
        return out

    def _join(self, tokens: list[str]) -> list[str]:
        """Two words that are one word the knowledge base uses, typed apart or dictated.

        "pod man", "c groups", "docker d", "overlay fs": joined when one half is a letter or
        two or a word the knowledge base never uses, so "virtual box" or "back up", made of
        words of their own, stay as they are; a stopword half ("up", "in") never joins, nor do
        two words a synonym writes apart ("ip address").
        """
        out: list[str] = []
        i, n, known = 0, len(tokens), self._words
        while i < n:
            # Most neighbours make no known word: that look-up alone settles them, before the
            # call that checks the rest (and looks the word up again, to stand on its own).
            if (
                i + 1 < n
                and (whole := tokens[i] + tokens[i + 1]) in known
                and self._joins(tokens[i], tokens[i + 1])
            ):
                out.append(whole)
                i += 2
            else:
                out.append(tokens[i])
                i += 1
        return out

    def _joins(self, a: str, b: str) -> bool:
        whole = a + b
        if len(whole) < 6 or whole not in self._words or not whole.isalpha():
            return False
        if any(len(half) > 1 and half in STOPWORDS for half in (a, b)):
            return False
        if a in _CONTRACTION_TAILS:  # "it's lower" is not "it slower", nor "don't ag" "tag"
            return False
        if (stem(a), stem(b)) in self._apart:
            return False
        return min(len(a), len(b)) <= 2 or not (self._is_known(a) and self._is_known(b))

    def _split(self, word: str) -> tuple[str, ...]:
        """A run-together word the knowledge base never uses -> its two known words.

        People type "diskspace", "portmapping", "bindmount"; a word a typo away from a known
        word is that word mistyped instead. Both halves must be words the knowledge base uses,
        four letters or more, and not stopwords (three letters let "appended" become "app
        ended"). The most even split wins.
        """
        if len(word) < 8 or not word.isalpha() or self._is_known(word):
            return (word,)
        # A slip in one known word is fixed as that word later: "diffrent" is "different",
        # not "diff" + "rent".
        if self._nearest(word) is not None:
            return (word,)
        return self._halves(word)

    def _is_known(self, word: str) -> bool:
        """Whether the knowledge base uses the word, as it is or once stemmed."""
        return word in self._known or stem(word) in self._known

    def _known_halves(self, word: str) -> tuple[str, ...]:
        found = [
            (min(i, len(word) - i), word[:i], word[i:])
            for i in range(4, len(word) - 3)
            if word[:i] in self._words
            and word[i:] in self._words
            and word[:i] not in STOPWORDS
            and word[i:] not in STOPWORDS
        ]
        return max(found)[1:] if found else (word,)

    def _correct(self, word: str) -> str:
        """A word the knowledge base never uses -> a known word one or two edits away.

        Only words of five letters or more, only to a word with the same first letter, and only
        by the slips bot/typos.py counts (a letter replaced by a far key is another word, not a
        typo): ordinary English words would otherwise be "corrected" into Docker ones ("center"
        -> "enter", "saying" -> "saving").
        """
        if word in STOPWORDS or word in GENERIC or self._is_known(word):
            return word
        if len(word) < 5 or not word.isalpha():
            return word
        return self._nearest(word) or word

    def _nearest_known(self, word: str) -> str | None:
        limit = 2 if len(word) >= 8 else 1
        same_start = self._vocab.get(word[0], ())
        found = process.extract(word, same_start, scorer=OSA.distance, score_cutoff=limit, limit=8)
        # rapidfuzz finds the candidates; only those a keyboard slip explains are kept.
        slips = [choice for choice, _, _ in found if keyboard_distance(word, choice) <= limit]
        return slips[0] if slips else None

    def score(self, terms: Terms, text: str) -> np.ndarray:
        """Score every topic for the question's terms, 0 to about 1."""
        return self._score(terms, text, prune=False)[0]

    def best(
        self, terms: Terms, text: str, limit: int, penalties: Iterable[float | np.ndarray] = ()
    ) -> tuple[np.ndarray, np.ndarray]:
        """The `limit` best topics for the question, best first, and their scores, each penalty
        (a number, or one per topic) taken off score()'s first. Above prune_above topics, only
        the topics that can be among the best are scored in full; should one that was not come
        out among them after all, every topic is scored in full and ranked again."""
        penalties = list(penalties)
        prune = len(self.ids) > max(self.params.prune_above, 2 * self.params.rerank)
        for attempt in (True, False) if prune else (False,):
            scores, exact = self._score(terms, text, attempt)
            for penalty in penalties:
                scores = scores - penalty
            order = best_first(scores, limit)
            if exact is None or exact[order].all():
                break
        return order, scores[order]

    def _score(self, terms: Terms, text: str, prune: bool) -> tuple[np.ndarray, np.ndarray | None]:
        """score(), and which topics it scored in full (None: all of them). Pruned, the topics
        that cannot be among the `rerank` best are given an upper bound of their score instead:
        re-ranking never reaches them, and best() sees if one comes out on top after all."""
        p = self.params
        # Numbers, sizes, versions, ports and ids ("8080", "80gb", "9f3c2d") say nothing about
        # the topic unless the knowledge base uses them ("-p", "137" exit codes do appear).
        unique = [t for t in dict.fromkeys(terms.terms) if t in self.idf or not _has_digit(t)]
        known = [t for t in unique if t in self.idf]
        unknown_weight = math.log(1 + len(self.ids) / p.unseen_df)
        mass = sum(self.idf[t] for t in known) + unknown_weight * (len(unique) - len(known))
        n = len(self.ids)
        if not known or mass <= 0:
            return np.zeros(n), None
        sums = self._sums(known, terms.corrected)
        overlap, coverage = sums[: self._coverage_at], sums[self._coverage_at : self._nb_at]
        nb = None
        if p.nb_weight:
            nb = p.nb_weight * self.naive_bayes(len(known), sums[self._nb_at :])
        form = asked_form(text) if p.form_bonus else None

        def combined(best: np.ndarray, lean: np.ndarray) -> np.ndarray:
            scores = p.phrasing_weight * best + (1 - p.phrasing_weight) * coverage / mass
            if nb is not None:
                scores += nb
            if "vs" in unique:
                scores += p.comparison_bonus * self._of_kind["comparison"]
            if form is not None:
                scores += p.form_bonus * self._of_kind[form]
            if p.second_weight:
                scores = scores - p.phrasing_weight * p.second_weight * lean
            return scores

        exact = None
        if not prune:
            # The F-measure, best and second-best phrasing of every row: a third of the rows
            # share a term with a question (a median of 2,900 of the real knowledge base's
            # 8,900), and whole arrays are quicker to work through than those rows gathered.
            best, lean = self._phrasing_scores(overlap, None, mass)
            scores = combined(best, lean)
        else:
            # A phrasing's F-measure, (1 + b2) * shared / (b2 * its mass + mass), grows with
            # what it shares, which is part of its own mass and weighs no more than the topic's
            # coverage (a phrasing's terms count in full there). So a topic's best phrasing
            # scores at most (1 + b2) * coverage / (max(b2 * coverage, b2 * its lightest
            # phrasing's mass) + mass): a ceiling on its score from arrays of topics alone.
            b2 = p.beta * p.beta
            low = np.maximum(b2 * coverage, self._min_b2_mass)
            nothing = np.zeros(n)
            ceiling = combined(nothing, nothing) + p.phrasing_weight * (1 + b2) * coverage / (
                low + mass
            )
            ceiling += 1e-9  # rounding may put an exact score a hair above its ceiling
            # The topics of the highest ceilings, scored in full, set a floor for the rerank-th
            # best score: a topic whose ceiling is below it cannot be among the candidates.
            likely = best_first(ceiling, 2 * p.rerank)
            best, lean = self._phrasing_scores(overlap, self._hit_rows(likely, overlap), mass)
            floor = np.sort(combined(best, lean)[likely])[-p.rerank]
            exact = ceiling >= floor
            chosen = exact.nonzero()[0]
            best, lean = self._phrasing_scores(overlap, self._hit_rows(chosen, overlap), mass)
            scores = np.where(exact, combined(best, lean), ceiling)
        query = without_chat(default_process(text))
        return self._rerank(scores, query, word_pairs(unique), self.anchored(terms)), exact

    def _hit_rows(self, topics: np.ndarray, overlap: np.ndarray) -> np.ndarray:
        """The phrasing rows of the topics that share a term with the question, in order."""
        topics = np.sort(topics)
        counts = self._phr_count[topics]
        ends = counts.cumsum()
        if not len(ends) or not ends[-1]:
            return np.zeros(0, dtype=np.intp)
        # Row k of the topics' rows is k places after where its topic's first row falls.
        rows = np.arange(ends[-1]) + np.repeat(self._phr_start[topics] - (ends - counts), counts)
        return np.asarray(rows[overlap[rows] > 0])

    def _phrasing_scores(
        self, overlap: np.ndarray, hit: np.ndarray | None, mass: float
    ) -> tuple[np.ndarray, np.ndarray]:
        """Per topic, its best phrasing's F-measure over the hit rows (None: over every row),
        and how far its second best falls short of it."""
        p = self.params
        n = len(self.ids)
        best = np.zeros(n)
        lean = np.zeros(n)  # how far each topic's phrasing score moves (second_weight)
        # The F-measure of precision (shared / mass) and recall (shared / the phrasing's
        # mass): (1 + b2) * P * R / (b2 * P + R), which is (1 + b2) * shared divided by
        # b2 * the phrasing's mass + mass. Written so, it is three passes over the rows.
        factor = 1 + p.beta * p.beta
        if hit is None:
            # Every row scores 0 or more and the rows are in topic order: each topic with
            # phrasings is one run of them, and rows that share nothing score 0 without
            # changing its best or second best (a topic with no hit has 0 for both).
            f = overlap * (factor / (self._phr_b2_mass + mass))
            topics, starts = self._filled, self._filled_start
            if not len(starts):
                return best, lean
            top = np.maximum.reduceat(f, starts)
            best[topics] = top
            of_run = np.repeat(top, self._filled_count)
        else:
            if not len(hit):
                return best, lean
            f = overlap[hit]
            f *= factor / (self._phr_b2_mass[hit] + mass)
            # The rows are in topic order, so each topic's hit rows are one run of them.
            owner = self._phr_topic[hit]
            first = np.empty(len(owner), dtype=bool)
            first[0] = True
            np.not_equal(owner[1:], owner[:-1], out=first[1:])
            starts = first.nonzero()[0]
            topics = owner[starts]
            top = np.maximum.reduceat(f, starts)
            best[topics] = top
            of_run = best[owner]
        # Two phrasings that fit say more than one, which may fit by a coincidence of
        # words: a topic's phrasing score moves second_weight of the way from its best
        # phrasing towards its second best (the same as the best when two tie, 0 when
        # only one of its phrasings shares a term with the question).
        lean[topics] = top - _second_best(f, of_run, top, starts)
        return best, lean

    def _choices(self, topic: int) -> list[str]:
        """A topic's phrasings as re-ranking compares them: normalised, token-sorted."""
        strings = self._topic_strings[topic]
        if strings is None:
            strings = [sorted_tokens(t) for t in self._topic_phrasings[topic]]
            self._topic_strings[topic] = strings  # two threads may both make it: equal lists
        return strings

    def _pairs(self, topic: int) -> dict[tuple[str, str], int]:
        """A topic's neighbouring word pairs -> a bit mask of the phrasings that have them."""
        pairs = self._topic_pairs[topic]
        if pairs is None:
            pairs = {}
            # A phrasing's terms are distinct already; a pair with a command term, which the
            # question's pairs leave out, simply never matches.
            first = int(self._phr_start[topic])
            rows = self._phr_terms[first : first + int(self._phr_count[topic])]
            for k, terms in enumerate(rows):
                bit = 1 << k
                for a, b in itertools.pairwise(terms):
                    pair = (a, b) if a < b else (b, a)
                    pairs[pair] = pairs.get(pair, 0) | bit
            self._topic_pairs[topic] = pairs  # two threads may both make it: equal dicts
        return pairs

    def _runs(self, topic: int) -> dict[tuple[str, str], list[int]]:
        """A topic's pairs of neighbouring words, as typed -> the phrasings (by their place
        among the topic's) that have them."""
        runs = self._topic_runs[topic]
        if runs is None:
            runs = {}
            for k, text in enumerate(self._topic_phrasings[topic]):
                for run in set(itertools.pairwise(text.split())):
                    runs.setdefault(run, []).append(k)
            self._topic_runs[topic] = runs  # two threads may both make it: equal dicts
        return runs

    def _run_fit(self, topic: int, runs: list[tuple[tuple[str, str], float]]) -> float:
        """0 to 1: the summed IDF of the question's word pairs (with their IDF) that the
        topic's best phrasing for them shares, against word_run_full."""
        own = self._runs(topic)
        sums: dict[int, float] = {}  # only the phrasings that have one of the pairs
        for run, weight in runs:  # the question's few pairs, not the topic's hundreds
            phrasings = own.get(run)
            if phrasings is not None:
                for k in phrasings:
                    sums[k] = sums.get(k, 0.0) + weight
        return min(1.0, max(sums.values(), default=0.0) / self.params.word_run_full)

    def _pair_fit(self, topic: int, pairs: set[tuple[str, str]]) -> float:
        """1 when one of the topic's phrasings has two of the question's word pairs, 0 when
        the best has one, -0.5 when none has any."""
        own = self._pairs(topic)
        seen = 0
        for pair in pairs:
            mask = own.get(pair, 0)
            if seen & mask:
                return 1
            seen |= mask
        return 0 if seen else -0.5

    def _rerank(
        self, scores: np.ndarray, query: str, pairs: set[tuple[str, str]], anchored: bool = True
    ) -> np.ndarray:
        """Blend in rapidfuzz's token-sort ratio of the whole question against the top
        candidates' phrasings: word order and small words ("what is" vs "docker images")
        break the ties that term overlap leaves; so do the question's neighbouring terms
        (word_pair_weight) and neighbouring words as typed (word_run_weight; less towards
        the cards for a question not `anchored` in Docker's words)."""
        p = self.params
        top = best_first(scores, p.rerank)
        top = top[scores[top] > 0]
        if not len(top):
            return scores
        top = top[self._phr_count[top] > 0]
        if not len(top):
            return scores * (1 - p.fuzzy_weight)
        ids = top.tolist()  # plain ints index the per-topic lists faster than numpy's
        choices: list[str] = []
        for i in ids:  # extending a list is about three times quicker than chaining the lists
            choices += self._choices(i)
        # The choices are normalised with default_process and token-sorted once per topic, so
        # the plain ratio of the token-sorted query is the token-sort ratio.
        ratios = process.cdist([sorted_tokens(query)], choices, scorer=fuzz.ratio)[0]
        # Each topic's phrasings are one run of the choices: its best ratio is the run's max.
        counts = self._phr_count[top]
        starts = counts.cumsum() - counts
        best = (np.maximum.reduceat(ratios, starts) / 100.0).astype(np.float64)
        result = scores * (1 - p.fuzzy_weight)
        result[top] += p.fuzzy_weight * best
        if pairs and p.word_pair_weight:
            result[top] += p.word_pair_weight * np.array([self._pair_fit(i, pairs) for i in ids])
        # Only the question's pairs that some phrasing has can fit: most pairs of a question
        # ("my app", "fails with") are in none, and are looked up once here, not per candidate.
        # In the question's order, not a set's: the order in which _run_fit adds their
        # weights would otherwise change with the process's string hashing, and the sums in
        # their last bits with it.
        idf = self._run_idf
        runs = [(r, idf[r]) for r in dict.fromkeys(itertools.pairwise(query.split())) if r in idf]
        if runs and p.word_run_weight:
            real = len(self.kb.topics)  # the out-of-scope pseudo-topics come after the real ones
            share = 1.0 if anchored else p.word_run_unanchored
            fits = [self._run_fit(i, runs) * (share if i < real else 1.0) for i in ids]
            result[top] += p.word_run_weight * np.array(fits)
        return result


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector switched off for a while. Building the index allocates
    hundreds of thousands of tuples, lists and strings, none of them in a reference cycle, and
    the collector would run some 85 times over the growing heap for nothing, once over all of
    it: about 7% of the build in a new process. It is left as it was found, even if the build
    fails."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


# What is left of "it's" and "don't" once the apostrophe splits them: the end of a word.
_CONTRACTION_TAILS = frozenset({"s", "t"})


def _with_fixes(text: str, raw: list[str], fixed: list[str]) -> str:
    """The text with each word a typo fix changed written as fixed."""
    for typed, meant in {r: f for r, f in zip(raw, fixed, strict=True) if r != f}.items():
        text = re.sub(rf"\b{re.escape(typed)}\b", meant, text)
    return text


def word_pairs(terms: Iterable[str]) -> set[tuple[str, str]]:
    """The pairs of neighbouring distinct terms, each in sorted order, so that either order
    of the two words matches; command terms left out."""
    words = [t for t in dict.fromkeys(terms) if not t.startswith("cmd:")]
    return {(a, b) if a < b else (b, a) for a, b in itertools.pairwise(words)}


def _second_best(
    values: np.ndarray, of_run: np.ndarray, best: np.ndarray, starts: np.ndarray
) -> np.ndarray:
    """The second-highest value of each run of values starting at `starts`, whose highest is
    `best` (`of_run` holds each value's run's highest); equal to the best when two values tie
    for it."""
    at_best = values == of_run
    ties = np.add.reduceat(at_best, starts) > 1
    return np.where(ties, best, np.maximum.reduceat(np.where(at_best, 0.0, values), starts))


def sorted_tokens(text: str) -> str:
    """The text's words in sorted order: what rapidfuzz's token-sort ratio compares."""
    return " ".join(sorted(text.split()))


_DIGIT = re.compile(r"\d")


# How many words each per-word look-up (typo fix, split) remembers, least recently used first out.
_CACHE_LIMIT = 50_000


def _has_digit(term: str) -> bool:
    return _DIGIT.search(term) is not None


# Fewer scores than this are sorted whole: quicker than partitioning them first.
_SORT_BELOW = 256


def best_first(scores: np.ndarray, limit: int) -> np.ndarray:
    """Indexes of the `limit` highest scores, highest first (ties keep topic order)."""
    if len(scores) > _SORT_BELOW:
        # argpartition keeps any `limit` of the scores tied at the cut: all of them are taken,
        # so that the first in topic order are the ones kept.
        cut = scores[np.argpartition(-scores, limit - 1)[limit - 1]]
        part: np.ndarray = (scores >= cut).nonzero()[0]
        return part[np.lexsort((part, -scores[part]))][:limit]
    # Here and elsewhere in a question's path the array's own methods are called: numpy's
    # function forms (np.argsort, np.flatnonzero, np.cumsum) cost a microsecond or two more.
    return (-scores).argsort(kind="stable")[:limit]


def _with_out_of_scope(kb: KnowledgeBase) -> KnowledgeBase:
    """The knowledge base with each group of out-of-scope questions as one more, nameless topic
    (one per group: a group of one kind is a sharper target than all of them together)."""
    pseudo = [
        Topic(
            id=OUT_OF_SCOPE,
            kind="concept",
            title="",
            category="",
            phrasings=phrasings,
            summary="",
            analogy="",
            points=(),
            commands=(),
            related=(),
            docs="",
        )
        for phrasings in kb.out_of_scope.values()
    ]
    return replace(kb, topics=(*kb.topics, *pseudo)) if pseudo else kb


def _topic_texts(topic: Topic) -> list[tuple[str, str]]:
    texts = [(c.run, "command") for c in topic.commands]
    texts += [(c.does, "text") for c in topic.commands]
    texts += [(topic.summary, "text")] + [(p, "text") for p in topic.points]
    if topic.compare:
        texts += [(s, "phrasing") for s in topic.compare.sides]
    return texts


def command_signatures(text: str) -> list[str]:
    """Every docker command named in the text, as 'rm', 'image prune', 'compose up'.

    A management word alone ("a docker image", "docker network") is not a command.
    """
    found: list[str] = []
    # Most texts name no command; the regex scans run only when they could match.
    if "docker" in text:
        if "run" in text:
            text = _CAN_IT_RUN.sub(" ", text)
        for match in _COMMAND.finditer(text):
            first, second = match.group(1), match.group(2)
            if "docker-compose" in match.group(0):
                found.append(f"compose {first}")
            elif first in MANAGEMENT:
                if second:
                    found.append(f"{first} {second}")
            else:
                found.append(first)
    if "compose " in text:
        found += [f"compose {sub}" for sub in _BARE_COMPOSE.findall(text)]
    return found
