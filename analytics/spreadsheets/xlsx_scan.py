"""What an ``.xlsx`` sheet holds before any parser sees it: its used range, error cells and unsaved formulas.

A spreadsheet parser builds a sheet as a grid from A1 to its farthest cell, so one cell at XFD1048576 in a
5 KB file asks for seventeen billion cells. This module reads each sheet's XML as a stream of bytes (a few
megabytes at a time, with regular expressions: no element tree, nothing materialised per empty cell) and
finds the farthest row and column that hold a cell, so that a file can be refused by its figures before the
grid is built. The same pass finds what a parser would silently read as blank: cells holding a spreadsheet
error (``#DIV/0!``, ``#N/A``, ...) and formulas without a saved value (files written by programs that never
calculate), so that they become problems at their row and column instead.
"""

from __future__ import annotations

import html
import operator
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from xml.etree import ElementTree

from ..errors import InvalidInputError
from .headers import column_letter

CHUNK_BYTES = 4 * 1024 * 1024
# A cell that holds something (not self-closing), with its reference: <c r="B7" ...>, and the same with a
# namespace prefix, <x:c ...> (rare: looked for only where ":c" occurs; a pattern that starts with "<c" is
# searched for much faster than one that may start with any "<").
_CELL_REF = re.compile(rb'<c\s[^>]*?\br="([A-Z]{1,4})([0-9]{1,9})"[^>/]*>')
_PREFIXED_CELL_REF = re.compile(rb'<\w+:c\s[^>]*?\br="([A-Z]{1,4})([0-9]{1,9})"[^>/]*>')
# A cell typed as an error, and its cached value (#DIV/0!, #N/A, #VALUE!, ...).
_ERROR_CELL = re.compile(
    rb'<(?:\w+:)?c\s[^>]*?\br="([A-Z]{1,4}[0-9]{1,9})"[^>]*?\bt="e"[^>/]*>(?:(?!</(?:\w+:)?c>).)*?'
    rb"<(?:\w+:)?v>([^<]*)</",
    re.DOTALL,
)
_ERROR_CELL_T_FIRST = re.compile(
    rb'<(?:\w+:)?c\s[^>]*?\bt="e"[^>]*?\br="([A-Z]{1,4}[0-9]{1,9})"[^>/]*>(?:(?!</(?:\w+:)?c>).)*?'
    rb"<(?:\w+:)?v>([^<]*)</",
    re.DOTALL,
)
# A cell with a formula and no saved value: <c r="C2"><f>1/0</f></c> or <c r="C2"><f>1/0</f><v/></c>.
_UNSAVED_FORMULA = re.compile(
    rb'<(?:\w+:)?c\s[^>]*?\br="([A-Z]{1,4}[0-9]{1,9})"[^>/]*>\s*<(?:\w+:)?f\b[^>]*?(?:/>|>([^<]*)</(?:\w+:)?f>)'
    rb"\s*(?:<(?:\w+:)?v\s*/>|<(?:\w+:)?v>\s*</(?:\w+:)?v>)?\s*</(?:\w+:)?c>"
)
_REF = re.compile(r"([A-Z]{1,4})([0-9]+)")
_FIRST, _SECOND = operator.itemgetter(0), operator.itemgetter(1)


@dataclass
class SheetScan:
    """The farthest row and column holding a cell (1-based; 0 for an empty sheet), the unusable cells,
    keyed by (row, column) 1-based, each with the message the user reads, and the cells whose text the
    parser decodes wrongly, with their right text."""

    rows: int = 0
    columns: int = 0
    unusable: dict[tuple[int, int], str] = field(default_factory=dict)
    texts: dict[tuple[int, int], str] = field(default_factory=dict)


# Text in .xlsx escapes characters as _xHHHH_, and a literal "_x0041_" is written "_x005F_x0041_". The
# parser decodes the second form wrongly, so shared strings holding an escaped underscore are decoded here.
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_STRING_ITEM = re.compile(rb"<(?:\w+:)?si\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?si>)", re.DOTALL)
_TEXT_RUN = re.compile(rb"<(?:\w+:)?t\b[^>]*?(?:/>|>([^<]*)</(?:\w+:)?t>)")
_PHONETIC = re.compile(rb"<(?:\w+:)?rPh\b.*?</(?:\w+:)?rPh>", re.DOTALL)
_STRING_CELL = re.compile(
    rb'<(?:\w+:)?c\s[^>]*?\br="([A-Z]{1,4}[0-9]{1,9})"[^>]*?\bt="s"[^>/]*>\s*<(?:\w+:)?v>\s*([0-9]+)\s*</'
)


def escaped_strings(archive: zipfile.ZipFile) -> dict[int, str]:
    """Shared strings (by index) holding ``_x005F_``, decoded as the standard says; empty for most files."""
    try:
        data = archive.read("xl/sharedStrings.xml")
    except KeyError:
        return {}
    if b"_x005F_" not in data and b"_x005f_" not in data:
        return {}
    found = {}
    for index, item in enumerate(_STRING_ITEM.finditer(data)):
        body = item.group(1) or b""
        if b"_x005" not in body:
            continue
        runs = _TEXT_RUN.findall(_PHONETIC.sub(b"", body))
        raw = html.unescape(b"".join(runs).decode("utf-8", "replace"))
        found[index] = _ESCAPE.sub(lambda match: chr(int(match.group(1), 16)), raw)
    return found


