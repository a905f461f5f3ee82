"""The entry path (AppTest in a fresh interpreter): app.py and the Overview load only what the first page needs.

The first paint of the app (benchmarks/first_paint.py) is Streamlit's own start plus what the Overview imports
and computes; pandas, scikit-learn, the spreadsheet readers and writers, the O*NET data, the backups and
the investigate-next model belong to the pages and actions that use them, and load there.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Loaded by the Overview of a store that already has its data: a fresh interpreter reports what app.py added.
PROBE = """
import json, sys
import streamlit
from streamlit.testing.v1 import AppTest
before = set(sys.modules)
at = AppTest.from_file(sys.argv[1], default_timeout=60).run()
assert not at.exception, [e.message for e in at.exception]
print(json.dumps({"titles": [t.value for t in at.title], "new": sorted(set(sys.modules) - before)}))
"""
NOT_ON_THE_FIRST_PAGE = (
    "pandas",
    "sklearn",
    "scipy",
    "pyarrow",
    "python_calamine",
    "xlsxwriter",
    "openpyxl",
    "analytics.spreadsheets",
    "analytics.backup",
    "analytics.recommend",
    "analytics.onet",
    "analytics.demo",
    "analytics.beliefs.detail",
    "pages.sections.prepare",
    "pages.sections.contacts",
    "pages.sections.quick_start",
)


def test_the_overview_of_a_store_with_data_loads_no_page_specific_library(app_db: Path) -> None:
    environment = {**os.environ, "CAREER_FIT_DB": str(app_db), "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(ROOT / "app.py")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=environment,
        timeout=240,
        check=True,
    )
    run = json.loads(result.stdout.strip().splitlines()[-1])
    assert run["titles"] == ["Career Fit"]  # the Overview was drawn
    new = run["new"]
    assert "analytics.beliefs.ranking" in new and "analytics.store" in new  # it ranked from the store
    loaded = sorted(m for m in new if m.split(".")[0] in NOT_ON_THE_FIRST_PAGE or m.startswith(NOT_ON_THE_FIRST_PAGE))
    assert loaded == []
