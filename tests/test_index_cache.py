"""The cache of the built search index (bot/index_cache.py), through the real web process and
the real command line: a start reads what an earlier start or `docker-explain index` cached,
and anything else (an edit, a broken knowledge base, a damaged or untrusted entry, a folder it
cannot write) is built and checked as if there were no cache."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests import slack_requests as sr
from tests.conftest import KNOWLEDGE
from tests.e2e_helpers import (
    Process,
    bin_path,
    child_env,
    edit_topic,
    free_port,
    kb_copy,
    request,
    start_web,
    web_command,
)
from tests.fake_slack import FakeSlack

FORM = "application/x-www-form-urlencoded"
BUILT = "search index built"
READ = "search index read from"
MARK = "Marker sentence for the index cache test."


def _env(tmp: Path, fake: FakeSlack, knowledge: Path) -> dict[str, str]:
    return child_env(
        tmp,
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_SIGNING_SECRET=sr.SECRET,
        SLACK_API_URL=fake.api_url,
        DATA_DIR=str(tmp / "data"),
        KNOWLEDGE_DIR=str(knowledge),
    )


def _serve_once(tmp: Path, fake: FakeSlack, knowledge: Path, run: str) -> tuple[str, Any]:
    """Start the web process, ask "what is a volume" by slash command, stop it: its log and
    the reply's JSON body."""
    process, port = start_web(_env(tmp, fake, knowledge), tmp / "logs" / run)
    try:
        body = sr.slash_command("what is a volume", fake.response_url("command"))
        reply = request(
            port, "POST", "/slack/events", body, {"Content-Type": FORM, **sr.signed_headers(body)}
        )
        assert reply.status == 200
        return process.stderr, reply.json()
    finally:
        process.stop()


def _entries(tmp: Path) -> list[Path]:
    return sorted((tmp / "data" / "index-cache").glob("index-*.pickle"))


def _edit_volume(root: Path, change: Callable[[dict[str, Any]], None]) -> None:
    edit_topic(root / "storage" / "volume.yaml", change)


def test_a_second_start_reads_the_index_the_first_cached_and_answers_the_same(
    tmp_path: Path, fake_slack: FakeSlack
) -> None:
    first_log, first = _serve_once(tmp_path, fake_slack, KNOWLEDGE, "first")
    assert BUILT in first_log and READ not in first_log
    assert len(_entries(tmp_path)) == 1
    second_log, second = _serve_once(tmp_path, fake_slack, KNOWLEDGE, "second")
    assert READ in second_log and BUILT not in second_log
    assert second["blocks"][0] == first["blocks"][0]
    assert second["text"] == first["text"] and "volume" in second["text"].lower()


def test_an_edited_knowledge_base_is_loaded_again_not_read_from_the_cache(
    tmp_path: Path, fake_slack: FakeSlack
) -> None:
    root = kb_copy(tmp_path)
    _serve_once(tmp_path, fake_slack, root, "before")
    _edit_volume(root, lambda d: d.update(summary=f"{d['summary']} {MARK}"))
    log, reply = _serve_once(tmp_path, fake_slack, root, "after")
    assert BUILT in log and READ not in log
    assert MARK in str(reply["blocks"])
    assert len(_entries(tmp_path)) == 2


def test_a_broken_knowledge_base_is_refused_though_its_earlier_version_is_cached(
    tmp_path: Path, fake_slack: FakeSlack
) -> None:
    root = kb_copy(tmp_path)
    _serve_once(tmp_path, fake_slack, root, "valid")
    _edit_volume(root, lambda d: d.pop("analogy"))
    process = Process(
        web_command(free_port()), _env(tmp_path, fake_slack, root), tmp_path / "logs" / "broken"
    )
    try:
        assert process.wait() != 0
    finally:
        process.stop()
    output = process.stdout + process.stderr
    assert "KB003" in output and "storage/volume.yaml" in output
    assert "Listening at" not in output and "Traceback" not in output


