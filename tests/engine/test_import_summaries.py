"""Imports that say what they did (issue 13): real weights, a criteria file that becomes a new store's profile,
merges that name what was added, updated and kept, past interviews marked thanked, a scale proposed (never
applied), a file of the wrong kind named in one line, and problems handed over as objects."""

from __future__ import annotations

from datetime import date

import pytest

from analytics.backup import list_backups, replace_from_workbook
from analytics.errors import InvalidInputError
from analytics.pipeline import reminders
from analytics.spreadsheets.ingest import ImportProblems, import_bytes, preview_bytes
from analytics.store import Store
from tests.support.ingest_fixtures import csv_bytes, snapshot

CRITERIA = [
    ["criterion", "dimension", "weight", "description"],
    ["Remote work", "value", "5", "Working from home"],
    ["Lab work", "interest", "4", ""],
    ["Fieldwork", "skill", "2.5", ""],
]


def test_a_criteria_file_becomes_an_untouched_default_profile_after_a_backup() -> None:
    store = Store(":memory:")
    assert len(store.criteria()) == 20
    report = import_bytes(store, csv_bytes(CRITERIA), "profile.csv")
    assert [c.name for c in store.criteria()] == ["Remote work", "Lab work", "Fieldwork"]
    assert [c.weight for c in store.criteria()] == [5, 4, 2.5]
    assert report.summary_lines()[1:] == [
        "your profile is now the file's 3 criteria: the default criteria went (a backup of them is kept on the "
        "Data page)",
        "added 1 criterion with weight 5: Remote work",
        "added 1 criterion with weight 4: Lab work",
        "added 1 criterion with weight 2.5: Fieldwork",
    ]
    assert [b.reason for b in list_backups(store)] == ["import"]


def test_a_criteria_file_merges_into_a_profile_of_ones_own_and_says_what_changed() -> None:
    store = Store(":memory:", seed_defaults=False)
    store.add_criterion("Lab work", "interest", 3, "")
    store.add_criterion("Fieldwork", "skill", 2.5, "")
    store.add_criterion("Travel", "value", 1, "")
    report = import_bytes(store, csv_bytes(CRITERIA), "profile.csv")
    assert [c.name for c in store.criteria()] == ["Lab work", "Fieldwork", "Travel", "Remote work"]
    assert report.summary_lines()[1:] == [
        "added 1 criterion with weight 5: Remote work",
        "updated 1 criterion: Lab work",
        "kept as they were: Fieldwork",
    ]
    assert list_backups(store) == []


def test_a_ratings_file_says_its_new_criteria_get_weight_3() -> None:
    store = Store(":memory:", seed_defaults=False)
    report = import_bytes(store, csv_bytes([["career", "criterion", "rating"], ["Nurse", "Pay", "4"]]), "r.csv")
    assert "added 1 criterion with weight 3: Pay" in report.summary_lines()


def test_past_interviews_can_be_imported_as_already_thanked() -> None:
    rows = [["career", "interviewee", "date", "criterion", "rating"], ["Nurse", "Ann", "2025-01-02", "Pay", "4"]]
    plain, thanked = Store(":memory:"), Store(":memory:")
    import_bytes(plain, csv_bytes(rows), "r.csv")
    import_bytes(thanked, csv_bytes(rows), "r.csv", thanked=True)
    today = date(2025, 1, 5)
    assert [r.kind for r in reminders(plain, today=today)] == ["thank-you"]
    assert reminders(thanked, today=today) == []
    interview = snapshot(thanked)["interviews"][0]
    assert "thanked" in interview and date(2025, 1, 2) in interview


def test_a_thanked_column_marks_each_row_s_interview_and_moves_known_ones_on() -> None:
    store = Store(":memory:")
    header = ["career", "interviewee", "date", "criterion", "rating", "Thanked?"]
    import_bytes(store, csv_bytes([header[:5], ["Nurse", "Cat", "2025-01-03", "Pay", "3"]]), "first.csv")
    rows = [
        header,
        ["Nurse", "Ann", "2025-01-02", "Pay", "4", "yes"],
        ["Nurse", "Ann", "2025-01-02", "Hours", "3", ""],  # one yes is enough for the interview
        ["Nurse", "Bob", "2025-01-04", "Pay", "2", "no"],
        ["Nurse", "Cat", "2025-01-03", "Hours", "5", "x"],  # Cat's interview is known: it moves to thanked
    ]
    report = import_bytes(store, csv_bytes(rows), "second.csv")
    assert "marked 1 interview as thanked" in report.summary_lines()
    stages = {(i.interviewee, i.stage, i.thanked_on) for i in store.interviews()}
    assert stages == {
        ("Ann", "thanked", date(2025, 1, 2)),
        ("Bob", "completed", None),
        ("Cat", "thanked", date(2025, 1, 3)),
    }
    assert [(r.kind, r.interviewee) for r in reminders(store, today=date(2025, 1, 5))] == [("thank-you", "Bob")]


