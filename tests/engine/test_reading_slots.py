"""However many visitors upload at once, at most a few children read files at a time (each may take the
reader's memory cap): the others wait their turn, and one that finds no turn in time is told so in one line,
with nothing written and nothing held. A large workbook is read in two parts only when two turns are free."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

import pytest

from analytics.errors import BusyError
from analytics.spreadsheets import sandbox
from analytics.spreadsheets.export import workbook_bytes
from analytics.spreadsheets.ingest import import_file
from analytics.store import Store
from tests.support.ingest_fixtures import csv_bytes, snapshot


class CountedSlots:
    """The reading slots, counting how many are taken at once (and at most)."""

    def __init__(self, slots: int) -> None:
        self.free = threading.BoundedSemaphore(slots)
        self.lock = threading.Lock()
        self.taken = self.most = 0

    def acquire(self, blocking: bool = True, timeout: float | None = None) -> bool:
        got = self.free.acquire(blocking, timeout)
        if got:
            with self.lock:
                self.taken += 1
                self.most = max(self.most, self.taken)
        return got

    def release(self) -> None:
        with self.lock:
            self.taken -= 1
        self.free.release()


@pytest.fixture(autouse=True)
def children_read_every_file(monkeypatch: pytest.MonkeyPatch) -> object:
    """Even a small CSV goes to a child (normally read in-process); no child is left over either side."""
    monkeypatch.setattr(sandbox, "IN_PROCESS_CSV_BYTES", 0)
    sandbox._stop_all()
    yield
    sandbox._stop_all()


def slots(monkeypatch: pytest.MonkeyPatch, count: int) -> CountedSlots:
    counted = CountedSlots(count)
    monkeypatch.setattr(sandbox, "_reading_slots", counted)
    return counted


def ratings_csv(folder: Path, person: str) -> Path:
    path = folder / f"{person}.csv"
    rows = [["career", "interviewee", "date", "criterion", "rating"]]
    rows += [["Nurse", person, "2026-01-05", f"Criterion {n}", str(1 + n % 5)] for n in range(40)]
    path.write_bytes(csv_bytes(rows))
    return path


def test_many_files_at_once_are_read_a_slot_at_a_time_and_every_one_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    counted = slots(monkeypatch, 1)
    people = [f"Person {n}" for n in range(5)]
    read: dict[str, int] = {}
    failed: list[BaseException] = []

    def visitor(person: str) -> None:
        try:
            (table,) = sandbox.read_file(ratings_csv(tmp_path, person), f"{person}.csv")
            read[person] = len(table.rows)
        except BaseException as error:  # (reported below: a thread's exception would otherwise be lost)
            failed.append(error)

    threads = [threading.Thread(target=visitor, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert failed == [] and read == dict.fromkeys(people, 40)
    assert counted.most == 1 and counted.taken == 0  # one child read at a time; every slot given back


def test_a_file_that_finds_no_free_slot_in_time_is_refused_in_one_line_and_the_store_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    counted = slots(monkeypatch, 1)
    monkeypatch.setattr(sandbox, "QUEUE_SECONDS", 0.2)
    path = ratings_csv(tmp_path, "Ann")
    with Store() as store:
        before = snapshot(store, with_imports=True)
        assert counted.acquire()  # another visitor's file is being read
        with pytest.raises(BusyError) as raised:  # (an InvalidInputError: shown as one line everywhere)
            import_file(store, path)
        assert str(raised.value) == (
            "Ann.csv: Career Fit is busy reading other files just now (for 0 seconds): try again in a minute"
        )
        assert snapshot(store, with_imports=True) == before
        assert len(sandbox._idle) == 1  # the child that waited in vain is kept for the next file, not killed
        counted.release()  # that file is read: the next try gets its turn
        assert import_file(store, path).new_ratings == 40
        assert counted.taken == 0


def test_a_large_workbook_is_read_in_two_parts_only_when_two_slots_are_free(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store() as saved:
        criteria = [c.id for c in saved.criteria()][:3]
        for n in range(6):
            saved.save_interview(
                f"Career {n % 2}", f"Person {n}", date(2026, 1, 1 + n), ratings={c: 1 + n % 5 for c in criteria}
            )
        path = tmp_path / "saved.xlsx"
        path.write_bytes(workbook_bytes(saved))
    monkeypatch.setattr(sandbox, "PARTS_BYTES", 0)  # every workbook counts as large
    counted = slots(monkeypatch, 2)
    in_parts = sandbox.read_file(path, "saved.xlsx")
    assert counted.most == 2 and counted.taken == 0
    counted.most = 0
    assert counted.acquire()  # one slot taken by another visitor: this workbook is read whole, by one child
    assert sandbox.read_file(path, "saved.xlsx") == in_parts
    assert counted.most == 2 and counted.taken == 1  # (the other visitor's and this one's)
    counted.release()


def test_a_prefetch_without_a_free_slot_leaves_the_reading_to_read_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    counted = slots(monkeypatch, 1)
    path = ratings_csv(tmp_path, "Bo")
    assert counted.acquire()
    sandbox.prefetch(path, "Bo.csv")
    assert sandbox._prefetched == [] and counted.taken == 1  # nothing asked of a child: no slot was free
    counted.release()
    sandbox.prefetch(path, "Bo.csv")  # now a child starts reading at once, holding the slot until collected
    assert len(sandbox._prefetched) == 1 and counted.taken == 1
    assert len(sandbox.read_file(path, "Bo.csv")[0].rows) == 40
    assert sandbox._prefetched == [] and counted.taken == 0
