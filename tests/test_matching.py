"""Matching behaviour on the real knowledge base: how people ask -> answer, suggest, decline."""

from __future__ import annotations

import gc
import math
import os
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

import bot.index
from bot.evaluate import load_questions
from bot.index import Index, Params, Terms, best_first, command_signatures, word_pairs
from bot.knowledge import KnowledgeBase, normalise_phrasing
from bot.matching import Outcome, find, find_in, index_for
from bot.normalise import DOCKER_WORDS, alnum_runs, asked_form, clean, stem, words
from bot.typos import FAR_KEY, adjacent, keyboard_distance

ANSWERS = [
    # plain concept and how-to questions
    ("what's the difference between an image and a container?", "image-vs-container"),
    ("how do I clean up dangling images?", "dangling-images"),
    ("CMD or ENTRYPOINT?", "cmd-vs-entrypoint"),
    ("how do i keep my database data when the container is deleted", "volume"),
    # comparisons, however they are phrased
    ("image vs container", "image-vs-container"),
    ("difference between a volume and a bind mount", "volume-vs-bind-mount"),
    ("should i use a bind mount or a volume for my postgres data", "volume-vs-bind-mount"),
    ("COPY or ADD in a dockerfile?", "copy-vs-add"),
    ("arg vs env", "arg-vs-env"),
    ("docker stop vs docker kill", "docker-stop-vs-kill"),
    # confusion between two things asks for the comparison ("confused" itself is talk)
    ("confused about images and containers", "image-vs-container"),
    ("images and containers are confusing me", "image-vs-container"),
    # pasted commands and command names
    ("docker rmi", "docker-rmi"),
    ("docker rm -f $(docker ps -aq)", "docker-rm"),
    ("docker system df", "docker-system-df"),
    ("`docker logs -f web`", "docker-logs"),
    ("docker run -p 8080:80 nginx not reachable", "port-publishing"),
    # typos in any word
    ("what is a contianer", "container"),
    ("volumne", "volume"),
    ("entrypiont", "entrypoint"),
    ("whats a dockerfle", "dockerfile"),
    # chat spelling, and misspelt stopwords, say nothing about the topic (left in, a word no
    # topic uses counts against every topic, and these were declined)
    ("wat is a dockerfile new to this sry", "dockerfile"),
    # "needed" is a form of the stopword "need" and now a stopword too; as a term it sank the card
    ("is the EXPOSE line even needed", "expose-vs-publish"),
    ("what is docker and why does evryone use it", "what-is-docker"),
    # "what problem does it solve" and "why would we use" ask what a thing is for: as stopwords
    # alone they left only the context, and these were declined or answered with ci-builds
    (
        "the sales people keep asking me, what problem does docker actually solve for a customer",
        "what-is-docker",
    ),
    ("why would we use docker when our deploy scripts already work", "what-is-docker"),
    # a time of night is a schedule (synonyms.yaml): "4am" alone was a word no card had
    ("what's the cleanest way to have a container run our export script at 4am", "scheduled-jobs"),
    # words run together
    ("my portmapping is not working", "port-publishing"),
    ("bindmount or volume for my postgres data", "volume-vs-bind-mount"),
    # and words typed apart (or dictated) that are one word of the knowledge base
    ("what are c groups", "namespaces-cgroups"),
    ("should i switch to pod man", "docker-vs-podman"),
    # abbreviations and synonyms, from knowledge/synonyms.yaml
    ("diff between img and container??", "image-vs-container"),
    ("how do i pass an env var to a ctr", "env-vars"),
    ("docker-compose.yml structure", "compose-file"),
    ("port forwarding", "port-publishing"),
    ("delete the volumes that are not being used anymore", "prune"),
    ("swarm or k8s", "swarm-vs-kubernetes"),
    ("where does docker store registry creds", "docker-login"),
    ("svc cant reach other svc in compose", "container-dns"),
    # terse short forms: "bg", "net ns", "nets" (each was declined or went elsewhere)
    ("start the ctr in the bg", "detached-mode"),
    ("two ctrs sharing one net ns", "shared-network-namespace"),
    ("can ctrs on separate nets reach each other", "network"),
    # "auto-restart" is a restart policy, not the docker restart command
    ("auto-restart containers??", "restart-policy"),
    # a "clean build" is one without the cache; "clean" alone still removes things
    ("how do i force a clean build of my image", "build-cache"),
    # "shrink" is "size": making an image smaller, not listing images with their sizes
    ("how do i shrink my image", "image-size"),
    # "bump", "tweak": a change of a setting's value, here on a container that exists
    (
        "bump an environment variable on a container that is already running",
        "change-running-container",
    ),
    ("can i tweak the ports of a container i already started", "change-running-container"),
    # another tool's command, asked for the Docker way: its job, not the other tool
    ("what's the virsh list equivalent in docker", "docker-ps"),
    ("vagrant ssh but for a docker container?", "docker-exec"),
    ("whats the docker counterpart to vagrant destroy", "docker-rm"),
    ("apt autoremove but for docker", "prune"),
    # "from" is a stopword, but the FROM line is an instruction
    ("what does the FROM line actually do", "base-image"),
    # Slack formatting and chatter around the question
    ("<@U0BOT> hey folks, quick question: what is a volume? thanks!", "volume"),
    ("<#C0123|devops> anyone know how to see container logs?", "docker-logs"),
    ("see <https://docs.docker.com/engine/storage/|the docs> - tmpfs mounts?", "tmpfs"),
    ("```docker image prune -a```", "prune"),
    ("how do i get rid of all those &lt;none&gt; images", "dangling-images"),
    # "no such file or directory" says something is missing, not nothing (all stopwords)
    ("exec /app/start.sh: no such file or directory when the container starts", "entrypoint"),
    # docker0 is Docker's own bridge: naming it names Docker, which bridge-network requires
    ("what is this docker0 thing that showed up in ifconfig", "bridge-network"),
]


@pytest.mark.parametrize(("question", "topic"), ANSWERS)
def test_question_is_answered_with_its_topic(kb: KnowledgeBase, question: str, topic: str) -> None:
    finding = find(question, kb)
    assert (finding.outcome, finding.topics) == (Outcome.ANSWER, (topic,)), finding.ranked


@pytest.mark.parametrize(
    ("question", "pair"),
    [
        ("layer vs tag", {"layer", "tag"}),
        (
            "what's the difference between a healthcheck and a restart policy",
            {
                "healthcheck",
                "restart-policy",
            },
        ),
    ],
)
def test_comparison_without_a_comparison_topic_answers_side_by_side(
    kb: KnowledgeBase, question: str, pair: set[str]
) -> None:
    finding = find(question, kb)
    assert finding.outcome is Outcome.PAIR and set(finding.topics) == pair, finding


@pytest.mark.parametrize(
    ("question", "topics"),
    [
        # The comma inside the JSON array is not a clause boundary: '"start"] vs ENTRYPOINT
        # npm start' made this a "docker-stop vs entrypoint" side-by-side.
        ('ENTRYPOINT ["npm","start"] vs ENTRYPOINT npm start', {"entrypoint", "cmd-vs-entrypoint"}),
        # Nor is one with a space after it, inside the list: the clause is the whole comparison,
        # and both of its sides are CMD. (It had been '"start"] vs CMD npm start', and a
        # docker-stop vs cmd side-by-side when nothing else in the message set it aside.)
        ('CMD ["npm", "start"] vs CMD npm start, does the form matter', {"cmd"}),
        ('CMD ["npm", "start"] vs CMD npm start', {"cmd"}),
        # "cmd" is Docker's word though Windows' cmd and firewall-cmd are out of scope: without
        # it as a sign of Docker these were declined (one that ended "does it matter?" was
        # answered from that clause alone, with image-size).
        ('CMD ["ruby","main.rb"] vs CMD ruby main.rb, any difference?', {"cmd"}),
        ('CMD ["java","-jar","svc.jar"] vs CMD java -jar svc.jar, which is better?', {"cmd"}),
    ],
)
def test_a_comparison_inside_one_topic_is_not_split_into_two(
    kb: KnowledgeBase, question: str, topics: set[str]
) -> None:
    finding = find(question, kb)
    assert finding.outcome is Outcome.ANSWER, finding
    assert finding.topics[0] in topics, finding


@pytest.mark.parametrize(
    ("question", "card"),
    [
        # "compose" settles on the docker-compose card, but it names the Compose file too,
        # which is what compose-vs-dockerfile sets beside the Dockerfile.
        ("when do i write a dockerfile vs compose", "compose-vs-dockerfile"),
        # "./data folder" settles on data-root; a folder of the host is a bind mount's.
        ("named volume or ./data folder, which one", "volume-vs-bind-mount"),
    ],
)
def test_a_comparison_card_answers_when_the_sides_name_what_it_compares(
    kb: KnowledgeBase, question: str, card: str
) -> None:
    finding = find(question, kb)
    assert (finding.outcome, finding.topics) == (Outcome.ANSWER, (card,)), finding


