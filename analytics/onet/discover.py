"""Discover: every occupation O*NET profiles, scored against the user's weighted profile, best first.

An occupation's fit is its O*NET fit (:func:`analytics.onet.view.onet_fit`'s rule: O*NET's values on the
linked criteria as 1-5 ratings, combined by the profile's effective weights). The scoring goes through
:func:`~analytics.beliefs.weights.effective_weights` and :func:`~analytics.beliefs.weights.combined_fit`
directly, computing the weights once per set of present criteria instead of once per occupation. Each
result says in two or three plain sentences why it scores as it does, names the careers on the user's
list that O*NET relates it to, and whether it is on the list already.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from ..beliefs.weights import combined_fit, effective_weights
from ..errors import InvalidInputError
from ..models import Career, Criterion
from ..numbers import kept
from .data import Element, Family, OnetData, packaged
from .rescale import share, to_rating
from .search import search


@dataclass(frozen=True)
class Discovery:
    code: str
    title: str
    fit: float  # 0-100
    job_zone: int | None
    family: str | None
    reasons: tuple[str, ...]
    related: tuple[str, ...]  # the user's careers O*NET relates this occupation to
    on_list: bool

    def as_json(self) -> dict[str, object]:
        return {
            "code": self.code, "title": self.title, "fit": kept(self.fit, 1), "job_zone": self.job_zone,
            "family": self.family, "reasons": list(self.reasons), "related": list(self.related),
            "on_list": self.on_list,
        }


@dataclass(frozen=True)
class _Linked:
    criterion: Criterion
    element: Element


def _linked(criteria: Sequence[Criterion], data: OnetData) -> list[_Linked]:
    return [
        _Linked(c, data.elements[c.onet_element])
        for c in criteria
        if c.onet_element in data.elements and c.dimension is not None and c.weight > 0
    ]


def find_family(name: str, data: OnetData | None = None) -> Family:
    """The family named ``name`` (its id, its full name, or a part of its name that only one family has)."""
    data = data or packaged()
    clean = name.strip().casefold()
    everyone = [profile.family for profile in data.families.values()]
    for family in everyone:
        if clean in (str(family.id), family.name.casefold()):
            return family
    partial = [family for family in everyone if clean and clean in family.name.casefold()]
    if len(partial) == 1:
        return partial[0]
    names = "; ".join(f.name for f in everyone)
    if partial:
        raise InvalidInputError(f"--family {name!r} names {len(partial)} families: say more ({names})")
    raise InvalidInputError(f"no family {name!r}: one of {names}")


def score_occupations(
    criteria: Sequence[Criterion], dimension_weights: Mapping[str, float], data: OnetData | None = None
) -> dict[str, float]:
    """Code -> O*NET fit (0-100) for every occupation in a career family (every one O*NET fully profiles)."""
    data = data or packaged()
    linked = _linked(criteria, data)
    values = data.values([(item.element.id, item.element.scale) for item in linked])
    scales = data.scales
    weights_for: dict[frozenset[int], dict[int, float]] = {}
    fits: dict[str, float] = {}
    for code, occupation in data.occupations.items():
        if occupation.family_id is None:
            continue
        found = values.get(code, {})
        shares = {
            item.criterion.id: share(to_rating(found[key][0], scales[item.element.scale]))
            for item in linked
            if (key := (item.element.id, item.element.scale)) in found
        }
        present = frozenset(shares)
        if present not in weights_for:
            weights_for[present] = effective_weights(criteria, dimension_weights, present=present)
        fit = combined_fit(shares, weights_for[present])
        if fit is not None:
            fits[code] = fit
    return fits


def discover(
    criteria: Sequence[Criterion],
    dimension_weights: Mapping[str, float],
    careers: Sequence[Career] = (),
    *,
    zone: int | None = None,
    family: str | None = None,
    text: str | None = None,
    limit: int | None = None,
    data: OnetData | None = None,
) -> list[Discovery]:
    """The occupations O*NET profiles, best fit first (then by title), filtered by job zone, family (a
    name as :func:`find_family` reads it) and text (a title search), at most ``limit``."""
    data = data or packaged()
    if zone is not None and not 1 <= zone <= 5:
        raise InvalidInputError(f"--zone {zone} is not a job zone: use 1 to 5")
    wanted_family = find_family(family, data).id if family else None
    fits = score_occupations(criteria, dimension_weights, data)
    codes: Iterable[str] = fits
    if text and text.strip():
        codes = [hit.code for hit in search(text, limit=400, data=data) if hit.code in fits]
    occupations = data.occupations
    chosen = [
        code for code in codes
        if (zone is None or occupations[code].job_zone == zone)
        and (wanted_family is None or occupations[code].family_id == wanted_family)
    ]
    chosen.sort(key=lambda code: (-round(fits[code], 9), occupations[code].title, code))
    if limit is not None:
        chosen = chosen[:limit]
    on_list = _careers_by_code(careers)
    linked = _linked(criteria, data)
    values = data.values([(item.element.id, item.element.scale) for item in linked])  # kept: no second read
    return [
        Discovery(
            code=code,
            title=occupations[code].title,
            fit=fits[code],
            job_zone=occupations[code].job_zone,
            family=data.families[occupations[code].family_id].family.name,  # type: ignore[index]
            reasons=reasons(values.get(code, {}), linked, criteria, dimension_weights, data),
            related=tuple(
                name for other in data.related.get(code, ()) for name in on_list.get(other, ())
            ),
            on_list=code in on_list,
        )
        for code in chosen
    ]


def _careers_by_code(careers: Sequence[Career]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for career in careers:
        if career.onet_code:
            found.setdefault(career.onet_code, []).append(career.name)
    return found


def _level(fraction: float) -> str:
    return "high" if fraction >= 0.6 else "moderate" if fraction >= 0.35 else "low"


def _sentence(item: _Linked, value: float, fraction: float, data: OnetData) -> str:
    scale = data.scales[item.element.scale]
    what = item.criterion.name
    if item.criterion.name.casefold() != item.element.name.casefold():
        what = f"{item.criterion.name} (O*NET: {item.element.name})"
    amount = f"{kept(value, 1):.1f} of {scale.maximum:g}"
    return f"{_level(fraction)} {what} ({amount}), which you weight {item.criterion.weight:g}"


def reasons(
    found: Mapping[tuple[str, str], tuple[float, float | None]],
    linked: Sequence[_Linked],
    criteria: Sequence[Criterion],
    dimension_weights: Mapping[str, float],
    data: OnetData,
) -> tuple[str, ...]:
    """Two or three sentences on one occupation (``found``: its O*NET values): the linked criteria that add
    most to its fit, and the weighty one it lacks most."""
    present = []
    for item in linked:
        value = found.get((item.element.id, item.element.scale))
        if value is not None:
            fraction = share(to_rating(value[0], data.scales[item.element.scale]))
            present.append((item, value[0], fraction))
    weights = effective_weights(criteria, dimension_weights, present={item.criterion.id for item, _v, _f in present})
    gains = sorted(present, key=lambda p: (-weights[p[0].criterion.id] * p[2], p[0].criterion.position))
    lacks = sorted(present, key=lambda p: (-weights[p[0].criterion.id] * (1 - p[2]), p[0].criterion.position))
    chosen = [p for p in gains if p[2] >= 0.35][:2]
    gap = next((p for p in lacks if p[2] < 0.35 and p not in chosen), None)
    if gap is not None:
        chosen.append(gap)
    for p in gains:
        if len(chosen) >= 2:
            break
        if p not in chosen:
            chosen.append(p)
    return tuple(_sentence(item, value, fraction, data) for item, value, fraction in chosen)


def related_to(codes: Sequence[str], exclude: Iterable[str] = (), data: OnetData | None = None) -> list[str]:
    """O*NET's related occupations of ``codes`` (most related first, round-robin over ``codes``), without
    ``codes`` themselves or ``exclude``."""
    data = data or packaged()
    skip = set(codes) | set(exclude)
    lists = [data.related.get(code, ()) for code in codes]
    result: list[str] = []
    for rank in range(max((len(x) for x in lists), default=0)):
        for others in lists:
            if rank < len(others) and others[rank] not in skip and others[rank] not in result:
                result.append(others[rank])
    return result
