"""The docker-explain terminal: ask, chat, check, index, eval, gaps, serve, socket, manifest."""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import sys
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot import texts
from bot.answer import close_alternatives, explain
from bot.config import ConfigError, Settings, SlackRejected, configure_logging, keep_loaded
from bot.evaluate import evaluate, format_report, load_questions
from bot.index_cache import entry_path, load_indexed, write_entry
from bot.knowledge import KnowledgeBase, KnowledgeError, check_knowledge, load_knowledge
from bot.manifest import build_manifest, to_yaml
from bot.matching import Outcome, index_for
from bot.rules import ERROR

# The web process's gunicorn arguments; the Procfile's web: line is the same (a test checks).
# gthread workers let Bolt answer after the HTTP ack; --preload loads the knowledge base once,
# before forking, so a broken one stops the process with its problems listed.
GUNICORN_ARGS = ["bot.wsgi:create_app()", "--worker-class", "gthread", "--threads", "4"]
# No control socket: gunicorn 27 puts one per user, which two web processes on a host share.
GUNICORN_ARGS += ["--preload", "--timeout", "30", "--access-logfile", "-", "--no-control-socket"]


def main(argv: list[str] | None = None, env: Mapping[str, str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env(os.environ if env is None else env)
        command: Callable[[argparse.Namespace, Settings], int] = args.run
        return command(args, settings)
    except ConfigError as error:
        print(f"docker-explain: {error}", file=sys.stderr)
        return 2
    except KnowledgeError as error:
        print("docker-explain: the knowledge base has problems:", file=sys.stderr)
        for problem in error.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    except SlackRejected as error:
        print(f"docker-explain: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader went away (`docker-explain eval FILE | head`): stop quietly.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="docker-explain",
        description="Explains Docker concepts, in Slack or in the terminal. With no command: "
        "connects to Slack when credentials are set, otherwise starts the terminal chat.",
    )
    parser.set_defaults(run=cmd_default)
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")

    ask = sub.add_parser("ask", help="answer one question and print it")
    ask.add_argument("question", nargs="+")
    ask.add_argument("--json", action="store_true", help="print topic, score, suggestions, blocks")
    ask.set_defaults(run=cmd_ask)

    sub.add_parser("chat", help="ask questions at a prompt, without Slack").set_defaults(
        run=cmd_chat
    )

    check = sub.add_parser("check", help="validate a knowledge base; exit 1 on any problem")
    check.add_argument(
        "dir", nargs="?", type=Path, help="default: KNOWLEDGE_DIR or the bundled one"
    )
    check.add_argument("--strict", action="store_true", help="style warnings fail too")
    check.set_defaults(run=cmd_check)

    sub.add_parser(
        "index", help="check the knowledge base and cache its search index, for a build step"
    ).set_defaults(run=cmd_index)

    ev = sub.add_parser("eval", help="score the matcher on a YAML file of questions")
    ev.add_argument("file", type=Path)
    ev.add_argument("--json", action="store_true")
    ev.set_defaults(run=cmd_eval)

    gaps = sub.add_parser("gaps", help="what people asked that the bot could not answer")
    gaps.add_argument("--days", type=int, default=30)
    gaps.add_argument("--json", action="store_true")
    gaps.set_defaults(run=cmd_gaps)

    sub.add_parser("serve", help="serve Slack over HTTP with gunicorn").set_defaults(run=cmd_serve)
    sub.add_parser("socket", help="connect to Slack with Socket Mode").set_defaults(run=cmd_socket)

    manifest = sub.add_parser("manifest", help="print the Slack app manifest")
    where = manifest.add_mutually_exclusive_group()
    where.add_argument("--url", help="public https base URL of the web process")
    where.add_argument("--socket", action="store_true", help="the Socket Mode variant")
    manifest.set_defaults(run=cmd_manifest)
    return parser


def _kb(settings: Settings) -> KnowledgeBase:
    return load_indexed(settings.knowledge_dir, settings.index_cache_dir)


def cmd_default(args: argparse.Namespace, settings: Settings) -> int:
    if not settings.has_slack:
        print(texts.SLACK_HINT)
        return cmd_chat(args, settings)
    return (
        cmd_socket(args, settings) if settings.transport == "socket" else cmd_serve(args, settings)
    )


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    question = " ".join(args.question)
    reply, finding = explain(question, _kb(settings))
    if args.json:
        suggestions = list(finding.topics) if finding.outcome is Outcome.SUGGEST else []
        print(
            json.dumps(
                {
                    "topic": finding.topic,
                    "outcome": finding.outcome.value,
                    # Bonuses can lift a score past 1; shown on a 0-100 scale.
                    "score": round(min(finding.score, 1.0) * 100, 1),
                    "suggestions": suggestions,
                    "blocks": list(reply.blocks),
                },
                indent=2,
                ensure_ascii=False,
            )
        )
    else:
        print(reply.text)
    return 0


# What people type to leave a terminal prompt; none of them is a Docker question on its own.
QUIT_WORDS = frozenset({"quit", "exit", "q", ":q", "bye"})


def cmd_chat(args: argparse.Namespace, settings: Settings) -> int:
    kb = _kb(settings)
    print(texts.CHAT_WELCOME)
    offered: list[str] = []
    while True:
        try:
            question = input("docker-explain> ").strip()
        except EOFError:
            print()
            return 0
        if not question or question.lower() in QUIT_WORDS:
            return 0
        if question.isdigit() and 0 < int(question) <= len(offered):
            topic = kb.get(offered[int(question) - 1])
            question = topic.title if topic else question
        reply, finding = explain(question, kb)
        print(reply.text)
        if finding.outcome is Outcome.SUGGEST:
            offered = list(finding.topics)
        else:
            offered = [t.id for t in close_alternatives(finding, kb)]
            if offered:
                print(f"\n{texts.ALSO}")
        for number, topic_id in enumerate(offered, 1):
            print(f"  [{number}] {topic_id}")
        print()


def cmd_check(args: argparse.Namespace, settings: Settings) -> int:
    root = args.dir or settings.knowledge_dir
    kb, problems = check_knowledge(root)
    for problem in problems:
        print(problem)
    failing = [p for p in problems if args.strict or p.severity == ERROR]
    errors = sum(p.severity == ERROR for p in problems)
    summary = f"{root}: {len(kb.topics) if kb else 'no'} topics loaded, {errors} error(s), "
    print(summary + f"{len(problems) - errors} warning(s)")
    return 1 if failing else 0


def cmd_index(args: argparse.Namespace, settings: Settings) -> int:
    """For a build step: check the knowledge base (its problems fail the build, as they would
    fail the start) and cache its search index where every start then reads it."""
    kb = load_knowledge(settings.knowledge_dir)
    entry = entry_path(settings.knowledge_dir, settings.index_cache_dir)
    if not write_entry(entry, index_for(kb)):
        print(f"docker-explain: cannot write {entry}; each start will build the index")
        return 1
    print(f"{settings.knowledge_dir}: {len(kb.topics)} topics; search index cached in {entry}")
    return 0


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    report = evaluate(load_questions(args.file), _kb(settings))
    print(json.dumps(report, indent=2, ensure_ascii=False) if args.json else format_report(report))
    return 0


def cmd_gaps(args: argparse.Namespace, settings: Settings) -> int:
    from bot.gaps import build_gap_report, gap_report_json, gap_report_text
    from bot.store import open_store

    store = open_store(settings.database_url, settings.data_dir)
    try:
        store.purge(settings.retention_days)
        since = datetime.now(UTC) - timedelta(days=args.days)
        report = build_gap_report(store.records(since), args.days)
    finally:
        store.close()
    if args.json:
        print(json.dumps(gap_report_json(report), indent=2, ensure_ascii=False))
    else:
        print(gap_report_text(report), end="")
    return 0


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    settings.require("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET")
    gunicorn = shutil.which("gunicorn") or str(Path(sys.executable).with_name("gunicorn"))
    argv = [gunicorn, *GUNICORN_ARGS, "--bind", f"0.0.0.0:{settings.port}"]
    os.execv(argv[0], argv)


def cmd_socket(args: argparse.Namespace, settings: Settings) -> int:
    from slack_bolt.adapter.socket_mode import SocketModeHandler
    from slack_sdk.errors import SlackApiError

    from bot.app import build_app

    settings.require("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN")
    configure_logging(settings)
    kb = _kb(settings)
    assert settings.app_token is not None
    # The client logs a rejected app token before raising it; the line below reports it once.
    socket_logger = logging.getLogger("slack_sdk.socket_mode")
    socket_logger.addFilter(lambda record: "Failed to retrieve WSS URL" not in record.getMessage())
    try:
        handler = SocketModeHandler(
            build_app(settings, kb), settings.app_token, logger=socket_logger
        )
        keep_loaded()
        # apps.connections.open is not retried: a rejected app token raises here and the
        # process exits non-zero, so the platform restarts the worker. Once connected, the
        # client reconnects by itself.
        handler.start()  # type: ignore[no-untyped-call]
    except SlackApiError as error:
        reason = error.response.get("error") if error.response else error
        print(f"docker-explain: Slack rejected SLACK_APP_TOKEN ({reason})", file=sys.stderr)
        return 2
    return 0


def cmd_manifest(args: argparse.Namespace, settings: Settings) -> int:
    print(to_yaml(build_manifest(url=args.url, socket=args.socket)), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
