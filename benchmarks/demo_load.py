"""Loading the bundled demo into a new store, against DuckDB reading the same five CSV files into tables.

The demo loads on every new visitor's first run (and in session mode on every visit), so it must stay a set
of bulk writes, never record by record (that took 1.4 s). Cold: the first load in a process, through the
importer (its five files as one import into a scratch store attached beside the target, then copied in); warm:
a later load, a copy of the imported demo kept in memory. Both sides run in this process on an in-memory
database created untimed; the median of ``--runs`` runs. Run by ``make bench``.

Cold is some 100 DuckDB statements (about 56 of them the importer's own: staging and checking the ratings,
writing five sheets, refreshing the summaries), against the floor's five: each costs well under a
millisecond, but together they are most of the time.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from run import row

from analytics.demo import DEMO_DATA, forget_demo_image, load_demo
from analytics.store import Store

TABLES = ("criteria", "careers", "contacts", "interviews", "ratings")
GOAL = 3.0  # the set-based loader it replaced measured 0.74x this floor; record by record (1.4 s) was about 40x


def new_store_cold() -> Store:
    """A new store, with the imported demo forgotten: the next load goes through the importer again."""
    forget_demo_image()
    return Store()


def median_seconds(prepare: Callable[[], object], work: Callable[[object], object], runs: int) -> float:
    """Median wall time of ``work(prepare())``; ``prepare`` (and closing what it made) is untimed."""
    times = []
    for _ in range(runs):
        target = prepare()
        started = time.perf_counter()
        work(target)
        times.append(time.perf_counter() - started)
        target.close()  # type: ignore[attr-defined]
    return statistics.median(times)


def floor_load(con: duckdb.DuckDBPyConnection) -> None:
    for table in TABLES:
        path = str(DEMO_DATA.joinpath(f"{table}.csv"))
        con.execute(f"CREATE TABLE {table} AS SELECT * FROM read_csv(?, header = true)", [path])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    median_seconds(Store, load_demo, 1)  # warm-up: imports and DuckDB's first-use costs
    cold = median_seconds(new_store_cold, load_demo, args.runs)
    warm = median_seconds(Store, load_demo, args.runs)
    floor = median_seconds(duckdb.connect, floor_load, args.runs)
    print(row("load the demo, cold (importer)", cold, floor, GOAL))
    print(row("load the demo, warm (a copy)", warm, floor, GOAL))


if __name__ == "__main__":
    main()
