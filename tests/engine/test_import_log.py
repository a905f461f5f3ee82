"""The import log names each file by the SHA-256 of its content: a file read from disk (hashed on a thread of
its own while the import reads it) and the same bytes uploaded are logged alike; a dry run logs nothing."""

from __future__ import annotations

import hashlib
from pathlib import Path

from analytics.spreadsheets.ingest import import_bytes, import_file
from analytics.store import Store
from tests.support.ingest_fixtures import csv_bytes

RATINGS = csv_bytes(
    [["career", "interviewee", "date", "criterion", "rating"], ["Nurse", "Ann", "2025-01-02", "Social", "3"]]
)


def test_a_file_and_the_same_bytes_uploaded_are_logged_by_the_hash_of_their_content(tmp_path: Path) -> None:
    large = tmp_path / "large.csv"  # over a megabyte: hashed block by block, and loaded by DuckDB itself
    rows = [["career", "interviewee", "date", "criterion", "rating"]]
    rows += [[f"Career {n % 90}", f"Person {n}", "2025-01-02", "Social", str(1 + n % 5)] for n in range(40_000)]
    large.write_bytes(csv_bytes(rows))
    small = tmp_path / "small.csv"
    small.write_bytes(RATINGS)
    assert large.stat().st_size > 1_000_000
    with Store() as store:
        import_file(store, large)
        import_file(store, small, dry_run=True)
        import_bytes(store, RATINGS, "uploaded.csv")
        import_file(store, small)
        logged = [(entry["file_name"], entry["content_hash"]) for entry in reversed(store.imports())]
    assert logged == [
        ("large.csv", hashlib.sha256(large.read_bytes()).hexdigest()),
        ("uploaded.csv", hashlib.sha256(RATINGS).hexdigest()),
        ("small.csv", hashlib.sha256(RATINGS).hexdigest()),
    ]
