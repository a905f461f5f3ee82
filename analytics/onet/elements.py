"""Finds the O*NET element a criterion stands for, from an element id or an element name.

Only elements that O*NET rates occupations on are linkable: the six RIASEC interest areas (Interests, OI),
the six work values (Work Values, EX), the skills (Skills, IM) and the knowledge areas (Knowledge, IM).
Names are matched ignoring case and surrounding spaces. A few names belong to two elements ("Mathematics"
is a skill and a knowledge area); the first kind in the order interest, value, skill, knowledge wins, and
the other stays reachable by its id or as "Mathematics (knowledge)".
"""

from __future__ import annotations

from functools import cache

from ..errors import InvalidInputError
from .data import Element, OnetData, packaged


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


@cache
def _by_name(data: OnetData) -> dict[str, Element]:
    names: dict[str, Element] = {}
    for element in data.elements.values():  # in kind order: interest, value, skill, knowledge
        names.setdefault(_key(element.name), element)
        names.setdefault(_key(f"{element.name} ({element.kind})"), element)
    return names


def find_element(text: str, data: OnetData | None = None) -> Element | None:
    """The linkable element whose id or name is ``text``; None when there is none."""
    data = data or packaged()
    clean = text.strip()
    if not clean:
        return None
    return data.elements.get(clean) or _by_name(data).get(_key(clean))


def element_id_for(text: object, data: OnetData | None = None) -> str | None:
    """The element id for an ``onet`` cell: blank -> None, an unknown id or name -> InvalidInputError."""
    if text is None or (isinstance(text, float) and text != text):
        return None
    clean = str(text).strip()
    if not clean:
        return None
    element = find_element(clean, data)
    if element is None:
        raise InvalidInputError(f"{clean!r} is not an O*NET interest, work value, skill or knowledge element")
    return element.id


def element_label(element_id: str | None, data: OnetData | None = None) -> str:
    """How a link reads to a person: "Investigative (interest)"; "" for no link or an unknown id."""
    if not element_id:
        return ""
    element = (data or packaged()).elements.get(element_id)
    return f"{element.name} ({element.kind})" if element else ""


def linkable_elements(data: OnetData | None = None) -> list[Element]:
    """Every element a criterion can link to, interests first, then values, skills and knowledge."""
    return list((data or packaged()).elements.values())
