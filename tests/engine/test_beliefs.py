"""The belief model, through a real store: hand-worked numbers, the done criteria, and its properties.

Every number here goes through the one path production uses: ratings written to DuckDB, read back by
``read_belief_inputs`` and scored by ``analytics.beliefs``.
"""

from __future__ import annotations

import math
import random
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analytics.beliefs import assess, rank
from analytics.beliefs.inputs import inputs_from_ratings
from analytics.beliefs.model import DEFAULT_NOISE, NEUTRAL_MEAN, NEUTRAL_SD, NOISE_PSEUDO_RATINGS
from analytics.db.belief_stats import read_belief_inputs
from analytics.store import Store

Z = 1.645
DAY = date(2026, 1, 5)


def one_criterion_store() -> tuple[Store, int]:
    store = Store(seed_defaults=False)
    return store, store.add_criterion("Social", "interest", 3)


def interview(store: Store, career: str, person: int, ratings: dict[int, float]) -> None:
    store.save_interview(career, f"Person {person}", DAY + timedelta(days=person), ratings=ratings)


def by_name(store: Store) -> dict[str, object]:
    return {s.career: s for s in rank(store)}


# -- hand-worked numbers: one criterion, neutral prior, one to three interviews -----------------------------

# With one criterion, interview i says y_i = θ + β + b_i + e_i (shares, 0-1): the truth, a lean shared by all
# of the career's interviewees (sd τ_s), the interviewee's own lean (sd τ_b) and noise (sd σ). The prior is
# θ ~ N(0.5, P) with P = 0.30². Each rating is read with variance d = σ² + τ_b², so after n ratings with mean ȳ
#     M = 1 / (1/P + n/d),   mean = M (0.5/P + n ȳ / d),   var = M² (1/P + n/d + τ_s² n² / d²)
# (the last term: the shared lean, which no number of interviews averages away). With no other career to
# learn the noise from, σ, τ_b and τ_s are the defaults.
P = NEUTRAL_SD**2  # 0.09
SIGMA2, LEAN2, SHARED2 = DEFAULT_NOISE.noise_sd**2, DEFAULT_NOISE.lean_sd**2, DEFAULT_NOISE.shared_lean_sd**2


def by_hand(n: int, mean_share: float, d: float = SIGMA2 + LEAN2) -> tuple[float, float]:
    """(fit, sd) on 0-100 after ``n`` ratings averaging ``mean_share``."""
    m = 1 / (1 / P + n / d)
    mean = m * (NEUTRAL_MEAN / P + n * mean_share / d)
    var = m * m * (1 / P + n / d + SHARED2 * n * n / (d * d))
    return 100 * mean, 100 * math.sqrt(var)


def test_one_interview_rating_5() -> None:
    store, social = one_criterion_store()
    interview(store, "Nurse", 1, {social: 5})
    fit, sd = by_hand(1, 1.0)
    assert pytest.approx(0.18**2 + 0.06**2) == SIGMA2 + LEAN2
    [score] = rank(store)
    assert score.fit == pytest.approx(fit) and score.sd == pytest.approx(sd)
    assert score.low == pytest.approx(fit - Z * sd) and score.high == pytest.approx(min(100, fit + Z * sd))
    assert score.evidence_fit == 100.0 and score.prior_fit == 50.0 and score.p_best == 1.0


def test_two_interviews_rating_5_and_3() -> None:
    store, social = one_criterion_store()
    interview(store, "Nurse", 1, {social: 5})
    interview(store, "Nurse", 2, {social: 3})
    fit, sd = by_hand(2, 0.75)
    [score] = rank(store)
    assert score.fit == pytest.approx(fit) and score.sd == pytest.approx(sd)
    assert score.evidence_fit == 75.0


