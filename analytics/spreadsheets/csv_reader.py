"""Reading a CSV file: its encoding, its delimiter and its records, as one table of text cells.

``.csv`` (also ``.tsv`` / ``.txt``): comma, semicolon or tab separated, chosen from the header line; UTF-8
(with or without BOM), UTF-16 (with a BOM, or without one, told by its zero bytes), else Windows-1252 (a
superset of Latin-1 for text).

One reading decides the table whatever the file's size: Python's ``csv`` module, strict (a quote that never
closes is an error naming the row where it opens), numbering rows exactly as a spreadsheet program shows
them. A large plain UTF-8 file is then loaded by DuckDB (far quicker than handing over millions of rows),
and that load is checked against Python's reading: the same number of records and of characters in their
fields, or the rows Python read are used instead (:mod:`.ratings`).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ..errors import InvalidInputError
from .tables import SAMPLE_ROWS, Limits, Table, check_size, has_control_characters, table_from_records

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def read_csv(
    data: bytes, name: str, *, path: Path | None = None, bounds: Limits | None = None, exact: bool = False
) -> Table:
    """One CSV file as a table, read by Python's csv module whatever its size.

    A large plain UTF-8 file (``path`` given, not ``exact``) is read once without keeping its rows: the
    table then names the file for DuckDB to load, with the number of records and of characters Python found,
    which the load must match (else the file is read again with ``exact``, keeping every row).
    """
    bounds = bounds or Limits.current()
    check_size(len(data), name, bounds.csv_bytes)
    if data.startswith(_ZIP_MAGIC):
        raise InvalidInputError(f"{name}: this is an Excel workbook, not a CSV file: name it .xlsx")
    if data.startswith(_OLE_MAGIC):
        raise InvalidInputError(f"{name}: this is an old Excel or password-protected file: save it as .csv")
    text, encoding = decode_text(data, name)
    if not text or text.isspace():
        raise InvalidInputError(f"{name}: the file is empty")
    delimiter = _delimiter(text, name)
    fast = not exact and path is not None and encoding in ("utf-8", "utf-8-sig") and len(data) >= bounds.fast_path_bytes
    if fast and path is not None and _plain_lines(data):
        table = _fast_table(text, name, delimiter, path, bounds)
        if table is not None:
            return table
    table = table_from_records(
        _csv_records(text, delimiter, name, bounds), name, from_csv=True, cell_chars=bounds.cell_chars
    )
    if table is None:
        raise InvalidInputError(f"{name}: the file is empty")
    return table


def decode_text(data: bytes, name: str) -> tuple[str, str]:
    """Text of a CSV file and the encoding that read it: UTF-8 (BOM or not), UTF-16 (with a BOM, or told by
    its zero bytes), else Windows-1252. A control character anywhere refuses the file, naming its line."""
    if data.startswith(_UTF16_BOMS):
        candidates: tuple[str, ...] = ("utf-16",)
    elif (guess := _utf16_without_bom(data)) is not None:
        candidates = (guess,)
    elif data.startswith(b"\xef\xbb\xbf"):
        candidates = ("utf-8-sig",)
    else:
        candidates = ("utf-8", "cp1252")
    if not candidates[0].startswith("utf-16"):
        _refuse_control_bytes(data.removesuffix(b"\x1a"), name)
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            if encoding.startswith("utf-16"):
                raise InvalidInputError(
                    f"{name}: the text looks like UTF-16 but does not decode as it: save it as CSV UTF-8"
                ) from None
            continue
        text = text.removesuffix("\x1a")  # an old DOS end-of-file mark
        if encoding.startswith("utf-16"):
            text = text.removeprefix("\ufeff")
            if has_control_characters(text):
                _refuse_control_bytes(text.encode("utf-8"), name)
        return text, "utf-8" if encoding == "utf-8" else encoding
    raise InvalidInputError(f"{name}: the text is neither UTF-8 nor Windows-1252: save it as CSV UTF-8")


def _utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` when the file is UTF-16 text without a byte-order mark: text in a
    Latin script then has a zero byte in every other place (which no UTF-8 or Windows-1252 text has)."""
    head = data[:4096]
    if len(head) < 4 or len(head) % 2:
        head = head[: len(head) - len(head) % 2]
    if len(head) < 4:
        return None
    pairs = len(head) // 2
    if head[1::2].count(0) >= 0.6 * pairs and head[0::2].count(0) <= 0.1 * pairs:
        return "utf-16-le"
    if head[0::2].count(0) >= 0.6 * pairs and head[1::2].count(0) <= 0.1 * pairs:
        return "utf-16-be"
    return None


# Control characters no spreadsheet text holds (tab, LF and CR are fine): found with one translate pass,
# which is some ten times quicker than a regular expression over a 50 MB file. The pass that deletes every
# other byte (leaving only control characters, if any) is quicker still, for it writes next to nothing; the
# pass that marks them is made only to say where the first one is.
_CONTROL_BYTES = bytes(b for b in range(256) if (b < 32 and b not in (9, 10, 13)) or b == 127)
_OTHER_BYTES = bytes(b for b in range(256) if b not in _CONTROL_BYTES)
_CONTROL_TABLE = bytes(0 if b in _CONTROL_BYTES else 1 for b in range(256))


