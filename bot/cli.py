"""The docker-explain terminal: ask, chat, check, eval, serve, socket, manifest."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.knowledge import check_knowledge


def cmd_check(args: argparse.Namespace) -> int:
    kb, problems = check_knowledge(Path(args.dir or "knowledge"))
    for p in problems:
        print(p)
    failing = [p for p in problems if args.strict or p.severity == "error"]
    if kb is not None:
        print(f"{len(kb.topics)} topics checked, {len(problems)} problem(s)")
    return 1 if failing else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="docker-explain")
    sub = parser.add_subparsers(dest="command")
    check = sub.add_parser("check")
    check.add_argument("dir", nargs="?")
    check.add_argument("--strict", action="store_true")
    args = parser.parse_args(argv)
    if args.command == "check":
        return cmd_check(args)
    return 2


if __name__ == "__main__":
    sys.exit(main())
