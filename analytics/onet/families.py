"""Which career family a career belongs to: its linked occupation's, else the nearest by its ratings.

The families themselves are computed once per O*NET data version by the build script
(:mod:`analytics.onet.clustering`) and read from the packaged data; nothing here fits a model. A career
without an O*NET link is placed by its shares on the criteria linked to the elements families are
clustered on (interests, work values, skill importance): each share is turned back into O*NET's units,
standardised like the occupations were, and the family whose centre is nearest over those features wins.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence

from ..models import Career, Criterion
from .data import Family, OnetData, packaged
from .rescale import from_rating


def family_of(code: str, data: OnetData | None = None) -> Family | None:
    """The family of occupation ``code``; None when O*NET does not profile it fully."""
    data = data or packaged()
    occupation = data.occupations.get(code)
    if occupation is None or occupation.family_id is None:
        return None
    return data.families[occupation.family_id].family


def families(data: OnetData | None = None) -> list[Family]:
    """Every career family, largest first."""
    return [profile.family for profile in (data or packaged()).families.values()]


def nearest_family(
    criteria: Sequence[Criterion], shares: Mapping[int, float], data: OnetData | None = None
) -> Family | None:
    """The family nearest to a profile of ``shares`` (criterion id -> 0-1) on linked criteria; None when no
    share falls on an element families are clustered on."""
    data = data or packaged()
    position = {(f.element_id, f.scale): i for i, f in enumerate(data.features)}
    gathered: dict[int, list[float]] = defaultdict(list)
    for criterion in criteria:
        element = data.elements.get(criterion.onet_element or "")
        if element is None or criterion.id not in shares:
            continue
        index = position.get((element.id, element.scale))
        if index is None:
            continue
        raw = from_rating(1.0 + 4.0 * float(shares[criterion.id]), data.scales[element.scale])
        gathered[index].append(raw)
    if not gathered:
        return None
    point = {i: math.fsum(v) / len(v) for i, v in gathered.items()}  # two criteria on one element: their mean
    best: tuple[float, int] | None = None
    for family_id, profile in data.families.items():
        distance = math.fsum(
            ((point[i] - profile.centroid[i]) / data.features[i].scale_factor) ** 2 for i in sorted(point)
        )
        if best is None or (distance, family_id) < best:
            best = (distance, family_id)
    return data.families[best[1]].family if best else None


def career_family(
    career: Career, criteria: Sequence[Criterion], shares: Mapping[int, float], data: OnetData | None = None
) -> Family | None:
    """``career``'s family: its linked occupation's if it has one, else the nearest by ``shares``
    (criterion id -> 0-1, e.g. from its ratings or beliefs), else None."""
    if career.onet_code:
        family = family_of(career.onet_code, data)
        if family is not None:
            return family
    return nearest_family(criteria, shares, data)
