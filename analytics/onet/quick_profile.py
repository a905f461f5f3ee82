"""A quick profile for a newcomer: sort 30 of O*NET's example activities and order the six work values.

This is a quick sort to set starting weights, not the validated O*NET Interest Profiler: five activities
per RIASEC area (O*NET's four "General" illustrative activities of the area, plus one "Basic" activity of a
basic interest that clearly belongs to it), each answered like / not sure / dislike, and the six work
values put in order. The answers become the weights of the criteria linked to the six interest areas and
the six work values; everything else in the profile is left as it is.

* An interest area's weight is ``likes + 0.5 x not sure`` of its five activities, rounded half up:
  five likes give 5, five dislikes 0, all "not sure" 3 (2.5 rounded up).
* The work values in order get 5, 4, 3, 2, 1 and 1: the last two both still count a little.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import InvalidInputError
from ..numbers import shown
from ..store import Store
from .clustering import RIASEC
from .data import OnetData, packaged

ANSWERS: tuple[str, ...] = ("like", "not sure", "dislike")
# The fifth activity of each area: one of the activities of a basic interest that belongs to the area.
FIFTH: dict[str, tuple[str, str]] = {
    "Realistic": ("Mechanics/Electronics", "Repair motors and generators."),
    "Investigative": ("Life Science", "Study the science of genes."),
    "Artistic": ("Visual Arts", "Create computer-generated graphics or animation."),
    "Social": ("Social Service", "Assist people with special needs."),
    "Enterprising": ("Sales", "Persuade customers to buy a new product."),
    "Conventional": ("Accounting", "Keep accounting records for a company."),
}
VALUE_WEIGHTS: tuple[float, ...] = (5.0, 4.0, 3.0, 2.0, 1.0, 1.0)


@dataclass(frozen=True)
class QuickActivity:
    area: str  # the RIASEC area it speaks for
    text: str


def quick_activities(data: OnetData | None = None) -> list[QuickActivity]:
    """The activities to sort, the areas interleaved (R, I, A, S, E, C, R, I, ...) so no block of five
    gives its area away."""
    data = data or packaged()
    per_area: dict[str, list[str]] = {area: [] for area in RIASEC}
    for activity in data.activities:
        if activity.kind == "General" and activity.element_name in per_area:
            per_area[activity.element_name].append(activity.text)
    for area, (basic, preferred) in FIFTH.items():
        basics = sorted(a.text for a in data.activities if a.element_name == basic)
        if basics:
            per_area[area].append(preferred if preferred in basics else basics[0])
    rounds = max((len(texts) for texts in per_area.values()), default=0)
    return [
        QuickActivity(area, per_area[area][index])
        for index in range(rounds)
        for area in RIASEC
        if index < len(per_area[area])
    ]


def work_values(data: OnetData | None = None) -> list[str]:
    """The six O*NET work values, in O*NET's order."""
    return [e.name for e in (data or packaged()).elements.values() if e.kind == "value"]


def quick_weights(
    answers: Mapping[str, str], value_order: Sequence[str], data: OnetData | None = None
) -> dict[str, float]:
    """Element id -> weight (0-5) from the answers (activity text -> like / not sure / dislike; an activity
    not answered counts as not sure) and the work values in order of importance (the ones left out follow
    in O*NET's order)."""
    data = data or packaged()
    wrong = sorted({answer for answer in answers.values() if answer not in ANSWERS})
    if wrong:
        raise InvalidInputError(f"{wrong[0]!r} is not an answer: use like, not sure or dislike")
    values = work_values(data)
    unknown = [name for name in value_order if name not in values]
    if unknown:
        raise InvalidInputError(f"{unknown[0]!r} is not one of the six work values ({', '.join(values)})")
    by_name = {e.name: e.id for e in data.elements.values() if e.kind in ("interest", "value")}
    points: dict[str, float] = {area: 0.0 for area in RIASEC}
    for activity in quick_activities(data):
        answer = answers.get(activity.text, "not sure")
        points[activity.area] += 1.0 if answer == "like" else 0.5 if answer == "not sure" else 0.0
    weights = {by_name[area]: float(shown(points[area]) or 0) for area in RIASEC}
    ordered = list(dict.fromkeys([*value_order, *values]))
    weights.update({by_name[name]: VALUE_WEIGHTS[rank] for rank, name in enumerate(ordered)})
    return weights


def apply_quick_profile(store: Store, weights: Mapping[str, float]) -> list[str]:
    """Set the weights of the criteria linked to the elements in ``weights`` (one transaction); returns the
    names of the criteria changed. Criteria linked elsewhere, or not at all, keep their weights."""
    criteria = store.criteria()
    rows: list[Mapping[str, Any]] = []
    changed = []
    for criterion in criteria:
        weight = criterion.weight
        if criterion.onet_element is not None and criterion.onet_element in weights:
            weight = weights[criterion.onet_element]
            changed.append(criterion.name)
        rows.append(
            {
                "id": criterion.id,
                "name": criterion.name,
                "dimension": criterion.dimension,
                "weight": weight,
                "description": criterion.description,
            }
        )
    if not changed:
        raise InvalidInputError("no criterion of your profile is linked to an O*NET interest area or work value")
    store.save_criteria(rows)
    return changed
