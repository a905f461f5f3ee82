"""The DuckDB store: connection, schema, migrations, and every read and write of the app.

All SQL of the project lives here (and in the migrations below) so that there is one place to check
that user text only ever reaches DuckDB as a bound parameter. A :class:`Store` owns one DuckDB
connection; each unit of work takes its own ``cursor()`` because a single DuckDB connection used from
two Streamlit script threads fails with "connection is busy". Writes additionally hold a process-wide
lock per store so that concurrent sessions never lose an update to an optimistic-concurrency conflict.
"""

from __future__ import annotations

import json
import os
import sys
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime
from math import fsum
from pathlib import Path
from typing import Any

import duckdb

from .errors import InvalidInputError, StoreError, StoreLockedError
from .models import (
    DIMENSIONS,
    STAGES,
    Career,
    Contact,
    Criterion,
    DimensionSums,
    Interview,
    RatingAggregate,
)
from .profile_defaults import DEFAULT_CRITERIA, DEFAULT_DIMENSION_WEIGHTS

MEMORY = ":memory:"
DEFAULT_WEIGHT = 3.0

# Each migration upgrades the schema by one version, inside one transaction. Version 1 is the first
# schema ever shipped; never edit a migration once released, add a new one.
MIGRATIONS: tuple[str, ...] = (
    # 1: the core: profile, careers, contacts, interviews, ratings, imports, settings
    """
    CREATE SEQUENCE criterion_ids START 1;
    CREATE SEQUENCE career_ids START 1;
    CREATE SEQUENCE contact_ids START 1;
    CREATE SEQUENCE interview_ids START 1;
    CREATE SEQUENCE import_ids START 1;
    CREATE TABLE criteria (
        id INTEGER PRIMARY KEY DEFAULT nextval('criterion_ids'),
        name VARCHAR NOT NULL,
        name_key VARCHAR NOT NULL UNIQUE,
        dimension VARCHAR CHECK (dimension IN ('interest', 'skill', 'value')),
        weight DOUBLE NOT NULL DEFAULT 3 CHECK (weight >= 0 AND weight <= 5),
        description VARCHAR NOT NULL DEFAULT '',
        position INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE careers (
        id INTEGER PRIMARY KEY DEFAULT nextval('career_ids'),
        name VARCHAR NOT NULL,
        name_key VARCHAR NOT NULL UNIQUE,
        notes VARCHAR NOT NULL DEFAULT ''
    );
    CREATE TABLE contacts (
        id INTEGER PRIMARY KEY DEFAULT nextval('contact_ids'),
        name VARCHAR NOT NULL,
        name_key VARCHAR NOT NULL UNIQUE,
        role VARCHAR NOT NULL DEFAULT '',
        organisation VARCHAR NOT NULL DEFAULT '',
        how_found VARCHAR NOT NULL DEFAULT '',
        email VARCHAR NOT NULL DEFAULT '',
        notes VARCHAR NOT NULL DEFAULT ''
    );
    CREATE TABLE interviews (
        id INTEGER PRIMARY KEY DEFAULT nextval('interview_ids'),
        career_id INTEGER NOT NULL,
        contact_id INTEGER,
        interviewee VARCHAR NOT NULL DEFAULT '',
        interviewee_key VARCHAR NOT NULL DEFAULT '',
        held_on DATE,
        date_key VARCHAR NOT NULL DEFAULT '',
        stage VARCHAR NOT NULL DEFAULT 'completed',
        notes VARCHAR NOT NULL DEFAULT '',
        UNIQUE (career_id, interviewee_key, date_key)
    );
    CREATE TABLE ratings (
        career_id INTEGER NOT NULL,
        criterion_id INTEGER NOT NULL,
        source VARCHAR NOT NULL CHECK (source IN ('interview', 'expectation')),
        interview_id INTEGER NOT NULL DEFAULT 0,
        value DECIMAL(9, 6) NOT NULL CHECK (value >= 1 AND value <= 5),
        PRIMARY KEY (career_id, criterion_id, source, interview_id)
    );
    CREATE TABLE imports (
        id INTEGER PRIMARY KEY DEFAULT nextval('import_ids'),
        file_name VARCHAR NOT NULL,
        content_hash VARCHAR NOT NULL,
        imported_at TIMESTAMP NOT NULL,
        kind VARCHAR NOT NULL DEFAULT '',
        rows_read INTEGER NOT NULL DEFAULT 0,
        new_ratings INTEGER NOT NULL DEFAULT 0,
        updated_ratings INTEGER NOT NULL DEFAULT 0,
        unchanged_ratings INTEGER NOT NULL DEFAULT 0,
        skipped_rows INTEGER NOT NULL DEFAULT 0,
        new_careers INTEGER NOT NULL DEFAULT 0,
        new_criteria INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE settings (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL);
    """,
    # 2: the interview pipeline: who introduced whom, goals, stage dates, homework
    """
    ALTER TABLE contacts ADD COLUMN introduced_by VARCHAR NOT NULL DEFAULT '';
    ALTER TABLE interviews ADD COLUMN goals VARCHAR NOT NULL DEFAULT '';
    ALTER TABLE interviews ADD COLUMN questions VARCHAR NOT NULL DEFAULT '';
    ALTER TABLE interviews ADD COLUMN identified_on DATE;
    ALTER TABLE interviews ADD COLUMN requested_on DATE;
    ALTER TABLE interviews ADD COLUMN scheduled_for TIMESTAMP;
    ALTER TABLE interviews ADD COLUMN completed_on DATE;
    ALTER TABLE interviews ADD COLUMN thanked_on DATE;
    ALTER TABLE interviews ADD COLUMN declined_on DATE;
    ALTER TABLE interviews ADD COLUMN researched_org BOOLEAN NOT NULL DEFAULT false;
    ALTER TABLE interviews ADD COLUMN researched_person BOOLEAN NOT NULL DEFAULT false;
    ALTER TABLE interviews ADD COLUMN questions_prepared BOOLEAN NOT NULL DEFAULT false;
    ALTER TABLE interviews ADD COLUMN homework_notes VARCHAR NOT NULL DEFAULT '';
    UPDATE interviews SET completed_on = held_on WHERE stage IN ('completed', 'thanked');
    """,
    # 3: summaries of the ratings kept by every write, so ranking reads thousands of rows, not millions
    """
    CREATE TABLE rating_totals (
        career_id INTEGER NOT NULL,
        criterion_id INTEGER NOT NULL,
        source VARCHAR NOT NULL,
        n INTEGER NOT NULL,
        total DECIMAL(38, 6) NOT NULL,
        total_squares DECIMAL(38, 12) NOT NULL
    );
    CREATE TABLE career_totals (career_id INTEGER PRIMARY KEY, interviews INTEGER NOT NULL);
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)

_INTERVIEW_COLUMNS = (
    "i.id, i.career_id, c.name, i.interviewee, i.held_on, i.stage, i.notes, i.contact_id, i.goals,"
    " i.questions, i.identified_on, i.requested_on, i.scheduled_for, i.completed_on, i.thanked_on,"
    " i.declined_on, i.researched_org, i.researched_person, i.questions_prepared, i.homework_notes,"
    " (SELECT count(*) FROM ratings r WHERE r.interview_id = i.id AND r.source = 'interview')"
)


def default_db_path() -> Path:
    """A per-user data file that survives restarts, where each platform keeps application data."""
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA", Path.home() / "AppData" / "Roaming"))
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "career-fit" / "career-fit.duckdb"


def resolve_db_path(explicit: str | os.PathLike[str] | None = None) -> str:
    """``--db`` first, then ``$CAREER_FIT_DB``, then the per-user data file."""
    if explicit:
        return str(explicit)
    from_env = os.environ.get("CAREER_FIT_DB", "").strip()
    if from_env:
        return from_env
    return str(default_db_path())


def text(value: object) -> str:
    """User text as stored: surrounding white space trimmed, never None."""
    if value is None:
        return ""
    return str(value).strip()


def name_key(value: object) -> str:
    """How names are compared: trimmed and case-folded."""
    return text(value).casefold()


def _date_key(value: date | None) -> str:
    return value.isoformat() if value else ""


_WRITE_LOCKS: dict[str, threading.RLock] = {}
_WRITE_LOCKS_GUARD = threading.Lock()


def _write_lock_for(path: str) -> threading.RLock:
    with _WRITE_LOCKS_GUARD:
        return _WRITE_LOCKS.setdefault(path, threading.RLock())


class Store:
    """One DuckDB database (a file, or memory) with the Career Fit schema."""

    def __init__(self, path: str | os.PathLike[str] = MEMORY, *, seed_defaults: bool = True) -> None:
        self.path = str(path)
        self.in_memory = self.path == MEMORY
        if not self.in_memory:
            Path(self.path).expanduser().parent.mkdir(parents=True, exist_ok=True)
        self._connection = _connect(self.path)
        self._write_lock = threading.RLock() if self.in_memory else _write_lock_for(self.path)
        # Bumped by every committed write; lets callers cache pure results of the current data.
        self.revision = 0
        self._migrate(seed_defaults)

    # -- connection management -------------------------------------------------------------------

    def close(self) -> None:
        self._connection.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor for one unit of reading work."""
        cur = self._connection.cursor()
        try:
            yield cur
        finally:
            cur.close()

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
                    _refresh_totals(cur)
            except BaseException:
                cur.execute("ROLLBACK")
                raise
            cur.execute("COMMIT")
            self.revision += 1

    # -- schema ------------------------------------------------------------------------------------

    def _migrate(self, seed_defaults: bool) -> None:
        with self.cursor() as cur:
            version = _schema_version(cur)
        if version == SCHEMA_VERSION:
            return
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} was written by a newer Career Fit (schema {version}); upgrade Career Fit to open it"
            )
        with self.transaction() as cur:
            fresh = version == 0
            if fresh:
                cur.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
                cur.execute("INSERT INTO schema_version VALUES (0)")
            for number in range(version + 1, SCHEMA_VERSION + 1):
                for statement in _statements(MIGRATIONS[number - 1]):
                    cur.execute(statement)
                cur.execute("UPDATE schema_version SET version = ?", [number])
            if fresh and seed_defaults:
                _insert_default_profile(cur)

    def schema_version(self) -> int:
        with self.cursor() as cur:
            return _schema_version(cur)

    # -- settings ----------------------------------------------------------------------------------

    def get_setting(self, key: str, default: Any = None) -> Any:
        with self.cursor() as cur:
            row = cur.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        return json.loads(row[0]) if row else default

    def set_setting(self, key: str, value: Any) -> None:
        with self.transaction(touches_ratings=False) as cur:
            _set_setting(cur, key, value)

    def dimension_weights(self) -> dict[str, float]:
        stored = self.get_setting("dimension_weights", {}) or {}
        return {d: float(stored.get(d, DEFAULT_DIMENSION_WEIGHTS[d])) for d in DIMENSIONS}

    def set_dimension_weights(self, weights: Mapping[str, float]) -> None:
        clean = self.dimension_weights()
        for dimension, weight in weights.items():
            if dimension not in DIMENSIONS:
                raise InvalidInputError(f"unknown dimension {dimension!r}: use interest, skill or value")
            clean[dimension] = _checked_weight(weight, f"weight of {dimension}")
        if not any(clean.values()):
            raise InvalidInputError("at least one dimension needs a weight above 0")
        self.set_setting("dimension_weights", clean)

    # -- reads -------------------------------------------------------------------------------------

    def criteria(self) -> list[Criterion]:
        with self.cursor() as cur:
            rows = cur.execute(
                "SELECT id, name, dimension, weight, description, position FROM criteria"
                " ORDER BY position, id"
            ).fetchall()
        return [Criterion(*row) for row in rows]

    def careers(self) -> list[Career]:
        with self.cursor() as cur:
            rows = cur.execute("SELECT id, name, notes FROM careers ORDER BY name_key, id").fetchall()
        return [Career(*row) for row in rows]

    def contacts(self) -> list[Contact]:
        with self.cursor() as cur:
            rows = cur.execute(
                "SELECT id, name, role, organisation, how_found, introduced_by, email, notes"
                " FROM contacts ORDER BY name_key, id"
            ).fetchall()
        return [Contact(*row) for row in rows]

    def interviews(self, career_id: int | None = None) -> list[Interview]:
        sql = f"SELECT {_INTERVIEW_COLUMNS} FROM interviews i JOIN careers c ON c.id = i.career_id"  # noqa: S608
        params: list[Any] = []
        if career_id is not None:
            sql += " WHERE i.career_id = ?"
            params.append(career_id)
        sql += " ORDER BY i.held_on DESC NULLS LAST, c.name_key, i.interviewee_key, i.id"
        with self.cursor() as cur:
            rows = cur.execute(sql, params).fetchall()
        return [_interview(row) for row in rows]

    def interview(self, interview_id: int) -> Interview | None:
        sql = f"SELECT {_INTERVIEW_COLUMNS} FROM interviews i JOIN careers c ON c.id = i.career_id WHERE i.id = ?"  # noqa: S608
        with self.cursor() as cur:
            row = cur.execute(sql, [interview_id]).fetchone()
        return _interview(row) if row else None

    def interview_ratings(self, interview_id: int) -> dict[int, float]:
        """Criterion id -> rating (1-5) of one interview."""
        with self.cursor() as cur:
            rows = cur.execute(
                "SELECT criterion_id, CAST(value AS DOUBLE) FROM ratings"
                " WHERE interview_id = ? AND source = 'interview'",
                [interview_id],
            ).fetchall()
        return dict(rows)

    def expectations(self, career_id: int) -> dict[int, float]:
        """Criterion id -> the user's own prior rating (1-5) of a career."""
        with self.cursor() as cur:
            rows = cur.execute(
                "SELECT criterion_id, CAST(value AS DOUBLE) FROM ratings"
                " WHERE career_id = ? AND source = 'expectation'",
                [career_id],
            ).fetchall()
        return dict(rows)

    def career_ratings(self, career_id: int) -> list[tuple[int, str, date | None, int, float]]:
        """Every interview rating of one career: (interview id, interviewee, date, criterion id, rating)."""
        with self.cursor() as cur:
            return cur.execute(
                "SELECT i.id, i.interviewee, i.held_on, r.criterion_id, CAST(r.value AS DOUBLE)"
                " FROM ratings r JOIN interviews i ON i.id = r.interview_id"
                " WHERE r.career_id = ? AND r.source = 'interview'"
                " ORDER BY i.held_on NULLS LAST, i.interviewee_key, r.criterion_id",
                [career_id],
            ).fetchall()

    def rating_aggregates(self) -> list[RatingAggregate]:
        """Per career, criterion and source: count, exact sum and sum of squares of the ratings."""
        with self.cursor() as cur:
            rows = cur.execute(
                "SELECT career_id, criterion_id, source, n, CAST(total AS DOUBLE), CAST(total_squares AS DOUBLE)"
                " FROM rating_totals ORDER BY career_id, criterion_id, source"
            ).fetchall()
        return [RatingAggregate(*row) for row in rows]

    def dimension_sums(self) -> list[DimensionSums]:
        """Per career, source and dimension: the weighted sums the scoring needs.

        Per-criterion sums are exact (DECIMAL); the sums across criteria are returned as lists and added
        with ``math.fsum`` (exactly rounded), so the result never depends on the order rows were written.
        """
        with self.cursor() as cur:
            rows = cur.execute(
                """
                WITH per_criterion AS (
                    SELECT career_id, criterion_id, source, n,
                           CAST(total AS DOUBLE) AS s, CAST(total_squares AS DOUBLE) AS ss
                    FROM rating_totals
                )
                SELECT p.career_id, p.source, k.dimension,
                       list(k.weight),
                       list(k.weight * (p.s / p.n - 1) / 4),
                       list(CASE WHEN p.n > 1 THEN k.weight * greatest(0, (p.ss - p.s * p.s / p.n) / (p.n - 1))
                                 ELSE 0 END)
                FROM per_criterion p JOIN criteria k ON k.id = p.criterion_id
                WHERE k.dimension IS NOT NULL
                GROUP BY p.career_id, p.source, k.dimension
                """
            ).fetchall()
        return [
            DimensionSums(career, source, dimension, fsum(w), fsum(ws), fsum(wv))
            for career, source, dimension, w, ws, wv in rows
        ]

    def interview_counts(self) -> dict[int, int]:
        """Career id -> number of interviews that produced at least one rating."""
        with self.cursor() as cur:
            rows = cur.execute("SELECT career_id, interviews FROM career_totals").fetchall()
        return dict(rows)

    def counts(self) -> dict[str, int]:
        """How much the store holds, for summaries and empty states."""
        with self.cursor() as cur:
            row = cur.execute(
                "SELECT (SELECT count(*) FROM criteria), (SELECT count(*) FROM careers),"
                " (SELECT count(*) FROM contacts), (SELECT count(*) FROM interviews),"
                " (SELECT count(*) FROM ratings WHERE source = 'interview'),"
                " (SELECT count(*) FROM ratings WHERE source = 'expectation')"
            ).fetchone()
        keys = ("criteria", "careers", "contacts", "interviews", "ratings", "expectations")
        return dict(zip(keys, row, strict=True))

    def is_empty(self) -> bool:
        """No careers and no ratings: a newcomer's store."""
        counts = self.counts()
        return counts["careers"] == 0 and counts["ratings"] == 0 and counts["expectations"] == 0

    def imports(self) -> list[dict[str, Any]]:
        with self.cursor() as cur:
            cur.execute(
                "SELECT id, file_name, content_hash, imported_at, kind, rows_read, new_ratings,"
                " updated_ratings, unchanged_ratings, skipped_rows, new_careers, new_criteria"
                " FROM imports ORDER BY imported_at DESC, id DESC"
            )
            names = [d[0] for d in cur.description]
            return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    # -- writes: profile ---------------------------------------------------------------------------

    def add_criterion(
        self, name: str, dimension: str | None, weight: float = DEFAULT_WEIGHT, description: str = ""
    ) -> int:
        with self.transaction(touches_ratings=False) as cur:
            return _insert_criterion(cur, name, dimension, weight, description)

    def update_criterion(self, criterion_id: int, **changes: Any) -> None:
        with self.transaction(touches_ratings=False) as cur:
            _update_criterion(cur, criterion_id, changes)

    def delete_criterion(self, criterion_id: int) -> None:
        with self.transaction() as cur:
            cur.execute("DELETE FROM ratings WHERE criterion_id = ?", [criterion_id])
            cur.execute("DELETE FROM criteria WHERE id = ?", [criterion_id])

    def save_criteria(self, rows: list[Mapping[str, Any]]) -> None:
        """Make the profile exactly ``rows`` (an edited table) in one transaction.

        A row with an ``id`` updates that criterion, a row without one adds a criterion, and a stored
        criterion missing from ``rows`` is deleted with its ratings. Nothing changes if any row is wrong.
        """
        with self.transaction() as cur:
            keep: set[int] = set()
            seen: dict[str, int] = {}
            for number, row in enumerate(rows, start=1):
                name = text(row.get("name"))
                if not name:
                    raise InvalidInputError(f"row {number}: a criterion needs a name")
                if name_key(name) in seen:
                    raise InvalidInputError(
                        f"row {number}: {name!r} is already the name of row {seen[name_key(name)]}"
                    )
                seen[name_key(name)] = number
            existing = {row[0] for row in cur.execute("SELECT id FROM criteria").fetchall()}
            stale = existing - {int(r["id"]) for r in rows if r.get("id") is not None}
            for criterion_id in stale:
                cur.execute("DELETE FROM ratings WHERE criterion_id = ?", [criterion_id])
                cur.execute("DELETE FROM criteria WHERE id = ?", [criterion_id])
            # Park renamed keys first so that swapping two names does not trip the unique index.
            cur.execute("UPDATE criteria SET name_key = '\x00' || CAST(id AS VARCHAR)")
            for number, row in enumerate(rows, start=1):
                fields = {k: row.get(k) for k in ("name", "dimension", "weight", "description")}
                fields["position"] = number
                try:
                    if row.get("id") is not None and int(row["id"]) in existing:
                        _update_criterion(cur, int(row["id"]), fields)
                        keep.add(int(row["id"]))
                    else:
                        _insert_criterion(
                            cur, fields["name"], fields["dimension"],
                            DEFAULT_WEIGHT if fields["weight"] is None else fields["weight"],
                            fields["description"] or "", position=number,
                        )
                except InvalidInputError as error:
                    raise InvalidInputError([f"row {number}: {p}" for p in error.problems]) from None

    # -- writes: careers ---------------------------------------------------------------------------

    def add_career(self, name: str, notes: str = "") -> int:
        with self.transaction(touches_ratings=False) as cur:
            return _ensure_career(cur, name, notes)

    def update_career(self, career_id: int, name: str | None = None, notes: str | None = None) -> None:
        with self.transaction(touches_ratings=False) as cur:
            if name is not None:
                if not text(name):
                    raise InvalidInputError("a career needs a name")
                clash = cur.execute(
                    "SELECT id FROM careers WHERE name_key = ? AND id <> ?", [name_key(name), career_id]
                ).fetchone()
                if clash:
                    raise InvalidInputError(f"there is already a career called {text(name)!r}")
                cur.execute(
                    "UPDATE careers SET name = ?, name_key = ? WHERE id = ?",
                    [text(name), name_key(name), career_id],
                )
            if notes is not None:
                cur.execute("UPDATE careers SET notes = ? WHERE id = ?", [text(notes), career_id])

    def delete_career(self, career_id: int) -> None:
        """Delete a career with its interviews and ratings."""
        with self.transaction() as cur:
            cur.execute("DELETE FROM ratings WHERE career_id = ?", [career_id])
            cur.execute("DELETE FROM interviews WHERE career_id = ?", [career_id])
            cur.execute("DELETE FROM careers WHERE id = ?", [career_id])

    # -- writes: contacts --------------------------------------------------------------------------

    def save_contact(self, name: str, contact_id: int | None = None, **fields: Any) -> int:
        """Add a contact, or update one by id; other fields: role, organisation, how_found, ..."""
        with self.transaction(touches_ratings=False) as cur:
            return _save_contact(cur, name, contact_id, fields)

    def delete_contact(self, contact_id: int) -> None:
        """Delete a contact; their interviews stay, under the interviewee's name."""
        with self.transaction(touches_ratings=False) as cur:
            cur.execute("UPDATE interviews SET contact_id = NULL WHERE contact_id = ?", [contact_id])
            cur.execute("DELETE FROM contacts WHERE id = ?", [contact_id])

    # -- writes: interviews and ratings -----------------------------------------------------------

    def save_interview(
        self,
        career: str | int,
        interviewee: str = "",
        held_on: date | None = None,
        *,
        interview_id: int | None = None,
        ratings: Mapping[int, float | None] | None = None,
        **fields: Any,
    ) -> int:
        """Add or update one interview and, if given, its ratings, all in one transaction.

        ``career`` is a career id or a name (created if new); ``ratings`` maps criterion id to a 1-5
        rating, and ``None`` removes a rating. Other fields: stage, notes, goals, questions, the stage
        dates and the homework flags.
        """
        with self.transaction() as cur:
            career_id = career if isinstance(career, int) else _ensure_career(cur, career)
            interview_id = _save_interview(cur, career_id, interviewee, held_on, interview_id, fields)
            if ratings:
                _write_ratings(cur, career_id, "interview", interview_id, ratings)
            return interview_id

    def update_interview(self, interview_id: int, **fields: Any) -> None:
        """Change some fields of an interview (stage, dates, homework, notes...)."""
        current = self.interview(interview_id)
        if current is None:
            raise InvalidInputError(f"there is no interview {interview_id}")
        with self.transaction(touches_ratings=False) as cur:
            _save_interview(
                cur, current.career_id, fields.pop("interviewee", current.interviewee),
                fields.pop("held_on", current.held_on), interview_id, fields,
            )

    def delete_interview(self, interview_id: int) -> None:
        with self.transaction() as cur:
            cur.execute("DELETE FROM ratings WHERE interview_id = ? AND source = 'interview'", [interview_id])
            cur.execute("DELETE FROM interviews WHERE id = ?", [interview_id])

    def save_expectations(self, career: str | int, ratings: Mapping[int, float | None]) -> int:
        """Record the user's own prior ratings of a career; ``None`` removes one."""
        with self.transaction() as cur:
            career_id = career if isinstance(career, int) else _ensure_career(cur, career)
            _write_ratings(cur, career_id, "expectation", 0, ratings)
            return career_id

    # -- writes: whole store -----------------------------------------------------------------------

    def load_records(
        self,
        *,
        criteria: list[Mapping[str, Any]] = (),  # type: ignore[assignment]
        careers: list[Mapping[str, Any]] = (),  # type: ignore[assignment]
        contacts: list[Mapping[str, Any]] = (),  # type: ignore[assignment]
        interviews: list[Mapping[str, Any]] = (),  # type: ignore[assignment]
        ratings: list[Mapping[str, Any]] = (),  # type: ignore[assignment]
        settings: Mapping[str, Any] | None = None,
        replace: bool = False,
    ) -> None:
        """Write whole tables of records (the demo, a workbook) in one transaction.

        Records are keyed by names as in the spreadsheets: ``criteria`` rows have criterion, dimension,
        weight, description; ``careers`` career, notes; ``contacts`` name and contact fields;
        ``interviews`` career, interviewee, date and interview fields; ``ratings`` career, interviewee,
        date, criterion, rating (1-5) and source. With ``replace`` the store is emptied first (no default
        profile). Any wrong record aborts the whole write.
        """
        with self.transaction() as cur:
            if replace:
                for table in ("ratings", "interviews", "contacts", "careers", "criteria", "settings"):
                    cur.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
            for row in criteria:
                existing = cur.execute(
                    "SELECT id FROM criteria WHERE name_key = ?", [name_key(row.get("criterion"))]
                ).fetchone()
                fields = {
                    "dimension": row.get("dimension"),
                    "weight": DEFAULT_WEIGHT if row.get("weight") in (None, "") else row.get("weight"),
                    "description": row.get("description") or "",
                }
                if existing:
                    _update_criterion(cur, int(existing[0]), fields)
                else:
                    _insert_criterion(cur, row.get("criterion"), **fields)
            for row in careers:
                _ensure_career(cur, row.get("career"), row.get("notes") or "")
            for row in contacts:
                _save_contact(cur, row.get("name"), None, {k: v for k, v in row.items() if k != "name"})
            criterion_ids = dict(cur.execute("SELECT name_key, id FROM criteria").fetchall())
            interview_ids: dict[tuple[int, str, str], int] = {}
            for row in interviews:
                career_id = _ensure_career(cur, row.get("career"))
                fields = {k: v for k, v in row.items() if k not in ("career", "interviewee", "date")}
                held_on = _as_date(row.get("date"))
                interview_ids[(career_id, name_key(row.get("interviewee")), _date_key(held_on))] = (
                    _save_interview(cur, career_id, row.get("interviewee"), held_on, None, fields)
                )
            for row in ratings:
                career_id = _ensure_career(cur, row.get("career"))
                criterion_id = criterion_ids.get(name_key(row.get("criterion")))
                if criterion_id is None:
                    raise InvalidInputError(f"there is no criterion {text(row.get('criterion'))!r}")
                source = text(row.get("source")) or "interview"
                interview_id = 0
                if source == "interview":
                    held_on = _as_date(row.get("date"))
                    key = (career_id, name_key(row.get("interviewee")), _date_key(held_on))
                    if key not in interview_ids:
                        interview_ids[key] = _save_interview(
                            cur, career_id, row.get("interviewee"), held_on, None, {}
                        )
                    interview_id = interview_ids[key]
                _write_ratings(cur, career_id, source, interview_id, {criterion_id: row.get("rating")})
            for key, value in (settings or {}).items():
                _set_setting(cur, key, value)


    def reset(self, *, seed_defaults: bool = True) -> None:
        """Remove everything (careers, contacts, interviews, ratings, imports) and restart the profile."""
        with self.transaction() as cur:
            for table in ("ratings", "interviews", "contacts", "careers", "criteria", "imports", "settings"):
                cur.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
            if seed_defaults:
                _insert_default_profile(cur)

    def backup_to(self, path: str | os.PathLike[str]) -> None:
        """Copy the whole database (schema, data, sequences) into a new DuckDB file at ``path``."""
        target = Path(path)
        if target.exists():
            raise StoreError(f"{target} already exists")
        target.parent.mkdir(parents=True, exist_ok=True)
        quoted = str(target).replace("'", "''")
        with self._write_lock, self.cursor() as cur:
            source = cur.execute("SELECT current_database()").fetchone()[0]
            cur.execute(f"ATTACH '{quoted}' AS career_fit_backup")
            try:
                cur.execute(f'COPY FROM DATABASE "{source}" TO career_fit_backup')
            finally:
                cur.execute("DETACH career_fit_backup")

    def add_interview_ratings_bulk(self, rows: list[tuple[str, str, date | None, str, float]]) -> None:
        """Add many interview ratings in set-based SQL, in one transaction (large stores, benchmarks).

        Each row is (career, interviewee, date, criterion name, rating 1-5). Missing careers and
        interviews are created; the criteria must exist; an existing rating is updated.
        """
        import pandas as pd  # only here: the command line scores stores without importing pandas

        unique: dict[tuple[str, str, str, str], tuple[Any, ...]] = {}
        for career, person, held_on, criterion, rating in rows:
            if not text(career):
                raise InvalidInputError("a career needs a name")
            key = (name_key(career), name_key(person), _date_key(held_on), name_key(criterion))
            unique[key] = (text(career), text(person), held_on, *key, _checked_rating(rating))
        frame = pd.DataFrame(
            list(unique.values()),
            columns=["career", "person", "held_on", "career_key", "person_key", "date_key", "criterion_key", "rating"],
        )
        with self.transaction() as cur:
            cur.register("bulk_rows", frame)
            try:
                missing = cur.execute(
                    "SELECT DISTINCT criterion_key FROM bulk_rows"
                    " WHERE criterion_key NOT IN (SELECT name_key FROM criteria) ORDER BY 1"
                ).fetchall()
                if missing:
                    raise InvalidInputError([f"there is no criterion {row[0]!r}" for row in missing])
                cur.execute(
                    "INSERT INTO careers (name, name_key) SELECT min(career), career_key FROM bulk_rows"
                    " WHERE career_key NOT IN (SELECT name_key FROM careers) GROUP BY career_key ORDER BY 2"
                )
                cur.execute(
                    "INSERT INTO interviews (career_id, interviewee, interviewee_key, held_on, date_key, completed_on)"
                    " SELECT c.id, min(b.person), b.person_key, min(b.held_on), b.date_key, min(b.held_on)"
                    " FROM bulk_rows b JOIN careers c ON c.name_key = b.career_key"
                    " WHERE NOT EXISTS (SELECT 1 FROM interviews i WHERE i.career_id = c.id"
                    "   AND i.interviewee_key = b.person_key AND i.date_key = b.date_key)"
                    " GROUP BY c.id, b.person_key, b.date_key ORDER BY 1, 3, 5"
                )
                cur.execute(
                    "INSERT INTO ratings (career_id, criterion_id, source, interview_id, value)"
                    " SELECT c.id, k.id, 'interview', i.id, b.rating FROM bulk_rows b"
                    " JOIN careers c ON c.name_key = b.career_key"
                    " JOIN criteria k ON k.name_key = b.criterion_key"
                    " JOIN interviews i ON i.career_id = c.id AND i.interviewee_key = b.person_key"
                    "   AND i.date_key = b.date_key"
                    " ON CONFLICT DO UPDATE SET value = excluded.value"
                )
            finally:
                cur.unregister("bulk_rows")


