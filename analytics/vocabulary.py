"""The fixed words of the domain: dimensions, rating sources, interview stages, a contact's and an interview's fields.

Kept apart from the record types of :mod:`analytics.models` (which re-exports them) so that the import and the
single saves, which need only these words, do not build the record classes: every frozen dataclass costs the
start of a ``career-fit`` process a fraction of a millisecond.
"""

from __future__ import annotations

DIMENSIONS: tuple[str, ...] = ("interest", "skill", "value")
SOURCES: tuple[str, ...] = ("interview", "expectation")
STAGES: tuple[str, ...] = ("identified", "requested", "scheduled", "completed", "thanked", "declined")
# What a contact holds besides its name, and an interview's free-text fields: the single saves, the set-wise
# import and the sheet checks all read these.
CONTACT_FIELDS: tuple[str, ...] = ("role", "organisation", "how_found", "introduced_by", "email", "notes")
INTERVIEW_TEXT_FIELDS: tuple[str, ...] = ("notes", "goals", "questions", "homework_notes")
HOW_FOUND: tuple[str, ...] = ("friend", "family", "alumni", "LinkedIn", "association", "union", "other")
