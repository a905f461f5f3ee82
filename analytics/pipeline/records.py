"""One interview, one record: a logged conversation completes the person's pipeline entry, never a second one.

Logging ratings for someone already in the pipeline for that career attaches to their open interview
(:func:`record_interview`); planning from "investigate next" puts the person in the pipeline with the
suggested questions (:func:`plan_interview`); Log & rate opens on a held interview still waiting for ratings.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from ..errors import InvalidInputError
from ..models import Interview
from ..store import name_key
from .sheets import join_questions, question_lines
from .stages import HELD_STAGES, OPEN_STAGES, add_to_pipeline, display_day, refuse_future, transition_fields

if TYPE_CHECKING:
    from ..store import Store


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
            target.career_id,
            target.interviewee,
            held_on or target.held_on,
            interview_id=target.id,
            ratings=ratings,
            **{k: v for k, v in fields.items() if k != "held_on"},
        )
        return Recorded(interview_id, attached=True)
    return Recorded(store.add_interview(name, interviewee, held_on, ratings=ratings, **fields), attached=False)


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
