"""The career-fit command: exit codes, output shapes, and never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from analytics.cli import main

ROOT = Path(__file__).resolve().parents[2]


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The real console script in a child process, as a user runs it."""
    script = Path(sys.executable).parent / "career-fit"
    return subprocess.run(
        [str(script), *args], capture_output=True, text=True, env={**os.environ, **(env or {})}, timeout=120
    )


@pytest.fixture
def demo_db(tmp_path) -> str:
    path = str(tmp_path / "demo.duckdb")
    assert main(["--db", path, "demo"]) == 0
    return path


def test_demo_then_rank_json_prints_the_demo_ranking(demo_db, capsys) -> None:
    capsys.readouterr()
    assert main(["--db", demo_db, "rank", "--json"]) == 0
    ranking = json.loads(capsys.readouterr().out)
    interviewed = [r["career"] for r in ranking if r["interviews"]]
    assert interviewed[:2] == ["UX Researcher", "Data Scientist"]
    for entry in ranking:
        assert set(entry) == {
            "career",
            "fit",
            "low",
            "high",
            "evidence_fit",
            "prior_fit",
            "expected_fit",
            "p_best",
            "interviews",
            "coverage",
            "dimensions",
            "onet_code",
            "onet_title",
            "onet_fit",
        }
        if entry["fit"] is not None:
            assert 0 <= entry["low"] <= entry["fit"] <= entry["high"] <= 100
            assert 0 <= entry["p_best"] <= 1
        if entry["interviews"]:
            assert 0 < entry["coverage"] <= 1 and entry["evidence_fit"] is not None
    fits = [r["fit"] for r in ranking if r["fit"] is not None]
    assert fits == sorted(fits, reverse=True)
    assert abs(sum(r["p_best"] for r in ranking if r["p_best"] is not None) - 1) < 1e-3
    expected_only = [r for r in ranking if not r["interviews"] and r["expected_fit"] is not None]
    assert expected_only and all(r["coverage"] == 0 and r["fit"] is not None for r in expected_only)
    assert [r for r in ranking if r["fit"] is None] == [ranking[-1]]  # nothing known: last, and only then


