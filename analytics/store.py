"""The public face of the DuckDB store: :class:`Store`, composed of the parts in :mod:`analytics.db`.

All SQL of the project lives in :mod:`analytics.db` (connection, schema, reads, writes, staging,
backup), so there is one place to check that user text only ever reaches DuckDB as a bound parameter.
Other modules import from here: ``from analytics.store import Store, text, name_key``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from .db.backup import Backups, export_records
from .db.connection import MEMORY, default_db_path, resolve_db_path
from .db.reads import Reads
from .db.records import load_records
from .db.schema import MIGRATIONS, SCHEMA_VERSION, migrate, read_schema_version
from .db.staging import (
    _TEXT_FIELDS,
    MAP_COLUMNS,
    StagedConflicts,
    StagedDuplicates,
    apply_rating_rows,
    build_rating_rows,
    build_text_map,
    distinct_cells,
    drop_problem_rows,
    drop_staged,
    find_conflicts,
    import_career_rows,
    import_contact_rows,
    import_criteria_rows,
    import_cursor,
    import_dimension_weights,
    import_interview_rows,
    import_transaction,
    load_value_map,
    problem_summary,
    rating_problems,
    record_import,
    stage_file,
    stage_rows,
    staged_keys,
)
from .db.writes import DEFAULT_WEIGHT, Writes, name_key, set_setting, text

__all__ = [
    "DEFAULT_WEIGHT",
    "MAP_COLUMNS",
    "MEMORY",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "_TEXT_FIELDS",
    "StagedConflicts",
    "StagedDuplicates",
    "Store",
    "apply_rating_rows",
    "build_rating_rows",
    "build_text_map",
    "default_db_path",
    "distinct_cells",
    "drop_problem_rows",
    "drop_staged",
    "export_records",
    "find_conflicts",
    "import_career_rows",
    "import_contact_rows",
    "import_criteria_rows",
    "import_cursor",
    "import_dimension_weights",
    "import_interview_rows",
    "import_transaction",
    "load_value_map",
    "name_key",
    "problem_summary",
    "rating_problems",
    "record_import",
    "resolve_db_path",
    "stage_file",
    "stage_rows",
    "staged_keys",
    "text",
]


class Store(Reads, Writes, Backups):
    """One DuckDB database (a file, or memory) with the Career Fit schema."""

    def __init__(self, path: str | os.PathLike[str] = MEMORY, *, seed_defaults: bool = True) -> None:
        super().__init__(path)
        migrate(self, seed_defaults=seed_defaults)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def schema_version(self) -> int:
        with self.cursor() as cur:
            return read_schema_version(cur)

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
            load_records(cur, list(criteria), list(careers), list(contacts), list(interviews), list(ratings))
            for key, value in (settings or {}).items():
                set_setting(cur, key, value)


