"""The shapes a spreadsheet travels in: a table of text cells, a located problem, and the bounds on files.

A spreadsheet reaches the importer as plain text cells, whatever it was stored as, so that one set of rules
validates ``.csv`` and ``.xlsx`` alike. A title or a note above the table is skipped when one of the first
rows reads as a header of a known kind.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InvalidInputError
from .cells import cell_text
from .headers import column_letter, detect_kind

# Bounds on what one file may hold, checked before (or while) it is read, so that a wrong or hostile file
# fails fast with one line instead of exhausting memory. Sizes are decimal megabytes, as a browser counts them
# (the Data page's upload cap is the same 50 MB).
MB = 1000 * 1000
MAX_CSV_BYTES = 200 * MB
MAX_XLSX_BYTES = 50 * MB
MAX_XLSX_UNPACKED = 1000 * MB
# An .xlsx cell holds at most 32,767 characters: one limit for every text imported and exported, so that
# whatever is imported can always be exported again.
MAX_CELL_CHARS = 32_767
MAX_COLUMNS = 16_384  # as many as an .xlsx sheet holds (A to XFD)
MAX_ROWS = 5_000_000
# A worksheet's used range (from A1 to its farthest cell) is read as a grid: at most this many cells.
MAX_SHEET_CELLS = 20_000_000
# Below this size Python's csv module reads a CSV and hands the rows over; above, Python still reads every
# record (the one reading that decides the table) but DuckDB loads the file, checked against that reading.
FAST_PATH_BYTES = 1000 * 1000
SAMPLE_ROWS = 50
CSV_SUFFIXES = (".csv", ".tsv", ".txt")
XLSX_SUFFIXES = (".xlsx", ".xlsm")


@dataclass(frozen=True)
class Limits:
    """The bounds above, as one value handed to the child process that reads a file."""

    csv_bytes: int
    xlsx_bytes: int
    xlsx_unpacked: int
    cell_chars: int
    columns: int
    rows: int
    sheet_cells: int
    fast_path_bytes: int

    @classmethod
    def current(cls) -> Limits:
        """The bounds as this module holds them now (tests may lower them)."""
        return cls(
            MAX_CSV_BYTES,
            MAX_XLSX_BYTES,
            MAX_XLSX_UNPACKED,
            MAX_CELL_CHARS,
            MAX_COLUMNS,
            MAX_ROWS,
            MAX_SHEET_CELLS,
            FAST_PATH_BYTES,
        )


class CellError(str):
    """A cell whose value cannot be used: a spreadsheet error (#DIV/0!) or a formula without a saved value.

    The readers put one in place of the cell; :func:`table_from_records` turns it into a problem at the
    cell's row and column, so that it is never read as a blank.
    """


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
    ``csv_path`` names a UTF-8 file that DuckDB loads itself (row n of the file is record n) and ``rows``
    is only a sample for previews. ``records`` and ``field_chars`` are what Python's reading of that file
    found (records, characters in all fields), against which DuckDB's load is checked.
    """

    name: str | None
    header: list[str]
    header_row: int
    rows: list[tuple[int, list[str | None]]]
    problems: list[Problem] = field(default_factory=list)
    csv_path: str | None = None
    delimiter: str = ","
    from_csv: bool = False
    records: int | None = None
    field_chars: int | None = None

    @property
    def width(self) -> int:
        return len(self.header)


def size_text(size: int) -> str:
    """A file size as people read it, in decimal units as browsers count them: 200 MB, 1.5 MB, 12 KB, 800 bytes."""
    if size >= MB:
        megabytes = size / MB
        return f"{megabytes:.0f} MB" if megabytes >= 10 or megabytes.is_integer() else f"{megabytes:.1f} MB"
    if size >= 1000:
        return f"{size / 1000:.0f} KB"
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


def table_from_records(
    records: Sequence[Sequence[object]], name: str | None, *, from_csv: bool, cell_chars: int = MAX_CELL_CHARS
) -> Table | None:
    """Header = the first of the first non-blank rows that reads as a table of a known kind, else the first
    non-blank row; data rows are numbered as the spreadsheet shows them (1-based).

    Nothing is dropped unsaid: a value in a column without a header, a spreadsheet error, a formula without
    a saved value, a control character and a text longer than ``cell_chars`` are problems at their cell.
    """
    header: list[str] | None = None
    header_row = header_row_of(records, name)
    rows: list[tuple[int, list[str | None]]] = []
    problems: list[Problem] = []
    width = 0
    blank_headers: list[int] = []
    # Cells other than text repeat (ratings 1-5, a few dates): convert each distinct value once. Equal texts
    # become one object (a career or a date down a column), which is quicker to send and keep; an empty text
    # is a blank (None).
    convert = functools.lru_cache(maxsize=65536, typed=True)(cell_text)
    shared: dict[str | None, str | None] = {"": None}
    same = shared.setdefault
    errors_possible = any(CellError in map(type, record) for record in records)
    seen = 0  # (the records up to the header)
    for number, record in enumerate(records, start=1):
        if number < header_row:
            continue
        cells = [_converted(value, convert, same) for value in record]
        if any(c is not None and c.strip() for c in cells):
            width = max(i for i, c in enumerate(cells) if c is not None and c.strip()) + 1
            header = [c or "" for c in cells[:width]]
            header_row = seen = number
            blank_headers = [i for i, label in enumerate(header) if not label.strip()]
            problems += _cell_problems(header_row, cells[:width], header, cell_chars, from_csv)
            break
    if header is None:
        return None
    data = records[seen:]
    by_column = None
    if not blank_headers and not errors_possible:
        by_column = _rows_by_column(data, seen + 1, width, convert, same, cell_chars=cell_chars, from_csv=from_csv)
    if by_column is not None:
        rows = by_column
        data = ()
    for number, record in enumerate(data, start=seen + 1):
        cells = [_converted(value, convert, same) for value in record]
        joined = "\t".join(filter(None, cells))
        if not joined.strip():  # (a cell of white space only is blank too)
            continue
        if blank_headers or len(cells) > width:
            unheaded = [i for i in blank_headers if i < len(cells) and (cells[i] or "").strip()]
            unheaded += [i for i in range(width, len(cells)) if (cells[i] or "").strip()]
            if unheaded:
                problems.append(
                    Problem(
                        number,
                        None,
                        f"column {column_letter(unheaded[0])} has a value but no header: give the column a header "
                        "or clear it",
                    )
                )
        if len(cells) > width:
            cells = cells[:width]
        elif len(cells) < width:
            cells = cells + [None] * (width - len(cells))
        # One look at the whole row's text: only a row that may hold a bad cell is checked cell by cell.
        if (
            len(joined) > cell_chars
            or (errors_possible and CellError in map(type, cells))
            or (not from_csv and _CONTROL.search(joined) is not None)
        ):
            problems += _cell_problems(number, cells, header, cell_chars, from_csv)
        rows.append((number, cells))
    return Table(name=name, header=header, header_row=header_row, rows=rows, problems=problems, from_csv=from_csv)


def _converted(value: object, convert: Callable[[object], str | None], same: Callable[[str, str], str | None]) -> Any:
    """One cell as the table keeps it: a text (one object per distinct text), a cell error as it is, None for
    a blank, anything else as :func:`cell_text` writes it."""
    if value.__class__ is str:
        return same(value, value)
    if value.__class__ is CellError:
        return value
    return convert(value)


def _rows_by_column(
    data: Sequence[Sequence[object]],
    first: int,
    width: int,
    convert: Callable[[object], str | None],
    same: Callable[[str, str], str | None],
    *,
    cell_chars: int,
    from_csv: bool,
) -> list[tuple[int, list[str | None]]] | None:
    """The data rows (the first numbered ``first``) built a column at a time, which is several times quicker
    than a cell at a time, when nothing in them needs a look row by row: every row as wide as the others, no
    value beyond the header, no row left blank (some column is filled in every row), no text too long and no
    control character. None when any of that fails: the rows are then read one by one, which finds and
    words each problem. (A sheet saved by Career Fit, and most tables people keep, pass.)"""
    if not data:
        return []
    lengths = set(map(len, data))
    if len(lengths) != 1 or next(iter(lengths)) < width:
        return None
    raw = list(zip(*data, strict=True))
    for extra in raw[width:]:  # (a used range wider than the header: fine if nothing is there)
        if any(value is not None and (value.__class__ is not str or value.strip()) for value in extra):
            return None
    columns: list[list[str | None]] = []
    filled = False
    for column in raw[:width]:
        if set(map(type, column)) <= _TEXT_OR_BLANK:
            cells = list(map(same, column, column))  # (an empty text is None: see ``shared`` above)
        else:
            cells = [same(value, value) if value.__class__ is str else convert(value) for value in column]
        texts = list(filter(None, cells))
        if texts and max(map(len, texts)) > cell_chars:
            return None
        if not from_csv and _CONTROL.search("\t".join(texts)) is not None:
            return None
        filled = filled or (len(texts) == len(cells) and not any(map(str.isspace, texts)))
        columns.append(cells)
    if not filled:
        return None
    return list(zip(range(first, first + len(data)), map(list, zip(*columns, strict=True)), strict=True))


_TEXT_OR_BLANK = {str, type(None)}


def _cell_problems(
    number: int, cells: list[str | None], header: list[str], cell_chars: int, from_csv: bool
) -> list[Problem]:
    """Problems of single cells: errors and uncached formulas, over-long texts, control characters."""
    texts = [cell for cell in cells if cell is not None]
    if not texts or (
        max(map(len, texts)) <= cell_chars
        and not any(cell.__class__ is CellError for cell in texts)
        and (from_csv or not has_control_characters("\t".join(texts)))
    ):
        return []
    found: list[Problem] = []
    for position, cell in enumerate(cells):
        if cell is None:
            continue
        if cell.__class__ is CellError:
            found.append(Problem(number, _label(header, position), str(cell)))
        elif len(cell) > cell_chars:
            found.append(
                Problem(
                    number,
                    _label(header, position),
                    f"the text is {len(cell):,} characters long, more than the {cell_chars:,} a cell may hold",
                )
            )
        elif not from_csv and has_control_characters(cell):  # a CSV is checked whole, before it is parsed
            found.append(Problem(number, _label(header, position), CONTROL_MESSAGE))
    return found


def _label(header: list[str], position: int) -> str:
    label = header[position].strip() if position < len(header) else ""
    return label or column_letter(position)


CONTROL_MESSAGE = "the text holds a control character (such as NUL, BEL or ESC), which no spreadsheet text has"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def has_control_characters(text: str) -> bool:
    """Whether a text holds a control character other than tab, line feed and carriage return."""
    return _CONTROL.search(text) is not None


def header_row_of(records: Sequence[Sequence[object]], name: str | None) -> int:
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
