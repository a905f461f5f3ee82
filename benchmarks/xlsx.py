"""A 100,000-row long .xlsx: ``career-fit import`` against a plain ``pandas.read_excel`` of the same file.

Both run as whole processes; pandas is timed with its default engine (openpyxl) and with calamine, the
reader Career Fit uses. Run by ``make bench`` after the 1M-rating ladder.
"""

from __future__ import annotations

import sys
from pathlib import Path

import xlsxwriter

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import CLI, PYTHON, WORK, fresh, row, timed

ROWS = 100_000


def generate(path: Path) -> None:
    if path.exists():
        return
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from analytics.profile_defaults import DEFAULT_CRITERIA

    names = [name for name, _, _ in DEFAULT_CRITERIA]
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("ratings")
    sheet.write_row(0, 0, ["career", "interviewee", "date", "criterion", "rating"])
    for n in range(ROWS):
        interview = n // len(names)
        sheet.write_row(
            n + 1,
            0,
            [
                f"Career {interview // 25:03d}",
                f"Person {interview}",
                f"2026-{1 + interview % 12:02d}-{1 + interview % 28:02d}",
                names[n % len(names)],
                1 + (n * 7 + interview) % 5,
            ],
        )
    book.close()


def main() -> None:
    WORK.mkdir(exist_ok=True)
    path = WORK / "ratings_100k.xlsx"
    generate(path)
    db = WORK / "xlsx.duckdb"
    ours = timed([CLI, "--db", str(db), "import", str(path)], 3, fresh(db))
    openpyxl = timed([PYTHON, "-c", "import pandas, sys; pandas.read_excel(sys.argv[1])", str(path)], 3)
    calamine = timed(
        [PYTHON, "-c", "import pandas, sys; pandas.read_excel(sys.argv[1], engine='calamine')", str(path)], 3
    )
    print(row("career-fit import (100k-row .xlsx)", ours, None, None))
    print(row("pandas.read_excel (openpyxl)", openpyxl, None, None))
    print(row("pandas.read_excel (calamine)", calamine, None, None))


if __name__ == "__main__":
    main()
