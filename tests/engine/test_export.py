"""Exports give everything back: workbook and CSV round trips, inert formulas, and the template."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from analytics.demo import load_demo
from analytics.errors import CareerFitError, InvalidInputError
from analytics.spreadsheets.export import (
    export_file,
    export_workbook,
    ratings_csv_bytes,
    template_bytes,
    workbook_bytes,
)
from analytics.spreadsheets.ingest import import_bytes, import_file
from analytics.store import Store
from tests.support.ingest_fixtures import snapshot, xlsx_bytes

HOSTILE = [
    "=1+1",
    "+33 1 23 45 67",
    "-minus first",
    "@SUM(A1:A2)",
    "'=quoted already",
    'He said "hi", twice',
    "<script>alert('x')</script>",
    "Ünïcödé café – naïve",
    "Party 🎉 time",
    "Line one\nline two",
    "tab\there",
    '=HYPERLINK("http://evil.example")',
    "0123",
    "2025-01-02",
    "TRUE",
    "  ",
]


@pytest.fixture(scope="module")
def demo() -> Store:
    store = Store(":memory:")
    load_demo(store)
    return store


def hostile_store() -> Store:
    """A store whose every text field holds something a spreadsheet program might run or mangle."""
    store = Store(":memory:", seed_defaults=False)
    names = [n for n in HOSTILE if n.strip()]
    criteria = [
        store.add_criterion(n, ("interest", "skill", "value", None)[i % 4], i % 6, f"about {n}")
        for i, n in enumerate(names)
    ]
    store.set_dimension_weights({"interest": 2, "skill": 0.5, "value": 1})
    for i, name in enumerate(names):
        career = store.add_career(name, notes=names[-1 - i])
        person = f"{name} person"
        store.save_contact(person, role=name, organisation=names[i - 1], how_found="friend", email=name)
        store.save_interview(
            career,
            person,
            date(2025, 1, 1 + i),
            ratings={criteria[i]: 1 + i % 5, criteria[0]: 3.333333},
            stage="scheduled" if i % 2 else "thanked",
            notes=name,
            goals=name,
            questions=name,
            scheduled_for=datetime(2025, 1, 1 + i, 9, 30),
            researched_org=bool(i % 2),
            homework_notes=name,
        )
        store.save_interview(career, "", None, ratings={criteria[-1]: 2})
        store.save_expectations(career, {criteria[i]: 5 - i % 5})
    return store


@pytest.fixture(scope="module")
def hostile() -> Store:
    return hostile_store()


def test_demo_workbook_round_trips_into_a_fresh_store(demo: Store) -> None:
    data = workbook_bytes(demo)
    for fresh in (Store(":memory:"), Store(":memory:", seed_defaults=False)):
        report = import_bytes(fresh, data, "career-fit.xlsx")
        assert report.kind == "workbook" and report.skipped == []
        assert snapshot(fresh) == snapshot(demo)
        again = import_bytes(fresh, data, "career-fit.xlsx")
        assert (again.new_ratings, again.updated_ratings, again.new_careers) == (0, 0, 0)
        assert snapshot(fresh) == snapshot(demo)


def test_hostile_text_round_trips_exactly_through_the_workbook(hostile: Store) -> None:
    store = hostile
    fresh = Store(":memory:")
    import_bytes(fresh, workbook_bytes(store), "hostile.xlsx")
    assert snapshot(fresh) == snapshot(store)


def test_ratings_csv_round_trips_the_ratings(demo: Store, hostile: Store) -> None:
    for source in (demo, hostile):
        fresh = Store(":memory:", seed_defaults=False)
        report = import_bytes(fresh, ratings_csv_bytes(source), "ratings.csv")
        assert report.skipped == []
        assert snapshot(fresh)["ratings"] == snapshot(source)["ratings"]
        dimensions = {c.name: c.dimension for c in source.criteria()}
        assert all(dimensions[c.name] == c.dimension for c in fresh.criteria())


def test_no_text_cell_is_a_formula_in_the_workbook(hostile: Store) -> None:
    book = openpyxl.load_workbook(io.BytesIO(workbook_bytes(hostile)))
    texts = [
        cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)
    ]
    assert texts and all(cell.data_type == "s" for cell in texts)
    values = {cell.value for cell in texts}
    assert {"=1+1", "@SUM(A1:A2)", "+33 1 23 45 67", "-minus first"} <= values
    assert book.sheetnames == [
        "criteria",
        "careers",
        "contacts",
        "interviews",
        "ratings",
        "dimensions",
        "ranking",
        "about",
    ]


def test_formula_like_text_is_marked_as_text_in_the_csv(hostile: Store) -> None:
    import csv

    cells = [cell for row in csv.reader(io.StringIO(ratings_csv_bytes(hostile).decode("utf-8-sig"))) for cell in row]
    assert {"'=1+1", "'@SUM(A1:A2)", "'+33 1 23 45 67", "''=quoted already", "'-minus first"} <= set(cells)
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@")]


def test_template_has_instructions_criteria_columns_and_1_to_5_validation(demo: Store) -> None:
    data = template_bytes(demo)
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Instructions", "Interview ratings"]
    sheet = book["Interview ratings"]
    header = [cell.value for cell in sheet[1]]
    assert header[:3] == ["career", "interviewee", "date"]
    assert header[7:] == [c.name for c in demo.criteria()]
    rules = sheet.data_validations.dataValidation
    decimal = next(rule for rule in rules if rule.type == "decimal")
    assert (decimal.formula1, decimal.formula2) == ("1", "5")
    assert "H2" in str(decimal.sqref) or "H2:" in str(decimal.sqref)
    fresh = Store(":memory:")
    with pytest.raises(InvalidInputError, match="no data rows"):
        import_bytes(fresh, data, "template.xlsx")


def test_a_filled_template_imports() -> None:
    store = Store(":memory:")
    book = openpyxl.load_workbook(io.BytesIO(template_bytes(store)))
    sheet = book["Interview ratings"]
    sheet.append(["Nurse", "Ann", date(2025, 2, 3), "Hospital", "Sister", None, "kind", 4, 5])
    buffer = io.BytesIO()
    book.save(buffer)
    report = import_bytes(store, buffer.getvalue(), "template.xlsx")
    assert (report.kind, report.new_ratings, report.ignored_sheets) == ("wide", 2, ["Instructions"])
    assert store.contacts()[0].organisation == "Hospital"


def test_export_file_picks_the_format_by_name(demo: Store, tmp_path: Path) -> None:
    assert export_file(demo, tmp_path / "all.xlsx").read_bytes()[:2] == b"PK"
    assert export_file(demo, tmp_path / "r.csv").read_bytes().startswith(b"\xef\xbb\xbfcareer,")
    assert export_file(demo, tmp_path / "t.xlsx", template=True).exists()
    with pytest.raises(InvalidInputError):
        export_file(demo, tmp_path / "all.txt")
    with pytest.raises(InvalidInputError):
        export_file(demo, tmp_path / "t.csv", template=True)
    path = export_workbook(demo, tmp_path / "sub" / "book.xlsx")
    fresh = Store(":memory:")
    import_file(fresh, path)
    assert snapshot(fresh) == snapshot(demo)
    assert sorted(p.name for p in (tmp_path / "sub").iterdir()) == ["book.xlsx"]  # no temporary left over


def test_export_to_an_unwritable_place_is_one_line(demo: Store, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(CareerFitError, match="cannot write"):
        export_workbook(demo, tmp_path / "file" / "book.xlsx")


def test_text_longer_than_an_excel_cell_is_refused_not_cut() -> None:
    store = Store(":memory:", seed_defaults=False)
    store.add_career("Long", notes="x" * 40_000)
    with pytest.raises(CareerFitError, match="longer than an Excel cell"):
        workbook_bytes(store)


def test_workbook_import_into_a_populated_store_adds_to_it(demo: Store) -> None:
    other = Store(":memory:")
    import_bytes(
        other, xlsx_bytes({"ratings": [["career", "criterion", "rating"], ["Pilot", "Social", 4]]}), "mine.xlsx"
    )
    import_bytes(other, workbook_bytes(demo), "career-fit.xlsx")
    assert {c.name for c in other.careers()} == {c.name for c in demo.careers()} | {"Pilot"}


def test_the_workbook_carries_the_ranking_and_the_o_net_attribution_and_imports_back_without_them() -> None:
    import io

    import python_calamine

    from analytics.beliefs import rank
    from analytics.demo import load_demo
    from analytics.onet import ATTRIBUTION
    from analytics.spreadsheets.export import RANKING_COLUMNS, workbook_bytes
    from analytics.spreadsheets.ingest import import_bytes

    with Store() as store:
        load_demo(store)  # its criteria are linked to O*NET elements: the file holds O*NET data
        data = workbook_bytes(store)
        expected = [s.as_json() for s in rank(store)]
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    assert book.sheet_names[-2:] == ["ranking", "about"]
    ranking = book.get_sheet_by_name("ranking").to_python()
    assert tuple(ranking[0]) == RANKING_COLUMNS
    assert [row[1] for row in ranking[1:]] == [e["career"] for e in expected]
    assert [row[2] or None for row in ranking[1:]] == [e["fit"] for e in expected]
    assert [row[5] or None for row in ranking[1:]] == [e["p_best"] or None for e in expected]
    assert [ATTRIBUTION] in book.get_sheet_by_name("about").to_python()
    with Store(seed_defaults=False) as again:
        import_bytes(again, data, "workbook.xlsx")
        assert [s.as_json() for s in rank(again)] == expected


def test_a_workbook_without_o_net_data_carries_no_attribution() -> None:
    import io

    import python_calamine

    from analytics.onet import ATTRIBUTION
    from analytics.spreadsheets.export import workbook_bytes

    with Store(seed_defaults=False) as store:
        social = store.add_criterion("Social", "interest", 3)
        store.save_expectations("Nurse", {social: 4})
        data = workbook_bytes(store)
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    assert [ATTRIBUTION] not in book.get_sheet_by_name("about").to_python()
