"""The package works anywhere: every import declared, the data inside the wheel, and the deploy paths.

Two ways out of the repository are checked for real in the slow tests (``make test-slow``, run by CI):

- a wheel built from the repository, installed (without ``-e``) into a fresh virtual environment, runs
  ``career-fit demo``, ``rank`` and ``onet search`` from a folder outside the checkout, on the per-user data file;
- Streamlit Community Cloud's path: ``pip install -r requirements.txt`` into a fresh environment, then every
  page of ``app.py`` runs under ``AppTest`` with only the declared dependencies installed.

The fresh environment installs from the package index (pip's cache makes this quicker after the first run).
Set ``CAREER_FIT_WHEELHOUSE`` to a folder of wheels to install with ``--no-index --find-links`` instead.
"""

from __future__ import annotations

import ast
import csv
import importlib.metadata
import json
import os
import re
import subprocess
import sys
import tomllib
import venv
import warnings
import zipfile
from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path

import pytest

import analytics

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
APP_SOURCES = [ROOT / "app.py", *sorted((ROOT / "analytics").rglob("*.py")), *sorted((ROOT / "pages").rglob("*.py"))]
SUPPORT_SOURCES = [
    path for folder in ("tests", "benchmarks", "scripts") for path in sorted((ROOT / folder).rglob("*.py"))
]
DEMO_TABLES = ("criteria", "careers", "contacts", "interviews", "ratings")
WHEELHOUSE_ENV = "CAREER_FIT_WHEELHOUSE"


def normalized(name: str) -> str:
    """A distribution name as PEP 503 compares them."""
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_names(requirements: list[str]) -> set[str]:
    return {normalized(re.match(r"[A-Za-z0-9._-]+", requirement).group(0)) for requirement in requirements}


def local_module_names() -> set[str]:
    """Names the repository itself provides: its packages, modules and the test helpers imported by name."""
    names = {"analytics", "pages", "app", "tests"}
    for path in ROOT.rglob("*.py"):
        if ".venv" not in path.parts and "build" not in path.parts:
            names.add(path.stem)
    return names


def third_party_imports(sources: list[Path]) -> dict[str, Path]:
    """Every top-level module imported by ``sources`` that is neither standard library nor the repository's."""
    local = local_module_names()
    found: dict[str, Path] = {}
    for path in sources:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            else:
                continue
            for module in modules:
                top = module.split(".")[0]
                if top not in sys.stdlib_module_names and top not in local:
                    found.setdefault(top, path)
    return found


def distributions_of(imports: dict[str, Path]) -> dict[str, str]:
    """The installed distribution that provides each imported module (its name normalized)."""
    providers = importlib.metadata.packages_distributions()
    missing = sorted(module for module in imports if module not in providers)
    assert not missing, f"imported but not installed: {missing}"
    return {module: normalized(providers[module][0]) for module in imports}


def test_every_import_of_the_app_and_engine_is_a_declared_dependency() -> None:
    declared = requirement_names(PYPROJECT["project"]["dependencies"])
    imports = third_party_imports(APP_SOURCES)
    used = distributions_of(imports)
    undeclared = {
        module: (dist, str(imports[module].relative_to(ROOT))) for module, dist in used.items() if dist not in declared
    }
    assert not undeclared, f"imported by the app or engine but not in [project] dependencies: {undeclared}"
    assert set(used.values()) <= declared


def test_every_runtime_dependency_is_imported_and_test_only_ones_sit_in_the_dev_extra() -> None:
    """A dependency nothing imports is dead weight for every user; ``openpyxl`` (only tests read with it) is dev."""
    declared = requirement_names(PYPROJECT["project"]["dependencies"])
    used = set(distributions_of(third_party_imports(APP_SOURCES)).values())
    assert declared - used == set(), f"declared but never imported by analytics/, pages/ or app.py: {declared - used}"
    dev = requirement_names(PYPROJECT["project"]["optional-dependencies"]["dev"])
    support = set(distributions_of(third_party_imports(SUPPORT_SOURCES)).values())
    assert support - declared - dev == set(), f"imported by tests, benchmarks or scripts but not declared: {support}"
    assert "openpyxl" in dev and "openpyxl" not in declared


