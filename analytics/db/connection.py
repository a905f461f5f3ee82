"""One DuckDB connection per store: opening it, the write lock, cursors, transactions and the query helpers.

A single DuckDB connection used from two Streamlit script threads fails with "connection is busy", so
each unit of work takes its own ``cursor()``. Writes additionally hold a process-wide lock per file so
that concurrent sessions never lose an update to an optimistic-concurrency conflict. Reads go through
:func:`rows`, :func:`records` and friends, which name every value by its column (never by position).
"""

from __future__ import annotations

import dataclasses
import itertools
import os
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import duckdb

from ..errors import InvalidInputError, StoreError, StoreLockedError
from .summaries import refresh_totals

MEMORY = ":memory:"

Record = TypeVar("Record")


def default_db_path() -> Path:
    """A per-user data file that survives restarts, where each platform keeps application data.

    ``platformdirs`` knows each platform's rule ($XDG_DATA_HOME on Linux, Application Support on macOS, the
    roaming %APPDATA% on Windows, where earlier versions kept the file too).
    """
    from platformdirs import user_data_path  # (loaded only when the default file is asked for)

    return user_data_path("career-fit", appauthor=False, roaming=True) / "career-fit.duckdb"


def resolve_db_path(explicit: str | os.PathLike[str] | None = None) -> str:
    """``--db`` first, then ``$CAREER_FIT_DB``, then the per-user data file."""
    if explicit:
        return str(explicit)
    from_env = os.environ.get("CAREER_FIT_DB", "").strip()
    if from_env:
        return from_env
    return str(default_db_path())


# DuckDB never fetches or loads an extension on its own: a file that needs one (SQLite, a remote URL) is
# refused instead of making DuckDB download code.
CONFIG = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}
# "s3://...", "md:...", "http://...": any scheme of two or more letters (a Windows drive letter has one).
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:")
_DUCKDB_MAGIC = b"DUCK"  # bytes 8-11 of every DuckDB database file


def not_ours(path: str) -> str:
    """The message for a file that is not a Career Fit data file (never written to)."""
    return f"{path} is not a Career Fit data file: choose another --db (nothing was changed in it)"


def checked_location(path: str, *, create_folder: bool) -> Path:
    """The local file ``path`` names, after the checks that need no DuckDB: a local path (no URL or
    ``scheme:``), not a folder, in a folder that exists (created only when ``create_folder``): else
    :class:`InvalidInputError`; and if the file exists, a DuckDB database (a SQLite file, a spreadsheet...
    is refused with :class:`StoreError` before DuckDB opens it, so DuckDB never reaches for an extension)."""
    if _SCHEME.match(path):
        raise InvalidInputError(f"{path} is not a local file: Career Fit keeps its data in a file on this computer")
    target = Path(path).expanduser()
    if target.is_dir():
        example = target / "career-fit.duckdb"
        raise InvalidInputError(f"{path} is a folder: give the path of a data file (for example {example})")
    if not target.parent.is_dir():
        if not create_folder:
            raise InvalidInputError(
                f"{path}: the folder {target.parent} does not exist: create it first or choose another --db"
            )
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreError(f"cannot create the folder {target.parent}: {error.strerror or error}") from None
    if target.is_file() and target.stat().st_size > 0:
        try:
            with open(target, "rb") as handle:
                header = handle.read(12)
        except OSError as error:
            raise StoreError(f"cannot open {path}: {error.strerror or error}") from None
        if header[8:12] != _DUCKDB_MAGIC:
            raise StoreError(not_ours(path))
    return target


def connect(path: str, *, read_only: bool = False, threads: int | None = None) -> duckdb.DuckDBPyConnection:
    """Open ``path`` (or memory), turning DuckDB's errors into one line a person can act on. ``threads``: how
    many threads DuckDB may use (None: its default, one per core)."""
    config: dict[str, Any] = dict(CONFIG)
    if threads is not None:
        config["threads"] = threads
    try:
        return duckdb.connect(path, read_only=read_only, config=config)
    except duckdb.IOException as error:
        message = str(error)
        if "lock" in message.lower():
            raise StoreLockedError(
                f"{path} is in use by another program (most likely the Career Fit app is running); "
                "close it or use another --db"
            ) from None
        raise StoreError(f"cannot open {path}: {first_line(message)}") from None
    except duckdb.Error as error:
        raise StoreError(f"cannot open {path}: {first_line(str(error))}") from None


