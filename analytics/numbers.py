"""The one rounding rule for every number a person reads: pages, charts, exports' labels and the CLI.

Python's ``round`` rounds halves to even (82.5 -> 82, 83.5 -> 84), while spreadsheet programs and most
people round halves away from zero (82.5 -> 83). Showing one number rounded two ways on two screens erodes
trust, so every displayed number goes through :func:`shown`, which rounds half away from zero. JSON output
keeps more digits (:func:`kept`) and is rounded the same way.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

_NEAR_HALF = 1e-6  # how close to a half the scaled value may come before the exact decimal rounding decides


def kept(value: float | None, digits: int = 2) -> float | None:
    """``value`` rounded half away from zero to ``digits`` decimals; None stays None.

    The rule is the decimal one: the shortest decimal that is ``value`` (its ``repr``) rounded half up. A value
    whose scaled fraction is not within :data:`_NEAR_HALF` of a half rounds the same way in binary, and the
    whole number of steps divided by ``10^digits`` is the nearest float to that decimal, so it takes that
    quicker road (a JSON ranking rounds a dozen numbers per career); a test checks both roads agree.
    """
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return None
    value = float(value)
    if 0 <= digits <= 6 and abs(value) < 1e9:
        scale = 10.0**digits
        scaled = abs(value) * scale
        whole = math.floor(scaled)
        if abs(scaled - whole - 0.5) > _NEAR_HALF:
            steps = whole + (scaled - whole > 0.5)
            return math.copysign(steps / scale, value)
    return _kept_decimal(value, digits)


def kept_many(values: Sequence[float | None] | Any, digits: int = 2) -> list[float | None]:
    """:func:`kept` of many values at once (a JSON ranking rounds a dozen numbers of each of thousands of careers).

    The quick road of :func:`kept` as array operations, which round exactly as the scalar ones do (one IEEE
    multiply, floor and divide each); a value near a half, out of the quick road's range, or not finite takes
    :func:`kept` itself. ``values``: a sequence, or a numpy array with NaN for None. A test checks it against
    :func:`kept` value by value.
    """
    import numpy as np  # here: a process that rounds one number at a time never loads numpy for it

    if isinstance(values, np.ndarray):
        found = values.astype(float)  # (a copy)
    else:
        found = np.array([math.nan if value is None else value for value in values], dtype=float)
    if not 0 <= digits <= 6:
        return [kept(value, digits) for value in values]
    finite = np.isfinite(found)
    found[~finite] = 0.0  # missing and infinite values are kept's own (None); 0 keeps the arithmetic quiet
    scale = 10.0**digits
    scaled = np.abs(found) * scale
    whole = np.floor(scaled)
    fraction = scaled - whole
    quick = finite & (np.abs(found) < 1e9) & (np.abs(fraction - 0.5) > _NEAR_HALF)
    rounded = np.copysign((whole + (fraction > 0.5)) / scale, found).tolist()
    return [
        number if fast else (None if value is None else kept(value, digits))
        for number, fast, value in zip(rounded, quick.tolist(), values, strict=True)
    ]


def _kept_decimal(value: float, digits: int) -> float:
    """:func:`kept` by decimal arithmetic on ``repr(value)``: the rule itself, for values near a half."""
    quantum = Decimal(1).scaleb(-digits)
    return float(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP))


def shown(value: float | None) -> int | None:
    """``value`` as the whole number a person sees (half away from zero: 82.5 -> 83, -0.5 -> -1)."""
    rounded = kept(value, 0)
    return None if rounded is None else int(rounded)


def shown_text(value: float | None, missing: str = "-") -> str:
    """:func:`shown` as text, ``missing`` for None."""
    number = shown(value)
    return missing if number is None else str(number)


def chance_text(chance: float | None, missing: str = "-") -> str:
    """A chance (0-1) as a person reads it: a whole percentage, but "<1%" or ">99%" rather than a misleading
    0% or 100% for a chance that is small or large but not nil or certain."""
    if chance is None:
        return missing
    if 0 < chance < 0.005:
        return "<1%"
    if 0.995 < chance < 1:
        return ">99%"
    return f"{shown(100 * chance)}%"
