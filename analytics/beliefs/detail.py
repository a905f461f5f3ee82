"""One career in detail: per criterion, every interviewee's rating, their mean and spread, the user's
expectation, and what the belief model now holds (estimate and band on the 1-5 scale).

The Career fit page draws this table as it is; the rules behind it (what counts as a disagreement, which
criteria were never discussed) live here so that the page only draws.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from .ranking import BAND_Z, Assessment

if TYPE_CHECKING:
    from ..store import Store

DISAGREEMENT = 2.0  # ratings of one criterion this far apart (1-5 scale) count as a disagreement


@dataclass(frozen=True)
class Voice:
    """One interview of the career: who, and when."""

    interview_id: int
    interviewee: str
    held_on: date | None


@dataclass(frozen=True)
class CriterionDetail:
    criterion_id: int
    criterion: str
    dimension: str | None
    weight: float
    expected: float | None  # the user's expectation (1-5)
    ratings: tuple[float | None, ...]  # one per voice, in voice order (None: not discussed)
    mean: float | None
    spread: float | None  # highest minus lowest rating
    believed: float | None  # the belief model's estimate on the 1-5 scale
    believed_low: float | None
    believed_high: float | None

    @property
    def disputed(self) -> bool:
        return self.spread is not None and self.spread >= DISAGREEMENT


@dataclass(frozen=True)
class CareerDetail:
    career_id: int
    voices: tuple[Voice, ...]
    rows: tuple[CriterionDetail, ...]

    @property
    def never_discussed(self) -> list[str]:
        """Weighted criteria with a dimension that no interview rated (worth asking about next time)."""
        return [r.criterion for r in self.rows if r.mean is None and r.weight > 0 and r.dimension is not None]

    @property
    def disagreements(self) -> list[CriterionDetail]:
        """Criteria whose interviewees' ratings differ by :data:`DISAGREEMENT` or more, widest (then heaviest)
        first."""
        return sorted((r for r in self.rows if r.disputed), key=lambda r: (-(r.spread or 0), -r.weight, r.criterion))


def career_detail(store: Store, assessment: Assessment, career_id: int) -> CareerDetail:
    """The detail table of one career (see the module docstring)."""
    ratings = store.career_ratings(career_id)
    expectations = store.expectations(career_id)
    voices: dict[int, Voice] = {}
    by_criterion: dict[int, dict[int, float]] = {}
    for interview_id, interviewee, held_on, criterion_id, value in ratings:
        voices.setdefault(interview_id, Voice(interview_id, interviewee, held_on))
        by_criterion.setdefault(criterion_id, {})[interview_id] = value
    order = tuple(voices.values())
    belief = assessment.beliefs.get(career_id)
    position = {k: i for i, k in enumerate(belief.criteria)} if belief is not None else {}
    rows = []
    for criterion in assessment.criteria:
        given = by_criterion.get(criterion.id, {})
        values = [given[v.interview_id] for v in order if v.interview_id in given]
        believed = low = high = None
        if belief is not None and criterion.id in position:
            i = position[criterion.id]
            share = float(belief.mean[i])
            sd = math.sqrt(max(float(belief.covariance[i, i]), 0.0))
            believed = _rating(share)
            low, high = _rating(share - BAND_Z * sd), _rating(share + BAND_Z * sd)
        rows.append(
            CriterionDetail(
                criterion_id=criterion.id,
                criterion=criterion.name,
                dimension=criterion.dimension,
                weight=criterion.weight,
                expected=expectations.get(criterion.id),
                ratings=tuple(given.get(v.interview_id) for v in order),
                mean=math.fsum(values) / len(values) if values else None,
                spread=max(values) - min(values) if values else None,
                believed=believed,
                believed_low=low,
                believed_high=high,
            )
        )
    return CareerDetail(career_id, order, tuple(rows))


def _rating(share: float) -> float:
    """A share (0-1) as a rating on the 1-5 scale, kept on the scale."""
    return 1.0 + 4.0 * min(1.0, max(0.0, share))
