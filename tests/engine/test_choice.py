"""The chance of being best: its grid rule, and its values against the closed form and a much finer integral."""

from __future__ import annotations

import math

import numpy as np
import pytest

from analytics.beliefs.choice import _GRID_POINTS, _REACH, _cdf_table, chance_best, grid_points, normal_cdf

STATED_ERROR = 1e-7  # the module docstring's bound on each chance


def reference_chances(means: list[float], sds: list[float], points: int = 40_001) -> list[float]:
    """``P_c = ∫ φ_c Π_{j≠c} Φ_j dx`` on a grid of ``points`` with ``Φ`` from ``math.erfc`` itself (no table),
    over every career's ``± 12 sd``: an independent, much finer integral of the same definition."""
    m, s = np.asarray(means), np.asarray(sds)
    grid = np.linspace(float(np.min(m - 12 * s)), float(np.max(m + 12 * s)), points)
    z = (grid[None, :] - m[:, None]) / s[:, None]
    cdf = np.vectorize(lambda v: 0.5 * math.erfc(-v / math.sqrt(2.0)))(z)
    density = np.exp(-0.5 * z * z) / (s[:, None] * math.sqrt(2.0 * math.pi))
    found = []
    for c in range(len(means)):
        others = np.prod(np.delete(cdf, c, axis=0), axis=0)
        found.append(float(np.trapezoid(density[c] * others, grid)))
    return found


def test_two_careers_match_the_closed_form() -> None:
    """For two careers ``P_1 = Φ((m_1 - m_2) / sqrt(s_1² + s_2²))`` exactly; the grid stays within the stated error,
    from equal widths to one belief 60 times narrower than the other."""
    rng = np.random.default_rng(20261201)
    for _ in range(100):
        means = rng.uniform(20, 80, 2).tolist()
        sds = rng.uniform(0.3, 20, 2).tolist()
        first, second = chance_best(means, sds)
        exact = normal_cdf((means[0] - means[1]) / math.hypot(*sds))
        assert first == pytest.approx(exact, abs=STATED_ERROR)
        assert second == pytest.approx(1 - exact, abs=STATED_ERROR)


@pytest.mark.parametrize(
    ("means", "sds"),
    [
        ([50.0, 52.0, 49.0, 51.5, 47.0], [2.0, 2.1, 1.9, 2.2, 2.0]),  # close careers of about equal width
        ([60.0, 59.9, 40.0, 55.0], [0.3, 20.0, 5.0, 0.5]),  # a narrow leader, a wide rival, a far one
        ([70.0, 30.0, 50.0], [15.0, 15.0, 1.0]),  # wide beliefs around a narrow middle one
    ],
)
def test_many_careers_match_a_much_finer_integral(means: list[float], sds: list[float]) -> None:
    found = chance_best(means, sds)
    reference = reference_chances(means, sds)
    assert sum(found) == pytest.approx(1.0, abs=1e-12)
    for value, expected in zip(found, reference, strict=True):
        assert value == pytest.approx(expected, abs=STATED_ERROR)


def test_a_crowd_of_careers_matches_a_much_finer_integral() -> None:
    """Forty careers as close as those of a big store: the best of many is narrower than any one belief, which
    the grid's step allows for."""
    rng = np.random.default_rng(7)
    means = rng.normal(50, 3, 40).tolist()
    sds = rng.uniform(1.8, 2.4, 40).tolist()
    found = chance_best(means, sds)
    reference = reference_chances(means, sds, points=20_001)
    assert max(abs(a - b) for a, b in zip(found, reference, strict=True)) <= STATED_ERROR


def test_equal_careers_are_equally_likely_and_order_does_not_matter() -> None:
    assert chance_best([55.0] * 4, [3.0] * 4) == pytest.approx([0.25] * 4, abs=1e-12)
    means, sds = [50.0, 58.0, 54.0], [4.0, 6.0, 1.0]
    forward = chance_best(means, sds)
    backward = chance_best(means[::-1], sds[::-1])
    assert forward == pytest.approx(backward[::-1], abs=1e-12)


def test_a_career_far_below_the_best_gets_zero_and_its_true_chance_is_negligible() -> None:
    """The stated cut: a career whose ``m + 8 s`` lies under the best ``m - 8 s`` gets 0; its true chance is below
    ``P(X_c > t) + P(X_best < t)`` at ``t`` = the best's ``m - 8 s``, that is below ``2 Φ(-8)`` (about 1.2e-15)."""
    means, sds = [80.0, 40.0, 79.0], [2.0, 2.0, 2.5]
    assert means[1] + _REACH * sds[1] < means[0] - _REACH * sds[0]
    found = chance_best(means, sds)
    assert found[1] == 0.0
    assert reference_chances(means, sds)[1] < 2 * normal_cdf(-_REACH)
    assert found[0] + found[2] == pytest.approx(1.0, abs=1e-12)


def test_the_grid_step_follows_the_narrowest_belief_and_the_number_of_careers() -> None:
    span = 40.0
    for narrowest, competing in [(2.0, 2), (2.0, 2000), (0.5, 30), (5.0, 10)]:
        points = grid_points(span, narrowest, competing)
        step = span / (points - 1)
        assert step <= narrowest / (2 + 1.5 * math.sqrt(2 * math.log(competing)))
    # more careers or a narrower belief never coarsen the grid
    assert grid_points(span, 2.0, 2000) > grid_points(span, 2.0, 20) > grid_points(span, 2.0, 2)
    assert grid_points(span, 1.0, 20) > grid_points(span, 2.0, 20)
    # a belief far narrower than the span gets the capped grid
    assert grid_points(1000.0, 0.01, 100) == _GRID_POINTS


def test_the_tabulated_normal_cdf_is_within_its_stated_error_everywhere() -> None:
    """Φ from the table (found by arithmetic) against ``math.erfc``: within 1e-7 on [-12, 12], and beyond at the
    ends (0 to within Φ(-12) < 2e-33, and 1)."""
    z = np.concatenate([np.random.default_rng(3).uniform(-12, 12, 20_000), np.linspace(-12, 12, 2401)])
    exact = np.array([normal_cdf(v) for v in z.tolist()])
    assert np.abs(_cdf_table(z.copy()) - exact).max() < 1e-7
    ends = _cdf_table(np.array([-40.0, -12.0005, 12.0005, 40.0]))
    assert ends[0] == ends[1] < 2e-33 and ends[2] == ends[3] == 1.0
