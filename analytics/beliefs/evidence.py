"""The evidence score: the published, hand-computable formula over interview ratings alone.

For career *c* and criterion *k* with weight ``w_k`` in dimension ``d(k)``:

* ``s_ck = (mean rating of c on k - 1) / 4``;
* dimension score ``D_cd = 100 x Σ w_k s_ck / Σ w_k`` over the criteria of *d* that *c* has ratings for and
  whose weight is above 0 (none: no score);
* evidence fit ``E_c`` = the mean of the dimension scores that exist, weighted by the dimension weights
  (none: no evidence fit) — which is ``100 x Σ w̃_k s_ck`` with the effective weights of
  :mod:`analytics.beliefs.weights` over the rated criteria;
* coverage = the weight of the rated criteria over the weight of all criteria that have a dimension.

Expectations are scored the same way into the *expected fit*, never mixed into the evidence.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from ..models import DIMENSIONS, Criterion
from .weights import combined_fit, combined_fits, effective_weights


def shares(counts: Mapping[int, int], totals: Mapping[int, float]) -> dict[int, float]:
    """Criterion -> ``(mean rating - 1) / 4`` for every criterion with ratings."""
    return {k: (totals[k] / counts[k] - 1.0) / 4.0 for k in counts if counts[k] > 0}


def share_matrix(counts: np.ndarray, totals: np.ndarray) -> np.ndarray:
    """:func:`shares` of many careers at once: careers x criteria arrays of counts and sums in, the shares out
    (the same arithmetic, so the same bits), NaN where nothing is rated."""
    rated = counts > 0
    return np.where(rated, (totals / np.where(rated, counts, 1.0) - 1.0) / 4.0, np.nan)


def rated_groups(shares: np.ndarray, columns: Sequence[int]) -> list[tuple[frozenset[int], np.ndarray]]:
    """The careers (rows of a :func:`share_matrix`) grouped by the set of criteria they have ratings for: each
    set with the rows that have exactly it (most careers share one or two)."""
    if not len(shares):
        return []
    if not shares.shape[1]:  # no criteria at all: every career rates the empty set
        return [(frozenset(), np.arange(len(shares)))]
    rated = ~np.isnan(shares)
    packed = np.ascontiguousarray(np.packbits(rated, axis=1))  # each row's set as a few bytes, compared at once
    keys = packed.view(np.dtype((np.void, packed.shape[1]))).reshape(-1)
    _, first, which = np.unique(keys, return_index=True, return_inverse=True)
    order = np.argsort(which, kind="stable")
    bounds = np.flatnonzero(np.diff(which[order], prepend=-1))
    return [
        (frozenset(k for k, on in zip(columns, rated[row].tolist(), strict=True) if on), rows)
        for row, rows in zip(first.tolist(), np.split(order, bounds[1:]), strict=True)
    ]


def dimension_scores(criteria: Iterable[Criterion], rated: Mapping[int, float]) -> dict[str, float | None]:
    """Dimension -> ``D_cd`` (0-100), None where no weighted criterion of the dimension is rated."""
    return DimensionScores(criteria)(rated)


class DimensionScores:
    """:func:`dimension_scores` of many careers under one profile: which criteria count in each dimension, and
    their total weight, are worked out once per set of rated criteria (``math.fsum`` is exact, so the order of
    the terms never changes a score)."""

    def __init__(self, criteria: Iterable[Criterion]) -> None:
        self._weighted = [(c.dimension, c.id, c.weight) for c in criteria if c.dimension in DIMENSIONS and c.weight > 0]
        self._counted: dict[frozenset[int], dict[str, tuple[list[tuple[int, float]], float]]] = {}

    def __call__(self, rated: Mapping[int, float]) -> dict[str, float | None]:
        counted = self._members(frozenset(rated))
        return {
            d: (100.0 * math.fsum(w * rated[k] for k, w in items) / total if items else None)
            for d, (items, total) in counted.items()
        }

    def many(
        self, shares: np.ndarray, columns: Sequence[int], rows: np.ndarray, present: frozenset[int]
    ) -> list[dict[str, float | None]]:
        """The scores of the ``rows`` of a :func:`share_matrix` that all rate exactly the ``present`` criteria,
        bit for bit as :meth:`__call__` (the same products, summed exactly)."""
        position = {k: i for i, k in enumerate(columns)}
        found: list[dict[str, float | None]] = [{} for _ in rows]
        for dimension, (items, total) in self._members(present).items():
            if not items:
                for scores in found:
                    scores[dimension] = None
                continue
            columns_of = np.array([position[k] for k, _ in items], dtype=np.intp)
            products = shares[np.ix_(rows, columns_of)] * np.array([w for _, w in items], dtype=float)
            for scores, row in zip(found, products.tolist(), strict=True):
                scores[dimension] = 100.0 * math.fsum(row) / total
        return found

    def _members(self, present: frozenset[int]) -> dict[str, tuple[list[tuple[int, float]], float]]:
        """Per dimension, its weighted criteria among ``present`` and their total weight (worked out once)."""
        counted = self._counted.get(present)
        if counted is None:
            members: dict[str, list[tuple[int, float]]] = {d: [] for d in DIMENSIONS}
            for dimension, criterion, weight in self._weighted:
                if criterion in present:
                    members[dimension].append((criterion, weight))
            counted = {d: (items, math.fsum(w for _, w in items)) for d, items in members.items()}
            self._counted[present] = counted
        return counted


def profile_fit(
    criteria: Iterable[Criterion], dimension_weights: Mapping[str, float], rated: Mapping[int, float]
) -> float | None:
    """The evidence formula's fit (0-100) of per-criterion shares ``rated``; None when nothing counts."""
    return ProfileFits(criteria, dimension_weights)(rated)