@pytest.mark.parametrize("damage", ["truncated", "garbage", "writable by others"])
def test_a_damaged_or_untrusted_entry_is_not_read_and_the_index_is_built_again(
    tmp_path: Path, fake_slack: FakeSlack, damage: str
) -> None:
    _serve_once(tmp_path, fake_slack, KNOWLEDGE, "first")
    [entry] = _entries(tmp_path)
    if damage == "truncated":
        entry.write_bytes(entry.read_bytes()[: entry.stat().st_size // 2])
    elif damage == "garbage":
        entry.write_bytes(b"\x80\x05not a pickle at all")
    else:
        entry.chmod(0o666)
    log, reply = _serve_once(tmp_path, fake_slack, KNOWLEDGE, "second")
    assert READ not in log and BUILT in log
    assert ("not this user's alone" if damage == "writable by others" else "unreadable") in log
    assert "volume" in reply["text"].lower()
    assert "Traceback" not in log
    # The entry was written again, whole and private, and the next start reads it.
    assert entry.stat().st_mode & 0o077 == 0
    log, _ = _serve_once(tmp_path, fake_slack, KNOWLEDGE, "third")
    assert READ in log


def test_a_cache_folder_that_cannot_be_made_is_logged_and_the_bot_still_serves(
    tmp_path: Path, fake_slack: FakeSlack
) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "index-cache").write_text("a file where the folder would go")
    log, reply = _serve_once(tmp_path, fake_slack, KNOWLEDGE, "only")
    assert "cannot cache the search index" in log
    assert "volume" in reply["text"].lower()


def _cli(tmp: Path, *args: str, knowledge: Path = KNOWLEDGE) -> subprocess.CompletedProcess[str]:
    env = child_env(tmp, DATA_DIR=str(tmp / "data"), KNOWLEDGE_DIR=str(knowledge))
    return subprocess.run(
        [bin_path("docker-explain"), *args],
        env=env,
        cwd=tmp,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_index_command_caches_the_index_that_ask_then_reads(tmp_path: Path) -> None:
    made = _cli(tmp_path, "index")
    assert made.returncode == 0, made.stderr
    [entry] = _entries(tmp_path)
    assert str(entry.relative_to(tmp_path)) in made.stdout
    written = entry.stat().st_mtime_ns
    asked = _cli(tmp_path, "ask", "what is a volume")
    assert asked.returncode == 0 and "volume" in asked.stdout.lower()
    assert _entries(tmp_path) == [entry] and entry.stat().st_mtime_ns == written


def test_the_index_command_fails_on_a_broken_knowledge_base_and_caches_nothing(
    tmp_path: Path,
) -> None:
    root = kb_copy(tmp_path)
    _edit_volume(root, lambda d: d.pop("analogy"))
    made = _cli(tmp_path, "index", knowledge=root)
    assert made.returncode == 1
    assert "KB003" in made.stderr and "storage/volume.yaml" in made.stderr
    assert _entries(tmp_path) == []


def test_only_the_newest_entries_are_kept(tmp_path: Path) -> None:
    root = kb_copy(tmp_path)
    for n in range(5):
        _edit_volume(root, lambda d, n=n: d.update(summary=f"{d['summary']} Edit {n}."))
        assert _cli(tmp_path, "index", knowledge=root).returncode == 0
    kept = _entries(tmp_path)
    assert len(kept) == 3
    current = _cli(tmp_path, "index", knowledge=root).stdout
    assert any(str(e.relative_to(tmp_path)) in current for e in kept)


def test_the_build_hook_checks_the_knowledge_base_and_caches_the_index(tmp_path: Path) -> None:
    hook = Path(__file__).resolve().parent.parent / "bin" / "post_compile"
    env = child_env(tmp_path)
    env["PATH"] = f"{Path(bin_path('docker-explain')).parent}:{env.get('PATH', '')}"
    done = subprocess.run(
        [hook], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    [entry] = sorted((tmp_path / "data" / "index-cache").glob("index-*.pickle"))
    assert str(entry.relative_to(tmp_path)) in done.stdout


def test_the_index_command_says_so_and_fails_when_it_cannot_write_the_cache(
    tmp_path: Path,
) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "index-cache").write_text("a file where the folder would go")
    made = _cli(tmp_path, "index")
    assert made.returncode == 1
    assert "cannot write" in made.stdout and "each start will build the index" in made.stdout
    assert "Traceback" not in made.stderr
