"""A large workbook is read by two children at once, and the importer checks the sheets that arrive first
(contacts, interviews, careers, criteria) while the other child still reads the ratings sheet: the problems
found, their wording and the all-or-nothing write are those of a workbook read and checked in turn."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analytics.db import staging
from analytics.spreadsheets import ingest, reading, sandbox
from analytics.spreadsheets import tables as tables_module
from analytics.spreadsheets.export import workbook_bytes
from analytics.spreadsheets.ingest import ImportProblems, import_file
from analytics.spreadsheets.tables import CellError, Table, table_from_records
from analytics.store import Store
from tests.support.ingest_fixtures import snapshot, xlsx_bytes


@pytest.fixture(autouse=True)
def no_children_left() -> object:
    sandbox._stop_all()
    yield
    sandbox._stop_all()


def saved_store() -> Store:
    store = Store(":memory:")
    criteria = [c.id for c in store.criteria()][:3]
    for n in range(12):
        store.save_contact(f"Person {n}", role="nurse" if n % 2 else "")
        store.save_interview(
            f"Career {n % 3}",
            f"Person {n}",
            date(2025, 1 + n % 12, 1 + n),
            stage="completed",
            ratings={criterion: 1 + (n + k) % 5 for k, criterion in enumerate(criteria)},
        )
    return store


def test_the_part_read_first_is_handed_over_while_the_other_is_still_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "saved.xlsx"
    path.write_bytes(workbook_bytes(saved_store()))
    monkeypatch.setattr(sandbox, "PARTS_BYTES", 10**12)
    whole = sandbox.read_file(path, "saved.xlsx")
    monkeypatch.setattr(sandbox, "PARTS_BYTES", 0)
    seen: list[list[Table]] = []
    tables = sandbox.read_file(path, "saved.xlsx", arrived=seen.append)
    assert tables == whole
    assert len(seen) == 1 and seen[0]  # one part early: the other was the last to come, and is not handed over
    assert all(any(table is returned for returned in tables) for table in seen[0])  # the very same objects
    assert {table.name for table in seen[0]} < {table.name for table in tables}


def test_a_whole_read_hands_nothing_over_early(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "saved.xlsx"
    path.write_bytes(workbook_bytes(saved_store()))
    monkeypatch.setattr(sandbox, "PARTS_BYTES", 10**12)
    seen: list[list[Table]] = []
    assert sandbox.read_file(path, "saved.xlsx", arrived=seen.append)
    assert seen == []


def test_when_the_early_work_fails_every_child_still_reading_is_stopped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "saved.xlsx"
    path.write_bytes(workbook_bytes(saved_store()))
    monkeypatch.setattr(sandbox, "PARTS_BYTES", 0)
    started: list[sandbox._Worker] = []
    real = sandbox._Worker.__init__

    def recorded(worker: sandbox._Worker) -> None:
        real(worker)
        started.append(worker)

    monkeypatch.setattr(sandbox._Worker, "__init__", recorded)

    def fails(tables: list[Table]) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        sandbox.read_file(path, "saved.xlsx", arrived=fails)
    assert len(started) == 2
    assert [worker for worker in started if worker.alive()] == sandbox._idle  # the one that answered, kept
    assert len(sandbox._idle) == 1  # and the one still reading: stopped


def bad_workbook() -> bytes:
    return xlsx_bytes(
        {
            "contacts": [["name", "role"], ["Ana", "nurse"], [None, "no name"]],
            "interviews": [
                ["career", "interviewee", "date", "stage"],
                ["Nurse", "Ana", date(2025, 1, 2), "completed"],
                ["Nurse", "Bo", date(2025, 1, 3), "talked"],
            ],
            "ratings": [
                ["career", "interviewee", "date", "criterion", "rating"],
                ["Nurse", "Ana", date(2025, 1, 2), "Pay", 4],
                ["Nurse", "Bo", date(2025, 1, 3), "Pay", 9],
                *(["Nurse", "Ana", date(2025, 1, 2), f"Criterion {n}", 1 + n % 5] for n in range(40)),
            ],  # (the largest sheet: one child reads it, the other child the contacts and interviews)
        }
    )


def refused(store: Store, path: Path) -> list[tuple[str | None, int | None, str | None, str]]:
    with pytest.raises(ImportProblems) as raised:
        import_file(store, path)
    return [(p.sheet, p.row, p.column, p.message) for p in raised.value.located]


def watch_reading(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Wrap the file reader: the list's one flag is True while a file is being read (the children at work)."""
    read, still_reading = reading.read_file, [False]

    def read_file(*args: object, **kwargs: object) -> list[Table]:
        still_reading[0] = True
        try:
            return read(*args, **kwargs)  # type: ignore[arg-type]
        finally:
            still_reading[0] = False

    monkeypatch.setattr(reading, "read_file", read_file)
    return still_reading


