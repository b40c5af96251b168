"""The matcher on the larger question sets under bench/question_sets/, per set and per group.

Each group is a folder of sets of 250 questions (200 with a topic, 50 to decline) that helpers
wrote from the topic catalogue alone; bench/question_sets/README.md says which groups decisions
were made on and which were scored only as totals. Counts, not only shares, are printed, so that
two runs can be compared answer by answer:

    .venv/bin/python bench/sets.py                   # every group
    .venv/bin/python bench/sets.py --misses content  # and the questions a group gets wrong
"""

from __future__ import annotations

import argparse
from pathlib import Path

from bench.matchers import command_line, machine
from bot.config import default_knowledge_dir
from bot.evaluate import Question, evaluate, load_questions
from bot.knowledge import KnowledgeBase, load_knowledge

SETS = Path(__file__).resolve().parent / "question_sets"


def counts(questions: list[Question], kb: KnowledgeBase) -> tuple[dict[str, int], list[dict]]:
    """Right answers, right topic in the first three, and declines, as counts; and the misses."""
    report = evaluate(questions, kb)
    found = report["counts"]
    return {
        "with a topic": report["answerable"],
        "to decline": report["out_of_scope"],
        "top-1": found["top1"],
        "top-3": found["top3"],
        "declined": found["declined"],
    }, report["misses"]


def row(name: str, c: dict[str, int]) -> str:
    def share(n: int, d: int) -> str:
        return f"{n / d:.1%}" if d else "-"

    return (
        f"| {name} | {c['with a topic']:,} / {c['to decline']:,} "
        f"| {c['top-1']:,} ({share(c['top-1'], c['with a topic'])}) "
        f"| {c['top-3']:,} ({share(c['top-3'], c['with a topic'])}) "
        f"| {c['declined']:,} ({share(c['declined'], c['to decline'])}) |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--knowledge", type=Path, default=default_knowledge_dir())
    parser.add_argument("--sets", type=Path, default=SETS, help="a folder of group folders")
    parser.add_argument("--misses", nargs="*", default=[], help="groups whose misses to list")
    args = parser.parse_args()
    print(machine())
    print(command_line())
    kb = load_knowledge(args.knowledge)
    print("")
    print("| set | questions with a topic / to decline | top-1 | top-3 | declined |")
    print("|---|---:|---:|---:|---:|")
    misses: list[tuple[str, dict]] = []
    for group in sorted(p for p in args.sets.iterdir() if p.is_dir()):
        total = dict.fromkeys(["with a topic", "to decline", "top-1", "top-3", "declined"], 0)
        for path in sorted(group.glob("*.yaml")):
            c, missed = counts(load_questions(path), kb)
            print(row(f"{group.name}/{path.stem}", c))
            total = {k: total[k] + c[k] for k in total}
            if group.name in args.misses:
                misses += [(f"{group.name}/{path.stem}", m) for m in missed]
        print(row(f"**{group.name}, all**", total))
    for name, m in misses:
        ranked = ", ".join(f"{t} {s}" for t, s in m["ranked"])
        got = ",".join(m["got"]) or "-"
        print(f"{name}: expect {m['expect']}, {m['outcome']} {got} [{ranked}]: {m['q']}")


if __name__ == "__main__":
    main()
