"""Shared fixtures: the app under AppTest on a store file of its own, in the demo or empty state.

Every AppTest run has a time limit (30 s), and the first run in a process that reaches a page importing
pandas, pyarrow, plotly or scikit-learn used to pay for those imports inside its limit: under load the
first Explore run took 38 s where the same run on a second AppTest took 3.5 s. So before the first test
that uses AppTest, :func:`warm_pages` runs every page once, untimed, and no test's limit holds one-time
process work.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # so that app.py's pages import ``pages.support`` and ``analytics``


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store as the app leaves it after its first run (demo loaded, welcome pending), built once."""
    from analytics.store import Store
    from pages.support.session import _first_run

    path = tmp_path_factory.mktemp("demo-template") / "career-fit.duckdb"
    with _first_run(Store(path)):
        pass
    return path


APP_PAGES = re.findall(r'st\.Page\("(pages/[a-z_]+\.py)"', (ROOT / "app.py").read_text(encoding="utf-8"))
USES_APPTEST = re.compile(r"^\s*from streamlit\.testing", re.MULTILINE)
WARM_UP_TIMEOUT = 600  # seconds: one-time imports on a loaded machine, never a test's limit


@pytest.fixture(autouse=True, scope="session")
def pages_run_through_app_py() -> Iterator[None]:
    """Every AppTest run goes through ``app.py``, as on the real server.

    ``AppTest`` clears Streamlit's "legacy ``pages/`` folder" flag before each run, and because ``pages/``
    sits next to ``app.py`` Streamlit would then run ``pages/<name>.py`` on its own: no navigation, no
    sidebar, no store opened by the app. The real server leaves that mode at its first run (``pages/__init__``,
    as ``st.navigation`` does); here it is left as soon as Streamlit has looked.
    """
    from streamlit.runtime.pages_manager import PagesManager

    looked = PagesManager.__init__

    def look_then_leave(self: PagesManager, *args: Any, **kwargs: Any) -> None:
        looked(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = look_then_leave  # type: ignore[method-assign]
    yield
    PagesManager.__init__ = looked  # type: ignore[method-assign]


@pytest.fixture(scope="session")
def warm_pages(
    pages_run_through_app_py: None, demo_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[None]:
    """Run every page of app.py once on a demo store, so that one-time work (imports of pandas, pyarrow,
    plotly and scikit-learn, Streamlit's own first-use set-up) is done before any timed AppTest run. (Through
    app.py like every AppTest run: it is put first in every test's fixtures, before the autouse ones.)"""
    from streamlit.testing.v1 import AppTest

    db = tmp_path_factory.mktemp("warm-up") / "career-fit.duckdb"
    shutil.copy(demo_template, db)
    before = os.environ.get("CAREER_FIT_DB")
    os.environ["CAREER_FIT_DB"] = str(db)
    try:
        for page in APP_PAGES:
            AppTest.from_file(str(ROOT / "app.py"), default_timeout=WARM_UP_TIMEOUT).switch_page(page).run()
    finally:
        if before is None:
            os.environ.pop("CAREER_FIT_DB", None)
        else:
            os.environ["CAREER_FIT_DB"] = before
    yield


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that runs the app under AppTest first gets :func:`warm_pages` (once per session)."""
    uses_apptest: dict[str, bool] = {}
    for item in items:
        path = str(item.path)
        if path not in uses_apptest:
            uses_apptest[path] = USES_APPTEST.search(Path(path).read_text(encoding="utf-8")) is not None
        fixtures = getattr(item, "fixturenames", None)
        if fixtures is not None and (uses_apptest[path] or "open_app" in fixtures) and "warm_pages" not in fixtures:
            fixtures.insert(0, "warm_pages")


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
