"""Reading the files people keep: bytes in, header and rows of text out, and the meaning of one cell.

A spreadsheet reaches the importer as plain text cells, whatever it was stored as, so that one set of
rules (in :mod:`analytics.ingest` and the store) validates ``.csv`` and ``.xlsx`` alike:

* ``.csv`` (also ``.tsv`` / ``.txt``): comma, semicolon or tab separated, chosen from the header line;
  UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252 (a superset of Latin-1 for text).
  A large plain UTF-8 file is handed to DuckDB's CSV reader as it is (the fast path); anything unusual
  (blank lines, ragged rows, other encodings) is parsed by Python's ``csv`` module, which numbers rows
  exactly as a spreadsheet program shows them.
* ``.xlsx``: read with python-calamine, which returns the cached values of formula cells. Hidden and chart
  sheets are skipped unless asked for by name.

Bounds, so that a wrong file fails fast with one line instead of exhausting memory: a ``.csv`` of at most
200 MB (Streamlit's default upload limit), an ``.xlsx`` of at most 50 MB that unpacks to at most 1 GB.
"""

from __future__ import annotations

import csv
import functools
import io
import math
import re
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

from .errors import InvalidInputError
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

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_BINARY = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


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

    def parse_all(self) -> None:
        """Read every row with Python's csv module (used when DuckDB declines a fast-path file)."""
        if self.csv_path is None or self._data is None:
            return
        text, _ = decode_text(self._data, self.name or "the file")
        records = _csv_records(text, _delimiter(text, self.name or ""), self.name)
        table = _table_from_records(records, self.name, from_csv=True)
        if table is None:  # cannot happen: the header was found in the same text before
            raise InvalidInputError(f"{self.name}: the file is empty")
        self.rows, self.problems, self.header = table.rows, table.problems, table.header
        self.csv_path, self._data = None, None


# -- opening files ----------------------------------------------------------------------------------


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


@contextmanager
def open_tables(
    data: bytes, file_name: str, *, path: Path | None = None, sheet: str | None = None
) -> Iterator[list[Table]]:
    """The tables of a file, named ``file_name``; ``path`` lets DuckDB read a large CSV in place.

    Raises :class:`InvalidInputError` with one line when the file cannot be read at all.
    """
    name = Path(file_name).name or "the file"
    suffix = Path(file_name).suffix.lower()
    if suffix in XLSX_SUFFIXES:
        yield read_xlsx(data, name, sheet=sheet)
        return
    if suffix == ".xls":
        raise InvalidInputError(f"{name}: old .xls workbooks are not supported: save it as .xlsx")
    if suffix not in CSV_SUFFIXES:
        shown = suffix or "no extension"
        raise InvalidInputError(f"{name}: cannot import a file with {shown}: use a .csv or .xlsx file")
    if sheet:
        raise InvalidInputError(f"{name}: --sheet applies to .xlsx workbooks only")
    with tempfile.TemporaryDirectory(prefix="career-fit-") as scratch:
        table = read_csv(data, name, path=path, scratch=Path(scratch))
        yield [table]


