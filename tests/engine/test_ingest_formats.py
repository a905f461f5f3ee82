"""Every file shape people keep imports: long, wide, criteria, workbooks; separators, encodings, dates, scales."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from analytics.spreadsheets import tables as spreadsheets
from analytics.spreadsheets.cells import parse_date
from analytics.spreadsheets.ingest import import_bytes, import_file, list_imports, preview_bytes
from analytics.store import Store
from tests.support.ingest_fixtures import csv_bytes, snapshot, write_csv, xlsx_bytes

LONG = [
    ["career", "interviewee", "date", "criterion", "rating", "source"],
    ["UX Researcher", "Maya", "2025-03-01", "Investigative", 5, "interview"],
    ["UX Researcher", "Maya", "2025-03-01", "Social", 4, "interview"],
    ["UX Researcher", "Tom", "2025-03-08", "Investigative", 4, ""],
    ["Data Scientist", "", "", "Investigative", 3, "expectation"],
]


@pytest.fixture
def store() -> Store:
    return Store(":memory:")


def ratings_of(store: Store) -> list[tuple]:
    return snapshot(store)["ratings"]


def test_long_csv_creates_careers_interviews_contacts_and_ratings(store: Store, tmp_path: Path) -> None:
    report = import_file(store, write_csv(tmp_path / "long.csv", LONG))
    assert (report.kind, report.rows_read, report.new_ratings, report.new_careers) == ("long", 4, 4, 2)
    assert (report.new_interviews, report.new_contacts, report.new_criteria) == (2, 2, [])
    assert ("UX Researcher", "Maya", date(2025, 3, 1), "Investigative", "interview", 5.0) in ratings_of(store)
    assert ("Data Scientist", "", None, "Investigative", "expectation", 3.0) in ratings_of(store)
    maya = next(i for i in store.interviews() if i.interviewee == "Maya")
    assert maya.stage == "completed" and maya.completed_on == date(2025, 3, 1) and maya.contact_id is not None
    assert list_imports(store)[0]["file_name"] == "long.csv"


def test_reimporting_the_same_file_changes_nothing_and_a_changed_value_updates(store: Store, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "long.csv", LONG)
    import_file(store, path)
    before = snapshot(store)
    again = import_file(store, path)
    assert (again.new_ratings, again.updated_ratings, again.unchanged_ratings, again.new_careers) == (0, 0, 4, 0)
    assert snapshot(store) == before
    changed = [row[:] for row in LONG]
    changed[1][4] = 2
    changed[1][0] = "  ux researcher "  # the same career, trimmed and case-folded
    report = import_file(store, write_csv(tmp_path / "changed.csv", changed))
    assert (report.new_ratings, report.updated_ratings, report.unchanged_ratings) == (0, 1, 3)
    assert ("UX Researcher", "Maya", date(2025, 3, 1), "Investigative", "interview", 2.0) in ratings_of(store)
    assert len(list_imports(store)) == 3
    assert list_imports(store)[0]["updated_ratings"] == 1


@pytest.mark.parametrize(
    ("delimiter", "encoding"),
    [
        (",", "utf-8"),
        (";", "utf-8-sig"),
        ("\t", "cp1252"),
        (";", "cp1252"),
        (",", "utf-16"),
    ],
)
def test_csv_separators_and_encodings(store: Store, delimiter: str, encoding: str) -> None:
    rows = [["Career", "Criterion", "Rating"], ["Café owner", "Pay – fair", "4"], ["Café owner", "Hours", "3"]]
    report = import_bytes(store, csv_bytes(rows, delimiter=delimiter, encoding=encoding), "ratings.csv")
    assert report.new_ratings == 2
    assert {c.name for c in store.careers()} == {"Café owner"}
    assert "Pay – fair" in report.new_criteria


def test_headers_match_case_space_underscore_and_synonyms(store: Store) -> None:
    rows = [
        ["  OCCUPATION ", "Person_Interviewed", "Interview Date", "Factor", "SCORE", "Company", "Job title"],
        ["Nurse", "Ann", "2025-01-02", "Social", "5", "City Hospital", "Ward sister"],
    ]
    preview = preview_bytes(csv_bytes(rows), "x.csv", store=store)
    assert preview.columns == {
        "OCCUPATION": "career",
        "Person_Interviewed": "interviewee",
        "Interview Date": "date",
        "Factor": "criterion",
        "SCORE": "rating",
        "Company": "organisation",
        "Job title": "role",
    }
    import_bytes(store, csv_bytes(rows), "x.csv")
    ann = store.contacts()[0]
    assert (ann.name, ann.organisation, ann.role) == ("Ann", "City Hospital", "Ward sister")


def test_wide_csv_one_row_per_interview(store: Store) -> None:
    rows = [
        ["Career", "Interviewee", "Date", "Investigative", "social ", "Pay"],
        ["Nurse", "Ann", "02/01/2025", "2", "5", ""],
        ["Nurse", "Bo", "2025-01-09", "3", "", "4"],
        ["", "", "", "", "", ""],
    ]
    report = import_bytes(store, csv_bytes(rows), "wide.csv")
    assert (report.kind, report.rows_read, report.new_ratings) == ("wide", 2, 4)
    assert report.new_criteria == ["Pay"] and report.unassigned_criteria == ["Pay"]
    pay = next(c for c in store.criteria() if c.name == "Pay")
    assert pay.dimension is None and pay.weight == 3
    assert ("Nurse", "Ann", date(2025, 1, 2), "Social", "interview", 5.0) in ratings_of(store)
    assert len(store.criteria()) == 21  # "social " matched the default "Social"


def test_new_criterion_gets_the_files_dimension_and_weight_3(store: Store) -> None:
    rows = [
        ["career", "criterion", "dimension", "rating"],
        ["Pilot", "Travel", "Value", "4"],
        ["Pilot", "Realistic", "skill", "5"],
    ]
    report = import_bytes(store, csv_bytes(rows), "x.csv")
    travel = next(c for c in store.criteria() if c.name == "Travel")
    assert (travel.dimension, travel.weight) == ("value", 3)
    assert report.unassigned_criteria == []
    assert next(c for c in store.criteria() if c.name == "Realistic").dimension == "interest"  # never moved


def test_criteria_file_adds_and_updates_without_removing(store: Store) -> None:
    """Into a profile of one's own (here: one weight changed), a criteria file merges; into the untouched
    default profile it becomes the profile instead (tests/test_import_summaries.py)."""
    store.update_criterion(store.criteria()[-1].id, weight=5)
    rows = [
        ["Criterion", "Dimension", "Weight", "Description"],
        ["realistic", "interest", "0", "Hands on"],
        ["Travel", "value", "4.5", "Seeing the world"],
        ["Commute", "", "", ""],
    ]
    report = import_bytes(store, csv_bytes(rows), "profile.csv")
    assert report.kind == "criteria" and report.new_criteria == ["Travel", "Commute"]
    assert report.unassigned_criteria == ["Commute"]
    profile = {c.name: c for c in store.criteria()}
    assert len(profile) == 22
    assert (profile["realistic"].weight, profile["realistic"].description) == (0, "Hands on")
    assert (profile["Travel"].dimension, profile["Travel"].weight) == ("value", 4.5)
    assert (profile["Commute"].dimension, profile["Commute"].weight) == (None, 3)


@pytest.mark.parametrize(
    ("scale", "raw", "stored"),
    [
        ("1-5", "4.5", 4.5),
        ("1-10", "10", 5.0),
        ("1-10", "1", 1.0),
        ("1-10", "5.5", 3.0),
        ("0-100", "0", 1.0),
        ("0-100", "75", 4.0),
        ("0-100", "100", 5.0),
        ("1-5", "3,5", 3.5),
    ],
)
def test_scales_rescale_linearly_to_1_5(store: Store, scale: str, raw: str, stored: float) -> None:
    import_bytes(store, csv_bytes([["career", "criterion", "rating"], ["X", "Social", raw]]), "s.csv", scale=scale)
    assert ratings_of(store)[0][-1] == stored


def test_blank_rating_is_no_rating_but_names_the_career(store: Store) -> None:
    rows = [["career", "criterion", "rating"], ["Nurse", "Social", ""], ["Pilot", "Social", " "]]
    report = import_bytes(store, csv_bytes(rows), "b.csv")
    assert report.new_ratings == 0 and report.new_careers == 2 and ratings_of(store) == []


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2025-03-14", date(2025, 3, 14)),
        ("2025/3/4", date(2025, 3, 4)),
        ("2025-03-14T10:30:00", date(2025, 3, 14)),
        ("45730", date(2025, 3, 14)),
        ("45730.75", date(2025, 3, 14)),
        ("14/03/2025", date(2025, 3, 14)),
        ("14.3.2025", date(2025, 3, 14)),
        ("14-03-2025", date(2025, 3, 14)),
        ("14/03/25", date(2025, 3, 14)),
        ("14 March 2025", date(2025, 3, 14)),
        ("14 Mar 2025", date(2025, 3, 14)),
        ("14-Mar-2025", date(2025, 3, 14)),
        ("March 14, 2025", date(2025, 3, 14)),
        ("Mar 14 2025", date(2025, 3, 14)),
        ("1st April 2025", date(2025, 4, 1)),
    ],
)
def test_accepted_date_forms(raw: str, expected: date) -> None:
    assert parse_date(raw) == (expected, None)


@pytest.mark.parametrize(
    "raw", ["31/02/2025", "2025-13-01", "next tuesday", "14 Smarch 2025", "1899-12-31", "12345678"]
)
def test_unreadable_dates_are_errors(raw: str) -> None:
    when, error = parse_date(raw)
    assert when is None and error and repr(raw) in error


def test_day_first_unless_the_column_only_reads_month_first(store: Store) -> None:
    rows = [["career", "interviewee", "date", "criterion", "rating"], ["A", "P", "03/04/2025", "Social", "3"]]
    import_bytes(store, csv_bytes(rows), "dmy.csv")
    assert store.interviews()[0].held_on == date(2025, 4, 3)
    us = [
        ["career", "interviewee", "date", "criterion", "rating"],
        ["B", "P", "03/04/2025", "Social", "3"],
        ["B", "Q", "03/25/2025", "Social", "4"],
    ]
    import_bytes(store, csv_bytes(us), "mdy.csv")
    assert {i.held_on for i in store.interviews() if i.career == "B"} == {date(2025, 3, 4), date(2025, 3, 25)}


def test_xlsx_with_typed_cells_formulas_and_every_sheet_recognised(store: Store) -> None:
    data = xlsx_bytes(
        {
            "Notes": [["Anything I like"], ["not a table"]],
            "My ratings": [
                ["Career", "Person", "When", "Criterion", "Score"],
                ["Nurse", "Ann", date(2025, 1, 2), "Social", 5],
                ["Nurse", "Ann", 45659, "Writing", None],
                ["Nurse", "Ann", "2025-01-02", "Teamwork", None],
            ],
            "Wide": [[None, None], ["Career", "Pay"], ["Pilot", 4]],
        },
        formulas={("My ratings", 2, 4): ("=2+2", 4), ("My ratings", 3, 4): ("=1+2", 3)},
    )
    report = import_bytes(store, data, "book.xlsx")
    assert report.kind == "workbook" and report.ignored_sheets == ["Notes"]
    assert report.sheets == {"My ratings": "long", "Wide": "wide"}
    got = ratings_of(store)
    assert ("Nurse", "Ann", date(2025, 1, 2), "Writing", "interview", 4.0) in got  # a formula by its value
    assert ("Nurse", "Ann", date(2025, 1, 2), "Teamwork", "interview", 3.0) in got
    assert ("Pilot", "", None, "Pay", "interview", 4.0) in got
    assert len(store.interviews()) == 2  # typed date, Excel serial and ISO text are the same day


def test_sheet_option_reads_only_that_sheet(store: Store) -> None:
    data = xlsx_bytes(
        {
            "A": [["career", "criterion", "rating"], ["X", "Social", 3]],
            "B": [["career", "criterion", "rating"], ["Y", "Social", 4]],
        }
    )
    report = import_bytes(store, data, "two.xlsx", sheet="b")
    assert report.kind == "long" and [c.name for c in store.careers()] == ["Y"]


def test_workbook_with_named_sheets_makes_the_profile_what_it_says(store: Store) -> None:
    data = xlsx_bytes(
        {
            "criteria": [
                ["criterion", "dimension", "weight", "description"],
                ["Pay", "value", 5, "Money"],
                ["Social", "interest", 4, ""],
            ],
            "careers": [["career", "notes"], ["Nurse", "Caring"]],
            "contacts": [
                ["name", "role", "organisation", "how_found", "introduced_by", "email", "notes"],
                ["Ann", "Sister", "Hospital", "friend", "", "ann@example.org", ""],
            ],
            "interviews": [
                ["career", "interviewee", "date", "stage", "scheduled_for", "researched_org"],
                ["Nurse", "Ann", date(2025, 1, 2), "thanked", datetime(2025, 1, 2, 10, 30), True],
            ],
            "ratings": [
                ["career", "interviewee", "date", "criterion", "rating", "source"],
                ["Nurse", "Ann", date(2025, 1, 2), "Pay", 2, "interview"],
                ["Nurse", None, None, "Social", 5, "expectation"],
            ],
        }
    )
    report = import_bytes(store, data, "career-fit.xlsx")
    assert report.kind == "workbook"
    assert [(c.name, c.dimension, c.weight, c.description) for c in store.criteria()] == [
        ("Pay", "value", 5, "Money"),
        ("Social", "interest", 4, ""),
    ]
    assert len(report.removed_criteria) == 19
    interview = store.interviews()[0]
    assert (interview.stage, interview.scheduled_for, interview.researched_org) == (
        "thanked",
        datetime(2025, 1, 2, 10, 30),
        True,
    )
    assert interview.contact_id == store.contacts()[0].id and store.contacts()[0].email == "ann@example.org"
    assert store.careers()[0].notes == "Caring"


def test_workbook_keeps_criteria_that_something_rates(store: Store) -> None:
    import_bytes(store, csv_bytes([["career", "criterion", "rating"], ["X", "Writing", "4"]]), "r.csv")
    data = xlsx_bytes(
        {"criteria": [["criterion", "dimension", "weight"], ["Pay", "value", 5]], "careers": [["career"], ["Y"]]}
    )
    report = import_bytes(store, data, "wb.xlsx")
    names = [c.name for c in store.criteria()]
    assert names == ["Pay", "Writing"] and "Writing" not in report.removed_criteria


def test_dry_run_counts_without_writing(store: Store, tmp_path: Path) -> None:
    before = snapshot(store, with_imports=True)
    report = import_file(store, write_csv(tmp_path / "long.csv", LONG), dry_run=True)
    assert report.dry_run and report.new_ratings == 4 and report.new_careers == 2
    assert report.summary_lines()[0].startswith("dry run, nothing written")
    assert snapshot(store, with_imports=True) == before


def test_preview_shows_kind_columns_rows_problems_and_new_criteria(store: Store) -> None:
    rows = [["Career", "Pay", "Notes"], ["Nurse", "9", "x"], ["Pilot", "4", ""]]
    preview = preview_bytes(csv_bytes(rows), "wide.csv", store=store)
    assert (preview.kind, preview.file_name, preview.rows) == ("wide", "wide.csv", 2)
    assert preview.columns == {"Career": "career", "Pay": "Pay", "Notes": "notes"}
    assert [str(p) for p in preview.problems] == ["row 2, column Pay: 9 is outside the 1–5 scale"]
    assert preview.new_criteria_without_dimension == ["Pay"]
    assert list(preview.table.index) == [2, 3] and list(preview.table.columns) == ["Career", "Pay", "Notes"]
    assert snapshot(store) == snapshot(Store(":memory:"))  # a preview writes nothing
    alone = preview_bytes(csv_bytes(rows), "wide.csv")
    assert alone.new_criteria_without_dimension == ["Pay"]


def test_large_csv_fast_path_matches_the_exact_reader(store: Store, tmp_path: Path, monkeypatch) -> None:
    """DuckDB reads big plain files itself; the result must be what Python's csv reader gives."""
    import analytics.db.staging as db

    staged_files = []
    stage_file = db.stage_file
    monkeypatch.setattr(db, "stage_file", lambda *a, **k: staged_files.append(a) or stage_file(*a, **k))
    monkeypatch.setattr(spreadsheets, "FAST_PATH_BYTES", 1)
    rows = [["career", "interviewee", "date", "criterion", "rating", "notes"]]
    for n in range(300):
        rows.append(
            [
                f"Career {n % 7}",
                f"Person {n % 11}",
                f"2025-01-{1 + n % 28:02d}",
                "Social",
                str(1 + n % 5),
                'said "wow",\nthen left' if n % 50 == 0 else "",
            ]
        )
    fast = import_file(store, write_csv(tmp_path / "big.csv", rows))
    assert len(staged_files) == 1
    monkeypatch.setattr(spreadsheets, "FAST_PATH_BYTES", 10**9)
    slow_store = Store(":memory:")
    slow = import_file(slow_store, write_csv(tmp_path / "big.csv", rows))
    assert (fast.rows_read, fast.new_ratings) == (slow.rows_read, slow.new_ratings) == (300, fast.new_ratings)
    assert snapshot(store) == snapshot(slow_store)


