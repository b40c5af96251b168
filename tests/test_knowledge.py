"""The knowledge loader: the valid fixture, one fixture per rule code, all problems in one pass."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.cli import main
from bot.knowledge import KnowledgeError, Problem, check_knowledge, load_knowledge
from bot.rules import ERROR, RULES, WARNING
from tests.conftest import FIXTURES, ROOT

VALID = FIXTURES / "knowledge" / "valid"
INVALID = FIXTURES / "knowledge" / "invalid"
LOGS = "containers/docker-logs.yaml"
VOLUME = "storage/volume.yaml"

# Per rule code: the file its fixture breaks, the topic id the problem names (None where the
# problem belongs to no topic), and text on the line the problem must point at (None: no line).
EXPECTED: dict[str, tuple[str, str | None, str | None]] = {
    "KB001": (LOGS, "docker-logs", "title: Container logs"),
    "KB002": ("notes.yaml", None, None),
    "KB003": (LOGS, "docker-logs", "id: docker-logs"),
    "KB004": (LOGS, "docker-logs", "tags: [logs, debugging]"),
    "KB005": (LOGS, "docker-logs", "points: Only stdout"),
    "KB006": (LOGS, "docker_logs", "id: docker_logs"),
    "KB007": (LOGS, "container-logs", "id: container-logs"),
    "KB008": ("storage/docker-logs.yaml", "docker-logs", "id: docker-logs"),
    "KB009": (LOGS, "docker-logs", "log-rotation"),
    "KB010": (VOLUME, "volume", "- what is a container"),
    "KB011": (LOGS, "docker-logs", "docs: http://"),
    "KB012": (LOGS, "docker-logs", "title: Reading the logs"),
    "KB013": (LOGS, "docker-logs", "kind: tutorial"),
    "KB014": (LOGS, "docker-logs", "kind: comparison"),
    "KB015": (LOGS, "docker-logs", "phrasings:"),
    "KB016": ("synonyms.yaml", None, "volume: [vol, vols, ctr]"),
    "KB017": (LOGS, "docker-logs", "related: [container, volume, docker-logs]"),
    "KB018": ("out-of-scope.yaml", None, "other meanings: how big"),
    "KB101": (LOGS, "docker-logs", "phrasings:"),
    "KB102": (LOGS, "docker-logs", "points:"),
    "KB103": (LOGS, "docker-logs", "commands:"),
    "KB104": (LOGS, "docker-logs", "related: [container]"),
    "KB105": (LOGS, "docker-logs", "docs: https://github.com/"),
    "KB106": (LOGS, "docker-logs", "<CONTAINER_NAME>"),
}
ERROR_CODES = sorted(c for c, r in RULES.items() if r.severity == ERROR)
WARNING_CODES = sorted(c for c, r in RULES.items() if r.severity == WARNING)


def line_of(path: Path, text: str) -> int:
    """The 1-based number of the first line of path that contains text."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if text in line:
            return number
    raise AssertionError(f"{text!r} is not in {path}")


def copy_valid(tmp_path: Path) -> Path:
    """A writable copy of the valid fixture, as tmp_path/knowledge."""
    root = tmp_path / "knowledge"
    shutil.copytree(VALID, root)
    return root


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def codes(problems: list[Problem]) -> set[str]:
    return {p.code for p in problems}


def run_check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    status = main(["check", *args], env={})
    return status, capsys.readouterr().out


def test_the_valid_fixture_loads_with_every_topic() -> None:
    kb = load_knowledge(VALID)
    assert sorted(t.id for t in kb.topics) == [
        "container",
        "docker-logs",
        "volume",
        "volume-vs-bind-mount",
    ]
    logs = kb.by_id["docker-logs"]
    assert logs.kind == "howto"
    assert logs.category == "containers"
    assert logs.title == "Reading container logs (docker logs)"
    assert logs.phrasings[0] == "docker logs" and len(logs.phrasings) == 6
    assert logs.commands[0].run == "docker logs -f --tail 50 <container>"
    assert logs.related == ("container", "volume")
    assert logs.compare is None
    assert kb.by_id["container"].commands[2].destructive is True
    assert kb.by_id["container"].commands[0].destructive is False


