"""The docker-explain terminal, run as a person runs it: the real console script."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from bot.cli import GUNICORN_ARGS, _parser

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = Path(sys.executable).with_name("docker-explain")
SLACK_VARS = ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "KNOWLEDGE_DIR")


@pytest.fixture(autouse=True, scope="module")
def _data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The commands that answer cache the built index under DATA_DIR, ./data by default: one
    folder for this module's commands, so that its tests write nothing into the project."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DATA_DIR", str(tmp_path_factory.mktemp("data")))
        yield


def run(
    *args: str, stdin: str = "", env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in SLACK_VARS}
    return subprocess.run(
        [str(SCRIPT), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env={**clean, **(env or {})},
        cwd=cwd or ROOT,
        timeout=120,
    )


def test_ask_prints_the_answer_as_readable_text() -> None:
    done = run("ask", "what's the difference between an image and a container?")
    assert done.returncode == 0, done.stderr
    assert "Image vs container" in done.stdout
    assert "State" in done.stdout and "docker images" in done.stdout


def test_ask_json_gives_topic_score_suggestions_and_blocks() -> None:
    done = run("ask", "--json", "volumne")
    data = json.loads(done.stdout)
    assert data["topic"] == "volume" and data["suggestions"] == []
    assert 0 < data["score"] <= 100 and data["blocks"][0]["type"] == "header"
    declined = json.loads(run("ask", "--json", "what's the weather").stdout)
    assert declined["topic"] is None and declined["outcome"] == "decline"


def test_chat_answers_at_a_prompt_and_takes_a_suggestion_by_number() -> None:
    done = run("chat", stdin="what is a volume\ndelete\n1\n\n")
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("docker-explain> ") >= 3
    assert "Volumes" in done.stdout
    assert "[1]" in done.stdout


@pytest.mark.parametrize("word", ["quit", "exit", "Quit"])
def test_chat_ends_at_a_quit_word_and_answers_nothing_after_it(word: str) -> None:
    done = run("chat", stdin=f"what is a volume\n{word}\ncmd or entrypoint?\n")
    assert done.returncode == 0, done.stderr
    assert "Volumes" in done.stdout
    assert done.stdout.count("docker-explain> ") == 2  # no prompt after the quit word
    assert "ENTRYPOINT" not in done.stdout
    assert "I don't know that one" not in done.stdout


def test_no_command_and_no_slack_credentials_lands_in_chat_with_a_hint() -> None:
    done = run(stdin="cmd or entrypoint?\n")
    assert done.returncode == 0, done.stderr
    first = done.stdout.splitlines()[0]
    assert "SLACK_BOT_TOKEN" in first and "README" in first
    assert "ENTRYPOINT" in done.stdout


def test_python_dash_m_bot_is_the_same_entry_point() -> None:
    clean = {k: v for k, v in os.environ.items() if k not in SLACK_VARS}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "volumes"],
        capture_output=True,
        text=True,
        env=clean,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 0 and "Volumes" in done.stdout


def test_check_passes_on_the_real_knowledge_base() -> None:
    done = run("check", "--strict", str(ROOT / "knowledge"))
    assert done.returncode == 0, done.stdout
    assert "0 error(s), 0 warning(s)" in done.stdout


def test_check_lists_every_problem_and_exits_1(tmp_path: Path) -> None:
    bad = tmp_path / "kb" / "things"
    bad.mkdir(parents=True)
    (bad / "one.yaml").write_text("id: two\nkind: thing\n")
    (bad / "three.yaml").write_text("id: [unclosed\n")
    done = run("check", str(tmp_path / "kb"))
    assert done.returncode == 1
    assert "one.yaml:1: KB007" in done.stdout
    assert "one.yaml:2: KB013" in done.stdout
    assert "one.yaml" in done.stdout and "KB003" in done.stdout
    assert "three.yaml:2: KB001" in done.stdout


def test_a_broken_knowledge_base_stops_ask_with_every_problem(tmp_path: Path) -> None:
    bad = tmp_path / "kb" / "things"
    bad.mkdir(parents=True)
    (bad / "one.yaml").write_text("id: one\n")
    done = run("ask", "hello", env={"KNOWLEDGE_DIR": str(tmp_path / "kb")})
    assert done.returncode == 1
    assert "KB003" in done.stderr and "one.yaml" in done.stderr
    assert "Traceback" not in done.stderr


def test_eval_json_reports_the_documented_keys(tmp_path: Path) -> None:
    questions = tmp_path / "q.yaml"
    questions.write_text(
        yaml.safe_dump(
            [
                {"q": "volumne", "expect": "volume"},
                {"q": "how do i delete an image", "expect": "docker-rmi", "also": ["prune"]},
                {"q": "what's the weather", "expect": "none"},
                {"q": "tell me about terraform state", "expect": "docker-rm"},
            ]
        )
    )
    data = json.loads(run("eval", "--json", str(questions)).stdout)
    assert {"n", "top1", "top3", "declined", "misses"} <= set(data)
    assert data["n"] == 4 and data["declined"] == 1.0
    assert data["top1"] == pytest.approx(2 / 3, abs=1e-3)
    assert data["counts"]["top1"] == 2 and data["counts"]["declined"] == 1
    assert data["top3"] == pytest.approx(data["counts"]["top3"] / 3, abs=1e-6)
    assert [m["q"] for m in data["misses"]] == ["tell me about terraform state"]
    text = run("eval", str(questions)).stdout
    assert "top-1 accuracy" in text and "tell me about terraform state" in text


def test_manifest_prints_http_and_socket_variants() -> None:
    http = yaml.safe_load(run("manifest", "--url", "https://bot.example.org").stdout)
    url = "https://bot.example.org/slack/events"
    assert http["settings"]["event_subscriptions"]["request_url"] == url
    assert http["features"]["slash_commands"][0]["url"] == url
    socket = yaml.safe_load(run("manifest", "--socket").stdout)
    assert socket["settings"]["socket_mode_enabled"] is True
    assert "request_url" not in socket["settings"]["event_subscriptions"]


@pytest.mark.parametrize(
    ("command", "missing"), [("serve", "SLACK_BOT_TOKEN"), ("socket", "SLACK_BOT_TOKEN")]
)
def test_slack_commands_name_the_missing_variable_in_one_line(command: str, missing: str) -> None:
    done = run(command)
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0 and missing in done.stderr


def test_socket_without_an_app_token_names_it() -> None:
    done = run("socket", env={"SLACK_BOT_TOKEN": "xoxb-x"})
    assert done.returncode == 2 and "SLACK_APP_TOKEN" in done.stderr


def test_gaps_reports_on_an_empty_store(tmp_path: Path) -> None:
    done = run("gaps", "--days", "7", env={"DATA_DIR": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    data = json.loads(run("gaps", "--json", env={"DATA_DIR": str(tmp_path)}).stdout)
    assert data["groups"] == [] and (tmp_path / "feedback.sqlite3").exists()


def test_procfile_web_line_is_the_serve_command() -> None:
    procfile = dict(
        line.split(": ", 1) for line in (ROOT / "Procfile").read_text().splitlines() if line
    )
    assert shlex.split(procfile["web"]) == [
        "gunicorn",
        *GUNICORN_ARGS,
        "--bind",
        "0.0.0.0:$PORT",
    ]
    assert procfile["worker"] == "docker-explain socket"


def test_every_command_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = _parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    for name in commands:
        assert f"docker-explain {name}" in readme, name


def test_chat_offers_the_close_runners_up_of_an_answer_by_number() -> None:
    done = run("chat", stdin="container exited with code 137, what does that mean\n1\n\n")
    assert done.returncode == 0, done.stderr
    assert "These came close too" in done.stdout and "[1] resource-limits" in done.stdout
    assert "Limiting memory and CPU" in done.stdout  # the card typed "1" asked for