def test_a_comparison_card_of_one_side_and_something_else_does_not_answer(
    kb: KnowledgeBase,
) -> None:
    # image-vs-container leads, but nothing in the question names a container.
    finding = find("layers vs images", kb)
    assert (finding.outcome, set(finding.topics)) == (Outcome.PAIR, {"layer", "image"}), finding


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        # The rest of the message leans to save-vs-export ("moving ... servers") and
        # windows-containers; the question asked is exactly a phrasing of another card.
        ("what is docker and why is everyone moving their servers to it", "what-is-docker"),
        ("what is a container actually? explain like I'm a windows admin", "container"),
    ],
)
def test_a_question_asked_exactly_beats_an_unsure_answer_to_the_whole(
    kb: KnowledgeBase, question: str, topic: str
) -> None:
    finding = find(question, kb)
    assert (finding.outcome, finding.topics) == (Outcome.ANSWER, (topic,)), finding
    assert finding.ranked[0][0] == topic, finding


def test_an_or_between_two_details_of_a_third_topic_answers_that_topic(kb: KnowledgeBase) -> None:
    # "service container or docker compose" names two topics, but the question is how to run
    # CI tests against a database: the best topic is neither side and sure of itself.
    finding = find(
        "how do i run integration tests against a real postgres in github actions, "
        "service container or docker compose?",
        kb,
    )
    assert finding.outcome is Outcome.ANSWER, finding
    assert finding.topics[0] in {"ci-builds", "one-off-tasks"}, finding


@pytest.mark.parametrize(
    "question",
    [
        "get an alert when a container crashes or gets oom killed, prometheus?",
        "get an alert when a container crashes or gets oom killed",
    ],
)
def test_an_or_that_is_not_asked_as_a_choice_is_no_comparison(
    kb: KnowledgeBase, question: str
) -> None:
    # "crashes or gets oom killed" lists two events; the question mark belongs to another
    # clause. Read as "X or Y?", it gave monitoring and resource-limits side by side.
    finding = find(question, kb)
    assert (finding.outcome, finding.topics) == (Outcome.ANSWER, ("monitoring",)), finding
    asked = find("healthcheck or restart policy?", kb)
    assert asked.outcome is Outcome.PAIR, asked


def test_a_side_of_a_comparison_must_name_its_topic(kb: KnowledgeBase) -> None:

    index = Index(kb)
    assert index.names("image", index.terms("my imgs"))
    assert index.names("docker-rmi", index.terms("docker rmi"))
    assert not index.names("port-publishing", index.terms("cannot reach my app"))


@pytest.mark.parametrize(
    ("question", "outcome", "asked"),
    [
        # "conda" names no topic: neither side can settle on one, so neither is ranked.
        ("python venv vs conda?", Outcome.DECLINE, ["python venv vs conda?"]),
        # "MAINTAINER" alone names no topic either (the left side names labels).
        ("LABEL maintainer vs MAINTAINER", Outcome.ANSWER, ["label maintainer vs maintainer"]),
        # Both sides name port-publishing and nothing else: a pair needs two topics.
        (
            "-p 3000:3000 vs -p 3000 whats the difference",
            Outcome.ANSWER,
            ["-p 3000:3000 vs -p 3000 whats the difference"],
        ),
        # A card compares what the sides name: both are ranked, and the card answers.
        (
            "should i use a named volume or a bind mount for my database",
            Outcome.ANSWER,
            [
                "should i use a named volume or a bind mount for my database",
                "should i use a named volume",
                "a bind mount for my database",
            ],
        ),
        # Both among the ranked topics: the side that is not a phrasing exactly is ranked.
        ("layers vs images", Outcome.PAIR, ["layers vs images", "layers"]),
    ],
)
def test_the_sides_of_a_comparison_are_ranked_only_when_they_can_be_of_use(
    kb: KnowledgeBase,
    monkeypatch: pytest.MonkeyPatch,
    question: str,
    outcome: Outcome,
    asked: list[str],
) -> None:
    # Each ranking scores every topic in full: a side that cannot settle on a topic that
    # makes the pair of use is not ranked at all.
    ranked: list[str] = []
    best = Index.best

    def counted(
        index: Index, terms: Terms, text: str, limit: int, penalties: tuple[float, ...] = ()
    ) -> tuple[np.ndarray, np.ndarray]:
        ranked.append(text)
        return best(index, terms, text, limit, penalties)

    monkeypatch.setattr(Index, "best", counted)
    finding = find(question, kb)
    assert finding.outcome is outcome, finding
    assert ranked == asked


@pytest.mark.parametrize("was_on", [True, False])
def test_building_an_index_leaves_the_cycle_collector_as_it_found_it(
    kb: KnowledgeBase, was_on: bool
) -> None:
    (gc.enable if was_on else gc.disable)()
    try:
        Index(kb)
        assert gc.isenabled() is was_on
        with pytest.raises(TypeError):  # a build that fails half way
            Index(replace(kb, synonyms={"volume": None}))
        assert gc.isenabled() is was_on
    finally:
        gc.enable()


@pytest.mark.parametrize(
    "question",
    [
        "what's the weather",
        "how do pods schedule in Kubernetes",
        "tell me a joke",
        "how do i center a div",
        "what is a helm chart",
    ],
)
def test_out_of_scope_question_is_declined(kb: KnowledgeBase, question: str) -> None:
    assert find(question, kb).outcome is Outcome.DECLINE


def test_a_second_question_joined_with_and_is_read_apart_from_the_first(kb: KnowledgeBase) -> None:
    # As one question its only words are "docker" and "suddenly", which a phrasing of
    # container-internet-access happens to use; "what is docker" alone is clear.
    finding = find("what is docker and why is my whole team suddenly into it", kb)
    assert finding.topic == "what-is-docker", finding


def test_a_question_that_says_it_is_not_about_docker_is_declined(kb: KnowledgeBase) -> None:
    # The "docker" in it made database-containers sure of it.
    question = "my postgres service won't start after the upgrade (not using docker)"
    assert find(question, kb).outcome is Outcome.DECLINE
    question = "our redis is slow to restart, not containerized"
    assert find(question, kb).outcome is Outcome.DECLINE
    # "nothing to do with containers (yet)", "(no docker there)" say it too
    question = "tuning postgres shared_buffers on the db host, nothing to do with containers yet"
    assert find(question, kb).outcome is Outcome.DECLINE
    question = "the old mail server (no docker there) rejects port 587, where do i look"
    assert find(question, kb).outcome is Outcome.DECLINE
    # Not containerized *yet*: how to start is a Docker question.
    assert find("our api is not containerized yet, how do we start", kb).topic == "container"
    # Something else not in Docker, asked about from a container, is a Docker question.
    question = "postgres runs on the host, not in docker; how does my container reach it"
    assert find(question, kb).topic == "host-from-container"


@pytest.mark.parametrize(
    "question",
    [
        "lxd container or a full vm for the file server?",
        "incus containers or full vms for our home lab services",
        "how do i give an lxc container more ram",
    ],
)
def test_an_lxc_lxd_or_incus_container_is_not_dockers(kb: KnowledgeBase, question: str) -> None:
    assert find(question, kb).outcome is Outcome.DECLINE


def test_a_docker_question_that_names_lxc_is_still_answered(kb: KnowledgeBase) -> None:
    finding = find("is a docker container the same thing as an lxc container", kb)
    assert finding.outcome is Outcome.ANSWER


def test_a_question_closest_to_knowledge_out_of_scope_yaml_is_declined(kb: KnowledgeBase) -> None:
    question = "how do i see the logs of a kubernetes pod"
    assert find(question, kb).outcome is Outcome.DECLINE
    # Without the out-of-scope questions the nearest card (docker-logs) would answer it.
    assert find(question, replace(kb, out_of_scope={})).outcome is Outcome.ANSWER


def test_the_out_of_scope_pseudo_topic_is_never_shown(kb: KnowledgeBase) -> None:

    here = Path(__file__).resolve().parent
    questions = [q.q for f in sorted(here.glob("questions*.yaml")) for q in load_questions(f)]
    questions += [p for group in kb.out_of_scope.values() for p in group]
    for question in questions:
        finding = find(question, kb)
        shown = set(finding.topics) | {t for t, _ in finding.ranked}
        assert shown <= set(kb.by_id), (question, finding)


@pytest.mark.parametrize(
    "question",
    [
        "docker",
        "Docker?",
        "docker vs",
        "help me",
        "hi",
        "thanks!",
        "",
        "🐳🐳",
        "hey, how's it going?",
    ],
)
def test_generic_words_never_get_a_confident_answer(kb: KnowledgeBase, question: str) -> None:
    assert find(question, kb).outcome is Outcome.VAGUE


def test_a_question_between_two_close_topics_offers_both(kb: KnowledgeBase) -> None:
    finding = find("delete", kb)
    assert finding.outcome is Outcome.SUGGEST
    assert {"docker-rm", "docker-rmi"} <= set(finding.topics)
    assert len(finding.topics) <= 3


