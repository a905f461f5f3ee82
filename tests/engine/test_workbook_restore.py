"""Restoring a saved workbook: everything comes back, bad cells are named by sheet, row and column, nothing is
written when one is bad, and the faster reading (tables sent column by column, contacts and interviews
checked a column at a time) keeps every cell and every problem."""

from __future__ import annotations

import gc
import pickle
import threading
from datetime import date, datetime
from pathlib import Path

import pytest

from analytics.errors import InvalidInputError
from analytics.models import STAGES
from analytics.spreadsheets import sandbox
from analytics.spreadsheets.export import workbook_bytes
from analytics.spreadsheets.ingest import ImportProblems, import_bytes
from analytics.spreadsheets.tables import CellError, Table, table_from_records
from analytics.store import Store
from tests.support import hostile_files as hostile
from tests.support.ingest_fixtures import snapshot, xlsx_bytes

ODD_TEXTS = [
    "=1+1",
    "'=quoted already",
    "Line one\nline two",
    "tab\there",
    "Ünïcödé café – naïve 🎉",
    "_x0041_ stays as typed",
    'He said "hi", twice',
    "TRUE",
    "2025-01-02",
    "0123",
    "x" * 5000,
]


def pipeline_store() -> Store:
    """Contacts with every field, an interview at every stage with its dates, homework flags both ways,
    thanked interviews, and notes of odd text."""
    store = Store(":memory:")
    criteria = [c.id for c in store.criteria()][:4]
    for n, stage in enumerate(STAGES * 2):
        odd = ODD_TEXTS[n % len(ODD_TEXTS)]
        person = f"Person {n} {odd[:20]}".strip()
        store.save_contact(
            person,
            role=f"role {odd}",
            organisation=f"Org {n % 3}",
            how_found="friend" if n % 2 else "alumni",
            introduced_by=f"Person {n - 1}" if n else "",
            email=f"p{n}@example.org",
            notes=odd,
        )
        day = date(2025, 1 + n % 12, 1 + n)
        fields: dict[str, object] = {
            "stage": stage,
            "notes": odd,
            "goals": f"goal {n}",
            "questions": odd[::-1],
            "identified_on": date(2024, 12, 1 + n),
            "researched_org": n % 2 == 0,
            "researched_person": n % 3 == 0,
            "questions_prepared": n % 4 == 0,
            "homework_notes": odd,
        }
        if stage != "identified":
            fields["requested_on"] = date(2024, 12, 2 + n)
        if stage in ("scheduled", "completed", "thanked"):
            fields["scheduled_for"] = datetime(2025, 1 + n % 12, 1 + n, 9 + n % 8, 15)
        if stage in ("completed", "thanked"):
            fields["completed_on"] = day
        if stage == "thanked":
            fields["thanked_on"] = date(2025, 1 + n % 12, 2 + n)
        if stage == "declined":
            fields["declined_on"] = date(2024, 12, 3 + n)
        ratings = {criteria[k]: 1 + (n + k) % 5 for k in range(4)} if stage in ("completed", "thanked") else None
        store.save_interview(f"Career {n % 4}", person, day, ratings=ratings, **fields)
    # an interview without a person or a day, and one of a person who is no contact
    store.save_interview("Career 0", "", None, stage="identified", notes="  spaces inside  kept ")
    store.save_interview("Career 1", "Not a contact", date(2025, 6, 1), stage="requested")
    return store


@pytest.fixture(scope="module")
def source() -> Store:
    return pipeline_store()


def test_a_saved_workbook_restores_every_contact_and_interview_exactly(source: Store) -> None:
    data = workbook_bytes(source)
    fresh = Store(":memory:")
    report = import_bytes(fresh, data, "saved.xlsx")
    assert report.skipped == [] and report.new_contacts == len(source.contacts())
    assert report.new_interviews == len(source.interviews())
    assert snapshot(fresh) == snapshot(source)
    stages = {i.stage for i in fresh.interviews()}
    assert stages == set(STAGES)
    again = import_bytes(fresh, data, "saved.xlsx")
    assert (again.new_contacts, again.new_interviews, again.new_ratings) == (0, 0, 0)
    assert snapshot(fresh) == snapshot(source)


