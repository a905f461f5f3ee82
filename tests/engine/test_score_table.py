"""The ranking's columns give what a score per career gives: the order, any subset of scores, and the Overview's
standing.

The ranking keeps every career's numbers as columns and makes a :class:`CareerScore` only for the careers asked
for (the Overview shows five of thousands). Each fast path here is checked against the plain rule it replaces:
the order against sorting the scores with :func:`ranking_key`, a subset of scores against the same careers'
scores among all of them, and the standing against :meth:`Standing.of` over every score.
"""

from __future__ import annotations

import pickle
import random

import pytest

from analytics.beliefs import CareerScore, Standing, assess
from analytics.beliefs import evidence as ev
from analytics.beliefs.inputs import inputs_from_ratings
from analytics.beliefs.ranking import Assessment, assess_data, ranking_key, scores_json
from analytics.models import DIMENSIONS, Career, Criterion
from analytics.next_steps import next_steps
from analytics.numbers import kept
from analytics.store import Store
from tests.support.store_fixtures import import_records, random_rating_rows

CRITERIA = [
    Criterion(id=k, name=f"C{k}", dimension=("interest", "skill", "value", None)[k % 4], weight=(k * 7) % 6)
    for k in range(1, 11)
]
DIMENSION_WEIGHTS = {"interest": 1.0, "skill": 2.0, "value": 0.5}
# names that tie once case-folded (ordered by id then), and careers rated exactly alike (tied fits)
NAMES = ["nurse", "Nurse", "Baker", "archivist", "Archivist", "chef", "Dentist", "Éclairagiste", "zoo keeper"]


def assessment_of(seed: int, careers: int = 40) -> Assessment:
    """A ranking of careers that rate different subsets, some alike, some nothing, some with expectations."""
    rng = random.Random(seed)
    ratings: list[tuple[int, int, int, float]] = []
    expectations: dict[int, dict[int, float]] = {}
    alike = [(c.id, float(rng.randint(1, 5))) for c in CRITERIA[:6]]
    for career in range(1, careers + 1):
        if career % 7 == 0:  # nothing rated
            pass
        elif career % 5 == 0:  # three careers' worth of identical ratings
            ratings += [(career, interview, k, value) for interview in range(2) for k, value in alike]
        else:
            rated = rng.sample([c.id for c in CRITERIA], rng.randint(1, len(CRITERIA)))
            for interview in range(rng.randint(1, 4)):
                ratings += [(career, interview, k, float(rng.randint(1, 5))) for k in rated if rng.random() < 0.8]
        if career % 3 == 0:
            expectations[career] = {c.id: float(rng.randint(1, 5)) for c in rng.sample(CRITERIA, 4)}
    linked = range(4, careers + 1, 11)  # careers linked to an O*NET occupation: its view and title
    onet_views = {c: {k.id: (float(rng.randint(1, 5)), rng.choice([None, 0.2])) for k in CRITERIA[::2]} for c in linked}
    shuffled = [
        Career(id=c, name=f"{NAMES[c % len(NAMES)]} {c // 10}", onet_code="15-2051.00" if c in linked else None)
        for c in range(1, careers + 1)
    ]
    rng.shuffle(shuffled)  # the careers' read order is not the ranking's
    inputs = inputs_from_ratings(ratings, expectations)
    titles = {c: f"Occupation {c}" for c in linked}
    return assess_data(shuffled, CRITERIA, DIMENSION_WEIGHTS, inputs, onet_views, titles)


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_the_ranking_order_is_the_scores_sorted_by_the_ranking_key(seed: int) -> None:
    scores = assessment_of(seed).scores
    assert list(scores) == sorted(scores, key=ranking_key)
    assert any(s.fit is None for s in scores) and any(s.fit is not None for s in scores)
    fits = [s.fit for s in scores if s.fit is not None]
    assert len(set(fits)) < len(fits)  # tied fits: the order among them comes from the names and ids


@pytest.mark.parametrize("seed", [1, 2])
def test_scores_made_for_some_careers_are_those_careers_scores_among_all(seed: int) -> None:
    assessment = assessment_of(seed)
    table = assessment.table
    every = {s.career_id: s for s in assessment.scores}
    rng = random.Random(seed)
    for _ in range(5):
        rows = rng.sample(range(len(table)), rng.randint(0, len(table)))
        assert [every[s.career_id] for s in table.scores(rows)] == table.scores(rows)
        assert table.scores(rows) == [table.scores([row])[0] for row in rows]


