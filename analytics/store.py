"""The DuckDB store: connection, schema, migrations, and every read and write of the app.

All SQL of the project lives here (and in the migrations below) so that there is one place to check
that user text only ever reaches DuckDB as a bound parameter. A :class:`Store` owns one DuckDB
connection; each unit of work takes its own ``cursor()`` because a single DuckDB connection used from
two Streamlit script threads fails with "connection is busy". Writes additionally hold a process-wide
lock per store so that concurrent sessions never lose an update to an optimistic-concurrency conflict.
"""

from __future__ import annotations

import itertools
import json
import os
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime
from math import fsum
from pathlib import Path
from typing import Any

import duckdb
from platformdirs import user_data_path

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
        total DOUBLE NOT NULL,  -- summed exactly as DECIMAL, then rounded once: order never matters
        total_squares DOUBLE NOT NULL
    );
    CREATE TABLE career_totals (career_id INTEGER PRIMARY KEY, interviews INTEGER NOT NULL);
    """,
    # 4: links to O*NET: a criterion may stand for an O*NET element, a career for an O*NET occupation
    """
    ALTER TABLE criteria ADD COLUMN onet_element VARCHAR;
    ALTER TABLE careers ADD COLUMN onet_code VARCHAR;
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
    """A per-user data file that survives restarts, where each platform keeps application data.

    ``platformdirs`` knows each platform's rule ($XDG_DATA_HOME on Linux, Application Support on macOS, the
    roaming %APPDATA% on Windows, where earlier versions kept the file too).
    """
    return user_data_path("career-fit", appauthor=False, roaming=True) / "career-fit.duckdb"


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


