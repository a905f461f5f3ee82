"""What every page shares: the store of this session, error display and small drawing helpers.

Not a page itself (``app.py`` lists the pages explicitly). Pages stay thin: they read from
``analytics``, draw, and hand the user's actions back to ``analytics``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import streamlit as st

from analytics.demo import load_demo
from analytics.errors import CareerFitError, InvalidInputError
from analytics.store import Store, resolve_db_path

STORE_KEY = "career_fit_store"


@st.cache_resource(show_spinner=False)
def _local_store(path: str) -> Store:
    """One store (one DuckDB connection) per file for the whole server process."""
    store = Store(path)
    if store.is_empty() and not store.get_setting("first_run_done", False):
        load_demo(store)
        store.set_setting("first_run_done", True)
        store.set_setting("welcome_pending", True)
    return store


def open_app_store() -> Store:
    """Open (or reuse) the store for this session; stop the page with a message if it cannot."""
    if STORE_KEY in st.session_state:
        return st.session_state[STORE_KEY]
    path = resolve_db_path()
    try:
        store = _local_store(path)
    except CareerFitError as error:
        st.error(f"Career Fit cannot open its data file. {error}")
        st.stop()
    st.session_state[STORE_KEY] = store
    return store


def get_store() -> Store:
    """The store of this session (``app.py`` opens it before any page runs)."""
    return st.session_state[STORE_KEY] if STORE_KEY in st.session_state else open_app_store()


def storage_label(store: Store) -> str:
    if store.in_memory:
        return "in memory, for this visit only"
    return store.path


@contextmanager
def user_action(success: str | None = None) -> Iterator[None]:
    """Run a write the user asked for; show a plain message instead of a traceback if it fails."""
    try:
        yield
    except InvalidInputError as error:
        for problem in error.problems:
            st.error(problem)
        return
    except CareerFitError as error:
        st.error(str(error))
        return
    if success:
        st.toast(success)


def run_action(action: Callable[[], Any], success: str | None = None) -> bool:
    """Call ``action`` as a user action; True if it succeeded."""
    ok = False
    with user_action(success):
        action()
        ok = True
    return ok
