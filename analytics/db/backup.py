"""Whole-store operations: backing up, replacing everything from a file or an image, resetting, the export queries."""

from __future__ import annotations

import itertools
import os
from pathlib import Path
from typing import Any

import duckdb

from ..errors import StoreError
from ..vocabulary import DIMENSIONS
from .connection import Database, first_line, tuples
from .connection import value as scalar
from .reads import read_dimension_weights
from .schema import SCHEMA_VERSION, read_schema_version
from .writes import insert_default_profile

# Every table of user data, in the order a restore copies them; and the sequence that numbers each table.
_DATA_TABLES = (
    "criteria",
    "careers",
    "contacts",
    "interviews",
    "ratings",
    "imports",
    "settings",
    "rating_totals",
    "career_totals",
)
_SEQUENCES = {
    "criterion_ids": "criteria",
    "career_ids": "careers",
    "contact_ids": "contacts",
    "interview_ids": "interviews",
    "import_ids": "imports",
}
_SEQUENCE_OF = {table: sequence for sequence, table in _SEQUENCES.items()}
# The summaries a restore from a file rebuilds (see analytics.db.summaries) and an image carries.
_BELIEF_SUMMARIES = ("rating_patterns", "rating_spreads")
_SUMMARY_TABLES = frozenset({"rating_totals", "career_totals", *_BELIEF_SUMMARIES})
_ATTACH_NUMBERS = itertools.count(1)


def _advance_sequences(cur: duckdb.DuckDBPyConnection, tops: dict[str, int]) -> None:
    """Move each sequence past ``tops[sequence]``, the largest id of its table (after rows were copied in with
    their ids): one statement reads where they all stand, one moves those behind."""
    standing = dict(
        cur.execute(
            "SELECT sequence_name, coalesce(last_value, 0) FROM duckdb_sequences()"
            " WHERE database_name = current_database() AND sequence_name IN (SELECT unnest(?::VARCHAR[]))",
            [list(tops)],
        ).fetchall()
    )
    behind = [(sequence, top - int(standing.get(sequence, 0))) for sequence, top in tops.items()]
    moves = [(sequence, count) for sequence, count in behind if count > 0]
    if moves:
        cur.execute(
            "SELECT " + ", ".join(["(SELECT max(nextval(?)) FROM range(?))"] * len(moves)),  # noqa: S608
            [value for move in moves for value in move],
        )


def _largest_ids(cur: duckdb.DuckDBPyConnection, tables: list[str]) -> list[int]:
    """The largest id of each table (0 for an empty one), in one statement."""
    tops = ", ".join(f"(SELECT coalesce(max(id), 0) FROM {table})" for table in tables)  # noqa: S608
    return [int(top) for top in cur.execute(f"SELECT {tops}").fetchone() or ()]  # (fixed names)


class Backups(Database):
    """The store's whole-store methods: reset, backup to a file, replace from a file."""

    def reset(self, *, seed_defaults: bool = True) -> None:
        """Remove everything (careers, contacts, interviews, ratings, imports) and restart the profile."""
        with self.transaction() as cur:
            for table in ("ratings", "interviews", "contacts", "careers", "criteria", "imports", "settings"):
                cur.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
            if seed_defaults:
                insert_default_profile(cur)

    def backup_to(self, path: str | os.PathLike[str]) -> None:
        """Copy the whole database (schema, data, sequences) into a new DuckDB file at ``path``."""
        target = Path(path)
        if target.exists():
            raise StoreError(f"{target} already exists")
        target.parent.mkdir(parents=True, exist_ok=True)
        quoted = str(target).replace("'", "''")
        with self._write_lock, self.cursor() as cur:
            source = scalar(cur, "SELECT current_database()")
            cur.execute(f"ATTACH '{quoted}' AS career_fit_backup")
            try:
                cur.execute(f'COPY FROM DATABASE "{source}" TO career_fit_backup')
            finally:
                cur.execute("DETACH career_fit_backup")

    def replace_from(self, path: str | os.PathLike[str]) -> None:
        """Make this store hold exactly what the Career Fit file at ``path`` holds (restoring a backup).

        The file must have this version's schema (open it with :class:`Store` first to migrate it). Every
        table is replaced in one transaction: all of it lands, or nothing changes. Sequences move past the
        copied ids so that new rows never collide with restored ones.
        """
        source = Path(path)
        if not source.is_file():
            raise StoreError(f"{source.name}: there is no such backup")
        alias = f"career_fit_source_{next(_ATTACH_NUMBERS)}"
        quoted = str(source).replace("'", "''")
        with self._write_lock:
            with self.cursor() as cur:
                try:
                    cur.execute(f"ATTACH '{quoted}' AS {alias} (READ_ONLY)")
                except duckdb.Error as error:
                    raise StoreError(f"cannot read {source.name}: {first_line(str(error))}") from None
            try:
                with self.cursor() as cur:
                    version = read_schema_version(cur, f"{alias}.")
                if version != SCHEMA_VERSION:
                    raise StoreError(
                        f"{source.name} has schema {version}, not {SCHEMA_VERSION}: open it with Career Fit first"
                    )
                with self.transaction() as cur:
                    columns_of = _columns(cur, list(_DATA_TABLES))
                    for table in _DATA_TABLES:
                        columns = ", ".join(name for name, _ in columns_of[table])
                        cur.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
                        cur.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {alias}.{table}")  # noqa: S608
                    tops = _largest_ids(cur, list(_SEQUENCES.values()))
                    _advance_sequences(cur, dict(zip(_SEQUENCES, tops, strict=True)))
            finally:
                with self.cursor() as cur:
                    cur.execute(f"DETACH {alias}")

    def replace_with(self, image: StoreImage) -> None:
        """Make this store hold exactly what ``image`` (see :func:`image_of`) holds, in one transaction.

        Like :meth:`replace_from` without a file in between: each table's columns travel as typed lists,
        which for a small store (the demo) is quicker than writing and attaching a file. The image's rating
        summaries agreed with its ratings where it was taken (every write keeps them so): they are copied as
        they are, not rebuilt (an image without them has them rebuilt).
        """
        with self.transaction(touches_ratings=not image.keys() >= _SUMMARY_TABLES) as cur:
            tops: dict[str, int] = {}
            for table, (columns, lists) in image.items():
                cur.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
                if lists and lists[0]:
                    names = ", ".join(name for name, _ in columns)
                    unnest = ", ".join(f"unnest(?::{kind}[]) AS {name}" for name, kind in columns)
                    cur.execute(f"INSERT INTO {table} ({names}) SELECT {unnest}", [list(c) for c in lists])
                if table in _SEQUENCE_OF:
                    ids = lists[[name for name, _ in columns].index("id")] if lists else ()
                    tops[_SEQUENCE_OF[table]] = max(ids, default=0)
            _advance_sequences(cur, tops)


