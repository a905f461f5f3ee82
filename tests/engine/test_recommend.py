"""Investigate next: the value-of-information ranking, its reasons and questions, and ``career-fit next``."""

from __future__ import annotations

import json
from datetime import date

import pytest

from analytics.beliefs import assess, rank
from analytics.beliefs.choice import knowledge_gradient
from analytics.beliefs.detail import career_detail
from analytics.cli import main
from analytics.profile_defaults import DEFAULT_CRITERIA
from analytics.questions import CRITERION_QUESTIONS
from analytics.recommend import NextStep, investigate_next
from analytics.store import Store
from tests.support.store_fixtures import import_records, profile_store

GOOD = {"Investigative": 5, "Data analysis": 5, "Independence": 5, "Achievement": 4, "Writing": 4, "Social": 4}
POOR = {"Investigative": 1, "Data analysis": 2, "Independence": 1, "Achievement": 1, "Writing": 2, "Social": 1}
FAIR = {"Investigative": 3, "Data analysis": 4, "Independence": 3, "Achievement": 3, "Writing": 3, "Social": 2}


def rows(
    career: str, values: dict[str, int], interviewee: str = "Alex", day: str = "2026-01-05", source: str = "interview"
) -> list[dict[str, object]]:
    extra = {"interviewee": interviewee, "date": day} if source == "interview" else {}
    return [{"career": career, "criterion": k, "rating": v, "source": source, **extra} for k, v in values.items()]


def interviews(career: str, values: dict[str, int], count: int) -> list[dict[str, object]]:
    return [r for i in range(count) for r in rows(career, values, f"Person {i}", f"2026-03-{i + 1:02d}")]


def by_career(steps: list[NextStep]) -> dict[str, NextStep]:
    return {s.career: s for s in steps}


def check_shape(steps: list[NextStep]) -> None:
    priorities = [s.priority for s in steps]
    assert priorities == sorted(priorities, reverse=True)
    for step in steps:
        assert step.priority >= 0 and step.reason
        assert 2 <= len(step.questions) <= 4 and len(set(step.questions)) == len(step.questions)


def scenario() -> list[dict[str, object]]:
    return (
        interviews("Data Scientist", GOOD, 2)
        + rows("Actuary", GOOD, source="expectation")  # expects what the top career has
        + interviews("Bookkeeper", POOR, 5)  # five interviews that agree: it fits poorly
        + interviews("Analyst", FAIR, 2)
    )


def test_an_unexplored_career_like_the_best_ranks_above_one_known_to_fit_poorly() -> None:
    with profile_store(scenario()) as store:
        steps = investigate_next(store)
    check_shape(steps)
    order = [s.career for s in steps]
    assert order.index("Actuary") < order.index("Bookkeeper")
    assert order[-1] == "Bookkeeper"
    steps_by = by_career(steps)
    actuary, bookkeeper = steps_by["Actuary"], steps_by["Bookkeeper"]
    assert "from your expectations only" in actuary.reason
    assert bookkeeper.priority < 0.01 and "very unlikely" in bookkeeper.reason
    assert actuary.priority > 10 * bookkeeper.priority


def test_the_list_uses_the_same_beliefs_as_the_ranking() -> None:
    with profile_store(scenario()) as store:
        steps = by_career(investigate_next(store))
        scores = {s.career: s for s in rank(store)}
    for career, step in steps.items():
        score = scores[career]
        assert (step.fit, step.low, step.high) == (score.fit, score.low, score.high)
        assert step.belief_mean == pytest.approx(score.fit)
        assert step.belief_sd == pytest.approx(score.sd)


def test_one_more_interview_that_says_what_is_already_believed_lowers_the_priority() -> None:
    with profile_store(scenario()) as store:
        before = by_career(investigate_next(store))["Analyst"]
        analyst = next(c.id for c in store.careers() if c.name == "Analyst")
        detail = career_detail(store, assess(store), analyst)
        believed = {row.criterion_id: round(row.believed, 6) for row in detail.rows if row.weight > 0}
        store.save_interview("Analyst", "Person 9", date(2026, 4, 1), ratings=believed)
        after = by_career(investigate_next(store))["Analyst"]
    assert after.fit == pytest.approx(before.fit, abs=0.5)
    assert after.high - after.low < before.high - before.low
    assert after.belief_sd < before.belief_sd
    assert 0 < after.priority < before.priority


def test_the_same_data_in_any_order_gives_the_same_list() -> None:
    outputs = []
    for seed in (None, 3, 4):
        with profile_store(scenario(), shuffle=seed) as store:
            outputs.append([s.as_json() for s in investigate_next(store)])
            assert [s.as_json() for s in investigate_next(store)] == outputs[-1]  # and again, from the cache
    assert outputs[1] == outputs[0] and outputs[2] == outputs[0]


