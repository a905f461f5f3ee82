"""Import staging: a spreadsheet staged into temporary tables, validated and written set-wise.

Used by analytics/spreadsheets/ingest.py. A spreadsheet is staged into temporary tables of the importing cursor
(``_cf_*``, numbered by a slot per sheet), validated and written set-wise, so a million ratings never
go through a Python loop. User text only ever reaches DuckDB as bound parameters or inside data files
read with read_csv; identifiers are built here from numbers. The staged ratings are written by
:mod:`analytics.db.rating_writes`; the small sheets (criteria, careers, contacts, interviews, dimension
weights) and the import log by :mod:`analytics.db.sheet_writes`.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, NamedTuple

import duckdb

from .connection import Database
from .summaries import refresh_totals
from .writes import name_key


@contextmanager
def import_cursor(store: Database) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor of its own for one import: its ``_cf_*`` temp tables vanish with it."""
    with store.cursor() as cur:
        yield cur


@contextmanager
def import_transaction(
    store: Database,
    cur: duckdb.DuckDBPyConnection,
    *,
    dry_run: bool,
    rating_slots: Sequence[int] = (),
    large: bool = False,
    rated_careers: Mapping[int, Sequence[int] | None] | None = None,
) -> Iterator[None]:
    """The write part of an import, on the cursor that staged it: all of it lands, or (dry run, error)
    none of it. Staging runs before, outside any transaction, because a failed read (the fast path
    declining a file) would otherwise abort the transaction. ``rating_slots``: the slots whose ratings
    :func:`.rating_writes.apply_rating_rows` added or changed, filled while the block runs (their careers'
    summaries are refreshed before the commit; with none, no summary is). ``large``: the block writes
    hundreds of thousands of ratings (see :func:`_log_then_checkpoint`). ``rated_careers``: by slot, the ids of
    the careers its ratings sheet names when :func:`.rating_writes.apply_rating_rows` listed them (None: too
    many to list), also filled while the block runs; a slot with no entry has its careers looked up."""
    with store.write_lock():
        cur.execute("BEGIN TRANSACTION")
        try:
            yield
        except BaseException:
            cur.execute("ROLLBACK")
            raise
        if dry_run:
            cur.execute("ROLLBACK")
            return
        try:
            # the summaries the ranking reads follow the ratings
            refresh_totals(cur, _imported_careers(cur, rating_slots, rated_careers or {}))
        except BaseException:
            cur.execute("ROLLBACK")
            raise
        with _log_then_checkpoint(cur, large=large):
            cur.execute("COMMIT")  # (a commit that fails is rolled back by DuckDB)
        store.revision += 1


# Above DuckDB's largest size: no commit checkpoints on its own while this is the threshold.
_NO_AUTOMATIC_CHECKPOINT = "1000 GiB"


@contextmanager
def _log_then_checkpoint(cur: duckdb.DuckDBPyConnection, *, large: bool) -> Iterator[None]:
    """Commit a large write (an import of hundreds of thousands of ratings) into the write-ahead log, then
    checkpoint: quicker than the checkpoint DuckDB would otherwise run inside the COMMIT of so large a
    transaction (a first import of a million ratings as a whole ``career-fit import``, DuckDB 2.0.1, quiet
    machine, seven alternating runs: median 1.41 s against 1.74 s with that COMMIT; in the process, commit and
    checkpoint 0.21-0.22 s against 0.32-0.37 s for that COMMIT). The commit is as durable either way (the log is on disk
    when COMMIT returns). The threshold is DuckDB's, not the cursor's, so it is put back at once; the
    checkpoint is skipped when another transaction is open (DuckDB then checkpoints later, or at close)."""
    if not large:
        yield
        return
    threshold = _one(cur.execute("SELECT current_setting('checkpoint_threshold')"))[0]
    cur.execute(f"SET GLOBAL checkpoint_threshold = '{_NO_AUTOMATIC_CHECKPOINT}'")
    try:
        yield
    finally:
        cur.execute("SET GLOBAL checkpoint_threshold = ?", [threshold])
    with suppress(duckdb.Error):  # (another transaction is open: the log holds the import until the next checkpoint)
        cur.execute("CHECKPOINT")


def _imported_careers(
    cur: duckdb.DuckDBPyConnection, slots: Sequence[int], listed: Mapping[int, Sequence[int] | None]
) -> list[int]:
    """The careers the import's ratings sheets name (``_cf_careers{slot}``, made by
    :func:`.rating_writes.apply_rating_rows`, or as it ``listed`` them): the only ones whose rating summaries it
    can change. Other sheets write no ratings."""
    if not slots:
        return []
    known = [listed.get(slot) for slot in slots]
    if all(careers is not None for careers in known):
        return sorted({career for careers in known if careers is not None for career in careers})
    union = " UNION ".join(named_careers(int(slot)) for slot in slots)
    return [row[0] for row in cur.execute(union).fetchall()]


