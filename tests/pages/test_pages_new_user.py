"""What a new user hit on the way from "someone to talk to" to "rated" (AppTest): each check failed before its fix.

Contacts typed one after another stay separate people; a conversation logged for someone already in the
pipeline completes that record; days still ahead are never recorded as held; planned interviews show their
date; a weight outside 0-5 is refused next to the grid; the board fits everyone without stray buttons; the
drafts read well and show once; every number is rounded one way.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from analytics import pipeline
from analytics.store import Store
from pages.support.feedback import NEXT_PAGE_KEY
from pages.support.widgets import PAGE_INTERVIEWS
from tests.support.apptest_tools import STORE_KEY, TODAY_KEY, ok, open_page, texts

ROOT = Path(__file__).resolve().parents[2]
DAY = date(2026, 11, 22)


@pytest.fixture
def store() -> Iterator[Store]:
    with Store() as s:
        yield s


def page(name: str, store: Store, tab: str | None = None, **state: Any) -> AppTest:
    return open_page(name, store, tab, today=DAY, **state)


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def in_order(at: AppTest) -> list[Any]:
    """Every element of the main area, in the order the page draws them."""
    found: list[Any] = []

    def walk(node: Any) -> None:
        found.append(node)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at.main)
    return found


def test_contacts_added_one_after_another_are_all_kept(store: Store) -> None:
    at = page("interviews", store, "Contacts")
    people = [("Ann Ode", "Ranger"), ("Bo Lind", "Nurse"), ("Cy Pratt", "Baker")]
    for name, role in people:
        at.text_input(key="contact_new_name").input(name)
        at.text_input(key="contact_new_role").input(role)
        at.text_area(key="contact_new_notes").input(f"Notes on {name}")
        ok(button(at, "Add contact").click().run())
        assert at.selectbox(key="pipeline_contact_pick").value == -1  # still "New contact"
        assert at.text_input(key="contact_new_name").value == ""  # an empty form for the next person
    assert sorted((c.name, c.role, c.notes) for c in store.contacts()) == [
        (name, role, f"Notes on {name}") for name, role in people
    ]


def test_adding_a_contact_with_a_name_already_kept_is_refused_next_to_the_form(store: Store) -> None:
    store.save_contact("Ann Ode", notes="met at the fair")
    at = page("interviews", store, "Contacts")
    at.text_input(key="contact_new_name").input("ann ode")
    at.text_area(key="contact_new_notes").input("someone else's notes")
    at = button(at, "Add contact").click().run()
    assert [e.value.replace("\\", "") for e in at.error] == [
        "Ann Ode is already in your contacts: pick them under Add or edit to change what you know."
    ]
    assert [(c.name, c.notes) for c in store.contacts()] == [("Ann Ode", "met at the fair")]


def test_an_empty_name_is_refused_next_to_its_form(store: Store) -> None:
    at = page("interviews", store, "Contacts")
    at = button(at, "Add contact").click().run()
    elements = in_order(at)
    [error] = at.error
    assert error.value == "a contact needs a name"
    submit = button(at, "Add contact")
    assert elements.index(error) == elements.index(submit) + 1  # right under the form's button
    assert store.contacts() == []


def test_a_conversation_logged_for_someone_in_the_pipeline_completes_that_record(store: Store) -> None:
    store.save_contact("Priya Shah")
    iid = pipeline.add_to_pipeline(store, "Museum Educator", "Priya Shah", on=date(2026, 11, 1))
    pipeline.move_stage(store, iid, "scheduled", on=date(2026, 11, 2), at=datetime(2026, 11, 20, 14))
    at = page("interviews", store, "Log & rate", log_career="Museum Educator")
    career = store.interview(iid).career_id
    at.selectbox(key=f"log_interview_{career}").set_value(-1).run()  # "New interview", as she did
    prefix = f"log_new_{career}"
    at.text_input(key=f"{prefix}_who").input("priya shah")
    at.date_input(key=f"{prefix}_date").set_value(date(2026, 11, 20))
    next(b for b in at.button_group if b.label == "Realistic").set_value(4)
    ok(button(at, "Save interview").click().run())
    [interview] = store.interviews()
    assert (interview.id, interview.stage, interview.held_on, interview.ratings) == (
        iid,
        "completed",
        date(2026, 11, 20),
        1,
    )
    assert any("completes their pipeline entry" in s.value for s in at.success)
    assert store.counts()["interviews"] == 1


def test_log_and_rate_opens_on_the_completed_interview_waiting_for_ratings(store: Store) -> None:
    iid = pipeline.add_to_pipeline(store, "Archivist", "Ada Byron", on=date(2026, 11, 1))
    pipeline.move_stage(store, iid, "completed", on=date(2026, 11, 21))
    at = page("interviews", store, "Log & rate")
    career = store.interview(iid).career_id
    assert at.selectbox(key="log_career").value == "Archivist"
    assert at.selectbox(key=f"log_interview_{career}").value == iid
    assert any(b.label == "Save changes" for b in at.button)


def test_a_day_still_ahead_is_never_recorded_as_held(store: Store) -> None:
    # Log & rate: the date picker ends today, and the engine refuses a later day, with a way forward
    at = page("interviews", store, "Log & rate", log_career="+ A new career…", log_career_new="Archivist")
    assert at.date_input(key="log_new_career_date").max == DAY
    with pytest.raises(pipeline.InvalidInputError, match="after today: record an interview once it has happened"):
        pipeline.record_interview(store, "Archivist", "Ada Byron", date(2026, 11, 23), ratings={1: 4.0}, today=DAY)
    assert store.interviews() == []
    # the board offers no one-click completion of an interview still ahead
    iid = pipeline.add_to_pipeline(store, "Archivist", "Ada Byron", on=date(2026, 11, 1))
    pipeline.move_stage(store, iid, "scheduled", on=date(2026, 11, 2), at=datetime(2026, 11, 23, 10))
    at = page("interviews", store, "Pipeline")
    assert at.button(key=f"board_{iid}_to_completed").disabled
    # the engine refuses a held day after today, and so no thank-you is ever due for it
    with pytest.raises(pipeline.InvalidInputError, match="after today"):
        pipeline.move_stage(store, iid, "completed", on=date(2026, 11, 23), today=DAY)
    assert store.interview(iid).stage == "scheduled"
    assert [r.kind for r in pipeline.reminders(store, today=DAY)] == ["interview"]


def test_planned_interviews_show_their_date(store: Store) -> None:
    iid = pipeline.add_to_pipeline(store, "Archivist", "Ada Byron", on=date(2026, 11, 1))
    pipeline.move_stage(store, iid, "scheduled", on=date(2026, 11, 2), at=datetime(2026, 11, 27, 14))
    at = page("interviews", store, "Log & rate", log_career=None)
    latest = at.dataframe[0].value
    assert latest["Date"].iloc[0] == date(2026, 11, 27)
    at.selectbox(key="log_career").set_value("Archivist").run()
    career = store.interview(iid).career_id
    options = at.selectbox(key=f"log_interview_{career}").options
    assert "Ada Byron, 27 Nov 2026, 14:00 (scheduled, not rated)" in options
    assert not any("no date" in o for o in options)


def test_a_weight_outside_0_to_5_is_refused_next_to_the_grid(store: Store) -> None:
    before = [(c.name, c.weight) for c in store.criteria()]
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.switch_page("pages/profile.py")
    at.session_state[STORE_KEY] = store
    at.session_state["profile_criteria_0"] = {"edited_rows": {0: {"weight": 9.0}}, "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception
    [error] = at.error
    assert "row 1: weight 9 is outside 0-5" in error.value.replace("\\", "")
    elements = in_order(at)
    assert elements.index(error) > elements.index(at.data_editor[0])  # under the grid: the grid does not move
    assert [(c.name, c.weight) for c in store.criteria()] == before


def test_the_board_shows_six_people_with_no_stray_buttons(store: Store) -> None:
    for n in range(6):
        pipeline.add_to_pipeline(store, "Archivist", f"Person {n}", on=date(2026, 11, 1 + n))
    at = page("interviews", store, "Pipeline")
    cards = [m.value.split("**")[1] for m in at.markdown if m.value.startswith("**Person")]
    assert cards == [f"Person {n}" for n in range(6)]
    assert not [b for b in at.button if b.label in ("Show fewer",) or b.label.startswith("Show ")]
    assert not at.dataframe or "Person" not in at.dataframe[0].value  # nobody left off the board


def test_drafts_read_well_and_show_once(store: Store) -> None:
    iid = pipeline.add_to_pipeline(store, "Genetic Counselor", "Ada Byron", on=date(2026, 11, 1))
    at = page("interviews", store, "Prepare", pipeline_prepare_pick=iid)
    drafts = [c.value for c in at.code if c.value.startswith("Subject:")]
    assert len(drafts) == 2  # the request and the thank-you, each once
    assert "your work as a Genetic Counselor" in drafts[0]
    assert "your work in" not in "".join(drafts)


def test_the_expectations_form_asks_what_you_expect(store: Store) -> None:
    at = page("interviews", store, "Expectations", exp_career="+ A new career…", exp_career_new="Archivist")
    captions = texts(at)
    assert "Rate what you expect" in captions and "Rate what you heard" not in captions


def test_numbers_round_half_away_from_zero_on_every_page() -> None:
    from pages.support.text import percent_text, score_text

    assert (score_text(82.5), score_text(83.5), score_text(None)) == ("83", "84", "—")
    assert percent_text(0.825) == "83%"


def test_what_works_is_shown_on_the_interviews_page(store: Store) -> None:
    store.save_contact("Ada Byron", how_found="alumni")
    pipeline.add_to_pipeline(store, "Archivist", "Ada Byron", on=date(2026, 11, 1))
    at = page("interviews", store, "Pipeline")
    assert "What works" in [s.value for s in at.subheader]
    assert list(at.dataframe[-1].value["found through"]) == ["Alumni network"]


def test_plan_an_interview_puts_the_person_in_the_pipeline_with_the_questions(store: Store) -> None:
    def plan_page() -> None:
        from pages.sections.pipeline import plan_interview_button
        from pages.support.session import get_store

        plan_interview_button(get_store(), "Archivist", ["What does a normal week look like?"], key="plan_0")

    at = AppTest.from_function(plan_page, default_timeout=30)
    at.session_state[STORE_KEY] = store
    at.session_state[TODAY_KEY] = DAY
    ok(at.run())
    assert not at.text_input  # closed: its form is not drawn
    at.session_state["plan_0_popover"] = True  # the user opens "Plan an interview"
    ok(at.run())
    at.text_input(key="plan_0_new").input("Ada Byron")
    at.button(key="plan_0_add").click().run()  # the page then opens the Interviews page's pipeline
    [interview] = store.interviews()
    assert (interview.career, interview.interviewee, interview.stage) == ("Archivist", "Ada Byron", "identified")
    assert interview.questions == "What does a normal week look like?"
    assert [c.name for c in store.contacts()] == ["Ada Byron"]
    assert at.session_state["interviews_tab"] == "Pipeline"
    assert at.session_state[NEXT_PAGE_KEY] == PAGE_INTERVIEWS  # opened where the page shows its messages


def test_a_criterion_of_her_own_is_added_with_the_form_under_the_grid(store: Store) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.switch_page("pages/profile.py")
    at.session_state[STORE_KEY] = store
    ok(at.run())
    at.text_input(key="profile_add_name").input("Lab bench work")
    at.selectbox(key="profile_add_dimension").select("skill")
    ok(button(at, "Add").click().run())
    added = next(c for c in store.criteria() if c.name == "Lab bench work")
    assert (added.dimension, added.weight) == ("skill", 3.0)
    assert at.text_input(key="profile_add_name").value == ""
    at.text_input(key="profile_add_name").input("lab BENCH work")
    at = button(at, "Add").click().run()
    assert any("already a criterion" in e.value for e in at.error)
