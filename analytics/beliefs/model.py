"""The belief model: what each career offers on each criterion, updated in closed form from the interviews.

**What is believed.** For a career *c* and each criterion *k*, the *share* ``θ_k`` of the criterion the career
offers (0 = not at all, 1 = fully: a 1-5 rating ``r`` is the share ``(r - 1) / 4``). Before any interview the
belief is a normal *prior*:

* the user's own expectation for that career and criterion, if there is one (spread
  :data:`EXPECTATION_SD`, plus a lean shared by all criteria of the career, calibrated against the user's own
  record: see :func:`expectation_lean_sd`);
* else O*NET's view of the occupation the career is linked to (spread: O*NET's standard error and
  :data:`ONET_SD` for how far one person's job sits from the occupation's average);
* else a neutral mid-scale prior, ``0.5`` with spread :data:`NEUTRAL_SD` (about the spread of a uniform
  share), independent of every other criterion: what the interviews say about one criterion says nothing
  about a criterion nobody discussed, so an unrated criterion stays at its prior with its full spread.

**How an interview is read.** Interview *i* rates criterion *k* as ``y_ik = θ_k + β + b_i + e_ik`` (shares):

* ``e_ik``: one person's noise on one answer, sd ``σ`` (:attr:`Noise.noise_sd`);
* ``b_i``: the interviewee's overall lean (someone who rates everything high), sd ``τ_b``
  (:attr:`Noise.lean_sd`), shared by every rating of that interview;
* ``β``: a lean shared by *all* of a career's interviewees (the user met them through the same friend, the
  same kind of employer), sd ``τ_s`` (:attr:`Noise.shared_lean_sd`). No number of interviews removes it, so
  the band never closes below about ``±1.645 x 100 x τ_s`` points.

``σ`` and ``τ_b`` are estimated from the user's own ratings *pooled across all their careers* and shrunk
towards :data:`DEFAULT_NOISE` with a few pseudo-observations, a sensible default while there is little data
(:func:`estimate_noise`).

**The update** is exact for this linear-Gaussian model: unknowns ``x = (θ_1 … θ_K, β)``, prior precision
``Λ0``, and each interview adds ``Aᵢᵀ Sᵢ⁻¹ Aᵢ`` to the precision, where ``Sᵢ = σ² I + τ_b² J`` couples the
answers of one interview (``Sᵢ⁻¹ = (I - c J) / σ²`` with ``c = τ_b² / (σ² + r τ_b²)`` for ``r`` answers). Only
per-criterion counts and sums and per-*pattern* sums (which criteria an interview rated) are needed, so a
million ratings reduce to a few numbers per career. Posterior: ``Λ = Λ0 + Σ Aᵢᵀ Sᵢ⁻¹ Aᵢ``,
``mean = Λ⁻¹ (Λ0 m0 + Σ Aᵢᵀ Sᵢ⁻¹ yᵢ)``, covariance ``Λ⁻¹``. A criterion no interview rated keeps its prior
mean (moved only through the career's shared lean) and its full spread: low coverage widens the band, it
never inflates the fit.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ..db.belief_stats import Pattern, PooledSpread

# -- priors (share scale, 0-1) ------------------------------------------------------------------------------

NEUTRAL_MEAN = 0.5
NEUTRAL_SD = 0.30  # wider than a uniform share (sd 0.29): before any interview, anything on the scale is plausible
NEUTRAL_LEAN = 0.0  # no lean shared across neutral criteria: an unrated criterion is never moved by the others
EXPECTATION_SD = 0.15  # how far one expectation can be off, criterion by criterion
EXPECTATION_LEAN_SD = 0.10  # default lean of all of one career's expectations (optimism), before calibration
EXPECTATION_PSEUDO_PAIRS = 2.0  # weight of that default against the user's own expected/found pairs
ONET_SD = 0.15  # how far one person's job can sit from the occupation's O*NET average
ONET_LEAN_SD = 0.10


@dataclass(frozen=True)
class Noise:
    """How interview ratings scatter around the truth (share scale)."""

    noise_sd: float  # one answer
    lean_sd: float  # one interviewee, across all their answers
    shared_lean_sd: float  # all of one career's interviewees together


DEFAULT_NOISE = Noise(noise_sd=0.18, lean_sd=0.05, shared_lean_sd=0.03)
NOISE_PSEUDO_RATINGS = 40.0  # how many ratings' worth of belief the default noise carries
LEAN_PSEUDO_INTERVIEWS = 8.0  # how many interviews' worth of belief the default lean carries
MIN_NOISE_SD = 0.05


def estimate_noise(spread: PooledSpread, default: Noise = DEFAULT_NOISE) -> Noise:
    """``σ`` and ``τ_b`` from the user's ratings pooled over all careers, shrunk towards ``default``.

    The spread of one criterion's ratings across interviews estimates ``σ² + τ_b²``; the average product of
    two deviations in the same interview estimates ``τ_b²`` (corrected for the deviations being taken from
    means that include the interview itself). Both are shrunk towards the default with
    :data:`NOISE_PSEUDO_RATINGS` and :data:`LEAN_PSEUDO_INTERVIEWS` pseudo-observations. On 1-5 ratings the
    sums are divided by 16 to land on the share scale.
    """
    total_default = default.noise_sd**2 + default.lean_sd**2
    if spread.within_df > 0:
        total_seen = spread.within_squares / spread.within_df / 16.0
        total = (NOISE_PSEUDO_RATINGS * total_default + spread.within_df * total_seen) / (
            NOISE_PSEUDO_RATINGS + spread.within_df
        )
    else:
        total = total_default
    if spread.cross_pairs > 0 and spread.interviews > 0:
        lean_seen = max(0.0, spread.cross_products / spread.cross_pairs / 16.0 / max(spread.mean_shrink, 0.25))
        lean = (LEAN_PSEUDO_INTERVIEWS * default.lean_sd**2 + spread.interviews * lean_seen) / (
            LEAN_PSEUDO_INTERVIEWS + spread.interviews
        )
    else:
        lean = default.lean_sd**2
    lean = min(lean, 0.8 * total)
    noise = max(total - lean, MIN_NOISE_SD**2)
    return Noise(math.sqrt(noise), math.sqrt(lean), default.shared_lean_sd)


def expectation_lean_sd(pairs: Sequence[tuple[float, float]]) -> float:
    """The lean of one career's expectations, from the user's own (expected fit, found fit) pairs (0-100).

    ``sqrt((k x default² + Σ (expected - found)² / 100²) / (k + n))`` with ``k`` =
    :data:`EXPECTATION_PSEUDO_PAIRS`: someone who expected 69 and found 39 gives their next expectation less
    weight (a lean of about 0.19 instead of 0.10).
    """
    squares = math.fsum(((expected - found) / 100.0) ** 2 for expected, found in pairs)
    return math.sqrt(
        (EXPECTATION_PSEUDO_PAIRS * EXPECTATION_LEAN_SD**2 + squares) / (EXPECTATION_PSEUDO_PAIRS + len(pairs))
    )


@dataclass(frozen=True)
class Prior:
    """A career's prior: per criterion (in ``criteria`` order) a mean share, its own spread, and its loading on
    one lean shared by the criteria whose prior came from the same judgement (the user's expectations of the
    career, or O*NET's view of its occupation): ``cov = diag(sd²) + lean leanᵀ``."""

    criteria: tuple[int, ...]
    mean: tuple[float, ...]
    sd: tuple[float, ...]
    lean: tuple[float, ...]
    informed: bool  # from the user's expectations or O*NET, not only the neutral default


def build_prior(
    criteria: Sequence[int],
    expectations: Mapping[int, float],
    onet: Mapping[int, tuple[float, float | None]],
    expectation_lean: float,
) -> Prior:
    """The prior of one career. ``expectations``: criterion -> 1-5; ``onet``: criterion -> (1-5, se on 1-5)."""
    means, sds, leans = [], [], []
    for k in criteria:
        if k in expectations:
            means.append((expectations[k] - 1.0) / 4.0)
            sds.append(EXPECTATION_SD)
            leans.append(expectation_lean)
        elif k in onet:
            rating, se = onet[k]
            means.append((rating - 1.0) / 4.0)
            sds.append(math.sqrt(ONET_SD**2 + ((se or 0.0) / 4.0) ** 2))
            leans.append(ONET_LEAN_SD)
        else:
            means.append(NEUTRAL_MEAN)
            sds.append(NEUTRAL_SD)
            leans.append(NEUTRAL_LEAN)
    informed = any(k in expectations or k in onet for k in criteria)
    return Prior(tuple(criteria), tuple(means), tuple(sds), tuple(leans), informed)


@dataclass(frozen=True)
class Evidence:
    """One career's interview ratings, reduced to what the update needs (1-5 scale)."""

    counts: Mapping[int, int]  # criterion -> ratings
    totals: Mapping[int, float]  # criterion -> sum of ratings
    patterns: Sequence[Pattern]


@dataclass(frozen=True)
class Belief:
    """The posterior of one career: mean share and covariance per criterion (``criteria`` order)."""

    criteria: tuple[int, ...]
    mean: np.ndarray
    covariance: np.ndarray
    precision: np.ndarray  # of (θ, β): kept to ask what one more interview would do

    def fit(self, weights: Mapping[int, float]) -> tuple[float, float]:
        """The fit (0-100) and its standard deviation for effective ``weights`` (criterion -> weight)."""
        w = self._vector(weights)
        return 100.0 * float(w @ self.mean), 100.0 * math.sqrt(max(float(w @ self.covariance @ w), 0.0))

    def sd_after_interviews(self, weights: Mapping[int, float], noise: Noise, interviews: int = 1) -> float:
        """The fit's sd (0-100) after ``interviews`` more interviews that each rate every weighted criterion."""
        rated = tuple(k for k in self.criteria if weights.get(k, 0.0) > 0)
        if not rated:
            return self.fit(weights)[1]
        extra = _pattern_precision(self.criteria, [Pattern(rated, interviews, 0.0)], noise)[0]
        covariance = np.linalg.inv(self.precision + extra)[: len(self.criteria), : len(self.criteria)]
        w = self._vector(weights)
        return 100.0 * math.sqrt(max(float(w @ covariance @ w), 0.0))

    def _vector(self, weights: Mapping[int, float]) -> np.ndarray:
        return np.array([weights.get(k, 0.0) for k in self.criteria], dtype=float)


def update(prior: Prior, evidence: Evidence | None, noise: Noise) -> Belief:
    """The exact posterior of ``prior`` given ``evidence`` (see the module docstring)."""
    size = len(prior.criteria)
    lean = np.array(prior.lean, dtype=float)
    variance = np.diag(np.square(np.array(prior.sd, dtype=float))) + np.outer(lean, lean)
    precision = np.zeros((size + 1, size + 1))
    precision[:size, :size] = np.linalg.inv(variance)
    precision[size, size] = 1.0 / noise.shared_lean_sd**2
    prior_mean = np.array([*prior.mean, 0.0], dtype=float)
    information = precision @ prior_mean
    if evidence is not None and evidence.patterns:
        data_precision, data_information = _pattern_precision(prior.criteria, evidence.patterns, noise, evidence)
        precision = precision + data_precision
        information = information + data_information
    covariance = np.linalg.inv(precision)
    mean = covariance @ information
    return Belief(prior.criteria, mean[:size], covariance[:size, :size], precision)


def _pattern_precision(
    criteria: Sequence[int], patterns: Sequence[Pattern], noise: Noise, evidence: Evidence | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """``Σ Aᵢᵀ Sᵢ⁻¹ Aᵢ`` and ``Σ Aᵢᵀ Sᵢ⁻¹ yᵢ`` over interviews grouped by the criteria they rated."""
    size = len(criteria)
    index = {k: position for position, k in enumerate(criteria)}
    sigma2, lean2 = noise.noise_sd**2, noise.lean_sd**2
    precision = np.zeros((size + 1, size + 1))
    information = np.zeros(size + 1)
    for pattern in sorted(patterns, key=lambda p: p.criteria):
        positions = [index[k] for k in pattern.criteria if k in index]
        if not positions:
            continue
        r = len(positions)
        coupling = lean2 / (sigma2 + r * lean2)
        u = np.zeros(size + 1)
        u[positions] = 1.0
        u[size] = float(r)
        block = np.zeros((size + 1, size + 1))
        block[positions, positions] = 1.0
        block[positions, size] = 1.0
        block[size, positions] = 1.0
        block[size, size] = float(r)
        precision += pattern.interviews * (block - coupling * np.outer(u, u)) / sigma2
        if evidence is not None:
            share_total = (pattern.rating_total - pattern.interviews * r) / 4.0
            information -= coupling * share_total * u / sigma2
    if evidence is not None:
        for k in sorted(evidence.counts):
            if k not in index:
                continue
            share_sum = (evidence.totals[k] - evidence.counts[k]) / 4.0
            information[index[k]] += share_sum / sigma2
            information[size] += share_sum / sigma2
    return precision, information
