"""Helpers for the import and export tests: write real .csv/.xlsx files, and compare stores by content."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from analytics.store import Store


def csv_bytes(
    rows: Sequence[Sequence[Any]], *, delimiter: str = ",", encoding: str = "utf-8", newline: str = "\r\n"
) -> bytes:
    """Rows written as a spreadsheet program saves a CSV."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator=newline).writerows(
        [["" if v is None else v for v in row] for row in rows]
    )
    return buffer.getvalue().encode(encoding)


def write_csv(path: Path, rows: Sequence[Sequence[Any]], **options: Any) -> Path:
    path.write_bytes(csv_bytes(rows, **options))
    return path


def xlsx_bytes(
    sheets: dict[str, Sequence[Sequence[Any]]], *, formulas: dict[tuple[str, int, int], tuple[str, Any]] | None = None
) -> bytes:
    """A workbook with typed cells (numbers, dates, text); ``formulas`` puts a formula with its cached value."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, str):
                    sheet.write_string(r, c, value)
                elif isinstance(value, bool):
                    sheet.write_boolean(r, c, value)
                elif isinstance(value, datetime | date):
                    sheet.write_datetime(
                        r,
                        c,
                        value if isinstance(value, datetime) else datetime(value.year, value.month, value.day),
                        day,
                    )
                else:
                    sheet.write_number(r, c, value)
        for (sheet_name, r, c), (formula, value) in (formulas or {}).items():
            if sheet_name == name:
                sheet.write_formula(r, c, formula, None, value)
    book.close()
    return buffer.getvalue()


def snapshot(store: Store, *, with_imports: bool = False) -> dict[str, Any]:
    """Everything a user can see, keyed by names (ids differ between stores), in a stable order."""
    criteria = store.criteria()
    names = {c.id: c.name for c in criteria}
    careers = store.careers()
    contacts = {c.id: c.name for c in store.contacts()}
    interviews = []
    for i in store.interviews():
        interviews.append(
            (
                i.career,
                i.interviewee,
                i.held_on,
                i.stage,
                i.notes,
                contacts.get(i.contact_id),
                i.goals,
                i.questions,
                i.identified_on,
                i.requested_on,
                i.scheduled_for,
                i.completed_on,
                i.thanked_on,
                i.declined_on,
                i.researched_org,
                i.researched_person,
                i.questions_prepared,
                i.homework_notes,
            )
        )
    ratings = []
    for career in careers:
        for _, person, held_on, criterion_id, value in store.career_ratings(career.id):
            ratings.append((career.name, person, held_on, names[criterion_id], "interview", round(value, 6)))
        for criterion_id, value in store.expectations(career.id).items():
            ratings.append((career.name, "", None, names[criterion_id], "expectation", round(value, 6)))
    result = {
        "criteria": [(c.name, c.dimension, c.weight, c.description) for c in criteria],
        "careers": sorted((c.name, c.notes) for c in careers),
        "contacts": sorted(
            (c.name, c.role, c.organisation, c.how_found, c.introduced_by, c.email, c.notes) for c in store.contacts()
        ),
        "interviews": sorted(interviews, key=repr),
        "ratings": sorted(ratings, key=repr),
        "dimension_weights": store.dimension_weights(),
    }
    if with_imports:
        result["imports"] = len(store.imports())
    return result


def data_snapshot(store: Store) -> dict[str, Any]:
    """The data an import may change (everything but the import log)."""
    return snapshot(store)
