"""The gap report: question groups, 👎 rate per topic, phrasing lines, text and JSON."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import yaml

from bot.gaps import EXAMPLES, build_gap_report, gap_report_json, gap_report_text
from bot.store import Record, hash_user

USER = hash_user("T1", "U1", "key")
START = datetime(2026, 1, 1, tzinfo=UTC)


def feedback(*items: tuple[str, str] | tuple[str, str, str]) -> list[Record]:
    """Records from (kind, question[, topic]), a minute apart."""
    return [
        Record(
            kind, "T1", USER, question, topic[0] if topic else None, START + timedelta(minutes=i)
        )
        for i, (kind, question, *topic) in enumerate(items)
    ]


def test_near_duplicate_questions_land_in_one_group() -> None:
    records = feedback(
        ("declined", "how to delete volumes"),
        ("declined", "how do i delete volumes?"),
        ("suggested", "<@U0BOT> How do I delete *volumes*?"),
        ("declined", "delete all volumes"),
    )
    [group] = build_gap_report(records, 30).groups
    assert group.count == 4
    assert group.question == "how do i delete volumes?"
    assert group.examples == ("how to delete volumes", "delete all volumes")


def test_questions_about_different_things_stay_apart() -> None:
    records = feedback(
        ("declined", "how to delete volumes"),
        ("declined", "how to delete images"),
        ("declined", "how to list volumes"),
        ("declined", "what is a volume"),
        ("declined", "what is an image"),
    )
    assert len(build_gap_report(records, 30).groups) == 5


def test_the_most_asked_group_comes_first() -> None:
    records = feedback(
        ("declined", "what is swarm"),
        ("declined", "how do i expose a port"),
        ("declined", "how to expose a port?"),
        ("declined", "How do I expose a port"),
    )
    groups = build_gap_report(records, 30).groups
    assert [(g.question, g.count) for g in groups] == [
        ("how do i expose a port", 3),
        ("what is swarm", 1),
    ]


def test_a_group_shows_at_most_a_few_examples() -> None:
    variants = ["restart policy", "restart policies", "a restart policy", "the restart policy"]
    variants += ["restart policy?", "docker restart policy"]
    [group] = build_gap_report(feedback(*(("declined", v) for v in variants)), 30).groups
    assert group.count == len(variants)
    assert len(group.examples) == EXAMPLES


def test_a_group_counts_each_kind_and_names_the_downvoted_topics() -> None:
    records = feedback(
        ("declined", "how to delete volumes"),
        ("suggested", "how to delete volumes"),
        ("downvote", "how do i delete volumes", "volume-prune"),
        ("downvote", "delete volumes", "volume-prune"),
        ("downvote", "how to delete volumes", "volume"),
    )
    [group] = build_gap_report(records, 30).groups
    assert group.kinds == (("declined", 1), ("suggested", 1), ("downvote", 3))
    assert group.topics == ("volume-prune", "volume")


def test_votes_choices_and_none_of_these_are_not_gap_questions() -> None:
    records = feedback(
        ("upvote", "what is a volume", "volume"),
        ("chose", "how to delete volumes", "volume-prune"),
        ("none_of_these", "how to fly"),
    )
    assert build_gap_report(records, 30).groups == ()


def test_downvote_rate_per_topic_puts_the_worst_first() -> None:
    records = feedback(
        ("upvote", "q", "image"),
        ("upvote", "q", "image"),
        ("downvote", "q", "image"),
        ("downvote", "q", "volume"),
        ("upvote", "q", "volume"),
        ("upvote", "q", "network"),
        ("downvote", "q", "compose"),
        ("downvote", "q", "compose"),
        ("upvote", "q", "compose"),
        ("upvote", "q", "compose"),
    )
    votes = build_gap_report(records, 30).votes
    assert [(v.topic, v.up, v.down) for v in votes] == [
        ("compose", 2, 2),
        ("volume", 1, 1),
        ("image", 2, 1),
        ("network", 1, 0),
    ]
    assert [round(v.rate, 3) for v in votes] == [0.5, 0.5, 0.333, 0.0]


def test_each_choice_becomes_a_phrasing_under_its_topic() -> None:
    records = feedback(
        ("chose", "How do I remove an *image*?", "docker-rmi"),
        ("chose", "how do i remove an image", "docker-rmi"),
        ("chose", "<@U0BOT> delete an image", "docker-rmi"),
        ("chose", "what's a volume", "volume"),
    )
    phrasings = build_gap_report(records, 30).phrasings
    assert [(tp.topic, [(p.text, p.count) for p in tp.phrasings]) for tp in phrasings] == [
        ("docker-rmi", [("how do i remove an image", 2), ("delete an image", 1)]),
        ("volume", [("what's a volume", 1)]),
    ]


def test_the_phrasing_lines_paste_into_yaml_unchanged() -> None:
    records = feedback(
        ("chose", "What's `docker ps -a`: all?", "container"),
        ("chose", "yes", "container"),
        ("chose", "#1 way to remove images", "docker-rmi"),
        ("chose", "remove image", "docker-rmi"),
    )
    text = gap_report_text(build_gap_report(records, 30))
    pasted = text.split('"did you mean"', 1)[1].split("\n", 1)[1]
    assert yaml.safe_load(pasted) == {
        "container": ["what's docker ps -a: all", "yes"],
        "docker-rmi": ["#1 way to remove images", "remove image"],
    }
    assert '\ncontainer:  # 2 choices\n  - "what\'s docker ps -a: all"\n  - "yes"\n' in text
    assert "\n  - remove image\n" in text


def test_the_text_report_reads_as_sections() -> None:
    records = feedback(
        ("declined", "how to delete volumes"),
        ("declined", "how do i delete volumes?"),
        ("downvote", "what is a volume", "volume"),
        ("upvote", "what is a volume", "volume"),
    )
    text = gap_report_text(build_gap_report(records, 14))
    assert text.startswith(
        "Feedback from the last 14 days: 4 records\n  2 declined · 1 👍 · 1 👎\n"
    )
    assert (
        "  2  how to delete volumes\n     2 declined\n     also: how do i delete volumes?\n" in text
    )
    assert "  1  what is a volume\n     1 👎  (topics: volume)\n" in text
    assert "  volume    50%      1      1\n" in text


def test_an_empty_report_says_so_in_every_section() -> None:
    text = gap_report_text(build_gap_report([], 90))
    assert text.startswith("Feedback from the last 90 days: 0 records\n")
    assert text.count("  none\n") == 2
    assert "  no votes\n" in text


def test_the_json_report_has_a_stable_shape() -> None:
    records = feedback(
        ("declined", "how to delete volumes"),
        ("downvote", "what is a volume", "volume"),
        ("upvote", "q", "volume"),
        ("chose", "remove image?", "docker-rmi"),
    )
    data = gap_report_json(build_gap_report(records, 30))
    assert json.loads(json.dumps(data)) == data
    assert data["days"] == 30
    assert data["totals"] == {
        "declined": 1,
        "suggested": 0,
        "upvote": 1,
        "downvote": 1,
        "chose": 1,
        "none_of_these": 0,
    }
    assert data["groups"][0] == {
        "question": "how to delete volumes",
        "count": 1,
        "kinds": {"declined": 1},
        "examples": [],
        "topics": [],
    }
    assert data["topics"] == [{"topic": "volume", "up": 1, "down": 1, "downvote_rate": 0.5}]
    assert data["phrasings"] == [
        {"topic": "docker-rmi", "phrasings": [{"text": "remove image", "count": 1}]}
    ]
