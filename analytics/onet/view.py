"""O*NET's view of an occupation on the user's linked criteria: the prior for a linked career, and its fit.

For an occupation and every criterion linked to an O*NET element, :func:`career_view` gives O*NET's value
for that occupation rescaled to the 1-5 rating scale (see :mod:`analytics.onet.rescale`), with O*NET's
standard error on the same scale where O*NET has one (skills and knowledge; interests and work values have
none). :func:`onet_fit` combines those ratings with the profile's weights through the one combination rule
(:mod:`analytics.beliefs.weights`), so it reads exactly like any other fit in the app.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..beliefs.weights import combined_fit, effective_weights
from ..models import Criterion
from .data import OnetData, packaged
from .rescale import se_to_rating, share, to_rating


@dataclass(frozen=True)
class OnetValue:
    """O*NET's value for one criterion of one occupation, on the 1-5 rating scale."""

    rating: float
    se: float | None  # O*NET's standard error, on the 1-5 scale; None where O*NET gives none


def occupation_title(code: str, data: OnetData | None = None) -> str | None:
    """The O*NET title of occupation ``code`` ("Registered Nurses"); None for an unknown code."""
    occupation = (data or packaged()).occupations.get(code)
    return occupation.title if occupation else None


def career_view(code: str, criteria: Sequence[Criterion], data: OnetData | None = None) -> dict[int, OnetValue]:
    """Criterion id -> O*NET's value for occupation ``code`` on the 1-5 scale, for every linked criterion
    that O*NET rates this occupation on (empty for an unknown or unprofiled code)."""
    data = data or packaged()
    values = data.occupation_values(code)
    view: dict[int, OnetValue] = {}
    for criterion in criteria:
        element = data.elements.get(criterion.onet_element or "")
        if element is None:
            continue
        found = values.get((element.id, element.scale))
        if found is None:
            continue
        scale = data.scales[element.scale]
        view[criterion.id] = OnetValue(to_rating(found[0], scale), se_to_rating(found[1], scale))
    return view


def onet_fit(
    code: str,
    criteria: Sequence[Criterion],
    dimension_weights: Mapping[str, float],
    data: OnetData | None = None,
) -> float | None:
    """The profile's fit (0-100) to occupation ``code`` from O*NET alone; None when no weighted linked
    criterion has an O*NET value for it."""
    view = career_view(code, criteria, data)
    weights = effective_weights(criteria, dimension_weights, present=view.keys())
    return combined_fit({k: share(v.rating) for k, v in view.items()}, weights)
