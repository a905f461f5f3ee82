"""First paint: from ``streamlit run`` to the Overview drawn in Chromium, against a bare two-heading Streamlit app.

    .venv/bin/python benchmarks/first_paint.py [--runs 5] [--phases] [--replay]

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

``--replay`` adds a second floor that does the same drawing job with none of the app's work: the **replay**.
An untimed start of the app records every message its first script run sends to the browser (a
``sitecustomize`` hook on Streamlit's ``ScriptRunContext.enqueue``, for that start only); the replay is a
script that sends the same messages again, under a navigation with the same pages, without importing
anything of the app, opening a store or ranking. Before timing, the benchmark checks that the replay draws
the same text as the app (the main area and the sidebar), and stops if not. Then

- replay / bare is what Streamlit needs to draw this page at all, beyond two headings;
- app / replay is what the app's own work adds (imports, the store, the ranking).
"""

from __future__ import annotations

import argparse
import difflib
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(HERE))

from playwright.sync_api import Browser, Page, WebSocket, sync_playwright  # noqa: E402
from run import row  # noqa: E402
from screenshots import CHROMIUM, CHROMIUM_ARGS, IDLE, free_port, start_app, stop_app  # noqa: E402

GOAL = 1.1
BARE_APP = """import streamlit as st
st.title("Career Fit")
st.subheader("Top careers")
"""
TITLE = "[data-testid='stMain'] h1"
DRAWN_TEXT = ("[data-testid='stMain']", "[data-testid='stSidebar']")
PHASES = ("server start", "page load", "script run", "draw")

# Loaded at the start of the recording run's interpreter (it is put first on PYTHONPATH for that start only):
# every message a script run hands to Streamlit is appended to the file named by CAREER_FIT_RECORD_TO, each
# as its length (4 bytes) and its bytes. It wraps Streamlit's ScriptRunContext.enqueue (Streamlit 1.67).
RECORDER = """import os

if os.environ.get("CAREER_FIT_RECORD_TO"):
    from streamlit.runtime.scriptrunner_utils import script_run_context as _context

    _enqueue = _context.ScriptRunContext.enqueue

    def _enqueue_and_record(self, message):
        _enqueue(self, message)  # first, so the message carries the page it belongs to
        data = message.SerializeToString()
        with open(os.environ["CAREER_FIT_RECORD_TO"], "ab") as out:
            out.write(len(data).to_bytes(4, "big") + data)

    _context.ScriptRunContext.enqueue = _enqueue_and_record
"""

# The replay: the recorded page's settings, then a navigation with the same pages (the default one sends the
# page's own messages when it runs), then the messages sent outside the page (the sidebar), as the app does.
REPLAY_APP = """from pathlib import Path

import streamlit as st
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

data = Path(__file__).with_name("messages.bin").read_bytes()  # written beside this script by the recording
messages = []
at = 0
while at < len(data):
    size = int.from_bytes(data[at : at + 4], "big")
    messages.append(ForwardMsg.FromString(data[at + 4 : at + 4 + size]))
    at += 4 + size
navigation = [m.navigation for m in messages if m.WhichOneof("type") == "navigation"][-1]
page_hash = navigation.page_script_hash
deltas = [m for m in messages if m.WhichOneof("type") == "delta"]
context = get_script_run_ctx()
for message in messages:
    if message.WhichOneof("type") == "page_config_changed":
        context.enqueue(message)


def draw_recorded_page():
    for message in deltas:
        if message.metadata.active_script_hash == page_hash:
            context.enqueue(message)


def other_page():
    pass


pages = [
    st.Page(
        draw_recorded_page if page.is_default else other_page,
        title=page.page_name,
        icon=page.icon or None,
        url_path=page.url_pathname or None,
        default=page.is_default,
    )
    for page in navigation.app_pages
]
page = st.navigation(pages)
for message in deltas:
    if message.metadata.active_script_hash != page_hash:
        context.enqueue(message)
page.run()
"""


@dataclass
class App:
    """One app under the clock: its script, its store, what its process gets added to its environment, and
    the seconds of each timed start (its total, or its :data:`PHASES`)."""

    name: str
    script: Path
    db: Path
    env: dict[str, str]
    starts: list[list[float]] = field(default_factory=list)


