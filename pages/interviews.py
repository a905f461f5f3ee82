"""Interviews: log and rate an interview, edit or delete past ones, record expectations, and the pipeline.

The first two tabs are this page's own; the pipeline, preparation and contacts tabs are drawn by
``pages.sections.pipeline``. Tabs run lazily: only the open one does any work.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from analytics.errors import InvalidInputError
from analytics.models import Career, Criterion, Interview
from analytics.store import name_key
from pages.common import (
    RATING_SCALE,
    by_dimension,
    callback_action,
    flash,
    get_store,
    interview_label,
    md,
    ranking,
    score_text,
    show_flashes,
)
from pages.sections.pipeline import render_contacts, render_pipeline_board, render_prepare

PLAN_KEY = "plan_interview_career"  # set by the Explore page: a career name or id to interview next
TAB_KEY = "interviews_tab"
LOG_CAREER = "log_career"
EXP_CAREER = "exp_career"
NEW_CAREER = "+ A new career…"
TABS = ("Log & rate", "Expectations", "Pipeline", "Prepare", "Contacts")
OPEN_STAGES = ("identified", "requested", "scheduled")
RECENT = 12

store = get_store()
careers = store.careers()
careers_by_key = {name_key(c.name): c for c in careers}
criteria = store.criteria()


def find_career(value: Any) -> Career | None:
    if value is None:
        return None
    if isinstance(value, int):
        return next((c for c in careers if c.id == value), None)
    return careers_by_key.get(name_key(value))


planned = st.session_state.pop(PLAN_KEY, None)
if planned is not None:
    career = find_career(planned)
    st.session_state[LOG_CAREER] = career.name if career else NEW_CAREER
    if career is None:
        st.session_state[f"{LOG_CAREER}_new"] = str(planned).strip()
    st.session_state[TAB_KEY] = TABS[0]

st.title("Interviews")
show_flashes()


# -- the rating controls, shared by interviews and expectations ------------------------------------


def _option(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def describe_toggle(key: str) -> bool:
    """Outside the form, so that it redraws at once: whether to print each criterion's description."""
    return st.toggle("Show what each criterion means", value=True, key=key)


def rating_controls(prefix: str, current: Mapping[int, float], *, describe: bool = True) -> None:
    """One control per criterion, grouped by dimension; no choice means "not discussed"."""
    if not criteria:
        st.info("Your profile has no criteria to rate yet: add some on My profile first.")
        return
    st.caption(f"Rate what you heard: {RATING_SCALE}. Leave a criterion blank if it was not discussed.")
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


def save_interview(prefix: str, interview: Interview | None, career_name: str) -> None:
    values = read_ratings(f"{prefix}_rate")
    interviewee = (st.session_state.get(f"{prefix}_who") or "").strip()
    held_on: date | None = st.session_state.get(f"{prefix}_date")
    notes = st.session_state.get(f"{prefix}_notes") or ""
    fields: dict[str, Any] = {"notes": notes}
    rated = any(v is not None for v in values.values())
    if rated and (interview is None or interview.stage in OPEN_STAGES):
        fields.update(stage="completed", completed_on=held_on)  # it took place: rated means held

    def write() -> None:
        if interview is None:
            refuse_duplicate(career_name, interviewee, held_on)
        new_id = store.save_interview(
            career_name if interview is None else interview.career_id,
            interviewee,
            held_on,
            interview_id=None if interview is None else interview.id,
            ratings=values,
            **fields,
        )
        saved = store.interview(new_id)
        if saved is not None:
            st.session_state[LOG_CAREER] = saved.career
            st.session_state.pop(f"{LOG_CAREER}_new", None)
            st.session_state[f"log_interview_{saved.career_id}"] = saved.id
        if interview is None:
            forget(prefix)

    count = sum(v is not None for v in values.values())
    message = (
        f"Interview with {md(interviewee) or 'an unnamed interviewee'} saved with {count} rating{'s' * (count != 1)}."
    )
    if callback_action(write, message) and not rated:
        flash("It has no ratings yet, so it does not count in the fit: rate it when you can.", "info")


def refuse_duplicate(career_name: str, interviewee: str, held_on: date | None) -> None:
    """A new interview must not silently overwrite one already logged (same career, person and day)."""
    career = find_career(career_name)
    if career is None:
        return
    for other in store.interviews(career.id):
        if name_key(other.interviewee) == name_key(interviewee) and other.held_on == held_on:
            raise InvalidInputError(
                f"You already logged an interview with {interviewee or 'an unnamed interviewee'} on "
                f"{held_on or 'no date'} for {career.name}: pick it under Interview to edit it."
            )


def delete_interview(interview: Interview) -> None:
    def write() -> None:
        store.delete_interview(interview.id)
        st.session_state.pop(f"log_interview_{interview.career_id}", None)
        forget(f"log_{interview.id}")

    callback_action(write, f"Interview with {md(interview.interviewee) or 'an unnamed interviewee'} deleted.")


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


