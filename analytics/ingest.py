"""Spreadsheet import: preview a file, then import it whole or not at all.

The files people really keep come in four shapes (DESIGN.md, "Spreadsheets"): long ratings (one row per
rating), wide ratings (one row per interview, one column per criterion), criteria (the profile), and the
full workbook the export writes. This module decides which shape each table is, validates every cell and
reports each problem at the row and column the user sees (header = row 1), then writes everything in one
transaction: by default any problem means nothing is written; ``skip_invalid`` writes the valid rows and
lists the others.

Ratings tables are validated and written inside DuckDB (see the bulk block of :mod:`analytics.store`):
Python only interprets each *distinct* cell value once (a million ratings hold a few thousand distinct
names, dates and numbers), so a million-row CSV imports in seconds.

Rules worth knowing:

* Ratings are on ``scale`` (1-5, 1-10 or 0-100) and rescaled linearly to 1-5; a blank cell is no rating.
* A rating is identified by career, interviewee, date, criterion and source (names trimmed and
  case-folded); an expectation by career and criterion. Importing the same file again changes nothing;
  a changed value updates the rating. The same key twice in one file with different values is a problem.
* A criterion first seen is created with weight 3 and the file's dimension, else unassigned (reported).
  The file's dimension also assigns an existing unassigned criterion; it never moves an assigned one.
* Interviews first seen in a ratings file are ``completed`` on their date; with no contacts sheet in the
  file, each interviewee becomes a contact (role and organisation from the file when given).
* A full workbook (sheets named criteria, careers, ...) makes the profile what its criteria sheet says:
  order, dimensions, weights, descriptions; criteria it does not list are removed unless something rates
  them. A criteria file on its own only adds and updates.
* Dates: see :mod:`analytics.spreadsheets` (ISO, Excel serials, day-first DD/MM/YYYY, month names).
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from . import store as db
from .errors import CareerFitError, InvalidInputError
from .headers import RATINGS_KINDS, HeaderMap, detect_kind, map_headers
from .models import DIMENSIONS, STAGES
from .spreadsheets import (
    SAMPLE_ROWS,
    SCALES,
    Problem,
    Table,
    check_size,
    clean_text,
    date_order,
    open_tables,
    parse_bool,
    parse_date,
    parse_datetime,
    parse_rating,
    parse_weight,
)
from .store import Store

if TYPE_CHECKING:
    import pandas

__all__ = [
    "ImportPreview",
    "ImportReport",
    "Problem",
    "check_size",
    "import_bytes",
    "import_file",
    "list_imports",
    "preview_bytes",
]

# Problems listed one per line; beyond this a last line says how many more there are.
MAX_LISTED_PROBLEMS = 1000
_SOURCES = {
    "interview": "interview",
    "interviews": "interview",
    "i": "interview",
    "expectation": "expectation",
    "expectations": "expectation",
    "expected": "expectation",
    "prior": "expectation",
    "e": "expectation",
}
_DIMENSION_WORDS = {
    **{d: d for d in DIMENSIONS},
    "interests": "interest",
    "skills": "skill",
    "values": "value",
    "unassigned": None,
    "none": None,
    "-": None,
}
_APPLY_ORDER = ("criteria", "dimensions", "careers", "contacts", "interviews", "long", "wide")


@dataclass
class ImportReport:
    """What an import changed (or, for a dry run, would change)."""

    file_name: str = ""
    kind: str = ""
    rows_read: int = 0
    new_ratings: int = 0
    updated_ratings: int = 0
    unchanged_ratings: int = 0
    new_careers: int = 0
    new_interviews: int = 0
    new_contacts: int = 0
    new_criteria: list[str] = field(default_factory=list)
    unassigned_criteria: list[str] = field(default_factory=list)
    assigned_criteria: list[str] = field(default_factory=list)
    removed_criteria: list[str] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)
    skipped_rows: int = 0
    problem_count: int = 0
    ignored_columns: list[str] = field(default_factory=list)
    ignored_sheets: list[str] = field(default_factory=list)
    sheets: dict[str, str] = field(default_factory=dict)
    dry_run: bool = False

    def summary_lines(self) -> list[str]:
        """The import summary in plain lines, for the command line and the Data page."""
        would = "would add" if self.dry_run else "added"
        lines = [
            f"{'dry run, nothing written: ' if self.dry_run else ''}{self.file_name}: read "
            f"{_n(self.rows_read, 'row')} ({_KIND_NAMES.get(self.kind, self.kind)})"
        ]
        if self.kind in ("long", "wide", "workbook") or self.new_ratings or self.updated_ratings:
            lines.append(
                f"ratings: {self.new_ratings:,} new, {self.updated_ratings:,} updated, "
                f"{self.unchanged_ratings:,} unchanged"
            )
        made = [
            _n(count, what)
            for count, what in (
                (self.new_careers, "career"),
                (self.new_interviews, "interview"),
                (self.new_contacts, "contact"),
            )
            if count
        ]
        if made:
            lines.append(f"{would} {', '.join(made)}")
        if self.new_criteria:
            lines.append(
                f"{would} {_n(len(self.new_criteria), 'criterion', 'criteria')} with weight 3: "
                f"{_names(self.new_criteria)}"
            )
        if self.unassigned_criteria:
            lines.append(
                f"no dimension yet for {_names(self.unassigned_criteria)}: "
                "they count in no dimension until you pick one (My profile)"
            )
        if self.assigned_criteria:
            lines.append(f"dimension taken from the file for: {_names(self.assigned_criteria)}")
        if self.removed_criteria:
            verb = "would remove" if self.dry_run else "removed"
            lines.append(
                f"{verb} criteria the workbook does not list and nothing rates: {_names(self.removed_criteria)}"
            )
        if self.ignored_columns:
            lines.append(f"ignored columns: {_names(self.ignored_columns)}")
        if self.ignored_sheets:
            lines.append(f"ignored sheets (columns not recognised): {_names(self.ignored_sheets)}")
        if self.skipped_rows:
            lines.append(f"skipped {_n(self.skipped_rows, 'row')} with problems ({_n(self.problem_count, 'problem')})")
        return lines


_KIND_NAMES = {
    "long": "long ratings",
    "wide": "wide ratings",
    "criteria": "criteria",
    "workbook": "workbook",
    "careers": "careers",
    "contacts": "contacts",
    "interviews": "interviews",
    "dimensions": "dimension weights",
}


def _n(count: int, singular: str, plural: str | None = None) -> str:
    return f"{count:,} {singular if count == 1 else plural or singular + 's'}"


def _names(names: list[str], limit: int = 20) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


@dataclass
class ImportPreview:
    """What the Data page shows before the user imports: how the file was understood and what is wrong."""

    kind: str
    file_name: str
    columns: dict[str, str | None]
    table: pandas.DataFrame
    problems: list[Problem]
    rows: int
    new_criteria_without_dimension: list[str]
    sheets: dict[str, str] = field(default_factory=dict)
    report: ImportReport | None = None


@dataclass
class _Plan:
    """One recognised table of the file and what the import made of it."""

    table: Table
    kind: str
    header: HeaderMap
    slot: int
    sheet: str | None
    named: bool = False
    rows: list[dict[str, Any]] = field(default_factory=list)
    rows_read: int = 0
    problems: list[Problem] = field(default_factory=list)
    reading: list[Problem] = field(default_factory=list)
    fields: dict[str, int] = field(default_factory=dict)
    scale: str = "1-5"
    order: str = "dmy"
    grouped: bool = False
    problem_count: int = 0
    bad_rows: int = 0


# -- public API --------------------------------------------------------------------------------------


def import_file(
    store: Store,
    path: str | Path,
    *,
    scale: str = "1-5",
    skip_invalid: bool = False,
    dry_run: bool = False,
    sheet: str | None = None,
) -> ImportReport:
    """Import a ``.csv`` or ``.xlsx`` file from disk (see :func:`import_bytes`)."""
    target = Path(path).expanduser()
    if not target.is_file():
        raise InvalidInputError(f"{target}: there is no such file")
    check_size(target.stat().st_size, target.name)
    try:
        data = target.read_bytes()
    except OSError as error:
        raise InvalidInputError(f"{target}: cannot read it ({error.strerror or error})") from None
    return _import(store, data, target.name, target, scale, skip_invalid, dry_run, sheet)


def import_bytes(
    store: Store,
    data: bytes,
    file_name: str,
    *,
    scale: str = "1-5",
    skip_invalid: bool = False,
    dry_run: bool = False,
    sheet: str | None = None,
) -> ImportReport:
    """Import an uploaded file. Any problem raises :class:`InvalidInputError` (one line each) and writes
    nothing, unless ``skip_invalid``: then the valid rows are written and the report lists the others."""
    return _import(store, data, file_name, None, scale, skip_invalid, dry_run, sheet)


def preview_bytes(
    data: bytes, file_name: str, *, scale: str = "1-5", sheet: str | None = None, store: Store | None = None
) -> ImportPreview:
    """How a file would import, without writing: kind, column meanings, first rows, every problem.

    ``new_criteria_without_dimension`` is relative to ``store`` (to a new store's default profile when
    None). A file that cannot be read at all raises :class:`InvalidInputError` with one line.
    """
    scratch = store or Store(db.MEMORY)
    plans: list[_Plan] = []
    try:
        report = _import(scratch, data, file_name, None, scale, True, True, sheet, collect=plans)
    finally:
        if store is None:
            scratch.close()
    main = next((p for p in plans if p.kind in RATINGS_KINDS), plans[0])
    return ImportPreview(
        kind=report.kind,
        file_name=report.file_name,
        columns=main.header.columns(),
        table=_frame(main.table),
        problems=list(report.skipped),
        rows=report.rows_read,
        new_criteria_without_dimension=list(report.unassigned_criteria),
        sheets=dict(report.sheets),
        report=report,
    )


def list_imports(store: Store) -> list[dict[str, Any]]:
    """Every recorded import, newest first: file name, content hash, time, kind and counts."""
    return store.imports()


# -- the import ----------------------------------------------------------------------------------------


def _import(
    store: Store,
    data: bytes,
    file_name: str,
    path: Path | None,
    scale: str,
    skip_invalid: bool,
    dry_run: bool,
    sheet: str | None,
    collect: list[_Plan] | None = None,
) -> ImportReport:
    if scale not in SCALES:
        raise InvalidInputError(f"unknown scale {scale!r}: use 1-5, 1-10 or 0-100")
    name = Path(file_name).name or "the file"
    check_size(len(data), name)
    with open_tables(data, name, path=path, sheet=sheet) as tables, _scratch_dir() as scratch:
        plans, ignored = _plans(tables, name, sheet)
        kind = plans[0].kind if len(plans) == 1 else "workbook"
        report = ImportReport(
            file_name=name,
            kind=kind,
            dry_run=dry_run,
            ignored_sheets=ignored,
            sheets={p.sheet or name: p.kind for p in plans},
        )
        if collect is not None:
            collect.extend(plans)
        fatal = [
            Problem(p.table.header_row, label, message, p.sheet) for p in plans for label, message in p.header.fatal
        ]
        if fatal and collect is None:
            raise InvalidInputError([str(problem) for problem in fatal])
        plans = [p for p in plans if not p.header.fatal]
        with db.import_cursor(store) as cur:
            for plan in plans:
                _validate_plan(cur, plan, scale, scratch)
            report.rows_read = sum(p.rows_read for p in plans)
            if not report.rows_read and not fatal:
                raise InvalidInputError(f"{name}: there are no data rows under the header")
            report.ignored_columns = [label for p in plans for label in p.header.ignored()]
            digest = "" if dry_run else hashlib.sha256(data).hexdigest()
            return _write(store, cur, plans, report, fatal, skip_invalid, digest)


def _write(
    store: Store,
    cur: duckdb.DuckDBPyConnection,
    plans: list[_Plan],
    report: ImportReport,
    fatal: list[Problem],
    skip_invalid: bool,
    digest: str,
) -> ImportReport:
    """Write everything in one transaction (rolled back for a dry run), or raise the problems.

    The store notices a rating key given twice only while writing (the cheap way for a million new
    ratings); it then rolls back, and the import is decided again with that knowledge.
    """
    for _attempt in range(2 * len(plans) + 1):
        _take_problems(report, plans, fatal, skip_invalid)
        try:
            with db.import_transaction(store, cur, dry_run=report.dry_run):
                _apply(cur, plans, report)
                if not report.dry_run:
                    counts = {**vars(report), "new_criteria": len(report.new_criteria)}
                    db.record_import(cur, report.file_name, digest, report.kind, counts)
            return report
        except db.StagedDuplicates as duplicates:  # the same key twice: write that sheet grouped by key
            next(p for p in plans if p.slot == duplicates.slot).grouped = True
        except db.StagedConflicts as conflicts:  # the same key twice with different values: name the rows
            plan = next(p for p in plans if p.slot == conflicts.slot)
            db.find_conflicts(cur, plan.slot)
            _summarise_ratings(cur, plan)
        report = replace(report, **_zero_counts())
    raise CareerFitError(f"{report.file_name}: conflicting ratings could not be located")  # pragma: no cover


def _zero_counts() -> dict[str, Any]:
    return {
        "new_ratings": 0,
        "updated_ratings": 0,
        "unchanged_ratings": 0,
        "new_careers": 0,
        "new_interviews": 0,
        "new_contacts": 0,
        "new_criteria": [],
        "unassigned_criteria": [],
        "assigned_criteria": [],
        "removed_criteria": [],
    }


def _take_problems(report: ImportReport, plans: list[_Plan], fatal: list[Problem], skip_invalid: bool) -> None:
    """Gather every table's problems: raise them all (nothing written) unless rows may be skipped."""
    problems = fatal + [problem for plan in plans for problem in plan.problems]
    count = len(fatal) + sum(plan.problem_count for plan in plans)
    listed = problems[:MAX_LISTED_PROBLEMS]
    if count > len(listed):
        listed.append(Problem(None, None, f"and {count - len(listed):,} more problems"))
    if problems and not skip_invalid:
        raise InvalidInputError([str(problem) for problem in listed])
    report.skipped, report.problem_count = listed, count
    report.skipped_rows = sum(plan.bad_rows for plan in plans)


