"""The Career Fit schema as small named migrations, each applied in one transaction and recorded when applied.

Version 1 is the first schema ever shipped. Never edit a migration once released: add a new one. Each
migration is a list of single statements (never a script split on ``;``), optionally followed by a
Python step that fills what the new tables derive from the old ones.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import duckdb

from ..errors import StoreError
from .connection import Database, not_ours
from .summaries import refresh_belief_summaries, refresh_rating_totals
from .writes import insert_default_profile


@dataclass(frozen=True)
class Migration:
    """One step of the schema: its number (the version it brings a store to), what it adds, its statements."""

    number: int
    name: str
    statements: tuple[str, ...]
    fill: Callable[[duckdb.DuckDBPyConnection], None] | None = None


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "the core: profile, careers, contacts, interviews, ratings, imports, settings",
        (
            "CREATE SEQUENCE criterion_ids START 1",
            "CREATE SEQUENCE career_ids START 1",
            "CREATE SEQUENCE contact_ids START 1",
            "CREATE SEQUENCE interview_ids START 1",
            "CREATE SEQUENCE import_ids START 1",
            """
                CREATE TABLE criteria (
                    id INTEGER PRIMARY KEY DEFAULT nextval('criterion_ids'),
                    name VARCHAR NOT NULL,
                    name_key VARCHAR NOT NULL UNIQUE,
                    dimension VARCHAR CHECK (dimension IN ('interest', 'skill', 'value')),
                    weight DOUBLE NOT NULL DEFAULT 3 CHECK (weight >= 0 AND weight <= 5),
                    description VARCHAR NOT NULL DEFAULT '',
                    position INTEGER NOT NULL DEFAULT 0
                )
            """,
            """
                CREATE TABLE careers (
                    id INTEGER PRIMARY KEY DEFAULT nextval('career_ids'),
                    name VARCHAR NOT NULL,
                    name_key VARCHAR NOT NULL UNIQUE,
                    notes VARCHAR NOT NULL DEFAULT ''
                )
            """,
            """
                CREATE TABLE contacts (
                    id INTEGER PRIMARY KEY DEFAULT nextval('contact_ids'),
                    name VARCHAR NOT NULL,
                    name_key VARCHAR NOT NULL UNIQUE,
                    role VARCHAR NOT NULL DEFAULT '',
                    organisation VARCHAR NOT NULL DEFAULT '',
                    how_found VARCHAR NOT NULL DEFAULT '',
                    email VARCHAR NOT NULL DEFAULT '',
                    notes VARCHAR NOT NULL DEFAULT ''
                )
            """,
            """
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
                )
            """,
            """
                CREATE TABLE ratings (
                    career_id INTEGER NOT NULL,
                    criterion_id INTEGER NOT NULL,
                    source VARCHAR NOT NULL CHECK (source IN ('interview', 'expectation')),
                    interview_id INTEGER NOT NULL DEFAULT 0,
                    value DECIMAL(9, 6) NOT NULL CHECK (value >= 1 AND value <= 5),
                    PRIMARY KEY (career_id, criterion_id, source, interview_id)
                )
            """,
            """
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
                )
            """,
            "CREATE TABLE settings (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)",
        ),
    ),
    Migration(
        2,
        "the interview pipeline: who introduced whom, goals, stage dates, homework",
        (
            "ALTER TABLE contacts ADD COLUMN introduced_by VARCHAR NOT NULL DEFAULT ''",
            "ALTER TABLE interviews ADD COLUMN goals VARCHAR NOT NULL DEFAULT ''",
            "ALTER TABLE interviews ADD COLUMN questions VARCHAR NOT NULL DEFAULT ''",
            "ALTER TABLE interviews ADD COLUMN identified_on DATE",
            "ALTER TABLE interviews ADD COLUMN requested_on DATE",
            "ALTER TABLE interviews ADD COLUMN scheduled_for TIMESTAMP",
            "ALTER TABLE interviews ADD COLUMN completed_on DATE",
            "ALTER TABLE interviews ADD COLUMN thanked_on DATE",
            "ALTER TABLE interviews ADD COLUMN declined_on DATE",
            "ALTER TABLE interviews ADD COLUMN researched_org BOOLEAN NOT NULL DEFAULT false",
            "ALTER TABLE interviews ADD COLUMN researched_person BOOLEAN NOT NULL DEFAULT false",
            "ALTER TABLE interviews ADD COLUMN questions_prepared BOOLEAN NOT NULL DEFAULT false",
            "ALTER TABLE interviews ADD COLUMN homework_notes VARCHAR NOT NULL DEFAULT ''",
            "UPDATE interviews SET completed_on = held_on WHERE stage IN ('completed', 'thanked')",
        ),
    ),
    Migration(
        3,
        "summaries of the ratings kept by every write, so ranking reads thousands of rows, not millions",
        (
            """
                CREATE TABLE rating_totals (
                    career_id INTEGER NOT NULL,
                    criterion_id INTEGER NOT NULL,
                    source VARCHAR NOT NULL,
                    n INTEGER NOT NULL,
                    total DOUBLE NOT NULL,  -- summed exactly as DECIMAL, then rounded once: order never matters
                    total_squares DOUBLE NOT NULL
                )
            """,
            "CREATE TABLE career_totals (career_id INTEGER PRIMARY KEY, interviews INTEGER NOT NULL)",
        ),
        fill=refresh_rating_totals,
    ),
    Migration(
        4,
        "links to O*NET: a criterion may stand for an O*NET element, a career for an O*NET occupation",
        (
            "ALTER TABLE criteria ADD COLUMN onet_element VARCHAR",
            "ALTER TABLE careers ADD COLUMN onet_code VARCHAR",
        ),
    ),
    Migration(
        5,
        "the belief model's summaries (rating patterns, spreads), so ranking never reads the ratings themselves",
        (
            """
                CREATE TABLE rating_patterns (
                    career_id INTEGER NOT NULL,
                    pattern INTEGER[] NOT NULL,  -- the criteria one interview rated, in order
                    interviews INTEGER NOT NULL,
                    total DECIMAL(38, 6) NOT NULL  -- the sum of all those interviews' ratings, exact
                )
            """,
            """
                CREATE TABLE rating_spreads (
                    career_id INTEGER NOT NULL,
                    within_squares DECIMAL(38, 9) NOT NULL,
                    within_df BIGINT NOT NULL,
                    cross_products DECIMAL(38, 18) NOT NULL,
                    cross_pairs BIGINT NOT NULL,
                    interviews BIGINT NOT NULL,
                    shrink_total DECIMAL(38, 9) NOT NULL,
                    deviations BIGINT NOT NULL
                )
            """,
        ),
        fill=refresh_belief_summaries,
    ),
    Migration(
        6,
        "ratings without a stored key: the writers keep one rating per career, criterion, source and interview",
        (
            # DuckDB builds and writes a primary key's index at every commit: for a million ratings it took most
            # of a first import's time and most of the file (DuckDB 2.0.1: a key over these four columns, 0.4 s
            # and 29 MB of a 34 MB file, whatever its columns' order), and nothing reads through it. One
            # rating per key is kept instead where ratings are written: analytics/db/rating_writes.py (imports)
            # and analytics/db/writes.py (one interview, a career's expectations, rows given in Python). The copy
            # keeps an interview's ratings side by side, as imports write them.
            """
                CREATE TABLE ratings_unkeyed (
                    career_id INTEGER NOT NULL,
                    criterion_id INTEGER NOT NULL,
                    source VARCHAR NOT NULL CHECK (source IN ('interview', 'expectation')),
                    interview_id INTEGER NOT NULL DEFAULT 0,
                    value DECIMAL(9, 6) NOT NULL CHECK (value >= 1 AND value <= 5)
                )
            """,
            "INSERT INTO ratings_unkeyed SELECT career_id, criterion_id, source, interview_id, value FROM ratings"
            " ORDER BY career_id, interview_id, criterion_id",
            "DROP TABLE ratings",
            "ALTER TABLE ratings_unkeyed RENAME TO ratings",
        ),
    ),
)
SCHEMA_VERSION = MIGRATIONS[-1].number


def read_schema_version(cur: duckdb.DuckDBPyConnection, catalog: str = "") -> int:
    """The newest migration applied to the database (``catalog``: an attached one, as ``alias.``); 0 if none."""
    try:
        row = cur.execute(f"SELECT max(version) FROM {catalog}schema_version").fetchone()  # noqa: S608
    except duckdb.CatalogException:
        return 0
    return int(row[0] or 0) if row else 0


# A database holding these is a Career Fit store (of some version); one holding other things is not ours.
MARKER_TABLES = frozenset({"schema_version", "criteria", "careers", "ratings", "settings"})


# The version of a database that has every marker table (binding fails with a CatalogException otherwise): what
# opening a store asks first, in one statement instead of listing the catalog.
_STORE_VERSION = "SELECT max(version) FROM schema_version WHERE " + " AND ".join(  # noqa: S608 - fixed names
    f"NOT EXISTS (SELECT 1 FROM {table} WHERE false)"  # noqa: S608
    for table in sorted(MARKER_TABLES - {"schema_version"})
)


def stored_version(database: Database) -> int:
    """The schema version of ``database``: 0 for an empty database (ours to initialise).

    Raises :class:`StoreError` for a database that holds anything but a Career Fit store, before anything is
    written to it, and for one written by a newer Career Fit.
    """
    with database.cursor() as cur:
        try:  # a store: one statement, which names every marker table (else it fails before reading anything)
            found = cur.execute(_STORE_VERSION).fetchone()
        except duckdb.CatalogException:
            found = None
        if found is not None:
            version = int(found[0] or 0)
            if version > SCHEMA_VERSION:
                raise StoreError(_newer(database.path, version))
            return version
        names = {
            row[0]
            for row in cur.execute(
                "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND NOT temporary"
                " UNION ALL SELECT view_name FROM duckdb_views()"
                " WHERE database_name = current_database() AND NOT internal AND NOT temporary"
                " UNION ALL SELECT sequence_name FROM duckdb_sequences()"
                " WHERE database_name = current_database() AND NOT temporary"
            ).fetchall()
        }
        if not names:
            return 0
        if not MARKER_TABLES.issubset(names):
            raise StoreError(not_ours(database.path))
        version = read_schema_version(cur)
    if version > SCHEMA_VERSION:
        raise StoreError(_newer(database.path, version))
    return version


def _newer(path: str, version: int) -> str:
    return f"{path} was written by a newer Career Fit (schema {version}); upgrade Career Fit to open it"


def migrate(database: Database, *, seed_defaults: bool) -> None:
    """Bring ``database`` to :data:`SCHEMA_VERSION`, one transaction per migration (a fresh database: one for
    them all); a fresh database also gets the default profile (unless ``seed_defaults`` is false) with its last
    migration."""
    version = stored_version(database)
    if version == SCHEMA_VERSION:
        return
    fresh = version == 0
    pending = MIGRATIONS[version:]
    # A new store takes every step in one transaction (it holds nothing a step could fail to fit, and one commit
    # is one write to disk instead of one per step); a store with data takes them one by one.
    steps = [pending] if fresh else [(migration,) for migration in pending]
    migration = pending[0]
    for step in steps:
        try:
            with database.transaction(touches_ratings=False) as cur:
                for migration in step:
                    if migration.number == 1:
                        cur.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
                    for statement in migration.statements:
                        cur.execute(statement)
                    if migration.fill is not None and not fresh:  # (a new store has nothing to fill from)
                        migration.fill(cur)
                    cur.execute("INSERT INTO schema_version VALUES (?)", [migration.number])
                    if fresh and seed_defaults and migration.number == SCHEMA_VERSION:
                        insert_default_profile(cur)
        except duckdb.Error:  # e.g. a table of that name already there: say so in words, never DuckDB's
            raise StoreError(
                f"{database.path} cannot be upgraded to this version of Career Fit (step {migration.number}, "
                f"{migration.name.split(':')[0]}, does not fit what the file holds): restore a backup or choose "
                "another --db"
            ) from None
