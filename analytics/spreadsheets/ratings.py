"""Ratings tables (long and wide): staged into DuckDB, each distinct cell interpreted once, problems located.

Python only interprets each *distinct* cell value once (a million ratings hold a few thousand distinct
names, dates and numbers); joining, grouping and finding problems happen in DuckDB (the staging block of
the store), so a million-row CSV imports in seconds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import duckdb

from ..db import staging
from .cells import clean_text, date_order, parse_bool, parse_date, parse_dimension, parse_rating, parse_source
from .plan import Plan
from .reading import read_exactly
from .tables import Problem

# The fields whose cells are one of a few words: field -> (its value map in staging, the parser that reads a
# cell and says what is wrong with it). The map is built with the parser, and a bad cell is worded by it.
_CHOICES: dict[str, tuple[str, Callable[[str], tuple[Any, str | None]]]] = {
    "source": ("sources", parse_source),
    "dimension": ("dimensions", parse_dimension),
    "thanked": ("thanked", parse_bool),
}

# A CSV wider than this is read by Python even when large: DuckDB's reader slows down with thousands of columns.
FAST_PATH_COLUMNS = 500


def validate_ratings(cur: duckdb.DuckDBPyConnection, plan: Plan, scale: str, scratch: Path, limit: int) -> None:
    """Stage a ratings table, interpret each distinct cell once, and find every problem in DuckDB."""
    table, header, slot = plan.table, plan.header, plan.slot
    python_rows = _stage(cur, plan, scratch)
    table = plan.table
    plan.reading = [replace(p, sheet=plan.sheet) for p in table.problems]
    plan.scale = scale
    fields = {f: i for i, f in enumerate(header.fields) if f is not None and (f != "criterion" or plan.kind == "long")}
    plan.fields = fields
    text_columns = [fields[f] for f in staging._TEXT_FIELDS if f in fields]
    labels = list(header.criteria.values())
    ids = staging.build_text_map(
        cur,
        slot,
        text_columns,
        labels,
        from_csv=table.from_csv,
        scratch=scratch,
        clean=lambda raw: clean_text(raw, from_csv=table.from_csv),
        rows=python_rows,
    )
    headers = {column: ids.get(label, (0, 0)) for column, label in header.criteria.items()}
    dates = staging.distinct_cells(cur, slot, [fields["date"]] if "date" in fields else [], python_rows)
    plan.order = date_order(dates)
    staging.load_value_map(
        cur, slot, "dates", staging.MAP_COLUMNS["dates"], [_date_entry(raw, plan.order) for raw in dates], scratch
    )
    criteria = None
    if plan.kind == "wide":
        criteria = [(column, rid, kid) for column, (rid, kid) in headers.items()]
        if python_rows is None:
            ratings = staging.unpivot_ratings(cur, slot, criteria, scratch)
        else:
            ratings = staging.stage_cells(cur, slot, python_rows, criteria, scratch)
    else:
        ratings = staging.distinct_cells(cur, slot, [fields["rating"]], python_rows)
    plan.rating_values = ratings
    staging.load_value_map(
        cur, slot, "ratings", staging.MAP_COLUMNS["ratings"], [_rating_entry(raw, scale) for raw in ratings], scratch
    )
    for field_name, (name, parse) in _CHOICES.items():
        if field_name not in fields:
            continue  # the rows take a constant instead (see staging.build_rating_rows)
        values = staging.distinct_cells(cur, slot, [fields[field_name]], python_rows)
        entries = [_choice_entry(raw, parse) for raw in values]
        staging.load_value_map(cur, slot, name, staging.MAP_COLUMNS[name], entries, scratch)
    staging.build_rating_rows(cur, slot, fields, criteria)
    clean = staging.rating_problems(
        cur, slot, long=plan.kind == "long", dimensions="dimension" in fields, columns=fields
    )
    summarise_ratings(cur, plan, limit, clean)


def summarise_ratings(
    cur: duckdb.DuckDBPyConnection, plan: Plan, limit: int, clean: staging.StagedCount | None = None
) -> None:
    """The table's problems (listed up to ``limit``), their number and bad rows, and the rows read, on ``plan``;
    ``clean``: what the problem pass found of a table without problems (then nothing is asked of DuckDB)."""
    listed: list[tuple[Any, ...]]
    cells: dict[int, dict[int, Any]]
    if clean is not None:
        listed, cells, total, bad, plan.rows_read = [], {}, 0, 0, clean.rows_read
    else:
        listed, cells, total, bad, plan.rows_read = staging.problem_summary(
            cur, plan.slot, limit, long=plan.kind == "long"
        )
    # Rows to leave out when writing: those with a problem, and blank ones (which name no career).
    plan.droppable = clean is None or clean.careerless
    found = [_rating_problem(plan, cells, *row) for row in listed]
    plan.problems = sorted(plan.reading + found, key=lambda p: p.row or 0)
    plan.problem_count = total + len(plan.reading)
    plan.bad_rows = bad + len({p.row for p in plan.reading})
    plan.rows_read += len({p.row for p in plan.reading})


def _stage(cur: duckdb.DuckDBPyConnection, plan: Plan, scratch: Path) -> list[tuple[int, list[str | None]]] | None:
    """Raw cells into DuckDB: the file itself on the fast path, else the rows Python read (returned, so that
    a wide table's criterion cells are staged long from them rather than as thousands of columns)."""
    table = plan.table
    if table.csv_path is not None:
        if table.width <= FAST_PATH_COLUMNS:
            try:
                loaded = staging.stage_file(
                    cur, plan.slot, table.csv_path, width=table.width, delimiter=table.delimiter
                )
                if loaded == (table.records, table.field_chars):
                    return None
            except duckdb.Error:
                pass
            staging.drop_staged(cur, plan.slot)
        # DuckDB read the file otherwise than Python did (or it is too wide): Python's reading counts.
        table = plan.table = read_exactly(table)
    bad = {p.row for p in table.problems}
    rows = [row for row in table.rows if row[0] not in bad] if bad else table.rows
    columns = None
    if plan.kind == "wide":
        columns = [i for i, meaning in enumerate(plan.header.fields) if meaning is not None and meaning != "criterion"]
    staging.stage_rows(cur, plan.slot, rows, width=table.width, scratch=scratch, columns=columns)
    return rows


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _date_entry(raw: str, order: str) -> tuple[str, int, str | None, str]:
    when, error = parse_date(raw, order)
    return raw, when.toordinal() if when else 0, when.isoformat() if when else None, _flag(bool(error))


def _rating_entry(raw: str, scale: str) -> tuple[str, str | None, str]:
    value, error = parse_rating(raw, scale)
    return raw, None if value is None else repr(value), _flag(bool(error))


def _choice_entry(raw: str, parse: Callable[[str], tuple[Any, str | None]]) -> tuple[str, ...]:
    value, error = parse(raw)
    if isinstance(value, bool):
        return raw, _flag(value), _flag(bool(error))
    return raw, value or "", _flag(bool(error))


def _rating_problem(
    plan: Plan,
    cells: dict[int, dict[int, Any]],
    row: int,
    field_name: str,
    col: int | None,
    kind: str,
    other_row: int | None,
) -> Problem:
    """One line about a staged problem, worded from the raw cells of the rows it names."""
    header = plan.header
    column = header.labels[col] if field_name in ("rating",) and col is not None else header.label(field_name)

    def cell(number: int | None, position: int | None) -> str:
        values = cells.get(number or 0, {})
        return str(values.get(position) or "").strip() if position is not None else ""

    position = col if field_name == "rating" else plan.fields.get(field_name)
    value = cell(row, position)
    if kind == "missing":
        message = "a rating needs a criterion" if field_name == "criterion" else f"the {field_name} is missing"
    elif field_name == "rating" and kind == "conflict":
        message = (
            f"{value} conflicts with {cell(other_row, position)} in row {other_row} "
            "(same career, interviewee, date, criterion and source)"
        )
    elif field_name == "dimension" and kind == "conflict":
        message = (
            f"{parse_dimension(value)[0]!r} conflicts with {parse_dimension(cell(other_row, position))[0]!r} "
            f"in row {other_row} for the same criterion"
        )
    elif field_name == "rating":
        message = parse_rating(value, plan.scale)[1] or f"{value!r} is not a rating"
    elif field_name == "date":
        message = parse_date(value, plan.order)[1] or f"{value!r} is not a date"
    else:
        message = _CHOICES[field_name][1](value)[1] or f"{value!r} is not valid"
    return Problem(row, column, message, plan.sheet)
