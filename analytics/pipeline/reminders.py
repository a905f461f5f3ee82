"""Reminders: the user's next actions on a given day (thank-yous, follow-ups, interviews this week, records).

Also ``career-fit reminders``. Selected in SQL by the store (:meth:`Store.reminder_rows`), so the Overview
reads only the interviews that call for an action, not every interview with one count query each.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from ..models import Interview
from .stages import appointment_text, homework_left

if TYPE_CHECKING:
    from ..store import Store


FOLLOW_UP_AFTER_DAYS = 7
THANK_YOU_AFTER_DAYS = 1
THANK_YOU_STALE_DAYS = 30  # a completion older than this raises no thank-you (imported or logged late)
UPCOMING_DAYS = 7

REMINDER_KINDS: tuple[str, ...] = ("thank-you", "follow-up", "interview", "record")


@dataclass(frozen=True)
class Reminder:
    """One next action: what to do, about which interview, and by when."""

    kind: str  # one of REMINDER_KINDS
    due: date
    interview_id: int
    career: str
    interviewee: str
    message: str
    overdue: bool = False

    def as_json(self) -> dict[str, object]:
        """The shape of ``career-fit reminders --json``."""
        return {
            "kind": self.kind,
            "due": self.due.isoformat(),
            "overdue": self.overdue,
            "interview_id": self.interview_id,
            "career": self.career,
            "interviewee": self.interviewee,
            "message": self.message,
        }


def _late(due: date, today: date) -> str:
    days = (today - due).days
    if days <= 0:
        return ""
    return f" ({days} day{'s' if days != 1 else ''} overdue)"


def _who(interview: Interview) -> str:
    return interview.interviewee or "your interviewee"


def reminders_for(interviews: Iterable[Interview], *, today: date) -> list[Reminder]:
    """The reminders ``interviews`` call for on ``today``, soonest due first.

    - thank-you: due the day after a completed interview that has not been thanked yet. Only for a
      completion the app recorded (``completed_on``) in the last 30 days: interviews imported from a
      spreadsheet, or logged long afterwards, would otherwise nag about thank-yous long past their point
      (they stay in the Completed column of the board);
    - follow-up: due 7 days after a request still without a reply (the interview is still requested);
    - interview: a scheduled interview today or in the next 7 days, with the homework still to do;
    - record: a scheduled interview whose day has passed, so that it gets marked completed and rated.
    """
    items: list[Reminder] = []
    for interview in interviews:
        who = _who(interview)
        if interview.stage == "completed" and interview.thanked_on is None:
            held = interview.completed_on
            if held is None or held > today or (today - held).days > THANK_YOU_STALE_DAYS:
                continue
            due = held + timedelta(days=THANK_YOU_AFTER_DAYS)
            message = (
                f"Send a thank-you to {who} for the {interview.career} conversation on {held.isoformat()}"
                f"{_late(due, today)}."
            )
            items.append(
                Reminder("thank-you", due, interview.id, interview.career, interview.interviewee, message, due < today)
            )
        elif interview.stage == "requested" and interview.requested_on is not None:
            due = interview.requested_on + timedelta(days=FOLLOW_UP_AFTER_DAYS)
            if due <= today:
                message = (
                    f"Send {who} a polite follow-up about {interview.career}: no reply since your request on "
                    f"{interview.requested_on.isoformat()}{_late(due, today)}."
                )
                items.append(
                    Reminder(
                        "follow-up", due, interview.id, interview.career, interview.interviewee, message, due < today
                    )
                )
        elif interview.stage == "scheduled" and interview.scheduled_for is not None:
            day = interview.scheduled_for.date()
            if today <= day <= today + timedelta(days=UPCOMING_DAYS):
                left = homework_left(interview)
                todo = f" Still to do: {', '.join(left)}." if left else " Homework done."
                when = appointment_text(interview.scheduled_for)
                message = f"Interview with {who} about {interview.career} on {when}.{todo}"
                items.append(Reminder("interview", day, interview.id, interview.career, interview.interviewee, message))
            elif day < today:
                message = (
                    f"Your interview with {who} about {interview.career} was on {day.isoformat()}: mark it "
                    "completed and rate the career while you remember it."
                )
                items.append(
                    Reminder("record", day, interview.id, interview.career, interview.interviewee, message, True)
                )
    order = {kind: n for n, kind in enumerate(REMINDER_KINDS)}
    return sorted(items, key=lambda r: (r.due, order[r.kind], r.interviewee.casefold(), r.interview_id))


def reminders(store: Store, *, today: date) -> list[Reminder]:
    """The user's next actions on ``today`` (see :func:`reminders_for`), read from the interviews that may have
    one (:meth:`Store.reminder_candidates`, selected in SQL on the same windows)."""
    candidates = store.reminder_candidates(
        completed_from=today - timedelta(days=THANK_YOU_STALE_DAYS),
        completed_to=today,
        requested_by=today - timedelta(days=FOLLOW_UP_AFTER_DAYS),
        scheduled_to=today + timedelta(days=UPCOMING_DAYS),
    )
    return reminders_for(candidates, today=today)
