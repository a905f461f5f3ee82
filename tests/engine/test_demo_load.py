"""How the demo's first load in a process is made, part by part, and the store it gives, pinned.

The cold load imports the five demo files as one import (``import_several``: one transaction) into a scratch
store attached inside the visitor's own DuckDB instance (``Store(beside=...)``), takes an image of it and
copies that in (``replace_with``, summaries copied, not rebuilt). The pin: the result equals, table by table
and id by id, what a user gets importing the same five files one by one into an empty store.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest

from analytics.db.backup import image_of
from analytics.db.summaries import refresh_totals
from analytics.db.writes import insert_criteria
from analytics.demo import DEMO_DATA, DEMO_DIMENSION_WEIGHTS, DEMO_FILES, demo_image, forget_demo_image, load_demo
from analytics.errors import InvalidInputError
from analytics.spreadsheets.ingest import ImportProblems, import_bytes, import_several
from analytics.store import Store
from tests.support.store_fixtures import csv_of

# The import log is each store's own (a load keeps the target's); its sequence with it.
_OWN = ("imports",)
_OWN_SEQUENCES = ("import_ids",)


def everything(store: Store) -> dict[str, Any]:
    """Every table of the store (from the catalog, so a table added later is compared too) but the import log,
    each as its sorted rows, and where each id sequence stands."""
    with store.cursor() as cur:
        tables = [
            row[0]
            for row in cur.execute(
                "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND NOT temporary"
            ).fetchall()
        ]
        found: dict[str, Any] = {
            table: sorted(cur.execute(f"SELECT * FROM {table}").fetchall(), key=repr)  # (names from the catalog)
            for table in tables
            if table not in _OWN
        }
        found["sequences"] = {
            name: last
            for name, last in cur.execute(
                "SELECT sequence_name, last_value FROM duckdb_sequences() WHERE database_name = current_database()"
            ).fetchall()
            if name not in _OWN_SEQUENCES
        }
    return found


def attached(store: Store) -> list[str]:
    with store.cursor() as cur:
        return sorted(row[0] for row in cur.execute("SELECT database_name FROM duckdb_databases()").fetchall())


def demo_imported_file_by_file() -> dict[str, Any]:
    """The demo as a user would make it: each file imported on its own into an empty store, then the settings."""
    with Store(seed_defaults=False) as reference:
        for name in DEMO_FILES:
            import_bytes(reference, DEMO_DATA.joinpath(f"{name}.csv").read_bytes(), f"{name}.csv")
        reference.set_setting("dimension_weights", DEMO_DIMENSION_WEIGHTS)
        reference.set_setting("demo_loaded", True)
        return everything(reference)


def test_the_demo_loaded_cold_or_warm_is_its_files_imported_one_by_one(tmp_path: Path) -> None:
    expected = demo_imported_file_by_file()
    assert len(expected["ratings"]) == 325 and len(expected["rating_spreads"]) > 0  # (the pin compares something)
    forget_demo_image()
    with Store() as cold:  # a new visitor: the default profile's criteria had ids 1-20
        before = attached(cold)
        load_demo(cold)
        assert everything(cold) == expected
        assert attached(cold) == before  # the scratch store is gone
    with Store(tmp_path / "warm.duckdb") as warm:
        load_demo(warm)
        assert everything(warm) == expected


def test_a_cold_load_into_a_used_store_moves_its_sequences_past_the_demo_and_keeps_its_log(tmp_path: Path) -> None:
    forget_demo_image()
    with Store(tmp_path / "used.duckdb") as store:
        jobs = [{"career": f"Job {n}", "criterion": "Social", "rating": 3} for n in range(30)]
        import_bytes(store, csv_of(jobs), "a.csv")
        log = store.imports()
        load_demo(store)
        assert store.imports() == log
        demo = everything(store)
        assert demo["careers"] == demo_imported_file_by_file()["careers"]
        # 30 careers were numbered before the demo's 9: the sequence stays where it was, and new ids follow it
        assert store.add_career("Potter") == 31
        assert store.save_contact("New Person") == 19


def test_the_image_is_imported_once_per_process_until_forgotten() -> None:
    forget_demo_image()
    with Store() as first, Store() as second:
        image = demo_image(first)
        assert demo_image(second) is image
        forget_demo_image()
        again = demo_image(second)
        assert again is not image and rows_of(again) == rows_of(image)


def rows_of(image: dict[str, Any]) -> dict[str, Any]:
    """An image's columns and rows, in an order of their own (a summary's rows come in any order)."""
    return {table: (columns, sorted(zip(*lists, strict=True), key=repr)) for table, (columns, lists) in image.items()}


# -- a scratch store beside another ---------------------------------------------------------------------------


def test_a_scratch_store_lives_inside_its_hosts_instance_and_touches_nothing_of_it(tmp_path: Path) -> None:
    path = tmp_path / "host.duckdb"
    with Store(path) as host:
        host.add_career("Baker")
        host_before = everything(host)
        with Store(beside=host, seed_defaults=False) as scratch:
            assert scratch.in_memory and scratch.counts()["criteria"] == 0
            assert scratch.add_career("Potter") == 1  # its own sequences, from 1
            assert [c.name for c in scratch.careers()] == ["Potter"]
            assert len(attached(host)) == len(attached(scratch)) == 4  # (host, scratch, system, temp)
        assert everything(host) == host_before
        assert host.add_career("Weaver") == 2
        with Store(beside=host) as second:  # another one: empty again, its sequences new again
            assert second.counts()["criteria"] == 0 and second.add_career("Potter") == 1
    with Store(path) as again:  # nothing of the scratch was written to the file
        assert [c.name for c in again.careers()] == ["Baker", "Weaver"]


def catalog(store: Store) -> list[list[tuple[Any, ...]]]:
    """What a store's schema is made of: columns, constraints, sequences, each table's definition, indexes."""
    queries = (
        "SELECT table_name, column_name, column_index, data_type, column_default, is_nullable FROM duckdb_columns()",
        "SELECT table_name, constraint_type, constraint_text, expression, constraint_column_names"
        " FROM duckdb_constraints()",
        "SELECT sequence_name, start_value, min_value, max_value, increment_by, cycle, last_value"
        " FROM duckdb_sequences()",
        "SELECT table_name, sql FROM duckdb_tables()",
        "SELECT index_name, sql FROM duckdb_indexes()",
    )
    with store.cursor() as cur:
        return [
            cur.execute(f"{query} WHERE database_name = current_database() ORDER BY ALL").fetchall()
            for query in queries
        ]


def test_a_scratch_store_has_the_schema_migrations_give_whatever_its_hosts_sequences_reached(tmp_path: Path) -> None:
    """Its shape is copied from the host's catalog, not made step by step: it must equal a new store's exactly,
    with sequences new even when the host's were copied from elsewhere (a backup starts them where it was)."""
    with Store(tmp_path / "used.duckdb") as used:
        load_demo(used)
        used.backup_to(tmp_path / "copy.duckdb")
    with Store(seed_defaults=False) as new, Store(tmp_path / "copy.duckdb") as host:
        assert {row[1] for row in catalog(host)[2]} != {1}  # (the copy's sequences start past the demo's ids)
        with Store(beside=host) as scratch:
            assert catalog(scratch) == catalog(new)


