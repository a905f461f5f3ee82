"""The interview pipeline on screen: the board, contacts, preparation, next actions and what works.

The Interviews and Overview pages call these sections; every rule lives in :mod:`analytics.pipeline`.
Writes run in widget callbacks (through ``callback_action``) so the whole page redraws from the new data,
and any failure shows as a plain message on the next run. Names, notes and drafts are user text: they are
shown through ``st.text``, ``st.code``, widgets and table cells, or Markdown-escaped, never as HTML.
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, date, datetime, time, timedelta

import streamlit as st

from analytics import pipeline
from analytics.errors import InvalidInputError
from analytics.models import HOW_FOUND, STAGES, Contact, Interview
from analytics.store import Store
from pages.common import callback_action, flash, show_flashes

# Pretend today is this date (a ``datetime.date``) - for tests and demos, like ``career-fit reminders --today``.
TODAY_KEY = "career_fit_today"
CONTACT_PICK_KEY = "pipeline_contact_pick"
PREPARE_PICK_KEY = "pipeline_prepare_pick"
NEW = -1
DEFAULT_TIME = time(10, 0)
BOARD_MORE = 10  # cards added to a column by "Show more"
SEARCH_KEY = "pipeline_search"
LIMITS_KEY = "pipeline_board_limits"  # stage -> how many cards its column shows
PINNED_KEY = "pipeline_board_pinned"  # the card last moved or added: kept in sight in its new column

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$=:])")
_KIND_LABELS = {
    "thank-you": (":material/mail:", "Thank-you due"),
    "follow-up": (":material/forward_to_inbox:", "Follow up"),
    "interview": (":material/event:", "Interview coming up"),
    "record": (":material/rate_review:", "Record the interview"),
}
_MOVE_LABELS = {
    "identified": "Back to identified",
    "requested": "Mark requested",
    "scheduled": "Mark scheduled",
    "completed": "Mark completed",
    "thanked": "Mark thanked",
    "declined": "Declined",
}


def md(text: object) -> str:
    """User text made safe to put inside Markdown: every Markdown character escaped, one line."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(str(text or "").split()))


def today_for(today: date | None = None) -> date:
    """The day reminders and new stage dates use: given, else the session's pretend day, else today."""
    if today is not None:
        return today
    pretend = st.session_state.get(TODAY_KEY)
    return pretend if isinstance(pretend, date) else date.today()


def _when(value: date | datetime | None) -> str:
    if value is None:
        return "no date"
    if isinstance(value, datetime):
        return f"{value.day} {value:%b %Y, %H:%M}"
    return f"{value.day} {value:%b %Y}"


def _interview_label(interview: Interview) -> str:
    """Option text of an interview picker (selectbox options are plain text, not Markdown)."""
    day = pipeline.stage_date(interview, interview.stage) if interview.stage in STAGES else None
    moment = interview.scheduled_for if interview.stage == "scheduled" else day
    return (
        f"{interview.interviewee or 'unnamed'} - {interview.career} "
        f"({pipeline.stage_label(interview.stage).lower()}, {_when(moment)})"
    )


# -- actions (widget callbacks) --------------------------------------------------------------------------


def _move(store: Store, interview_id: int, to_stage: str, today: date, at_key: str | None = None) -> None:
    """Callback of a stage button; ``at_key`` names the date and time inputs of a scheduling move."""

    def act() -> None:
        at = None
        if at_key is not None:
            day = st.session_state.get(f"{at_key}_day")
            moment = st.session_state.get(f"{at_key}_time") or DEFAULT_TIME
            if day is None:
                raise InvalidInputError("pick the date of the interview to schedule it")
            at = pipeline.combine(day, moment)
        moved = pipeline.move_stage(store, interview_id, to_stage, on=today, at=at)
        st.session_state[PINNED_KEY] = interview_id
        flash(f"{md(moved.interviewee or 'The interview')}: {pipeline.stage_label(to_stage).lower()}.")

    callback_action(act)


# -- the board -------------------------------------------------------------------------------------------


