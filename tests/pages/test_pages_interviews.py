"""Interviews page (AppTest): log and rate, edit and delete, expectations, the plan hand-off and every tab."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analytics.beliefs import rank
from analytics.store import Store
from tests.support.apptest_tools import STORE_KEY, ok

NEW_CAREER = "+ A new career…"
TABS = ("Log & rate", "Expectations", "Pipeline", "Prepare", "Contacts")


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def rating(at: AppTest, criterion: str):
    return next(b for b in at.button_group if b.label == criterion)


def career_id(store: Store, name: str) -> int:
    return next(c.id for c in store.careers() if c.name == name)


@pytest.mark.parametrize("tab", TABS)
def test_every_tab_draws_on_the_demo(app_db: Path, open_app, tab: str) -> None:
    at = ok(open_app("interviews", interviews_tab=tab))
    assert set(TABS) <= {t.label for t in at.tabs}
    assert any(t.children for t in at.tabs if t.label == tab)


@pytest.mark.parametrize("tab", TABS)
def test_every_tab_draws_on_an_empty_store(empty_db: Path, open_app, tab: str) -> None:
    ok(open_app("interviews", interviews_tab=tab))


def test_an_empty_store_starts_with_a_new_career(empty_db: Path, open_app) -> None:
    at = ok(open_app("interviews"))
    assert at.selectbox(key="log_career").value == NEW_CAREER
    assert at.text_input(key="log_career_new").label == "Name of the new career"


def test_rating_form_saves_a_new_interview_of_a_new_career_and_it_is_ranked(empty_db: Path, open_app) -> None:
    at = ok(open_app("interviews"))
    store: Store = at.session_state[STORE_KEY]
    ok(at.text_input(key="log_career_new").input("  Park Ranger ").run())
    at.text_input(key="log_new_career_who").input("Ann Ode")
    at.date_input(key="log_new_career_date").set_value(date(2026, 9, 1))
    at.text_area(key="log_new_career_notes").input("Outdoors all day; pay: $30k-$35k.")
    rating(at, "Realistic").set_value(5)
    rating(at, "Investigative").set_value(2)
    ok(button(at, "Save interview").click().run())
    assert any("saved with 2 ratings" in s.value for s in at.success)
    park = career_id(store, "Park Ranger")
    [interview] = store.interviews(park)
    assert (interview.interviewee, interview.held_on, interview.stage) == ("Ann Ode", date(2026, 9, 1), "completed")
    assert interview.notes == "Outdoors all day; pay: $30k-$35k."
    assert sorted(store.interview_ratings(interview.id).values()) == [2.0, 5.0]
    assert at.selectbox(key="log_career").value == "Park Ranger"  # the saved interview stays open to edit
    assert at.selectbox(key=f"log_interview_{park}").value == interview.id
    [score] = rank(store)
    assert score.career == "Park Ranger" and score.fit is not None
    fit = ok(open_app("career_fit"))
    assert fit.dataframe[0].value["Career"].iloc[0] == "Park Ranger"
    store.close()  # a restart: the interview is in the file
    with Store(empty_db) as reopened:
        assert [i.interviewee for i in reopened.interviews()] == ["Ann Ode"]


def test_editing_an_interview_changes_and_clears_ratings(app_db: Path, open_app) -> None:
    at = ok(open_app("interviews"))
    store: Store = at.session_state[STORE_KEY]
    ux = career_id(store, "UX Researcher")
    ok(at.selectbox(key="log_career").set_value("UX Researcher").run())
    interview = next(i for i in store.interviews(ux) if i.interviewee == "Maya Lindqvist")
    ok(at.selectbox(key=f"log_interview_{ux}").set_value(interview.id).run())
    prefix = f"log_{interview.id}"
    assert at.text_input(key=f"{prefix}_who").value == "Maya Lindqvist"
    assert rating(at, "Investigative").value == 5  # prefilled from the store
    rating(at, "Investigative").set_value(3)
    rating(at, "Artistic").set_value(None)  # not discussed after all
    ok(button(at, "Save changes").click().run())
    ratings = store.interview_ratings(interview.id)
    investigative = next(c.id for c in store.criteria() if c.name == "Investigative")
    artistic = next(c.id for c in store.criteria() if c.name == "Artistic")
    assert ratings[investigative] == 3.0 and artistic not in ratings


def test_deleting_an_interview_removes_it_and_its_ratings(app_db: Path, open_app) -> None:
    at = ok(open_app("interviews"))
    store: Store = at.session_state[STORE_KEY]
    ux = career_id(store, "UX Researcher")
    ok(at.selectbox(key="log_career").set_value("UX Researcher").run())
    interview = store.interviews(ux)[0]
    ok(at.selectbox(key=f"log_interview_{ux}").set_value(interview.id).run())
    ok(at.button(key=f"delete_{interview.id}").click().run())
    assert store.interview(interview.id) is None
    assert store.interview_ratings(interview.id) == {}
    assert at.selectbox(key=f"log_interview_{ux}").value == -1  # "New interview"
    assert any("deleted" in s.value for s in at.success)


def test_a_second_interview_with_the_same_person_and_day_is_refused(app_db: Path, open_app) -> None:
    at = ok(open_app("interviews"))
    store: Store = at.session_state[STORE_KEY]
    before = store.counts()
    ok(at.selectbox(key="log_career").set_value("UX Researcher").run())
    ux = career_id(store, "UX Researcher")
    at.text_input(key=f"log_new_{ux}_who").input("maya lindqvist ")
    at.date_input(key=f"log_new_{ux}_date").set_value(date(2026, 8, 20))
    rating(at, "Social").set_value(1)
    button(at, "Save interview").click().run()
    assert not at.exception
    assert any("already logged an interview with Maya Lindqvist on 20 Aug 2026" in e.value for e in at.error)
    assert store.counts() == before
    ok(button(at, "Open the interview already logged").click().run())  # the message offers the existing one
    existing = at.selectbox(key=f"log_interview_{ux}").value
    assert store.interview(existing).interviewee == "Maya Lindqvist"
    assert at.text_input(key=f"log_{existing}_who").value == "Maya Lindqvist"


def test_expectations_give_an_expected_fit_without_a_fit(empty_db: Path, open_app) -> None:
    at = ok(open_app("interviews", interviews_tab="Expectations"))
    store: Store = at.session_state[STORE_KEY]
    ok(at.text_input(key="exp_career_new").input("Librarian").run())
    rating(at, "Conventional").set_value(5)
    rating(at, "Social").set_value(3)
    ok(button(at, "Save expectations").click().run())
    [score] = rank(store)
    assert score.career == "Librarian" and score.interviews == 0 and score.expected_fit is not None
    assert score.fit is not None and score.prior_fit == score.fit  # estimated from the expectations alone
    assert at.selectbox(key="exp_career").value == "Librarian"
    assert any(m.label == "Expected fit" for m in at.metric)
    assert rating(at, "Conventional").value == 5


def test_a_career_planned_on_explore_opens_the_pipeline_on_it(app_db: Path, open_app) -> None:
    at = ok(open_app("interviews", plan_interview_career="Librarian / Archivist"))
    assert at.session_state["interviews_tab"] == "Pipeline"
    assert at.selectbox(key="pipeline_add_career").value == "Librarian / Archivist"
    assert "plan_interview_career" not in at.session_state
    assert any(b.label == "Add to the pipeline" for b in at.button)


def test_a_planned_new_career_is_filled_in(app_db: Path, open_app) -> None:
    at = ok(open_app("interviews", plan_interview_career="Museum Curator"))
    assert at.text_input(key="pipeline_add_new_career").value == "Museum Curator"
