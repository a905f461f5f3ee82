"""Drafts: the short request for an interview and the thank-you note, filled from "about me" and the contact."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from ..models import Contact, Interview

if TYPE_CHECKING:
    from ..store import Store


DRAFT_WORD_LIMIT = 120


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


def contact_of(store: Store, interview: Interview) -> Contact | None:
    """The contact an interview is with: by id, else by name (imports link by name)."""
    contacts = store.contacts()
    for contact in contacts:
        if interview.contact_id is not None and contact.id == interview.contact_id:
            return contact
    key = interview.interviewee.strip().casefold()
    return next((c for c in contacts if c.name.strip().casefold() == key), None) if key else None
