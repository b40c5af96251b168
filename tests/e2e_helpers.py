"""End-to-end helpers: start the real web and worker processes; speak HTTP and Socket Mode."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import queue
import shlex
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from websockets.exceptions import ConnectionClosed
from websockets.sync.server import Server, ServerConnection, serve

from bot.cli import GUNICORN_ARGS
from tests.conftest import KNOWLEDGE
from tests.fake_slack import Call, FakeSlack

ROOT = Path(__file__).resolve().parent.parent
PROCFILE = ROOT / "Procfile"
VENV_BIN = ROOT / ".venv" / "bin"
START_TIMEOUT = 60.0  # a loaded 2-core machine can take a while to import Bolt and the index
STOP_TIMEOUT = 15.0

# Variables a developer's shell may carry that would change what the child processes do.
# Proxies are dropped so that every call to 127.0.0.1 really goes to 127.0.0.1.
_DROPPED_PREFIXES = ("SLACK_",)
_DROPPED = {
    "KNOWLEDGE_DIR",
    "DATA_DIR",
    "DATABASE_URL",
    "PORT",
    "LOG_LEVEL",
    "FEEDBACK_RETENTION_DAYS",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
}


def bin_path(name: str) -> str:
    """A console script from the project's venv (the one running the tests as a fallback)."""
    for folder in (VENV_BIN, Path(sys.executable).parent):
        if (folder / name).exists():
            return str(folder / name)
    raise FileNotFoundError(f"{name} is not installed in {VENV_BIN}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def child_env(run_dir: Path, **settings: str | None) -> dict[str, str]:
    """The environment for a child process: the test's own settings, nothing inherited from Slack.

    gunicorn 27 opens a control socket under $XDG_RUNTIME_DIR (else $HOME/.gunicorn); pointing
    it at run_dir keeps concurrent test servers from sharing one.
    """
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in _DROPPED and not k.startswith(_DROPPED_PREFIXES)
    }
    env.update(XDG_RUNTIME_DIR=str(run_dir), NO_PROXY="127.0.0.1,localhost", PYTHONUNBUFFERED="1")
    env.update({k: v for k, v in settings.items() if v is not None})
    return env


def kb_copy(tmp_path: Path) -> Path:
    """A copy of the real knowledge base under tmp_path, for a test to change."""
    root = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, root)
    return root


def edit_topic(path: Path, change: Callable[[dict[str, Any]], None]) -> None:
    """Load a topic file, let change() edit its data, write it back."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def web_command(port: int) -> list[str]:
    """The Procfile's web: line when there is one, else gunicorn with bot.cli.GUNICORN_ARGS.

    $PORT is filled in and the bind address narrowed to 127.0.0.1 (tests stay on loopback).
    """
    line = _procfile_line("web")
    if line is None:
        return [bin_path("gunicorn"), *GUNICORN_ARGS, "--bind", f"127.0.0.1:{port}"]
    argv = [
        word.replace("${PORT}", str(port))
        .replace("$PORT", str(port))
        .replace("0.0.0.0", "127.0.0.1")
        for word in shlex.split(line)
    ]
    argv[0] = bin_path(argv[0])
    return argv


def worker_command() -> list[str]:
    """The Procfile's worker: line when there is one, else `docker-explain socket`."""
    line = _procfile_line("worker")
    argv = shlex.split(line) if line else ["docker-explain", "socket"]
    argv[0] = bin_path(argv[0])
    return argv


def _procfile_line(kind: str) -> str | None:
    if not PROCFILE.exists():
        return None
    for raw in PROCFILE.read_text(encoding="utf-8").splitlines():
        name, _, command = raw.partition(":")
        if name.strip() == kind and command.strip():
            return command.strip()
    return None


