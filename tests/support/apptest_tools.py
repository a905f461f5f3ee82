"""What every page test checks and reads: no traceback or error shown, the text and charts on the page."""

from __future__ import annotations

import json
from typing import Any

from streamlit.testing.v1 import AppTest

STORE_KEY = "career_fit_store"


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
