"""Career Fit's engine: store, scoring, import and export, usable from Python and the ``career-fit`` command.

It never imports Streamlit; the app (``app.py`` and ``pages/``) draws on top of it. Importing the package
itself is cheap: each module is imported where it is used, so the app's first page and the CLI's quick
commands do not pay for pandas, plotly or scikit-learn.
"""

from __future__ import annotations

__version__ = "0.1.0"
"""The one version number; ``pyproject.toml`` reads it from here (``[tool.setuptools.dynamic]``)."""
