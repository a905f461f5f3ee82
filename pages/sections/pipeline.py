"""The pipeline board on screen: interviews by stage, one click from their next stage, and adding someone to it.

Also what the Interviews page and others share to steer it: its tab and Log & rate keys, the hand-off that
opens a just-completed interview for rating, and :func:`plan_interview_button` for "investigate next". Every
rule lives in :mod:`analytics.pipeline`. Writes run in widget callbacks (through ``callback_action``) so the
page redraws from the new data; names and notes are user text, Markdown-escaped by ``md``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, time, timedelta
from typing import Literal

import streamlit as st

from analytics import pipeline
from analytics.errors import InvalidInputError
from analytics.models import Career, Interview
from analytics.store import Store
from pages.support import cache
from pages.support.feedback import callback_action, flash, open_page_next, show_flashes
from pages.support.session import today
from pages.support.text import md, when_text
from pages.support.widgets import PAGE_INTERVIEWS, fresh_choice

TAB_KEY = "interviews_tab"
TABS = ("Log & rate", "Expectations", "Pipeline", "Prepare", "Contacts")
LOG_CAREER = "log_career"
PLAN_KEY = "plan_interview_career"  # a career name or id to plan an interview for (set by other pages)
ADD_CAREER = "pipeline_add_career"
ADD_EXPANDED = "pipeline_add_open"
DEFAULT_TIME = time(10, 0)
BOARD_MORE = 10  # cards added to a column by "Show more"
COLUMN_HEIGHT = 430  # px: a column scrolls inside the board rather than pushing cards off it
SEARCH_KEY = "pipeline_search"
LIMITS_KEY = "pipeline_board_limits"  # stage -> how many cards its column shows
PINNED_KEY = "pipeline_board_pinned"  # the card last moved or added: kept in sight in its new column
ADD_SLOT = "pipeline_add"
MOVE_LABELS = {
    "identified": "Back to identified",
    "requested": "Mark requested",
    "scheduled": "Mark scheduled",
    "completed": "Mark completed",
    "thanked": "Mark thanked",
    "declined": "Declined",
}


def log_interview_key(career_id: int) -> str:
    """The Log & rate tab's interview choice for one career."""
    return f"log_interview_{career_id}"


def open_for_rating(interview: Interview) -> None:
    """Steer the Interviews page to Log & rate on ``interview`` (from a callback, before the page draws)."""
    st.session_state[TAB_KEY] = TABS[0]
    st.session_state[LOG_CAREER] = interview.career
    st.session_state.pop(f"{LOG_CAREER}_new", None)
    st.session_state[log_interview_key(interview.career_id)] = interview.id


def take_planned_career(career: Career | None, planned: object) -> None:
    """A career handed over to plan an interview for: open the Pipeline tab's "Add someone" form on it."""
    st.session_state.pop(PLAN_KEY, None)
    st.session_state[TAB_KEY] = TABS[2]
    st.session_state[ADD_EXPANDED] = True
    if career is not None:
        st.session_state[ADD_CAREER] = career.name
    else:
        st.session_state["pipeline_add_new_career"] = str(planned or "").strip()


# -- actions (widget callbacks) --------------------------------------------------------------------------


def move(store: Store, interview_id: int, to_stage: str, on: date, at_key: str | None = None) -> None:
    """Callback of a stage button; ``at_key`` names the date and time inputs of a scheduling move. A move to
    completed opens the interview in Log & rate, to rate it while it is fresh."""

    def act() -> None:
        at = None
        if at_key is not None:
            day = st.session_state.get(f"{at_key}_day")
            moment = st.session_state.get(f"{at_key}_time") or DEFAULT_TIME
            if day is None:
                raise InvalidInputError("pick the date of the interview to schedule it")
            at = pipeline.combine(day, moment)
        moved = pipeline.move_stage(store, interview_id, to_stage, on=on, at=at, today=today())
        st.session_state[PINNED_KEY] = interview_id
        who = md(moved.interviewee or "The interview")
        if to_stage == "completed":
            open_for_rating(moved)
            open_page_next(PAGE_INTERVIEWS)  # the whole page (from the board, a fragment, too), on Log & rate
            flash(f"{who}: completed. Rate the career now, while the conversation is fresh.")
        else:
            flash(f"{who}: {pipeline.stage_label(to_stage).lower()}.")

    callback_action(act)