# -- helpers that run inside a caller's transaction -----------------------------------------------


def _connect(path: str) -> duckdb.DuckDBPyConnection:
    try:
        return duckdb.connect(path)
    except duckdb.IOException as error:
        message = str(error)
        if "lock" in message.lower():
            raise StoreLockedError(
                f"{path} is in use by another program (most likely the Career Fit app is running); "
                "close it or use another --db"
            ) from None
        raise StoreError(f"cannot open {path}: {_first_line(message)}") from None
    except duckdb.Error as error:
        raise StoreError(f"cannot open {path}: {_first_line(str(error))}") from None


def _first_line(message: str) -> str:
    return message.strip().splitlines()[0] if message.strip() else "unknown error"


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]


def _schema_version(cur: duckdb.DuckDBPyConnection) -> int:
    try:
        row = cur.execute("SELECT max(version) FROM schema_version").fetchone()
    except duckdb.CatalogException:
        return 0
    return int(row[0] or 0)


def _refresh_totals(cur: duckdb.DuckDBPyConnection) -> None:
    """Rebuild the rating summaries from the ratings (exact DECIMAL sums)."""
    cur.execute("DELETE FROM rating_totals")
    cur.execute(
        "INSERT INTO rating_totals SELECT career_id, criterion_id, source, count(*), sum(value),"
        " sum(CAST(value AS DECIMAL(18, 6)) * value) FROM ratings GROUP BY career_id, criterion_id, source"
    )
    cur.execute("DELETE FROM career_totals")
    cur.execute(
        "INSERT INTO career_totals SELECT career_id, count(DISTINCT interview_id) FROM ratings"
        " WHERE source = 'interview' GROUP BY career_id"
    )