def test_known_interviews_and_contacts_are_updated_to_what_the_workbook_says(source: Store) -> None:
    """New records go in set-wise, known ones through the single-record rules: both give the same store.
    (A blank cell leaves a field as it is, so only fields the workbook fills are changed here.)"""
    changed = Store(":memory:")
    import_bytes(changed, workbook_bytes(source), "saved.xlsx")
    for interview in changed.interviews():
        notes = {"notes": "changed since"} if interview.notes else {}
        changed.update_interview(interview.id, researched_org=not interview.researched_org, **notes)
    for contact in changed.contacts():
        changed.save_contact(contact.name, contact.id, role="another role", notes="")
    assert snapshot(changed) != snapshot(source)
    report = import_bytes(changed, workbook_bytes(source), "saved.xlsx")
    assert (report.new_contacts, report.new_interviews) == (0, 0)
    assert snapshot(changed) == snapshot(source)


INTERVIEW_HEADER = ["career", "interviewee", "date", "stage", "completed_on", "scheduled_for", "researched_org"]


def test_bad_interview_and_contact_cells_are_named_by_sheet_row_and_column_and_nothing_is_written() -> None:
    store = Store(":memory:")
    store.save_interview("Kept", "Someone", date(2025, 1, 1), stage="completed")
    before = snapshot(store)
    data = xlsx_bytes(
        {
            "contacts": [["name", "role"], ["Ana", "nurse"], [None, "no name"], ["Bo", None]],
            "interviews": [
                INTERVIEW_HEADER,
                ["Nurse", "Ana", "2025-01-02", "completed", "2025-01-02", "2025-01-02 10:00", "yes"],
                ["Nurse", "Bo", "31/02/2025", "talked", "soon", "2025-01-02 25:00", "maybe"],
                [None, "Cy", "2025-01-03", None, None, None, "no"],
                ["Nurse", "Di", "2025-01-04", "Thanked", None, None, "x"],
            ],
        }
    )
    with pytest.raises(ImportProblems) as raised:
        import_bytes(store, data, "restore.xlsx")
    assert [(p.sheet, p.row, p.column) for p in raised.value.located] == [
        ("contacts", 3, "name"),
        ("interviews", 3, "date"),
        ("interviews", 3, "stage"),
        ("interviews", 3, "completed_on"),
        ("interviews", 3, "scheduled_for"),
        ("interviews", 3, "researched_org"),
        ("interviews", 4, "career"),
    ]
    messages = [p.message for p in raised.value.located]
    assert messages[0] == "the name is missing" and messages[-1] == "the career is missing"
    assert messages[2].startswith("'talked' is not a stage (use identified,")
    assert messages[5] == "'maybe' is not yes or no"
    assert snapshot(store) == before


def test_an_interviews_sheet_reads_the_same_from_a_csv_and_from_a_workbook() -> None:
    rows = [
        INTERVIEW_HEADER,
        ["Nurse", "Ana", "02/01/2025", "completed", "02/01/2025", "", "yes"],
        ["Nurse", "Bo", "13/01/2025", "bogus", "", "", ""],
        ["Teacher", "Cy", "14/01/2025", "scheduled", "", "14/01/2025 09:30", "no"],
    ]
    csv = "".join(",".join(row) + "\n" for row in rows).encode()
    workbook = xlsx_bytes({"interviews": [[cell or None for cell in row] for row in rows]})
    located = []
    for data, name in ((csv, "interviews.csv"), (workbook, "interviews.xlsx")):
        with pytest.raises(ImportProblems) as raised:
            import_bytes(Store(":memory:"), data, name)
        located.append([(p.row, p.column, p.message) for p in raised.value.located])
    assert located[0] == located[1]
    assert [(row, column) for row, column, _ in located[0]] == [(3, "stage")]
    assert located[0][0][2].startswith("'bogus' is not a stage (use identified,")
    stores = [Store(":memory:"), Store(":memory:")]
    import_bytes(stores[0], csv, "interviews.csv", skip_invalid=True)
    import_bytes(stores[1], workbook, "interviews.xlsx", skip_invalid=True)
    assert snapshot(stores[0]) == snapshot(stores[1])
    kept = {(i.interviewee, i.held_on, i.stage, i.scheduled_for) for i in stores[0].interviews()}
    assert kept == {
        ("Ana", date(2025, 1, 2), "completed", None),
        ("Cy", date(2025, 1, 14), "scheduled", datetime(2025, 1, 14, 9, 30)),
    }


