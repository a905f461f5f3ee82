"""Stores built for tests: as older versions of Career Fit wrote them, or from a list of ratings."""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from pathlib import Path

import duckdb

from analytics.profile_defaults import DEFAULT_CRITERIA
from analytics.spreadsheets.ingest import import_bytes
from analytics.store import MIGRATIONS, Store


def write_first_schema_store(path: Path | str, held_on: date) -> None:
    """A file in schema 1, the first ever shipped: one criterion (Social, weight 4), the career Nurse and
    one completed interview with Ann on ``held_on`` that rated Social 4."""
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
    con.execute("INSERT INTO schema_version VALUES (1)")
    for statement in MIGRATIONS[0].statements:
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


def profile_store(
    ratings: Iterable[dict[str, object]],
    shuffle: int | None = None,
    weights: dict[str, float] | None = None,
) -> Store:
    """An in-memory store with the default profile (weight 3 unless ``weights`` says otherwise) and
    ``ratings``; ``shuffle`` writes criteria and rows in a random order."""
    ratings = list(ratings)
    criteria = [
        {"criterion": n, "dimension": d, "weight": (weights or {}).get(n, 3), "description": t}
        for n, d, t in DEFAULT_CRITERIA
    ]
    if shuffle is not None:
        rng = random.Random(shuffle)
        rng.shuffle(criteria)
        rng.shuffle(ratings)
    store = Store(seed_defaults=False)
    import_records(store, criteria=criteria, ratings=ratings)
    return store


def csv_of(rows: Iterable[Mapping[str, object]]) -> bytes:
    """Records as a CSV file: a column per key (in the order first seen), blanks for missing keys and None."""
    rows = list(rows)
    columns = list(dict.fromkeys(key for row in rows for key in row))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(column)) for column in columns])
    return buffer.getvalue().encode("utf-8")


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def import_records(store: Store, **tables: Iterable[Mapping[str, object]]) -> None:
    """Import each table of records (criteria, careers, contacts, interviews, ratings; keys as the columns of
    those spreadsheets) through the importer, one CSV file each, in that order."""
    for kind in ("criteria", "careers", "contacts", "interviews", "ratings"):
        rows = list(tables.pop(kind, ()))
        if rows:
            import_bytes(store, csv_of(rows), f"{kind}.csv")
    assert not tables, f"unknown tables {sorted(tables)}"


def random_rating_rows(
    store: Store, *, careers: int, criteria: int, seed: int, left_out: Callable[[int, int], bool] = lambda c, r: False
) -> list[dict[str, object]]:
    """Ratings of ``careers`` careers ("Career 0"...), each interviewed 1 to 3 times (career number mod 3, plus
    one) on the store's first ``criteria`` criteria, 1-5 at random from ``seed``; ``left_out(career, rating)``
    drops a rating (a criterion the interview did not cover)."""
    names = [c.name for c in store.criteria()][:criteria]
    rng = random.Random(seed)
    return [
        {"career": f"Career {c}", "interviewee": f"P{c}-{i}", "date": "2026-01-05", "criterion": n, "rating": r}
        for c in range(careers)
        for i in range(c % 3 + 1)
        for n in names
        if not left_out(c, r := rng.randint(1, 5))
    ]