def _set_setting(cur: duckdb.DuckDBPyConnection, key: str, value: Any) -> None:
    cur.execute(
        "INSERT INTO settings (key, value) VALUES (?, ?)"
        " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [key, json.dumps(value)],
    )


def _insert_default_profile(cur: duckdb.DuckDBPyConnection) -> None:
    for position, (name, dimension, description) in enumerate(DEFAULT_CRITERIA, start=1):
        _insert_criterion(cur, name, dimension, DEFAULT_WEIGHT, description, position=position)


def _checked_dimension(dimension: object) -> str | None:
    if dimension is None or (isinstance(dimension, float) and dimension != dimension):
        return None
    clean = text(dimension).lower()
    if clean in ("", "unassigned", "none"):
        return None
    if clean not in DIMENSIONS:
        raise InvalidInputError(f"unknown dimension {text(dimension)!r}: use interest, skill or value")
    return clean


def _checked_weight(weight: object, what: str = "weight") -> float:
    try:
        value = float(weight)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise InvalidInputError(f"{what} {weight!r} is not a number") from None
    if not 0 <= value <= 5:
        raise InvalidInputError(f"{what} {value:g} is outside 0-5")
    return value


def _checked_rating(value: object) -> float:
    try:
        rating = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise InvalidInputError(f"rating {value!r} is not a number") from None
    if not 1 <= rating <= 5:
        raise InvalidInputError(f"rating {rating:g} is outside the 1-5 scale")
    return round(rating, 6)