@contextmanager
def _scratch_dir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="career-fit-stage-") as scratch:
        yield Path(scratch)


def _plans(tables: list[Table], name: str, sheet: str | None) -> tuple[list[_Plan], list[str]]:
    """Recognise each table; unrecognised sheets are ignored (and listed), unless nothing is recognised."""
    plans: list[_Plan] = []
    ignored: list[str] = []
    many = len(tables) > 1
    for table in tables:
        kind = detect_kind(table.header, table.name)
        if kind is None:
            ignored.append(table.name or name)
            continue
        sheet_name = table.name if many else None
        named = table.name is not None and kind == detect_kind([], table.name)
        plans.append(_Plan(table, kind, map_headers(table.header, kind), len(plans), sheet_name, named))
    if not plans:
        what = f"sheet {sheet!r}" if sheet else ("no sheet of the workbook" if many else "the columns")
        raise InvalidInputError(
            f"{name}: {what} {'is' if sheet else 'are' if not many else 'is'} not recognised: ratings need a "
            "career column and either criterion and rating columns or one column per criterion; a profile "
            "needs criterion and dimension or weight columns"
            if not many
            else f"{name}: no sheet of the workbook is recognised: a ratings sheet needs a career column and either "
            "criterion and rating columns or one column per criterion"
        )
    if len(plans) == 1:
        plans[0].sheet = None
    plans.sort(key=lambda p: _APPLY_ORDER.index(p.kind))
    return plans, ignored


