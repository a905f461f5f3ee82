"""Feedback: a user's action runs, and what happened shows as one plain message, never a traceback.

Writes run in widget callbacks (:func:`callback_action`), so the page redraws from the new data; their
messages survive that rerun through :func:`flash` and show where the page calls :func:`show_flashes`. An action
that leads to another page names it with :func:`open_page_next`, so that its message shows there and not, for a
moment, on the page being left.
Errors of the engine arrive as :class:`~analytics.errors.InvalidInputError` (one line per problem).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import streamlit as st

from analytics.errors import CareerFitError, InvalidInputError
from pages.support.text import first_line, md

FLASH_KEY = "career_fit_flash"
NEXT_PAGE_KEY = "career_fit_next_page"
LOG = logging.getLogger("career_fit.app")


def flash(message: str, kind: str = "success", *, slot: str = "") -> None:
    """Show ``message`` on the next run (kind: success, info, warning, error), where :func:`show_flashes` is
    called for ``slot`` ("" = the top of the page; a form names its own slot to show its errors next to it)."""
    st.session_state.setdefault(FLASH_KEY, []).append((slot, kind, message))


def show_flashes(slot: str = "") -> None:
    """Draw (once) the messages left for ``slot``; or, if an action asked for another page
    (:func:`open_page_next`), open that page, which shows them."""
    if (next_page := st.session_state.pop(NEXT_PAGE_KEY, None)) is not None:
        st.switch_page(next_page)  # ends this run: nothing of this page is shown
    pending = st.session_state.get(FLASH_KEY, [])
    mine = [m for m in pending if m[0] == slot]
    if not mine:
        return
    st.session_state[FLASH_KEY] = [m for m in pending if m[0] != slot]
    for _, kind, message in mine:
        if kind == "success":
            st.success(message, icon=":material/check_circle:")
        elif kind == "info":
            st.info(message, icon=":material/info:")
        elif kind == "warning":
            st.warning(message, icon=":material/warning:")
        else:
            st.error(message, icon=":material/error:")


SHOWN_PROBLEMS = 3


def problems_text(problems: list[Any] | tuple[Any, ...]) -> str:
    """Refused input as one message: the first few problems, one a line, and how many more there are."""
    lines = [md(p) for p in problems[:SHOWN_PROBLEMS]]
    if len(problems) > SHOWN_PROBLEMS:
        lines.append(f"… and {len(problems) - SHOWN_PROBLEMS:,} more problems of the same kind.")
    return "  \n".join(lines)


def callback_action(action: Callable[[], Any], success: str | None = None, *, slot: str = "") -> bool:
    """Run a write from a widget callback; its result or errors show as messages on the next run."""
    try:
        action()
    except InvalidInputError as error:
        flash(problems_text(error.problems), "error", slot=slot)
        return False
    except CareerFitError as error:
        flash(md(error), "error", slot=slot)
        return False
    except Exception as error:  # never a traceback in front of the user; the log keeps it
        LOG.exception("unexpected failure in a user action")
        flash(f"That did not work: {md(first_line(error))}. Nothing was changed.", "error", slot=slot)
        return False
    if success:
        flash(success, slot=slot)
    return True


@contextmanager
def user_action(success: str | None = None) -> Iterator[None]:
    """Run a write the user asked for during the page run; a plain message instead of a traceback."""
    try:
        yield
    except InvalidInputError as error:
        st.error(problems_text(error.problems), icon=":material/error:")
        return
    except CareerFitError as error:
        st.error(md(error), icon=":material/error:")
        return
    except Exception as error:
        LOG.exception("unexpected failure in a user action")
        st.error(f"That did not work: {md(first_line(error))}. Nothing was changed.", icon=":material/error:")
        return
    if success:
        st.toast(success, icon=":material/check_circle:")


def run_action(action: Callable[[], Any], success: str | None = None) -> bool:
    """Call ``action`` as a user action during the page run; True if it succeeded."""
    ok = False
    with user_action(success):
        action()
        ok = True
    return ok


def open_page_next(page: str) -> None:
    """From a widget callback: the run it starts shows ``page`` (a page file, e.g. ``pages/interviews.py``),
    with the messages flashed for it.

    The page that was clicked runs first; the switch happens where it would show its messages
    (:func:`show_flashes`), so it cannot use them up on the way, wherever in the page the button was."""
    st.session_state[NEXT_PAGE_KEY] = page


def run_page(page: Any) -> None:
    """Run the chosen page; a failure nobody foresaw shows as a message (the log keeps the traceback)."""
    try:
        page.run()
    except Exception as error:
        LOG.exception("page %s failed", getattr(page, "title", page))
        st.error(
            f"This page could not be drawn: {md(first_line(error))}. Your data is safe; reload the page, or "
            "open another page from the sidebar."
        )