# -- several files, one import --------------------------------------------------------------------------------


def write(folder: Path, name: str, rows: list[dict[str, object]]) -> Path:
    path = folder / name
    path.write_bytes(csv_of(rows))
    return path


def test_several_files_import_as_one_transaction_and_one_log_line(tmp_path: Path) -> None:
    careers = write(tmp_path, "careers.csv", [{"career": "Baker", "notes": "early starts"}])
    rated = {"career": "Baker", "interviewee": "Ann", "criterion": "Social", "rating": 4}
    ratings = write(tmp_path, "ratings.csv", [rated])
    with Store() as store:
        report = import_several(store, [careers, ratings], "two files")
        assert (report.kind, report.new_careers, report.new_ratings) == ("workbook", 1, 1)
        assert report.sheets == {"careers.csv": "careers", "ratings.csv": "long"}
        assert [(row["file_name"], row["kind"]) for row in store.imports()] == [("two files", "workbook")]
        assert store.careers()[0].notes == "early starts"


def test_a_wrong_row_in_any_of_several_files_writes_none_of_them_and_names_its_file(tmp_path: Path) -> None:
    careers = write(tmp_path, "careers.csv", [{"career": "Baker", "notes": ""}])
    ratings = write(tmp_path, "ratings.csv", [{"career": "Baker", "criterion": "Social", "rating": 9}])
    with Store() as store:
        before = everything(store)
        with pytest.raises(ImportProblems) as raised:
            import_several(store, [careers, ratings], "two files")
        assert [(p.sheet, p.row, p.column) for p in raised.value.located] == [("ratings.csv", 2, "rating")]
        assert everything(store) == before and store.imports() == []
        with pytest.raises(InvalidInputError, match="no such file"):
            import_several(store, [careers, tmp_path / "missing.csv"], "two files")
        assert everything(store) == before


