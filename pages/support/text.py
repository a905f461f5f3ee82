"""User text made safe to show, and numbers and dates as every page writes them.

User text (names, notes, file names) goes into Markdown only through :func:`md`, which escapes every Markdown
character: a note such as "pay: $50k-$60k" would otherwise render as LaTeX, a name with ``*`` as italics,
``:material/delete:`` as an icon and ``<b>`` as an attempt at HTML. Plotly gets :func:`plotly_text`. Every
number a person reads is rounded by :func:`analytics.numbers.shown` (82.5 -> 83 on every page).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from analytics import numbers
from analytics.models import DIMENSIONS, Criterion
from analytics.numbers import shown

DIMENSION_LABELS = {"interest": "Interests", "skill": "Skills", "value": "Values"}
UNASSIGNED_LABEL = "Unassigned"
RATING_SCALE = "1 = the career does not offer it at all, 5 = it offers it fully"

# Every character Markdown (and Streamlit's extensions: $ for LaTeX, : for icons and emoji) gives a meaning.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$=:&])")


def md(text: object, *, one_line: bool = True) -> str:
    """User text made inert inside Markdown (labels, captions, messages, button labels): every Markdown
    character escaped, so ``:material/x:`` stays text, ``$`` is no formula and ``<b>`` is no tag."""
    raw = str(text if text is not None else "")
    if one_line:
        return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(raw.split()))
    paragraphs = [" ".join(p.split()) for p in raw.replace("\r\n", "\n").split("\n\n")]
    return "\n\n".join(_MARKDOWN_SPECIAL.sub(r"\\\1", p) for p in paragraphs if p)


def plotly_text(text: object) -> str:
    """User text made safe inside Plotly's tick labels, legends and hover text, which render a subset of HTML:
    ``<``, ``>``, ``&`` and ``%`` (a hover template's placeholders) as entities, which Plotly turns back into
    the characters (it knows no ``&quot;``, so quotes stay as they are: outside a tag they are harmless)."""
    return html.escape(str(text or ""), quote=False).replace("%", "&#37;")


def score_text(value: float | None) -> str:
    """A 0-100 score as a person reads it (half away from zero), a dash when there is none."""
    number = shown(value)
    return "—" if number is None else str(number)


def percent_text(share: float | None) -> str:
    """A 0-1 share as a whole percentage, rounded by the same rule as every score."""
    number = shown(None if share is None else share * 100)
    return "—" if number is None else f"{number}%"


def chance_text(chance: float | None) -> str:
    """The chance a career is the best (:func:`analytics.numbers.chance_text`), "—" when there is none."""
    return numbers.chance_text(chance, "—")


def band_text(score: Any) -> str:
    """The band of a score (anything with ``low`` and ``high``) as ``61–93``, a dash when there is none."""
    if score.low is None or score.high is None:
        return "—"
    return f"{shown(score.low)}–{shown(score.high)}"


def interview_label(held_on: date | None, interviewee: str) -> str:
    """``Ann Ode, 03 Dec 2026``: an interview by its person and day (plain text, for option lists)."""
    who = interviewee or "unnamed interviewee"
    return f"{who}, {held_on:%d %b %Y}" if held_on else f"{who}, no date"


def when_text(value: date | datetime | None) -> str:
    """A day (``3 Dec 2026``) or an appointment (``3 Dec 2026, 14:00``); "no date" when there is none."""
    if value is None:
        return "no date"
    if isinstance(value, datetime):
        return f"{value.day} {value:%b %Y, %H:%M}"
    return f"{value.day} {value:%b %Y}"


def plural(count: int, word: str, many: str | None = None) -> str:
    """``1 rating``, ``2 ratings`` (``many`` for irregular plurals)."""
    return f"{count:,} {word if count == 1 else (many or word + 's')}"


def by_dimension(criteria: Iterable[Criterion]) -> list[tuple[str, list[Criterion]]]:
    """Criteria grouped for display: interests, skills, values, then the unassigned ones."""
    groups: dict[str | None, list[Criterion]] = {d: [] for d in (*DIMENSIONS, None)}
    for criterion in criteria:
        groups.setdefault(criterion.dimension, []).append(criterion)
    return [
        (DIMENSION_LABELS.get(d, UNASSIGNED_LABEL) if d else UNASSIGNED_LABEL, members)
        for d, members in groups.items()
        if members
    ]


def first_line(error: BaseException | Any) -> str:
    """The first line of an error's message (never a traceback), or the error's type when it has none."""
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
