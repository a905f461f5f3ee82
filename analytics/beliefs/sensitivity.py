"""What would change the top pick: the smallest single weight change that swaps the two best careers, and
how robust the top career is to every weight moving a little.

Weights only decide how the beliefs about each criterion combine (the beliefs themselves do not depend on
them), so both questions are answered by recombining the posterior means with other weights:

* **Swap.** For every criterion and every weight it could have (0 to 5 in steps of 0.5), the two best
  careers' fits are recomputed; the smallest change (ties: the criterion first in the profile) after which
  the runner-up's fit is at least the leader's is reported, or that no single change does it.
* **Robustness.** Every weight moves at once by an amount drawn uniformly from -1 to +1 (kept within 0-5),
  2,000 times with a fixed seed; the share of draws in which the top career still has the best fit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

from ..models import Criterion
from ..numbers import shown
from .ranking import Assessment
from .weights import effective_weights, weight_matrix

WEIGHT_STEPS = tuple(step / 2 for step in range(11))  # 0, 0.5, ..., 5
ROBUSTNESS_DRAWS = 2000
ROBUSTNESS_SEED = 20240601


@dataclass(frozen=True)
class Swap:
    """The smallest single weight change after which ``challenger`` fits at least as well as ``leader``."""

    criterion: str
    weight_from: float
    weight_to: float


@dataclass(frozen=True)
class Sensitivity:
    leader: str
    challenger: str | None
    swap: Swap | None  # None: no single weight change (0-5) makes the challenger overtake
    stays_best: float  # chance the leader stays best when every weight moves by up to ±1

    @property
    def sentence(self) -> str:
        """The plain sentence shown on Career fit and by ``career-fit rank``."""
        if self.challenger is None:
            return f"{self.leader} is the only career with a fit so far."
        if self.swap is None:
            head = f"{self.leader} stays first whatever single weight you change (0-5)."
        else:
            verb = "drops" if self.swap.weight_to < self.swap.weight_from else "rises"
            head = (
                f"{self.leader} stays first unless {self.swap.criterion} {verb} from "
                f"{self.swap.weight_from:g} to {self.swap.weight_to:g} (then {self.challenger} leads)."
            )
        stays = shown(100 * self.stays_best)
        return f"{head} If every weight moved by up to 1, it would stay first {stays}% of the time."


def sensitivity(assessment: Assessment) -> Sensitivity | None:
    """The sensitivity of the current top pick, or None when no career has a fit."""
    ranked = [s for s in assessment.scores if s.fit is not None]
    if not ranked:
        return None
    leader = ranked[0]
    if len(ranked) == 1:
        return Sensitivity(leader.career, None, None, 1.0)
    challenger = ranked[1]
    criteria = list(assessment.criteria)
    ids = [s.career_id for s in ranked]
    means = np.array([_means(assessment, career, criteria) for career in ids])  # careers x criteria
    swap = _smallest_swap(means[0], means[1], criteria, assessment.dimension_weights)
    stays = _robustness(means, criteria, assessment.dimension_weights)
    return Sensitivity(leader.career, challenger.career, swap, stays)


def _means(assessment: Assessment, career_id: int, criteria: Sequence[Criterion]) -> list[float]:
    belief = assessment.beliefs[career_id]
    position = {k: i for i, k in enumerate(belief.criteria)}
    return [float(belief.mean[position[c.id]]) for c in criteria]


def _fit(means: np.ndarray, criteria: Sequence[Criterion], dimension_weights: Mapping[str, float]) -> float:
    weights = effective_weights(criteria, dimension_weights)
    return 100.0 * sum(weights.get(c.id, 0.0) * float(means[i]) for i, c in enumerate(criteria))


def _smallest_swap(
    leader: np.ndarray,
    challenger: np.ndarray,
    criteria: Sequence[Criterion],
    dimension_weights: Mapping[str, float],
) -> Swap | None:
    best: tuple[float, int, Swap] | None = None
    for order, criterion in enumerate(criteria):
        if criterion.dimension is None:
            continue
        for weight in WEIGHT_STEPS:
            if weight == criterion.weight:
                continue
            changed = [replace(c, weight=weight) if c.id == criterion.id else c for c in criteria]
            if _fit(challenger, changed, dimension_weights) >= _fit(leader, changed, dimension_weights):
                candidate = (abs(weight - criterion.weight), order, Swap(criterion.name, criterion.weight, weight))
                if best is None or candidate[:2] < best[:2]:
                    best = candidate
    return None if best is None else best[2]


def _robustness(means: np.ndarray, criteria: Sequence[Criterion], dimension_weights: Mapping[str, float]) -> float:
    """Share of random weight moves (±1 each, within 0-5) after which career 0 still has the best fit."""
    rng = np.random.default_rng(ROBUSTNESS_SEED)
    base = np.array([c.weight for c in criteria], dtype=float)
    draws = np.clip(base + rng.uniform(-1.0, 1.0, size=(ROBUSTNESS_DRAWS, len(criteria))), 0.0, 5.0)
    fits = weight_matrix(criteria, dimension_weights, draws) @ means.T  # draws x careers
    return float(np.mean(np.argmax(fits, axis=1) == 0))
