"""How fast the app's pages run on a big personal store, and how soon the app paints in a browser.

    .venv/bin/python benchmarks/pages.py [--runs 7] [--skip-browser]

Builds (once, into benchmarks/work/) a store of 200 careers, 2,000 interviews and 30 criteria (about 45,000
interview ratings plus expectations for a quarter of the careers), then reports:

* the median script run of every page (and every Interviews tab) through Streamlit's AppTest, after one
  warm-up run; goal <= 300 ms;
* the time from ``streamlit run`` to the first page painted in headless Chromium; goal <= 3 s;
* on a store of 1,000,000 ratings (2,000 careers x 25 interviews x 20 criteria, imported once from the scale
  ladder's CSV; alone with ``--overview-1m``), each *cold* (the first run after a change to the data) and *warm*
  (a later run, nothing changed), alternately:

  - the Overview's script run; cold recomputes the ranking and reminders; goal <= 100 ms;
  - investigate-next in the app (the Explore next page's script run), which caches the list per data version;
  - ``career-fit next --json`` as a whole process. A process keeps no cache between runs, so its cold and
    warm runs do the same work; the difference is what the operating system and DuckDB's file still hold.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / "work"
sys.path.insert(0, str(ROOT))
sys.path.append(str(HERE))  # for run.py (after ROOT: the app's pages package must win over pages.py)

from analytics.store import Store  # noqa: E402

CAREERS, INTERVIEWS_PER_CAREER, CRITERIA = 200, 10, 30
PAGE_GOAL_MS, PAINT_GOAL_S, OVERVIEW_1M_GOAL_MS = 300, 3.0, 100
STORE_VERSION = 1  # bump when the generated store changes shape


def build_store(path: Path) -> None:
    """The benchmark store: deterministic, written in a few bulk transactions."""
    stamp = path.with_suffix(".version")
    if path.exists() and stamp.exists() and stamp.read_text() == str(STORE_VERSION):
        return
    for old in (path, Path(f"{path}.wal"), stamp):
        old.unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    rng = random.Random(20261122)
    with Store(path) as store:
        criteria = store.criteria()
        dimensions = ("interest", "skill", "value")
        rows = [
            {
                "id": c.id,
                "name": c.name,
                "dimension": c.dimension,
                "weight": rng.choice([1, 2, 3, 4, 5]),
                "description": c.description,
            }
            for c in criteria
        ]
        for number in range(len(rows), CRITERIA):
            rows.append(
                {
                    "id": None,
                    "name": f"Extra criterion {number + 1}",
                    "dimension": dimensions[number % 3],
                    "weight": rng.choice([0, 1, 2, 3, 4, 5]),
                    "description": "An extra criterion.",
                }
            )
        store.save_criteria(rows)
        names = [c.name for c in store.criteria()]
        ratings = []
        for career in range(CAREERS):
            profile = {name: rng.uniform(1, 5) for name in names}
            for interview in range(INTERVIEWS_PER_CAREER):
                person = f"Person {career + 1:03d}-{interview + 1:02d}"
                held_on = date(2025, 1, 6) + timedelta(days=7 * interview + career % 7)
                for name in names:
                    if rng.random() < 0.75:
                        value = min(5, max(1, round(profile[name] + rng.gauss(0, 0.8))))
                        ratings.append((f"Career {career + 1:03d}", person, held_on, name, value))
        store.add_interview_ratings_bulk(ratings)
        ids = {c.name: c.id for c in store.criteria()}
        for career in store.careers()[: CAREERS // 4]:
            store.save_expectations(career.id, {ids[n]: rng.choice([2, 3, 4, 5]) for n in names[::2]})
        store.set_setting("first_run_done", True)
        counts = store.counts()
    stamp.write_text(str(STORE_VERSION))
    print(
        f"built {path.name}: {counts['careers']} careers, {counts['interviews']:,} interviews, "
        f"{counts['criteria']} criteria, {counts['ratings']:,} ratings, {counts['expectations']} expectations "
        f"in {time.perf_counter() - started:.1f} s"
    )


def page_times(path: Path, runs: int) -> list[tuple[str, float, float]]:
    """(page, first run ms, median ms of ``runs`` further runs) for every page and Interviews tab."""
    from streamlit.testing.v1 import AppTest

    os.environ["CAREER_FIT_DB"] = str(path)
    with Store(path) as store:
        first_career = store.careers()[0].name
    cases: list[tuple[str, str, dict[str, object]]] = [
        ("Overview", "overview", {}),
        ("My profile", "profile", {}),
        ("Interviews: Log & rate", "interviews", {}),
        ("Interviews: Log & rate, a career", "interviews", {"log_career": first_career}),
        (
            "Interviews: Expectations, a career",
            "interviews",
            {"interviews_tab": "Expectations", "exp_career": first_career},
        ),
        ("Interviews: Pipeline", "interviews", {"interviews_tab": "Pipeline"}),
        ("Interviews: Prepare", "interviews", {"interviews_tab": "Prepare"}),
        ("Interviews: Contacts", "interviews", {"interviews_tab": "Contacts"}),
        ("Career fit", "career_fit", {}),
        ("Explore next", "explore", {}),
        ("Data", "data", {}),
    ]
    results = []
    for label, page, state in cases:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        for key, value in state.items():
            at.session_state[key] = value
        at.switch_page(f"pages/{page}.py")
        start = time.perf_counter()
        at.run()
        first = time.perf_counter() - start
        if at.exception:
            raise SystemExit(f"{label}: {at.exception[0].message}")
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            at.run()
            times.append(time.perf_counter() - start)
        results.append((label, first * 1000, statistics.median(times) * 1000))
    return results


BARE_APP = """import streamlit as st
st.title("Career Fit")
st.subheader("Top careers")
"""


def first_paint(path: Path, runs: int, app: Path = ROOT / "app.py") -> list[tuple[float, float]]:
    """Seconds from ``streamlit run`` to the Overview's title painted, and to the whole page drawn."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from playwright.sync_api import sync_playwright
    from screenshots import CHROMIUM, CHROMIUM_ARGS, IDLE, free_port, start_app, stop_app

    times = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for _ in range(runs):
            port = free_port()
            page = browser.new_page()
            started = time.perf_counter()
            process = start_app(path, port, watch_files=True, app=app)  # as `make run` starts it
            try:
                page.goto(f"http://localhost:{port}/")
                page.locator("[data-testid='stMain'] h1").first.wait_for(timeout=60_000)
                title = time.perf_counter() - started
                page.get_by_text("Top careers", exact=True).first.wait_for(timeout=60_000)
                page.wait_for_selector(IDLE, timeout=60_000)
                times.append((title, time.perf_counter() - started))
            finally:
                page.close()
                stop_app(process)
        browser.close()
    return times


