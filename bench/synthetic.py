"""How the matcher's start-up and per-question latency grow with 1,000 and 10,000 topics."""

from __future__ import annotations

import argparse
import cProfile
import functools
import io
import itertools
import json
import pstats
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from bench.matchers import QUESTION_FILES, command_line, machine, p50_p99, steady_p99, time_calls
from bot.config import default_knowledge_dir
from bot.evaluate import load_questions
from bot.knowledge import (
    CATEGORIES_FILE,
    SYNONYMS_FILE,
    KnowledgeBase,
    check_knowledge,
    load_knowledge,
)
from bot.matching import find, index_for
from bot.normalise import STOPWORDS
from bot.rules import ERROR, TEXT_LIMITS

SIZES = (1_000, 10_000)
# The targets, printed beside the figures.
TARGET_STARTUP = 0.3  # seconds to load and index the real knowledge base, built or cached
TARGET_P99 = {"real": 1.0, 10_000: 20.0}  # ms per question

_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_CONSONANTS = "bdfgklmnprstvz"
_VOWELS = "aeiou"


def made_up_words(taken: set[str]) -> Iterator[str]:
    """Distinct pronounceable non-words (consonant-vowel syllables), none of them in `taken`."""
    syllables = [c + v for c in _CONSONANTS for v in _VOWELS]
    for parts in itertools.product(syllables, repeat=3):
        word = "".join(parts)
        if word not in taken:
            yield word


def real_words(root: Path) -> set[str]:
    """Every alphanumeric word in the real knowledge base's files, and the stopwords."""
    found = set(STOPWORDS)
    for path in root.rglob("*.yaml"):
        found.update(re.findall(r"[a-z0-9]+", path.read_text(encoding="utf-8").lower()))
    return found


def copy_topic(data: dict[str, Any], word: str) -> dict[str, Any]:
    """A topic file's mapping with a new id, and `word` appended to its title and phrasings."""
    copy = dict(data)
    copy["id"] = f"{data['id']}-{word}"
    title = str(data["title"])[: TEXT_LIMITS["title"] - len(word) - 1].rstrip()
    copy["title"] = f"{title} {word}"
    copy["phrasings"] = [f"{p} {word}" for p in data["phrasings"]]
    return copy


def build_synthetic(real: Path, size: int, dest: Path) -> Path:
    """The real knowledge base plus copies of its topics up to `size` topics, under dest."""
    root = dest / f"knowledge-{size}"
    shutil.copytree(real, root, ignore=shutil.ignore_patterns("*.md"))
    files = sorted(
        p for p in root.glob("*/*.yaml") if p.name not in (SYNONYMS_FILE, CATEGORIES_FILE)
    )
    sources = [(p.parent, yaml.load(p.read_text(encoding="utf-8"), Loader=_Loader)) for p in files]
    words = made_up_words(real_words(real))
    for _, (folder, data) in zip(range(size - len(sources)), itertools.cycle(sources)):
        copy = copy_topic(data, next(words))
        text = yaml.dump(copy, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1000)
        (folder / f"{copy['id']}.yaml").write_text(text, encoding="utf-8")
    kb, problems = check_knowledge(root)
    errors = [p for p in problems if p.severity == ERROR]
    if kb is None or errors or len(kb.topics) != size:
        shown = "\n".join(map(str, errors[:10]))
        raise SystemExit(f"synthetic knowledge base of {size} topics was refused:\n{shown}")
    return root


# One start-up in a fresh interpreter, as a new web or worker process pays it: no stem or
# typo cache warmed by an earlier run, no heap left over from the synthetic files.
_STARTUP = """
import json, sys, time
from pathlib import Path
from bot.knowledge import load_knowledge
from bot.matching import index_for
start = time.perf_counter()
kb = load_knowledge(Path(sys.argv[1]))
loaded = time.perf_counter()
index_for(kb)
print(json.dumps([loaded - start, time.perf_counter() - loaded]))
"""


def _in_new_process(script: str, *paths: Path) -> subprocess.CompletedProcess[str]:
    """Run a start-up script in a fresh interpreter from the project folder, its output kept."""
    return subprocess.run(
        [sys.executable, "-c", script, *map(str, paths)],
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
        check=True,
    )


def startup(root: Path, runs: int) -> tuple[list[float], list[float], KnowledgeBase]:
    """Seconds for load_knowledge and for index_for, each of `runs` times in a new process (its
    imports not counted); then the knowledge base, loaded and indexed here for the asks."""
    loads, indexes = [], []
    for _ in range(runs):
        load, index = json.loads(_in_new_process(_STARTUP, root).stdout)
        loads.append(load)
        indexes.append(index)
    kb = load_knowledge(root)
    index_for(kb)
    return loads, indexes, kb


# The same start-up through bot.index_cache, as the web process and the command line start: the
# first run builds and caches the index, the later ones read it back.
_CACHED = """
import json, logging, sys, time
from pathlib import Path
from bot.index_cache import load_indexed
logging.basicConfig(level=logging.INFO, format="%(message)s")
start = time.perf_counter()
load_indexed(Path(sys.argv[1]), Path(sys.argv[2]))
print(json.dumps(time.perf_counter() - start))
"""


