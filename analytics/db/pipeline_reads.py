"""Reads for the interview pipeline's reminders: only the interviews that may call for an action today.

The rules of what is due stay in :func:`analytics.pipeline.reminders_for`; this query is a pre-filter on the
same dates (a superset of what the rules keep), so the Overview reads a handful of rows instead of every
interview with one count query each.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from .connection import Database, records

if TYPE_CHECKING:  # (loaded by the first read that builds one)
    from ..models import Interview

_CANDIDATES = (
    "SELECT i.id, i.career_id, c.name AS career, i.interviewee, i.held_on, i.stage, i.notes, i.contact_id,"
    " i.goals, i.questions, i.identified_on, i.requested_on, i.scheduled_for, i.completed_on, i.thanked_on,"
    " i.declined_on, i.researched_org, i.researched_person, i.questions_prepared, i.homework_notes,"
    " 0 AS ratings"
    " FROM interviews i JOIN careers c ON c.id = i.career_id"
    " WHERE (i.stage = 'completed' AND i.thanked_on IS NULL AND i.completed_on BETWEEN ? AND ?)"
    " OR (i.stage = 'requested' AND i.requested_on <= ?)"
    " OR (i.stage = 'scheduled' AND i.scheduled_for IS NOT NULL AND CAST(i.scheduled_for AS DATE) <= ?)"
    " ORDER BY i.id"
)


class PipelineReads(Database):
    """The store's pipeline reads."""

    def reminder_candidates(
        self, *, completed_from: date, completed_to: date, requested_by: date, scheduled_to: date
    ) -> list[Interview]:
        """Interviews that may have a reminder (the windows come from the rules in ``analytics.pipeline``):
        completed in [``completed_from``, ``completed_to``] and not thanked, requested on or before
        ``requested_by``, or scheduled for a day up to ``scheduled_to``. Without rating counts, which
        reminders never read."""
        from ..models import Interview

        params = [completed_from, completed_to, requested_by, scheduled_to]
        with self.cursor() as cur:
            return records(cur, Interview, _CANDIDATES, params)
