"""One recognised table of a file on its way in: its kind, what its columns mean, its rows and problems."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .headers import HeaderMap
from .tables import Problem, Table


@dataclass
class Plan:
    """One recognised table of the file and what the import made of it."""

    table: Table
    kind: str
    header: HeaderMap
    slot: int
    sheet: str | None
    named: bool = False
    rows: list[dict[str, Any]] = field(default_factory=list)
    rows_read: int = 0
    problems: list[Problem] = field(default_factory=list)
    reading: list[Problem] = field(default_factory=list)
    fields: dict[str, int] = field(default_factory=dict)
    scale: str = "1-5"
    order: str = "dmy"
    grouped: bool = False
    problem_count: int = 0
    bad_rows: int = 0
    rating_values: list[str] = field(default_factory=list)  # distinct rating cells, for a scale to propose
    records: list[Any] | None = None  # contacts or interviews as the store takes them, when worked out early
    droppable: bool = True  # staged rows may have to be left out when writing (some have a problem, or are blank)