@pytest.mark.parametrize("count", [1, 2, 3])
def test_one_two_and_three_careers_are_ranked(count: int) -> None:
    data = (
        interviews("Data Scientist", GOOD, 1)
        + interviews("Analyst", FAIR, 2)
        + rows("Bookkeeper", POOR, source="expectation")
    )
    careers = ["Data Scientist", "Analyst", "Bookkeeper"][:count]
    with profile_store([r for r in data if r["career"] in careers]) as store:
        steps = investigate_next(store)
        limited = investigate_next(store, limit=1)
    check_shape(steps)
    assert sorted(s.career for s in steps) == sorted(careers)
    assert limited == steps[:1]
    # the default criteria are linked to O*NET, so every career lands in its nearest O*NET career family
    assert all(s.cluster for s in steps)
    if count == 1:
        assert "only career" in steps[0].reason and steps[0].priority > 0


def test_an_empty_store_has_nothing_to_investigate() -> None:
    with Store() as store:
        assert investigate_next(store) == []
        store.add_career("Zookeeper")
        (only,) = investigate_next(store)
    assert only.career == "Zookeeper" and only.cluster is None and 2 <= len(only.questions) <= 4  # nothing known


def test_questions_aim_at_the_heavily_weighted_criteria_with_least_evidence() -> None:
    weights = {name: 1.0 for name, _, _ in DEFAULT_CRITERIA} | {"Independence": 5.0}
    rated = {k: v for k, v in GOOD.items() if k != "Independence"}
    data = interviews("Data Scientist", rated, 2) + interviews("Analyst", FAIR, 1) + interviews("Clerk", POOR, 1)
    with profile_store(data, weights=weights) as store:
        step = by_career(investigate_next(store))["Data Scientist"]
    assert step.focus[0] == "Independence"
    assert set(step.questions) & set(CRITERION_QUESTIONS["Independence"])
    assert "No interview has rated Independence yet" in step.reason


def test_the_knowledge_gradient_rewards_uncertainty_and_upside() -> None:
    # gain = s x (z Phi(z) + phi(z)), z = -|m - best| / s: at the best (z = 0) it is s x phi(0)
    assert knowledge_gradient(60, 10, 60) == pytest.approx(10 / (2 * 3.141592653589793) ** 0.5)
    assert knowledge_gradient(50, 12, 60) > knowledge_gradient(50, 6, 60) > 0
    assert knowledge_gradient(55, 6, 60) > knowledge_gradient(40, 6, 60)
    assert knowledge_gradient(10, 3, 90) == pytest.approx(0, abs=1e-9)
    assert knowledge_gradient(50, 0, 60) == 0


def test_next_json_has_the_designed_shape(tmp_path, capsys) -> None:
    path = str(tmp_path / "demo.duckdb")
    assert main(["--db", path, "demo"]) == 0
    capsys.readouterr()
    assert main(["--db", path, "next", "--json"]) == 0
    entries = json.loads(capsys.readouterr().out)
    assert len(entries) == 9
    for entry in entries:
        assert list(entry) == ["career", "cluster", "priority", "reason", "questions"]
        assert isinstance(entry["career"], str) and entry["reason"]
        assert entry["cluster"] is None or isinstance(entry["cluster"], str)
        assert 2 <= len(entry["questions"]) <= 4
    priorities = [e["priority"] for e in entries]
    assert priorities == sorted(priorities, reverse=True)
    known = [e for e in entries if e["career"] != "Environmental Consultant"]  # nothing recorded about it
    assert all(e["cluster"] for e in known)  # nearest O*NET career family by their (expected) ratings

    assert main(["--db", path, "next", "--json", "--limit", "3"]) == 0
    assert json.loads(capsys.readouterr().out) == entries[:3]
    assert main(["--db", path, "next", "--limit", "2"]) == 0
    text = capsys.readouterr().out
    assert text.startswith(f"1. {entries[0]['career']}") and "\n2. " in text and "\n3. " not in text


def test_next_json_gives_two_careers_their_career_families(tmp_path, capsys) -> None:
    path = str(tmp_path / "two.duckdb")
    with Store(path) as store:
        import_records(store, ratings=interviews("Data Scientist", GOOD, 1) + interviews("Analyst", FAIR, 1))
    assert main(["--db", path, "next", "--json"]) == 0
    entries = json.loads(capsys.readouterr().out)
    assert [e["career"] for e in entries] and all(isinstance(e["cluster"], str) for e in entries)
