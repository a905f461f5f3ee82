"""Choosing between careers under the beliefs: the chance each is best, and the value of one more interview.

**Chance of being best** (``p_best``). The careers' fits are independent normal beliefs ``N(m_c, s_c²)``
(each career's evidence and priors are its own). The chance that career *c* is truly the best is
``P_c = ∫ φ_c(x) Π_{j≠c} Φ_j(x) dx``, integrated numerically on an even grid (deterministic, no sampling)
and normalised so that the chances add up to exactly 1. The grid's step follows the narrowest belief: at most
``s_min / (2 + 1.5 sqrt(2 ln n))`` for ``n`` competing careers (the best of ``n`` normal fits is about
``sqrt(2 ln n)`` times narrower than one of them), capped at :data:`_GRID_POINTS` points; each chance is then
within 1e-7 of the exact integral (the error of the tabulated ``Φ`` dominates), which a test checks against the
closed form for two careers and a much finer grid.

**Knowledge gradient** (Frazier, Powell & Dayanik 2008). If one more interview about career *c* moves its
believed fit by a normal amount with sd ``s̃`` (how much the fit's variance shrinks:
``s̃² = s² - s_after²``), the expected gain in the best believed fit is
``s̃ x (z Φ(z) + φ(z))`` with ``z = -|m_c - best other mean| / s̃``: high for careers that could overtake
the best and are still uncertain, about zero for careers known to fit poorly.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence

import numpy as np

_GRID_POINTS = 1201  # at most: a belief narrower than the span over 1,200 steps gets a coarser step than the rule
_REACH = 8.0  # standard deviations covered on each side
_STEPS_PER_SD = 2.0  # grid steps per sd of the narrowest belief, before the allowance for the best of n
_BLOCK_CELLS = 64 * _GRID_POINTS  # careers x grid points worked out together: they stay in the processor's cache


def normal_pdf(z: float) -> float:
    return math.exp(-0.5 * z * z) / math.sqrt(2.0 * math.pi)


def normal_cdf(z: float) -> float:
    return 0.5 * math.erfc(-z / math.sqrt(2.0))


_TABLE_STEPS = 1000  # per unit of z
_TABLE_REACH = 12.0  # Φ is tabulated on [-12, 12]; beyond, it is taken as at the ends


@functools.cache
def _table() -> tuple[np.ndarray, np.ndarray]:
    """Φ at ``z = -12, -11.999, ..., 12`` (from ``math.erfc``) and the rise to the next entry (0 after the last)."""
    z = np.linspace(-_TABLE_REACH, _TABLE_REACH, int(2 * _TABLE_REACH * _TABLE_STEPS) + 1)
    cdf = 0.5 * np.array(list(map(math.erfc, (-z / math.sqrt(2.0)).tolist())))
    return cdf, np.append(np.diff(cdf), 0.0)


def _cdf_table(z: np.ndarray) -> np.ndarray:
    """Φ(z) for an array, interpolated linearly in the table (step 0.001, error below 1e-7). The table is even,
    so each entry is found by arithmetic, not by a search (a few passes over ``z``, in place)."""
    cdf, rise = _table()
    at = z + _TABLE_REACH
    at *= _TABLE_STEPS
    np.clip(at, 0.0, len(cdf) - 1.0, out=at)
    index = at.astype(np.intp)
    at -= index
    at *= rise[index]
    at += cdf[index]
    return at


def chance_best(means: Sequence[float], sds: Sequence[float]) -> list[float]:
    """``P_c`` for every career (see the module docstring); adds up to 1.

    Careers whose belief lies entirely below another's (``m + 8 s`` under the best ``m - 8 s``) have a chance
    below 1e-15: they get 0 and are left out of the integral, which then runs over the few that compete.
    """
    if not means:
        return []
    if len(means) == 1:
        return [1.0]
    m = np.asarray(means, dtype=float)
    s = np.maximum(np.asarray(sds, dtype=float), 1e-6)
    floor = float(np.max(m - _REACH * s))
    alive = np.flatnonzero(m + _REACH * s >= floor)
    chances = np.zeros(len(means))
    if len(alive) == 1:
        chances[alive] = 1.0
        return [float(c) for c in chances]
    ma, sa = m[alive], s[alive]
    top = float(np.max(ma + _REACH * sa))
    grid = np.linspace(floor, top, grid_points(top - floor, float(np.min(sa)), len(alive)))
    # Worked out a block of careers at a time (the same numbers as whole arrays, in a fraction of the memory
    # traffic): first log Φ of every career at every grid point, then each career's density times the others'.
    per_block = max(1, _BLOCK_CELLS // len(grid))  # 64 careers on the finest grid, more on a coarser one
    blocks = [slice(start, start + per_block) for start in range(0, len(alive), per_block)]
    log_cdf = np.empty((len(alive), len(grid)))
    for block in blocks:
        z = (grid[None, :] - ma[block, None]) / sa[block, None]
        log_cdf[block] = np.log(np.maximum(_cdf_table(z), 1e-300))
    all_log_cdf = log_cdf.sum(axis=0)[None, :]
    step = grid[1] - grid[0]
    found = np.empty(len(alive))
    for block in blocks:
        z = (grid[None, :] - ma[block, None]) / sa[block, None]
        density = np.exp(-0.5 * z * z) / (sa[block, None] * math.sqrt(2.0 * math.pi))
        found[block] = (density * np.exp(all_log_cdf - log_cdf[block])).sum(axis=1) * step
    total = float(found.sum())
    if total <= 0:
        chances[alive] = 1.0 / len(alive)
    else:
        chances[alive] = found / total
    return [float(c) for c in chances]


def grid_points(span: float, narrowest: float, competing: int) -> int:
    """Points of the grid over ``span`` fit points for ``competing`` careers whose narrowest belief has sd
    ``narrowest``: a step of at most ``narrowest / (2 + 1.5 sqrt(2 ln n))``, and at most :data:`_GRID_POINTS`."""
    step = narrowest / (_STEPS_PER_SD + 1.5 * math.sqrt(2.0 * math.log(max(competing, 2))))
    return int(min(_GRID_POINTS, max(3, math.ceil(span / step) + 1)))


def knowledge_gradient(mean: float, change_sd: float, best_other: float) -> float:
    """Expected gain in the best believed fit from one more interview of this career (>= 0)."""
    if change_sd <= 0:
        return 0.0
    z = -abs(mean - best_other) / change_sd
    return max(0.0, change_sd * (z * normal_cdf(z) + normal_pdf(z)))


def thompson_pick(means: Sequence[float], sds: Sequence[float], rng: np.random.Generator) -> int:
    """Index of the career whose fit, drawn once from its belief, is highest (Thompson sampling)."""
    draws = rng.normal(np.asarray(means, dtype=float), np.asarray(sds, dtype=float))
    return int(np.argmax(draws))
