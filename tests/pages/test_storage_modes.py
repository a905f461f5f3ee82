"""Storage modes (AppTest): local (a data file) and session (a store per browser session, for a shared
deployment), chosen by the environment or st.secrets; the session notice, download and upload; backups
restored from the Data page; an oversized upload refused with a message."""

from __future__ import annotations

import gc
import weakref
from datetime import date
from pathlib import Path

import pytest
import streamlit as st
from streamlit.runtime.secrets import Secrets
from streamlit.testing.v1 import AppTest

from analytics.backup import list_backups
from analytics.spreadsheets import tables as spreadsheets
from analytics.spreadsheets.export import workbook_bytes
from analytics.store import Store
from pages.support import session
from tests.support.apptest_tools import STORE_KEY, ok, texts

ROOT = Path(__file__).resolve().parents[2]
CSV = (
    b"career,interviewee,date,criterion,rating\n"
    b"Lighthouse Keeper,Ann Ode,2026-09-01,Investigative,5\n"
    b"Lighthouse Keeper,Ann Ode,2026-09-01,Social,4\n"
)


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def secrets(data: dict) -> Secrets:
    made = Secrets()
    made._secrets = data  # what AppTest does with ``at.secrets``
    return made


@pytest.fixture
def session_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAREER_FIT_STORAGE", "session")
    monkeypatch.delenv("CAREER_FIT_DB", raising=False)


def names(store: Store) -> set[str]:
    return {c.name for c in store.careers()}


# -- choosing the mode ---------------------------------------------------------------------------------------


