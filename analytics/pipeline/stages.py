"""The stages of an interview and the one set of rules that moves it between them, with its dates.

``identified -> requested -> scheduled -> completed -> thanked``, plus ``declined``. Pure rules
(:func:`transition_fields`) and the store writes that apply them (:func:`move_stage`, :func:`add_to_pipeline`).
Nothing here reads the clock: every function that depends on the date takes ``on`` or ``today``.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from ..errors import InvalidInputError
from ..models import STAGES, Contact, Interview

if TYPE_CHECKING:
    from ..store import Store
    from .board import BoardCard


MAIN_STAGES: tuple[str, ...] = ("identified", "requested", "scheduled", "completed", "thanked")
DECLINABLE: frozenset[str] = frozenset({"identified", "requested", "scheduled"})

STAGE_LABELS: dict[str, str] = {
    "identified": "Identified",
    "requested": "Requested",
    "scheduled": "Scheduled",
    "completed": "Completed",
    "thanked": "Thanked",
    "declined": "Declined",
}

# Which column records the day a stage was reached (for ``scheduled``: the appointment itself).
STAGE_DATE_FIELD: dict[str, str] = {
    "identified": "identified_on",
    "requested": "requested_on",
    "scheduled": "scheduled_for",
    "completed": "completed_on",
    "thanked": "thanked_on",
    "declined": "declined_on",
}


def stage_label(stage: str) -> str:
    return STAGE_LABELS.get(stage, stage)


def allowed_moves(stage: str) -> tuple[str, ...]:
    """The stages an interview can move to from ``stage``, the natural next one first.

    Forward moves may skip steps (a relative can be asked and interviewed on the same day), but a
    thank-you only follows a completed interview. One step back is allowed to undo a wrong click, and a
    declined request can be tried again later.
    """
    if stage == "declined":
        return ("identified", "requested")
    if stage not in MAIN_STAGES:
        raise InvalidInputError(f"unknown stage {stage!r}: use one of {', '.join(STAGES)}")
    position = MAIN_STAGES.index(stage)
    if stage == "completed":
        forward: tuple[str, ...] = ("thanked",)
    else:
        forward = MAIN_STAGES[position + 1 : MAIN_STAGES.index("completed") + 1]
    declined = ("declined",) if stage in DECLINABLE else ()
    back = (MAIN_STAGES[position - 1],) if position > 0 else ()
    return forward + declined + back


def next_stage(stage: str) -> str | None:
    """The one-click move of the board: the next step of the normal path, None at the end."""
    if stage not in MAIN_STAGES or stage == "thanked":
        return None
    return MAIN_STAGES[MAIN_STAGES.index(stage) + 1]


def stage_date(interview: Interview | BoardCard, stage: str) -> date | None:
    """The day ``interview`` reached ``stage`` (the appointment day for ``scheduled``), if recorded."""
    value = getattr(interview, STAGE_DATE_FIELD[stage])
    if isinstance(value, datetime):
        return value.date()
    return value


def timeline(interview: Interview) -> list[tuple[str, date | datetime]]:
    """Every recorded step of an interview, in the order of the stages."""
    steps: list[tuple[str, date | datetime]] = []
    for stage in STAGES:
        value = getattr(interview, STAGE_DATE_FIELD[stage])
        if value is not None:
            steps.append((stage, value))
    return steps


def transition_fields(interview: Interview, to_stage: str, *, on: date, at: datetime | None = None) -> dict[str, Any]:
    """The field changes that move ``interview`` to ``to_stage`` on day ``on``.

    Pure, so the rules are testable without a store. Moving forward records ``on`` as the date of the
    new stage and fills the dates of skipped steps that were never recorded; ``at`` is the appointment
    of a scheduled interview. Moving back clears the dates of the steps that are undone, so reminders
    and counts never rely on a step that did not happen. Completing an interview gives it its date
    (``held_on``) if it had none, because ratings are identified by career, interviewee and date.
    """
    current = interview.stage
    if to_stage not in STAGES:
        raise InvalidInputError(f"unknown stage {to_stage!r}: use one of {', '.join(STAGES)}")
    if to_stage == current:
        raise InvalidInputError(f"this interview is already {stage_label(current).lower()}")
    if to_stage not in allowed_moves(current):
        raise InvalidInputError(
            f"an interview cannot move from {stage_label(current).lower()} to {stage_label(to_stage).lower()}"
        )
    fields: dict[str, Any] = {"stage": to_stage}
    if current == "declined":
        fields["declined_on"] = None
        fields[STAGE_DATE_FIELD[to_stage]] = on
        if to_stage == "identified":
            fields["requested_on"] = None
        if interview.identified_on is None:
            fields["identified_on"] = on
        return fields
    if to_stage == "declined":
        fields["declined_on"] = on
        return fields
    old, new = MAIN_STAGES.index(current), MAIN_STAGES.index(to_stage)
    if new < old:  # undo: forget the steps after the target
        for stage in MAIN_STAGES[new + 1 :]:
            fields[STAGE_DATE_FIELD[stage]] = None
        return fields
    for stage in MAIN_STAGES[old + 1 : new + 1]:
        column = STAGE_DATE_FIELD[stage]
        if stage == "scheduled":
            if at is not None:
                fields[column] = at
            continue
        if stage == to_stage or getattr(interview, column) is None:
            fields[column] = on
    if to_stage == "completed":
        appointment = at or interview.scheduled_for
        # The conversation happened on its appointment day unless it was brought forward.
        if appointment is not None and appointment.date() <= on:
            fields["completed_on"] = appointment.date()
        if interview.held_on is None:
            fields["held_on"] = fields["completed_on"]
    return fields


HELD_STAGES: frozenset[str] = frozenset({"completed", "thanked"})
OPEN_STAGES: tuple[str, ...] = ("identified", "requested", "scheduled")


def refuse_future(day: date | None, today: date | None, what: str = "a conversation") -> None:
    """A conversation is recorded as held only on a day that has come: no thank-you for one still ahead."""
    if day is not None and today is not None and day > today:
        raise InvalidInputError(
            f"{day:%d %b %Y} is after today: record {what} once it has happened. To plan it, add the person on "
            "the Pipeline tab and schedule it there."
        )


def move_stage(
    store: Store,
    interview_id: int,
    to_stage: str,
    *,
    on: date,
    at: datetime | None = None,
    today: date | None = None,
) -> Interview:
    """Move one interview to ``to_stage`` (one transaction) and return it as stored.

    With ``today``, a move to completed or thanked on a later day is refused: a conversation that has not
    happened cannot be held or thanked for.
    """
    interview = store.interview(interview_id)
    if interview is None:
        raise InvalidInputError(f"there is no interview {interview_id}")
    if to_stage in HELD_STAGES:
        refuse_future(on, today, "it as " + stage_label(to_stage).lower())
    if to_stage == "scheduled" and at is None and interview.scheduled_for is None:
        raise InvalidInputError("pick the date and time of the interview to schedule it")
    store.update_interview(interview_id, **transition_fields(interview, to_stage, on=on, at=at))
    moved = store.interview(interview_id)
    assert moved is not None
    return moved


def display_day(interview: Interview | BoardCard) -> date | None:
    """The one day a list shows for an interview: when it was held, else its appointment, else the day it
    reached its stage (a scheduled interview shows its appointment, never "no date")."""
    if interview.held_on is not None:
        return interview.held_on
    if interview.scheduled_for is not None and interview.stage == "scheduled":
        return interview.scheduled_for.date()
    return stage_date(interview, interview.stage) if interview.stage in STAGE_DATE_FIELD else None


def reschedule(store: Store, interview_id: int, at: datetime) -> None:
    """Change the appointment of an interview without changing its stage."""
    store.update_interview(interview_id, scheduled_for=at)


def add_to_pipeline(store: Store, career: str | int, contact: str | Contact, *, on: date, goals: str = "") -> int:
    """Start a conversation: ``contact`` identified as someone to ask about ``career`` on day ``on``.

    One contact may be asked about several careers, and asked again once an earlier conversation about
    the same career is held; but a second open entry for the same person and career would only hide the
    first, so that is refused.
    """
    name = contact.name if isinstance(contact, Contact) else str(contact or "").strip()
    if not name:
        raise InvalidInputError("pick the person you want to talk to")
    if isinstance(career, str) and not career.strip():
        raise InvalidInputError("pick or name the career you want to ask about")
    key = name.casefold()
    for interview in store.interviews():
        same_career = (
            interview.career_id == career
            if isinstance(career, int)
            else (interview.career.casefold() == str(career).strip().casefold())
        )
        if same_career and interview.interviewee.casefold() == key and interview.held_on is None:
            raise InvalidInputError(
                f"{interview.interviewee} is already in your pipeline for {interview.career}"
                f" ({stage_label(interview.stage).lower()})"
            )
    fields: dict[str, Any] = {"stage": "identified", "identified_on": on, "goals": goals}
    if isinstance(contact, Contact):
        fields["contact_id"] = contact.id
    return store.save_interview(career, name, None, **fields)


def save_preparation(
    store: Store,
    interview_id: int,
    *,
    goals: str,
    researched_org: bool,
    researched_person: bool,
    questions_prepared: bool,
    homework_notes: str,
) -> None:
    """Save what the user wants to learn and how far the homework is, in one transaction."""
    store.update_interview(
        interview_id,
        goals=goals,
        researched_org=researched_org,
        researched_person=researched_person,
        questions_prepared=questions_prepared,
        homework_notes=homework_notes,
    )


def homework_left(interview: Interview) -> list[str]:
    """The unticked items of the homework checklist, as short phrases."""
    left = []
    if not interview.researched_org:
        left.append("research the organisation")
    if not interview.researched_person:
        left.append("research the person")
    if not interview.questions_prepared:
        left.append("prepare questions")
    return left


def combine(day: date, moment: time) -> datetime:
    """A naive local date and time, as appointments are stored."""
    return datetime.combine(day, moment.replace(tzinfo=None, second=0, microsecond=0))


def appointment_text(moment: datetime) -> str:
    """An appointment as messages and sheets write it: ``Thu 26 Nov 2026 at 15:30``."""
    return f"{moment:%a} {moment.day} {moment:%b %Y at %H:%M}"
