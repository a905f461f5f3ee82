"""The belief model's many-careers-at-once forms give what the one-career rules and the dense formulas give.

The ranking works on careers x criteria arrays (a million ratings reduce to a few thousand rows): the evidence
fit, dimension scores and noise of all careers at once must be the one-career rules' numbers bit for bit, and
the closed-form posterior (no matrix inverted) must match the model's matrix formulas as written.
"""

from __future__ import annotations

import math
import pickle
import random

import numpy as np
import pytest

from analytics.beliefs import assess, model
from analytics.beliefs import evidence as ev
from analytics.beliefs.inputs import inputs_from_ratings
from analytics.beliefs.model import Noise, build_prior, estimate_noise, estimate_noises, sds_after_runs, update_stacked
from analytics.beliefs.ranking import assess_data
from analytics.beliefs.weights import combined_fit, combined_fits
from analytics.db.belief_stats import BeliefInputs, Pattern, PooledSpread, read_belief_inputs
from analytics.models import Career, Criterion
from analytics.store import Store
from tests.support.store_fixtures import import_records, random_rating_rows

CRITERIA = [
    Criterion(id=k, name=f"C{k}", dimension=("interest", "skill", "value", None)[k % 4], weight=(k * 7) % 6)
    for k in range(1, 13)
]
DIMENSION_WEIGHTS = {"interest": 1.0, "skill": 2.0, "value": 0.5}


def random_ratings(seed: int, careers: int = 30) -> list[tuple[int, int, int, float]]:
    """(career, interview, criterion, rating): careers rating different subsets, some nothing at all."""
    rng = random.Random(seed)
    ratings = []
    for career in range(1, careers + 1):
        rated = rng.sample([c.id for c in CRITERIA], rng.randint(0, len(CRITERIA))) if career % 5 else []
        for interview in range(rng.randint(1, 6)):
            for criterion in rated:
                if rng.random() < 0.8:
                    ratings.append((career, interview, criterion, float(rng.randint(1, 5))))
    return ratings


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_evidence_fits_and_dimension_scores_of_many_careers_are_the_one_career_rules_bit_for_bit(seed: int) -> None:
    inputs = inputs_from_ratings(random_ratings(seed))
    careers = list(range(1, 31))
    columns = [c.id for c in CRITERIA]
    counts, totals = inputs.rating_matrices(careers, columns)
    shares = ev.share_matrix(counts, totals)
    fit_of, dimension_scores = ev.ProfileFits(CRITERIA, DIMENSION_WEIGHTS), ev.DimensionScores(CRITERIA)
    seen = set()
    for present, rows in ev.rated_groups(shares, columns):
        fits = fit_of.many(shares, columns, rows, present)
        dimensions = dimension_scores.many(shares, columns, rows, present)
        for row, fit, scores in zip(rows.tolist(), fits, dimensions, strict=True):
            career = careers[row]
            one = ev.shares(inputs.counts.get(career, {}), inputs.totals.get(career, {}))
            assert present == frozenset(one)
            assert fit == fit_of(one)  # the same bits, not only close
            assert scores == dimension_scores(one)
            seen.add(career)
    assert seen == set(careers)  # every career in exactly one group (those without ratings in the empty one)


def test_combined_fits_are_combined_fit_of_each_row() -> None:
    rng = np.random.default_rng(5)
    shares = rng.uniform(0, 1, (50, 6))
    columns = [10, 20, 30, 40, 50, 60]
    weights = {20: 0.1, 40: 0.35, 50: 0.2, 60: 0.35}
    many = combined_fits(shares, columns, weights)
    assert many == [combined_fit(dict(zip(columns, row, strict=True)), weights) for row in shares.tolist()]
    assert combined_fits(shares, columns, {}) == [None] * 50


def test_the_noise_of_many_spreads_is_the_noise_of_each() -> None:
    rng = random.Random(11)
    spreads = [
        PooledSpread(
            rng.uniform(0, 400),
            rng.choice([0, rng.randint(1, 300)]),
            rng.uniform(-40, 150),
            rng.choice([0, rng.randint(1, 900)]),
            rng.choice([0, rng.randint(1, 60)]),
            rng.uniform(0, 200),
            rng.choice([0, rng.randint(1, 500)]),
        )
        for _ in range(300)
    ]
    many = estimate_noises(np.array([s.values() for s in spreads], dtype=float))
    assert many == [estimate_noise(s) for s in spreads]


