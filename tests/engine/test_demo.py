"""The demo loads through the importer: its files obey the rules of a user's file, and a load replaces everything.

(Its load time is measured by ``make bench``, not here.)
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from analytics.demo import load_demo
from analytics.errors import InvalidInputError
from analytics.spreadsheets.ingest import import_bytes
from analytics.store import Store
from tests.support.store_fixtures import csv_of

DEMO_COUNTS = {"criteria": 20, "careers": 9, "contacts": 18, "interviews": 18, "ratings": 251, "expectations": 74}
TABLES = ("criteria", "careers", "contacts", "interviews", "ratings", "settings", "rating_totals", "career_totals")


def contents(store: Store) -> dict[str, list[tuple[object, ...]]]:
    with store.cursor() as cur:
        return {table: sorted(cur.execute(f"SELECT * FROM {table}").fetchall(), key=repr) for table in TABLES}


def test_the_demo_loads_its_files_whole() -> None:
    with Store() as store:
        load_demo(store)
        assert store.counts() == DEMO_COUNTS
        assert store.dimension_weights() == {"interest": 1.0, "skill": 1.0, "value": 1.0}
        assert store.get_setting("demo_loaded") is True
        maya = next(i for i in store.interviews() if i.interviewee == "Maya Lindqvist")
        assert (maya.career, maya.held_on, maya.stage) == ("UX Researcher", date(2026, 8, 20), "thanked")
        assert maya.scheduled_for == datetime(2026, 8, 20, 10, 0) and maya.thanked_on == date(2026, 8, 20)
        assert maya.contact_id is not None and maya.ratings > 0
        investigative = next(c for c in store.criteria() if c.name == "Investigative")
        assert (investigative.dimension, investigative.weight, investigative.position) == ("interest", 5.0, 2)


def test_the_demo_replaces_a_users_data_but_keeps_the_import_log(tmp_path: Path) -> None:
    with Store(tmp_path / "mine.duckdb") as store:
        import_bytes(store, csv_of([{"career": "Baker", "criterion": "Social", "rating": 2}]), "mine.csv")
        store.save_contact("Zed Zimmer")
        store.set_setting("pitch", "hello")
        load_demo(store)
        assert store.counts() == DEMO_COUNTS
        assert "Baker" not in {c.name for c in store.careers()}
        assert "Zed Zimmer" not in {c.name for c in store.contacts()}
        assert store.get_setting("pitch") is None
        assert [row["file_name"] for row in store.imports()] == ["mine.csv"]
        # the sequences moved past the demo's ids: new rows never collide with them
        new_id = store.add_career("Potter")
        assert new_id > max(c.id for c in store.careers() if c.name != "Potter")


def test_loading_the_demo_again_gives_the_same_store() -> None:
    with Store() as once, Store() as twice:
        load_demo(once)
        load_demo(twice)
        twice.save_interview("Data Scientist", "New Person", date(2026, 9, 1), ratings={1: 4})
        load_demo(twice)
        assert contents(once) == contents(twice)


@pytest.mark.parametrize(
    ("name", "rows", "message"),
    [
        ("criteria.csv", [{"criterion": "Calm", "dimension": "value", "weight": 9}], "weight"),
        ("criteria.csv", [{"criterion": "Calm", "dimension": "colour", "weight": 2}], "dimension"),
        ("interviews.csv", [{"career": "C", "interviewee": "A", "date": "2026-01-01", "stage": "won"}], "stage"),
        ("interviews.csv", [{"career": "C", "interviewee": "A", "date": "soon", "stage": "completed"}], "date"),
        ("ratings.csv", [{"career": "C", "interviewee": "A", "criterion": "Social", "rating": 7}], "outside the 1"),
    ],
)
def test_a_wrong_row_in_a_file_changes_nothing(name: str, rows: list[dict[str, object]], message: str) -> None:
    """The checks the demo's own load once repeated now live once, in the importer and the store's writes."""
    with Store() as store:
        load_demo(store)
        before = contents(store)
        with pytest.raises(InvalidInputError, match=message):
            import_bytes(store, csv_of(rows), name)
        assert contents(store) == before
