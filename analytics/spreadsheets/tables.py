"""The shapes a spreadsheet travels in: a table of text cells, a located problem, and the bounds on files.

A spreadsheet reaches the importer as plain text cells, whatever it was stored as, so that one set of rules
validates ``.csv`` and ``.xlsx`` alike. A title or a note above the table is skipped when one of the first
rows reads as a header of a known kind.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InvalidInputError
from .cells import cell_text
from .headers import column_letter, detect_kind

MAX_CSV_BYTES = 200 * 1024 * 1024
MAX_XLSX_BYTES = 50 * 1024 * 1024
MAX_XLSX_UNPACKED = 1024 * 1024 * 1024
# Below this size Python parses a CSV itself (exact and quick); above, DuckDB reads the file directly.
FAST_PATH_BYTES = 1024 * 1024
SAMPLE_ROWS = 50
CSV_SUFFIXES = (".csv", ".tsv", ".txt")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
SCALES: dict[str, tuple[float, float]] = {"1-5": (1.0, 5.0), "1-10": (1.0, 10.0), "0-100": (0.0, 100.0)}



@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located the way the user sees the spreadsheet.

    ``str(problem)`` reads ``row 7, column rating: 9 is outside the 1–5 scale``; the row and column are left
    out when unknown, and a workbook's sheet is named first.
    """

    row: int | None
    column: str | None
    message: str
    sheet: str | None = None

    def __str__(self) -> str:
        where = []
        if self.sheet:
            where.append(f"sheet {self.sheet}")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.message}" if where else self.message


@dataclass
class Table:
    """One CSV file or worksheet: its header and its data rows as text cells (None = blank).

    ``rows`` holds every data row with its spreadsheet row number, except on the fast path, where
    ``csv_path`` names a UTF-8 file that DuckDB reads itself (row n of the file is record n) and ``rows``
    is only a sample for previews; :meth:`parse_all` switches such a table to the exact Python reader.
    """

    name: str | None
    header: list[str]
    header_row: int
    rows: list[tuple[int, list[str | None]]]
    problems: list[Problem] = field(default_factory=list)
    csv_path: str | None = None
    delimiter: str = ","
    from_csv: bool = False
    line_count: int | None = None  # records in the fast-path file when no cell is quoted (a cross-check)
    _data: bytes | None = None

    @property
    def width(self) -> int:
        return len(self.header)




def size_text(size: int) -> str:
    """A file size as people read it: 200 MB, 1.5 MB, 12 KB, 800 bytes."""
    if size >= 2**20:
        megabytes = size / 2**20
        return f"{megabytes:.0f} MB" if megabytes >= 10 or megabytes.is_integer() else f"{megabytes:.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} bytes"


def upload_limit(file_name: str) -> int:
    """The largest file of this kind (by its name) that Career Fit reads, in bytes."""
    return MAX_XLSX_BYTES if Path(file_name).suffix.lower() in XLSX_SUFFIXES else MAX_CSV_BYTES


def check_size(size: int, file_name: str, limit: int | None = None) -> None:
    """Refuse, with one line, a file larger than Career Fit reads (before reading any of it)."""
    limit = upload_limit(file_name) if limit is None else limit
    if size > limit:
        name = Path(file_name).name or "the file"
        raise InvalidInputError(
            f"{name}: the file is {size_text(size)}, larger than the {size_text(limit)} Career Fit reads: "
            "split it into smaller files and import them one by one"
        )



# A title or a note above the table is skipped when one of the first rows reads as a header.
HEADER_SEARCH_ROWS = 10


def table_from_records(records: list[list[object]], name: str | None, *, from_csv: bool) -> Table | None:
    """Header = the first of the first non-blank rows that reads as a table of a known kind, else the first
    non-blank row; data rows are numbered as the spreadsheet shows them (1-based)."""
    header: list[str] | None = None
    header_row = header_row_of(records, name)
    rows: list[tuple[int, list[str | None]]] = []
    problems: list[Problem] = []
    width = 0
    # Cells other than text repeat (ratings 1-5, a few dates): convert each distinct value once.
    convert = functools.lru_cache(maxsize=65536, typed=True)(cell_text)
    for number, record in enumerate(records, start=1):
        if header is None and number < header_row:
            continue
        cells = [(value or None) if value.__class__ is str else convert(value) for value in record]
        if header is None:
            if any(c is not None and c.strip() for c in cells):
                width = max(i for i, c in enumerate(cells) if c is not None and c.strip()) + 1
                header = [c or "" for c in cells[:width]]
                header_row = number
            continue
        if not any(cells) or not any(c.strip() for c in cells if c):
            continue
        if len(cells) > width:
            extra = [i for i in range(width, len(cells)) if cells[i] is not None and cells[i].strip()]
            if extra:
                problems.append(
                    Problem(
                        number,
                        None,
                        f"column {column_letter(extra[0])} has a value but no "
                        "header: give the column a header or clear it",
                    )
                )
            cells = cells[:width]
        elif len(cells) < width:
            cells = cells + [None] * (width - len(cells))
        rows.append((number, cells))
    if header is None:
        return None
    return Table(name=name, header=header, header_row=header_row, rows=rows, problems=problems, from_csv=from_csv)


def header_row_of(records: list[list[object]], name: str | None) -> int:
    seen = 0
    for number, record in enumerate(records[:200], start=1):
        cells = [cell_text(value) or "" for value in record]
        if not any(c.strip() for c in cells):
            continue
        if detect_kind(cells, name) is not None:
            return number
        seen += 1
        if seen >= HEADER_SEARCH_ROWS:
            break
    return 0

