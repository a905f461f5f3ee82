"""Fit, dimension scores, coverage and the uncertainty band of every career.

This module is the scoring contract of DESIGN.md, in plain Python over per-career aggregates (count,
sum and sum of squares of the ratings on each criterion) so that a store with a million ratings is
scored from a few thousand numbers that DuckDB summed exactly.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .models import DIMENSIONS, Career, Criterion, RatingAggregate

if TYPE_CHECKING:
    from .store import Store

# A single interview is one person's view: before we see any disagreement, assume its verdict on the
# 0-100 fit scale could be off by this much (one standard deviation).
SINGLE_INTERVIEW_SD = 15.0
# The band covers about 90% of a normal belief about the fit.
BAND_Z = 1.645

BAND_METHOD = f"""
**How sure is a fit?** Each fit comes with a band that shows how much it could still move with more
interviews. We treat each interview as one noisy reading of the career and the fit as their average, so
the band is the fit plus or minus {BAND_Z} standard errors (about a 90% range), cut to 0-100:

    half-width = {BAND_Z} x sqrt((disagreement + {SINGLE_INTERVIEW_SD:g}^2) / interviews)

- *interviews* is how many interviews rated the career;
- *disagreement* is how much the interviewees differ: the spread (sample variance) of their ratings of each
  criterion, on the 0-100 scale, averaged with the same weights that make up the fit;
- {SINGLE_INTERVIEW_SD:g} points is the doubt we keep about any one person's view even when everyone agrees.
  Agreement alone never makes a career certain: that floor only shrinks as you hold more interviews.

So one more interview that agrees with the others narrows the band; interviewees who disagree widen it; and
one interview leaves a wide band (about +/-{BAND_Z * SINGLE_INTERVIEW_SD:.0f} points) that four agreeing
interviews halve.
""".strip()


@dataclass(frozen=True)
class CareerScore:
    """Everything the ranking says about one career. Numbers on 0-100, coverage on 0-1."""

    career_id: int
    career: str
    fit: float | None
    low: float | None
    high: float | None
    expected_fit: float | None
    interviews: int
    coverage: float
    dimensions: dict[str, float | None] = field(default_factory=dict)
    expected_dimensions: dict[str, float | None] = field(default_factory=dict)

    @property
    def status(self) -> str:
        if self.fit is not None:
            return "interviewed"
        if self.expected_fit is not None:
            return "expectations only"
        return "no ratings yet"

    def as_json(self) -> dict[str, object]:
        """The shape of ``career-fit rank --json``."""
        return {
            "career": self.career,
            "fit": _rounded(self.fit),
            "low": _rounded(self.low),
            "high": _rounded(self.high),
            "expected_fit": _rounded(self.expected_fit),
            "interviews": self.interviews,
            "coverage": _rounded(self.coverage, 4),
            "dimensions": {d: _rounded(self.dimensions.get(d)) for d in DIMENSIONS},
        }


def _rounded(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def normalized(rating_mean: float) -> float:
    """A 1-5 rating mean as the share of the criterion the career offers: 1 -> 0, 5 -> 1."""
    return (rating_mean - 1.0) / 4.0


def dimension_scores(
    means: Mapping[int, float], criteria: Iterable[Criterion]
) -> dict[str, float | None]:
    """``D_cd = 100 * sum(w_k * s_ck) / sum(w_k)`` over rated criteria of weight > 0; no data -> None."""
    totals: dict[str, float] = defaultdict(float)
    weights: dict[str, float] = defaultdict(float)
    for criterion in criteria:
        if criterion.dimension is None or criterion.weight <= 0 or criterion.id not in means:
            continue
        totals[criterion.dimension] += criterion.weight * normalized(means[criterion.id])
        weights[criterion.dimension] += criterion.weight
    return {d: (100.0 * totals[d] / weights[d] if weights[d] > 0 else None) for d in DIMENSIONS}


def combine_dimensions(
    scores: Mapping[str, float | None], dimension_weights: Mapping[str, float]
) -> float | None:
    """The fit: mean of the non-null dimension scores weighted by the dimension weights."""
    present = [(score, dimension_weights.get(d, 1.0)) for d, score in scores.items() if score is not None]
    total_weight = sum(w for _, w in present)
    if not present or total_weight <= 0:
        return None
    return _clip(sum(score * w for score, w in present) / total_weight)


def effective_weights(
    rated: Iterable[int],
    criteria: Iterable[Criterion],
    dimension_weights: Mapping[str, float],
) -> dict[int, float]:
    """How much each rated criterion counts in the fit (the weights sum to 1)."""
    rated = set(rated)
    by_dimension: dict[str, list[Criterion]] = defaultdict(list)
    for criterion in criteria:
        if criterion.dimension is not None and criterion.weight > 0 and criterion.id in rated:
            by_dimension[criterion.dimension].append(criterion)
    total_w = sum(dimension_weights.get(d, 1.0) for d in by_dimension)
    if total_w <= 0:
        return {}
    result: dict[int, float] = {}
    for dimension, members in by_dimension.items():
        share = dimension_weights.get(dimension, 1.0) / total_w
        inner = sum(c.weight for c in members)
        for criterion in members:
            result[criterion.id] = share * criterion.weight / inner
    return result


def coverage(rated: Iterable[int], criteria: Iterable[Criterion]) -> float:
    """Share of the profile's total weight that has interview evidence (0 without interviews)."""
    rated = set(rated)
    assigned = [c for c in criteria if c.dimension is not None]
    total = sum(c.weight for c in assigned)
    if total <= 0:
        return 0.0
    return sum(c.weight for c in assigned if c.id in rated) / total


