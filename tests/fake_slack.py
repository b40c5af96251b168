"""A fake Slack Web API on 127.0.0.1: answers like Slack, records every call for the tests.

The bot reaches it through SLACK_API_URL (WebClient base_url). It also serves `response_url`s
(POST /response/<name>) so button and slash-command follow-ups can be checked the same way.
Slack itself is out of reach in tests; this is the only thing that stands in for it.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

BOT_USER = "UBOTUSER1"
BOT_ID = "BBOTID001"
TEAM = "T0TEAM001"


@dataclass(frozen=True)
class Call:
    method: str  # Web API method ("chat.postMessage") or "response:<name>"
    params: dict[str, Any]
    headers: dict[str, str]


Reply = tuple[int, dict[str, Any], dict[str, str]]


@dataclass
class FakeSlack:
    calls: list[Call] = field(default_factory=list)
    socket_url: str | None = None  # what apps.connections.open hands out
    _queued: dict[str, list[Reply]] = field(default_factory=dict)
    _lock: threading.Condition = field(default_factory=threading.Condition)

    def start(self) -> FakeSlack:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode("utf-8")
                params = _parse(raw, self.headers.get("Content-Type", ""))
                auth = self.headers.get("Authorization", "")
                if auth.startswith("Bearer ") and "token" not in params:
                    params["token"] = auth[len("Bearer ") :]
                path = self.path.split("?")[0]
                if path.startswith("/response/"):
                    method = "response:" + path[len("/response/") :]
                else:
                    method = path.rsplit("/", 1)[-1]
                status, body, headers = fake._reply(method, params)
                fake._record(Call(method, params, dict(self.headers.items())))
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        # A short poll interval: shutdown() waits for the serve loop to notice it.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def api_url(self) -> str:
        """The SLACK_API_URL to give the bot (WebClient appends the method name)."""
        return f"http://127.0.0.1:{self.port}/api/"

    def response_url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.port}/response/{name}"

    def queue(self, method: str, status: int, body: dict[str, Any], **headers: str) -> None:
        """Answer the next call of `method` with this reply instead of the default."""
        with self._lock:
            self._queued.setdefault(method, []).append((status, body, headers))

    def of(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 10.0) -> list[Call]:
        """Block until `count` calls of `method` arrived; fail the test if they don't."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                found = [c for c in self.calls if c.method == method]
                if len(found) >= count:
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = sorted({c.method for c in self.calls})
                    raise AssertionError(f"expected {count} {method} call(s); saw {seen}")
                self._lock.wait(left)

    def wait_quiet(self, seconds: float = 1.0) -> None:
        """Give the bot time to make any further (unexpected) calls."""
        time.sleep(seconds)

    def _record(self, call: Call) -> None:
        with self._lock:
            self.calls.append(call)
            self._lock.notify_all()

    def _reply(self, method: str, params: dict[str, Any]) -> Reply:
        with self._lock:
            queued = self._queued.get(method)
            if queued:
                return queued.pop(0)
        return 200, _default(method, params, self.socket_url), {}


def _parse(raw: str, content_type: str) -> dict[str, Any]:
    if not raw:
        return {}
    if content_type.startswith("application/json"):
        data = json.loads(raw)
        return data if isinstance(data, dict) else {"_": data}
    parsed: dict[str, Any] = {k: v[0] for k, v in parse_qs(raw).items()}
    for key in ("blocks", "view", "attachments"):
        if isinstance(parsed.get(key), str):
            parsed[key] = json.loads(parsed[key])
    return parsed


def _default(method: str, params: dict[str, Any], socket_url: str | None) -> dict[str, Any]:
    answers: dict[str, Callable[[], dict[str, Any]]] = {
        "auth.test": lambda: {
            "ok": True,
            "url": "https://example.slack.com/",
            "team": "Example",
            "user": "docker-explain",
            "team_id": TEAM,
            "user_id": BOT_USER,
            "bot_id": BOT_ID,
        },
        "chat.postMessage": lambda: {
            "ok": True,
            "channel": params.get("channel"),
            "ts": f"{time.time():.6f}",
            "message": {"text": params.get("text"), "bot_id": BOT_ID},
        },
        "views.publish": lambda: {"ok": True, "view": {"id": "V0VIEW001"}},
        "apps.connections.open": lambda: {"ok": True, "url": socket_url or ""},
    }
    return answers.get(method, lambda: {"ok": True})()
