"""The Overview drawn: the welcome on first run, the top careers, how much has evidence, and what to do next.

A module rather than the page script itself: Streamlit compiles a page script from its source (with its
"magic") in every new server process, while an imported module's bytecode is cached, so ``pages/overview.py``,
the first page anyone sees, stays a two-line script and the first paint skips that compile.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import streamlit as st

from analytics.next_steps import NextStep, next_steps
from pages.sections.next_actions import render_next_actions
from pages.support import cache
from pages.support.feedback import callback_action, flash, show_flashes
from pages.support.session import is_session_store, today
from pages.support.text import band_text, chance_text, md, percent_text, score_text
from pages.support.widgets import PAGE_CAREER_FIT, PAGE_DATA, PAGE_EXPLORE, PAGE_INTERVIEWS, PAGE_PROFILE, page_links

if TYPE_CHECKING:
    from analytics.backup import Backup
    from analytics.beliefs import Standing
    from analytics.pipeline import Reminder
    from analytics.store import Store

METHOD_STEPS = (
    ("Identify your goals", "What do you want to learn about this career? Write it down before you ask anyone."),
    (
        "Find the right people",
        "Friends and relatives first, then alumni, LinkedIn, professional associations, unions and guilds.",
    ),
    (
        "Ask for the interview",
        "A short, tailored email: who you are, your interests, why this person, a shared connection, "
        "15-30 minutes by phone or in person.",
    ),
    ("Do your homework", "Research the organisation and the person (talks, papers) and prepare your questions."),
    ("Take notes", "Write down what you hear, and be ready to answer questions about yourself."),
    ("Follow up", "Thank them within a day and keep in touch. Then rate the career here while it is fresh."),
)
CONFIRM_KEY = "overview_confirm"
BACKUP_KEY = "overview_backup"
TOP = 5


def render_overview(store: Store) -> None:
    """The whole Overview, top to bottom: everything it shows is read first, then drawn in one go.

    The browser draws the page again for every batch of elements that reaches it while the script still
    runs. On a fresh server the reads import numpy and DuckDB and rank every career; elements sent before
    them would be drawn once more when the rest arrives, which is most of what the first page costs the
    browser. Read first, the page arrives (after the navigation) as one batch.
    """
    welcome = bool(store.get_setting("welcome_pending", False))
    counts = cache.counts(store)
    view = read_standing(store) if counts["careers"] else None
    show_flashes()  # (or, just after an action that opens another page, that page)
    st.title("Career Fit")
    st.caption("Decide which careers fit you, from the informational interviews you hold.")
    if is_session_store(store):
        st.info(
            "**Your data lasts only for this visit**: this shared app keeps nothing once you close or reload the "
            "tab, and nobody else sees what you enter. Use **Download my workbook** in the sidebar to keep your "
            "work, and upload the workbook there on your next visit to carry on.",
            icon=":material/timer:",
        )
    if welcome:
        welcome_panel(store)
    if view is None:
        start_here(store)
    else:
        standing(store, view, counts)
    if not welcome:
        with st.expander("The informational-interview method, in six steps", icon=":material/school:"):
            method_steps()
        with st.expander("Start over", icon=":material/restart_alt:"):
            st.markdown(
                "Start an empty store of your own, or go back to the demo data. Either way a backup of everything "
                "you have now is kept first."
            )
            left = right = st.container(horizontal=True)
            left.button("Start an empty store", on_click=ask, args=("empty",), key="start_over_empty")
            right.button("Load the demo data", on_click=ask, args=("demo",), key="start_over_demo")
        confirm_panel(store)
        last_backup()


def method_steps_text() -> str:
    """The six steps as Markdown paragraphs."""
    return "\n\n".join(f"**{n}. {title}.** {detail}" for n, (title, detail) in enumerate(METHOD_STEPS, start=1))


def method_steps() -> None:
    """The six steps as one block of text (one element: the first page paints sooner than with six)."""
    st.markdown(method_steps_text())


def _after_reset(store: Store, backup: Backup, what: str) -> None:
    st.session_state[BACKUP_KEY] = backup
    st.session_state.pop(CONFIRM_KEY, None)
    store.set_setting("welcome_pending", False)
    flash(f"{what} {md(backup.describe())}")


def _start_empty(store: Store) -> None:
    from analytics.backup import start_empty  # callbacks and backups import it: the first paint goes without

    callback_action(lambda: _after_reset(store, start_empty(store), "You now have an empty store of your own."))


def _reload_demo(store: Store) -> None:
    from analytics.backup import reload_demo

    callback_action(lambda: _after_reset(store, reload_demo(store), "The demo data is back."))


def _dismiss_welcome(store: Store) -> None:
    callback_action(lambda: store.set_setting("welcome_pending", False))


def confirm_panel(store: Store) -> None:
    """The second step of starting over: say what happens, keep a backup, then do it."""
    action = st.session_state.get(CONFIRM_KEY)
    if action is None:
        return
    with st.container(border=True):
        if action == "empty":
            st.markdown(
                "**Start an empty store of your own?** Every career, interview and rating shown now is removed "
                "and your profile goes back to the default criteria. A backup of everything is kept first."
            )
            confirm_label, on_confirm = "Yes, start empty", _start_empty
        else:
            st.markdown("**Replace everything with the demo data?** A backup of what you have now is kept first.")
            confirm_label, on_confirm = "Yes, load the demo", _reload_demo
        left = right = st.container(horizontal=True)
        left.button(confirm_label, type="primary", on_click=on_confirm, args=(store,), key="overview_confirm_yes")
        right.button("Cancel", on_click=lambda: st.session_state.pop(CONFIRM_KEY, None), key="overview_cancel")


def ask(action: str) -> None:
    st.session_state[CONFIRM_KEY] = action


def last_backup() -> None:
    backup: Backup | None = st.session_state.get(BACKUP_KEY)
    if backup is not None and backup.path is None:  # a backup in memory: offer to keep it
        from analytics.backup import backup_workbook

        st.download_button(
            "Download the backup workbook",
            lambda: backup_workbook(backup),
            file_name=backup.workbook_name,
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            icon=":material/download:",
            key="overview_backup_download",
        )


def welcome_panel(store: Store) -> None:
    """The first run: what an informational interview is, the method, and the way to a store of one's own."""
    with st.container(border=True):
        # the heading, the introduction and the six steps in one element: each element is one more for the
        # browser to draw
        st.markdown(
            "### Welcome! Find the careers that fit you, one conversation at a time\n\n"
            "An **informational interview** is a short (15-30 minute) conversation with someone who already "
            "works in a career you are curious about. Career Fit turns what you hear into a ranked, explained "
            "list: after each interview you rate the career on what matters to you (your interests, skills "
            "and values) and it scores every career against your profile, with how sure each score is.\n\n"
            + method_steps_text()
        )
        st.info(
            "**You are looking at demo data**: a student's profile, nine careers and a term of interviews. "
            "Look around, then start an empty store of your own (a backup of the demo is kept).",
            icon=":material/info:",
        )
        left = right = st.container(horizontal=True)
        left.button("Start my own, empty", type="primary", on_click=ask, args=("empty",), key="welcome_start")
        right.button("Keep exploring the demo", on_click=_dismiss_welcome, args=(store,), key="welcome_dismiss")
    confirm_panel(store)
    last_backup()


