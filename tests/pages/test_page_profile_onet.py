"""My profile (AppTest): each criterion's O*NET element is shown and can be picked, or set to none."""

from __future__ import annotations

from pathlib import Path

from analytics.store import Store
from tests.support.apptest_tools import STORE_KEY, ok

EDITOR = "profile_criteria_0"


def test_the_profile_shows_and_changes_the_onet_links(empty_db: Path, open_app) -> None:
    at = ok(open_app("profile"))
    store: Store = at.session_state[STORE_KEY]
    table = at.data_editor[0].value
    shown = dict(zip(table["name"], table["onet"], strict=True))
    assert shown["Investigative"] == "Investigative (interest)"
    assert shown["Data analysis"] == "Mathematics (skill)"
    position = {name: i for i, name in enumerate(table["name"])}
    at.session_state[EDITOR] = {
        "edited_rows": {
            position["Teamwork"]: {"onet": "none"},
            position["Data analysis"]: {"onet": "Mathematics (knowledge)"},
        },
        "added_rows": [
            {"name": "Remote work", "dimension": "value", "weight": 4.0},
            {"name": "Lab science", "dimension": "skill", "weight": 5.0, "onet": "Science (skill)"},
        ],
        "deleted_rows": [],
    }
    ok(at.run())
    links = {c.name: c.onet_element for c in store.criteria()}
    assert links["Teamwork"] is None
    assert links["Data analysis"] == "2.C.4.a"
    assert links["Remote work"] is None and links["Lab science"] == "2.A.1.f"
    assert links["Investigative"] == "1.B.1.b"  # untouched rows keep their links