def test_fast_path_falls_back_for_ragged_files_and_numbers_rows_exactly(
    store: Store, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setattr(spreadsheets, "FAST_PATH_BYTES", 1)
    path = tmp_path / "ragged.csv"
    path.write_bytes(b"career,criterion,rating\nA,Social,3\nB,Social\nC,Social,9,\n")
    from analytics.errors import InvalidInputError

    with pytest.raises(InvalidInputError) as raised:
        import_file(store, path)
    assert raised.value.problems == ["row 4, column rating: 9 is outside the 1–5 scale"]


def test_a_title_above_the_table_is_skipped(store: Store) -> None:
    rows = [
        ["My career exploration 2025"],
        [],
        ["Career", "Criterion", "Rating"],
        ["Nurse", "Social", "4"],
        ["Nurse", "Pay", "x"],
    ]
    from analytics.errors import InvalidInputError

    with pytest.raises(InvalidInputError) as raised:
        import_bytes(store, csv_bytes(rows), "titled.csv")
    assert raised.value.problems == ["row 5, column Rating: 'x' is not a number"]
    data = xlsx_bytes({"Sheet1": [["Ratings, spring term"], ["Career", "Criterion", "Rating"], ["Nurse", "Social", 4]]})
    assert import_bytes(store, data, "titled.xlsx").new_ratings == 1


def test_fast_path_row_numbers_survive_a_parallel_read(store: Store, tmp_path: Path) -> None:
    """DuckDB reads a big file with several threads; a problem still names the row a spreadsheet shows."""
    lines = ["career,interviewee,date,criterion,rating"]
    lines += [f"Career {n // 500},P{n // 20},2025-01-{1 + n % 28:02d},C{n % 20},{1 + n % 5}" for n in range(200_000)]
    lines[150_000] = "Career X,P,2025-01-01,C1,7"
    lines[180_000] = "Career X,P,2025-01-01,C1,oops"
    path = tmp_path / "big.csv"
    path.write_text("\n".join(lines) + "\n")
    assert path.stat().st_size > spreadsheets.FAST_PATH_BYTES
    from analytics.errors import InvalidInputError

    with pytest.raises(InvalidInputError) as raised:
        import_file(store, path)
    assert raised.value.problems == [
        "row 150001, column rating: 7 is outside the 1–5 scale",
        "row 180001, column rating: 'oops' is not a number",
    ]
