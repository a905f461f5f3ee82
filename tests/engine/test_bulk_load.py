"""The first ratings of a store load in bulk (analytics/db/bulk_load.py): into a new table of the same definition
whose key is built once, put in place of the empty one within the import's transaction. The store must end with
exactly the table it had, the key must still refuse a rating given twice, and everything else about an import
(a key twice in the file, a dry run, a failure, a store that already has ratings) must go as without it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest

from analytics.db import bulk_load, rating_writes, staging
from analytics.spreadsheets import ingest
from analytics.spreadsheets.ingest import import_bytes
from analytics.store import Store
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


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[int | None]:
    """What each call of the bulk load returned (None: it declined and the rows were inserted as usual), for
    files of any size (the importer asks for it from BULK_LOAD_MIN_RATINGS ratings on)."""
    monkeypatch.setattr(ingest, "BULK_LOAD_MIN_RATINGS", 0)
    seen: list[int | None] = []
    original = bulk_load.load_first_ratings

    def spy(cur: duckdb.DuckDBPyConnection, select_sql: str, params: list[Any]) -> int | None:
        seen.append(original(cur, select_sql, params))
        return seen[-1]

    monkeypatch.setattr(rating_writes, "load_first_ratings", spy)
    return seen


def definition(store: Store) -> tuple[Any, ...]:
    """The ratings table as the catalog describes it: its SQL, columns and constraints."""
    with store.cursor() as cur:
        sql = cur.execute("SELECT sql FROM duckdb_tables() WHERE table_name = 'ratings'").fetchone()
        return (sql, *bulk_load._definition(cur, "ratings"))


def test_the_first_import_fills_the_same_ratings_table_whose_key_still_refuses_a_rating_twice(
    tmp_path: Path, loads: list[int | None]
) -> None:
    path = tmp_path / "store.duckdb"
    with Store(path) as store:
        before = definition(store)
        report = import_bytes(store, RATINGS, "ratings.csv")
        assert loads == [3] and report.new_ratings == 3
    with Store(path) as store:  # as a later process finds it
        assert definition(store) == before
        assert store.counts()["ratings"] == 3
        with store.cursor() as cur:
            for refused in (
                "INSERT INTO ratings SELECT * FROM ratings LIMIT 1",  # the key
                "INSERT INTO ratings VALUES (NULL, 1, 'interview', 1, 3)",  # a key column is never blank
                "INSERT INTO ratings VALUES (1, 1, 'interview', 99, 6)",  # the 1-5 check
            ):
                with pytest.raises(duckdb.ConstraintException):
                    cur.execute(refused)
        again = import_bytes(store, RATINGS, "again.csv")  # a store with ratings: the usual insert
        assert loads == [3] and again.unchanged_ratings == 3


def test_a_rating_given_twice_is_refused_at_the_commit_and_the_file_imported_grouped(loads: list[int | None]) -> None:
    twice = csv_bytes(
        [HEADER, ["Nurse", "Ann", "2025-01-02", "Social", "3"], ["nurse", "ann", "2.1.2025", "social", "3"]]
    )
    with Store() as store:
        report = import_bytes(store, twice, "twice.csv")
        assert loads == [2]  # the bulk load took both rows; the commit refused them, and the retry groups them
        assert report.new_ratings == 1 and store.counts()["ratings"] == 1
        with store.cursor() as cur:
            assert cur.execute("SELECT count(*) FROM rating_totals").fetchone() == (1,)


def test_a_dry_run_never_loads_in_bulk_and_counts_as_the_import_does(loads: list[int | None]) -> None:
    twice = csv_bytes(
        [HEADER, ["Nurse", "Ann", "2025-01-02", "Social", "3"], ["Nurse", "Ann", "2025-01-02", "Social", "3"]]
    )
    with Store() as store:
        preview = import_bytes(store, twice, "twice.csv", dry_run=True)
        assert loads == [] and store.counts()["ratings"] == 0
        assert preview.new_ratings == import_bytes(store, twice, "twice.csv").new_ratings == 1


def test_an_import_failing_after_the_bulk_load_leaves_the_store_as_it_was(
    tmp_path: Path, loads: list[int | None], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk gone")

    with Store(tmp_path / "store.duckdb") as store:
        before, shape = snapshot(store, with_imports=True), definition(store)
        monkeypatch.setattr(staging, "refresh_totals", broken)  # fails after the new table took the old one's place
        with pytest.raises(RuntimeError):
            import_bytes(store, RATINGS, "ratings.csv")
        assert loads == [3]
        assert snapshot(store, with_imports=True) == before and definition(store) == shape
        monkeypatch.undo()
        assert import_bytes(store, RATINGS, "ratings.csv").new_ratings == 3


def test_a_ratings_table_with_an_index_of_its_own_is_filled_as_usual(loads: list[int | None]) -> None:
    """The bulk load copies columns, defaults, checks and the key: a table with more is left to the usual insert."""
    with Store() as store:
        with store.cursor() as cur:
            cur.execute("CREATE INDEX ratings_by_value ON ratings (value)")
        assert import_bytes(store, RATINGS, "ratings.csv").new_ratings == 3
        assert loads == [None]
        with store.cursor() as cur:
            assert cur.execute("SELECT count(*) FROM duckdb_indexes() WHERE table_name = 'ratings'").fetchone() == (1,)


def test_a_first_import_loads_in_bulk_only_from_a_few_thousand_ratings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Below BULK_LOAD_MIN_RATINGS the dozen catalog statements of the bulk load cost more than they save; a wide
    sheet counts one rating per criterion column of each row."""
    seen: list[int | None] = []
    original = bulk_load.load_first_ratings
    monkeypatch.setattr(rating_writes, "load_first_ratings", lambda *a: seen.append(original(*a)) or seen[-1])
    criteria = [f"Criterion {n}" for n in range(50)]
    rows = ingest.BULK_LOAD_MIN_RATINGS // len(criteria)
    wide = csv_bytes(
        [["career", "interviewee", "date", *criteria]]
        + [["Nurse", f"P{n}", "2025-01-02", *"3" * 50] for n in range(rows)]
    )
    with Store() as small, Store() as large:
        assert import_bytes(small, RATINGS, "ratings.csv").new_ratings == 3 and seen == []
        assert definition(small) == definition(large)
        assert import_bytes(large, wide, "wide.csv").new_ratings == ingest.BULK_LOAD_MIN_RATINGS
        assert seen == [ingest.BULK_LOAD_MIN_RATINGS]