@pytest.mark.parametrize("question", ["what is docker?", "wat is docker", "wut is docker??"])
def test_what_is_docker_is_a_question_not_a_vague_word(kb: KnowledgeBase, question: str) -> None:
    assert find(question, kb).topic == "what-is-docker"


def test_one_clear_sentence_in_a_long_message_is_answered(kb: KnowledgeBase) -> None:
    question = (
        "ok so our team moved the billing service to a new rack last sprint, jenkins runs the "
        "nightly jobs, grafana shows weird spikes, nobody knows why. anyway, how do i see the "
        "logs of a container?"
    )
    assert find(question, kb).topic == "docker-logs"


def test_a_short_what_is_sentence_in_a_long_message_is_answered(kb: KnowledgeBase) -> None:
    question = (
        "right, what is a dockerfile? the new hire asked me during lunch and my explanation "
        "was a mess, sadly"
    )
    assert find(question, kb).topic == "dockerfile"


@pytest.mark.parametrize(
    "question",
    ["tabs vs spaces, what is the difference?", "vim vs emacs. what is the difference"],
)
def test_a_bare_what_is_the_difference_sentence_is_no_docker_question(
    kb: KnowledgeBase, question: str
) -> None:
    # Read alone, "what is the difference" is only "vs": it used to match the comparison card
    # that says "difference" most often, whatever the two things compared were.
    assert find(question, kb).outcome is Outcome.DECLINE
    assert find("image vs container, what is the difference?", kb).topic == "image-vs-container"


def test_a_sentence_that_is_a_phrasing_only_without_docker_is_not_read_alone(
    kb: KnowledgeBase,
) -> None:
    # "pros and cons" is "pros and cons of docker" once "docker" is left out. Asked alone of
    # a Docker bot it means that; as one sentence of a message about Java build tools it does
    # not, and it used to answer what-is-docker for any "X vs Y, pros and cons".
    assert find("gradle or maven for a new java service? pros and cons", kb).outcome is (
        Outcome.DECLINE
    )
    asked = "we are thinking about it for the new billing service. pros and cons of docker?"
    assert find(asked, kb).topic == "what-is-docker"
    assert find("pros and cons", kb).topic == "what-is-docker"


def test_the_two_sides_of_a_comparison_either_side_of_or_ask_the_comparison(
    kb: KnowledgeBase,
) -> None:
    # The best single topic is one side; the words around "or" name both.
    asked = "for the sqlite file of a small app, a named volume or mounting ./data from the repo?"
    assert find(asked, kb).topic == "volume-vs-bind-mount"
    assert find("poking around in a running container: attach or exec?", kb).topic == (
        "exec-vs-attach"
    )
    # Two sides of a comparison beside "or" in a warning about something else: the best topic
    # is neither side, and it stays the answer.
    warning = "Do not use ARG or ENV instructions for sensitive data"
    assert find(warning, kb).topic == "secrets"


def test_huge_and_binary_input_is_handled(kb: KnowledgeBase) -> None:
    assert find("volume " * 10_000, kb).outcome is Outcome.ANSWER
    assert find("\x00\x01\x02 \ufffd\ufffd", kb).outcome in (Outcome.VAGUE, Outcome.DECLINE)


def test_ranking_lists_the_best_candidates_first(kb: KnowledgeBase) -> None:
    finding = find("how do i remove a stopped container", kb)
    scores = [s for _, s in finding.ranked]
    assert scores == sorted(scores, reverse=True)
    assert finding.ranked[0][0] == "docker-rm"


def test_version_numbers_say_nothing_but_addresses_do(kb: KnowledgeBase) -> None:
    # "3.12" must not match the base-image phrasing about python:3.12-slim on its digits.
    assert find("python 3.12 release notes", kb).outcome is Outcome.DECLINE
    # An address is a networking clue: the same words without it would not settle on a topic.
    finding = find("connect ECONNREFUSED 127.0.0.1:5432 from my app in compose", kb)
    assert finding.topic in {"host-from-container", "port-publishing"}, finding.ranked


def test_words_keep_addresses_whole_and_drop_versions() -> None:

    assert words("python:3.12-slim on ubuntu 22.04") == ["python", "slim", "on", "ubuntu"]
    assert words("-p 127.0.0.1:8080:80") == ["-p", "127.0.0.1", "8080", "80"]


def test_words_read_accented_letters_as_plain_ones() -> None:

    assert words("máquina virtual o contêiner?") == ["maquina", "virtual", "o", "conteiner"]
    # Full-width letters, as some input methods type them, are plain letters too.
    assert words("naïve café \uff44\uff4f\uff43\uff4b\uff45\uff52") == ["naive", "cafe", "docker"]


@pytest.mark.parametrize(
    "text",
    ["how do i run nginx", "Ünïcödé café — naïve", "a\x00b\tc", "", "--- ... ---", "ABC def 42"],
)
def test_the_ascii_fast_path_finds_the_same_words_as_the_pattern(text: str) -> None:
    assert alnum_runs(text) == re.findall(r"[a-z0-9]+", text)
    assert normalise_phrasing(text) == " ".join(re.findall(r"[0-9a-z]+", text.lower()))


def test_stemming_keeps_a_containers_states_apart_from_docker_stats(kb: KnowledgeBase) -> None:

    assert stem("states") == stem("state") != stem("stats")
    assert find("what states can a container be in", kb).topic == "container-lifecycle"
    assert find("show live stats of my containers", kb).topic == "docker-stats"


def test_stemming_keeps_the_windows_os_apart_from_a_gui_window(kb: KnowledgeBase) -> None:

    assert stem("windows") != stem("window")
    assert find("how to display a window from a docker container", kb).topic == "gui-apps"
    assert find("can docker run windows images on a linux server", kb).topic == (
        "windows-containers"
    )


def test_stemming_keeps_a_locale_apart_from_local(kb: KnowledgeBase) -> None:

    assert stem("locales") == stem("locale") != stem("local")
    assert find("do i need to install locales in a debian based image", kb).topic == (
        "container-locale"
    )
    assert find("container shows utc instead of my local time", kb).topic == "container-timezone"


def test_scoring_the_phrasings_that_share_a_term_equals_scoring_every_phrasing(
    kb: KnowledgeBase,
) -> None:
    """score() works out the F-measure, best and second-best phrasing only for the phrasings
    sharing a term with the question; worked out plainly over every phrasing of every topic,
    the scores are the same (re-ranking with its word pairs and runs, naive Bayes and the form
    bonus, which do not depend on it, off)."""
    plain = Params(
        fuzzy_weight=0.0, nb_weight=0.0, word_pair_weight=0.0, word_run_weight=0.0, form_bonus=0.0
    )
    index = Index(kb, plain)
    # Every fifth question of the tuning file: the plain way is slow.
    questions = [q.q for q in load_questions(Path(__file__).parent / "questions.yaml")][::5]
    b2 = plain.beta**2
    for question in [*questions, "docker", "volume " * 50, "run start stop rm", "zzqx"]:
        terms = index.terms(question)
        digits = set("0123456789")
        unique = [t for t in dict.fromkeys(terms.terms) if t in index.idf or not digits & set(t)]
        known = [t for t in unique if t in index.idf]
        unseen = math.log(1 + len(index.ids) / plain.unseen_df)
        mass = sum(index.idf[t] for t in known) + unseen * (len(unique) - len(known))
        scores = index.score(terms, question)
        if not known:
            assert not scores.any(), question
            continue
        per_topic: list[list[float]] = [[] for _ in index.ids]
        for topic, phrasing in zip(index._phr_topic, index._phr_terms, strict=True):
            shared = sum(index.idf[t] for t in known if t in phrasing)
            whole = sum(index.idf[t] for t in phrasing)
            r, p = (shared / whole, shared / mass) if shared else (0.0, 0.0)
            per_topic[topic].append((1 + b2) * p * r / (b2 * p + r) if shared else 0.0)
        coverage = [0.0] * len(index.ids)
        for t in known:
            for j, w in zip(*index._top_post[t], strict=True):
                coverage[j] += index.idf[t] * w
        for i, fs in enumerate(per_topic):
            fs = [*sorted(fs, reverse=True), 0.0]
            expected = (
                plain.phrasing_weight * (fs[0] - plain.second_weight * (fs[0] - fs[1]))
                + (1 - plain.phrasing_weight) * coverage[i] / mass
                + plain.comparison_bonus * ("vs" in unique) * index.is_comparison(index.ids[i])
            )
            assert scores[i] == pytest.approx(expected, abs=1e-9), (question, index.ids[i])


@pytest.fixture(scope="module")
def full_and_pruned(kb: KnowledgeBase) -> tuple[Index, Index]:
    """The real knowledge base indexed twice: every topic always scored in full, and pruning
    forced on (prune_above=0)."""
    return Index(kb, Params(prune_above=10**9)), Index(kb, Params(prune_above=0))


