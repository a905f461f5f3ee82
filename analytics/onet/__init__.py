"""The world of work from O*NET: occupations to search, link and discover, career families, and priors.

The public names below are what the rest of Career Fit uses (the belief model, the command line and the
pages). Importing this package reads only the small manifest of the packaged data; tables are read on
first use, and scikit-learn is never imported here (families are computed by ``scripts/build_onet.py``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .data import Family, packaged
from .families import career_family

if TYPE_CHECKING:
    from .view import OnetValue, career_view, occupation_title, onet_fit

# The view draws on the belief model (and numpy): it loads on first use, so that importing a workbook
# that names O*NET codes or elements does not pay for it.
_FROM_VIEW = frozenset({"OnetValue", "career_view", "occupation_title", "onet_fit"})


def __getattr__(name: str) -> Any:
    if name in _FROM_VIEW:
        from . import view

        return getattr(view, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


ONET_VERSION: str = packaged().version

ATTRIBUTION: str = (
    f"This site includes information from the O*NET {ONET_VERSION} Database by the U.S. Department of Labor, "
    "Employment and Training Administration (USDOL/ETA). Used under the CC BY 4.0 license. O*NET® is a "
    "trademark of USDOL/ETA. Career Fit has modified all or some of this information. USDOL/ETA has not "
    "approved, endorsed, or tested these modifications."
)

__all__ = [
    "ATTRIBUTION",
    "ONET_VERSION",
    "Family",
    "OnetValue",
    "career_family",
    "career_view",
    "occupation_title",
    "onet_fit",
]
