"""The one rounding rule: half away from zero on the decimal a number prints as, by either road it takes."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest

from analytics.numbers import _kept_decimal, kept, kept_many, shown


@pytest.mark.parametrize(
    ("value", "digits", "expected"),
    [
        (82.5, 0, 83.0),
        (-0.5, 0, -1.0),
        (2.675, 2, 2.68),  # the float is a hair below 2.675, but it prints as 2.675: the decimal rule rounds up
        (1.005, 2, 1.01),
        (0.00005, 4, 0.0001),
        (0.123449999, 4, 0.1234),
        (99.995, 2, 100.0),
        (-3.14159, 2, -3.14),
        (7, 2, 7.0),
    ],
)
def test_hand_picked_values(value: float, digits: int, expected: float) -> None:
    assert kept(value, digits) == expected


def test_the_quick_road_and_the_decimal_road_agree_everywhere_including_halves() -> None:
    rng = random.Random(20261201)
    values = [rng.uniform(-200, 200) for _ in range(20_000)] + [rng.uniform(0, 1) for _ in range(20_000)]
    values += [k / 200 for k in range(-4000, 4000)]  # exact halves at two digits, and their neighbours:
    values += [k / 20_000 + nudge for k in range(2000) for nudge in (1e-12, -1e-12, 1e-7, -1e-7)]
    values += [0.0, -0.0, 1e-300, -1e-300, -0.004, 1e9 - 0.3]
    for value in values:
        for digits in (0, 1, 2, 4):
            quick, exact = kept(value, digits), _kept_decimal(value, digits)
            assert quick == exact and math.copysign(1, quick) == math.copysign(1, exact), (value, digits)


def test_missing_and_non_finite_values_stay_missing() -> None:
    assert kept(None) is None and kept(math.nan) is None and kept(math.inf) is None and shown(None) is None
    assert shown(62.5) == 63 and shown(-62.5) == -63


@pytest.mark.parametrize("digits", [0, 2, 4, 7])
def test_many_values_round_at_once_as_each_does_alone(digits: int) -> None:
    """kept_many (a JSON ranking's columns) is kept value by value, sign of zero and missing values included."""
    rng = random.Random(digits)
    values: list[float | None] = [rng.uniform(-200, 200) for _ in range(5000)] + [
        rng.uniform(0, 1) for _ in range(5000)
    ]
    values += [k / 200 for k in range(-400, 400)] + [k / 20_000 + nudge for k in range(400) for nudge in (1e-12, -1e-7)]
    values += [None, math.nan, math.inf, -math.inf, 0.0, -0.0, 1e-300, -0.004, 1e9 - 0.3, 1e9, -3e12, 5e-324]
    rng.shuffle(values)
    expected = [kept(value, digits) for value in values]
    found = kept_many(values, digits)
    assert found == expected
    assert [None if v is None else math.copysign(1, v) for v in found] == [
        None if v is None else math.copysign(1, v) for v in expected
    ]
    assert kept_many([], digits) == []
    as_array = np.array([math.nan if v is None else v for v in values])  # a column of the ranking: NaN for None
    assert kept_many(as_array, digits) == expected