def _insert_criterion(
    cur: duckdb.DuckDBPyConnection,
    name: object,
    dimension: object,
    weight: object,
    description: object,
    *,
    position: int | None = None,
) -> int:
    clean_name = text(name)
    if not clean_name:
        raise InvalidInputError("a criterion needs a name")
    if cur.execute("SELECT 1 FROM criteria WHERE name_key = ?", [name_key(clean_name)]).fetchone():
        raise InvalidInputError(f"there is already a criterion called {clean_name!r}")
    if position is None:
        position = cur.execute("SELECT coalesce(max(position), 0) + 1 FROM criteria").fetchone()[0]
    row = cur.execute(
        "INSERT INTO criteria (name, name_key, dimension, weight, description, position)"
        " VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        [clean_name, name_key(clean_name), _checked_dimension(dimension), _checked_weight(weight),
         text(description), position],
    ).fetchone()
    return int(row[0])


def _update_criterion(cur: duckdb.DuckDBPyConnection, criterion_id: int, changes: Mapping[str, Any]) -> None:
    sets: list[str] = []
    params: list[Any] = []
    for field, value in changes.items():
        if field == "name":
            clean = text(value)
            if not clean:
                raise InvalidInputError("a criterion needs a name")
            clash = cur.execute(
                "SELECT 1 FROM criteria WHERE name_key = ? AND id <> ?", [name_key(clean), criterion_id]
            ).fetchone()
            if clash:
                raise InvalidInputError(f"there is already a criterion called {clean!r}")
            sets += ["name = ?", "name_key = ?"]
            params += [clean, name_key(clean)]
        elif field == "dimension":
            sets.append("dimension = ?")
            params.append(_checked_dimension(value))
        elif field == "weight":
            sets.append("weight = ?")
            params.append(_checked_weight(value))
        elif field == "description":
            sets.append("description = ?")
            params.append(text(value))
        elif field == "position":
            sets.append("position = ?")
            params.append(int(value))
        else:
            raise InvalidInputError(f"a criterion has no field {field!r}")
    if sets:
        cur.execute(f"UPDATE criteria SET {', '.join(sets)} WHERE id = ?", [*params, criterion_id])  # noqa: S608


