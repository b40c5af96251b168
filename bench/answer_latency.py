"""Time of one bot.answer.answer() call over every topic's own (starter) phrasings, warm."""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from bench.matchers import command_line, machine, ms, steady_p99, time_calls
from bot.answer import answer
from bot.config import default_knowledge_dir
from bot.knowledge import load_knowledge
from bot.matching import find


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--knowledge", type=Path, default=default_knowledge_dir())
    parser.add_argument("--repeat", type=int, default=20, help="timed passes over the phrasings")
    parser.add_argument("--budget", type=float, default=10.0, help="seconds of passes, at most")
    args = parser.parse_args()
    print(__doc__)
    print(machine())
    print(command_line())
    kb = load_knowledge(args.knowledge)
    phrasings = [p for t in kb.topics for p in t.phrasings]
    print(f"knowledge base: {args.knowledge}, {len(kb.topics)} topics, {len(phrasings)} phrasings")
    for text in phrasings:  # warm-up: builds the index and fills every cache once
        answer(text, kb)
    print("")
    print("| call | calls timed | median | p99 | p99 of each phrasing's median |")
    print("|---|---:|---:|---:|---:|")
    for name, call in (
        ("bot.answer.answer(phrasing, kb)", lambda q: answer(q, kb)),
        ("bot.matching.find(phrasing, kb), its matching part", lambda q: find(q, kb)),
    ):
        samples = time_calls(call, phrasings, args.repeat, args.budget)
        median, p99 = np.percentile(samples, [50, 99])
        print(
            f"| {name} | {samples.size:,} ({len(samples)} passes) | {ms(median)} | {ms(p99)} "
            f"| {steady_p99(samples)} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
