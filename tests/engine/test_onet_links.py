"""O*NET links in the store and in spreadsheets: the onet column, linking by name, the workbook round trip."""

from __future__ import annotations

from pathlib import Path

import pytest

from analytics.errors import InvalidInputError
from analytics.onet.link import link_career, link_criteria
from analytics.spreadsheets.export import workbook_bytes
from analytics.spreadsheets.ingest import import_bytes, import_file
from analytics.store import Store


def _links(store: Store) -> dict[str, str | None]:
    return {c.name: c.onet_element for c in store.criteria()}


def test_criteria_file_onet_column_takes_ids_names_and_blanks(tmp_path: Path) -> None:
    path = tmp_path / "criteria.csv"
    path.write_text(
        "criterion,dimension,weight,onet\n"
        "Number crunching,skill,4,2.A.1.e\n"
        "Lab work,skill,3,science\n"
        "Investigative,interest,5,\n"  # blank: the row says no link, even for an element's name
        "Maths knowledge,skill,2,Mathematics (knowledge)\n",
        encoding="utf-8",
    )
    with Store(str(tmp_path / "s.duckdb"), seed_defaults=False) as store:
        import_file(store, path)
        assert _links(store) == {
            "Number crunching": "2.A.1.e",
            "Lab work": "2.A.1.f",
            "Investigative": None,
            "Maths knowledge": "2.C.4.a",
        }


def test_an_unknown_element_is_a_row_and_column_error_and_nothing_is_written(tmp_path: Path) -> None:
    path = tmp_path / "criteria.csv"
    path.write_text(
        "criterion,dimension,weight,onet\nCharm,value,4,Charisma\nLab work,skill,3,Science\n", encoding="utf-8"
    )
    with Store(str(tmp_path / "s.duckdb"), seed_defaults=False) as store:
        with pytest.raises(InvalidInputError) as error:
            import_file(store, path)
        assert error.value.problems == [
            "row 2, column onet: 'Charisma' is not an O*NET interest, work value, skill or knowledge element"
        ]
        assert store.criteria() == []


def test_new_criteria_named_like_an_element_are_linked_on_import(tmp_path: Path) -> None:
    criteria = tmp_path / "criteria.csv"
    criteria.write_text("criterion,dimension,weight\nMathematics,skill,5\nRemote work,value,4\n", encoding="utf-8")
    ratings = tmp_path / "ratings.csv"
    ratings.write_text(
        "career,criterion,rating,dimension\nPhysics,Science,5,skill\nPhysics,Commute,2,value\n", encoding="utf-8"
    )
    with Store(str(tmp_path / "s.duckdb"), seed_defaults=False) as store:
        import_file(store, criteria)
        import_file(store, ratings)
        assert _links(store) == {"Mathematics": "2.A.1.e", "Remote work": None, "Science": "2.A.1.f", "Commute": None}


def test_careers_sheet_onet_code_and_the_workbook_round_trip(tmp_path: Path) -> None:
    with Store(str(tmp_path / "a.duckdb")) as store:
        link_career(store, "Nursing", "29-1141.00")
        store.add_career("Own idea")
        ids = {c.name: c.id for c in store.criteria()}
        link_criteria(store, {ids["Teamwork"]: None, ids["Writing"]: "Writing"})
        book = workbook_bytes(store)
        careers = [(c.name, c.onet_code) for c in store.careers()]
        links = _links(store)
    assert links["Teamwork"] is None
    for fresh in (Store(":memory:"), Store(":memory:", seed_defaults=False)):
        import_bytes(fresh, book, "career-fit.xlsx")
        assert [(c.name, c.onet_code) for c in fresh.careers()] == careers
        assert _links(fresh) == links  # Teamwork stays unlinked: the onet column says so


def test_an_unknown_occupation_code_in_a_careers_sheet_is_refused(tmp_path: Path) -> None:
    import xlsxwriter

    path = tmp_path / "careers.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("careers")
    for number, row in enumerate(
        [("career", "notes", "onet_code"), ("Nursing", "", "29-1141.00"), ("Stars", "", "00-0000.00")]
    ):
        sheet.write_row(number, 0, row)
    book.close()
    with Store(str(tmp_path / "s.duckdb")) as store:
        with pytest.raises(InvalidInputError) as error:
            import_file(store, path)
        assert error.value.problems == [
            "row 3, column onet_code: '00-0000.00' is not an O*NET 29.3 "
            "occupation: use an O*NET-SOC code such as 15-1255.00"
        ]
        assert store.careers() == []


def test_link_writes_are_checked_and_whole(tmp_path: Path) -> None:
    with Store(str(tmp_path / "s.duckdb")) as store:
        with pytest.raises(InvalidInputError):
            link_career(store, "Nursing", "29-1141")
        assert store.careers() == []
        career_id = link_career(store, "Nursing", "29-1141.00")
        assert link_career(store, career_id, None) == career_id
        assert store.careers()[0].onet_code is None
        ids = {c.name: c.id for c in store.criteria()}
        with pytest.raises(InvalidInputError):
            link_criteria(store, {ids["Writing"]: None, ids["Speaking"]: "Charisma"})
        assert _links(store)["Writing"] == "2.A.1.c"  # nothing of the failed batch was written


def test_a_careers_sheet_updates_known_careers_and_names_a_new_one_once(tmp_path: Path) -> None:
    """Known careers take a sheet's note (a blank one leaves theirs) and code; a career named twice is one
    career with the later row's note and code, spelled as its first row spells it."""
    import xlsxwriter

    path = tmp_path / "careers.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("careers")
    rows = [
        ("career", "notes", "onet_code"),
        ("nursing", "", "29-1141.00"),
        ("Teaching", "kept note", ""),
        ("Stars", "first", ""),
        ("stars", "second", "29-1141.00"),
    ]
    for number, row in enumerate(rows):
        sheet.write_row(number, 0, row)
    book.close()
    with Store(str(tmp_path / "s.duckdb")) as store:
        link_career(store, "Nursing", "15-1255.00")
        store.add_career("Teaching", notes="old note")
        before = {c.name: c.id for c in store.careers()}
        report = import_file(store, path)
        after = {c.name: (c.id, c.notes, c.onet_code) for c in store.careers()}
    assert report.new_careers == 1
    assert after["Nursing"] == (before["Nursing"], "", "29-1141.00")
    assert after["Teaching"] == (before["Teaching"], "kept note", None)
    assert after["Stars"][1:] == ("second", "29-1141.00")
