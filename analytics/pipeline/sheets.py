"""Question sheets: the questions to pick from, the user's own, and the one-page sheet (text and printable HTML)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from ..errors import InvalidInputError
from ..models import Interview
from .drafts import MY_QUESTIONS_KEY, PITCH_KEY, contact_of
from .stages import appointment_text

if TYPE_CHECKING:
    from ..store import Store


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


MY_QUESTIONS_CATEGORY = "My questions"
CRITERIA_CATEGORY = "Aimed at what matters to me"


def criterion_questions(store: Store, career_id: int | None, limit: int = 4) -> list[str]:
    """Questions aimed at the user's heavily weighted criteria with the least evidence for the career.

    Those are the answers that can move the career's fit most. They are the investigate-next list's
    suggestions for the career (:func:`analytics.recommend.investigate_next`), so the Explore page and
    the question sheet agree; a career that list does not know (none given) gets the heaviest criteria
    with the fewest ratings, worded by :mod:`analytics.questions`.
    """
    from ..questions import questions_for_criterion
    from ..recommend import investigate_next

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
    from ..questions import QUESTION_CATEGORIES

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
        lines.append(f"When: {appointment_text(info.when)}")
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
        parts.append(f'<p class="meta">When: {e(appointment_text(info.when))}</p>')
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