def _validate_plan(cur: duckdb.DuckDBPyConnection, plan: _Plan, scale: str, scratch: Path) -> None:
    """Check one table; its problems (listed up to the limit), their number and bad rows go on the plan."""
    if plan.kind in RATINGS_KINDS:
        _validate_ratings(cur, plan, scale, scratch)
        return
    reading = [replace(p, sheet=plan.sheet) for p in plan.table.problems]
    found = _validate_sheet(plan)
    plan.problems = sorted(reading + found, key=lambda p: p.row or 0)
    plan.problem_count = len(plan.problems)
    plan.bad_rows = len({p.row for p in plan.problems})


# -- ratings tables: staged and checked in DuckDB ---------------------------------------------------------


def _validate_ratings(cur: duckdb.DuckDBPyConnection, plan: _Plan, scale: str, scratch: Path) -> None:
    """Stage a ratings table, interpret each distinct cell once, and find every problem in DuckDB."""
    table, header, slot = plan.table, plan.header, plan.slot
    _stage(cur, plan, scratch)
    plan.reading = [replace(p, sheet=plan.sheet) for p in table.problems]
    plan.scale = scale
    fields = {f: i for i, f in enumerate(header.fields) if f is not None and (f != "criterion" or plan.kind == "long")}
    plan.fields = fields
    text_columns = [fields[f] for f in db._TEXT_FIELDS if f in fields]
    labels = list(header.criteria.values())
    ids = db.build_text_map(
        cur,
        slot,
        text_columns,
        labels,
        from_csv=table.from_csv,
        scratch=scratch,
        clean=lambda raw: clean_text(raw, from_csv=table.from_csv),
    )
    headers = {column: ids.get(label, (0, 0)) for column, label in header.criteria.items()}
    dates = db.distinct_cells(cur, slot, [fields["date"]] if "date" in fields else [])
    plan.order = date_order(dates)
    db.load_value_map(
        cur, slot, "dates", db.MAP_COLUMNS["dates"], [_date_entry(raw, plan.order) for raw in dates], scratch
    )
    rating_columns = list(header.criteria) if plan.kind == "wide" else [fields["rating"]]
    ratings = db.distinct_cells(cur, slot, rating_columns)
    db.load_value_map(
        cur, slot, "ratings", db.MAP_COLUMNS["ratings"], [_rating_entry(raw, scale) for raw in ratings], scratch
    )
    for name, parse in (("sources", _source), ("dimensions", _dimension)):
        values = db.distinct_cells(cur, slot, [fields[name[:-1]]] if name[:-1] in fields else [])
        db.load_value_map(cur, slot, name, db.MAP_COLUMNS[name], [_choice_entry(raw, parse) for raw in values], scratch)
    criteria = None
    if plan.kind == "wide":
        criteria = [(column, rid, kid) for column, (rid, kid) in headers.items()]
    db.build_rating_rows(cur, slot, fields, criteria)
    db.rating_problems(cur, slot, long=plan.kind == "long")
    _summarise_ratings(cur, plan)


