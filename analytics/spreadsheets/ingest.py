"""Spreadsheet import: preview a file, then import it whole or not at all.

The files people really keep come in four shapes: long ratings (one row per
rating), wide ratings (one row per interview, one column per criterion), criteria (the profile), and the
full workbook the export writes. This module decides which shape each table is, validates every cell and
reports each problem at the row and column the user sees (header = row 1), then writes everything in one
transaction: by default any problem means nothing is written; ``skip_invalid`` writes the valid rows and
lists the others.

Ratings tables are validated and written inside DuckDB (see :mod:`analytics.spreadsheets.ratings`):
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
* Dates: see :mod:`analytics.spreadsheets.cells` (ISO, Excel serials, day-first DD/MM/YYYY, month names).
"""

from __future__ import annotations

import hashlib
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from ..db import rating_writes, sheet_writes, staging
from ..db.connection import MEMORY
from ..db.onet_links import link_new_by_name
from ..errors import CareerFitError, InvalidInputError
from ..store import Store
from .cells import SCALES, parse_number
from .headers import DERIVED_SHEETS, RATINGS_KINDS, detect_kind, map_headers, normalise
from .plan import Plan
from .ratings import summarise_ratings, validate_ratings
from .reading import open_tables
from .report import ImportPreview, ImportProblems, ImportReport
from .sandbox import paused_gc
from .sheets import validate_sheet
from .tables import SAMPLE_ROWS, Problem, Table, check_size

if TYPE_CHECKING:
    import pandas

__all__ = [
    "ImportOptions",
    "ImportPreview",
    "ImportProblems",
    "ImportReport",
    "Problem",
    "check_size",
    "import_bytes",
    "import_file",
    "import_several",
    "list_imports",
    "preview_bytes",
]

# Problems listed one per line; beyond this a last line says how many more there are.
MAX_LISTED_PROBLEMS = 1000
_APPLY_ORDER = ("criteria", "dimensions", "careers", "contacts", "interviews", "long", "wide")
# An import of at least this many ratings commits into the write-ahead log and checkpoints after (see
# analytics.db.staging._log_then_checkpoint). Measured as whole `career-fit import` processes, median of 5 runs
# alternating with and without: 750,000 ratings 1.33 s against 1.51 s and 1,000,000 1.72 s against 2.03 s; at
# 40,000 to 500,000 the two were within 30 ms of each other either way.
LARGE_IMPORT_RATINGS = 500_000


# -- public API --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportOptions:
    """How to import a file (the keyword arguments of :func:`import_file` and :func:`import_bytes`).

    ``expect``: the only kind the caller accepts ("workbook" where a saved workbook is asked for): another
    kind is refused in one line before anything is checked. ``thanked``: interviews the file creates were
    thanked already (past conversations), so they raise no thank-you reminder.
    """

    scale: str = "1-5"
    skip_invalid: bool = False
    dry_run: bool = False
    sheet: str | None = None
    expect: str | None = None
    thanked: bool = False


def import_file(store: Store, path: str | Path, **options: Any) -> ImportReport:
    """Import a ``.csv`` or ``.xlsx`` file from disk (see :func:`import_bytes`)."""
    target = _readable(path)
    chosen = ImportOptions(**options)
    digest = _FileDigest(target) if not chosen.dry_run else None
    return _import(store, None, target.name, target, chosen, digest=digest)


def _readable(path: str | Path) -> Path:
    """``path``, once it is known to name a file that can be read and is not too large (else one line)."""
    target = Path(path).expanduser()
    if not target.is_file():
        raise InvalidInputError(f"{target}: there is no such file")
    check_size(target.stat().st_size, target.name)
    try:
        target.open("rb").close()
    except OSError as error:
        raise InvalidInputError(f"{target}: cannot read it ({error.strerror or error})") from None
    return target


class _FileDigest:
    """The SHA-256 of a file (the import log's content hash), read and hashed on a thread of its own while the
    import reads and checks the file: both release the interpreter's lock over large blocks, so a 50 MB file's
    hash costs the import next to no time instead of some 0.1 s."""

    def __init__(self, path: Path) -> None:
        self._hash = hashlib.sha256()
        self._error: OSError | None = None
        self._thread = threading.Thread(target=self._read, args=(path,), name="career-fit-digest", daemon=True)
        self._thread.start()

    def _read(self, path: Path) -> None:
        try:
            with open(path, "rb") as handle:
                while block := handle.read(1 << 20):
                    self._hash.update(block)
        except OSError as error:
            self._error = error

    def hexdigest(self) -> str:
        self._thread.join()
        if self._error is not None:
            raise InvalidInputError(f"cannot read the file again ({self._error.strerror or self._error})")
        return self._hash.hexdigest()


