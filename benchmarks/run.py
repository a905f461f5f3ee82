"""The scale ladder: whole ``career-fit`` processes against bare-DuckDB floors measured in the same run.

Generates 1,000,000 ratings (2,000 careers x 25 interviews x 20 criteria) once into benchmarks/work/,
then times, as separate processes run in turn (:func:`alternating`), each command and the process that only
does the DuckDB part of its job. Reports medians and the ratios; the goals come from the issues. Run with
``make bench``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import duckdb

HERE = Path(__file__).resolve().parent
WORK = HERE / "work"
PYTHON = sys.executable
CLI = str(Path(PYTHON).parent / "career-fit")
CAREERS, INTERVIEWS, CRITERIA = 2_000, 25, 20


def generate_csv(path: Path) -> None:
    """A long ratings CSV with the default criteria names, so every rating lands in a dimension."""
    if path.exists():
        return
    sys.path.insert(0, str(HERE.parent))
    from analytics.profile_defaults import DEFAULT_CRITERIA

    names = [name for name, _, _ in DEFAULT_CRITERIA][:CRITERIA]
    con = duckdb.connect()
    con.execute("CREATE TABLE names AS SELECT unnest(?) AS criterion, generate_subscripts(?, 1) AS k", [names, names])
    con.execute(
        f"""
        COPY (
            SELECT 'Career ' || lpad(c::VARCHAR, 4, '0') AS career,
                   'Person ' || c::VARCHAR || '-' || i::VARCHAR AS interviewee,
                   (DATE '2025-01-01' + INTERVAL (i * 7) DAY)::DATE AS date,
                   n.criterion,
                   1 + (hash(c, i, n.k) % 5) AS rating
            FROM range({CAREERS}) r1(c), range({INTERVIEWS}) r2(i), names n
            ORDER BY c, i, n.k
        ) TO '{path}' (HEADER, DELIMITER ',')
        """
    )


def compile_package() -> None:
    """Byte-compile the package once, as ``pip install`` does, so that the timed processes load cached bytecode
    like an installed Career Fit (with PYTHONDONTWRITEBYTECODE set, each would otherwise compile every module
    it imports from source, a cost no installed copy pays). The floors import only DuckDB, already compiled."""
    import compileall

    compileall.compile_dir(str(HERE.parent / "analytics"), quiet=1)


def timed(command: list[str], runs: int, prepare=None) -> float:
    """Median wall time of ``runs`` runs of a whole process; ``prepare`` runs untimed before each."""
    times = []
    for _ in range(runs):
        if prepare:
            prepare()
        start = time.perf_counter()
        result = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        elapsed = time.perf_counter() - start
        if result.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed: {result.stderr.strip()}")
        times.append(elapsed)
    return statistics.median(times)


def alternating(runs: int, *sides: tuple[list[str], Callable[[], None] | None]) -> list[float]:
    """The median wall time of each side's command (a whole process), the sides run in turn ``runs`` times so
    that a change of load on a shared machine falls on every side alike; a side's ``prepare`` (or None) runs
    untimed before each of its runs."""
    times: list[list[float]] = [[] for _ in sides]
    for _ in range(runs):
        for (command, prepare), taken in zip(sides, times, strict=True):
            taken.append(timed(command, 1, prepare))
    return [statistics.median(taken) for taken in times]


def fresh(path: Path):
    def remove() -> None:
        for candidate in (path, Path(f"{path}.wal")):
            candidate.unlink(missing_ok=True)

    return remove


def row(name: str, seconds: float, floor: float | None, goal: float | None) -> str:
    if floor is None:
        return f"{name:<34} {seconds:8.3f} s"
    ratio = seconds / floor
    verdict = "" if goal is None else ("  ok" if ratio <= goal else f"  OVER goal {goal:g}x")
    return f"{name:<34} {seconds:8.3f} s   floor {floor:6.3f} s   ratio {ratio:5.2f}x{verdict}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-pages", action="store_true", help="skip the app page timings")
    args = parser.parse_args()
    WORK.mkdir(exist_ok=True)
    compile_package()
    csv_path = WORK / "ratings_1m.csv"
    generate_csv(csv_path)
    import_db, floor_db, store_db = WORK / "import.duckdb", WORK / "floor.duckdb", WORK / "store.duckdb"
    print(
        f"data: {csv_path.stat().st_size / 1e6:.0f} MB CSV, {CAREERS * INTERVIEWS * CRITERIA:,} ratings; "
        f"median of {args.runs} runs; {os.cpu_count()} cores"
    )

    floor_read = (
        "import duckdb, sys; duckdb.connect(sys.argv[1]).execute('CREATE TABLE t AS SELECT * FROM read_csv(?)',"
        " [sys.argv[2]])"
    )
    floor_import, cli_import = alternating(
        args.runs,
        ([PYTHON, "-c", floor_read, str(floor_db), str(csv_path)], fresh(floor_db)),
        ([CLI, "--db", str(import_db), "import", str(csv_path)], fresh(import_db)),
    )
    print(row("career-fit import (1M ratings)", cli_import, floor_import, 3))

    if store_db.exists():
        store_db.unlink()
    shutil.copy(import_db, store_db)
    aggregate = (
        "import duckdb, sys; con = duckdb.connect(sys.argv[1], read_only=True); "
        "con.execute('SELECT career_id, criterion_id, source, count(*), avg(value), var_samp(value) "
        "FROM ratings GROUP BY ALL').fetchall()"
    )
    floor_aggregate, cli_rank, cli_next = alternating(
        args.runs,
        ([PYTHON, "-c", aggregate, str(store_db)], None),
        ([CLI, "--db", str(store_db), "rank", "--json"], None),
        ([CLI, "--db", str(store_db), "next", "--json"], None),
    )
    print(row("career-fit rank --json", cli_rank, floor_aggregate, 1.5))
    print(row("career-fit next --json", cli_next, floor_aggregate, 3))

    subprocess.run([PYTHON, str(HERE / "demo_load.py")], check=False)
    subprocess.run([PYTHON, str(HERE / "onet.py"), "--runs", str(args.runs)], check=False)
    imports = HERE / "imports.py"
    if imports.exists():
        subprocess.run([PYTHON, str(imports)], check=False)
    xlsx = HERE / "xlsx.py"
    if xlsx.exists():
        subprocess.run([PYTHON, str(xlsx)], check=False)
    write = HERE / "write.py"
    if write.exists():
        subprocess.run([PYTHON, str(write), "--runs", str(max(args.runs, 5))], check=False)
    pages = HERE / "pages.py"
    if pages.exists() and not args.skip_pages:
        subprocess.run([PYTHON, str(pages)], check=False)
        # against a bare Streamlit app, and against the same first page replayed with none of the app's work
        subprocess.run([PYTHON, str(HERE / "first_paint.py"), "--replay"], check=False)
    # the band's calibration and the next-pick policy table, in simulated worlds with a known truth
    subprocess.run([PYTHON, str(HERE / "calibration.py")], check=False)


if __name__ == "__main__":
    main()