def _summarise_ratings(cur: duckdb.DuckDBPyConnection, plan: _Plan) -> None:
    listed, cells, total, bad, plan.rows_read = db.problem_summary(
        cur, plan.slot, MAX_LISTED_PROBLEMS, long=plan.kind == "long"
    )
    found = [_rating_problem(plan, cells, *row) for row in listed]
    plan.problems = sorted(plan.reading + found, key=lambda p: p.row or 0)
    plan.problem_count = total + len(plan.reading)
    plan.bad_rows = bad + len({p.row for p in plan.reading})
    plan.rows_read += len({p.row for p in plan.reading})


def _stage(cur: duckdb.DuckDBPyConnection, plan: _Plan, scratch: Path) -> None:
    """Raw cells into DuckDB: the file itself on the fast path, else the rows Python read."""
    table = plan.table
    if table.csv_path is not None:
        try:
            records = db.stage_file(cur, plan.slot, table.csv_path, width=table.width, delimiter=table.delimiter)
            if table.line_count is None or records == table.line_count:
                return
        except duckdb.Error:
            pass
        db.drop_staged(cur, plan.slot)
        table.parse_all()
    bad = {p.row for p in table.problems}
    rows = [row for row in table.rows if row[0] not in bad] if bad else table.rows
    db.stage_rows(cur, plan.slot, rows, width=table.width, scratch=scratch)


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _date_entry(raw: str, order: str) -> tuple[str, int, str | None, str]:
    when, error = parse_date(raw, order)
    return raw, when.toordinal() if when else 0, when.isoformat() if when else None, _flag(bool(error))


