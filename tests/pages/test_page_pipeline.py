"""The pipeline sections in the app (AppTest): a whole contact -> identified -> requested -> scheduled ->
completed -> thanked cycle through the Interviews and Overview pages, and user text never run as HTML.

The day is fixed through the session's pretend-today key, so nothing depends on the wall clock.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time

import pytest
from streamlit.testing.v1 import AppTest

from analytics.store import Store
from tests.support.apptest_tools import STORE_KEY, TODAY_KEY, ok, open_page, texts


@pytest.fixture
def store() -> Iterator[Store]:
    with Store() as s:
        yield s


def page(name: str, store: Store, today: date, tab: str | None = None) -> AppTest:
    """Open the app (``app.py``: navigation, the shared store) on page ``name``."""
    return open_page(name, store, tab, today=today)


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def test_a_whole_cycle_through_the_interviews_and_overview_pages(store: Store) -> None:
    day = date(2026, 11, 22)

    # a contact, with every field
    at = page("interviews", store, day, "Contacts")
    for field, value in [
        ("name", "Priya Shah"),
        ("role", "Learning Officer"),
        ("organisation", "City Museum"),
        ("introduced_by", "Dr Okafor"),
        ("email", "priya@example.org"),
    ]:
        at.text_input(key=f"contact_new_{field}").input(value)
    at.selectbox(key="contact_new_how_found").select("alumni")
    at.text_area(key="contact_new_notes").input("Runs the schools programme.")
    ok(button(at, "Add contact").click().run())
    [contact] = store.contacts()
    assert (
        contact.name,
        contact.role,
        contact.organisation,
        contact.how_found,
        contact.introduced_by,
        contact.email,
        contact.notes,
    ) == (
        "Priya Shah",
        "Learning Officer",
        "City Museum",
        "alumni",
        "Dr Okafor",
        "priya@example.org",
        "Runs the schools programme.",
    )
    assert at.selectbox(key="pipeline_contact_pick").value == -1  # still on "New contact", for the next person
    assert at.text_input(key="contact_new_name").value == ""
    ok(at.selectbox(key="pipeline_contact_pick").set_value(contact.id).run())  # editing is an explicit choice
    at.text_input(key=f"contact_{contact.id}_role").input("Head of Learning")
    ok(button(at, "Save contact").click().run())
    assert store.contacts()[0].role == "Head of Learning"

    # identified: someone to ask about a new career
    at = page("interviews", store, day, "Pipeline")
    at.text_input(key="pipeline_add_new_career").input("Museum Educator")
    at.text_area(key="pipeline_add_goals").input("How do people get in?")
    ok(button(at, "Add to the pipeline").click().run())
    [interview] = store.interviews()
    iid = interview.id
    assert (interview.stage, interview.career, interview.interviewee, interview.identified_on, interview.goals) == (
        "identified",
        "Museum Educator",
        "Priya Shah",
        day,
        "How do people get in?",
    )

    # requested, then scheduled: one click each on the board
    ok(at.button(key=f"board_{iid}_to_requested").click().run())
    assert (store.interview(iid).stage, store.interview(iid).requested_on) == ("requested", day)
    at.date_input(key=f"board_{iid}_at_day").set_value(date(2026, 11, 26))
    at.time_input(key=f"board_{iid}_at_time").set_value(time(15, 30))
    ok(at.button(key=f"board_{iid}_to_scheduled").click().run())
    assert store.interview(iid).stage == "scheduled"
    assert store.interview(iid).scheduled_for == datetime(2026, 11, 26, 15, 30)
    assert "Priya Shah" in texts(at)

    # the Overview lists the coming interview as a next action
    overview = page("overview", store, day)
    assert "Interview coming up" in texts(overview)

    # prepare: pitch, homework, questions, the sheet, the request draft and the calendar event
    at = page("interviews", store, day, "Prepare")
    assert at.selectbox(key="pipeline_prepare_pick").value == iid
    at.text_area(key="pipeline_pitch").input("Psychology graduate who loves explaining things.")
    ok(button(at, "Save my pitch").click().run())
    assert store.get_setting("pitch") == "Psychology graduate who loves explaining things."
    at.checkbox(key=f"prep_{iid}_org").check()
    at.checkbox(key=f"prep_{iid}_person").check()
    at.text_area(key=f"prep_{iid}_found").input("The museum won a schools award in 2025.")
    ok(at.button(key=f"prep_{iid}_save").click().run())
    prepared = store.interview(iid)
    assert prepared.researched_org and prepared.researched_person and not prepared.questions_prepared
    assert prepared.homework_notes == "The museum won a schools award in 2025."
    first = at.multiselect(key=f"questions_{iid}_0")
    question = first.options[0]
    first.select(question)
    at.text_area(key=f"questions_{iid}_extra").input("What do school groups enjoy most?")
    ok(at.button(key=f"questions_{iid}_save").click().run())
    assert store.interview(iid).questions == f"{question}\nWhat do school groups enjoy most?"
    sheet = next(c.value for c in at.code if c.value.startswith("Informational interview"))
    assert f"1. {question}" in sheet and "Psychology graduate" in sheet
    assert at.download_button(key=f"ics_{iid}") is not None
    request = next(t for t in at.text_area if t.key and t.key.startswith(f"request_{iid}_"))
    assert "15-30 minutes" in request.value and "Dr Okafor suggested" in request.value

    # completed (marked the day after: the appointment day is recorded), then thanked from the Overview
    later = date(2026, 11, 27)
    at = page("interviews", store, later, "Pipeline")
    ok(at.button(key=f"board_{iid}_to_completed").click().run())
    done = store.interview(iid)
    assert (done.stage, done.completed_on, done.held_on) == ("completed", date(2026, 11, 26), date(2026, 11, 26))
    assert at.session_state["interviews_tab"] == "Log & rate"  # straight on to rating it
    assert any(m.value.endswith("completed. Rate the career now, while the conversation is fresh.") for m in at.success)
    assert at.selectbox(key=f"log_interview_{done.career_id}").value == iid
    overview = page("overview", store, later)
    assert "Thank-you due" in texts(overview)
    ok(overview.button(key=f"next_thank-you_{iid}").click().run())
    thanked = store.interview(iid)
    assert (thanked.stage, thanked.thanked_on) == ("thanked", later)
    assert "Nothing due" in texts(overview)


def _sections() -> None:
    from pages.sections.contacts import render_contacts
    from pages.sections.next_actions import render_next_actions, render_what_works
    from pages.sections.pipeline import render_pipeline_board
    from pages.sections.prepare import render_prepare
    from pages.support import cache
    from pages.support.session import get_store, today

    store = get_store()
    render_next_actions(store, cache.reminders(store, today()))
    render_contacts(store)
    render_pipeline_board(store)
    render_prepare(store)
    render_what_works(store)


def sections_app(store: Store, today: date) -> AppTest:
    at = AppTest.from_function(_sections, default_timeout=30)
    at.session_state[STORE_KEY] = store
    at.session_state[TODAY_KEY] = today
    return at


NASTY = "<script>alert('x')</script> **Bold** [link](javascript:alert(1)) $x$"


def test_user_text_is_shown_as_text_never_as_html(store: Store) -> None:
    from analytics import pipeline

    store.save_contact(NASTY, role="<img src=x onerror=alert(1)>", how_found="friend", notes="<b>hi</b>")
    iid = pipeline.add_to_pipeline(store, "<i>Career</i> _x_", NASTY, on=date(2026, 11, 1), goals="<svg onload=1>")
    pipeline.move_stage(store, iid, "completed", on=date(2026, 11, 20))
    at = ok(sections_app(store, date(2026, 11, 22)).run())
    for element in [*at.markdown, *at.caption]:
        # every Markdown character of user text arrives backslash-escaped, so it renders literally
        assert "<script>" not in element.value and "**Bold**" not in element.value
        assert "[link](" not in element.value and "<i>" not in element.value
    assert any("\\<script\\>" in m.value for m in at.markdown)
    assert any(NASTY in t.value for t in at.text) or any(NASTY in c.value for c in at.code)


def test_mistakes_show_a_message_not_a_traceback(store: Store) -> None:
    at = ok(sections_app(store, date(2026, 11, 22)).run())
    button(at, "Add contact").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == ["a contact needs a name"]
    store.save_contact("Ada Byron")
    at = sections_app(store, date(2026, 11, 22)).run()
    button(at, "Add to the pipeline").click().run()  # no career picked
    assert not at.exception
    assert [e.value for e in at.error] == ["pick or name the career you want to ask about"]
    assert store.interviews() == []


def test_declined_and_try_again_on_the_board(store: Store) -> None:
    from analytics import pipeline

    iid = pipeline.add_to_pipeline(store, "Archivist", "Ada Byron", on=date(2026, 11, 1))
    at = ok(sections_app(store, date(2026, 11, 22)).run())
    ok(at.button(key=f"board_{iid}_to_declined").click().run())
    assert (store.interview(iid).stage, store.interview(iid).declined_on) == ("declined", date(2026, 11, 22))
    ok(at.button(key=f"board_{iid}_to_identified").click().run())
    assert store.interview(iid).stage == "identified" and store.interview(iid).declined_on is None
    counts = {m.label: m.value for m in at.metric}
    assert counts["Identified"] == "1" and counts["Declined"] == "0"


def test_completing_from_the_prepare_tab_opens_log_and_rate_with_its_message_and_leaves_nothing_pending(
    store: Store,
) -> None:
    from analytics import pipeline
    from pages.support.feedback import NEXT_PAGE_KEY

    store.save_contact("Ada Byron")
    iid = pipeline.add_to_pipeline(store, "Archivist", "Ada Byron", on=date(2026, 11, 1))
    pipeline.move_stage(store, iid, "scheduled", on=date(2026, 11, 2), at=datetime(2026, 11, 20, 10, 0))
    at = open_page("interviews", store, "Prepare", today=date(2026, 11, 22), pipeline_prepare_pick=iid)
    at.selectbox(key=f"stage_{iid}_to").select("completed")
    ok(at.button(key=f"stage_{iid}_move").click().run())
    assert store.interview(iid).stage == "completed"
    assert at.session_state["interviews_tab"] == "Log & rate"
    said = "Ada Byron: completed. Rate the career now, while the conversation is fresh."
    assert [m.value for m in at.success] == [said]
    # the request to open the Interviews page is spent: nothing is left to redraw the page again later
    assert NEXT_PAGE_KEY not in at.session_state
