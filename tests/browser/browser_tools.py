"""What every browser test does with a page: wait for Streamlit's run to be drawn, check no exception showed.

The server and screenshot helpers come from ``scripts/screenshots.py`` (conftest puts it on the path).
"""

from __future__ import annotations

from screenshots import IDLE, full_page_screenshot

__all__ = ["IDLE", "full_page_screenshot", "message_stays", "no_exception", "open_tab", "settle"]


def settle(page) -> None:
    """Wait until the script run that the last action started is over and its output is drawn."""
    page.wait_for_selector(IDLE)
    page.wait_for_timeout(250)
    page.wait_for_selector(IDLE)


def message_stays(page, message) -> None:
    """Wait for ``message`` (a locator), then for the runs to end, and check it is still shown: a message that
    shows for a moment and is then drawn away (used up by a page being left) is one the user never reads."""
    from playwright.sync_api import expect

    message.wait_for()
    settle(page)
    expect(message).to_be_visible()


def open_tab(page, name: str) -> None:
    """Click the tab ``name`` and wait for the run it starts."""
    page.get_by_role("tab", name=name, exact=True).click()
    settle(page)


def no_exception(page) -> None:
    boxes = page.locator("[data-testid='stException']")
    assert boxes.count() == 0, boxes.first.inner_text()
