"""How the matcher holds up when a question comes with what people say around it.

Real questions rarely come alone: the asker says who they are ("total noob here"), what they
run ("i'm on a mac m1 btw"), what they tried ("couldn't find anything"), when it broke ("it
worked yesterday"), pastes `docker --version`, or labels their post ("Edit: solved"). None of
it changes what is asked. Every question of the tuning file and of the content sets (and, with
--blind, the blind sets, totals only) is asked once as written and once with each aside below
added; the table gives, per aside, the answers with the right topic, the right topic in the
first three, and the out-of-scope questions declined, then the change from the undressed
questions. An aside that costs many answers points to words read as Docker's
that are only talk.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from bench.matchers import command_line, machine
from bench.sets import SETS, group_totals
from bot.config import default_knowledge_dir
from bot.evaluate import load_questions
from bot.knowledge import load_knowledge
from bot.matching import index_for

TUNING = Path(__file__).resolve().parent.parent / "tests" / "questions.yaml"

# What is said around a question, in the places people say it. "{}" is the question.
ASIDES = {
    "as asked": "{}",
    "who they are": "Beginner question - {}",
    "new to it": "So I'm new to docker and {}",
    "lurker": "Long time lurker, first time poster. {}",
    "what they run (mac)": "{} I'm on a mac m1 btw",
    "what they run (windows)": "{} (windows 11 + wsl2 if that matters)",
    "what they run (linux)": "{} on my work laptop running fedora",
    "running on": "{} (Running on Ubuntu 22.04)",
    "what they tried": "{} I've tried googling but couldn't find anything.",
    "stuck": "{} I've been stuck on this for hours.",
    "missing something": "{} Or am I missing something?",
    "long post": "{} (sorry for the long post)",
    "tl;dr": "TL;DR: {}",
    "edit line": "{}\n\nEdit: solved, thanks",
    "subreddit": "Hey r/docker, {}",
    "question label": "Q: {}",
    "help label": "Help needed: {}",
    "eli5": "ELI5: {}",
    "when it broke": "{} It worked yesterday and my boss wants it fixed today.",
    "where they looked": "{} I read the docs but they are confusing.",
    "framing": "Not sure this is the right channel, but {}",
    "pasted version": "{}\nDocker version 27.3.1, build ce12230",
    "sign-off": "{} Happy to provide more details or logs. Thanks for reading this far.",
    "going through": "{} I watched a youtube video but it's driving me crazy.",
    "best practice": "{} What's the best practice here?",
    "blocking": "{} this is blocking our release",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--knowledge", type=Path, default=default_knowledge_dir())
    parser.add_argument("--blind", action="store_true", help="also the blind sets, totals only")
    args = parser.parse_args()
    print(__doc__.splitlines()[0])
    print(machine())
    print(command_line())
    index = index_for(load_knowledge(args.knowledge))
    groups = {"tuning file + content sets": [TUNING, *sorted((SETS / "content").glob("*.yaml"))]}
    if args.blind:
        groups["blind sets"] = sorted((SETS / "blind").glob("*.yaml"))
    for name, paths in groups.items():
        questions = [q for path in paths for q in load_questions(path)]
        asked = sum(q.expect is not None for q in questions)
        print(f"\n{name}: {asked} with a topic, {len(questions) - asked} out of scope\n")
        print("| aside | example | answers | top-3 | declined | answers lost |")
        print("|---|---|---:|---:|---:|---:|")
        base = group_totals(questions, index)
        for label, form in ASIDES.items():
            right, near, declined = base if form == "{}" else group_totals(questions, index, form)
            shown = form.replace("\n", "\\n")
            lost = base[0] - right
            print(f"| {label} | `{shown}` | {right:,} | {near:,} | {declined:,} | {lost:,} |")


if __name__ == "__main__":
    main()