def test_a_table_comes_back_from_the_reading_child_cell_for_cell() -> None:
    """Tables cross from the child column by column, equal texts as one object: nothing is lost or moved."""
    records = [
        ["career", "interviewee", "notes", "rating"],
        ["Nurse", "Ana", "same", 4.0],
        ["Nurse", None, "same", None],
        ["", "", "", ""],
        ["Teacher", "Bo", CellError("the cell holds the spreadsheet error #N/A: correct it or clear it"), 2],
    ]
    table = table_from_records(records, "ratings", from_csv=False)
    assert table is not None
    plain = sandbox._plain(table)
    loaded = sandbox._load(pickle.dumps(("ok", [plain])))
    assert isinstance(loaded, tuple)
    back = sandbox._table(loaded[1][0])
    assert back.rows == [
        (2, ["Nurse", "Ana", "same", "4"]),
        (3, ["Nurse", None, "same", None]),
        (5, ["Teacher", "Bo", "the cell holds the spreadsheet error #N/A: correct it or clear it", "2"]),
    ]
    assert all(type(cell) is str for _, cells in back.rows for cell in cells if cell is not None)
    assert [(p.row, p.column) for p in back.problems] == [(5, "notes")]
    assert (back.name, back.header, back.header_row) == ("ratings", table.header, 1)
    empty = sandbox._table(sandbox._plain(Table("careers", ["career", "notes"], 1, [])))
    assert empty.rows == [] and empty.header == ["career", "notes"]


def test_only_rows_that_may_hold_a_bad_cell_are_looked_at_cell_by_cell_and_none_is_missed() -> None:
    long = "y" * 40
    records = [
        ["career", "notes", ""],
        ["Fine", "plain text", None],
        ["Long", long, None],
        ["Control", "bell \x07 here", None],
        ["Error", CellError("the formula has no saved value"), None],
        ["Unheaded", "ok", "stray"],
        ["   ", "\t", None],
    ]
    table = table_from_records(records, None, from_csv=False, cell_chars=30)
    assert table is not None
    assert [number for number, _ in table.rows] == [2, 3, 4, 5, 6]
    found = [(p.row, p.column, p.message.split(",")[0].split(":")[0]) for p in table.problems]
    assert found == [
        (3, "notes", "the text is 40 characters long"),
        (4, "notes", "the text holds a control character (such as NUL"),
        (5, "notes", "the formula has no saved value"),
        (6, None, "column C has a value but no header"),
    ]
    from_csv = table_from_records(records[:4], None, from_csv=True, cell_chars=30)
    assert from_csv is not None and [p.row for p in from_csv.problems] == [3]  # (a CSV's control characters
    # are checked on the whole file before it is parsed)


def test_the_cycle_collector_runs_again_when_the_last_of_overlapping_pauses_ends() -> None:
    assert gc.isenabled()
    inside, release = threading.Event(), threading.Event()

    def other() -> None:
        with sandbox.paused_gc():
            inside.set()
            release.wait(10)

    thread = threading.Thread(target=other)
    with sandbox.paused_gc():
        thread.start()
        inside.wait(10)
        assert not gc.isenabled()
    assert not gc.isenabled()  # the other block still runs
    release.set()
    thread.join(10)
    assert gc.isenabled()
    gc.disable()
    try:
        with sandbox.paused_gc():
            pass
        assert not gc.isenabled()  # left as it was found
    finally:
        gc.enable()