def store_at_1m() -> Path:
    """The store of 1,000,000 ratings, imported once by Career Fit itself (reused by later runs)."""
    import subprocess

    from run import CLI, generate_csv

    path = WORK / "overview-1m.duckdb"
    if not path.exists():
        csv_path = WORK / "ratings_1m.csv"
        WORK.mkdir(exist_ok=True)
        generate_csv(csv_path)
        subprocess.run([CLI, "--db", str(path), "import", str(csv_path)], check=True, stdout=subprocess.DEVNULL)
        with Store(path) as store:
            store.set_setting("first_run_done", True)
    return path


def page_at_1m(page: str, runs: int) -> tuple[float, float]:
    """(warm median ms, cold median ms) of one page's script run on the store of 1,000,000 ratings; each cold
    run follows a change to the data (a new interview with a rating), which every cached read must see."""
    import shutil

    from run import fresh
    from streamlit.testing.v1 import AppTest

    scratch = WORK / f"{page}-1m-scratch.duckdb"  # a copy: the changes never reach the base store
    fresh(scratch)()
    shutil.copyfile(store_at_1m(), scratch)
    os.environ["CAREER_FIT_DB"] = str(scratch)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.switch_page(f"pages/{page}.py")
    at.run()
    if at.exception:
        raise SystemExit(f"{page} at 1M: {at.exception[0].message}")
    store = at.session_state["career_fit_store"]
    criterion = store.criteria()[0].id
    warm, cold = [], []
    for number in range(runs):
        start = time.perf_counter()
        at.run()
        warm.append(time.perf_counter() - start)
        store.save_interview(  # a change to the data: every cached read is stale, the ranking moves
            "Career 0007", f"Benchmark {page} {number}", date(2026, 6, 1), ratings={criterion: 1 + number % 5}
        )
        start = time.perf_counter()
        at.run()
        cold.append(time.perf_counter() - start)
        if at.exception:
            raise SystemExit(f"{page} at 1M: {at.exception[0].message}")
    return statistics.median(warm) * 1000, statistics.median(cold) * 1000


def overview_at_1m(runs: int) -> tuple[float, float]:
    """(warm median ms, cold median ms) of the Overview's script run on a store of 1,000,000 ratings."""
    return page_at_1m("overview", runs)


def next_cli_at_1m(runs: int) -> tuple[float, float]:
    """(warm median ms, cold median ms) of ``career-fit next --json`` as a whole process on a copy of the store
    of 1,000,000 ratings: cold right after another process saved an interview, warm run again just after."""
    import shutil
    import subprocess

    from run import CLI, fresh

    copy = WORK / "next-1m.duckdb"
    fresh(copy)()
    shutil.copyfile(store_at_1m(), copy)
    command = [CLI, "--db", str(copy), "next", "--json"]
    change = (
        "import sys; from datetime import date; from analytics.store import Store\n"
        "with Store(sys.argv[1]) as store:\n"
        "    store.save_interview('Career 0007', sys.argv[2], date(2026, 6, 1),"
        " ratings={store.criteria()[0].id: 1 + int(sys.argv[3]) % 5})\n"
    )
    warm, cold = [], []
    try:
        for number in range(runs):
            label = f"Benchmark next {number}"
            subprocess.run([sys.executable, "-c", change, str(copy), label, str(number)], check=True)
            for times in (cold, warm):
                start = time.perf_counter()
                subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
                times.append(time.perf_counter() - start)
    finally:
        fresh(copy)()
    return statistics.median(warm) * 1000, statistics.median(cold) * 1000


