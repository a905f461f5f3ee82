"""What every page test does and checks: opens a page on a store, no traceback or error shown, the text and charts
on the page."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest

from analytics.store import Store
from pages.support.session import STORE_KEY, TODAY_KEY

__all__ = ["APP", "STORE_KEY", "TODAY_KEY", "charts", "ok", "open_page", "texts"]

APP = Path(__file__).resolve().parents[2] / "app.py"


def open_page(name: str, store: Store, tab: str | None = None, *, today: date, **state: Any) -> AppTest:
    """``pages/<name>.py`` opened through ``app.py`` (navigation, the shared store) on ``store``, on the day
    ``today``, on the Interviews tab ``tab``, with ``state`` set in the session first; checked by :func:`ok`."""
    at = AppTest.from_file(str(APP), default_timeout=30)
    at.switch_page(f"pages/{name}.py")
    at.session_state[STORE_KEY] = store
    at.session_state[TODAY_KEY] = today
    if tab is not None:
        at.session_state["interviews_tab"] = tab
    for key, value in state.items():
        at.session_state[key] = value
    return ok(at.run())


def ok(at: AppTest) -> AppTest:
    """No traceback and no error message reached the user; no Markdown was allowed to carry HTML."""
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert not any(m.proto.allow_html for m in at.markdown)
    return at


def texts(at: AppTest) -> str:
    """All the prose on the page, with Markdown escapes of user text removed."""
    parts: list[str] = []
    for elements in (at.markdown, at.caption, at.info, at.success, at.warning, at.subheader, at.text):
        parts += [str(e.value) for e in elements]
    return "\n".join(parts).replace("\\", "")


def charts(at: AppTest) -> list[dict[str, Any]]:
    """The Plotly figures on the page, as their JSON specs."""
    found: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        for child in getattr(node, "children", {}).values():
            if getattr(child, "type", "") == "plotly_chart":
                found.append(json.loads(child.proto.spec))
            walk(child)

    walk(at.main)
    return found
