"""Shared fixtures: the app under AppTest on a store file of its own, in the demo or empty state."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # so that app.py's pages import ``pages.common`` and ``analytics``

STORE_KEY = "career_fit_store"


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store as the app leaves it after its first run (demo loaded, welcome pending), built once."""
    from analytics.store import Store
    from pages.common import _first_run

    path = tmp_path_factory.mktemp("demo-template") / "career-fit.duckdb"
    with _first_run(Store(path)):
        pass
    return path


@pytest.fixture
def fresh_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No store file yet: the app's very first run (it loads the demo)."""
    path = tmp_path / "career-fit.duckdb"
    monkeypatch.setenv("CAREER_FIT_DB", str(path))
    return path


@pytest.fixture
def app_db(fresh_db: Path, demo_template: Path) -> Path:
    """A store file of this test's own, as after the first run: the demo data, the welcome pending.

    Each test gets its own path because the app caches one store per path for the whole process.
    """
    for suffix in ("", ".wal"):
        if Path(f"{demo_template}{suffix}").exists():
            shutil.copy(f"{demo_template}{suffix}", f"{fresh_db}{suffix}")
    return fresh_db


@pytest.fixture
def empty_db(fresh_db: Path) -> Path:
    """A user's own empty store: the default profile, no careers, and no first-run demo."""
    from analytics.store import Store

    with Store(fresh_db) as store:
        store.set_setting("first_run_done", True)
    return fresh_db


@pytest.fixture
def open_app() -> Callable[..., object]:
    """``open_app(page, **session_state)`` runs app.py on ``pages/<page>.py`` and returns the AppTest."""
    from streamlit.testing.v1 import AppTest

    def _open(page: str = "overview", **session_state: object) -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
        for key, value in session_state.items():
            at.session_state[key] = value
        at.switch_page(f"pages/{page}.py")
        return at.run()

    return _open
