"""Many sessions of one app process share a store: no "connection is busy", no lost write."""

from __future__ import annotations

import random
import threading
from collections import Counter

from analytics.beliefs import rank
from analytics.store import Store

THREADS = 8
OPERATIONS_PER_THREAD = 60


def test_threads_hammering_one_local_store_lose_nothing(tmp_path) -> None:
    store = Store(tmp_path / "shared.duckdb")
    criteria = [c.id for c in store.criteria()]
    errors: list[BaseException] = []
    written: Counter[str] = Counter()
    lock = threading.Lock()
    start = threading.Barrier(THREADS)

    def session(number: int) -> None:
        rng = random.Random(number)
        try:
            start.wait()
            for op in range(OPERATIONS_PER_THREAD):
                kind = op % 4
                if kind == 0:
                    store.save_interview(
                        f"Career {number}", f"Person {op}", ratings={k: rng.randint(1, 5) for k in criteria[:5]}
                    )
                    with lock:
                        written["interviews"] += 1
                elif kind == 1:
                    store.save_expectations(f"Career {number}", {criteria[op % len(criteria)]: rng.randint(1, 5)})
                elif kind == 2:
                    rank(store)
                else:
                    store.counts()
                    store.interviews()
        except BaseException as error:  # collected and asserted below, never swallowed
            errors.append(error)

    threads = [threading.Thread(target=session, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)

    assert errors == []
    counts = store.counts()
    assert counts["careers"] == THREADS
    assert counts["interviews"] == written["interviews"] == THREADS * OPERATIONS_PER_THREAD // 4
    assert counts["ratings"] == written["interviews"] * 5
    # expectations: each thread wrote criteria (op % 20) for op = 1, 5, 9, ... -> distinct criteria per career
    per_thread = len({criteria[op % len(criteria)] for op in range(1, OPERATIONS_PER_THREAD, 4)})
    assert counts["expectations"] == THREADS * per_thread
    store.close()
    with Store(tmp_path / "shared.duckdb") as reopened:
        assert reopened.counts() == counts
