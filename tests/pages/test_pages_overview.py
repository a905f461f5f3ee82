"""Overview page (AppTest): the first-run welcome, starting an empty store of one's own, the empty state."""

from __future__ import annotations

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

from analytics.backup import backups
from analytics.store import Store
from tests.support.apptest_tools import STORE_KEY, ok, texts


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def test_first_run_welcomes_with_the_method_and_says_demo_data_is_loaded(fresh_db: Path, open_app) -> None:
    at = ok(open_app("overview"))
    shown = texts(at)
    assert "Welcome" in shown
    for step in (
        "Identify your goals",
        "Find the right people",
        "Ask for the interview",
        "Do your homework",
        "Take notes",
        "Follow up",
    ):
        assert step in shown
    assert "demo data" in shown
    table = next(m.value for m in at.markdown if "| # | Career | Fit | Band | Chance best" in m.value)
    assert table.startswith("### Top careers")  # the heading, the table and its key: one element
    rows = [line for line in table.splitlines() if line.startswith("| ") and line[2].isdigit()]
    assert len(rows) == 5 and rows[0].startswith("| 1 | Clinical Psychologist | **78** | 47–100 | 52% |")
    assert rows[1].startswith("| 2 | UX Researcher | **74** | 64–84 |")
    assert {m.label for m in at.metric} >= {"Careers", "Interviewed", "Interviews", "Evidence"}
    assert "What to do next" in shown


# Streamlit's browser code loads its emoji library (about 260 kB of script, parsed before the page is drawn)
# for any Markdown text that has this pattern (its rule, copied from its Markdown component): ":word:" that is
# not an icon. A centred table column (":-:") has it.
EMOJI_CODE = re.compile(r":(?!material/|streamlit:)[\w+-][\w_+-]*:")


def test_the_overview_asks_the_browser_for_no_emoji_library(app_db: Path, open_app) -> None:
    first = ok(open_app("overview"))  # the demo with its welcome, the top careers and the next actions
    at = ok(button(first, "Keep exploring the demo").click().run())  # and the expanders shown after it
    for page in (first, at):
        prose = [str(e.value) for kind in (page.markdown, page.caption, page.info) for e in kind]
        assert len(prose) > 5
        assert [text for text in prose if EMOJI_CODE.search(text)] == []
    assert not EMOJI_CODE.search("|--:|:--|--:|") and EMOJI_CODE.search("|:-:|")  # the pattern works


def test_keep_exploring_hides_the_welcome_for_good(app_db: Path, open_app) -> None:
    at = ok(open_app("overview"))
    ok(button(at, "Keep exploring the demo").click().run())
    assert "Welcome" not in texts(at)
    assert at.session_state[STORE_KEY].get_setting("welcome_pending") is False
    assert "Start over" in [e.label for e in at.expander]
    again = ok(open_app("overview"))  # a new session on the same store
    assert "Welcome" not in texts(again)


def test_starting_empty_asks_first_keeps_a_backup_and_survives_a_restart(app_db: Path, open_app) -> None:
    at = ok(open_app("overview"))
    store: Store = at.session_state[STORE_KEY]
    ok(button(at, "Start my own, empty").click().run())
    assert store.counts()["careers"] == 9  # nothing happens before the confirmation
    assert "A backup of everything is kept first" in texts(at)
    ok(button(at, "Yes, start empty").click().run())
    assert store.counts()["careers"] == 0
    assert store.counts()["criteria"] > 0  # the default profile
    shown = texts(at)
    assert "empty store of your own" in shown and "backups" in shown
    assert "Start here" in shown
    saved = backups(store)
    assert len(saved) == 1
    with Store(saved[0]) as backup:
        assert backup.counts()["careers"] == 9
    store.close()  # a restart: the next process opens the file afresh
    with Store(app_db) as reopened:
        assert reopened.counts()["careers"] == 0
        assert reopened.get_setting("first_run_done") is True  # the demo does not come back


def test_cancel_keeps_everything(app_db: Path, open_app) -> None:
    at = ok(open_app("overview"))
    ok(button(at, "Start my own, empty").click().run())
    ok(button(at, "Cancel").click().run())
    assert at.session_state[STORE_KEY].counts()["careers"] == 9
    assert not any(b.label == "Yes, start empty" for b in at.button)


def test_the_demo_can_be_loaded_again_with_a_backup(empty_db: Path, open_app) -> None:
    at = ok(open_app("overview"))
    store: Store = at.session_state[STORE_KEY]
    store.add_career("Park Ranger")
    ok(button(at, "Load the demo data").click().run())
    ok(button(at, "Yes, load the demo").click().run())
    assert store.counts()["careers"] == 9
    with Store(backups(store)[0]) as backup:
        assert [c.name for c in backup.careers()] == ["Park Ranger"]


def test_an_empty_store_says_where_to_start(empty_db: Path, open_app) -> None:
    at = ok(open_app("overview"))
    shown = texts(at)
    assert "Start here" in shown and "My profile" in shown and "Interviews" in shown
    assert "Welcome" not in shown
    assert not any("| # | Career" in m.value for m in at.markdown)


def test_in_memory_each_session_gets_its_own_store_and_the_backup_is_a_download(monkeypatch, open_app) -> None:
    monkeypatch.setenv("CAREER_FIT_DB", ":memory:")
    first, second = ok(open_app("overview")), ok(open_app("overview"))
    store: Store = first.session_state[STORE_KEY]
    assert store.in_memory and store is not second.session_state[STORE_KEY]
    assert "Welcome" in texts(first)
    ok(button(first, "Start my own, empty").click().run())
    ok(button(first, "Yes, start empty").click().run())
    assert store.counts()["careers"] == 0
    assert second.session_state[STORE_KEY].counts()["careers"] == 9  # another visitor keeps their data
    [download] = first.main.get("download_button")  # (the sidebar has its own: see test_storage_modes)
    assert download.label == "Download the backup workbook"
    data = ok(open_app("data"))
    assert any("for this visit only" in w.value for w in data.warning)
