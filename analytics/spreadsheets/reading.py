"""Opening a file the user gives: which reader its name calls for, run in a bounded child process.

:func:`open_tables` is what the importer calls (in the app's or the command line's process): it checks the
name and size, puts uploaded bytes in a scratch file, and has :mod:`.sandbox` read it in a child process.
:func:`read_path` is what that child runs.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import InvalidInputError
from .csv_reader import read_csv
from .sandbox import Arrived, forget_prefetched, prefetch, read_file
from .tables import CSV_SUFFIXES, XLSX_SUFFIXES, Limits, Table, check_size

# DuckDB reads a path with these characters as a pattern of several files: such a file is copied first.
_GLOB = re.compile(r"[*?\[\]{}]")


@contextmanager
def open_tables(
    data: bytes | None,
    file_name: str,
    *,
    path: Path | None = None,
    sheet: str | None = None,
    arrived: Arrived | None = None,
) -> Iterator[list[Table]]:
    """The tables of a file named ``file_name``: ``data`` (uploaded bytes) or the file at ``path``.

    ``arrived`` may see some of the tables before the others are read (see :func:`.sandbox.read_file`).

    A large CSV's table may name a file for DuckDB to load (``csv_path``): it stays there until the block
    ends. Raises :class:`InvalidInputError` with one line when the file cannot be read at all.
    """
    name = Path(file_name).name or "the file"
    suffix = Path(file_name).suffix.lower()
    if suffix == ".xls":
        raise InvalidInputError(f"{name}: old .xls workbooks are not supported: save it as .xlsx")
    if suffix not in CSV_SUFFIXES and suffix not in XLSX_SUFFIXES:
        shown = suffix or "no extension"
        raise InvalidInputError(f"{name}: cannot import a file with {shown}: use a .csv or .xlsx file")
    if sheet and suffix in CSV_SUFFIXES:
        raise InvalidInputError(f"{name}: --sheet applies to .xlsx workbooks only")
    if path is not None and not _GLOB.search(str(path.resolve())):  # read where it is
        check_size(path.stat().st_size, name)
        yield read_file(path.resolve(), name, sheet=sheet, arrived=arrived)
        return
    with tempfile.TemporaryDirectory(prefix="career-fit-read-") as scratch:
        target = Path(scratch) / f"upload{suffix}"
        if data is not None:
            target.write_bytes(data)
        else:
            assert path is not None
            shutil.copyfile(path, target)
        check_size(target.stat().st_size, name)
        yield read_file(target.resolve(), name, sheet=sheet, arrived=arrived)


def prefetch_path(path: Path, *, sheet: str | None = None) -> None:
    """Start reading the file at ``path`` in a child, as :func:`open_tables` will ask for it when the importer
    is given that path (see :func:`.sandbox.prefetch`); a name or path the importer would refuse or copy
    first is left alone."""
    target = path.expanduser()
    suffix = target.suffix.lower()
    if (suffix not in CSV_SUFFIXES and suffix not in XLSX_SUFFIXES) or (sheet and suffix in CSV_SUFFIXES):
        return
    try:
        resolved = target.resolve()
    except OSError:
        return
    if not _GLOB.search(str(resolved)):
        prefetch(resolved, target.name or "the file", sheet=sheet)


__all__ = ["forget_prefetched", "open_tables", "prefetch_path", "read_exactly", "read_part", "read_path"]


def read_exactly(table: Table) -> Table:
    """A fast-path CSV table read again keeping every row (when DuckDB's load did not match Python's reading)."""
    if table.csv_path is None:
        return table
    tables = read_file(Path(table.csv_path), table.name or "the file", exact=True)
    return tables[0]


def read_part(path: Path, name: str, part: tuple[int, int], *, bounds: Limits | None = None) -> list[tuple[int, Table]]:
    """Part of a workbook's tables, each with its place (the child's side of a workbook read by several
    children at once: see :func:`.xlsx_reader.read_xlsx_part`)."""
    bounds = bounds or Limits.current()
    check_size(path.stat().st_size, name, bounds.xlsx_bytes)
    from .xlsx_reader import read_xlsx_part

    return read_xlsx_part(path.read_bytes(), name, part, bounds=bounds)


def read_path(
    path: Path, name: str, *, sheet: str | None = None, exact: bool = False, bounds: Limits | None = None
) -> list[Table]:
    """Read the file at ``path`` in this process (the child's side of :func:`open_tables`)."""
    bounds = bounds or Limits.current()
    workbook = Path(name).suffix.lower() in XLSX_SUFFIXES
    check_size(path.stat().st_size, name, bounds.xlsx_bytes if workbook else bounds.csv_bytes)
    data = path.read_bytes()
    if workbook:
        from .xlsx_reader import read_xlsx  # (the .xlsx readers load only for a workbook)

        return read_xlsx(data, name, sheet=sheet, bounds=bounds)
    return [read_csv(data, name, path=path, bounds=bounds, exact=exact)]
