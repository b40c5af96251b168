"""Sweeps the matcher's weights and thresholds over tests/questions.yaml and prints the best.

Only the tuning file is used to choose; the held-out file is scored once, for the chosen
parameters, so its figure stays an honest estimate. Run:

    .venv/bin/python bench/thresholds.py            # coordinate search from the defaults
    .venv/bin/python bench/thresholds.py --table     # decision-threshold table for the README
    .venv/bin/python bench/thresholds.py --holdout   # and score the held-out file at the end
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.evaluate import NOT_ANSWERED, Question, judge, load_questions  # noqa: E402
from bot.index import Index, Params  # noqa: E402
from bot.knowledge import load_knowledge  # noqa: E402
from bot.matching import Outcome, find_in  # noqa: E402

TUNING = ROOT / "tests" / "questions.yaml"
HOLDOUT = ROOT / "tests" / "questions_holdout.yaml"

# The search space: each parameter and the values tried for it.
SPACE: dict[str, list[float]] = {
    "answer_at": [0.44, 0.48, 0.52, 0.55, 0.58, 0.60, 0.62, 0.64, 0.66, 0.70],
    "margin": [0.0, 0.02, 0.04, 0.06, 0.08, 0.10, 0.12, 0.15],
    "suggest_at": [0.34, 0.38, 0.42, 0.46, 0.50, 0.54, 0.58, 0.60, 0.62, 0.64],
    "phrasing_weight": [0.3, 0.4, 0.5, 0.55, 0.6, 0.7, 0.8],
    "second_weight": [0.0, 0.1, 0.2, 0.3, 0.4],
    "beta": [0.8, 1.0, 1.2, 1.4, 1.7, 2.0],
    "fuzzy_weight": [0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3],
    "unseen_df": [0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0],
    "corrected_factor": [0.3, 0.5, 0.7, 1.0],
    "comparison_bonus": [0.0, 0.05, 0.10, 0.15],
    "form_bonus": [0.0, 0.02, 0.04, 0.06, 0.08],
    "pair_override": [0.7, 0.8, 0.9, 1.1],
    "unanchored_penalty": [0.0, 0.05, 0.1, 0.15, 0.2, 0.3],
    "nb_weight": [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.7],
    "nb_temperature": [0.5, 1.0, 1.5, 2.0, 3.0],
    "word_pair_weight": [0.0, 0.025, 0.05, 0.075, 0.1],
    "word_run_weight": [0.0, 0.05, 0.1, 0.15, 0.2],
    "word_run_full": [10.0, 15.0, 20.0],
    "word_run_unanchored": [0.0, 0.5, 1.0],
}


# What each outcome is worth to the person asking: a right answer is best, "did you mean"
# with the right topic in it is half as good, a confident wrong answer is worse than saying
# "I don't know". Out of scope, declining is right and answering is wrong.
UTILITY = {
    "right": 1.0,
    "suggested": 0.5,
    "wrong": -1.0,
    "silent": 0.0,
    "declined": 1.0,
    "offered": 0.0,
    "answered": -1.0,
}


# Most questions people ask a Docker bot are about Docker; declining the rest matters, but less.
IN_SCOPE_WEIGHT = 0.65


def score(index: Index, questions: list[Question]) -> dict[str, float]:
    top1 = top3 = declined = 0
    utility = {"in": 0.0, "out": 0.0}
    answerable = [q for q in questions if q.expect]
    for question in questions:
        finding = find_in(question.q, index)
        if not question.expect:
            if finding.outcome in NOT_ANSWERED:
                declined += 1
                utility["out"] += UTILITY["declined"]
            elif finding.outcome is Outcome.SUGGEST:
                utility["out"] += UTILITY["offered"]
            else:
                utility["out"] += UTILITY["answered"]
            continue
        ok, near = judge(question, finding)
        top1 += ok
        top3 += ok or near
        if ok:
            utility["in"] += UTILITY["right"]
        elif finding.outcome is Outcome.SUGGEST and question.accepted & set(finding.topics):
            utility["in"] += UTILITY["suggested"]
        elif finding.outcome in (Outcome.ANSWER, Outcome.PAIR):
            utility["in"] += UTILITY["wrong"]
        else:
            utility["in"] += UTILITY["silent"]
    n, m = len(answerable), len(questions) - len(answerable)
    return {
        "top1": top1 / n,
        "top3": top3 / n,
        "declined": declined / m if m else 0.0,
        "utility": IN_SCOPE_WEIGHT * utility["in"] / n
        + (1 - IN_SCOPE_WEIGHT) * (utility["out"] / m if m else 0.0),
    }


DECLINE_FLOOR = 0.85  # the target for out-of-scope questions declined


def objective(figures: dict[str, float]) -> float:
    """The issue's three figures, top-1 counting double, with declining at least
    DECLINE_FLOOR of out-of-scope questions as a hard requirement."""
    shortfall = max(0.0, DECLINE_FLOOR - figures["declined"])
    return figures["top1"] + 0.5 * figures["top3"] + 0.5 * figures["declined"] - 5 * shortfall


DECISION = ("answer_at", "margin", "suggest_at")


def grid(index: Index, questions: list[Question]) -> Params:
    """Every combination of the three decision thresholds, the scoring weights held fixed."""
    best, best_value = index.params, objective(score(index, questions))
    base = index.params
    for values in itertools.product(*(SPACE[name] for name in DECISION)):
        index.params = dataclasses.replace(base, **dict(zip(DECISION, values, strict=True)))
        if index.params.suggest_at >= index.params.answer_at:
            continue
        value = objective(score(index, questions))
        if value > best_value + 1e-9:
            best, best_value = index.params, value
    index.params = best
    print(f"grid:  objective {best_value:.4f} {fmt(score(index, questions))}", flush=True)
    return best


def search(index: Index, questions: list[Question], rounds: int) -> Params:
    """Coordinate ascent over SPACE, each round ending with a grid over the thresholds."""
    best = index.params
    best_value = objective(score(index, questions))
    for _ in range(rounds):
        improved = False
        for name, values in SPACE.items():
            for value in values:
                index.params = dataclasses.replace(best, **{name: value})
                if index.params.suggest_at >= index.params.answer_at:
                    continue
                value_now = objective(score(index, questions))
                if value_now > best_value + 1e-9:
                    best, best_value, improved = index.params, value_now, True
            index.params = best
        best = grid(index, questions)
        print(f"round: objective {best_value:.4f} {fmt(score(index, questions))}", flush=True)
        if not improved and objective(score(index, questions)) <= best_value + 1e-9:
            break
        best_value = objective(score(index, questions))
    return best


def fmt(figures: dict[str, float]) -> str:
    return " ".join(f"{k} {v:.3f}" for k, v in figures.items())


def table(index: Index, tuning: list[Question]) -> None:
    """How the three figures move with the two decision thresholds, the rest as chosen."""
    base = index.params
    print(f"chosen: answer_at {base.answer_at}, suggest_at {base.suggest_at}, margin {base.margin}")
    print("| answer_at | suggest_at | top-1 | top-3 | declined |")
    print("|---:|---:|---:|---:|---:|")
    for answer_at, suggest_at in itertools.product(
        [0.55, 0.58, 0.60, 0.62, 0.64, 0.66, 0.70], [0.50, 0.54, 0.58, 0.60, 0.62, 0.64]
    ):
        if suggest_at > answer_at:
            continue
        index.params = dataclasses.replace(base, answer_at=answer_at, suggest_at=suggest_at)
        f = score(index, tuning)
        mark = " ←" if (answer_at, suggest_at) == (base.answer_at, base.suggest_at) else ""
        print(
            f"| {answer_at:.2f} | {suggest_at:.2f} | {f['top1']:.3f} | {f['top3']:.3f} | "
            f"{f['declined']:.3f}{mark} |"
        )
    index.params = base


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--table", action="store_true")
    parser.add_argument("--holdout", action="store_true", help="also score the held-out file")
    args = parser.parse_args()
    kb = load_knowledge(ROOT / "knowledge")
    index = Index(kb)
    tuning = load_questions(TUNING)
    print(f"defaults:        {fmt(score(index, tuning))}")
    if args.table:
        table(index, tuning)
        return
    chosen = search(index, tuning, args.rounds)
    changed = {
        f.name: getattr(chosen, f.name)
        for f in dataclasses.fields(Params)
        if getattr(chosen, f.name) != getattr(Params(), f.name)
    }
    print(f"chosen changes:  {changed}")
    print(f"tuning file:     {fmt(score(index, tuning))}")
    if args.holdout:
        print(
            f"held-out file:   {fmt(score(index, load_questions(HOLDOUT)))}  (not used to choose)"
        )


if __name__ == "__main__":
    main()