def _refuse_control_bytes(data: bytes, name: str) -> None:
    """Refuse UTF-8 or cp1252 bytes holding a control character (multi-byte UTF-8 never uses bytes < 128)."""
    if not data.translate(None, _OTHER_BYTES):
        return
    marked = data.translate(_CONTROL_TABLE)
    position = marked.find(b"\x00")
    if position < 0:
        return
    line = data.count(b"\n", 0, position) + 1
    code = data[position]
    raise InvalidInputError(
        f"{name}: line {line:,} holds the control character {_CONTROL_NAMES.get(code, f'0x{code:02X}')}, which no "
        "spreadsheet text has (this is not a text spreadsheet, or it is damaged)"
    )


_CONTROL_NAMES = {0: "NUL", 7: "BEL", 8: "BS", 11: "VT", 12: "FF", 27: "ESC", 127: "DEL"}


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
    if body.startswith((b"\n", b"\r")) or b"\n\n" in body:
        return False
    # (most files have no CR at all, which one quick search tells)
    return b"\r" not in body or (b"\n\r\n" not in body and body.count(b"\r") == body.count(b"\r\n"))


def _fast_table(text: str, name: str, delimiter: str, path: Path, bounds: Limits) -> Table | None:
    """The header and a sample, and the records and characters of the whole file, for DuckDB to load it."""
    head: list[list[str]] = []
    count = chars = 0
    try:
        counted = _unquoted_counts(text, delimiter)
        if counted is not None:  # one record per line: the module reads only the sample's lines
            end = -1
            for _ in range(SAMPLE_ROWS + 1):
                end = text.find("\n", end + 1)
                if end < 0:
                    break
            sample = text if end < 0 else text[: end + 1]
            head = list(csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter, strict=True))
            count, chars = counted
        else:
            reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
            for record in reader:
                if count <= SAMPLE_ROWS:
                    head.append(record)
                count += 1
                chars += len("".join(record))
    except csv.Error:
        return None  # the exact reading says what is wrong, and where
    table = table_from_records(head, name, from_csv=True, cell_chars=bounds.cell_chars)
    if table is None or table.header_row != 1 or table.problems or len(head[0]) != table.width:
        return None
    if count - 1 > bounds.rows:
        raise InvalidInputError(
            f"{name}: the file has {count - 1:,} rows, more than the {bounds.rows:,} Career Fit reads: split it"
        )
    if table.width > bounds.columns:
        return None
    table.csv_path = str(path)
    table.delimiter = delimiter
    table.records = count
    table.field_chars = chars
    return table


def _unquoted_counts(text: str, delimiter: str) -> tuple[int, int] | None:
    """The records and field characters Python's csv module finds in ``text``, counted without it when the
    text holds no quote (None otherwise, or when a line is longer than the module's field limit).

    Without a quote character the module's reading of plain lines (:func:`_plain_lines`) is plain: one
    record per line, fields split at every delimiter, so the characters in fields are the text's characters
    less its delimiters and line ends. Counting them with ``str.count`` over a 50 MB file takes some
    milliseconds where the record-by-record loop takes about a second.
    """
    if '"' in text:
        return None
    # A line too long for the module's field limit would cover a whole window of half that size without a line
    # end: then let the module say which cell is too long.
    window = csv.field_size_limit() // 2
    if any(text.find("\n", start, start + window) < 0 for start in range(0, len(text) - window + 1, window)):
        return None
    line_ends = text.count("\n")
    records = line_ends + (0 if text.endswith("\n") else 1)
    chars = len(text) - text.count(delimiter) - line_ends - (text.count("\r") if "\r" in text else 0)
    return records, chars


def _csv_records(text: str, delimiter: str, name: str, bounds: Limits) -> list[list[str]]:
    """Every record, read strictly: a quote that never closes is an error naming the row where it opens."""
    csv.field_size_limit(max(csv.field_size_limit(), 64 * 1024 * 1024))
    records: list[list[str]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        for record in reader:
            records.append(record)
            if len(records) > bounds.rows + 1:
                raise InvalidInputError(f"{name}: the file has more than the {bounds.rows:,} rows Career Fit reads")
    except csv.Error as error:
        row = len(records) + 1
        if "end of data" in str(error) or "EOF" in str(error):
            message = "a quote opens in this row and never closes: close it, or remove it"
        elif "expected after" in str(error):
            message = (
                "a closing quote is followed by more text in the same cell: put the whole cell in quotes and "
                'double any quote inside it ("")'
            )
        elif "field larger" in str(error):
            message = f"a cell is longer than the {bounds.cell_chars:,} characters a cell may hold"
        else:
            message = "the row cannot be read as CSV"
        raise InvalidInputError(f"{name}: row {row:,}: {message}") from None
    widest = max(map(len, records), default=0)
    if widest > bounds.columns:
        raise InvalidInputError(
            f"{name}: a row has {widest:,} cells, more than the {bounds.columns:,} columns Career Fit reads"
        )
    return records
