"""The knowledge base: topic types, and loading knowledge/ with every problem collected."""

from __future__ import annotations

import re
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.normalise import alnum_runs
from bot.rules import ERROR, LIST_LIMITS, RULES, STYLE_RANGES, TEXT_LIMITS

KINDS = ("concept", "comparison", "howto")
REQUIRED: tuple[str, ...] = ("id", "kind", "title", "phrasings", "summary", "analogy", "points")
REQUIRED += ("commands", "related", "docs")
OPTIONAL = ("compare", "needs_docker_word")
SYNONYMS_FILE = "synonyms.yaml"
CATEGORIES_FILE = "categories.yaml"
OUT_OF_SCOPE_FILE = "out-of-scope.yaml"
KEBAB = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PLACEHOLDER = re.compile(r"<([^<>\s]*)>")
# libyaml's parser where PyYAML was built with it: several times faster, same node marks.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    """The safe loader, with a shortcut for the plain text most of a topic file is: a scalar
    whose first character starts no implicit type (number, bool, null, date, merge) is a
    string, which is what the full resolver would find after trying its patterns."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if (
            _SHORTCUT
            and kind is yaml.ScalarNode
            and implicit[0]
            and value
            and value[0] not in _TYPED_STARTS
        ):
            return _STR
        return super().resolve(kind, value, implicit)


# Every first character some implicit type can start with. A resolver for any first character
# (the key None) would make every text a candidate: the safe loader has none, but should a
# PyYAML release add one, nothing is skipped.
_TYPED_STARTS = frozenset(k for k in _BaseLoader.yaml_implicit_resolvers if k)
_SHORTCUT = None not in _BaseLoader.yaml_implicit_resolvers
_STR, _SEQ, _MAP = "tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"
_MERGE = "tag:yaml.org,2002:merge"
_MAX_DEPTH = 20  # a topic file needs four levels (compare: rows: 0: aspect:)


@dataclass(frozen=True)
class Command:
    run: str
    does: str
    destructive: bool = False


@dataclass(frozen=True)
class Row:
    aspect: str
    left: str
    right: str


@dataclass(frozen=True)
class Comparison:
    sides: tuple[str, str]
    rows: tuple[Row, ...]
    topics: tuple[str, ...] = ()


@dataclass(frozen=True)
class Topic:
    id: str
    kind: str
    title: str
    category: str
    phrasings: tuple[str, ...]
    summary: str
    analogy: str
    points: tuple[str, ...]
    commands: tuple[Command, ...]
    related: tuple[str, ...]
    docs: str
    compare: Comparison | None = None
    # The card is about another tool used with Docker (nginx, cron, a database, CI): a question
    # that names nothing of Docker is most likely about that tool alone (see bot.matching).
    needs_docker_word: bool = False


@dataclass(frozen=True)
class Category:
    id: str
    title: str
    topics: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class KnowledgeBase:
    """A loaded, valid knowledge base. Compared and hashed by identity, so indexes can be cached."""

    topics: tuple[Topic, ...]
    categories: tuple[Category, ...] = ()
    synonyms: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # Questions the bot must decline although they share words with its topics, by group.
    out_of_scope: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    by_id: Mapping[str, Topic] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_id", {t.id: t for t in self.topics})

    def get(self, topic_id: str) -> Topic | None:
        return self.by_id.get(topic_id)


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    topic: str | None
    code: str
    message: str

    @property
    def severity(self) -> str:
        return RULES[self.code].severity

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line else "")
        who = f" [{self.topic}]" if self.topic else ""
        return f"{where}: {self.code} {self.severity}{who}: {self.message}"