def render_pipeline_board(store: Store, *, today: date | None = None) -> None:
    """Interviews by stage, each card one click from its next stage; plus adding someone to the pipeline.

    Each column shows the few cards to act on first (:func:`analytics.pipeline.board_view`), with "show
    more"; a search by person or career brings any card onto the board, and a compact table lists the
    rest. Everything comes from one light read of the store, so the board stays quick with thousands of
    interviews.
    """
    show_flashes()
    day = today_for(today)
    st.subheader("Pipeline")
    st.caption(
        "Identified -> requested -> scheduled -> completed -> thanked. One click moves a card on and records "
        "the date; the Prepare tab moves a step back, skips ahead or records a move on another day."
    )
    _add_to_pipeline_form(store, day)
    cards = pipeline.board_cards(store)
    search = ""
    if len(cards) > pipeline.BOARD_CARDS:
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
    for stage, column in zip(pipeline.MAIN_STAGES, st.columns(len(pipeline.MAIN_STAGES)), strict=True):
        with column:
            _column(store, view, stage, day, limits)
    with st.expander(_heading(view, "declined", bold=False), icon=":material/block:"):
        if not view.totals.get("declined"):
            st.caption("Nobody has said no. Yet.")
        _column(store, view, "declined", day, limits, heading=False)
    _rest_table(view)


def _heading(view: pipeline.BoardView, stage: str, *, bold: bool = True) -> str:
    label = pipeline.stage_label(stage)
    count = f"{view.counts[stage]:,}" if not view.search else f"{view.counts[stage]:,} of {view.totals[stage]:,}"
    return f"**{label}** ({count})" if bold else f"{label} ({count})"


def _column(
    store: Store, view: pipeline.BoardView, stage: str, day: date, limits: dict[str, int], *, heading: bool = True
) -> None:
    if heading:
        st.markdown(_heading(view, stage))
    for interview in view.shown[stage]:
        _card(store, interview, day)
    hidden = view.hidden(stage)
    limit = limits.get(stage, pipeline.BOARD_CARDS)
    if hidden <= 0 and limit <= pipeline.BOARD_CARDS:
        return
    if hidden > 0:
        st.caption(f"{hidden:,} more in the table below")
    with st.container(horizontal=True, gap="small"):
        if hidden > 0:
            st.button(
                f"Show {min(hidden, BOARD_MORE)} more",
                key=f"pipeline_more_{stage}",
                type="tertiary",
                on_click=_set_limit,
                args=(stage, limit + BOARD_MORE),
            )
        if limit > pipeline.BOARD_CARDS:
            st.button(
                "Show fewer",
                key=f"pipeline_fewer_{stage}",
                type="tertiary",
                on_click=_set_limit,
                args=(stage, pipeline.BOARD_CARDS),
            )


def _set_limit(stage: str, limit: int) -> None:
    limits = dict(st.session_state.get(LIMITS_KEY) or {})
    limits[stage] = limit
    st.session_state[LIMITS_KEY] = limits


def _rest_table(view: pipeline.BoardView) -> None:
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
            "Date": [pipeline.stage_date(c, c.stage) if c.stage in STAGES else None for c in view.rest],
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


def _card(store: Store, interview: pipeline.BoardCard | Interview, day: date) -> None:
    with st.container(border=True, key=f"pipeline_card_{interview.id}"):
        st.markdown(f"**{md(interview.interviewee or 'unnamed')}**")
        st.caption(md(interview.career))
        if interview.stage == "scheduled":
            st.caption(f":material/event: {md(_when(interview.scheduled_for))}")
        else:
            st.caption(md(_when(pipeline.stage_date(interview, interview.stage))))
        nxt = pipeline.next_stage(interview.stage)
        prefix = f"board_{interview.id}"
        if nxt == "scheduled":
            st.date_input("Interview date", value=day + timedelta(days=7), key=f"{prefix}_at_day")
            st.time_input("Time", value=DEFAULT_TIME, key=f"{prefix}_at_time", step=timedelta(minutes=15))
        if nxt is not None:
            st.button(
                _MOVE_LABELS[nxt],
                key=f"{prefix}_to_{nxt}",
                type="primary",
                width="stretch",
                on_click=_move,
                args=(store, interview.id, nxt, day, f"{prefix}_at" if nxt == "scheduled" else None),
            )
        if interview.stage in pipeline.DECLINABLE:
            st.button(
                "Declined",
                key=f"{prefix}_to_declined",
                width="stretch",
                on_click=_move,
                args=(store, interview.id, "declined", day),
            )
        if interview.stage == "declined":
            st.button(
                "Try again",
                key=f"{prefix}_to_identified",
                width="stretch",
                on_click=_move,
                args=(store, interview.id, "identified", day),
            )


