"""Loading the first ratings of a store in bulk: into a new table of the same definition, its key built once.

DuckDB checks and extends a primary key chunk by chunk as rows are inserted, and again when the transaction
commits: for the million ratings of a first import that is most of the import's time. An index built over rows
already in a table is built in one sorted pass instead. So when the ratings table is still empty, the import's
rows go into ``ratings_loading`` (the same columns, defaults and checks, read from the catalog), the primary key
is added to it, and it takes the empty table's place, all inside the import's transaction: the store ends
with exactly the table it had (checked), holding the rows. A key given twice is then refused when the
transaction commits rather than at the insert (:func:`is_key_violation` tells the importer so).
"""

from __future__ import annotations

from typing import Any

import duckdb

from ..errors import StoreError

_TABLE, _LOADING = "ratings", "ratings_loading"


def load_first_ratings(cur: duckdb.DuckDBPyConnection, select_sql: str, params: list[Any]) -> int | None:
    """Insert the rows of ``select_sql`` (the ratings' columns, in key order) into the empty ratings table by
    way of a new one; returns how many. None, with nothing done, when the table holds a rating already or its
    definition is one this module cannot copy (an index or a unique constraint besides the key)."""
    if _one(cur, f"SELECT EXISTS (SELECT 1 FROM {_TABLE})"):  # noqa: S608 - fixed name
        return None
    definition = _definition(cur, _TABLE)
    key = [c for c in definition[1] if c[0] == "PRIMARY KEY"]
    others = [c for c in definition[1] if c[0] not in ("PRIMARY KEY", "NOT NULL", "CHECK")]
    if len(key) != 1 or others or _one(cur, "SELECT count(*) FROM duckdb_indexes() WHERE table_name = ?", [_TABLE]):
        return None
    cur.execute(_create_sql(_LOADING, definition))
    if _definition(cur, _LOADING) != (definition[0], [c for c in definition[1] if c[0] != "PRIMARY KEY"]):
        cur.execute(f"DROP TABLE {_LOADING}")
        return None
    loaded = cur.execute(f"INSERT INTO {_LOADING} {select_sql}", params).fetchone()
    cur.execute(f"ALTER TABLE {_LOADING} ADD PRIMARY KEY ({', '.join(_quoted(c) for c in key[0][3])})")
    cur.execute(f"DROP TABLE {_TABLE}")
    cur.execute(f"ALTER TABLE {_LOADING} RENAME TO {_TABLE}")
    if _definition(cur, _TABLE) != definition:  # never expected: then nothing of the import is written
        raise StoreError("the ratings could not be loaded: the table's definition changed while loading")
    return int(loaded[0]) if loaded else 0


def is_key_violation(error: duckdb.Error) -> bool:
    """Whether a failed COMMIT refused a key given twice (the rows of :func:`load_first_ratings`)."""
    return "PRIMARY KEY or UNIQUE constraint" in str(error)


Definition = tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]


def _definition(cur: duckdb.DuckDBPyConnection, table: str) -> Definition:
    """A table's columns (name, type, default, nullable, in order) and its constraints, from the catalog."""
    columns = cur.execute(
        "SELECT column_name, data_type, column_default, is_nullable FROM duckdb_columns()"
        " WHERE database_name = current_database() AND schema_name = 'main' AND table_name = ?"
        " ORDER BY column_index",
        [table],
    ).fetchall()
    constraints = cur.execute(
        "SELECT constraint_type, constraint_text, expression, constraint_column_names FROM duckdb_constraints()"
        " WHERE database_name = current_database() AND schema_name = 'main' AND table_name = ? ORDER BY ALL",
        [table],
    ).fetchall()
    return columns, constraints


def _create_sql(name: str, definition: Definition) -> str:
    """CREATE TABLE for ``definition`` without its primary key (added once the rows are in)."""
    columns, constraints = definition
    parts = [
        f"{_quoted(column)} {kind}"
        + (f" DEFAULT {default}" if default is not None else "")
        + ("" if nullable else " NOT NULL")
        for column, kind, default, nullable in columns
    ]
    parts += [text for kind, text, _, _ in constraints if kind == "CHECK"]
    return f"CREATE TABLE {name} ({', '.join(parts)})"


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _one(cur: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> Any:
    row = cur.execute(sql, params or []).fetchone()
    return row[0] if row else None