def cached_startup(root: Path, cache: Path, runs: int) -> list[float]:
    """Seconds for load_indexed to read a cached index, each of `runs` times in a new process,
    after one run that builds and caches it."""
    seconds = []
    for run in range(runs + 1):
        done = _in_new_process(_CACHED, root, cache)
        if run and "search index read from" not in done.stderr:
            raise SystemExit(f"the cached index of {root} was not read:\n{done.stderr}")
        seconds.append(json.loads(done.stdout))
    return seconds[1:]


def first_asks(kb: KnowledgeBase, texts: list[str]) -> np.ndarray:
    """Each question's first call (ms) on an index no question has been asked of yet."""
    samples = []
    for text in texts:
        start = time.perf_counter_ns()
        find(text, kb)
        samples.append(time.perf_counter_ns() - start)
    return np.array(samples, dtype=float) / 1e6


def profile(label: str, kb_root: Path, texts: list[str], top: int) -> None:
    """Print where the time goes: start-up, then a warm pass over the questions."""
    profiler = cProfile.Profile()
    profiler.enable()
    kb = load_knowledge(kb_root)
    index_for(kb)
    profiler.disable()
    _print_profile(f"profile, {label}: load_knowledge + index_for", profiler, top)
    for text in texts:
        find(text, kb)
    profiler = cProfile.Profile()
    profiler.enable()
    for text in texts:
        find(text, kb)
    profiler.disable()
    _print_profile(f"profile, {label}: one warm pass of find() over the questions", profiler, top)


def _print_profile(title: str, profiler: cProfile.Profile, top: int) -> None:
    for key in ("tottime", "cumulative"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(key).print_stats(top)
        body = out.getvalue()
        body = body[body.index("   ncalls") :] if "   ncalls" in body else body
        print(f"\n{title} (sorted by {key})\n{body.rstrip()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--knowledge", type=Path, default=default_knowledge_dir())
    parser.add_argument("--sizes", type=int, nargs="*", default=list(SIZES))
    parser.add_argument("--runs", type=int, default=3, help="start-up runs (median reported)")
    parser.add_argument("--repeat", type=int, default=10, help="timed passes over the questions")
    parser.add_argument("--budget", type=float, default=10.0, help="seconds of passes per size")
    parser.add_argument(
        "--profile", action="store_true", help="also cProfile the largest size (start-up, asks)"
    )
    parser.add_argument("--top", type=int, default=20, help="profile lines shown")
    args = parser.parse_args()
    print(__doc__)
    print(machine())
    print(command_line())
    files = [[q.q for q in load_questions(path)] for path in QUESTION_FILES]
    texts = list(itertools.chain.from_iterable(files))
    # The first asks of the files after the first come on an index the first file's questions
    # have warmed: questions new to a process that has been answering, as real questions are.
    warmed = len(files[0])
    print(
        f"questions: {len(texts)} from " + " + ".join(p.name for p in QUESTION_FILES) + "; "
        f"start-up: median of {args.runs} runs; per question: one call each on a fresh index "
        f"(first ask; new questions: the first asks after the {warmed:,} of "
        f"{QUESTION_FILES[0].name}), then passes of calls timed one by one (warm)"
    )
    with tempfile.TemporaryDirectory(prefix="docker-explain-bench-") as tmp:
        built = time.perf_counter()
        roots: list[tuple[str, Path]] = [("real", args.knowledge)]
        roots += [(f"{n:,}", build_synthetic(args.knowledge, n, Path(tmp))) for n in args.sizes]
        print(
            f"synthetic knowledge bases written and checked in {time.perf_counter() - built:.1f} s"
        )
        print("")
        print(
            "| knowledge base | topics | phrasings | load + index | load | index | cached start "
            "| first ask p50 / p99 | new questions p50 / p99 | warm p50 / p99 per question "
            "| warm p99 of medians | target |"
        )
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
        for (label, root), size in zip(roots, ["real", *args.sizes], strict=True):
            loads, indexes, kb = startup(root, args.runs)
            cached = cached_startup(root, Path(tmp) / f"cache-{size}", args.runs)
            cold = first_asks(kb, texts)
            warm = time_calls(functools.partial(find, kb=kb), texts, args.repeat, args.budget)
            phrasings = sum(len(t.phrasings) for t in kb.topics)
            totals = [a + b for a, b in zip(loads, indexes, strict=True)]
            targets = []
            if size == "real":
                targets.append(f"load + index <= {TARGET_STARTUP} s")
            if size in TARGET_P99:
                targets.append(f"p99 <= {TARGET_P99[size]:g} ms")
            print(
                f"| {label} | {len(kb.topics):,} | {phrasings:,} "
                f"| {statistics.median(totals):.3f} s | {statistics.median(loads):.3f} s "
                f"| {statistics.median(indexes):.3f} s | {statistics.median(cached):.3f} s "
                f"| {p50_p99(cold)} | {p50_p99(cold[warmed:])} "
                f"| {p50_p99(warm)} ({len(warm)} passes) | {steady_p99(warm)} "
                f"| {'; '.join(targets) or '-'} |",
                flush=True,
            )
        if args.profile:
            label, root = roots[-1]
            profile(f"{label} topics", root, texts, args.top)


if __name__ == "__main__":
    main()
