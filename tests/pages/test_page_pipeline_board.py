"""The pipeline board with many interviews (AppTest): a few cards per column, "show more", a search that
brings any card onto the board, a table of the rest, and the card just moved kept in sight.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from streamlit.testing.v1 import AppTest

from analytics import pipeline
from analytics.store import Store
from tests.support.apptest_tools import STORE_KEY, TODAY_KEY
from tests.support.store_fixtures import import_records

TODAY = date(2026, 11, 22)
CAREERS = ("Nurse", "Teacher", "Baker", "Pilot", "Chef", "Welder", "Editor")


@pytest.fixture
def store() -> Iterator[Store]:
    """60 requested interviews (the oldest request first on the board) and 3 thanked ones."""
    interviews = [
        {
            "career": CAREERS[n % len(CAREERS)],
            "interviewee": f"Person {n:02d}",
            "stage": "requested",
            "identified_on": date(2026, 9, 1),
            "requested_on": date(2026, 9, 1) + timedelta(days=n),
        }
        for n in range(60)
    ]
    interviews += [
        {
            "career": "Archivist",
            "interviewee": f"Done {n}",
            "date": date(2026, 10, n + 1),
            "stage": "thanked",
            "completed_on": date(2026, 10, n + 1),
            "thanked_on": date(2026, 10, n + 2),
        }
        for n in range(3)
    ]
    with Store() as s:
        import_records(s, interviews=interviews)
        yield s


def _board() -> None:
    from pages.sections.pipeline import render_pipeline_board
    from pages.support.session import get_store

    render_pipeline_board(get_store())


def board(store: Store) -> AppTest:
    at = AppTest.from_function(_board, default_timeout=30)
    at.session_state[STORE_KEY] = store
    at.session_state[TODAY_KEY] = TODAY
    return ok(at.run())


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def cards(at: AppTest) -> list[str]:
    """The interviewee of every card drawn, in order (a card's first line is the person in bold)."""
    return [m.value.split("**")[1] for m in at.markdown if m.value.startswith(("**Person", "**Done"))]


def rest(at: AppTest) -> list[str]:
    """The people listed in the table under the board (the only table the board draws)."""
    return list(at.dataframe[0].value["Person"]) if at.dataframe else []


def test_a_column_shows_the_first_few_cards_and_the_rest_in_a_table(store: Store) -> None:
    at = board(store)
    assert cards(at) == [f"Person {n:02d}" for n in range(pipeline.BOARD_CARDS)] + ["Done 2", "Done 1", "Done 0"]
    assert "**Requested** (60)" in [m.value for m in at.markdown]
    assert rest(at) == [f"Person {n:02d}" for n in range(pipeline.BOARD_CARDS, 60)]
    assert len([b for b in at.button if b.label == "Schedule it"]) == pipeline.BOARD_CARDS

    ok(at.button(key="pipeline_more_requested").click().run())
    assert len(cards(at)) == pipeline.BOARD_CARDS + 10 + 3
    assert len(rest(at)) == 60 - pipeline.BOARD_CARDS - 10
    ok(at.button(key="pipeline_fewer_requested").click().run())
    assert len(cards(at)) == pipeline.BOARD_CARDS + 3


def test_a_search_brings_any_card_onto_the_board(store: Store) -> None:
    at = board(store)
    at.text_input(key="pipeline_search").input("person 42").run()
    ok(at)
    assert cards(at) == ["Person 42"] and rest(at) == []
    assert "**Requested** (1 of 60)" in [m.value for m in at.markdown]
    at.text_input(key="pipeline_search").input(" PILOT ").run()  # by career: Person 03, 10, 17, ...
    assert cards(ok(at)) == [f"Person {n:02d}" for n in range(3, 60, 7)]
    assert rest(at) == []
    at.text_input(key="pipeline_search").input("nobody").run()
    assert cards(ok(at)) == [] and "No interview matches nobody." in [c.value for c in at.caption]


def test_the_card_just_moved_stays_in_sight(store: Store) -> None:
    at = board(store)
    at.text_input(key="pipeline_search").input("Person 42").run()
    [moved] = [i for i in store.interviews() if i.interviewee == "Person 42"]
    ok(at.button(key=f"board_{moved.id}_to_declined").click().run())
    at.text_input(key="pipeline_search").input("").run()
    assert store.interview(moved.id).stage == "declined"
    assert "Person 42" in cards(ok(at))  # in the Declined list, though the column shows only the first few
    assert "Person 42" not in rest(at)
