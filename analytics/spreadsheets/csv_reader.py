"""Reading a CSV file: its encoding, its delimiter and its records, as one table of text cells.

``.csv`` (also ``.tsv`` / ``.txt``): comma, semicolon or tab separated, chosen from the header line; UTF-8
(with or without BOM), UTF-16 with BOM, else Windows-1252 (a superset of Latin-1 for text). A large plain
UTF-8 file is handed to DuckDB's CSV reader as it is (the fast path); anything unusual (blank lines, ragged
rows, other encodings) is parsed by Python's ``csv`` module, which numbers rows exactly as a spreadsheet
program shows them.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from ..errors import InvalidInputError
from . import tables as limits
from .tables import (
    SAMPLE_ROWS,
    Table,
    check_size,
    table_from_records,
)

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_BINARY = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def read_csv(data: bytes, name: str, *, path: Path | None = None, scratch: Path | None = None) -> Table:
    """One CSV file as a table; large plain UTF-8 files are left for DuckDB to read (see :class:`Table`)."""
    check_size(len(data), name, limits.MAX_CSV_BYTES)
    if data.startswith(_ZIP_MAGIC):
        raise InvalidInputError(f"{name}: this is an Excel workbook, not a CSV file: name it .xlsx")
    if data.startswith(_OLE_MAGIC):
        raise InvalidInputError(f"{name}: this is an old Excel or password-protected file: save it as .csv")
    if len(data) >= limits.FAST_PATH_BYTES and not data.startswith((b"\xff\xfe", b"\xfe\xff")) and _plain_lines(data):
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
    table = table_from_records(_csv_records(text, delimiter, name), name, from_csv=True)
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
    table = table_from_records(records[: SAMPLE_ROWS + 1], name, from_csv=True)
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




def parse_all(table: Table) -> None:
    """Read every row of a fast-path table with Python's csv module (when DuckDB declines the file)."""
    if table.csv_path is None or table._data is None:
        return
    text, _ = decode_text(table._data, table.name or "the file")
    records = _csv_records(text, _delimiter(text, table.name or ""), table.name or "the file")
    exact = table_from_records(records, table.name, from_csv=True)
    if exact is None:  # cannot happen: the header was found in the same text before
        raise InvalidInputError(f"{table.name}: the file is empty")
    table.rows, table.problems, table.header = exact.rows, exact.problems, exact.header
    table.csv_path, table._data = None, None