def named_careers(slot: int) -> str:
    """A query of the ids of the careers a ratings sheet names (``_cf_careers{slot}``, made by
    :func:`.rating_writes.apply_rating_rows`), looked up by name: new ones too, once written."""
    return f"SELECT c.id FROM _cf_careers{slot} k JOIN careers c ON c.name_key = k.key"  # noqa: S608


def drop_staged(cur: duckdb.DuckDBPyConnection, slot: int) -> None:
    """Forget a slot's raw staging (before staging it again another way)."""
    cur.execute(f"DROP VIEW IF EXISTS _cf_raw{slot}")
    cur.execute(f"DROP TABLE IF EXISTS _cf_raw{slot}")
    cur.execute(f"DROP TABLE IF EXISTS _cf_file{slot}")


_STAGING_CSV = (
    "read_csv(?, header = false, auto_detect = false, delim = ?, quote = '\"', escape = '\"',"
    " strict_mode = true, columns = {columns})"
)


def _column_spec(names: list[str]) -> str:
    return "{" + ", ".join(f"'{name}': 'VARCHAR'" for name in names) + "}"


def _raw_columns(width: int) -> list[str]:
    return [f"c{i}" for i in range(width)]


def _write_staging_csv(path: Path, rows: Any) -> None:
    """Rows of text (None = NULL) as a CSV that :func:`stage_rows` reads back exactly."""
    import csv

    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(rows)


def stage_file(cur: duckdb.DuckDBPyConnection, slot: int, path: str, *, width: int, delimiter: str) -> tuple[int, int]:
    """Stage a UTF-8 CSV as DuckDB reads it (the fast path): ``_cf_raw{slot}(_row, c0..)`` without the
    header record, ``_row`` being the record number (header = 1). Returns the number of records and of
    characters in all their fields, for the importer to check against Python's reading of the file."""
    columns = _column_spec(_raw_columns(width))
    sql = f"CREATE TEMP TABLE _cf_file{slot} AS SELECT * FROM {_STAGING_CSV.format(columns=columns)}"  # noqa: S608
    cur.execute(sql, [path, delimiter])
    cur.execute(
        f"CREATE TEMP VIEW _cf_raw{slot} AS SELECT CAST(rowid + 1 AS INTEGER) AS _row, "  # noqa: S608
        f"{', '.join(_raw_columns(width))} FROM _cf_file{slot} WHERE rowid > 0"
    )
    # (a sum per column: half the work of the length of every row's cells joined together)
    every = " + ".join(f"coalesce(sum(length({column})), 0)" for column in _raw_columns(width))
    counted = cur.execute(f"SELECT count(*), {every} FROM _cf_file{slot}").fetchone()  # noqa: S608
    assert counted is not None
    return int(counted[0]), int(counted[1])


def stage_rows(
    cur: duckdb.DuckDBPyConnection,
    slot: int,
    rows: list[tuple[int, list[str | None]]],
    *,
    width: int,
    scratch: Path,
    columns: list[int] | None = None,
) -> None:
    """Stage rows already read by Python as ``_cf_raw{slot}(_row, c0..)``: every column, or only
    ``columns`` (a wide table's criterion cells go to :func:`stage_cells` instead)."""
    kept = list(range(width)) if columns is None else columns
    _load_table(
        cur,
        f"_cf_raw{slot}",
        [("_row", "INTEGER"), *((f"c{i}", "VARCHAR") for i in kept)],
        (
            ([number, *cells] for number, cells in rows)
            if columns is None
            else ([number, *(cells[i] for i in kept)] for number, cells in rows)
        ),
        scratch,
    )


def stage_cells(
    cur: duckdb.DuckDBPyConnection,
    slot: int,
    rows: list[tuple[int, list[str | None]]],
    criteria: list[tuple[int, int, int]],
    scratch: Path,
) -> list[str]:
    """A wide table's criterion cells, read by Python, staged long as :func:`unpivot_ratings` would:
    ``_cf_cells{slot}`` with one row per cell. Returns the distinct non-blank rating cells."""
    _load_table(
        cur,
        f"_cf_cells{slot}",
        [
            ("_row", "INTEGER"),
            ("col", "INTEGER"),
            ("criterion_r", "INTEGER"),
            ("criterion_k", "INTEGER"),
            ("rating_raw", "VARCHAR"),
        ],
        ((number, column, rid, kid, cells[column]) for number, cells in rows for column, rid, kid in criteria),
        scratch,
    )
    found = cur.execute(f"SELECT DISTINCT rating_raw FROM _cf_cells{slot} WHERE rating_raw IS NOT NULL")  # noqa: S608
    return [row[0] for row in found.fetchall()]


# Up to this many rows are handed to DuckDB as lists; more go through a CSV file.
_LISTED_ROWS = 1000