class KnowledgeError(Exception):
    """Raised when a knowledge base has errors; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        errors = sum(p.severity == ERROR for p in problems)
        super().__init__(f"the knowledge base has {errors} problem(s)")


@lru_cache(maxsize=65536)  # loading checks each phrasing more than once; the index reads it again
def normalise_phrasing(text: str) -> str:
    """Lowercase, punctuation to spaces, spaces collapsed: two phrasings equal under this clash."""
    return " ".join(alnum_runs(text.lower()))


def load_knowledge(root: Path) -> KnowledgeBase:
    """Load and validate; raise KnowledgeError listing every error (warnings do not block)."""
    kb, problems = check_knowledge(root)
    if kb is None:
        raise KnowledgeError(problems)
    return kb


def check_knowledge(root: Path) -> tuple[KnowledgeBase | None, list[Problem]]:
    """Validate every file under root; the knowledge base is None when any error was found."""
    root = Path(root)
    if not root.is_dir():
        return None, [Problem(str(root), None, None, "KB002", "knowledge directory not found")]
    checker = _Checker(root)
    return checker.run()


class _Checker:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[Problem] = []
        self._claimed: dict[str, str] = {}  # normalised phrasing -> the topic that has it

    def report(self, path: Path, line: int | None, topic: str | None, code: str, msg: str) -> None:
        self.problems.append(Problem(self._rel(path), line, topic, code, msg))

    def _rel(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root.parent))
        except ValueError:
            return str(path)

    def run(self) -> tuple[KnowledgeBase | None, list[Problem]]:
        topics: list[Topic] = []
        facts: list[_Facts] = []
        for path in sorted(self.root.rglob("*")):
            if path.is_dir() or path.name.startswith(".") or path.suffix == ".md":
                continue
            rel = path.relative_to(self.root)
            if rel.parts in ((SYNONYMS_FILE,), (CATEGORIES_FILE,), (OUT_OF_SCOPE_FILE,)):
                continue
            if len(rel.parts) != 2 or path.suffix != ".yaml":
                self.report(path, None, None, "KB002", "expected knowledge/<category>/<id>.yaml")
                continue
            parsed = self._parse(path)
            if parsed is None:
                continue
            topic = _TopicChecker(self, path, *parsed).check()
            if topic is not None:
                topics.append(topic)
            if isinstance(parsed[0], dict):
                facts.append(_Facts.of(parsed[0], path, parsed[1]))
        self._check_across(facts)
        synonyms = self._load_synonyms()
        out_of_scope = self._load_out_of_scope()
        categories = self._load_categories(topics)
        if any(p.severity == ERROR for p in self.problems):
            return None, self.problems
        by_id = {t.id: t for t in topics}
        ordered = tuple(by_id[i] for c in categories for i in c.topics)
        return KnowledgeBase(ordered, categories, synonyms, out_of_scope), self.problems

    def _parse(self, path: Path) -> tuple[Any, _Lines] | None:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            self.report(path, None, None, "KB001", f"cannot read file: {exc}")
            return None
        loader = _Loader(text)
        lines = _Lines()
        try:
            node = loader.get_single_node()
            data, duplicates = lines.build(node, loader) if node is not None else (None, [])
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark is not None else None
            problem = getattr(exc, "problem", None) or str(exc)
            self.report(path, line, None, "KB001", f"invalid YAML: {problem}")
            return None
        finally:
            loader.dispose()
        topic = (
            data.get("id") if isinstance(data, dict) and isinstance(data.get("id"), str) else None
        )
        for key_line, key in duplicates:
            self.report(path, key_line, topic, "KB001", f"key {key!r} appears twice")
        return data, lines

    def _check_across(self, facts: list[_Facts]) -> None:
        """Checks between topics, over every topic file, even those with errors of their own:
        a broken topic still owns its id, so references to it are not reported as dangling."""
        first: dict[str, Path] = {}
        claimed = self._claimed
        for f in facts:
            if f.id is None:
                continue
            if f.id in first:
                other = self._rel(first[f.id])
                self.report(f.path, f.lines.at("id"), f.id, "KB008", f"id also used by {other}")
            first.setdefault(f.id, f.path)
            for i, phrasing in f.phrasings:
                key = normalise_phrasing(phrasing)
                owner = claimed.setdefault(key, f.id)
                if owner != f.id:
                    msg = f"phrasing {phrasing!r} is also claimed by {owner}"
                    self.report(f.path, f.lines.at("phrasings", i), f.id, "KB010", msg)
        for f in facts:
            for at, ref in f.references:
                if ref not in first:
                    kind = "related" if at[0] == "related" else "compared"
                    msg = f"{kind} topic {ref!r} does not exist"
                    self.report(f.path, f.lines.at(*at), f.id, "KB009", msg)

    def _load_lists(
        self, name: str, code: str, what: str, allow_empty: bool
    ) -> tuple[Path, _Lines, dict[str, list[str]]] | None:
        """A root file that maps names to non-empty lists of texts (synonyms, out of scope):
        its path, line marks and valid entries; every malformed entry reported under code."""
        path = self.root / name
        if not path.exists():
            return None
        parsed = self._parse(path)
        if parsed is None:
            return None
        data, lines = parsed
        if not isinstance(data, dict) or not (data or allow_empty):
            self.report(path, 1, None, code, f"must map {what}")
            return None
        entries: dict[str, list[str]] = {}
        for key, texts in data.items():
            if not _is_text(key) or not _is_text_list(texts):
                msg = f"{key!r} must map to a non-empty list of texts"
                self.report(path, lines.at(key), None, code, msg)
                continue
            entries[key] = texts
        return path, lines, entries

    def _load_synonyms(self) -> dict[str, tuple[str, ...]]:
        loaded = self._load_lists(
            SYNONYMS_FILE, "KB016", "each word to a list of its variants", allow_empty=True
        )
        if loaded is None:
            return {}
        path, lines, entries = loaded
        meaning: dict[str, str] = {}
        for canonical, variants in entries.items():
            for i, variant in enumerate(variants):
                if len(variant) > TEXT_LIMITS["synonym"]:
                    msg = f"variant {variant!r} is over {TEXT_LIMITS['synonym']} characters"
                    self.report(path, lines.at(canonical, i), None, "KB012", msg)
                key = normalise_phrasing(variant)
                owner = meaning.setdefault(key, canonical)
                if owner != canonical:
                    msg = f"variant {variant!r} means both {owner!r} and {canonical!r}"
                    self.report(path, lines.at(canonical, i), None, "KB016", msg)
        return {canonical: tuple(variants) for canonical, variants in entries.items()}

    def _load_out_of_scope(self) -> dict[str, tuple[str, ...]]:
        """knowledge/out-of-scope.yaml: groups of questions to decline. Each is checked like a
        topic's phrasing: a text within the phrasing limit, claimed once, by no topic."""
        loaded = self._load_lists(
            OUT_OF_SCOPE_FILE,
            "KB018",
            "each group's name to a list of questions to decline",
            allow_empty=False,
        )
        if loaded is None:
            return {}
        path, lines, entries = loaded
        seen: set[str] = set()
        for name, phrasings in entries.items():
            for i, phrasing in enumerate(phrasings):
                line = lines.at(name, i)
                if len(phrasing) > TEXT_LIMITS["phrasing"]:
                    msg = f"phrasing {phrasing!r} is over {TEXT_LIMITS['phrasing']} characters"
                    self.report(path, line, None, "KB012", msg)
                key = normalise_phrasing(phrasing)
                if key in self._claimed:
                    msg = f"phrasing {phrasing!r} is a phrasing of {self._claimed[key]}"
                    self.report(path, line, None, "KB010", msg)
                elif key in seen:
                    self.report(path, line, None, "KB010", f"phrasing {phrasing!r} appears twice")
                seen.add(key)
        return {name: tuple(phrasings) for name, phrasings in entries.items()}

    def _load_categories(self, topics: list[Topic]) -> tuple[Category, ...]:
        folders = sorted({t.category for t in topics})
        titles: dict[str, str] = {}
        path = self.root / CATEGORIES_FILE
        parsed = self._parse(path) if path.exists() else None
        if parsed is not None:
            data, lines = parsed
            if not isinstance(data, dict) or not all(map(_is_text, data.values())):
                self.report(path, 1, None, "KB002", "must map each category folder to its title")
            else:
                titles = {str(k): str(v) for k, v in data.items()}
                for name in titles:
                    if name not in folders:
                        msg = f"category {name!r} has no folder with topics"
                        self.report(path, lines.at(name), None, "KB009", msg)
        order = [c for c in titles if c in folders] + [c for c in folders if c not in titles]
        return tuple(
            Category(
                c,
                titles.get(c) or c.replace("-", " ").capitalize(),
                tuple(t.id for t in sorted(topics, key=lambda t: t.id) if t.category == c),
            )
            for c in order
        )


