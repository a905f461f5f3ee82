"""What to do next (engine): steps from the profile and the ranking, with the careers and criteria named."""

from __future__ import annotations

from analytics.beliefs import CareerScore
from analytics.models import Criterion
from analytics.next_steps import next_steps


def score(career: str, fit: float | None, interviews: int, low: float | None = None, high: float | None = None):
    return CareerScore(
        career_id=hash(career) % 1000,
        career=career,
        fit=fit,
        low=low,
        high=high,
        sd=None,
        evidence_fit=fit,
        prior_fit=None,
        expected_fit=None,
        p_best=None,
        interviews=interviews,
        coverage=0.5 if interviews else 0.0,
        dimensions={},
    )


def test_each_rule_gives_one_step_naming_what_it_is_about() -> None:
    criteria = [Criterion(1, "Teamwork", None, 3.0), Criterion(2, "Pay", "value", 4.0)]
    scores = [score("Archivist", 70.0, 2, 52.5, 87.5), score("Baker", None, 0), score("Chef", None, 0)]
    steps = next_steps(criteria, scores)
    assert [(s.kind, s.title, s.detail) for s in steps] == [
        ("dimension", "Give 1 criterion a dimension on My profile", "Teamwork: until then it counts in no score."),
        (
            "confirm",
            "Your top career, Archivist, rests on 2 interviews",
            "One more conversation that agrees would narrow its band (now 53–88).",
        ),
        ("interview", "2 careers have no interview yet", "Baker, Chef: find someone to talk to."),
    ]


def test_a_settled_profile_needs_no_step() -> None:
    assert next_steps([Criterion(1, "Pay", "value", 4.0)], [score("Archivist", 70.0, 3, 60, 80)]) == []