def _load_table(
    cur: duckdb.DuckDBPyConnection, table: str, columns: list[tuple[str, str]], rows: Any, scratch: Path
) -> None:
    """Create temp ``table`` from Python rows: a few as lists of text (bound parameters), many through a CSV
    file (far quicker than executemany, or than lists, for thousands of rows): a new file of this user's only,
    in the folder ``scratch``, removed once read."""
    rows = [list(row) for row in rows]
    if not rows:
        cur.execute(f"CREATE TEMP TABLE {table} ({', '.join(f'{name} {kind}' for name, kind in columns)})")
        return
    if len(rows) > _LISTED_ROWS:
        try:
            _load_arrays(cur, table, columns, rows)
            return
        except duckdb.Error:  # (values DuckDB declines to scan as arrays: the CSV file below)
            cur.execute(f"DROP TABLE IF EXISTS {table}")
        handle, name = tempfile.mkstemp(prefix=f"career-fit-{table}-", suffix=".csv", dir=scratch)
        os.close(handle)
        path = Path(name)
        _write_staging_csv(path, rows)
        names = [name for name, _ in columns]
        casts = ", ".join(f"CAST({name} AS {kind}) AS {name}" for name, kind in columns)
        try:
            cur.execute(
                f"CREATE TEMP TABLE {table} AS SELECT {casts} FROM "  # noqa: S608
                f"{_STAGING_CSV.format(columns=_column_spec(names))}",
                [str(path), ","],
            )
            return
        except duckdb.Error:
            # Text DuckDB's CSV reader declines (a cell over its line limit...): hand over the columns as lists.
            cur.execute(f"DROP TABLE IF EXISTS {table}")
        finally:
            path.unlink(missing_ok=True)
    selects = ", ".join(f"CAST(unnest(?::VARCHAR[]) AS {kind}) AS {name}" for name, kind in columns)
    lists = [[None if v is None or v == "" else str(v) for v in column] for column in zip(*rows, strict=True)]
    cur.execute(f"CREATE TEMP TABLE {table} AS SELECT {selects}", lists)


def load_ahead() -> None:
    """Load what staging a large sheet needs (NumPy: see :func:`_load_arrays`) ahead of it: the importer calls
    this while the children still read a large workbook, so that the load costs the import no time."""
    import numpy  # noqa: F401


def _load_arrays(
    cur: duckdb.DuckDBPyConnection, table: str, columns: list[tuple[str, str]], rows: list[list[Any]]
) -> None:
    """Create temp ``table`` from many rows handed over as one NumPy array per column, which DuckDB scans in
    bulk: several times quicker than writing them to a CSV file and reading it back (40,000 rows of a saved
    workbook's ratings sheet: ~0.03 s against ~0.1 s). An empty text is NULL, as in that file."""
    import numpy  # (only for a large sheet read by Python)

    view = f"_cf_arrays_{table}"
    arrays = {
        name: numpy.array(values, dtype=object)
        for (name, _), values in zip(columns, zip(*rows, strict=True), strict=True)
    }
    casts = ", ".join(
        f"CAST(NULLIF({name}, '') AS {kind}) AS {name}" if kind == "VARCHAR" else f"CAST({name} AS {kind}) AS {name}"
        for name, kind in columns
    )
    cur.register(view, arrays)
    try:
        cur.execute(f"CREATE TEMP TABLE {table} AS SELECT {casts} FROM {view}")  # noqa: S608
    finally:
        cur.unregister(view)


def distinct_cells(
    cur: duckdb.DuckDBPyConnection,
    slot: int,
    columns: list[int],
    rows: list[tuple[int, list[str | None]]] | None = None,
) -> list[str]:
    """Every distinct non-null value of the given raw columns (the work left to Python is per value).
    ``rows``: the staged rows, when Python read them; a few hundred are looked at here (staged as lists,
    their empty cells are null)."""
    if not columns:
        return []
    if rows is not None and len(rows) <= _LISTED_ROWS:
        return list({value for _, cells in rows for i in columns if (value := cells[i])})
    union = " UNION ALL ".join(f"SELECT c{i} AS v FROM _cf_raw{slot} WHERE c{i} IS NOT NULL" for i in columns)  # noqa: S608
    return [row[0] for row in cur.execute(f"SELECT DISTINCT v FROM ({union})").fetchall()]  # noqa: S608


