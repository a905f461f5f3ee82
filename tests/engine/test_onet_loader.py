"""The O*NET loader: text files read by header name into the packaged form, and the packaged data itself."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from analytics.errors import InvalidInputError
from analytics.onet.build import build, version_from_folder
from analytics.onet.data import OnetData, packaged
from tests.support.onet_fixtures import write_release


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object]]:
    folder = tmp_path_factory.mktemp("db_30_1_text")
    return folder, write_release(folder)


@pytest.fixture(scope="module")
def built(release: tuple[Path, dict[str, object]], tmp_path_factory: pytest.TempPathFactory) -> OnetData:
    folder, _facts = release
    target = tmp_path_factory.mktemp("packaged")
    build(folder, target, "30.1", k_range=range(2, 6))
    return OnetData(target)


def test_reordered_and_extra_columns_are_read_by_name(built: OnetData, release) -> None:
    _folder, facts = release
    assert built.version == "30.1"
    assert len(built.occupations) == facts["occupations"]
    first = built.occupations[facts["first_code"]]
    assert first.title == "Genetic Counselors"
    assert first.job_zone == 5
    values = built.occupation_values(facts["first_code"])
    assert values[("1.B.1.b", "OI")] == (pytest.approx(facts["first_investigative"]), None)
    assert values[("2.A.1.e", "IM")] == (pytest.approx(facts["first_mathematics_im"]), pytest.approx(0.12))
    assert ("2.A.1.e", "LV") in values  # skills keep their level
    assert ("2.C.4.a", "IM") in values and ("2.C.4.a", "LV") not in values  # knowledge: importance only
    assert not any(scale in ("IH", "VH") for _element, scale in values)  # high-point codes are not ratings
    assert built.description(facts["first_code"]) == "Does the work of genetic counselors."


def test_elements_scales_and_reference_tables(built: OnetData, release) -> None:
    _folder, facts = release
    kinds = {element.id: (element.name, element.kind, element.scale) for element in built.elements.values()}
    assert kinds["1.B.1.b"] == ("Investigative", "interest", "OI")
    assert kinds["1.B.2.f"] == ("Independence", "value", "EX")
    assert kinds["2.A.1.e"] == ("Mathematics", "skill", "IM")
    assert kinds["2.C.4.a"] == ("Mathematics", "knowledge", "IM")
    assert "1.B.2.b.2" not in kinds  # a sub-value O*NET rates no occupation on is not linkable
    assert (built.scales["LV"].minimum, built.scales["LV"].maximum) == (0, 7)
    assert sorted(built.job_zones) == [1, 2, 3, 4, 5]
    assert sum(len(v) for v in built.related.values()) == facts["related"]
    kinds_of_titles = {kind for _code, _title, kind in built.titles}
    assert kinds_of_titles == {"alternate", "short", "reported_common"}
    assert len([a for a in built.activities if a.kind == "General"]) == 24
    assert any(a.element_name == "Mechanics/Electronics" for a in built.activities)


def test_families_are_built_and_shipped(built: OnetData) -> None:
    families = built.families
    assert 2 <= len(families) <= 5
    assigned = [o for o in built.occupations.values() if o.family_id is not None]
    assert len(assigned) == 30
    assert sum(profile.size for profile in families.values()) == 30
    groups: dict[str, set[int]] = {}
    for occupation in assigned:
        group = (
            "scientist"
            if occupation.code.startswith("19")
            else "carer"
            if occupation.code.startswith("29")
            else "driver"
        )
        groups.setdefault(group, set()).add(occupation.family_id)
    assert all(len(ids) == 1 for ids in groups.values())  # the three clear groups are never split
    assert len({next(iter(ids)) for ids in groups.values()}) == 3
    assert all(o.x is not None and o.y is not None for o in assigned)
    assert len(built.features) == 6 + 6 + 5


def test_missing_column_names_the_file_and_column(release, tmp_path: Path) -> None:
    folder, _facts = release
    broken = tmp_path / "broken"
    broken.mkdir()
    for path in folder.iterdir():
        (broken / path.name).write_bytes(path.read_bytes())
    skills = broken / "Skills.txt"
    skills.write_text(skills.read_text().replace("Data Value", "Value", 1))
    with pytest.raises(InvalidInputError) as error:
        build(broken, tmp_path / "out", "30.1", k_range=range(2, 4))
    assert error.value.problems == ["Skills.txt: no column 'Data Value'"]


def test_text_in_a_number_column_is_refused(release, tmp_path: Path) -> None:
    folder, _facts = release
    broken = tmp_path / "broken"
    broken.mkdir()
    for path in folder.iterdir():
        (broken / path.name).write_bytes(path.read_bytes())
    interests = broken / "Interests.txt"
    lines = interests.read_text().splitlines()
    cells = lines[1].split("\t")
    cells[2] = "high"  # Data Value is the third column of the fixture's Interests.txt
    interests.write_text("\n".join([lines[0], "\t".join(cells), *lines[2:]]) + "\n")
    with pytest.raises(InvalidInputError) as error:
        build(broken, tmp_path / "out", "30.1", k_range=range(2, 4))
    assert error.value.problems == ["Interests.txt, column 'Data Value': 'high' is not a number (1 rows)"]


def test_missing_file_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError) as error:
        build(tmp_path, tmp_path / "out", "30.1")
    assert error.value.problems == [f"Occupation Data.txt: file not found in {tmp_path}"]


def test_version_comes_from_the_folder_name() -> None:
    assert version_from_folder(Path("db_29_3_text")) == "29.3"
    assert version_from_folder(Path("29.3")) == "29.3"
    assert version_from_folder(Path("onet")) is None


def test_build_script_runs_on_a_release(release, tmp_path: Path) -> None:
    folder, facts = release
    done = _run_script(str(folder), "--out", str(tmp_path / "out"), "--families", "2-5")
    assert done.returncode == 0, done.stderr
    assert "occupations       30 rows" in done.stdout
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["version"] == "30.1"  # from the folder's name, db_30_1_text
    assert manifest["rows"]["occupations"] == facts["occupations"]


def test_build_script_refuses_bad_files_in_one_line(release, tmp_path: Path) -> None:
    folder, _facts = release
    done = _run_script(str(tmp_path), "--version", "30.1", "--out", str(tmp_path / "out"))
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [f"Occupation Data.txt: file not found in {tmp_path}"]
    done = _run_script(str(tmp_path), "--out", str(tmp_path / "out"))
    assert done.returncode == 2 and "give --version" in done.stderr
    del folder


def _run_script(*args: str) -> subprocess.CompletedProcess[str]:
    script = Path(__file__).resolve().parents[2] / "scripts" / "build_onet.py"
    return subprocess.run(
        [sys.executable, str(script), *args], capture_output=True, text=True, timeout=300, check=False
    )


def test_packaged_data_is_inside_the_package_and_small() -> None:
    data = packaged()
    assert data.folder.parts[-3:] == ("analytics", "data", "onet")
    assert data.version == "29.3"
    assert len(data.occupations) == 1016
    assert sum(1 for o in data.occupations.values() if o.family_id is not None) == 873
    size = sum(path.stat().st_size for path in data.folder.iterdir())
    assert size < 3_000_000
    manifest = json.loads((data.folder / "manifest.json").read_text())
    assert manifest["rows"]["occupations"] == 1016
    assert 10 <= manifest["families"]["k"] <= 16
