"""What every page shares: the store of this session, error display and small drawing helpers.

Not a page itself (``app.py`` lists the pages explicitly). Pages stay thin: they read from
``analytics``, draw, and hand the user's actions back to ``analytics``.
"""

from __future__ import annotations

import gc
import html
import logging
import os
import re
import threading
import time
import weakref
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import streamlit as st

from analytics.backup import replace_from_workbook
from analytics.beliefs import Assessment, CareerScore, assess
from analytics.demo import load_demo
from analytics.errors import CareerFitError, InvalidInputError
from analytics.models import DIMENSIONS, Criterion
from analytics.numbers import shown, shown_text
from analytics.spreadsheets.export import workbook_bytes
from analytics.spreadsheets.ingest import check_size
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
            value = section.get(key) if hasattr(section, "get") else None
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
            f"Career Fit cannot start: the storage mode is \"{md(mode)}\", which it does not know. Set "
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
        st.error(f"Career Fit cannot open its data: {md(_first_line(error))}. Reload the page to try again.")
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
        st.error(f"The workbook download and upload are not available: {md(_first_line(error))}.")


def _session_panel(store: Store) -> None:
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
        check_size(file.size, file.name)
        backup, report = replace_from_workbook(store, file.getvalue(), file.name)
        st.session_state[SESSION_UPLOAD_VERSION] = st.session_state.get(SESSION_UPLOAD_VERSION, 0) + 1
        summary = "; ".join(md(line) for line in report.summary_lines()[1:])
        flash(f"Your data is now what {md(file.name)} holds ({summary}). {md(backup.describe())}")

    callback_action(act)


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

_RANK_CACHE: weakref.WeakKeyDictionary[Store, tuple[int, Assessment]] = weakref.WeakKeyDictionary()
_RANK_LOCK = threading.Lock()


def assessment(store: Store) -> Assessment:
    """``beliefs.assess(store)``, computed once per change of the data (every write bumps the revision)."""
    with _RANK_LOCK:
        cached = _RANK_CACHE.get(store)
    if cached is not None and cached[0] == store.revision:
        return cached[1]
    revision = store.revision
    result = assess(store)
    with _RANK_LOCK:
        _RANK_CACHE[store] = (revision, result)
    return result


def ranking(store: Store) -> list[CareerScore]:
    """Every career in ranking order (see :func:`assessment`)."""
    return list(assessment(store).scores)


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


def plotly_text(text: object) -> str:
    """User text made safe inside Plotly's tick labels, legends and hover text, which render a subset of HTML:
    ``<``, ``>``, ``&`` and ``%`` (a hover template's placeholders) as entities, which Plotly turns back into
    the characters (it knows no ``&quot;``, so quotes stay as they are: outside a tag they are harmless)."""
    return html.escape(str(text or ""), quote=False).replace("%", "&#37;")


def score_text(value: float | None) -> str:
    """A fit as the whole number a person sees (the one rounding rule), "—" when there is none."""
    return shown_text(value, "—")


def chance_text(chance: float | None) -> str:
    """The chance a career is the best, as a person reads it: "<1%" rather than a misleading 0%."""
    if chance is None:
        return "—"
    if 0 < chance < 0.005:
        return "<1%"
    if 0.995 < chance < 1:
        return ">99%"
    return f"{shown(100 * chance)}%"


def band_text(score: CareerScore) -> str:
    if score.low is None or score.high is None:
        return "—"
    return f"{shown(score.low)}–{shown(score.high)}"


def interview_label(held_on: Any, interviewee: str) -> str:
    who = interviewee or "unnamed interviewee"
    return f"{who}, {held_on:%d %b %Y}" if held_on else f"{who}, no date"


def page_links(*links: tuple[str, str, str]) -> None:
    """A row of links to other pages: (page path, label, icon)."""
    columns = st.columns(len(links))
    for column, (page, label, icon) in zip(columns, links, strict=True):
        with column:
            st.page_link(page, label=label, icon=icon)