def unpivot_ratings(
    cur: duckdb.DuckDBPyConnection, slot: int, criteria: list[tuple[int, int, int]], scratch: Path
) -> list[str]:
    """Unpivot a wide table's criterion columns once: ``_cf_cells{slot}(_row, col, criterion_r,
    criterion_k, rating_raw)``, one row per cell (blank cells included), so that ten thousand criterion
    columns cost what ten thousand rows do. ``criteria`` holds (raw column, rid, kid) of each criterion
    column. Returns the distinct non-blank rating cells."""
    _load_table(
        cur,
        f"_cf_wide{slot}",
        [("name", "VARCHAR"), ("col", "INTEGER"), ("rid", "INTEGER"), ("kid", "INTEGER")],
        [(f"c{column}", column, rid, kid) for column, rid, kid in criteria],
        scratch,
    )
    listed = ", ".join(f"c{column}" for column, _, _ in criteria)
    cur.execute(
        f"""
        CREATE TEMP TABLE _cf_cells{slot} AS
        SELECT u._row, w.col, w.rid AS criterion_r, w.kid AS criterion_k, u.rating_raw
        FROM (SELECT _row, {listed} FROM _cf_raw{slot}) UNPIVOT INCLUDE NULLS (rating_raw FOR name IN ({listed})) u
        JOIN _cf_wide{slot} w ON w.name = u.name
        """  # noqa: S608
    )
    found = cur.execute(f"SELECT DISTINCT rating_raw FROM _cf_cells{slot} WHERE rating_raw IS NOT NULL")  # noqa: S608
    return [row[0] for row in found.fetchall()]


def build_text_map(
    cur: duckdb.DuckDBPyConnection,
    slot: int,
    columns: list[int],
    extra: list[str],
    *,
    from_csv: bool,
    clean: Callable[[str], str],
    scratch: Path,
    rows: list[tuple[int, list[str | None]]] | None = None,
) -> dict[str, tuple[int, int]]:
    """``_cf_text{slot}(raw, rid, kid, clean, key)`` for every distinct text of ``columns`` and ``extra``.

    Printable-ASCII texts (nearly all of them) are cleaned here, where trimming and lower-casing agree
    exactly with Python's ``strip`` and ``casefold``; the rest goes through ``clean`` (the importer's rule)
    and the store's ``name_key`` (composed, invisible characters dropped, case-folded). Blank texts get no
    entry (id 0). Returns (rid, kid) of each ``extra`` text. ``rows``: the staged rows, when Python read
    them; a few hundred are mapped in Python (by the same two rules), which is one statement instead of five.
    """
    if rows is not None and len(rows) <= _LISTED_ROWS:
        raws = {cells[i] for _, cells in rows for i in columns} | set(extra)
        return _text_map_here(cur, slot, raws, extra, clean, scratch)
    union = " UNION ALL ".join(
        [f"SELECT c{i} AS v FROM _cf_raw{slot} WHERE c{i} IS NOT NULL" for i in columns]  # noqa: S608
        + ["SELECT unnest(CAST(? AS VARCHAR[])) AS v"]
    )
    cur.execute(f"CREATE TEMP TABLE _cf_distinct{slot} AS SELECT DISTINCT v AS raw FROM ({union})", [extra])  # noqa: S608
    simple = "regexp_full_match(raw, '[ -~]*')"
    cur.execute(
        f"CREATE TEMP TABLE _cf_clean{slot} AS SELECT raw, CASE WHEN ? AND regexp_matches(t, '^''+[=+@-]')"  # noqa: S608
        f" THEN substr(t, 2) ELSE t END AS clean FROM (SELECT raw, trim(raw) AS t FROM _cf_distinct{slot}"
        f" WHERE {simple})",
        [from_csv],
    )
    others = [raw for (raw,) in cur.execute(f"SELECT raw FROM _cf_distinct{slot} WHERE NOT {simple}").fetchall()]  # noqa: S608
    cleaned = [(raw, text, name_key(text)) for raw in others if (text := clean(raw)) and name_key(text)]
    unusual = ""
    if cleaned:
        unusual_columns = [("raw", "VARCHAR"), ("clean", "VARCHAR"), ("key", "VARCHAR")]
        _load_table(cur, f"_cf_unusual{slot}", unusual_columns, cleaned, scratch)
        unusual = f" UNION ALL SELECT raw, clean, key FROM _cf_unusual{slot}"  # noqa: S608
    cur.execute(
        f"""
        CREATE TEMP TABLE _cf_text{slot} AS
        SELECT raw, CAST(row_number() OVER (ORDER BY raw) AS INTEGER) AS rid,
            CAST(dense_rank() OVER (ORDER BY key) AS INTEGER) AS kid, clean, key
        FROM (SELECT raw, clean, lower(clean) AS key FROM _cf_clean{slot} WHERE clean <> ''{unusual})
        """  # noqa: S608
    )
    found = cur.execute(
        f"SELECT raw, rid, kid FROM _cf_text{slot} WHERE raw IN (SELECT unnest(CAST(? AS VARCHAR[])))",  # noqa: S608
        [extra],
    ).fetchall()
    return {raw: (rid, kid) for raw, rid, kid in found}


