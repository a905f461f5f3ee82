"""Every read of the store: records built by column name, the rating summaries, counts and settings.

Reads never write. Each takes its own cursor, and goes through the query helpers of
:mod:`analytics.db.connection`, which name every value by its column.
"""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING, Any

import duckdb

from ..profile_defaults import DEFAULT_DIMENSION_WEIGHTS
from ..vocabulary import DIMENSIONS
from .connection import Database, mapping, one, record, records, rows, tuples, value

if TYPE_CHECKING:  # (the record types load with the first read that builds one: an import builds none)
    from ..models import Career, Contact, Criterion, Interview, RatingAggregate

_INTERVIEWS = (
    "SELECT i.id, i.career_id, c.name AS career, i.interviewee, i.held_on, i.stage, i.notes, i.contact_id,"
    " i.goals, i.questions, i.identified_on, i.requested_on, i.scheduled_for, i.completed_on, i.thanked_on,"
    " i.declined_on, i.researched_org, i.researched_person, i.questions_prepared, i.homework_notes,"
    " (SELECT count(*) FROM ratings r WHERE r.interview_id = i.id AND r.source = 'interview') AS ratings"
    " FROM interviews i JOIN careers c ON c.id = i.career_id"
)
_RATING_TOTALS = (
    "SELECT career_id, criterion_id, source, n AS count, total, total_squares"
    " FROM rating_totals ORDER BY career_id, criterion_id, source"
)


def read_setting(cur: duckdb.DuckDBPyConnection, key: str, default: Any = None) -> Any:
    """A setting's stored value (JSON), or ``default``."""
    stored = value(cur, "SELECT value FROM settings WHERE key = ?", [key])
    return default if stored is None else json.loads(stored)


def read_dimension_weights(cur: duckdb.DuckDBPyConnection) -> dict[str, float]:
    """The weight of each dimension: the stored one, else the default."""
    stored = read_setting(cur, "dimension_weights", {}) or {}
    return {d: float(stored.get(d, DEFAULT_DIMENSION_WEIGHTS[d])) for d in DIMENSIONS}


