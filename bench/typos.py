"""How well the matcher reads a phrasing typed with one slip, from the knowledge base alone.

Every phrasing with a word of five letters or more (shorter words are never corrected) gets
one slip of each kind people make at a keyboard (bot/typos.py) in one such word, chosen at
random with a fixed seed: two letters swapped, one dropped, one doubled, one key replaced by
its neighbour. For each kind it prints the share of phrasings whose terms (the words the
matcher scores, commands included) come out exactly as without the slip, and the share still
answered with their own topic. The phrasings stay in the index, so the second figure shows
what the slip costs, not how well an unseen phrasing is matched (bench/crossval.py does that).
"""

from __future__ import annotations

import argparse
import random
from collections import Counter
from pathlib import Path

from bench.matchers import command_line, machine
from bot.config import default_knowledge_dir
from bot.knowledge import load_knowledge
from bot.matching import Outcome, find_in, index_for
from bot.normalise import STOPWORDS, clean, words
from bot.typos import adjacent

KINDS = ("swapped", "dropped", "doubled", "neighbour key")
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def slip(word: str, kind: str, rnd: random.Random) -> str:
    """The word with one slip of the kind, never at its first letter (the matcher corrects only
    to words with the same first letter, as people rarely miss that one)."""
    i = rnd.randrange(1, len(word) - 1)
    if kind == "swapped":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == "dropped":
        return word[:i] + word[i + 1 :]
    if kind == "doubled":
        return word[:i] + word[i] + word[i:]
    near = [c for c in _LETTERS if adjacent(word[i], c)]
    return word[:i] + rnd.choice(near) + word[i + 1 :]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--knowledge", type=Path, default=default_knowledge_dir())
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--show", type=int, default=5, help="examples of lost terms per kind")
    args = parser.parse_args()
    print(__doc__.splitlines()[0])
    print(machine())
    print(command_line())
    kb = load_knowledge(args.knowledge)
    index = index_for(kb)
    rnd = random.Random(args.seed)
    asked: Counter[str] = Counter()
    same: Counter[str] = Counter()
    answered: Counter[str] = Counter()
    lost: dict[str, list[str]] = {kind: [] for kind in KINDS}
    for topic in kb.topics:
        for phrasing in topic.phrasings:
            text = clean(phrasing)
            candidates = [w for w in words(text) if len(w) >= 5 and w.isalpha()]
            candidates = [w for w in candidates if w not in STOPWORDS]
            if not candidates:
                continue
            word = rnd.choice(candidates)
            terms = index.terms(text).terms
            for kind in KINDS:
                typed = slip(word, kind, rnd)
                mistyped = text.replace(word, typed, 1)
                asked[kind] += 1
                if index.terms(mistyped).terms == terms:
                    same[kind] += 1
                elif len(lost[kind]) < args.show:
                    lost[kind].append(f"{word} -> {typed}: {mistyped!r}")
                finding = find_in(mistyped, index)
                answered[kind] += finding.outcome is Outcome.ANSWER and finding.topic == topic.id
    print(f"\n{sum(asked.values()) // len(KINDS)} phrasings, one slip each (seed {args.seed})\n")
    print("| slip | terms unchanged | still answered with its topic |")
    print("|---|---|---|")
    for kind in KINDS:
        print(f"| {kind} | {same[kind] / asked[kind]:.1%} | {answered[kind] / asked[kind]:.1%} |")
    for kind in KINDS:
        if lost[kind]:
            print(f"\n{kind}, read differently:")
            for example in lost[kind]:
                print(f"  {example}")


if __name__ == "__main__":
    main()