def test_three_interviews_rating_5_4_and_3() -> None:
    store, social = one_criterion_store()
    for person, value in enumerate((5, 4, 3), start=1):
        interview(store, "Nurse", person, {social: value})
    fit, sd = by_hand(3, 0.75)
    [score] = rank(store)
    assert score.fit == pytest.approx(fit) and score.sd == pytest.approx(sd)
    assert score.sd < by_hand(2, 0.75)[1]  # a third interview narrows the band
    assert score.sd > 100 * math.sqrt(SHARED2)  # but never below the shared lean


def test_the_noise_is_learned_from_the_other_careers() -> None:
    store, social = one_criterion_store()
    interview(store, "Nurse", 1, {social: 5})
    interview(store, "Teacher", 2, {social: 5})
    interview(store, "Teacher", 3, {social: 1})  # the teacher's interviewees disagree wildly
    nurse = by_name(store)["Nurse"]
    # the teacher's spread: (2 x 26 - 6²) / 2 = 8 on the 1-5 scale, one degree of freedom, / 16 on shares,
    # pooled with 40 pseudo-ratings of the default σ² + τ_b²
    d = (NOISE_PSEUDO_RATINGS * (SIGMA2 + LEAN2) + 1 * (8 / 16)) / (NOISE_PSEUDO_RATINGS + 1)
    fit, _ = by_hand(1, 1.0, d)
    assert nurse.fit == pytest.approx(fit)
    assert nurse.fit < by_hand(1, 1.0)[0]  # noisier interviewees elsewhere: one rating of 5 counts for less


# -- the done criteria ---------------------------------------------------------------------------------------


def test_a_career_rated_5_on_its_favourite_third_does_not_outrank_one_rated_4_on_everything() -> None:
    store = Store()
    criteria = store.criteria()
    interests = [c.id for c in criteria if c.dimension == "interest"]  # a third of the weight (3 dimensions)
    interview(store, "Favourite third", 1, dict.fromkeys(interests, 5))
    interview(store, "Everything", 2, {c.id: 4 for c in criteria})
    third, everything = by_name(store)["Favourite third"], by_name(store)["Everything"]
    assert third.evidence_fit == 100.0 and everything.evidence_fit == 75.0  # the published formula
    assert everything.fit > third.fit
    assert (third.high - third.low) > (everything.high - everything.low)  # less covered, less sure
    assert [s.career for s in rank(store)] == ["Everything", "Favourite third"]


def test_the_five_heaviest_criteria_rated_high_no_longer_inflate_the_fit() -> None:
    store = Store()
    criteria = store.criteria()
    heavy = [c.id for c in criteria[:5]]
    for k in heavy:
        store.update_criterion(k, weight=5)
    interview(store, "Heavy only", 1, {k: 4 + i % 2 for i, k in enumerate(heavy)})
    [score] = rank(store)
    assert score.evidence_fit > 85  # today's formula, over the rated criteria only
    assert score.coverage < 0.4
    assert score.fit < 65  # the unrated two thirds sit at their prior, 50
    assert score.high - score.low > 15


def test_nothing_known_means_no_fit_and_the_ranking_is_one_list() -> None:
    store = Store()
    social = next(c.id for c in store.criteria() if c.name == "Social")
    store.add_career("Pilot")
    store.save_expectations("Teacher", {social: 5})
    interview(store, "Clerk", 1, {c.id: 2 for c in store.criteria()})
    scores = rank(store)
    assert [s.career for s in scores] == ["Teacher", "Clerk", "Pilot"]  # by fit, interviewed or not
    teacher, clerk, pilot = scores
    assert pilot.fit is None and pilot.p_best is None and pilot.prior_fit is None
    assert teacher.interviews == 0 and teacher.fit is not None and teacher.evidence_fit is None
    assert clerk.evidence_fit == 25.0
    assert teacher.p_best + clerk.p_best == pytest.approx(1.0)


