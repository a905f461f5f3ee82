"""Small drawing helpers several pages share: page links, and choices whose labels follow the data.

Streamlit keeps a keyed select box's choice as the text of its option. When that text changes (a contact
renamed, an interview moved on a stage) the browser would keep showing the old text until the user picks
again; :func:`fresh_choice` hands the current choice back to the widget so the browser shows its new label.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import streamlit as st

PAGE_OVERVIEW = "pages/overview.py"
PAGE_PROFILE = "pages/profile.py"
PAGE_INTERVIEWS = "pages/interviews.py"
PAGE_CAREER_FIT = "pages/career_fit.py"
PAGE_EXPLORE = "pages/explore.py"
PAGE_DATA = "pages/data.py"


def fresh_choice(key: str, options: Iterable[Any], default: Any = None) -> None:
    """Before drawing the select box ``key``: keep its choice if still offered (else ``default``), and send it
    to the browser again so that its label is today's."""
    values = list(options)
    current = st.session_state.get(key, default)
    st.session_state[key] = current if current in values else default


def page_links(*links: tuple[str, str, str]) -> None:
    """A row of links to other pages: (page path, label, icon), in one horizontal container (columns would
    add a block per link for the browser to draw)."""
    row = st.container(horizontal=True)
    for page, label, icon in links:
        row.page_link(page, label=label, icon=icon)
