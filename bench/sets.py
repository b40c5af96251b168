"""The matcher on the larger question sets under bench/question_sets/, per set and per group.

Each group is a folder of sets of 250 questions (200 with a topic, 50 to decline) that helpers
wrote from the topic catalogue alone; bench/question_sets/README.md says which groups decisions
were made on and which were scored only as totals. Counts, not only shares, are printed, so that
two runs can be compared answer by answer:

    .venv/bin/python bench/sets.py                   # every group
    .venv/bin/python bench/sets.py --misses content  # and the questions a group gets wrong
    .venv/bin/python bench/sets.py --thresholds      # group totals at other thresholds
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

from bench.matchers import command_line, machine
from bot.config import default_knowledge_dir
from bot.evaluate import Question, evaluate, judge, load_questions
from bot.index import Index, Params
from bot.knowledge import KnowledgeBase, load_knowledge
from bot.matching import find_in

SETS = Path(__file__).resolve().parent / "question_sets"
# (answer_at, suggest_at) pairs compared with the chosen ones in README.md's table.
THRESHOLDS = ((0.64, 0.60), (0.62, 0.62), (0.62, 0.60), (0.60, 0.60), (0.66, 0.64), (0.66, 0.66))


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


def group_totals(questions: list[Question], index: Index, form: str = "{}") -> tuple[int, int, int]:
    """Right answers, right topic in the first three, and out-of-scope questions declined, with
    this index; each question asked as `form` has it (bench/asides.py dresses them)."""
    right = near = declined = 0
    for q in questions:
        ok, close = judge(q, find_in(form.format(q.q), index))
        if q.expect is None:
            declined += ok
        else:
            right += ok
            near += ok or close
    return right, near, declined


def thresholds(kb: KnowledgeBase, sets: Path) -> None:
    """Each group's totals at the chosen thresholds, and how other (answer_at, suggest_at)
    pairs move them."""
    groups = {
        g.name: [q for p in sorted(g.glob("*.yaml")) for q in load_questions(p)]
        for g in sorted(p for p in sets.iterdir() if p.is_dir())
    }
    chosen = Params()
    print(
        "| (answer_at, suggest_at) | "
        + " | ".join(f"{g}: answers / top-3 / declines" for g in groups)
        + " |"
    )
    print("|---|" + "---:|" * len(groups))
    index = Index(kb, chosen)
    base = {g: group_totals(qs, index) for g, qs in groups.items()}
    cells = [" / ".join(f"{n:,}" for n in base[g]) for g in groups]
    print(
        f"| **({chosen.answer_at:.2f}, {chosen.suggest_at:.2f})** | "
        + " | ".join(f"**{c}**" for c in cells)
        + " |"
    )
    for answer_at, suggest_at in THRESHOLDS:
        index = Index(kb, replace(chosen, answer_at=answer_at, suggest_at=suggest_at))
        moved = []
        for g, qs in groups.items():
            now = group_totals(qs, index)
            deltas = (
                f"{b - a:+d}".replace("-", "\u2212") for a, b in zip(base[g], now, strict=True)
            )
            moved.append(" / ".join(deltas))
        print(f"| ({answer_at:.2f}, {suggest_at:.2f}) | " + " | ".join(moved) + " |")


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
    parser.add_argument(
        "--thresholds", action="store_true", help="group totals at other decision thresholds"
    )
    args = parser.parse_args()
    print(machine())
    print(command_line())
    kb = load_knowledge(args.knowledge)
    if args.thresholds:
        print("")
        thresholds(kb, args.sets)
        return
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
