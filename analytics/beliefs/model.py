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

``σ`` and ``τ_b`` are estimated from the user's ratings of their *other* careers, pooled, and shrunk towards
:data:`DEFAULT_NOISE` with a few pseudo-observations, a sensible default while there is little data
(:func:`estimate_noise`). Learning them from the other careers keeps a career's own ratings from changing
how much they are trusted: raising a rating can only raise the fit.

**The update**, in closed form. Each rating counts as one reading of its criterion with variance
``d = σ² + τ_b²``, combined with the normal prior (``Λ0`` its precision, ``m0`` its mean)::

    M    = (Λ0 + N / d)⁻¹                 N = diag(ratings per criterion)
    mean = M (Λ0 m0 + s / d)             s = sums of the shares per criterion
    cov  = M [Λ0 + (σ² N + τ_b² U + τ_s² n nᵀ) / d²] M

where ``U`` counts the interviews that rated each pair of criteria. The mean weighs every rating alike (an
interviewee's lean is not subtracted, so one rating never pushes another criterion down); the covariance is
the exact error of that estimate under the model, leans included: answers from one interviewee, or from
one career's interviewees, move together and count for less than independent ones. Without leans it is the
textbook posterior. Only per-criterion counts and sums and per-*pattern* counts (which criteria an
interview rated) are needed, so a million ratings reduce to a few numbers per career. A criterion no
interview rated keeps its prior mean (moved only through a lean it shares with other criteria of the same
prior judgement) and its full spread: low coverage widens the band, it never inflates the fit.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterator, Mapping, Sequence
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


DEFAULT_NOISE = Noise(noise_sd=0.18, lean_sd=0.06, shared_lean_sd=0.015)
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
    return estimate_noises(np.array([spread.values()], dtype=float), default)[0]


def estimate_noises(spreads: np.ndarray, default: Noise = DEFAULT_NOISE) -> list[Noise]:
    """:func:`estimate_noise` of many pooled spreads at once, one per row of ``spreads`` (the columns of
    :meth:`PooledSpread.values`): the one copy of the rule, on arrays, so a thousand careers cost a few array
    operations."""
    within_squares, within_df, cross_products, cross_pairs, interviews, shrink_total, deviations = spreads.T
    total_default = default.noise_sd**2 + default.lean_sd**2
    seen = within_df > 0
    total_seen = within_squares / np.where(seen, within_df, 1.0) / 16.0
    total = np.where(
        seen,
        (NOISE_PSEUDO_RATINGS * total_default + within_df * total_seen) / (NOISE_PSEUDO_RATINGS + within_df),
        total_default,
    )
    mean_shrink = np.where(deviations > 0, shrink_total / np.where(deviations > 0, deviations, 1.0), 1.0)
    paired = (cross_pairs > 0) & (interviews > 0)
    lean_seen = np.maximum(
        0.0, cross_products / np.where(cross_pairs > 0, cross_pairs, 1.0) / 16.0 / np.maximum(mean_shrink, 0.25)
    )
    lean = np.where(
        paired,
        (LEAN_PSEUDO_INTERVIEWS * default.lean_sd**2 + interviews * lean_seen) / (LEAN_PSEUDO_INTERVIEWS + interviews),
        default.lean_sd**2,
    )
    lean = np.minimum(lean, 0.8 * total)
    noise = np.maximum(total - lean, MIN_NOISE_SD**2)
    return [
        Noise(noise_sd, lean_sd, default.shared_lean_sd)
        for noise_sd, lean_sd in zip(np.sqrt(noise).tolist(), np.sqrt(lean).tolist(), strict=True)
    ]


def expectation_lean_sd(missed: float, pairs: int) -> float:
    """The lean of one career's expectations, from the user's own record on ``pairs`` careers with both an
    expected and a found (evidence) fit, ``missed`` being the sum of ``(expected - found)² / 100²`` over them.

    ``sqrt((k x default² + missed) / (k + pairs))`` with ``k`` = :data:`EXPECTATION_PSEUDO_PAIRS`: someone who
    expected 69 and found 39 gives their next expectation less weight (a lean of about 0.19 instead of 0.10).
    """
    return math.sqrt(
        (EXPECTATION_PSEUDO_PAIRS * EXPECTATION_LEAN_SD**2 + max(missed, 0.0)) / (EXPECTATION_PSEUDO_PAIRS + pairs)
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
    """The posterior of one career: mean share and error covariance per criterion (``criteria`` order).

    Kept with what produced it (the prior's spreads and lean, counts, co-rating counts, noise), so that what one
    more interview would do can be worked out exactly.
    """

    criteria: tuple[int, ...]
    mean: np.ndarray
    covariance: np.ndarray
    prior_sd: np.ndarray  # the prior's own spread per criterion (see :class:`Prior`)
    prior_lean: np.ndarray  # and its loading on the prior's shared lean
    counts: np.ndarray  # ratings per criterion
    co_rated: np.ndarray  # interviews that rated both criteria (diagonal: the counts)
    noise: Noise

    def fit(self, weights: Mapping[int, float]) -> tuple[float, float]:
        """The fit (0-100) and its standard deviation for effective ``weights`` (criterion -> weight)."""
        return moments_of([self], weights)[0]

    def sd_after_interviews(self, weights: Mapping[int, float], interviews: int = 1) -> float:
        """The fit's sd (0-100) after ``interviews`` more interviews that each rate every weighted criterion."""
        return sds_after_interviews([self], weights, interviews)[0]

    def _vector(self, weights: Mapping[int, float]) -> np.ndarray:
        return np.array([weights.get(k, 0.0) for k in self.criteria], dtype=float)


def fits_of(means: np.ndarray, covariances: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The fits (0-100) and their standard deviations of stacked beliefs (``means``: careers x criteria,
    ``covariances``: careers x criteria x criteria) for one vector of effective ``weights``:
    ``100 x wᵀ mean`` and ``100 x sqrt(wᵀ Σ w)``."""
    return fits_from(means, fit_variances_of(covariances, weights), weights)


def fit_variances_of(covariances: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """``wᵀ Σ w`` of each career's covariance (careers x criteria x criteria): each career's on its own."""
    return np.einsum("k,bkl,l->b", weights, covariances, weights)


def fits_from(means: np.ndarray, variances: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The fits (0-100) and their sds from the means and the variances ``wᵀ Σ w`` (see :func:`fits_of`)."""
    return 100.0 * (means @ weights), 100.0 * np.sqrt(np.maximum(variances, 0.0))


def moments_of(beliefs: Sequence[Belief], weights: Mapping[int, float]) -> list[tuple[float, float]]:
    """:meth:`Belief.fit` of many careers on the same criteria at once (stacked)."""
    if not beliefs:
        return []
    fits, sds = fits_of(
        np.stack([b.mean for b in beliefs]), np.stack([b.covariance for b in beliefs]), beliefs[0]._vector(weights)
    )
    return list(zip(fits.tolist(), sds.tolist(), strict=True))


def sds_after_interviews(beliefs: Sequence[Belief], weights: Mapping[int, float], interviews: int = 1) -> list[float]:
    """:meth:`Belief.sd_after_interviews` of many careers on the same criteria at once (stacked)."""
    return sds_after_runs(beliefs, weights, (interviews,))[interviews]


def sds_after_runs(
    beliefs: Sequence[Belief], weights: Mapping[int, float], runs: Sequence[int]
) -> dict[int, list[float]]:
    """:func:`sds_after_interviews` for each number of interviews in ``runs``, the beliefs stacked once."""
    if not beliefs:
        return {count: [] for count in runs}
    w = beliefs[0]._vector(weights)
    means = np.stack([b.mean for b in beliefs])
    rated = (w > 0).astype(float)
    if not rated.any():
        unchanged = fits_of(means, np.stack([b.covariance for b in beliefs]), w)[1].tolist()
        return {count: unchanged for count in runs}
    counts = np.stack([b.counts for b in beliefs])
    co_rated = np.stack([b.co_rated for b in beliefs])
    prior_sd = np.stack([b.prior_sd for b in beliefs])
    prior_lean = np.stack([b.prior_lean for b in beliefs])
    noise = _noise_arrays([b.noise for b in beliefs])
    after: dict[int, list[float]] = {}
    for count in runs:
        extra = np.full(len(beliefs), float(count))
        variances = _fit_variances(w, prior_sd, prior_lean, counts, co_rated, extra, *noise)
        after[count] = (100.0 * np.sqrt(np.maximum(variances, 0.0))).tolist()
    return after


def update(prior: Prior, evidence: Evidence | None, noise: Noise) -> Belief:
    """The posterior of ``prior`` given ``evidence`` (see the module docstring)."""
    return update_all([prior], [evidence], [noise])[0]


def update_all(priors: Sequence[Prior], evidence: Sequence[Evidence | None], noises: Sequence[Noise]) -> list[Belief]:
    """:func:`update` of many careers on the same criteria at once (see :func:`update_stacked`)."""
    if not priors:
        return []
    criteria = priors[0].criteria
    size, many = len(criteria), len(priors)
    empty = Evidence({}, {}, ())
    found = [e if e is not None else empty for e in evidence]
    counts = np.array([[e.counts.get(k, 0) for k in criteria] for e in found], dtype=float).reshape(many, size)
    totals = np.array([[e.totals.get(k, 0.0) for k in criteria] for e in found], dtype=float).reshape(many, size)
    return update_stacked(priors, counts, totals, [e.patterns for e in found], noises).beliefs()


_BLOCK_CAREERS = 64  # careers whose covariances are worked out together for their fits: they stay in the cache


@dataclass(frozen=True)
class StackedBeliefs:
    """The posteriors of many careers on the same criteria: the fields of :class:`Belief` as arrays stacked on a
    first axis of careers (in the order they were given), so fits and bands of all careers are a few array
    operations.

    The covariances (careers x criteria x criteria, some 6 MB at 2,000 careers on 20 criteria) and the
    co-rating counts behind them are made when first read, by a belief. The ranking needs only each career's
    fit and its sd: :meth:`fits` works them out a block of careers at a time, each block's covariances made,
    used and dropped while they are in the processor's cache; the numbers are those of the whole arrays (the
    same operations on each career's own rows; a test checks them bit for bit).
    """

    criteria: tuple[int, ...]
    mean: np.ndarray
    prior_sd: np.ndarray
    prior_lean: np.ndarray
    counts: np.ndarray
    noises: Sequence[Noise]
    patterns: Sequence[Sequence[Pattern]]  # each career's rating patterns (what the co-rating counts come from)
    noise_arrays: tuple[np.ndarray, np.ndarray, np.ndarray]  # σ², τ_b² and τ_s² of each career

    @functools.cached_property
    def co_rated(self) -> np.ndarray:
        """``U`` of every career (see :func:`_co_rated`)."""
        return _co_rated(self.patterns, self.criteria)

    @functools.cached_property
    def covariance(self) -> np.ndarray:
        """The error covariance of every career (see :func:`_error_covariance`)."""
        return self._covariances(slice(None))

    def _covariances(self, rows: slice) -> np.ndarray:
        co_rated = self.co_rated[rows] if "co_rated" in self.__dict__ else _co_rated(self.patterns[rows], self.criteria)
        sigma2, lean2, shared2 = (values[rows] for values in self.noise_arrays)
        return _error_covariance(
            self.prior_sd[rows], self.prior_lean[rows], self.counts[rows], co_rated, sigma2, lean2, shared2
        )[1]

    def beliefs(self) -> list[Belief]:
        """One :class:`Belief` per career (views into the stacked arrays)."""
        return [self.belief(row) for row in range(len(self.noises))]

    def belief(self, row: int) -> Belief:
        """The :class:`Belief` of the career in ``row`` (views into the stacked arrays)."""
        return Belief(
            self.criteria,
            self.mean[row],
            self.covariance[row],
            self.prior_sd[row],
            self.prior_lean[row],
            self.counts[row],
            self.co_rated[row],
            self.noises[row],
        )

    def fits(self, weights: Mapping[int, float], rows: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """The fits (0-100) and their sds of the careers in ``rows`` (all when None), as :meth:`Belief.fit`."""
        vector = np.array([weights.get(k, 0.0) for k in self.criteria], dtype=float)
        chosen = np.arange(len(self.mean)) if rows is None else rows
        if "covariance" in self.__dict__:
            return fits_of(self.mean[chosen], self.covariance[chosen], vector)
        variances = np.empty(len(self.mean))
        for start in range(0, len(self.mean), _BLOCK_CAREERS):
            block = slice(start, start + _BLOCK_CAREERS)
            variances[block] = fit_variances_of(self._covariances(block), vector)
        return fits_from(self.mean[chosen], variances[chosen], vector)


class BeliefsByCareer(Mapping[int, Belief]):
    """Career id -> :class:`Belief`, each made from the stacked arrays when first read: the ranking needs only
    the fits, so a page that shows no belief never makes a thousand of them. A copy (the app's cache pickles
    its results) is a plain dictionary."""

    def __init__(self, careers: Sequence[int], stacked: StackedBeliefs) -> None:
        self._rows = {career: row for row, career in enumerate(careers)}
        self._stacked = stacked
        self._made: dict[int, Belief] = {}

    def __getitem__(self, career: int) -> Belief:
        belief = self._made.get(career)
        if belief is None:
            belief = self._made[career] = self._stacked.belief(self._rows[career])
        return belief

    def __iter__(self) -> Iterator[int]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)

    def __reduce__(self) -> tuple[object, ...]:
        return (dict, (dict(self.items()),))


def update_stacked(
    priors: Sequence[Prior],
    counts: np.ndarray,
    totals: np.ndarray,
    patterns: Sequence[Sequence[Pattern]],
    noises: Sequence[Noise],
) -> StackedBeliefs:
    """:func:`update` of many careers on the same criteria at once: the same formulas on stacked arrays, so a
    thousand careers cost a few array operations rather than a thousand rounds of small ones.

    ``counts`` and ``totals``: careers x criteria (in the priors' criteria order), the number and the sum
    (1-5 scale) of each career's ratings of each criterion, 0 where none; ``patterns``: each career's.
    """
    criteria = priors[0].criteria
    size = len(criteria)
    # many careers share one prior (all those without expectations or O*NET): each distinct one is read once
    distinct: dict[int, int] = {}
    which = np.array([distinct.setdefault(id(p), len(distinct)) for p in priors], dtype=np.intp)
    unique = list({id(p): p for p in priors}.values())
    prior_sd = np.array([p.sd for p in unique], dtype=float).reshape(len(unique), size)[which]
    prior_lean = np.array([p.lean for p in unique], dtype=float).reshape(len(unique), size)[which]
    prior_mean = np.array([p.mean for p in unique], dtype=float).reshape(len(unique), size)[which]
    sums = np.where(counts > 0, (totals - counts) / 4.0, 0.0)  # the shares' sums: (rating - 1) / 4 per rating
    noise_arrays = _noise_arrays(noises)
    sigma2, lean2, _ = noise_arrays
    reading = sigma2 + lean2
    gain = _gain(prior_sd, prior_lean, counts, reading)
    mean = gain.times(gain.prior.times(prior_mean) + sums / reading[:, None])
    return StackedBeliefs(criteria, mean, prior_sd, prior_lean, counts, noises, list(patterns), noise_arrays)


_FEW_PATTERNS = 32  # up to this many distinct rating patterns, the co-rating counts are one matrix product


def _co_rated(patterns: Sequence[Sequence[Pattern]], criteria: Sequence[int]) -> np.ndarray:
    """``U`` of each career (careers x criteria x criteria): how many of its interviews rated both criteria,
    from its rating patterns (``Σ interviews x m mᵀ`` over its patterns, ``m`` the pattern's criteria)."""
    size = len(criteria)
    index = {k: position for position, k in enumerate(criteria)}
    distinct: dict[tuple[int, ...], int] = {}  # careers mostly share a few patterns
    owners: list[int] = []
    interviews: list[int] = []
    kinds: list[int] = []
    for row, career in enumerate(patterns):
        for pattern in career:
            kinds.append(distinct.setdefault(pattern.criteria, len(distinct)))
            owners.append(row)
            interviews.append(pattern.interviews)
    co_rated = np.zeros((len(patterns), size, size))
    if not owners:
        return co_rated
    members = np.zeros((len(distinct), size))
    for rated, kind in distinct.items():
        members[kind, [index[k] for k in rated if k in index]] = 1.0
    outer = members[:, :, None] * members[:, None, :]
    owner = np.array(owners)
    if len(distinct) <= _FEW_PATTERNS:
        # careers x distinct patterns (the interviews of each), times each pattern's m mᵀ: one matrix product
        # (whole numbers: exact in any order)
        per_career = np.zeros((len(patterns), len(distinct)))
        np.add.at(per_career, (owner, np.array(kinds)), np.array(interviews, dtype=float))
        return (per_career @ outer.reshape(len(distinct), size * size)).reshape(len(patterns), size, size)
    per_pattern = np.array(interviews, dtype=float)[:, None, None] * outer[kinds]
    starts = np.flatnonzero(np.diff(owner, prepend=-1))  # each career's first pattern (patterns come by career)
    alone = np.diff(np.append(starts, len(owners))) == 1  # careers of one pattern: nothing to add up
    co_rated[owner[starts[alone]]] = per_pattern[starts[alone]]
    if not alone.all():  # whole numbers: exact in any order
        several = np.flatnonzero(np.isin(owner, owner[starts[~alone]]))
        firsts = np.flatnonzero(np.diff(owner[several], prepend=-1))
        co_rated[owner[several][firsts]] = np.add.reduceat(per_pattern[several], firsts, axis=0)
    return co_rated


def _noise_arrays(noises: Sequence[Noise]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``σ²``, ``τ_b²`` and ``τ_s²`` of each career, as arrays."""
    return (
        np.array([n.noise_sd**2 for n in noises], dtype=float),
        np.array([n.lean_sd**2 for n in noises], dtype=float),
        np.array([n.shared_lean_sd**2 for n in noises], dtype=float),
    )


@dataclass(frozen=True)
class _DiagonalPlusRankOne:
    """Symmetric matrices ``diag(diagonal) + factor x vector vectorᵀ`` of many careers (a first axis of careers):
    the form of a prior's precision and of the gain ``M``, so that neither needs a matrix inverse."""

    diagonal: np.ndarray
    vector: np.ndarray
    factor: np.ndarray

    def times(self, x: np.ndarray) -> np.ndarray:
        """The matrix times one vector per career (careers x criteria)."""
        return self.diagonal * x + (self.factor * np.einsum("bk,bk->b", self.vector, x))[:, None] * self.vector

    def dense(self) -> np.ndarray:
        """The matrices themselves (careers x criteria x criteria)."""
        size = self.diagonal.shape[-1]
        outer = self.factor[:, None, None] * self.vector[:, :, None] * self.vector[:, None, :]
        return self.diagonal[:, :, None] * np.eye(size) + outer


@dataclass(frozen=True)
class _Gain:
    """``M = (Λ0 + N/d)⁻¹`` of many careers, kept with the prior precision ``Λ0`` it came from."""

    prior: _DiagonalPlusRankOne
    gain: _DiagonalPlusRankOne

    def times(self, x: np.ndarray) -> np.ndarray:
        return self.gain.times(x)


def _error_covariance(
    prior_sd: np.ndarray,
    prior_lean: np.ndarray,
    counts: np.ndarray,
    co_rated: np.ndarray,
    sigma2: np.ndarray,
    lean2: np.ndarray,
    shared2: np.ndarray,
) -> tuple[_Gain, np.ndarray]:
    """``M`` (the map from information to the estimate) and the covariance of the estimate's error, of many
    careers at once (arrays stacked on a first axis of careers; the noise as one value per career).

    Every rating is read with variance ``d = σ² + τ_b²`` (``M = (Λ0 + N/d)⁻¹``); the error's covariance then
    adds back what that reading leaves out, the leans shared within an interview and within a career:
    ``M [Λ0 + (σ² N + τ_b² U + τ_s² n nᵀ) / d²] M``, with ``N = diag(n)`` the counts and ``U`` the co-rating
    counts. Without leans this is the textbook posterior covariance ``M``.

    No matrix is inverted: a prior's covariance is ``diag(sd²) + l lᵀ``, so (Sherman-Morrison)
    ``Λ0 = diag(1/sd²) - β u uᵀ`` with ``u = l / sd²`` and ``β = 1 / (1 + lᵀu)``; then ``Λ0 + N/d = E - β u uᵀ``
    with ``E`` diagonal, and ``M = E⁻¹ + γ q qᵀ`` with ``q = E⁻¹u`` and ``γ = β / (1 - β uᵀq)`` (the
    denominator is at least ``β``, so never near 0). A test checks this against the dense matrix formulas.
    """
    reading = sigma2 + lean2
    found = _gain(prior_sd, prior_lean, counts, reading)
    inverse, u, beta = found.prior.diagonal, found.prior.vector, -found.prior.factor
    across, q, gamma = found.gain.diagonal, found.gain.vector, found.gain.factor
    leaning = np.flatnonzero(np.any(u != 0.0, axis=1))  # careers whose prior has a lean (the others: u = q = 0)
    # S = Λ0 + (σ² N + τ_b² U + τ_s² n nᵀ) / d², built in place: a few passes over careers x criteria²
    scale = 1.0 / np.square(reading)
    spread = (lean2 * scale)[:, None, None] * co_rated
    shared = counts * np.sqrt(shared2 * scale)[:, None]
    spread += shared[:, :, None] * shared[:, None, :]
    diagonal = spread.reshape(len(spread), -1)[:, :: counts.shape[-1] + 1]  # a view of each career's diagonal
    diagonal += inverse + (sigma2 * scale)[:, None] * counts
    correction = None
    if leaning.size:
        spread[leaning] -= beta[leaning, None, None] * u[leaning, :, None] * u[leaning, None, :]
        # M S M with M = diag(a) + γ q qᵀ: a_i S_ij a_j + γ (r_i q_j + q_i r_j) + γ² (qᵀ S q) q_i q_j, r = a ∘ (S q)
        a, v, g = across[leaning], q[leaning], gamma[leaning]
        t = np.einsum("bkl,bl->bk", spread[leaning], v)
        r = a * t
        c = np.einsum("bk,bk->b", v, t)
        correction = g[:, None, None] * (r[:, :, None] * v[:, None, :] + v[:, :, None] * r[:, None, :]) + (
            (g * g * c)[:, None, None] * v[:, :, None] * v[:, None, :]
        )
    covariance = spread  # a_i S_ij a_j, in place
    covariance *= across[:, :, None]
    covariance *= across[:, None, :]
    if correction is not None:
        covariance[leaning] += correction
    return found, covariance


def _gain(prior_sd: np.ndarray, prior_lean: np.ndarray, counts: np.ndarray, reading: np.ndarray) -> _Gain:
    """``Λ0`` and ``M = (Λ0 + N/d)⁻¹`` of many careers in closed form (see :func:`_error_covariance`)."""
    inverse = 1.0 / np.square(prior_sd)
    u = prior_lean * inverse
    beta = 1.0 / (1.0 + np.einsum("bk,bk->b", prior_lean, u))
    across = 1.0 / (inverse + counts / reading[:, None])  # E⁻¹
    q = u * across
    gamma = beta / (1.0 - beta * np.einsum("bk,bk->b", u, q))
    return _Gain(_DiagonalPlusRankOne(inverse, u, -beta), _DiagonalPlusRankOne(across, q, gamma))


def _fit_variances(
    weights: np.ndarray,
    prior_sd: np.ndarray,
    prior_lean: np.ndarray,
    counts: np.ndarray,
    co_rated: np.ndarray,
    extra: np.ndarray,
    sigma2: np.ndarray,
    lean2: np.ndarray,
    shared2: np.ndarray,
) -> np.ndarray:
    """``wᵀ Σ w`` of many careers, ``Σ`` the error covariance of :func:`_error_covariance` after adding
    ``extra`` interviews that each rate every criterion with ``weights > 0`` (to ``counts`` and ``co_rated``),
    without building ``Σ``: with ``v = M w``, ``wᵀ M S M w = vᵀ S v``, and each part of ``S`` is a sum of
    squares in ``v`` (a test checks it against the full covariance)."""
    rated = (weights > 0).astype(float)
    counts = counts + extra[:, None] * rated
    reading = sigma2 + lean2
    found = _gain(prior_sd, prior_lean, counts, reading)
    v = found.gain.times(np.broadcast_to(weights, counts.shape))
    scale = 1.0 / np.square(reading)
    prior_part = np.einsum("bk,bk->b", found.prior.diagonal * v, v) + found.prior.factor * np.square(
        np.einsum("bk,bk->b", found.prior.vector, v)
    )
    rated_v = v @ rated
    co_rated_part = np.einsum("bk,bkl,bl->b", v, co_rated, v) + extra * np.square(rated_v)
    return (
        prior_part
        + sigma2 * scale * np.einsum("bk,bk->b", counts * v, v)
        + lean2 * scale * co_rated_part
        + shared2 * scale * np.square(np.einsum("bk,bk->b", counts, v))
    )
