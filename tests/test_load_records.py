"""``Store.load_records`` writes set-wise; the store must end up exactly as the old record-by-record path left it.

The reference below is the record-by-record loop ``load_records`` ran before it became set-based (1.4 s for
the demo, now a few tens of milliseconds): it calls the same one-row helpers the rest of the store uses.
Every table is compared row for row, ids and the next value of every sequence included.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

import pytest

from analytics.db.writes import as_date as _as_date
from analytics.db.writes import change_criterion as _update_criterion
from analytics.db.writes import date_key as _date_key
from analytics.db.writes import ensure_career as _ensure_career
from analytics.db.writes import insert_criterion as _insert_criterion
from analytics.db.writes import set_setting as _set_setting
from analytics.db.writes import store_contact as _save_contact
from analytics.db.writes import store_interview as _save_interview
from analytics.db.writes import write_ratings as _write_ratings
from analytics.demo import _interview_row, _rows, load_demo
from analytics.errors import InvalidInputError
from analytics.store import DEFAULT_WEIGHT, Store, name_key, text

TABLES = ("criteria", "careers", "contacts", "interviews", "ratings", "settings", "rating_totals", "career_totals")
SEQUENCES = ("criterion_ids", "career_ids", "contact_ids", "interview_ids")


def load_one_by_one(
    store: Store,
    *,
    criteria: list[Mapping[str, Any]] = (),  # type: ignore[assignment]
    careers: list[Mapping[str, Any]] = (),  # type: ignore[assignment]
    contacts: list[Mapping[str, Any]] = (),  # type: ignore[assignment]
    interviews: list[Mapping[str, Any]] = (),  # type: ignore[assignment]
    ratings: list[Mapping[str, Any]] = (),  # type: ignore[assignment]
    settings: Mapping[str, Any] | None = None,
    replace: bool = False,
) -> None:
    """``Store.load_records`` as it was: one statement (or several) per record."""
    with store.transaction() as cur:
        if replace:
            for table in ("ratings", "interviews", "contacts", "careers", "criteria", "settings"):
                cur.execute(f"DELETE FROM {table}")
        for row in criteria:
            existing = cur.execute(
                "SELECT id FROM criteria WHERE name_key = ?", [name_key(row.get("criterion"))]
            ).fetchone()
            fields = {
                "dimension": row.get("dimension"),
                "weight": DEFAULT_WEIGHT if row.get("weight") in (None, "") else row.get("weight"),
                "description": row.get("description") or "",
            }
            if existing:
                _update_criterion(cur, int(existing[0]), fields)
            else:
                _insert_criterion(cur, row.get("criterion"), **fields)
        for row in careers:
            _ensure_career(cur, row.get("career"), row.get("notes") or "")
        for row in contacts:
            _save_contact(cur, row.get("name"), None, {k: v for k, v in row.items() if k != "name"})
        criterion_ids = dict(cur.execute("SELECT name_key, id FROM criteria").fetchall())
        interview_ids: dict[tuple[int, str, str], int] = {}
        for row in interviews:
            career_id = _ensure_career(cur, row.get("career"))
            fields = {k: v for k, v in row.items() if k not in ("career", "interviewee", "date")}
            held_on = _as_date(row.get("date"))
            interview_ids[(career_id, name_key(row.get("interviewee")), _date_key(held_on))] = _save_interview(
                cur, career_id, row.get("interviewee"), held_on, None, fields
            )
        for row in ratings:
            career_id = _ensure_career(cur, row.get("career"))
            criterion_id = criterion_ids.get(name_key(row.get("criterion")))
            if criterion_id is None:
                raise InvalidInputError(f"there is no criterion {text(row.get('criterion'))!r}")
            source = text(row.get("source")) or "interview"
            interview_id = 0
            if source == "interview":
                held_on = _as_date(row.get("date"))
                key = (career_id, name_key(row.get("interviewee")), _date_key(held_on))
                if key not in interview_ids:
                    interview_ids[key] = _save_interview(cur, career_id, row.get("interviewee"), held_on, None, {})
                interview_id = interview_ids[key]
            _write_ratings(cur, career_id, source, interview_id, {criterion_id: row.get("rating")})
        for key, value in (settings or {}).items():
            _set_setting(cur, key, value)


def contents(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (sorted), and the next id each sequence would give."""
    with store.cursor() as cur:
        dump = {table: sorted(cur.execute(f"SELECT * FROM {table}").fetchall(), key=repr) for table in TABLES}
        for sequence in SEQUENCES:
            dump[sequence] = cur.execute("SELECT nextval(?)", [sequence]).fetchall()
    return dump


def demo_records() -> dict[str, Any]:
    return {
        "criteria": _rows("criteria"),
        "careers": _rows("careers"),
        "contacts": _rows("contacts"),
        "interviews": [_interview_row(r) for r in _rows("interviews")],
        "ratings": [r for r in _rows("ratings") if r["rating"] != ""],
        "settings": {"demo_loaded": True},
    }


def both(*loads: dict[str, Any], seed_defaults: bool = True) -> tuple[dict[str, Any], dict[str, Any]]:
    """Run the same loads on two fresh stores, set-wise and one by one; the contents of each."""
    with Store(seed_defaults=seed_defaults) as fast, Store(seed_defaults=seed_defaults) as slow:
        for load in loads:
            fast.load_records(**load)
            load_one_by_one(slow, **load)
        return contents(fast), contents(slow)


def test_the_demo_loads_exactly_as_one_by_one() -> None:
    fast, slow = both({**demo_records(), "replace": True})
    assert fast == slow


