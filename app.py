"""Career Fit: the entry point. Page config, navigation over ``pages/`` and the shared store."""

from __future__ import annotations

import streamlit as st

# First, before the app's own modules load: the tab's title and icon reach the browser at once.
st.set_page_config(page_title="Career Fit", page_icon=":material/explore:", layout="wide")

from pages.support.startup import first_run_of_process  # noqa: E402

with first_run_of_process():
    from pages.support.feedback import run_page
    from pages.support.session import open_app_store, session_panel, storage_label
    from pages.support.text import md

    store = open_app_store()

    PAGES = [
        st.Page("pages/overview.py", title="Overview", icon=":material/home:", default=True),
        st.Page("pages/profile.py", title="My profile", icon=":material/tune:"),
        st.Page("pages/interviews.py", title="Interviews", icon=":material/forum:"),
        st.Page("pages/career_fit.py", title="Career fit", icon=":material/leaderboard:"),
        st.Page("pages/explore.py", title="Explore next", icon=":material/travel_explore:"),
        st.Page("pages/discover.py", title="Discover", icon=":material/public:"),
        st.Page("pages/data.py", title="Data", icon=":material/upload_file:"),
    ]

    page = st.navigation(PAGES)
    with st.sidebar:
        session_panel(store)  # session mode: the data lasts for the visit; download and upload at hand
        st.caption(f"Data stored: {md(storage_label(store))}")
    run_page(page)
