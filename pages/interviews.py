"""Interviews: log and rate an interview, edit or delete past ones, record expectations, and the pipeline.

The first two tabs are this page's own; the pipeline, preparation and contacts tabs are drawn by
``pages.sections.pipeline``. Tabs run lazily: only the open one does any work. One interview is one record
from "identified" to "thanked": logging a conversation with someone already in the pipeline completes that
record (:func:`analytics.pipeline.record_interview`), and Log & rate opens on a held interview that still
waits for its ratings.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from analytics import pipeline
from analytics.errors import DuplicateError
from analytics.models import Career, Criterion, Interview
from analytics.store import name_key
from pages.sections.contacts import render_contacts
from pages.sections.next_actions import render_what_works
from pages.sections.pipeline import (
    LOG_CAREER,
    PLAN_KEY,
    TAB_KEY,
    TABS,
    log_interview_key,
    render_pipeline_board,
    take_planned_career,
)
from pages.sections.prepare import render_prepare
from pages.support import cache
from pages.support.feedback import callback_action, flash, show_flashes
from pages.support.session import get_store, today
from pages.support.text import RATING_SCALE, by_dimension, md, plural, score_text, when_text
from pages.support.widgets import fresh_choice

EXP_CAREER = "exp_career"
NEW_CAREER = "+ A new career…"
NEW_INTERVIEW = -1  # the Interview choice that logs a new one (not None: a select box shows None as empty)
DUPLICATE_KEY = "log_duplicate"  # the interview a refused "new" one duplicates, offered to open
LOG_SLOT = "log"
RECENT = 12

store = get_store()
drawn_revision = store.revision  # the data this page run drew (see redraw_page_after_a_write)
careers = cache.careers(store)
careers_by_key = {name_key(c.name): c for c in careers}
criteria = cache.criteria(store)
day = today()


def find_career(value: Any) -> Career | None:
    if value is None:
        return None
    if isinstance(value, int):
        return next((c for c in careers if c.id == value), None)
    return careers_by_key.get(name_key(value))


if PLAN_KEY in st.session_state:
    take_planned_career(find_career(st.session_state.get(PLAN_KEY)), st.session_state.get(PLAN_KEY))

st.title("Interviews")
show_flashes()


# -- the rating controls, shared by interviews and expectations ------------------------------------


def _option(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def describe_toggle(key: str) -> bool:
    """Outside the form, so that it redraws at once: whether to print each criterion's description."""
    return st.toggle("Show what each criterion means", value=True, key=key)


def rating_controls(prefix: str, current: Mapping[int, float], *, describe: bool, heard: bool) -> None:
    """One control per criterion, grouped by dimension; no choice means "not discussed" (or "no view")."""
    if not criteria:
        st.info("Your profile has no criteria to rate yet: add some on My profile first.")
        return
    if heard:
        st.caption(f"Rate what you heard: {RATING_SCALE}. Leave a criterion blank if it was not discussed.")
    else:
        st.caption(f"Rate what you expect: {RATING_SCALE}. Leave a criterion blank if you have no view yet.")
    groups = by_dimension(criteria)
    columns = st.columns(len(groups))
    for column, (label, members) in zip(columns, groups, strict=True):
        with column:
            st.markdown(f"**{md(label)}**")
            for criterion in members:
                rating_control(prefix, criterion, current.get(criterion.id), describe)


def rating_control(prefix: str, criterion: Criterion, value: float | None, describe: bool) -> None:
    options: list[float | int] = [1, 2, 3, 4, 5]
    if value is not None and _option(value) not in options:
        options = sorted([*options, float(value)])  # a rescaled import keeps its exact value
    note = " Weight 0: ignored in the fit." if criterion.weight == 0 else ""
    if criterion.dimension is None:
        note += " No dimension yet: counts in no score."
    description = criterion.description or "No description yet (add one on My profile)."
    if describe:  # the name and what it means above the buttons; the label stays for screen readers
        st.markdown(f"**{md(criterion.name)}**  \n:gray[{md(description + note)}]")
    st.segmented_control(
        md(criterion.name),
        options,
        default=None if value is None else _option(value),
        key=f"{prefix}_{criterion.id}",
        help=None if describe else md(description + note),
        format_func=lambda v: f"{v:.3g}",
        label_visibility="collapsed" if describe else "visible",
    )


def read_ratings(prefix: str) -> dict[int, float | None]:
    return {c.id: st.session_state.get(f"{prefix}_{c.id}") for c in criteria}


def forget(prefix: str) -> None:
    """Drop the widget values of one form (keys ``<prefix>_...``), so that it opens fresh next time."""
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith(f"{prefix}_")]:
        del st.session_state[key]


# -- Log & rate ----------------------------------------------------------------------------------------