class ProfileFits:
    """:func:`profile_fit` of many careers under one profile: the effective weights of each set of rated
    criteria are worked out once (most careers share one or two such sets)."""

    def __init__(self, criteria: Iterable[Criterion], dimension_weights: Mapping[str, float]) -> None:
        self._criteria = list(criteria)
        self._dimension_weights = dimension_weights
        self._weights: dict[frozenset[int], dict[int, float]] = {}

    def __call__(self, rated: Mapping[int, float]) -> float | None:
        return combined_fit(rated, self.weights(frozenset(rated)))

    def many(
        self, shares: np.ndarray, columns: Sequence[int], rows: np.ndarray, present: frozenset[int]
    ) -> list[float | None]:
        """The fits of the ``rows`` of a :func:`share_matrix` that all rate exactly the ``present`` criteria, bit
        for bit as :meth:`__call__`."""
        return combined_fits(shares[rows], columns, self.weights(present))

    def weights(self, present: frozenset[int]) -> dict[int, float]:
        """The effective weights over the ``present`` criteria (worked out once per set)."""
        weights = self._weights.get(present)
        if weights is None:
            weights = effective_weights(self._criteria, self._dimension_weights, present=present)
            self._weights[present] = weights
        return weights


class EvidenceTable:
    """The evidence fits, dimension scores and coverage of many careers (the rows of a :func:`share_matrix`),
    each worked out once per set of rated criteria.

    Coverage is one number per set, so every row's is known at once. Fits and dimension scores take an exact
    sum per row and dimension, which is most of the ranking's Python work at thousands of careers; they are
    worked out only for the rows asked for (the Overview shows five careers), bit for bit as
    :meth:`ProfileFits.many` and :meth:`DimensionScores.many` over all rows.
    """

    def __init__(
        self,
        criteria: Sequence[Criterion],
        dimension_weights: Mapping[str, float],
        columns: Sequence[int],
        shares: np.ndarray,
    ) -> None:
        self.fit_of = ProfileFits(criteria, dimension_weights)
        self._dimension_scores = DimensionScores(criteria)
        self._columns = columns
        self._shares = shares
        self._groups = rated_groups(shares, columns)
        self._group_of = np.zeros(len(shares), dtype=np.intp)
        self.coverage = np.zeros(len(shares))
        for number, (present, rows) in enumerate(self._groups):
            self._group_of[rows] = number
            self.coverage[rows] = coverage(criteria, present)

    def rows(self, rows: Sequence[int] | np.ndarray) -> tuple[list[float | None], list[dict[str, float | None]]]:
        """The evidence fit and the dimension scores of each of ``rows``, in that order."""
        wanted = np.asarray(rows, dtype=np.intp)
        fits: list[float | None] = [None] * len(wanted)
        dimensions: list[dict[str, float | None]] = [{} for _ in wanted]
        if not len(wanted):
            return fits, dimensions
        groups = self._group_of[wanted]
        # (a set, not np.unique: in a fresh process np.unique loads numpy.ma, some 15 ms of a rank command)
        for number in sorted(set(groups.tolist())):
            present = self._groups[number][0]
            at = np.flatnonzero(groups == number)
            members = wanted[at]
            found = zip(
                at.tolist(),
                self.fit_of.many(self._shares, self._columns, members, present),
                self._dimension_scores.many(self._shares, self._columns, members, present),
                strict=True,
            )
            for position, fit, scores in found:
                fits[position] = fit
                dimensions[position] = scores
        return fits, dimensions


def coverage(criteria: Iterable[Criterion], rated: Iterable[int]) -> float:
    """Share (0-1) of the profile's weight, over criteria with a dimension, that has interview ratings."""
    rated = set(rated)
    counted = [c for c in criteria if c.dimension is not None]
    total = math.fsum(c.weight for c in counted)
    if total <= 0 or not rated:
        return 0.0
    return min(1.0, math.fsum(c.weight for c in counted if c.id in rated) / total)
