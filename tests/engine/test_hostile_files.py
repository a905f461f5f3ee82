"""Hostile files (issue 14): each is refused with one line naming what is wrong, or read correctly, in bounded
time and memory, through the command line and the Data page, with nothing written on refusal. The reader
runs in a child process: a file that defeats it fails alone and the next file reads as usual."""

from __future__ import annotations

import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

from analytics.cli import main
from analytics.errors import InvalidInputError
from analytics.spreadsheets import sandbox
from analytics.spreadsheets import tables as bounds
from analytics.spreadsheets.ingest import import_bytes, preview_bytes
from analytics.store import Store
from tests.support import hostile_files as hostile
from tests.support.apptest_tools import STORE_KEY
from tests.support.ingest_fixtures import snapshot

CONTROL = "a control character (such as NUL, BEL or ESC), which no spreadsheet text has"
# (file name, bytes, the one line the import gives, or None when the file reads correctly)
HOSTILE: list[tuple[str, bytes, str]] = [
    (
        "far.xlsx",
        hostile.far_cell(16_383),
        "far.xlsx: sheet Sheet1 spans 1,048,576 rows by 16,384 columns (17,179,869,184 cells from A1 to "
        "XFD1048576), more than the 20,000,000 cells Career Fit reads: delete stray cells far from the table, or "
        "copy the table to a new sheet",
    ),
    (
        "bh.xlsx",
        hostile.far_cell(59),
        "bh.xlsx: sheet Sheet1 spans 1,048,576 rows by 60 columns (62,914,560 cells from A1 to BH1048576), more "
        "than the 20,000,000 cells Career Fit reads: delete stray cells far from the table, or copy the table to a "
        "new sheet",
    ),
    (
        "errors.xlsx",
        hostile.error_cell("#DIV/0!"),
        "row 2, column rating: the cell holds the spreadsheet error #DIV/0!: correct it or clear it",
    ),
    (
        "na.xlsx",
        hostile.error_cell("#N/A"),
        "row 2, column rating: the cell holds the spreadsheet error #N/A: correct it or clear it",
    ),
    (
        "unsaved.xlsx",
        hostile.unsaved_formula(),
        "row 2, column rating: the formula =1+2 has no saved value: open the file in your spreadsheet program and "
        "save it again",
    ),
    (
        "bell.xlsx",
        hostile.workbook(hostile.ratings_cells([["Nurse\x07", "Pay", 3]])),
        f"row 2, column career: the text holds {CONTROL}",
    ),
    (
        "quote.csv",
        hostile.csv_text(["career,criterion,rating", 'Nurse,"Pay,3', "Pilot,Pay,4", "Vet,Pay,5"]),
        "quote.csv: row 2: a quote opens in this row and never closes: close it, or remove it",
    ),
    (
        "blank-header.csv",
        hostile.csv_text(["career,Pay,,Social", "Nurse,3,4,5"]),
        "row 2: column C has a value but no header: give the column a header or clear it",
    ),
    (
        "escape.csv",
        hostile.csv_text(["career,criterion,rating", "\x1b[31mNurse,Pay,3"], bom=True),
        "escape.csv: line 2 holds the control character ESC, which no spreadsheet text has (this is not a text "
        "spreadsheet, or it is damaged)",
    ),
    (
        "nul-far.csv",
        hostile.large_csv(30_000, tail="Nurse,Ann,2025-01-01,Pay\x00,3\n"),
        "nul-far.csv: line 30,002 holds the control character NUL, which no spreadsheet text has (this is not a "
        "text spreadsheet, or it is damaged)",
    ),
    (
        "long-name.csv",
        hostile.csv_text(["career,criterion,rating", "N" * 40_000 + ",Pay,3"]),
        "row 2, column career: the text is 40,000 characters long, more than the 32,767 a cell may hold",
    ),
    (
        "ledger.csv",
        hostile.csv_text(["id,name,description,amount", "1,Taxes,Yearly,300", "2,Parking Fees,Monthly,40"]),
        "ledger.csv: the columns are not recognised: ratings need a career column and either criterion and "
        "rating columns or one column per criterion; a profile needs a criterion column, or name with dimension "
        "and weight columns (found: id, name, description, amount)",
    ),
]


@pytest.fixture
def store() -> Store:
    return Store(":memory:")


def refusal(store: Store, data: bytes, name: str) -> list[str]:
    before = snapshot(store, with_imports=True)
    with pytest.raises(InvalidInputError) as raised:
        import_bytes(store, data, name)
    assert snapshot(store, with_imports=True) == before
    return raised.value.problems