def test_the_mode_comes_from_the_environment_then_the_secrets(monkeypatch, tmp_path: Path) -> None:
    for name in ("CAREER_FIT_STORAGE", "CAREER_FIT_DB"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(st, "secrets", secrets({}))
    assert session.storage_mode() == "local"
    monkeypatch.setattr(st, "secrets", secrets({"career_fit": {"storage": " Session ", "db": str(tmp_path / "x")}}))
    assert session.storage_mode() == "session"
    assert session.configured_path() == str(tmp_path / "x")
    monkeypatch.setattr(st, "secrets", secrets({"CAREER_FIT_STORAGE": "session", "career_fit": {"storage": "local"}}))
    assert session.storage_mode() == "session"  # the top-level secret first (Community Cloud: also an env var)
    monkeypatch.setenv("CAREER_FIT_STORAGE", "local")
    assert session.storage_mode() == "local"  # the environment wins
    monkeypatch.setenv("CAREER_FIT_STORAGE", "cloud")
    assert session.storage_mode() == "cloud"  # unknown: the app says so
    monkeypatch.delenv("CAREER_FIT_STORAGE")
    monkeypatch.setattr(st, "secrets", secrets({}))
    monkeypatch.setenv("CAREER_FIT_DB", ":memory:")
    assert session.storage_mode() == "session"  # a store in memory is never shared between visitors
    monkeypatch.setenv("CAREER_FIT_STORAGE", "local")
    assert session.storage_mode() == "session"


def test_an_unknown_mode_is_a_clear_message_not_a_traceback(monkeypatch) -> None:
    monkeypatch.delenv("CAREER_FIT_STORAGE", raising=False)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.secrets["career_fit"] = {"storage": "shared-disk"}
    at.run()
    assert not at.exception
    [error] = at.error
    assert "shared-disk" in error.value.replace("\\", "") and "local" in error.value and "session" in error.value
    assert STORE_KEY not in at.session_state


# -- session mode ------------------------------------------------------------------------------------------


def test_two_sessions_never_see_each_others_data(session_mode, open_app) -> None:
    first = ok(open_app("data"))
    second = ok(open_app("overview"))
    mine: Store = first.session_state[STORE_KEY]
    theirs: Store = second.session_state[STORE_KEY]
    assert mine is not theirs and mine.in_memory and theirs.in_memory
    demo = names(theirs)

    first.file_uploader[0].set_value(("lighthouse.csv", CSV, "text/csv")).run()
    ok(first.button(key="data_import").click().run())
    assert "Lighthouse Keeper" in names(mine)
    ok(first.switch_page("pages/career_fit.py").run())
    assert "Lighthouse Keeper" in list(first.dataframe[0].value["Career"])

    ok(second.switch_page("pages/career_fit.py").run())
    assert "Lighthouse Keeper" not in list(second.dataframe[0].value["Career"])
    assert names(theirs) == demo and theirs.imports() == []
    theirs.save_interview("Only Theirs", "Bo", date(2026, 9, 2), ratings={theirs.criteria()[0].id: 4})
    third = ok(open_app("career_fit"))  # a new visitor starts on the demo, sees neither
    assert not {"Only Theirs", "Lighthouse Keeper"} & set(third.dataframe[0].value["Career"])
    assert "Only Theirs" not in names(mine)


def test_a_visit_that_has_ended_gives_its_store_back_when_the_next_visitor_arrives(
    session_mode, open_app, monkeypatch
) -> None:
    """A visit's objects hold each other in cycles, so its store (about 17 MB with the demo) waits for a full
    collection, and Streamlit makes none after every run here (.streamlit/config.toml): a new visit makes it."""
    collecting = gc.isenabled()
    gc.disable()  # no collection by chance: only the next visit's may free the store
    try:
        first = ok(open_app("overview"))
        ended = weakref.ref(first.session_state[STORE_KEY])
        del first  # the tab is closed and Streamlit has dropped the session
        assert ended() is not None  # still held, in cycles
        monkeypatch.setattr(session, "_SWEEP", {"last": 0.0})  # the last sweep (the first visit's) was long ago
        second = ok(open_app("overview"))  # the next visitor
        assert ended() is None
        assert second.session_state[STORE_KEY].in_memory
    finally:
        if collecting:
            gc.enable()


def test_the_session_notice_download_and_upload_are_in_the_sidebar(session_mode) -> None:
    at = ok(AppTest.from_file(str(ROOT / "app.py"), default_timeout=30).run())  # Overview, with the sidebar
    assert at.session_state[STORE_KEY].in_memory
    [notice] = at.sidebar.warning
    assert "only for this visit" in notice.value
    assert any("only for this visit" in i.value for i in at.info)  # and on Overview
    assert [d.label for d in at.sidebar.get("download_button")] == ["Download my workbook"]
    assert at.sidebar.file_uploader[0].label == "Carry on from a saved workbook"


def sidebar_only() -> None:
    """The app's sidebar alone (AppTest reruns only the page script of an st.navigation app, not app.py)."""
    import streamlit as st

    from pages.support.feedback import show_flashes
    from pages.support.session import open_app_store, session_panel

    store = open_app_store()
    show_flashes()
    with st.sidebar:
        session_panel(store)


def test_a_saved_workbook_uploaded_in_the_sidebar_replaces_the_data_after_a_backup(session_mode) -> None:
    saved = Store(":memory:")
    saved.save_interview("Harbour Pilot", "Ann", date(2026, 3, 1), ratings={saved.criteria()[0].id: 5})
    at = ok(AppTest.from_function(sidebar_only, default_timeout=30).run())
    store: Store = at.session_state[STORE_KEY]
    at.sidebar.file_uploader[0].set_value(("my-work.xlsx", workbook_bytes(saved), "application/octet-stream"))
    ok(button(at.run(), "Replace my data with this workbook").click().run())
    assert names(store) == {"Harbour Pilot"}  # exactly the workbook: the demo is gone, not merged
    assert store.criteria() == saved.criteria()
    assert "now what my-work.xlsx holds" in texts(at)
    [kept] = list_backups(store)
    assert kept.reason == "workbook" and kept.path is None
    assert not at.sidebar.file_uploader[0].value  # cleared for another time

    at.sidebar.file_uploader[0].set_value(("broken.xlsx", b"PK\x03\x04 not a workbook", "application/octet-stream"))
    button(at.run(), "Replace my data with this workbook").click().run()
    assert not at.exception and at.error  # a message, never a traceback
    assert names(store) == {"Harbour Pilot"} and len(list_backups(store)) == 1


def test_a_backup_is_restored_from_the_data_page_and_the_restore_is_backed_up(app_db: Path, open_app) -> None:
    at = ok(open_app("overview"))
    store: Store = at.session_state[STORE_KEY]
    ok(button(at, "Start my own, empty").click().run())
    ok(button(at, "Yes, start empty").click().run())
    store.add_career("Mine since")
    assert store.counts()["careers"] == 1

    data = ok(open_app("data"))
    [kept] = list_backups(store)
    assert data.selectbox(key="data_backup_pick").value == kept.file_name  # the newest is picked
    ok(data.button(key="data_restore").click().run())
    assert store.counts()["careers"] == 1  # nothing before the confirmation
    assert "Replace everything you have now" in texts(data)
    ok(data.button(key="data_restore_yes").click().run())
    assert store.counts()["careers"] == 9 and "Mine since" not in names(store)
    assert "Restored the backup" in texts(data)
    assert [b.reason for b in list_backups(store)] == ["restore", "start-empty"]
    history = next(d.value for d in data.dataframe if "Kept" in d.value.columns)
    assert list(history["Kept"]) == ["before restoring a backup", "before starting an empty store"]

    data.selectbox(key="data_backup_pick").set_value(list_backups(store)[0].file_name).run()
    ok(data.button(key="data_restore").click().run())
    ok(data.button(key="data_restore_yes").click().run())
    assert names(store) == {"Mine since"}  # the restore was undone


def test_an_upload_over_the_importers_bound_is_refused_with_a_message(app_db: Path, open_app, monkeypatch) -> None:
    monkeypatch.setattr(spreadsheets, "MAX_CSV_BYTES", 64)
    at = open_app("data")
    store: Store = at.session_state[STORE_KEY]
    before = store.counts()
    at.file_uploader[0].set_value(("lighthouse.csv", CSV, "text/csv")).run()
    assert not at.exception
    [error] = at.error
    assert "too large to import" in error.value and "64 bytes" in error.value and "split it" in error.value
    assert not any(b.key == "data_import" for b in at.button)
    assert store.counts() == before and store.imports() == []


def test_a_workbook_imported_on_the_data_page_replaces_or_adds_after_a_backup(app_db: Path, open_app) -> None:
    saved = Store(":memory:")
    saved.save_interview("Harbour Pilot", "Ann", date(2026, 3, 1), ratings={saved.criteria()[0].id: 5})
    workbook = workbook_bytes(saved)
    at = ok(open_app("data"))
    store: Store = at.session_state[STORE_KEY]
    demo = names(store)

    at.file_uploader[0].set_value(("mine.xlsx", workbook, "application/octet-stream")).run()
    ok(at.button(key="data_import").click().run())  # added to what is there
    assert names(store) == demo | {"Harbour Pilot"}
    assert [b.reason for b in list_backups(store)] == ["import"]

    at.file_uploader[0].set_value(("mine.xlsx", workbook, "application/octet-stream")).run()
    at.checkbox(key="data_replace_all").check().run()
    ok(at.button(key="data_import").click().run())  # the store becomes the workbook
    assert names(store) == {"Harbour Pilot"}
    assert [b.reason for b in list_backups(store)] == ["workbook", "import"]
    assert "Imported mine.xlsx" in texts(at)