# -- the board -------------------------------------------------------------------------------------------


@st.fragment
def render_pipeline_board(store: Store) -> None:
    """Interviews by stage, each card one click from its next stage; plus adding someone to the pipeline.

    Each column scrolls within the board and shows the cards to act on first
    (:func:`analytics.pipeline.board_view`), with "show more"; a search by person or career brings any card
    onto the board, and a compact table lists the rest. A fragment: a click on the board redraws the board
    only, unless it completes an interview (then its :func:`show_flashes` opens the whole page, on Log & rate).
    """
    show_flashes()
    day = today()
    st.subheader("Pipeline")
    st.caption(
        "Identified → requested → scheduled → completed → thanked. One click moves a card on and records the "
        "date; the Prepare tab moves a step back, skips ahead or records a move on another day."
    )
    cards = cache.board_cards(store)
    add_to_pipeline_form(store, day, open_it=not cards)
    if not cards:
        st.info(
            "Nobody in your pipeline yet. Add the people you could talk to under **Contacts**, then put each one "
            "here with **Add someone to talk to** above.",
            icon=":material/info:",
        )
        return
    search = ""
    if len(cards) > pipeline.BOARD_CARDS * len(pipeline.MAIN_STAGES):
        search = (
            st.text_input(
                "Find a person or career",
                key=SEARCH_KEY,
                type="search",
                live=True,
                placeholder="Type a name or a career to bring its cards onto the board",
                width=480,
            )
            or ""
        )
    limits = st.session_state.get(LIMITS_KEY) or {}
    pinned = st.session_state.get(PINNED_KEY)
    view = pipeline.board_view(
        cards, today=day, search=search, limits=limits, pinned=() if pinned is None else (pinned,)
    )
    if view.search and not view.matching:
        st.caption(f"No interview matches {md(view.search)}.")
    tallest = max(len(view.shown[s]) for s in pipeline.MAIN_STAGES)
    height: int | Literal["content"] = COLUMN_HEIGHT if tallest > 3 else "content"
    for stage, column in zip(pipeline.MAIN_STAGES, st.columns(len(pipeline.MAIN_STAGES)), strict=True):
        with column:
            st.markdown(heading(view, stage))
            with st.container(height=height, border=False):
                draw_column(store, view, stage, day, limits)
    if view.totals.get("declined"):
        with st.expander(heading(view, "declined", bold=False), icon=":material/block:"):
            draw_column(store, view, "declined", day, limits)
    rest_table(view)


def heading(view: pipeline.BoardView, stage: str, *, bold: bool = True) -> str:
    label = pipeline.stage_label(stage)
    count = f"{view.counts[stage]:,}" if not view.search else f"{view.counts[stage]:,} of {view.totals[stage]:,}"
    return f"**{label}** ({count})" if bold else f"{label} ({count})"


def draw_column(store: Store, view: pipeline.BoardView, stage: str, day: date, limits: dict[str, int]) -> None:
    shown = view.shown[stage]
    if not shown:
        st.caption("—")
    for card in shown:
        draw_card(store, card, day)
    hidden = view.hidden(stage)
    limit = limits.get(stage, pipeline.BOARD_CARDS)
    if hidden > 0:
        st.button(
            f"Show {min(hidden, BOARD_MORE)} more",
            key=f"pipeline_more_{stage}",
            type="tertiary",
            on_click=set_limit,
            args=(stage, limit + BOARD_MORE),
        )
    if limit > pipeline.BOARD_CARDS and len(shown) > pipeline.BOARD_CARDS:
        st.button(
            "Show fewer",
            key=f"pipeline_fewer_{stage}",
            type="tertiary",
            on_click=set_limit,
            args=(stage, pipeline.BOARD_CARDS),
        )