def import_bytes(store: Store, data: bytes, file_name: str, **options: Any) -> ImportReport:
    """Import an uploaded file (options: :class:`ImportOptions`). Problems at rows and columns raise
    :class:`ImportProblems` (one line each, and as objects) and write nothing, unless ``skip_invalid``: then
    the valid rows are written and the report lists the others. A file that cannot be read at all raises
    :class:`InvalidInputError` with one line."""
    return _import(store, data, file_name, None, ImportOptions(**options))


def import_several(store: Store, paths: Sequence[str | Path], name: str, **options: Any) -> ImportReport:
    """Import several files from disk as one import called ``name``: their tables are the sheets of one
    workbook (each named by its file), checked together and written in one transaction, so all of them land
    or none does (the bundled demo's five files load this way). Otherwise as :func:`import_file`."""
    targets = [_readable(path) for path in paths]
    return _import(store, None, name, None, ImportOptions(**options), files=targets)


@contextmanager
def _tables_of(paths: Sequence[Path]) -> Iterator[list[Table]]:
    """The tables of several files, each read where it is, as :func:`.reading.open_tables` reads one."""
    with ExitStack() as stack:
        yield [table for path in paths for table in stack.enter_context(open_tables(None, path.name, path=path))]


def preview_bytes(
    data: bytes, file_name: str, *, scale: str = "1-5", sheet: str | None = None, store: Store | None = None
) -> ImportPreview:
    """How a file would import, without writing: kind, column meanings, first rows, every problem, and a
    better scale for its ratings when the chosen one does not fit them (proposed, never applied).

    ``new_criteria_without_dimension`` is relative to ``store`` (to a new store's default profile when
    None). A file that cannot be read at all raises :class:`InvalidInputError` with one line.
    """
    scratch = store or Store(MEMORY)
    plans: list[Plan] = []
    options = ImportOptions(scale=scale, skip_invalid=True, dry_run=True, sheet=sheet)
    try:
        report = _import(scratch, data, file_name, None, options, collect=plans)
    finally:
        if store is None:
            scratch.close()
    main = next((p for p in plans if p.kind in RATINGS_KINDS), plans[0])
    proposed, reason = propose_scale([value for p in plans for value in p.rating_values], scale)
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
        proposed_scale=proposed,
        scale_reason=reason,
    )


def propose_scale(values: list[str], scale: str) -> tuple[str | None, str]:
    """A scale that fits every rating when ``scale`` does not: 1-10 when all are in 1-10 and some above 5,
    0-100 when all are in 0-100 and some above 10; with the reason in words. (None, "") otherwise."""
    numbers = [number for number in map(parse_number, values) if number is not None]
    if not numbers:
        return None, ""
    low, high = min(numbers), max(numbers)
    fits = SCALES[scale][0] <= low and high <= SCALES[scale][1]
    if fits:
        return None, ""
    for candidate, above in (("1-10", 5), ("0-100", 10)):
        bottom, top = SCALES[candidate]
        if candidate != scale and bottom <= low and high <= top and high > above:
            return candidate, f"every rating is between {low:g} and {high:g}: the file looks like a {candidate} scale"
    return None, ""


def list_imports(store: Store) -> list[dict[str, Any]]:
    """Every recorded import, newest first: file name, content hash, time, kind and counts."""
    return store.imports()


# -- the import ----------------------------------------------------------------------------------------