def paint_seconds(browser: Browser, app: App, phases: bool = False, read_text: list[str] | None = None) -> list[float]:
    """Seconds from starting ``streamlit run`` on ``app`` to its first page drawn with its script run over:
    the total alone, or with ``phases`` the four :data:`PHASES` (see the module's docstring), which add up to
    it. Given ``read_text``, the page's drawn text is appended to it (untimed starts only)."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    marks: dict[str, float] = {}
    if phases:
        page.on("websocket", lambda socket: _watch(socket, marks))
    port = free_port()
    started = time.perf_counter()
    # watch_files=True: no file-watcher flag on the command line, so each app's .streamlit/config.toml decides
    process = start_app(app.db, port, watch_files=True, app=app.script, env=app.env)  # returns once it answers
    answered = time.perf_counter()
    try:
        page.goto(f"http://localhost:{port}/")
        page.locator(TITLE).first.wait_for(timeout=120_000)
        page.wait_for_selector(IDLE, timeout=120_000)
        drawn = time.perf_counter()
        if read_text is not None:  # once the lazily loaded parts (buttons, metrics, links) are drawn too
            page.wait_for_load_state("networkidle")
            read_text.append(_drawn_text(page))
    finally:
        page.close()
        stop_app(process)
    if not phases:
        return [drawn - started]
    opened, finished = marks["opened"], marks["finished"]
    return [answered - started, opened - answered, finished - opened, drawn - finished]


def _drawn_text(page: Page) -> str:
    return "\n".join(page.locator(selector).first.inner_text() for selector in DRAWN_TEXT)


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


def streamlit_folder(folder: Path, script: str) -> Path:
    """A folder with ``app.py`` holding ``script`` and the app's Streamlit settings (the same for every app
    under the clock: a fair floor); returns the script's path."""
    folder.mkdir(parents=True)
    (folder / "app.py").write_text(script)
    settings = ROOT / ".streamlit" / "config.toml"
    if settings.exists():
        (folder / ".streamlit").mkdir()
        shutil.copy(settings, folder / ".streamlit" / "config.toml")
    return folder / "app.py"


def measure(runs: int, env: dict[str, str], phases: bool = False, replay: bool = False) -> list[App]:
    """The app, the bare floor and (with ``replay``) the replay, each with its timed starts: alternating, in
    the same run, after one untimed start each."""
    with tempfile.TemporaryDirectory(prefix="career-fit-paint-") as tmp:
        work = Path(tmp)
        db = work / "demo" / "career-fit.duckdb"  # the app's first start loads the demo into it
        db.parent.mkdir()
        app = App("app", ROOT / "app.py", db, env)
        bare = App("floor", streamlit_folder(work / "bare", BARE_APP), work / "bare" / "unused.duckdb", env)
        apps = [app, bare]
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                paint_seconds(browser, app)  # warm-up (and the demo load): untimed
                paint_seconds(browser, bare)
                if replay:
                    apps.append(record_replay(browser, app, work))
                for _ in range(runs):
                    for each in apps:
                        each.starts.append(paint_seconds(browser, each, phases))
            finally:
                browser.close()
    return apps


def record_replay(browser: Browser, app: App, work: Path) -> App:
    """Record the app's first page in an untimed start, write the replay and check that it draws the same
    text; returns the replay, ready for the clock."""
    script = streamlit_folder(work / "replay", REPLAY_APP)
    hook = work / "recorder"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(RECORDER)
    messages = script.parent / "messages.bin"
    recording = {**app.env, "PYTHONPATH": str(hook), "CAREER_FIT_RECORD_TO": str(messages)}
    texts: list[str] = []
    paint_seconds(browser, App("recording", app.script, app.db, recording), read_text=texts)
    replayed = App("replay", script, work / "replay" / "unused.duckdb", app.env)
    paint_seconds(browser, replayed, read_text=texts)  # its warm-up start
    if texts[0] != texts[1]:
        differences = difflib.unified_diff(texts[0].splitlines(), texts[1].splitlines(), "app", "replay", lineterm="")
        sys.exit(
            "first_paint.py --replay: the replay does not draw what the app drew, so it is no floor:\n"
            + "\n".join(differences)
        )
    return replayed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--environment-as-is", action="store_true", help="keep PYTHONDONTWRITEBYTECODE as set")
    parser.add_argument("--phases", action="store_true", help="also say where each app's time goes")
    parser.add_argument("--replay", action="store_true", help="also time the app's first page replayed")
    args = parser.parse_args()
    env = {} if args.environment_as_is else {"PYTHONDONTWRITEBYTECODE": ""}
    apps = measure(args.runs, env, args.phases, args.replay)
    best = {each.name: min(sum(start) for start in each.starts) for each in apps}
    print(
        f"first paint, best of {args.runs} alternating starts; "
        + "; ".join(f"{each.name}: {', '.join(f'{sum(s):.2f}' for s in each.starts)} s" for each in apps)
    )
    print(row("first paint: Overview (demo store)", best["app"], best["floor"], GOAL))
    if args.replay:
        print(row("  the same page replayed", best["replay"], best["floor"], None))
        print(row("  the app against its replay", best["app"], best["replay"], None))
    if args.phases:
        for each in apps:
            medians = [statistics.median(start[n] for start in each.starts) for n in range(len(PHASES))]
            print(
                f"  {each.name:<6} medians: "
                + ", ".join(f"{p} {1000 * m:.0f} ms" for p, m in zip(PHASES, medians, strict=True))
            )


if __name__ == "__main__":
    main()
