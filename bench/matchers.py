"""Accuracy and per-question latency of docker-explain's matcher beside three baselines."""

from __future__ import annotations

import argparse
import os
import platform
import shlex
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from bench.baselines import BASELINES, TUNING, Baseline, Ranked, choose_cutoff, describe, score
from bot.config import default_knowledge_dir
from bot.evaluate import Question, evaluate, load_questions
from bot.knowledge import KnowledgeBase, load_knowledge
from bot.matching import find, index_for

ROOT = Path(__file__).resolve().parent.parent
QUESTION_FILES = (
    TUNING,
    ROOT / "tests" / "questions_holdout.yaml",
    ROOT / "tests" / "questions_fresh.yaml",
)


def machine() -> str:
    """nproc, CPU model, OS and Python of this machine."""
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            lines = (ln.split(":", 1)[1].strip() for ln in cpuinfo if ln.startswith("model name"))
            model = next(lines, model)
    except OSError:
        model = platform.processor() or model
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"machine: {cpus} CPUs (nproc), {model}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, load average {load:.2f} at start"
    )


def command_line() -> str:
    """The command that produced this output, runnable from the repository root."""
    python = os.path.relpath(sys.executable, ROOT) if sys.executable else "python"
    script = os.path.relpath(os.path.abspath(sys.argv[0]), ROOT)
    return "command: " + shlex.join([python, script, *sys.argv[1:]])


def time_calls(
    call: Callable[[str], object],
    texts: Sequence[str],
    repeat: int,
    budget: float,
    results: list[Any] | None = None,
) -> np.ndarray:
    """Time each call separately (ms), in passes over the texts: `repeat` passes, fewer when
    `budget` seconds run out, at least one. One row per pass, one column per text. The first
    pass's return values are appended to `results` when it is given."""
    passes: list[list[int]] = []
    deadline = time.perf_counter_ns() + int(budget * 1e9)
    while len(passes) < repeat:
        samples = []
        for text in texts:
            start = time.perf_counter_ns()
            value = call(text)
            samples.append(time.perf_counter_ns() - start)
            if results is not None and not passes:
                results.append(value)
        passes.append(samples)
        if time.perf_counter_ns() > deadline:
            break
    return np.array(passes, dtype=float) / 1e6


def timed_ranks(
    baseline: Baseline, texts: Sequence[str], repeat: int, budget: float
) -> tuple[list[Ranked], np.ndarray]:
    """A baseline's rankings of the texts and its timed calls: one pass does both, which
    halves the run for difflib (about two seconds a question on a slow machine)."""
    ranks: list[Ranked] = []
    samples = time_calls(baseline.rank, texts, repeat, budget, results=ranks)
    return ranks, samples


def p50_p99(samples: np.ndarray) -> str:
    """p50 / p99 over every timed call."""
    p50, p99 = np.percentile(samples, [50, 99])
    return f"{ms(p50)} / {ms(p99)}"


def steady_p99(samples: np.ndarray) -> str:
    """p99 over each text's median call: the matcher's own slow questions, without the
    scheduler's pauses that a loaded machine adds to single calls."""
    return ms(float(np.percentile(np.median(samples, axis=0), 99)))


def ms(value: float) -> str:
    return f"{value:.2f} ms" if value < 10 else f"{value:.1f} ms"


def row(name: str, top1: float, top3: float, declined: float, latency: str) -> str:
    return f"| {name:<24} | {top1:6.1%} | {top3:6.1%} | {declined:21.1%} | {latency:>22} |"


def header() -> list[str]:
    return [
        f"| {'matcher':<24} | {'top-1':>6} | {'top-3':>6} | {'out-of-scope declined':>21} "
        f"| {'p50 / p99 per question':>22} |",
        f"|{'-' * 26}|{'-' * 7}:|{'-' * 7}:|{'-' * 22}:|{'-' * 23}:|",
    ]


def report(
    path: Path,
    questions: list[Question],
    kb: KnowledgeBase,
    baselines: Sequence[tuple[Baseline, dict[Path, tuple[list[Ranked], np.ndarray]]]],
    repeat: int,
    budget: float,
) -> list[str]:
    texts = [q.q for q in questions]
    outside = sum(not q.expect for q in questions)
    lines = [
        "",
        f"{path.relative_to(ROOT)}: {len(questions)} questions "
        f"({len(questions) - outside} answerable, {outside} out of scope)",
        "",
        *header(),
    ]
    passes = []
    ours = evaluate(questions, kb)  # also the warm-up pass: every question asked once
    samples = time_calls(lambda q: find(q, kb), texts, repeat, budget)
    passes.append(f"docker-explain {len(samples)} ({steady_p99(samples)})")
    lines.append(
        row("docker-explain", ours["top1"], ours["top3"], ours["declined"], p50_p99(samples))
    )
    for baseline, cached in baselines:
        ranks, samples = cached.get(path) or timed_ranks(baseline, texts, repeat, budget)
        scores = score(questions, ranks, baseline.cutoff)
        passes.append(f"{baseline.name} {len(samples)} ({steady_p99(samples)})")
        lines.append(
            row(baseline.name, scores.top1, scores.top3, scores.declined, p50_p99(samples))
        )
    lines.append("")
    lines.append(
        "latency: each call timed alone (time.perf_counter_ns). docker-explain = "
        "bot.matching.find(question, kb) on a built index, timed after one untimed pass over the "
        "questions; baselines = rank (deciding is one comparison with the cutoff), timed from "
        "their first pass, which also ranks the questions (they keep no caches to warm). Timed "
        "passes (and p99 of each question's median call): " + ", ".join(passes) + "."
    )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--knowledge", type=Path, default=default_knowledge_dir())
    parser.add_argument("--repeat", type=int, default=20, help="timed passes over each file")
    parser.add_argument(
        "--budget", type=float, default=5.0, help="seconds per matcher and file before passes stop"
    )
    args = parser.parse_args()
    print(__doc__)
    print(machine())
    print(command_line())
    kb = load_knowledge(args.knowledge)
    index_for(kb)
    print(f"knowledge base: {args.knowledge}, {len(kb.topics)} topics")
    tuning = load_questions(TUNING)
    print("")
    print(f"baseline cutoffs, each maximising (top-1 + declined)/2 on {TUNING.name} only:")
    baselines = []
    for kind in BASELINES:
        baseline = kind(kb)
        ranks, samples = timed_ranks(baseline, [q.q for q in tuning], args.repeat, args.budget)
        baseline.cutoff = choose_cutoff(tuning, ranks)
        print("  " + describe(baseline, tuning, ranks), flush=True)
        baselines.append((baseline, {TUNING: (ranks, samples)}))
    for path in QUESTION_FILES:
        lines = report(path, load_questions(path), kb, baselines, args.repeat, args.budget)
        print("\n".join(lines), flush=True)


if __name__ == "__main__":
    main()