def _ensure_career(cur: duckdb.DuckDBPyConnection, name: object, notes: object = "") -> int:
    clean = text(name)
    if not clean:
        raise InvalidInputError("a career needs a name")
    row = cur.execute("SELECT id FROM careers WHERE name_key = ?", [name_key(clean)]).fetchone()
    if row:
        if text(notes):
            cur.execute("UPDATE careers SET notes = ? WHERE id = ?", [text(notes), row[0]])
        return int(row[0])
    row = cur.execute(
        "INSERT INTO careers (name, name_key, notes) VALUES (?, ?, ?) RETURNING id",
        [clean, name_key(clean), text(notes)],
    ).fetchone()
    return int(row[0])


_CONTACT_FIELDS = ("role", "organisation", "how_found", "introduced_by", "email", "notes")


def _save_contact(
    cur: duckdb.DuckDBPyConnection, name: object, contact_id: int | None, fields: Mapping[str, Any]
) -> int:
    clean = text(name)
    if not clean:
        raise InvalidInputError("a contact needs a name")
    unknown = set(fields) - set(_CONTACT_FIELDS)
    if unknown:
        raise InvalidInputError(f"a contact has no field {sorted(unknown)[0]!r}")
    clash = cur.execute(
        "SELECT id FROM contacts WHERE name_key = ?", [name_key(clean)]
    ).fetchone()
    if contact_id is None and clash:
        contact_id = int(clash[0])
    elif clash and int(clash[0]) != contact_id:
        raise InvalidInputError(f"there is already a contact called {clean!r}")
    values = {f: text(fields[f]) for f in _CONTACT_FIELDS if f in fields and fields[f] is not None}
    if contact_id is None:
        row = cur.execute(
            "INSERT INTO contacts (name, name_key) VALUES (?, ?) RETURNING id", [clean, name_key(clean)]
        ).fetchone()
        contact_id = int(row[0])
    else:
        cur.execute(
            "UPDATE contacts SET name = ?, name_key = ? WHERE id = ?", [clean, name_key(clean), contact_id]
        )
        cur.execute("UPDATE interviews SET interviewee = ?, interviewee_key = ? WHERE contact_id = ?",
                    [clean, name_key(clean), contact_id])
    for field, value in values.items():
        cur.execute(f"UPDATE contacts SET {field} = ? WHERE id = ?", [value, contact_id])  # noqa: S608
    return contact_id