class Reads(Database):
    """The store's read methods."""

    # -- settings ----------------------------------------------------------------------------------

    def get_setting(self, key: str, default: Any = None) -> Any:
        with self.cursor() as cur:
            return read_setting(cur, key, default)

    def dimension_weights(self) -> dict[str, float]:
        with self.cursor() as cur:
            return read_dimension_weights(cur)

    # -- records -----------------------------------------------------------------------------------

    def criteria(self) -> list[Criterion]:
        from ..models import Criterion

        with self.cursor() as cur:
            return records(
                cur,
                Criterion,
                "SELECT id, name, dimension, weight, description, position, onet_element FROM criteria"
                " ORDER BY position, id",
            )

    def careers(self) -> list[Career]:
        from ..models import Career

        with self.cursor() as cur:
            return records(cur, Career, "SELECT id, name, notes, onet_code FROM careers ORDER BY name_key, id")

    def contacts(self) -> list[Contact]:
        from ..models import Contact

        with self.cursor() as cur:
            return records(
                cur,
                Contact,
                "SELECT id, name, role, organisation, how_found, introduced_by, email, notes"
                " FROM contacts ORDER BY name_key, id",
            )

    def interviews(self, career_id: int | None = None) -> list[Interview]:
        from ..models import Interview

        sql = _INTERVIEWS
        params: list[Any] = []
        if career_id is not None:
            sql += " WHERE i.career_id = ?"
            params.append(career_id)
        sql += " ORDER BY i.held_on DESC NULLS LAST, c.name_key, i.interviewee_key, i.id"
        with self.cursor() as cur:
            return records(cur, Interview, sql, params)

    def interview(self, interview_id: int) -> Interview | None:
        from ..models import Interview

        with self.cursor() as cur:
            return record(cur, Interview, f"{_INTERVIEWS} WHERE i.id = ?", [interview_id])

    def interview_ratings(self, interview_id: int) -> dict[int, float]:
        """Criterion id -> rating (1-5) of one interview."""
        with self.cursor() as cur:
            return mapping(
                cur,
                "SELECT criterion_id, CAST(value AS DOUBLE) FROM ratings"
                " WHERE interview_id = ? AND source = 'interview'",
                [interview_id],
            )

    def expectations(self, career_id: int) -> dict[int, float]:
        """Criterion id -> the user's own prior rating (1-5) of a career."""
        with self.cursor() as cur:
            return mapping(
                cur,
                "SELECT criterion_id, CAST(value AS DOUBLE) FROM ratings"
                " WHERE career_id = ? AND source = 'expectation'",
                [career_id],
            )

    def career_ratings(self, career_id: int) -> list[tuple[int, str, date | None, int, float]]:
        """Every interview rating of one career: (interview id, interviewee, date, criterion id, rating)."""
        with self.cursor() as cur:
            return [
                (r["interview_id"], r["interviewee"], r["held_on"], r["criterion_id"], r["rating"])
                for r in rows(
                    cur,
                    "SELECT i.id AS interview_id, i.interviewee, i.held_on, r.criterion_id,"
                    " CAST(r.value AS DOUBLE) AS rating"
                    " FROM ratings r JOIN interviews i ON i.id = r.interview_id"
                    " WHERE r.career_id = ? AND r.source = 'interview'"
                    " ORDER BY i.held_on NULLS LAST, i.interviewee_key, r.criterion_id",
                    [career_id],
                )
            ]

    # -- the rating summaries ----------------------------------------------------------------------

    def rating_aggregates(self) -> list[RatingAggregate]:
        """Per career, criterion and source: count, exact sum and sum of squares of the ratings."""
        from ..models import RatingAggregate

        with self.cursor() as cur:
            return records(cur, RatingAggregate, _RATING_TOTALS)

    def pipeline_rows(self) -> list[tuple[Any, ...]]:
        """Every interview as the pipeline board draws it, in one light read (no notes, no rating counts).

        Rows: (id, career id, career, interviewee, stage, held_on, identified_on, requested_on,
        scheduled_for, completed_on, thanked_on, declined_on); see ``analytics.pipeline.BoardCard``.
        """
        with self.cursor() as cur:
            return tuples(
                cur,
                "SELECT i.id, i.career_id, c.name, i.interviewee, i.stage, i.held_on, i.identified_on,"
                " i.requested_on, i.scheduled_for, i.completed_on, i.thanked_on, i.declined_on"
                " FROM interviews i JOIN careers c ON c.id = i.career_id ORDER BY i.id",
            )

    def interview_counts(self) -> dict[int, int]:
        """Career id -> number of interviews that produced at least one rating."""
        with self.cursor() as cur:
            return mapping(cur, "SELECT career_id, interviews FROM career_totals")

    # -- how much there is -------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        """How much the store holds, for summaries and empty states. The ratings are counted from their
        summary (:mod:`analytics.db.summaries`, kept by every write): a few thousand rows, not a million."""
        with self.cursor() as cur:
            found = one(
                cur,
                "SELECT (SELECT count(*) FROM criteria) AS criteria, (SELECT count(*) FROM careers) AS careers,"
                " (SELECT count(*) FROM contacts) AS contacts, (SELECT count(*) FROM interviews) AS interviews,"
                " (SELECT CAST(coalesce(sum(n), 0) AS BIGINT) FROM rating_totals WHERE source = 'interview')"
                " AS ratings,"
                " (SELECT CAST(coalesce(sum(n), 0) AS BIGINT) FROM rating_totals WHERE source = 'expectation')"
                " AS expectations",
            )
        return dict(found or {})

    def is_empty(self) -> bool:
        """No careers and no ratings: a newcomer's store."""
        counts = self.counts()
        return counts["careers"] == 0 and counts["ratings"] == 0 and counts["expectations"] == 0

    def imports(self) -> list[dict[str, Any]]:
        """The import log, newest first."""
        with self.cursor() as cur:
            return rows(
                cur,
                "SELECT id, file_name, content_hash, imported_at, kind, rows_read, new_ratings,"
                " updated_ratings, unchanged_ratings, skipped_rows, new_careers, new_criteria"
                " FROM imports ORDER BY imported_at DESC, id DESC",
            )