@dataclass(frozen=True)
class _Facts:
    """What the checks between topics need from one file, read leniently from its mapping."""

    id: str | None
    phrasings: list[tuple[int, str]]
    references: list[tuple[tuple[Any, ...], str]]
    path: Path
    lines: _Lines

    @classmethod
    def of(cls, data: dict[str, Any], path: Path, lines: _Lines) -> _Facts:
        topic_id = data.get("id") if isinstance(data.get("id"), str) else None

        def texts(value: Any) -> list[tuple[int, str]]:
            items = value if isinstance(value, list) else []
            return [(i, v) for i, v in enumerate(items) if isinstance(v, str) and v.strip()]

        compare: dict[str, Any] = data["compare"] if isinstance(data.get("compare"), dict) else {}
        references: list[tuple[tuple[Any, ...], str]]
        references = [(("related", i), r) for i, r in texts(data.get("related"))]
        references += [(("compare", "topics", i), r) for i, r in texts(compare.get("topics"))]
        return cls(topic_id, texts(data.get("phrasings")), references, path, lines)


class _Lines:
    """Maps a path of keys and indexes inside a YAML document to its 1-based line."""

    def __init__(self) -> None:
        self._lines: dict[tuple[Any, ...], int] = {}

    def build(self, node: yaml.Node, loader: Any) -> tuple[Any, list[tuple[int, Any]]]:
        """The document's data, as yaml.safe_load would give it, and its repeated keys, in one
        walk that also records every key's and item's line. Anchors and aliases are refused: a
        knowledge base has no use for them, and an alias of its own parent would never end."""
        duplicates: list[tuple[int, Any]] = []
        seen: set[int] = set()
        lines = self._lines

        def walk(node: yaml.Node, path: tuple[Any, ...]) -> Any:
            if id(node) in seen:  # an alias: the node its anchor named, met again
                line = self.at(*path) or node.start_mark.line + 1  # the key that holds it
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    "anchors and aliases (&name, *name) are not supported",
                    yaml.Mark(node.start_mark.name, 0, line - 1, 0, "", 0),
                )
            seen.add(id(node))
            if len(path) > _MAX_DEPTH:  # deeper still would exhaust Python's stack
                raise yaml.constructor.ConstructorError(
                    None, None, f"nested deeper than {_MAX_DEPTH} levels", node.start_mark
                )
            lines.setdefault(path, node.start_mark.line + 1)
            if isinstance(node, yaml.ScalarNode):
                return node.value if node.tag == _STR else loader.construct_object(node)
            if isinstance(node, yaml.SequenceNode) and node.tag == _SEQ:
                # Most items are plain text (phrasings, points): those are taken here, with
                # walk's alias check and line record but without a call of walk each.
                shallow = len(path) < _MAX_DEPTH
                items: list[Any] = []
                for i, item in enumerate(node.value):
                    if (
                        shallow
                        and type(item) is yaml.ScalarNode
                        and item.tag == _STR
                        and id(item) not in seen
                    ):
                        seen.add(id(item))
                        lines.setdefault((*path, i), item.start_mark.line + 1)
                        items.append(item.value)
                    else:
                        items.append(walk(item, (*path, i)))
                return items
            if isinstance(node, yaml.MappingNode) and node.tag == _MAP:
                mapping: dict[Any, Any] = {}
                for key_node, value_node in node.value:
                    key = walk(key_node, (*path, "<key>"))
                    if key_node.tag == _MERGE or not isinstance(key, Hashable):
                        what = "merge keys (<<)" if key_node.tag == _MERGE else "this key"
                        raise yaml.constructor.ConstructorError(
                            None, None, f"{what} cannot be used here", key_node.start_mark
                        )
                    if (*path, key) in lines:
                        duplicates.append((key_node.start_mark.line + 1, key))
                    lines[(*path, key)] = key_node.start_mark.line + 1
                    mapping[key] = walk(value_node, (*path, key))
                return mapping
            return loader.construct_object(node, deep=True)  # !!set, !!omap, unknown tags

        return walk(node, ()), duplicates

    def at(self, *path: Any) -> int | None:
        while path and path not in self._lines:
            path = path[:-1]
        return self._lines.get(path)


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _is_text_list(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(map(_is_text, value))


class _TopicChecker:
    """Checks one topic file's mapping; builds the Topic when the file itself has no error."""

    def __init__(self, owner: _Checker, path: Path, data: Any, lines: _Lines) -> None:
        self.owner, self.path, self.data, self.lines = owner, path, data, lines
        self.topic_id = data.get("id") if isinstance(data, dict) else None
        if not isinstance(self.topic_id, str):
            self.topic_id = None
        self.errors = 0

    def report(self, code: str, msg: str, *at: Any) -> None:
        self.owner.report(self.path, self.lines.at(*at), self.topic_id, code, msg)
        self.errors += RULES[code].severity == ERROR

    def check(self) -> Topic | None:
        data = self.data
        if not isinstance(data, dict):
            self.report("KB002", "the file must hold one mapping of fields")
            return None
        for name in REQUIRED:
            if name not in data:
                self.report("KB003", f"missing field {name!r}")
        for name in data:
            if name not in REQUIRED + OPTIONAL:
                self.report("KB004", f"unknown field {name!r}", name)
        self._check_identity()
        texts = {n: self._text(n) for n in ("title", "summary", "analogy", "docs")}
        phrasings = self._texts("phrasings", "phrasing")
        points = self._texts("points", "point")
        related = self._texts("related", None)
        commands = self._commands()
        compare = self._compare()
        self._check_links(texts["docs"])
        for i, ref in enumerate(related or ()):
            if ref == self.topic_id:
                self.report("KB017", "a topic cannot be related to itself", "related", i)
        self._check_style(phrasings, points, commands, related, texts["docs"])
        needs_docker_word = data.get("needs_docker_word", False)
        if not isinstance(needs_docker_word, bool):
            self.report("KB005", "needs_docker_word must be true or false", "needs_docker_word")
        if self.errors:
            return None
        assert phrasings is not None and points is not None and related is not None
        assert commands is not None
        return Topic(
            id=str(self.topic_id),
            kind=str(data["kind"]),
            title=str(texts["title"]),
            category=self.path.parent.name,
            phrasings=tuple(phrasings),
            summary=str(texts["summary"]).strip(),
            analogy=str(texts["analogy"]).strip(),
            points=tuple(p.strip() for p in points),
            commands=tuple(commands),
            related=tuple(related),
            docs=str(texts["docs"]),
            compare=compare,
            needs_docker_word=needs_docker_word is True,
        )

    def _check_identity(self) -> None:
        topic_id, kind = self.data.get("id"), self.data.get("kind")
        if "id" in self.data:
            if not isinstance(topic_id, str) or not KEBAB.match(topic_id):
                self.report("KB006", f"id {topic_id!r} is not lowercase-kebab", "id")
            elif topic_id != self.path.stem:
                msg = f"id {topic_id!r} differs from the file name {self.path.name!r}"
                self.report("KB007", msg, "id")
        if not KEBAB.match(self.path.parent.name):
            self.report(
                "KB006", f"category folder {self.path.parent.name!r} is not lowercase-kebab"
            )
        if "kind" in self.data and kind not in KINDS:
            self.report("KB013", f"kind {kind!r} is not one of {', '.join(KINDS)}", "kind")
        has_table = "compare" in self.data
        if kind == "comparison" and not has_table:
            self.report("KB014", "a comparison needs a compare table", "kind")
        if kind in KINDS and kind != "comparison" and has_table:
            self.report("KB014", f"a {kind} topic cannot carry a compare table", "compare")

    def _text(self, name: str, *at: Any, limit: str | None = None, value: Any = None) -> str | None:
        at = at or (name,)
        value = self.data.get(name) if value is None and len(at) == 1 else value
        if value is None and len(at) == 1 and name not in self.data:
            return None
        if not _is_text(value):
            msg = f"{'/'.join(map(str, at))} must be non-empty text"
            if isinstance(value, dict) and len(value) == 1:
                # Unquoted text with ": " in it, such as `external: true`, reads as a mapping.
                msg += "; YAML read it as 'key: value' because of its ': ', so quote the text"
            self.report("KB005", msg, *at)
            return None
        limit = limit or name
        if limit in TEXT_LIMITS and len(value) > TEXT_LIMITS[limit]:
            msg = f"{'/'.join(map(str, at))} has {len(value)} characters, over {TEXT_LIMITS[limit]}"
            self.report("KB012", msg, *at)
        return str(value)

    def _items(self, name: str, *at: Any, value: Any = None) -> list[Any] | None:
        at = at or (name,)
        if value is None and name not in self.data:
            return None
        value = self.data.get(name) if value is None else value
        if not isinstance(value, list) or (not value and name != "commands"):
            self.report("KB005", f"{'/'.join(map(str, at))} must be a non-empty list", *at)
            return None
        if len(value) > LIST_LIMITS[name]:
            msg = f"{name} has {len(value)} items, over {LIST_LIMITS[name]}"
            self.report("KB015", msg, *at)
        return value

    def _texts(self, name: str, limit: str | None) -> list[str] | None:
        items = self._items(name)
        if items is None:
            return None
        most = TEXT_LIMITS.get(limit or name)  # the limit _text would apply
        # Text within its limit (nearly every item) needs no report: only the others go
        # through _text, which says what is wrong with them.
        texts = [
            v
            if _is_text(v) and (most is None or len(v) <= most)
            else self._text(name, name, i, limit=limit or "", value=v)
            for i, v in enumerate(items)
        ]
        if name == "related":
            for i, v in enumerate(texts):
                if v is not None and not KEBAB.match(v):
                    self.report("KB006", f"related id {v!r} is not lowercase-kebab", name, i)
        if name == "phrasings":
            seen: set[str] = set()
            for i, v in enumerate(texts):
                key = normalise_phrasing(v or "")
                if key in seen:
                    self.report("KB010", f"phrasing {v!r} appears twice in this topic", name, i)
                seen.add(key)
        return [t for t in texts if t is not None]

    def _commands(self) -> list[Command] | None:
        items = self._items("commands")
        if items is None:
            return None
        commands = []
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                self.report("KB005", "each command must map run: and does:", "commands", i)
                continue
            for key in item:
                if key not in ("run", "does", "destructive"):
                    self.report("KB004", f"unknown command field {key!r}", "commands", i, key)
            run = self._command_text(item, i, "run", "command")
            does = self._command_text(item, i, "does", "does")
            destructive = item.get("destructive", False)
            if not isinstance(destructive, bool):
                self.report("KB005", "destructive must be true or false", "commands", i)
            if run and does:
                commands.append(Command(run.strip(), does.strip(), destructive is True))
        return commands

    def _command_text(self, item: dict[str, Any], i: int, key: str, limit: str) -> str | None:
        if key not in item:
            self.report("KB003", f"command {i + 1} is missing {key!r}", "commands", i)
            return None
        return self._text(key, "commands", i, key, limit=limit, value=item[key])

    def _compare(self) -> Comparison | None:
        table = self.data.get("compare")
        if table is None:
            return None
        if not isinstance(table, dict):
            self.report("KB005", "compare must map sides:, rows: and optionally topics:", "compare")
            return None
        for key in table:
            if key not in ("sides", "rows", "topics"):
                self.report("KB004", f"unknown compare field {key!r}", "compare", key)
        sides: Any = table.get("sides")
        if not (_is_text_list(sides) and len(sides) == 2):
            self.report("KB005", "compare/sides must be two column headings", "compare", "sides")
            sides = None
        else:
            for i, side in enumerate(sides):
                self._text("sides", "compare", "sides", i, limit="side", value=side)
        topics = table.get("topics", [])
        if not isinstance(topics, list) or not all(map(_is_text, topics)) or len(topics) > 2:
            self.report(
                "KB005", "compare/topics must list up to two topic ids", "compare", "topics"
            )
            topics = []
        rows = self._rows(table.get("rows"))
        if sides is None or rows is None:
            return None
        return Comparison((sides[0], sides[1]), tuple(rows), tuple(topics))

    def _rows(self, rows: Any) -> list[Row] | None:
        if not isinstance(rows, list) or not rows:
            self.report("KB005", "compare/rows must be a non-empty list", "compare", "rows")
            return None
        if len(rows) > LIST_LIMITS["rows"]:
            msg = f"rows has {len(rows)} items, over {LIST_LIMITS['rows']}"
            self.report("KB015", msg, "compare", "rows")
        result = []
        for i, row in enumerate(rows):
            at = ("compare", "rows", i)
            if not isinstance(row, dict) or set(row) != {"aspect", "left", "right"}:
                self.report("KB005", "each row must map exactly aspect:, left: and right:", *at)
                continue
            cells = [self._text(k, *at, k, limit="cell", value=row[k]) for k in row]
            if all(cells):
                result.append(Row(str(row["aspect"]), str(row["left"]), str(row["right"])))
        return result

    def _check_links(self, docs: str | None) -> None:
        if docs is not None and not docs.startswith("https://"):
            self.report("KB011", f"docs link {docs!r} is not https", "docs")

    def _check_style(
        self, phrasings: Any, points: Any, commands: Any, related: Any, docs: Any
    ) -> None:
        counts = {
            "phrasings": phrasings,
            "points": points,
            "commands": commands,
            "related": related,
        }
        for name, items in counts.items():
            if items is None:
                continue
            low, high, code = STYLE_RANGES[name]
            if len(items) < low or (high is not None and len(items) > high):
                span = f"{low} to {high}" if high else f"at least {low}"
                self.report(code, f"{name}: {len(items)}, the guide asks for {span}", name)
        if docs and docs.startswith("https://") and not docs.startswith("https://docs.docker.com/"):
            self.report("KB105", "link to the most specific docs.docker.com page", "docs")
        for i, command in enumerate(commands or ()):
            for name in PLACEHOLDER.findall(command.run):
                if not KEBAB.match(name):
                    msg = f"placeholder <{name}> should be <lowercase-kebab>"
                    self.report("KB106", msg, "commands", i)