# Every table of user data, in the order a restore copies them; and the sequence that numbers each table.
_DATA_TABLES = (
    "criteria", "careers", "contacts", "interviews", "ratings", "imports", "settings", "rating_totals", "career_totals"
)
_SEQUENCES = {
    "criterion_ids": "criteria",
    "career_ids": "careers",
    "contact_ids": "contacts",
    "interview_ids": "interviews",
    "import_ids": "imports",
}
_ATTACH_NUMBERS = itertools.count(1)

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
                "SELECT id, name, dimension, weight, description, position, onet_element FROM criteria"
                " ORDER BY position, id"
            ).fetchall()
        return [Criterion(*row) for row in rows]

    def careers(self) -> list[Career]:
        with self.cursor() as cur:
            rows = cur.execute("SELECT id, name, notes, onet_code FROM careers ORDER BY name_key, id").fetchall()
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
                "SELECT career_id, criterion_id, source, n, total, total_squares"
                " FROM rating_totals ORDER BY career_id, criterion_id, source"
            ).fetchall()
        return [RatingAggregate(*row) for row in rows]

    # -- explore next (issue 5) ----------------------------------------------------------------
    def rating_total_rows(self) -> list[tuple[int, int, str, int, float, float]]:
        """:meth:`rating_aggregates` as plain tuples (career, criterion, source, count, sum, sum of squares).

        For the investigate-next list, which reads every career's per-criterion profile: building tens of
        thousands of frozen records costs more than the query itself.
        """
        with self.cursor() as cur:
            return cur.execute(
                "SELECT career_id, criterion_id, source, n, total, total_squares"
                " FROM rating_totals ORDER BY career_id, criterion_id, source"
            ).fetchall()
    # -- end explore next ------------------------------------------------------------------------

    # -- pipeline board (performance) ------------------------------------------------------------
    def pipeline_rows(self) -> list[tuple[Any, ...]]:
        """Every interview as the pipeline board draws it, in one light read (no notes, no rating counts).

        Rows: (id, career id, career, interviewee, stage, held_on, identified_on, requested_on,
        scheduled_for, completed_on, thanked_on, declined_on); see ``analytics.pipeline.BoardCard``.
        """
        with self.cursor() as cur:
            return cur.execute(
                "SELECT i.id, i.career_id, c.name, i.interviewee, i.stage, i.held_on, i.identified_on,"
                " i.requested_on, i.scheduled_for, i.completed_on, i.thanked_on, i.declined_on"
                " FROM interviews i JOIN careers c ON c.id = i.career_id ORDER BY i.id"
            ).fetchall()
    # -- end pipeline board ----------------------------------------------------------------------

    def dimension_sums(self) -> list[DimensionSums]:
        """Per career, source and dimension: the weighted sums the scoring needs.

        Per-criterion sums are exact (DECIMAL); the sums across criteria are returned as lists and added
        with ``math.fsum`` (exactly rounded), so the result never depends on the order rows were written.
        """
        with self.cursor() as cur:
            rows = cur.execute(
                """
                WITH per_criterion AS (
                    SELECT career_id, criterion_id, source, n, total AS s, total_squares AS ss
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
        with self.transaction(touches_ratings=False) as cur:
            current = cur.execute(
                "SELECT career_id, interviewee, held_on FROM interviews WHERE id = ?", [interview_id]
            ).fetchone()
            if current is None:
                raise InvalidInputError(f"there is no interview {interview_id}")
            career_id, interviewee, held_on = current
            _save_interview(
                cur, career_id, fields.pop("interviewee", interviewee), fields.pop("held_on", held_on),
                interview_id, fields,
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
            _load_records(cur, list(criteria), list(careers), list(contacts), list(interviews), list(ratings))
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
                    raise StoreError(f"cannot read {source.name}: {_first_line(str(error))}") from None
            try:
                with self.cursor() as cur:
                    version = _schema_version(cur, f"{alias}.")
                if version != SCHEMA_VERSION:
                    raise StoreError(
                        f"{source.name} has schema {version}, not {SCHEMA_VERSION}: open it with Career Fit first"
                    )
                with self.transaction() as cur:
                    for table in _DATA_TABLES:
                        columns = ", ".join(row[1] for row in cur.execute(f"PRAGMA table_info('{table}')").fetchall())
                        cur.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
                        cur.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {alias}.{table}")  # noqa: S608
                    for sequence, table in _SEQUENCES.items():
                        _advance_sequence(cur, sequence, table)
            finally:
                with self.cursor() as cur:
                    cur.execute(f"DETACH {alias}")

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


def _schema_version(cur: duckdb.DuckDBPyConnection, catalog: str = "") -> int:
    try:
        row = cur.execute(f"SELECT max(version) FROM {catalog}schema_version").fetchone()  # noqa: S608
    except duckdb.CatalogException:
        return 0
    return int(row[0] or 0)


def _advance_sequence(cur: duckdb.DuckDBPyConnection, sequence: str, table: str) -> None:
    """Move ``sequence`` past the largest id of ``table`` (after rows were copied in with their ids)."""
    top = cur.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()[0]  # noqa: S608 - fixed names
    row = cur.execute(
        "SELECT last_value FROM duckdb_sequences() WHERE sequence_name = ? AND database_name = current_database()",
        [sequence],
    ).fetchone()
    behind = int(top) - int(row[0] if row and row[0] is not None else 0)
    if behind > 0:
        cur.execute("SELECT max(nextval(?)) FROM range(?)", [sequence, behind])


def _refresh_totals(cur: duckdb.DuckDBPyConnection) -> None:
    """Rebuild the rating summaries from the ratings (exact DECIMAL sums)."""
    cur.execute("DELETE FROM rating_totals")
    cur.execute(
        "INSERT INTO rating_totals SELECT career_id, criterion_id, source, count(*), CAST(sum(value) AS DOUBLE),"
        " CAST(sum(CAST(value AS DECIMAL(18, 6)) * value) AS DOUBLE)"
        " FROM ratings GROUP BY career_id, criterion_id, source"
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


def _interview_values(
    fields: Mapping[str, Any], other: Callable[[str, Any], Any] = lambda field, value: value
) -> dict[str, Any]:
    """Interview fields as stored: a known stage, trimmed text, true/false homework; ``other`` for the rest."""
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
            values[field] = other(field, value)
    return values


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
    values = _interview_values(fields)
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


# -- loading whole tables of records (the demo, a workbook), set-based (performance) ------------------
# ``Store.load_records`` used to write record by record: some 1,400 statements for the demo, 1.4 s on every
# first start of the app. The loader below applies the same rules, checks and messages as the one-row
# helpers above (``_insert_criterion``, ``_ensure_career``, ``_save_contact``, ``_save_interview``,
# ``_write_ratings``) to an in-memory picture of the store, then writes each table with one or two
# statements whose parameters are Python lists (``unnest``). New ids come from the same sequences in the
# same order, so the store ends up exactly as writing the records one by one leaves it
# (tests/test_load_records.py compares the two on every table).

_INTERVIEW_DEFAULTS: dict[str, Any] = {
    "stage": "completed", "notes": "", "contact_id": None, "goals": "", "questions": "",
    "identified_on": None, "requested_on": None, "scheduled_for": None, "completed_on": None,
    "thanked_on": None, "declined_on": None, "researched_org": False, "researched_person": False,
    "questions_prepared": False, "homework_notes": "",
}
_INTERVIEW_TYPES: dict[str, str] = {
    "id": "INTEGER", "career_id": "INTEGER", "interviewee": "VARCHAR", "interviewee_key": "VARCHAR",
    "held_on": "DATE", "date_key": "VARCHAR", "stage": "VARCHAR", "notes": "VARCHAR", "contact_id": "INTEGER",
    "goals": "VARCHAR", "questions": "VARCHAR", "identified_on": "DATE", "requested_on": "DATE",
    "scheduled_for": "TIMESTAMP", "completed_on": "DATE", "thanked_on": "DATE", "declined_on": "DATE",
    "researched_org": "BOOLEAN", "researched_person": "BOOLEAN", "questions_prepared": "BOOLEAN",
    "homework_notes": "VARCHAR",
}
_CONTACT_TYPES: dict[str, str] = {
    "id": "INTEGER", "name": "VARCHAR", "name_key": "VARCHAR", **dict.fromkeys(_CONTACT_FIELDS, "VARCHAR")
}


def _unnest(columns: Mapping[str, str]) -> str:
    """``unnest(?::TYPE[]) AS name, ...``: one list parameter per column, read row by row."""
    return ", ".join(f"unnest(?::{kind}[]) AS {name}" for name, kind in columns.items())


def _insert_lists(cur: duckdb.DuckDBPyConnection, table: str, columns: Mapping[str, str], rows: list[dict[str, Any]],
                  suffix: str = "") -> None:
    if rows:
        names = ", ".join(columns)
        cur.execute(
            f"INSERT INTO {table} ({names}) SELECT {names} FROM (SELECT {_unnest(columns)}){suffix}",  # noqa: S608
            [[row[name] for row in rows] for name in columns],
        )


def _typed(field: str, value: Any) -> Any:
    """A stage date or appointment as the column's Python type (DuckDB casts it the same way on UPDATE)."""
    kind = _INTERVIEW_TYPES.get(field)
    if value is None or kind not in ("DATE", "TIMESTAMP"):
        return value
    if kind == "DATE":
        return _as_date(value)
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime.combine(value, datetime.min.time())
    try:
        return datetime.fromisoformat(text(value))
    except ValueError:
        raise InvalidInputError(f"{text(value)!r} is not a date and time (use YYYY-MM-DD HH:MM)") from None


class _RecordLoader:
    """Records resolved against one picture of the store, then written table by table."""

    def __init__(self, cur: duckdb.DuckDBPyConnection) -> None:
        self.cur = cur
        self.criteria: dict[str, dict[str, Any]] = {}
        for cid, key, dimension, weight, description, position in cur.execute(
            "SELECT id, name_key, dimension, weight, description, position FROM criteria"
        ).fetchall():
            self.criteria[key] = {"id": cid, "key": key, "dimension": dimension, "weight": weight,
                                  "description": description, "position": position, "new": False, "dirty": False}
        self.max_position = max((c["position"] for c in self.criteria.values()), default=0)
        self.careers: dict[str, dict[str, Any]] = {
            key: {"id": cid, "key": key, "notes": notes, "new": False, "dirty": False}
            for cid, key, notes in cur.execute("SELECT id, name_key, notes FROM careers").fetchall()
        }
        self.contacts: dict[str, dict[str, Any]] = {
            key: {"id": cid, "new": False} for cid, key in cur.execute("SELECT id, name_key FROM contacts").fetchall()
        }
        self.interviews: dict[tuple[str, str, str], dict[str, Any]] = {}
        self.loaded: set[tuple[str, str, str]] = set()  # the interviews this load has written so far
        self.ratings: dict[tuple[str, str, str, Any], float | None] = {}
        self.new: dict[str, list[dict[str, Any]]] = {"criteria": [], "careers": [], "contacts": [], "interviews": []}

    # -- one record at a time, in memory ----------------------------------------------------------

    def criterion(self, row: Mapping[str, Any]) -> None:
        """As ``load_records`` did: update the criterion of that name, else insert it at the end."""
        weight = DEFAULT_WEIGHT if row.get("weight") in (None, "") else row.get("weight")
        entry = self.criteria.get(name_key(row.get("criterion")))
        if entry is not None:  # _update_criterion
            entry.update(dimension=_checked_dimension(row.get("dimension")), weight=_checked_weight(weight),
                         description=text(row.get("description") or ""), dirty=not entry["new"])
            return
        clean = text(row.get("criterion"))  # _insert_criterion
        if not clean:
            raise InvalidInputError("a criterion needs a name")
        self.max_position += 1
        entry = {"id": None, "name": clean, "key": name_key(clean),
                 "dimension": _checked_dimension(row.get("dimension")), "weight": _checked_weight(weight),
                 "description": text(row.get("description") or ""), "position": self.max_position, "new": True,
                 "dirty": False}
        self.criteria[entry["key"]] = entry
        self.new["criteria"].append(entry)

    def career(self, name: object, notes: object = "") -> dict[str, Any]:
        """``_ensure_career``: the career of that name, created if new; non-empty notes replace its notes."""
        clean = text(name)
        if not clean:
            raise InvalidInputError("a career needs a name")
        entry = self.careers.get(name_key(clean))
        if entry is None:
            entry = {"id": None, "key": name_key(clean), "name": clean, "notes": text(notes), "new": True,
                     "dirty": False}
            self.careers[entry["key"]] = entry
            self.new["careers"].append(entry)
        elif text(notes):
            entry.update(notes=text(notes), dirty=not entry["new"])
        return entry

    def contact(self, name: object, fields: Mapping[str, Any]) -> None:
        """``_save_contact`` of a new contact (or of the one with that name)."""
        clean = text(name)
        entry = self.contacts.get(name_key(clean)) if clean else None
        if entry is not None and not entry["new"]:  # an existing contact: exactly as one by one (rare)
            _save_contact(self.cur, name, None, fields)
            return
        if not clean:
            raise InvalidInputError("a contact needs a name")
        unknown = set(fields) - set(_CONTACT_FIELDS)
        if unknown:
            raise InvalidInputError(f"a contact has no field {sorted(unknown)[0]!r}")
        if entry is None:
            entry = {"id": None, "new": True, **dict.fromkeys(_CONTACT_FIELDS, "")}
            self.contacts[name_key(clean)] = entry
            self.new["contacts"].append(entry)
        entry.update(name=clean, name_key=name_key(clean))
        entry.update({f: text(fields[f]) for f in _CONTACT_FIELDS if f in fields and fields[f] is not None})

    def read_interviews(self) -> None:
        """The interviews already stored, by career, interviewee and date (after the contacts: a contact's
        new spelling renames their interviews)."""
        for cid, career_key, person_key, date_key in self.cur.execute(
            "SELECT i.id, c.name_key, i.interviewee_key, i.date_key"
            " FROM interviews i JOIN careers c ON c.id = i.career_id"
        ).fetchall():
            self.interviews[(career_key, person_key, date_key)] = {"id": cid, "new": False, "values": {}}

    def interview(self, career: dict[str, Any], interviewee: object, held_on: date | None,
                  fields: Mapping[str, Any]) -> tuple[str, str, str]:
        """``_save_interview`` without an id: add the interview, or update the one of that career, person and day."""
        unknown = set(fields) - _INTERVIEW_FIELDS
        if unknown:
            raise InvalidInputError(f"an interview has no field {sorted(unknown)[0]!r}")
        if isinstance(held_on, datetime):
            held_on = held_on.date()
        person = text(interviewee)
        key = (career["key"], name_key(person), _date_key(held_on))
        values = _interview_values(fields, _typed)
        if "contact_id" not in values and person:
            values["contact_id"] = self.contacts.get(name_key(person))  # an entry, its id known only at the end
        entry = self.interviews.get(key)
        if entry is None:
            entry = {"id": None, "new": True, "career": career, "values": {}}
            self.interviews[key] = entry
            self.new["interviews"].append(entry)
        entry.update(interviewee=person, interviewee_key=key[1], held_on=held_on, date_key=key[2])
        entry["values"].update(values)
        entry["dirty"] = True
        self.loaded.add(key)
        return key

    def rating(self, row: Mapping[str, Any]) -> None:
        """One rating (``None`` removes it), its interview created if it is not known yet."""
        career = self.career(row.get("career"))
        criterion = self.criteria.get(name_key(row.get("criterion")))
        if criterion is None:
            raise InvalidInputError(f"there is no criterion {text(row.get('criterion'))!r}")
        source = text(row.get("source")) or "interview"
        if source not in ("interview", "expectation"):
            raise InvalidInputError(f"unknown rating source {source!r}: use interview or expectation")
        interview: tuple[str, str, str] | int = 0
        if source == "interview":
            held_on = _as_date(row.get("date"))
            interview = (career["key"], name_key(row.get("interviewee")), _date_key(held_on))
            if interview not in self.loaded:  # as one by one: a stored interview is saved again too
                self.interview(career, row.get("interviewee"), held_on, {})
        value = row.get("rating")
        self.ratings[(career["key"], criterion["key"], source, interview)] = (
            None if value is None else _checked_rating(value)
        )

    # -- the writes ----------------------------------------------------------------------------------

    def _allocate(self, sequence: str, entries: list[dict[str, Any]]) -> None:
        """Ids for new rows from their sequence, in the order the rows were first met."""
        if entries:
            ids = sorted(row[0] for row in self.cur.execute(
                "SELECT nextval(?) FROM range(?)", [sequence, len(entries)]
            ).fetchall())
            for entry, new_id in zip(entries, ids, strict=True):
                entry["id"] = int(new_id)

    def write(self) -> None:
        cur = self.cur
        for sequence, table in (("criterion_ids", "criteria"), ("career_ids", "careers"),
                                ("contact_ids", "contacts"), ("interview_ids", "interviews")):
            self._allocate(sequence, self.new[table])
        changed = [c for c in self.criteria.values() if c["dirty"]]
        if changed:
            columns = {"id": "INTEGER", "dimension": "VARCHAR", "weight": "DOUBLE", "description": "VARCHAR"}
            sql = "UPDATE criteria SET dimension = v.dimension, weight = v.weight, description = v.description"
            cur.execute(
                f"{sql} FROM (SELECT {_unnest(columns)}) v WHERE criteria.id = v.id",
                [[c[name] for c in changed] for name in columns],
            )
        _insert_lists(cur, "criteria", {"id": "INTEGER", "name": "VARCHAR", "name_key": "VARCHAR",
                                        "dimension": "VARCHAR", "weight": "DOUBLE", "description": "VARCHAR",
                                        "position": "INTEGER"},
                      [{**c, "name_key": c["key"]} for c in self.new["criteria"]])
        changed = [c for c in self.careers.values() if c["dirty"]]
        if changed:
            cur.execute(
                "UPDATE careers SET notes = v.notes FROM (SELECT unnest(?::INTEGER[]) AS id,"
                " unnest(?::VARCHAR[]) AS notes) v WHERE careers.id = v.id",
                [[c["id"] for c in changed], [c["notes"] for c in changed]],
            )
        _insert_lists(cur, "careers", {"id": "INTEGER", "name": "VARCHAR", "name_key": "VARCHAR", "notes": "VARCHAR"},
                      [{**c, "name_key": c["key"]} for c in self.new["careers"]])
        _insert_lists(cur, "contacts", _CONTACT_TYPES, self.new["contacts"])
        rows = []
        for entry in self.interviews.values():
            if not entry.get("dirty"):
                continue
            values = {k: v["id"] if isinstance(v, dict) else v for k, v in entry["values"].items()}
            if entry["new"]:
                rows.append({**_INTERVIEW_DEFAULTS, **values, "id": entry["id"], "career_id": entry["career"]["id"],
                             **{k: entry[k] for k in ("interviewee", "interviewee_key", "held_on", "date_key")}})
                continue
            values.update({k: entry[k] for k in ("interviewee", "interviewee_key", "held_on", "date_key")})
            assignments = ", ".join(f"{field} = ?" for field in values)
            cur.execute(f"UPDATE interviews SET {assignments} WHERE id = ?",  # noqa: S608 - whitelisted names
                        [*values.values(), entry["id"]])
        rows.sort(key=lambda r: r["id"])
        _insert_lists(cur, "interviews", _INTERVIEW_TYPES, rows)
        columns = {"career_id": "INTEGER", "criterion_id": "INTEGER", "source": "VARCHAR", "interview_id": "INTEGER"}
        kept, removed = [], []
        for (career, criterion, source, interview), value in self.ratings.items():
            row = {"career_id": self.careers[career]["id"], "criterion_id": self.criteria[criterion]["id"],
                   "source": source, "interview_id": 0 if interview == 0 else self.interviews[interview]["id"],
                   "value": value}
            (removed if value is None else kept).append(row)
        if removed:
            cur.execute(
                f"DELETE FROM ratings USING (SELECT {_unnest(columns)}) v WHERE ratings.career_id = v.career_id"  # noqa: S608
                " AND ratings.criterion_id = v.criterion_id AND ratings.source = v.source"
                " AND ratings.interview_id = v.interview_id",
                [[r[name] for r in removed] for name in columns],
            )
        _insert_lists(cur, "ratings", {**columns, "value": "DOUBLE"}, kept,
                      " ON CONFLICT DO UPDATE SET value = excluded.value")


def _load_records(
    cur: duckdb.DuckDBPyConnection,
    criteria: list[Mapping[str, Any]],
    careers: list[Mapping[str, Any]],
    contacts: list[Mapping[str, Any]],
    interviews: list[Mapping[str, Any]],
    ratings: list[Mapping[str, Any]],
) -> None:
    """The records of :meth:`Store.load_records`, written set-wise inside the caller's transaction."""
    loader = _RecordLoader(cur)
    for row in criteria:
        loader.criterion(row)
    for row in careers:
        loader.career(row.get("career"), row.get("notes") or "")
    for row in contacts:
        loader.contact(row.get("name"), {k: v for k, v in row.items() if k != "name"})
    loader.read_interviews()
    for row in interviews:
        career = loader.career(row.get("career"))
        fields = {k: v for k, v in row.items() if k not in ("career", "interviewee", "date")}
        loader.interview(career, row.get("interviewee"), _as_date(row.get("date")), fields)
    for row in ratings:
        loader.rating(row)
    loader.write()
# -- end loading whole tables of records ----------------------------------------------------------------

# == Bulk import and export (issue 3) =============================================================
# Used by analytics/ingest.py and analytics/export.py. A spreadsheet is staged into temporary tables of
# the importing cursor (``_cf_*``, numbered by a slot per sheet), validated and written set-wise, so a
# million ratings never go through a Python loop. User text only ever reaches DuckDB as bound parameters
# or inside data files read with read_csv; identifiers are built here from numbers.

@contextmanager
def import_cursor(store: Store) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor of its own for one import: its ``_cf_*`` temp tables vanish with it."""
    with store.cursor() as cur:
        yield cur


@contextmanager
def import_transaction(store: Store, cur: duckdb.DuckDBPyConnection, *, dry_run: bool) -> Iterator[None]:
    """The write part of an import, on the cursor that staged it: all of it lands, or (dry run, error)
    none of it. Staging runs before, outside any transaction, because a failed read (the fast path
    declining a file) would otherwise abort the transaction."""
    with store._write_lock:
        cur.execute("BEGIN TRANSACTION")
        try:
            yield
        except BaseException:
            cur.execute("ROLLBACK")
            raise
        if dry_run:
            cur.execute("ROLLBACK")
        else:
            _refresh_totals(cur)  # the rating summaries the ranking reads must follow the imported ratings
            cur.execute("COMMIT")
            store.revision += 1


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


def stage_file(cur: duckdb.DuckDBPyConnection, slot: int, path: str, *, width: int, delimiter: str) -> int:
    """Stage a UTF-8 CSV as DuckDB reads it (the fast path): ``_cf_raw{slot}(_row, c0..)`` without the
    header record, ``_row`` being the record number (header = 1). Returns the number of records."""
    columns = _column_spec(_raw_columns(width))
    sql = f"CREATE TEMP TABLE _cf_file{slot} AS SELECT * FROM {_STAGING_CSV.format(columns=columns)}"  # noqa: S608
    cur.execute(sql, [path, delimiter])
    cur.execute(
        f"CREATE TEMP VIEW _cf_raw{slot} AS SELECT CAST(rowid + 1 AS INTEGER) AS _row, "  # noqa: S608
        f"{', '.join(_raw_columns(width))} FROM _cf_file{slot} WHERE rowid > 0"
    )
    return int(cur.execute(f"SELECT count(*) FROM _cf_file{slot}").fetchone()[0])  # noqa: S608


def stage_rows(
    cur: duckdb.DuckDBPyConnection, slot: int, rows: list[tuple[int, list[str | None]]], *, width: int,
    scratch: Path,
) -> None:
    """Stage rows already read by Python as ``_cf_raw{slot}(_row, c0..)``."""
    _load_table(cur, f"_cf_raw{slot}", [("_row", "INTEGER"), *((c, "VARCHAR") for c in _raw_columns(width))],
                ([number, *cells] for number, cells in rows), scratch)


def _load_table(
    cur: duckdb.DuckDBPyConnection, table: str, columns: list[tuple[str, str]], rows: Any, scratch: Path
) -> None:
    """Create temp ``table`` from Python rows through a CSV file (far quicker than executemany)."""
    rows = [list(row) for row in rows]
    if not rows:
        cur.execute(f"CREATE TEMP TABLE {table} ({', '.join(f'{name} {kind}' for name, kind in columns)})")
        return
    path = scratch / f"{table}.csv"
    _write_staging_csv(path, rows)
    names = [name for name, _ in columns]
    casts = ", ".join(f"CAST({name} AS {kind}) AS {name}" for name, kind in columns)
    try:
        cur.execute(
            f"CREATE TEMP TABLE {table} AS SELECT {casts} FROM "  # noqa: S608
            f"{_STAGING_CSV.format(columns=_column_spec(names))}",
            [str(path), ","],
        )
    except duckdb.Error:
        # Text DuckDB's CSV reader declines (a cell over its line limit...): hand over the columns as lists.
        cur.execute(f"DROP TABLE IF EXISTS {table}")
        selects = ", ".join(f"CAST(unnest(?::VARCHAR[]) AS {kind}) AS {name}" for name, kind in columns)
        lists = [[None if v is None or v == "" else str(v) for v in column] for column in zip(*rows, strict=True)]
        cur.execute(f"CREATE TEMP TABLE {table} AS SELECT {selects}", lists)
    finally:
        path.unlink(missing_ok=True)


def distinct_cells(cur: duckdb.DuckDBPyConnection, slot: int, columns: list[int]) -> list[str]:
    """Every distinct non-null value of the given raw columns (the work left to Python is per value)."""
    if not columns:
        return []
    union = " UNION ALL ".join(
        f"SELECT c{i} AS v FROM _cf_raw{slot} WHERE c{i} IS NOT NULL" for i in columns  # noqa: S608
    )
    return [row[0] for row in cur.execute(f"SELECT DISTINCT v FROM ({union})").fetchall()]  # noqa: S608


def build_text_map(
    cur: duckdb.DuckDBPyConnection, slot: int, columns: list[int], extra: list[str], *, from_csv: bool,
    clean: Callable[[str], str], scratch: Path,
) -> dict[str, tuple[int, int]]:
    """``_cf_text{slot}(raw, rid, kid, clean, key)`` for every distinct text of ``columns`` and ``extra``.

    Printable-ASCII texts (nearly all of them) are cleaned here, where trimming and lower-casing agree
    exactly with Python's ``strip`` and ``casefold``; the rest goes through ``clean`` (the importer's rule)
    and ``str.casefold``. Blank texts get no entry (id 0). Returns (rid, kid) of each ``extra`` text.
    """
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
    cleaned = [(raw, text, text.casefold()) for raw in others if (text := clean(raw))]
    _load_table(cur, f"_cf_unusual{slot}", [("raw", "VARCHAR"), ("clean", "VARCHAR"), ("key", "VARCHAR")],
                cleaned, scratch)
    cur.execute(
        f"""
        CREATE TEMP TABLE _cf_text{slot} AS
        SELECT raw, CAST(row_number() OVER (ORDER BY raw) AS INTEGER) AS rid,
            CAST(dense_rank() OVER (ORDER BY key) AS INTEGER) AS kid, clean, key
        FROM (SELECT raw, clean, lower(clean) AS key FROM _cf_clean{slot} WHERE clean <> ''
              UNION ALL SELECT raw, clean, key FROM _cf_unusual{slot})
        """  # noqa: S608
    )
    found = cur.execute(
        f"SELECT raw, rid, kid FROM _cf_text{slot} WHERE raw IN (SELECT unnest(CAST(? AS VARCHAR[])))",  # noqa: S608
        [extra],
    ).fetchall()
    return {raw: (rid, kid) for raw, rid, kid in found}


def load_value_map(
    cur: duckdb.DuckDBPyConnection, slot: int, name: str, columns: list[tuple[str, str]], rows: list[tuple],
    scratch: Path,
) -> None:
    """A map from raw cell text to its meaning (computed in Python once per distinct value)."""
    _load_table(cur, f"_cf_{name}{slot}", [("raw", "VARCHAR"), *columns], rows, scratch)


# The maps build_rating_rows joins (one entry per distinct raw cell):
#   _cf_text(raw, rid, kid, clean, key)   rid: id of the raw text, kid: id of its key; 0 = blank
#                                         (built by build_text_map; the others are loaded from Python)
#   _cf_dates(raw, date_n, held_on, bad)  date_n: the date's ordinal, 0 = none
#   _cf_ratings(raw, value, bad), _cf_sources(raw, source, bad), _cf_dimensions(raw, dimension, bad)
# A blank cell has no value and is not bad. Staged rows carry small integers, which keeps a million rows
# quick to group and join; problem messages are written in Python from the raw cells of the rows named.
_TEXT_FIELDS = ("career", "interviewee", "criterion", "organisation", "role", "notes")
MAP_COLUMNS: dict[str, list[tuple[str, str]]] = {
    "dates": [("date_n", "INTEGER"), ("held_on", "DATE"), ("bad", "BOOLEAN")],
    "ratings": [("value", "DOUBLE"), ("bad", "BOOLEAN")],
    "sources": [("source", "VARCHAR"), ("bad", "BOOLEAN")],
    "dimensions": [("dimension", "VARCHAR"), ("bad", "BOOLEAN")],
}


def build_rating_rows(
    cur: duckdb.DuckDBPyConnection,
    slot: int,
    fields: Mapping[str, int],
    criteria: list[tuple[int, int, int]] | None,
) -> None:
    """``_cf_rows{slot}``: one row per rating cell with ids, typed values and problem flags.

    ``fields`` maps a field (career, interviewee, date, criterion, rating, dimension, source,
    organisation, role, notes) to its raw column. ``criteria`` is None for a long table; for a wide one,
    (raw column, rid, kid) of each criterion column (its header is in the text map).
    """
    present = [f for f in ("career", "interviewee", "date", "dimension", "source", "organisation", "role", "notes",
                           "criterion") if f in fields and (f != "criterion" or criteria is None)]
    common = "".join(f", c{fields[f]} AS {f}_raw" for f in present)
    if criteria is None:
        column = fields["rating"]
        source_sql = f"SELECT _row{common}, {column} AS col, c{column} AS rating_raw FROM _cf_raw{slot}"  # noqa: S608
    else:
        source_sql = " UNION ALL ".join(
            f"SELECT _row{common}, {rid} AS criterion_r, {kid} AS criterion_k, {column} AS col,"  # noqa: S608
            f" c{column} AS rating_raw FROM _cf_raw{slot}"
            for column, rid, kid in criteria
        )
    # Stored: what varies by row. The view adds what the sheet lacks as constants, and whether it is blank.
    stored = ["s._row AS row", "CAST(s.col AS INTEGER) AS col"]
    constant: list[str] = []
    joins = [f"LEFT JOIN _cf_ratings{slot} rt ON rt.raw = s.rating_raw"]
    for f in _TEXT_FIELDS:
        if f == "criterion" and criteria is not None:
            stored += ["CAST(s.criterion_r AS INTEGER) AS criterion_r",
                       "CAST(s.criterion_k AS INTEGER) AS criterion_k"]
            continue
        names = [f"{f}_r", f"{f}_k"] if f in ("career", "interviewee", "criterion") else [f"{f}_r"]
        if f in present:
            joins.append(f"LEFT JOIN _cf_text{slot} t_{f} ON t_{f}.raw = s.{f}_raw")
            stored += [f"CAST(coalesce(t_{f}.{'rid' if n.endswith('_r') else 'kid'}, 0) AS INTEGER) AS {n}"
                       for n in names]
        else:
            constant += [f"CAST(0 AS INTEGER) AS {n}" for n in names]
    optional = {
        "date": ("_cf_dates", "dt", ("coalesce(dt.date_n, 0)", "coalesce(dt.bad, false)"),
                 ("CAST(0 AS INTEGER)", "false"), ("date_n", "date_bad")),
        "source": ("_cf_sources", "so", ("so.source", "coalesce(so.bad, false)"),
                   ("CAST(NULL AS VARCHAR)", "false"), ("source_given", "source_bad")),
        "dimension": ("_cf_dimensions", "dm", ("dm.dimension", "coalesce(dm.bad, false)"),
                      ("CAST(NULL AS VARCHAR)", "false"), ("dimension", "dimension_bad")),
    }
    for f, (table, alias, joined, absent, names) in optional.items():
        if f in present:
            joins.append(f"LEFT JOIN {table}{slot} {alias} ON {alias}.raw = s.{f}_raw")
            stored += [f"{expr} AS {name}" for expr, name in zip(joined, names, strict=True)]
        else:
            constant += [f"{expr} AS {name}" for expr, name in zip(absent, names, strict=True)]
    stored += ["rt.value", "coalesce(rt.bad, false) AS rating_bad"]
    cur.execute(
        f"CREATE TEMP TABLE _cf_data{slot} AS SELECT {', '.join(stored)} FROM ({source_sql}) s {' '.join(joins)}"  # noqa: S608
    )
    fields_blank = (
        "career_r = 0 AND interviewee_r = 0 AND organisation_r = 0 AND role_r = 0 AND notes_r = 0 AND date_n = 0"
        " AND NOT date_bad AND source_given IS NULL AND NOT source_bad AND dimension IS NULL AND NOT dimension_bad"
    )
    entry_blank = "value IS NULL AND NOT rating_bad" + (" AND criterion_r = 0" if criteria is None else "")
    cur.execute(
        f"CREATE TEMP VIEW _cf_rows{slot} AS SELECT *, coalesce(source_given, 'interview') AS source,"  # noqa: S608
        f" ({fields_blank}) AS fields_blank, ({entry_blank}) AS entry_blank FROM"
        f" (SELECT *{''.join(', ' + c for c in constant)} FROM _cf_data{slot})"
    )


def rating_problems(cur: duckdb.DuckDBPyConnection, slot: int, *, long: bool) -> None:
    """``_cf_problems{slot}(row, field, col, kind, other_row)``: every row and cell with a problem.

    Cell problems first; then, in a long table and among rows without one, a criterion given two
    dimensions (later rows name the first). Conflicting ratings are found later (:func:`find_conflicts`).
    """
    rows, problems = f"_cf_rows{slot}", f"_cf_problems{slot}"
    missing_criterion = (
        f" UNION ALL SELECT row, 'criterion', col, 'missing', NULL FROM {rows}"  # noqa: S608
        " WHERE criterion_k = 0 AND (value IS NOT NULL OR rating_bad)"
        if long else ""
    )
    cur.execute(
        f"""
        CREATE TEMP TABLE {problems} AS
        SELECT DISTINCT row, 'career' AS field, CAST(NULL AS INTEGER) AS col, 'missing' AS kind,
            CAST(NULL AS INTEGER) AS other_row
        FROM {rows} WHERE career_k = 0 AND NOT (fields_blank AND entry_blank)
        UNION ALL SELECT DISTINCT row, 'date', NULL, 'bad', NULL FROM {rows} WHERE date_bad
        UNION ALL SELECT DISTINCT row, 'source', NULL, 'bad', NULL FROM {rows} WHERE source_bad
        UNION ALL SELECT DISTINCT row, 'dimension', NULL, 'bad', NULL FROM {rows} WHERE dimension_bad
        UNION ALL SELECT row, 'rating', col, 'bad', NULL FROM {rows} WHERE rating_bad
        {missing_criterion}
        """  # noqa: S608
    )
    if long:
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


class StagedConflicts(Exception):
    """Raised inside an import's transaction: a slot holds the same rating key with different values."""

    def __init__(self, slot: int) -> None:
        super().__init__(f"conflicting ratings in slot {slot}")
        self.slot = slot