def test_a_wide_sheet_s_thanked_column_is_not_a_criterion() -> None:
    store = Store(":memory:", seed_defaults=False)
    rows = [["career", "interviewee", "date", "Pay", "Hours", "Thanked"], ["Nurse", "Ann", "2025-01-02", "4", "3", "y"]]
    import_bytes(store, csv_bytes(rows), "wide.csv")
    assert sorted(c.name for c in store.criteria()) == ["Hours", "Pay"]
    assert [(i.stage, i.thanked_on) for i in store.interviews()] == [("thanked", date(2025, 1, 2))]


def test_a_thanked_cell_that_is_not_yes_or_no_is_named_by_row_and_column() -> None:
    store = Store(":memory:")
    before = snapshot(store)
    rows = [
        ["career", "interviewee", "date", "criterion", "rating", "thanked"],
        ["Nurse", "Ann", "2025-01-02", "Pay", "4", "maybe"],
    ]
    with pytest.raises(ImportProblems) as raised:
        import_bytes(store, csv_bytes(rows), "r.csv")
    assert [(p.row, p.column, p.message) for p in raised.value.located] == [(2, "thanked", "'maybe' is not yes or no")]
    assert snapshot(store) == before


def test_a_1_to_10_sheet_gets_a_scale_proposed_and_never_applied() -> None:
    rows = [["career", "criterion", "rating"], ["Nurse", "Pay", "8"], ["Nurse", "Hours", "3"], ["Vet", "Pay", "10"]]
    preview = preview_bytes(csv_bytes(rows), "ten.csv")
    assert (preview.proposed_scale, preview.scale_reason) == (
        "1-10",
        "every rating is between 3 and 10: the file looks like a 1-10 scale",
    )
    assert preview.problems  # still read on the chosen 1-5 scale: 8 and 10 are out of it
    assert preview_bytes(csv_bytes(rows), "ten.csv", scale="1-10").proposed_scale is None
    percent = [["career", "criterion", "rating"], ["Nurse", "Pay", "80"], ["Vet", "Pay", "35"]]
    assert preview_bytes(csv_bytes(percent), "p.csv").proposed_scale == "0-100"
    fine = [["career", "criterion", "rating"], ["Nurse", "Pay", "4"]]
    assert preview_bytes(csv_bytes(fine), "f.csv").proposed_scale is None


def test_a_ratings_sheet_given_as_a_saved_workbook_is_one_line() -> None:
    store = Store(":memory:")
    before = snapshot(store)
    rows = [["career", "criterion", "rating"], *[["Nurse", f"C{n}", "9"] for n in range(22)]]
    with pytest.raises(InvalidInputError) as raised:
        replace_from_workbook(store, csv_bytes(rows), "ratings.csv")
    assert raised.value.problems == [
        "ratings.csv: this is not a Career Fit workbook (it reads as ratings, one row per rating): import it with "
        "Import a spreadsheet to add it to your data"
    ]
    assert snapshot(store) == before


def test_problems_travel_as_objects() -> None:
    store = Store(":memory:")
    rows = [["career", "criterion", "rating"], ["Nurse", "Pay", "9"], ["", "Pay", "3"]]
    with pytest.raises(ImportProblems) as raised:
        import_bytes(store, csv_bytes(rows), "bad.csv")
    assert [(p.row, p.column, p.message) for p in raised.value.located] == [
        (2, "rating", "9 is outside the 1–5 scale"),
        (3, "career", "the career is missing"),
    ]
    assert raised.value.problems == [str(p) for p in raised.value.located]


def test_the_data_page_proposes_the_scale_and_shows_problems_from_objects(app_db, open_app) -> None:
    at = open_app("data")
    rows = [["career", "criterion", "rating"], ["Nurse", "Pay", "8"], ["Vet", "Pay", "10"]]
    at.file_uploader[0].set_value(("ten.csv", csv_bytes(rows), "text/csv"))
    at.run()
    assert not at.exception
    shown = [str(i.value).replace("\\", "") for i in at.info]
    assert any("looks like a 1-10 scale" in text and "choose it under" in text for text in shown)
    problems = [frame.value for frame in at.dataframe if "Problem" in frame.value]
    assert problems and list(problems[0]["Row"]) == [2, 3]
    assert list(problems[0]["Column"]) == ["rating", "rating"]
