"""Faults: an import killed half way (kill -9) leaves the store exactly as it was before."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from analytics.beliefs import rank
from analytics.demo import load_demo
from analytics.store import Store


def big_ratings_csv(path: Path, careers: int = 400, interviews: int = 10, criteria: int = 20) -> Path:
    from analytics.profile_defaults import DEFAULT_CRITERIA

    names = [name for name, _, _ in DEFAULT_CRITERIA][:criteria]
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["career", "interviewee", "date", "criterion", "rating"])
        for c in range(careers):
            for i in range(interviews):
                for k, name in enumerate(names):
                    writer.writerow(
                        [f"Killed career {c}", f"Person {i}", f"2026-0{1 + i % 9}-1{i % 9}", name, 1 + (c + i + k) % 5]
                    )
    return path


def state(path: Path) -> tuple:
    with Store(path) as store:
        return (store.counts(), [s.as_json() for s in rank(store)], store.imports())


@pytest.mark.parametrize("delay", [0.3, 0.6, 0.9, 1.2])
def test_an_import_killed_half_way_leaves_the_store_as_it_was(tmp_path, delay) -> None:
    db = tmp_path / "store.duckdb"
    with Store(db) as store:
        load_demo(store)
    before = state(db)
    source = big_ratings_csv(tmp_path / "big.csv")
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "career-fit"), "--db", str(db), "import", str(source)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(delay)
    if process.poll() is None:
        os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=60)
    after = state(db)
    if after != before:
        # killed after its commit (or it finished first): then the import must have landed whole
        assert after[0]["careers"] == before[0]["careers"] + 400
        assert after[0]["ratings"] == before[0]["ratings"] + 400 * 10 * 20
        assert len(after[2]) == len(before[2]) + 1