def test_ranking_only_the_topics_that_can_be_best_finds_what_scoring_all_of_them_does(
    full_and_pruned: tuple[Index, Index],
) -> None:
    """Above prune_above topics, only the topics whose ceiling reaches the rerank-th best score
    are scored in full. Forced on the real knowledge base, every question of the tuning file
    gets the same finding (topics, scores, runners-up) as when every topic is scored in full,
    and nearly all of them are scored with only some of the topics."""
    full, pruned = full_and_pruned
    questions = [q.q for q in load_questions(Path(__file__).parent / "questions.yaml")]
    shares = []
    for question in [*questions, "docker", "zzqx", "volume " * 50, "image vs container"]:
        assert find_in(question, pruned) == find_in(question, full), question
        text = clean(question)
        exact = pruned._score(pruned.terms(text), text, prune=True)[1]
        if exact is not None:
            shares.append(np.mean(exact))
    assert len(shares) > 500
    assert sum(share < 1 for share in shares) > 0.9 * len(shares)


def test_pruning_a_thousand_topics_finds_what_scoring_all_of_them_does(
    kb: KnowledgeBase,
) -> None:
    """1,000 topics: the real ones, and copies of them each with a made-up word of its own in
    its title and phrasings (as bench/synthetic.py makes its knowledge bases). Copies of a topic
    tie by the dozen, so this is where ties at the cut and best()'s second, full scoring are
    met: every question of the held-out file gets the same finding with pruning as without."""

    def made_up(k: int) -> str:
        letters = ""
        while True:
            k, digit = divmod(k, 26)
            letters += "abcdefghijklmnopqrstuvwxyz"[digit]
            if not k:
                return "zq" + letters

    copies = []
    for k in range(1000 - len(kb.topics)):
        topic, word = kb.topics[k % len(kb.topics)], made_up(k)
        copies.append(
            replace(
                topic,
                id=f"{topic.id}-{word}",
                title=f"{topic.title} {word}",
                phrasings=tuple(f"{p} {word}" for p in topic.phrasings),
            )
        )
    big = replace(kb, topics=(*kb.topics, *copies))
    full, pruned = Index(big, Params(prune_above=10**9)), Index(big, Params(prune_above=500))
    for question in load_questions(Path(__file__).parent / "questions_holdout.yaml"):
        assert find_in(question.q, pruned) == find_in(question.q, full), question.q


def test_a_pruned_topic_that_comes_out_on_top_is_scored_in_full(
    full_and_pruned: tuple[Index, Index],
) -> None:
    """A penalty can put below them the topics that pruning scored in full; the topics then on
    top had only a ceiling, and are scored in full before they are ranked."""
    full, pruned = full_and_pruned
    text = clean("how do i remove a stopped container")
    terms = full.terms(text)
    penalty = np.zeros(len(full.ids))
    penalty[best_first(full.score(terms, text), 40)] = 10.0
    kept, exact = pruned._score(terms, text, prune=True)
    assert exact is not None and not exact[best_first(kept - penalty, 5)].all()
    order, scores = pruned.best(terms, text, 5, [penalty])
    expected_order, expected_scores = full.best(terms, text, 5, [penalty])
    assert order.tolist() == expected_order.tolist()
    assert scores.tolist() == expected_scores.tolist()
    assert scores.max() < 1.0  # the penalised topics are not among them


_SCORES_DIGEST = """
import hashlib
from pathlib import Path
from bot.evaluate import load_questions
from bot.knowledge import load_knowledge
from bot.matching import index_for
from bot.normalise import clean
index = index_for(load_knowledge(Path("knowledge")))
digest = hashlib.sha256()
for question in load_questions(Path("tests/questions.yaml")):
    text = clean(question.q)
    digest.update(index.score(index.terms(text), text).tobytes())
print(digest.hexdigest())
"""


def test_scores_are_the_same_to_the_last_bit_whatever_the_string_hashing() -> None:
    """Two processes (two gunicorn workers, a worker and the command line) hash strings
    differently: no score of any topic may depend on the order a set of strings comes out in,
    or the same question could break a tie one way in one process and the other way in the
    next."""
    root = Path(__file__).resolve().parent.parent
    digests = set()
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", _SCORES_DIGEST],
            capture_output=True,
            text=True,
            cwd=root,
            env=env,
            timeout=120,
            check=True,
        )
        digests.add(done.stdout.strip())
    assert len(digests) == 1, digests


@pytest.mark.parametrize("size", [200, 1000])
def test_best_first_keeps_the_first_topics_of_a_tie(size: int) -> None:
    scores = np.zeros(size)
    scores[[150, 3, 100]] = [0.5, 0.9, 0.5]
    assert best_first(scores, 5).tolist() == [3, 100, 150, 0, 1]
    scores = np.zeros(size)
    scores[1::3] = 0.25
    scores[[199, 10]] = 1.0
    assert best_first(scores, 6).tolist() == [10, 199, 1, 4, 7, 13]


def _lead(
    kb: KnowledgeBase, phrasings: dict[str, tuple[str, ...]], question: str, **params: float
) -> float:
    """How far the first of two made-up topics scores above the second for the question, with
    the given matcher settings: a rule shows by moving the lead."""

    base = kb.topics[0]
    made = tuple(replace(base, id=topic, phrasings=texts) for topic, texts in phrasings.items())
    small = replace(kb, topics=(*made, *kb.topics[1:]), out_of_scope={})
    index = Index(small, replace(Params(), **params))
    scores = index.score(index.terms(question), question)
    first, second = (index.ids.index(topic) for topic in phrasings)
    return float(scores[first] - scores[second])


def test_two_fitting_phrasings_count_for_more_than_one(kb: KnowledgeBase) -> None:
    topics = {
        "two-fits": ("zorblax flange alignment", "zorblax flange aligning"),
        "one-fit": ("zorblax flange alignment", "quux"),
    }
    question = "zorblax flange alignment?"
    assert _lead(kb, topics, question, second_weight=0.2) > _lead(
        kb, topics, question, second_weight=0.0
    )


def test_words_side_by_side_as_in_the_question_count_for_more(kb: KnowledgeBase) -> None:

    # The same three words; only "zorblax flange" and "flange gasket" stand together as asked.
    topics = {
        "side-by-side": ("zorblax flange gasket",),
        "apart": ("flange of the quux, zorblax gasket",),
    }
    question = "zorblax flange gasket?"
    assert _lead(kb, topics, question, word_pair_weight=0.05) > _lead(
        kb, topics, question, word_pair_weight=0.0
    )
    assert word_pairs(["b", "a", "b", "cmd:docker ps"]) == {("a", "b")}


def test_a_typo_fixed_term_counts_corrected_factor_of_its_overlap_but_all_its_naive_bayes(
    kb: KnowledgeBase,
) -> None:

    sure, halved = Index(kb), Index(kb, replace(Params(), corrected_factor=0.5))
    terms = sure.terms("contianer")
    assert terms.terms == ("container",) and terms.corrected == {"container"}
    known = list(terms.terms)
    nb_start = len(sure._phr_terms) + len(sure.ids)
    full = sure._sums(known, terms.corrected)
    for _ in range(2):  # scaling must not touch the term's cached postings
        half = halved._sums(known, terms.corrected)
        assert half[:nb_start] == pytest.approx(full[:nb_start] * 0.5)
        assert half[nb_start:] == pytest.approx(full[nb_start:])
        assert full[:nb_start].any() and full[nb_start:].any()


def test_the_form_of_a_question_lifts_the_cards_of_the_kind_it_asks_for(
    kb: KnowledgeBase,
) -> None:

    assert asked_form("how do i clean up old images") == "howto"
    assert asked_form("command to list volumes") == "howto"
    assert asked_form("what is a dangling image") == "concept"
    assert asked_form("explain layers to me") == "concept"
    assert asked_form("image layers vs volumes") is None
    # Without re-ranking (whose candidates the lift may change), the lift is the bonus on the
    # cards of the kind asked for and nothing anywhere else, out-of-scope questions included.
    plain = Params(fuzzy_weight=0.0, word_pair_weight=0.0, word_run_weight=0.0, form_bonus=0.0)
    flat, lifted = Index(kb, plain), Index(kb, replace(plain, form_bonus=0.04))
    real = len(kb.topics)
    for text, kind in [
        ("how do i clean up old images", "howto"),
        ("what is an image layer", "concept"),
        ("image layer cleanup", None),
    ]:
        terms = flat.terms(text)
        lift = lifted.score(terms, text) - flat.score(terms, text)
        expected = [0.04 if t.kind == kind else 0.0 for t in kb.topics]
        assert lift[:real] == pytest.approx(expected, abs=1e-12), text
        assert not lift[real:].any(), text


