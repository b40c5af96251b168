"""Three baseline matchers over the topics' phrasings and titles: difflib, BM25, rapidfuzz."""

from __future__ import annotations

import argparse
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

import numpy as np
from rank_bm25 import BM25Okapi
from rapidfuzz import fuzz, process
from rapidfuzz.utils import default_process

from bot.config import default_knowledge_dir
from bot.evaluate import Question, load_questions
from bot.knowledge import KnowledgeBase, load_knowledge

ROOT = Path(__file__).resolve().parent.parent
TUNING = ROOT / "tests" / "questions.yaml"

# NLTK's English stopword list, without the apostrophe forms (the tokeniser splits on them).
ENGLISH_STOPWORDS = frozenset(
    """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his himself
    she her hers herself it its itself they them their theirs themselves what which who whom this
    that these those am is are was were be been being have has had having do does did doing a an
    the and but if or because as until while of at by for with about against between into through
    during before after above below to from up down in out on off over under again further then
    once here there when where why how all any both each few more most other some such no nor not
    only own same so than too very s t can will just don should now d ll m o re ve y ain aren
    couldn didn doesn hadn hasn haven isn ma mightn mustn needn shan shouldn wasn weren won wouldn
    """.split()
)
_ALNUM = re.compile(r"[a-z0-9]+")

Ranked = list[tuple[str, float]]


class Baseline:
    """A matcher that ranks topics by their best phrasing and declines under a score cutoff."""

    name = "baseline"

    def __init__(self, kb: KnowledgeBase, cutoff: float = 0.0) -> None:
        self.cutoff = cutoff
        self.ids = [t.id for t in kb.topics]
        self.texts: list[str] = []
        self.topic_of: list[int] = []
        starts = []
        for i, topic in enumerate(kb.topics):
            starts.append(len(self.texts))
            for text in (*topic.phrasings, topic.title):
                self.texts.append(text)
                self.topic_of.append(i)
        self.starts = np.array(starts, dtype=np.int64)

    def rank(self, question: str) -> Ranked:
        """Every topic with its best phrasing's score, best first (ties keep the file order)."""
        best = self.topic_scores(question)
        order = np.argsort(-best, kind="stable")
        return [(self.ids[i], float(best[i])) for i in order]

    def topic_scores(self, question: str) -> np.ndarray:
        raise NotImplementedError


class DifflibBaseline(Baseline):
    """difflib.SequenceMatcher ratio of the lowercased question against every phrasing."""

    name = "difflib ratio"

    def __init__(self, kb: KnowledgeBase, cutoff: float = 0.0) -> None:
        super().__init__(kb, cutoff)
        self.lowered = [t.lower() for t in self.texts]

    def topic_scores(self, question: str) -> np.ndarray:
        # seq2 is the one SequenceMatcher caches, so it holds the question; the quick ratios are
        # upper bounds of ratio(), so skipping on them leaves every topic's best exact.
        matcher = SequenceMatcher(None, "", question.lower())
        best = np.zeros(len(self.ids))
        for text, topic in zip(self.lowered, self.topic_of, strict=True):
            matcher.set_seq1(text)
            if matcher.real_quick_ratio() > best[topic] and matcher.quick_ratio() > best[topic]:
                best[topic] = max(best[topic], matcher.ratio())
        return best


def bm25_tokens(text: str) -> list[str]:
    """Lowercase alphanumeric runs, English stopwords removed."""
    return [w for w in _ALNUM.findall(text.lower()) if w not in ENGLISH_STOPWORDS]


class BM25Baseline(Baseline):
    """rank_bm25.BM25Okapi over the phrasings; a topic scores its best phrasing."""

    name = "BM25 (rank-bm25 Okapi)"

    def __init__(self, kb: KnowledgeBase, cutoff: float = 0.0) -> None:
        super().__init__(kb, cutoff)
        self.bm25 = BM25Okapi([bm25_tokens(t) for t in self.texts])

    def topic_scores(self, question: str) -> np.ndarray:
        tokens = bm25_tokens(question)
        if not tokens:
            return np.zeros(len(self.ids))
        scores = np.asarray(self.bm25.get_scores(tokens), dtype=float)
        return np.maximum.reduceat(scores, self.starts)