def test_a_card_can_say_it_needs_the_question_to_name_docker(tmp_path: Path) -> None:
    root = copy_valid(tmp_path)
    title = "title: Reading container logs (docker logs)\n"
    edit(root, LOGS, title, title + "needs_docker_word: true\n")
    kb, problems = check_knowledge(root)
    assert problems == [] and kb is not None
    assert kb.by_id["docker-logs"].needs_docker_word is True
    assert kb.by_id["container"].needs_docker_word is False


def test_the_valid_fixture_is_clean_even_with_warnings_counted() -> None:
    kb, problems = check_knowledge(VALID)
    assert kb is not None
    assert problems == []


def test_categories_follow_categories_yaml_not_the_alphabet() -> None:
    kb = load_knowledge(VALID)
    assert [c.id for c in kb.categories] == ["storage", "containers"]
    assert [c.title for c in kb.categories] == ["Keeping data", "Running containers"]
    assert kb.categories[0].topics == ("volume", "volume-vs-bind-mount")
    assert kb.categories[1].topics == ("container", "docker-logs")
    assert [t.id for t in kb.topics] == [
        "volume",
        "volume-vs-bind-mount",
        "container",
        "docker-logs",
    ]


def test_synonyms_are_loaded_as_word_to_variants() -> None:
    kb = load_knowledge(VALID)
    assert dict(kb.synonyms) == {
        "container": ("ctr", "ctrs"),
        "volume": ("vol", "vols"),
        "remove": ("delete", "erase"),
    }


def test_out_of_scope_questions_are_loaded_by_group() -> None:
    kb = load_knowledge(VALID)
    assert dict(kb.out_of_scope) == {
        "other meanings": (
            "how big is a forty foot shipping container",
            "set the volume of my bluetooth speaker",
        )
    }
    assert len(kb.topics) == 4


def test_kb010_an_out_of_scope_question_that_is_a_topic_phrasing_is_reported(
    tmp_path: Path,
) -> None:
    root = copy_valid(tmp_path)
    edit(
        root,
        "out-of-scope.yaml",
        "other meanings:\n",
        "other meanings:\n  - What is a container?\n",
    )
    _, problems = check_knowledge(root)
    assert [(p.code, p.file, p.line, p.topic) for p in problems] == [
        ("KB010", "knowledge/out-of-scope.yaml", 3, None)
    ]
    assert "container" in problems[0].message


@pytest.mark.parametrize(
    "text",
    ["- just a list\n", "{}\n", "chat: []\n", "chat: [hello]\nmore: 1\n", "chat: [1, 2]\n"],
)
def test_kb018_a_malformed_out_of_scope_file_is_reported(tmp_path: Path, text: str) -> None:
    root = copy_valid(tmp_path)
    (root / "out-of-scope.yaml").write_text(text, encoding="utf-8")
    _, problems = check_knowledge(root)
    assert [p.code for p in problems] == ["KB018"]


def test_a_comparison_carries_its_table() -> None:
    compare = load_knowledge(VALID).by_id["volume-vs-bind-mount"].compare
    assert compare is not None
    assert compare.sides == ("Volume", "Bind mount")
    assert compare.topics == ("volume",)
    assert [r.aspect for r in compare.rows] == ["Where the data lives", "Best for"]
    assert compare.rows[1].right == "Source code and config during development"


def test_every_rule_code_has_a_fixture_directory_and_an_expectation() -> None:
    assert {p.name for p in INVALID.iterdir() if p.is_dir()} == set(RULES)
    assert set(EXPECTED) == set(RULES)


def test_every_rule_code_is_documented_in_the_readme_with_its_severity() -> None:
    readme = (ROOT / "knowledge" / "README.md").read_text(encoding="utf-8")
    table = dict(re.findall(r"^\| (KB\d{3}) \| (error|warning) \|", readme, re.MULTILINE))
    assert table == {code: rule.severity for code, rule in RULES.items()}


@pytest.mark.parametrize("code", sorted(RULES))
def test_each_invalid_fixture_changes_one_file_of_the_valid_one(code: str) -> None:
    def files(root: Path) -> dict[str, bytes]:
        return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}

    valid, broken = files(VALID), files(INVALID / code)
    changed = {name for name in valid.keys() | broken.keys() if valid.get(name) != broken.get(name)}
    assert changed == {EXPECTED[code][0]}


@pytest.mark.parametrize("code", sorted(RULES))
def test_each_invalid_fixture_reports_exactly_its_code(code: str) -> None:
    _, problems = check_knowledge(INVALID / code)
    assert codes(problems) == {code}, [str(p) for p in problems]