def read_csv(data: bytes, name: str, *, path: Path | None = None, scratch: Path | None = None) -> Table:
    """One CSV file as a table; large plain UTF-8 files are left for DuckDB to read (see :class:`Table`)."""
    check_size(len(data), name, MAX_CSV_BYTES)
    if data.startswith(_ZIP_MAGIC):
        raise InvalidInputError(f"{name}: this is an Excel workbook, not a CSV file: name it .xlsx")
    if data.startswith(_OLE_MAGIC):
        raise InvalidInputError(f"{name}: this is an old Excel or password-protected file: save it as .csv")
    if len(data) >= FAST_PATH_BYTES and not data.startswith((b"\xff\xfe", b"\xfe\xff")) and _plain_lines(data):
        # DuckDB checks the UTF-8 itself; Python only reads the header and a sample from the first lines,
        # and looks for binary data there (garbage shows at once; the rest is DuckDB's to refuse).
        head = data[: 256 * 1024]
        if _has_control_bytes(head.removesuffix(b"\x1a")):
            raise InvalidInputError(f"{name}: this is not a text spreadsheet (it holds binary data)")
        try:
            head_text = head[: head.rfind(b"\n") + 1].decode("utf-8-sig")
        except UnicodeDecodeError:
            head_text = ""
        if head_text.strip():
            fast = _fast_table(data, head_text, name, _delimiter(head_text, name), path, scratch)
            if fast is not None:
                return fast
    text, _ = decode_text(data, name)
    if not text or text.isspace():
        raise InvalidInputError(f"{name}: the file is empty")
    delimiter = _delimiter(text, name)
    table = _table_from_records(_csv_records(text, delimiter, name), name, from_csv=True)
    if table is None:
        raise InvalidInputError(f"{name}: the file is empty")
    return table