def _add_to_pipeline_form(store: Store, day: date) -> None:
    contacts = store.contacts()
    careers = store.careers()
    with st.expander("Add someone to talk to", icon=":material/person_add:"):
        if not contacts:
            st.info("Add the person under Contacts first, then pick them here.")
            return
        with st.form("pipeline_add", border=False):
            st.selectbox(
                "Person",
                [c.id for c in contacts],
                key="pipeline_add_contact",
                format_func=lambda cid: next(c.name for c in contacts if c.id == cid),
            )
            st.selectbox(
                "Career to ask about",
                [c.name for c in careers],
                index=None,
                key="pipeline_add_career",
                placeholder="Pick a career",
            )
            st.text_input("... or a new career", key="pipeline_add_new_career")
            st.text_area("What do you want to learn? (goals)", key="pipeline_add_goals", height=80)
            st.form_submit_button("Add to the pipeline", type="primary", on_click=_add, args=(store, day))


def _add(store: Store, day: date) -> None:
    def act() -> None:
        contact_id = st.session_state.get("pipeline_add_contact")
        contact = next((c for c in store.contacts() if c.id == contact_id), None)
        if contact is None:
            raise InvalidInputError("pick the person you want to talk to")
        career = (st.session_state.get("pipeline_add_new_career") or "").strip() or (
            st.session_state.get("pipeline_add_career") or ""
        )
        st.session_state[PINNED_KEY] = pipeline.add_to_pipeline(
            store, career, contact, on=day, goals=st.session_state.get("pipeline_add_goals", "")
        )
        for key in ("pipeline_add_new_career", "pipeline_add_goals"):
            st.session_state[key] = ""
        flash(f"{md(contact.name)} is in your pipeline for {md(career)}.")

    callback_action(act)


# -- contacts --------------------------------------------------------------------------------------------


def render_contacts(store: Store) -> None:
    """Every contact in a table, and a form to add one or edit any field of one."""
    show_flashes()
    st.subheader("Contacts")
    contacts = store.contacts()
    if contacts:
        import pandas as pd  # here, not at the top: the Overview imports this module and needs no pandas

        st.dataframe(
            pd.DataFrame(pipeline.contact_rows(contacts, store.interviews())),
            hide_index=True,
            column_config={"email or link": st.column_config.TextColumn("email or link")},
        )
    else:
        st.caption("No contacts yet: friends and relatives first, then alumni, LinkedIn, associations, unions.")
    ids = [NEW, *(c.id for c in contacts)]
    if st.session_state.get(CONTACT_PICK_KEY) not in ids:
        st.session_state[CONTACT_PICK_KEY] = NEW
    names = {c.id: c.name for c in contacts}
    picked = st.selectbox(
        "Add or edit",
        ids,
        key=CONTACT_PICK_KEY,
        format_func=lambda cid: "New contact" if cid == NEW else names.get(cid, "?"),
    )
    contact = next((c for c in contacts if c.id == picked), None)
    _contact_form(store, contact)


