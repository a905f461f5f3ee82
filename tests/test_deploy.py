"""The repository deploys to Streamlit Community Cloud as it is.

Community Cloud installs ``requirements.txt`` into a fresh environment and runs ``app.py``; this test
does the same in a new virtual environment, so a dependency missing from the packaging fails here first.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_streamlit_config_bounds_uploads() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert 1 <= config["server"]["maxUploadSize"] <= 200


@pytest.mark.slow
def test_requirements_install_into_a_fresh_environment_and_the_app_imports(tmp_path) -> None:
    env_dir = tmp_path / "cloud-venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / ("Scripts" if os.name == "nt" else "bin") / "python"
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", "requirements.txt"],
        cwd=ROOT, capture_output=True, text=True, timeout=900,
    )
    assert install.returncode == 0, install.stderr[-2000:]
    check = subprocess.run(
        [str(python), "-c", "import streamlit, duckdb, pandas, plotly, sklearn, openpyxl, python_calamine;"
         " import analytics.cli, analytics.scoring, analytics.store; print('ok')"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
    )
    assert check.stdout.strip() == "ok", check.stderr[-2000:]
    cli = subprocess.run([str(python), "-m", "analytics.cli", "--help"], cwd=tmp_path, capture_output=True,
                         text=True, timeout=120)
    assert cli.returncode == 0 and "rank" in cli.stdout
    assert sys.version_info >= (3, 11)
