"""Stores as older versions of Career Fit wrote them, for migration and restore tests."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb

from analytics.store import MIGRATIONS


def write_first_schema_store(path: Path | str, held_on: date) -> None:
    """A file in schema 1, the first ever shipped: one criterion (Social, weight 4), the career Nurse and
    one completed interview with Ann on ``held_on`` that rated Social 4."""
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
    con.execute("INSERT INTO schema_version VALUES (1)")
    for statement in MIGRATIONS[0].split(";"):
        if statement.strip():
            con.execute(statement)
    con.execute("INSERT INTO criteria (name, name_key, dimension, weight) VALUES ('Social', 'social', 'interest', 4)")
    con.execute("INSERT INTO careers (name, name_key) VALUES ('Nurse', 'nurse')")
    con.execute(
        "INSERT INTO interviews (career_id, interviewee, interviewee_key, held_on, date_key, stage)"
        " VALUES (1, 'Ann', 'ann', ?, ?, 'completed')",
        [held_on, held_on.isoformat()],
    )
    con.execute("INSERT INTO ratings VALUES (1, 1, 'interview', 1, 4)")
    con.close()
