"""What to do next: the few steps that would move the user's ranking most, read from the profile and the scores.

The Overview lists them; they are rules about the method (a criterion without a dimension counts nowhere, a
top career on fewer than three interviews is still uncertain, a career nobody was asked about has no fit),
so they live here rather than on a page. Each step is plain text: a short title and a detail naming the
careers or criteria concerned.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .beliefs import CareerScore
from .beliefs.ranking import Standing
from .models import Criterion
from .numbers import shown

FEW_INTERVIEWS = 3  # a top career resting on fewer interviews than this gets a "talk to one more" step
NAMED = 3  # careers or criteria named in one step, the rest as "…"


@dataclass(frozen=True)
class NextStep:
    """One thing to do: ``kind`` (dimension, confirm, interview), a title and a detail, both plain text."""

    kind: str
    title: str
    detail: str


def _names(names: Sequence[str], limit: int = NAMED) -> str:
    return ", ".join(names[:limit]) + ("…" if len(names) > limit else "")


def next_steps(criteria: Iterable[Criterion], ranking: Standing | Sequence[CareerScore]) -> list[NextStep]:
    """The steps for this profile and ranking (its :class:`Standing`, or the scores best first), most basic
    first."""
    standing = ranking if isinstance(ranking, Standing) else Standing.of(ranking, 0)
    steps: list[NextStep] = []
    unassigned = [c.name for c in criteria if c.dimension is None]
    if unassigned:
        steps.append(
            NextStep(
                "dimension",
                f"Give {len(unassigned)} criteri{'on' if len(unassigned) == 1 else 'a'} a dimension on My profile",
                f"{_names(unassigned, 4)}: until then {'it counts' if len(unassigned) == 1 else 'they count'} in "
                "no score.",
            )
        )
    best = standing.best_interviewed
    if best is not None and best.interviews < FEW_INTERVIEWS:
        band = f" (now {shown(best.low)}–{shown(best.high)})" if best.low is not None and best.high is not None else ""
        steps.append(
            NextStep(
                "confirm",
                f"Your top career, {best.career}, rests on {best.interviews} "
                f"interview{'s' if best.interviews != 1 else ''}",
                f"One more conversation that agrees would narrow its band{band}.",
            )
        )
    waiting = standing.waiting
    if waiting:
        steps.append(
            NextStep(
                "interview",
                f"{len(waiting)} career{'s have' if len(waiting) != 1 else ' has'} no interview yet",
                f"{_names(waiting)}: find someone to talk to.",
            )
        )
    return steps
