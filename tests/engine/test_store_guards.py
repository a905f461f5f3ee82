"""A store opens only its own files: other programs' files are refused unchanged, read-only commands open the
store read-only, DuckDB never loads an extension on its own, and ``--db`` names a local file in a folder
that exists. Each case through the real ``career-fit`` command, with the exit code and one line the CLI
promises (2: the ``--db`` given is wrong; 1: the file cannot be used)."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import pytest

from analytics.errors import InvalidInputError, StoreError
from analytics.store import SCHEMA_VERSION, Store
from tests.support.store_fixtures import write_first_schema_store


def run_cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    script = Path(sys.executable).parent / "career-fit"
    environment = {k: v for k, v in os.environ.items() if k != "CAREER_FIT_DB"}
    return subprocess.run(
        [str(script), *args], capture_output=True, text=True, cwd=cwd, env={**environment, **(env or {})}, timeout=120
    )


def one_line(result: subprocess.CompletedProcess) -> str:
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def fingerprint(path: Path) -> tuple[str, int]:
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    """Another program's DuckDB file: a ledger with a name column, nothing of Career Fit's."""
    path = tmp_path / "other.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE ledger (id INTEGER, name VARCHAR, description VARCHAR, amount DOUBLE)")
    con.execute("INSERT INTO ledger VALUES (1, 'Taxes', 'yearly', 120.5)")
    con.close()
    return path


@pytest.fixture
def demo_store(tmp_path: Path) -> Path:
    path = tmp_path / "demo.duckdb"
    assert run_cli("--db", str(path), "demo").returncode == 0
    return path


@pytest.mark.parametrize("command", [["rank"], ["demo"], ["reminders"], ["import", "ratings.csv"]])
def test_another_programs_duckdb_file_is_refused_and_never_written(
    ledger: Path, tmp_path: Path, command: list[str]
) -> None:
    (tmp_path / "ratings.csv").write_text("career,criterion,rating\nNurse,Social,4\n")
    before = fingerprint(ledger)
    result = run_cli("--db", str(ledger), *command, cwd=tmp_path)
    assert result.returncode == 1
    assert "is not a Career Fit data file" in one_line(result)
    assert fingerprint(ledger) == before
    assert not Path(f"{ledger}.wal").exists()


def test_a_table_of_career_fits_name_in_another_file_is_refused_not_a_catalog_error(tmp_path: Path) -> None:
    path = tmp_path / "clash.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE criteria (what VARCHAR)")  # Career Fit would create a table of this name
    con.close()
    result = run_cli("--db", str(path), "demo")
    line = one_line(result)
    assert result.returncode == 1 and "is not a Career Fit data file" in line and "Catalog" not in line


def test_an_older_store_whose_upgrade_clashes_says_so_in_words(tmp_path: Path) -> None:
    """A Career Fit file of schema 1 that someone gave a table the next schemas create."""
    path = tmp_path / "old.duckdb"
    write_first_schema_store(path, held_on=date(2026, 1, 5))
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE rating_totals (note VARCHAR)")
    con.close()
    result = run_cli("--db", str(path), "rank")
    line = one_line(result)
    assert result.returncode == 1 and "cannot be upgraded" in line
    assert "Catalog" not in line and "already exists" not in line


def test_a_new_empty_duckdb_file_is_initialised(tmp_path: Path) -> None:
    path = tmp_path / "empty.duckdb"
    duckdb.connect(str(path)).close()  # a database with nothing in it
    assert run_cli("--db", str(path), "demo").returncode == 0
    with Store(path) as store:
        assert store.counts()["careers"] == 9


def test_a_sqlite_file_is_refused_before_duckdb_reaches_for_an_extension(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE notes (body TEXT)")
    con.commit()
    con.close()
    before = fingerprint(path)
    for command in ("rank", "demo"):
        result = run_cli("--db", str(path), command)
        line = one_line(result)
        assert result.returncode == 1 and "is not a Career Fit data file" in line
        said = line.split(str(path), 1)[1].lower()  # what follows the file's name
        assert "extension" not in said and "sqlite" not in said
    assert fingerprint(path) == before


def test_duckdb_extension_auto_install_and_auto_load_are_off(tmp_path: Path) -> None:
    for where in (":memory:", str(tmp_path / "s.duckdb")):
        with Store(where) as store, store.cursor() as cur:
            assert cur.execute(
                "SELECT current_setting('autoinstall_known_extensions'), current_setting('autoload_known_extensions')"
            ).fetchone() == (False, False)


@pytest.mark.parametrize(
    "db",
    [
        "s3://bucket/career.duckdb",
        "md:my_db",
        "http://example.org/x.duckdb",
        "https://example.org/x.duckdb",
        "gcs://b/x.duckdb",
        "foo:bar.duckdb",
    ],
)
def test_a_db_that_is_not_a_local_path_is_refused(db: str, tmp_path: Path) -> None:
    result = run_cli("--db", db, "demo", cwd=tmp_path)
    assert result.returncode == 2 and "is not a local file" in one_line(result)
    assert list(tmp_path.iterdir()) == []  # no folder made for "s3:" or "md:"


def test_a_missing_folder_for_an_explicit_db_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "no" / "such" / "folder" / "x.duckdb"
    for command in ("demo", "rank"):
        result = run_cli("--db", str(path), command)
        line = one_line(result)
        assert result.returncode == 2 and str(path.parent) in line and "does not exist" in line
    assert not (tmp_path / "no").exists()
    with pytest.raises(InvalidInputError, match="does not exist"):
        Store(path)


def test_a_folder_given_as_db_is_an_error(tmp_path: Path) -> None:
    result = run_cli("--db", str(tmp_path), "rank")
    assert result.returncode == 2 and "is a folder" in one_line(result)


def test_the_default_per_user_file_still_gets_its_folder(tmp_path: Path) -> None:
    home = tmp_path / "data-home"
    result = run_cli("demo", env={"XDG_DATA_HOME": str(home)})
    assert result.returncode == 0, result.stderr
    assert (home / "career-fit" / "career-fit.duckdb").is_file()


@pytest.mark.parametrize("command", [["rank", "--json"], ["next", "--json"], ["reminders"], ["export", "out.xlsx"]])
def test_read_only_commands_work_while_another_process_reads_the_file(
    demo_store: Path, tmp_path: Path, command: list[str]
) -> None:
    """DuckDB lets several processes read one file only when none of them opened it to write: these
    commands succeed next to a read-only reader (and ``import`` cannot), and leave the file as it was."""
    before = fingerprint(demo_store)
    reader = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys; con = duckdb.connect(sys.argv[1], read_only=True);"
            " print('ready', flush=True); sys.stdin.readline()",
            str(demo_store),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert reader.stdout.readline().strip() == "ready"
        result = run_cli("--db", str(demo_store), *command, cwd=tmp_path)
        (tmp_path / "one.csv").write_text("career,criterion,rating\nNurse,Social,4\n")
        writer = run_cli("--db", str(demo_store), "import", str(tmp_path / "one.csv"))
    finally:
        reader.communicate("\n", timeout=30)
    assert result.returncode == 0, result.stderr
    assert writer.returncode == 1 and "in use" in one_line(writer)
    assert fingerprint(demo_store) == before


def test_a_read_only_command_on_a_missing_store_creates_no_file(tmp_path: Path) -> None:
    path = tmp_path / "nothing-yet.duckdb"
    result = run_cli("--db", str(path), "rank")
    assert result.returncode == 0 and "career-fit demo" in result.stdout
    assert not path.exists()


def test_a_store_of_an_older_schema_is_upgraded_once_by_a_read_only_command(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    write_first_schema_store(path, held_on=date(2026, 1, 5))
    result = run_cli("--db", str(path), "rank", "--json")
    assert result.returncode == 0 and '"Nurse"' in result.stdout
    with Store(path, read_only=True) as store:
        assert store.schema_version() == SCHEMA_VERSION and [c.name for c in store.careers()] == ["Nurse"]


@pytest.mark.parametrize("read_only", [True, False])
def test_opening_a_store_of_this_version_asks_its_version_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, read_only: bool
) -> None:
    """A read command's open asks the file one question (the schema check runs before any read); an older store
    is still upgraded (above), so only the question asked twice is gone."""
    import analytics.db.schema
    import analytics.store

    path = tmp_path / "current.duckdb"
    Store(path).close()
    asked: list[int] = []
    real_check = analytics.db.schema.stored_version

    def counted(database: Store) -> int:  # the real check, counted wherever it is called from
        asked.append(real_check(database))
        return asked[-1]

    monkeypatch.setattr(analytics.store, "stored_version", counted)
    monkeypatch.setattr(analytics.db.schema, "stored_version", counted)
    with Store(path, read_only=read_only) as store:
        assert store.schema_version() == SCHEMA_VERSION and store.criteria()
    assert asked == [SCHEMA_VERSION]


def test_a_text_file_is_not_a_career_fit_data_file(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("my notes")
    with pytest.raises(StoreError, match="is not a Career Fit data file"):
        Store(path)
    assert path.read_text() == "my notes"


@pytest.mark.parametrize("missing", ["criteria", "careers", "ratings", "settings"])
def test_a_file_with_a_schema_version_but_without_every_store_table_is_refused_and_never_written(
    tmp_path: Path, missing: str
) -> None:
    """Opening asks for the version in one statement that names every table a store has; a file lacking one of
    them is looked at whole and refused, as before, even when it has a schema_version of the right number."""
    path = tmp_path / "lookalike.duckdb"
    Store(path).close()
    con = duckdb.connect(str(path))
    con.execute(f"DROP TABLE {missing}")
    con.close()
    before = fingerprint(path)
    with pytest.raises(StoreError, match="is not a Career Fit data file"):
        Store(path)
    assert fingerprint(path) == before


def test_a_store_whose_version_table_is_empty_is_upgraded_or_refused_in_words(tmp_path: Path) -> None:
    """Every store table there, but no version recorded: read as version 0, whose upgrade cannot fit."""
    path = tmp_path / "unversioned.duckdb"
    Store(path).close()
    con = duckdb.connect(str(path))
    con.execute("DELETE FROM schema_version")
    con.close()
    with pytest.raises(StoreError, match="cannot be upgraded"):
        Store(path)