def _rating_entry(raw: str, scale: str) -> tuple[str, str | None, str]:
    value, error = parse_rating(raw, scale)
    return raw, None if value is None else repr(value), _flag(bool(error))


def _choice_entry(raw: str, parse: Callable[[str], tuple[str | None, str | None]]) -> tuple[str, ...]:
    value, error = parse(raw)
    return raw, value or "", _flag(bool(error))


def _source(raw: str) -> tuple[str | None, str | None]:
    value = raw.strip()
    if not value:
        return None, None
    source = _SOURCES.get(value.casefold())
    return (source, None) if source else (None, f"{value!r} is not a source (use interview or expectation)")


def _dimension(raw: str) -> tuple[str | None, str | None]:
    value = raw.strip()
    if not value or value.casefold() in _DIMENSION_WORDS:
        return _DIMENSION_WORDS.get(value.casefold()), None
    return None, f"{value!r} is not a dimension (use interest, skill or value)"


def _rating_problem(
    plan: _Plan,
    cells: dict[int, tuple[Any, ...]],
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
        values = cells.get(number or 0, ())
        return str(values[position] or "").strip() if position is not None and position < len(values) else ""

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
            f"{_dimension(value)[0]!r} conflicts with {_dimension(cell(other_row, position))[0]!r} "
            f"in row {other_row} for the same criterion"
        )
    elif field_name == "rating":
        message = parse_rating(value, plan.scale)[1] or f"{value!r} is not a rating"
    elif field_name == "date":
        message = parse_date(value, plan.order)[1] or f"{value!r} is not a date"
    else:
        message = (_source if field_name == "source" else _dimension)(value)[1] or f"{value!r} is not valid"
    return Problem(row, column, message, plan.sheet)


