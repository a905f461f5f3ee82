"""Reading an ``.xlsx`` workbook: every visible worksheet (or the one asked for) as a table of text cells.

Read with python-calamine, which returns the cached values of formula cells. Hidden and chart sheets are
skipped unless asked for by name.
"""

from __future__ import annotations

import io
import zipfile

from ..errors import InvalidInputError
from . import tables as limits
from .tables import Table, check_size, table_from_records

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read_xlsx(data: bytes, name: str, *, sheet: str | None = None) -> list[Table]:
    """Every visible worksheet (or just ``sheet``) of an ``.xlsx`` workbook, with formula values."""
    check_size(len(data), name, limits.MAX_XLSX_BYTES)
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
    if unpacked > limits.MAX_XLSX_UNPACKED:
        raise InvalidInputError(f"{name}: the workbook unpacks to more than 1 GB: split it")
    import python_calamine

    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        metadata = list(workbook.sheets_metadata)
        wanted = _pick_sheets(metadata, name, sheet)
        tables = []
        for sheet_name in wanted:
            values = workbook.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)
            table = table_from_records(values, sheet_name, from_csv=False)
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

