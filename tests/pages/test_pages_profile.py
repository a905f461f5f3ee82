"""My profile page (AppTest): criteria edits save at once in one transaction, dimension weights move the ranking."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from analytics.store import Store
from tests.support.apptest_tools import STORE_KEY, ok

EDITOR = "profile_criteria_0"


def ranking_now(at: AppTest) -> list[str]:
    return list(at.dataframe[-1].value["Career"])


def profile(store: Store) -> list[tuple[str, str | None, float]]:
    return [(c.name, c.dimension, c.weight) for c in store.criteria()]


def test_demo_profile_shows_every_criterion_and_the_dimension_weights(app_db: Path, open_app) -> None:
    at = ok(open_app("profile"))
    table = at.data_editor[0].value
    assert len(table) == 20
    assert list(table.columns) == ["name", "dimension", "weight", "description", "onet"]
    assert {s.label for s in at.slider} == {"Interests", "Skills", "Values"}
    assert ranking_now(at)[0] == "Clinical Psychologist"  # expected highly, not interviewed yet


def test_a_dimension_weight_change_reorders_the_ranking(app_db: Path, open_app) -> None:
    at = ok(open_app("profile"))
    before = ranking_now(at)
    ok(at.slider(key="dimension_weight_interest").set_value(0.0).run())
    ok(at.slider(key="dimension_weight_value").set_value(0.0).run())
    after = ranking_now(at)
    assert after != before
    assert after[:4] == [  # now by skills alone
        "UX Researcher",
        "Clinical Psychologist",
        "Product Manager",
        "Data Scientist",
    ]
    assert at.session_state[STORE_KEY].dimension_weights() == {"interest": 0.0, "skill": 1.0, "value": 0.0}
    fit = ok(open_app("career_fit"))  # the Career fit page follows
    assert list(fit.dataframe[0].value["Career"][:3]) == after[:3]


def test_every_dimension_at_zero_is_refused_with_a_message(app_db: Path, open_app) -> None:
    at = ok(open_app("profile"))
    ok(at.slider(key="dimension_weight_interest").set_value(0.0).run())
    ok(at.slider(key="dimension_weight_skill").set_value(0.0).run())
    at.slider(key="dimension_weight_value").set_value(0.0).run()
    assert not at.exception
    assert any("at least one dimension" in e.value for e in at.error)
    assert at.session_state[STORE_KEY].dimension_weights()["value"] == 1.0
    assert at.slider(key="dimension_weight_value").value == 1.0  # the slider shows what is stored


def test_table_edits_add_rename_reweight_and_delete_in_one_save(app_db: Path, open_app) -> None:
    at = ok(open_app("profile"))
    store: Store = at.session_state[STORE_KEY]
    ratings_before = store.counts()["ratings"]
    at.session_state[EDITOR] = {
        "edited_rows": {1: {"name": "Research", "weight": 2.5}, 2: {"dimension": "unassigned"}},
        "added_rows": [{"name": " Travel ", "dimension": "value", "weight": 4.0, "description": "Trips abroad"}],
        "deleted_rows": [0],
    }
    ok(at.run())
    assert any("Profile saved" in t.value for t in at.toast)  # a toast: the grid does not move
    names = [c[0] for c in profile(store)]
    assert "Realistic" not in names and names[0] == "Research" and names[-1] == "Travel"
    assert profile(store)[0] == ("Research", "interest", 2.5)
    assert profile(store)[1][1] is None  # unassigned
    assert store.counts()["ratings"] < ratings_before  # Realistic's ratings went with it
    assert at.data_editor[0].key == "profile_criteria_1"  # redrawn from what was stored
    assert len(at.data_editor[0].value) == 20
    assert any("no dimension" in w.value for w in at.warning)


def test_a_duplicate_name_is_an_error_and_nothing_is_written(app_db: Path, open_app) -> None:
    at = ok(open_app("profile"))
    store: Store = at.session_state[STORE_KEY]
    before = profile(store)
    at.session_state[EDITOR] = {
        "edited_rows": {0: {"weight": 1.0}, 1: {"name": "artistic"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert not at.exception
    assert any("already the name of row" in e.value for e in at.error)
    assert profile(store) == before
    assert any(b.label == "Undo my edits" for b in at.button)


def test_a_new_row_waits_for_its_name(app_db: Path, open_app) -> None:
    at = ok(open_app("profile"))
    store: Store = at.session_state[STORE_KEY]
    at.session_state[EDITOR] = {
        "edited_rows": {},
        "added_rows": [{"dimension": "interest", "weight": 3.0}],
        "deleted_rows": [],
    }
    ok(at.run())
    assert len(store.criteria()) == 20
    assert any("Give the new criterion a name" in c.value for c in at.caption)


def test_empty_store_profile_offers_the_default_criteria(empty_db: Path, open_app) -> None:
    at = ok(open_app("profile"))
    assert len(at.data_editor[0].value) > 10
    assert any("No career has ratings yet" in c.value for c in at.caption)
