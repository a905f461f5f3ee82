"""The public face of the DuckDB store: :class:`Store`, composed of the parts in :mod:`analytics.db`.

All SQL of the project lives in :mod:`analytics.db` (connection, schema, reads, writes, staging,
backup), so there is one place to check that user text only ever reaches DuckDB as a bound parameter.
Other modules import from here: ``from analytics.store import Store, text, name_key``.
"""

from __future__ import annotations

import os

from .db.backup import Backups, export_records
from .db.connection import MEMORY, default_db_path, resolve_db_path
from .db.reads import Reads
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
from .db.writes import DEFAULT_WEIGHT, Writes, name_key, text

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