def start_here(store: Store) -> None:
    """An empty store: the quick start and the three steps to a ranked list."""
    from pages.sections.quick_start import render_quick_start

    render_quick_start(store)
    st.subheader("Start here")
    st.markdown(
        "Your store is empty. Three steps take you to a ranked list:\n\n"
        "1. **My profile**: check the criteria that matter to you and how much each one weighs "
        "(it starts with common interests, skills and work values).\n"
        "2. **Interviews**: after an informational interview, log it and rate the career on each criterion. "
        "Not interviewed anyone yet? Record your *expectations* of a career to see where it would rank.\n"
        "3. **Career fit**: see every career ranked, how sure each score is, and why.\n\n"
        "Already keep ratings in a spreadsheet? Import it on the **Data** page."
    )
    page_links(
        (PAGE_PROFILE, "My profile", ":material/tune:"),
        (PAGE_INTERVIEWS, "Log an interview", ":material/forum:"),
        (PAGE_DATA, "Import a spreadsheet", ":material/upload_file:"),
    )


@dataclass(frozen=True)
class StandingView:
    """What the Overview shows of a store with careers: the ranking, what to do next and the next actions."""

    standing: Standing
    steps: list[NextStep]
    reminders: list[Reminder]


def read_standing(store: Store) -> StandingView:
    """Everything :func:`standing` draws, read (and on a fresh server, ranked) before anything is drawn."""
    ranking = cache.standing(store, TOP)
    return StandingView(ranking, next_steps(cache.criteria(store), ranking), cache.reminders(store, today()))