def _import(
    store: Store,
    data: bytes | None,
    file_name: str,
    path: Path | None,
    options: ImportOptions,
    collect: list[Plan] | None = None,
    digest: _FileDigest | None = None,
    *,
    files: Sequence[Path] = (),
) -> ImportReport:
    """Import ``data``, or the file at ``path`` (``data`` None; ``digest`` hashes it meanwhile), or ``files``."""
    if options.scale not in SCALES:
        raise InvalidInputError(f"unknown scale {options.scale!r}: use 1-5, 1-10 or 0-100")
    name = Path(file_name).name or "the file"
    if data is not None:
        check_size(len(data), name)
    scratch = Path(tempfile.gettempdir())  # (where staging writes, and at once removes, its large tables)
    early = _EarlyChecks()
    with (
        paused_gc(),  # (an import builds many objects and no cycles: see paused_gc)
        _tables_of(files)
        if files
        else open_tables(data, name, path=path, sheet=options.sheet, arrived=early.check) as tables,
    ):
        plans, ignored = _plans(tables, name, options.sheet)
        kind = plans[0].kind if len(plans) == 1 else "workbook"
        if options.expect and kind != options.expect:
            raise InvalidInputError(
                f"{name}: this is not a Career Fit workbook (it reads as {_KIND_WORDS.get(kind, kind)}): "
                "import it with Import a spreadsheet to add it to your data"
                if options.expect == "workbook"
                else f"{name}: this is {_KIND_WORDS.get(kind, kind)}, not {_KIND_WORDS.get(options.expect)}"
            )
        report = ImportReport(
            file_name=name,
            kind=kind,
            dry_run=options.dry_run,
            ignored_sheets=ignored,
            sheets={p.sheet or name: p.kind for p in plans},
        )
        if collect is not None:
            collect.extend(plans)
        fatal = [
            Problem(p.table.header_row, label, message, p.sheet) for p in plans for label, message in p.header.fatal
        ]
        if fatal and collect is None:
            raise ImportProblems(fatal)
        plans = [p for p in plans if not p.header.fatal]
        with staging.import_cursor(store) as cur:
            for plan in plans:
                if not early.take(plan):
                    _validate_plan(cur, plan, options.scale, scratch)
            report.rows_read = sum(p.rows_read for p in plans)
            if not report.rows_read and not fatal:
                raise InvalidInputError(f"{name}: there are no data rows under the header")
            report.ignored_columns = [label for p in plans for label in p.header.ignored()]
            report.replaced_default_profile = kind == "criteria" and sheet_writes.untouched_default_profile(cur)
            if report.replaced_default_profile and not options.dry_run and not _problems(plans, fatal):
                from ..backup import make_backup  # the defaults go, and can come back from this backup

                make_backup(store, "import")
            content_hash = (
                ""
                if options.dry_run
                else digest.hexdigest()
                if digest is not None
                else hashlib.sha256(b"".join(f.read_bytes() for f in files) if files else data or b"").hexdigest()
            )
            return _write(store, cur, plans, report, fatal, options, content_hash)


_KIND_WORDS = {
    "long": "ratings, one row per rating",
    "wide": "ratings, one row per interview",
    "criteria": "criteria (a profile)",
    "workbook": "a Career Fit workbook",
    "careers": "careers",
    "contacts": "contacts",
    "interviews": "interviews",
    "dimensions": "dimension weights",
}


def _problems(plans: list[Plan], fatal: list[Problem]) -> bool:
    return bool(fatal) or any(plan.problems for plan in plans)


def _write(
    store: Store,
    cur: duckdb.DuckDBPyConnection,
    plans: list[Plan],
    report: ImportReport,
    fatal: list[Problem],
    options: ImportOptions,
    digest: str,
) -> ImportReport:
    """Write everything in one transaction (rolled back for a dry run), or raise the problems.

    A ratings sheet that gives a rating key twice is noticed while writing (the cheap way for a million new
    ratings); the import then rolls back and is decided again with that knowledge.
    """
    large = not report.dry_run and sum(_ratings_in(p) for p in plans if p.kind in RATINGS_KINDS) >= LARGE_IMPORT_RATINGS
    for _attempt in range(2 * len(plans) + 1):
        _take_problems(report, plans, fatal, options.skip_invalid)
        changed: list[int] = []  # the ratings sheets that changed a rating: their careers' summaries refresh
        careers: dict[int, list[int] | None] = {}  # by ratings sheet: the careers it names, when few
        try:
            with staging.import_transaction(
                store, cur, dry_run=report.dry_run, rating_slots=changed, large=large, rated_careers=careers
            ):
                _apply(cur, plans, report, thanked=options.thanked, changed=changed, careers=careers)
                if not report.dry_run:
                    counts = {**vars(report), "new_criteria": len(report.new_criteria)}
                    sheet_writes.record_import(cur, report.file_name, digest, report.kind, counts)
            return report
        except staging.StagedDuplicates as duplicates:  # the same key twice: write that sheet grouped by key
            next(p for p in plans if p.slot == duplicates.slot).grouped = True
        except staging.StagedConflicts as conflicts:  # the same key twice with different values: name the rows
            plan = next(p for p in plans if p.slot == conflicts.slot)
            staging.find_conflicts(cur, plan.slot)
            summarise_ratings(cur, plan, MAX_LISTED_PROBLEMS)
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
        "updated_criteria": [],
        "unchanged_criteria": [],
        "criteria_weights": {},
    }