def test_a_word_pair_of_the_question_picks_the_topic_that_uses_it(kb: KnowledgeBase) -> None:

    # "github actions", "build ... push": the CI card's phrasings say them side by side; word
    # by word alone, the question is not sure enough to answer. (Its first example, "where
    # are docker images stored on the host machine?", went to data-root without the pairs too
    # once platform words weighed half.) The pairs of words as typed ("build and", "and push")
    # say it too, so they are left out here, with the thresholds the matcher had before them,
    # to show the pairs of terms alone.
    question = "which github actions do i need to build and push to ghcr"
    assert find(question, kb).topic == "ci-builds"
    no_runs = replace(Params(), word_run_weight=0.0, answer_at=0.58, suggest_at=0.58)
    assert find_in(question, Index(kb, no_runs)).topic == "ci-builds"
    unordered = Index(kb, replace(no_runs, word_pair_weight=0.0))
    assert find_in(question, unordered).topic != "ci-builds"


def test_words_as_typed_find_an_error_message_of_small_words(kb: KnowledgeBase) -> None:

    # "is already in use by" is all stopwords: the terms are only docker, name and container,
    # which the container card has as well as docker-rm. docker-rm's phrasings have the words
    # in that order; without the pairs of words as typed the container card answered.
    question = "Docker - Name is already in use by container"
    assert find(question, kb).topic == "docker-rm"
    no_runs = Index(kb, replace(Params(), word_run_weight=0.0))
    assert find_in(question, no_runs).topic != "docker-rm"


def test_words_as_typed_count_less_for_a_question_that_names_nothing_of_docker(
    kb: KnowledgeBase,
) -> None:

    # "pros and cons" is said by one phrasing of what-is-docker ("pros and cons of docker");
    # a question about two Java build tools shares it and nothing of Docker's.
    question = "gradle or maven for a new java service? pros and cons"
    assert find(question, kb).outcome is Outcome.DECLINE
    trusting = Index(kb, replace(Params(), word_run_unanchored=1.0))
    assert find_in(question, trusting).topic == "what-is-docker"


def test_a_run_together_word_is_split_into_two_known_words_only(kb: KnowledgeBase) -> None:

    index = Index(kb)
    assert index.terms("bindmount").terms == index.terms("bind mount").terms
    assert index.terms("baseimage").terms == index.terms("base image").terms
    # a known word, a word with no split into two known words, and one that is not a word
    assert index.terms("dockerfile").terms == ("dockerfil",)
    assert index.terms("zorblaxflange").terms == ("zorblaxflang",)
    assert index.terms("appended").terms == ("append",)  # not "app" + "ended"
    assert index.terms("x1y2z3w4").terms == ("x1y2z3w4",)


def test_words_a_synonym_writes_apart_are_not_joined(kb: KnowledgeBase) -> None:

    index = Index(kb)
    # "ipaddress" is a known word (a docker inspect template), and "ip" has two letters, so
    # "ip address" could be joined; but the synonyms file reads "fixed ip address" as
    # "static ip", which joining would hide.
    assert "ipaddress" in index._words
    assert "fixed ip address" in kb.synonyms["static ip"]
    assert (
        index.terms("give a container a fixed ip address").terms
        == index.terms("give a container a static ip").terms
    )
    # Joining still works where no synonym is in the way.
    assert index.terms("what are c groups").terms == index.terms("what are cgroups").terms


@pytest.mark.parametrize("typed", ["dokcer", "docekr", "dcoker", "dockr"])
def test_a_command_with_a_mistyped_docker_is_still_the_command(
    kb: KnowledgeBase, typed: str
) -> None:

    index = index_for(kb)
    # The command term was read from the text as typed, so one slip in "docker" (the word
    # typed most) lost it while the typo fix restored the word itself.
    changed = []
    for topic in kb.topics:
        for phrasing in topic.phrasings:
            text = clean(phrasing)
            terms = index.terms(text)
            has_command = any(t.startswith("cmd:") for t in terms.terms)
            if not has_command or " --docker" in text:  # a flag's typo is no command's
                continue
            if index.terms(text.replace("docker", typed)).terms != terms.terms:
                changed.append(phrasing)
    assert not changed, f"{len(changed)} phrasings lost their command, first {changed[:3]}"


def test_a_mistyped_command_name_is_still_the_command(kb: KnowledgeBase) -> None:

    index = index_for(kb)
    assert "cmd:update" in index.terms("docker updaet --memory 1g web").terms
    assert find("how do i use dokcer rmi on an old tag", kb).topic == "docker-rmi"


def test_a_mistyped_word_is_fixed_rather_than_split(kb: KnowledgeBase) -> None:

    index = Index(kb)
    # "diff" and "rent" are both words the knowledge base uses, but "diffrent" is one slip
    # away from "different": a typo of one word, not two words typed together.
    assert {"diff", "rent"} <= index._words
    assert index._known_halves("diffrent") == ("diff", "rent")
    assert index.terms("diffrent").terms == index.terms("different").terms


def test_the_per_word_caches_stay_bounded(
    kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bot.index, "_CACHE_LIMIT", 3)
    index = Index(kb)
    for n in range(20):
        index.terms(f"zorblaxflange{'q' * n} unknownwordy{'z' * n}")
    assert 0 < index._halves.cache_info().currsize <= 3
    assert 0 < index._nearest.cache_info().currsize <= 3


def test_title_words_other_questions_share_do_not_make_a_question_dockers(
    kb: KnowledgeBase,
) -> None:
    # "service", "start" and "config" are words of Docker topics' titles, and of questions
    # about everything else; "docker" and "registry" asked together still are Docker's.
    assert find("the apache service will not start after i edited the config", kb).outcome is (
        Outcome.DECLINE
    )
    assert find("how do i push to a private docker registry", kb).topic == "docker-push"


def test_a_phrasing_asked_with_docker_added_is_still_that_phrasing(kb: KnowledgeBase) -> None:
    # "limit cpu usage of a container" is a resource-limits phrasing; docker-stats has many
    # more phrasings about CPU usage, which used to outweigh it once "docker" was added.
    for question in ("limit cpu usage of a container", "limit cpu usage of a docker container"):
        finding = find(question, kb)
        assert (finding.outcome, finding.topic, finding.score) == (
            Outcome.ANSWER,
            "resource-limits",
            1.0,
        )
    # Only "docker" is set aside: another word makes it a question ranked like any other.
    assert len(find("limit cpu usage of a docker compose container", kb).ranked) > 1


def test_asking_whether_docker_runs_somewhere_names_no_command() -> None:

    assert command_signatures("can docker run on a mac with an m2 chip") == []
    assert command_signatures("does docker run natively under wsl") == []
    assert command_signatures("docker run on port 80 is not reachable") == ["run"]
    assert command_signatures("can i docker run nginx on my laptop") == ["run"]


def test_a_compose_command_typed_without_docker_is_still_that_command(kb: KnowledgeBase) -> None:

    # "up" and "down" are stopwords: without the command term both would read as "compose".
    assert command_signatures("compose up -d") == ["compose up"]
    assert command_signatures("does compose down -v delete my data") == ["compose down"]
    assert command_signatures("docker compose up -d") == ["compose up"]  # counted once
    assert command_signatures("docker-compose down") == ["compose down"]

    index = index_for(kb)
    assert index.terms("compose up").terms != index.terms("compose down").terms


def test_vs_code_is_the_editor_not_a_comparison(kb: KnowledgeBase) -> None:
    finding = find("run a compose service as a VS Code dev container next to its database", kb)
    assert (finding.outcome, finding.topic) == (Outcome.ANSWER, "dev-containers")
    assert find("docker vs podman", kb).topic == "docker-vs-podman"


def test_a_message_closest_to_out_of_scope_is_declined_whole(kb: KnowledgeBase) -> None:
    # Its first clause alone reads like docker pull and its "X vs Y" like two topics, but the
    # message as a whole is closest to the out-of-scope questions: neither part may answer.
    for question in (
        "how do I pull an image from a private registry in k8s, imagePullSecrets isn't working",
        "AWS IAM role vs IAM user, which should our service use",
    ):
        assert find(question, kb).outcome is Outcome.DECLINE


def test_everyday_title_words_are_no_sign_of_a_docker_question(kb: KnowledgeBase) -> None:
    # "app" (gui-apps), "service" and "start" are in titles, but non-Docker questions use them
    # all the time. A card that adds a few "app" phrasings must not tip "app" over the share of
    # phrasings (EVERYDAY_SHARE) that makes a title word count as Docker's own.

    index = index_for(kb)
    assert {"container", "imag"} <= index.anchors
    assert not {"application", "servic", "start"} & index.anchors


def test_one_out_of_scope_question_does_not_make_a_title_word_everyday(kb: KnowledgeBase) -> None:
    # "healthcheck" is a title word used by a few dozen phrasings: one out-of-scope question
    # about a load balancer's health checks must not take it from the Docker words, two do.

    lb = "alb target group healthcheck fails although the app answers on /health"
    nginx = "nginx upstream healthcheck marks my backend down"
    one = Index(replace(kb, out_of_scope={"cloud": (lb,)}))
    two = Index(replace(kb, out_of_scope={"cloud": (lb, nginx)}))
    assert "healthcheck" in one.anchors
    assert "healthcheck" not in two.anchors