def test_a_bad_contact_found_while_the_ratings_sheet_is_read_is_named_and_nothing_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "restore.xlsx"
    path.write_bytes(bad_workbook())
    store = Store(str(tmp_path / "store.duckdb"))
    store.save_interview("Kept", "Someone", date(2025, 1, 1), stage="completed")
    before = snapshot(store, with_imports=True)
    monkeypatch.setattr(sandbox, "PARTS_BYTES", 10**12)
    in_turn = refused(store, path)
    checked: list[tuple[str | None, bool]] = []  # (sheet, whether the file was still being read)
    check = ingest._check_sheet
    still_reading = watch_reading(monkeypatch)

    def counted(plan: object) -> None:
        checked.append((plan.sheet, still_reading[0]))  # type: ignore[attr-defined]
        check(plan)  # type: ignore[arg-type]

    monkeypatch.setattr(ingest, "_check_sheet", counted)
    # The contacts and interviews come first, as they do from a saved workbook (whose ratings sheet takes the
    # longest to read): here the answers are taken in that order whichever child is quicker on a busy machine.
    monkeypatch.setattr(sandbox, "_first_answering", lambda pending: pending[-1])
    monkeypatch.setattr(sandbox, "PARTS_BYTES", 0)
    early = refused(store, path)
    assert early == in_turn
    assert [(sheet, row, column) for sheet, row, column, _ in early] == [
        ("contacts", 3, "name"),
        ("interviews", 3, "stage"),
        ("ratings", 3, "rating"),
    ]
    assert early[0][3] == "the name is missing"
    assert sorted(checked, key=str) == [("contacts", True), ("interviews", True)]  # once each, while reading
    assert snapshot(store, with_imports=True) == before
    store.close()


def test_a_workbook_checked_early_restores_as_one_checked_in_turn(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = saved_store()
    path = tmp_path / "saved.xlsx"
    path.write_bytes(workbook_bytes(source))
    stores = []
    for smallest in (10**12, 0):
        monkeypatch.setattr(sandbox, "PARTS_BYTES", smallest)
        store = Store(str(tmp_path / f"{smallest}.duckdb"))
        report = import_file(store, path)
        assert (report.new_contacts, report.new_interviews, report.new_ratings) == (12, 12, 36)
        stores.append(snapshot(store))
        store.close()
    assert stores[0] == stores[1] == snapshot(source)


# -- a sheet's rows built a column at a time ---------------------------------------------------------------

CELLS = st.one_of(
    st.none(),
    st.sampled_from(["", " ", "\t", "Nurse", "nurse", "2025-01-02", "x" * 12, "bell \x07", "=1+1", "0123"]),
    st.text(max_size=6),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.integers(-3, 12),
    st.booleans(),
    st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31)),
)


def by_rows(records: list[list[object]], **options: object) -> Table | None:
    """What table_from_records makes of the records a row at a time (its column path turned off)."""
    real = tables_module._rows_by_column
    tables_module._rows_by_column = lambda *args, **kwargs: None  # type: ignore[assignment]
    try:
        return table_from_records(records, "sheet", **options)  # type: ignore[arg-type]
    finally:
        tables_module._rows_by_column = real


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    header=st.lists(st.sampled_from(["career", "notes", "rating", "", "date"]), min_size=1, max_size=4),
    body=st.lists(st.lists(CELLS, min_size=0, max_size=5), max_size=8),
    even=st.booleans(),
    from_csv=st.booleans(),
    error=st.booleans(),
)
def test_a_table_built_a_column_at_a_time_is_the_table_built_a_row_at_a_time(
    header: list[str], body: list[list[object]], even: bool, from_csv: bool, error: bool
) -> None:
    if even:  # (calamine's grid: every row as wide as the used range)
        width = max([len(header), *map(len, body)])
        body = [row + [None] * (width - len(row)) for row in body]
    if error and body and body[0]:
        body[0][0] = CellError("the formula has no saved value")
    records: list[list[object]] = [list(header), *body]
    expected = by_rows(records, from_csv=from_csv, cell_chars=10)
    found = table_from_records(records, "sheet", from_csv=from_csv, cell_chars=10)
    assert found == expected
    if found is not None:
        assert [[type(cell) for cell in cells] for _, cells in found.rows] == [
            [type(cell) for cell in cells]
            for _, cells in expected.rows  # type: ignore[union-attr]
        ]