# -- criteria added together ------------------------------------------------------------------------------------


def test_new_criteria_go_in_together_after_the_last_each_checked_as_one_is(tmp_path: Path) -> None:
    with Store() as store, store.transaction(touches_ratings=False) as cur:
        added = insert_criteria(
            cur,
            [
                {"name": " Calm ", "dimension": "value", "weight": 2, "description": "quiet", "onet_element": None},
                {"name": "Pace", "dimension": None, "weight": 3, "description": "", "onet_element": "4.C.3.d.1"},
            ],
        )
        rows = cur.execute(
            "SELECT id, name, dimension, weight, position, onet_element FROM criteria WHERE id IN (?, ?) ORDER BY id",
            added,
        ).fetchall()
        assert [row[1:] for row in rows] == [("Calm", "value", 2, 21, None), ("Pace", None, 3, 22, "4.C.3.d.1")]
        assert [row[0] for row in rows] == added
        for wrong, message in (
            ([{"name": "calm", "weight": 1}], "already a criterion called 'calm'"),
            ([{"name": "Tea", "weight": 1}, {"name": "TEA", "weight": 1}], "already a criterion called 'TEA'"),
            ([{"name": "  ", "weight": 1}], "needs a name"),
            ([{"name": "Tea", "weight": 9}], "outside 0-5"),
            ([{"name": "Tea", "dimension": "colour", "weight": 1}], "unknown dimension"),
        ):
            with pytest.raises(InvalidInputError, match=message):
                insert_criteria(cur, wrong)
        assert cur.execute("SELECT count(*) FROM criteria").fetchone() == (22,)


# -- an image copied with its summaries -------------------------------------------------------------------------


def test_a_copied_image_carries_summaries_equal_to_a_rebuild_and_one_without_them_gets_them_rebuilt() -> None:
    with Store() as source, Store() as copy, Store() as partial:
        load_demo(source)
        image = image_of(source, with_import_log=False)
        copy.replace_with(image)
        summaries = ("rating_totals", "career_totals", "rating_patterns", "rating_spreads")
        copied = {table: everything(copy)[table] for table in summaries}
        with copy.transaction(touches_ratings=False) as cur:
            refresh_totals(cur)
        assert {table: everything(copy)[table] for table in summaries} == copied
        partial.replace_with({table: lists for table, lists in image.items() if table not in summaries})
        assert {table: everything(partial)[table] for table in summaries} == copied


def test_a_read_only_store_is_refused_the_demo_and_the_next_store_still_gets_it_right(tmp_path: Path) -> None:
    Store(tmp_path / "shown.duckdb").close()
    forget_demo_image()
    with Store(tmp_path / "shown.duckdb", read_only=True) as shown, pytest.raises(duckdb.Error, match="read-only"):
        load_demo(shown)
    with Store() as store:
        load_demo(store)
        assert everything(store) == demo_imported_file_by_file()
