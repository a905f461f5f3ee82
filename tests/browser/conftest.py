"""The real app for browser tests: ``streamlit run`` on a free port with a temporary store, and Chromium.

Uses the system Chromium at /usr/bin/chromium through Playwright's sync API (never ``playwright install``).
The tests here are marked ``browser``; ``make test-fast`` leaves them out.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
from screenshots import CHROMIUM, CHROMIUM_ARGS, free_port, start_app, stop_app  # noqa: E402


@contextmanager
def serve_app(db: Path, log_path: Path, env: dict[str, str] | None = None) -> Iterator[str]:
    """``streamlit run app.py`` on a free port with the store ``db`` (and ``env`` added to the environment);
    its address until the block ends."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    port = free_port()
    try:
        process = start_app(db, port, env=env, log_path=log_path)
    except RuntimeError as error:
        pytest.fail(str(error))
    try:
        yield f"http://localhost:{port}"
    finally:
        stop_app(process)


@pytest.fixture(scope="session")
def serve() -> object:
    """:func:`serve_app`, for a test that needs a server of its own (``with serve(db, log) as url``)."""
    return serve_app


@pytest.fixture(scope="session")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app served by ``streamlit run`` on a store of its own; stopped after the last test."""
    db = tmp_path_factory.mktemp("browser-store") / "career-fit.duckdb"
    with serve_app(db, tmp_path_factory.getbasetemp() / "streamlit.log") as url:
        yield url


@pytest.fixture(scope="session")
def session_app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app in session mode (``CAREER_FIT_STORAGE=session``, as on Community Cloud): each browser session
    gets a store of its own in memory. ``CAREER_FIT_DB`` names a file that must never be written."""
    db = tmp_path_factory.mktemp("session-store") / "never-written.duckdb"
    log = tmp_path_factory.getbasetemp() / "streamlit-session.log"
    with serve_app(db, log, env={"CAREER_FIT_STORAGE": "session"}) as url:
        yield url
    assert not db.exists() and not db.parent.joinpath("backups").exists(), "session mode wrote to disk"


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, app_url: str) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    yield tab
    context.close()


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("screenshots")
    print(f"\nscreenshots: {path}")
    return path
