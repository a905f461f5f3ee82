"""The Overview's quick start (AppTest): sort activities, order values, weights set, land on Discover."""

from __future__ import annotations

from pathlib import Path

from analytics.onet.quick_profile import quick_activities, quick_weights
from analytics.store import Store
from tests.support.apptest_tools import STORE_KEY, ok, texts


def test_a_new_store_offers_the_quick_profile_honestly_labelled(empty_db: Path, open_app) -> None:
    at = ok(open_app("overview"))
    (expander,) = [e for e in at.expander if e.label == "Start with a quick profile"]
    assert len(at.radio) == 30
    assert all(r.options == ["like", "not sure", "dislike"] and r.value == "not sure" for r in at.radio)
    assert "not the validated O*NET Interest Profiler" in texts(at).replace("\\*", "*")
    assert expander


def test_the_quick_profile_sets_interest_and_value_weights_and_lands_on_discover(empty_db: Path, open_app) -> None:
    at = ok(open_app("overview"))
    store: Store = at.session_state[STORE_KEY]
    before = {c.name: c.weight for c in store.criteria()}
    answers = {}
    for number, activity in enumerate(quick_activities()):
        answer = {"Investigative": "like", "Realistic": "dislike"}.get(activity.area, "not sure")
        at.radio(key=f"quick_activity_{number}").set_value(answer)
        answers[activity.text] = answer
    at.multiselect(key="quick_values").set_value(["Independence", "Achievement"])
    submit = next(b for b in at.button if b.label == "Set my weights and discover careers")
    submit.click().run()
    ok(at)
    weights = {c.name: c.weight for c in store.criteria()}
    assert weights["Investigative"] == 5 and weights["Realistic"] == 0 and weights["Artistic"] == 3
    assert weights["Independence"] == 5 and weights["Achievement"] == 4 and weights["Working Conditions"] == 3
    assert weights["Writing"] == before["Writing"]  # skills are left as they were
    expected = quick_weights(answers, ["Independence", "Achievement"])
    assert {c.onet_element: c.weight for c in store.criteria() if c.onet_element in expected} == expected
    assert at.title[0].value == "Discover"
    assert "Your quick profile set the weights of 12 criteria" in texts(at)
    assert store.get_setting("quick_profile_done") is True


def test_a_store_with_careers_shows_no_quick_start(app_db: Path, open_app) -> None:
    at = ok(open_app("overview"))
    assert not [e for e in at.expander if e.label == "Start with a quick profile"]
