"""Every kind of problem: one line naming the row as the user sees it and the column; nothing written."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from analytics.errors import CareerFitError, InvalidInputError
from analytics.spreadsheets import tables as spreadsheets
from analytics.spreadsheets.ingest import Problem, import_bytes, import_file
from analytics.store import Store
from tests.support.ingest_fixtures import csv_bytes, snapshot, xlsx_bytes

HEADER = ["career", "interviewee", "date", "criterion", "rating", "source", "dimension"]


@pytest.fixture(scope="module")
def store() -> Store:
    """One store for the refusals (each checks that it wrote nothing); writing tests take ``fresh``."""
    return Store(":memory:")


@pytest.fixture
def fresh() -> Store:
    return Store(":memory:")


def problems_of(store: Store, data: bytes, name: str = "ratings.csv", **options) -> list[str]:
    """The lines an import refuses with, checking that it wrote nothing."""
    before = snapshot(store, with_imports=True)
    with pytest.raises(InvalidInputError) as raised:
        import_bytes(store, data, name, **options)
    assert snapshot(store, with_imports=True) == before
    return raised.value.problems


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (["Nurse", "Ann", "2025-01-02", "Social", "9", "", ""], "row 3, column rating: 9 is outside the 1–5 scale"),
        (["Nurse", "Ann", "2025-01-02", "Social", "0", "", ""], "row 3, column rating: 0 is outside the 1–5 scale"),
        (["Nurse", "Ann", "2025-01-02", "Social", "good", "", ""], "row 3, column rating: 'good' is not a number"),
        (["", "Ann", "2025-01-02", "Social", "4", "", ""], "row 3, column career: the career is missing"),
        (["Nurse", "Ann", "2025-01-02", "", "4", "", ""], "row 3, column criterion: a rating needs a criterion"),
        (
            ["Nurse", "Ann", "2025-01-02", "Social", "4", "", "hobby"],
            "row 3, column dimension: 'hobby' is not a dimension (use interest, skill or value)",
        ),
        (
            ["Nurse", "Ann", "32/01/2025", "Social", "4", "", ""],
            "row 3, column date: '32/01/2025' is not a date (use YYYY-MM-DD or DD/MM/YYYY)",
        ),
        (
            ["Nurse", "Ann", "2025-01-02", "Social", "4", "rumour", ""],
            "row 3, column source: 'rumour' is not a source (use interview or expectation)",
        ),
    ],
)
def test_each_cell_problem_names_row_and_column(store: Store, row: list[str], expected: str) -> None:
    good = ["Nurse", "Bo", "2025-01-03", "Social", "3", "", ""]
    assert problems_of(store, csv_bytes([HEADER, good, row])) == [expected]


def test_out_of_scale_on_other_scales(store: Store) -> None:
    data = csv_bytes([["career", "criterion", "score"], ["A", "Social", "11"], ["A", "Pay", "-1"]])
    assert problems_of(store, data, scale="1-10") == [
        "row 2, column score: 11 is outside the 1–10 scale",
        "row 3, column score: -1 is outside the 1–10 scale",
    ]


def test_wide_problem_names_the_criterion_column(store: Store) -> None:
    data = csv_bytes([["Career", "Interviewee", "Pay", "Hours"], ["Nurse", "Ann", "4", "x"], ["", "Bo", "3", ""]])
    assert problems_of(store, data) == [
        "row 2, column Hours: 'x' is not a number",
        "row 3, column Career: the career is missing",
    ]


def test_same_rating_twice_with_different_values_names_both_rows(store: Store) -> None:
    data = csv_bytes(
        [
            HEADER,
            ["Nurse", "Ann", "2025-01-02", "Social", "3", "", ""],
            ["Pilot", "Ann", "2025-01-02", "Social", "3", "", ""],
            [" nurse", "ann", "02/01/2025", "SOCIAL", "5", "interview", ""],
        ]
    )
    assert problems_of(store, data) == [
        "row 2, column rating: 3 conflicts with 5 in row 4 (same career, interviewee, date, criterion and source)",
        "row 4, column rating: 5 conflicts with 3 in row 2 (same career, interviewee, date, criterion and source)",
    ]


def test_same_rating_twice_with_the_same_value_is_one_rating(fresh: Store) -> None:
    data = csv_bytes(
        [
            HEADER,
            ["Nurse", "Ann", "2025-01-02", "Social", "3", "", ""],
            ["Nurse", "Ann", "2025-01-02", "Social", "3.0", "", ""],
            ["Nurse", "", "", "Social", "4", "expectation", ""],
            ["Nurse", "Zed", "2025-01-05", "Social", "4", "expectation", ""],
        ]
    )
    report = import_bytes(fresh, data, "dup.csv")
    assert report.new_ratings == 2 and fresh.counts()["expectations"] == 1


def test_expectations_conflict_whatever_interviewee_they_name(store: Store) -> None:
    data = csv_bytes(
        [
            HEADER,
            ["Nurse", "", "", "Social", "3", "expectation", ""],
            ["Nurse", "Zed", "", "Social", "4", "expectation", ""],
        ]
    )
    assert problems_of(store, data)[0].startswith("row 2, column rating: 3 conflicts with 4 in row 3")


def test_one_criterion_given_two_dimensions(store: Store) -> None:
    data = csv_bytes([HEADER, ["A", "", "", "Travel", "3", "", "value"], ["B", "", "", "travel", "4", "", "skill"]])
    assert problems_of(store, data) == [
        "row 3, column dimension: 'skill' conflicts with 'value' in row 2 for the same criterion"
    ]


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([["criterion", "dimension", "weight"], ["Pay", "value", "6"]], "row 2, column weight: 6 is outside 0–5"),
        ([["criterion", "dimension", "weight"], ["Pay", "value", "-1"]], "row 2, column weight: -1 is outside 0–5"),
        (
            [["criterion", "dimension", "weight"], ["Pay", "value", "lots"]],
            "row 2, column weight: 'lots' is not a number",
        ),
        (
            [["criterion", "dimension", "weight"], ["Pay", "money", "3"]],
            "row 2, column dimension: 'money' is not a dimension (use interest, skill or value)",
        ),
        ([["Criterion", "Weight"], ["", "3"]], "row 2, column Criterion: the criterion is missing"),
        (
            [["criterion", "weight"], ["Pay", "3"], ["pay", "4"]],
            "row 3, column criterion: 'pay' is also in row 2 with other values: keep one row",
        ),
    ],
)
def test_criteria_file_problems(store: Store, rows: list[list[str]], expected: str) -> None:
    assert problems_of(store, csv_bytes(rows), "profile.csv") == [expected]


def test_workbook_problems_name_the_sheet(store: Store) -> None:
    data = xlsx_bytes(
        {
            "criteria": [["criterion", "weight"], ["Pay", 9]],
            "ratings": [["career", "criterion", "rating"], ["A", "Pay", 7]],
        }
    )
    assert problems_of(store, data, "book.xlsx") == [
        "sheet criteria, row 2, column weight: 9 is outside 0–5",
        "sheet ratings, row 2, column rating: 7 is outside the 1–5 scale",
    ]


def test_skip_invalid_imports_the_valid_rows_and_lists_the_rest(fresh: Store) -> None:
    data = csv_bytes(
        [
            HEADER,
            ["Nurse", "Ann", "2025-01-02", "Social", "9", "", ""],
            ["Nurse", "Ann", "2025-01-02", "Pay", "4", "", ""],
            ["", "Bo", "", "Pay", "4", "", ""],
        ]
    )
    report = import_bytes(fresh, data, "r.csv", skip_invalid=True)
    assert report.new_ratings == 1 and report.skipped_rows == 2
    assert [str(p) for p in report.skipped] == [
        "row 2, column rating: 9 is outside the 1–5 scale",
        "row 4, column career: the career is missing",
    ]
    assert report.skipped[0] == Problem(2, "rating", "9 is outside the 1–5 scale")
    assert fresh.imports()[0]["skipped_rows"] == 2
    assert "skipped 2 rows with problems (2 problems)" in report.summary_lines()


def test_many_problems_are_listed_up_to_a_limit(store: Store, monkeypatch) -> None:
    import analytics.spreadsheets.ingest as ingest

    monkeypatch.setattr(ingest, "MAX_LISTED_PROBLEMS", 3)
    rows = [["career", "criterion", "rating"]] + [["A", f"C{n}", "9"] for n in range(10)]
    lines = problems_of(store, csv_bytes(rows))
    assert len(lines) == 4 and lines[-1] == "and 7 more problems"


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (b"", "r.csv", "r.csv: the file is empty"),
        (b"  \r\n\r\n", "r.csv", "r.csv: the file is empty"),
        (b"career,criterion,rating\r\n", "r.csv", "r.csv: there are no data rows under the header"),
        (b"career,criterion,rating\r\n,,\r\n", "r.csv", "r.csv: there are no data rows under the header"),
        (
            bytes(range(256)) * 4,
            "r.csv",
            "r.csv: line 1 holds the control character NUL, which no spreadsheet text has (this is not a text "
            "spreadsheet, or it is damaged)",
        ),
        (
            b"\x81\x8d\x8f\x90\x9d" * 10,
            "r.csv",
            "r.csv: the text is neither UTF-8 nor Windows-1252: save it as CSV UTF-8",
        ),
        (
            b"career,criterion,rating\nA,B,3\n",
            "r.pdf",
            "r.pdf: cannot import a file with .pdf: use a .csv or .xlsx file",
        ),
        (
            b"career,criterion,rating\nA,B,3\n",
            "ratings",
            "ratings: cannot import a file with no extension: use a .csv or .xlsx file",
        ),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100,
            "r.xlsx",
            "r.xlsx: the workbook is password-protected (or an old .xls file): save it without a password as .xlsx",
        ),
        (b"PK\x03\x04 this is not really a zip", "r.xlsx", "r.xlsx: the workbook is damaged (not a valid .xlsx file)"),
        (b"hello", "r.xlsx", "r.xlsx: this is not an .xlsx workbook (the file is damaged or of another type)"),
        (b"PK\x03\x04junk", "r.csv", "r.csv: this is an Excel workbook, not a CSV file: name it .xlsx"),
        (b"x", "r.xls", "r.xls: old .xls workbooks are not supported: save it as .xlsx"),
        (b"name,colour\nbob,red\n", "r.csv", None),
        (b"career,rating,Rating\nA,3,4\n", "r.csv", None),
    ],
)
def test_unreadable_files_give_one_clear_line(store: Store, data: bytes, name: str, expected: str | None) -> None:
    lines = problems_of(store, data, name)
    assert len(lines) == 1
    if expected:
        assert lines == [expected]
    else:
        assert lines[0].startswith(("r.csv: the columns are not recognised", "row 1, column Rating: the column"))


def test_zip_that_is_no_workbook(store: Store) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    assert problems_of(store, buffer.getvalue(), "r.xlsx")[0].startswith(
        "r.xlsx: the workbook is damaged and cannot be read"
    )


def test_duplicate_column_names_stop_even_with_skip_invalid(store: Store) -> None:
    data = csv_bytes([["career", "criterion", "score", "Rating"], ["A", "Pay", "3", "4"]])
    assert problems_of(store, data, skip_invalid=True) == [
        "row 1, column Rating: the columns 'score' and 'Rating' both give the rating: keep one"
    ]
    data = csv_bytes([["Career", "Pay", "pay"], ["A", "3", "4"]])
    assert problems_of(store, data) == ["row 1, column pay: the column 'pay' appears twice (columns B and C): keep one"]


def test_missing_required_columns(store: Store) -> None:
    data = csv_bytes([["career", "criterion", "notes"], ["A", "Pay", "x"]])
    assert problems_of(store, data) == [
        "row 1: there is no rating column (looked for a header such as rating, ratings, score, grade)"
    ]


def test_cells_without_a_header(store: Store) -> None:
    data = b"career,criterion,rating\nA,Pay,3,oops\nB,Pay,4,,\n"
    assert problems_of(store, data) == [
        "row 2: column D has a value but no header: give the column a header or clear it"
    ]


def test_files_over_the_size_bound(store: Store, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(spreadsheets, "MAX_CSV_BYTES", 10)
    assert problems_of(store, b"career,criterion,rating\nA,B,3\n") == [
        "ratings.csv: the file is 30 bytes, larger than the 10 bytes Career Fit reads: split it into smaller files"
        " and import them one by one"
    ]
    assert spreadsheets.size_text(200 * 10**6) == "200 MB" and spreadsheets.size_text(1_500_000) == "1.5 MB"
    path = tmp_path / "big.csv"
    path.write_bytes(b"career,criterion,rating\nA,B,3\n")
    with pytest.raises(InvalidInputError, match="larger than"):
        import_file(store, path)


def test_missing_file_and_unknown_sheet_and_scale(store: Store, tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match="there is no such file"):
        import_file(store, tmp_path / "nope.csv")
    data = xlsx_bytes({"A": [["career", "criterion", "rating"], ["X", "Social", 3]]})
    assert problems_of(store, data, "b.xlsx", sheet="Z") == ["b.xlsx: there is no sheet 'Z' (sheets: A)"]
    assert problems_of(store, b"career,criterion,rating\nA,B,3\n", scale="1-7") == [
        "unknown scale '1-7': use 1-5, 1-10 or 0-100"
    ]
    assert problems_of(store, b"career,criterion,rating\nA,B,3\n", sheet="A") == [
        "ratings.csv: --sheet applies to .xlsx workbooks only"
    ]


def test_every_refusal_is_a_career_fit_error(store: Store) -> None:
    assert issubclass(InvalidInputError, CareerFitError)


def test_preview_lists_header_problems_instead_of_raising() -> None:
    from analytics.spreadsheets.ingest import preview_bytes

    preview = preview_bytes(csv_bytes([["career", "criterion", "score", "Rating"], ["A", "Pay", "3", "4"]]), "d.csv")
    assert preview.rows == 0 and preview.columns["Rating"] is None
    assert [str(p) for p in preview.problems] == [
        "row 1, column Rating: the columns 'score' and 'Rating' both give the rating: keep one"
    ]
