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
    return nearest_families(criteria, [shares], data)[0]


def nearest_families(
    criteria: Sequence[Criterion], profiles: Sequence[Mapping[int, float]], data: OnetData | None = None
) -> list[Family | None]:
    """:func:`nearest_family` of many profiles at once.

    The distance to a family is ``Σ ((point_i - centre_i) / scale_factor_i)²`` over the features the profile
    has; the nearest wins, ties to the lower family id. The distances to every family are worked out as one
    array per set of features present, and the few families within a billionth of the nearest are compared
    again with the exact sum (``math.fsum``), so the choice is the exact rule's.
    """
    import numpy as np  # only here: importing the O*NET package stays light

    data = data or packaged()
    points = _points(criteria, profiles, data)
    family_ids = list(data.families)
    centres = np.array([data.families[f].centroid for f in family_ids], dtype=float)
    factors = np.array([f.scale_factor for f in data.features], dtype=float)
    found: list[Family | None] = [None] * len(profiles)
    groups: dict[tuple[int, ...], list[int]] = defaultdict(list)
    for number, point in enumerate(points):
        if point:
            groups[tuple(sorted(point))].append(number)
    for features, members in groups.items():
        at = np.array(features, dtype=np.intp)
        values = np.array([[points[m][i] for i in features] for m in members], dtype=float)
        distances = np.square((values[:, None, :] - centres[None, :, at]) / factors[at]).sum(axis=2)
        near = distances <= distances.min(axis=1, keepdims=True) * (1.0 + 1e-9)
        nearest = np.argmax(near, axis=1).tolist()
        for row, (member, ties, first) in enumerate(zip(members, near.sum(axis=1).tolist(), nearest, strict=True)):
            if ties == 1:
                best = family_ids[first]
            else:
                point = points[member]
                best = min(
                    (
                        math.fsum(
                            ((point[i] - data.families[family_ids[f]].centroid[i]) / data.features[i].scale_factor) ** 2
                            for i in features
                        ),
                        family_ids[f],
                    )
                    for f in np.flatnonzero(near[row]).tolist()
                )[1]
            found[member] = data.families[best].family
    return found


def _points(
    criteria: Sequence[Criterion], profiles: Sequence[Mapping[int, float]], data: OnetData
) -> list[dict[int, float]]:
    """Each profile's position on the features families are clustered on (feature index -> O*NET's units):
    each linked share turned back into its element's units, two criteria on one element averaged. Which
    feature and scale each criterion stands for is looked up once."""
    position = {(f.element_id, f.scale): i for i, f in enumerate(data.features)}
    links = []
    for criterion in criteria:
        element = data.elements.get(criterion.onet_element or "")
        index = None if element is None else position.get((element.id, element.scale))
        if element is not None and index is not None:
            links.append((criterion.id, index, data.scales[element.scale]))
    points = []
    for shares in profiles:
        gathered: dict[int, list[float]] = defaultdict(list)
        for criterion_id, index, scale in links:
            if criterion_id in shares:
                gathered[index].append(from_rating(1.0 + 4.0 * float(shares[criterion_id]), scale))
        points.append({i: math.fsum(v) / len(v) for i, v in gathered.items()})  # two on one element: their mean
    return points


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


def career_families(
    codes: Sequence[str | None],
    criteria: Sequence[Criterion],
    profiles: Sequence[Mapping[int, float]],
    data: OnetData | None = None,
) -> list[Family | None]:
    """:func:`career_family` of many careers, given each one's linked O*NET code (or None) and its shares
    (``profiles``); the unlinked ones are placed together by :func:`nearest_families`."""
    found: list[Family | None] = [None] * len(codes)
    unplaced: list[int] = []
    for number, code in enumerate(codes):
        family = family_of(code, data) if code else None
        if family is not None:
            found[number] = family
        else:
            unplaced.append(number)
    nearest = nearest_families(criteria, [profiles[n] for n in unplaced], data)
    for number, family in zip(unplaced, nearest, strict=True):
        found[number] = family
    return found