def _text_map_here(
    cur: duckdb.DuckDBPyConnection,
    slot: int,
    raws: set[str | None],
    extra: list[str],
    clean: Callable[[str], str],
    scratch: Path,
) -> dict[str, tuple[int, int]]:
    """:func:`build_text_map` for a few texts, all cleaned by ``clean`` and ``name_key`` here (ids: by raw text
    and by key, in code point order, as DuckDB orders them)."""
    entries = sorted((raw, text, key) for raw in raws if raw and (text := clean(raw)) and (key := name_key(text)))
    kids = {key: number for number, key in enumerate(sorted({key for _, _, key in entries}), start=1)}
    table = [(raw, rid, kids[key], text, key) for rid, (raw, text, key) in enumerate(entries, start=1)]
    columns = [("raw", "VARCHAR"), ("rid", "INTEGER"), ("kid", "INTEGER"), ("clean", "VARCHAR"), ("key", "VARCHAR")]
    _load_table(cur, f"_cf_text{slot}", columns, table, scratch)
    wanted = set(extra)
    return {raw: (rid, kid) for raw, rid, kid, _, _ in table if raw in wanted}


def load_value_map(
    cur: duckdb.DuckDBPyConnection,
    slot: int,
    name: str,
    columns: list[tuple[str, str]],
    rows: list[tuple],
    scratch: Path,
) -> None:
    """A map from raw cell text to its meaning (computed in Python once per distinct value)."""
    _load_table(cur, f"_cf_{name}{slot}", [("raw", "VARCHAR"), *columns], rows, scratch)


# The maps build_rating_rows joins (one entry per distinct raw cell):
#   _cf_text(raw, rid, kid, clean, key)   rid: id of the raw text, kid: id of its key; 0 = blank
#                                         (built by build_text_map; the others are loaded from Python)
#   _cf_dates(raw, date_n, held_on, bad)  date_n: the date's ordinal, 0 = none
#   _cf_ratings(raw, value, bad), _cf_sources(raw, source, bad), _cf_dimensions(raw, dimension, bad),
#   _cf_thanked(raw, thanked, bad)         thanked: the row's interview was thanked already (yes/no)
# A blank cell has no value and is not bad. Staged rows carry small integers, which keeps a million rows
# quick to group and join; problem messages are written in Python from the raw cells of the rows named.
_TEXT_FIELDS = ("career", "interviewee", "criterion", "organisation", "role", "notes")
MAP_COLUMNS: dict[str, list[tuple[str, str]]] = {
    "dates": [("date_n", "INTEGER"), ("held_on", "DATE"), ("bad", "BOOLEAN")],
    "ratings": [("value", "DOUBLE"), ("bad", "BOOLEAN")],
    "sources": [("source", "VARCHAR"), ("bad", "BOOLEAN")],
    "dimensions": [("dimension", "VARCHAR"), ("bad", "BOOLEAN")],
    "thanked": [("thanked", "BOOLEAN"), ("bad", "BOOLEAN")],
}