def first_line(message: str) -> str:
    return message.strip().splitlines()[0] if message.strip() else "unknown error"


_WRITE_LOCKS: dict[str, threading.RLock] = {}
_SCRATCH_NUMBERS = itertools.count(1)
_WRITE_LOCKS_GUARD = threading.Lock()


def _write_lock_for(path: str) -> threading.RLock:
    with _WRITE_LOCKS_GUARD:
        return _WRITE_LOCKS.setdefault(path, threading.RLock())


# -- the query helpers: every read names its values by column ---------------------------------------


def rows(cur: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
    """Every row of ``sql`` as a dict keyed by the column names of ``cursor.description``."""
    cur.execute(sql, list(params))
    names = [column[0] for column in cur.description or ()]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def one(cur: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] = ()) -> dict[str, Any] | None:
    """The first row of ``sql`` as a dict by column name, or None."""
    cur.execute(sql, list(params))
    row = cur.fetchone()
    if row is None:
        return None
    return dict(zip([column[0] for column in cur.description or ()], row, strict=True))


def records(
    cur: duckdb.DuckDBPyConnection, build: Callable[..., Record], sql: str, params: Sequence[Any] = ()
) -> list[Record]:
    """Every row of ``sql`` as a ``build`` record, each field filled from the column of the same name.

    A read may return thousands of records (every career, for each ranking): when the columns are, by name,
    the record's first fields in order, the values go in by position, with no dictionary per row."""
    cur.execute(sql, list(params))
    names = [column[0] for column in cur.description or ()]
    fields = [field.name for field in dataclasses.fields(build)] if dataclasses.is_dataclass(build) else []
    if fields[: len(names)] == names:
        return [build(*row) for row in cur.fetchall()]
    return [build(**dict(zip(names, row, strict=True))) for row in cur.fetchall()]


def record(
    cur: duckdb.DuckDBPyConnection, build: Callable[..., Record], sql: str, params: Sequence[Any] = ()
) -> Record | None:
    """The first row of ``sql`` as a ``build`` record (fields by column name), or None."""
    row = one(cur, sql, params)
    return None if row is None else build(**row)


def value(cur: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] = ()) -> Any:
    """The single value of a one-column, one-row query (None when it returns no row)."""
    row = cur.execute(sql, list(params)).fetchone()
    return None if row is None else row[0]


def mapping(cur: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] = ()) -> dict[Any, Any]:
    """A two-column query as a dict from the first column to the second."""
    return dict(cur.execute(sql, list(params)).fetchall())


