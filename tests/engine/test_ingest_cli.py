"""``career-fit import`` and ``export``: exit codes 0/1/2, one line per problem on stderr, no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from analytics.cli import main
from analytics.store import Store
from tests.support.ingest_fixtures import snapshot, write_csv

GOOD = [
    ["career", "interviewee", "date", "criterion", "rating"],
    ["Nurse", "Ann", "2025-01-02", "Social", "4"],
    ["Nurse", "Ann", "2025-01-02", "Pay", "3"],
]
BAD = [*GOOD, ["Pilot", "Bo", "2025-01-03", "Social", "9"], ["", "Bo", "2025-01-03", "Social", "2"]]


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "store.duckdb")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def stored(db: str) -> dict:
    with Store(db) as store:
        return snapshot(store, with_imports=True)


def test_import_prints_the_summary_and_exits_0(db: str, tmp_path: Path, capsys) -> None:
    code, out, err = run(capsys, "--db", db, "import", str(write_csv(tmp_path / "r.csv", GOOD)))
    assert (code, err) == (0, "")
    assert out.splitlines()[:3] == [
        "r.csv: read 2 rows (long ratings)",
        "ratings: 2 new, 0 updated, 0 unchanged",
        "added 1 career, 1 interview, 1 contact",
    ]
    code, out, _ = run(capsys, "--db", db, "import", str(tmp_path / "r.csv"))
    assert code == 0 and "ratings: 0 new, 0 updated, 2 unchanged" in out


def test_invalid_input_exits_2_with_one_line_per_problem_and_writes_nothing(db: str, tmp_path: Path, capsys) -> None:
    Store(db).close()
    before = stored(db)
    code, out, err = run(capsys, "--db", db, "import", str(write_csv(tmp_path / "bad.csv", BAD)))
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        "row 4, column rating: 9 is outside the 1–5 scale",
        "row 5, column career: the career is missing",
    ]
    assert stored(db) == before


def test_skip_invalid_exits_0_and_lists_the_skipped_rows_on_stderr(db: str, tmp_path: Path, capsys) -> None:
    code, out, err = run(capsys, "--db", db, "import", str(write_csv(tmp_path / "bad.csv", BAD)), "--skip-invalid")
    assert code == 0 and "ratings: 2 new, 0 updated, 0 unchanged" in out
    assert err.splitlines() == [
        "skipped row 4, column rating: 9 is outside the 1–5 scale",
        "skipped row 5, column career: the career is missing",
    ]


def test_dry_run_says_what_would_change_and_writes_nothing(db: str, tmp_path: Path, capsys) -> None:
    Store(db).close()
    before = stored(db)
    code, out, _ = run(capsys, "--db", db, "import", str(write_csv(tmp_path / "r.csv", GOOD)), "--dry-run")
    assert code == 0 and out.startswith("dry run, nothing written: r.csv") and "would add 1 career" in out
    assert stored(db) == before


def test_scale_and_sheet_options(db: str, tmp_path: Path, capsys) -> None:
    rows = [["career", "criterion", "rating"], ["Nurse", "Social", "10"]]
    code, _, _ = run(capsys, "--db", db, "import", str(write_csv(tmp_path / "r.csv", rows)), "--scale", "1-10")
    assert code == 0
    with Store(db) as store:
        assert store.expectations(store.careers()[0].id) == {}
        assert store.career_ratings(store.careers()[0].id)[0][-1] == 5.0
    code, _, err = run(capsys, "--db", db, "import", str(tmp_path / "r.csv"), "--scale", "1-7")
    assert code == 2 and "invalid choice" in err
    code, _, err = run(capsys, "--db", db, "import", str(tmp_path / "r.csv"), "--sheet", "x")
    assert (code, err) == (2, "r.csv: --sheet applies to .xlsx workbooks only\n")


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("empty.csv", b"", "empty.csv: the file is empty\n"),
        ("junk.xlsx", b"PK\x03\x04junk", "junk.xlsx: the workbook is damaged (not a valid .xlsx file)\n"),
        ("notes.docx", b"hello", "notes.docx: cannot import a file with .docx: use a .csv or .xlsx file\n"),
    ],
)
def test_unreadable_files_exit_2_with_one_line(
    db: str, tmp_path: Path, capsys, name: str, content: bytes, expected: str
) -> None:
    (tmp_path / name).write_bytes(content)
    assert run(capsys, "--db", db, "import", str(tmp_path / name))[::2] == (2, expected)


def test_missing_file_exits_2(db: str, tmp_path: Path, capsys) -> None:
    code, _, err = run(capsys, "--db", db, "import", str(tmp_path / "nope.csv"))
    assert code == 2 and err.endswith("nope.csv: there is no such file\n")


def test_export_workbook_csv_and_template_then_import_the_workbook(db: str, tmp_path: Path, capsys) -> None:
    assert run(capsys, "--db", db, "demo")[0] == 0
    for args, name in ((("export",), "all.xlsx"), (("export",), "ratings.csv"), (("export", "--template"), "t.xlsx")):
        code, out, err = run(capsys, "--db", db, *args, str(tmp_path / name))
        assert (code, out, err) == (0, f"wrote {tmp_path / name}\n", "")
    copy = str(tmp_path / "copy.duckdb")
    assert run(capsys, "--db", copy, "import", str(tmp_path / "all.xlsx"))[0] == 0
    with Store(db) as original, Store(copy) as imported:
        assert snapshot(imported) == snapshot(original)


def test_export_errors(db: str, tmp_path: Path, capsys) -> None:
    assert run(capsys, "--db", db, "export", str(tmp_path / "all.pdf"))[::2] == (
        2,
        "all.pdf: export to a .xlsx workbook or a .csv of ratings\n",
    )
    (tmp_path / "file").write_text("x")
    code, _, err = run(capsys, "--db", db, "export", str(tmp_path / "file" / "all.xlsx"))
    assert code == 1 and err.startswith("career-fit: cannot write") and len(err.splitlines()) == 1
