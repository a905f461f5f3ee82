"""Hostile spreadsheet files, built for real: far cells, error cells, unsaved formulas, broken quotes,
control characters, huge cells, encodings. Shared by the hostile-file tests and the fuzzing harness."""

from __future__ import annotations

import io
import zipfile
from typing import Any

HEADER = ["career", "criterion", "rating"]


def workbook(cells: dict[tuple[int, int], Any], *, sheet: str = "Sheet1") -> bytes:
    """An .xlsx with the given cells (0-based row, column): text, numbers, or (formula, cached value)."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    page = book.add_worksheet(sheet)
    for (row, column), value in cells.items():
        if isinstance(value, tuple):
            page.write_formula(row, column, value[0], None, value[1])
        elif isinstance(value, str):
            page.write_string(row, column, value)
        else:
            page.write(row, column, value)
    book.close()
    return buffer.getvalue()


def ratings_cells(rows: list[list[Any]]) -> dict[tuple[int, int], Any]:
    """A long ratings table (header first) as cells."""
    grid = [HEADER, *rows]
    return {(r, c): value for r, row in enumerate(grid) for c, value in enumerate(row) if value is not None}


def far_cell(column: int, row: int = 1_048_575) -> bytes:
    """A small good table and one stray cell far away (a 5 KB file whose grid would be enormous)."""
    return workbook({**ratings_cells([["Nurse", "Pay", 3]]), (row, column): "x"})


def error_cell(error: str = "#DIV/0!") -> bytes:
    """A rating cell holding a cached spreadsheet error."""
    return workbook({**ratings_cells([["Nurse", "Pay", 3], ["Nurse", "Social", 4]]), (1, 2): ("=1/0", error)})


def unsaved_formula() -> bytes:
    """A rating cell with a formula and no saved value (as files from programs that never calculate)."""
    data = workbook({**ratings_cells([["Nurse", "Pay", 3]]), (1, 2): ("=1+2", 3)})
    return rewrite_sheet(data, lambda xml: xml.replace(b"<f>1+2</f><v>3</v>", b"<f>1+2</f>"))


def rewrite_sheet(data: bytes, change: Any, member: str = "xl/worksheets/sheet1.xml") -> bytes:
    """The workbook with one member's XML changed by ``change``."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            target.writestr(info.filename, change(content) if info.filename == member else content)
    return buffer.getvalue()


def csv_text(lines: list[str], *, bom: bool = False) -> bytes:
    return (("\ufeff" if bom else "") + "\r\n".join(lines) + "\r\n").encode("utf-8")


def large_csv(rows: int, *, tail: str = "") -> bytes:
    """A long ratings CSV above the fast-path size, with ``tail`` lines appended at its end."""
    lines = ["career,interviewee,date,criterion,rating"]
    lines += [f"Career {n % 50},Person {n % 400},2025-01-{1 + n % 28:02d},C{n % 20},{1 + n % 5}" for n in range(rows)]
    return ("\n".join(lines) + "\n" + tail).encode("utf-8")
