"""Discover: every occupation O*NET profiles, scored against the user's weighted profile, best first.

An occupation's fit is its O*NET fit (:func:`analytics.onet.view.onet_fit`'s rule: O*NET's values on the
linked criteria as 1-5 ratings, combined by the profile's effective weights). The scoring goes through
:func:`~analytics.beliefs.weights.effective_weights` and :func:`~analytics.beliefs.weights.combined_fit`
directly, computing the weights once per set of present criteria instead of once per occupation. Each
result says in two or three plain sentences why it scores as it does, names the careers on the user's
list that O*NET relates it to, and whether it is on the list already.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, partial

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
    related: tuple[str, ...]  # the user's careers O*NET relates this occupation to
    on_list: bool
    explain: Callable[[], tuple[str, ...]] = field(repr=False, compare=False, default=tuple)

    @cached_property
    def reasons(self) -> tuple[str, ...]:
        """Two or three plain sentences on why it fits as it does (worked out when first read: a page
        shows the reasons of the first few of ~900 occupations)."""
        return self.explain()

    def as_json(self) -> dict[str, object]:
        return {
            "code": self.code,
            "title": self.title,
            "fit": kept(self.fit, 1),
            "job_zone": self.job_zone,
            "family": self.family,
            "reasons": list(self.reasons),
            "related": list(self.related),
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


_SHARES: dict[tuple[int, tuple[tuple[str, str], ...]], dict[str, dict[tuple[str, str], float]]] = {}


def _shares(data: OnetData, pairs: Sequence[tuple[str, str]]) -> dict[str, dict[tuple[str, str], float]]:
    """Code -> (element, scale) -> share (0-1) of O*NET's value, for the fully profiled occupations. Kept per
    data and set of elements: it does not depend on the weights, so a rerun with new weights reuses it."""
    key = (id(data), tuple(sorted(set(pairs))))
    found = _SHARES.get(key)
    if found is None:
        scales = data.scales
        values = data.values(key[1])
        found = {
            code: {pair: share(to_rating(v[0], scales[pair[1]])) for pair, v in values.get(code, {}).items()}
            for code, occupation in data.occupations.items()
            if occupation.family_id is not None
        }
        if len(_SHARES) > 32:
            _SHARES.clear()
        _SHARES[key] = found
    return found


def score_occupations(
    criteria: Sequence[Criterion], dimension_weights: Mapping[str, float], data: OnetData | None = None
) -> dict[str, float]:
    """Code -> O*NET fit (0-100) for every occupation in a career family (every one O*NET fully profiles)."""
    data = data or packaged()
    linked = _linked(criteria, data)
    table = _shares(data, [(item.element.id, item.element.scale) for item in linked])
    keys = [(item.criterion.id, (item.element.id, item.element.scale)) for item in linked]
    weights_for: dict[frozenset[int], dict[int, float]] = {}
    fits: dict[str, float] = {}
    for code, found in table.items():
        shares = {criterion_id: found[key] for criterion_id, key in keys if key in found}
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
        code
        for code in codes
        if (zone is None or occupations[code].job_zone == zone)
        and (wanted_family is None or occupations[code].family_id == wanted_family)
    ]
    chosen.sort(key=lambda code: (-round(fits[code], 9), occupations[code].title, code))
    if limit is not None:
        chosen = chosen[:limit]
    on_list = _careers_by_code(careers)
    linked = _linked(criteria, data)
    pairs = [(item.element.id, item.element.scale) for item in linked]
    values, table = data.values(pairs), _shares(data, pairs)  # both kept: no second read
    memo = _Memo()
    return [
        Discovery(
            code=code,
            title=occupations[code].title,
            fit=fits[code],
            job_zone=occupations[code].job_zone,
            family=data.families[occupations[code].family_id].family.name,  # type: ignore[index]
            explain=partial(
                reasons, values.get(code, {}), table.get(code, {}), linked, criteria, dimension_weights, data, memo
            ),
            related=tuple(name for other in data.related.get(code, ()) for name in on_list.get(other, ())),
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
    amount = f"{kept(value, 1):.1f} of {scale.maximum:g}"
    if item.criterion.name.casefold() != item.element.name.casefold():
        amount = f"O*NET {item.element.name}: {amount}"
    return f"{_level(fraction)} {item.criterion.name} ({amount}), which you weight {item.criterion.weight:g}"


def reasons(
    found: Mapping[tuple[str, str], tuple[float, float | None]],
    shares: Mapping[tuple[str, str], float],
    linked: Sequence[_Linked],
    criteria: Sequence[Criterion],
    dimension_weights: Mapping[str, float],
    data: OnetData,
    memo: _Memo | None = None,
) -> tuple[str, ...]:
    """Two or three sentences on one occupation (``found``: its O*NET values, ``shares`` their 0-1 shares):
    the linked criteria that add most to its fit, and the weighty one it lacks most."""
    memo = memo or _Memo()
    present = [
        (item, found[pair][0], shares[pair])
        for item in linked
        if (pair := (item.element.id, item.element.scale)) in shares
    ]
    ids = frozenset(item.criterion.id for item, _v, _f in present)
    if ids not in memo.weights:
        memo.weights[ids] = effective_weights(criteria, dimension_weights, present=ids)
    weights = memo.weights[ids]
    scored = [(weights[item.criterion.id], item, value, fraction) for item, value, fraction in present]
    gains = sorted(scored, key=lambda p: (-p[0] * p[3], p[1].criterion.position))
    chosen = [p for p in gains if p[3] >= 0.35][:2]
    gap = max(
        (p for p in scored if p[3] < 0.35 and p not in chosen),
        key=lambda p: (p[0] * (1 - p[3]), -p[1].criterion.position),
        default=None,
    )
    if gap is not None:
        chosen.append(gap)
    for p in gains:
        if len(chosen) >= 2:
            break
        if p not in chosen:
            chosen.append(p)
    said = []
    for _weight, item, value, fraction in chosen:
        key = (item.criterion.id, value)
        if key not in memo.sentences:
            memo.sentences[key] = _sentence(item, value, fraction, data)
        said.append(memo.sentences[key])
    return tuple(said)


@dataclass
class _Memo:
    """What the reasons of one discover call share: effective weights per set of present criteria, and
    sentences per criterion and value (many occupations share a value such as 6.33)."""

    weights: dict[frozenset[int], dict[int, float]] = field(default_factory=dict)
    sentences: dict[tuple[int, float], str] = field(default_factory=dict)


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
