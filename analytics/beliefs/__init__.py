"""The belief model: evidence fit, per-criterion beliefs, the fit with its band, and the chance of being best.

The only scoring code of Career Fit. :func:`rank` is what ``career-fit rank``, the Career fit page and the
export show; :func:`assess` also returns the beliefs behind it (investigate-next and the sensitivity use
them, so the page's fit, band and priority can never disagree).
"""

from .ranking import BAND_Z, Assessment, CareerScore, Standing, assess, rank
from .sensitivity import Sensitivity, sensitivity

__all__ = ["BAND_Z", "Assessment", "CareerScore", "Sensitivity", "Standing", "assess", "rank", "sensitivity"]