def build_rating_rows(
    cur: duckdb.DuckDBPyConnection,
    slot: int,
    fields: Mapping[str, int],
    criteria: list[tuple[int, int, int]] | None,
) -> None:
    """``_cf_rows{slot}``: one row per rating cell with ids, typed values and problem flags.

    ``fields`` maps a field (career, interviewee, date, criterion, rating, dimension, source,
    organisation, role, notes, thanked) to its raw column. ``criteria`` is None for a long table; for a wide one,
    (raw column, rid, kid) of each criterion column (its header is in the text map).
    """
    present = [
        f
        for f in (
            "career",
            "interviewee",
            "date",
            "dimension",
            "source",
            "organisation",
            "role",
            "notes",
            "thanked",
            "criterion",
        )
        if f in fields and (f != "criterion" or criteria is None)
    ]
    common = "".join(f", c{fields[f]} AS {f}_raw" for f in present)
    if criteria is None:
        column = fields["rating"]
        source_sql = f"SELECT _row{common}, {column} AS col, c{column} AS rating_raw FROM _cf_raw{slot}"  # noqa: S608
    else:  # the cells unpivoted once (unpivot_ratings), each joined to its row's other fields
        common = "".join(f", r.c{fields[f]} AS {f}_raw" for f in present)
        source_sql = (
            f"SELECT u._row{common}, u.criterion_r, u.criterion_k, u.col, u.rating_raw"  # noqa: S608
            f" FROM _cf_cells{slot} u JOIN _cf_raw{slot} r ON r._row = u._row"
        )
    # Stored: what varies by row. The view adds what the sheet lacks as constants, and whether it is blank.
    stored = ["s._row AS row", "CAST(s.col AS INTEGER) AS col"]
    constant: list[str] = []
    joins = [f"LEFT JOIN _cf_ratings{slot} rt ON rt.raw = s.rating_raw"]
    for f in _TEXT_FIELDS:
        if f == "criterion" and criteria is not None:
            stored += ["CAST(s.criterion_r AS INTEGER) AS criterion_r", "CAST(s.criterion_k AS INTEGER) AS criterion_k"]
            continue
        names = [f"{f}_r", f"{f}_k"] if f in ("career", "interviewee", "criterion") else [f"{f}_r"]
        if f in present:
            joins.append(f"LEFT JOIN _cf_text{slot} t_{f} ON t_{f}.raw = s.{f}_raw")
            stored += [
                f"CAST(coalesce(t_{f}.{'rid' if n.endswith('_r') else 'kid'}, 0) AS INTEGER) AS {n}" for n in names
            ]
        else:
            constant += [f"CAST(0 AS INTEGER) AS {n}" for n in names]
    optional = {
        "date": (
            "_cf_dates",
            "dt",
            ("coalesce(dt.date_n, 0)", "coalesce(dt.bad, false)"),
            ("CAST(0 AS INTEGER)", "false"),
            ("date_n", "date_bad"),
        ),
        "source": (
            "_cf_sources",
            "so",
            ("so.source", "coalesce(so.bad, false)"),
            ("CAST(NULL AS VARCHAR)", "false"),
            ("source_given", "source_bad"),
        ),
        "dimension": (
            "_cf_dimensions",
            "dm",
            ("dm.dimension", "coalesce(dm.bad, false)"),
            ("CAST(NULL AS VARCHAR)", "false"),
            ("dimension", "dimension_bad"),
        ),
        "thanked": (
            "_cf_thanked",
            "th",
            ("th.thanked", "coalesce(th.bad, false)"),
            ("CAST(NULL AS BOOLEAN)", "false"),
            ("thanked", "thanked_bad"),
        ),
    }
    for f, (table, alias, joined, absent, named) in optional.items():
        if f in present:
            joins.append(f"LEFT JOIN {table}{slot} {alias} ON {alias}.raw = s.{f}_raw")
            stored += [f"{expr} AS {name}" for expr, name in zip(joined, named, strict=True)]
        else:
            constant += [f"{expr} AS {name}" for expr, name in zip(absent, named, strict=True)]
    stored += ["rt.value", "coalesce(rt.bad, false) AS rating_bad"]
    cur.execute(
        f"CREATE TEMP TABLE _cf_data{slot} AS SELECT {', '.join(stored)} FROM ({source_sql}) s {' '.join(joins)}"  # noqa: S608
    )
    fields_blank = (
        "career_r = 0 AND interviewee_r = 0 AND organisation_r = 0 AND role_r = 0 AND notes_r = 0 AND date_n = 0"
        " AND NOT date_bad AND source_given IS NULL AND NOT source_bad AND dimension IS NULL AND NOT dimension_bad"
        " AND thanked IS NULL AND NOT thanked_bad"
    )
    entry_blank = "value IS NULL AND NOT rating_bad" + (" AND criterion_r = 0" if criteria is None else "")
    cur.execute(
        f"CREATE TEMP VIEW _cf_rows{slot} AS SELECT *, coalesce(source_given, 'interview') AS source,"  # noqa: S608
        f" ({fields_blank}) AS fields_blank, ({entry_blank}) AS entry_blank FROM"
        f" (SELECT *{''.join(', ' + c for c in constant)} FROM _cf_data{slot})"
    )


def _rows_read(long: bool) -> str:
    """The aggregate that counts a staged table's rows read: its sheet rows that are not blank (a long table has
    one staged row per sheet row, a wide one a staged row per rated cell)."""
    read = "count(*)" if long else "count(DISTINCT row)"
    return f"{read} FILTER (WHERE NOT (fields_blank AND entry_blank))"


class StagedCount(NamedTuple):
    """A staged table with no problem: the rows it read, and whether some (blank ones) name no career."""

    rows_read: int
    careerless: bool


# The fields whose cells are read as a value that can be bad (the rating aside).
_CHECKED_FIELDS = ("date", "source", "dimension", "thanked")


