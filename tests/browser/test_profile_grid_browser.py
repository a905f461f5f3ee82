"""My profile's grid in headless Chromium: a weight typed outside 0-5 is refused next to the grid, never clamped.

The grid is a glide data grid drawn on a canvas, and what it does with a typed value happens in the browser:
a Weight column with a 0-5 minimum and maximum turned a typed 9 into 5 before the app ever saw it, and the
app saved that 5 with "Profile saved.". Only a real browser shows this, so the test types into the grid as a
user does (select a cell, Enter, type, Enter) and reads the store file after the server has stopped.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_tools import no_exception, settle

from analytics.store import Store

pytestmark = pytest.mark.browser

GRID = "[data-testid='stMain'] [data-testid='stDataFrame']"
HEADER_HEIGHT = 35  # px: the grid's header row, and each data row (Streamlit's defaults)
ROW_HEIGHT = 35
FIRST_COLUMN_X = 100  # px into the grid: past the row-selection boxes, inside the first column (Criterion)


def new_store(path: Path) -> list[tuple[str, float]]:
    """A user's own store (the default profile, no demo); its criteria and weights, in order."""
    with Store(path) as store:
        store.set_setting("first_run_done", True)
        return [(c.name, c.weight) for c in store.criteria()]


def type_into_cell(page, row: int, column: int, text: str) -> None:
    """Select the grid's cell (row, column; 0-based, data rows only) with a click and the arrow keys, open its
    editor with Enter, type ``text`` over its value and press Enter, as a user editing a spreadsheet does."""
    grid = page.locator(GRID).first
    grid.locator("canvas").first.wait_for()
    editor = page.locator("input.gdg-input, textarea.gdg-input")  # the grid's cell editor, over the canvas
    grid.click(position={"x": FIRST_COLUMN_X, "y": HEADER_HEIGHT + ROW_HEIGHT * row + ROW_HEIGHT / 2})
    for _ in range(column):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    editor.first.wait_for()
    editor.first.fill(text)
    editor.first.press("Enter")
    editor.first.wait_for(state="detached")


def test_a_weight_of_9_typed_into_the_grid_is_refused_next_to_it(browser, serve, tmp_path: Path) -> None:
    db = tmp_path / "career-fit.duckdb"
    before = new_store(db)
    assert before[0][1] != 5  # so that a clamped 9 would show as a change
    with serve(db, tmp_path / "streamlit.log") as url:
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        page = context.new_page()
        page.set_default_timeout(30_000)
        page.goto(f"{url}/profile")
        page.locator("[data-testid='stMain'] h1").filter(has_text="My profile").first.wait_for(timeout=60_000)
        settle(page)
        page.locator(GRID).first.wait_for()

        type_into_cell(page, row=0, column=2, text="9")  # the Weight of the first criterion
        error = page.locator("[data-testid='stMain'] [data-testid='stAlertContentError']")
        saved = page.get_by_text("Profile saved.")
        error.or_(saved).first.wait_for()  # the app's answer: refused, or (the old bug) saved
        settle(page)
        no_exception(page)
        said = [error.nth(n).inner_text() for n in range(error.count())]
        toast = saved.count()
        grid_box = page.locator(GRID).first.bounding_box()
        error_box = error.first.bounding_box() if said else None
        undo = page.get_by_role("button", name="Undo my edits").count()
        context.close()
    with Store(db, read_only=True) as store:
        assert [(c.name, c.weight) for c in store.criteria()] == before  # nothing saved, least of all a 5
    assert toast == 0, "the app said 'Profile saved.'"
    assert len(said) == 1 and "row 1: weight 9 is outside 0-5" in said[0], said
    # next to the grid: just under it, so the grid did not move
    assert grid_box is not None and error_box is not None
    assert 0 <= error_box["y"] - (grid_box["y"] + grid_box["height"]) < 120, (grid_box, error_box)
    assert undo == 1  # and a way back from the refused edit
