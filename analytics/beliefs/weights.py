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
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping

from ..models import DIMENSIONS, Criterion


def effective_weights(
    criteria: Iterable[Criterion],
    dimension_weights: Mapping[str, float],
    present: Collection[int] | None = None,
) -> dict[int, float]:
    """Criterion id -> effective weight (adding up to 1) over the ``present`` criteria (all when None)."""
    by_dimension: dict[str, list[Criterion]] = defaultdict(list)
    for criterion in criteria:
        if criterion.dimension is None or criterion.weight <= 0:
            continue
        if present is not None and criterion.id not in present:
            continue
        by_dimension[criterion.dimension].append(criterion)
    dimensions = [d for d in DIMENSIONS if by_dimension.get(d) and dimension_weights.get(d, 1.0) > 0]
    total_dimension_weight = math.fsum(dimension_weights.get(d, 1.0) for d in dimensions)
    if total_dimension_weight <= 0:
        return {}
    weights: dict[int, float] = {}
    for dimension in dimensions:
        members = by_dimension[dimension]
        inside = math.fsum(c.weight for c in members)
        share = dimension_weights.get(dimension, 1.0) / total_dimension_weight
        for criterion in members:
            weights[criterion.id] = share * criterion.weight / inside
    return weights


def combined_fit(shares: Mapping[int, float], weights: Mapping[int, float]) -> float | None:
    """``100 x sum(w_k x share_k)`` over the criteria in ``weights``; None when ``weights`` is empty."""
    if not weights:
        return None
    return 100.0 * math.fsum(weights[k] * shares[k] for k in sorted(weights))
