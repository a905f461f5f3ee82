"""Puts O*NET's values on Career Fit's 1-5 rating scale and back: the one copy of that rule.

O*NET rates on several scales (Scales Reference): interests OI 1-7, work values EX 1-7, importance IM 1-5,
level LV 0-7. A value ``v`` on a scale from ``lo`` to ``hi`` becomes the rating ``1 + 4 (v - lo) / (hi - lo)``:
a straight line that sends O*NET's minimum to 1 and its maximum to 5. So OI and EX 1-7 map to
``1 + 2 (v - 1) / 3``, IM 1-5 stays as it is, LV 0-7 maps to ``1 + 4 v / 7``. A standard error is a spread,
so it is only stretched: ``se x 4 / (hi - lo)``. The share a rating gives a fit is ``(rating - 1) / 4``.
"""

from __future__ import annotations

from .data import Scale


def to_rating(value: float, scale: Scale) -> float:
    """O*NET's ``value`` on ``scale`` as a 1-5 rating (clamped to 1-5)."""
    rating = 1.0 + 4.0 * (value - scale.minimum) / (scale.maximum - scale.minimum)
    return min(5.0, max(1.0, rating))


def se_to_rating(se: float | None, scale: Scale) -> float | None:
    """A standard error on ``scale`` as one on the 1-5 rating scale."""
    return None if se is None else se * 4.0 / (scale.maximum - scale.minimum)


def from_rating(rating: float, scale: Scale) -> float:
    """The value on O*NET's ``scale`` that the 1-5 ``rating`` stands for (the inverse of :func:`to_rating`)."""
    return scale.minimum + (rating - 1.0) * (scale.maximum - scale.minimum) / 4.0


def share(rating: float) -> float:
    """A 1-5 rating as the 0-1 share a fit combines."""
    return (rating - 1.0) / 4.0