def rating_problems(
    cur: duckdb.DuckDBPyConnection,
    slot: int,
    *,
    long: bool,
    dimensions: bool = True,
    columns: Collection[str] = _CHECKED_FIELDS,
) -> StagedCount | None:
    """``_cf_problems{slot}(row, field, col, kind, other_row)``: every row and cell with a problem.

    Cell problems first (a bad date, source, dimension or thanked cell only where the sheet has that column:
    ``columns``); then, in a long table with a dimension column (``dimensions``) and among rows without a
    problem, a criterion given two dimensions (later rows name the first). Conflicting ratings are found
    later (:func:`find_conflicts`).

    Returns what :func:`problem_summary` would say of a table found to have no problem at all (most files), from
    the same pass that found none; None when there are problems, or when the dimension pass may have added some.
    """
    rows, problems = f"_cf_rows{slot}", f"_cf_problems{slot}"
    checked = [field for field in _CHECKED_FIELDS if field in columns]  # (names from this module, never the file)
    career_missing = "career_k = 0 AND NOT (fields_blank AND entry_blank)"
    criterion_missing = "criterion_k = 0 AND (value IS NOT NULL OR rating_bad)"
    bad_cells = "".join(
        f" UNION ALL SELECT DISTINCT row, '{field}', NULL, 'bad', NULL FROM {rows} WHERE {field}_bad"  # noqa: S608
        for field in checked
    )
    missing_criterion = (
        f" UNION ALL SELECT row, 'criterion', col, 'missing', NULL FROM {rows} WHERE {criterion_missing}"  # noqa: S608
        if long
        else ""
    )
    # Most files have no cell problem: one pass says so, cheaper than the union of one query per kind of problem.
    kinds = [
        career_missing,
        "rating_bad",
        *(f"{field}_bad" for field in checked),
        *([criterion_missing] if long else []),
    ]
    # (the rows read are counted as problem_summary counts them, and rows naming no career are noted, in that pass)
    any_problem, rows_read, careerless = _one(
        cur.execute(
            f"SELECT coalesce(bool_or({' OR '.join(f'({k})' for k in kinds)}), false),"  # noqa: S608
            f" {_rows_read(long)}, coalesce(bool_or(career_k = 0), false)"
            f" FROM {rows}"
        )
    )
    clean: StagedCount | None = None
    if not any_problem:  # (the empty table is made only when something will add to it or read it)
        if long and dimensions:
            _problems_table(cur, slot)
        clean = StagedCount(int(rows_read), bool(careerless))
    else:
        cur.execute(
            f"""
        CREATE TEMP TABLE {problems} AS
        SELECT DISTINCT row, 'career' AS field, CAST(NULL AS INTEGER) AS col, 'missing' AS kind,
            CAST(NULL AS INTEGER) AS other_row
        FROM {rows} WHERE {career_missing}
        {bad_cells}
        UNION ALL SELECT row, 'rating', col, 'bad', NULL FROM {rows} WHERE rating_bad
        {missing_criterion}
        """  # noqa: S608
        )
    if long and dimensions:
        added = _count(
            cur.execute(
                f"""
            INSERT INTO {problems}
            WITH d AS (
                SELECT row, criterion_k, dimension FROM {rows} r
                WHERE dimension IS NOT NULL AND criterion_k <> 0
                  AND NOT EXISTS (SELECT 1 FROM {problems} p WHERE p.row = r.row)
            ), f AS (
                SELECT criterion_k, arg_min(dimension, row) AS first_dimension, min(row) AS first_row
                FROM d GROUP BY criterion_k
            )
            SELECT DISTINCT d.row, 'dimension', NULL, 'conflict', f.first_row
            FROM d JOIN f USING (criterion_k) WHERE d.dimension <> f.first_dimension
            """  # noqa: S608
            )
        )
        if added:
            clean = None
    return clean


def _problems_table(cur: duckdb.DuckDBPyConnection, slot: int) -> None:
    """``_cf_problems{slot}``, empty, unless :func:`rating_problems` made it already."""
    cur.execute(
        f"CREATE TEMP TABLE IF NOT EXISTS _cf_problems{slot}"
        " (row INTEGER, field VARCHAR, col INTEGER, kind VARCHAR, other_row INTEGER)"
    )


class StagedConflicts(Exception):
    """Raised inside an import's transaction: a slot holds the same rating key with different values."""

    def __init__(self, slot: int) -> None:
        super().__init__(f"conflicting ratings in slot {slot}")
        self.slot = slot


class StagedDuplicates(StagedConflicts):
    """Raised inside an import's transaction: a rating key appears twice; retry with ``grouped=True``."""


def _keyed_ratings(slot: int, where: str = "") -> str:
    """The staged ratings of a slot with their key as the columns ``career_k, criterion_k, source, ik, dk``: the
    ids, among the staged rows, of the key a rating has in the store (career, criterion, source, and for what
    was heard the interview: interviewee and date; an expectation has none). ``where``: more conditions."""
    return (
        "SELECT row, col, value, career_k, criterion_k, source,"  # noqa: S608 - identifiers built from a number
        " CASE WHEN source = 'expectation' THEN 0 ELSE interviewee_k END AS ik,"
        " CASE WHEN source = 'expectation' THEN 0 ELSE date_n END AS dk"
        f" FROM _cf_rows{slot} r WHERE value IS NOT NULL AND career_k <> 0 AND criterion_k <> 0 {where}"
    )