# -- a large workbook is read by two children at once -----------------------------------------------------


def read_whole_and_in_parts(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, data: bytes, name: str) -> list[object]:
    """What reading the workbook gives (its tables, or the lines it is refused with), read by one child and
    read in parts (every workbook is large enough for parts here)."""
    path = tmp_path / name
    path.write_bytes(data)
    outcomes: list[object] = []
    for smallest in (10**12, 0):
        monkeypatch.setattr(sandbox, "PARTS_BYTES", smallest)
        try:
            outcomes.append(sandbox.read_file(path, name))
        except InvalidInputError as error:
            outcomes.append(error.problems)
    return outcomes


def test_a_workbook_read_in_parts_gives_the_tables_of_a_whole_read_in_order(
    source: Store, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    whole, parts = read_whole_and_in_parts(monkeypatch, tmp_path, workbook_bytes(source), "saved.xlsx")
    assert isinstance(whole, list) and len(whole) >= 7
    assert [table.name for table in whole][:5] == ["criteria", "careers", "contacts", "interviews", "ratings"]
    assert parts == whole
    assert len(sandbox._idle) == 2  # both children kept for the next file
    sandbox._stop_all()


def test_a_prefetched_workbook_is_read_in_parts_by_the_children_that_began_it(tmp_path: Path, source: Store) -> None:
    from analytics.spreadsheets.ingest import import_file
    from analytics.spreadsheets.reading import prefetch_path

    sandbox._stop_all()
    path = tmp_path / "saved.xlsx"
    path.write_bytes(workbook_bytes(source))
    original = sandbox.PARTS_BYTES
    sandbox.PARTS_BYTES = 0
    try:
        prefetch_path(path)
        began = [worker for _, worker in sandbox._prefetched]
        assert [asked["part"] for asked, _ in sandbox._prefetched] == [[0, 2], [1, 2]]
        fresh = Store(str(tmp_path / "s.duckdb"))
        import_file(fresh, path)
        assert snapshot(fresh) == snapshot(source)
        assert sandbox._prefetched == [] and all(worker in sandbox._idle for worker in began)
        fresh.close()
    finally:
        sandbox.PARTS_BYTES = original
        sandbox._stop_all()


def two_sheets(second: bytes = b"") -> bytes:
    data = xlsx_bytes(
        {
            "ratings": [["career", "criterion", "rating"], ["Nurse", "Pay", 3]],
            "careers": [["career", "notes"], ["Nurse", "x" * 3000]],  # the larger sheet: the other part
        }
    )
    if second:
        data = hostile.rewrite_sheet(data, lambda xml: xml.replace(b"</sheetData>", second + b"</sheetData>"))
    return data


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("far.xlsx", hostile.far_cell(16_383)),
        ("errors.xlsx", hostile.error_cell("#DIV/0!")),
        ("unsaved.xlsx", hostile.unsaved_formula()),
        (
            "first-sheet-far.xlsx",
            two_sheets(b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'),
        ),
        ("blank.xlsx", xlsx_bytes({"one": [[None]], "two": [[None]]})),
        ("damaged.xlsx", hostile.workbook({(0, 0): "career"})[:-40]),
    ],
)
def test_a_workbook_read_in_parts_is_refused_or_read_exactly_as_a_whole_read(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, name: str, data: bytes
) -> None:
    whole, parts = read_whole_and_in_parts(monkeypatch, tmp_path, data, name)
    assert parts == whole
    sandbox._stop_all()


