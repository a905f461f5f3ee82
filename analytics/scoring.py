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

from .models import DIMENSIONS, Career, Criterion, DimensionSums, RatingAggregate

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


def combine_dimensions(
    scores: Mapping[str, float | None], dimension_weights: Mapping[str, float]
) -> float | None:
    """The fit: mean of the non-null dimension scores weighted by the dimension weights."""
    present = [(score, dimension_weights.get(d, 1.0)) for d, score in scores.items() if score is not None]
    total_weight = sum(w for _, w in present)
    if not present or total_weight <= 0:
        return None
    return _clip(sum(score * w for score, w in present) / total_weight)


def band(fit: float, interviews: int, disagreement: float) -> tuple[float, float]:
    """The uncertainty band ``[low, high]`` of a fit; see :data:`BAND_METHOD`."""
    half = BAND_Z * math.sqrt((disagreement + SINGLE_INTERVIEW_SD**2) / max(interviews, 1))
    return _clip(fit - half), _clip(fit + half)


def _clip(value: float) -> float:
    return min(100.0, max(0.0, value))


def dimension_sums(
    aggregates: Iterable[RatingAggregate], criteria: Iterable[Criterion]
) -> list[DimensionSums]:
    """The per-dimension sums of :meth:`Store.dimension_sums`, computed from per-criterion aggregates."""
    by_id = {c.id: c for c in criteria}
    parts: dict[tuple[int, str, str], list[tuple[float, float, float]]] = defaultdict(list)
    for a in aggregates:
        criterion = by_id.get(a.criterion_id)
        if criterion is None or criterion.dimension is None:
            continue
        w = criterion.weight
        parts[(a.career_id, a.source, criterion.dimension)].append(
            (w, w * normalized(a.mean), w * a.sample_variance)
        )
    return [
        DimensionSums(career, source, dimension, math.fsum(p[0] for p in items),
                      math.fsum(p[1] for p in items), math.fsum(p[2] for p in items))
        for (career, source, dimension), items in parts.items()
    ]


def score_careers(
    careers: Iterable[Career],
    criteria: Iterable[Criterion],
    aggregates: Iterable[RatingAggregate],
    interview_counts: Mapping[int, int],
    dimension_weights: Mapping[str, float] | None = None,
) -> list[CareerScore]:
    """Score every career from per-criterion aggregates; see :func:`score_from_sums`."""
    criteria = list(criteria)
    return score_from_sums(
        careers, dimension_sums(aggregates, criteria), interview_counts,
        total_profile_weight(criteria), dimension_weights,
    )


def total_profile_weight(criteria: Iterable[Criterion]) -> float:
    """The denominator of coverage: all weight of the criteria assigned to a dimension."""
    return math.fsum(c.weight for c in criteria if c.dimension is not None)


def score_from_sums(
    careers: Iterable[Career],
    sums: Iterable[DimensionSums],
    interview_counts: Mapping[int, int],
    profile_weight: float,
    dimension_weights: Mapping[str, float] | None = None,
) -> list[CareerScore]:
    """Score every career and return them in ranking order.

    Per dimension, ``D = 100 * weighted_share / weight`` (None without weighted ratings); the fit combines
    the dimensions with the dimension weights; coverage is the rated weight over ``profile_weight``; the
    band uses the weighted variances (see :data:`BAND_METHOD`). Ranking: careers with a fit, best first;
    then careers with only expectations, by expected fit; then careers with no ratings. Ties are broken by
    name so the order never depends on row order.
    """
    weights_by_dimension = dict(dimension_weights or {d: 1.0 for d in DIMENSIONS})
    grouped: dict[tuple[int, str], dict[str, DimensionSums]] = defaultdict(dict)
    for item in sums:
        grouped[(item.career_id, item.source)][item.dimension] = item

    scores = []
    for career in careers:
        observed = grouped.get((career.id, "interview"), {})
        dims = _dimension_scores(observed)
        fit = combine_dimensions(dims, weights_by_dimension) if observed else None
        low = high = None
        count = interview_counts.get(career.id, 0)
        if fit is not None:
            low, high = band(fit, count, _disagreement(observed, dims, weights_by_dimension))
        expected = combine_dimensions(
            _dimension_scores(grouped.get((career.id, "expectation"), {})), weights_by_dimension
        )
        rated_weight = math.fsum(item.weight for item in observed.values())
        scores.append(
            CareerScore(
                career_id=career.id,
                career=career.name,
                fit=fit,
                low=low,
                high=high,
                expected_fit=expected,
                interviews=count,
                coverage=min(1.0, rated_weight / profile_weight) if profile_weight > 0 and observed else 0.0,
                dimensions=dims,
            )
        )
    return sorted(scores, key=ranking_key)


def _dimension_scores(sums: Mapping[str, DimensionSums]) -> dict[str, float | None]:
    return {
        d: (100.0 * sums[d].weighted_share / sums[d].weight if d in sums and sums[d].weight > 0 else None)
        for d in DIMENSIONS
    }


def _disagreement(
    sums: Mapping[str, DimensionSums],
    scores: Mapping[str, float | None],
    dimension_weights: Mapping[str, float],
) -> float:
    """Weighted mean sample variance of the ratings, on the 0-100 scale squared."""
    present = [d for d in DIMENSIONS if scores.get(d) is not None]
    total = math.fsum(dimension_weights.get(d, 1.0) for d in present)
    if total <= 0:
        return 0.0
    return math.fsum(
        dimension_weights.get(d, 1.0) / total * sums[d].weighted_variance / sums[d].weight for d in present
    ) * (100.0 / 4.0) ** 2


def ranking_key(score: CareerScore) -> tuple[int, float, str, int]:
    if score.fit is not None:
        return (0, -score.fit, score.career.casefold(), score.career_id)
    if score.expected_fit is not None:
        return (1, -score.expected_fit, score.career.casefold(), score.career_id)
    return (2, 0.0, score.career.casefold(), score.career_id)


def rank(store: Store) -> list[CareerScore]:
    """Score every career of a store, with the per-dimension sums computed inside DuckDB."""
    return score_from_sums(
        store.careers(),
        store.dimension_sums(),
        store.interview_counts(),
        total_profile_weight(store.criteria()),
        store.dimension_weights(),
    )
