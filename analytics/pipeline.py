"""The interview pipeline: stages and their dates, reminders, drafts, calendar events and question sheets.

Ratings come from conversations, and conversations come from a process that is easy to fumble: whom to
ask, how to ask, what to prepare, when to thank. This module holds that process as plain functions so
the app, the ``career-fit reminders`` command and the tests share one set of rules. It never imports
Streamlit and never reads the clock: every function that depends on the date takes ``today`` (or a
``stamp``) so the same data always gives the same answer.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from .errors import InvalidInputError
from .models import HOW_FOUND, STAGES, Contact, Interview
from .store import name_key

if TYPE_CHECKING:
    from .store import Store

# -- stages ------------------------------------------------------------------------------------------

# The path a conversation normally takes; ``declined`` can end it at any point before it is held.
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

HOW_FOUND_LABELS: dict[str, str] = {
    "friend": "Friend",
    "family": "Family",
    "alumni": "Alumni network",
    "LinkedIn": "LinkedIn",
    "association": "Professional association",
    "union": "Union or guild",
    "other": "Other",
}
NOT_RECORDED = "not recorded"

FOLLOW_UP_AFTER_DAYS = 7
THANK_YOU_AFTER_DAYS = 1
THANK_YOU_STALE_DAYS = 30
UPCOMING_DAYS = 7
DRAFT_WORD_LIMIT = 120
DEFAULT_DURATION_MINUTES = 30


def stage_label(stage: str) -> str:
    return STAGE_LABELS.get(stage, stage)


def how_found_label(source: str) -> str:
    return HOW_FOUND_LABELS.get(source, source or NOT_RECORDED)


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


def stage_date(interview: Interview, stage: str) -> date | None:
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


def is_waiting_for_ratings(interview: Interview) -> bool:
    """Held (or still open) but not rated yet: the interview a new rating of this person belongs to."""
    return interview.ratings == 0 and interview.stage != "declined"


def open_interview(interviews: Iterable[Interview], interviewee: str) -> Interview | None:
    """The pipeline interview with ``interviewee`` (among one career's ``interviews``) that a logged
    conversation completes: one still open (identified, requested, scheduled), else one held but not rated.

    Logging a "new" interview for someone already in the pipeline must complete that record, never add a
    second one beside it (the person would then be both scheduled and completed).
    """
    key = name_key(interviewee)
    if not key:
        return None
    mine = [i for i in interviews if name_key(i.interviewee) == key and is_waiting_for_ratings(i)]
    for stages in (OPEN_STAGES, tuple(HELD_STAGES)):
        found = [i for i in mine if i.stage in stages]
        if found:
            return min(found, key=lambda i: (display_day(i) or date.max, i.id))
    return None


def unrated_held(interviews: Iterable[Interview]) -> Interview | None:
    """The held interview still waiting for its ratings (the oldest first): what Log & rate opens on."""
    waiting = [i for i in interviews if i.stage in HELD_STAGES and i.ratings == 0]
    return min(waiting, key=lambda i: (display_day(i) or date.max, i.id)) if waiting else None


@dataclass(frozen=True)
class Recorded:
    """What :func:`record_interview` did: the interview's id, and whether it completed a pipeline entry."""

    interview_id: int
    attached: bool


def record_interview(
    store: Store,
    career: str,
    interviewee: str,
    held_on: date | None,
    *,
    ratings: Mapping[int, float | None],
    notes: str = "",
    today: date,
) -> Recorded:
    """Log a conversation that took place, with its ratings: the one way to add an interview from the app.

    If ``interviewee`` has an open (or held, unrated) pipeline interview for ``career``, that record is
    completed with this day, notes and ratings; otherwise a new interview is added. A conversation dated
    after ``today`` is refused, and so is a second interview with the same career, person and day
    (:class:`~analytics.errors.DuplicateError` names the one that exists).
    """
    refuse_future(held_on, today, "an interview")
    name = " ".join(str(career or "").split())
    if not name:
        raise InvalidInputError("choose a career, or name a new one")
    existing_career = next((c for c in store.careers() if name_key(c.name) == name_key(name)), None)
    interviews = store.interviews(existing_career.id) if existing_career else []
    rated = any(v is not None for v in ratings.values())
    fields: dict[str, Any] = {"notes": notes}
    if rated:
        fields.update(stage="completed", completed_on=held_on)
    target = open_interview(interviews, interviewee)
    if target is not None:
        if target.stage == "thanked":
            fields.pop("stage", None)
        if not str(notes or "").strip():
            fields["notes"] = target.notes
        elif target.notes.strip() and target.notes.strip() not in notes:
            fields["notes"] = f"{target.notes.strip()}\n\n{str(notes).strip()}"
        if rated and target.stage in OPEN_STAGES:
            fields.update(transition_fields(target, "completed", on=held_on or today))
            fields["completed_on"] = held_on or fields.get("completed_on")
        interview_id = store.save_interview(
            target.career_id, target.interviewee, held_on or target.held_on, interview_id=target.id,
            ratings=ratings, **{k: v for k, v in fields.items() if k != "held_on"},
        )
        return Recorded(interview_id, attached=True)
    return Recorded(store.add_interview(name, interviewee, held_on, ratings=ratings, **fields), attached=False)


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


def plan_interview(
    store: Store, career: str | int, person: str, *, on: date, questions: Iterable[str] = (), goals: str = ""
) -> int:
    """Plan a conversation from "investigate next": ``person`` (a contact, added if new) goes into the pipeline
    for ``career`` on day ``on``, with ``questions`` (the suggested ones) as its prepared questions.

    If the person is already in the pipeline for that career and the conversation is not held yet, the
    questions are added to that entry instead (one interview, one record). Returns the interview's id.
    """
    name = " ".join(str(person or "").split())
    if not name:
        raise InvalidInputError("name the person you want to talk to")
    contact = next((c for c in store.contacts() if name_key(c.name) == name_key(name)), None)
    if contact is None:
        new_id = store.save_contact(name)
        contact = next((c for c in store.contacts() if c.id == new_id), None)
    career_key = name_key(career) if isinstance(career, str) else None
    existing = next(
        (
            i
            for i in store.interviews(career if isinstance(career, int) else None)
            if (career_key is None or name_key(i.career) == career_key)
            and name_key(i.interviewee) == name_key(name)
            and i.stage in OPEN_STAGES
        ),
        None,
    )
    if existing is not None:
        store.update_interview(existing.id, questions=join_questions([*question_lines(existing.questions), *questions]))
        return existing.id
    interview_id = add_to_pipeline(store, career, contact if contact is not None else name, on=on, goals=goals)
    if questions:
        store.update_interview(interview_id, questions=join_questions(questions))
    return interview_id


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


# -- reminders ---------------------------------------------------------------------------------------

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


def _when(moment: datetime) -> str:
    return f"{moment:%a} {moment.day} {moment:%b %Y at %H:%M}"


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
                message = f"Interview with {who} about {interview.career} on {_when(interview.scheduled_for)}.{todo}"
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
    """The user's next actions on ``today`` (see :func:`reminders_for`)."""
    return reminders_for(store.interviews(), today=today)


# -- drafts ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AboutMe:
    """What the drafts say about the user; kept in the settings under ``about_me``."""

    name: str = ""
    intro: str = ""  # e.g. "a final-year psychology student at Hallam University"
    interests: str = ""  # e.g. "research methods and how people use technology"

    @classmethod
    def from_setting(cls, value: object) -> AboutMe:
        if not isinstance(value, Mapping):
            return cls()
        return cls(**{k: str(value.get(k) or "").strip() for k in ("name", "intro", "interests")})

    def as_setting(self) -> dict[str, str]:
        return {"name": self.name.strip(), "intro": self.intro.strip(), "interests": self.interests.strip()}


ABOUT_ME_KEY = "about_me"
PITCH_KEY = "pitch"
MY_QUESTIONS_KEY = "my_questions"

_CONNECTION_BY_SOURCE: dict[str, str] = {
    "friend": "I am asking friends first, and you came to mind straight away.",
    "family": "I am asking family and friends first, and you came to mind straight away.",
    "alumni": "I found you through our alumni network.",
    "linkedin": "I came across your profile on LinkedIn.",
    "association": "I found you through the professional association.",
    "union": "I found you through the union's member directory.",
}


def word_count(text: str) -> int:
    return len(text.split())


def _sentence(text: str) -> str:
    """User text as one sentence: trimmed, capitalised, with a full stop."""
    clean = " ".join(text.split())
    if not clean:
        return ""
    clean = clean[0].upper() + clean[1:]
    return clean if clean[-1] in ".!?" else clean + "."


def _clause(text: str) -> str:
    """User text to sit inside a sentence: trimmed, no final full stop."""
    return " ".join(text.split()).rstrip(".!? ")


def as_role(career: str) -> str:
    """A career named as a role, with its article: "a Genetic Counselor", "an Archivist", "a UX Researcher"
    (drafts say "your work as a Genetic Counselor", never "your work in Genetic Counselor")."""
    name = _clause(career)
    if not name:
        return "your role"
    first = name.split()[0]
    vowel_sound = first[0].lower() in "aeio" or (
        first[0].lower() == "u" and first[1:2].islower() and not first.lower().startswith(("uni", "use", "usu", "uro"))
    )
    return f"{'an' if vowel_sound else 'a'} {name}"


def first_name(name: str) -> str:
    parts = name.split()
    return parts[0] if parts else "there"


def connection_line(contact: Contact | None) -> str:
    """Why this person: who introduced them, or how they were found; empty when nothing is known."""
    if contact is None:
        return ""
    if contact.introduced_by.strip():
        return f"{_clause(contact.introduced_by)} suggested I get in touch with you."
    return _CONNECTION_BY_SOURCE.get(contact.how_found.strip().casefold(), "")


def outreach_draft(
    about: AboutMe,
    *,
    contact_name: str,
    career: str,
    role: str = "",
    organisation: str = "",
    connection: str = "",
) -> str:
    """A short request for an informational interview: who I am, why this person, 15-30 minutes,
    phone or in person. Written to stay under about 120 words with ordinary inputs, because a busy
    stranger reads a short message and skims a long one."""
    me = _clause(about.name) or "[your name]"
    who = f"I am {me}" + (f", {_clause(about.intro)}" if about.intro.strip() else "") + "."
    interest = f" because I am interested in {_clause(about.interests)}" if about.interests.strip() else ""
    exploring = f"I am exploring careers, and {_clause(career)} is high on my list{interest}."
    where = " at ".join(p for p in (_clause(role), _clause(organisation)) if p)
    why = (
        f"Your experience as {where} is exactly the perspective I am looking for."
        if where
        else "Your experience is exactly the perspective I am looking for."
    )
    body = " ".join(p for p in (who, _sentence(connection), exploring) if p)
    return (
        f"Subject: A short conversation about your work as {as_role(career)}?\n\n"
        f"Dear {first_name(contact_name)},\n\n"
        f"{body}\n\n"
        f"{why} Could you spare 15-30 minutes for a conversation, by phone or in person, at a time that "
        "suits you? I am not asking for a job, only hoping to learn how you see the work.\n\n"
        "Thank you for considering it.\n\n"
        f"Best wishes,\n{me}"
    )


def thank_you_draft(
    about: AboutMe,
    *,
    contact_name: str,
    career: str,
    held_on: date | None = None,
    learned: str = "",
    next_step: str = "",
) -> str:
    """A thank-you note to send within a day of the conversation, short enough to write at once."""
    me = _clause(about.name) or "[your name]"
    when = f" on {held_on:%A} {held_on.day} {held_on:%B}" if held_on else ""
    parts = [f"Thank you for taking the time to talk with me{when} about your work as {as_role(career)}."]
    if learned.strip():
        parts.append(f"I especially valued what you said about {_clause(learned)}.")
    parts.append("It gave me a much clearer picture of the work.")
    if next_step.strip():
        parts.append(f"Following your advice, I will {_clause(next_step)}.")
    parts.append("I will let you know how my search goes, and I hope we can stay in touch.")
    return f"Subject: Thank you\n\nDear {first_name(contact_name)},\n\n" + " ".join(parts) + f"\n\nWith thanks,\n{me}"


def request_draft_for(store: Store, interview: Interview, about: AboutMe) -> str:
    """The outreach draft of one interview, filled from its contact."""
    contact = contact_of(store, interview)
    return outreach_draft(
        about,
        contact_name=interview.interviewee,
        career=interview.career,
        role=contact.role if contact else "",
        organisation=contact.organisation if contact else "",
        connection=connection_line(contact),
    )


def contact_of(store: Store, interview: Interview) -> Contact | None:
    """The contact an interview is with: by id, else by name (imports link by name)."""
    contacts = store.contacts()
    for contact in contacts:
        if interview.contact_id is not None and contact.id == interview.contact_id:
            return contact
    key = interview.interviewee.strip().casefold()
    return next((c for c in contacts if c.name.strip().casefold() == key), None) if key else None


# -- calendar ----------------------------------------------------------------------------------------


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


# -- questions ---------------------------------------------------------------------------------------


def question_lines(text: str) -> list[str]:
    """Questions stored one per line (the ``questions`` field), without blanks or list bullets."""
    lines = []
    for raw in (text or "").splitlines():
        clean = re.sub(r"^\s*(?:[-*•]|\d+[.)])\s*", "", raw).strip()
        if clean:
            lines.append(clean)
    return lines


def join_questions(questions: Iterable[str]) -> str:
    """Store picked questions one per line, in order, each once."""
    seen: set[str] = set()
    out: list[str] = []
    for question in questions:
        clean = " ".join(str(question).split())
        if clean and clean.casefold() not in seen:
            seen.add(clean.casefold())
            out.append(clean)
    return "\n".join(out)


def my_questions(store: Store) -> list[str]:
    """The user's own questions, reused across interviews."""
    stored = store.get_setting(MY_QUESTIONS_KEY, []) or []
    return [str(q) for q in stored if str(q).strip()] if isinstance(stored, list) else []


def add_my_question(store: Store, question: str) -> list[str]:
    """Add one question to the user's own bank (ignored if already there); returns the bank."""
    clean = " ".join(question.split())
    if not clean:
        raise InvalidInputError("write the question first")
    bank = my_questions(store)
    if clean.casefold() not in {q.casefold() for q in bank}:
        bank.append(clean)
        store.set_setting(MY_QUESTIONS_KEY, bank)
    return bank


def remove_my_question(store: Store, question: str) -> list[str]:
    bank = [q for q in my_questions(store) if q.casefold() != question.casefold()]
    store.set_setting(MY_QUESTIONS_KEY, bank)
    return bank


MY_QUESTIONS_CATEGORY = "My questions"
CRITERIA_CATEGORY = "Aimed at what matters to me"


def criterion_questions(store: Store, career_id: int | None, limit: int = 4) -> list[str]:
    """Questions aimed at the user's heavily weighted criteria with the least evidence for the career.

    Those are the answers that can move the career's fit most. They are the investigate-next list's
    suggestions for the career (:func:`analytics.recommend.investigate_next`), so the Explore page and
    the question sheet agree; a career that list does not know (none given) gets the heaviest criteria
    with the fewest ratings, worded by :mod:`analytics.questions`.
    """
    from .questions import questions_for_criterion
    from .recommend import investigate_next

    if career_id is not None:
        step = next((s for s in investigate_next(store) if s.career_id == career_id), None)
        if step is not None:
            return list(step.questions[:limit])
    criteria = [c for c in store.criteria() if c.weight > 0 and c.dimension]
    criteria.sort(key=lambda c: (-c.weight, c.position, c.id))
    picked: list[str] = []
    for criterion in criteria[:limit]:
        options = questions_for_criterion(criterion.name, criterion.dimension)
        if options and options[0] not in picked:
            picked.append(options[0])
    return picked


def question_bank(store: Store, career_id: int | None = None) -> dict[str, list[str]]:
    """Questions to pick from, by category: the standard categories, the criterion-targeted ones and
    the user's own."""
    from .questions import QUESTION_CATEGORIES

    bank = {name: list(questions) for name, questions in QUESTION_CATEGORIES.items()}
    general = {q for questions in bank.values() for q in questions}
    targeted = [q for q in criterion_questions(store, career_id) if q not in general]
    if targeted:
        bank[CRITERIA_CATEGORY] = targeted
    bank[MY_QUESTIONS_CATEGORY] = my_questions(store)
    return bank


@dataclass(frozen=True)
class SheetInfo:
    """Everything the one-page question sheet shows about one interview."""

    interviewee: str
    career: str
    role: str = ""
    organisation: str = ""
    when: datetime | None = None
    goals: str = ""
    pitch: str = ""
    questions: Sequence[str] = field(default_factory=tuple)


def sheet_info(store: Store, interview: Interview) -> SheetInfo:
    contact = contact_of(store, interview)
    return SheetInfo(
        interviewee=interview.interviewee,
        career=interview.career,
        role=contact.role if contact else "",
        organisation=contact.organisation if contact else "",
        when=interview.scheduled_for,
        goals=interview.goals,
        pitch=str(store.get_setting(PITCH_KEY, "") or ""),
        questions=tuple(question_lines(interview.questions)),
    )


def question_sheet_text(info: SheetInfo) -> str:
    """The question sheet as plain text: for the screen and to paste anywhere."""
    head = f"Informational interview: {info.interviewee or 'interviewee'} - {info.career}"
    lines = [head, "=" * min(len(head), 78)]
    where = " at ".join(p for p in (info.role, info.organisation) if p)
    if where:
        lines.append(where)
    if info.when:
        lines.append(f"When: {_when(info.when)}")
    if info.goals.strip():
        lines += ["", "What I want to learn:", info.goals.strip()]
    if info.pitch.strip():
        lines += ["", "Be ready to answer (about me):", info.pitch.strip()]
    lines += ["", "Questions:"]
    if info.questions:
        lines += [f"{n}. {q}" for n, q in enumerate(info.questions, start=1)]
    else:
        lines.append("(no questions picked yet)")
    lines += ["", "Notes:", "", "", "Who else should I talk to?", "", "Thank-you sent on: ____________"]
    return "\n".join(lines) + "\n"


_SHEET_CSS = """
@page { size: A4; margin: 15mm; }
body { font: 11pt/1.35 Georgia, serif; color: #111; max-width: 180mm; margin: 0 auto; }
h1 { font-size: 15pt; margin: 0 0 2mm; }
h2 { font-size: 11.5pt; margin: 4mm 0 1mm; }
p { margin: 0 0 1mm; white-space: pre-wrap; }
ol { margin: 0; padding-left: 6mm; }
li { margin-bottom: 5mm; }
.meta { color: #444; }
.notes { border-top: 1px solid #999; height: 30mm; }
""".strip()


def question_sheet_html(info: SheetInfo) -> str:
    """The question sheet as a standalone printable page; every piece of user text is HTML-escaped,
    so nothing typed into a note or a name can run when the file is opened."""
    e = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{e(info.interviewee or 'Interview')} - {e(info.career)}</title>",
        f"<style>{_SHEET_CSS}</style></head><body>",
        f"<h1>Informational interview: {e(info.interviewee or 'interviewee')} &mdash; {e(info.career)}</h1>",
    ]
    where = " at ".join(p for p in (info.role, info.organisation) if p)
    if where:
        parts.append(f'<p class="meta">{e(where)}</p>')
    if info.when:
        parts.append(f'<p class="meta">When: {e(_when(info.when))}</p>')
    if info.goals.strip():
        parts.append(f"<h2>What I want to learn</h2><p>{e(info.goals.strip())}</p>")
    if info.pitch.strip():
        parts.append(f"<h2>Be ready to answer (about me)</h2><p>{e(info.pitch.strip())}</p>")
    parts.append("<h2>Questions</h2>")
    if info.questions:
        parts.append("<ol>" + "".join(f"<li>{e(q)}</li>" for q in info.questions) + "</ol>")
    else:
        parts.append("<p>(no questions picked yet)</p>")
    parts += [
        '<h2>Notes</h2><div class="notes"></div>',
        "<h2>Who else should I talk to?</h2><p>&nbsp;</p>",
        "<p>Thank-you sent on: ____________</p>",
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


# -- what works --------------------------------------------------------------------------------------

_ASKED = frozenset({"requested", "scheduled", "completed", "thanked"})
_HELD = frozenset({"completed", "thanked"})


@dataclass(frozen=True)
class SourceStats:
    """How the contacts found one way did: how many were asked, and how many conversations it led to."""

    source: str
    contacts: int
    stages: dict[str, int]
    asked: int
    held: int
    declined: int

    @property
    def label(self) -> str:
        return how_found_label(self.source)

    @property
    def success_rate(self) -> float | None:
        """Conversations held per request made; None before anyone was asked."""
        return self.held / self.asked if self.asked else None

    def as_row(self) -> dict[str, object]:
        return {
            "found through": self.label,
            "contacts": self.contacts,
            **{stage_label(s): self.stages.get(s, 0) for s in STAGES},
            "asked": self.asked,
            "held": self.held,
            "held per request": None if self.success_rate is None else round(self.success_rate, 2),
        }


@dataclass(frozen=True)
class WhatWorks:
    stages: dict[str, int]
    sources: list[SourceStats]


def _source_key(value: str) -> str:
    clean = value.strip()
    for known in HOW_FOUND:
        if clean.casefold() == known.casefold():
            return known
    return clean


def stage_counts(interviews: Iterable[Interview]) -> dict[str, int]:
    """Interviews per stage, every stage present (zero where none), in pipeline order."""
    counts = dict.fromkeys(STAGES, 0)
    for interview in interviews:
        counts[interview.stage] = counts.get(interview.stage, 0) + 1
    return counts


def what_works_for(contacts: Sequence[Contact], interviews: Sequence[Interview]) -> WhatWorks:
    """Counts by stage, and by how-found source: which ways of finding people lead to conversations.

    An interview counts as *asked* once a request went out (including one later declined), and as *held*
    once it is completed or thanked.
    """
    by_id = {c.id: c for c in contacts}
    by_name = {c.name.strip().casefold(): c for c in contacts}
    contacts_per_source: dict[str, int] = {}
    for contact in contacts:
        key = _source_key(contact.how_found) or NOT_RECORDED
        contacts_per_source[key] = contacts_per_source.get(key, 0) + 1
    stages_per_source: dict[str, dict[str, int]] = {}
    asked: dict[str, int] = {}
    for interview in interviews:
        contact = by_id.get(interview.contact_id) if interview.contact_id is not None else None
        contact = contact or by_name.get(interview.interviewee.strip().casefold())
        key = (_source_key(contact.how_found) if contact else "") or NOT_RECORDED
        counts = stages_per_source.setdefault(key, dict.fromkeys(STAGES, 0))
        counts[interview.stage] = counts.get(interview.stage, 0) + 1
        was_asked = interview.stage in _ASKED or (interview.stage == "declined" and interview.requested_on is not None)
        asked[key] = asked.get(key, 0) + int(was_asked)
    keys = set(contacts_per_source) | set(stages_per_source)
    order = {k: n for n, k in enumerate(HOW_FOUND)}
    ordered = sorted(keys, key=lambda k: (k == NOT_RECORDED, order.get(k, len(order)), k.casefold()))
    sources = []
    for key in ordered:
        counts = stages_per_source.get(key, dict.fromkeys(STAGES, 0))
        sources.append(
            SourceStats(
                source=key,
                contacts=contacts_per_source.get(key, 0),
                stages=counts,
                asked=asked.get(key, 0),
                held=sum(counts.get(s, 0) for s in _HELD),
                declined=counts.get("declined", 0),
            )
        )
    return WhatWorks(stages=stage_counts(interviews), sources=sources)


def what_works(store: Store) -> WhatWorks:
    return what_works_for(store.contacts(), store.interviews())


# -- the board ---------------------------------------------------------------------------------------


def board(interviews: Iterable[Interview]) -> dict[str, list[Interview]]:
    """Interviews by stage for the board, each column in the order the user acts on it: the soonest
    appointment first, otherwise the longest-waiting first."""
    columns: dict[str, list[Interview]] = {stage: [] for stage in STAGES}
    for interview in interviews:
        columns.setdefault(interview.stage, []).append(interview)

    def key(interview: Interview) -> tuple[Any, ...]:
        moment = getattr(interview, STAGE_DATE_FIELD.get(interview.stage, "identified_on"), None)
        if isinstance(moment, datetime):
            moment = moment.date()
        return (moment is None, moment or date.min, interview.interviewee.casefold(), interview.id)

    for stage in columns:
        columns[stage].sort(key=key)
    return columns


BOARD_CARDS = 12  # cards per stage column until the user asks for more (each column scrolls)


@dataclass(frozen=True)
class BoardCard:
    """What a board card (and a row of the table under the board) shows of one interview.

    A light read of the store (:meth:`Store.pipeline_rows`): no notes, questions or rating counts, so a
    board over thousands of interviews reads in milliseconds. Field names match :class:`Interview`, so
    :func:`stage_date` works on either.
    """

    id: int
    career_id: int
    career: str
    interviewee: str
    stage: str
    held_on: date | None = None
    identified_on: date | None = None
    requested_on: date | None = None
    scheduled_for: datetime | None = None
    completed_on: date | None = None
    thanked_on: date | None = None
    declined_on: date | None = None


def board_cards(store: Store) -> list[BoardCard]:
    """Every interview as a board card, in one read."""
    return [BoardCard(*row) for row in store.pipeline_rows()]


@dataclass(frozen=True)
class BoardView:
    """The board as drawn: per stage the cards to act on first, and everything else as table rows.

    ``shown`` and ``counts`` have every stage (in :data:`STAGES` order); ``counts`` are the cards that
    match the search, ``totals`` all cards of the stage. ``rest`` holds the matching cards not shown,
    stage by stage, each stage in its board order.
    """

    shown: dict[str, list[BoardCard]]
    counts: dict[str, int]
    totals: dict[str, int]
    rest: list[BoardCard]
    search: str = ""

    @property
    def matching(self) -> int:
        return sum(self.counts.values())

    def hidden(self, stage: str) -> int:
        return self.counts.get(stage, 0) - len(self.shown.get(stage, []))


def search_words(search: str) -> list[str]:
    return " ".join(str(search or "").split()).casefold().split()


def card_matches(card: BoardCard | Interview, words: Sequence[str]) -> bool:
    """Every word of the search appears in the interviewee's name or the career (case-insensitive)."""
    haystack = f"{card.interviewee} {card.career}".casefold()
    return all(word in haystack for word in words)


def board_key(stage: str, today: date) -> Any:
    """The order of one board column, the card to act on first at the top.

    Identified and requested: the longest waiting first (a request to send, a follow-up due). Scheduled:
    the soonest appointment first. Completed: the thank-yous still due first (completed in the last
    :data:`THANK_YOU_STALE_DAYS` days, the most overdue first), then the rest newest first. Thanked and
    declined: newest first. Undated cards go last; ties break on the name, the career and the id, so
    the order never depends on how the rows were read.
    """
    field_name = STAGE_DATE_FIELD.get(stage, "identified_on")

    def day_of(card: BoardCard | Interview) -> date | None:
        value = getattr(card, field_name, None)
        return value.date() if isinstance(value, datetime) else value

    def tie(card: BoardCard | Interview) -> tuple[str, str, int]:
        return (card.interviewee.casefold(), card.career.casefold(), card.id)

    if stage in ("identified", "requested", "scheduled"):
        floor = datetime.min if stage == "scheduled" else date.min  # appointments sort by day and time

        def waiting(card: BoardCard | Interview) -> tuple[Any, ...]:
            moment = getattr(card, field_name, None)
            return (moment is None, moment or floor, *tie(card))

        return waiting
    if stage == "completed":

        def completed(card: BoardCard | Interview) -> tuple[Any, ...]:
            day = day_of(card)
            due = day is not None and (today - day).days <= THANK_YOU_STALE_DAYS
            if due:
                return (0, day.toordinal(), *tie(card))
            return (1 if day is not None else 2, -(day.toordinal() if day else 0), *tie(card))

        return completed
    return lambda c: (day_of(c) is None, -(day_of(c).toordinal() if day_of(c) else 0), *tie(c))


def board_view(
    cards: Iterable[BoardCard],
    *,
    today: date,
    search: str = "",
    limits: Mapping[str, int] | None = None,
    pinned: Iterable[int] = (),
    default_limit: int = BOARD_CARDS,
) -> BoardView:
    """Split the board into the cards drawn per stage and the rest.

    A stage shows its first ``limits[stage]`` (else ``default_limit``) matching cards in
    :func:`board_key` order, plus any ``pinned`` card (the one the user just moved or added, so it
    stays in sight in its new column). Cards are matched against ``search`` by :func:`card_matches`.
    """
    words = search_words(search)
    pins = set(pinned)
    by_stage: dict[str, list[BoardCard]] = {stage: [] for stage in STAGES}
    for card in cards:
        by_stage.setdefault(card.stage, []).append(card)
    totals = {stage: len(column) for stage, column in by_stage.items()}
    shown: dict[str, list[BoardCard]] = {}
    counts: dict[str, int] = {}
    rest: list[BoardCard] = []
    for stage, column in by_stage.items():
        matching = sorted((c for c in column if card_matches(c, words)), key=board_key(stage, today))
        limit = max(0, int((limits or {}).get(stage, default_limit)))
        counts[stage] = len(matching)
        shown[stage] = [c for n, c in enumerate(matching) if n < limit or c.id in pins]
        drawn = {c.id for c in shown[stage]}
        rest += [c for c in matching if c.id not in drawn]
    return BoardView(shown=shown, counts=counts, totals=totals, rest=rest, search=" ".join(words))


def combine(day: date, moment: time) -> datetime:
    """A naive local date and time, as appointments are stored."""
    return datetime.combine(day, moment.replace(tzinfo=None, second=0, microsecond=0))


def contact_rows(contacts: Sequence[Contact], interviews: Sequence[Interview]) -> list[dict[str, str]]:
    """Contacts as table rows, each with the careers they are (or were) asked about and the stage."""
    by_contact: dict[int, list[str]] = {}
    by_name: dict[str, list[str]] = {}
    for interview in interviews:
        entry = f"{interview.career} ({stage_label(interview.stage).lower()})"
        if interview.contact_id is not None:
            by_contact.setdefault(interview.contact_id, []).append(entry)
        else:
            by_name.setdefault(interview.interviewee.strip().casefold(), []).append(entry)
    rows = []
    for contact in contacts:
        careers = by_contact.get(contact.id, []) + by_name.get(contact.name.strip().casefold(), [])
        rows.append(
            {
                "name": contact.name,
                "role": contact.role,
                "organisation": contact.organisation,
                "found through": how_found_label(contact.how_found),
                "introduced by": contact.introduced_by,
                "email or link": contact.email,
                "careers": "; ".join(careers),
                "notes": contact.notes,
            }
        )
    return rows