def column_number(letters: str) -> int:
    """1-based column number of ``A``, ``Z``, ``AA``, ``XFD``."""
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def sheet_members(archive: zipfile.ZipFile) -> dict[str, str]:
    """Each sheet's name and the archive member holding its XML (from workbook.xml and its relationships)."""
    try:
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        links = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return {}
    targets = {}
    for link in links:
        target = link.get("Target") or ""
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        targets[link.get("Id")] = path
    members = {}
    for element in book.iter():
        if not element.tag.endswith("}sheet"):
            continue
        target_id = next((value for key, value in element.attrib.items() if key.endswith("}id")), None)
        if target_id in targets:
            members[element.get("name") or ""] = targets[target_id]
    return members


def scan_sheet(archive: zipfile.ZipFile, member: str, escaped: dict[int, str] | None = None) -> SheetScan:
    """Stream one sheet's XML and return its :class:`SheetScan` (``escaped``: from :func:`escaped_strings`)."""
    scan = SheetScan()
    letters: set[bytes] = set()
    max_row = 0
    carry = b""
    try:
        stream = archive.open(member)
    except KeyError:
        return scan
    with stream:
        while True:
            chunk = stream.read(CHUNK_BYTES)
            buffer = carry + chunk
            cut = len(buffer) if not chunk else _last_cell_end(buffer)
            part, carry = buffer[:cut], buffer[cut:]
            if part:
                refs = _CELL_REF.findall(part)
                if b":c" in part:
                    refs += _PREFIXED_CELL_REF.findall(part)
                if refs:  # (C-level passes over the hundreds of thousands of references of a large sheet)
                    letters.update(map(_FIRST, refs))
                    max_row = max(max_row, max(map(int, map(_SECOND, refs))))
                _unusable(part, scan)
                if escaped:
                    for ref, index in _STRING_CELL.findall(part):
                        if int(index) in escaped:
                            scan.texts[_position(ref)] = escaped[int(index)]
            if not chunk:
                break
            if len(carry) > 64 * CHUNK_BYTES:
                raise InvalidInputError("a single row of the sheet is larger than 256 MB")
    scan.rows = max_row
    scan.columns = max((column_number(letter.decode()) for letter in letters), default=0)
    return scan


def _last_cell_end(buffer: bytes) -> int:
    """Where the last complete cell or row ends (text never holds ``</``, so a closing tag is a tag)."""
    end = len(buffer)
    while True:
        start = buffer.rfind(b"</", 0, end)
        if start < 0:
            return 0
        close = buffer.find(b">", start)
        if close >= 0:
            name = buffer[start + 2 : close].rsplit(b":", 1)[-1]
            if name in (b"c", b"row", b"sheetData"):
                return close + 1
        end = start


def _unusable(part: bytes, scan: SheetScan) -> None:
    if b't="e"' in part:
        for pattern in (_ERROR_CELL, _ERROR_CELL_T_FIRST):
            for ref, value in pattern.findall(part):
                shown = value.decode("utf-8", "replace").strip() or "#ERROR"
                scan.unusable[_position(ref)] = f"the cell holds the spreadsheet error {shown}: correct it or clear it"
    if b"<f" in part or b":f" in part:
        for ref, formula in _UNSAVED_FORMULA.findall(part):
            shown = formula.decode("utf-8", "replace").strip()
            what = f"the formula ={shown}" if shown else "the formula"
            scan.unusable.setdefault(
                _position(ref),
                f"{what} has no saved value: open the file in your spreadsheet program and save it again",
            )


def _position(ref: bytes) -> tuple[int, int]:
    match = _REF.fullmatch(ref.decode())
    assert match is not None
    return int(match.group(2)), column_number(match.group(1))


def check_bounds(scan: SheetScan, sheet: str, *, columns: int, rows: int, cells: int) -> None:
    """Refuse a sheet whose used range is beyond the bounds, naming the bound and the sheet's figure."""
    where = f"sheet {sheet}"
    if scan.columns > columns:
        raise InvalidInputError(
            f"{where} has a cell in column {column_letter(scan.columns - 1)} (column {scan.columns:,}), beyond the "
            f"{columns:,} columns Career Fit reads: delete what is far to the right, or copy the table to a new sheet"
        )
    if scan.rows > rows:
        raise InvalidInputError(
            f"{where} has a cell in row {scan.rows:,}, beyond the {rows:,} rows Career Fit reads: delete what is "
            "far below, or copy the table to a new sheet"
        )
    if scan.rows * scan.columns > cells:
        raise InvalidInputError(
            f"{where} spans {scan.rows:,} rows by {scan.columns:,} columns ({scan.rows * scan.columns:,} cells from "
            f"A1 to {column_letter(scan.columns - 1)}{scan.rows}), more than the {cells:,} cells Career Fit reads: "
            "delete stray cells far from the table, or copy the table to a new sheet"
        )