def set_limit(stage: str, limit: int) -> None:
    limits = dict(st.session_state.get(LIMITS_KEY) or {})
    limits[stage] = limit
    st.session_state[LIMITS_KEY] = limits


def rest_table(view: pipeline.BoardView) -> None:
    """The matching interviews without a card on the board, one compact row each."""
    if not view.rest:
        return
    st.markdown(f"**Not on the board** ({len(view.rest):,})")
    st.caption(
        "Each column shows the cards to act on first. Find any of these by name or career above, or show more "
        "in its column, to move it on."
    )
    st.dataframe(
        {
            "Stage": [pipeline.stage_label(c.stage) for c in view.rest],
            "Person": [c.interviewee for c in view.rest],
            "Career": [c.career for c in view.rest],
            "Date": [pipeline.display_day(c) for c in view.rest],
        },
        hide_index=True,
        height=280 if len(view.rest) > 7 else "auto",  # a short list whole, a long one scrolls
        placeholder="—",
        column_config={
            "Date": st.column_config.DateColumn(
                "Date",
                format="YYYY-MM-DD",
                help="When it reached its stage (for a scheduled interview: the appointment).",
            ),
        },
        key="pipeline_rest",
    )


def draw_card(store: Store, card: pipeline.BoardCard, day: date) -> None:
    """A compact card: the person, the career and the date on two lines, then its one-click move."""
    with st.container(border=True, key=f"pipeline_card_{card.id}", gap="small"):
        moment = card.scheduled_for if card.stage == "scheduled" else pipeline.display_day(card)
        st.markdown(f"**{md(card.interviewee or 'unnamed')}**  \n:gray[{md(card.career)} · {md(when_text(moment))}]")
        nxt = pipeline.next_stage(card.stage)
        prefix = f"board_{card.id}"
        if nxt == "scheduled":
            with st.popover(MOVE_LABELS[nxt], width="stretch"):
                st.date_input("Interview date", value=day + timedelta(days=7), key=f"{prefix}_at_day")
                st.time_input("Time", value=DEFAULT_TIME, key=f"{prefix}_at_time", step=timedelta(minutes=15))
                st.button(
                    "Schedule it",
                    key=f"{prefix}_to_scheduled",
                    type="primary",
                    on_click=move,
                    args=(store, card.id, "scheduled", day, f"{prefix}_at"),
                )
        elif nxt is not None:
            ahead = nxt == "completed" and card.scheduled_for is not None and card.scheduled_for.date() > day
            st.button(
                MOVE_LABELS[nxt],
                key=f"{prefix}_to_{nxt}",
                type="primary",
                width="stretch",
                disabled=ahead,
                help=(
                    "It has not happened yet. If it took place earlier than planned, move it on the Prepare tab."
                    if ahead
                    else None
                ),
                on_click=move,
                args=(store, card.id, nxt, day),
            )
        if card.stage in pipeline.DECLINABLE:
            st.button(
                "Declined",
                key=f"{prefix}_to_declined",
                type="tertiary",
                width="stretch",
                on_click=move,
                args=(store, card.id, "declined", day),
            )
        if card.stage == "declined":
            st.button(
                "Try again",
                key=f"{prefix}_to_identified",
                width="stretch",
                on_click=move,
                args=(store, card.id, "identified", day),
            )


