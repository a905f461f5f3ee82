"""The session's store: where the data lives (local file or this visit's memory), opening it, session mode's panel.

``local`` (the default): one DuckDB file that survives restarts, shared by every tab of this server.
``session`` (a shared deployment such as Streamlit Community Cloud): every browser session gets a store of
its own in memory, which lasts for the visit only.
"""

from __future__ import annotations

import gc
import os
import threading
import time
from datetime import date

import streamlit as st

from analytics.errors import CareerFitError
from analytics.store import MEMORY, Store, resolve_db_path
from pages.support.feedback import LOG, callback_action, flash
from pages.support.text import first_line, md

STORE_KEY = "career_fit_store"
# Pretend today is this date (a ``datetime.date``): for tests and demos, like ``career-fit reminders --today``.
TODAY_KEY = "career_fit_today"


def today() -> date:
    """The day the pages use for reminders, stage dates and "not in the future": the session's pretend day, else
    today."""
    pretend = st.session_state.get(TODAY_KEY)
    return pretend if isinstance(pretend, date) else date.today()


# -- where the data lives: the storage mode ---------------------------------------------------------------
#
# ``local`` (the default): one DuckDB file that survives restarts, shared by every tab of this server.
# ``session`` (a shared deployment such as Streamlit Community Cloud): every browser session gets a store of
# its own in memory, which lasts for the visit only. Chosen by ``$CAREER_FIT_STORAGE``, else the secret
# ``CAREER_FIT_STORAGE``, else ``storage`` under ``[career_fit]`` in the secrets; the file of local mode by
# ``$CAREER_FIT_DB``, else the secret ``CAREER_FIT_DB``, else ``db`` under ``[career_fit]``, else the per-user
# data file. A data file of ":memory:" means session mode (a store in memory is never shared).

STORAGE_ENV = "CAREER_FIT_STORAGE"
DB_ENV = "CAREER_FIT_DB"
SECRETS_SECTION = "career_fit"
LOCAL, SESSION = "local", "session"
STORAGE_MODES = (LOCAL, SESSION)
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SESSION_UPLOAD_VERSION = "session_upload_version"


def _first_run(store: Store) -> Store:
    """A newcomer's store opens on the demo data, with the welcome shown once."""
    if store.is_empty() and not store.get_setting("first_run_done", False):
        from analytics.demo import load_demo  # first paint: imported only when a store is new

        load_demo(store)
        store.set_setting("first_run_done", True)
        store.set_setting("welcome_pending", True)
    return store


def _secret(name: str, key: str) -> str | None:
    """A setting from ``st.secrets``: the top-level ``name``, else ``key`` under ``[career_fit]``."""
    try:
        if not st.secrets.load_if_toml_exists():
            return None
        value = st.secrets.get(name)
        if value is None:
            section = st.secrets.get(SECRETS_SECTION)
            value = section.get(key) if section is not None and hasattr(section, "get") else None
    except Exception:  # an unreadable secrets file must not keep the app from opening
        LOG.warning("cannot read %s from st.secrets", name, exc_info=True)
        return None
    text = "" if value is None else str(value).strip()
    return text or None


def _configured(env: str, key: str) -> str | None:
    """The environment variable ``env``, else the same name in the secrets, else ``key`` under [career_fit]."""
    return os.environ.get(env, "").strip() or _secret(env, key)


def configured_path() -> str:
    """The data file of local mode (``":memory:"`` stands for session mode)."""
    return resolve_db_path(_configured(DB_ENV, "db"))


def storage_mode() -> str:
    """``local`` or ``session`` as configured, lower-cased; any other value is returned as given (an error)."""
    value = _configured(STORAGE_ENV, "storage")
    if value:
        mode = value.lower()
        return SESSION if mode == LOCAL and configured_path() == MEMORY else mode
    return SESSION if configured_path() == MEMORY else LOCAL


@st.cache_resource(show_spinner=False)
def _local_store(path: str) -> Store:
    """One store (one DuckDB connection) per file for the whole server process."""
    return _first_run(Store(path))


def _session_store() -> Store:
    """A store of this browser session's own: its own in-memory DuckDB database, the demo on first visit."""
    _free_ended_visits()
    return _first_run(Store(MEMORY))


_SWEEP = {"last": 0.0}
_SWEEP_LOCK = threading.Lock()
SWEEP_EVERY = 10.0  # seconds