# -- the other sheets: small, checked in Python ------------------------------------------------------------


def _cells(plan: _Plan) -> Iterator[tuple[int, dict[str, str | None]]]:
    fields = plan.header.fields
    for number, cells in plan.table.rows:
        yield number, {f: c for f, c in zip(fields, cells, strict=False) if f is not None}


def _validate_sheet(plan: _Plan) -> list[Problem]:
    """Check a criteria, dimensions, careers, contacts or interviews sheet; keep its clean rows."""
    checker: Callable[[_Plan, int, dict[str, str | None], list[Problem]], dict[str, Any] | None] = _CHECKERS[plan.kind]
    problems: list[Problem] = []
    seen: dict[str, tuple[int, dict[str, Any]]] = {}
    key_field = _KEY_FIELD[plan.kind]
    from_csv = plan.table.from_csv
    order = date_order(c.get("date") for _, c in _cells(plan)) if plan.kind == "interviews" else "dmy"
    for number, cells in _cells(plan):
        if not any((v or "").strip() for v in cells.values()):
            continue
        plan.rows_read += 1
        cells = {k: (clean_text(v, from_csv=from_csv) if k in _TEXT_CELLS else v) for k, v in cells.items()}
        found: list[Problem] = []
        record = checker(plan, number, {**cells, "_order": order}, found)
        if found or record is None:
            problems += found
            continue
        key = _record_key(plan.kind, record)
        if plan.kind in ("criteria", "dimensions") and key in seen and seen[key][1] != record:
            other = seen[key][0]
            problems.append(
                Problem(
                    number,
                    plan.header.label(key_field),
                    f"{record[key_field]!r} is also in row {other} with other values: keep one row",
                    plan.sheet,
                )
            )
            continue
        seen.setdefault(key, (number, record))
        plan.rows.append(record)
    return problems


