"""A session-mode soak in headless Chromium: while two visitors work, a third uploads every hostile file of
issue 14 on the Data page, one after another. The server stays up, each file gets its message and no
exception box, and neither working visitor loses a thing (their own career is still ranked afterwards)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser_tools import message_stays, settle
from test_session_mode import go, safe, visitor  # noqa: F401  (visitor is a fixture)

from tests.engine.test_hostile_files import HOSTILE

pytestmark = pytest.mark.browser


def upload(tab, path: Path) -> None:
    with tab.expect_file_chooser() as chooser:
        uploader = tab.locator("[data-testid='stMain'] [data-testid='stFileUploader']")
        uploader.get_by_role("button", name=re.compile("Upload|Browse")).first.click()
    chooser.value.set_files(str(path))


def own_career(tab, name: str, tmp_path: Path) -> None:
    """The visitor imports a ratings file of their own making a career called ``name``."""
    go(tab, "Data", "Data")
    source = tmp_path / f"{name}.csv"
    source.write_text(f"career,interviewee,date,criterion,rating\n{name},Rosa,2026-09-01,Investigative,5\n")
    upload(tab, source)
    tab.get_by_text("No problems found.").wait_for()
    settle(tab)
    tab.get_by_role("button", name="Import", exact=True).click()
    message_stays(tab, tab.get_by_text(re.compile(f"Imported {name}")))
    settle(tab)


def still_has(tab, name: str) -> None:
    go(tab, "Career fit", "Career fit")
    tab.locator("[data-testid='stMain']").get_by_text(name).first.wait_for()
    safe(tab)


def test_hostile_uploads_disturb_no_one(visitor, tmp_path: Path) -> None:  # noqa: F811
    first, second = visitor(), visitor()
    own_career(first, "Kite Maker", tmp_path)
    own_career(second, "Glass Blower", tmp_path)
    for name, data, _line in HOSTILE:  # the line itself is in a table drawn on a canvas
        path = tmp_path / name
        path.write_bytes(data)
        attacker = visitor()  # a visit per file: an uploader holds one file
        go(attacker, "Data", "Data")
        upload(attacker, path)
        settle(attacker)
        main = attacker.locator("[data-testid='stMain']")
        main.get_by_text(re.compile(r"cannot be imported|problem")).first.wait_for()
        safe(attacker)
        button = attacker.get_by_role("button", name="Import", exact=True)
        assert button.count() == 0 or button.is_disabled()  # nothing can be imported from it
        still_has(first, "Kite Maker")
        attacker.context.close()
    still_has(first, "Kite Maker")
    still_has(second, "Glass Blower")
    assert second.get_by_text("Kite Maker").count() == 0
