"""load_indexed(knowledge_dir, cache_dir): the knowledge base with its search index built, read
from a cache of the built index when one was made from the same files, else loaded, checked,
built and cached.

Loading, checking and indexing the knowledge base is most of a start: about half a second on a
2-core machine (PyYAML, the rules, tokenising ~10,000 texts in Python). Reading the built index
back takes a few tens of milliseconds. A cache entry is named by a digest of all the index is
made from: every file of the knowledge base (its path inside the folder and its bytes), the
source of the bot package, and the versions of Python and of the libraries that shape the
index. Any change gives another name, so a stale entry is never read. Only a valid knowledge
base is ever written, so a broken one finds no entry and is checked, and refused, as before.

An entry is a pickle, and reading a pickle can run code: entries are read only from a folder
and a file that the process's own user owns and no one else can write. Anything wrong with an
entry (unreadable, truncated, not trusted) is logged and the index is built as if there were
none: the cache can make a start faster, never make it fail.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import stat
import sys
import tempfile
import time
from pathlib import Path

import numpy
import rapidfuzz
import yaml

import bot
from bot.index import Index
from bot.knowledge import KnowledgeBase, load_knowledge
from bot.matching import adopt, index_for

log = logging.getLogger(__name__)

FORMAT = 1  # raised when what an entry holds changes in a way the digest would not see
KEEP = 3  # entries kept in the folder: the newest, for switching between a few versions


def load_indexed(knowledge_dir: Path, cache_dir: Path | None) -> KnowledgeBase:
    """The knowledge base, its index ready for index_for(); raises KnowledgeError as
    load_knowledge does. With no cache_dir, or no knowledge folder, nothing is cached."""
    if cache_dir is None or not Path(knowledge_dir).is_dir():
        kb = load_knowledge(knowledge_dir)
        index_for(kb)
        return kb
    started = time.perf_counter()
    try:
        entry = entry_path(knowledge_dir, cache_dir)
    except OSError as error:  # a file it cannot read: load_knowledge reports it with the rest
        log.warning("search index cache not used: %s", error)
        return load_indexed(knowledge_dir, None)
    index = read_entry(entry)
    if index is not None:
        adopt(index)
        log.info("search index read from %s in %.0f ms", entry, _ms_since(started))
        return index.kb
    kb = load_knowledge(knowledge_dir)
    index = index_for(kb)
    log.info("search index built in %.0f ms", _ms_since(started))
    if write_entry(entry, index):
        log.info("search index cached in %s", entry)
    return kb


def entry_path(knowledge_dir: Path, cache_dir: Path) -> Path:
    """Where the index of this knowledge base, built by this code, is cached."""
    digest = hashlib.blake2b(digest_size=16)
    versions = (FORMAT, sys.version, numpy.__version__, rapidfuzz.__version__, yaml.__version__)
    digest.update(repr(versions).encode())
    package = Path(bot.__file__).resolve().parent
    sources = [("code", package, sorted(package.rglob("*.py")))]
    sources.append(("knowledge", Path(knowledge_dir), sorted(Path(knowledge_dir).rglob("*"))))
    for label, root, paths in sources:
        for path in paths:
            if not path.is_file():
                continue
            # Paths inside their folder: an entry made at build time in one folder is read at
            # run time in another (a PaaS builds in a temporary folder and runs in /app).
            name = f"{label}:{path.relative_to(root).as_posix()}".encode()
            data = path.read_bytes()
            digest.update(b"%d:%s%d:" % (len(name), name, len(data)))
            digest.update(data)
    return Path(cache_dir) / f"index-{digest.hexdigest()}.pickle"


def read_entry(entry: Path) -> Index | None:
    """The index cached in entry, or None when there is none to trust."""
    try:
        with open(entry, "rb") as file:
            if not (_trusted(os.stat(entry.parent)) and _trusted(os.fstat(file.fileno()))):
                log.warning("search index cache %s is not this user's alone: not read", entry)
                return None
            index = pickle.load(file)
    except FileNotFoundError:
        return None
    except Exception as error:  # a truncated or foreign file can raise almost anything
        log.warning("search index cache %s is unreadable (%r): building it again", entry, error)
        return None
    if not isinstance(index, Index):
        log.warning("search index cache %s holds no index: building it again", entry)
        return None
    return index


def write_entry(entry: Path, index: Index) -> bool:
    """Cache the index in entry (written whole or not at all); False, logged, when it cannot."""
    temporary: str | None = None
    try:
        entry.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=entry.parent, prefix=".index-", suffix=".tmp")
        with os.fdopen(handle, "wb") as file:
            pickle.dump(index, file, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, entry)
    except Exception as error:  # a cache that cannot be written must not stop a start
        log.warning("cannot cache the search index in %s: %s", entry.parent, error)
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
        return False
    _prune(entry)
    return True


def _trusted(info: os.stat_result) -> bool:
    """Owned by this process's user and writable by no one else (always so where there are
    no POSIX owners)."""
    if not hasattr(os, "geteuid"):
        return True
    return info.st_uid == os.geteuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _prune(kept: Path) -> None:
    """Remove all but the newest KEEP entries: each edit of the knowledge base makes one."""
    entries = []
    for path in kept.parent.glob("index-*.pickle"):
        try:
            entries.append((path.stat().st_mtime, path))
        except OSError:  # removed meanwhile by another process
            continue
    entries.sort(reverse=True)
    for _, path in entries[KEEP:]:
        if path != kept:
            try:
                path.unlink(missing_ok=True)
            except OSError as error:
                log.warning("cannot remove the old search index cache %s: %s", path, error)


def _ms_since(started: float) -> float:
    return (time.perf_counter() - started) * 1000
