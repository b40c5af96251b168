"""Scores the matcher on a file of questions: top-1, top-3, out-of-scope declined, misses."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.answer import explain
from bot.knowledge import KnowledgeBase
from bot.matching import Finding, Outcome

NOT_ANSWERED = (Outcome.DECLINE, Outcome.VAGUE)


@dataclass(frozen=True)
class Question:
    q: str
    expect: str | None
    also: tuple[str, ...] = ()

    @property
    def accepted(self) -> set[str]:
        return {self.expect, *self.also} if self.expect else set()


def load_questions(path: Path) -> list[Question]:
    """Read `[{q, expect, also}]`; `expect: none` (or null) marks a question to decline."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or []
    questions = []
    for item in data:
        expect = item.get("expect")
        expect = None if expect in (None, "none") else str(expect)
        questions.append(Question(str(item["q"]), expect, tuple(item.get("also") or ())))
    return questions


def judge(question: Question, finding: Finding) -> tuple[bool, bool]:
    """Whether the finding is right: answered with an accepted topic, or for an out-of-scope
    question not answered at all; and whether it is near: an accepted topic among the three
    best candidates or the topics shown, the question not declined."""
    if not question.expect:
        return finding.outcome in NOT_ANSWERED, False
    ok = finding.outcome is Outcome.ANSWER and finding.topics[0] in question.accepted
    shown = set(finding.topics) if finding.outcome is not Outcome.PAIR else set()
    shown.update(t for t, _ in finding.ranked[:3])
    near = finding.outcome not in NOT_ANSWERED and bool(question.accepted & shown)
    return ok, near


def evaluate(questions: list[Question], kb: KnowledgeBase) -> dict[str, Any]:
    """top1: answered with an accepted topic; top3: an accepted topic among the three best
    candidates and the question not declined; declined: share of out-of-scope questions the
    bot declined (neither answered nor suggested). Fractions of the relevant questions, and
    the same three as counts under "counts"."""
    answerable = [q for q in questions if q.expect]
    outside = [q for q in questions if not q.expect]
    top1 = top3 = declined = 0
    outcomes: dict[str, int] = {}
    misses = []
    for question in questions:
        _, finding = explain(question.q, kb)
        outcomes[finding.outcome.value] = outcomes.get(finding.outcome.value, 0) + 1
        ok, near = judge(question, finding)
        if not question.expect:
            declined += ok
        else:
            top1 += ok
            top3 += ok or near
        if not ok:
            misses.append(
                {
                    "q": question.q,
                    "expect": question.expect or "none",
                    "outcome": finding.outcome.value,
                    "got": list(finding.topics),
                    "ranked": [[t, round(s * 100, 1)] for t, s in finding.ranked[:3]],
                }
            )
    return {
        "n": len(questions),
        "answerable": len(answerable),
        "out_of_scope": len(outside),
        "top1": _share(top1, len(answerable)),
        "top3": _share(top3, len(answerable)),
        "declined": _share(declined, len(outside)),
        "counts": {"top1": top1, "top3": top3, "declined": declined},
        "outcomes": outcomes,
        "misses": misses,
    }


def _share(count: int, total: int) -> float:
    # Six places, so that a percentage printed from it is not rounded twice (0.960526 is 96.1%,
    # 0.9605 would print as 96.0%).
    return round(count / total, 6) if total else 0.0


def format_report(report: dict[str, Any]) -> str:
    lines = [
        f"questions: {report['n']} ({report['answerable']} answerable, "
        f"{report['out_of_scope']} out of scope)",
        f"top-1 accuracy:        {report['top1']:.1%}",
        f"top-3 accuracy:        {report['top3']:.1%}",
        f"out-of-scope declined: {report['declined']:.1%}",
        "outcomes: " + ", ".join(f"{k} {v}" for k, v in sorted(report["outcomes"].items())),
    ]
    if report["misses"]:
        lines += ["", f"misses ({len(report['misses'])}):"]
        for miss in report["misses"]:
            got = ", ".join(miss["got"]) or "-"
            ranked = " ".join(f"{t}:{s}" for t, s in miss["ranked"])
            lines.append(
                f"  [{miss['outcome']}] {miss['q']!r}\n"
                f"      expected {miss['expect']}; got {got}; ranked {ranked}"
            )
    return "\n".join(lines)