def band(
    fit: float,
    interviews: int,
    variances: Mapping[int, float],
    weights: Mapping[int, float],
) -> tuple[float, float]:
    """The uncertainty band ``[low, high]`` of a fit; see :data:`BAND_METHOD`."""
    disagreement = sum(weights[k] * variances.get(k, 0.0) * (100.0 / 4.0) ** 2 for k in weights)
    half = BAND_Z * math.sqrt((disagreement + SINGLE_INTERVIEW_SD**2) / max(interviews, 1))
    return _clip(fit - half), _clip(fit + half)


def _clip(value: float) -> float:
    return min(100.0, max(0.0, value))


def score_careers(
    careers: Iterable[Career],
    criteria: Iterable[Criterion],
    aggregates: Iterable[RatingAggregate],
    interview_counts: Mapping[int, int],
    dimension_weights: Mapping[str, float] | None = None,
) -> list[CareerScore]:
    """Score every career and return them in ranking order.

    Ranking: careers with a fit, best first; then careers with only expectations, by expected fit; then
    careers with no ratings. Ties are broken by name so the order never depends on row order.
    """
    criteria = list(criteria)
    weights_by_dimension = dict(dimension_weights or {d: 1.0 for d in DIMENSIONS})
    interview_stats: dict[int, dict[int, RatingAggregate]] = defaultdict(dict)
    expectation_stats: dict[int, dict[int, RatingAggregate]] = defaultdict(dict)
    for aggregate in aggregates:
        target = interview_stats if aggregate.source == "interview" else expectation_stats
        target[aggregate.career_id][aggregate.criterion_id] = aggregate

    scores = []
    for career in careers:
        stats = interview_stats.get(career.id, {})
        means = {k: a.mean for k, a in stats.items()}
        dims = dimension_scores(means, criteria)
        fit = combine_dimensions(dims, weights_by_dimension) if stats else None
        low = high = None
        count = interview_counts.get(career.id, 0)
        if fit is not None:
            weights = effective_weights(means, criteria, weights_by_dimension)
            low, high = band(fit, count, {k: a.sample_variance for k, a in stats.items()}, weights)
        expected_means = {k: a.mean for k, a in expectation_stats.get(career.id, {}).items()}
        expected_dims = dimension_scores(expected_means, criteria)
        expected = combine_dimensions(expected_dims, weights_by_dimension) if expected_means else None
        scores.append(
            CareerScore(
                career_id=career.id,
                career=career.name,
                fit=fit,
                low=low,
                high=high,
                expected_fit=expected,
                interviews=count,
                coverage=coverage(means, criteria) if stats else 0.0,
                dimensions=dims,
                expected_dimensions=expected_dims,
            )
        )
    return sorted(scores, key=ranking_key)


def ranking_key(score: CareerScore) -> tuple[int, float, str, int]:
    if score.fit is not None:
        return (0, -score.fit, score.career.casefold(), score.career_id)
    if score.expected_fit is not None:
        return (1, -score.expected_fit, score.career.casefold(), score.career_id)
    return (2, 0.0, score.career.casefold(), score.career_id)


def rank(store: Store) -> list[CareerScore]:
    """Score every career of a store."""
    return score_careers(
        store.careers(),
        store.criteria(),
        store.rating_aggregates(),
        store.interview_counts(),
        store.dimension_weights(),
    )
