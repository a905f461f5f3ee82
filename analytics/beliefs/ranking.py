"""The ranking: every career's fit, band, evidence, priors and chance of being best, from one read of a store.

This is where the evidence formula (:mod:`.evidence`), the belief model (:mod:`.model`), O*NET's view of a
linked career and the user's expectations meet: :func:`assess` reads the store once and returns what the
Career fit page, ``career-fit rank``, the export and the investigate-next list all show, so they can never
disagree.

The fit and band: ``fit = 100 x Σ w̃_k mean_k`` over the profile's effective weights (all weighted
criteria), ``sd = 100 x sqrt(w̃ᵀ Σ w̃)``, and the band ``fit ± 1.645 sd`` (about 90%), cut to 0-100.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from ..db.belief_stats import BeliefInputs, read_belief_inputs
from ..models import DIMENSIONS, Career, Criterion
from ..numbers import kept
from . import evidence as ev
from .choice import chance_best
from .model import Belief, BeliefsByCareer, Prior, build_prior, estimate_noises, expectation_lean_sd, update_stacked
from .weights import combined_fit, effective_weights

if TYPE_CHECKING:
    from ..store import Store

BAND_Z = 1.645  # the band covers about 90% of a normal belief


@dataclass(frozen=True)
class CareerScore:
    """Everything the ranking says about one career. Fits on 0-100; coverage and ``p_best`` on 0-1."""

    career_id: int
    career: str
    fit: float | None  # the estimate the ranking sorts by; None only when nothing at all is known
    low: float | None
    high: float | None
    sd: float | None  # one standard deviation of the fit
    evidence_fit: float | None  # interview ratings alone, the published formula
    prior_fit: float | None  # what the model assumed before any interview
    expected_fit: float | None  # the user's expectations, scored like the evidence
    p_best: float | None  # chance this career is truly the best on the list
    interviews: int
    coverage: float
    dimensions: dict[str, float | None] = field(default_factory=dict)
    onet_code: str | None = None
    onet_title: str | None = None
    onet_fit: float | None = None

    @property
    def interviewed(self) -> bool:
        return self.interviews > 0

    @property
    def basis(self) -> str:
        """What the fit rests on, in a few words (shown next to a career without interviews)."""
        if self.interviews:
            return f"{self.interviews} interview{'s' * (self.interviews != 1)}"
        if self.expected_fit is not None:
            return "your expectations only"
        if self.onet_fit is not None:
            return "O*NET only"
        return "nothing yet"

    def as_json(self) -> dict[str, object]:
        """The shape of ``career-fit rank --json``."""
        return {
            "career": self.career,
            "fit": kept(self.fit),
            "low": kept(self.low),
            "high": kept(self.high),
            "evidence_fit": kept(self.evidence_fit),
            "prior_fit": kept(self.prior_fit),
            "expected_fit": kept(self.expected_fit),
            "p_best": kept(self.p_best, 4),
            "interviews": self.interviews,
            "coverage": kept(self.coverage, 4),
            "dimensions": {d: kept(self.dimensions.get(d)) for d in DIMENSIONS},
            "onet_code": self.onet_code,
            "onet_title": self.onet_title,
            "onet_fit": kept(self.onet_fit),
        }


@dataclass(frozen=True)
class Assessment:
    """The ranking and the beliefs behind it (what investigate-next and the sensitivity need)."""

    scores: tuple[CareerScore, ...]
    beliefs: Mapping[int, Belief]  # every career's, including those about which nothing is known yet
    weights: Mapping[int, float]  # effective weights of the fit, criterion -> weight (sum 1)
    criteria: tuple[Criterion, ...]
    dimension_weights: Mapping[str, float]
    inputs: BeliefInputs


def rank(store: Store) -> list[CareerScore]:
    """Every career of ``store`` in ranking order (see :func:`assess`)."""
    return list(assess(store).scores)


def assess(store: Store) -> Assessment:
    """Read ``store`` once and score every career."""
    careers = store.careers()
    criteria = store.criteria()
    dimension_weights = store.dimension_weights()
    inputs = read_belief_inputs(store)
    onet_views, onet_titles = _onet_views(careers, criteria)
    return assess_data(careers, criteria, dimension_weights, inputs, onet_views, onet_titles)


def assess_data(
    careers: Sequence[Career],
    criteria: Sequence[Criterion],
    dimension_weights: Mapping[str, float],
    inputs: BeliefInputs,
    onet_views: Mapping[int, Mapping[int, tuple[float, float | None]]] | None = None,
    onet_titles: Mapping[int, str] | None = None,
) -> Assessment:
    """:func:`assess` on data already read (the calibration benchmark builds it without a store)."""
    onet_views = onet_views or {}
    onet_titles = onet_titles or {}
    criterion_ids = tuple(sorted(c.id for c in criteria))
    weights = effective_weights(criteria, dimension_weights)

    fit_of = ev.ProfileFits(criteria, dimension_weights)
    dimension_scores = ev.DimensionScores(criteria)
    career_ids = [c.id for c in careers]
    # the interview ratings as careers x criteria arrays; careers grouped by the criteria they have ratings for
    counts, totals = inputs.rating_matrices(career_ids, criterion_ids)
    shares = ev.share_matrix(counts, totals)
    evidence_fits: dict[int, float | None] = {}
    dimensions: dict[int, dict[str, float | None]] = {}
    coverages: dict[int, float] = {}
    for present, rows in ev.rated_groups(shares, criterion_ids):
        members = [career_ids[row] for row in rows.tolist()]
        evidence_fits.update(zip(members, fit_of.many(shares, criterion_ids, rows, present), strict=True))
        dimensions.update(zip(members, dimension_scores.many(shares, criterion_ids, rows, present), strict=True))
        coverages.update(dict.fromkeys(members, ev.coverage(criteria, present)))
    expected_fits = {  # nothing expected: no expected fit
        c.id: fit_of({k: (v - 1.0) / 4.0 for k, v in inputs.expectations[c.id].items()})
        if c.id in inputs.expectations
        else None
        for c in careers
    }

    # (expected - found)² / 100² of every career with both, and their exact sum: each career is calibrated on
    # the others by taking its own out of the sum
    misses = {
        c.id: ((expected_fit - found_fit) / 100.0) ** 2
        for c in careers
        if (expected_fit := expected_fits[c.id]) is not None and (found_fit := evidence_fits[c.id]) is not None
    }
    missed = math.fsum(misses.values())
    all_spread = inputs.total_spread()
    priors: dict[int, Prior] = {}
    neutral: Prior | None = None  # the prior of every career without expectations or O*NET: built once
    for career in careers:
        expectations = inputs.expectations.get(career.id, {})
        onet = onet_views.get(career.id, {})
        if not expectations and not onet and neutral is not None:
            priors[career.id] = neutral
            continue
        # Calibrate the expectations on the user's other careers (leave this one out: its own interviews
        # must not decide how much its own expectation is trusted).
        own = misses.get(career.id)
        lean = expectation_lean_sd(missed - (own or 0.0), len(misses) - (own is not None))
        priors[career.id] = build_prior(criterion_ids, expectations, onet, lean)
        if not expectations and not onet:
            neutral = priors[career.id]

    beliefs: Mapping[int, Belief] = {}
    moments: dict[int, tuple[float, float]] = {}
    bands: dict[int, tuple[float, float, float]] = {}
    prior_fits: dict[int, float | None] = {}
    if weights and careers:
        # Every career gets a belief (investigate-next starts unknown careers from the neutral prior), but
        # only a career about which something is known gets a fit.
        # each career's noise is learned from the other careers' spread: the total less its own
        noises = estimate_noises(np.array(all_spread.values(), dtype=float) - inputs.spread_rows(career_ids))
        stacked = update_stacked(
            [priors[c] for c in career_ids], counts, totals, [inputs.patterns.get(c, []) for c in career_ids], noises
        )
        beliefs = BeliefsByCareer(career_ids, stacked)
        known_rows = np.array(
            [row for row, c in enumerate(career_ids) if c in inputs.patterns or priors[c].informed], dtype=np.intp
        )
        known = [career_ids[row] for row in known_rows.tolist()]
        fits, sds = stacked.fits(weights, known_rows)
        moments = dict(zip(known, zip(fits.tolist(), sds.tolist(), strict=True), strict=True))
        # the band, fit ± 1.645 sd, and the fit itself, cut to 0-100
        cut = np.clip(np.stack([fits, fits - BAND_Z * sds, fits + BAND_Z * sds], axis=1), 0.0, 100.0)
        bands = dict(zip(known, map(tuple, cut.tolist()), strict=True))
        prior_fit_of: dict[int, float | None] = {}  # careers without expectations or O*NET share one prior
        for career_id in known:
            prior = priors[career_id]
            if id(prior) not in prior_fit_of:
                prior_fit_of[id(prior)] = combined_fit(dict(zip(prior.criteria, prior.mean, strict=True)), weights)
            prior_fits[career_id] = prior_fit_of[id(prior)]

    chances = dict(
        zip(moments, chance_best([f for f, _ in moments.values()], [s for _, s in moments.values()]), strict=True)
    )
    scores: list[CareerScore] = []
    unknown = (None, None, None)
    for career in careers:
        onet = onet_views.get(career.id, {})
        fit, low, high = bands.get(career.id, unknown)
        scores.append(
            CareerScore(
                career_id=career.id,
                career=career.name,
                fit=fit,
                low=low,
                high=high,
                sd=moments[career.id][1] if fit is not None else None,
                evidence_fit=evidence_fits[career.id],
                prior_fit=prior_fits.get(career.id),
                expected_fit=expected_fits[career.id],
                p_best=chances.get(career.id),
                interviews=inputs.interviews.get(career.id, 0),
                coverage=coverages[career.id],
                dimensions=dimensions[career.id],
                onet_code=career.onet_code,
                onet_title=onet_titles.get(career.id),
                onet_fit=_onet_fit(criteria, dimension_weights, onet) if onet else None,
            )
        )
    scores.sort(key=ranking_key)
    return Assessment(tuple(scores), beliefs, weights, tuple(criteria), dict(dimension_weights), inputs)


def ranking_key(score: CareerScore) -> tuple[int, float, str, int]:
    """Best fit first; careers with nothing known last; ties by name, so row order never matters."""
    if score.fit is None:
        return (1, 0.0, score.career.casefold(), score.career_id)
    return (0, -score.fit, score.career.casefold(), score.career_id)


def _onet_fit(
    criteria: Sequence[Criterion],
    dimension_weights: Mapping[str, float],
    view: Mapping[int, tuple[float, float | None]],
) -> float | None:
    if not view:
        return None
    return ev.profile_fit(criteria, dimension_weights, {k: (rating - 1.0) / 4.0 for k, (rating, _) in view.items()})


def _onet_views(
    careers: Sequence[Career], criteria: Sequence[Criterion]
) -> tuple[dict[int, dict[int, tuple[float, float | None]]], dict[int, str]]:
    """O*NET's view (criterion -> 1-5 value and standard error) and title of every linked career."""
    linked = [c for c in careers if c.onet_code]
    if not linked:
        return {}, {}
    from .. import onet  # only stores with linked careers pay for loading the O*NET tables

    views: dict[int, dict[int, tuple[float, float | None]]] = {}
    titles: dict[int, str] = {}
    for career in linked:
        code = str(career.onet_code)
        view = onet.career_view(code, criteria)
        if view:
            views[career.id] = {k: (value.rating, value.se) for k, value in view.items()}
        title = onet.occupation_title(code)
        if title:
            titles[career.id] = title
    return views, titles