def _contact_form(store: Store, contact: Contact | None) -> None:
    prefix = f"contact_{contact.id if contact else 'new'}"
    options = list(HOW_FOUND)
    current = contact.how_found if contact else ""
    if current and current not in options:
        options.append(current)
    with st.form(prefix):
        left, right = st.columns(2)
        left.text_input("Name", value=contact.name if contact else "", key=f"{prefix}_name")
        right.text_input("Role", value=contact.role if contact else "", key=f"{prefix}_role")
        left.text_input("Organisation", value=contact.organisation if contact else "", key=f"{prefix}_organisation")
        right.selectbox(
            "How you found them",
            options,
            key=f"{prefix}_how_found",
            index=options.index(current) if current in options else None,
            placeholder="Pick one",
            format_func=pipeline.how_found_label,
        )
        left.text_input("Introduced by", value=contact.introduced_by if contact else "", key=f"{prefix}_introduced_by")
        right.text_input("Email or profile link", value=contact.email if contact else "", key=f"{prefix}_email")
        st.text_area("Notes", value=contact.notes if contact else "", key=f"{prefix}_notes", height=80)
        st.form_submit_button(
            "Save contact" if contact else "Add contact",
            type="primary",
            on_click=_save_contact,
            args=(store, contact.id if contact else None, prefix),
        )
    if contact is not None:
        confirm = st.checkbox("Yes, delete this contact (their interviews stay)", key=f"{prefix}_confirm")
        st.button(
            "Delete contact",
            key=f"{prefix}_delete",
            disabled=not confirm,
            on_click=_delete_contact,
            args=(store, contact.id, contact.name),
        )


def _save_contact(store: Store, contact_id: int | None, prefix: str) -> None:
    def act() -> None:
        state = st.session_state
        saved = store.save_contact(
            state.get(f"{prefix}_name", ""),
            contact_id,
            **{
                f: state.get(f"{prefix}_{f}") or ""
                for f in ("role", "organisation", "how_found", "introduced_by", "email", "notes")
            },
        )
        if contact_id is None:  # show the new contact, and leave the new-contact form empty
            for key in [k for k in state if str(k).startswith(f"{prefix}_")]:
                del state[key]
            state[CONTACT_PICK_KEY] = saved
        flash("Contact saved.")

    callback_action(act)


def _delete_contact(store: Store, contact_id: int, name: str) -> None:
    def act() -> None:
        store.delete_contact(contact_id)
        st.session_state[CONTACT_PICK_KEY] = NEW
        flash(f"{md(name)} deleted.")

    callback_action(act)


# -- prepare ---------------------------------------------------------------------------------------------

_PREPARE_ORDER = {"scheduled": 0, "requested": 1, "identified": 2, "completed": 3, "thanked": 4, "declined": 5}


def _prepare_key(interview: Interview) -> tuple[object, ...]:
    """What needs preparing first: the soonest appointment, then open requests, then the rest."""
    day = pipeline.stage_date(interview, interview.stage) if interview.stage in STAGES else None
    return (_PREPARE_ORDER.get(interview.stage, 9), day or date.max, interview.interviewee.casefold(), interview.id)


def render_prepare(store: Store, *, today: date | None = None) -> None:
    """One interview at a time: the pitch, goals and homework, questions and the printable sheet, the
    request and thank-you drafts, its stage and dates, and the calendar event."""
    show_flashes()
    day = today_for(today)
    st.subheader("Prepare")
    interviews = sorted(store.interviews(), key=_prepare_key)
    if not interviews:
        st.caption("Nothing to prepare yet: add someone to talk to in the pipeline.")
        return
    ids = [i.id for i in interviews]
    if st.session_state.get(PREPARE_PICK_KEY) not in ids:
        st.session_state[PREPARE_PICK_KEY] = ids[0]
    labels = {i.id: _interview_label(i) for i in interviews}
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
    st.text_area("What I want to learn (goals)", value=interview.goals, key=f"{prefix}_goals", height=90)
    st.checkbox("Researched the organisation", value=interview.researched_org, key=f"{prefix}_org")
    st.checkbox(
        "Researched the person (talks, papers, posts)", value=interview.researched_person, key=f"{prefix}_person"
    )
    st.checkbox("Questions prepared", value=interview.questions_prepared, key=f"{prefix}_prepared")
    st.text_area("What I found", value=interview.homework_notes, key=f"{prefix}_found", height=90)
    st.button(
        "Save goals and homework",
        key=f"{prefix}_save",
        type="primary",
        on_click=_save_homework,
        args=(store, interview.id, prefix),
    )


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
    """An editable draft (fresh whenever its inputs change) and a copyable block of the edited text."""
    digest = hashlib.sha1(draft.encode()).hexdigest()[:10]  # a new draft replaces the old edits
    edited = st.text_area(label, value=draft, key=f"{key}_{digest}", height=260)
    words = pipeline.word_count(edited)
    if words > pipeline.DRAFT_WORD_LIMIT:
        st.warning(f"{words} words: busy people read short messages. Try to stay under {pipeline.DRAFT_WORD_LIMIT}.")
    else:
        st.caption(f"{words} words. Copy it with the button at the top right of the box below.")
    st.code(edited, language=None, wrap_lines=True)


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
            on_click=_move,
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
            on_click=_move,
            args=(store, interview.id, "thanked", day),
        )