def decode_text(data: bytes, name: str) -> tuple[str, str]:
    """Text of a CSV file and the encoding that read it: UTF-8 (BOM or not), UTF-16 with BOM, cp1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ("utf-16",)
    elif data.startswith(b"\xef\xbb\xbf"):
        candidates = ("utf-8-sig",)
    else:
        candidates = ("utf-8", "cp1252")
        if _has_control_bytes(data.removesuffix(b"\x1a")):
            raise InvalidInputError(f"{name}: this is not a text spreadsheet (it holds binary data)")
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        text = text.removesuffix("\x1a")  # an old DOS end-of-file mark
        if encoding == "utf-16" and _BINARY.search(text):
            raise InvalidInputError(f"{name}: this is not a text spreadsheet (it holds binary data)")
        return text, "utf-8" if encoding.startswith("utf-8") else encoding
    raise InvalidInputError(f"{name}: the text is neither UTF-8 nor Windows-1252: save it as CSV UTF-8")


# Control characters no spreadsheet text holds (tab, LF and CR are fine): found with one translate pass,
# which is some ten times quicker than a regular expression over a 50 MB file.
_CONTROL_TABLE = bytes(0 if (b < 32 and b not in (9, 10, 13)) or b == 127 else 1 for b in range(256))


def _has_control_bytes(data: bytes) -> bool:
    """Whether UTF-8 or cp1252 bytes hold a control character (multi-byte UTF-8 never uses bytes < 128)."""
    return b"\x00" in data.translate(_CONTROL_TABLE)


def _delimiter(text: str, name: str) -> str:
    """Comma, semicolon or tab: whichever splits the header line into the most cells."""
    head = text[:65536]
    best, best_count = ",", 0
    for candidate in (",", ";", "\t"):
        try:
            first = next(csv.reader(io.StringIO(head), delimiter=candidate), [])
        except csv.Error:
            continue
        if len(first) > best_count:
            best, best_count = candidate, len(first)
    return best


def _plain_lines(data: bytes) -> bool:
    """No blank line and no bare CR: then DuckDB numbers records exactly as a spreadsheet shows rows."""
    body = data.removeprefix(b"\xef\xbb\xbf")
    if body.startswith((b"\n", b"\r")) or b"\n\n" in body or b"\n\r\n" in body:
        return False
    return b"\r" not in body or body.count(b"\r") == body.count(b"\r\n")


def _fast_table(
    data: bytes, head: str, name: str, delimiter: str, path: Path | None, scratch: Path | None
) -> Table | None:
    records = _csv_records(head, delimiter, name)
    table = _table_from_records(records[: SAMPLE_ROWS + 1], name, from_csv=True)
    if table is None or table.header_row != 1 or table.problems:
        return None
    safe = path is not None and not re.search(r"[*?\[\]{}]", str(path))
    if safe:
        assert path is not None
        csv_path = str(path.resolve())
    elif scratch is not None:
        target = scratch / "import.csv"
        target.write_bytes(data)
        csv_path = str(target)
    else:
        return None
    lines = None
    if b'"' not in data:
        body = data.removeprefix(b"\xef\xbb\xbf")
        lines = body.count(b"\n") + (0 if body.endswith(b"\n") else 1)
    width = len(records[0]) if records else 0
    if width != table.width:  # trailing empty header cells: let Python pad and check the rows
        return None
    return Table(
        name=name,
        header=table.header,
        header_row=1,
        rows=table.rows,
        csv_path=csv_path,
        delimiter=delimiter,
        from_csv=True,
        line_count=lines,
        _data=data,
    )


def _csv_records(text: str, delimiter: str, name: str) -> list[list[str]]:
    csv.field_size_limit(max(csv.field_size_limit(), 64 * 1024 * 1024))
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise InvalidInputError(f"{name}: cannot read it as CSV: {error}") from None


# A title or a note above the table is skipped when one of the first rows reads as a header.
HEADER_SEARCH_ROWS = 10


def _table_from_records(records: list[list[object]], name: str | None, *, from_csv: bool) -> Table | None:
    """Header = the first of the first non-blank rows that reads as a table of a known kind, else the first
    non-blank row; data rows are numbered as the spreadsheet shows them (1-based)."""
    header: list[str] | None = None
    header_row = _header_row(records, name)
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


def _header_row(records: list[list[object]], name: str | None) -> int:
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


# -- xlsx -------------------------------------------------------------------------------------------


def read_xlsx(data: bytes, name: str, *, sheet: str | None = None) -> list[Table]:
    """Every visible worksheet (or just ``sheet``) of an ``.xlsx`` workbook, with formula values."""
    check_size(len(data), name, MAX_XLSX_BYTES)
    if not data.strip():
        raise InvalidInputError(f"{name}: the file is empty")
    if data.startswith(_OLE_MAGIC):
        raise InvalidInputError(
            f"{name}: the workbook is password-protected (or an old .xls file): save it without a password as .xlsx"
        )
    if not data.startswith(_ZIP_MAGIC):
        raise InvalidInputError(f"{name}: this is not an .xlsx workbook (the file is damaged or of another type)")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise InvalidInputError(f"{name}: the workbook is damaged (not a valid .xlsx file)") from None
    if unpacked > MAX_XLSX_UNPACKED:
        raise InvalidInputError(f"{name}: the workbook unpacks to more than 1 GB: split it")
    import python_calamine

    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        metadata = list(workbook.sheets_metadata)
        wanted = _pick_sheets(metadata, name, sheet)
        tables = []
        for sheet_name in wanted:
            values = workbook.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)
            table = _table_from_records(values, sheet_name, from_csv=False)
            if table is not None:
                tables.append(table)
    except InvalidInputError:
        raise
    except (KeyboardInterrupt, SystemExit, GeneratorExit, MemoryError):
        raise
    except BaseException as error:  # calamine's own errors, and pyo3's PanicException (a BaseException)
        detail = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise InvalidInputError(f"{name}: the workbook is damaged and cannot be read ({detail})") from None
    if not tables:
        raise InvalidInputError(f"{name}: the workbook is empty" if not sheet else f"{name}: sheet {sheet} is empty")
    return tables


def _pick_sheets(metadata: list[object], name: str, sheet: str | None) -> list[str]:
    names = [str(getattr(m, "name", "")) for m in metadata]
    if sheet is not None:
        wanted = sheet.strip().casefold()
        for sheet_name in names:
            if sheet_name.strip().casefold() == wanted:
                return [sheet_name]
        listed = ", ".join(names) or "none"
        raise InvalidInputError(f"{name}: there is no sheet {sheet!r} (sheets: {listed})")
    visible = []
    for meta, sheet_name in zip(metadata, names, strict=True):
        kind = str(getattr(meta, "typ", "")).lower()
        shown = str(getattr(meta, "visible", "visible")).lower()
        if "worksheet" in kind and shown.endswith("visible") and "hidden" not in shown:
            visible.append(sheet_name)
    return visible


def cell_text(value: object) -> str | None:
    """One cell as text: numbers without a needless ``.0``, dates as ISO, blank as None."""
    if value is None:
        return None
    kind = type(value)
    if kind is str:
        return value if value else None  # type: ignore[return-value]
    if kind is float:
        number: float = value  # type: ignore[assignment]
        if number.is_integer() and abs(number) < 1e15:
            return str(int(number))
        return repr(number)
    if kind is bool:
        return "TRUE" if value else "FALSE"
    if kind is int:
        return str(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value)


# -- the meaning of one cell -------------------------------------------------------------------------

_FORMULA_ESCAPED = re.compile(r"'+[=+\-@]")
_FORMULA_START = re.compile(r"'*[=+\-@]")


def clean_text(raw: str | None, *, from_csv: bool = False) -> str:
    """Text as stored: trimmed; in a CSV, one leading ``'`` that kept a formula-like text inert is removed.

    The CSV export writes ``'=1+1`` for the text ``=1+1`` (and ``''=x`` for ``'=x``), so that a
    spreadsheet program shows it as text; reading it back gives the exact stored text.
    """
    value = (raw or "").strip()
    if from_csv and _FORMULA_ESCAPED.match(value):
        return value[1:]
    return value


def csv_safe_text(value: str) -> str:
    """The inverse of :func:`clean_text` for CSV exports: formula-like text gets a leading ``'``."""
    return "'" + value if _FORMULA_START.match(value) else value


