"""The README stays true: every command and every JSON field it promises exists, and its example output is what
the demo prints (in the spirit of sqlite-utils' and datasette's documentation tests)."""

from __future__ import annotations

import re
from pathlib import Path

from analytics.beliefs import rank
from analytics.cli import main
from analytics.demo import load_demo
from analytics.store import Store

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
COMMANDS = ("import", "rank", "next", "reminders", "export", "demo", "onet search", "link", "discover")


def test_every_command_is_documented_with_its_usage() -> None:
    for command in COMMANDS:
        assert f"career-fit [--db PATH] {command}" in README, command


def test_every_rank_json_field_is_documented() -> None:
    with Store() as store:
        load_demo(store)
        fields = list(rank(store)[0].as_json())
    for field in fields:
        assert f"`{field}`" in README, field


def test_the_readme_rank_example_is_what_the_demo_prints(tmp_path, capsys) -> None:
    db = str(tmp_path / "demo.duckdb")
    assert main(["--db", db, "demo"]) == 0
    capsys.readouterr()
    assert main(["--db", db, "rank"]) == 0
    printed = capsys.readouterr().out.splitlines()
    example = README.split("$ career-fit rank\n", 1)[1].split("```", 1)[0].splitlines()
    shown = [line for line in example if line and line != "..."]
    assert shown[:5] == printed[:5]  # the header, the rule and the first three careers
    assert shown[-1] == printed[-1]  # the sentence on what would change the top pick
    assert re.match(r"1\s+Clinical Psychologist", printed[2])