def _stage(store: Store, interview: Interview, day: date) -> None:
    prefix = f"stage_{interview.id}"
    steps = pipeline.timeline(interview)
    st.markdown(f"Now **{pipeline.stage_label(interview.stage).lower()}**.")
    if steps:
        import pandas as pd

        st.dataframe(
            pd.DataFrame({"step": [pipeline.stage_label(s) for s, _ in steps], "date": [_when(v) for _, v in steps]}),
            hide_index=True,
        )
    moves = pipeline.allowed_moves(interview.stage)
    target = st.selectbox("Move to", moves, key=f"{prefix}_to", format_func=pipeline.stage_label)
    st.date_input("On", value=day, key=f"{prefix}_on")
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
    on = state.get(f"{prefix}_on") or date.today()
    _move(store, interview_id, target, on, f"{prefix}_at" if target == "scheduled" else None)


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


# -- overview: next actions, what works -----------------------------------------------------------------


def render_next_actions(store: Store, *, today: date | None = None) -> None:
    """The reminders as the user's next actions: thank-yous, follow-ups, interviews this week."""
    show_flashes()
    day = today_for(today)
    items = pipeline.reminders(store, today=day)
    st.subheader("Your next actions")
    if not items:
        st.caption("Nothing due: no thank-yous, follow-ups or interviews in the next week.")
        return
    for item in items:
        icon, title = _KIND_LABELS.get(item.kind, (":material/task_alt:", item.kind))
        with st.container(border=True):
            text, action = st.columns([5, 1], vertical_alignment="center")
            due = "overdue since" if item.overdue else "due"
            text.markdown(f"{icon} **{title}**, {due} {md(_when(item.due))}")
            text.markdown(md(item.message))
            key = f"next_{item.kind}_{item.interview_id}"
            if item.kind == "thank-you":
                action.button("Thanked", key=key, on_click=_move, args=(store, item.interview_id, "thanked", day))
            elif item.kind == "record":
                action.button("Completed", key=key, on_click=_move, args=(store, item.interview_id, "completed", day))


def render_what_works(store: Store) -> None:
    """Counts by stage and by how-found source: which ways of finding people lead to conversations."""
    result = pipeline.what_works(store)
    st.subheader("What works")
    for stage, column in zip(STAGES, st.columns(len(STAGES)), strict=True):
        column.metric(pipeline.stage_label(stage), result.stages.get(stage, 0))
    if not result.sources:
        st.caption("Add contacts and say how you found them to see which sources lead to conversations.")
        return
    import pandas as pd

    st.dataframe(
        pd.DataFrame([s.as_row() for s in result.sources]),
        hide_index=True,
        column_config={
            "held per request": st.column_config.ProgressColumn(
                "held per request",
                min_value=0,
                max_value=1,
                format="percent",
                help="Conversations held for each request made to people found this way.",
            ),
            "asked": st.column_config.NumberColumn("asked", help="Requests sent (including ones declined)."),
            "held": st.column_config.NumberColumn("held", help="Interviews completed or thanked."),
        },
    )