_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?", re.IGNORECASE)
_DECIMAL_COMMA = re.compile(r"[+-]?\d*,\d+")


def parse_number(raw: str | None) -> float | None:
    """A number written as ``4``, ``4.5``, ``4,5`` (decimal comma) or ``4.5e0``; None if not a number."""
    value = (raw or "").strip()
    if _DECIMAL_COMMA.fullmatch(value):
        value = value.replace(",", ".")
    if not _NUMBER.fullmatch(value):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def parse_rating(raw: str | None, scale: str) -> tuple[float | None, str | None]:
    """(rating on 1-5, error): blank is (None, None); other scales are rescaled linearly to 1-5."""
    value = (raw or "").strip()
    if not value:
        return None, None
    number = parse_number(value)
    if number is None:
        return None, f"{value!r} is not a number"
    low, high = SCALES[scale]
    if not low <= number <= high:
        return None, f"{value} is outside the {low:g}–{high:g} scale"
    return round(1 + (number - low) * 4 / (high - low), 6), None


def parse_weight(raw: str | None) -> tuple[float | None, str | None]:
    """(weight 0-5, error); blank is (None, None)."""
    value = (raw or "").strip()
    if not value:
        return None, None
    number = parse_number(value)
    if number is None:
        return None, f"{value!r} is not a number"
    if not 0 <= number <= 5:
        return None, f"{value} is outside 0–5"
    return number, None


_TRUE = {"true", "yes", "y", "1", "x", "✓", "done"}
_FALSE = {"false", "no", "n", "0", ""}


def parse_bool(raw: str | None) -> tuple[bool | None, str | None]:
    value = (raw or "").strip().casefold()
    if not value:
        return None, None
    if value in _TRUE:
        return True, None
    if value in _FALSE:
        return False, None
    return None, f"{raw!r} is not yes or no"


