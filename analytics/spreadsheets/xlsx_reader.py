"""Reading an ``.xlsx`` workbook: every visible worksheet (or the one asked for) as a table of text cells.

Read with python-calamine, which returns the cached values of formula cells. Hidden and chart sheets are
skipped unless asked for by name.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence

from ..errors import InvalidInputError
from .tables import CellError, Limits, Table, check_size, size_text, table_from_records
from .xlsx_scan import check_bounds, escaped_strings, scan_sheet, sheet_members

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read_xlsx(data: bytes, name: str, *, sheet: str | None = None, bounds: Limits | None = None) -> list[Table]:
    """Every visible worksheet (or just ``sheet``) of an ``.xlsx`` workbook, with formula values.

    Each sheet's XML is scanned first (:mod:`.xlsx_scan`): a used range beyond ``bounds`` is refused before
    the parser builds its grid, and error cells and formulas without a saved value become problems.
    """
    tables = [table for _, table in _read_sheets(data, name, sheet=sheet, bounds=bounds)]
    if not tables:
        raise InvalidInputError(f"{name}: the workbook is empty" if not sheet else f"{name}: sheet {sheet} is empty")
    return tables


def read_xlsx_part(
    data: bytes, name: str, part: tuple[int, int], *, bounds: Limits | None = None
) -> list[tuple[int, Table]]:
    """Part ``k`` of ``n`` of what :func:`read_xlsx` reads of a whole workbook, each table with its place
    among the workbook's sheets: the visible sheets are dealt out by size (the largest first, each to the
    part with the fewest bytes so far), so that ``n`` processes can read one workbook at once. A part may
    hold no table."""
    return _read_sheets(data, name, sheet=None, bounds=bounds, part=part)


def _read_sheets(
    data: bytes, name: str, *, sheet: str | None, bounds: Limits | None, part: tuple[int, int] | None = None
) -> list[tuple[int, Table]]:
    """The tables read (with their place among the sheets asked for); the workbook as a whole is checked first."""
    bounds = bounds or Limits.current()
    check_size(len(data), name, bounds.xlsx_bytes)
    if not data.strip():
        raise InvalidInputError(f"{name}: the file is empty")
    if data.startswith(_OLE_MAGIC):
        raise InvalidInputError(
            f"{name}: the workbook is password-protected (or an old .xls file): save it without a password as .xlsx"
        )
    if not data.startswith(_ZIP_MAGIC):
        raise InvalidInputError(f"{name}: this is not an .xlsx workbook (the file is damaged or of another type)")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise InvalidInputError(f"{name}: the workbook is damaged (not a valid .xlsx file)") from None
    if unpacked > bounds.xlsx_unpacked:
        raise InvalidInputError(
            f"{name}: the workbook unpacks to {size_text(unpacked)}, more than the {size_text(bounds.xlsx_unpacked)} "
            "Career Fit reads: split it"
        )
    import python_calamine

    try:
        with archive:
            members = sheet_members(archive)
            escaped = escaped_strings(archive)
            workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
            metadata = list(workbook.sheets_metadata)
            wanted = _pick_sheets(metadata, name, sheet)
            mine = range(len(wanted)) if part is None else _dealt(wanted, members, archive, *part)
            tables = []
            for position in mine:
                sheet_name = wanted[position]
                if sheet_name not in members:  # never hand the parser a sheet whose bounds were not checked
                    raise InvalidInputError(f"sheet {sheet_name}: its data cannot be found (the workbook is damaged)")
                scan = scan_sheet(archive, members[sheet_name], escaped)
                check_bounds(scan, sheet_name, columns=bounds.columns, rows=bounds.rows, cells=bounds.sheet_cells)
                values = workbook.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)
                for (row, column), right in scan.texts.items():
                    if row <= len(values) and column <= len(values[row - 1]):
                        values[row - 1][column - 1] = right
                for (row, column), message in scan.unusable.items():
                    if row <= len(values) and column <= len(values[row - 1]):
                        values[row - 1][column - 1] = CellError(message)
                table = table_from_records(values, sheet_name, from_csv=False, cell_chars=bounds.cell_chars)
                if table is not None:
                    tables.append((position, table))
    except InvalidInputError as error:
        lines = [line if line.startswith(name) else f"{name}: {line}" for line in error.problems]
        raise InvalidInputError(lines) from None
    except (KeyboardInterrupt, SystemExit, GeneratorExit, MemoryError):
        raise
    except BaseException as error:  # calamine's own errors, and pyo3's PanicException (a BaseException)
        detail = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise InvalidInputError(f"{name}: the workbook is damaged and cannot be read ({detail})") from None
    return tables


def _dealt(wanted: list[str], members: dict[str, str], archive: zipfile.ZipFile, part: int, parts: int) -> list[int]:
    """The places (in ``wanted``) of the sheets that are part ``part`` of ``parts``: see :func:`read_xlsx_part`."""
    sizes = []
    for sheet_name in wanted:
        try:
            sizes.append(archive.getinfo(members[sheet_name]).file_size)
        except KeyError:  # (the part that holds it says what is wrong)
            sizes.append(0)
    loads = [0] * parts
    mine = []
    for position in sorted(range(len(wanted)), key=lambda p: (-sizes[p], p)):
        lightest = loads.index(min(loads))
        loads[lightest] += sizes[position] + 1
        if lightest == part:
            mine.append(position)
    return sorted(mine)


def _pick_sheets(metadata: Sequence[object], name: str, sheet: str | None) -> list[str]:
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