@dataclass
class Process:
    """A child process whose stdout and stderr go to files, so it can never block on a pipe."""

    argv: list[str]
    env: Mapping[str, str]
    logs: Path
    popen: subprocess.Popen[bytes] = field(init=False)
    started: float = field(init=False)

    def __post_init__(self) -> None:
        self.logs.mkdir(parents=True, exist_ok=True)
        self._out = open(self.logs / "stdout.log", "wb")  # noqa: SIM115 - closed in stop()
        self._err = open(self.logs / "stderr.log", "wb")  # noqa: SIM115 - closed in stop()
        self.started = time.monotonic()
        self.popen = subprocess.Popen(
            self.argv,
            env=dict(self.env),
            cwd=self.logs,
            stdin=subprocess.DEVNULL,
            stdout=self._out,
            stderr=self._err,
        )

    @property
    def stdout(self) -> str:
        return (self.logs / "stdout.log").read_text(encoding="utf-8", errors="replace")

    @property
    def stderr(self) -> str:
        return (self.logs / "stderr.log").read_text(encoding="utf-8", errors="replace")

    def is_running(self) -> bool:
        return self.popen.poll() is None

    def wait(self, timeout: float = START_TIMEOUT) -> int:
        """The exit code; fails the test if the process is still running after `timeout`."""
        try:
            return self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            self.stop()
            raise AssertionError(f"{self.argv[0]} did not exit within {timeout}s") from None

    def stop(self) -> None:
        if self.popen.poll() is None:
            self.popen.terminate()
            try:
                self.popen.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(STOP_TIMEOUT)
        self._out.close()
        self._err.close()

    def describe(self) -> str:
        return f"exit code {self.popen.poll()}\nstdout:\n{self.stdout}\nstderr:\n{self.stderr}"


@dataclass(frozen=True)
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def request(
    port: int,
    method: str,
    path: str,
    body: bytes | str = b"",
    headers: Mapping[str, str] | None = None,
    timeout: float = 30.0,
) -> Response:
    """One HTTP request to 127.0.0.1 over a fresh connection (no proxies, no retries)."""
    data = body.encode() if isinstance(body, str) else body
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=data or None, headers=dict(headers or {}))
        reply = connection.getresponse()
        return Response(reply.status, {k.lower(): v for k, v in reply.getheaders()}, reply.read())
    finally:
        connection.close()


