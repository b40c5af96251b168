"""The real knowledge base: clean, complete, and every topic found by its own phrasings."""

from __future__ import annotations

import re

import pytest

from bot.answer import explain
from bot.blocks import topics_reply
from bot.index import Index
from bot.knowledge import KnowledgeBase, check_knowledge
from bot.matching import Outcome, find
from bot.normalise import clean
from tests.conftest import KNOWLEDGE

# The topics the project was asked for, plus the two it started with.
REQUIRED_IDS = """
arg-vs-env base-image bind-mount bridge-network build-cache buildkit cmd cmd-vs-entrypoint
compose-file container container-lifecycle container-vs-vm copy-vs-add dangling-images
detached-mode docker-build docker-commit docker-compose docker-context docker-cp docker-daemon
docker-desktop docker-engine docker-exec docker-hub docker-images docker-init docker-inspect
docker-logs docker-ps docker-pull docker-push docker-rm docker-rmi docker-run docker-stats
docker-stop-vs-kill docker-system-df docker-top dockerfile dockerignore entrypoint env-vars
exec-vs-attach expose-vs-publish healthcheck host-network image image-digest image-vs-container
interactive-tty labels layer logging-driver multi-process-container multi-stage-build
namespaces-cgroups network onbuild overlayfs port-publishing prune registry repository
resource-limits restart-policy rootless save-vs-export scratch-image secrets security-scanning
storage-driver swarm swarm-vs-kubernetes tag tmpfs user-instruction user-namespace volume
volume-vs-bind-mount workdir
docker-stop one-image-many-containers
""".split()
MIN_TOPICS = 80
DOCS = "https://docs.docker.com/"
ANGLED = re.compile(r"<([^<>\s]*)>")
KEBAB_PLACEHOLDER = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

# Collected from the files, so each topic gets its own test even when the base fails to load.
TOPIC_IDS = sorted(path.stem for path in KNOWLEDGE.glob("*/*.yaml"))


def test_the_knowledge_base_has_no_problems_not_even_warnings() -> None:
    kb, problems = check_knowledge(KNOWLEDGE)
    assert [str(p) for p in problems] == []
    assert kb is not None


def test_every_required_topic_exists(kb: KnowledgeBase) -> None:
    assert sorted(set(REQUIRED_IDS) - set(kb.by_id)) == []


def test_there_are_at_least_80_topics(kb: KnowledgeBase) -> None:
    assert len(kb.topics) >= MIN_TOPICS


def test_every_topic_file_was_loaded(kb: KnowledgeBase) -> None:
    assert sorted(kb.by_id) == TOPIC_IDS


@pytest.mark.parametrize("topic_id", [t for t in TOPIC_IDS if "-vs-" in t])
def test_a_vs_topic_is_a_comparison_with_a_table(kb: KnowledgeBase, topic_id: str) -> None:
    topic = kb.by_id[topic_id]
    assert topic.kind == "comparison"
    assert topic.compare is not None and len(topic.compare.rows) >= 2


@pytest.mark.parametrize("topic_id", TOPIC_IDS)
def test_every_phrasing_of_a_topic_is_answered_with_that_topic(
    kb: KnowledgeBase, topic_id: str
) -> None:
    failures = []
    for phrasing in kb.by_id[topic_id].phrasings:
        _, finding = explain(phrasing, kb)
        if finding.outcome is not Outcome.ANSWER or finding.topic != topic_id:
            got = f"{finding.outcome.value} {list(finding.topics)} score={finding.score:.2f}"
            failures.append((topic_id, phrasing, got))
    assert failures == [], "\n".join(map(repr, failures))


def test_no_two_topics_have_phrasings_that_mean_the_same_to_the_matcher(
    kb: KnowledgeBase,
) -> None:
    # KB010 catches identical text; this catches phrasings that differ only in words the matcher
    # drops (stopwords, punctuation, plural -s): asked any other way, they could only tie.
    index = Index(kb)
    owners: dict[tuple[str, ...], set[str]] = {}
    for topic in kb.topics:
        for phrasing in topic.phrasings:
            terms = tuple(sorted(set(index.terms(clean(phrasing), correct=False).terms)))
            owners.setdefault(terms, set()).add(topic.id)
    shared = {terms: ids for terms, ids in owners.items() if len(ids) > 1}
    assert shared == {}


def test_a_chatty_phrasing_still_finds_its_topic(kb: KnowledgeBase) -> None:
    # Not the verbatim shortcut: greetings and thanks around a phrasing go through the scorer.
    misses = []
    for topic in kb.topics:
        for phrasing in topic.phrasings[:3]:
            finding = find(f"hey folks, {phrasing}, thanks!", kb)
            if finding.topic != topic.id:
                misses.append((topic.id, phrasing, finding.outcome.value, finding.topics))
    assert misses == []


def test_every_topic_is_listed_by_the_topics_reply(kb: KnowledgeBase) -> None:
    text = topics_reply(kb).text
    missing = [t.id for t in kb.topics if f"{t.title} ({t.id})" not in text]
    assert missing == []


def test_every_topic_is_reachable_from_another_topic_or_its_category(kb: KnowledgeBase) -> None:
    related = {ref for t in kb.topics for ref in t.related if ref != t.id}
    listed = {topic_id for c in kb.categories for topic_id in c.topics}
    assert sorted(set(kb.by_id) - related - listed) == []


def test_every_topic_is_in_the_listing_of_its_own_category(kb: KnowledgeBase) -> None:
    listing = {c.id: c.topics for c in kb.categories}
    misplaced = [t.id for t in kb.topics if t.id not in listing.get(t.category, ())]
    assert misplaced == []


def test_every_related_id_resolves(kb: KnowledgeBase) -> None:
    dangling = [(t.id, ref) for t in kb.topics for ref in t.related if ref not in kb.by_id]
    dangling += [
        (t.id, ref)
        for t in kb.topics
        if t.compare
        for ref in t.compare.topics
        if ref not in kb.by_id
    ]
    assert dangling == []


def test_every_docs_link_is_a_docs_docker_com_page(kb: KnowledgeBase) -> None:
    assert [(t.id, t.docs) for t in kb.topics if not t.docs.startswith(DOCS)] == []


def test_command_placeholders_are_lowercase_kebab(kb: KnowledgeBase) -> None:
    wrong = [
        (t.id, c.run, name)
        for t in kb.topics
        for c in t.commands
        for name in ANGLED.findall(c.run)
        if not KEBAB_PLACEHOLDER.fullmatch(name)
    ]
    assert wrong == []


def test_a_placeholder_check_would_catch_other_spellings() -> None:
    spelled = "docker logs <Container> <container_name> <> <image-1>"
    bad = [name for name in ANGLED.findall(spelled) if not KEBAB_PLACEHOLDER.fullmatch(name)]
    assert bad == ["Container", "container_name", ""]
