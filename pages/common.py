"""What every page shares: the store of this session, error display and small drawing helpers.

Not a page itself (``app.py`` lists the pages explicitly). Pages stay thin: they read from
``analytics``, draw, and hand the user's actions back to ``analytics``.
"""

from __future__ import annotations

import logging
import os
import re
import threading
import weakref
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import streamlit as st

from analytics.demo import load_demo
from analytics.errors import CareerFitError, InvalidInputError
from analytics.models import DIMENSIONS, Criterion
from analytics.scoring import CareerScore, rank
from analytics.store import MEMORY, Store, resolve_db_path

STORE_KEY = "career_fit_store"
FLASH_KEY = "career_fit_flash"
LOG = logging.getLogger("career_fit.app")

DIMENSION_LABELS = {"interest": "Interests", "skill": "Skills", "value": "Values"}
UNASSIGNED_LABEL = "Unassigned"
RATING_SCALE = "1 = the career does not offer it at all, 5 = it offers it fully"

PAGE_OVERVIEW = "pages/overview.py"
PAGE_PROFILE = "pages/profile.py"
PAGE_INTERVIEWS = "pages/interviews.py"
PAGE_CAREER_FIT = "pages/career_fit.py"
PAGE_EXPLORE = "pages/explore.py"
PAGE_DATA = "pages/data.py"


def _first_run(store: Store) -> Store:
    """A newcomer's store opens on the demo data, with the welcome shown once."""
    if store.is_empty() and not store.get_setting("first_run_done", False):
        load_demo(store)
        store.set_setting("first_run_done", True)
        store.set_setting("welcome_pending", True)
    return store


@st.cache_resource(show_spinner=False)
def _local_store(path: str) -> Store:
    """One store (one DuckDB connection) per file for the whole server process."""
    return _first_run(Store(path))


def open_app_store() -> Store:
    """Open (or reuse) the store for this session; stop the page with a message if it cannot."""
    if STORE_KEY in st.session_state:
        return st.session_state[STORE_KEY]
    path = configured_path()
    try:
        # In memory (a shared deployment): every browser session gets a store of its own.
        store = _first_run(Store(MEMORY)) if path == MEMORY else _local_store(path)
    except CareerFitError as error:
        st.error(f"Career Fit cannot open its data file. {md(error)}")
        st.stop()
    st.session_state[STORE_KEY] = store
    return store


def configured_path() -> str:
    """Where the data lives: ``$CAREER_FIT_DB``, else ``CAREER_FIT_DB`` in ``st.secrets`` (Community Cloud:
    ``":memory:"`` gives every visitor a store of their own), else the per-user data file."""
    if os.environ.get("CAREER_FIT_DB", "").strip():
        return resolve_db_path()
    try:
        secret = st.secrets.get("CAREER_FIT_DB") if st.secrets.load_if_toml_exists() else None
    except Exception:  # an unreadable secrets file must not keep the app from opening
        LOG.warning("cannot read CAREER_FIT_DB from st.secrets", exc_info=True)
        secret = None
    return resolve_db_path(str(secret).strip() or None if secret else None)


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
            st.error(md(problem))
        return
    except CareerFitError as error:
        st.error(md(error))
        return
    except Exception as error:  # never a traceback in front of the user; the log keeps it
        LOG.exception("unexpected failure in a user action")
        st.error(f"That did not work: {md(_first_line(error))}. Nothing was changed.")
        return
    if success:
        st.toast(success)


def run_page(page: Any) -> None:
    """Run the chosen page; a failure nobody foresaw shows as a message (the log keeps the traceback)."""
    try:
        page.run()
    except Exception as error:
        LOG.exception("page %s failed", getattr(page, "title", page))
        st.error(
            f"This page could not be drawn: {md(_first_line(error))}. Your data is safe; reload the page, or "
            "open another page from the sidebar."
        )


