"""The ranking: every career's fit, band, evidence, priors and chance of being best, from one read of a store.

This is where the evidence formula (:mod:`.evidence`), the belief model (:mod:`.model`), O*NET's view of a
linked career and the user's expectations meet: :func:`assess` reads the store once and returns what the
Career fit page, ``career-fit rank``, the export and the investigate-next list all show, so they can never
disagree.

The fit and band: ``fit = 100 x Σ w̃_k mean_k`` over the profile's effective weights (all weighted
criteria), ``sd = 100 x sqrt(w̃ᵀ Σ w̃)``, and the band ``fit ± 1.645 sd`` (about 90%), cut to 0-100.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ..db.belief_stats import BeliefInputs, read_belief_inputs
from ..models import DIMENSIONS, Career, Criterion
from ..numbers import kept_many
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
        """The shape of ``career-fit rank --json`` (see :func:`scores_json`)."""
        return scores_json([self])[0]


# The numbers of a score's JSON, each with the decimals it keeps, in the order of its keys (see scores_json).
_JSON_NUMBERS = {
    "fit": 2,
    "low": 2,
    "high": 2,
    "evidence_fit": 2,
    "prior_fit": 2,
    "expected_fit": 2,
    "p_best": 4,
    "coverage": 4,
    "onet_fit": 2,
}


def scores_json(scores: Sequence[CareerScore]) -> list[dict[str, object]]:
    """:meth:`CareerScore.as_json` of many scores: each number column rounded at once (:func:`kept_many`)."""
    fields = ("career", *_JSON_NUMBERS, "interviews", "dimensions", "onet_code", "onet_title")
    return _json_rows({name: [getattr(s, name) for s in scores] for name in fields})


def _json_rows(columns: Mapping[str, Sequence[Any]]) -> list[dict[str, object]]:
    """The JSON of scores given as columns (a list or array per field of :class:`CareerScore`; NaN for None in
    an array): the one place that shapes and rounds it."""
    numbers = zip(*(kept_many(columns[name], digits) for name, digits in _JSON_NUMBERS.items()), strict=True)
    by_dimension = [kept_many([found.get(d) for found in columns["dimensions"]]) for d in DIMENSIONS]
    return [
        {
            "career": career,
            "fit": fit,
            "low": low,
            "high": high,
            "evidence_fit": evidence_fit,
            "prior_fit": prior_fit,
            "expected_fit": expected_fit,
            "p_best": p_best,
            "interviews": interviews,
            "coverage": coverage,
            "dimensions": dict(zip(DIMENSIONS, dimensions, strict=True)),
            "onet_code": onet_code,
            "onet_title": onet_title,
            "onet_fit": onet_fit,
        }
        for career, (
            fit,
            low,
            high,
            evidence_fit,
            prior_fit,
            expected_fit,
            p_best,
            coverage,
            onet_fit,
        ), interviews, dimensions, onet_code, onet_title in zip(
            columns["career"],
            numbers,
            columns["interviews"],
            zip(*by_dimension, strict=True),
            columns["onet_code"],
            columns["onet_title"],
            strict=True,
        )
    ]


@dataclass(frozen=True)
class Standing:
    """The ranking in brief, as the Overview shows it: the top careers, how many careers have a rated interview
    and their mean coverage, the best of those, and the careers nobody was interviewed about yet.

    :meth:`Assessment.standing` builds it from the ranking's columns without making a score for every career;
    :meth:`of` is the plain rule over a list of scores (a test checks that both agree).
    """

    top: tuple[CareerScore, ...]
    interviewed: int  # careers with at least one rated interview
    mean_coverage: float  # their mean coverage (0 when there are none)
    best_interviewed: CareerScore | None  # the first of them in ranking order
    waiting: tuple[str, ...]  # the careers without an interview, in ranking order

    @classmethod
    def of(cls, scores: Sequence[CareerScore], top: int) -> Standing:
        """The standing of ``scores`` (best first), with the first ``top`` of them."""
        interviewed = [s for s in scores if s.interviews > 0]
        mean_coverage = sum(s.coverage for s in interviewed) / len(interviewed) if interviewed else 0.0
        return cls(
            tuple(scores[:top]),
            len(interviewed),
            mean_coverage,
            interviewed[0] if interviewed else None,
            tuple(s.career for s in scores if s.interviews == 0),
        )


class ScoreTable:
    """Every career's score as columns (one row per career, in the order the careers were read), with the
    ranking order; a :class:`CareerScore` is made only for the rows asked for.

    The Overview shows five careers of thousands: making a score object (with its evidence fit and dimension
    scores, an exact sum each) for every career cost most of a ranking's time there, and the app's cache then
    copied them all. ``career-fit rank`` and the Career fit page still ask for all of them.
    """

    def __init__(
        self,
        careers: Sequence[Career],
        criteria: Sequence[Criterion],
        dimension_weights: Mapping[str, float],
        evidence: ev.EvidenceTable,
        columns: Mapping[str, np.ndarray],
        interviews: np.ndarray,
        expected_fits: Mapping[int, float | None],
        onet_views: Mapping[int, Mapping[int, tuple[float, float | None]]],
        onet_titles: Mapping[int, str],
    ) -> None:
        self._careers = list(careers)
        self._criteria = list(criteria)
        self._dimension_weights = dict(dimension_weights)
        self._evidence = evidence
        self._columns = columns  # fit, low, high, sd, prior_fit, p_best: NaN where there is none
        self.interviews = interviews
        self.coverage = evidence.coverage
        self._expected_fits = expected_fits
        self._onet_views = onet_views
        self._onet_titles = onet_titles
        self.order = self._ranking_order()

    def __len__(self) -> int:
        return len(self._careers)

    def _ranking_order(self) -> np.ndarray:
        """The rows sorted by :func:`ranking_key`: best fit first, careers with nothing known last, ties by the
        name's case-folded text and then the id."""
        fit = self._columns["fit"]
        unknown = np.isnan(fit)
        folded = [c.name.casefold() for c in self._careers]
        rank_of = {name: rank for rank, name in enumerate(sorted(set(folded)))}  # equal names, equal rank
        names = np.array([rank_of[name] for name in folded], dtype=np.int64)
        ids = np.array([c.id for c in self._careers], dtype=np.int64)
        return np.lexsort((ids, names, np.where(unknown, 0.0, -fit), unknown))

    def scores(self, rows: Sequence[int] | np.ndarray | None = None) -> list[CareerScore]:
        """The scores of ``rows`` (all careers in ranking order when None), in that order."""
        wanted = self.order if rows is None else np.asarray(rows, dtype=np.intp)
        evidence_fits, dimensions = self._evidence.rows(wanted)
        picked = {name: _optional(column[wanted]) for name, column in self._columns.items()}
        found: list[CareerScore] = []
        for position, (row, interviews, coverage) in enumerate(
            zip(wanted.tolist(), self.interviews[wanted].tolist(), self.coverage[wanted].tolist(), strict=True)
        ):
            career = self._careers[row]
            found.append(
                CareerScore(
                    career_id=career.id,
                    career=career.name,
                    fit=picked["fit"][position],
                    low=picked["low"][position],
                    high=picked["high"][position],
                    sd=picked["sd"][position],
                    evidence_fit=evidence_fits[position],
                    prior_fit=picked["prior_fit"][position],
                    expected_fit=self._expected_fits.get(career.id),
                    p_best=picked["p_best"][position],
                    interviews=interviews,
                    coverage=coverage,
                    dimensions=dimensions[position],
                    onet_code=career.onet_code,
                    onet_title=self._onet_titles.get(career.id),
                    onet_fit=self._onet_fit(career.id),
                )
            )
        return found

    def as_json(self) -> list[dict[str, object]]:
        """:func:`scores_json` of every career in ranking order, straight from the columns (``career-fit rank
        --json`` makes no score object)."""
        order = self.order
        careers = [self._careers[row] for row in order.tolist()]
        evidence_fits, dimensions = self._evidence.rows(order)
        columns: dict[str, Sequence[Any]] = {name: column[order] for name, column in self._columns.items()}
        columns |= {
            "career": [c.name for c in careers],
            "evidence_fit": evidence_fits,
            "expected_fit": [self._expected_fits.get(c.id) for c in careers],
            "interviews": self.interviews[order].tolist(),
            "coverage": self.coverage[order],
            "dimensions": dimensions,
            "onet_code": [c.onet_code for c in careers],
            "onet_title": [self._onet_titles.get(c.id) for c in careers],
            "onet_fit": [self._onet_fit(c.id) for c in careers],
        }
        return _json_rows(columns)

    def _onet_fit(self, career_id: int) -> float | None:
        view = self._onet_views.get(career_id)
        return _onet_fit(self._criteria, self._dimension_weights, view) if view else None

    def standing(self, top: int) -> Standing:
        """:meth:`Standing.of` the whole ranking, from the columns: scores only for the ``top`` careers and the
        best interviewed one."""
        order = self.order
        interviewed = self.interviews[order] > 0
        rows = order[interviewed]
        mean_coverage = sum(self.coverage[rows].tolist()) / len(rows) if len(rows) else 0.0  # ranking order
        firsts = order[:top].tolist()
        best = int(rows[0]) if len(rows) else None
        extra = [best] if best is not None and best not in firsts else []
        made = self.scores(firsts + extra)
        by_row = dict(zip(firsts + extra, made, strict=True))
        return Standing(
            tuple(made[: len(firsts)]),
            len(rows),
            mean_coverage,
            by_row[best] if best is not None else None,
            tuple(self._careers[row].name for row in order[~interviewed].tolist()),
        )


