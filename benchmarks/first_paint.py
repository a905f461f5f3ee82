"""First paint: from ``streamlit run`` to the Overview drawn in Chromium, against a bare two-heading Streamlit app.

    .venv/bin/python benchmarks/first_paint.py [--runs 5]

Both apps start the way ``make run`` starts the app (``streamlit run``, headless, from the app's folder) with
the same settings: the bare app's folder gets a copy of the app's ``.streamlit/config.toml`` (which turns
Streamlit's file watcher off), and neither gets a command-line flag that the other does not. The clock runs
from starting the process until the page's title is drawn and its script run is over (the script state back
to ``notRunning``). The Overview runs on a demo store (loaded by an untimed first start); the
floor is Streamlit itself serving a page of two headings. The two alternate, after one untimed warm-up start
each, and the best of ``--runs`` starts of each is compared: goal at most 1.1x. Run by ``make bench``.

Both start with Python's bytecode cache on (``PYTHONDONTWRITEBYTECODE`` cleared), as on a user's machine:
where it is off, every start compiles the app's modules again. ``--environment-as-is`` keeps it as set.

``--phases`` also says where each app's time goes (medians over its starts): the server's start (until it
answers), the page load (until the browser opens the app's websocket: the browser loads Streamlit's
JavaScript meanwhile), the script run (until the server's "script finished" message reaches the browser)
and the draw (until the title is drawn and the run is over). Only the last two are the app's own.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(HERE))

from playwright.sync_api import Browser, WebSocket, sync_playwright  # noqa: E402
from run import row  # noqa: E402
from screenshots import CHROMIUM, CHROMIUM_ARGS, IDLE, free_port, start_app, stop_app  # noqa: E402

GOAL = 1.1
BARE_APP = """import streamlit as st
st.title("Career Fit")
st.subheader("Top careers")
"""
TITLE = "[data-testid='stMain'] h1"
PHASES = ("server start", "page load", "script run", "draw")


def paint_seconds(browser: Browser, app: Path, db: Path, env: dict[str, str], phases: bool = False) -> list[float]:
    """Seconds from starting ``streamlit run app`` to its first page drawn with its script run over: the total
    alone, or with ``phases`` the four :data:`PHASES` (see the module's docstring), which add up to it."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    marks: dict[str, float] = {}
    if phases:
        page.on("websocket", lambda socket: _watch(socket, marks))
    port = free_port()
    started = time.perf_counter()
    # watch_files=True: no file-watcher flag on the command line, so each app's .streamlit/config.toml decides
    process = start_app(db, port, watch_files=True, app=app, env=env)  # returns once the server answers
    answered = time.perf_counter()
    try:
        page.goto(f"http://localhost:{port}/")
        page.locator(TITLE).first.wait_for(timeout=120_000)
        page.wait_for_selector(IDLE, timeout=120_000)
        drawn = time.perf_counter()
    finally:
        page.close()
        stop_app(process)
    if not phases:
        return [drawn - started]
    opened, finished = marks["opened"], marks["finished"]
    return [answered - started, opened - answered, finished - opened, drawn - finished]


def _watch(socket: WebSocket, marks: dict[str, float]) -> None:
    """Note when the app's websocket opens and when the server's "script finished" message reaches the page."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    marks.setdefault("opened", time.perf_counter())

    def received(payload: bytes | str) -> None:
        message = ForwardMsg()
        message.ParseFromString(payload if isinstance(payload, bytes) else payload.encode())
        if message.WhichOneof("type") == "script_finished":
            marks.setdefault("finished", time.perf_counter())

    socket.on("framereceived", received)


def measure(runs: int, env: dict[str, str], phases: bool = False) -> tuple[list[list[float]], list[list[float]]]:
    """(app starts, floor starts), alternating starts of the two in the same run; each start is its total
    seconds, or its :data:`PHASES` with ``phases``."""
    with tempfile.TemporaryDirectory(prefix="career-fit-paint-") as tmp:
        bare = Path(tmp) / "bare" / "app.py"
        bare.parent.mkdir()
        bare.write_text(BARE_APP)
        settings = ROOT / ".streamlit" / "config.toml"
        if settings.exists():  # the same Streamlit settings for both: a fair floor
            (bare.parent / ".streamlit").mkdir()
            shutil.copy(settings, bare.parent / ".streamlit" / "config.toml")
        db = Path(tmp) / "demo" / "career-fit.duckdb"  # the app's first start loads the demo into it
        db.parent.mkdir()
        app_starts: list[list[float]] = []
        floor_starts: list[list[float]] = []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                paint_seconds(browser, ROOT / "app.py", db, env)  # warm-up (and the demo load): untimed
                paint_seconds(browser, bare, bare.parent / "unused.duckdb", env)
                for _ in range(runs):
                    app_starts.append(paint_seconds(browser, ROOT / "app.py", db, env, phases))
                    floor_starts.append(paint_seconds(browser, bare, bare.parent / "unused.duckdb", env, phases))
            finally:
                browser.close()
    return app_starts, floor_starts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--environment-as-is", action="store_true", help="keep PYTHONDONTWRITEBYTECODE as set")
    parser.add_argument("--phases", action="store_true", help="also say where each app's time goes")
    args = parser.parse_args()
    env = {} if args.environment_as_is else {"PYTHONDONTWRITEBYTECODE": ""}
    app_starts, floor_starts = measure(args.runs, env, args.phases)
    app_times, floor_times = [sum(start) for start in app_starts], [sum(start) for start in floor_starts]
    print(
        f"first paint, best of {args.runs} alternating starts; app: {', '.join(f'{t:.2f}' for t in app_times)} s; "
        f"floor: {', '.join(f'{t:.2f}' for t in floor_times)} s"
    )
    print(row("first paint: Overview (demo store)", min(app_times), min(floor_times), GOAL))
    if args.phases:
        for name, starts in (("app", app_starts), ("floor", floor_starts)):
            medians = [statistics.median(start[n] for start in starts) for n in range(len(PHASES))]
            print(
                f"  {name:<5} medians: "
                + ", ".join(f"{p} {1000 * m:.0f} ms" for p, m in zip(PHASES, medians, strict=True))
            )


if __name__ == "__main__":
    main()