def test_words_that_name_docker_count_however_often_other_questions_use_them(
    kb: KnowledgeBase,
) -> None:
    # The out-of-scope questions talk about EBS volumes and LVM volumes, so "volume" alone
    # would pass for an everyday word; but it names Docker's own storage, and a question
    # about it must not be marked down as naming nothing of Docker's.

    index = index_for(kb)
    assert index.anchors >= DOCKER_WORDS
    # Both cards say where: it is answered, or the two are offered, never declined.
    finding = find("where are volumes stored on disk", kb)
    assert finding.outcome in (Outcome.ANSWER, Outcome.SUGGEST)
    assert finding.topics[0] in {"volume", "data-root"}


@pytest.mark.parametrize(
    ("about_the_tool", "about_docker", "topic"),
    [
        (
            "crontab job does not run at the time i set on the server",
            "cron job inside my docker container never runs",
            "scheduled-jobs",
        ),
        (
            "mysql: how to reset the root password on the server",
            "reset the root password of mysql running in a docker container",
            "database-containers",
        ),
        (
            "git clone fails with ssl certificate problem unable to get local issuer certificate",
            "docker pull fails with ssl certificate problem unable to get local issuer certificate",
            "registry-certificates",
        ),
    ],
)
def test_a_card_about_another_tool_needs_the_question_to_name_docker(
    kb: KnowledgeBase, about_the_tool: str, about_docker: str, topic: str
) -> None:

    assert kb.by_id[topic].needs_docker_word
    assert find(about_the_tool, kb).outcome is Outcome.DECLINE
    assert find(about_docker, kb).topic == topic
    # Without the rule the card would lead for the question about the tool alone (answered, or
    # offered first where an out-of-scope question comes as close).
    lenient = Index(kb, replace(Params(), other_tool_penalty=0.0))
    assert find_in(about_the_tool, lenient).topics[:1] == (topic,)
    # A one-word question keeps its score: "cron" alone, asked of a Docker bot, is ours.
    assert find("cron", kb).topic == "scheduled-jobs"


@pytest.mark.parametrize(
    ("line", "topic"),
    [("USER node", "user-instruction"), ("STOPSIGNAL SIGINT", "docker-stop-vs-kill")],
)
def test_a_pasted_dockerfile_line_is_a_docker_question(
    kb: KnowledgeBase, line: str, topic: str
) -> None:
    # Its words are everyday ones; the capitalised instruction is what says it is Docker's.
    assert find(line, kb).topic == topic
    assert find(f"`{line}`", kb).topic == topic
    assert find(f"what does this line do:\n{line}", kb).topic == topic
    assert find(line.lower(), kb).topic != topic
    # However Slack dresses it: bold, italics, a quote (escaped as Slack sends it), a list
    # number, a mention, an emoji.
    for dressed in ("*{}*", "_{}_", "&gt; {}", "1. {}", "<@U04ABC123> {}", ":eyes: {}"):
        assert find(dressed.format(line), kb).topic == topic, dressed


CHATTER = [
    # Slack is typed fast: "cant", "doesnt", "im" must weigh what "can't", "doesn't", "i'm" do.
    ("why cant containers reach each other", "why can't containers reach each other"),
    ("im sure my volume doesnt keep the data", "i'm sure my volume doesn't keep the data"),
    ("sorry, definitely a noob question: whats a layer", "what's a layer"),
    # "is it sane", "as bad as people say": how the asker feels about it, not what it is about
    # ("sane" even stemmed to a TLS certificate's SAN).
    ("what's a sane way to back up named volumes?", "back up named volumes"),
    ("is using the latest tag in production as bad as people say?", "latest tag in production"),
    ("ok dumb question, any thoughts or opinions on volumes", "volumes"),
    # Slack's emoji shortcodes are how the asker feels: "sweat", "smile" are no topic's words.
    ("remove dangling images :sweat_smile: :+1::skin-tone-2:", "remove dangling images"),
    # "The X equivalent of Y" asks about Y: "equivalent" names no part of Docker.
    ("what's the docker equivalent of kubectl logs", "docker kubectl logs"),
    # Sign-offs: "advance" was a rare word of one card's, and weighed like one.
    ("how do i remove dangling images? thanks in advance", "remove dangling images"),
    ("urgent!! remove dangling images asap, tia", "remove dangling images"),
    ("good afternoon, remove dangling images ideally. kind regards", "remove dangling images"),
]


@pytest.mark.parametrize(
    "text", ["docker run -v /data:/data:ro app", "docker run -p 127.0.0.1:8080:80 nginx:latest"]
)
def test_colons_in_commands_are_not_taken_for_emoji(text: str) -> None:

    assert clean(text) == text


@pytest.mark.parametrize(
    ("listed", "plain"),
    [
        # Slack sends a typed numbered list as "1. ...\n2. ...": the numbers are formatting.
        ("1. what is a bind mount\n2. when to use one", "what is a bind mount when to use one"),
        ("  1) cmd vs entrypoint\n  2) which for a cli", "cmd vs entrypoint which for a cli"),
        # A version at the start of a line is no list number.
        ("3.12 slim image is huge", "3.12 slim image is huge"),
        ("why is the image huge\n3.12-slim", "why is the image huge 3.12-slim"),
    ],
)
def test_the_numbers_of_a_numbered_list_are_dropped(listed: str, plain: str) -> None:

    assert clean(listed) == plain


