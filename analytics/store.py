"""The public face of the DuckDB store: :class:`Store`, composed of the parts in :mod:`analytics.db`.

All SQL of the project lives in :mod:`analytics.db` (connection, schema, reads, writes, staging,
backup), so there is one place to check that user text only ever reaches DuckDB as a bound parameter.
Other modules import from here: ``from analytics.store import Store, text, name_key``.
"""

from __future__ import annotations

import os

from .db.backup import Backups, export_records
from .db.connection import MEMORY, default_db_path, resolve_db_path
from .db.onet_links import OnetLinks
from .db.pipeline_reads import PipelineReads
from .db.reads import Reads
from .db.schema import MIGRATIONS, SCHEMA_VERSION, migrate, read_schema_version, stored_version
from .db.writes import DEFAULT_WEIGHT, Writes, name_key, text

__all__ = [
    "DEFAULT_WEIGHT",
    "MEMORY",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "Store",
    "default_db_path",
    "export_records",
    "name_key",
    "resolve_db_path",
    "text",
]


class Store(Reads, Writes, Backups, OnetLinks, PipelineReads):
    """One DuckDB database (a file, or memory) with the Career Fit schema."""

    def __init__(
        self,
        path: str | os.PathLike[str] = MEMORY,
        *,
        seed_defaults: bool = True,
        read_only: bool = False,
        threads: int | None = None,
        beside: Store | None = None,
    ) -> None:
        """Open (or create) the store at ``path``; ``read_only`` for commands that only read; ``threads``: how
        many threads DuckDB may use (None: one per core); ``beside``: a new scratch store in memory inside that
        store's DuckDB instance instead, with its schema and nothing in it, not even the default profile (see
        :class:`analytics.db.connection.Database`).

        A file of an older schema opened read-only is upgraded first (a write, once), then reopened read-only.
        """
        super().__init__(path, read_only=read_only, threads=threads, beside=beside)
        if beside is not None:  # (its shape is the host's, and the host, a Store, has this version's schema)
            return
        try:
            # One question to the file: a store of this version (every read command, every app start) asks
            # nothing more; :func:`migrate` asks again only when there is something to do.
            if stored_version(self) < SCHEMA_VERSION:
                if self.read_only:
                    self.reopen(read_only=False)
                    migrate(self, seed_defaults=seed_defaults)
                    self.reopen(read_only=True)
                else:
                    migrate(self, seed_defaults=seed_defaults)
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def schema_version(self) -> int:
        with self.cursor() as cur:
            return read_schema_version(cur)