def test_the_rating_matrices_read_from_the_store_are_those_of_its_dictionaries() -> None:
    store = Store(seed_defaults=False)
    ids = [store.add_criterion(f"C{k}", "interest", 3) for k in range(4)]
    for person in range(6):
        store.save_interview(
            f"Career {person % 3}",
            f"Person {person}",
            None,
            ratings={k: 1 + (person + k) % 5 for k in ids[person % 2 :]},
        )
    read = read_belief_inputs(store)
    careers = [c.id for c in store.careers()]
    from_columns = read.rating_matrices(careers, ids)
    rebuilt = BeliefInputs(counts=read.counts, totals=read.totals).rating_matrices(careers, ids)
    assert all(np.array_equal(a, b) for a, b in zip(from_columns, rebuilt, strict=True))
    assert from_columns[0].sum() == sum(sum(row.values()) for row in read.counts.values())
    # careers and criteria not asked for are left out; unknown ones are rows of zeros
    counts, _ = read.rating_matrices([careers[0], 10_000], ids[:2])
    assert counts.shape == (2, 2) and not counts[1].any()


def dense_posterior(
    prior_mean: np.ndarray,
    prior_sd: np.ndarray,
    prior_lean: np.ndarray,
    counts: np.ndarray,
    totals: np.ndarray,
    co_rated: np.ndarray,
    noise: Noise,
) -> tuple[np.ndarray, np.ndarray]:
    """The model's formulas as its docstring writes them, with matrices inverted (one career)."""
    sigma2, lean2, shared2 = noise.noise_sd**2, noise.lean_sd**2, noise.shared_lean_sd**2
    d = sigma2 + lean2
    precision = np.linalg.inv(np.diag(prior_sd**2) + np.outer(prior_lean, prior_lean))
    m = np.linalg.inv(precision + np.diag(counts) / d)
    sums = np.where(counts > 0, (totals - counts) / 4.0, 0.0)
    mean = m @ (precision @ prior_mean + sums / d)
    spread = precision + (sigma2 * np.diag(counts) + lean2 * co_rated + shared2 * np.outer(counts, counts)) / d**2
    return mean, m @ spread @ m