def wait_until_healthy(process: Process, port: int, timeout: float = START_TIMEOUT) -> float:
    """Poll GET /healthz until it answers 200; the seconds that took from process start."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not process.is_running():
            raise AssertionError(f"the web process exited before serving:\n{process.describe()}")
        try:
            if request(port, "GET", "/healthz", timeout=2).status == 200:
                return time.monotonic() - process.started
        except OSError:
            pass
        time.sleep(0.02)
    raise AssertionError(f"/healthz did not answer 200 within {timeout}s:\n{process.describe()}")


def start_web(env: Mapping[str, str], logs: Path, port: int | None = None) -> tuple[Process, int]:
    """The real web process on a free loopback port; returns once /healthz answers 200."""
    for _ in range(3):  # another process may take the free port before gunicorn binds it
        chosen = port or free_port()
        process = Process(web_command(chosen), env, logs)
        try:
            wait_until_healthy(process, chosen)
            return process, chosen
        except AssertionError:
            process.stop()
            if port is not None or "Address already in use" not in process.stderr:
                raise
    raise AssertionError(f"no free port for the web process:\n{process.describe()}")


class SocketModeServer:
    """A local stand-in for Slack's Socket Mode WebSocket endpoint, on 127.0.0.1.

    Each connection is greeted with `hello`, as Slack does; everything the client sends (the
    envelope acknowledgements) is collected and can be awaited by envelope_id.
    """

    def __init__(self) -> None:
        self.connected_at: list[float] = []  # time.monotonic() of each handshake
        self.received: queue.Queue[dict[str, Any]] = queue.Queue()
        self.messages: list[dict[str, Any]] = []
        self.connections: list[ServerConnection] = []
        self.paths: list[str] = []
        self._lock = threading.Lock()
        self._server: Server | None = None

    def start(self) -> SocketModeServer:
        self._server = serve(self._handle, "127.0.0.1", 0, ping_interval=None)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"ws://127.0.0.1:{self._server.socket.getsockname()[1]}/link"

    def _handle(self, connection: ServerConnection) -> None:
        opened = time.monotonic()
        connection.send(json.dumps(hello()))  # before anything else, as Slack does
        with self._lock:
            self.connected_at.append(opened)
            self.connections.append(connection)
            self.paths.append(connection.request.path if connection.request else "")
        try:
            for raw in connection:
                try:
                    message = json.loads(raw)
                except ValueError:
                    message = {"unparsed": raw}
                with self._lock:
                    self.messages.append(message)
                self.received.put(message)
        except ConnectionClosed:
            pass

    def wait_connected(
        self, process: Process | None = None, count: int = 1, timeout: float = START_TIMEOUT
    ) -> None:
        """Wait until `count` connections have been opened in all (the first one by default)."""
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                if len(self.connections) >= count:
                    return
            if process is not None and not process.is_running():
                raise AssertionError(f"the worker exited before connecting:\n{process.describe()}")
            if time.monotonic() > deadline:
                detail = process.describe() if process else ""
                raise AssertionError(f"no Socket Mode connection #{count} in {timeout}s\n{detail}")
            time.sleep(0.02)

    def send(self, envelope: dict[str, Any]) -> None:
        """Send to the newest connection (Slack sends each envelope to one connection)."""
        with self._lock:
            connection = self.connections[-1]
        connection.send(json.dumps(envelope))

    def wait_ack(self, envelope_id: str, timeout: float = 20.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                for message in self.messages:
                    if message.get("envelope_id") == envelope_id:
                        return message
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"envelope {envelope_id} was not acknowledged in {timeout}s")
            with contextlib.suppress(queue.Empty):
                self.received.get(timeout=min(left, 0.2))

    def acks(self, envelope_id: str) -> list[dict[str, Any]]:
        with self._lock:
            return [m for m in self.messages if m.get("envelope_id") == envelope_id]


def hello() -> dict[str, Any]:
    """The first message Slack sends on a new Socket Mode connection."""
    return {
        "type": "hello",
        "num_connections": 1,
        "debug_info": {"host": "applink-test", "approximate_connection_time": 18060},
        "connection_info": {"app_id": "A0APP0001"},
    }


def events_api(body: dict[str, Any], envelope_id: str, retry_attempt: int = 0) -> dict[str, Any]:
    """An Events API envelope around an event_callback body, as Socket Mode delivers it."""
    return {
        "envelope_id": envelope_id,
        "type": "events_api",
        "payload": body,
        "accepts_response_payload": False,
        "retry_attempt": retry_attempt,
        "retry_reason": "timeout" if retry_attempt else "",
    }


def slash_commands(fields: dict[str, str], envelope_id: str) -> dict[str, Any]:
    """A slash command envelope: the form fields as a JSON object; the ack may carry the answer."""
    return {
        "envelope_id": envelope_id,
        "type": "slash_commands",
        "payload": fields,
        "accepts_response_payload": True,
    }


def posts(fake: FakeSlack, channel: str, thread_ts: str | None = None) -> list[Call]:
    """The chat.postMessage calls to `channel` (and to `thread_ts`, if given) so far."""
    return [
        c
        for c in fake.of("chat.postMessage")
        if c.params.get("channel") == channel
        and (thread_ts is None or c.params.get("thread_ts") == thread_ts)
    ]


def wait_posts(
    fake: FakeSlack, channel: str, thread_ts: str | None = None, timeout: float = 30.0
) -> list[Call]:
    """Wait until at least one chat.postMessage reached `channel` (in `thread_ts`, if given)."""
    count = len(fake.of("chat.postMessage"))
    while not posts(fake, channel, thread_ts):
        fake.wait_for("chat.postMessage", count + 1, timeout=timeout)
        count += 1
    return posts(fake, channel, thread_ts)