def run_action(action: Callable[[], Any], success: str | None = None) -> bool:
    """Call ``action`` as a user action; True if it succeeded."""
    ok = False
    with user_action(success):
        action()
        ok = True
    return ok


# -- messages that survive the rerun after a widget callback ---------------------------------------


def flash(message: str, kind: str = "success") -> None:
    """Show ``message`` at the top of the next page run (kind: success, info, warning, error)."""
    st.session_state.setdefault(FLASH_KEY, []).append((kind, message))


def show_flashes() -> None:
    """Draw (once) the messages left by callbacks; a success also shows as a toast."""
    for kind, message in st.session_state.pop(FLASH_KEY, []):
        if kind == "success":
            st.success(message, icon=":material/check_circle:")
        elif kind == "info":
            st.info(message)
        elif kind == "warning":
            st.warning(message)
        else:
            st.error(message)


def callback_action(action: Callable[[], Any], success: str | None = None) -> bool:
    """Run a write from a widget callback; its result or errors show as messages on the next run."""
    try:
        action()
    except InvalidInputError as error:
        for problem in error.problems:
            flash(md(problem), "error")
        return False
    except CareerFitError as error:
        flash(md(error), "error")
        return False
    except Exception as error:
        LOG.exception("unexpected failure in a user action")
        flash(f"That did not work: {md(_first_line(error))}. Nothing was changed.", "error")
        return False
    if success:
        flash(success)
    return True


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


# -- reads shared by several pages -------------------------------------------------------------------

_RANK_CACHE: weakref.WeakKeyDictionary[Store, tuple[int, list[CareerScore]]] = weakref.WeakKeyDictionary()
_RANK_LOCK = threading.Lock()


def ranking(store: Store) -> list[CareerScore]:
    """``scoring.rank(store)``, computed once per change of the data (every write bumps the revision)."""
    with _RANK_LOCK:
        cached = _RANK_CACHE.get(store)
    if cached is not None and cached[0] == store.revision:
        return cached[1]
    revision = store.revision
    scores = rank(store)
    with _RANK_LOCK:
        _RANK_CACHE[store] = (revision, scores)
    return scores


def by_dimension(criteria: Iterable[Criterion]) -> list[tuple[str, list[Criterion]]]:
    """Criteria grouped for display: interests, skills, values, then the unassigned ones."""
    groups: dict[str | None, list[Criterion]] = {d: [] for d in (*DIMENSIONS, None)}
    for criterion in criteria:
        groups.setdefault(criterion.dimension, []).append(criterion)
    return [
        (DIMENSION_LABELS.get(d, UNASSIGNED_LABEL) if d else UNASSIGNED_LABEL, members)
        for d, members in groups.items()
        if members
    ]


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$=:])")


def md(text: object, *, one_line: bool = True) -> str:
    """User text made safe inside Markdown (labels, captions, messages): every Markdown character escaped.

    Without this a note such as "pay: $50k-$60k" would render as LaTeX and a name with ``*`` as italics.
    """
    raw = str(text or "")
    if one_line:
        return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(raw.split()))
    paragraphs = [" ".join(p.split()) for p in raw.replace("\r\n", "\n").split("\n\n")]
    return "\n\n".join(_MARKDOWN_SPECIAL.sub(r"\\\1", p) for p in paragraphs if p)


def score_text(value: float | None, digits: int = 0) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def band_text(score: CareerScore) -> str:
    if score.low is None or score.high is None:
        return "—"
    return f"{score.low:.0f}–{score.high:.0f}"


def interview_label(held_on: Any, interviewee: str) -> str:
    who = interviewee or "unnamed interviewee"
    return f"{who}, {held_on:%d %b %Y}" if held_on else f"{who}, no date"


def page_links(*links: tuple[str, str, str]) -> None:
    """A row of links to other pages: (page path, label, icon)."""
    columns = st.columns(len(links))
    for column, (page, label, icon) in zip(columns, links, strict=True):
        with column:
            st.page_link(page, label=label, icon=icon)
