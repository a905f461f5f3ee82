"""The app's pages; ``app.py`` lists them with ``st.navigation``.

Streamlit treats a ``pages/`` folder next to the entry script as a legacy (v1) multipage app until some
session of the server process calls ``st.navigation``. On a fresh server whose first visitor opens a page's
address directly (``/interviews``), Streamlit would run ``pages/interviews.py`` on its own, without
``app.py``, and list every file of this folder in the sidebar. Every page imports
this package first, so here that first run is turned into a run of ``app.py``: the legacy mode is switched
off (as ``st.navigation`` itself does) and the run starts again, on the same page, through the app's own
navigation. Renaming the folder (Streamlit suggests ``app_pages/``) would make this unnecessary.
"""

from __future__ import annotations

import warnings
from pathlib import Path

GUARD_UNTESTED = (
    "Career Fit: this Streamlit ({version}) no longer has {missing}, which pages/__init__.py uses to keep "
    "Streamlit's legacy pages/ mode off. The app is tested on the Streamlit pyproject.toml pins; on this one, a "
    "first visit to a page's own address may run that page without app.py. Install the pinned Streamlit, or "
    "rename pages/ to app_pages/ (and the paths in app.py) and delete this guard."
)


def _warn_guard_untested(missing: str) -> None:
    """Say plainly that the guard cannot work, instead of letting pages misbehave silently."""
    import streamlit

    version = getattr(streamlit, "__version__", "unknown version")
    warnings.warn(GUARD_UNTESTED.format(version=version, missing=missing), RuntimeWarning, stacklevel=3)


def _leave_legacy_pages_mode() -> None:
    try:
        from streamlit.runtime.pages_manager import PagesManager
        from streamlit.runtime.scriptrunner import get_script_run_ctx
    except ImportError:
        _warn_guard_untested("streamlit.runtime.pages_manager.PagesManager or get_script_run_ctx")
        return
    if not hasattr(PagesManager, "uses_pages_directory"):
        _warn_guard_untested("PagesManager.uses_pages_directory")
        return
    if not PagesManager.uses_pages_directory:
        return
    PagesManager.uses_pages_directory = False
    ctx = get_script_run_ctx()
    if ctx is None:  # imported outside a script run (tests, tools)
        return
    try:
        page = ctx.pages_manager.get_pages().get(ctx.page_script_hash)
        running = page.get("script_path", "") if page else ""
        if running and Path(running).resolve() == Path(ctx.pages_manager.main_script_path).resolve():
            return  # the legacy run is running app.py itself: its st.navigation takes over from here
    except (AttributeError, OSError):
        pass
    import streamlit as st

    st.rerun()  # a page ran on its own: run again, through app.py, on the same page


_leave_legacy_pages_mode()
