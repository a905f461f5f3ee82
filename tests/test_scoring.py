"""The scoring contract of DESIGN.md, on examples small enough to compute by hand."""

from __future__ import annotations

import math

import pytest

from analytics.models import Career, Criterion, RatingAggregate
from analytics.scoring import BAND_Z, SINGLE_INTERVIEW_SD, rank, score_careers
from analytics.store import Store

CRITERIA = [
    Criterion(1, "Investigative", "interest", 4),
    Criterion(2, "Social", "interest", 2),
    Criterion(3, "Realistic", "interest", 0),  # weight 0: ignored
    Criterion(4, "Writing", "skill", 3),
    Criterion(5, "Independence", "value", 5),
    Criterion(6, "Unsorted", None, 5),  # unassigned: counted in no dimension
]


def aggregate(career: int, criterion: int, ratings: list[float], source: str = "interview") -> RatingAggregate:
    return RatingAggregate(career, criterion, source, len(ratings), sum(ratings), sum(r * r for r in ratings))


def test_dimension_scores_and_fit_by_hand() -> None:
    # Investigative rated 5 and 3 (mean 4 -> 0.75), Social 2 (0.25), Realistic 1 (weight 0), Writing 5 (1.0)
    aggregates = [
        aggregate(1, 1, [5, 3]),
        aggregate(1, 2, [2]),
        aggregate(1, 3, [1]),
        aggregate(1, 4, [5]),
    ]
    [score] = score_careers([Career(1, "UX Researcher")], CRITERIA, aggregates, {1: 2})
    interest = 100 * (4 * 0.75 + 2 * 0.25) / (4 + 2)
    assert score.dimensions["interest"] == pytest.approx(interest)  # 58.33: Realistic ignored
    assert score.dimensions["skill"] == pytest.approx(100.0)
    assert score.dimensions["value"] is None  # no rating on Independence
    assert score.fit == pytest.approx((interest + 100.0) / 2)
    # coverage: rated weight (4+2+0+3) over all assigned weight (4+2+0+3+5); the unassigned one is left out
    assert score.coverage == pytest.approx(9 / 14)
    assert score.interviews == 2


def test_dimension_weights_weight_the_fit() -> None:
    aggregates = [aggregate(1, 1, [5]), aggregate(1, 5, [1])]
    [score] = score_careers([Career(1, "A")], CRITERIA, aggregates, {1: 1}, {"interest": 3, "skill": 1, "value": 1})
    # interest 100, value 0, skill absent -> (3*100 + 1*0) / 4
    assert score.fit == pytest.approx(75.0)


def test_expectations_are_scored_apart_and_never_mixed_into_fit() -> None:
    aggregates = [aggregate(1, 1, [2]), aggregate(1, 1, [5], "expectation"), aggregate(2, 1, [4], "expectation")]
    scores = score_careers([Career(1, "Met"), Career(2, "Dreamed")], CRITERIA, aggregates, {1: 1})
    met, dreamed = scores
    assert met.career == "Met" and met.fit == pytest.approx(25.0) and met.expected_fit == pytest.approx(100.0)
    assert dreamed.fit is None and dreamed.expected_fit == pytest.approx(75.0)
    assert dreamed.coverage == 0 and dreamed.low is None and dreamed.high is None
    assert dreamed.status == "expectations only"


def test_ranking_puts_fits_first_then_expectations_then_nothing() -> None:
    aggregates = [
        aggregate(1, 1, [3]),  # fit 50
        aggregate(2, 1, [4]),  # fit 75
        aggregate(3, 1, [5], "expectation"),  # expected 100, no fit
    ]
    careers = [Career(1, "B"), Career(2, "A"), Career(3, "C"), Career(4, "D")]
    order = [s.career for s in score_careers(careers, CRITERIA, aggregates, {1: 1, 2: 1})]
    assert order == ["A", "B", "C", "D"]


def test_only_weight_zero_or_unassigned_ratings_give_no_fit() -> None:
    aggregates = [aggregate(1, 3, [5]), aggregate(1, 6, [5])]
    [score] = score_careers([Career(1, "A")], CRITERIA, aggregates, {1: 1})
    assert score.fit is None and score.dimensions == {"interest": None, "skill": None, "value": None}


def test_band_of_a_single_interview_is_the_floor() -> None:
    [score] = score_careers([Career(1, "A")], CRITERIA, [aggregate(1, 1, [3])], {1: 1})
    half = BAND_Z * SINGLE_INTERVIEW_SD
    assert (score.low, score.high) == pytest.approx((50 - half, 50 + half))


def test_band_with_disagreement_by_hand() -> None:
    # one criterion, ratings 1 and 5: sample variance 8 on the 1-5 scale = 8 * 25^2 = 5000 points^2
    [score] = score_careers([Career(1, "A")], CRITERIA, [aggregate(1, 1, [1, 5])], {1: 2})
    half = BAND_Z * math.sqrt((5000 + SINGLE_INTERVIEW_SD**2) / 2)
    assert score.fit == pytest.approx(50.0)
    assert (score.low, score.high) == pytest.approx((max(0, 50 - half), min(100, 50 + half)))


def test_json_shape() -> None:
    [score] = score_careers([Career(1, "A")], CRITERIA, [aggregate(1, 1, [4])], {1: 1})
    shaped = score.as_json()
    assert set(shaped) == {"career", "fit", "low", "high", "expected_fit", "interviews", "coverage", "dimensions"}
    assert set(shaped["dimensions"]) == {"interest", "skill", "value"}


def test_rank_reads_the_store_end_to_end() -> None:
    with Store() as store:
        criteria = {c.name: c.id for c in store.criteria()}
        store.save_interview("Nurse", "Ann", ratings={criteria["Social"]: 5, criteria["Realistic"]: 4})
        store.save_expectations("Pilot", {criteria["Realistic"]: 5})
        nurse, pilot = rank(store)
    assert nurse.career == "Nurse" and nurse.fit is not None and nurse.interviews == 1
    assert pilot.career == "Pilot" and pilot.fit is None and pilot.expected_fit is not None


def test_the_store_sums_in_duckdb_exactly_what_the_python_reference_sums() -> None:
    from analytics.demo import load_demo
    from analytics.scoring import dimension_sums

    with Store() as store:
        load_demo(store)
        in_duckdb = sorted(store.dimension_sums(), key=lambda s: (s.career_id, s.source, s.dimension))
        in_python = sorted(dimension_sums(store.rating_aggregates(), store.criteria()),
                           key=lambda s: (s.career_id, s.source, s.dimension))
        assert len(in_duckdb) == len(in_python)
        for ours, reference in zip(in_duckdb, in_python, strict=True):
            assert (ours.career_id, ours.source, ours.dimension) == (
                reference.career_id, reference.source, reference.dimension)
            assert ours.weight == pytest.approx(reference.weight, abs=1e-12)
            assert ours.weighted_share == pytest.approx(reference.weighted_share, abs=1e-12)
            assert ours.weighted_variance == pytest.approx(reference.weighted_variance, abs=1e-12)
        assert rank(store) == score_careers(store.careers(), store.criteria(), store.rating_aggregates(),
                                            store.interview_counts(), store.dimension_weights())