def _free_ended_visits() -> None:
    """Give back the memory of visits that have ended, when a new visitor arrives (at most every 10 s).

    Streamlit drops an ended session some time after its tab closed (``server.disconnectedSessionTTL``, then
    at a later disconnect), but the session's objects hold each other in cycles, so its store (a DuckDB
    database of about 17 MB with the demo, and its threads) is only freed by Python's cycle collector, which
    a quiet server may not run for a long time.
    """
    now = time.monotonic()
    with _SWEEP_LOCK:
        if now - _SWEEP["last"] < SWEEP_EVERY:
            return
        _SWEEP["last"] = now
    gc.collect()


def open_app_store() -> Store:
    """Open (or reuse) the store for this session; stop the page with a message if it cannot."""
    if STORE_KEY in st.session_state:
        return st.session_state[STORE_KEY]
    mode = storage_mode()
    if mode not in STORAGE_MODES:
        st.error(
            f'Career Fit cannot start: the storage mode is "{md(mode)}", which it does not know. Set '
            f"`{STORAGE_ENV}` (or `storage` under `[{SECRETS_SECTION}]` in the secrets) to `local`, for a data "
            "file on this computer, or `session`, for a store per visitor on a shared deployment.",
            icon=":material/error:",
        )
        st.stop()
    try:
        store = _session_store() if mode == SESSION else _local_store(configured_path())
    except CareerFitError as error:
        st.error(f"Career Fit cannot open its data file. {md(error)}")
        st.stop()
    except Exception as error:  # never a traceback in front of the user; the log keeps it
        LOG.exception("cannot open the store (%s mode)", mode)
        st.error(f"Career Fit cannot open its data: {md(first_line(error))}. Reload the page to try again.")
        st.stop()
    st.session_state[STORE_KEY] = store
    return store


def get_store() -> Store:
    """The store of this session (``app.py`` opens it before any page runs)."""
    return st.session_state[STORE_KEY] if STORE_KEY in st.session_state else open_app_store()


def is_session_store(store: Store) -> bool:
    """True in session mode: the store lives in memory for this visit only."""
    return store.in_memory


def storage_label(store: Store) -> str:
    if store.in_memory:
        return "in memory, for this visit only"
    return store.path


SESSION_NOTICE = (
    "**Your data lasts only for this visit.** Nothing is kept once you close or reload this tab: download your "
    "workbook to keep your work, and upload it on your next visit to carry on."
)


def session_panel(store: Store) -> None:
    """Session mode, in the sidebar of every page: the notice, the workbook download and the upload."""
    if not is_session_store(store):
        return
    try:
        _session_panel(store)
    except Exception as error:  # the sidebar must never show a traceback either
        LOG.exception("the session panel failed")
        st.error(f"The workbook download and upload are not available: {md(first_line(error))}.")


def _session_panel(store: Store) -> None:
    from analytics.spreadsheets.export import workbook_bytes  # session mode only: the first paint goes without

    st.warning(SESSION_NOTICE, icon=":material/timer:")
    st.download_button(
        "Download my workbook",
        data=lambda: workbook_bytes(store),
        file_name="career-fit.xlsx",
        mime=XLSX_MIME,
        icon=":material/download:",
        key="session_download",
        help="Everything you entered, as an .xlsx workbook you can open in Excel and upload here next time.",
        width="stretch",
    )
    version = st.session_state.setdefault(SESSION_UPLOAD_VERSION, 0)
    key = f"session_upload_{version}"
    uploaded = st.file_uploader("Carry on from a saved workbook", type=["xlsx"], key=key)
    if uploaded is not None:
        st.button(
            "Replace my data with this workbook",
            type="primary",
            key="session_replace",
            on_click=_replace_from_upload,
            args=(store, key),
            help="Your data becomes exactly what the workbook holds. A backup of what you have now is kept first "
            "(restore it on the Data page).",
            width="stretch",
        )


def _replace_from_upload(store: Store, key: str) -> None:
    file = st.session_state.get(key)
    if file is None:
        return

    def act() -> None:
        from analytics.backup import replace_from_workbook
        from analytics.spreadsheets.ingest import check_size

        check_size(file.size, file.name)
        backup, report = replace_from_workbook(store, file.getvalue(), file.name)
        st.session_state[SESSION_UPLOAD_VERSION] = st.session_state.get(SESSION_UPLOAD_VERSION, 0) + 1
        summary = "; ".join(md(line) for line in report.summary_lines()[1:])
        flash(f"Your data is now what {md(file.name)} holds ({summary}). {md(backup.describe())}")

    callback_action(act)