_KEY_FIELD = {
    "criteria": "criterion",
    "dimensions": "dimension",
    "careers": "career",
    "contacts": "name",
    "interviews": "career",
}
_TEXT_CELLS = {
    "criterion",
    "description",
    "career",
    "notes",
    "name",
    "role",
    "organisation",
    "how_found",
    "introduced_by",
    "email",
    "interviewee",
    "goals",
    "questions",
    "homework_notes",
}


def _record_key(kind: str, record: dict[str, Any]) -> str:
    if kind == "interviews":
        when = record.get("date")
        return f"{record['career'].casefold()}\x00{(record.get('interviewee') or '').casefold()}\x00{when}"
    return str(record[_KEY_FIELD[kind]]).casefold()


def _required(plan: _Plan, number: int, cells: dict[str, Any], name: str, problems: list[Problem]) -> str | None:
    value = cells.get(name) or ""
    if not value:
        problems.append(
            Problem(number, plan.header.label(name), f"the {name.replace('_', ' ')} is missing", plan.sheet)
        )
        return None
    return value


def _check_criterion(plan: _Plan, number: int, cells: dict[str, Any], problems: list[Problem]) -> dict | None:
    name = _required(plan, number, cells, "criterion", problems)
    record: dict[str, Any] = {"criterion": name}
    if "dimension" in cells:
        dimension, error = _dimension(cells["dimension"] or "")
        if error:
            problems.append(Problem(number, plan.header.label("dimension"), error, plan.sheet))
        record["dimension"] = dimension
    if "weight" in cells:
        weight, error = parse_weight(cells["weight"])
        if error:
            problems.append(Problem(number, plan.header.label("weight"), error, plan.sheet))
        record["weight"] = weight
    if "description" in cells:
        record["description"] = cells["description"] or ""
    return record


def _check_dimension(plan: _Plan, number: int, cells: dict[str, Any], problems: list[Problem]) -> dict | None:
    raw = (cells.get("dimension") or "").strip()
    dimension = _DIMENSION_WORDS.get(raw.casefold())
    if dimension is None:
        problems.append(
            Problem(
                number,
                plan.header.label("dimension"),
                f"{raw!r} is not a dimension (use interest, skill or value)",
                plan.sheet,
            )
        )
    weight, error = parse_weight(cells.get("weight"))
    if error or weight is None:
        problems.append(Problem(number, plan.header.label("weight"), error or "the weight is missing", plan.sheet))
    return {"dimension": dimension, "weight": weight}


def _check_career(plan: _Plan, number: int, cells: dict[str, Any], problems: list[Problem]) -> dict | None:
    name = _required(plan, number, cells, "career", problems)
    return {"career": name, "notes": cells.get("notes") or None}


def _check_contact(plan: _Plan, number: int, cells: dict[str, Any], problems: list[Problem]) -> dict | None:
    name = _required(plan, number, cells, "name", problems)
    record: dict[str, Any] = {"name": name}
    for key in ("role", "organisation", "how_found", "introduced_by", "email", "notes"):
        if key in cells:
            record[key] = cells[key] or None
    return record


_INTERVIEW_DATES = ("identified_on", "requested_on", "completed_on", "thanked_on", "declined_on")
_INTERVIEW_FLAGS = ("researched_org", "researched_person", "questions_prepared")