def _take_problems(report: ImportReport, plans: list[Plan], fatal: list[Problem], skip_invalid: bool) -> None:
    """Gather every table's problems: raise them all (nothing written) unless rows may be skipped."""
    problems = fatal + [problem for plan in plans for problem in plan.problems]
    count = len(fatal) + sum(plan.problem_count for plan in plans)
    listed = problems[:MAX_LISTED_PROBLEMS]
    if count > len(listed):
        listed.append(Problem(None, None, f"and {count - len(listed):,} more problems"))
    if problems and not skip_invalid:
        raise ImportProblems(listed)
    report.skipped, report.problem_count = listed, count
    report.skipped_rows = sum(plan.bad_rows for plan in plans)


def _plans(tables: list[Table], name: str, sheet: str | None) -> tuple[list[Plan], list[str]]:
    """Recognise each table; unrecognised sheets are ignored (and listed), unless nothing is recognised."""
    plans: list[Plan] = []
    ignored: list[str] = []
    many = len(tables) > 1
    for table in tables:
        if many and table.name is not None and normalise(table.name) in DERIVED_SHEETS:
            continue  # written by the export for people to read; worked out again, never imported
        kind = detect_kind(table.header, table.name)
        if kind is None:
            ignored.append(table.name or name)
            continue
        sheet_name = table.name if many else None
        named = table.name is not None and kind == detect_kind([], table.name)
        plans.append(Plan(table, kind, map_headers(table.header, kind), len(plans), sheet_name, named))
    if not plans:
        expected = (
            "ratings need a career column and either criterion and rating columns or one column per criterion; a "
            "profile needs a criterion column, or name with dimension and weight columns"
        )
        if sheet or not many:
            found = ", ".join(label.strip() for label in tables[0].header if label.strip())
            what = f"sheet {sheet!r} is" if sheet else "the columns are"
            raise InvalidInputError(f"{name}: {what} not recognised: {expected} (found: {found})")
        raise InvalidInputError(f"{name}: no sheet of the workbook is recognised: {expected}")
    if len(plans) == 1:
        plans[0].sheet = None
    plans.sort(key=lambda p: _APPLY_ORDER.index(p.kind))
    return plans, ignored


def _validate_plan(cur: duckdb.DuckDBPyConnection, plan: Plan, scale: str, scratch: Path) -> None:
    """Check one table; its problems (listed up to the limit), their number and bad rows go on the plan."""
    if plan.kind in RATINGS_KINDS:
        validate_ratings(cur, plan, scale, scratch, MAX_LISTED_PROBLEMS)
        return
    _check_sheet(plan)


class _EarlyChecks:
    """The sheets other than ratings (criteria, careers, contacts, interviews...) checked as soon as they are
    read, while the children still read the rest of a large workbook (its ratings sheet takes longest): the
    import's own check of such a table then takes what was found here instead of checking it again.

    A table is checked here as the import would check it as one sheet among several (the kind its header and
    name give, the sheet named in its problems); a table the import sees otherwise (another kind, the only
    table of the file, a workbook read whole again) is checked in turn as ever. Nothing here touches the store.
    """

    def __init__(self) -> None:
        self._checked: list[Plan] = []

    def check(self, tables: list[Table]) -> None:
        for table in tables:
            if table.name is None or normalise(table.name) in DERIVED_SHEETS:
                continue
            kind = detect_kind(table.header, table.name)
            if kind is None or kind in RATINGS_KINDS:
                continue  # (ratings are checked in DuckDB, in the import's transaction)
            header = map_headers(table.header, kind)
            if header.fatal:
                continue
            plan = Plan(table, kind, header, 0, table.name)
            try:
                _check_sheet(plan)
            except CareerFitError:
                continue  # (checked again in turn, which says what is wrong)
            self._checked.append(plan)
            if plan.kind in _RECORDS and not plan.problems:
                try:  # (what the writes make of each row, but the store: a row they refuse is refused in turn)
                    plan.records = _RECORDS[plan.kind](plan.rows)
                except CareerFitError:
                    plan.records = None
        staging.load_ahead()  # (what staging the sheets still being read will need)

    def take(self, plan: Plan) -> bool:
        """Give ``plan`` what checking the same table early found; False when it was not checked early."""
        for early in self._checked:
            if early.table is plan.table and (early.kind, early.sheet, early.header) == (
                plan.kind,
                plan.sheet,
                plan.header,
            ):
                plan.rows, plan.rows_read, plan.records = early.rows, early.rows_read, early.records
                plan.problems, plan.problem_count, plan.bad_rows = early.problems, early.problem_count, early.bad_rows
                return True
        return False