def test_the_closed_form_posterior_is_the_dense_matrix_formula() -> None:
    """Priors with a lean (expectations, O*NET) and without (neutral), criteria rated by different interviews."""
    rng = random.Random(3)
    criteria = tuple(range(1, 9))
    priors = [
        build_prior(criteria, {}, {}, 0.1),
        build_prior(criteria, {1: 4, 2: 2, 5: 5}, {}, 0.17),
        build_prior(criteria, {}, {k: (rng.uniform(1, 5), rng.choice([None, 0.3])) for k in criteria[:5]}, 0.1),
        build_prior(criteria, {3: 1}, {k: (3.0, 0.2) for k in criteria[4:]}, 0.12),
    ]
    ratings = []
    for career in range(4):
        for interview in range(career * 2):
            for k in rng.sample(criteria, rng.randint(1, len(criteria))):
                ratings.append((career, interview, k, float(rng.randint(1, 5))))
    inputs = inputs_from_ratings(ratings)
    counts, totals = inputs.rating_matrices(range(4), criteria)
    noises = [Noise(0.2, 0.07, 0.015), Noise(0.15, 0.05, 0.015), Noise(0.3, 0.1, 0.02), Noise(0.18, 0.06, 0.015)]
    stacked = update_stacked(priors, counts, totals, [inputs.patterns.get(c, []) for c in range(4)], noises)
    for row, (prior, noise) in enumerate(zip(priors, noises, strict=True)):
        mean, covariance = dense_posterior(
            np.array(prior.mean),
            np.array(prior.sd),
            np.array(prior.lean),
            counts[row],
            totals[row],
            stacked.co_rated[row],
            noise,
        )
        np.testing.assert_allclose(stacked.mean[row], mean, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(stacked.covariance[row], covariance, rtol=1e-10, atol=1e-16)
        np.testing.assert_array_equal(stacked.co_rated[row].diagonal(), counts[row])


def test_a_store_ranks_the_same_from_its_columns_and_from_its_dictionaries() -> None:
    """The store's read carries the rating columns; the in-memory builder has only dictionaries: same scores."""
    store = Store()
    left_out = lambda career, rating: rating == 3 and career % 2 == 0  # noqa: E731 - a rule, named
    import_records(store, ratings=random_rating_rows(store, careers=6, criteria=8, seed=9, left_out=left_out))
    read = read_belief_inputs(store)
    assert read.columns is not None
    without = BeliefInputs(read.counts, read.totals, read.expectations, read.patterns, read.interviews, read.spreads)
    careers, criteria, weights = store.careers(), store.criteria(), store.dimension_weights()
    assert (
        assess_data(careers, criteria, weights, read).scores == assess_data(careers, criteria, weights, without).scores
    )
    assert assess(store).scores == assess_data(careers, criteria, weights, read).scores


def test_the_store_s_rating_dictionaries_read_and_copy_as_plain_dictionaries() -> None:
    """They are spread from the columns only when read; a copy (the app's cache pickles results) is a dict."""
    store = Store(seed_defaults=False)
    first, second = store.add_criterion("A", "interest", 3), store.add_criterion("B", "skill", 2)
    store.save_interview("Nurse", "Ana", None, ratings={first: 4, second: 2})
    store.save_interview("Nurse", "Bo", None, ratings={first: 5})
    store.save_interview("Pilot", "Cy", None, ratings={second: 1})
    read = read_belief_inputs(store)
    ids = {c.name: c.id for c in store.careers()}
    expected_counts = {ids["Nurse"]: {first: 2, second: 1}, ids["Pilot"]: {second: 1}}
    assert read.counts == expected_counts and expected_counts == read.counts
    assert read.totals == {ids["Nurse"]: {first: 9.0, second: 2.0}, ids["Pilot"]: {second: 1.0}}
    assert all(type(n) is int for row in read.counts.values() for n in row.values())
    copied = pickle.loads(pickle.dumps(read.counts))
    assert type(copied) is dict and copied == expected_counts
    assert read.counts.get(10_000, {}) == {} and ids["Pilot"] in read.counts and len(read.counts) == 2


def test_the_band_after_more_interviews_is_the_dense_formula_with_those_interviews_added() -> None:
    """``sds_after_interviews`` works the fit's variance out without building the covariance: it must equal
    ``wᵀ Σ w`` of the dense posterior whose counts and co-rating counts include ``n`` more interviews that
    rate every weighted criterion."""
    rng = random.Random(8)
    criteria = tuple(range(1, 7))
    priors = [
        build_prior(criteria, {}, {}, 0.1),
        build_prior(criteria, {2: 4, 3: 1}, {}, 0.15),
        build_prior(criteria, {}, {k: (rng.uniform(1, 5), 0.2) for k in criteria}, 0.1),
    ]
    ratings = [
        (career, interview, k, float(rng.randint(1, 5)))
        for career in range(3)
        for interview in range(career + 1)
        for k in rng.sample(criteria, rng.randint(1, len(criteria)))
    ]
    inputs = inputs_from_ratings(ratings)
    counts, totals = inputs.rating_matrices(range(3), criteria)
    noises = [Noise(0.2, 0.07, 0.015), Noise(0.16, 0.05, 0.02), Noise(0.25, 0.08, 0.015)]
    beliefs = update_stacked(priors, counts, totals, [inputs.patterns.get(c, []) for c in range(3)], noises).beliefs()
    weights = {1: 0.3, 2: 0.1, 4: 0.4, 6: 0.2}  # criteria 3 and 5 weigh nothing: more interviews skip them
    w = np.array([weights.get(k, 0.0) for k in criteria])
    rated = (w > 0).astype(float)
    after = sds_after_runs(beliefs, weights, (0, 1, 3))
    for row, (prior, noise, belief) in enumerate(zip(priors, noises, beliefs, strict=True)):
        assert after[0][row] == pytest.approx(belief.fit(weights)[1], rel=1e-12)
        for more in (1, 3):
            _, covariance = dense_posterior(
                np.array(prior.mean),
                np.array(prior.sd),
                np.array(prior.lean),
                counts[row] + more * rated,
                totals[row],
                belief.co_rated + more * np.outer(rated, rated),
                noise,
            )
            assert after[more][row] == pytest.approx(100 * math.sqrt(w @ covariance @ w), rel=1e-10)


def test_careers_group_by_what_they_rate_even_with_no_criteria_at_all() -> None:
    nan = math.nan
    shares = np.array([[0.5, nan, 1.0], [nan, nan, nan], [0.25, nan, 0.0], [nan, 0.5, nan]])
    groups = {present: rows.tolist() for present, rows in ev.rated_groups(shares, [7, 8, 9])}
    assert groups == {frozenset({7, 9}): [0, 2], frozenset(): [1], frozenset({8}): [3]}
    assert [(p, r.tolist()) for p, r in ev.rated_groups(np.empty((3, 0)), [])] == [(frozenset(), [0, 1, 2])]
    assert ev.rated_groups(np.empty((0, 3)), [7, 8, 9]) == []
    store = Store(seed_defaults=False)
    store.add_career("Nothing to rate")
    (score,) = assess(store).scores
    assert score.fit is None and score.evidence_fit is None and score.coverage == 0.0


def test_the_spreads_read_as_columns_are_those_of_the_dictionaries() -> None:
    """The noise is learned from each career's spread and the total over all careers: from the store's columns
    they are the numbers the dictionaries give, counts as whole numbers."""
    store = Store(seed_defaults=False)
    ids = [store.add_criterion(f"C{k}", "interest", 3) for k in range(3)]
    for person in range(9):
        store.save_interview(
            f"Career {person % 3}", f"P{person}", None, ratings={k: 1 + (person * 3 + k) % 5 for k in ids}
        )
    read = read_belief_inputs(store)
    assert read.spread_columns is not None
    plain = BeliefInputs(spreads=dict(read.spreads))
    careers = [c.id for c in store.careers()] + [10_000]  # one without any spread
    np.testing.assert_array_equal(read.spread_rows(careers), plain.spread_rows(careers))
    assert read.total_spread() == plain.total_spread()
    assert all(type(v) is int for i, v in enumerate(read.total_spread().values()) if i in (1, 3, 4, 6))
    assert read_belief_inputs(Store(seed_defaults=False)).total_spread() == PooledSpread()


def test_an_assessment_s_beliefs_are_made_when_read_and_copy_whole() -> None:
    """Every career has a belief, in the careers' order; a copy (the app's cache pickles results) holds them all
    as a plain dictionary with the same numbers."""
    inputs = inputs_from_ratings(random_ratings(4, careers=12))
    careers = [Career(id=c, name=f"Career {c:02d}") for c in range(1, 13)]
    assessment = assess_data(careers, CRITERIA, DIMENSION_WEIGHTS, inputs)
    assert list(assessment.beliefs) == [c.id for c in careers] and len(assessment.beliefs) == 12
    copied = pickle.loads(pickle.dumps(assessment))
    assert type(copied.beliefs) is dict and list(copied.beliefs) == list(assessment.beliefs)
    for career, belief in assessment.beliefs.items():
        again = copied.beliefs[career]
        np.testing.assert_array_equal(again.mean, belief.mean)
        np.testing.assert_array_equal(again.covariance, belief.covariance)
        assert again.noise == belief.noise and assessment.beliefs[career] is belief  # made once


@pytest.mark.parametrize("few", [0, 1000])  # the reduction over patterns, and the one matrix product
def test_co_rating_counts_are_the_interviews_that_rated_both(few: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(model, "_FEW_PATTERNS", few)
    rng = random.Random(12)
    criteria = (3, 5, 8, 13)
    patterns = [
        [Pattern(tuple(sorted(rng.sample(criteria, rng.randint(1, 4)))), rng.randint(1, 9), 0.0) for _ in range(n)]
        for n in (0, 1, 3, 1, 2, 0, 5)
    ]
    found = model._co_rated(patterns, criteria)
    for row, career in enumerate(patterns):
        expected = np.zeros((4, 4))
        for pattern in career:
            for i, a in enumerate(criteria):
                for j, b in enumerate(criteria):
                    expected[i, j] += pattern.interviews * (a in pattern.criteria and b in pattern.criteria)
        np.testing.assert_array_equal(found[row], expected)


@pytest.mark.parametrize("careers", [1, 63, 64, 65, 200])  # one block, a block exactly, blocks and a remainder
def test_fits_worked_out_a_block_of_careers_at_a_time_are_those_of_the_whole_covariances(careers: int) -> None:
    """The ranking's fits and sds come from each block's covariances, made and dropped; the beliefs read the
    whole arrays made later: the same numbers bit for bit, with and without a prior lean, many patterns or few."""
    rng = random.Random(careers)
    criteria = tuple(range(1, 10))
    priors = [
        build_prior(criteria, {1: 4, 3: 2}, {}, 0.15)
        if career % 3 == 0
        else build_prior(criteria, {}, {k: (rng.uniform(1, 5), 0.2) for k in criteria[:4]}, 0.1)
        if career % 3 == 1
        else build_prior(criteria, {}, {}, 0.1)
        for career in range(careers)
    ]
    ratings = [
        (career, interview, k, float(rng.randint(1, 5)))
        for career in range(careers)
        for interview in range(rng.randint(0, 5))
        for k in rng.sample(criteria, rng.randint(1, len(criteria)))
    ]
    inputs = inputs_from_ratings(ratings)
    counts, totals = inputs.rating_matrices(range(careers), criteria)
    patterns = [inputs.patterns.get(c, []) for c in range(careers)]
    noises = estimate_noises(np.array([[rng.uniform(1, 40), rng.randint(1, 30), 0.0, 0, 0, 0.0, 0]] * careers))
    weights = {k: rng.uniform(0, 1) for k in criteria if k != 2}
    rows = np.array(sorted(rng.sample(range(careers), max(1, careers // 2))), dtype=np.intp)
    for chosen in (None, rows):
        stacked = update_stacked(priors, counts, totals, patterns, noises)
        blocked = stacked.fits(weights, chosen)
        assert "covariance" not in stacked.__dict__  # the whole covariances were not made for the fits
        whole = model.fits_of(stacked.mean, stacked.covariance, np.array([weights.get(k, 0.0) for k in criteria]))
        picked = slice(None) if chosen is None else chosen
        np.testing.assert_array_equal(blocked[0], whole[0][picked])
        np.testing.assert_array_equal(blocked[1], whole[1][picked])
        np.testing.assert_array_equal(stacked.fits(weights, chosen)[1], blocked[1])  # now from the whole arrays
        again = update_stacked(priors, counts, totals, patterns, noises)
        assert np.array_equal(again.co_rated, stacked.co_rated) and np.array_equal(again.covariance, stacked.covariance)


def test_a_career_s_rating_patterns_read_in_the_order_of_their_criteria() -> None:
    """Whatever order they were written in (the read sorts them itself), as the in-memory builder orders them."""
    store = Store(seed_defaults=False)
    ids = [store.add_criterion(name, "value", 3) for name in ("A", "B", "C", "D")]
    for day, rated in enumerate(([ids[2], ids[3]], [ids[0], ids[1]], [ids[1]], [ids[0], ids[1], ids[2], ids[3]])):
        store.save_interview("Nurse", f"Person {day}", None, ratings=dict.fromkeys(rated, 4))
    store.save_interview("Baker", "Ana", None, ratings={ids[3]: 2})
    (career,) = [c.id for c in store.careers() if c.name == "Nurse"]
    found = [p.criteria for p in read_belief_inputs(store).patterns[career]]
    assert found == sorted(found) and len(found) == 4
    assert found[0] == tuple(sorted(ids[:2]))


def test_the_interviews_totals_and_the_expectations_are_read_apart_from_one_statement() -> None:
    """Both come from ``rating_totals`` in one read: each lands in its own place, none in the other's."""
    store = Store(seed_defaults=False)
    ids = [store.add_criterion(f"C{k}", "interest", 3) for k in range(3)]
    store.save_interview("Nurse", "Ann", None, ratings={ids[0]: 4, ids[1]: 2})
    store.save_interview("Nurse", "Bob", None, ratings={ids[0]: 5})
    store.save_expectations("Nurse", {ids[1]: 3, ids[2]: 5})
    store.save_expectations("Teacher", {ids[0]: 1})
    nurse, teacher = (c.id for c in sorted(store.careers(), key=lambda c: c.name))
    read = read_belief_inputs(store)
    assert read.counts == {nurse: {ids[0]: 2, ids[1]: 1}} and read.totals == {nurse: {ids[0]: 9.0, ids[1]: 2.0}}
    assert read.expectations == {nurse: store.expectations(nurse), teacher: store.expectations(teacher)}
    assert read.expectations == {nurse: {ids[1]: 3.0, ids[2]: 5.0}, teacher: {ids[0]: 1.0}}
    assert read.interviews == {nurse: 2}
