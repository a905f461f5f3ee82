"""Hostile input (AppTest): HTML, Markdown, script, formulas, LaTeX and Streamlit directives in every name and
note reach every page only as text: escaped wherever Streamlit renders Markdown (bodies, labels, help,
messages) and wherever Plotly renders its HTML subset (ticks, legends, hover text). The browser test
(tests/browser/test_session_mode.py) checks the same pages in Chromium: nothing runs, the text shows."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1 import element_tree as et

from analytics.store import Store

# Each hostile text, and what must never appear raw where Markdown or Plotly renders it.
HOSTILE = {
    '<img src=x onerror="window.__pwned=1">': "<img",
    "**bold**": "**bold**",
    "[link](javascript:alert(1))": "](javascript",
    "=1+1": None,  # harmless in Markdown; the export keeps it inert (tests/test_export.py)
    "<script>window.__pwned=1</script>": "<script",
    ":red[alarm] $x^2$": ":red[",
    "Café 🚀 naïve": None,
}
RAW = [re.compile(r"(?<!\\)" + re.escape(raw)) for raw in HOSTILE.values() if raw]  # not after a backslash
# Plotly renders a subset of HTML (not Markdown) in ticks, legends and hover text: tags must arrive escaped.
PLOTLY_RAW = [re.compile(re.escape(raw)) for raw in ("<img", "<script", "expected <b>", "New <b>")]
CAREERS = list(HOSTILE)
# Elements whose text Streamlit renders as Markdown (widget values and table cells are plain text).
MARKDOWN = (et.Markdown, et.Caption, et.Title, et.Header, et.Subheader, et.AlertBase, et.Toast, et.Latex)


def hostile_store(path: Path) -> Store:
    """Every kind of user text hostile: careers, notes, criteria, descriptions, contacts, interviews."""
    store = Store(path)
    store.set_setting("first_run_done", True)
    criteria = [c.id for c in store.criteria()][:6]
    store.add_criterion("<script>window.__pwned=1</script>", None, 4, "**bold** [link](javascript:alert(1))")
    store.add_criterion("[link](javascript:alert(1))", "value", 5, '<img src=x onerror="window.__pwned=1">')
    extra = [c.id for c in store.criteria()][-1]
    day = date.today() - timedelta(days=3)
    for number, name in enumerate(CAREERS):
        store.add_career(name, notes=f"{name} note :red[alarm]")
        for who in range(2):
            person = f"{CAREERS[(number + who + 1) % len(CAREERS)]} {who}"
            store.save_interview(
                name,
                person,
                day - timedelta(days=who),
                ratings={k: 1 + (number + who + i) % 5 for i, k in enumerate([*criteria, extra])},
                notes=f"Said {name} and $5-$10",
            )
    store.save_contact('<img src=x onerror="window.__pwned=1">', role="**boss**", organisation="[x](javascript:1)")
    store.save_interview("Only expected <b>", "", None, stage="identified")
    store.save_expectations("Only expected <b>", {criteria[0]: 4})
    return store


def texts_of(node: Any) -> Iterator[tuple[str, str]]:
    """(where, text) for every piece of text a node renders as Markdown, through the whole tree."""
    kind = type(node).__name__
    if isinstance(node, MARKDOWN):
        yield kind, str(node.value)
    for attribute in ("label", "help"):
        value = getattr(node, attribute, None)
        if isinstance(value, str):
            yield f"{kind}.{attribute}", value
    if isinstance(node, et.UnknownElement) and node.type == "plotly_chart":
        yield from (("plotly", text) for text in plotly_texts(json.loads(node.proto.spec)))
    for child in getattr(node, "children", {}).values():
        yield from texts_of(child)


def plotly_texts(spec: Any) -> Iterator[str]:
    if isinstance(spec, str):
        yield spec
    elif isinstance(spec, dict):
        for value in spec.values():
            yield from plotly_texts(value)
    elif isinstance(spec, list):
        for value in spec:
            yield from plotly_texts(value)


def unescaped(at: AppTest) -> list[tuple[str, str]]:
    assert not at.exception, [e.message for e in at.exception]
    found = []
    for where, text in texts_of(at._tree):
        patterns = PLOTLY_RAW if where == "plotly" else RAW
        found += [(where, text) for raw in patterns if raw.search(text)]
    return found


@pytest.fixture
def hostile_db(fresh_db: Path) -> Path:
    hostile_store(fresh_db).close()
    return fresh_db


PAGES = [
    ("overview", {}),
    ("profile", {}),
    ("interviews", {}),
    ("interviews", {"log_career": "[link](javascript:alert(1))"}),
    ("interviews", {"interviews_tab": "Expectations", "exp_career": "Only expected <b>"}),
    ("interviews", {"interviews_tab": "Pipeline"}),
    ("interviews", {"interviews_tab": "Prepare"}),
    ("interviews", {"interviews_tab": "Contacts"}),
    ("career_fit", {}),
    ("explore", {}),
    ("discover", {}),
    ("data", {}),
]


def test_hostile_names_and_notes_are_text_on_every_page(hostile_db: Path, open_app) -> None:
    shown_plotly = []
    for page, state in PAGES:
        at = open_app(page, **state)
        assert unescaped(at) == [], (page, state)
        shown_plotly += [t for w, t in texts_of(at._tree) if w == "plotly" and "&lt;img" in t]
        if page == "career_fit":  # the hostile careers were really drawn, escaped
            shown = "\n".join(text for _, text in texts_of(at._tree))
            assert "\\<img src" in shown or "\\<script\\>" in shown, shown
    assert shown_plotly  # the charts hold the names, escaped for Plotly


def test_hostile_file_names_and_cells_in_an_upload_are_text(hostile_db: Path, open_app) -> None:
    at = open_app("data")
    data = (
        b"career,interviewee,date,criterion,rating,notes\n"
        b'"<script>window.__pwned=1</script>",**bold**,2026-09-01,"[link](javascript:alert(1))",9,"$x^2$"\n'
        b'"<img src=x onerror=""window.__pwned=1"">",x,2026-09-01,New <b>criterion</b>,3,=1+1\n'
    )
    at.file_uploader[0].set_value(('<img src=x onerror="1">**bold**.csv', data, "text/csv")).run()
    assert unescaped(at) == []
    at.checkbox(key="data_skip_invalid").check().run()
    at.button(key="data_import").click().run()
    assert unescaped(at) == []
    assert any("Imported" in s.value for s in at.success)
    for page in ("overview", "career_fit", "explore"):
        assert unescaped(open_app(page)) == [], page