def test_a_numbered_list_of_questions_finds_their_topic(kb: KnowledgeBase) -> None:
    # "1" and "2" are terms of other cards ("wsl 2", "--cpus 1"): left in, they pulled this
    # question to the WSL card.
    assert find("1. what is a bind mount\n2. when should i use it", kb).topic == "bind-mount"


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        # "q" is short for question: it goes, as "question" does.
        ("Q: what is a volume", ": what is a volume"),
        ("quick q, what is a volume", "quick , what is a volume"),
        ("noob q: q&a about images", "noob : &a about images"),
        ("build w/o cache", "build without cache"),
        # A key, a flag and a path keep their letters.
        ("ctrl p ctrl q does nothing", "ctrl p ctrl q does nothing"),
        ("ctrl p q", "ctrl p q"),
        ("docker ps -q", "docker ps -q"),
        ("copy /srv/w/o/data", "copy /srv/w/o/data"),
        # A forum post's labels go; "ps:" may be the shell's ("ps: command not found").
        ("what is a volume\nEDIT 2: solved", "what is a volume solved"),
        ("what is a volume. p.s. new here", "what is a volume. new here"),
        ("what is a volume\nps: command not found", "what is a volume ps: command not found"),
        ("hey r/docker, what is a volume", "hey , what is a volume"),
        ("-v /srv/r/data:/data", "-v /srv/r/data:/data"),
        # What the asker says of themselves goes; what they are new to stays, unless it is
        # Docker itself (then it is no sign that the question is about Docker).
        ("i'm pretty new to docker, what is a volume", "i'm , what is a volume"),
        ("new to docker compose, what is a service", "compose, what is a service"),
        ("new to kubernetes, what is a pod", "kubernetes, what is a pod"),
        ("total noob here", "noob here"),
        ("what is a volume, am i missing something", "what is a volume,"),
        ("couldn't find anything about it", "couldn't about it"),
        ("first time using compose", "using compose"),
        ("just started learning docker", "docker"),
        # ...and so do their circumstances, their sources and their post's framing.
        ("i'm a frontend dev, what is a volume", ", what is a volume"),
        ("for a side project", "for a"),
        ("not sure this is the right channel", "not sure this is the"),
        ("following up on my question", "my question"),
        ("i read the docs, any pointers?", "i , ?"),
        ("sanity check: what is a volume", "what is a volume"),
        ("what is a volume? sorry for my bad english", "what is a volume? sorry"),
        ("so go easy on me, what is a volume", "so , what is a volume"),
        ("Context: we are a small team. what is a volume", "we are a small team. what is a volume"),
        # ...and how they sign off.
        ("happy to provide more details or logs", ""),
        ("let me know if you need more info", ""),
        ("sorry to bother you again. what is a volume", ". what is a volume"),
        ("what is a volume (cross-posted from #devops)", "what is a volume ( )"),
        ("spent the whole weekend on this", "on this"),
        # ...and what they are going through.
        ("what is a volume, if that makes sense", "what is a volume,"),
        ("this is driving me crazy at my company", "this is"),
        ("i watched a youtube video and followed the tutorial", "i and"),
        ("i'm doing an online course, it's for a school assignment", "i'm ,"),
        # ...and what they ask about the question itself, or why it matters.
        ("what is a volume? what's the best practice here?", "what is a volume? ?"),
        ("is there a recommended way for this", ""),
        ("volumes fill up, this is blocking our release", "volumes fill up,"),
        ("it's holding up the whole team", ""),
        # `docker --version` and `docker compose version` pasted: which release, not what.
        ("what is a volume\nDocker version 27.3.1, build ce12230", "what is a volume"),
        ("Docker Compose version v2.29.7-desktop.1", ""),
        # The same words about Docker stay.
        ("is docker version 20.10 still supported", "is docker version 20.10 still supported"),
        ("is a tag just a pointer", "is a tag just a pointer"),
        ("how do i see the logs i lost", "how do i see the logs i lost"),
        ("why bother with docker", "why bother with docker"),
        ("why do tutorials always use -it", "why do tutorials always use -it"),
        ("can someone sanity check our dockerfile", "can someone sanity check our dockerfile"),
        ("build:\n  context: ./app", "build: context: ./app"),
        ("find the ip of a container", "find the ip of a container"),
        ("total size of my images", "total size of my images"),
        ("missing files in the image", "missing files in the image"),
        ("slow the first time it builds", "slow the first time it builds"),
        (
            "what is the best practice for tagging images",
            "what is the best practice for tagging images",
        ),
        ("best way to do this in compose", "best way to do this in compose"),
        ("is blocking port 80 a bad idea", "is blocking port 80 a bad idea"),
    ],
)
def test_chat_shorthand_and_the_askers_self_description_are_read_as_chat(
    typed: str, read: str
) -> None:

    assert " ".join(clean(typed).split()) == read


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        # What the asker says of themselves does not pick the topic...
        ("Beginner question - what is a volume", "volume"),
        ("total docker noob here, what is a volume", "volume"),
        ("what is a volume? just started learning docker", "volume"),
        ("docker for beginners", "what-is-docker"),
        ("i am new to docker, what is it for", "what-is-docker"),
        ("ELI5: what is a volume", "volume"),
        ("eli5 docker", "what-is-docker"),
        # ...nor who else is involved, when it broke, where they looked, how the post is framed,
        # or the version they pasted...
        ("what is a volume? it worked yesterday and my boss wants it fixed today", "volume"),
        ("what is a volume? chatgpt says something else", "volume"),
        ("following up on my question from yesterday: how do i publish a port", "port-publishing"),
        ("sanity check: how do i publish a port", "port-publishing"),
        (
            "how do i copy a file out of a container? i read the docs but they are confusing",
            "docker-cp",
        ),
        ("how do i get a shell in a running container, for a side project", "docker-exec"),
        ("how do i set env vars in compose\nDocker version 27.3.1, build ce12230", "env-vars"),
        ("what is a volume? happy to provide more details or logs", "volume"),
        ("how do i publish a port (cross-posted from #devops)", "port-publishing"),
        ("how do i get a shell in a running container? many thanks in advance", "docker-exec"),
        (
            "how do i get a shell in a running container? spent the whole weekend on this",
            "docker-exec",
        ),
        # ...nor where they run Docker, said in passing...
        ("how do i stop a running container, i'm on a mac m1 btw", "docker-stop"),
        (
            "how do i run a container in the background (windows 11 + wsl2 if that matters)",
            "detached-mode",
        ),
        ("healthchecks? on my fedora laptop", "healthcheck"),
        ("why do i need -it to get a bash prompt, mac m1 here", "interactive-tty"),
        # a MacBook's model and macOS's release names are the platform too
        ("how do i list my volumes (macbook pro, sonoma)", "volume"),
        # ...while a question about the platform still finds the platform's card.
        ("image i built on an m1 macbook crashes on our amd64 server", "multi-platform"),
        ("wsl integration in docker desktop stopped working on windows", "desktop-wsl"),
        ("how do i install docker on debian 12", "engine-install"),
    ],
)
def test_what_the_asker_says_of_themselves_or_their_platform_does_not_pick_the_topic(
    kb: KnowledgeBase, question: str, topic: str
) -> None:
    assert find(question, kb).topic == topic


@pytest.mark.parametrize(
    "question",
    [
        "how do i write a for loop in python? i'm on a mac m1 btw",
        "what is a kubernetes operator, i'm on a mac m1 btw",
        "tell me a joke (windows 11 + wsl2 if that matters)",
        # nor does being new to it
        "So I'm new to docker and how do i write a for loop in python",
        "so i'm new to docker and what is a kubernetes operator",
    ],
)
def test_where_the_asker_runs_docker_does_not_make_a_question_dockers(
    question: str, kb: KnowledgeBase
) -> None:
    # "m1" and "wsl2" name no Docker concept: said in passing, they are no Docker word that
    # spares a question the penalty for naming none.
    assert find(question, kb).outcome is Outcome.DECLINE


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("on windows 11 with wsl 2", "on windows with wsl 2"),
        ("centos 7 host, debian 12 image", "centos host, debian image"),
        ("docker run -p 8080:80 nginx", "docker run -p 8080:80 nginx"),
        ("python 3 image", "python 3 image"),
        # "running" the asker's system is no container run...
        ("on my work laptop running fedora", "on my work laptop fedora"),
        ("(running on ubuntu 22.04)", "(on ubuntu 22.04)"),
        ("my server runs debian", "my server debian"),
        # ...while a container or Docker running on it is.
        ("a container running ubuntu", "a container running ubuntu"),
        ("docker running on windows", "docker running on windows"),
    ],
)
def test_an_operating_systems_release_is_read_as_its_name(typed: str, read: str) -> None:

    assert clean(typed) == read


@pytest.mark.parametrize(
    ("said", "typed"),
    [
        ("what does dash d do", "what does -d do"),
        ("what is copy dash dash from", "what is copy --from"),
        ("docker exec dash it bash", "docker exec -it bash"),
        ("compose run dash dash rm web", "compose run --rm web"),
        # A lone "dash" before an English word is the shell.
        ("is sh dash or bash in debian images", "is sh dash or bash in debian images"),
    ],
)
def test_a_flag_said_aloud_is_read_as_the_flag(said: str, typed: str) -> None:

    assert clean(said) == typed


def test_a_question_with_a_flag_said_aloud_finds_its_topic(kb: KnowledgeBase) -> None:
    assert find("what does dash d do", kb).topic == "detached-mode"
    assert find("what is copy dash dash from", kb).topic == "multi-stage-build"


# How Slack delivers the same words dressed up: marked up, wrapped in a mention or an emoji,
# quoted, in a list, shouted. None of it is what the question is about.
SLACK_DRESS = {
    "bold": lambda p: f"*{p}*",
    "italic": lambda p: f"_{p}_",
    "mentions": lambda p: f"<@U0123ABCD> {p} <@U0456EFGH>",
    "emoji": lambda p: f":wave: {p} :pray::skin-tone-2:",
    "quote": lambda p: f"> {p}",
    "numbered list": lambda p: f"1. {p}",
    "bullet": lambda p: f"\u2022 {p}",
    "after a greeting line": lambda p: f"hi all\n{p}",
    "shouted": str.upper,
}
# What phones, Macs, editors and pastes do to the same characters: curly apostrophes, "--"
# turned into a dash, no-break and zero-width spaces, tabs, Windows line ends, a closing full
# stop (after "127.0.0.1" too).
TYPED_DRESS = {
    "curly apostrophes": lambda p: p.replace("'", "\u2019"),
    "em dash for --": lambda p: p.replace("--", "\u2014"),
    "en dash for --": lambda p: p.replace("--", "\u2013"),
    "no-break spaces": lambda p: p.replace(" ", "\u00a0"),
    "zero-width spaces": lambda p: p.replace(" ", " \u200b"),
    "tabs": lambda p: p.replace(" ", "\t"),
    "windows line end": lambda p: f"{p}\r\n",
    "full stop": lambda p: f"{p}.",
}
# Chat shorthand and filler: "w/o" for "without", "ngl"/"tbh" around the question.
CHAT_DRESS = {
    "w/o for without": lambda p: p.replace("without", "w/o"),
    "chat filler": lambda p: f"ngl {p} tbh, iirc",
    "the asker about their post": lambda p: (
        f"long time lurker, first time poster. tl;dr: {p} (sorry for the long post, english "
        "isn't my first language; stuck on this for hours)"
    ),
    "a forum post's labels": lambda p: f"hey r/docker, {p}\nEdit: solved\nP.S. thanks all",
    "the asker about themselves": lambda p: (
        f"total noob here, just started using it and new to this. {p}\n"
        "am i missing something? i tried googling but couldn't find anything"
    ),
    "the asker's circumstances": lambda p: (
        f"ELI5: {p} i'm a data scientist, asking for a friend. it worked yesterday and my boss "
        "wants it today; chatgpt was no help. any pointers? cc <@U0123ABCD>"
    ),
    "a post's framing": lambda p: (
        f"not sure this is the right channel, following up on my question. sanity check: {p}\n"
        "(for a side project; i read the docs and i'm confused. sorry for my bad english)"
    ),
    "the asker's sign-off": lambda p: (
        f"hope you're all doing well. {p} happy to provide more details or logs, let me know if "
        "you need more info. many thanks, and thanks for reading this far (cross-posted from "
        "#devops)"
    ),
    "what the asker is going through": lambda p: (
        f"ugh. this is my first post here and it's driving me crazy. {p} if that makes sense. i "
        "watched a youtube video, i'm doing an online course and it's for a school assignment "
        "at my company, deadline is eod"
    ),
    "what the asker asks about the question": lambda p: (
        f"{p} what's the best practice here? is there a recommended way for this? it's "
        "blocking our release"
    ),
    "pasted versions": lambda p: (
        f"{p}\n```Docker version 27.3.1, build ce12230\nDocker Compose version v2.29.7```"
    ),
}
DRESS = {**SLACK_DRESS, **TYPED_DRESS, **CHAT_DRESS}