_INTERVIEW_FIELDS = {
    "stage", "notes", "goals", "questions", "identified_on", "requested_on", "scheduled_for",
    "completed_on", "thanked_on", "declined_on", "researched_org", "researched_person",
    "questions_prepared", "homework_notes", "contact_id",
}
_TEXT_INTERVIEW_FIELDS = {"notes", "goals", "questions", "homework_notes"}


def _save_interview(
    cur: duckdb.DuckDBPyConnection,
    career_id: int,
    interviewee: object,
    held_on: date | None,
    interview_id: int | None,
    fields: Mapping[str, Any],
) -> int:
    unknown = set(fields) - _INTERVIEW_FIELDS
    if unknown:
        raise InvalidInputError(f"an interview has no field {sorted(unknown)[0]!r}")
    if isinstance(held_on, datetime):
        held_on = held_on.date()
    person = text(interviewee)
    key = (career_id, name_key(person), _date_key(held_on))
    clash = cur.execute(
        "SELECT id FROM interviews WHERE career_id = ? AND interviewee_key = ? AND date_key = ?", list(key)
    ).fetchone()
    if clash and interview_id is None:
        interview_id = int(clash[0])
    elif clash and int(clash[0]) != interview_id:
        who = person or "an unnamed interviewee"
        when = held_on.isoformat() if held_on else "no date"
        raise InvalidInputError(f"there is already an interview with {who} on {when} for this career")
    values: dict[str, Any] = {}
    for field, value in fields.items():
        if field == "stage":
            if value not in STAGES:
                raise InvalidInputError(f"unknown stage {value!r}: use one of {', '.join(STAGES)}")
            values[field] = value
        elif field in _TEXT_INTERVIEW_FIELDS:
            values[field] = text(value)
        elif field in ("researched_org", "researched_person", "questions_prepared"):
            values[field] = bool(value)
        else:
            values[field] = value
    if "contact_id" not in values and person:
        row = cur.execute("SELECT id FROM contacts WHERE name_key = ?", [name_key(person)]).fetchone()
        values["contact_id"] = int(row[0]) if row else None
    if interview_id is None:
        row = cur.execute(
            "INSERT INTO interviews (career_id, interviewee, interviewee_key, held_on, date_key)"
            " VALUES (?, ?, ?, ?, ?) RETURNING id",
            [career_id, person, name_key(person), held_on, _date_key(held_on)],
        ).fetchone()
        interview_id = int(row[0])
    else:
        old = cur.execute("SELECT career_id FROM interviews WHERE id = ?", [interview_id]).fetchone()
        if old is None:
            raise InvalidInputError(f"there is no interview {interview_id}")
        cur.execute(
            "UPDATE interviews SET career_id = ?, interviewee = ?, interviewee_key = ?, held_on = ?,"
            " date_key = ? WHERE id = ?",
            [career_id, person, name_key(person), held_on, _date_key(held_on), interview_id],
        )
        if int(old[0]) != career_id:
            cur.execute(
                "UPDATE ratings SET career_id = ? WHERE interview_id = ? AND source = 'interview'",
                [career_id, interview_id],
            )
    if values:
        assignments = ", ".join(f"{field} = ?" for field in values)
        cur.execute(
            f"UPDATE interviews SET {assignments} WHERE id = ?",  # noqa: S608 - whitelisted names
            [*values.values(), interview_id],
        )
    return interview_id


def _write_ratings(
    cur: duckdb.DuckDBPyConnection,
    career_id: int,
    source: str,
    interview_id: int,
    ratings: Mapping[int, float | None],
) -> None:
    known = {row[0] for row in cur.execute("SELECT id FROM criteria").fetchall()}
    for criterion_id, value in ratings.items():
        if criterion_id not in known:
            raise InvalidInputError(f"there is no criterion {criterion_id}")
        if value is None:
            cur.execute(
                "DELETE FROM ratings WHERE career_id = ? AND criterion_id = ? AND source = ?"
                " AND interview_id = ?",
                [career_id, criterion_id, source, interview_id],
            )
            continue
        cur.execute(
            "INSERT INTO ratings (career_id, criterion_id, source, interview_id, value)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET value = excluded.value",
            [career_id, criterion_id, source, interview_id, _checked_rating(value)],
        )


def _as_date(value: object) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(text(value)[:10])
    except ValueError:
        raise InvalidInputError(f"{text(value)!r} is not a date (use YYYY-MM-DD)") from None


def _interview(row: tuple[Any, ...]) -> Interview:
    return Interview(*row)