def test_rank_prints_an_aligned_table(demo_db, capsys) -> None:
    capsys.readouterr()
    assert main(["--db", demo_db, "rank"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:4] == ["#", "career", "fit", "band"]
    assert lines[2].startswith("1  Clinical Psychologist (your expectations only)")
    assert any(line.startswith("2  UX Researcher") for line in lines)
    assert "stays first" in lines[-1]
    fit_column_end = lines[0].index("fit") + len("fit")
    assert all(line[fit_column_end - 1] in "0123456789-" for line in lines[2:-3])


def test_rank_on_an_empty_store_says_what_to_do(tmp_path, capsys) -> None:
    assert main(["--db", str(tmp_path / "empty.duckdb"), "rank"]) == 0
    assert "career-fit demo" in capsys.readouterr().out
    assert main(["--db", str(tmp_path / "empty.duckdb"), "rank", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_db_comes_from_the_environment(tmp_path) -> None:
    env = {"CAREER_FIT_DB": str(tmp_path / "env.duckdb")}
    assert run_cli("demo", env=env).returncode == 0
    result = run_cli("rank", "--json", env=env)
    assert result.returncode == 0 and json.loads(result.stdout)[0]["career"] == "Clinical Psychologist"


def test_usage_errors_exit_2_without_a_traceback(tmp_path) -> None:
    result = run_cli("--db", str(tmp_path / "x.duckdb"), "rank", "--frobnicate")
    assert result.returncode == 2 and "Traceback" not in result.stderr and "usage" in result.stderr


def test_a_broken_store_exits_1_with_one_line(tmp_path) -> None:
    bad = tmp_path / "bad.duckdb"
    bad.write_bytes(b"\x00garbage" * 100)
    result = run_cli("--db", str(bad), "rank")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("career-fit: ") and "is not a Career Fit data file" in result.stderr


def test_a_locked_store_exits_1_naming_the_app(tmp_path) -> None:
    path = str(tmp_path / "held.duckdb")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"from analytics.store import Store; s = Store({path!r}); print('ready', flush=True);"
            " import sys; sys.stdin.readline()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        result = run_cli("--db", path, "rank")
    finally:
        holder.communicate("\n", timeout=30)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "Career Fit app is running" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_an_unexpected_failure_is_one_line_not_a_traceback(tmp_path, monkeypatch, capsys) -> None:
    import analytics.beliefs

    def explode(store):
        raise ZeroDivisionError("something deep went wrong")

    monkeypatch.setattr(analytics.beliefs, "assess", explode)
    assert main(["--db", str(tmp_path / "x.duckdb"), "rank"]) == 1
    err = capsys.readouterr().err
    assert err == "career-fit: unexpected error: something deep went wrong\n"


# After a command has run, the BLAS threads numpy was started with (read from the environment OpenBLAS reads).
BLAS_PROBE = """
import os, sys
from analytics.cli import main
code = main(sys.argv[1:])
print(code, "numpy" in sys.modules, os.environ.get("OPENBLAS_NUM_THREADS"))
"""


def test_rank_starts_numpy_with_one_blas_thread_unless_the_user_chose(demo_db) -> None:
    """OpenBLAS's threads only spin while numpy loads (the model's matrices are a few dozen rows)."""
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    for chosen, expected in ((None, "1"), ("3", "3")):
        found = subprocess.run(
            [sys.executable, "-c", BLAS_PROBE, "--db", demo_db, "rank", "--json"],
            capture_output=True,
            text=True,
            env=env if chosen is None else {**env, "OPENBLAS_NUM_THREADS": chosen},
            cwd=ROOT,
            timeout=120,
            check=True,
        )
        assert found.stdout.split("\n")[-2] == f"0 True {expected}"


# After a command has run: which of numpy's optional parts it loaded.
NUMPY_PARTS_PROBE = """
import sys
from analytics.cli import main
code = main(sys.argv[1:])
print(code, sorted(name for name in ("numpy.ma", "numpy.polynomial", "numpy.random") if name in sys.modules))
"""


def test_rank_and_next_load_no_part_of_numpy_they_do_not_use(demo_db) -> None:
    """numpy.ma (loaded by a plain ``np.unique``) cost some 15 ms of a fresh ``rank`` process and is never used."""
    for command in ("rank", "next"):
        found = subprocess.run(
            [sys.executable, "-c", NUMPY_PARTS_PROBE, "--db", demo_db, command, "--json"],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=120,
            check=True,
        )
        assert found.stdout.split("\n")[-2] == "0 []", command


# The console script's entry, run as a process: whether the cycle collector ran, and what was set aside at exit.
RUN_PROBE = """
import atexit, gc, sys
atexit.register(lambda: print("collector", gc.isenabled(), "set aside", gc.get_freeze_count() > 0))
sys.argv = ["career-fit", *sys.argv[1:]]
from analytics.cli import main, run
main(["--db", sys.argv[2], "rank", "--json"])
print("main leaves the collector on", gc.isenabled())
run()
"""


def test_the_console_script_runs_without_the_cycle_collector_and_main_leaves_it_alone(demo_db) -> None:
    """A command is a short process: no cycle collections while it runs or at exit; main() itself (which tests
    and other Python callers use) leaves the collector as it was."""
    found = subprocess.run(
        [sys.executable, "-c", RUN_PROBE, "--db", demo_db, "rank", "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert found.returncode == 0, found.stderr
    lines = found.stdout.strip().split("\n")
    assert lines[-1] == "collector False set aside True"
    assert "main leaves the collector on True" in lines
    assert json.loads(found.stdout[found.stdout.rindex("[\n") : found.stdout.rindex("]") + 1])[0]["career"]
    (script,) = entry_points(group="console_scripts", name="career-fit")
    assert script.value == "analytics.cli:run"  # what the installed career-fit runs