class RapidfuzzBaseline(Baseline):
    """Plain rapidfuzz: process.extract with fuzz.WRatio and default_process over the phrasings.

    Declining when the best score is under the cutoff is what extractOne(..., score_cutoff=)
    does; extract is used so the three best topics are known too.
    """

    name = "rapidfuzz WRatio"

    def topic_scores(self, question: str) -> np.ndarray:
        best = np.zeros(len(self.ids))
        found = process.extract(
            question, self.texts, scorer=fuzz.WRatio, processor=default_process, limit=None
        )
        for _, score, j in found:
            topic = self.topic_of[j]
            best[topic] = max(best[topic], score)
        return best


BASELINES: tuple[type[Baseline], ...] = (DifflibBaseline, BM25Baseline, RapidfuzzBaseline)


@dataclass(frozen=True)
class Scores:
    top1: float
    top3: float
    declined: float

    @property
    def balance(self) -> float:
        return (self.top1 + self.declined) / 2


def score(questions: Sequence[Question], ranks: Sequence[Ranked], cutoff: float) -> Scores:
    """top-1: best topic accepted, not declined; top-3: accepted among the best three, not
    declined; declined: share of out-of-scope questions whose best score is under the cutoff."""
    top1 = top3 = declined = answerable = outside = 0
    for question, ranked in zip(questions, ranks, strict=True):
        is_declined = not ranked or ranked[0][1] < cutoff
        if not question.expect:
            outside += 1
            declined += is_declined
            continue
        answerable += 1
        if is_declined:
            continue
        top1 += ranked[0][0] in question.accepted
        top3 += bool(question.accepted & {t for t, _ in ranked[:3]})
    return Scores(
        top1 / answerable if answerable else 0.0,
        top3 / answerable if answerable else 0.0,
        declined / outside if outside else 0.0,
    )


def choose_cutoff(questions: Sequence[Question], ranks: Sequence[Ranked]) -> float:
    """The cutoff maximising (top-1 + declined) / 2; candidates sit halfway between observed
    best scores; on a tie the lowest cutoff wins."""
    bests = sorted({ranked[0][1] if ranked else 0.0 for ranked in ranks})
    candidates = [0.0] + [(a + b) / 2 for a, b in itertools.pairwise(bests)]
    candidates.append(bests[-1] + 1.0 if bests else 1.0)
    return max(candidates, key=lambda c: (score(questions, ranks, c).balance, -c))


def tune(baseline: Baseline, tuning: Sequence[Question]) -> list[Ranked]:
    """Set the baseline's cutoff from the tuning questions; returns their rankings."""
    ranks = [baseline.rank(q.q) for q in tuning]
    baseline.cutoff = choose_cutoff(tuning, ranks)
    return ranks


def describe(baseline: Baseline, tuning: Sequence[Question], ranks: Sequence[Ranked]) -> str:
    scores = score(tuning, ranks, baseline.cutoff)
    return (
        f"{baseline.name:<24} cutoff {baseline.cutoff:9.4f}   on {TUNING.name}: "
        f"top-1 {scores.top1:.1%}, declined {scores.declined:.1%}, "
        f"(top-1 + declined)/2 {scores.balance:.1%}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--knowledge", type=Path, default=default_knowledge_dir())
    args = parser.parse_args()
    kb = load_knowledge(args.knowledge)
    tuning = load_questions(TUNING)
    print(f"baseline cutoffs, chosen on {TUNING.relative_to(ROOT)} only (never the holdout):")
    for kind in BASELINES:
        baseline = kind(kb)
        ranks = tune(baseline, tuning)
        print("  " + describe(baseline, tuning, ranks), flush=True)


if __name__ == "__main__":
    main()
