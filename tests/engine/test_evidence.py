"""The evidence score (the published formula), on examples small enough to compute by hand, through a real store.

``evidence_fit``, ``dimensions`` and ``coverage`` are hand-computable and unchanged since the first version;
the estimate the ranking sorts by (``fit``) is the belief model's, tested in ``test_beliefs.py``.
"""

from __future__ import annotations

from datetime import date

import pytest

from analytics.beliefs import rank
from analytics.store import Store

DAY = date(2026, 1, 5)


def profile() -> tuple[Store, dict[str, int]]:
    """Investigative 4 and Social 2 (interests), Realistic 0 (ignored), Writing 3 (skill), Independence 5
    (value) and Unsorted 5 with no dimension (counted nowhere)."""
    store = Store(seed_defaults=False)
    ids = {
        "Investigative": store.add_criterion("Investigative", "interest", 4),
        "Social": store.add_criterion("Social", "interest", 2),
        "Realistic": store.add_criterion("Realistic", "interest", 0),
        "Writing": store.add_criterion("Writing", "skill", 3),
        "Independence": store.add_criterion("Independence", "value", 5),
        "Unsorted": store.add_criterion("Unsorted", None, 5),
    }
    return store, ids


def test_dimension_scores_evidence_fit_and_coverage_by_hand() -> None:
    store, ids = profile()
    # Investigative rated 5 and 3 (mean 4 -> 0.75), Social 2 (0.25), Realistic 1 (weight 0), Writing 5 (1.0)
    store.save_interview(
        "UX Researcher",
        "Ann",
        DAY,
        ratings={ids["Investigative"]: 5, ids["Social"]: 2, ids["Realistic"]: 1, ids["Writing"]: 5},
    )
    store.save_interview("UX Researcher", "Bo", DAY, ratings={ids["Investigative"]: 3})
    [score] = rank(store)
    interest = 100 * (4 * 0.75 + 2 * 0.25) / (4 + 2)
    assert score.dimensions["interest"] == pytest.approx(interest)  # 58.33: Realistic ignored
    assert score.dimensions["skill"] == pytest.approx(100.0)
    assert score.dimensions["value"] is None  # no rating on Independence
    assert score.evidence_fit == pytest.approx((interest + 100.0) / 2)
    # coverage: rated weight (4+2+0+3) over all assigned weight (4+2+0+3+5); the unassigned one is left out
    assert score.coverage == pytest.approx(9 / 14)
    assert score.interviews == 2


def test_dimension_weights_weight_the_evidence() -> None:
    store, ids = profile()
    store.set_dimension_weights({"interest": 3, "skill": 1, "value": 1})
    store.save_interview("A", "Ann", DAY, ratings={ids["Investigative"]: 5, ids["Independence"]: 1})
    [score] = rank(store)
    # interest 100, value 0, skill absent -> (3 x 100 + 1 x 0) / 4
    assert score.evidence_fit == pytest.approx(75.0)


def test_expectations_are_scored_apart_and_never_mixed_into_the_evidence() -> None:
    store, ids = profile()
    store.save_interview("Met", "Ann", DAY, ratings={ids["Investigative"]: 2})
    store.save_expectations("Met", {ids["Investigative"]: 5})
    store.save_expectations("Dreamed", {ids["Investigative"]: 4})
    scores = {s.career: s for s in rank(store)}
    met, dreamed = scores["Met"], scores["Dreamed"]
    assert met.evidence_fit == pytest.approx(25.0) and met.expected_fit == pytest.approx(100.0)
    assert dreamed.evidence_fit is None and dreamed.expected_fit == pytest.approx(75.0)
    assert dreamed.coverage == 0 and dreamed.interviews == 0
    assert dreamed.basis == "your expectations only"


def test_only_weight_zero_or_unassigned_ratings_give_no_evidence() -> None:
    store, ids = profile()
    store.save_interview("A", "Ann", DAY, ratings={ids["Realistic"]: 5, ids["Unsorted"]: 5})
    [score] = rank(store)
    assert score.evidence_fit is None and score.dimensions == {"interest": None, "skill": None, "value": None}
    assert score.coverage == 0
    assert score.fit == pytest.approx(50.0)  # an interview that rated nothing that counts: the neutral prior


def test_json_shape() -> None:
    store, ids = profile()
    store.save_interview("A", "Ann", DAY, ratings={ids["Investigative"]: 4})
    [score] = rank(store)
    shaped = score.as_json()
    assert list(shaped) == [
        "career",
        "fit",
        "low",
        "high",
        "evidence_fit",
        "prior_fit",
        "expected_fit",
        "p_best",
        "interviews",
        "coverage",
        "dimensions",
        "onet_code",
        "onet_title",
        "onet_fit",
    ]
    assert set(shaped["dimensions"]) == {"interest", "skill", "value"}
    assert shaped["evidence_fit"] == 75.0 and shaped["p_best"] == 1.0 and shaped["onet_code"] is None