def standing(store: Store, view: StandingView, counts: dict[str, int]) -> None:
    """Where the user stands: the counts, the top careers, what to do next and the pipeline's next actions."""
    ranking = view.standing
    rated_careers = ranking.interviewed
    # one horizontal container lays the four out in a row as four columns would, in five elements instead of nine
    row = st.container(horizontal=True)
    row.metric("Careers", counts["careers"], help="Careers you are exploring, interviewed or not.")
    row.metric("Interviewed", rated_careers, help="Careers with at least one rated interview: they have a fit.")
    row.metric("Interviews", counts["interviews"], help="Interviews logged, at any stage.")
    row.metric(
        "Evidence",
        percent_text(ranking.mean_coverage),
        help="Coverage: the share of what matters to you (your criteria, by weight) that interviews have rated, "
        "averaged over the interviewed careers.",
    )

    # The heading, a plain Markdown table (five rows need no data grid) and its key in one element: the page
    # paints sooner with fewer elements for the browser to draw. No centred column (":-:"): the browser reads
    # any ":word:" in Markdown as an emoji code and loads its emoji library (260 kB of script) to look it up.
    lines = [
        "### Top careers",
        "",
        "| # | Career | Fit | Band | Chance best | Expected fit | Interviews | Coverage |",
        "|--:|:--|--:|:--|--:|--:|--:|--:|",
    ]
    for number, score in enumerate(ranking.top, start=1):
        lines.append(
            f"| {number} | {md(score.career)} | **{score_text(score.fit)}** | {band_text(score)} | "
            f"{chance_text(score.p_best)} | {score_text(score.expected_fit)} | {score.interviews} | "
            f"{percent_text(score.coverage)} |"
        )
    key = (
        "Fit: the best estimate of how well the career fits your weighted profile (0-100), from your interviews, "
        "your expectations and O\\*NET. Band: where it could still move (about 90%). Chance best: that it is "
        "truly the best on your list. Expected fit: your view before interviewing. Coverage: how much of what "
        "matters to you the interviews have rated."
    )
    if not rated_careers:
        key += (
            " No career has been interviewed yet: the order above comes from your expectations (and O\\*NET). "
            "Log an interview to test them."
        )
    st.markdown("\n".join([*lines, "", f":small[:gray[{key}]]"]))
    st.page_link(PAGE_CAREER_FIT, label="See the full ranking and why", icon=":material/leaderboard:")

    st.markdown("\n".join(["### What to do next", "", *(f"- **{md(s.title)}.** {md(s.detail)}" for s in view.steps)]))
    page_links(
        (PAGE_INTERVIEWS, "Log or plan an interview", ":material/forum:"),
        (PAGE_EXPLORE, "Which career to explore next", ":material/travel_explore:"),
    )
    render_next_actions(store, view.reminders)