def tuples(cur: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    """Rows as plain tuples, for the few hot reads that hand thousands of rows to code that unpacks them by the
    column order their docstring gives (building a dict per row costs more than the query)."""
    return cur.execute(sql, list(params)).fetchall()


class Database:
    """One DuckDB database (a file, or memory): its connection, write lock, cursors and transactions."""

    def __init__(
        self,
        path: str | os.PathLike[str] = MEMORY,
        *,
        read_only: bool = False,
        threads: int | None = None,
        beside: Database | None = None,
    ) -> None:
        """Open the database at ``path``; ``read_only`` for commands that only read (a missing file then reads
        as a new, empty store, and is not created); ``threads``: see :func:`connect`.

        Only the default per-user file gets its folder created: a ``--db`` in a folder that does not exist
        is a mistake to report, not a new store to start somewhere unexpected.

        ``beside``: instead, a new database in memory inside that database's DuckDB instance (attached to it, and
        detached again by :meth:`close`) with its tables, empty, and its sequences, new: a scratch store for work
        whose result is copied into the host (the demo's import). A DuckDB instance of its own costs some 20 ms
        to start, and making its tables step by step some 15 ms more; an attached copy of the shape, 2 ms.
        """
        self._catalog: str | None = None
        if beside is not None:
            self._open_beside(beside)
            return
        self.path = str(path)
        self.in_memory = self.path == MEMORY
        self.read_only = read_only and not self.in_memory
        location = self.path
        if not self.in_memory:
            wanted = Path(self.path).expanduser()
            # (the default file's folder is created; the default path is worked out only when a folder is missing)
            target = checked_location(
                self.path, create_folder=not wanted.parent.is_dir() and wanted == default_db_path()
            )
            location = str(target)
            if self.read_only and not target.is_file():
                # Nothing to read yet: read a new, empty store in memory, and create no file.
                location, self.in_memory, self.read_only = MEMORY, True, False
        self._location = location
        self._threads = threads
        self._connection = connect(location, read_only=self.read_only, threads=threads)
        self._write_lock = threading.RLock() if self.in_memory else _write_lock_for(self.path)
        # Bumped by every committed write; lets callers cache pure results of the current data.
        self.revision = 0

    def _open_beside(self, host: Database) -> None:
        self.path, self.in_memory, self.read_only = MEMORY, True, False
        self._location, self._threads = MEMORY, None
        self._catalog = f"career_fit_scratch_{next(_SCRATCH_NUMBERS)}"
        self._connection = host._connection
        with host.cursor() as cur:
            shape = _shape(cur)
            cur.execute(f"ATTACH ':memory:' AS {self._catalog}")
        self._write_lock = threading.RLock()
        self.revision = 0
        if shape:
            with self.cursor() as cur:
                cur.execute(shape)

    def close(self) -> None:
        if self._catalog is not None:  # (the host's connection stays open: only this database goes)
            with self._connection.cursor() as cur:
                cur.execute(f"DETACH DATABASE IF EXISTS {self._catalog}")
            return
        self._connection.close()

    def reopen(self, *, read_only: bool) -> None:
        """Close the connection and open the same file again, read-only or not (never for memory)."""
        if self.in_memory:
            return
        self._connection.close()
        self.read_only = read_only
        self._connection = connect(self._location, read_only=read_only, threads=self._threads)

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor for one unit of reading work."""
        cur = self._connection.cursor()
        try:
            if self._catalog is not None:
                cur.execute(f"USE {self._catalog}")
            yield cur
        finally:
            cur.close()

    @contextmanager
    def write_lock(self) -> Iterator[None]:
        """This store's write lock (shared by every Store of the same file in this process)."""
        with self._write_lock:
            yield

    @contextmanager
    def transaction(self, *, touches_ratings: bool = True) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor inside one transaction: everything it writes lands, or nothing does.

        Unless the caller promises not to change ratings, the rating summaries are rebuilt inside the same
        transaction before it commits, so they can never disagree with the ratings.
        """
        with self._write_lock, self.cursor() as cur:
            cur.execute("BEGIN TRANSACTION")
            try:
                yield cur
                if touches_ratings:
                    refresh_totals(cur)
            except BaseException:
                cur.execute("ROLLBACK")
                raise
            cur.execute("COMMIT")
            self.revision += 1


def _shape(cur: duckdb.DuckDBPyConnection) -> str:
    """The statements that make, in another database, the tables of this one (empty), its indexes and its
    sequences (new: at their first value, whatever this database's have reached or were copied with)."""
    sequences = [
        f'CREATE SEQUENCE "{name}" INCREMENT BY {step} MINVALUE {low} MAXVALUE {high}'
        f" START {low if step > 0 else high} {'CYCLE' if cycle else 'NO CYCLE'}"
        for name, step, low, high, cycle in cur.execute(
            "SELECT replace(sequence_name, '\"', '\"\"'), increment_by, min_value, max_value, cycle"
            " FROM duckdb_sequences() WHERE database_name = current_database() AND NOT temporary ORDER BY sequence_oid"
        ).fetchall()
    ]
    tables = [
        sql
        for (sql,) in cur.execute(
            "SELECT sql FROM duckdb_tables() WHERE database_name = current_database() AND NOT temporary"
            " ORDER BY table_oid"
        ).fetchall()
    ]
    indexes = [
        sql
        for (sql,) in cur.execute(
            "SELECT sql FROM duckdb_indexes() WHERE database_name = current_database()"
            " AND sql IS NOT NULL ORDER BY index_oid"
        ).fetchall()
    ]
    return "\n".join(statement.rstrip().rstrip(";") + ";" for statement in (*sequences, *tables, *indexes))
