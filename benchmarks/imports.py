"""Import ratios: a saved workbook against the same ratings as a long CSV, and a wide file against a long one.

Both sides of each ratio are whole ``career-fit import`` processes into a fresh store, timed in the same
run, the two sides alternating (median of five; the load average is printed beside, as the machine may be
shared):

* **workbook round trip**: a store of ``INTERVIEWS`` interviews (each with a contact and four ratings) is
  exported as a workbook and as a ratings CSV; importing the workbook must cost at most 2x the CSV
  (issue 10: interviews and contacts written set-wise, not row by row).
* **wide**: one row with ``WIDE`` criterion columns against ``WIDE`` rows of a long file naming as many
  criteria: the same ratings, so the wide file should cost about what the long one does (issue 14: the
  columns are unpivoted once).

Run by ``make bench`` after the 1M-rating ladder, or alone: ``python benchmarks/imports.py``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from run import CLI, WORK, alternating, compile_package, fresh, row, timed

INTERVIEWS = 10_000
WIDE = 10_000


def workbook_files(folder: Path) -> tuple[Path, Path]:
    """The export of a store with INTERVIEWS interviews, as a workbook and as a long ratings CSV."""
    workbook, ratings = folder / f"saved_{INTERVIEWS}.xlsx", folder / f"saved_{INTERVIEWS}.csv"
    if workbook.exists() and ratings.exists():
        return workbook, ratings
    from analytics.spreadsheets.export import ratings_csv_bytes, workbook_bytes
    from analytics.spreadsheets.ingest import import_bytes
    from analytics.store import Store

    lines = ["career,interviewee,date,criterion,rating"]
    criteria = ("Helping people", "Pay", "Variety", "Independence")
    for n in range(INTERVIEWS):
        for k, criterion in enumerate(criteria):
            day = f"2025-{1 + n % 12:02d}-{1 + n % 28:02d}"
            lines.append(f"Career {n % 200},Person {n},{day},{criterion},{1 + (n + k) % 5}")
    with Store(":memory:") as store:
        import_bytes(store, ("\n".join(lines) + "\n").encode(), "seed.csv")
        workbook.write_bytes(workbook_bytes(store))
        ratings.write_bytes(ratings_csv_bytes(store))
    return workbook, ratings


def wide_files(folder: Path) -> tuple[Path, Path]:
    """WIDE criterion columns in one row, and the same ratings as WIDE rows of a long file."""
    wide, long = folder / f"wide_{WIDE}.csv", folder / f"long_{WIDE}.csv"
    if not wide.exists():
        header = "career," + ",".join(f"Criterion {n}" for n in range(WIDE))
        wide.write_text(header + "\nNurse," + ",".join(str(1 + n % 5) for n in range(WIDE)) + "\n")
    if not long.exists():
        body = "".join(f"Nurse,Criterion {n},{1 + n % 5}\n" for n in range(WIDE))
        long.write_text("career,criterion,rating\n" + body)
    return wide, long


def main() -> None:
    WORK.mkdir(exist_ok=True)
    compile_package()
    db = WORK / "imports.duckdb"
    workbook, ratings = workbook_files(WORK)
    csv_time, workbook_time = alternating(
        5,
        ([CLI, "--db", str(db), "import", str(ratings)], fresh(db)),
        ([CLI, "--db", str(db), "import", str(workbook)], fresh(db)),
    )
    load = ", ".join(f"{figure:.2f}" for figure in os.getloadavg())
    print(row(f"import saved workbook ({INTERVIEWS:,} interviews)", workbook_time, csv_time, 2) + f"   load {load}")
    wide, long = wide_files(WORK)
    long_time = timed([CLI, "--db", str(db), "import", str(long)], 3, fresh(db))
    wide_time = timed([CLI, "--db", str(db), "import", str(wide)], 3, fresh(db))
    print(row(f"import {WIDE:,} criterion columns", wide_time, long_time, 2))


if __name__ == "__main__":
    main()