def test_expectations_that_missed_before_count_for_less() -> None:
    def band_of_new_expectation(found: int) -> float:
        store = Store()
        criteria = store.criteria()
        store.save_expectations("Consultant", {c.id: 4 for c in criteria})  # expected 75
        interview(store, "Consultant", 1, {c.id: found for c in criteria})
        store.save_expectations("Designer", {c.id: 4 for c in criteria})
        designer = by_name(store)["Designer"]
        return designer.high - designer.low

    assert band_of_new_expectation(2) > band_of_new_expectation(4)


# -- properties ----------------------------------------------------------------------------------------------

ratings = st.integers(min_value=1, max_value=5)
SETTINGS = settings(max_examples=15, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
FEW = settings(max_examples=6, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(st.lists(st.dictionaries(st.integers(0, 5), ratings, min_size=1), min_size=1, max_size=4), st.data())
def test_raising_a_rating_never_lowers_the_fit(history: list[dict[int, int]], data: st.DataObject) -> None:
    which = data.draw(st.integers(0, len(history) - 1))
    criterion = data.draw(st.sampled_from(sorted(history[which])))
    if history[which][criterion] == 5:
        return
    fits = []
    for raised in (False, True):
        store = Store()
        ids = [c.id for c in store.criteria()]
        for person, answers in enumerate(history):
            given_ratings = {ids[k]: v for k, v in answers.items()}
            if raised and person == which:
                given_ratings[ids[criterion]] += 1
            interview(store, "Career", person, given_ratings)
        fits.append(rank(store)[0].fit)
    assert fits[1] >= fits[0] - 1e-9


@SETTINGS
@given(st.lists(st.dictionaries(st.integers(0, 19), ratings, min_size=1), min_size=1, max_size=4))
def test_an_interview_that_says_what_is_believed_never_widens_the_band(history: list[dict[int, int]]) -> None:
    store = Store()
    ids = [c.id for c in store.criteria()]
    for person, answers in enumerate(history):
        interview(store, "Career", person, {ids[k]: v for k, v in answers.items()})
    assessment = assess(store)
    [before] = assessment.scores
    belief = assessment.beliefs[before.career_id]
    means = zip(belief.criteria, belief.mean, strict=True)
    believed = {k: round(1 + 4 * min(1.0, max(0.0, float(m))), 6) for k, m in means}
    interview(store, "Career", len(history), believed)
    [after] = rank(store)
    assert after.high - after.low <= before.high - before.low + 1e-9


def test_two_interviews_whose_verdicts_cancel_do_not_blow_up_the_band() -> None:
    store, social = one_criterion_store()
    other = store.add_criterion("Variety", "interest", 3)
    interview(store, "Career", 1, {social: 4, other: 2})
    [one] = rank(store)
    interview(store, "Career", 2, {social: 2, other: 4})
    [two] = rank(store)
    assert one.fit == pytest.approx(50.0) and two.fit == pytest.approx(50.0)
    assert two.high - two.low < 50  # not most of the scale
    assert two.high - two.low <= (one.high - one.low) * 1.1


def test_rating_a_never_discussed_criterion_at_its_prior_narrows_the_band_and_keeps_the_fit() -> None:
    store = Store()
    criteria = store.criteria()
    interview(store, "Career", 1, {c.id: 4 for c in criteria[:10]})
    [before] = rank(store)
    interview(store, "Career", 2, {criteria[15].id: 3})  # 3 = the neutral prior's 0.5
    [after] = rank(store)
    assert abs(after.fit - before.fit) < 0.5
    assert after.high - after.low < before.high - before.low


@SETTINGS
@given(st.integers(1, 19), st.integers(1, 3), st.integers(0, 10_000))
def test_at_equal_interviews_more_coverage_never_widens_the_band(covered: int, count: int, seed: int) -> None:
    rng = random.Random(seed)
    values = [rng.randint(1, 5) for _ in range(20)]
    widths = []
    for size in (covered, covered + 1):
        store = Store()
        ids = [c.id for c in store.criteria()]
        for person in range(count):
            interview(store, "Career", person, {ids[k]: values[k] for k in range(size)})
        [score] = rank(store)
        widths.append((score.high or 0) - (score.low or 0))
    # The estimate reads every rating alike (so that raising one never lowers the fit), and its band is that
    # estimate's exact error: discussing one more, lightly weighted criterion with the same interviewee can add
    # that person's lean to it, which at the very end of an interview can outweigh what the answer teaches by
    # a hundredth of a point (19 -> 20 of 20 criteria, one interview: +0.02 in width). Never visibly.
    assert widths[1] <= widths[0] + 0.05


def test_the_twentieth_criterion_of_one_interview_moves_the_band_by_no_more_than_a_hundredth() -> None:
    rng = random.Random(0)
    values = [rng.randint(1, 5) for _ in range(20)]
    widths = []
    for size in (19, 20):
        store = Store()
        ids = [c.id for c in store.criteria()]
        interview(store, "Career", 0, {ids[k]: values[k] for k in range(size)})
        [score] = rank(store)
        widths.append(score.high - score.low)
    assert abs(widths[1] - widths[0]) < 0.05


@FEW
@given(st.integers(0, 10_000))
def test_row_order_never_matters(seed: int) -> None:
    rng = random.Random(seed)
    history = [
        ("Analyst" if i % 2 else "Writer", f"P{i}", {k: rng.randint(1, 5) for k in rng.sample(range(20), 8)})
        for i in range(6)
    ]
    outputs = []
    for order in (history, list(reversed(history)), rng.sample(history, len(history))):
        store = Store()
        ids = [c.id for c in store.criteria()]
        store.save_expectations("Writer", {ids[3]: 4, ids[7]: 2})
        for career, person, answers in order:
            store.save_interview(career, person, DAY, ratings={ids[k]: v for k, v in answers.items()})
        outputs.append([s.as_json() for s in rank(store)])
    assert outputs[0] == outputs[1] == outputs[2]


def test_p_best_adds_up_to_one_and_is_the_same_every_run() -> None:
    from analytics.demo import load_demo

    store = Store()
    load_demo(store)
    first = [s.p_best for s in rank(store)]
    assert sum(p for p in first if p is not None) == pytest.approx(1.0)
    assert [s.p_best for s in rank(store)] == first


def test_the_in_memory_builder_reads_ratings_as_the_store_does() -> None:
    rng = random.Random(5)
    store = Store()
    ids = [c.id for c in store.criteria()]
    plain = []
    for i in range(12):
        career = ["A", "B", "C"][i % 3]
        answers = {ids[k]: rng.randint(1, 5) for k in rng.sample(range(20), rng.randint(1, 20))}
        store.save_interview(career, f"P{i}", DAY, ratings=answers)
        career_id = next(c.id for c in store.careers() if c.name == career)
        interview_id = max(x.id for x in store.interviews())
        plain += [(career_id, interview_id, k, float(v)) for k, v in answers.items()]
    from_store = read_belief_inputs(store)
    built = inputs_from_ratings(plain)
    assert built.counts == from_store.counts and built.interviews == from_store.interviews
    assert built.totals == from_store.totals
    assert [(p.criteria, p.interviews, p.rating_total) for c in sorted(built.patterns) for p in built.patterns[c]] == [
        (p.criteria, p.interviews, p.rating_total) for c in sorted(from_store.patterns) for p in from_store.patterns[c]
    ]
    assert sorted(built.spreads) == sorted(from_store.spreads)
    for career, spread in from_store.spreads.items():
        mine = built.spreads[career]
        for field in ("within_squares", "cross_products", "shrink_total"):
            assert getattr(mine, field) == pytest.approx(getattr(spread, field), rel=1e-6)
        assert (mine.within_df, mine.cross_pairs, mine.interviews, mine.deviations) == (
            spread.within_df,
            spread.cross_pairs,
            spread.interviews,
            spread.deviations,
        )
