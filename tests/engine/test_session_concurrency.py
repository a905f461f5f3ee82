"""Load in one process: many session stores at once stay apart and lose nothing; backups taken while
other sessions write are whole, consistent snapshots."""

from __future__ import annotations

import random
import threading
from datetime import date

from analytics.backup import list_backups, make_backup, open_backup, restore_backup
from analytics.beliefs import rank
from analytics.demo import load_demo
from analytics.store import Store

SESSIONS = 8
OPERATIONS_PER_SESSION = 60
WRITERS = 4
INTERVIEWS_PER_WRITER = 40
BACKUPS_DURING_WRITES = 8


def run_all(target, count: int) -> list[BaseException]:
    errors: list[BaseException] = []
    start = threading.Barrier(count)

    def wrapped(number: int) -> None:
        try:
            start.wait()
            target(number)
        except BaseException as error:  # collected and asserted by the caller, never swallowed
            errors.append(error)

    threads = [threading.Thread(target=wrapped, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    return errors


def test_session_stores_used_at_once_stay_apart_and_lose_nothing() -> None:
    stores = [Store(":memory:") for _ in range(SESSIONS)]
    for store in stores:
        load_demo(store)
    demo = stores[0].counts()
    at_backup: list[dict] = [{} for _ in range(SESSIONS)]

    def session(number: int) -> None:
        store, rng = stores[number], random.Random(number)
        criteria = [c.id for c in store.criteria()]
        for op in range(OPERATIONS_PER_SESSION):
            kind = op % 4
            if kind == 0:
                store.save_interview(
                    f"Session {number} career",
                    f"Person {op}",
                    date(2026, 1, 1 + op % 28),
                    ratings={k: rng.randint(1, 5) for k in criteria[:4]},
                )
            elif kind == 1:
                store.save_expectations(f"Session {number} career", {criteria[op % 8]: rng.randint(1, 5)})
            elif kind == 2:
                rank(store)
            elif op % 20 == 3:
                kept = make_backup(store)
                at_backup[number].setdefault(kept.file_name, store.counts())
            else:
                store.interviews()

    assert run_all(session, SESSIONS) == []
    per_session = OPERATIONS_PER_SESSION // 4
    for number, store in enumerate(stores):
        counts = store.counts()
        assert counts["careers"] == demo["careers"] + 1
        assert counts["interviews"] == demo["interviews"] + per_session
        assert counts["ratings"] == demo["ratings"] + per_session * 4
        others = {f"Session {n} career" for n in range(SESSIONS)} - {f"Session {number} career"}
        assert not others & {c.name for c in store.careers()}  # nothing from another session
        kept = list_backups(store)
        assert len(kept) == len(range(3, OPERATIONS_PER_SESSION, 20))
        oldest = kept[-1]
        restore_backup(store, oldest)
        assert store.counts() == at_backup[number][oldest.file_name]


def test_backups_taken_while_sessions_write_are_consistent_snapshots(tmp_path) -> None:
    store = Store(tmp_path / "shared.duckdb")
    criteria = [c.id for c in store.criteria()][:5]
    snapshots: list[int] = []

    def worker(number: int) -> None:
        if number == WRITERS:  # the backup thread
            for _ in range(BACKUPS_DURING_WRITES):
                kept = make_backup(store)
                with open_backup(kept) as copy:
                    counts = copy.counts()
                    assert counts["ratings"] == counts["interviews"] * 5  # never half an interview
                    with copy.cursor() as cur:
                        totals = cur.execute("SELECT coalesce(sum(n), 0) FROM rating_totals").fetchone()[0]
                    assert totals == counts["ratings"] + counts["expectations"]
                    snapshots.append(counts["interviews"])
            return
        for i in range(INTERVIEWS_PER_WRITER):
            store.save_interview(f"Career {number}", f"Person {i}", ratings={k: 1 + (i + k) % 5 for k in criteria})

    assert run_all(worker, WRITERS + 1) == []
    assert store.counts()["interviews"] == WRITERS * INTERVIEWS_PER_WRITER
    assert store.counts()["ratings"] == WRITERS * INTERVIEWS_PER_WRITER * 5
    assert snapshots == sorted(snapshots) and len(snapshots) == BACKUPS_DURING_WRITES