def report_1m(runs: int) -> None:
    """The Overview and investigate-next on 1,000,000 ratings, warm and cold."""
    print(f"\non 1,000,000 ratings (median of {runs}; cold: the first run after a change to the data)")
    print(f"{'what':<44} {'warm':>8} {'cold':>8}")
    cli = next_cli_at_1m(runs)  # first: the pages below keep their stores open in this process
    warm, cold = overview_at_1m(runs)
    verdict = "ok" if max(warm, cold) <= OVERVIEW_1M_GOAL_MS else "OVER"
    print(f"{'Overview script run':<44} {warm:5.0f} ms {cold:5.0f} ms  goal {OVERVIEW_1M_GOAL_MS} ms: {verdict}")
    warm, cold = page_at_1m("explore", runs)
    print(f"{'Explore next script run (investigate-next)':<44} {warm:5.0f} ms {cold:5.0f} ms")
    print(f"{'career-fit next --json (whole process)':<44} {cli[0]:5.0f} ms {cli[1]:5.0f} ms  (no cache across runs)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs per page after the warm-up run")
    parser.add_argument("--paint-runs", type=int, default=3)
    parser.add_argument("--skip-browser", action="store_true")
    parser.add_argument("--overview-1m", action="store_true", help="only the Overview on 1,000,000 ratings")
    parser.add_argument(
        "--at-1m", action="store_true", help="only the 1,000,000-rating figures: Overview and next, warm and cold"
    )
    args = parser.parse_args()
    if args.overview_1m:
        warm, cold = overview_at_1m(args.runs)
        print(
            f"Overview at 1,000,000 ratings: warm {warm:.0f} ms, cold (after a change) {cold:.0f} ms; "
            f"goal {OVERVIEW_1M_GOAL_MS} ms"
        )
        return
    if args.at_1m:
        report_1m(args.runs)
        return
    path = WORK / "pages.duckdb"
    build_store(path)
    paint: list[tuple[str, list[tuple[float, float]]]] = []
    if not args.skip_browser:  # before the page runs: AppTest keeps the store open in this process
        with tempfile.TemporaryDirectory() as tmp:
            bare = Path(tmp) / "bare" / "app.py"  # the floor: Streamlit itself, serving a page of two headings
            bare.parent.mkdir()
            bare.write_text(BARE_APP)
            floor = first_paint(Path(tmp) / "bare" / "unused.duckdb", args.paint_runs, app=bare)
            demo = first_paint(Path(tmp) / "demo.duckdb", args.paint_runs + 1)  # the first run loads the demo
        paint = [
            ("floor: a bare two-heading Streamlit app", floor),
            ("new store (first run loads the demo)", demo[:1]),
            ("demo store, later starts", demo[1:]),
            ("benchmark store", first_paint(path, args.paint_runs)),
        ]
    results = page_times(path, args.runs)
    print(
        f"\npage script runs (AppTest, {CAREERS} careers, {CAREERS * INTERVIEWS_PER_CAREER:,} interviews, "
        f"{CRITERIA} criteria; median of {args.runs} after a warm-up)"
    )
    print(f"{'page':<38} {'first':>9} {'median':>9}  goal {PAGE_GOAL_MS} ms")
    for label, first, median in results:
        verdict = "ok" if median <= PAGE_GOAL_MS else "OVER"
        print(f"{label:<38} {first:7.0f} ms {median:7.0f} ms  {verdict}")
    if paint:
        print(
            f"\nfirst page in Chromium after `streamlit run` (median; goal {PAINT_GOAL_S:g} s for the complete "
            "page; 'over floor' is what Career Fit adds to a bare Streamlit app measured in the same run)"
        )
        print(f"{'app and store':<40} {'title':>8} {'complete':>9} {'over floor':>11}")
        floor = statistics.median(c for _, c in paint[0][1])
        for label, times in paint:
            title = statistics.median(t for t, _ in times)
            complete = statistics.median(c for _, c in times)
            verdict = "ok" if complete <= PAINT_GOAL_S else "OVER"
            runs = f"{len(times)} run{'s' * (len(times) != 1)}"
            print(f"{label:<40} {title:6.2f} s {complete:7.2f} s {complete - floor:+9.2f} s  {verdict}  ({runs})")
    report_1m(args.runs)


if __name__ == "__main__":
    main()
