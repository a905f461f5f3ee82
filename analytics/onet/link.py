"""Links careers to O*NET occupations and criteria to O*NET elements, checked against the O*NET data.

The store keeps the links as plain ids; this module is the one place that checks an id names something in
O*NET before it is written, and that finds the element a criterion's name stands for.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..errors import InvalidInputError
from ..store import Store, name_key
from .data import OnetData, packaged
from .elements import element_id_for

_CODE_SHAPE = "an O*NET-SOC code such as 15-1255.00"


def checked_code(code: object, data: OnetData | None = None) -> str:
    """``code`` trimmed, if it is an O*NET occupation; else InvalidInputError in one line."""
    clean = str(code or "").strip()
    if not clean:
        raise InvalidInputError(f"no occupation code given: use {_CODE_SHAPE}")
    if clean not in (data or packaged()).occupations:
        raise InvalidInputError(f"{clean!r} is not an O*NET {packaged().version} occupation: use {_CODE_SHAPE}")
    return clean


def link_career(store: Store, career: str | int, code: str | None) -> int:
    """Link ``career`` (a name, added if missing, or an id) to occupation ``code``; None unlinks it."""
    return store.link_career(career, None if code is None else checked_code(code))


def link_criteria(store: Store, links: Mapping[int, str | None]) -> None:
    """Criterion id -> element id or name (None or blank: no link), checked, written in one transaction."""
    store.link_criteria({criterion_id: element_id_for(element) for criterion_id, element in links.items()})


def links_by_name(data: OnetData | None = None) -> dict[str, str]:
    """Criterion name key -> element id, for every element name (the rule by which import links criteria)."""
    data = data or packaged()
    found: dict[str, str] = {}
    for element in data.elements.values():  # in kind order: the first kind wins a shared name
        found.setdefault(name_key(element.name), element.id)
    return found
