"""Properties the scoring must hold for any data (hypothesis)."""

from __future__ import annotations

import random

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from analytics.models import Career, Criterion
from analytics.scoring import score_careers
from analytics.store import Store

N_CRITERIA = 6
rating = st.integers(min_value=1, max_value=5)
weights = st.lists(st.integers(min_value=0, max_value=5), min_size=N_CRITERIA, max_size=N_CRITERIA)
interview = st.lists(st.one_of(st.none(), rating), min_size=N_CRITERIA, max_size=N_CRITERIA).filter(
    lambda r: any(v is not None for v in r)
)
DIMENSIONS = ("interest", "interest", "skill", "skill", "value", "value")


def criteria_for(ws: list[int]) -> list[Criterion]:
    return [Criterion(i + 1, f"c{i}", DIMENSIONS[i], w) for i, w in enumerate(ws)]


def score_of(interviews: list[list[int | None]], ws: list[int], order_seed: int = 0):
    """Score one career through a real store, writing the ratings in a shuffled order."""
    rows = [(i, k, v) for i, ratings in enumerate(interviews) for k, v in enumerate(ratings) if v is not None]
    random.Random(order_seed).shuffle(rows)
    with Store(seed_defaults=False) as store:
        ids = [store.add_criterion(f"c{k}", DIMENSIONS[k], ws[k]) for k in range(N_CRITERIA)]
        for i, k, v in rows:
            store.save_interview("Career", f"person {i}", ratings={ids[k]: v})
        return score_careers(
            store.careers(), store.criteria(), store.rating_aggregates(), store.interview_counts()
        )[0]


@settings(max_examples=20, deadline=None)
@given(st.lists(interview, min_size=1, max_size=4), weights, st.integers(0, 10_000))
def test_fit_is_within_0_100_and_row_order_does_not_matter(interviews, ws, seed) -> None:
    first = score_of(interviews, ws, 0)
    again = score_of(interviews, ws, seed)
    assert first == again
    if first.fit is not None:
        assert 0 <= first.low <= first.fit <= first.high <= 100
        assert 0 <= first.coverage <= 1


@settings(max_examples=20, deadline=None)
@given(st.lists(interview, min_size=1, max_size=4), weights, st.data())
def test_raising_a_weighted_rating_never_lowers_fit(interviews, ws, data) -> None:
    cells = [(i, k) for i, r in enumerate(interviews) for k, v in enumerate(r) if v is not None and v < 5]
    assume(cells)
    i, k = data.draw(st.sampled_from(cells))
    before = score_of(interviews, ws)
    raised = [list(r) for r in interviews]
    raised[i][k] = data.draw(st.integers(min_value=raised[i][k] + 1, max_value=5))
    after = score_of(raised, ws)
    if before.fit is not None:
        assert after.fit >= before.fit - 1e-9


def one_criterion(ratings: list[float]):
    from analytics.models import RatingAggregate

    agg = RatingAggregate(1, 1, "interview", len(ratings), sum(ratings), sum(r * r for r in ratings))
    return score_careers([Career(1, "A")], criteria_for([3, 0, 0, 0, 0, 0]), [agg], {1: len(ratings)})[0]


def width(score) -> float:
    return score.high - score.low


mid_ratings = st.lists(st.floats(min_value=2.5, max_value=3.5), min_size=1, max_size=8)


@settings(max_examples=100, deadline=None)
@given(mid_ratings)
def test_an_agreeing_interview_narrows_the_band(ratings) -> None:
    mean = sum(ratings) / len(ratings)
    assert width(one_criterion([*ratings, mean])) < width(one_criterion(ratings))


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=2, max_value=8), st.floats(min_value=0.0, max_value=0.4), st.floats(0.05, 0.5))
def test_more_disagreement_at_equal_counts_widens_the_band(n, spread, extra) -> None:
    calm = [3 + spread * (-1) ** j for j in range(n)]
    stormy = [3 + (spread + extra) * (-1) ** j for j in range(n)]
    assert width(one_criterion(stormy)) > width(one_criterion(calm))


@settings(max_examples=50, deadline=None)
@given(st.floats(min_value=2.0, max_value=4.0))
def test_one_interview_is_wider_than_four_that_agree(value) -> None:
    assert width(one_criterion([value])) > width(one_criterion([value] * 4))


@settings(max_examples=50, deadline=None)
@given(st.floats(min_value=1.0, max_value=5.0), st.integers(min_value=1, max_value=50))
def test_agreement_never_makes_a_career_certain(value, n) -> None:
    score = one_criterion([value] * n)
    floor = one_criterion([3.0] * n)
    assert width(floor) > 0
    if score.low > 0 and score.high < 100:  # away from the clipping at the ends of the scale
        assert width(score) >= width(floor) - 1e-9
    assert width(one_criterion([3.0] * (n + 1))) < width(floor)