def add_to_pipeline_form(store: Store, day: date, *, open_it: bool) -> None:
    """The form that puts a contact into the pipeline; open when the board is empty or was just used."""
    contacts = cache.contacts(store)
    careers = cache.careers(store)
    expanded = open_it or bool(st.session_state.get(ADD_EXPANDED))
    with st.expander("Add someone to talk to", icon=":material/person_add:", expanded=expanded):
        if not contacts:
            st.info("Add the person under Contacts first, then pick them here.", icon=":material/info:")
            return
        names = {c.id: c.name for c in contacts}
        fresh_choice("pipeline_add_contact", names, default=contacts[0].id)
        fresh_choice(ADD_CAREER, [c.name for c in careers], default=None)
        with st.form("pipeline_add", border=False):
            st.selectbox("Person", list(names), key="pipeline_add_contact", format_func=lambda cid: names.get(cid, "?"))
            st.selectbox(
                "Career to ask about",
                [c.name for c in careers],
                index=None,
                key=ADD_CAREER,
                placeholder="Pick a career",
            )
            st.text_input("... or a new career", key="pipeline_add_new_career")
            st.text_area("What do you want to learn? (goals)", key="pipeline_add_goals", height=80)
            st.form_submit_button("Add to the pipeline", type="primary", on_click=add, args=(store, day))
        show_flashes(ADD_SLOT)


def add(store: Store, day: date) -> None:
    def act() -> None:
        contact_id = st.session_state.get("pipeline_add_contact")
        contact = next((c for c in store.contacts() if c.id == contact_id), None)
        if contact is None:
            raise InvalidInputError("pick the person you want to talk to")
        career = (st.session_state.get("pipeline_add_new_career") or "").strip() or (
            st.session_state.get(ADD_CAREER) or ""
        )
        st.session_state[PINNED_KEY] = pipeline.add_to_pipeline(
            store, career, contact, on=day, goals=st.session_state.get("pipeline_add_goals", "")
        )
        for key in ("pipeline_add_new_career", "pipeline_add_goals"):
            st.session_state[key] = ""
        st.session_state[ADD_EXPANDED] = True  # keep the form open for the next person
        flash(f"{md(contact.name)} is in your pipeline for {md(career)}.")

    callback_action(act, slot=ADD_SLOT)


# -- planning from "investigate next" -------------------------------------------------------------------


def plan_interview_button(store: Store, career: str, questions: Sequence[str], *, key: str) -> None:
    """A "Plan an interview" popover for one career: pick a contact or name someone new, and they go into the
    pipeline for that career with ``questions`` as the interview's prepared questions; then the Interviews
    page opens on the Pipeline tab. One line on any page: ``plan_interview_button(store, name, questions,
    key=...)``."""
    # Drawn only while open: a page lists several careers, and a closed popover should not cost a contact list each
    # (with tens of thousands of contacts that was seconds per rerun). Opening it reruns the page.
    with st.popover("Plan an interview", icon=":material/event:", key=f"{key}_popover", on_change="rerun") as planner:
        if not planner.open:
            return
        st.markdown(f"Who could tell you about **{md(career)}**?")
        names = [c.name for c in cache.contacts(store)]
        if names:
            st.selectbox("A contact", names, index=None, key=f"{key}_contact", placeholder="Pick a contact")
        st.text_input("... or someone new", key=f"{key}_new", placeholder="Their name")
        if questions:
            st.caption(f"{len(questions)} suggested questions go onto the interview's question sheet.")
        st.button(
            "Add to my pipeline",
            key=f"{key}_add",
            type="primary",
            on_click=plan,
            args=(store, career, tuple(questions), key),
        )


def plan(store: Store, career: str, questions: tuple[str, ...], key: str) -> None:
    def act() -> None:
        person = (st.session_state.get(f"{key}_new") or "").strip() or (st.session_state.get(f"{key}_contact") or "")
        interview_id = pipeline.plan_interview(store, career, person, on=today(), questions=questions)
        st.session_state[PINNED_KEY] = interview_id
        st.session_state[TAB_KEY] = TABS[2]
        open_page_next(PAGE_INTERVIEWS)  # the pipeline, where the person now is
        flash(f"{md(person)} is in your pipeline for {md(career)}, with the suggested questions ready (Prepare tab).")

    callback_action(act)