def _check_interview(plan: _Plan, number: int, cells: dict[str, Any], problems: list[Problem]) -> dict | None:
    order = cells["_order"]
    career = _required(plan, number, cells, "career", problems)
    record: dict[str, Any] = {"career": career, "interviewee": cells.get("interviewee") or ""}

    def check(name: str, value: Any, error: str | None) -> None:
        if error:
            problems.append(Problem(number, plan.header.label(name), error, plan.sheet))
        elif value is not None:
            record[name] = value

    record["date"], error = parse_date(cells.get("date"), order)
    check("date", record["date"], error)
    stage = (cells.get("stage") or "").strip().casefold()
    if stage:
        check("stage", stage, None if stage in STAGES else f"{stage!r} is not a stage (use {', '.join(STAGES)})")
    for name in _INTERVIEW_DATES:
        if name in cells:
            check(name, *parse_date(cells[name], order))
    if "scheduled_for" in cells:
        check("scheduled_for", *parse_datetime(cells["scheduled_for"], order))
    for name in _INTERVIEW_FLAGS:
        if name in cells:
            check(name, *parse_bool(cells[name]))
    for name in ("notes", "goals", "questions", "homework_notes"):
        if cells.get(name):
            record[name] = cells[name]
    return record


_CHECKERS: dict[str, Callable[..., dict | None]] = {
    "criteria": _check_criterion,
    "dimensions": _check_dimension,
    "careers": _check_career,
    "contacts": _check_contact,
    "interviews": _check_interview,
}


# -- writing ----------------------------------------------------------------------------------------------


def _apply(cur: duckdb.DuckDBPyConnection, plans: list[_Plan], report: ImportReport) -> None:
    """Write every table in dependency order: profile, careers, contacts, interviews, then ratings."""
    ratings = [p for p in plans if p.kind in RATINGS_KINDS]
    for plan in ratings:
        db.drop_problem_rows(cur, plan.slot)
    workbook = report.kind == "workbook"
    replacing = workbook and any(p.kind == "criteria" and p.named for p in plans)
    rated = set().union(*(db.staged_keys(cur, p.slot) for p in ratings)) if ratings and replacing else set()
    new_unassigned: list[str] = []
    for plan in plans:
        if plan.kind == "criteria":
            result = db.import_criteria_rows(cur, plan.rows, replace_profile=workbook and plan.named, keep=rated)
            report.new_criteria += result["new"]
            report.removed_criteria += result["removed"]
            new_unassigned += [
                r["criterion"] for r in plan.rows if r["criterion"] in result["new"] and not r.get("dimension")
            ]
        elif plan.kind == "dimensions":
            db.import_dimension_weights(cur, {r["dimension"]: r["weight"] for r in plan.rows})
        elif plan.kind == "careers":
            report.new_careers += db.import_career_rows(cur, plan.rows)
        elif plan.kind == "contacts":
            report.new_contacts += db.import_contact_rows(cur, plan.rows)
        elif plan.kind == "interviews":
            report.new_interviews += db.import_interview_rows(cur, plan.rows)
        else:
            create_contacts = not any(p.kind == "contacts" for p in plans)
            result = db.apply_rating_rows(cur, plan.slot, create_contacts=create_contacts, grouped=plan.grouped)
            for key in (
                "new_ratings",
                "updated_ratings",
                "unchanged_ratings",
                "new_careers",
                "new_interviews",
                "new_contacts",
            ):
                setattr(report, key, getattr(report, key) + result[key])
            report.new_criteria += [name for name, _ in result["new_criteria"]]
            new_unassigned += [name for name, dimension in result["new_criteria"] if dimension is None]
            report.assigned_criteria += result["assigned_criteria"]
    report.unassigned_criteria = new_unassigned


def _frame(table: Table) -> pandas.DataFrame:
    """The first rows as read, for display; the index is the spreadsheet row number."""
    import pandas

    labels: list[str] = []
    for position, label in enumerate(table.header):
        shown = label.strip() or f"column {position + 1}"
        while shown in labels:
            shown += " "
        labels.append(shown)
    sample = table.rows[:SAMPLE_ROWS]
    frame = pandas.DataFrame([cells for _, cells in sample], columns=labels, index=[n for n, _ in sample], dtype=object)
    frame.index.name = "row"
    return frame