def _show_saved(saved: Interview | None) -> None:
    if saved is not None:
        st.session_state[LOG_CAREER] = saved.career
        st.session_state.pop(f"{LOG_CAREER}_new", None)
        st.session_state[log_interview_key(saved.career_id)] = saved.id


def save_new_interview(prefix: str, career_name: str) -> None:
    """Log a conversation: it completes the person's pipeline interview for this career if there is one."""
    values = read_ratings(f"{prefix}_rate")
    interviewee = (st.session_state.get(f"{prefix}_who") or "").strip()
    held_on: date | None = st.session_state.get(f"{prefix}_date")
    st.session_state.pop(DUPLICATE_KEY, None)
    outcome: dict[str, Any] = {}

    def write() -> None:
        try:
            outcome["recorded"] = pipeline.record_interview(
                store,
                career_name,
                interviewee,
                held_on,
                ratings=values,
                notes=st.session_state.get(f"{prefix}_notes") or "",
                today=day,
            )
        except DuplicateError as error:
            st.session_state[DUPLICATE_KEY] = error.existing_id
            raise
        _show_saved(store.interview(outcome["recorded"].interview_id))
        forget(prefix)

    count = sum(v is not None for v in values.values())
    who = md(interviewee) or "an unnamed interviewee"
    if not callback_action(write, slot=LOG_SLOT):
        return
    if outcome["recorded"].attached:
        flash(f"Interview with {who} saved with {plural(count, 'rating')}: it completes their pipeline entry.")
    else:
        flash(f"Interview with {who} saved with {plural(count, 'rating')}.")
    if not count:
        flash("It has no ratings yet, so it does not count in the fit: rate it when you can.", "info")


def save_changes(prefix: str, interview: Interview) -> None:
    """Save an edited interview (the separate call from adding one)."""
    values = read_ratings(f"{prefix}_rate")
    interviewee = (st.session_state.get(f"{prefix}_who") or "").strip()
    held_on: date | None = st.session_state.get(f"{prefix}_date")
    fields: dict[str, Any] = {"notes": st.session_state.get(f"{prefix}_notes") or ""}
    rated = any(v is not None for v in values.values())
    if rated and interview.stage in pipeline.OPEN_STAGES:
        fields.update(stage="completed", completed_on=held_on)  # it took place: rated means held

    def write() -> None:
        if rated or interview.stage in pipeline.HELD_STAGES:
            pipeline.refuse_future(held_on, day, "an interview")
        store.save_interview(
            interview.career_id, interviewee, held_on, interview_id=interview.id, ratings=values, **fields
        )
        _show_saved(store.interview(interview.id))

    count = sum(v is not None for v in values.values())
    callback_action(
        write,
        f"Interview with {md(interviewee) or 'an unnamed interviewee'} saved with {plural(count, 'rating')}.",
        slot=LOG_SLOT,
    )


def open_interview_choice(career_id: int, interview_id: int) -> None:
    st.session_state[log_interview_key(career_id)] = interview_id
    st.session_state.pop(DUPLICATE_KEY, None)


def delete_interview(interview: Interview) -> None:
    def write() -> None:
        store.delete_interview(interview.id)
        st.session_state[log_interview_key(interview.career_id)] = NEW_INTERVIEW
        forget(f"log_{interview.id}")

    callback_action(write, f"Interview with {md(interview.interviewee) or 'an unnamed interviewee'} deleted.")


def redraw_page_after_a_write() -> None:
    """First thing in a fragment: when the data changed since the page was drawn (an interview saved or deleted,
    expectations saved), the careers and lists the page read are out of date, so the whole page redraws.
    Picking a career or an interview changes no data: only the fragment redraws."""
    if store.revision != drawn_revision:
        st.rerun(scope="app")
    show_flashes()  # a refused save changes no data: its message shows here, in the tab that redraws


def career_picker(key: str) -> str | None:
    """An existing career's name, or the name typed for a new one; None until there is one."""
    if not careers and st.session_state.get(key) is None:
        st.session_state[key] = NEW_CAREER
    choice = st.selectbox(
        "Career",
        [NEW_CAREER, *(c.name for c in careers)],
        index=None,
        key=key,
        placeholder="Choose a career (type to search)",
    )
    if choice != NEW_CAREER:
        return choice
    name = st.text_input(
        "Name of the new career", key=f"{key}_new", placeholder="e.g. UX Researcher", max_chars=200
    ).strip()
    existing = find_career(name) if name else None
    if existing is not None:
        st.caption(f"You already have {md(existing.name)}: it is used.")
        return existing.name
    return name or None


def open_waiting_interview(all_interviews: list[Interview]) -> Interview | None:
    """On the tab's first draw: open the held interview that waits for its ratings, if there is one."""
    if LOG_CAREER in st.session_state:
        return None
    waiting = pipeline.unrated_held(all_interviews)
    if waiting is not None:
        st.session_state[LOG_CAREER] = waiting.career
        st.session_state[log_interview_key(waiting.career_id)] = waiting.id
    return waiting