def test_the_version_is_one_constant_that_the_package_metadata_carries() -> None:
    assert PYPROJECT["project"]["dynamic"] == ["version"]
    assert PYPROJECT["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "analytics.__version__"}
    assert importlib.metadata.version("career-fit") == analytics.__version__


def test_analytics_is_a_regular_package_whose_demo_data_is_package_data() -> None:
    """A namespace package would merge with any other ``analytics`` folder on the path."""
    assert analytics.__file__ is not None and Path(analytics.__file__).name == "__init__.py"
    demo = files("analytics") / "data" / "demo"
    assert sorted(entry.name for entry in demo.iterdir() if entry.name.endswith(".csv")) == sorted(
        f"{table}.csv" for table in DEMO_TABLES
    )
    assert "data/**/*" in PYPROJECT["tool"]["setuptools"]["package-data"]["analytics"]


def test_streamlit_is_pinned_to_the_minor_version_the_tests_run_on() -> None:
    [pin] = [spec for spec in PYPROJECT["project"]["dependencies"] if normalized(spec).startswith("streamlit")]
    major, minor = (int(part) for part in importlib.metadata.version("streamlit").split(".")[:2])
    assert pin == f"streamlit>={major}.{minor},<{major}.{minor + 1}"


def test_the_legacy_pages_guard_warns_when_streamlit_no_longer_has_what_it_switches(monkeypatch) -> None:
    """If a Streamlit upgrade drops the switch, the app says so instead of silently running pages on their own."""
    from streamlit.runtime.pages_manager import PagesManager

    import pages

    monkeypatch.delattr(PagesManager, "uses_pages_directory")
    with pytest.warns(RuntimeWarning, match="uses_pages_directory"):
        pages._leave_legacy_pages_mode()


def test_the_legacy_pages_guard_is_silent_on_the_pinned_streamlit(monkeypatch) -> None:
    from streamlit.runtime.pages_manager import PagesManager

    import pages

    monkeypatch.setattr(PagesManager, "uses_pages_directory", True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pages._leave_legacy_pages_mode()  # outside a script run: switches the legacy mode off, nothing else
    assert PagesManager.uses_pages_directory is False


def test_streamlit_config_bounds_uploads() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert 1 <= config["server"]["maxUploadSize"] <= 200


# -- the slow part: a real wheel, a fresh environment ---------------------------------------------------------


def run(command: list[str], *, cwd: Path, env: dict[str, str] | None = None, timeout: int = 300) -> str:
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"{' '.join(command)} failed ({result.returncode}):\n{result.stderr[-3000:]}"
    return result.stdout


def install_sources() -> list[str]:
    wheelhouse = os.environ.get(WHEELHOUSE_ENV, "").strip()
    return ["--no-index", "--find-links", wheelhouse] if wheelhouse else []


def clean_env(**extra: str) -> dict[str, str]:
    """The environment of a user's shell: nothing pointing back at this checkout or its store."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"PYTHONPATH", "VIRTUAL_ENV", "CAREER_FIT_DB", "CAREER_FIT_STORAGE"}
    }
    return {**env, **extra}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(out), str(ROOT)],
        cwd=out,
        timeout=600,
    )
    [built] = out.glob("career_fit-*.whl")
    return built


@pytest.fixture(scope="module")
def fresh_python(tmp_path_factory: pytest.TempPathFactory, wheel: Path) -> Iterator[Path]:
    """A new virtual environment with the wheel (not the checkout) and its dependencies installed."""
    env_dir = tmp_path_factory.mktemp("fresh") / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / ("Scripts" if os.name == "nt" else "bin") / "python"
    run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *install_sources(), str(wheel)],
        cwd=env_dir,
        env=clean_env(),
        timeout=900,
    )
    yield python


@pytest.mark.slow
def test_the_wheel_carries_the_engine_its_data_and_its_types_but_not_the_app(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    data_files = {
        path.relative_to(ROOT).as_posix() for path in (ROOT / "analytics" / "data").rglob("*") if path.is_file()
    }
    assert {f"analytics/data/demo/{table}.csv" for table in DEMO_TABLES} <= data_files
    assert data_files - names == set(), "package data missing from the wheel"
    assert "analytics/__init__.py" in names and "analytics/py.typed" in names
    assert "analytics/beliefs/__init__.py" in names  # sub-packages too
    assert not [name for name in names if name.startswith(("tests/", "pages/", "benchmarks/", "scripts/"))]
    assert f"-{analytics.__version__}-" in wheel.name


@pytest.mark.slow
def test_the_installed_wheel_runs_demo_rank_and_onet_search_from_any_folder(fresh_python: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    data_home = tmp_path / "data-home"
    env = clean_env(XDG_DATA_HOME=str(data_home), APPDATA=str(data_home))
    where = run([str(fresh_python), "-c", "import analytics; print(analytics.__file__)"], cwd=elsewhere, env=env)
    assert Path(where.strip()).is_relative_to(fresh_python.parent.parent), "imported the checkout, not the wheel"

    cli = fresh_python.parent / ("career-fit.exe" if os.name == "nt" else "career-fit")
    run([str(cli), "demo"], cwd=elsewhere, env=env)
    if sys.platform.startswith("linux"):  # the per-user data file, where platformdirs puts it
        assert (data_home / "career-fit" / "career-fit.duckdb").exists()
    ranking = json.loads(run([str(cli), "rank", "--json"], cwd=elsewhere, env=env))
    with (ROOT / "analytics" / "data" / "demo" / "careers.csv").open(encoding="utf-8", newline="") as handle:
        demo_careers = {row["career"] for row in csv.DictReader(handle)}
    assert {entry["career"] for entry in ranking} == demo_careers
    fits = [entry["fit"] for entry in ranking if entry["fit"] is not None]
    assert fits == sorted(fits, reverse=True) and fits
    table = run([str(cli), "rank"], cwd=elsewhere, env=env)
    assert ranking[0]["career"] in table.splitlines()[2]
    found = json.loads(run([str(cli), "onet", "search", "nurse", "--json"], cwd=elsewhere, env=env))
    assert found and all("nurse" in json.dumps(entry).lower() for entry in found)  # the packaged O*NET data


@pytest.mark.slow
def test_community_cloud_requirements_install_and_every_page_runs(fresh_python: Path, tmp_path: Path) -> None:
    """What Community Cloud does: install ``requirements.txt``, then run ``app.py`` (here: each page, AppTest)."""
    run(
        [
            str(fresh_python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            *install_sources(),
            "-r",
            "requirements.txt",
        ],
        cwd=ROOT,
        env=clean_env(),
        timeout=900,
    )
    pages = re.findall(r'st\.Page\("(pages/[a-z_]+\.py)"', (ROOT / "app.py").read_text())
    assert len(pages) >= 6
    script = (
        "import sys\n"
        "from streamlit.testing.v1 import AppTest\n"
        "for page in sys.argv[1:]:\n"
        "    at = AppTest.from_file('app.py', default_timeout=120)\n"
        "    at.switch_page(page)\n"
        "    at.run()\n"
        "    assert not at.exception, (page, [e.value for e in at.exception])\n"
        "    print('ran', page)\n"
    )
    env = clean_env(CAREER_FIT_DB=str(tmp_path / "cloud.duckdb"))
    out = run([str(fresh_python), "-c", script, *pages], cwd=ROOT, env=env, timeout=600)
    assert out.count("ran ") == len(pages)
