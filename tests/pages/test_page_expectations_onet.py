"""The Expectations form prefills from O*NET's view of a linked career (AppTest)."""

from __future__ import annotations

from pathlib import Path

from analytics.numbers import shown
from analytics.onet import career_view
from analytics.store import Store
from tests.support.apptest_tools import STORE_KEY, ok


def test_prefill_from_onet_sets_the_linked_criteria_and_saves_as_expectations(empty_db: Path, open_app) -> None:
    with Store(empty_db) as store:
        store.link_career("Nursing", "29-1141.00")
    at = ok(open_app("interviews", interviews_tab="Expectations", exp_career="Nursing"))
    store: Store = at.session_state[STORE_KEY]
    career = store.careers()[0]
    prefix = f"exp_{career.id}"
    at.button(key=f"{prefix}_onet").click().run()
    ok(at)
    view = career_view("29-1141.00", store.criteria())
    assert len(view) == 20
    for criterion_id, value in view.items():
        assert at.session_state[f"{prefix}_{criterion_id}"] == shown(value.rating)
    next(b for b in at.button if b.label == "Save expectations").click().run()
    ok(at)
    saved = store.expectations(career.id)
    assert saved == {k: float(shown(v.rating)) for k, v in view.items()}


def test_no_prefill_for_an_unlinked_career(empty_db: Path, open_app) -> None:
    with Store(empty_db) as store:
        store.add_career("Own idea")
    at = ok(open_app("interviews", interviews_tab="Expectations", exp_career="Own idea"))
    assert not [b for b in at.button if b.label.startswith("Prefill from O*NET")]
