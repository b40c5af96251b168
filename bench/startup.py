"""Start-up time of the web process (gunicorn) and the Socket Mode worker, from spawn to ready.

Run from the dev venv: .venv/bin/python bench/startup.py [--runs N]
HTTP: from spawning the Procfile's web command to the first 200 from GET /healthz.
Socket Mode: from spawning the Procfile's worker command (docker-explain socket) to its
apps.connections.open call and to the WebSocket handshake with a local server (the same
stand-ins the end-to-end tests use).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

from tests.e2e_helpers import (
    Process,
    SocketModeServer,
    child_env,
    start_web,
    web_command,
    worker_command,
)
from tests.fake_slack import Call, FakeSlack
from tests.slack_requests import SECRET


@dataclass
class TimedFakeSlack(FakeSlack):
    """The fake Web API, also noting when each call arrived (time.monotonic())."""

    arrived: list[tuple[str, float]] = field(default_factory=list)

    def _record(self, call: Call) -> None:
        self.arrived.append((call.method, time.monotonic()))
        super()._record(call)

    def first(self, method: str) -> float:
        return next(t for m, t in self.arrived if m == method)


def web_once(tmp: Path, data: Path) -> dict[str, float]:
    fake = TimedFakeSlack()
    fake.start()
    try:
        env = child_env(
            tmp,
            SLACK_BOT_TOKEN="xoxb-bench",
            SLACK_SIGNING_SECRET=SECRET,
            SLACK_API_URL=fake.api_url,
            DATA_DIR=str(data),
        )
        process, _ = start_web(env, tmp / "logs")
        ready = time.monotonic() - process.started
        process.stop()
        return {"auth.test": fake.first("auth.test") - process.started, "ready": ready}
    finally:
        fake.stop()


def socket_once(tmp: Path, data: Path) -> dict[str, float]:
    fake = TimedFakeSlack()
    fake.start()
    server = SocketModeServer().start()
    fake.socket_url = server.url
    env = child_env(
        tmp,
        SLACK_BOT_TOKEN="xoxb-bench",
        SLACK_APP_TOKEN="xapp-bench",
        SLACK_API_URL=fake.api_url,
        DATA_DIR=str(data),
    )
    process = Process(worker_command(), env, tmp / "logs")
    try:
        server.wait_connected(process)
        return {
            "auth.test": fake.first("auth.test") - process.started,
            "apps.connections.open": fake.first("apps.connections.open") - process.started,
            "connected": server.connected_at[0] - process.started,
        }
    finally:
        process.stop()
        server.stop()
        fake.stop()


def machine() -> list[str]:
    model = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return [
        f"nproc: {usable} (cpu_count {os.cpu_count()}), CPU: {model}",
        f"load average: {load}",
        f"Python {platform.python_version()}, gunicorn {version('gunicorn')}, "
        f"slack-bolt {version('slack-bolt')}, slack-sdk {version('slack-sdk')}",
    ]


def report(title: str, runs: list[dict[str, float]]) -> None:
    print(f"\n{title} ({len(runs)} runs), seconds from spawn:")
    for name in runs[0]:
        values = sorted(r[name] for r in runs)
        spread = f"min {values[0]:.3f}  max {values[-1]:.3f}"
        print(f"  {name:<24} median {statistics.median(values):.3f}  {spread}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print("\n".join(machine()))
    for name, argv in (("web", web_command(0)), ("worker", worker_command())):
        shown = " ".join([Path(argv[0]).name, *argv[1:]]).replace("127.0.0.1:0", "127.0.0.1:PORT")
        print(f"{name} command: {shown}")
    # Built: each run has a DATA_DIR of its own, so it loads, checks and indexes the knowledge
    # base. Cached: the runs share one, where a first run (not counted) cached the built index.
    runs: dict[str, list[dict[str, float]]] = {}
    with tempfile.TemporaryDirectory(prefix="startup-") as tmp:
        shared = Path(tmp) / "shared-data"
        web_once(Path(tmp) / "web-first", shared)
        for i in range(args.runs):
            for kind, once in (("web", web_once), ("socket", socket_once)):
                built = Path(tmp) / f"{kind}{i}"
                runs.setdefault(f"{kind}, built", []).append(once(built, built / "data"))
                cached = Path(tmp) / f"{kind}{i}-cached"
                runs.setdefault(f"{kind}, cached", []).append(once(cached, shared))
    for index in ("built", "cached"):
        title = f"HTTP web process, index {index}: auth.test call, first 200 from /healthz"
        report(title, runs[f"web, {index}"])
        title = f"Socket Mode worker, index {index}: auth.test, apps.connections.open, connected"
        report(title, runs[f"socket, {index}"])


if __name__ == "__main__":
    main()