def test_each_score_s_evidence_is_the_one_career_formula_of_its_ratings() -> None:
    """Worked out for only some rows, the evidence fit and dimension scores are still the published formulas."""
    assessment = assessment_of(5)
    for score in assessment.scores:
        counts = assessment.inputs.counts.get(score.career_id, {})
        totals = assessment.inputs.totals.get(score.career_id, {})
        shares = ev.shares(counts, totals)
        assert score.evidence_fit == ev.profile_fit(CRITERIA, DIMENSION_WEIGHTS, shares)
        assert score.dimensions == ev.dimension_scores(CRITERIA, shares)
        assert score.coverage == ev.coverage(CRITERIA, shares)


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("top", [0, 1, 5, 100])
def test_the_standing_is_the_plain_rule_over_every_score(seed: int, top: int) -> None:
    assessment = assessment_of(seed)
    fast = assessment.standing(top)
    assert fast == Standing.of(assessment.scores, top)
    assert len(fast.top) == min(top, len(assessment.scores)) and fast.waiting
    assert next_steps(CRITERIA, fast) == next_steps(CRITERIA, assessment.scores)


def test_a_standing_without_interviews_or_careers() -> None:
    nobody = assess_data(
        [Career(id=1, name="Nurse"), Career(id=2, name="Baker")],
        CRITERIA,
        DIMENSION_WEIGHTS,
        inputs_from_ratings([], {2: {1: 4.0}}),
    )
    standing = nobody.standing(5)
    assert standing == Standing.of(nobody.scores, 5)
    assert (standing.interviewed, standing.mean_coverage, standing.best_interviewed) == (0, 0.0, None)
    assert standing.waiting == ("Baker", "Nurse")  # Baker has an expected fit: ranked first
    empty = assess_data([], CRITERIA, DIMENSION_WEIGHTS, inputs_from_ratings([]))
    assert empty.standing(5) == Standing((), 0, 0.0, None, ()) and empty.scores == ()


def test_a_copy_of_an_assessment_has_the_same_scores_whether_read_before_or_not() -> None:
    """The app's cache pickles what it keeps: scores made before or after the copy are the same."""
    unread = assessment_of(6)
    copied = pickle.loads(pickle.dumps(unread))
    read = assessment_of(6)
    scores = read.scores
    assert copied.scores == scores == pickle.loads(pickle.dumps(read)).scores
    assert copied.standing(3) == read.standing(3)


def test_a_store_s_standing_is_that_of_its_ranking() -> None:
    """Through the store: careers interviewed, expected only and waiting."""
    store = Store()
    import_records(store, ratings=random_rating_rows(store, careers=5, criteria=6, seed=3))
    store.add_career("Waiting one")
    assessment = assess(store)
    assert assessment.standing(2) == Standing.of(assessment.scores, 2)
    assert assessment.standing(2).waiting == ("Waiting one",)


def plain_json(score: CareerScore) -> dict[str, object]:
    """The JSON of one score with every number rounded on its own by :func:`kept` (the rule, spelled out)."""
    return {
        "career": score.career,
        "fit": kept(score.fit),
        "low": kept(score.low),
        "high": kept(score.high),
        "evidence_fit": kept(score.evidence_fit),
        "prior_fit": kept(score.prior_fit),
        "expected_fit": kept(score.expected_fit),
        "p_best": kept(score.p_best, 4),
        "interviews": score.interviews,
        "coverage": kept(score.coverage, 4),
        "dimensions": {d: kept(score.dimensions.get(d)) for d in DIMENSIONS},
        "onet_code": score.onet_code,
        "onet_title": score.onet_title,
        "onet_fit": kept(score.onet_fit),
    }


@pytest.mark.parametrize("seed", [1, 2])
def test_the_ranking_s_json_rounds_each_number_as_kept_does(seed: int) -> None:
    unread = assessment_of(seed)  # its JSON made from the columns, no score made
    scores = assessment_of(seed).scores
    found = scores_json(scores)
    assert found == [plain_json(s) for s in scores] == [s.as_json() for s in scores] == unread.as_json()
    assert "scores" not in unread.__dict__  # (the scores were never made)
    assert any(row["onet_fit"] is not None for row in found) and any(row["expected_fit"] for row in found)
    assert [list(row) for row in found] == [list(plain_json(s)) for s in scores]  # the keys in the same order
    assert scores_json([]) == []
