"""The shape of the code: imports point down, and the core never touches Slack or the world."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

BOT = Path(__file__).resolve().parent.parent / "bot"

# The pure core: deciding and rendering an answer from a loaded knowledge base.
CORE = [
    "answer",
    "matching",
    "index",
    "typos",
    "blocks",
    "normalise",
    "knowledge",
    "rules",
    "texts",
]
FORBIDDEN_IN_CORE = {"slack_bolt", "os", "socket", "subprocess", "requests", "urllib", "http"}
FORBIDDEN_IN_CORE |= {"bot.app", "bot.listeners", "bot.config", "bot.store", "bot.feedback"}


def imports_of(module: str) -> set[str]:
    path = BOT / (module.replace(".", "/") + ".py")
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def reaches(found: set[str], names: set[str]) -> set[str]:
    return {f for f in found for n in names if f == n or f.startswith(n + ".")}


@pytest.mark.parametrize("module", CORE)
def test_core_module_does_not_import_slack_the_environment_or_the_network(module: str) -> None:
    assert not reaches(imports_of(module), FORBIDDEN_IN_CORE)


FILE_CALLS = {"open", "read_text", "read_bytes", "write_text", "write_bytes"}


@pytest.mark.parametrize("module", [m for m in CORE if m != "knowledge"])
def test_core_module_opens_no_file_and_reads_no_environment(module: str) -> None:
    # knowledge.py is the loader the entry points call once; everything else works on values.
    source = (BOT / f"{module}.py").read_text(encoding="utf-8")
    calls = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            func = node.func
            calls.add(func.id if isinstance(func, ast.Name) else getattr(func, "attr", ""))
    assert not calls & FILE_CALLS
    assert "environ" not in source


def test_matching_and_blocks_do_not_import_each_other() -> None:
    assert not reaches(imports_of("matching"), {"bot.blocks"})
    assert not reaches(imports_of("index"), {"bot.blocks"})
    assert not reaches(imports_of("blocks"), {"bot.matching", "bot.index"})


def test_only_config_reads_the_environment() -> None:
    readers = sorted(
        p.relative_to(BOT).as_posix()
        for p in BOT.rglob("*.py")
        if "os.environ" in p.read_text(encoding="utf-8")
    )
    # Entry points hand os.environ to Settings.from_env; nothing else looks at it.
    assert readers == ["cli.py", "wsgi.py"]
    for entry in readers:
        text = (BOT / entry).read_text(encoding="utf-8")
        assert text.count("os.environ") == 1 and "Settings.from_env(os.environ" in text


def test_listeners_import_nothing_above_them() -> None:
    for path in (BOT / "listeners").glob("*.py"):
        found = imports_of(f"listeners.{path.stem}")
        assert not reaches(found, {"bot.app", "bot.wsgi", "bot.cli"}), path.name


def test_nothing_is_built_at_import_time_in_the_web_entry_point() -> None:
    tree = ast.parse((BOT / "wsgi.py").read_text(encoding="utf-8"))
    top_level_calls = [
        node
        for node in tree.body
        if isinstance(node, ast.Assign | ast.Expr) and isinstance(node.value, ast.Call)
    ]
    names = [ast.unparse(n) for n in top_level_calls]
    assert all(n.startswith(("log = logging.getLogger", "StartResponse")) for n in names), names


def test_every_module_has_a_one_line_docstring() -> None:
    for path in BOT.rglob("*.py"):
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
        assert doc, f"{path.name} has no module docstring"