def test_a_saved_sheet_takes_the_column_path_and_a_table_with_a_gap_the_row_path(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    taken: list[bool] = []
    real = tables_module._rows_by_column

    def recorded(*args: object, **kwargs: object) -> object:
        rows = real(*args, **kwargs)  # type: ignore[arg-type]
        taken.append(rows is not None)
        return rows

    monkeypatch.setattr(tables_module, "_rows_by_column", recorded)
    saved = [["career", "date", "rating"], ["Nurse", date(2025, 1, 2), 4.0], ["Nurse", date(2025, 1, 3), None]]
    table = table_from_records(saved, "ratings", from_csv=False)
    assert table is not None and table.rows == [(2, ["Nurse", "2025-01-02", "4"]), (3, ["Nurse", "2025-01-03", None])]
    gap = [*saved, [None, None, None], ["Vet", date(2025, 1, 4), 2.0]]
    table = table_from_records(gap, "ratings", from_csv=False)
    assert table is not None and [number for number, _ in table.rows] == [2, 3, 5]
    assert taken == [True, False]


# -- many rows read by Python reach DuckDB as arrays -----------------------------------------------------------


def test_rows_staged_as_arrays_are_the_rows_staged_through_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = ["Nurse", "", None, 'He said "hi", twice', "Line one\nline two", "Ünïcödé 🎉", "  spaced  ", "0123"]
    rows = [[n + 2, texts[n % len(texts)], texts[(n * 3) % len(texts)], None] for n in range(1200)]
    columns = [("_row", "INTEGER"), ("c0", "VARCHAR"), ("c1", "VARCHAR"), ("c2", "VARCHAR")]
    con = duckdb.connect()
    staging._load_table(con, "by_arrays", columns, rows, tmp_path)
    monkeypatch.setattr(staging, "_load_arrays", lambda *args: con.execute("SELECT error('declined')"))
    staging._load_table(con, "by_file", columns, rows, tmp_path)
    assert con.execute("DESCRIBE by_arrays").fetchall() == con.execute("DESCRIBE by_file").fetchall()
    arrays, file = (con.execute(f"SELECT * FROM {name} ORDER BY _row").fetchall() for name in ("by_arrays", "by_file"))
    assert arrays == file and len(arrays) == 1200
    assert arrays[1][:2] == (3, None) and arrays[2][:2] == (4, None)  # (an empty text is NULL, as in the file)
    assert list(tmp_path.iterdir()) == []


# -- contacts and interviews worked out for the store while the ratings sheet is read -------------------------


def test_contacts_and_interviews_are_worked_out_once_while_reading_even_when_the_write_is_tried_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rating given twice (same key, same value) makes the import write again, grouped by key: the contacts
    and interviews worked out early go in again as they were, each interview with its contact."""
    from analytics.db import sheet_writes

    rating = ["Nurse", "Ana", date(2025, 1, 2), "Pay", 4]
    data = xlsx_bytes(
        {
            "contacts": [["name", "role"], ["Ana", "nurse"], ["Bo", None], ["Ana", "head nurse"]],
            "interviews": [
                ["career", "interviewee", "date", "stage", "notes"],
                ["Nurse", "Ana", date(2025, 1, 2), "completed", " kept "],
                ["Nurse", "Bo", date(2025, 1, 3), "identified", None],
            ],
            "ratings": [
                ["career", "interviewee", "date", "criterion", "rating"],
                rating,
                rating,
                *(["Nurse", "Ana", date(2025, 1, 2), f"Criterion {n}", 1 + n % 5] for n in range(40)),
            ],
        }
    )
    path = tmp_path / "restore.xlsx"
    path.write_bytes(data)
    worked: list[tuple[str, bool]] = []
    still_reading = watch_reading(monkeypatch)
    for name in ("contact_records", "interview_records"):
        real = getattr(sheet_writes, name)

        def counted(rows: object, real: object = real, name: str = name) -> object:
            worked.append((name, still_reading[0]))
            return real(rows)  # type: ignore[operator]

        monkeypatch.setitem(ingest._RECORDS, name.split("_")[0] + "s", counted)
        monkeypatch.setattr(sheet_writes, name, counted)
    monkeypatch.setattr(sandbox, "PARTS_BYTES", 0)
    monkeypatch.setattr(sandbox, "_first_answering", lambda pending: pending[-1])
    store = Store(str(tmp_path / "store.duckdb"))
    report = import_file(store, path)
    assert (report.new_contacts, report.new_interviews, report.new_ratings) == (2, 2, 41)
    assert sorted(worked) == [("contact_records", True), ("interview_records", True)]
    contacts = {contact.id: contact for contact in store.contacts()}
    assert {(c.name, c.role) for c in contacts.values()} == {("Ana", "head nurse"), ("Bo", "")}
    interviews = {i.interviewee: i for i in store.interviews()}
    assert {name: contacts[i.contact_id].name for name, i in interviews.items()} == {"Ana": "Ana", "Bo": "Bo"}
    assert interviews["Ana"].notes == "kept" and interviews["Bo"].stage == "identified"
    store.close()
