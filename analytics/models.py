"""Plain records passed between the store, the scoring and the pages.

They are frozen dataclasses rather than DataFrames so the command line can score a career centre's
store without paying for a pandas import. The domain's fixed words (dimensions, stages...) live in
:mod:`analytics.vocabulary` and are re-exported here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from .vocabulary import CONTACT_FIELDS, DIMENSIONS, HOW_FOUND, INTERVIEW_TEXT_FIELDS, SOURCES, STAGES

__all__ = [
    "CONTACT_FIELDS",
    "DIMENSIONS",
    "HOW_FOUND",
    "INTERVIEW_TEXT_FIELDS",
    "SOURCES",
    "STAGES",
    "Career",
    "Contact",
    "Criterion",
    "Interview",
    "RatingAggregate",
]


@dataclass(frozen=True)
class Criterion:
    id: int
    name: str
    dimension: str | None  # None: unassigned, counted in no dimension until the user picks one
    weight: float
    description: str = ""
    position: int = 0
    onet_element: str | None = None  # the O*NET element id it stands for (e.g. "1.B.1.b"), or None


@dataclass(frozen=True)
class Career:
    id: int
    name: str
    notes: str = ""
    onet_code: str | None = None  # the O*NET-SOC occupation it is linked to (e.g. "15-1255.00"), or None


@dataclass(frozen=True)
class Contact:
    id: int
    name: str
    role: str = ""
    organisation: str = ""
    how_found: str = ""
    introduced_by: str = ""
    email: str = ""
    notes: str = ""


@dataclass(frozen=True)
class Interview:
    id: int
    career_id: int
    career: str
    interviewee: str
    held_on: date | None
    stage: str
    notes: str = ""
    contact_id: int | None = None
    goals: str = ""
    questions: str = ""
    identified_on: date | None = None
    requested_on: date | None = None
    scheduled_for: datetime | None = None
    completed_on: date | None = None
    thanked_on: date | None = None
    declined_on: date | None = None
    researched_org: bool = False
    researched_person: bool = False
    questions_prepared: bool = False
    homework_notes: str = ""
    ratings: int = 0


@dataclass(frozen=True)
class RatingAggregate:
    """Sum and sum of squares of one career's ratings on one criterion from one source.

    Sums are computed exactly (ratings are stored as DECIMAL) and only then turned into floats, so the
    scores are the same whatever order the rows were written in.
    """

    career_id: int
    criterion_id: int
    source: str
    count: int
    total: float
    total_squares: float

    @property
    def mean(self) -> float:
        return self.total / self.count

    @property
    def sample_variance(self) -> float:
        """Spread of the ratings across interviews; 0 with a single rating."""
        if self.count < 2:
            return 0.0
        return max(0.0, (self.total_squares - self.total * self.total / self.count) / (self.count - 1))
