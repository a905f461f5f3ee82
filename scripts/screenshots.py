"""Start the app on a fresh demo store and save a full-page PNG of every page into docs/screenshots/.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots] [--theme light|dark] [--width 1400]

Uses the system Chromium (/usr/bin/chromium) through Playwright; it never downloads a browser. The README
shows these images, so run this after a visible change to a page.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
# (url path, file name): the pages of app.py in navigation order
PAGES = (
    ("", "overview"),
    ("profile", "profile"),
    ("interviews", "interviews"),
    ("career_fit", "career_fit"),
    ("explore", "explore"),
    ("discover", "discover"),
    ("data", "data"),
)
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
LOADING = "[data-testid='stSkeleton']"  # an element drawn while its code is still being fetched


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_app(
    db_path: Path,
    port: int,
    *,
    theme: str | None = None,
    watch_files: bool = False,
    app: Path = ROOT / "app.py",
    env: dict[str, str] | None = None,
    log_path: Path | None = None,
) -> subprocess.Popen[bytes]:
    """``streamlit run app.py`` on ``port`` with its own store (and ``env`` added); returns once it answers.

    Its output goes to ``log_path``, by default ``streamlit.log`` next to the store (a pipe nobody reads
    could fill and stall it).
    """
    streamlit = Path(sys.executable).parent / "streamlit"
    command = [str(streamlit), "run", str(app), "--server.port", str(port)]
    command += ["--server.headless", "true", "--browser.gatherUsageStats", "false"]
    if not watch_files:
        command += ["--server.fileWatcherType", "none"]
    if theme:
        command += ["--theme.base", theme]
    environment = {**os.environ, "CAREER_FIT_DB": str(db_path), **(env or {})}
    log_path = log_path or Path(db_path).parent / "streamlit.log"
    with log_path.open("ab") as log:
        process = subprocess.Popen(command, cwd=app.parent, env=environment, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_healthy(process, port)
    except RuntimeError as error:
        stop_app(process)
        raise RuntimeError(f"{error}; see {log_path}") from None
    return process


def wait_healthy(process: subprocess.Popen[bytes], port: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"http://localhost:{port}/_stcore/health", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.02)  # a fine step: the first-paint benchmark's clock includes this wait
    raise RuntimeError(f"streamlit did not answer on port {port} within {timeout:g} s")


def stop_app(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def wait_idle(page: Page, timeout: float = 30_000) -> None:
    """Wait until the page's script run is over and drawn (its title first: before the run the app is idle too)."""
    page.locator("[data-testid='stMain'] h1").first.wait_for(timeout=timeout)
    page.wait_for_selector(IDLE, timeout=timeout)
    page.wait_for_timeout(300)  # let the front end lay out what the run sent (charts, tables)
    page.wait_for_selector(IDLE, timeout=timeout)
    # Widgets whose code the browser fetches on first use (date inputs, sliders, radios...) show a grey
    # placeholder until it arrives: a shot taken then shows a form without its fields.
    page.wait_for_function(f"() => !document.querySelector({LOADING!r})", timeout=timeout)


def full_page_screenshot(page: Page, path: Path) -> None:
    """Streamlit scrolls inside its main block, so grow the viewport to the content before the shot."""
    size = page.viewport_size or {"width": 1400, "height": 900}
    height = page.evaluate(
        "() => { const m = document.querySelector('[data-testid=\"stMain\"]');"
        " return Math.max(m ? m.scrollHeight : 0, document.body.scrollHeight); }"
    )
    page.set_viewport_size({"width": size["width"], "height": int(min(max(height, 600), 12000))})
    page.wait_for_timeout(500)  # the front end lays the page out again for the new height
    wait_idle(page)
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(size)


def open_rating_form(page: Page) -> None:
    """On Interviews, pick a career so that the shot shows the rating form, not only the list."""
    page.get_by_role("combobox", name=re.compile("Career")).first.click()
    page.get_by_role("option", name="Data Scientist").click()
    page.get_by_text("Interviews about Data Scientist").wait_for()  # drawn after the form
    wait_idle(page)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--theme", choices=("light", "dark"), default="light")
    parser.add_argument("--width", type=int, default=1400)
    args = parser.parse_args()
    suffix = "" if args.theme == "light" else "-dark"
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        process = start_app(Path(tmp) / "career-fit.duckdb", port, theme=args.theme)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": args.width, "height": 900})
                url = f"http://localhost:{port}"
                page.goto(url)
                wait_idle(page)
                # The first visit shows the welcome: keep it in its own shot, then dismiss it.
                shots = [args.out / f"welcome{suffix}.png"]
                full_page_screenshot(page, shots[0])
                page.get_by_role("button", name="Keep exploring the demo").click()
                page.get_by_role("button", name="Keep exploring the demo").wait_for(state="detached")
                wait_idle(page)
                for path, name in PAGES:
                    page.goto(f"{url}/{path}")
                    wait_idle(page)
                    if name == "interviews":
                        open_rating_form(page)
                    shots.append(args.out / f"{name}{suffix}.png")
                    full_page_screenshot(page, shots[-1])
                browser.close()
        finally:
            stop_app(process)
    for shot in shots:
        print(shot.relative_to(ROOT) if shot.is_relative_to(ROOT) else shot)


if __name__ == "__main__":
    main()
