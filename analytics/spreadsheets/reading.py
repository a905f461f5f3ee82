"""Opening a file the user gives: which reader its name calls for, and the tables that reader finds."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import InvalidInputError
from .csv_reader import read_csv
from .tables import CSV_SUFFIXES, XLSX_SUFFIXES, Table
from .xlsx_reader import read_xlsx


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
