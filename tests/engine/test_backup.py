"""Backups: kept before every destructive action, listed, restored exactly (the restore itself backed up),
in a folder next to a file store or in memory next to a session's store."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from analytics import backup as backups_module
from analytics.backup import (
    KEEP_BACKUPS,
    KEEP_MEMORY_BACKUPS,
    Backup,
    backup_workbook,
    backups,
    list_backups,
    make_backup,
    reload_demo,
    replace_from_workbook,
    restore_backup,
    start_empty,
)
from analytics.beliefs import rank
from analytics.demo import load_demo
from analytics.errors import InvalidInputError, StoreError
from analytics.spreadsheets.export import workbook_bytes
from analytics.spreadsheets.ingest import import_bytes
from analytics.store import Store
from tests.support.store_fixtures import write_first_schema_store


def state(store: Store) -> tuple:
    """Everything a user could see: counts, the ranking, every record, the history, the settings."""
    with store.cursor() as cur:
        settings = dict(
            cur.execute(
                "SELECT key, value FROM settings WHERE key NOT LIKE '%first_run%' AND key <> 'welcome_pending'"
            ).fetchall()
        )
    return (
        store.counts(),
        [s.as_json() for s in rank(store)],
        store.criteria(),
        store.careers(),
        store.contacts(),
        store.interviews(),
        [{k: v for k, v in row.items() if k != "id"} for row in store.imports()],
        settings,
    )


def rich_store(store: Store) -> Store:
    """The demo plus an import, a pitch and one more career, so a restore has everything to get right."""
    load_demo(store)
    import_bytes(store, b"career,interviewee,date,criterion,rating\nPark Ranger,Ann,2026-09-01,Social,5\n", "p.csv")
    store.set_setting("pitch", "I study psychology")
    store.add_career("Zoo Keeper", notes="=1+1 <b>")
    return store


@pytest.fixture(params=["file", "memory"])
def store(request, tmp_path: Path):
    made = Store(tmp_path / "career-fit.duckdb") if request.param == "file" else Store(":memory:")
    yield made
    made.close()


def test_start_empty_keeps_a_backup_that_restores_exactly_and_the_restore_is_backed_up(store: Store) -> None:
    rich_store(store)
    before = state(store)
    kept = start_empty(store)
    assert store.counts()["careers"] == 0
    assert [b.reason for b in list_backups(store)] == ["start-empty"]
    store.add_career("Started over")
    after_reset = state(store)

    safety = restore_backup(store, kept)
    assert state(store) == before
    assert safety.reason == "restore"
    assert [b.reason for b in list_backups(store)] == ["restore", "start-empty"]
    # new rows after a restore never collide with restored ids
    new_id = store.add_career("After the restore")
    assert new_id > max(c.id for c in store.careers() if c.name != "After the restore")
    store.delete_career(new_id)

    restore_backup(store, safety)  # and the restore can itself be undone
    assert state(store) == after_reset


def test_memory_backups_belong_to_their_own_store(tmp_path: Path) -> None:
    first, second = Store(":memory:"), Store(":memory:")
    load_demo(first)
    start_empty(first)
    assert len(list_backups(first)) == 1 and list_backups(second) == []
    assert backups(first) == []  # no files for a store in memory
    assert not list(tmp_path.iterdir())
    [kept] = list_backups(first)
    assert kept.path is None and kept.image and kept.size == len(kept.image)
    for _ in range(KEEP_MEMORY_BACKUPS + 3):
        make_backup(first)
    assert len(list_backups(first)) == KEEP_MEMORY_BACKUPS
    names = [b.file_name for b in list_backups(first)]
    assert len(set(names)) == len(names)  # each backup has a name of its own, even within one second


def test_file_backups_sit_next_to_the_store_newest_first_and_are_pruned(tmp_path: Path) -> None:
    store = Store(tmp_path / "career-fit.duckdb")
    moments = [datetime(2026, 1, 1, 12, 0, second) for second in range(KEEP_BACKUPS + 2)]
    for moment in moments:
        make_backup(store, "manual", now=moment)
    make_backup(store, "demo", now=moments[-1])  # the same second: a name of its own
    kept = list_backups(store)
    assert len(kept) == KEEP_BACKUPS
    assert kept[0].reason == "demo" and kept[0].number == 2 and kept[0].created == moments[-1]
    # ...and a label and a workbook name of its own, so the Data page's picker never lists two alike
    assert kept[0].label == "01 Jan 2026, 12:00:21 (2), before loading the demo data"
    assert kept[1].label == "01 Jan 2026, 12:00:21, kept on request"
    assert kept[0].workbook_name == "career-fit-backup-20260101-120021-2.xlsx" != kept[1].workbook_name
    assert all(b.path.parent == tmp_path / "backups" for b in kept)
    with Store(kept[0].path) as copy:  # a backup is a store Career Fit opens like any other
        assert copy.counts() == store.counts()
    (tmp_path / "backups" / "career-fit-notes.duckdb").write_bytes(b"")  # not a backup: left alone, not listed
    assert len(list_backups(store)) == KEEP_BACKUPS


def test_reload_demo_and_every_backup_downloads_as_a_workbook_that_imports_back(store: Store) -> None:
    store.add_career("Mine")
    kept = reload_demo(store)
    assert store.counts()["careers"] == 9
    fresh = Store(":memory:")
    import_bytes(fresh, backup_workbook(kept), kept.workbook_name)
    assert [c.name for c in fresh.careers()] == ["Mine"]


def test_replacing_from_a_workbook_makes_the_store_exactly_the_workbook(store: Store) -> None:
    saved = Store(":memory:")
    saved.save_interview("Harbour Pilot", "Ann", date(2026, 3, 1), ratings={saved.criteria()[0].id: 5})
    workbook = workbook_bytes(saved)
    rich_store(store)
    before = state(store)

    kept, report = replace_from_workbook(store, workbook, "mine.xlsx")
    assert report.kind == "workbook"
    assert [c.name for c in store.careers()] == ["Harbour Pilot"]  # the demo careers are gone, not merged
    assert store.counts()["ratings"] == 1 and store.criteria() == saved.criteria()
    assert kept.reason == "workbook"
    restore_backup(store, kept)
    assert state(store) == before


def test_a_bad_workbook_replaces_nothing_and_keeps_no_backup(store: Store) -> None:
    rich_store(store)
    before = state(store)
    for data, name in (
        (b"career,criterion,rating\nX,Social,9\n", "bad.csv"),  # a problem
        (b"career,criterion,rating\nX,Social,3\n", "ratings.csv"),  # fine, but not a workbook
        (b"PK\x03\x04 not really a zip", "broken.xlsx"),
    ):
        with pytest.raises(InvalidInputError):
            replace_from_workbook(store, data, name)
        assert state(store) == before
    assert list_backups(store) == []


def test_a_damaged_or_vanished_backup_changes_nothing(store: Store, tmp_path: Path) -> None:
    rich_store(store)
    kept = make_backup(store)
    store.add_career("After")
    before = state(store)
    if kept.path is not None:
        kept.path.write_bytes(b"this is not a database")
    broken = Backup(kept.created, "manual", path=kept.path, image=b"garbage" if kept.image else None)
    with pytest.raises(StoreError):
        restore_backup(store, broken)
    missing = Backup(kept.created, "manual", path=tmp_path / "gone.duckdb")
    with pytest.raises(StoreError, match="no longer there"):
        restore_backup(store, missing)
    assert state(store) == before
    assert len(list_backups(store)) == 1  # no safety backup for a restore that could not start


def test_a_backup_written_by_the_first_schema_is_migrated_on_restore(tmp_path: Path) -> None:
    old = tmp_path / "backups" / "career-fit-20250101-090000-manual.duckdb"
    old.parent.mkdir()
    write_first_schema_store(old, date(2025, 1, 1))
    store = Store(tmp_path / "career-fit.duckdb")
    [listed] = list_backups(store)
    assert listed.path == old and listed.reason == "manual"
    restore_backup(store, listed)
    assert [c.name for c in store.careers()] == ["Nurse"]
    [score] = rank(store)
    assert score.evidence_fit == 75.0
    assert old.read_bytes()[:4] != b""  # the backup file itself is untouched (still there, still version 1)
    con = duckdb.connect(str(old), read_only=True)
    assert con.execute("SELECT max(version) FROM schema_version").fetchone()[0] == 1
    con.close()


def test_unknown_reasons_are_refused() -> None:
    with pytest.raises(ValueError):
        make_backup(Store(":memory:"), "whim")
    assert set(backups_module.REASONS) >= {"start-empty", "demo", "workbook", "import", "restore", "manual"}
