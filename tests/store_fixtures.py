"""Stores built for tests: as older versions of Career Fit wrote them, or from a list of ratings."""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import date
from pathlib import Path

import duckdb

from analytics.profile_defaults import DEFAULT_CRITERIA
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
    path: str | Path | None = None,
) -> Store:
    """A store (in memory, or the file ``path``) with the default profile (weight 3 unless ``weights`` says
    otherwise) and ``ratings``; ``shuffle`` writes criteria and rows in a random order."""
    ratings = list(ratings)
    criteria = [{"criterion": n, "dimension": d, "weight": (weights or {}).get(n, 3), "description": t}
                for n, d, t in DEFAULT_CRITERIA]
    if shuffle is not None:
        rng = random.Random(shuffle)
        rng.shuffle(criteria)
        rng.shuffle(ratings)
    store = Store() if path is None else Store(path)
    store.load_records(criteria=criteria, ratings=ratings, replace=True)
    return store