# Per table: its columns as (name, type) and its rows as one tuple of values per column.
StoreImage = dict[str, tuple[tuple[tuple[str, str], ...], tuple[tuple[Any, ...], ...]]]


def image_of(store: Database, *, with_import_log: bool = True) -> StoreImage:
    """Everything ``store`` holds, its rating summaries included, as values in memory that
    :meth:`Backups.replace_with` writes back.

    Without the import log, replacing with the image keeps the target's own log.
    """
    tables = [t for t in (*_DATA_TABLES, *_BELIEF_SUMMARIES) if with_import_log or t != "imports"]
    with store.cursor() as cur:
        columns = _columns(cur, tables)
        return {table: (columns[table], _table_lists(cur, table, columns[table])) for table in tables}


def _columns(cur: duckdb.DuckDBPyConnection, tables: list[str]) -> dict[str, tuple[tuple[str, str], ...]]:
    """Each table's columns as (name, type), in order, from one catalog query."""
    found = cur.execute(
        "SELECT table_name, list(column_name ORDER BY column_index), list(data_type ORDER BY column_index)"
        " FROM duckdb_columns() WHERE database_name = current_database() AND schema_name = 'main'"
        " AND table_name IN (SELECT unnest(?::VARCHAR[])) GROUP BY table_name",
        [tables],
    ).fetchall()
    return {table: tuple(zip(names, kinds, strict=True)) for table, names, kinds in found}


def _table_lists(
    cur: duckdb.DuckDBPyConnection, table: str, columns: tuple[tuple[str, str], ...]
) -> tuple[tuple[Any, ...], ...]:
    """A table's rows as one tuple per column."""
    names = ", ".join(name for name, _ in columns)
    found = cur.execute(f"SELECT {names} FROM {table}").fetchall()  # noqa: S608 - fixed names
    return tuple(zip(*found, strict=True)) if found else ()


_EXPORT_QUERIES: dict[str, str] = {
    "criteria": "SELECT name, dimension, weight, description, onet_element FROM criteria ORDER BY position, id",
    "dimensions": "",
    "careers": "SELECT name, notes, onet_code FROM careers ORDER BY name_key, id",
    "contacts": (
        "SELECT name, role, organisation, how_found, introduced_by, email, notes FROM contacts ORDER BY name_key, id"
    ),
    "interviews": (
        "SELECT c.name, i.interviewee, i.held_on, i.stage, i.goals, i.questions, i.notes, i.identified_on,"
        " i.requested_on, i.scheduled_for, i.completed_on, i.thanked_on, i.declined_on, i.researched_org,"
        " i.researched_person, i.questions_prepared, i.homework_notes"
        " FROM interviews i JOIN careers c ON c.id = i.career_id"
        " ORDER BY c.name_key, i.held_on NULLS FIRST, i.interviewee_key, i.id"
    ),
    "ratings": (
        "SELECT c.name, coalesce(i.interviewee, ''), i.held_on, k.name, k.dimension,"
        " CAST(r.value AS DOUBLE), r.source"
        " FROM ratings r JOIN careers c ON c.id = r.career_id JOIN criteria k ON k.id = r.criterion_id"
        " LEFT JOIN interviews i ON i.id = r.interview_id AND r.source = 'interview'"
        " ORDER BY r.source DESC, c.name_key, i.held_on NULLS FIRST, i.interviewee_key, k.position, k.id"
    ),
}


def export_records(store: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Everything a workbook export holds, as rows in a stable order (interviews before expectations)."""
    with store.cursor() as cur:
        tables = {name: tuples(cur, sql) for name, sql in _EXPORT_QUERIES.items() if sql}
        weights = read_dimension_weights(cur)
    tables["dimensions"] = [(d, weights[d]) for d in DIMENSIONS]
    return tables
