"""The bundled demo: a student's profile, nine careers and a term of informational interviews.

It lets a newcomer see a ranked, explained list before entering anything of their own.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any

from .store import Store

DEMO_DATA: Traversable = files("analytics") / "data" / "demo"
"""The demo's CSV files, inside the package (a built wheel carries them), wherever it is installed."""
DEMO_DIMENSION_WEIGHTS = {"interest": 1.0, "skill": 1.0, "value": 1.0}
_DATE_FIELDS = ("identified_on", "requested_on", "completed_on", "thanked_on", "declined_on")


def _rows(name: str) -> list[dict[str, Any]]:
    text = DEMO_DATA.joinpath(f"{name}.csv").read_bytes().decode("utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))  # newline="": line ends inside quotes kept as written


def _interview_row(row: dict[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {k: v for k, v in row.items() if v != ""}
    for field in _DATE_FIELDS:
        if field in clean:
            clean[field] = datetime.fromisoformat(clean[field]).date()
    if "scheduled_for" in clean:
        clean["scheduled_for"] = datetime.fromisoformat(clean["scheduled_for"])
    return clean


def load_demo(store: Store) -> None:
    """Replace everything in ``store`` with the demo data, in one transaction."""
    store.load_records(
        criteria=_rows("criteria"),
        careers=_rows("careers"),
        contacts=_rows("contacts"),
        interviews=[_interview_row(r) for r in _rows("interviews")],
        ratings=[r for r in _rows("ratings") if r["rating"] != ""],
        settings={"dimension_weights": DEMO_DIMENSION_WEIGHTS, "demo_loaded": True},
        replace=True,
    )