@pytest.mark.parametrize("code", sorted(RULES))
def test_each_problem_names_its_file_line_and_topic(code: str) -> None:
    rel, topic, marker = EXPECTED[code]
    root = INVALID / code
    _, problems = check_knowledge(root)
    assert len(problems) == 1, [str(p) for p in problems]
    problem = problems[0]
    assert Path(problem.file) == Path(code) / rel
    assert problem.topic == topic
    assert problem.line == (line_of(root / rel, marker) if marker else None)
    assert problem.message


@pytest.mark.parametrize("code", ERROR_CODES)
def test_an_error_fixture_does_not_load(code: str) -> None:
    kb, _ = check_knowledge(INVALID / code)
    assert kb is None
    with pytest.raises(KnowledgeError) as raised:
        load_knowledge(INVALID / code)
    assert codes(raised.value.problems) == {code}


@pytest.mark.parametrize("code", WARNING_CODES)
def test_warnings_do_not_block_loading(code: str) -> None:
    kb = load_knowledge(INVALID / code)
    assert len(kb.topics) == 4
    assert "docker-logs" in kb.by_id


@pytest.mark.parametrize("code", ERROR_CODES)
def test_check_exits_1_on_an_error_and_prints_file_line_and_code(
    code: str, capsys: pytest.CaptureFixture[str]
) -> None:
    rel, _, marker = EXPECTED[code]
    status, out = run_check(capsys, str(INVALID / code))
    assert status == 1
    where = str(Path(code) / rel)
    if marker:
        where += f":{line_of(INVALID / code / rel, marker)}"
    assert f"{where}: {code} error" in out
    assert "no topics loaded, 1 error(s)" in out


@pytest.mark.parametrize("code", WARNING_CODES)
def test_check_passes_a_warning_unless_strict(
    code: str, capsys: pytest.CaptureFixture[str]
) -> None:
    plain, out = run_check(capsys, str(INVALID / code))
    strict, strict_out = run_check(capsys, "--strict", str(INVALID / code))
    assert (plain, strict) == (0, 1)
    for printed in (out, strict_out):
        assert f": {code} warning [docker-logs]:" in printed
        assert "4 topics loaded, 0 error(s), 1 warning(s)" in printed


def test_check_strict_passes_the_valid_fixture(capsys: pytest.CaptureFixture[str]) -> None:
    status, out = run_check(capsys, "--strict", str(VALID))
    assert status == 0
    assert "4 topics loaded, 0 error(s), 0 warning(s)" in out


