"""Every page opens through ``app.py`` in the page tests, as on the real server: the navigation, the sidebar and
the shared store are the app's own (see ``pages_run_through_app_py`` in tests/conftest.py)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import APP_PAGES
from tests.support.apptest_tools import STORE_KEY, ok


def test_every_page_is_drawn_inside_the_apps_navigation_and_sidebar(app_db: Path, open_app) -> None:
    assert len(APP_PAGES) == 7
    for path in APP_PAGES:
        at = ok(open_app(Path(path).stem))
        assert any(c.value.startswith("Data stored:") for c in at.sidebar.caption), path  # drawn by app.py
        assert at.session_state[STORE_KEY].path == str(app_db), path  # the store app.py opened
