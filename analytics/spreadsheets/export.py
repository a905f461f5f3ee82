"""Everything out again: the full workbook, a long ratings CSV, and a template to fill in.

The workbook has one sheet per table (criteria, careers, contacts, interviews, ratings, plus dimensions
for the dimension weights) with exactly the columns the importer reads, so exporting and importing into
an empty store gives back the same data. Every text is written as a text cell (never through a call
that guesses formulas), so ``=1+1`` or ``@SUM(A1)`` stays inert text in Excel and LibreOffice and comes
back exactly; the CSV export marks such text with a leading ``'`` that the importer removes again.
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
import zipfile
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from ..errors import CareerFitError, InvalidInputError
from ..store import Store, export_records
from .cells import csv_safe_text

EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_TEXT = 32_767
TEMPLATE_ROWS = 1_000

SHEETS: dict[str, tuple[str, ...]] = {
    "criteria": ("criterion", "dimension", "weight", "description", "onet"),
    "careers": ("career", "notes", "onet_code"),
    "contacts": ("name", "role", "organisation", "how_found", "introduced_by", "email", "notes"),
    "interviews": (
        "career",
        "interviewee",
        "date",
        "stage",
        "goals",
        "questions",
        "notes",
        "identified_on",
        "requested_on",
        "scheduled_for",
        "completed_on",
        "thanked_on",
        "declined_on",
        "researched_org",
        "researched_person",
        "questions_prepared",
        "homework_notes",
    ),
    "ratings": ("career", "interviewee", "date", "criterion", "rating", "source"),
    "dimensions": ("dimension", "weight"),
}
RATINGS_CSV_COLUMNS = ("career", "interviewee", "date", "criterion", "dimension", "rating", "source")
_WIDTHS = {
    "criterion": 24,
    "career": 26,
    "name": 22,
    "interviewee": 22,
    "description": 60,
    "notes": 50,
    "goals": 40,
    "questions": 40,
    "homework_notes": 40,
    "email": 28,
    "organisation": 26,
    "role": 24,
}


def export_file(store: Store, path: str | os.PathLike[str], *, template: bool = False) -> Path:
    """Write the workbook (``.xlsx``), the ratings CSV (``.csv``) or, with ``template``, the template."""
    target = Path(path).expanduser()
    suffix = target.suffix.lower()
    if template:
        if suffix != ".xlsx":
            raise InvalidInputError(f"{target.name}: the template is an .xlsx workbook: name it .xlsx")
        return _write(target, template_bytes(store))
    if suffix == ".xlsx":
        return export_workbook(store, target)
    if suffix == ".csv":
        return _write(target, ratings_csv_bytes(store))
    raise InvalidInputError(f"{target.name}: export to a .xlsx workbook or a .csv of ratings")


def export_workbook(store: Store, path: str | os.PathLike[str]) -> Path:
    """Write the full workbook to ``path`` (replaced whole, never left half-written)."""
    return _write(Path(path).expanduser(), workbook_bytes(store))


def workbook_bytes(store: Store) -> bytes:
    """The full workbook: criteria, careers, contacts, interviews, ratings (with expectations), dimensions."""
    records = export_records(store)
    rows: dict[str, Sequence[Sequence[Any]]] = {
        "criteria": records["criteria"],
        "careers": records["careers"],
        "contacts": records["contacts"],
        "interviews": records["interviews"],
        "ratings": [
            (career, person, held_on, criterion, value, source)
            for career, person, held_on, criterion, _dimension, value, source in records["ratings"]
        ],
        "dimensions": records["dimensions"],
    }
    derived = _derived_sheets(store, records)
    for name, table in rows.items():
        if len(table) >= EXCEL_MAX_ROWS:
            raise CareerFitError(
                f"there are {len(table):,} {name}, more than one Excel sheet holds: export the ratings as .csv"
            )
    return _xlsx({**{name: (SHEETS[name], table) for name, table in rows.items()}, **derived})


# Sheets the export adds for people to read, which the importer skips (see ``headers.DERIVED_SHEETS``).
RANKING_COLUMNS = (
    "rank",
    "career",
    "fit",
    "low",
    "high",
    "p_best",
    "evidence_fit",
    "prior_fit",
    "expected_fit",
    "interviews",
    "coverage",
    "interest",
    "skill",
    "value",
    "onet_code",
    "onet_title",
    "onet_fit",
)


def _derived_sheets(
    store: Store, records: dict[str, list[tuple[Any, ...]]]
) -> dict[str, tuple[Sequence[str], Sequence[Sequence[Any]]]]:
    """The ranking as Career fit shows it (the numbers of ``career-fit rank --json``), and an "about" sheet that
    says what the file is and carries the O*NET attribution whenever the file holds O*NET data."""
    from ..beliefs import rank

    ranking = []
    for position, score in enumerate(rank(store), start=1):
        shaped = score.as_json()
        dimensions = shaped["dimensions"]
        assert isinstance(dimensions, dict)
        ranking.append(
            (
                position if score.fit is not None else None,
                score.career,
                shaped["fit"],
                shaped["low"],
                shaped["high"],
                shaped["p_best"],
                shaped["evidence_fit"],
                shaped["prior_fit"],
                shaped["expected_fit"],
                score.interviews,
                shaped["coverage"],
                dimensions["interest"],
                dimensions["skill"],
                dimensions["value"],
                score.onet_code,
                score.onet_title,
                shaped["onet_fit"],
            )
        )
    about = [
        ("Career Fit workbook: import it on the Data page or with career-fit import FILE.xlsx to carry on.",),
        ("The 'ranking' sheet shows the fits when the file was written; it is worked out again on import, not read.",),
    ]
    holds_onet = any(row[-1] for row in records["criteria"]) or any(row[-1] for row in records["careers"])
    if holds_onet:
        from ..onet import ATTRIBUTION

        about.append((ATTRIBUTION,))
    return {"ranking": (RANKING_COLUMNS, ranking), "about": (("about this file",), about)}


def ratings_csv_bytes(store: Store) -> bytes:
    """Every rating, long, with dimension and source: UTF-8 with a BOM so Excel shows accents right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(RATINGS_CSV_COLUMNS)
    for career, person, held_on, criterion, dimension, value, source in export_records(store)["ratings"]:
        writer.writerow(
            [
                csv_safe_text(career),
                csv_safe_text(person),
                held_on.isoformat() if held_on else "",
                csv_safe_text(criterion),
                dimension or "",
                _number(value),
                source,
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def template_bytes(store: Store) -> bytes:
    """A workbook to fill in: instructions, then one row per interview and one 1-5 column per criterion."""
    import xlsxwriter

    criteria = store.criteria()
    fields = ("career", "interviewee", "date", "organisation", "role", "source", "notes")
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = book.add_format({"bold": True})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    notes = book.add_worksheet("Instructions")
    notes.set_column(0, 0, 100, wrap)
    lines = [
        "How to use this template",
        "Fill in the sheet 'Interview ratings': one row per informational interview, then import the file "
        "on the Data page or with: career-fit import FILE.xlsx",
        "career: the career you asked about. interviewee: who you talked to. date: the day of the interview "
        "(YYYY-MM-DD). organisation and role: where they work and as what (optional).",
        "Rate each criterion from 1 (the career does not offer it at all) to 5 (it offers it fully). Leave a "
        "cell blank when the interview told you nothing about it: a blank is no rating.",
        "source: leave blank (or 'interview') for what you heard; write 'expectation' for your own rating "
        "before any interview.",
        "You may add columns for new criteria: they are created when you import, and the import says which "
        "still need a dimension (interest, skill or value).",
        "",
        "Your criteria",
    ]
    row = 0
    for row, line in enumerate(lines):
        notes.write_string(row, 0, line, bold if row in (0, len(lines) - 1) else wrap)
    for criterion in criteria:
        row += 1
        label = f"{criterion.name} ({criterion.dimension or 'no dimension yet'}, weight {criterion.weight:g})"
        if criterion.description:
            label += f": {criterion.description}"
        notes.write_string(row, 0, _checked(label))
    sheet = book.add_worksheet("Interview ratings")
    headers = [*fields, *(c.name for c in criteria)]
    for column, header in enumerate(headers):
        sheet.write_string(0, column, _checked(header), bold)
        sheet.set_column(column, column, max(12, min(30, len(header) + 2)))
    sheet.set_column(2, 2, 12, day)
    sheet.freeze_panes(1, 1)
    last = TEMPLATE_ROWS
    sheet.data_validation(
        1,
        2,
        last,
        2,
        {
            "validate": "date",
            "criteria": "between",
            "minimum": date(1900, 1, 1),
            "maximum": date(2199, 12, 31),
            "input_title": "Date",
            "input_message": "The day of the interview, e.g. 2025-03-14",
        },
    )
    sheet.data_validation(1, 5, last, 5, {"validate": "list", "source": ["interview", "expectation"]})
    if criteria:
        sheet.data_validation(
            1,
            len(fields),
            last,
            len(headers) - 1,
            {
                "validate": "decimal",
                "criteria": "between",
                "minimum": 1,
                "maximum": 5,
                "input_title": "Rating 1-5",
                "input_message": "1 = does not offer it at all, 5 = offers it fully",
                "error_title": "Rating 1-5",
                "error_message": "Rate from 1 to 5, or leave the cell blank.",
            },
        )
    book.close()
    return buffer.getvalue()


# -- writing cells ---------------------------------------------------------------------------------------


def _xlsx(sheets: dict[str, tuple[Sequence[str], Sequence[Sequence[Any]]]]) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    big = sum(len(rows) for _, rows in sheets.values()) > 200_000
    book = xlsxwriter.Workbook(buffer, {"in_memory": not big, "constant_memory": big})
    bold = book.add_format({"bold": True})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    moment = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    for name, (headers, rows) in sheets.items():
        sheet = book.add_worksheet(name)
        for column, header in enumerate(headers):
            sheet.write_string(0, column, header, bold)
            sheet.set_column(column, column, _WIDTHS.get(header, 14))
        sheet.freeze_panes(1, 0)
        for number, record in enumerate(rows, start=1):
            for column, value in enumerate(record):
                _cell(sheet, number, column, value, day, moment)
    book.close()
    texts = {value for _, rows in sheets.values() for record in rows for value in record if isinstance(value, str)}
    return _escape_overlaps(buffer.getvalue(), texts)


# Text in .xlsx escapes characters as _xHHHH_, and a literal "_x0041_" is written "_x005F_x0041_" (the
# underscore escaped). xlsxwriter escapes such patterns only where they do not overlap, so "_x005F_x0041_"
# would come back as "_x005FA": texts with overlapping patterns are rewritten in the file as the standard says.
_ESCAPABLE = re.compile(r"_x[0-9A-Fa-f]{4}_")
_OVERLAP = re.compile(r"_x[0-9A-Fa-f]{4}(?=_x[0-9A-Fa-f]{4}_)")


def _escape_overlaps(data: bytes, texts: set[str]) -> bytes:
    wrong_to_right: dict[bytes, bytes] = {}
    for value in texts:
        if "_x" in value and _OVERLAP.search(value):
            wrong = _ESCAPABLE.sub(lambda match: "_x005F" + match.group(0), value)
            right = re.sub(r"_(?=x[0-9A-Fa-f]{4}_)", "_x005F_", value)
            wrong_to_right[f">{xml_escape(wrong)}<".encode()] = f">{xml_escape(right)}<".encode()
    if not wrong_to_right:
        return data
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            member = source.read(info.filename)
            if info.filename.endswith(".xml"):
                for bad, good in wrong_to_right.items():
                    member = member.replace(bad, good)
            target.writestr(info, member)
    return buffer.getvalue()


def _cell(sheet: Any, row: int, column: int, value: Any, day: Any, moment: Any) -> None:
    """One typed cell; text always as a text cell, so nothing the user typed can run as a formula."""
    if value is None or value == "":
        return
    if isinstance(value, str):
        sheet.write_string(row, column, _checked(value))
    elif isinstance(value, bool):
        sheet.write_boolean(row, column, value)
    elif isinstance(value, int | float):
        sheet.write_number(row, column, float(value))
    elif isinstance(value, datetime):
        sheet.write_datetime(row, column, value, moment)
    elif isinstance(value, date):
        sheet.write_datetime(row, column, datetime(value.year, value.month, value.day), day)
    else:
        sheet.write_string(row, column, _checked(str(value)))


def _checked(value: str) -> str:
    if len(value) > EXCEL_MAX_TEXT:
        raise CareerFitError(
            f"a text of {len(value):,} characters ({value[:40]!r}...) is longer than an Excel cell holds "
            f"({EXCEL_MAX_TEXT:,}): shorten it or export the ratings as .csv"
        )
    return value


def _number(value: float) -> str:
    return f"{value:.6f}".rstrip("0").rstrip(".")


def _write(target: Path, data: bytes) -> Path:
    """Replace ``target`` whole: write a temporary file next to it, then rename it into place."""
    temporary: str | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, target)
    except OSError as error:
        if temporary:
            Path(temporary).unlink(missing_ok=True)
        raise CareerFitError(f"cannot write {target}: {error.strerror or error}") from None
    return target