def _optional(column: np.ndarray) -> list[float | None]:
    """A float column as Python floats, None where it is NaN."""
    return [None if value != value else value for value in column.tolist()]


@dataclass(frozen=True)
class Assessment:
    """The ranking and the beliefs behind it (what investigate-next and the sensitivity need)."""

    table: ScoreTable = field(repr=False, compare=False)
    beliefs: Mapping[int, Belief]  # every career's, including those about which nothing is known yet
    weights: Mapping[int, float]  # effective weights of the fit, criterion -> weight (sum 1)
    criteria: tuple[Criterion, ...]
    dimension_weights: Mapping[str, float]
    inputs: BeliefInputs

    @functools.cached_property
    def scores(self) -> tuple[CareerScore, ...]:
        """Every career's score, in ranking order (made when first read)."""
        return tuple(self.table.scores())

    def as_json(self) -> list[dict[str, object]]:
        """Every career's :meth:`CareerScore.as_json`, in ranking order, made from the columns (``career-fit rank
        --json`` makes no score object)."""
        return self.table.as_json()

    def standing(self, top: int) -> Standing:
        """The ranking in brief with its first ``top`` careers (see :class:`Standing`)."""
        return self.table.standing(top)


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

    career_ids = [c.id for c in careers]
    # the interview ratings as careers x criteria arrays; careers grouped by the criteria they have ratings for
    counts, totals = inputs.rating_matrices(career_ids, criterion_ids)
    evidence = ev.EvidenceTable(criteria, dimension_weights, criterion_ids, ev.share_matrix(counts, totals))
    fit_of = evidence.fit_of
    expected_fits = {  # nothing expected: no expected fit
        c.id: fit_of({k: (v - 1.0) / 4.0 for k, v in inputs.expectations[c.id].items()})
        for c in careers
        if c.id in inputs.expectations
    }

    # (expected - found)² / 100² of every career with both, and their exact sum: each career is calibrated on
    # the others by taking its own out of the sum
    expecting = [row for row, c in enumerate(career_ids) if expected_fits.get(c) is not None]
    found_fits = evidence.rows(expecting)[0]
    misses = {
        career_ids[row]: ((expected_fit - found_fit) / 100.0) ** 2
        for row, found_fit in zip(expecting, found_fits, strict=True)
        if found_fit is not None and (expected_fit := expected_fits[career_ids[row]]) is not None
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
    # fit, low, high, sd, prior fit and chance best of every career (rows in the careers' order), NaN where
    # nothing is known
    columns = {name: np.full(len(careers), np.nan) for name in ("fit", "low", "high", "sd", "prior_fit", "p_best")}
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
        fits, sds = stacked.fits(weights, known_rows)
        # the band, fit ± 1.645 sd, and the fit itself, cut to 0-100
        cut = np.clip(np.stack([fits, fits - BAND_Z * sds, fits + BAND_Z * sds], axis=1), 0.0, 100.0)
        for name, column in zip(("fit", "low", "high"), cut.T, strict=True):
            columns[name][known_rows] = column
        columns["sd"][known_rows] = sds
        prior_fit_of: dict[int, float] = {}  # careers without expectations or O*NET share one prior
        for row in known_rows.tolist():
            prior = priors[career_ids[row]]
            if id(prior) not in prior_fit_of:
                prior_fit = combined_fit(dict(zip(prior.criteria, prior.mean, strict=True)), weights)
                prior_fit_of[id(prior)] = np.nan if prior_fit is None else prior_fit
            columns["prior_fit"][row] = prior_fit_of[id(prior)]
        columns["p_best"][known_rows] = chance_best(fits.tolist(), sds.tolist())
    interviews = np.array([inputs.interviews.get(c, 0) for c in career_ids], dtype=np.int64)
    table = ScoreTable(
        careers, criteria, dimension_weights, evidence, columns, interviews, expected_fits, onet_views, onet_titles
    )
    return Assessment(table, beliefs, weights, tuple(criteria), dict(dimension_weights), inputs)


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