def has_repeated_keys(cur: duckdb.DuckDBPyConnection, slot: int) -> bool:
    """Whether the staged rows give some rating key twice (with the same value or another): the store keeps one
    rating per key, so such a sheet is written grouped by key (see :class:`StagedDuplicates`).

    The rows are grouped by a hash of their key, which halves the time for a million rows: equal keys always
    hash alike, so a "no" is exact, and the rare collision only sends the sheet the grouped way."""
    found = cur.execute(
        f"SELECT EXISTS (SELECT 1 FROM ({_keyed_ratings(slot)})"  # noqa: S608
        " GROUP BY hash(career_k, criterion_k, source, ik, dk) HAVING count(*) > 1)"
    )
    return bool(_one(found)[0])


def find_conflicts(cur: duckdb.DuckDBPyConnection, slot: int) -> None:
    """Add to ``_cf_problems{slot}`` every rating whose key has another value in another row (naming the
    first such row). Run only when :func:`.rating_writes.apply_rating_rows` met a conflict, which keeps the common case
    to one grouping."""
    problems = f"_cf_problems{slot}"
    _problems_table(cur, slot)
    cur.execute(
        f"""
        INSERT INTO {problems}
        WITH k AS (
            {_keyed_ratings(slot, f"AND NOT EXISTS (SELECT 1 FROM {problems} p WHERE p.row = r.row)")}
        ), g AS (
            SELECT career_k, criterion_k, source, ik, dk FROM k GROUP BY ALL HAVING min(value) <> max(value)
        ), m AS (
            SELECT k.* FROM k SEMI JOIN g USING (career_k, criterion_k, source, ik, dk)
        )
        SELECT a.row, 'rating', a.col, 'conflict', min(b.row)
        FROM m a JOIN m b USING (career_k, criterion_k, source, ik, dk)
        WHERE a.value <> b.value
        GROUP BY a.row, a.col
        """  # noqa: S608
    )


def problem_summary(
    cur: duckdb.DuckDBPyConnection, slot: int, limit: int, *, long: bool
) -> tuple[list[tuple[Any, ...]], dict[int, dict[int, Any]], int, int, int]:
    """(first ``limit`` problems by row, raw cells of the rows they name by column, number of problems,
    rows with a problem, rows read)."""
    rows, problems = f"_cf_rows{slot}", f"_cf_problems{slot}"
    counts = _one(
        cur.execute(
            f"SELECT (SELECT count(*) FROM {problems}), (SELECT count(DISTINCT row) FROM {problems}),"  # noqa: S608
            f" (SELECT {_rows_read(long)} FROM {rows})"
        )
    )
    if not counts[0]:
        return [], {}, 0, 0, int(counts[2])
    listed = cur.execute(
        f"SELECT row, field, col, kind, other_row FROM {problems} ORDER BY row, field, col LIMIT ?",  # noqa: S608
        [limit],
    ).fetchall()
    wanted = sorted({r[0] for r in listed} | {r[4] for r in listed if r[4] is not None})
    cells: dict[int, dict[int, Any]] = {}
    found = cur.execute(f"SELECT * FROM _cf_raw{slot} WHERE _row IN (SELECT unnest(?::INTEGER[]))", [wanted])  # noqa: S608
    positions = [int(column[0][1:]) for column in found.description[1:]]
    for row in found.fetchall():
        cells[row[0]] = dict(zip(positions, row[1:], strict=True))
    if _one(
        cur.execute("SELECT count(*) FROM duckdb_tables() WHERE temporary AND table_name = ?", [f"_cf_cells{slot}"])
    )[0]:
        for number, column, raw in cur.execute(
            f"SELECT _row, col, rating_raw FROM _cf_cells{slot} WHERE _row IN (SELECT unnest(?::INTEGER[]))",  # noqa: S608
            [wanted],
        ).fetchall():
            cells.setdefault(number, {})[column] = raw
    return listed, cells, int(counts[0]), int(counts[1]), int(counts[2])


def drop_problem_rows(cur: duckdb.DuckDBPyConnection, slot: int) -> None:
    """Keep only what can be written: rows without problems that name a career."""
    problems = f"_cf_problems{slot}"
    _problems_table(cur, slot)
    cur.execute(
        f"DELETE FROM _cf_data{slot} WHERE career_k = 0 OR row IN (SELECT row FROM {problems})"  # noqa: S608
    )


def _one(cursor: duckdb.DuckDBPyConnection) -> tuple[Any, ...]:
    """The row of a query that always returns one (a count, an EXISTS)."""
    row = cursor.fetchone()
    assert row is not None
    return row


def _count(cursor: duckdb.DuckDBPyConnection) -> int:
    row = cursor.fetchone()
    return int(row[0]) if row else 0


def staged_keys(cur: duckdb.DuckDBPyConnection, slot: int) -> set[str]:
    """Criterion keys the staged (valid) rows of a slot name."""
    return {
        row[0]
        for row in cur.execute(
            f"SELECT DISTINCT t.key FROM _cf_rows{slot} r JOIN _cf_text{slot} t ON t.kid = r.criterion_k"  # noqa: S608
            " WHERE r.criterion_k <> 0"
        ).fetchall()
    }
