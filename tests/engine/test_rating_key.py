"""One rating per key (career, criterion, source, interview), kept by the writers: the ratings table has no index.

Schema 6 dropped the ratings table's primary key (its index took most of a first import's time and most of the
file). These tests pin what replaces it: a store of schema 5 keeps every rating through the upgrade; an import
that gives a key twice writes it once (or names the rows, when the values differ), first import or not, dry
run or not; a failed import leaves the store as it was; and a large import is committed into the log and
checkpointed at once. tests/engine/test_summaries.py checks after any mix of writes that no key is held twice.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from analytics.db import staging
from analytics.errors import InvalidInputError
from analytics.spreadsheets import ingest
from analytics.spreadsheets.ingest import import_bytes
from analytics.store import MIGRATIONS, SCHEMA_VERSION, Store
from tests.support.ingest_fixtures import csv_bytes, snapshot

HEADER = ["career", "interviewee", "date", "criterion", "rating"]
RATINGS = csv_bytes(
    [
        HEADER,
        ["Nurse", "Ann", "2025-01-02", "Social", "3"],
        ["Nurse", "Ann", "2025-01-02", "Pay", "4"],
        ["Pilot", "Bo", "2025-01-03", "Social", "5"],
    ]
)
# The same rating twice: the second row spells career, person, date and criterion another way.
TWICE = csv_bytes([HEADER, ["Nurse", "Ann", "2025-01-02", "Social", "3"], ["nurse", "ann", "2.1.2025", "social", "3"]])


def ratings_of(store: Store) -> list[tuple[Any, ...]]:
    with store.cursor() as cur:
        return cur.execute("SELECT * FROM ratings ORDER BY ALL").fetchall()


def ratings_table(store: Store) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The ratings table as the catalog describes it: columns (name, type, default, nullable) and constraints."""
    with store.cursor() as cur:
        columns = cur.execute(
            "SELECT column_name, data_type, column_default, is_nullable FROM duckdb_columns()"
            " WHERE table_name = 'ratings' ORDER BY column_index"
        ).fetchall()
        constraints = cur.execute(
            "SELECT constraint_type, constraint_text FROM duckdb_constraints() WHERE table_name = 'ratings'"
            " ORDER BY ALL"
        ).fetchall()
    return columns, constraints


def test_a_store_of_schema_5_keeps_every_rating_and_loses_only_the_key(tmp_path: Path) -> None:
    path = tmp_path / "older.duckdb"
    with Store(path) as store:
        social, pay = (c.id for c in store.criteria()[:2])
        store.save_interview("Nurse", "Ann", date(2026, 1, 5), ratings={social: 4, pay: 2})
        store.save_interview("Pilot", "Bo", date(2026, 1, 6), ratings={social: 5})
        store.save_expectations("Pilot", {social: 3, pay: 1})
        kept, summaries = ratings_of(store), store.rating_aggregates()
        with store.cursor() as cur:  # back to schema 5: the ratings table of version 1, with its key
            first = next(s for s in MIGRATIONS[0].statements if "CREATE TABLE ratings" in s)
            cur.execute(first.replace("CREATE TABLE ratings", "CREATE TABLE ratings_v5"))
            cur.execute("INSERT INTO ratings_v5 SELECT * FROM ratings")
            cur.execute("DROP TABLE ratings")
            cur.execute("ALTER TABLE ratings_v5 RENAME TO ratings")
            cur.execute("DELETE FROM schema_version WHERE version > 5")
            assert [kind for kind, _ in ratings_table(store)[1]].count("PRIMARY KEY") == 1
    with Store(path) as store, Store() as new:
        assert store.schema_version() == SCHEMA_VERSION == 6
        assert ratings_of(store) == kept and store.rating_aggregates() == summaries
        assert ratings_table(store) == ratings_table(new)  # the table a new store has: checks, no key
        assert not [c for c in ratings_table(store)[1] if c[0] in ("PRIMARY KEY", "UNIQUE")]
        store.save_interview("Nurse", "Ann", date(2026, 1, 5), ratings={social: 5})  # an update, not a second row
        assert len(ratings_of(store)) == len(kept)


def test_saving_an_interview_or_expectations_again_updates_its_ratings_in_place() -> None:
    with Store() as store:
        social, pay, money = (c.id for c in store.criteria()[:3])
        interview = store.save_interview("Nurse", "Ann", date(2026, 1, 5), ratings={social: 4, pay: 2})
        store.save_interview("Nurse", "Ann", date(2026, 1, 5), interview_id=interview, ratings={social: 5, money: 1})
        store.save_expectations("Nurse", {social: 3})
        store.save_expectations("Nurse", {social: 2, pay: None})
        assert ratings_of(store) == sorted(
            [
                (1, money, "interview", interview, 1),
                (1, pay, "interview", interview, 2),
                (1, social, "expectation", 0, 2),
                (1, social, "interview", interview, 5),
            ]
        )