@st.fragment
def log_and_rate() -> None:
    """Log & rate: a fragment, so choosing a career or an interview redraws this tab only."""
    redraw_page_after_a_write()
    st.markdown("After an informational interview, log it and rate the career on each criterion, while it is fresh.")
    all_interviews = cache.interviews(store)
    waiting = open_waiting_interview(all_interviews)
    choice = career_picker(LOG_CAREER)
    if choice is None:
        recent = all_interviews[:RECENT]
        if recent:
            st.markdown("**Latest interviews**")
            interview_table(recent, with_career=True)
            st.caption("Choose a career above to log a new interview or to edit or delete one of these.")
        else:
            st.caption("No interviews yet. Choose a career above (or name a new one) to log your first.")
        return
    career = find_career(choice)
    interviews = [i for i in all_interviews if career is not None and i.career_id == career.id]
    interview: Interview | None = None
    if career is not None:
        by_id = {i.id: i for i in interviews}
        key = log_interview_key(career.id)
        waiting_here = pipeline.unrated_held(interviews)
        fresh_choice(key, [NEW_INTERVIEW, *by_id], default=waiting_here.id if waiting_here else NEW_INTERVIEW)
        selected = st.selectbox(
            "Interview",
            [NEW_INTERVIEW, *by_id],
            key=key,
            format_func=lambda i: "New interview" if i == NEW_INTERVIEW else interview_option(by_id[i]),
            help="Pick an interview to rate, edit or delete it, or log a new one.",
        )
        interview = by_id.get(selected)
        if waiting is not None and interview is not None and interview.id == waiting.id:
            st.caption("Opened on the interview you completed that has no ratings yet.")
    else:
        st.caption(f"**{md(choice)}** is a new career: it is added when you save.")

    prefix = f"log_{interview.id}" if interview else f"log_new_{career.id if career else 'career'}"
    describe = describe_toggle("log_describe")
    with st.form(f"{prefix}_form", border=True):
        who_col, date_col = st.columns([2, 1])
        who_col.text_input(
            "Interviewee",
            value=interview.interviewee if interview else "",
            key=f"{prefix}_who",
            placeholder="Who did you talk to?",
            help="The interview is linked to your contact of that name, if you have one (Contacts tab). If they "
            "are in your pipeline for this career, this completes that entry.",
        )
        date_col.date_input(
            "Date",
            value=interview_day(interview),
            max_value=max(day, interview_day(interview) or day),
            key=f"{prefix}_date",
            format="YYYY-MM-DD",
            help="The day you talked. A conversation still ahead belongs in the Pipeline tab.",
        )
        st.text_area(
            "Notes",
            value=interview.notes if interview else "",
            key=f"{prefix}_notes",
            placeholder="What did you hear? What surprised you? Who else should you talk to?",
        )
        rating_controls(
            f"{prefix}_rate", store.interview_ratings(interview.id) if interview else {}, describe=describe, heard=True
        )
        if interview is None:
            st.form_submit_button(
                "Save interview", type="primary", on_click=save_new_interview, args=(prefix, str(choice).strip())
            )
        else:
            st.form_submit_button("Save changes", type="primary", on_click=save_changes, args=(prefix, interview))
    show_flashes(LOG_SLOT)
    duplicate = st.session_state.get(DUPLICATE_KEY)
    if career is not None and duplicate in {i.id for i in interviews}:
        st.button(
            "Open the interview already logged",
            key="log_open_duplicate",
            icon=":material/edit:",
            on_click=open_interview_choice,
            args=(career.id, duplicate),
        )
    if interview is not None:
        with st.popover("Delete this interview", icon=":material/delete:"):
            st.markdown(
                f"Delete the interview with {md(interview_option(interview))}? Its "
                f"{plural(interview.ratings, 'rating')} go too. This cannot be undone."
            )
            st.button(
                "Delete", type="primary", key=f"delete_{interview.id}", on_click=delete_interview, args=(interview,)
            )
    if interviews:
        st.markdown(f"**Interviews about {md(career.name if career else choice)}**")
        interview_table(interviews)


def interview_table(interviews: list[Interview], *, with_career: bool = False) -> None:
    columns: dict[str, list[Any]] = {"Date": [pipeline.display_day(i) for i in interviews]}
    if with_career:
        columns["Career"] = [i.career for i in interviews]
    columns.update(
        {
            "Interviewee": [i.interviewee for i in interviews],
            "Stage": [pipeline.stage_label(i.stage) for i in interviews],
            "Ratings": [i.ratings for i in interviews],
            "Notes": [i.notes for i in interviews],
        }
    )
    st.dataframe(
        pd.DataFrame(columns),
        hide_index=True,
        placeholder="—",
        column_config={
            "Date": st.column_config.DateColumn(
                "Date", format="YYYY-MM-DD", width="small", help="When it was held; for a planned one, its date."
            ),
            "Ratings": st.column_config.NumberColumn("Ratings", width="small"),
            "Notes": st.column_config.TextColumn("Notes", width="large"),
        },
    )