def test_the_console_script_exits_1_on_an_error_fixture() -> None:
    script = Path(sys.executable).with_name("docker-explain")
    done = subprocess.run(
        [str(script), "check", str(INVALID / "KB004")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"KB004/{LOGS}:" in done.stdout and ": KB004 error [docker-logs]" in done.stdout


def test_problems_in_several_files_are_all_reported_in_one_pass(tmp_path: Path) -> None:
    root = copy_valid(tmp_path)
    edit(root, LOGS, "related: [container, volume]\n", "related: [container, volume]\nauthor: me\n")
    edit(root, LOGS, "title: Reading container logs (docker logs)", "title: " + "x" * 71)
    edit(root, VOLUME, "  - volumes\n", "  - volumes\n  - containers\n")
    edit(root, "synonyms.yaml", "volume: [vol, vols]", "volume: [vol, vols, ctrs]")
    edit(root, "containers/container.yaml", "  - docker container run\n", "")
    (root / "README.yaml").write_text("title: not a topic\n", encoding="utf-8")

    kb, problems = check_knowledge(root)

    assert kb is None
    found = sorted((Path(p.file).as_posix(), p.line, p.code) for p in problems)
    assert found == sorted(
        [
            (f"knowledge/{LOGS}", line_of(root / LOGS, "author: me"), "KB004"),
            (f"knowledge/{LOGS}", line_of(root / LOGS, "title: xxx"), "KB012"),
            (f"knowledge/{VOLUME}", line_of(root / VOLUME, "  - containers"), "KB010"),
            ("knowledge/synonyms.yaml", line_of(root / "synonyms.yaml", "volume:"), "KB016"),
            ("knowledge/containers/container.yaml", 4, "KB101"),
            ("knowledge/README.yaml", None, "KB002"),
        ]
    )
    with pytest.raises(KnowledgeError) as raised:
        load_knowledge(root)
    assert raised.value.problems == problems


def test_the_error_message_counts_errors_not_warnings(tmp_path: Path) -> None:
    root = copy_valid(tmp_path)
    edit(root, LOGS, "kind: howto", "kind: recipe")
    edit(root, "containers/container.yaml", "  - docker container run\n", "")
    with pytest.raises(KnowledgeError) as raised:
        load_knowledge(root)
    assert codes(raised.value.problems) == {"KB013", "KB101"}
    assert "1 problem(s)" in str(raised.value)


def test_a_missing_directory_is_reported_not_raised(tmp_path: Path) -> None:
    kb, problems = check_knowledge(tmp_path / "nowhere")
    assert kb is None
    assert codes(problems) == {"KB002"}


def test_kb001_a_yaml_syntax_error_gives_the_line(tmp_path: Path) -> None:
    root = copy_valid(tmp_path)
    edit(root, "synonyms.yaml", "remove: [delete, erase]", "remove: [delete, erase")
    _, problems = check_knowledge(root)
    assert codes(problems) == {"KB001"}
    assert Path(problems[0].file).as_posix() == "knowledge/synonyms.yaml"
    with pytest.raises(yaml.YAMLError) as raised:
        yaml.safe_load((root / "synonyms.yaml").read_text(encoding="utf-8"))
    mark = getattr(raised.value, "problem_mark", None)
    assert mark is not None
    assert problems[0].line == mark.line + 1


@pytest.mark.parametrize(
    ("text", "marker"),
    [
        ("loop: &self [container, *self]\n", "loop: &self"),  # would never end
        ("aliased: &list [container, volume]\nagain: *list\n", "again: *list"),
        ("words:\n  - &word container\n  - *word\n", "words:"),  # plain text, aliased
        ("<<: {kind: howto}\n", "<<:"),
        ("? [a, list]\n: as a key\n", "? [a, list]"),
        ("deep: " + "[" * 900 + "]" * 900 + "\n", "deep:"),
    ],
    ids=[
        "alias-of-its-parent",
        "alias",
        "alias-of-a-text-item",
        "merge-key",
        "list-as-key",
        "nested-900-deep",
    ],
)
def test_kb001_yaml_a_knowledge_base_has_no_use_for_is_reported_with_its_line(
    tmp_path: Path, text: str, marker: str
) -> None:
    root = copy_valid(tmp_path)
    path = root / LOGS
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")
    _, problems = check_knowledge(root)
    assert [(p.code, p.line) for p in problems] == [("KB001", line_of(path, marker))]


def test_every_file_reads_as_yaml_safe_load_reads_it(tmp_path: Path) -> None:
    from bot.knowledge import _Checker

    # The checker builds the data and the line of every key in one walk of the YAML nodes; the
    # data must be what PyYAML itself gives, for our files and for YAML's other scalars.
    odd = tmp_path / "odd.yaml"
    odd.write_text(
        "a: yes\nb: 0x1f\nc: ~\nd: 1.5e3\ne: 2026-11-28\nf: '007'\ng: !!str 12\n"
        "h: >-\n  folded\n  text\ni: [true, null, -3]\nj: {k: [x]}\n'l': |\n  kept\n"
        # Plain text items, with and without a first character that can start another type.
        "m: [Yes, no way, 'quoted', plain text, 12ab, .5, .hidden, ~, ~tilde, = x, <<x, +1]\n",
        encoding="utf-8",
    )
    files = [odd, *sorted((ROOT / "knowledge").rglob("*.yaml"))]
    checker = _Checker(tmp_path)
    for path in files:
        parsed = checker._parse(path)
        assert parsed is not None, path
        assert parsed[0] == yaml.safe_load(path.read_text(encoding="utf-8")), path
    assert checker.problems == []


def test_kb001_a_file_that_is_not_utf8_is_reported(tmp_path: Path) -> None:
    root = copy_valid(tmp_path)
    (root / "categories.yaml").write_bytes(b"storage: Keeping data\xff\xfe\n")
    _, problems = check_knowledge(root)
    assert codes(problems) == {"KB001"}
    assert Path(problems[0].file).as_posix() == "knowledge/categories.yaml"


def test_kb002_a_topic_file_holding_a_list_is_reported(tmp_path: Path) -> None:
    root = copy_valid(tmp_path)
    (root / LOGS).write_text("- docker logs\n- docker ps\n", encoding="utf-8")
    _, problems = check_knowledge(root)
    assert codes(problems) == {"KB002"}
    assert problems[0].line == 1


@pytest.mark.parametrize("rel", ["containers/extra/docker-top.yaml", "containers/docker-top.yml"])
def test_kb002_a_file_outside_category_id_yaml_is_reported(tmp_path: Path, rel: str) -> None:
    root = copy_valid(tmp_path)
    (root / rel).parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(root / LOGS, root / rel)
    _, problems = check_knowledge(root)
    assert [(Path(p.file).as_posix(), p.code) for p in problems] == [(f"knowledge/{rel}", "KB002")]


def test_kb002_categories_yaml_must_map_folders_to_titles(tmp_path: Path) -> None:
    root = copy_valid(tmp_path)
    (root / "categories.yaml").write_text("- storage\n- containers\n", encoding="utf-8")
    _, problems = check_knowledge(root)
    assert codes(problems) == {"KB002"}


def test_kb003_a_command_without_its_description_is_reported(tmp_path: Path) -> None:
    root = copy_valid(tmp_path)
    edit(root, LOGS, "    does: Shows what the container printed in the last five minutes.\n", "")
    _, problems = check_knowledge(root)
    assert codes(problems) == {"KB003"}
    assert problems[0].line == line_of(root / LOGS, "docker logs --since 5m")


def test_kb004_an_unknown_command_field_is_reported(tmp_path: Path) -> None:
    root = copy_valid(tmp_path)
    edit(root, LOGS, "    does: Shows what", "    sudo: false\n    does: Shows what")
    _, problems = check_knowledge(root)
    assert codes(problems) == {"KB004"}
    assert problems[0].line == line_of(root / LOGS, "sudo: false")


@pytest.mark.parametrize(
    ("rel", "old", "new", "marker"),
    [
        (LOGS, "related: [container, volume]", "related: []", "related: []"),
        (LOGS, "title: Reading container logs (docker logs)", "title: 42", "title: 42"),
        (LOGS, "title: Reading container logs (docker logs)", 'title: "  "', "title:"),
        (
            LOGS,
            "last five minutes.\n",
            "last five minutes.\n    destructive: yes please\n",
            "- run: docker logs --since 5m",
        ),
        (
            LOGS,
            "title: Reading container logs (docker logs)\n",
            "title: Reading container logs (docker logs)\nneeds_docker_word: sometimes\n",
            "needs_docker_word:",
        ),
    ],
    ids=[
        "empty-list",
        "number-for-text",
        "blank-text",
        "destructive-not-boolean",
        "needs-docker-word-not-boolean",
    ],
)
def test_kb005_wrong_types_and_empty_values_are_reported(
    tmp_path: Path, rel: str, old: str, new: str, marker: str
) -> None:
    root = copy_valid(tmp_path)
    edit(root, rel, old, new)
    _, problems = check_knowledge(root)
    assert [(p.code, p.line) for p in problems] == [("KB005", line_of(root / rel, marker))]


def test_kb005_unquoted_text_with_a_colon_is_explained(tmp_path: Path) -> None:
    root = copy_valid(tmp_path)
    edit(root, LOGS, "  - Only stdout", "  - Mark it external: Only stdout")
    _, problems = check_knowledge(root)
    errors = [p for p in problems if p.severity == ERROR]
    assert [(p.code, p.line) for p in errors] == [("KB005", line_of(root / LOGS, "external:"))]
    assert "quote the text" in errors[0].message


def test_kb005_a_compare_row_missing_a_cell_is_reported(tmp_path: Path) -> None:
    root = copy_valid(tmp_path)
    rel = "storage/volume-vs-bind-mount.yaml"
    edit(root, rel, "      right: A host path you choose\n", "")
    _, problems = check_knowledge(root)
    mine = [p for p in problems if p.topic == "volume-vs-bind-mount"]
    assert [p.code for p in mine] == ["KB005"]
    assert mine[0].line == line_of(root / rel, "aspect: Where the data lives")


def test_kb006_a_category_folder_that_is_not_kebab_is_reported(tmp_path: Path) -> None:
    root = copy_valid(tmp_path)
    (root / "containers").rename(root / "Containers")
    _, problems = check_knowledge(root)
    folder = [p for p in problems if p.code == "KB006"]
    assert sorted(str(p.topic) for p in folder) == ["container", "docker-logs"]


def test_kb006_a_related_id_that_is_not_kebab_is_reported(tmp_path: Path) -> None:
    root = copy_valid(tmp_path)
    edit(root, LOGS, "related: [container, volume]", "related: [container, Volume]")
    _, problems = check_knowledge(root)
    assert "KB006" in codes(problems)
    assert all(p.topic == "docker-logs" for p in problems if p.code == "KB006")


def test_kb009_a_compared_topic_that_does_not_exist_is_reported(tmp_path: Path) -> None:
    root = copy_valid(tmp_path)
    rel = "storage/volume-vs-bind-mount.yaml"
    edit(root, rel, "topics: [volume]", "topics: [volume, bind-mount]")
    _, problems = check_knowledge(root)
    assert [(p.code, p.topic, p.line) for p in problems] == [
        ("KB009", "volume-vs-bind-mount", line_of(root / rel, "topics: [volume, bind-mount]"))
    ]


def test_kb009_a_category_title_without_a_folder_is_reported(tmp_path: Path) -> None:
    root = copy_valid(tmp_path)
    edit(root, "categories.yaml", "containers: Running containers", "networking: Networking")
    (root / "categories.yaml").write_text(
        (root / "categories.yaml").read_text() + "containers: Running containers\n"
    )
    _, problems = check_knowledge(root)
    assert [(p.code, p.line) for p in problems] == [("KB009", 3)]


def test_kb010_a_phrasing_repeated_in_one_topic_is_reported(tmp_path: Path) -> None:
    root = copy_valid(tmp_path)
    edit(root, LOGS, "  - docker logs\n", "  - docker logs\n  - Docker logs?\n")
    _, problems = check_knowledge(root)
    assert [(p.code, p.topic, p.line) for p in problems] == [
        ("KB010", "docker-logs", line_of(root / LOGS, "Docker logs?"))
    ]


def test_kb012_a_long_table_cell_is_reported(tmp_path: Path) -> None:
    root = copy_valid(tmp_path)
    rel = "storage/volume-vs-bind-mount.yaml"
    edit(root, rel, "right: A host path you choose", "right: " + "a host path " * 13)
    _, problems = check_knowledge(root)
    mine = [p for p in problems if p.topic == "volume-vs-bind-mount"]
    assert [(p.code, p.line) for p in mine] == [("KB012", line_of(root / rel, "a host path a"))]


def test_kb014_a_howto_with_a_compare_table_is_reported(tmp_path: Path) -> None:
    root = copy_valid(tmp_path)
    table = "compare:\n  sides: [A, B]\n  rows:\n    - {aspect: x, left: y, right: z}\n"
    (root / LOGS).write_text((root / LOGS).read_text() + table, encoding="utf-8")
    _, problems = check_knowledge(root)
    assert [(p.code, p.line) for p in problems] == [("KB014", line_of(root / LOGS, "compare:"))]


def test_kb015_a_table_with_too_many_rows_is_reported(tmp_path: Path) -> None:
    root = copy_valid(tmp_path)
    rel = "storage/volume-vs-bind-mount.yaml"
    rows = "".join(f"    - {{aspect: a{i}, left: l{i}, right: r{i}}}\n" for i in range(11))
    (root / rel).write_text((root / rel).read_text() + rows, encoding="utf-8")
    _, problems = check_knowledge(root)
    mine = [p for p in problems if p.topic == "volume-vs-bind-mount"]
    assert [(p.code, p.line) for p in mine] == [("KB015", line_of(root / rel, "  rows:"))]


def test_kb016_a_synonyms_file_that_is_not_a_mapping_is_reported(tmp_path: Path) -> None:
    root = copy_valid(tmp_path)
    (root / "synonyms.yaml").write_text("- ctr\n- vol\n", encoding="utf-8")
    _, problems = check_knowledge(root)
    assert [(p.code, p.line) for p in problems] == [("KB016", 1)]


def test_kb016_a_word_without_variants_is_reported(tmp_path: Path) -> None:
    root = copy_valid(tmp_path)
    edit(root, "synonyms.yaml", "remove: [delete, erase]", "remove: []")
    _, problems = check_knowledge(root)
    assert [(p.code, p.line) for p in problems] == [("KB016", 3)]


def test_an_error_in_one_topic_is_not_echoed_as_broken_references(tmp_path: Path) -> None:
    root = copy_valid(tmp_path)
    edit(root, VOLUME, "kind: concept", "kind: idea")
    _, problems = check_knowledge(root)
    assert codes(problems) == {"KB013"}, [str(p) for p in problems]
