"""The Prepare tab: one interview at a time, its pitch, goals and homework, questions and the printable sheet,
the request and thank-you drafts, its stage and dates, and the calendar event.

Every rule lives in :mod:`analytics.pipeline`; goals and homework are one form (typing reruns nothing);
each draft shows once, as a block with a copy button, editable on demand.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta
from typing import cast

import streamlit as st

from analytics import pipeline
from analytics.errors import InvalidInputError
from analytics.models import STAGES, Interview
from analytics.store import Store
from pages.sections.pipeline import DEFAULT_TIME, PINNED_KEY, move
from pages.support import cache
from pages.support.feedback import callback_action, show_flashes
from pages.support.session import today
from pages.support.text import when_text
from pages.support.widgets import fresh_choice

PREPARE_PICK_KEY = "pipeline_prepare_pick"
FOLLOWED_KEY = "pipeline_prepare_followed"  # the last board card the Prepare tab opened on


_PREPARE_ORDER = {"scheduled": 0, "requested": 1, "identified": 2, "completed": 3, "thanked": 4, "declined": 5}


def _prepare_key(interview: Interview) -> tuple[object, ...]:
    """What needs preparing first: the soonest appointment, then open requests, then the rest."""
    day = pipeline.stage_date(interview, interview.stage) if interview.stage in STAGES else None
    return (_PREPARE_ORDER.get(interview.stage, 9), day or date.max, interview.interviewee.casefold(), interview.id)


def interview_choice(interview: Interview) -> str:
    """Option text of an interview picker (plain text): person, career, stage and its date."""
    moment = interview.scheduled_for if interview.stage == "scheduled" else pipeline.display_day(interview)
    return (
        f"{interview.interviewee or 'unnamed'} - {interview.career} "
        f"({pipeline.stage_label(interview.stage).lower()}, {when_text(moment)})"
    )


def render_prepare(store: Store) -> None:
    """One interview at a time: the pitch, goals and homework, questions and the printable sheet, the
    request and thank-you drafts, its stage and dates, and the calendar event."""
    show_flashes()
    day = today()
    st.subheader("Prepare")
    interviews = sorted(cache.interviews(store), key=_prepare_key)
    if not interviews:
        st.info(
            "Nothing to prepare yet: add someone to talk to on the Pipeline tab, and their interview shows here.",
            icon=":material/info:",
        )
        return
    ids = [i.id for i in interviews]
    pinned = st.session_state.get(PINNED_KEY)
    if pinned in ids and st.session_state.get(FOLLOWED_KEY) != pinned:  # open on the card just moved or added
        st.session_state[PREPARE_PICK_KEY] = st.session_state[FOLLOWED_KEY] = pinned
    fresh_choice(PREPARE_PICK_KEY, ids, default=ids[0])
    labels = {i.id: interview_choice(i) for i in interviews}
    picked = st.selectbox("Interview", ids, key=PREPARE_PICK_KEY, format_func=lambda i: labels.get(i, "?"))
    interview = store.interview(picked)
    if interview is None:
        return
    _pitch(store)
    homework, questions, request, thanks, stage = st.tabs(
        ["Goals and homework", "Questions", "Request", "Thank-you", "Stage and calendar"]
    )
    with homework:
        _homework(store, interview)
    with questions:
        _questions(store, interview)
    with request:
        _request(store, interview, day)
    with thanks:
        _thank_you(store, interview, day)
    with stage:
        _stage(store, interview, day)
        _calendar(store, interview)


def _pitch(store: Store) -> None:
    pitch = str(store.get_setting(pipeline.PITCH_KEY, "") or "")
    with st.container(border=True):
        st.markdown(":material/record_voice_over: **Be ready to answer**: who you are, in a few sentences")
        if pitch.strip():
            st.text(pitch)
        else:
            st.caption("They will ask about you. Write your short pitch once; it shows here before every interview.")
        with st.expander("Edit my pitch"):
            st.text_area("My pitch", value=pitch, key="pipeline_pitch", height=100)
            st.button("Save my pitch", key="pipeline_pitch_save", on_click=_save_pitch, args=(store,))


def _save_pitch(store: Store) -> None:
    callback_action(
        lambda: store.set_setting(pipeline.PITCH_KEY, (st.session_state.get("pipeline_pitch") or "").strip()),
        "Pitch saved.",
    )


def _homework(store: Store, interview: Interview) -> None:
    prefix = f"prep_{interview.id}"
    with st.form(f"{prefix}_form", border=False):
        _homework_fields(interview, prefix)
        st.form_submit_button(
            "Save goals and homework",
            key=f"{prefix}_save",
            type="primary",
            on_click=_save_homework,
            args=(store, interview.id, prefix),
        )


def _homework_fields(interview: Interview, prefix: str) -> None:
    st.text_area("What I want to learn (goals)", value=interview.goals, key=f"{prefix}_goals", height=90)
    st.checkbox("Researched the organisation", value=interview.researched_org, key=f"{prefix}_org")
    st.checkbox(
        "Researched the person (talks, papers, posts)", value=interview.researched_person, key=f"{prefix}_person"
    )
    st.checkbox("Questions prepared", value=interview.questions_prepared, key=f"{prefix}_prepared")
    st.text_area("What I found", value=interview.homework_notes, key=f"{prefix}_found", height=90)


def _save_homework(store: Store, interview_id: int, prefix: str) -> None:
    state = st.session_state
    callback_action(
        lambda: pipeline.save_preparation(
            store,
            interview_id,
            goals=state.get(f"{prefix}_goals", ""),
            researched_org=bool(state.get(f"{prefix}_org")),
            researched_person=bool(state.get(f"{prefix}_person")),
            questions_prepared=bool(state.get(f"{prefix}_prepared")),
            homework_notes=state.get(f"{prefix}_found", ""),
        ),
        "Goals and homework saved.",
    )


def _questions(store: Store, interview: Interview) -> None:
    prefix = f"questions_{interview.id}"
    bank = pipeline.question_bank(store, interview.career_id)
    picked = pipeline.question_lines(interview.questions)
    in_bank = {q for questions in bank.values() for q in questions}
    st.caption("Pick the questions for this interview; they print on a one-page sheet with your goals and pitch.")
    for number, (category, questions) in enumerate(bank.items()):
        if not questions:
            continue
        st.multiselect(
            category,
            questions,
            default=[q for q in picked if q in questions],
            key=f"{prefix}_{number}",
        )
    st.text_area(
        "Other questions for this interview, one per line",
        value="\n".join(q for q in picked if q not in in_bank),
        key=f"{prefix}_extra",
        height=80,
    )
    st.button(
        "Save the questions",
        key=f"{prefix}_save",
        type="primary",
        on_click=_save_questions,
        args=(store, interview.id, prefix, len(bank)),
    )
    with st.expander("Add to my own questions (kept for every interview)"):
        st.text_input("My question", key="pipeline_my_question")
        st.button("Add to my questions", key="pipeline_my_question_add", on_click=_add_my_question, args=(store,))
    info = pipeline.sheet_info(store, interview)
    st.markdown("**The question sheet**")
    st.code(pipeline.question_sheet_text(info), language=None)
    slug = pipeline.ics_file_name(interview).removeprefix("interview-").removesuffix(".ics")
    left, right = st.columns(2)
    left.download_button(
        "Printable sheet (HTML)",
        pipeline.question_sheet_html(info),
        file_name=f"questions-{slug}.html",
        mime="text/html",
        icon=":material/print:",
        key=f"{prefix}_html",
    )
    right.download_button(
        "Sheet as text",
        pipeline.question_sheet_text(info),
        file_name=f"questions-{slug}.txt",
        mime="text/plain",
        icon=":material/download:",
        key=f"{prefix}_txt",
    )


def _save_questions(store: Store, interview_id: int, prefix: str, categories: int) -> None:
    state = st.session_state
    chosen: list[str] = []
    for number in range(categories):
        chosen += list(state.get(f"{prefix}_{number}") or [])
    chosen += pipeline.question_lines(state.get(f"{prefix}_extra", ""))
    callback_action(
        lambda: store.update_interview(interview_id, questions=pipeline.join_questions(chosen)),
        f"{len(chosen)} questions saved.",
    )


def _add_my_question(store: Store) -> None:
    def act() -> None:
        pipeline.add_my_question(store, st.session_state.get("pipeline_my_question") or "")
        st.session_state["pipeline_my_question"] = ""

    callback_action(act, "Added to my questions.")


def _about_me(store: Store) -> pipeline.AboutMe:
    about = pipeline.AboutMe.from_setting(store.get_setting(pipeline.ABOUT_ME_KEY))
    with st.expander("About me (used in every draft)", expanded=not about.name):
        name = st.text_input("My name", value=about.name, key="pipeline_about_name")
        intro = st.text_input(
            "Who I am, in a phrase",
            value=about.intro,
            key="pipeline_about_intro",
            placeholder="a final-year psychology student at Hallam University",
        )
        interests = st.text_input(
            "My interests",
            value=about.interests,
            key="pipeline_about_interests",
            placeholder="research methods and how people use technology",
        )
        st.button("Save about me", key="pipeline_about_save", on_click=_save_about, args=(store,))
    return pipeline.AboutMe(name or "", intro or "", interests or "")  # the drafts follow what is typed


def _current_about(store: Store) -> pipeline.AboutMe:
    """About me as typed in the Request tab (drawn first), else as saved."""
    saved = pipeline.AboutMe.from_setting(store.get_setting(pipeline.ABOUT_ME_KEY))
    state = st.session_state
    return pipeline.AboutMe(
        state.get("pipeline_about_name", saved.name) or "",
        state.get("pipeline_about_intro", saved.intro) or "",
        state.get("pipeline_about_interests", saved.interests) or "",
    )


def _save_about(store: Store) -> None:
    state = st.session_state
    about = pipeline.AboutMe(
        state.get("pipeline_about_name") or "",
        state.get("pipeline_about_intro") or "",
        state.get("pipeline_about_interests") or "",
    )
    callback_action(lambda: store.set_setting(pipeline.ABOUT_ME_KEY, about.as_setting()), "Saved.")


def _draft_box(label: str, draft: str, key: str) -> None:
    """The draft shown once, as a block with a copy button; "Edit it" opens it for changes, and the block then
    shows the edited text (fresh again whenever the draft's inputs change)."""
    digest = hashlib.sha1(draft.encode()).hexdigest()[:10]  # a new draft replaces the old edits
    edit_key = f"{key}_{digest}"
    edited = st.session_state.get(edit_key, draft)
    st.markdown(f"**{label}**")
    st.code(edited, language=None, wrap_lines=True)
    words = pipeline.word_count(edited)
    if words > pipeline.DRAFT_WORD_LIMIT:
        st.warning(f"{words} words: busy people read short messages. Try to stay under {pipeline.DRAFT_WORD_LIMIT}.")
    else:
        st.caption(f"{words} words. Copy it with the button at the top right of the block.")
    with st.expander("Edit it before copying", icon=":material/edit:"):
        st.text_area(label, value=draft, key=edit_key, height=240, label_visibility="collapsed")


def _request(store: Store, interview: Interview, day: date) -> None:
    about = _about_me(store)
    contact = pipeline.contact_of(store, interview)
    connection = st.text_input(
        "Why this person: your connection (a shared contact, the alumni network, ...)",
        value=pipeline.connection_line(contact),
        key=f"request_{interview.id}_connection",
    )
    draft = pipeline.outreach_draft(
        about,
        contact_name=interview.interviewee,
        career=interview.career,
        role=contact.role if contact else "",
        organisation=contact.organisation if contact else "",
        connection=connection,
    )
    _draft_box("Your request (edit freely)", draft, f"request_{interview.id}")
    if interview.stage == "identified":
        st.button(
            "I sent it: mark requested",
            key=f"request_{interview.id}_sent",
            type="primary",
            on_click=move,
            args=(store, interview.id, "requested", day),
        )


def _thank_you(store: Store, interview: Interview, day: date) -> None:
    about = _current_about(store)
    if interview.stage not in ("completed", "thanked"):
        st.caption("The thank-you draft is ready once the interview is completed. Send it within a day.")
    prefix = f"thanks_{interview.id}"
    learned = st.text_input(
        "Something you valued hearing about",
        key=f"{prefix}_learned",
        placeholder="how she moved from research into product work",
    )
    next_step = st.text_input(
        "What you will do on their advice",
        key=f"{prefix}_next",
        placeholder="talk to the accessibility team she mentioned",
    )
    draft = pipeline.thank_you_draft(
        about,
        contact_name=interview.interviewee,
        career=interview.career,
        held_on=interview.completed_on or interview.held_on,
        learned=learned,
        next_step=next_step,
    )
    _draft_box("Your thank-you (edit freely)", draft, prefix)
    if interview.stage == "completed":
        st.button(
            "I sent it: mark thanked",
            key=f"{prefix}_sent",
            type="primary",
            on_click=move,
            args=(store, interview.id, "thanked", day),
        )


def _stage(store: Store, interview: Interview, day: date) -> None:
    prefix = f"stage_{interview.id}"
    steps = pipeline.timeline(interview)
    st.markdown(f"Now **{pipeline.stage_label(interview.stage).lower()}**.")
    if steps:
        import pandas as pd

        st.dataframe(
            pd.DataFrame(
                {"step": [pipeline.stage_label(s) for s, _ in steps], "date": [when_text(v) for _, v in steps]}
            ),
            hide_index=True,
        )
    moves = pipeline.allowed_moves(interview.stage)
    target = st.selectbox("Move to", moves, key=f"{prefix}_to", format_func=pipeline.stage_label)
    st.date_input(
        "On", value=day, max_value=day, key=f"{prefix}_on", help="The day it happened (not later than today)."
    )
    if target == "scheduled" or interview.stage == "scheduled":
        current = interview.scheduled_for
        st.date_input(
            "Interview date", value=current.date() if current else day + timedelta(days=7), key=f"{prefix}_at_day"
        )
        st.time_input(
            "Time",
            value=current.time() if current else DEFAULT_TIME,
            key=f"{prefix}_at_time",
            step=timedelta(minutes=15),
        )
    left, right = st.columns(2)
    left.button(
        "Move", key=f"{prefix}_move", type="primary", on_click=_move_from_form, args=(store, interview.id, prefix)
    )
    if interview.stage == "scheduled":
        right.button("Reschedule", key=f"{prefix}_reschedule", on_click=_reschedule, args=(store, interview.id, prefix))


def _move_from_form(store: Store, interview_id: int, prefix: str) -> None:
    state = st.session_state
    target = state.get(f"{prefix}_to")
    on = state.get(f"{prefix}_on") or today()
    move(store, interview_id, cast(str, target), on, f"{prefix}_at" if target == "scheduled" else None)


def _reschedule(store: Store, interview_id: int, prefix: str) -> None:
    state = st.session_state

    def act() -> None:
        day = state.get(f"{prefix}_at_day")
        if day is None:
            raise InvalidInputError("pick the new date of the interview")
        pipeline.reschedule(store, interview_id, pipeline.combine(day, state.get(f"{prefix}_at_time") or DEFAULT_TIME))

    callback_action(act, "Rescheduled.")


def _calendar(store: Store, interview: Interview) -> None:
    if interview.scheduled_for is None:
        st.caption("Once the interview has a date and time, download it here for your calendar.")
        return
    event = pipeline.interview_ics(interview, stamp=datetime.now(UTC), contact=pipeline.contact_of(store, interview))
    st.download_button(
        "Add to my calendar (.ics)",
        event,
        file_name=pipeline.ics_file_name(interview),
        mime="text/calendar",
        icon=":material/calendar_add_on:",
        key=f"ics_{interview.id}",
    )