def test_the_demo_loads_to_its_known_counts_quickly() -> None:
    with Store() as store:
        started = time.perf_counter()
        load_demo(store)
        elapsed = time.perf_counter() - started
        assert store.counts() == {
            "criteria": 20,
            "careers": 9,
            "contacts": 18,
            "interviews": 18,
            "ratings": 251,
            "expectations": 74,
        }
    assert elapsed < 1.0, f"the demo took {elapsed:.2f} s to load (about 0.05 s expected)"


def test_loading_over_existing_data_updates_exactly_as_one_by_one() -> None:
    """Without ``replace``: the default profile is updated, and a second load of the demo finds every record."""
    demo = demo_records()
    fast, slow = both(demo, demo)
    assert fast == slow


def test_edge_cases_match_one_by_one() -> None:
    first = {
        "criteria": [
            {"criterion": "Writing", "dimension": "skill", "weight": "4", "description": "Clear prose"},
            {"criterion": " writing ", "dimension": "", "weight": "", "description": None},  # the same: updated
            {"criterion": "Calm", "dimension": "value", "weight": 0},
        ],
        "careers": [{"career": "Editor", "notes": ""}, {"career": "EDITOR", "notes": "Books"}],
        "contacts": [
            {"name": "Ann Lee", "role": "Editor", "email": None},
            {"name": "ann lee", "organisation": "Press"},  # the same contact, respelled
            {"name": "Bo Chen"},
        ],
        "interviews": [
            {
                "career": "Editor",
                "interviewee": "Ann Lee",
                "date": "2026-03-01",
                "stage": "thanked",
                "thanked_on": date(2026, 3, 2),
                "scheduled_for": datetime(2026, 3, 1, 10, 0),
                "researched_org": 1,
            },
            {"career": "editor", "interviewee": "ANN LEE", "date": date(2026, 3, 1), "notes": " Great "},
            {"career": "Translator", "interviewee": "Bo Chen", "date": "", "stage": "identified"},
            {"career": "Translator", "interviewee": "Nobody Known", "date": "2026-04-01"},
        ],
        "ratings": [
            {"career": "Editor", "interviewee": "Ann Lee", "date": "2026-03-01", "criterion": "Writing", "rating": 4},
            {"career": "Editor", "interviewee": "ann lee", "date": "2026-03-01", "criterion": "writing", "rating": 5},
            {"career": "Editor", "interviewee": "Ann Lee", "date": "2026-03-01", "criterion": "Calm", "rating": 2},
            {"career": "Editor", "interviewee": "Ann Lee", "date": "2026-03-01", "criterion": "Calm", "rating": None},
            {"career": "Poet", "interviewee": "Cy", "date": "2026-05-05", "criterion": "Calm", "rating": 3.5},
            {"career": "Poet", "criterion": "Writing", "rating": 2, "source": "expectation"},
            {"career": "Poet", "criterion": "Writing", "rating": 3, "source": "expectation"},
        ],
        "settings": {"pitch": "Hello"},
    }
    second = {  # over the first: updates existing rows, renames a stored contact, removes a stored rating
        "criteria": [{"criterion": "Calm", "dimension": "interest", "weight": 5, "description": "Quiet"}],
        "careers": [{"career": "editor", "notes": "Magazines"}, {"career": "Poet", "notes": ""}],
        "contacts": [{"name": "ANN LEE", "notes": "Met twice"}, {"name": "Di Ode"}],
        "interviews": [{"career": "Poet", "interviewee": "cy", "date": "2026-05-05", "goals": "Money?"}],
        "ratings": [
            {
                "career": "Translator",
                "interviewee": "Nobody Known",
                "date": "2026-04-01",
                "criterion": "Calm",
                "rating": 1,
            },
            {"career": "Poet", "interviewee": "Cy", "date": "2026-05-05", "criterion": "Calm", "rating": None},
            {"career": "Editor", "interviewee": "Ann Lee", "date": "2026-03-01", "criterion": "Calm", "rating": 4},
        ],
    }
    fast, slow = both(first, second)
    assert fast == slow
    fast, slow = both({**first, "replace": True}, {**second, "replace": True}, seed_defaults=False)
    assert fast == slow


@pytest.mark.parametrize(
    ("records", "message"),
    [
        ({"criteria": [{"criterion": " "}]}, "a criterion needs a name"),
        ({"criteria": [{"criterion": "X", "weight": 9}]}, "weight"),
        ({"careers": [{"career": ""}]}, "a career needs a name"),
        ({"contacts": [{"name": ""}]}, "a contact needs a name"),
        ({"contacts": [{"name": "A", "age": 3}]}, "a contact has no field 'age'"),
        ({"interviews": [{"career": "C", "interviewee": "A", "colour": "red"}]}, "an interview has no field 'colour'"),
        ({"interviews": [{"career": "C", "interviewee": "A", "stage": "won"}]}, "unknown stage 'won'"),
        ({"interviews": [{"career": "C", "interviewee": "A", "date": "soon"}]}, "is not a date"),
        ({"ratings": [{"career": "C", "criterion": "Nope", "rating": 3}]}, "there is no criterion 'Nope'"),
        ({"ratings": [{"career": "C", "criterion": "Social", "rating": 7}]}, "outside the 1-5 scale"),
        ({"ratings": [{"career": "C", "criterion": "Social", "rating": 3, "source": "guess"}]}, "rating source"),
    ],
)
def test_a_wrong_record_changes_nothing(records: dict[str, Any], message: str) -> None:
    with Store() as store:
        load_demo(store)
        before = contents(store)
        with pytest.raises(InvalidInputError, match=message):
            store.load_records(**{"careers": [{"career": "Fresh"}], **records})
        after = contents(store)
    # nextval() in contents() advanced each sequence once; the rest is untouched
    assert {k: v for k, v in after.items() if k not in SEQUENCES} == {
        k: v for k, v in before.items() if k not in SEQUENCES
    }
