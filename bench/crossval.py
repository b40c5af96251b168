"""Which topics the matcher confuses, learned from the knowledge base alone.

K-fold cross-validation over the phrasings: each fold takes every K-th phrasing out of its
topic, builds the index from the rest, and asks the held-out phrasings as questions. It needs
no question file, so it can guide phrasing work without tuning to the evaluation sets, and it
has thousands of items where the question files have hundreds. It measures ranking only (is
the phrasing's own topic first, in the first three); declining needs out-of-scope questions,
which only the question files have.
"""

from __future__ import annotations

import argparse
import dataclasses
from collections import Counter
from pathlib import Path

from bench.matchers import command_line, machine
from bot.config import default_knowledge_dir
from bot.index import Index
from bot.knowledge import KnowledgeBase, load_knowledge
from bot.matching import find_in


def folds(kb: KnowledgeBase, k: int) -> list[tuple[KnowledgeBase, list[tuple[str, str]]]]:
    """k knowledge bases, each without one k-th of every topic's phrasings, and those."""
    out = []
    for fold in range(k):
        held: list[tuple[str, str]] = []
        topics = []
        for n, topic in enumerate(kb.topics):
            out_of_fold = [(j + n) % k == fold for j in range(len(topic.phrasings))]
            held += [(p, topic.id) for p, o in zip(topic.phrasings, out_of_fold, strict=True) if o]
            kept = tuple(p for p, o in zip(topic.phrasings, out_of_fold, strict=True) if not o)
            topics.append(dataclasses.replace(topic, phrasings=kept))
        out.append((dataclasses.replace(kb, topics=tuple(topics)), held))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--knowledge", type=Path, default=default_knowledge_dir())
    parser.add_argument("--folds", type=int, default=10)
    parser.add_argument("--show", type=int, default=20, help="confused pairs and weak topics")
    args = parser.parse_args()
    print(__doc__.splitlines()[0])
    print(machine())
    print(command_line())
    kb = load_knowledge(args.knowledge)
    n = first = top3 = 0
    confused: Counter[tuple[str, str]] = Counter()
    right: Counter[str] = Counter()
    asked: Counter[str] = Counter()
    for fold_kb, held in folds(kb, args.folds):
        index = Index(fold_kb)
        for question, topic in held:
            ranked = [t for t, _ in find_in(question, index).ranked]
            n += 1
            asked[topic] += 1
            if ranked[:1] == [topic]:
                first += 1
                right[topic] += 1
            elif ranked:
                confused[(topic, ranked[0])] += 1
            top3 += topic in ranked[:3]
    print(
        f"\n{n} phrasings in {args.folds} folds: own topic ranked first {first / n:.1%}, "
        f"in the first three {top3 / n:.1%}"
    )
    print("\nmost confused (the phrasing's topic -> the topic ranked first instead):")
    for (topic, instead), count in confused.most_common(args.show):
        print(f"  {count:4d}  {topic} -> {instead}")
    print("\ntopics whose phrasings are least often ranked first without them:")
    weakest = sorted(asked, key=lambda t: (right[t] / asked[t], t))[: args.show]
    for topic in weakest:
        print(f"  {topic:28s} {right[topic]:3d} of {asked[topic]}")


if __name__ == "__main__":
    main()
