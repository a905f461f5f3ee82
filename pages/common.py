"""The page helpers under their former names, for the modules that still import them from here.

Everything lives in :mod:`pages.support` (session, feedback, text, cache, widgets); this module only
re-exports it, so ``app.py`` and the pages not yet moved to ``pages.support`` keep working unchanged.
"""

from __future__ import annotations

from pages.support.cache import assessment, ranking
from pages.support.feedback import LOG, callback_action, flash, run_action, run_page, show_flashes, user_action
from pages.support.session import (
    STORE_KEY,
    _first_run,
    configured_path,
    get_store,
    is_session_store,
    open_app_store,
    session_panel,
    storage_label,
    storage_mode,
)
from pages.support.text import (
    DIMENSION_LABELS,
    RATING_SCALE,
    UNASSIGNED_LABEL,
    band_text,
    by_dimension,
    chance_text,
    interview_label,
    md,
    plotly_text,
    score_text,
)
from pages.support.widgets import (
    PAGE_CAREER_FIT,
    PAGE_DATA,
    PAGE_EXPLORE,
    PAGE_INTERVIEWS,
    PAGE_OVERVIEW,
    PAGE_PROFILE,
    page_links,
)

__all__ = [
    "DIMENSION_LABELS",
    "LOG",
    "PAGE_CAREER_FIT",
    "PAGE_DATA",
    "PAGE_EXPLORE",
    "PAGE_INTERVIEWS",
    "PAGE_OVERVIEW",
    "PAGE_PROFILE",
    "RATING_SCALE",
    "STORE_KEY",
    "UNASSIGNED_LABEL",
    "_first_run",
    "assessment",
    "band_text",
    "by_dimension",
    "callback_action",
    "chance_text",
    "configured_path",
    "flash",
    "get_store",
    "interview_label",
    "is_session_store",
    "md",
    "open_app_store",
    "page_links",
    "plotly_text",
    "ranking",
    "run_action",
    "run_page",
    "score_text",
    "session_panel",
    "show_flashes",
    "storage_label",
    "storage_mode",
    "user_action",
]