def interview_day(interview: Interview | None) -> date | None:
    """The date the form starts with: the interview's, else (a planned one) its appointment, else today; never a
    day still ahead (the form records conversations that took place)."""
    if interview is None:
        return day
    shown_day = pipeline.display_day(interview) if interview.stage in pipeline.OPEN_STAGES else interview.held_on
    if interview.stage in pipeline.OPEN_STAGES and (shown_day is None or shown_day > day):
        return day
    return shown_day


def interview_option(interview: Interview) -> str:
    """Option text of an interview: its person, its day (the appointment of a planned one) and how far it is."""
    who = interview.interviewee or "unnamed interviewee"
    moment = interview.scheduled_for if interview.stage == "scheduled" else pipeline.display_day(interview)
    label = f"{who}, {when_text(moment)}"
    if interview.ratings == 0:
        return f"{label} ({pipeline.stage_label(interview.stage).lower()}, not rated)"
    return f"{label} ({plural(interview.ratings, 'rating')})"


# -- Expectations ----------------------------------------------------------------------------------------


def save_expectations(prefix: str, career_name: str) -> None:
    values = read_ratings(prefix)

    def write() -> None:
        store.save_expectations(career_name, values)
        st.session_state[EXP_CAREER] = career_name
        st.session_state.pop(f"{EXP_CAREER}_new", None)

    count = sum(v is not None for v in values.values())
    callback_action(write, f"Expectations for {md(career_name)} saved ({plural(count, 'rating')}).")


def prefill_from_onet(prefix: str, code: str) -> None:
    """Put O*NET's view of occupation ``code`` (rounded to the scale's steps) into the expectation controls."""
    from analytics.numbers import shown
    from analytics.onet import career_view

    for criterion_id, value in career_view(code, criteria).items():
        st.session_state[f"{prefix}_{criterion_id}"] = shown(value.rating)


@st.fragment
def expectations() -> None:
    """Expectations: a fragment, so choosing a career redraws this tab only."""
    redraw_page_after_a_write()
    st.markdown(
        "Before you interview anyone, how well do you *expect* a career to offer what matters to you? "
        "Your expectations give a career an **expected fit**, shown beside the fit from interviews but never "
        "mixed into it, so you can see how the interviews changed your view."
    )
    scores = cache.ranking(store)
    interviewed = {s.career_id for s in scores if s.interviews > 0}
    choice = career_picker(EXP_CAREER)
    waiting = [md(c.name) for c in careers if c.id not in interviewed]
    if waiting:
        st.caption("Not interviewed yet: " + ", ".join(waiting[:12]) + ("…" if len(waiting) > 12 else ""))
    if choice is None:
        return
    career = find_career(choice)
    if career is not None and career.id in interviewed:
        st.caption(
            f"You have already interviewed about {md(career.name)}; your expectations still show beside its fit."
        )
    current = store.expectations(career.id) if career else {}
    prefix = f"exp_{career.id if career else 'new'}"
    if career is not None and career.onet_code:
        st.button(
            "Prefill from O*NET's view of this career",
            key=f"{prefix}_onet",
            icon=":material/public:",
            on_click=prefill_from_onet,
            args=(prefix, career.onet_code),
            help="Set each linked criterion to O*NET's value for the linked occupation, on the 1-5 scale; "
            "change any you see differently, then save.",
        )
    describe = describe_toggle("exp_describe")
    with st.form(f"{prefix}_form"):
        rating_controls(prefix, current, describe=describe, heard=False)
        st.form_submit_button(
            "Save expectations", type="primary", on_click=save_expectations, args=(prefix, str(choice).strip())
        )
    if career is not None:
        score = next((s for s in scores if s.career_id == career.id), None)
        if score is not None and score.expected_fit is not None:
            st.metric(
                "Expected fit",
                score_text(score.expected_fit),
                help="Your expectations scored like interview ratings, 0-100.",
            )


def pipeline_tab() -> None:
    render_pipeline_board(store)
    render_what_works(store)


tabs = st.tabs(TABS, key=TAB_KEY, on_change="rerun")
renderers: tuple[Callable[..., None], ...] = (log_and_rate, expectations, pipeline_tab, render_prepare, render_contacts)
for tab, render in zip(tabs, renderers, strict=True):
    if tab.open is False:
        continue
    with tab:
        if render is render_prepare or render is render_contacts:
            render(store)
        else:
            render()
