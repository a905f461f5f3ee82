"""Calendar events: a scheduled interview as an RFC 5545 ``.ics`` file (escaped, folded, with an alarm)."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from ..errors import InvalidInputError
from ..models import Contact, Interview
from .sheets import question_lines

if TYPE_CHECKING:
    pass


DEFAULT_DURATION_MINUTES = 30


def ics_escape(text: str) -> str:
    """RFC 5545 TEXT escaping: backslash, semicolon, comma and line breaks."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\r", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Fold a content line at 75 octets (RFC 5545 3.1) without splitting a UTF-8 character."""
    out: list[str] = []
    current, size, limit = "", 0, 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            out.append(current)
            current, size, limit = " ", 1, 75
        current += char
        size += width
    out.append(current)
    return "\r\n".join(out)


def _ics_time(moment: datetime) -> str:
    if moment.tzinfo is not None:
        return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return moment.strftime("%Y%m%dT%H%M%S")  # floating: the user's local time wherever they are


def ics_event(
    *,
    uid: str,
    start: datetime,
    summary: str,
    stamp: datetime,
    duration_minutes: int = DEFAULT_DURATION_MINUTES,
    description: str = "",
    location: str = "",
) -> str:
    """One VEVENT in a VCALENDAR, CRLF line ends, escaped and folded text, as calendars import it.

    A naive ``start`` is written as floating local time (the interview is at 14:00 wherever the user
    is); ``stamp`` (when the file was made) is always UTC, as the standard requires.
    """
    stamp_utc = stamp.astimezone(UTC) if stamp.tzinfo else stamp.replace(tzinfo=UTC)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Career Fit//Interview pipeline//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{ics_escape(uid)}",
        f"DTSTAMP:{_ics_time(stamp_utc)}",
        f"DTSTART:{_ics_time(start)}",
        f"DTEND:{_ics_time(start + timedelta(minutes=duration_minutes))}",
        f"SUMMARY:{ics_escape(summary)}",
    ]
    if description:
        lines.append(f"DESCRIPTION:{ics_escape(description)}")
    if location:
        lines.append(f"LOCATION:{ics_escape(location)}")
    lines += [
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        f"DESCRIPTION:{ics_escape(summary)}",
        "TRIGGER:-PT1H",
        "END:VALARM",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(_fold(line) + "\r\n" for line in lines)


def interview_uid(interview: Interview) -> str:
    """Stable per interview, so re-importing a rescheduled interview updates the calendar entry rather
    than adding a second one; the hash keeps two stores' interview 3 apart."""
    digest = hashlib.sha1(  # an identifier, not security
        f"{interview.career.casefold()}|{interview.interviewee.casefold()}".encode()
    ).hexdigest()[:12]
    return f"interview-{interview.id}-{digest}@career-fit"


def interview_ics(
    interview: Interview,
    *,
    stamp: datetime,
    contact: Contact | None = None,
    duration_minutes: int = DEFAULT_DURATION_MINUTES,
) -> str:
    """The calendar event of a scheduled interview, with its goals and questions in the description."""
    if interview.scheduled_for is None:
        raise InvalidInputError("this interview has no date and time yet: schedule it first")
    who = interview.interviewee or "informational interview"
    parts = []
    if contact and (contact.role or contact.organisation):
        parts.append(" at ".join(p for p in (contact.role, contact.organisation) if p))
    if interview.goals:
        parts.append(f"Goals: {interview.goals}")
    questions = question_lines(interview.questions)
    if questions:
        parts.append("Questions:\n" + "\n".join(f"- {q}" for q in questions))
    return ics_event(
        uid=interview_uid(interview),
        start=interview.scheduled_for,
        summary=f"Informational interview: {who} ({interview.career})",
        description="\n\n".join(parts),
        stamp=stamp,
        duration_minutes=duration_minutes,
    )


def ics_file_name(interview: Interview) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", f"{interview.interviewee} {interview.career}".casefold()).strip("-")
    return f"interview-{slug or interview.id}.ics"