_RECORDS: dict[str, Callable[[list[dict[str, Any]]], list[Any]]] = {
    "contacts": sheet_writes.contact_records,
    "interviews": sheet_writes.interview_records,
}


def _check_sheet(plan: Plan) -> None:
    """Check a sheet other than ratings, in Python (see :mod:`.sheets`)."""
    reading = [replace(p, sheet=plan.sheet) for p in plan.table.problems]
    found = validate_sheet(plan)
    plan.problems = sorted(reading + found, key=lambda p: p.row or 0)
    plan.problem_count = len(plan.problems)
    plan.bad_rows = len({p.row for p in plan.problems})


# -- writing ----------------------------------------------------------------------------------------------


def _apply(
    cur: duckdb.DuckDBPyConnection,
    plans: list[Plan],
    report: ImportReport,
    *,
    thanked: bool,
    changed: list[int],
    careers: dict[int, list[int] | None],
) -> None:
    """Write every table in dependency order: profile, careers, contacts, interviews, then ratings; the slots of
    ratings sheets that added or changed a rating go in ``changed``, and the careers each ratings
    sheet names in ``careers`` (when few enough to list)."""
    ratings = [p for p in plans if p.kind in RATINGS_KINDS]
    for plan in ratings:
        if plan.droppable:
            staging.drop_problem_rows(cur, plan.slot)
    workbook = report.kind == "workbook"
    replacing = workbook and any(p.kind == "criteria" and p.named for p in plans)
    rated = set().union(*(staging.staged_keys(cur, p.slot) for p in ratings)) if ratings and replacing else set()
    new_unassigned: list[str] = []
    for plan in plans:
        if plan.kind == "criteria":
            replace_profile = (workbook and plan.named) or report.replaced_default_profile
            result = sheet_writes.import_criteria_rows(cur, plan.rows, replace_profile=replace_profile, keep=rated)
            report.new_criteria += result["new"]
            report.removed_criteria += result["removed"]
            report.updated_criteria += result["updated"]
            report.unchanged_criteria += result["unchanged"]
            report.criteria_weights.update(result["weights"])
            new_unassigned += [
                r["criterion"] for r in plan.rows if r["criterion"] in result["new"] and not r.get("dimension")
            ]
        elif plan.kind == "dimensions":
            sheet_writes.import_dimension_weights(cur, {r["dimension"]: r["weight"] for r in plan.rows})
        elif plan.kind == "careers":
            report.new_careers += sheet_writes.import_career_rows(cur, plan.rows)
        elif plan.kind == "contacts":
            report.new_contacts += sheet_writes.import_contact_rows(cur, plan.rows, plan.records)
        elif plan.kind == "interviews":
            report.new_interviews += sheet_writes.import_interview_rows(cur, plan.rows, plan.records)
        else:
            create_contacts = not any(p.kind == "contacts" for p in plans)
            result = rating_writes.apply_rating_rows(
                cur,
                plan.slot,
                create_contacts=create_contacts,
                grouped=plan.grouped,
                thanked=thanked,
                columns=plan.fields,
            )
            if result["new_ratings"] or result["updated_ratings"]:
                changed.append(plan.slot)
            careers[plan.slot] = result["careers"]
            for key in (
                "new_ratings",
                "updated_ratings",
                "unchanged_ratings",
                "new_careers",
                "new_interviews",
                "new_contacts",
                "thanked_interviews",
            ):
                setattr(report, key, getattr(report, key) + result[key])
            report.new_criteria += [name for name, _ in result["new_criteria"]]
            new_unassigned += [name for name, dimension in result["new_criteria"] if dimension is None]
            report.assigned_criteria += result["assigned_criteria"]
    report.unassigned_criteria = new_unassigned
    # A new criterion named like an O*NET element stands for it, unless its row said otherwise (onet column).
    said = {r["criterion"].casefold() for p in plans if p.kind == "criteria" for r in p.rows if "onet" in r}
    unsaid = [name for name in report.new_criteria if name.casefold() not in said]
    if unsaid:  # the O*NET names (and the modules behind them) load only when a criterion is new
        from ..onet.link import links_by_name

        link_new_by_name(cur, unsaid, links_by_name())


def _ratings_in(plan: Plan) -> int:
    """How many ratings a ratings sheet gives at most (a wide sheet: one per criterion column of each row)."""
    return plan.rows_read * (max(1, len(plan.header.criteria)) if plan.kind == "wide" else 1)


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
