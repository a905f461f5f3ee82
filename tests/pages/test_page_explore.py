"""Explore next page (AppTest): empty state, the demo's list, map and groups, planning an interview."""

from __future__ import annotations

from pathlib import Path

import pytest

from analytics.recommend import investigate_next
from analytics.store import Store
from tests.support.apptest_tools import STORE_KEY, charts, ok, texts


def test_an_empty_store_says_what_to_do_and_links_to_the_pages_that_do_it(empty_db: Path, open_app) -> None:
    at = ok(open_app("explore"))
    assert at.title[0].value == "Explore next"
    assert "No careers yet" in at.info[0].value
    links = at.get("page_link")
    assert {link.proto.page_script_hash != "" for link in links} == {True} and len(links) == 3
    assert not charts(at) and not at.button


def test_the_demo_shows_the_ranked_list_with_reasons_and_questions(app_db: Path, open_app) -> None:
    at = ok(open_app("explore"))
    store: Store = at.session_state[STORE_KEY]
    expected = investigate_next(store)
    text = texts(at)
    assert [s.value for s in at.subheader] == ["Where to go next", "Your careers by career family"]
    # the first five entries, in order, each with its reason and questions, and a way to plan an interview
    for position, step in enumerate(expected[:5], start=1):
        assert f"**{position}. " in text and step.career.split(" ")[0] in text
        assert step.questions[0].rstrip("?")[:30] in text.replace("\\", "")
    assert text.count("**Ask next:**") == 5
    # "Plan an interview" on each entry, its form drawn only once opened (a closed one costs no contact list)
    assert [b.label for b in at.button].count("Add to my pipeline") == 0
    at.session_state[f"plan_{expected[0].career_id}_popover"] = True
    assert [b.label for b in ok(at.run()).button].count("Add to my pipeline") == 1
    assert expected[0].career in texts(at)
    at.session_state[f"plan_{expected[0].career_id}_popover"] = False
    ok(at.run())
    assert "priority" in text and "likely" in text
    at.radio(key="explore_show").set_value("All").run()
    assert texts(at).count("**Ask next:**") == len(expected) == 9
    families = {s.cluster for s in expected if s.cluster}
    assert families and all(f.split(" (")[0] in texts(at) for f in families)
    assert "Not in a family yet" in texts(at) and "Environmental Consultant" in texts(at)


def test_plan_an_interview_puts_the_person_in_the_pipeline_with_the_suggested_questions(app_db: Path, open_app) -> None:
    at = ok(open_app("explore"))
    store: Store = at.session_state[STORE_KEY]
    first = investigate_next(store)[0]
    at.session_state[f"plan_{first.career_id}_popover"] = True  # the user opens "Plan an interview"
    ok(at.run())
    at.text_input(key=f"plan_{first.career_id}_new").input("Rosa Lind")
    ok(at.button(key=f"plan_{first.career_id}_add").click().run())
    # the Interviews page opens, and its message says so (Explore next must not have used it up on the way)
    assert [t.value for t in at.title] == ["Interviews"]
    assert any(m.value.startswith("Rosa Lind is in your pipeline for") for m in at.success)
    [planned] = [i for i in store.interviews() if i.interviewee == "Rosa Lind"]
    assert planned.career == first.career and planned.stage == "identified"
    assert all(question in planned.questions for question in first.questions)
    assert "Rosa Lind" in [c.name for c in store.contacts()]


def test_two_careers_are_ranked_and_grouped_by_career_family(empty_db: Path, open_app) -> None:
    with Store(empty_db) as store:
        ids = {c.name: c.id for c in store.criteria()}
        store.save_interview("Park Ranger", "Ann", None, ratings={ids["Investigative"]: 4, ids["Social"]: 5})
        store.save_expectations("Florist", {ids["Artistic"]: 5})
    at = ok(open_app("explore"))
    assert "**1. " in texts(at) and "**2. " in texts(at)
    assert "Your careers by career family" in texts(at)
    assert not charts(at)


def test_a_failure_is_a_message_not_a_traceback(app_db: Path, open_app, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(store: Store) -> None:
        raise RuntimeError("the disk is on fire\nand more detail")

    monkeypatch.setattr("analytics.recommend.explore", broken)
    at = open_app("explore")
    assert not at.exception
    assert "the disk is on fire" in at.error[0].value and "more detail" not in at.error[0].value
