"""Every docker command line in the knowledge base passes the Docker CLI's argument parser."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import socket
import subprocess
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from tests.conftest import KNOWLEDGE

DOCKER = shutil.which("docker")
NO_DOCKER = "no docker binary installed: knowledge-base commands not checked by the real CLI"
TIMEOUT = 60  # seconds per docker invocation; each takes milliseconds unless the machine is busy

# Plausible values for the placeholders, so the parser sees what a person would type.
PLACEHOLDERS = {
    "argument": "--version",
    "command": "sh",
    "container": "web",
    "context": "staging",
    "digest": "0123456789abcdef" * 4,
    "file": "app.conf",
    "host": "build-host",
    "image": "nginx",
    "key": "team",
    "message": "add the config file",
    "name": "myapp",
    "network": "app-net",
    "path": "app",
    "port": "8080",
    "registry": "registry.example.com",
    "service": "web",
    "stage": "build",
    "tag": "1.27",
    "user": "alice",
    "value": "backend",
    "volume": "app-data",
}
PLACEHOLDER = re.compile(r"<([a-z0-9]+(?:-[a-z0-9]+)*)>")
# What a `$(...)` stands for once the shell has run it: a docker command prints ids.
SUBSTITUTIONS = {"pwd": "/home/alice/app", "id -u": "1000", "id -g": "1000"}
IDS = "3f2a9c1b7d4e"

SEPARATORS = {"|", "||", "&&", ";", "&", "|&"}
REDIRECTIONS = {"<", ">", ">>", ">&", "<&", "&>", "&>>", ">|", "<<", "<<<"}

# The docker CLI's own options, before the command; True: takes a value.
DOCKER_OPTIONS = {
    "-c": True,
    "--context": True,
    "-D": False,
    "--debug": False,
    "-l": True,
    "--log-level": True,
    "--tls": False,
    "--tlsverify": False,
    "--tlscacert": True,
    "--tlscert": True,
    "--tlskey": True,
}
# Options that would point the CLI outside this test's sandbox: never run.
SANDBOX_ESCAPES = {"--config", "-H", "--host"}

# The parser said no. Anything else that is not accepted below fails too, as unrecognised.
PARSER_ERRORS = re.compile(
    r"unknown (?:command|flag|shorthand flag)|is not a docker command"
    r"|requires (?:at least |exactly |at most )?\d+ arguments?"
    r"|accepts (?:no|at most \d+|between \d+ and \d+) arguments?"
    r"|invalid argument|flag needs an argument|bad flag syntax|^Usage:"
    r"|invalid reference format|template pars|failed to parse template",
    re.MULTILINE,
)
# The command was parsed and failed later, for want of a daemon, a terminal or a local file.
RUNTIME_ERRORS = re.compile(
    r"Cannot connect to the Docker daemon|error during connect|the input device is not a TTY"
    r"|Cannot perform an interactive login from a non TTY device|context not found"
    r"|no such file or directory|unable to prepare context"
    # `--device` is parsed, then checked against the daemon's OS, which is unknown without one.
    r"|unknown server OS"
)


@dataclass(frozen=True)
class Spec:
    """A plugin command: its flags ('=' marks one that takes a value), argument count, children.

    Flags of a command are valid on its sub-commands too, as Cobra's persistent flags are.
    """

    flags: str = ""
    args: tuple[int, int | None] = (0, None)
    commands: Mapping[str, Spec] = field(default_factory=dict)
    interspersed: bool = True  # False: flags end at the first argument (exec, run)

    def options(self) -> dict[str, bool]:
        return {f.rstrip("="): f.endswith("=") for f in (self.flags + " -h --help").split()}


ANY = (0, None)
# Docker Compose v2 (2.3x); https://docs.docker.com/reference/cli/docker/compose/
COMPOSE = Spec(
    "--ansi= --compatibility --dry-run --env-file= -f= --file= --parallel= --profile= "
    "--progress= --project-directory= -p= --project-name= --all-resources",
    commands={
        "attach": Spec("--detach-keys= --index= --no-stdin --sig-proxy", (1, 1)),
        "build": Spec(
            "--build-arg= --builder= --check -m= --memory= --no-cache --print --provenance= "
            "--pull --push -q --quiet --sbom= --ssh= --with-dependencies"
        ),
        "commit": Spec("-a= --author= -c= --change= --index= -m= --message= -p --pause", (1, 2)),
        "config": Spec(
            "--environment --format= --hash= --images --networks --no-consistency "
            "--no-interpolate --no-normalize --no-path-resolution -o= --output= --profiles -q "
            "--quiet --resolve-image-digests --services --variables --volumes"
        ),
        "cp": Spec("-a --archive -L --follow-link --index=", (2, 2)),
        "create": Spec(
            "--build --force-recreate --no-build --no-recreate --pull= --quiet-pull "
            "--remove-orphans --scale= -y --yes"
        ),
        "down": Spec("--remove-orphans --rmi= -t= --timeout= -v --volumes"),
        "events": Spec("--json --since= --until="),
        "exec": Spec(
            "-d --detach -e= --env= --index= -T --no-TTY --privileged -u= --user= -w= "
            "--workdir= -i --interactive -t --tty",
            (2, None),
            interspersed=False,
        ),
        "export": Spec("--index= -o= --output=", (1, 1)),
        "images": Spec("--format= -q --quiet"),
        "kill": Spec("--remove-orphans -s= --signal="),
        "logs": Spec(
            "-f --follow --index= --no-color --no-log-prefix --since= -n= --tail= -t "
            "--timestamps --until="
        ),
        "ls": Spec("-a --all --filter= --format= -q --quiet", (0, 0)),
        "pause": Spec(),
        "port": Spec("--index= --protocol=", (2, 2)),
        "ps": Spec(
            "-a --all --filter= --format= --no-trunc --orphans -q --quiet --services --status="
        ),
        "pull": Spec(
            "--ignore-buildable --ignore-pull-failures --include-deps --policy= -q --quiet"
        ),
        "push": Spec("--ignore-push-failures --include-deps -q --quiet"),
        "restart": Spec("--no-deps -t= --timeout="),
        "rm": Spec("-f --force -s --stop -v --volumes"),
        "run": Spec(
            "--build --cap-add= --cap-drop= -d --detach --entrypoint= -e= --env= "
            "--env-from-file= -i --interactive -l= --label= --name= -T --no-TTY --no-deps "
            "-p= --publish= --pull= -q --quiet --quiet-build --quiet-pull --remove-orphans --rm "
            "-P --service-ports --use-aliases -u= --user= -v= --volume= -w= --workdir= -t --tty",
            (1, None),
            interspersed=False,
        ),
        "scale": Spec("--no-deps", (1, None)),
        "start": Spec("--wait --wait-timeout="),
        "stats": Spec("-a --all --format= --no-stream --no-trunc", (0, 1)),
        "stop": Spec("-t= --timeout="),
        "top": Spec(),
        "unpause": Spec(),
        "up": Spec(
            "--abort-on-container-exit --abort-on-container-failure --always-recreate-deps "
            "--attach= --attach-dependencies --build -d --detach --exit-code-from= "
            "--force-recreate --menu --no-attach= --no-build --no-color --no-deps "
            "--no-log-prefix --no-recreate --no-start --pull= --quiet-build --quiet-pull "
            "--remove-orphans -V --renew-anon-volumes --scale= -t= --timeout= --timestamps "
            "--wait --wait-timeout= -w --watch -y --yes"
        ),
        "version": Spec("-f= --format= --short", (0, 0)),
        "volumes": Spec("--format= -q --quiet"),
        "wait": Spec("--down-project", (1, None)),
        "watch": Spec("--no-up --prune --quiet"),
    },
)
# buildx build, which is what `docker build` runs in current Docker.
BUILDX_BUILD = Spec(
    "--add-host= --allow= --annotation= --attest= --build-arg= --build-context= --builder= "
    "--cache-from= --cache-to= --call= --cgroup-parent= --check -f= --file= --iidfile= "
    "--label= --load --metadata-file= --network= --no-cache --no-cache-filter= -o= --output= "
    "--platform= --progress= --provenance= --pull --push -q --quiet --sbom= --secret= "
    "--shm-size= --ssh= -t= --tag= --target= --ulimit= -D --debug "
    # accepted for compatibility with the legacy builder
    "--compress --cpu-period= --cpu-quota= -c= --cpu-shares= --cpuset-cpus= --cpuset-mems= "
    "--force-rm --isolation= -m= --memory= --memory-swap= --rm --security-opt= --squash "
    "--disable-content-trust",
    (1, 1),
)
# Docker Buildx 0.2x; https://docs.docker.com/reference/cli/docker/buildx/
BUILDX = Spec(
    "--builder= -D --debug",
    commands={
        "bake": Spec(
            "--allow= --call= --check -f= --file= --list= --load --metadata-file= --no-cache "
            "--print --progress= --provenance= --pull --push --sbom= --set="
        ),
        "build": BUILDX_BUILD,
        "b": BUILDX_BUILD,
        "create": Spec(
            "--append --bootstrap --buildkitd-config= --buildkitd-flags= --config= --driver= "
            "--driver-opt= --leave --name= --node= --platform= --timeout= --use",
            (0, 1),
        ),
        "du": Spec("--filter= --format= --verbose", (0, 0)),
        "imagetools": Spec(
            commands={
                "create": Spec(
                    "--annotation= --append --dry-run -f= --file= -p= --progress= "
                    "--prefer-index -t= --tag="
                ),
                "inspect": Spec("--format= --raw", (1, 1)),
            }
        ),
        "inspect": Spec("--bootstrap", (0, 1)),
        "ls": Spec("--format= --no-trunc", (0, 0)),
        "prune": Spec(
            "-a --all --filter= -f --force --keep-storage= --max-used-space= "
            "--min-free-space= --reserved-space= --verbose",
            (0, 0),
        ),
        "rm": Spec("--all-inactive -f --force --keep-daemon --keep-state"),
        "stop": Spec(args=(0, 1)),
        "use": Spec("--default --global", (1, 1)),
        "version": Spec(args=(0, 0)),
    },
)
# docker init; https://docs.docker.com/reference/cli/docker/init/
INIT = Spec("--version", (0, 0))
_SCOUT_TARGET = "--org= -o= --output= --platform= --ref= --env= "
# Docker Scout; https://docs.docker.com/reference/cli/docker/scout/
SCOUT = Spec(
    "--debug --verbose-debug",
    commands={
        "compare": Spec(
            _SCOUT_TARGET + "--to= --to-env= --to-latest --to-ref= --format= --ignore-base "
            "--ignore-unchanged --multi-stage --only-fixed --only-package-type= "
            "--only-policy= --only-severity= -x= --exit-on=",
            (0, 1),
        ),
        "cves": Spec(
            _SCOUT_TARGET + "--details -e --exit-code --epss --epss-percentile= --epss-score= "
            "--format= --ignore-base --ignore-suppressed --locations --multi-stage "
            "--only-base --only-cisa-kev --only-cve-id= --only-fixed --only-package= "
            "--only-package-type= --only-severity= --only-unfixed --only-vex-affected "
            "--vex --vex-author= --vex-location=",
            (0, 1),
        ),
        "quickview": Spec(
            _SCOUT_TARGET + "--ignore-base --ignore-suppressed --latest --only-policy= "
            "--only-vex-affected --vex-author= --vex-location=",
            (0, 1),
        ),
        "recommendations": Spec(_SCOUT_TARGET + "--only-refresh --only-update --tag=", (0, 1)),
        "sbom": Spec(_SCOUT_TARGET + "--format= --only-package-type=", (0, 1)),
        "version": Spec(args=(0, 0)),
    },
)
PLUGINS = {"compose": COMPOSE, "buildx": BUILDX, "init": INIT, "scout": SCOUT}
ALIASES = {"qv": "quickview"}
BUILD_COMMANDS = (("build",), ("image", "build"), ("builder", "build"))


def knowledge_commands() -> list[tuple[str, str]]:
    """(topic id, command line) for every command in the knowledge base, read as plain YAML."""
    found = []
    for path in sorted(KNOWLEDGE.glob("*/*.yaml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError:
            continue  # the loader's tests report it
        if not isinstance(data, dict):
            continue
        for command in data.get("commands") or []:
            if isinstance(command, dict) and isinstance(command.get("run"), str):
                found.append((path.stem, command["run"].strip()))
    return found


def fill_placeholders(line: str) -> str:
    unknown = sorted({n for n in PLACEHOLDER.findall(line) if n not in PLACEHOLDERS})
    assert not unknown, f"add a plausible value for {unknown} to PLACEHOLDERS ({line})"
    return PLACEHOLDER.sub(lambda m: PLACEHOLDERS[m.group(1)], line)


def command_substitutions(line: str) -> tuple[str, list[str]]:
    """The line with each `$(...)` replaced by a plausible output, and the inner commands."""
    inner: list[str] = []
    while (start := line.rfind("$(")) >= 0:
        depth, end = 0, start + 1
        for end in range(start + 1, len(line)):
            depth += {"(": 1, ")": -1}.get(line[end], 0)
            if depth == 0:
                break
        assert depth == 0, f"unbalanced $( in {line!r}"
        command = line[start + 2 : end].strip()
        inner.append(command)
        output = SUBSTITUTIONS.get(command, IDS if command.startswith("docker") else "value")
        line = line[:start] + output + line[end + 1 :]
    return line, inner


def simple_commands(line: str) -> list[list[str]]:
    """The words of each simple command of a shell line: pipes, lists and redirections split."""
    lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    commands: list[list[str]] = [[]]
    skip_target = False
    for token in lexer:
        if skip_target:
            skip_target = False
        elif token in SEPARATORS:
            commands.append([])
        elif token in REDIRECTIONS:
            # "2>&1": the lexer gives "2", ">&", "1"; a lone number before a redirection is
            # the descriptor, not an argument.
            if commands[-1] and commands[-1][-1].isdigit():
                commands[-1].pop()
            skip_target = True
        else:
            commands[-1].append(token)
    return [words for words in commands if words]


def docker_parts(line: str) -> list[list[str]]:
    """Each `docker ...` simple command in a knowledge-base line, placeholders filled in."""
    pending, parts = [fill_placeholders(line)], []
    while pending:
        text, inner = command_substitutions(pending.pop())
        pending += inner
        for words in simple_commands(text):
            while words and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*=.*", words[0]):
                words = words[1:]  # VAR=value before the command
            if words and words[0] == "docker":
                parts.append(words)
    return parts


def split_docker_options(words: list[str]) -> tuple[list[str], list[str]]:
    """(the docker CLI's own options, the command and what follows) of `docker ...` words."""
    i = 1
    while i < len(words) and words[i].startswith("-"):
        name = words[i].split("=", 1)[0]
        i += 2 if DOCKER_OPTIONS.get(name) and "=" not in words[i] else 1
    return words[1:i], words[i:]


def check_plugin(words: list[str]) -> str | None:
    """None when a plugin command line fits the table; otherwise what is wrong with it."""
    spec, path = PLUGINS[words[0]], [words[0]]
    options = spec.options()
    args: list[str] = []
    tokens = iter(words[1:])
    flags_done = False
    for token in tokens:
        if token == "--" and not flags_done:
            flags_done = True
            continue
        if flags_done or token == "-" or not token.startswith("-"):
            if spec.commands and not args:
                name = ALIASES.get(token, token)
                if name not in spec.commands:
                    return f"unknown command: docker {' '.join(path)} {token}"
                spec, path = spec.commands[name], [*path, name]
                options |= spec.options()
                continue
            args.append(token)
            flags_done = flags_done or not spec.interspersed
            continue
        if token.startswith("--"):
            name, has_value = token.split("=", 1)[0], "=" in token
            if name not in options:
                return f"unknown flag: {name} for docker {' '.join(path)}"
            if options[name] and not has_value and next(tokens, None) is None:
                return f"flag needs an argument: {name}"
            continue
        for i, letter in enumerate(token[1:], 1):
            name = "-" + letter
            if name not in options:
                return f"unknown shorthand flag: {letter!r} in {token} for docker {' '.join(path)}"
            if options[name]:
                if i == len(token) - 1 and next(tokens, None) is None:
                    return f"flag needs an argument: {name}"
                break
    if spec.commands:
        return f"docker {' '.join(path)} needs a sub-command"
    low, high = spec.args
    if len(args) < low or (high is not None and len(args) > high):
        wanted = f"{low} to {high}" if high is not None else f"at least {low}"
        return f"docker {' '.join(path)} takes {wanted} arguments, got {args}"
    return None


def without_flag(words: list[str], flag: str, takes_value: bool) -> list[str]:
    """The words with every use of one flag (and its value) taken out."""
    kept: list[str] = []
    skip = False
    for word in words:
        if skip:
            skip = False
        elif word == flag:
            skip = takes_value
        elif not (word.startswith(flag + "=") or (len(flag) == 2 and word.startswith(flag))):
            kept.append(word)
    return kept


# Local files the commands name, so the CLI reads them and goes on to check the rest; a file
# that is missing would stop it before it validates the flags that follow.
SANDBOX_FILES = {
    "Dockerfile": 'FROM alpine:3.22\nCMD ["sh"]\n',
    "app/Dockerfile": "FROM alpine:3.22\n",
    "compose.yaml": "services:\n  web:\n    image: nginx:1.27\n",
    "app.env": "APP_ENV=production\n",
    "config.yml": "debug: false\n",
    "app.conf": "secret\n",
}


@dataclass
class Sandbox:
    """Where docker runs: no daemon, no plugins, no network, config and files all in tmp."""

    root: Path
    proxy: str

    def env(self) -> dict[str, str]:
        home, config, bin_dir = self.root / "home", self.root / "config", self.root / "bin"
        for folder in (home, config, bin_dir, self.cwd):
            folder.mkdir(parents=True, exist_ok=True)
        if DOCKER and not (bin_dir / "docker").exists():
            (bin_dir / "docker").symlink_to(os.path.realpath(DOCKER))
        for name, text in SANDBOX_FILES.items():
            (self.cwd / name).parent.mkdir(parents=True, exist_ok=True)
            (self.cwd / name).write_text(text, encoding="utf-8")
        return {
            # Only docker on the PATH: no ssh for ssh:// hosts, no git for git contexts, no
            # credential helpers; any HTTP goes to a closed port on this machine.
            "PATH": str(bin_dir),
            "HOME": str(home),
            "DOCKER_CONFIG": str(config),
            "DOCKER_HOST": "unix:///nonexistent/docker.sock",
            "HTTP_PROXY": self.proxy,
            "HTTPS_PROXY": self.proxy,
            "http_proxy": self.proxy,
            "https_proxy": self.proxy,
            "NO_PROXY": "",
            "GIT_ALLOW_PROTOCOL": "file",
            "LC_ALL": "C",
        }

    @property
    def cwd(self) -> Path:
        return self.root / "work" / "project"

    def run(self, words: list[str]) -> tuple[int, str]:
        assert DOCKER is not None
        done = subprocess.run(
            [DOCKER, *words[1:]],
            env=self.env(),
            cwd=self.cwd,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )
        return done.returncode, done.stdout + done.stderr


def judge(status: int, output: str) -> str | None:
    """None when the CLI accepted the arguments; otherwise why not."""
    error = PARSER_ERRORS.search(output)
    if error:
        return f"parser error ({error.group(0)!r}): {output.strip()}"
    if status == 0 or RUNTIME_ERRORS.search(output):
        return None
    return f"unrecognised outcome, exit {status}: {output.strip()}"


def check_real(words: list[str], sandbox: Sandbox) -> str | None:
    """Run one docker command through the installed CLI; None when it parses."""
    options, rest = split_docker_options(words)
    escapes = [o for o in options if o.split("=", 1)[0] in SANDBOX_ESCAPES]
    if escapes:
        return f"not run: {escapes} would point docker outside the test sandbox"
    if tuple(rest[:2]) in BUILD_COMMANDS or tuple(rest[:1]) in BUILD_COMMANDS:
        return check_build(words, sandbox)
    return judge(*sandbox.run(words))


def check_build(words: list[str], sandbox: Sandbox) -> str | None:
    """The legacy builder rejects BuildKit's flags: those are dropped, others must parse."""
    buildkit = BUILDX_BUILD.options()
    for _ in range(len(words)):
        status, output = sandbox.run(words)
        unknown = re.search(r"unknown flag: (--[\w-]+)|unknown shorthand flag: '(\w)'", output)
        if unknown is None:
            return judge(status, output)
        flag = unknown.group(1) or f"-{unknown.group(2)}"
        if flag not in buildkit:
            return f"{flag} is not a docker build flag, not even with BuildKit: {output.strip()}"
        words = without_flag(words, flag, buildkit[flag])
    return "the legacy builder kept rejecting flags"


def kind_of(words: list[str]) -> str:
    _, rest = split_docker_options(words)
    return "plugin table" if rest and rest[0] in PLUGINS else "real CLI"


COMMANDS = knowledge_commands()
CHECKED: Counter[str] = Counter()


class _Summary:
    """Adds the number of commands checked each way to pytest's terminal summary."""

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        if CHECKED:
            terminalreporter.write_line(
                f"docker CLI check: {CHECKED['real CLI']} command(s) checked by the real CLI, "
                f"{CHECKED['plugin table']} by the plugin tables"
            )


@pytest.fixture(scope="session")
def proxy() -> str:
    """An HTTP proxy address on this machine where nothing listens."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module", autouse=True)
def summary(request: pytest.FixtureRequest) -> Iterator[None]:
    plugin = _Summary()
    if not request.config.pluginmanager.is_registered(plugin):
        request.config.pluginmanager.register(plugin, "docker-cli-summary")
    yield
    print(
        f"\ndocker CLI check: {CHECKED['real CLI']} by the real CLI, "
        f"{CHECKED['plugin table']} by the plugin tables"
    )


@pytest.fixture
def sandbox(tmp_path: Path, proxy: str) -> Sandbox:
    return Sandbox(tmp_path, proxy)


def test_the_knowledge_base_has_docker_commands_of_both_kinds() -> None:
    kinds = Counter(kind_of(w) for _, line in COMMANDS for w in docker_parts(line))
    assert kinds["real CLI"] >= 100
    assert kinds["plugin table"] >= 5


def test_no_command_uses_compose_v1() -> None:
    old = [(t, line) for t, line in COMMANDS if re.search(r"(?<![\w.-])docker-compose\s", line)]
    assert old == []


@pytest.mark.parametrize(
    ("topic", "line"), COMMANDS, ids=[f"{t}#{i}" for i, (t, _) in enumerate(COMMANDS)]
)
def test_every_docker_command_is_accepted_by_its_parser(
    topic: str, line: str, sandbox: Sandbox
) -> None:
    failures = []
    for words in docker_parts(line):
        kind = kind_of(words)
        if kind == "real CLI" and DOCKER is None:
            pytest.skip(NO_DOCKER)
        _, rest = split_docker_options(words)
        problem = check_plugin(rest) if kind == "plugin table" else check_real(words, sandbox)
        CHECKED[kind] += 1
        if problem:
            failures.append(f"{shlex.join(words)}\n    {problem}")
    assert failures == [], f"{topic}: {line}\n  " + "\n  ".join(failures)


@pytest.mark.parametrize(
    ("line", "parts"),
    [
        ("docker ps", [["docker", "ps"]]),
        (
            "docker rm $(docker ps -aq --filter status=exited)",
            [["docker", "rm", IDS], ["docker", "ps", "-aq", "--filter", "status=exited"]],
        ),
        ("docker logs <container> 2>&1 | grep -i error", [["docker", "logs", "web"]]),
        ("docker build -t <image> - < Dockerfile", [["docker", "build", "-t", "nginx", "-"]]),
        (
            'docker run -v "$(pwd)":/app <image>',
            [["docker", "run", "-v", "/home/alice/app:/app", "nginx"]],
        ),
        (
            'echo "$TOKEN" | docker login <registry> -u <user> --password-stdin',
            [["docker", "login", "registry.example.com", "-u", "alice", "--password-stdin"]],
        ),
        ("sudo systemctl restart docker && docker info", [["docker", "info"]]),
        ("DOCKER_BUILDKIT=1 docker build .; trivy image x", [["docker", "build", "."]]),
        (
            'docker run --health-cmd "curl -f http://x/ || exit 1" <image>',
            [["docker", "run", "--health-cmd", "curl -f http://x/ || exit 1", "nginx"]],
        ),
        ("dockerd-rootless-setuptool.sh install", []),
    ],
)
def test_shell_lines_are_split_into_docker_commands(line: str, parts: list[list[str]]) -> None:
    assert docker_parts(line) == parts


def test_an_unknown_placeholder_asks_for_a_value() -> None:
    with pytest.raises(AssertionError, match="snapshot"):
        docker_parts("docker run <snapshot>")


@pytest.mark.parametrize(
    "line",
    [
        "docker compose up -d --build --remove-orphans",
        "docker compose -f compose.yaml -p shop --profile debug up --wait --scale web=3",
        "docker compose down -v --rmi local",
        "docker compose logs -f --tail 50 -t web",
        "docker compose exec -it web sh -c 'ls -la'",
        "docker compose run --rm web python manage.py migrate --noinput",
        "docker compose config --services",
        "docker buildx build --platform linux/amd64,linux/arm64 -t img:1 --push .",
        "docker buildx create --name b --driver docker-container --use",
        "docker buildx imagetools inspect img:1",
        "docker init --version",
        "docker scout qv img",
        "docker scout cves --only-severity critical,high img",
    ],
)
def test_the_plugin_tables_accept_real_plugin_commands(line: str) -> None:
    assert check_plugin(docker_parts(line)[0][1:]) is None


@pytest.mark.parametrize(
    ("line", "error"),
    [
        ("docker compose up --detached", "unknown flag: --detached"),
        ("docker compose start -d", "unknown shorthand flag"),
        ("docker compose launch", "unknown command"),
        ("docker compose exec web", "takes at least 2"),
        ("docker compose logs --tail", "flag needs an argument"),
        ("docker compose", "needs a sub-command"),
        ("docker buildx build", "takes 1 to 1"),
        ("docker buildx use a b", "takes 1 to 1"),
        ("docker init my-app", "takes 0 to 0"),
        ("docker scout cves --severity high img", "unknown flag: --severity"),
    ],
)
def test_the_plugin_tables_reject_what_the_plugins_reject(line: str, error: str) -> None:
    problem = check_plugin(docker_parts(line)[0][1:])
    assert problem is not None and error in problem


@pytest.mark.skipif(DOCKER is None, reason=NO_DOCKER)
@pytest.mark.parametrize(
    "line",
    [
        "docker stop",
        "docker rm --bogus web",
        "docker run -p 80:http nginx",
        "docker logs web extra",
        "docker ps --format '{{.Names'",
        "docker run --pull sometimes nginx",
        "docker contianer ls",
        "docker build --bogus .",
        "docker build -t . .",
    ],
)
def test_the_real_cli_check_rejects_bad_arguments(line: str, sandbox: Sandbox) -> None:
    assert check_real(docker_parts(line)[0], sandbox) is not None


@pytest.mark.skipif(DOCKER is None, reason=NO_DOCKER)
@pytest.mark.parametrize(
    "line",
    [
        "docker build --secret id=npm,src=.npmrc --ssh default -o out --platform linux/arm64 .",
        "docker build --cache-to type=inline --build-context base=../base -t app .",
    ],
)
def test_buildkit_flags_pass_the_legacy_builder_check(line: str, sandbox: Sandbox) -> None:
    assert check_real(docker_parts(line)[0], sandbox) is None


@pytest.mark.skipif(DOCKER is None, reason=NO_DOCKER)
def test_client_side_commands_only_touch_the_sandbox(sandbox: Sandbox) -> None:
    for line in (
        'docker context create remote --docker "host=ssh://alice@build-host"',
        "docker context use remote",
        "docker logout registry.example.com",
    ):
        assert check_real(docker_parts(line)[0], sandbox) is None
    config = sandbox.root / "config"
    assert (config / "config.json").is_file()
    assert any((config / "contexts" / "meta").iterdir())
