"""How the profile's weights combine per-criterion shares into one fit: the one copy of that rule.

Every fit in Career Fit (the evidence fit, the belief model's estimate, the expected fit, O*NET's fit of an
occupation) is ``100 x sum(w_k x share_k)`` with the *effective weights* ``w_k`` of this module, so the
rule that turns a profile into weights exists once.

The rule: a criterion counts only if it has a dimension, a weight above 0 and a share (``present``). Inside
each dimension ``d`` the criteria are weighted by their own weights; the dimensions that have any present
criterion are then weighted by the dimension weights ``W_d``::

    w_k = W_d(k) / sum(W_d' over present dimensions) x weight_k / sum(weight_j over present j in d(k))

so the effective weights add up to 1 (or are all absent when nothing is present).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping, Sequence

import numpy as np

from ..models import DIMENSIONS, Criterion


def effective_weights(
    criteria: Iterable[Criterion],
    dimension_weights: Mapping[str, float],
    present: Collection[int] | None = None,
) -> dict[int, float]:
    """Criterion id -> effective weight (adding up to 1) over the ``present`` criteria (all when None)."""
    criteria = list(criteria)
    counted = [c for c in criteria if present is None or c.id in present]
    if not counted:
        return {}
    matrix = weight_matrix(counted, dimension_weights, np.array([[c.weight for c in counted]], dtype=float))
    return {c.id: float(w) for c, w in zip(counted, matrix[0], strict=True) if w > 0}


def weight_matrix(
    criteria: Sequence[Criterion], dimension_weights: Mapping[str, float], weights: np.ndarray
) -> np.ndarray:
    """The effective weights for many weightings at once: one row of ``weights`` (criterion weights, in
    ``criteria`` order) in, one row of effective weights out; a row with nothing counted is all zeros."""
    dimensions = [d for d in DIMENSIONS if dimension_weights.get(d, 1.0) > 0]
    member = np.array([[c.dimension == d for c in criteria] for d in dimensions], dtype=float).reshape(
        len(dimensions), len(criteria)
    )
    clean = np.where(weights > 0, weights, 0.0)
    inside = clean @ member.T  # rows x dimensions: the weight inside each dimension
    share = np.where(inside > 0, np.array([dimension_weights.get(d, 1.0) for d in dimensions]), 0.0)
    share = share / np.where(share.sum(axis=1, keepdims=True) > 0, share.sum(axis=1, keepdims=True), 1.0)
    per_unit = np.where(inside > 0, share / np.where(inside > 0, inside, 1.0), 0.0)
    return clean * (per_unit @ member)


def combined_fit(shares: Mapping[int, float], weights: Mapping[int, float]) -> float | None:
    """``100 x sum(w_k x share_k)`` over the criteria in ``weights``; None when ``weights`` is empty."""
    if not weights:
        return None
    return 100.0 * math.fsum(weights[k] * shares[k] for k in sorted(weights))


def combined_fits(shares: np.ndarray, columns: Sequence[int], weights: Mapping[int, float]) -> list[float | None]:
    """:func:`combined_fit` of many rows of ``shares`` at once (``columns``: the criterion of each column), bit for
    bit: the same products, and ``math.fsum`` is exact, so the order of the terms never changes a fit."""
    if not weights:
        return [None] * len(shares)
    position = {k: i for i, k in enumerate(columns)}
    keys = sorted(weights)
    products = shares[:, [position[k] for k in keys]] * np.array([weights[k] for k in keys], dtype=float)
    return [100.0 * math.fsum(row) for row in products.tolist()]