class StagedDuplicates(StagedConflicts):
    """Raised inside an import's transaction: a rating key appears twice; retry with ``grouped=True``."""


def find_conflicts(cur: duckdb.DuckDBPyConnection, slot: int) -> None:
    """Add to ``_cf_problems{slot}`` every rating whose key has another value in another row (naming the
    first such row). Run only when :func:`apply_rating_rows` met a conflict, which keeps the common case
    to one grouping."""
    rows, problems = f"_cf_rows{slot}", f"_cf_problems{slot}"
    cur.execute(
        f"""
        INSERT INTO {problems}
        WITH k AS (
            SELECT row, col, value, career_k, criterion_k, source,
                CASE WHEN source = 'expectation' THEN 0 ELSE interviewee_k END AS ik,
                CASE WHEN source = 'expectation' THEN 0 ELSE date_n END AS dk
            FROM {rows} r
            WHERE value IS NOT NULL AND career_k <> 0 AND criterion_k <> 0
              AND NOT EXISTS (SELECT 1 FROM {problems} p WHERE p.row = r.row)
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
) -> tuple[list[tuple[Any, ...]], dict[int, tuple[Any, ...]], int, int, int]:
    """(first ``limit`` problems by row, raw cells of the rows they name, number of problems, rows with a
    problem, rows read)."""
    rows, problems = f"_cf_rows{slot}", f"_cf_problems{slot}"
    read = "count(*)" if long else "count(DISTINCT row)"  # a long table has one staged row per sheet row
    counts = cur.execute(
        f"SELECT (SELECT count(*) FROM {problems}), (SELECT count(DISTINCT row) FROM {problems}),"  # noqa: S608
        f" (SELECT {read} FROM {rows} WHERE NOT (fields_blank AND entry_blank))"
    ).fetchone()
    if not counts[0]:
        return [], {}, 0, 0, int(counts[2])
    listed = cur.execute(
        f"SELECT row, field, col, kind, other_row FROM {problems} ORDER BY row, field, col LIMIT ?",  # noqa: S608
        [limit],
    ).fetchall()
    wanted = sorted({r[0] for r in listed} | {r[4] for r in listed if r[4] is not None})
    cells = cur.execute(
        f"SELECT * FROM _cf_raw{slot} WHERE _row IN (SELECT unnest(?::INTEGER[]))", [wanted]  # noqa: S608
    ).fetchall()
    return listed, {row[0]: row[1:] for row in cells}, int(counts[0]), int(counts[1]), int(counts[2])


def drop_problem_rows(cur: duckdb.DuckDBPyConnection, slot: int) -> None:
    """Keep only what can be written: rows without problems that name a career."""
    problems = f"_cf_problems{slot}"
    cur.execute(
        f"DELETE FROM _cf_data{slot} WHERE career_k = 0 OR row IN (SELECT row FROM {problems})"  # noqa: S608
    )


def apply_rating_rows(
    cur: duckdb.DuckDBPyConnection, slot: int, *, create_contacts: bool, grouped: bool = False
) -> dict[str, Any]:
    """Write the staged rows set-wise: criteria, careers, contacts, interviews, then ratings.

    A new criterion gets weight 3 and the file's dimension (else none); an unassigned one gets the file's
    dimension. New interviews are ``completed`` on their date. A rating's identity is career, interview
    (interviewee and date) or expectation, criterion and source; a known one is updated when its value
    differs. Names are spelled as in the first row that gives them. Returns the counts for the summary.
    """
    rows, text_map = f"_cf_rows{slot}", f"_cf_text{slot}"
    result: dict[str, Any] = {}

    def first_names(table: str, field: str, extra: Mapping[str, str] | None = None, where: str = "") -> None:
        """Per key id of ``field``: key, the first row's spelling, that row, and ``extra`` aggregates."""
        extra = extra or {}
        aggregates = "".join(f", {expr} AS {name}" for name, expr in extra.items())
        cur.execute(
            f"CREATE TEMP TABLE {table}{slot} AS SELECT f.kid, t.key, t.clean AS name, f.first_row"  # noqa: S608
            f"{''.join(', f.' + name for name in extra)} FROM (SELECT {field}_k AS kid,"
            f" arg_min({field}_r, row) AS rid, min(row) AS first_row{aggregates} FROM {rows}"
            f" WHERE {field}_k <> 0 {where} GROUP BY {field}_k) f JOIN {text_map} t ON t.rid = f.rid"
        )

    first_names("_cf_crit", "criterion",
                {"dimension": "arg_min(dimension, row) FILTER (WHERE dimension IS NOT NULL)"})
    created = cur.execute(
        f"""
        INSERT INTO criteria (name, name_key, dimension, weight, description, position)
        SELECT name, key, dimension, ?, '',
            (SELECT coalesce(max(position), 0) FROM criteria) + row_number() OVER (ORDER BY first_row)
        FROM _cf_crit{slot} WHERE key NOT IN (SELECT name_key FROM criteria)
        RETURNING position, name, dimension
        """,  # noqa: S608
        [DEFAULT_WEIGHT],
    ).fetchall()
    result["new_criteria"] = [(name, dimension) for _, name, dimension in sorted(created)]
    assigned = cur.execute(
        f"UPDATE criteria SET dimension = n.dimension FROM _cf_crit{slot} n"  # noqa: S608
        " WHERE criteria.name_key = n.key AND criteria.dimension IS NULL AND n.dimension IS NOT NULL"
        " RETURNING criteria.name"
    ).fetchall()
    result["assigned_criteria"] = sorted(name for (name,) in assigned)
    # One pass over the rows per interview (career, interviewee, date, source); careers, contacts and
    # interviews then come from these few groups instead of a million rows each.
    cur.execute(
        f"""
        CREATE TEMP TABLE _cf_grp{slot} AS
        SELECT career_k, interviewee_k, date_n, source, min(row) AS first_row,
            arg_min(career_r, row) AS career_r, arg_min(interviewee_r, row) AS person_r,
            arg_max(organisation_r, row) FILTER (WHERE organisation_r <> 0) AS org_r,
            max(row) FILTER (WHERE organisation_r <> 0) AS org_row,
            arg_max(role_r, row) FILTER (WHERE role_r <> 0) AS role_r,
            max(row) FILTER (WHERE role_r <> 0) AS role_row,
            arg_max(notes_r, row) FILTER (WHERE notes_r <> 0) AS notes_r,
            count(value) AS ratings
        FROM {rows} WHERE career_k <> 0
        GROUP BY career_k, interviewee_k, date_n, source
        """  # noqa: S608
    )
    cur.execute(
        f"CREATE TEMP TABLE _cf_careers{slot} AS SELECT f.kid, t.key, t.clean AS name, f.first_row"  # noqa: S608
        f" FROM (SELECT career_k AS kid, arg_min(career_r, first_row) AS rid, min(first_row) AS first_row"
        f" FROM _cf_grp{slot} GROUP BY career_k) f JOIN {text_map} t ON t.rid = f.rid"
    )
    result["new_careers"] = _count(cur.execute(
        f"INSERT INTO careers (name, name_key) SELECT name, key FROM _cf_careers{slot}"  # noqa: S608
        " WHERE key NOT IN (SELECT name_key FROM careers)"
    ))
    result["new_contacts"] = 0
    if create_contacts:
        cur.execute(
            f"""
            CREATE TEMP TABLE _cf_people{slot} AS
            SELECT t.key, t.clean AS name, o.clean AS organisation, r.clean AS role
            FROM (
                SELECT interviewee_k, arg_min(person_r, first_row) AS rid,
                    arg_max(org_r, org_row) FILTER (WHERE org_r IS NOT NULL) AS org_r,
                    arg_max(role_r, role_row) FILTER (WHERE role_r IS NOT NULL) AS role_r
                FROM _cf_grp{slot} WHERE source = 'interview' AND interviewee_k <> 0 GROUP BY interviewee_k
            ) f
            JOIN {text_map} t ON t.rid = f.rid
            LEFT JOIN {text_map} o ON o.rid = f.org_r
            LEFT JOIN {text_map} r ON r.rid = f.role_r
            """  # noqa: S608
        )
        result["new_contacts"] = _count(cur.execute(
            f"INSERT INTO contacts (name, name_key, organisation, role)"  # noqa: S608
            f" SELECT name, key, coalesce(organisation, ''), coalesce(role, '') FROM _cf_people{slot}"
            " WHERE key NOT IN (SELECT name_key FROM contacts)"
        ))
        for column in ("organisation", "role"):
            cur.execute(
                f"UPDATE contacts SET {column} = p.{column} FROM _cf_people{slot} p"  # noqa: S608
                f" WHERE contacts.name_key = p.key AND p.{column} IS NOT NULL AND contacts.{column} <> p.{column}"
            )
    cur.execute(
        f"""
        CREATE TEMP TABLE _cf_iv{slot} AS
        SELECT v.career_k, v.interviewee_k, v.date_n, c.id AS career_id, coalesce(p.clean, '') AS interviewee,
            coalesce(p.key, '') AS interviewee_key, d.held_on,
            coalesce(strftime(d.held_on, '%Y-%m-%d'), '') AS date_key,
            n.clean AS notes, CAST(NULL AS INTEGER) AS id
        FROM _cf_grp{slot} v JOIN _cf_careers{slot} k ON k.kid = v.career_k JOIN careers c ON c.name_key = k.key
        LEFT JOIN {text_map} p ON p.rid = v.person_r
        LEFT JOIN (SELECT DISTINCT date_n, held_on FROM _cf_dates{slot}) d ON d.date_n = v.date_n
        LEFT JOIN {text_map} n ON n.rid = v.notes_r
        WHERE v.source = 'interview' AND (v.ratings > 0 OR v.notes_r IS NOT NULL)
        """  # noqa: S608
    )
    match = ("i.career_id = v.career_id AND i.interviewee_key = v.interviewee_key AND i.date_key = v.date_key")
    result["new_interviews"] = _count(cur.execute(
        f"""
        INSERT INTO interviews (career_id, contact_id, interviewee, interviewee_key, held_on, date_key, stage,
            notes, completed_on)
        SELECT v.career_id, p.id, v.interviewee, v.interviewee_key, v.held_on, v.date_key, 'completed',
            coalesce(v.notes, ''), v.held_on
        FROM _cf_iv{slot} v LEFT JOIN contacts p ON p.name_key = v.interviewee_key AND v.interviewee_key <> ''
        WHERE NOT EXISTS (SELECT 1 FROM interviews i WHERE {match})
        """  # noqa: S608
    ))
    cur.execute(f"UPDATE _cf_iv{slot} v SET id = i.id FROM interviews i WHERE {match}")  # noqa: S608
    cur.execute(
        f"UPDATE interviews SET notes = v.notes FROM _cf_iv{slot} v"  # noqa: S608
        " WHERE interviews.id = v.id AND v.notes IS NOT NULL AND interviews.notes <> v.notes"
    )
    cur.execute(
        f"UPDATE interviews SET contact_id = p.id FROM _cf_iv{slot} v, contacts p"  # noqa: S608
        " WHERE interviews.id = v.id AND interviews.contact_id IS NULL"
        " AND v.interviewee_key <> '' AND p.name_key = v.interviewee_key"
    )
    joined = f"""
        WITH ids AS (
            SELECT k.kid, c.id FROM _cf_careers{slot} k JOIN careers c ON c.name_key = k.key
        ), crit AS (
            SELECT k.kid, c.id FROM _cf_crit{slot} k JOIN criteria c ON c.name_key = k.key
        )
        SELECT ids.id AS career_id, crit.id AS criterion_id, r.source,
            CASE WHEN r.source = 'interview' THEN v.id ELSE 0 END AS interview_id,
            CAST(r.value AS DECIMAL(9, 6)) AS value
        FROM {rows} r
        JOIN ids ON ids.kid = r.career_k
        JOIN crit ON crit.kid = r.criterion_k
        LEFT JOIN _cf_iv{slot} v ON r.source = 'interview' AND v.career_k = r.career_k
            AND v.interviewee_k = r.interviewee_k AND v.date_n = r.date_n
        WHERE r.value IS NOT NULL
    """  # noqa: S608
    in_key_order = " ORDER BY career_id, interview_id, criterion_id"  # the index builds fastest in this order
    known = cur.execute(
        f"SELECT EXISTS (SELECT 1 FROM ratings WHERE career_id IN (SELECT c.id FROM _cf_careers{slot} k"  # noqa: S608
        " JOIN careers c ON c.name_key = k.key))"
    ).fetchone()[0]
    if not known and not grouped:
        # Careers without ratings yet (a first import): every rating is new, so insert straight away; the
        # primary key notices a key given twice, and the caller retries grouped (see StagedDuplicates).
        try:
            result["new_ratings"] = _count(cur.execute(
                "INSERT INTO ratings (career_id, criterion_id, source, interview_id, value)"  # noqa: S608
                f" SELECT * FROM ({joined}) {in_key_order}"
            ))
        except duckdb.ConstraintException:
            raise StagedDuplicates(slot) from None
        result["updated_ratings"] = result["unchanged_ratings"] = 0
        return result
    cur.execute(
        f"""
        CREATE TEMP TABLE _cf_final{slot} AS
        WITH f AS (
            SELECT career_id, criterion_id, source, interview_id, min(value) AS value, max(value) AS high
            FROM ({joined}) GROUP BY ALL
        )
        SELECT f.*, x.value AS old FROM f LEFT JOIN ratings x ON x.career_id = f.career_id
            AND x.criterion_id = f.criterion_id AND x.source = f.source AND x.interview_id = f.interview_id
        """  # noqa: S608
    )
    if cur.execute(f"SELECT count(*) FROM _cf_final{slot} WHERE value <> high").fetchone()[0]:  # noqa: S608
        raise StagedConflicts(slot)
    counts = cur.execute(
        f"SELECT count(*) FILTER (WHERE old IS NULL), count(*) FILTER (WHERE old <> value),"  # noqa: S608
        f" count(*) FILTER (WHERE old = value) FROM _cf_final{slot}"
    ).fetchone()
    result["new_ratings"], result["updated_ratings"], result["unchanged_ratings"] = (int(n) for n in counts)
    if result["new_ratings"]:
        cur.execute(
            "INSERT INTO ratings (career_id, criterion_id, source, interview_id, value)"  # noqa: S608
            f" SELECT career_id, criterion_id, source, interview_id, value FROM _cf_final{slot} WHERE old IS NULL"
            f" {in_key_order}"
        )
    if result["updated_ratings"]:
        cur.execute(
            f"UPDATE ratings SET value = f.value FROM _cf_final{slot} f"  # noqa: S608
            " WHERE ratings.career_id = f.career_id AND ratings.criterion_id = f.criterion_id"
            " AND ratings.source = f.source AND ratings.interview_id = f.interview_id AND f.old <> f.value"
        )
    return result


def _count(cursor: duckdb.DuckDBPyConnection) -> int:
    row = cursor.fetchone()
    return int(row[0]) if row else 0


def staged_keys(cur: duckdb.DuckDBPyConnection, slot: int) -> set[str]:
    """Criterion keys the staged (valid) rows of a slot name."""
    return {row[0] for row in cur.execute(
        f"SELECT DISTINCT t.key FROM _cf_rows{slot} r JOIN _cf_text{slot} t ON t.kid = r.criterion_k"  # noqa: S608
        " WHERE r.criterion_k <> 0"
    ).fetchall()}


def import_criteria_rows(
    cur: duckdb.DuckDBPyConnection, rows: list[Mapping[str, Any]], *, replace_profile: bool,
    keep: set[str] = frozenset(),  # type: ignore[assignment]
) -> dict[str, list[str]]:
    """Create or update the criteria of a criteria sheet (already validated; keys: criterion, and the
    columns the sheet has: dimension, weight, description).

    A blank weight keeps the current weight (3 for a new criterion); a blank dimension or description is
    one. With ``replace_profile`` (a full workbook) the profile becomes the sheet: criteria follow its
    order, and a criterion the sheet does not list is removed when nothing rates it and ``keep`` (keys
    named by the file's ratings) does not hold it; criteria with ratings are kept at the end.
    """
    new: list[str] = []
    existing = dict(cur.execute("SELECT name_key, id FROM criteria").fetchall())
    listed: list[int] = []
    for row in rows:
        name = text(row["criterion"])
        fields: dict[str, Any] = {}
        if "dimension" in row:
            fields["dimension"] = row["dimension"]
        if "description" in row:
            fields["description"] = row["description"] or ""
        if row.get("weight") is not None:
            fields["weight"] = row["weight"]
        criterion_id = existing.get(name_key(name))
        if criterion_id is None:
            criterion_id = _insert_criterion(
                cur, name, fields.get("dimension"), fields.get("weight", DEFAULT_WEIGHT),
                fields.get("description", ""),
            )
            existing[name_key(name)] = criterion_id
            new.append(name)
        else:
            fields["name"] = name
            _update_criterion(cur, criterion_id, fields)
        listed.append(criterion_id)
    removed: list[str] = []
    if replace_profile:
        rated = {row[0] for row in cur.execute("SELECT DISTINCT criterion_id FROM ratings").fetchall()}
        others = cur.execute(
            "SELECT id, name, name_key FROM criteria ORDER BY position, id"
        ).fetchall()
        kept: list[int] = []
        for criterion_id, name, key in others:
            if criterion_id in listed:
                continue
            if criterion_id in rated or key in keep:
                kept.append(criterion_id)
            else:
                cur.execute("DELETE FROM criteria WHERE id = ?", [criterion_id])
                removed.append(name)
        for position, criterion_id in enumerate([*dict.fromkeys(listed), *kept], start=1):
            cur.execute("UPDATE criteria SET position = ? WHERE id = ?", [position, criterion_id])
    return {"new": new, "removed": removed}


def import_career_rows(cur: duckdb.DuckDBPyConnection, rows: list[Mapping[str, Any]]) -> int:
    """Create careers (a blank note leaves a known career's note); returns how many are new."""
    known = {row[0] for row in cur.execute("SELECT name_key FROM careers").fetchall()}
    new = 0
    for row in rows:
        new += name_key(row["career"]) not in known
        known.add(name_key(row["career"]))
        _ensure_career(cur, row["career"], row.get("notes") or "")
    return new


def import_contact_rows(cur: duckdb.DuckDBPyConnection, rows: list[Mapping[str, Any]]) -> int:
    """Create or update contacts by name (blank cells leave a field as it is); returns how many are new."""
    known = {row[0] for row in cur.execute("SELECT name_key FROM contacts").fetchall()}
    new = 0
    for row in rows:
        new += name_key(row["name"]) not in known
        known.add(name_key(row["name"]))
        _save_contact(cur, row["name"], None, {k: v for k, v in row.items() if k != "name" and v is not None})
    return new


def import_interview_rows(cur: duckdb.DuckDBPyConnection, rows: list[Mapping[str, Any]]) -> int:
    """Create or update interviews by career, interviewee and date; returns how many are new."""
    new = 0
    for row in rows:
        career_id = _ensure_career(cur, row["career"])
        held_on = row.get("date")
        key = [career_id, name_key(row.get("interviewee")), _date_key(held_on)]
        exists = cur.execute(
            "SELECT 1 FROM interviews WHERE career_id = ? AND interviewee_key = ? AND date_key = ?", key
        ).fetchone()
        new += exists is None
        fields = {k: v for k, v in row.items() if k not in ("career", "interviewee", "date") and v is not None}
        _save_interview(cur, career_id, row.get("interviewee"), held_on, None, fields)
    return new


def import_dimension_weights(cur: duckdb.DuckDBPyConnection, weights: Mapping[str, float]) -> None:
    current = json.loads((cur.execute("SELECT value FROM settings WHERE key = 'dimension_weights'").fetchone()
                          or ["{}"])[0]) or {}
    clean = {d: float(current.get(d, DEFAULT_DIMENSION_WEIGHTS[d])) for d in DIMENSIONS}
    clean.update({d: float(w) for d, w in weights.items()})
    if not any(clean.values()):
        raise InvalidInputError("at least one dimension needs a weight above 0")
    _set_setting(cur, "dimension_weights", clean)


def record_import(cur: duckdb.DuckDBPyConnection, file_name: str, content_hash: str, kind: str,
                  counts: Mapping[str, int]) -> None:
    """One line of the import log (shown on the Data page): what came from which file, and when."""
    cur.execute(
        "INSERT INTO imports (file_name, content_hash, imported_at, kind, rows_read, new_ratings,"
        " updated_ratings, unchanged_ratings, skipped_rows, new_careers, new_criteria)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [file_name, content_hash, datetime.now().replace(microsecond=0), kind,
         *(int(counts.get(k, 0)) for k in ("rows_read", "new_ratings", "updated_ratings", "unchanged_ratings",
                                             "skipped_rows", "new_careers", "new_criteria"))],
    )


_EXPORT_QUERIES: dict[str, str] = {
    "criteria": "SELECT name, dimension, weight, description FROM criteria ORDER BY position, id",
    "dimensions": "",
    "careers": "SELECT name, notes FROM careers ORDER BY name_key, id",
    "contacts": (
        "SELECT name, role, organisation, how_found, introduced_by, email, notes FROM contacts"
        " ORDER BY name_key, id"
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


def export_records(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Everything a workbook export holds, as rows in a stable order (interviews before expectations)."""
    with store.cursor() as cur:
        tables = {name: cur.execute(sql).fetchall() for name, sql in _EXPORT_QUERIES.items() if sql}
    weights = store.dimension_weights()
    tables["dimensions"] = [(d, weights[d]) for d in DIMENSIONS]
    return tables