@pytest.mark.parametrize("first", [True, False], ids=["first import", "store with ratings"])
@pytest.mark.parametrize("dry_run", [False, True], ids=["import", "dry run"])
def test_a_key_given_twice_with_one_value_is_written_once(first: bool, dry_run: bool) -> None:
    with Store() as store:
        if not first:
            import_bytes(store, RATINGS, "ratings.csv")
        before = len(ratings_of(store))
        report = import_bytes(store, TWICE, "twice.csv", dry_run=dry_run)
        assert report.new_ratings == (1 if first else 0) and report.unchanged_ratings == (0 if first else 1)
        assert len(ratings_of(store)) == before + (0 if dry_run or not first else 1)
        with store.cursor() as cur:  # (before: Nurse and Pilot on Social, Nurse on Pay; a dry run writes nothing)
            summaries = cur.execute("SELECT count(*) FROM rating_totals").fetchone()
        assert summaries == ((0 if dry_run else 1) if first else 3,)


def test_an_expectation_given_twice_is_one_key_whatever_interviewee_its_rows_name() -> None:
    header = ["career", "interviewee", "date", "criterion", "rating", "source"]
    rows = [header, ["Nurse", "", "", "Social", "4", "expectation"], ["Nurse", "Ann", "", "Social", "4", "expectation"]]
    with Store() as store:
        assert import_bytes(store, csv_bytes(rows), "expected.csv").new_ratings == 1
        assert [r[2:] for r in ratings_of(store)] == [("expectation", 0, 4)]


def test_a_key_given_twice_with_two_values_names_both_rows_and_writes_nothing() -> None:
    clash = csv_bytes(
        [HEADER, ["Nurse", "Ann", "2025-01-02", "Social", "3"], ["nurse", "ann", "2.1.2025", "social", "4"]]
    )
    with Store() as store:
        before = snapshot(store, with_imports=True)
        with pytest.raises(InvalidInputError, match="row 2, column rating: 3 conflicts with 4 in row 3"):
            import_bytes(store, clash, "clash.csv")
        assert snapshot(store, with_imports=True) == before


def test_an_import_failing_after_its_ratings_went_in_leaves_the_store_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk gone")

    with Store(tmp_path / "store.duckdb") as store:
        before, shape = snapshot(store, with_imports=True), ratings_table(store)
        monkeypatch.setattr(staging, "refresh_totals", broken)  # fails after the ratings were inserted
        with pytest.raises(RuntimeError):
            import_bytes(store, RATINGS, "ratings.csv")
        assert snapshot(store, with_imports=True) == before and ratings_table(store) == shape
        monkeypatch.undo()
        assert import_bytes(store, RATINGS, "ratings.csv").new_ratings == 3


def threshold(store: Store) -> str:
    with store.cursor() as cur:
        found = cur.execute("SELECT current_setting('checkpoint_threshold')").fetchone()
        assert found is not None
        return str(found[0])


def log_bytes(path: Path) -> int:
    """The size of a store's write-ahead log (none: everything is in the file itself)."""
    log = Path(f"{path}.wal")
    return log.stat().st_size if log.exists() else 0


@pytest.fixture
def every_import_large(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every import counts as large (from LARGE_IMPORT_RATINGS ratings on: logged, then checkpointed)."""
    monkeypatch.setattr(ingest, "LARGE_IMPORT_RATINGS", 1)


def test_a_small_import_stays_in_the_log_until_duckdb_checkpoints(tmp_path: Path) -> None:
    path = tmp_path / "store.duckdb"
    with Store(path) as store:
        store.set_setting("note", "a small write")
        import_bytes(store, RATINGS, "ratings.csv")
        assert log_bytes(path) > 0


@pytest.mark.usefixtures("every_import_large")
def test_a_large_import_is_committed_to_the_log_and_checkpointed_at_once_with_duckdbs_threshold_put_back(
    tmp_path: Path,
) -> None:
    """So a first import of a million ratings is never checkpointed inside its COMMIT (quicker: see
    analytics/db/staging.py), and ends with everything in the file."""
    path = tmp_path / "store.duckdb"
    with Store(path) as store:
        before = threshold(store)
        store.set_setting("note", "a small write")  # (an ordinary commit: left in the log)
        assert log_bytes(path) > 0
        assert import_bytes(store, RATINGS, "ratings.csv").new_ratings == 3
        assert log_bytes(path) == 0 and threshold(store) == before
        assert import_bytes(store, TWICE, "twice.csv").unchanged_ratings == 1 and threshold(store) == before
    with Store(path) as store:
        assert len(ratings_of(store)) == 3


@pytest.mark.usefixtures("every_import_large")
def test_a_large_import_while_another_transaction_is_open_is_kept_by_the_log(tmp_path: Path) -> None:
    """The checkpoint after the commit waits for no one: with another transaction open it is left to DuckDB."""
    path = tmp_path / "store.duckdb"
    with Store(path) as store:
        before = threshold(store)
        with store.cursor() as reader:
            reader.execute("BEGIN TRANSACTION")
            reader.execute("SELECT count(*) FROM careers").fetchall()
            assert import_bytes(store, RATINGS, "ratings.csv").new_ratings == 3
            reader.execute("ROLLBACK")
        assert threshold(store) == before and len(ratings_of(store)) == 3
    with Store(path) as store:
        assert len(ratings_of(store)) == 3
