"""Sheets read by Python are staged into DuckDB through temporary files (analytics/db/staging.py): each made for
one import only (private to its user), in the system's temporary folder, and removed as soon as DuckDB read it."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import duckdb
import pytest

from analytics.db import staging
from analytics.errors import InvalidInputError
from analytics.spreadsheets.ingest import import_bytes
from analytics.store import Store
from tests.support.ingest_fixtures import csv_bytes

HEADER = ["career", "interviewee", "date", "criterion", "rating"]


def test_the_files_a_large_sheet_is_staged_through_are_private_and_gone_after_the_import(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Over a thousand rows read by Python reach DuckDB as arrays, or (values DuckDB declines as arrays) through
    a CSV file in the temporary folder: each is created for this import only, and none is left behind, whether
    the import succeeds or is refused."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))

    def declined(*args: object) -> None:
        raise duckdb.ConversionException("declined")

    monkeypatch.setattr(staging, "_load_arrays", declined)
    rows = [HEADER] + [[f"Career {n % 40}", f"Person {n}", "2025-01-02", "Social", str(1 + n % 5)] for n in range(1500)]
    seen: list[str] = []
    original = staging._write_staging_csv

    def spy(path: Path, written: Any) -> None:
        seen.append(str(path))
        assert path.parent == tmp_path and path.stat().st_mode & 0o077 == 0  # (made by mkstemp: this user's only)
        original(path, written)

    monkeypatch.setattr(staging, "_write_staging_csv", spy)
    with Store() as store:
        assert import_bytes(store, csv_bytes(rows), "many.csv").new_ratings == 1500
        with pytest.raises(InvalidInputError):
            import_bytes(store, csv_bytes([*rows, ["Career 1", "Person 1", "2025-01-02", "Social", "9"]]), "bad.csv")
    assert seen and list(tmp_path.iterdir()) == []
