"""The O*NET commands through the real console script: onet search, link, discover."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest

from analytics.onet import ATTRIBUTION
from analytics.store import Store
from tests.engine.test_cli import run_cli


@pytest.fixture
def research_db(tmp_path: Path) -> str:
    """A store whose profile weights Investigative, Mathematics, Science and Independence (others 0)."""
    path = str(tmp_path / "store.duckdb")
    with Store(path) as store:
        weights = {"Investigative": 5, "Independence": 5}
        store.save_criteria(
            [
                {
                    "id": c.id,
                    "name": c.name,
                    "dimension": c.dimension,
                    "weight": weights.get(c.name, 0),
                    "description": c.description,
                }
                for c in store.criteria()
            ]
            + [
                {"name": "Mathematics", "dimension": "skill", "weight": 5},
                {"name": "Science", "dimension": "skill", "weight": 5},
            ]
        )
        added = {c.name: c.id for c in store.criteria()}
        store.link_criteria({added["Mathematics"]: "2.A.1.e", added["Science"]: "2.A.1.f"})
    return path


def test_onet_search_json_shape_and_order() -> None:
    done = run_cli("onet", "search", "UX researcher", "--json", "--limit", "3")
    assert done.returncode == 0, done.stderr
    hits = json.loads(done.stdout)
    assert hits[0] == {"code": "15-1255.00", "title": "Web and Digital Interface Designers", "matched": "UX Researcher"}
    assert len(hits) == 3 and all(set(hit) == {"code", "title", "matched"} for hit in hits)
    done = run_cli("onet", "search", "product manager", "--limit", "2")
    assert done.returncode == 0 and done.stdout.splitlines()[2].startswith("11-2021.00  Marketing Managers")


def test_onet_search_needs_no_store(tmp_path: Path) -> None:
    done = run_cli("--db", str(tmp_path / "never.duckdb"), "onet", "search", "nurse", "--json")
    assert done.returncode == 0 and json.loads(done.stdout)
    assert not (tmp_path / "never.duckdb").exists()


def test_link_adds_and_links_a_career(tmp_path: Path) -> None:
    db = str(tmp_path / "store.duckdb")
    done = run_cli("--db", db, "link", "Nursing", "29-1141.00")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "linked Nursing (added to your list) to 29-1141.00 Registered Nurses\n"
    done = run_cli("--db", db, "link", "nursing", "29-1141.01")
    assert done.stdout == "linked nursing to 29-1141.01 Acute Care Nurses\n"
    with Store(db) as store:
        assert [(c.name, c.onet_code) for c in store.careers()] == [("Nursing", "29-1141.01")]


@pytest.mark.parametrize("code", ["99-9999.99", "nurse", " "])
def test_link_refuses_an_unknown_code_in_one_line(tmp_path: Path, code: str) -> None:
    db = str(tmp_path / "store.duckdb")
    done = run_cli("--db", db, "link", "Nursing", code)
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
    assert "O*NET" in done.stderr
    with Store(db) as store:
        assert store.careers() == []  # nothing written


def test_discover_json_puts_research_first(research_db: str) -> None:
    run_cli("--db", research_db, "link", "Physics", "19-2012.00")
    done = run_cli("--db", research_db, "discover", "--json", "--limit", "25")
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert len(found) == 25
    assert set(found[0]) == {"code", "title", "fit", "job_zone", "family", "reasons", "related", "on_list"}
    assert found[0]["code"].startswith(("19-", "15-2"))
    assert not [d for d in found if d["code"][:2] in {"35", "37", "39", "41", "43", "53"}]
    assert [d["fit"] for d in found] == sorted((d["fit"] for d in found), reverse=True)
    physics = next(d for d in found if d["code"] == "19-2012.00")
    assert physics["on_list"] is True
    assert any("Physics" in d["related"] for d in found)


def test_discover_filters_by_zone_and_family(research_db: str) -> None:
    zone = json.loads(run_cli("--db", research_db, "discover", "--json", "--zone", "2", "--limit", "30").stdout)
    assert zone and {d["job_zone"] for d in zone} == {2}
    family = zone[0]["family"]
    same = json.loads(run_cli("--db", research_db, "discover", "--json", "--family", family).stdout)
    assert same and {d["family"] for d in same} == {family}
    done = run_cli("--db", research_db, "discover", "--zone", "7")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    done = run_cli("--db", research_db, "discover", "--family", "Astrology")
    assert done.returncode == 2 and done.stderr.startswith("no family 'Astrology'")


def test_discover_text_ends_with_the_attribution(research_db: str) -> None:
    done = run_cli("--db", research_db, "discover", "--limit", "3")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert lines[0].startswith("1. ") and "fit " in lines[0] and "job zone" in lines[0]
    assert lines[1].startswith("   - high ")
    assert lines[-1].endswith(ATTRIBUTION)


def test_new_stores_come_with_linked_defaults(tmp_path: Path) -> None:
    with Store(str(tmp_path / "s.duckdb")) as store:
        links = {c.name: c.onet_element for c in store.criteria()}
    assert links["Investigative"] == "1.B.1.b" and links["Independence"] == "1.B.2.f"
    assert links["Data analysis"] == "2.A.1.e" and links["Teamwork"] == "2.B.1.b"
    assert all(links.values())


def test_the_readme_onet_example_is_what_the_demo_prints(tmp_path: Path) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    example = readme.split("$ career-fit demo > /dev/null\n", 1)[1].split("```", 1)[0]
    db = str(tmp_path / "demo.duckdb")
    assert run_cli("--db", db, "demo").returncode == 0
    for command, shown in re.findall(r"\$ career-fit (.+)\n((?:(?!\$ ).*\n)*)", example):
        done = run_cli("--db", db, *shlex.split(command))
        assert done.returncode == 0, done.stderr
        expected = [line for line in shown.splitlines() if line != "..." and not line.endswith("by ...")]
        assert done.stdout.splitlines()[: len(expected)] == expected, command