@pytest.mark.parametrize(("name", "data", "expected"), HOSTILE, ids=[case[0] for case in HOSTILE])
def test_each_hostile_file_is_refused_with_one_line(store: Store, name: str, data: bytes, expected: str) -> None:
    started = time.perf_counter()
    assert refusal(store, data, name) == [expected]
    assert time.perf_counter() - started < 30  # bounded: a far cell is refused before any grid is built


@pytest.mark.parametrize(("name", "data", "expected"), HOSTILE, ids=[case[0] for case in HOSTILE])
def test_each_hostile_file_through_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, data: bytes, expected: str
) -> None:
    db = tmp_path / "store.duckdb"
    assert main(["--db", str(db), "demo"]) == 0
    with Store(str(db)) as opened:
        before = snapshot(opened, with_imports=True)
    path = tmp_path / name
    path.write_bytes(data)
    capsys.readouterr()
    assert main(["--db", str(db), "import", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.strip().splitlines() == [expected] and "Traceback" not in err
    with Store(str(db)) as opened:
        assert snapshot(opened, with_imports=True) == before


def test_a_far_cell_costs_neither_time_nor_memory_in_a_real_cli_process(tmp_path: Path) -> None:
    path = tmp_path / "far.xlsx"
    path.write_bytes(hostile.far_cell(16_383))
    assert path.stat().st_size < 6_000
    done = subprocess.run(
        [sys.executable, "-m", "analytics.cli", "--db", str(tmp_path / "s.duckdb"), "import", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "20,000,000 cells" in done.stderr
    # the whole process, parent and reader, stayed small (the grid would be 512 GB)
    assert resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss < 1_000_000  # KB


def test_a_reader_that_runs_out_of_memory_fails_alone_and_the_next_file_reads(store: Store, monkeypatch) -> None:
    """A sheet within the bounds whose grid still outgrows the child's memory cap (lowered here): the child
    fails (a MemoryError, or the Rust library aborting), the import gets one line, the next file reads."""
    grid = hostile.far_cell(11, row=999_999)  # 12 columns by a million rows: 12 million cells to build
    sandbox._stop_all()
    monkeypatch.setattr(sandbox, "READ_MEMORY_BYTES", 400_000_000)
    assert refusal(store, grid, "grid.xlsx") == [
        "grid.xlsx: the file could not be read: it needs more than the 400 MB of memory Career Fit gives one file, "
        "or it is damaged (split it, or save it again from your spreadsheet program)"
    ]
    monkeypatch.undo()
    sandbox._stop_all()
    good = hostile.workbook(hostile.ratings_cells([["Nurse", "Pay", 3]]))
    assert import_bytes(store, good, "good.xlsx").new_ratings == 1


def test_a_reader_that_takes_too_long_is_stopped(store: Store, monkeypatch) -> None:
    sandbox._stop_all()
    monkeypatch.setattr(sandbox, "READ_SECONDS", 0.0001)
    problems = refusal(store, hostile.large_csv(20_000), "slow.csv")
    assert problems == [
        "slow.csv: reading it took longer than the 0 seconds Career Fit gives one file: split it into smaller files"
    ]
    monkeypatch.undo()
    sandbox._stop_all()


def test_one_cell_limit_for_import_and_export() -> None:
    from analytics.spreadsheets import export

    assert bounds.MAX_CELL_CHARS == export.EXCEL_MAX_TEXT == 32_767


def test_a_quote_after_a_space_reads_the_same_small_or_large(store: Store, monkeypatch) -> None:
    """``x, "a,b"`` is three cells (as spreadsheet programs read it) on every path: DuckDB's load, which reads
    it otherwise, is checked against Python's reading and set aside."""
    data = hostile.csv_text(["career,criterion,rating", 'Nurse, "Pay,x",3', "Vet,Pay,4"])
    outcomes = []
    for fast in (10**9, 1):
        monkeypatch.setattr(bounds, "FAST_PATH_BYTES", fast)
        outcomes.append(refusal(Store(":memory:"), data, "spaced.csv"))
    expected = ["row 2: column D has a value but no header: give the column a header or clear it"]
    assert outcomes[0] == outcomes[1] == expected


def test_utf16_without_a_byte_order_mark_is_read(store: Store) -> None:
    for encoding in ("utf-16-le", "utf-16-be"):
        data = "career,criterion,rating\r\nCafé,Pay,3\r\n".encode(encoding)
        assert import_bytes(Store(":memory:"), data, "u16.csv").new_ratings == 1


def test_data_under_a_blank_header_in_a_wide_sheet_is_named(store: Store) -> None:
    data = hostile.workbook(
        {(0, 0): "career", (0, 1): "Pay", (0, 3): "Social", (1, 0): "Nurse", (1, 1): 3, (1, 2): 4, (1, 3): 5}
    )
    assert refusal(store, data, "wide.xlsx") == [
        "row 2: column C has a value but no header: give the column a header or clear it"
    ]


def test_the_data_page_refuses_a_far_cell_and_keeps_working(app_db: Path, open_app) -> None:
    at = open_app("data")
    before = snapshot(at.session_state[STORE_KEY], with_imports=True)
    at.file_uploader[0].set_value(("far.xlsx", hostile.far_cell(16_383), "application/octet-stream"))
    at.run()
    assert not at.exception
    listed = [problem for frame in at.dataframe if "Problem" in frame.value for problem in frame.value["Problem"]]
    assert listed == [HOSTILE[0][2]]
    assert not any(b.key == "data_import" for b in at.button)
    at.file_uploader[0].set_value(("errors.xlsx", hostile.error_cell(), "application/octet-stream"))
    at.run()
    assert not at.exception
    assert snapshot(at.session_state[STORE_KEY], with_imports=True) == before


def test_preview_names_an_error_cell(store: Store) -> None:
    preview = preview_bytes(hostile.error_cell(), "errors.xlsx", store=store)
    assert [str(p) for p in preview.problems] == [
        "row 2, column rating: the cell holds the spreadsheet error #DIV/0!: correct it or clear it"
    ]


def test_look_alike_names_are_one_name(store: Store) -> None:
    """Composed or decomposed accents, zero-width spaces and bidi marks do not make a second career."""
    rows = [
        "career,interviewee,date,criterion,rating",
        "Café,Ann,2025-01-02,Pay,3",
        "Cafe\u0301,Ann,2025-01-02,Social,4",
        "Caf\u200bé,Ann,2025-01-02,Hours,5",
        "\u202eCafé,Ann,2025-01-02,Team,2",
    ]
    fresh = Store(":memory:", seed_defaults=False)
    report = import_bytes(fresh, hostile.csv_text(rows), "lookalike.csv")
    assert (report.new_careers, report.new_interviews, report.new_ratings) == (1, 1, 4)
    assert [career[0] for career in snapshot(fresh)["careers"]] == ["Café"]


def test_escaped_text_survives_the_workbook_round_trip() -> None:
    from analytics.spreadsheets.export import workbook_bytes

    store = Store(":memory:", seed_defaults=False)
    for name in ("_x005F_x0041_", "_x0041_", "_x000D_ and _x0009_"):
        store.save_interview(name, "Ann", None, notes=name)
    fresh = Store(":memory:", seed_defaults=False)
    import_bytes(fresh, workbook_bytes(store), "export.xlsx")
    assert snapshot(fresh) == snapshot(store)


def test_the_terminal_never_gets_a_control_character(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Text typed into the app may hold ESC or a bidi override: ``career-fit rank`` prints it escaped."""
    db = tmp_path / "store.duckdb"
    with Store(str(db)) as store:
        store.save_interview("Nurse\x1b[2J\u202e", "Ann", None, ratings={store.criteria()[0].id: 4})
    capsys.readouterr()
    assert main(["--db", str(db), "rank"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\u202e" not in out and "Nurse\\x1b[2J\\u202e" in out


def test_a_file_prefetched_by_the_command_line_is_read_once_and_never_left_reading(tmp_path: Path) -> None:
    """The command line has a child start reading its file before DuckDB loads: the import collects that
    reading (no second child), and an import that fails before reading stops it."""
    from analytics.spreadsheets.reading import prefetch_path

    sandbox._stop_all()
    path = tmp_path / "ratings.xlsx"
    path.write_bytes(hostile.workbook(hostile.ratings_cells([["Nurse", "Pay", 3]])))
    prefetch_path(path)
    assert len(sandbox._prefetched) == 1
    prefetched = sandbox._prefetched[0][1]
    with Store(str(tmp_path / "s.duckdb")) as opened:
        assert import_bytes(opened, b"career,criterion,rating\nVet,Pay,4\n", "small.csv").new_ratings == 1
        assert len(sandbox._prefetched) == 1  # another file: not this reading
        from analytics.spreadsheets.ingest import import_file

        assert import_file(opened, path).new_ratings == 1
    assert sandbox._prefetched == [] and prefetched in sandbox._idle  # collected, then kept for the next file
    missing_folder = tmp_path / "no such folder" / "s.duckdb"
    assert main(["--db", str(missing_folder), "import", str(path)]) == 2
    assert sandbox._prefetched == []
    sandbox._stop_all()