@pytest.mark.parametrize("dress", sorted(DRESS))
def test_every_phrasing_keeps_its_terms_however_it_is_dressed(
    kb: KnowledgeBase, dress: str
) -> None:

    index = index_for(kb)
    changed = [
        phrasing
        for topic in kb.topics
        for phrasing in topic.phrasings
        if index.terms(clean(DRESS[dress](phrasing))) != index.terms(clean(phrasing))
    ]
    assert not changed, f"{len(changed)} phrasings read differently, first {changed[:3]}"


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("docker run \u2014rm -it ubuntu", "docker run --rm -it ubuntu"),
        ('CMD ["uvicorn", "\u2013host", "0.0.0.0"]', 'cmd ["uvicorn", "--host", "0.0.0.0"]'),
        # A dash between words, or with spaces round it, is punctuation.
        ("pros\u2014cons of alpine", "pros\u2014cons of alpine"),
        ("docker \u2014 the tool", "docker \u2014 the tool"),
    ],
)
def test_a_dash_a_phone_made_of_two_hyphens_is_read_as_them(typed: str, read: str) -> None:

    assert clean(typed) == read


def test_characters_an_entity_makes_are_read_like_typed_ones(kb: KnowledgeBase) -> None:

    # An entity is unescaped before control and zero-width characters are removed.
    assert clean("docker&#8203; run nginx") == "docker run nginx"
    assert clean("Error&#160;response from daemon: conflict") == "conflict"


def test_an_italic_command_is_still_a_command(kb: KnowledgeBase) -> None:

    # "_docker rename_": the underscore made "\bdocker" fail, and the command term went.
    assert find("_docker rename_", kb).topic == find("docker rename", kb).topic
    assert "cmd:rename" in index_for(kb).terms(clean("_docker rename_")).terms


@pytest.mark.parametrize(
    "question",
    [
        "ran `docker run ubuntu` and it just... ended?",
        "dockerd vs docker, whats the difference",
        "how do i upload my image so the rest of the team can use it",
    ],
)
def test_greetings_and_thanks_do_not_move_a_score(kb: KnowledgeBase, question: str) -> None:
    # They made no term, but re-ranking compared the whole text with the phrasings, so "hi
    # all" and "thanks in advance!" moved the scores by a hundredth: enough to turn an answer
    # into "did you mean" or a decline.
    index = index_for(kb)
    plain = clean(question)
    dressed = clean(f"hi all :wave:\n{question}\nthanks in advance! cheers")
    assert index.terms(dressed) == index.terms(plain)
    assert np.array_equal(
        index.score(index.terms(dressed), dressed), index.score(index.terms(plain), plain)
    )
    assert find(f"hey folks, {question} tia", kb) == find(question, kb)


@pytest.mark.parametrize(("asked", "plain"), CHATTER)
def test_chatter_weighs_nothing(kb: KnowledgeBase, asked: str, plain: str) -> None:
    # Counted, such words would be words no topic uses, weighing against every topic.

    index = index_for(kb)
    assert index.terms(clean(asked)) == index.terms(clean(plain))


@pytest.mark.parametrize(
    ("asked", "topic"),
    [
        ("sorry, definitely a noob question: whats a layer", "layer"),
        ("is using the latest tag in production as bad as people say?", "tag"),
        ("the docker equivalent of kubectl logs -f", "docker-logs"),
    ],
)
def test_a_question_wrapped_in_chatter_reaches_its_topic(
    kb: KnowledgeBase, asked: str, topic: str
) -> None:
    assert find(asked, kb).topic == topic


def test_a_typo_fixed_to_a_synonyms_canonical_word_is_marked_as_fixed(kb: KnowledgeBase) -> None:
    # "container" is a canonical word of knowledge/synonyms.yaml ("ctr", "cntr" map to it); a
    # typo fixed into it is as unsure as any other fix, so it can make no exact match.

    index = index_for(kb)
    assert index.terms("copy a file from contianer to host").corrected == {"container"}
    assert index.terms("copy a file from ctr to host").corrected == frozenset()
    assert index.terms("copy a file from ctr to host").terms == (
        index.terms("copy a file from container to host").terms
    )


@pytest.mark.parametrize(
    ("typed", "fixed"),
    [
        ("contianer", "container"),  # two letters swapped
        ("enviroment", "environment"),  # a letter dropped
        ("runnning", "running"),  # a letter doubled
        ("containet", "container"),  # the key next to the right one
    ],
)
def test_keyboard_slips_are_corrected(kb: KnowledgeBase, typed: str, fixed: str) -> None:

    assert index_for(kb)._correct(typed) == fixed


def test_a_typo_is_compared_only_with_the_known_words_of_its_first_letter(
    kb: KnowledgeBase,
) -> None:
    # Nine words one edit from "zorvle", each used more than "zorble", which "zorvle" slips
    # from (v sits next to b). A typo keeps its first letter, so they cannot crowd it out of
    # the eight nearest words rapidfuzz returns: only words that start with "z" are compared.
    crowd = " ".join(letter + "orvle" for letter in "abcdefghi")
    first = kb.topics[0]
    topic = replace(first, phrasings=(*first.phrasings, crowd, crowd, "zorble"))
    index = Index(replace(kb, topics=(topic, *kb.topics[1:])))
    assert all(index._is_known(word) for word in crowd.split())  # else it shows nothing
    assert index._correct("zorvle") == "zorble"


@pytest.mark.parametrize(
    ("word", "near"),
    # One letter from a word the knowledge base uses, but from across the keyboard: English.
    [("saying", "saving"), ("slack", "stack"), ("story", "store"), ("scheme", "schema")],
)
def test_an_english_word_one_far_key_from_a_known_word_is_left_alone(
    kb: KnowledgeBase, word: str, near: str
) -> None:

    index = index_for(kb)
    assert index._is_known(near)  # else the test shows nothing
    assert index._correct(word) == word


def test_keyboard_distance_counts_a_slip_once_and_a_far_key_twice() -> None:

    assert adjacent("s", "w") and adjacent("s", "x") and adjacent("g", "h")
    assert not adjacent("s", "p") and not adjacent("q", "z") and not adjacent("a", "-")
    assert keyboard_distance("dokcer", "docker") == 1
    assert keyboard_distance("imagr", "image") == 1  # r sits next to e
    assert keyboard_distance("imagx", "image") == FAR_KEY
    assert keyboard_distance("volumne", "volume") == 1
    assert keyboard_distance("imagxx", "image") == FAR_KEY + 1
    assert keyboard_distance("", "abc") == 3


def test_an_answer_names_the_runners_up_that_came_close_and_no_others(kb: KnowledgeBase) -> None:
    spread = Params().suggest_spread
    close = find("how do i see the logs of a container running in the background", kb)
    assert close.outcome is Outcome.ANSWER and close.also, close.ranked
    best = close.ranked[0][1]
    assert close.also == tuple(t for t, s in close.ranked[1:3] if s >= best - spread)
    # A clear answer, and a question typed as a phrasing, offer nothing else.
    clear = find("ports of my container not reachable from outside", kb)
    assert clear.outcome is Outcome.ANSWER and clear.ranked[1][1] < clear.score - spread
    assert clear.also == ()
    assert find("what is a volume", kb).also == ()


def test_the_easiest_way_is_how_to(kb: KnowledgeBase) -> None:

    index = Index(kb)
    # "easy" and "simple" say nothing about the topic, and neither do their superlatives; as
    # words no card used (or typo-fixed into "simpler", "cleaner") they counted against every
    # card, and "private registry on-prem, simplest option?" was declined.
    plain = index.terms("way to run a private registry").terms
    for word in ("easiest", "simplest", "cleanest", "quickest"):
        assert index.terms(f"{word} way to run a private registry").terms == plain


def test_dotnet_is_not_the_short_form_of_network(kb: KnowledgeBase) -> None:

    index = Index(kb)
    # "net" is network (synonyms.yaml: "ctrs on diff nets"), but ".NET" is Microsoft's
    network = index.terms("network").terms[0]
    assert network in index.terms("ctrs on diff nets").terms
    for text in ("a .net 8 api", "asp.net core app", "upgrade the .NET sdk"):
        assert network not in index.terms(clean(text)).terms
        assert "dotnet" in index.terms(clean(text)).terms
    # a host name's .net is left alone
    assert "dotnet" not in index.terms(clean("pull registry.example.net/app")).terms