# Dates. Accepted, in this order:
#   ISO                    2024-03-05, 2024/03/05, 2024.03.05 (a time after the date is ignored)
#   Excel serial numbers   45356 (a date cell stored without a date format; 10000-99999, fraction ignored)
#   day first, numeric     05/03/2024, 5.3.2024, 05-03-2024, 05/03/24 (two-digit years are 20xx)
#   month names            5 March 2024, 5 Mar 2024, 5-Mar-2024, March 5, 2024, Mar 5 2024
# Numeric dates are read day first (05/03/2024 is 5 March) unless the same column has a value that only
# works month first (03/25/2024) and none that only works day first: then the column is read month first.
# Years outside 1900-2199 are refused as typing mistakes.
_ISO_DATE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_NUMERIC_DATE = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})(?: \d{1,2}:\d{2}(?::\d{2})?)?")
_SERIAL = re.compile(r"\d{5}(?:\.\d+)?")
_DAY_MONTH_NAME = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?[ \-]+([a-z]+)\.?,?[ \-]+(\d{4})")
_MONTH_NAME_DAY = re.compile(r"([a-z]+)\.? +(\d{1,2})(?:st|nd|rd|th)?,? +(\d{4})")
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
DATE_HINT = "use YYYY-MM-DD or DD/MM/YYYY"


def date_order(values: Iterable[str | None]) -> str:
    """``"dmy"`` unless some numeric date only reads month first and none only reads day first."""
    month_first = False
    for raw in values:
        match = _NUMERIC_DATE.fullmatch((raw or "").strip())
        if match:
            first, second = int(match.group(1)), int(match.group(2))
            if first > 12:
                return "dmy"
            if second > 12:
                month_first = True
    return "mdy" if month_first else "dmy"


def parse_date(raw: str | None, order: str = "dmy") -> tuple[date | None, str | None]:
    """(date, error); blank is (None, None). See the comment above for the accepted forms."""
    value = (raw or "").strip()
    if not value:
        return None, None
    lowered = value.casefold()
    parts: tuple[int, int, int] | None = None
    if match := _ISO_DATE.fullmatch(value):
        parts = int(match.group(1)), int(match.group(2)), int(match.group(3))
    elif _SERIAL.fullmatch(value):
        serial = int(float(value))
        return date(1899, 12, 30) + timedelta(days=serial), None
    elif match := _NUMERIC_DATE.fullmatch(value):
        first, second, year = int(match.group(1)), int(match.group(2)), int(match.group(3))
        year = 2000 + year if len(match.group(3)) == 2 else year
        parts = (year, second, first) if order == "dmy" else (year, first, second)
    elif match := _DAY_MONTH_NAME.fullmatch(lowered):
        month = _MONTHS.get(match.group(2))
        parts = (int(match.group(3)), month, int(match.group(1))) if month else None
    elif match := _MONTH_NAME_DAY.fullmatch(lowered):
        month = _MONTHS.get(match.group(1))
        parts = (int(match.group(3)), month, int(match.group(2))) if month else None
    if parts is None:
        return None, f"{value!r} is not a date ({DATE_HINT})"
    year, month, day = parts
    if not 1900 <= year <= 2199:
        return None, f"{value!r} is not a plausible date (the year {year} is out of range)"
    try:
        return date(year, month, day), None
    except ValueError:
        return None, f"{value!r} is not a date ({DATE_HINT})"


_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")


def parse_datetime(raw: str | None, order: str = "dmy") -> tuple[datetime | None, str | None]:
    """A date with an optional time (``2024-03-05 14:30``, ``2024-03-05T14:30:00``, a serial with fraction)."""
    value = (raw or "").strip()
    if not value:
        return None, None
    if _SERIAL.fullmatch(value):
        return datetime(1899, 12, 30) + timedelta(days=float(value)), None
    day_part, _, time_part = re.sub(r"(?<=\d)T(?=\d)", " ", value).partition(" ")
    when, error = parse_date(day_part if time_part and _TIME.fullmatch(time_part.strip()) else value, order)
    if when is None:
        return None, error
    clock = _TIME.fullmatch(time_part.strip()) if time_part else None
    if clock is None:
        return datetime.combine(when, time()), None
    hour, minute, second = int(clock.group(1)), int(clock.group(2)), int(clock.group(3) or 0)
    if hour > 23 or minute > 59 or second > 59:
        return None, f"{value!r} is not a time of day"
    return datetime.combine(when, time(hour, minute, second)), None