def test_a_part_that_takes_too_long_stops_every_child_of_the_read(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, source: Store
) -> None:
    sandbox._stop_all()
    path = tmp_path / "saved.xlsx"
    path.write_bytes(workbook_bytes(source))
    monkeypatch.setattr(sandbox, "PARTS_BYTES", 0)
    monkeypatch.setattr(sandbox, "READ_SECONDS", 0.0001)
    with pytest.raises(InvalidInputError) as raised:
        sandbox.read_file(path, "saved.xlsx")
    assert raised.value.problems == [
        "saved.xlsx: reading it took longer than the 0 seconds Career Fit gives one file: split it into smaller files"
    ]
    assert sandbox._idle == [] and sandbox._prefetched == []


# -- one rule for a contact and an interview, saved alone or imported set-wise -------------------------------


def refusal_alone(save) -> list[str]:
    with pytest.raises(InvalidInputError) as raised:
        save()
    return raised.value.problems


def refusal_set_wise(store: Store, write, rows: list[dict[str, object]]) -> list[str]:
    with store.cursor() as cur:
        cur.execute("BEGIN TRANSACTION")
        try:
            with pytest.raises(InvalidInputError) as raised:
                write(cur, rows)
        finally:
            cur.execute("ROLLBACK")
    return raised.value.problems


@pytest.mark.parametrize("known", [False, True], ids=["new", "known"])
def test_a_bad_contact_or_interview_is_refused_alike_saved_alone_and_imported_set_wise(known: bool) -> None:
    from analytics.db.sheet_writes import import_contact_rows, import_interview_rows

    store = Store(":memory:")
    if known:  # the import then updates them through the single-record rules
        store.save_contact("Ana")
        store.save_interview("Nurse", "Ana", date(2025, 1, 2))
    contacts = [("  ", {}), ("Ana", {"phone": "555"}), ("Ana", {"phone": "555", "age": "40"})]
    for name, fields in contacts:
        alone = refusal_alone(lambda name=name, fields=fields: store.save_contact(name, **fields))
        assert refusal_set_wise(store, import_contact_rows, [{"name": name, **fields}]) == alone
    assert alone == ["a contact has no field 'age'"]
    interviews: list[dict[str, object]] = [{"stage": "talked"}, {"mood": "good"}, {"stage": "talked", "mood": "good"}]
    for fields in interviews:
        alone = refusal_alone(lambda fields=fields: store.save_interview("Nurse", "Ana", date(2025, 1, 2), **fields))
        row = {"career": "Nurse", "interviewee": "Ana", "date": date(2025, 1, 2), **fields}
        assert refusal_set_wise(store, import_interview_rows, [row]) == alone
    assert refusal_alone(lambda: store.save_interview("Nurse", "Ana", None, stage="talked"))[0].startswith(
        "unknown stage 'talked': use one of identified,"
    )


def test_the_used_range_counts_cells_with_and_without_a_namespace_prefix() -> None:
    """A sheet's XML may write its cells <c ...> or <x:c ...> (and self-closing empty cells hold nothing):
    the farthest cell is found either way, before the parser builds a grid."""
    import io
    import zipfile

    from analytics.spreadsheets.xlsx_scan import scan_sheet

    def scan(xml: bytes) -> tuple[int, int]:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("sheet.xml", xml)
        result = scan_sheet(zipfile.ZipFile(buffer), "sheet.xml")
        return result.rows, result.columns

    plain = b'<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="C2"><v>1</v></c></row></sheetData>'
    assert scan(plain) == (2, 3)
    prefixed = b'<x:sheetData><x:row r="1"><x:c r="B9" t="s"><x:v>0</x:v></x:c></x:row></x:sheetData>'
    assert scan(prefixed) == (9, 2)
    mixed = plain.replace(b"</sheetData>", b'<x:c s="1" r="XFD1048576"><x:v>1</x:v></x:c></sheetData>')
    assert scan(mixed) == (1_048_576, 16_384)
    empty_far = plain.replace(b"</sheetData>", b'<c r="XFD1048576" s="1"/><x:c r="ZZ9" s="1"/></sheetData>')
    assert scan(empty_far) == (2, 3)