def log_and_rate() -> None:
    st.markdown("After an informational interview, log it and rate the career on each criterion, while it is fresh.")
    choice = career_picker(LOG_CAREER)
    if choice is None:
        recent = store.interviews()[:RECENT]
        if recent:
            st.markdown("**Latest interviews**")
            interview_table(recent, with_career=True)
            st.caption("Choose a career above to log a new interview or to edit or delete one of these.")
        return
    career = find_career(choice)
    interviews = store.interviews(career.id) if career else []
    interview: Interview | None = None
    if career is not None:
        by_id = {i.id: i for i in interviews}
        selected = st.selectbox(
            "Interview",
            [None, *by_id],
            key=f"log_interview_{career.id}",
            format_func=lambda i: "New interview" if i is None else _interview_option(by_id[i]),
            help="Pick a past interview to edit or delete it, or log a new one.",
        )
        interview = by_id.get(selected) if selected is not None else None
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
            help="The interview is linked to your contact of that name, if you have one (Contacts tab).",
        )
        date_col.date_input(
            "Date",
            value=interview_day(interview),
            key=f"{prefix}_date",
            format="YYYY-MM-DD",
        )
        st.text_area(
            "Notes",
            value=interview.notes if interview else "",
            key=f"{prefix}_notes",
            placeholder="What did you hear? What surprised you? Who else should you talk to?",
        )
        rating_controls(f"{prefix}_rate", store.interview_ratings(interview.id) if interview else {}, describe=describe)
        st.form_submit_button(
            "Save changes" if interview else "Save interview",
            type="primary",
            on_click=save_interview,
            args=(prefix, interview, str(choice).strip()),
        )
    if interview is not None:
        with st.popover("Delete this interview", icon=":material/delete:"):
            st.markdown(
                f"Delete the interview with {md(interview_label(interview.held_on, interview.interviewee))} "
                f"and its {interview.ratings} rating{'s' * (interview.ratings != 1)}? This cannot be undone."
            )
            st.button(
                "Delete", type="primary", key=f"delete_{interview.id}", on_click=delete_interview, args=(interview,)
            )
    if interviews:
        st.markdown(f"**Interviews about {md(career.name if career else choice)}**")
        interview_table(interviews)


def interview_table(interviews: list[Interview], *, with_career: bool = False) -> None:
    columns: dict[str, list[Any]] = {"Date": [i.held_on for i in interviews]}
    if with_career:
        columns["Career"] = [i.career for i in interviews]
    columns.update(
        {
            "Interviewee": [i.interviewee for i in interviews],
            "Stage": [i.stage for i in interviews],
            "Ratings": [i.ratings for i in interviews],
            "Notes": [i.notes for i in interviews],
        }
    )
    st.dataframe(
        pd.DataFrame(columns),
        hide_index=True,
        placeholder="—",
        column_config={
            "Date": st.column_config.DateColumn("Date", format="YYYY-MM-DD", width="small"),
            "Ratings": st.column_config.NumberColumn("Ratings", width="small"),
            "Notes": st.column_config.TextColumn("Notes", width="large"),
        },
    )


def interview_day(interview: Interview | None) -> date | None:
    """The date the form starts with: the interview's, else (a planned one) its scheduled day, else today."""
    if interview is None:
        return date.today()
    if interview.held_on is not None or interview.stage not in OPEN_STAGES:
        return interview.held_on
    return interview.scheduled_for.date() if interview.scheduled_for else date.today()


def _interview_option(interview: Interview) -> str:
    label = interview_label(interview.held_on, interview.interviewee)
    if interview.ratings == 0:
        return f"{label} ({interview.stage}, not rated)"
    return f"{label} ({interview.ratings} ratings)"


# -- Expectations ----------------------------------------------------------------------------------------


def save_expectations(prefix: str, career_name: str) -> None:
    values = read_ratings(prefix)

    def write() -> None:
        store.save_expectations(career_name, values)
        st.session_state[EXP_CAREER] = career_name
        st.session_state.pop(f"{EXP_CAREER}_new", None)

    count = sum(v is not None for v in values.values())
    callback_action(write, f"Expectations for {md(career_name)} saved ({count} rating{'s' * (count != 1)}).")


def prefill_from_onet(prefix: str, code: str) -> None:
    """Put O*NET's view of occupation ``code`` (rounded to the scale's steps) into the expectation controls."""
    from analytics.numbers import shown
    from analytics.onet import career_view

    for criterion_id, value in career_view(code, criteria).items():
        st.session_state[f"{prefix}_{criterion_id}"] = shown(value.rating)


def expectations() -> None:
    st.markdown(
        "Before you interview anyone, how well do you *expect* a career to offer what matters to you? "
        "Your expectations give a career an **expected fit**, shown beside the fit from interviews but never "
        "mixed into it, so you can see how the interviews changed your view."
    )
    interviewed = {s.career_id for s in ranking(store) if s.fit is not None}
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
        st.button("Prefill from O*NET's view of this career", key=f"{prefix}_onet", icon=":material/public:",
                  on_click=prefill_from_onet, args=(prefix, career.onet_code),
                  help="Set each linked criterion to O*NET's value for the linked occupation, on the 1-5 scale; "
                  "change any you see differently, then save.")
    describe = describe_toggle("exp_describe")
    with st.form(f"{prefix}_form"):
        rating_controls(prefix, current, describe=describe)
        st.form_submit_button(
            "Save expectations", type="primary", on_click=save_expectations, args=(prefix, str(choice).strip())
        )
    if career is not None:
        score = next((s for s in ranking(store) if s.career_id == career.id), None)
        if score is not None and score.expected_fit is not None:
            st.metric(
                "Expected fit",
                score_text(score.expected_fit),
                help="Your expectations scored like interview ratings, 0-100.",
            )


tabs = st.tabs(TABS, key=TAB_KEY, on_change="rerun")
renderers = (log_and_rate, expectations, render_pipeline_board, render_prepare, render_contacts)
for tab, render in zip(tabs, renderers, strict=True):
    if tab.open is False:
        continue
    with tab:
        if render in (log_and_rate, expectations):
            render()
        else:
            render(store)