def threshold(store: Store) -> str:
    with store.cursor() as cur:
        found = cur.execute("SELECT current_setting('checkpoint_threshold')").fetchone()
        assert found is not None
        return str(found[0])


def log_bytes(path: Path) -> int:
    """The size of a store's write-ahead log (none: everything is in the file itself)."""
    log = Path(f"{path}.wal")
    return log.stat().st_size if log.exists() else 0


def test_a_bulk_load_is_committed_to_the_log_and_checkpointed_at_once_with_duckdbs_threshold_put_back(
    tmp_path: Path, loads: list[int | None]
) -> None:
    """A small commit stays in the log until DuckDB's next checkpoint; the bulk load's is checkpointed by the
    import itself (so a first import of a million ratings is never checkpointed inside its COMMIT)."""
    path = tmp_path / "store.duckdb"
    with Store(path) as store:
        before = threshold(store)
        store.set_setting("note", "a small write")  # (an ordinary commit: left in the log)
        assert log_bytes(path) > 0
        assert import_bytes(store, RATINGS, "ratings.csv").new_ratings == 3 and loads == [3]
        assert log_bytes(path) == 0 and threshold(store) == before
    with Store(path) as store:
        assert store.counts()["ratings"] == 3


def test_a_bulk_load_refused_at_the_commit_puts_duckdbs_threshold_back(tmp_path: Path, loads: list[int | None]) -> None:
    twice = csv_bytes(
        [HEADER, ["Nurse", "Ann", "2025-01-02", "Social", "3"], ["nurse", "ann", "2.1.2025", "social", "3"]]
    )
    with Store(tmp_path / "store.duckdb") as store:
        before = threshold(store)
        assert import_bytes(store, twice, "twice.csv").new_ratings == 1 and loads == [2]
        assert threshold(store) == before


def test_a_bulk_load_while_another_transaction_is_open_is_kept_by_the_log(
    tmp_path: Path, loads: list[int | None]
) -> None:
    """The checkpoint after the commit waits for no one: with another transaction open it is left to DuckDB."""
    path = tmp_path / "store.duckdb"
    with Store(path) as store:
        before = threshold(store)
        with store.cursor() as reader:
            reader.execute("BEGIN TRANSACTION")
            reader.execute("SELECT count(*) FROM careers").fetchall()
            assert import_bytes(store, RATINGS, "ratings.csv").new_ratings == 3 and loads == [3]
            reader.execute("ROLLBACK")
        assert threshold(store) == before and store.counts()["ratings"] == 3
    with Store(path) as store:
        assert store.counts()["ratings"] == 3
